/**
 * Build benchmarks (issue #2 item 8): COINr's ASEM default build and the same pipeline on the synthetic
 * 333 × 200 dataset, warm, against COINr 1.1.14's timings on this kind of machine. Targets: ASEM ≤ 1 ms
 * (≥ 150× COINr's 0.147 s) and 333 × 200 ≤ 20 ms (≥ 30× COINr's 0.65 s). For scale, issue 16 compares each
 * build with a plain C core (bench/c-core/core.c: normalise, aggregate and rank only) run in the same
 * session on the same treated data (goal: within 10×); the timed JavaScript build reads the ranks of
 * every column too, as the C core computes them.
 * "Warm" = after the JIT has settled: an ASEM build reaches its steady time after some 500 builds, so
 * 1000 are run first (under a second).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadProject, type LoadedProject } from '../src/formats/project.ts';
import { build } from '../src/engine/pipeline/build.ts';
import { formatSeconds, timeMedian, type BenchRow } from './harness.ts';

/**
 * Median and minimum seconds per call over `repeats` calls after `warmup` calls (the machine may be
 * shared: the minimum shows the quiet-machine time).
 */
function timeWarm(fn: () => unknown, repeats: number, warmup: number): { median: number; min: number } {
  for (let k = 0; k < warmup; k++) fn();
  const times: number[] = [];
  for (let k = 0; k < repeats; k++) {
    const t0 = performance.now();
    fn();
    times.push((performance.now() - t0) / 1000);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)], min: times[0] };
}

function buildRow(
  name: string,
  t: { median: number; min: number },
  coinr: number,
  limit: number,
  speedUp: number,
  cCore: number | undefined,
): BenchRow {
  const ratio = coinr / t.median;
  const speed = `${ratio.toFixed(0)}× faster than COINr`;
  const c =
    cCore === undefined
      ? 'C core not measured (no C compiler)'
      : `${(t.median / cCore).toFixed(0)}× the plain C core (${formatSeconds(cCore)}; goal ≤ 10×)`;
  return {
    name,
    seconds: t.median,
    reference: coinr,
    referenceLabel: 'COINr',
    target: `≤ ${formatSeconds(limit)} (≥ ${speedUp}× COINr)`,
    pass: t.median <= limit,
    notes: `${speed}; min ${formatSeconds(t.min)}; ${c}`,
  };
}

/**
 * Seconds per build of the plain C core (bench/c-core/core.c, compiled with `cc -O2`) on the data the
 * project's treat step leaves (or the raw data when there is none), with the project's framework; undefined
 * when no C compiler is installed. The C program times itself (median of 7 batches of ≥ 50 ms).
 */
function cCoreSeconds(project: LoadedProject): number | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'cityindex-c-core-'));
  try {
    const exe = join(dir, 'core');
    const cc = spawnSync('cc', ['-O2', '-o', exe, join(import.meta.dirname, 'c-core', 'core.c'), '-lm']);
    if (cc.status !== 0 || !existsSync(exe)) return undefined;
    const b = build(project.input, project.spec);
    const treated = b.steps.find((r) => r.kind === 'treat') ?? b.steps.find((r) => r.kind === 'screen');
    const data = treated ? treated.dataset : b.raw;
    const fw = treated ? treated.framework : project.input.framework;
    const n = data.unitCodes.length;
    const column = new Map(data.codes.map((code, j) => [code, j]));
    const byCode = new Map(fw.nodes.map((nd) => [nd.code, nd]));
    const lines: string[] = [];
    for (let j = 0; j < data.codes.length; j++) {
      const dir = byCode.get(data.codes[j])?.direction ?? 1;
      const values = Array.from(data.values.subarray(j * n, (j + 1) * n), (v) => (Number.isNaN(v) ? 'nan' : v));
      lines.push(`${dir} ${values.join(' ')}`);
    }
    const aggregates = fw.nodes.filter((nd) => nd.level > 1).sort((a, b) => a.level - b.level);
    for (const a of aggregates) column.set(a.code, column.size);
    for (const a of aggregates) {
      const kids = fw.nodes.filter((nd) => nd.parent === a.code && column.has(nd.code));
      lines.push(`${kids.length} ${kids.map((k) => `${column.get(k.code)} ${k.weight}`).join(' ')}`);
    }
    const input = join(dir, 'input.txt');
    writeFileSync(input, `${n} ${data.codes.length} ${aggregates.length}\n${lines.join('\n')}\n`);
    const run = spawnSync(exe, [input], { encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`C core failed (exit ${run.status})`);
    return Number(run.stdout.split(' ')[0]) * 1e-9;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchBuild(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const asem = await loadProject('examples/asem');
  rows.push(
    buildRow(
      'build ASEM (51 × 49, COINr default), warm',
      timeWarm(() => build(asem.input, asem.spec).results.ranks, 501, 1000),
      0.147,
      1e-3,
      150,
      cCoreSeconds(asem),
    ),
  );
  const tLoad = await timeMedian(() => loadProject('examples/asem'), 5, 1);
  rows.push({ name: 'load + validate ASEM project', seconds: tLoad });
  const scale = await loadProject('bench/scale-333x200');
  rows.push(
    buildRow(
      'build scale-333x200 (synthetic), warm',
      timeWarm(() => build(scale.input, scale.spec).results.ranks, 41, 40),
      0.65,
      20e-3,
      30,
      cCoreSeconds(scale),
    ),
  );
  return rows;
}
