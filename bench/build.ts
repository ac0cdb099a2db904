/**
 * Build benchmarks (issue #2 item 8): COINr's ASEM default build and the same pipeline on the synthetic
 * 333 × 200 dataset, warm, against COINr 1.1.14's timings on this kind of machine. Targets: ASEM ≤ 1 ms
 * (≥ 150× COINr's 0.147 s) and 333 × 200 ≤ 20 ms (≥ 30× COINr's 0.65 s). For scale: a plain C loop doing
 * only the normalise–aggregate–rank core takes about 5.5 µs (ASEM) and 0.15 ms (333 × 200).
 * "Warm" = after the JIT has settled: an ASEM build reaches its steady time after some 500 builds, so
 * 1000 are run first (under a second).
 */
import { loadProject } from '../src/formats/project.ts';
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
  cLoop: number,
): BenchRow {
  const ratio = coinr / t.median;
  const speed = `${ratio.toFixed(0)}× faster than COINr`;
  return {
    name,
    seconds: t.median,
    reference: coinr,
    referenceLabel: 'COINr',
    target: `≤ ${formatSeconds(limit)} (≥ ${speedUp}× COINr)`,
    pass: t.median <= limit,
    notes: `${speed}; min ${formatSeconds(t.min)}; plain C core loop ≈ ${formatSeconds(cLoop)}`,
  };
}

export async function benchBuild(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const asem = await loadProject('examples/asem');
  rows.push(
    buildRow(
      'build ASEM (51 × 49, COINr default), warm',
      timeWarm(() => build(asem.input, asem.spec), 501, 1000),
      0.147,
      1e-3,
      150,
      5.5e-6,
    ),
  );
  const tLoad = await timeMedian(() => loadProject('examples/asem'), 5, 1);
  rows.push({ name: 'load + validate ASEM project', seconds: tLoad });
  const scale = await loadProject('bench/scale-333x200');
  rows.push(
    buildRow(
      'build scale-333x200 (synthetic), warm',
      timeWarm(() => build(scale.input, scale.spec), 41, 40),
      0.65,
      20e-3,
      30,
      0.15e-3,
    ),
  );
  return rows;
}
