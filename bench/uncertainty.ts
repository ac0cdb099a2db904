/**
 * Uncertainty-analysis benchmarks: COINr's four-assumption design (winmax 1–5; min–max [1, 100] vs
 * z-score (10, 2); weight noise ±25 % at levels 2–3; arithmetic vs geometric mean) on the ASEM example
 * (N = 1 000 and 10 000) and on the synthetic 333 × 200 project (N = 10 000), against COINr 1.1.14's
 * per-replication times (0.134 s ASEM, 0.82 s 333 × 200, 2 cores). Times include compiling the kernel
 * and starting the workers; the per-replication figure is the whole analysis divided by its runs.
 */
import { availableParallelism } from 'node:os';
import { loadProject } from '../src/formats/project.ts';
import { build } from '../src/engine/pipeline/build.ts';
import { runAnalysis, type AnalysisOptions } from '../src/engine/analysis/uncertainty/analyse.ts';
import type { UncertainInput } from '../src/engine/analysis/uncertainty/inputs.ts';
import { coinrDesign } from '../src/engine/analysis/uncertainty/test-helpers.ts';
import { runAnalysisParallel } from '../src/app/uncertainty-workers.ts';
import { timeMedian, type BenchRow } from './harness.ts';

/** COINr's sensitivity-vignette design (the one the tests use). */
export const COINR_UA_DESIGN: UncertainInput[] = coinrDesign();

const COINR_ASEM = 0.134;
const COINR_SCALE = 0.82;

/**
 * Time COINr's four-assumption analysis on ASEM (N = 1 000, 10 000; sensitivity N = 1 000) and on the
 * synthetic 333 × 200 project (N = 10 000), in one thread and on 2 threads.
 * @example printTable(await benchUncertainty())
 */
export async function benchUncertainty(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const threads = Math.min(2, availableParallelism());
  const asem = await loadProject('examples/asem');
  const asemBuild = build(asem.input, asem.spec);
  const scale = await loadProject('bench/scale-333x200');
  const scaleBuild = build(scale.input, scale.spec);

  const cases: Array<{
    label: string;
    p: typeof asem;
    b: typeof asemBuild;
    options: AnalysisOptions;
    ref: number;
    repeats: number;
  }> = [
    {
      label: 'ASEM UA N = 1 000',
      p: asem,
      b: asemBuild,
      options: { inputs: COINR_UA_DESIGN, N: 1000, seed: 1 },
      ref: COINR_ASEM,
      repeats: 7,
    },
    {
      label: 'ASEM UA N = 10 000',
      p: asem,
      b: asemBuild,
      options: { inputs: COINR_UA_DESIGN, N: 10000, seed: 1 },
      ref: COINR_ASEM,
      repeats: 5,
    },
    {
      label: 'ASEM SA N = 1 000 (6 000 runs)',
      p: asem,
      b: asemBuild,
      options: { inputs: COINR_UA_DESIGN, N: 1000, mode: 'sensitivity', seed: 1 },
      ref: COINR_ASEM,
      repeats: 5,
    },
    {
      label: 'scale-333x200 UA N = 10 000',
      p: scale,
      b: scaleBuild,
      options: { inputs: COINR_UA_DESIGN, N: 10000, seed: 1 },
      ref: COINR_SCALE,
      repeats: 3,
    },
  ];
  for (const c of cases) {
    let nRuns = 0;
    let failed = 0;
    const t1 = await timeMedian(
      () => {
        const r = runAnalysis(c.p.input, c.p.spec, c.options, { nominal: c.b });
        nRuns = r.nRuns;
        failed = r.failures.length;
      },
      c.repeats,
      2,
    );
    const per1 = t1 / nRuns;
    rows.push({
      name: `uncertainty ${c.label}, per replication, 1 thread`,
      seconds: per1,
      reference: c.ref,
      referenceLabel: 'COINr',
      target: '≥ 1000× faster than COINr',
      pass: c.ref / per1 >= 1000,
      notes: `whole analysis ${t1.toFixed(3)} s; ${failed} failed runs`,
    });
    const workers = nRuns * c.p.input.units.length >= 2_000_000;
    const t2 = await timeMedian(
      () => runAnalysisParallel(c.p.input, c.p.spec, c.options, { nominal: c.b, threads }),
      c.repeats,
      2,
    );
    const per2 = t2 / nRuns;
    const isScale = c.label.startsWith('scale');
    const threadNote = workers ? `this thread + ${threads - 1} worker (incl. start-up)` : 'small enough for one thread';
    rows.push({
      name: `uncertainty ${c.label}, per replication, ${threads} threads (auto)`,
      seconds: per2,
      reference: c.ref,
      referenceLabel: 'COINr',
      target: isScale ? '≥ 1000× COINr; whole analysis < 10 s' : '≥ 1000× faster than COINr',
      pass: c.ref / per2 >= 1000 && (!isScale || t2 < 10),
      notes: `whole analysis ${t2.toFixed(3)} s; ${threadNote}`,
    });
  }
  return rows;
}
