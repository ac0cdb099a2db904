/**
 * Start-up of the command line as a user meets it (issue 16, target 1): each command run as a new
 * process through `bin/cityindex.js` (compiled `dist/` when it is up to date), cold file cache aside.
 * Peak resident memory is read from the child's resource usage.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchRow } from './harness.ts';

const BIN = join(import.meta.dirname, '..', 'bin', 'cityindex.js');

/** Median wall seconds and the largest peak RSS (MiB) of `repeats` runs of `cityindex …args`. */
function timeCommand(args: string[], repeats = 5): { seconds: number; mib: number } {
  const times: number[] = [];
  for (let k = 0; k < repeats; k++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
    times.push((performance.now() - t0) / 1000);
    if (r.status !== 0) throw new Error(`cityindex ${args.join(' ')} exited ${r.status}: ${r.stderr.slice(0, 300)}`);
  }
  // peak resident memory of one more run, through GNU time where the machine has it
  const timed = existsSync('/usr/bin/time')
    ? spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, BIN, ...args], { encoding: 'utf8' })
    : undefined;
  const kib = timed ? Number(timed.stderr.trim().split('\n').pop()) : NaN;
  const mib = kib / 1024;
  times.sort((a, b) => a - b);
  return { seconds: times[Math.floor(times.length / 2)], mib };
}

/** `cityindex --version`, `validate examples/asem` and `build examples/asem --no-analyses` as new processes. */
export async function benchStartup(): Promise<BenchRow[]> {
  const stamp = join(import.meta.dirname, '..', 'dist', '.stamp');
  const how = existsSync(stamp)
    ? `compiled dist/ of ${statSync(stamp).mtime.toISOString()}`
    : 'no dist/: TypeScript via tsx';
  const out = mkdtempSync(join(tmpdir(), 'cityindex-bench-startup-'));
  try {
    const cases: { name: string; args: string[]; limit: number }[] = [
      { name: 'start-up: cityindex --version', args: ['--version'], limit: 0.3 },
      { name: 'start-up: cityindex validate examples/asem', args: ['validate', 'examples/asem'], limit: 1 },
      {
        name: 'start-up: cityindex build examples/asem --no-analyses',
        args: ['build', 'examples/asem', '--no-analyses', '--out', join(out, 'asem')],
        limit: 1.5,
      },
    ];
    return cases.map(({ name, args, limit }) => {
      const { seconds, mib } = timeCommand(args);
      return {
        name,
        seconds,
        target: `≤ ${limit} s`,
        pass: seconds <= limit,
        notes: `peak ${Number.isFinite(mib) ? mib.toFixed(0) : '?'} MiB; ${how}`,
      };
    });
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
