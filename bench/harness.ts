/**
 * Benchmark helpers: time a function several times and report the median. Wall-clock lives here, never
 * in the engine.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
export interface BenchRow {
  name: string;
  /** Median seconds per call (or per replication where stated in the name). */
  seconds: number;
  /** Reference figure to compare with (e.g. COINr's time), seconds. */
  reference?: number;
  referenceLabel?: string;
  /** Target as text, e.g. "≥ 1000× faster than COINr" or "< 3 s". */
  target?: string;
  /** Did it meet the target? undefined = no target. */
  pass?: boolean;
  notes?: string;
}

const BIN = join(import.meta.dirname, '..', 'bin', 'cityindex.js');
const ROOT = join(import.meta.dirname, '..');

/**
 * What `runCli` runs, as bin/cityindex.js decides it: the compiled CLI when `dist/.stamp` is newer than every
 * source file, else the sources through tsx (slower start-up) — printed beside CLI figures.
 */
export function cliBuild(): { compiled: boolean; text: string } {
  const stamp = join(ROOT, 'dist', '.stamp');
  const newest = (dir: string): number =>
    readdirSync(dir, { withFileTypes: true }).reduce((t, e) => {
      const p = join(dir, e.name);
      return Math.max(t, e.isDirectory() ? newest(p) : e.name.endsWith('.ts') ? statSync(p).mtimeMs : 0);
    }, 0);
  if (!existsSync(stamp)) return { compiled: false, text: 'no dist/: TypeScript via tsx' };
  if (statSync(stamp).mtimeMs < newest(join(ROOT, 'src')))
    return { compiled: false, text: 'dist/ older than src/: TypeScript via tsx (run npm run build:dist first)' };
  const bundled = existsSync(join(ROOT, 'dist', 'cli-bundle', 'main.js'));
  return {
    compiled: true,
    text: `compiled ${bundled ? 'dist/cli-bundle' : 'dist/cli'} of ${statSync(stamp).mtime.toISOString()}`,
  };
}

/**
 * One `cityindex …args` as a new process (through bin/cityindex.js, as a user runs it): wall seconds,
 * peak resident MiB (GNU time where the machine has it, else NaN), exit status and stderr.
 */
export function runCli(args: string[]): {
  seconds: number;
  mib: number;
  /** User + system CPU seconds of the process and its children (GNU time; NaN without it). */
  cpu: number;
  status: number | null;
  stderr: string;
} {
  const hasTime = existsSync('/usr/bin/time');
  const cmd = hasTime ? '/usr/bin/time' : process.execPath;
  const argv = hasTime ? ['-f', 'peak-kib %M cpu %U %S', process.execPath, BIN, ...args] : [BIN, ...args];
  const t0 = performance.now();
  const r = spawnSync(cmd, argv, { encoding: 'utf8', maxBuffer: 64 << 20 });
  const seconds = (performance.now() - t0) / 1000;
  const m = /peak-kib (\d+) cpu ([\d.]+) ([\d.]+)/.exec(r.stderr);
  return {
    seconds,
    mib: m ? Number(m[1]) / 1024 : NaN,
    cpu: m ? Number(m[2]) + Number(m[3]) : NaN,
    status: r.status,
    stderr: r.stderr,
  };
}

/** Median wall time in seconds of `fn` over `repeats` runs after `warmup` runs. */
export async function timeMedian(fn: () => unknown | Promise<unknown>, repeats = 5, warmup = 1): Promise<number> {
  for (let k = 0; k < warmup; k++) await fn();
  const times: number[] = [];
  for (let k = 0; k < repeats; k++) {
    const t0 = performance.now();
    await fn();
    times.push((performance.now() - t0) / 1000);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

export function formatSeconds(s: number): string {
  if (s < 1e-3) return `${(s * 1e6).toFixed(1)} µs`;
  if (s < 1) return `${(s * 1e3).toFixed(2)} ms`;
  return `${s.toFixed(2)} s`;
}

/** Print rows as a Markdown table (stdout). */
export function printTable(rows: BenchRow[]): void {
  const head = ['benchmark', 'time', 'reference', 'speed-up', 'target', 'met', 'notes'];
  const lines = rows.map((r) => [
    r.name,
    formatSeconds(r.seconds),
    r.reference !== undefined ? `${formatSeconds(r.reference)}${r.referenceLabel ? ` (${r.referenceLabel})` : ''}` : '',
    r.reference !== undefined ? `${(r.reference / r.seconds).toFixed(r.reference / r.seconds >= 100 ? 0 : 1)}×` : '',
    r.target ?? '',
    r.pass === undefined ? '' : r.pass ? 'yes' : 'NO',
    r.notes ?? '',
  ]);
  const out = [head, head.map(() => '---'), ...lines].map((l) => `| ${l.join(' | ')} |`).join('\n');
  console.log(out);
}
