/**
 * Start-up of the command line as a user meets it (issue 16, target 1): each command run as a new
 * process through `bin/cityindex.js` (compiled `dist/` when it is up to date), cold file cache aside.
 * Peak resident memory comes from GNU time (`runCli` in harness.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliBuild, runCli, type BenchRow } from './harness.ts';

/** Median wall seconds and the largest peak RSS (MiB) of `repeats` runs of `cityindex …args`. */
function timeCommand(args: string[], repeats = 5): { seconds: number; mib: number; cpu: number } {
  const times: number[] = [];
  const cpus: number[] = [];
  let mib = -Infinity; // NaN when the machine has no GNU time
  for (let k = 0; k < repeats; k++) {
    const r = runCli(args);
    if (r.status !== 0) throw new Error(`cityindex ${args.join(' ')} exited ${r.status}: ${r.stderr.slice(0, 300)}`);
    times.push(r.seconds);
    cpus.push(r.cpu);
    mib = Math.max(mib, r.mib);
  }
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return { seconds: median(times), mib, cpu: median(cpus) };
}

/** `cityindex --version`, `validate examples/asem` and `build examples/asem --no-analyses` as new processes. */
export async function benchStartup(): Promise<BenchRow[]> {
  const how = cliBuild().text;
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
      const { seconds, mib, cpu } = timeCommand(args);
      return {
        name,
        seconds,
        target: `≤ ${limit} s`,
        pass: seconds <= limit,
        notes: `CPU ${cpu.toFixed(2)} s; peak ${Number.isFinite(mib) ? mib.toFixed(0) : '?'} MiB; ${how}`,
      };
    });
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
