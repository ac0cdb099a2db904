import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProject, type LoadedProject } from '../formats/project.ts';
import { build, type Build } from '../engine/pipeline/build.ts';
import { runAnalysis, type AnalysisResult } from '../engine/analysis/uncertainty/analyse.ts';
import { coinrDesign } from '../engine/analysis/uncertainty/test-helpers.ts';
import { analyseProject, runAnalysisParallel, stopUncertaintyWorkers } from './uncertainty-workers.ts';

let asem: LoadedProject;
let nominal: Build;
beforeAll(async () => {
  asem = await loadProject('examples/asem');
  nominal = build(asem.input, asem.spec);
});
afterAll(stopUncertaintyWorkers);

const bytes = (a: ArrayBufferView | null): Buffer =>
  a ? Buffer.from(a.buffer, a.byteOffset, a.byteLength) : Buffer.alloc(0);
function expectIdentical(a: AnalysisResult, b: AnalysisResult): void {
  expect(bytes(a.y).equals(bytes(b.y))).toBe(true);
  expect(bytes(a.ranks).equals(bytes(b.ranks))).toBe(true);
  expect(bytes(a.scores).equals(bytes(b.scores))).toBe(true);
  expect(bytes(a.params).equals(bytes(b.params))).toBe(true);
  expect(a.rankStats).toEqual(b.rankStats);
  expect(a.failures).toEqual(b.failures);
  expect(a.sensitivity).toEqual(b.sensitivity);
}

describe('worker threads give the same bytes as one thread', () => {
  it('uncertainty: 1 thread vs 2 and 3 worker threads (with failed runs and kept scores)', async () => {
    // min–max [0, 100] with the geometric mean fails: failures must come back in run order too
    const values = [
      { method: 'minMax', range: [0, 100] },
      { method: 'zScore', mean: 10, sd: 1 },
    ];
    const inputs = coinrDesign().map((x) =>
      x.name === 'normalisation' && x.kind === 'alternatives' ? { ...x, values } : x,
    );
    const options = { inputs, N: 600, seed: 5, keepScores: true };
    const one = runAnalysis(asem.input, asem.spec, options, { nominal });
    const progress: number[] = [];
    const onProgress = (d: number): void => {
      progress.push(d);
    };
    const two = await runAnalysisParallel(asem.input, asem.spec, options, {
      nominal,
      threads: 2,
      minWorkForWorkers: 0,
      onProgress,
    });
    const three = await runAnalysisParallel(asem.input, asem.spec, options, {
      nominal,
      threads: 3,
      minWorkForWorkers: 0,
    });
    expect(one.failures.length).toBeGreaterThan(50);
    expectIdentical(one, two);
    expectIdentical(one, three);
    expect(progress.at(-1)).toBe(600);
  }, 60_000);
  it('sensitivity through analyseProject (the CLI entry point)', async () => {
    const options = { inputs: coinrDesign(), N: 64, mode: 'sensitivity' as const, seed: 9, bootstrap: 50 };
    const one = runAnalysis(asem.input, asem.spec, options, { nominal });
    const two = await analyseProject(asem, nominal, options, { threads: 2, minWorkForWorkers: 0 });
    expectIdentical(one, two);
    expect(two.sensitivity!.indices).toHaveLength(4);
    // the pooled workers are reused for the next analysis
    const again = await analyseProject(asem, nominal, options, { threads: 2, minWorkForWorkers: 0 });
    expectIdentical(one, again);
  }, 60_000);
});
