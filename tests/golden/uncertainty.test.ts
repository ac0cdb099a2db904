/**
 * Uncertainty and sensitivity analysis against COINr 1.1.14 (`get_sensitivity`, R/sensitivity.R, and
 * tests/testthat/test-sensitivity.R) on the ASEM example, and the replication kernel against `build()`
 * on the synthetic 333 × 200 benchmark project.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadProject, type LoadedProject } from '../../src/formats/project.ts';
import { build, type Build } from '../../src/engine/pipeline/build.ts';
import { createRng } from '../../src/engine/core/rng.ts';
import { runAnalysis } from '../../src/engine/analysis/uncertainty/analyse.ts';
import { resolveInputs, type UncertainInput } from '../../src/engine/analysis/uncertainty/inputs.ts';
import { createRunner, excludeIndicators, runSpec } from '../../src/engine/analysis/uncertainty/runner.ts';
import { saltelliSample } from '../../src/engine/analysis/uncertainty/estimators.ts';
import { coinrDesign } from '../../src/engine/analysis/uncertainty/test-helpers.ts';
import { readCoinrTable } from './asem-fixtures.ts';

let asem: LoadedProject;
let nominal: Build;
beforeAll(async () => {
  asem = await loadProject('examples/asem');
  nominal = build(asem.input, asem.spec);
});

describe('COINr get_sensitivity semantics on ASEM', () => {
  it("the nominal ranks are COINr's and alternatives equal to the nominal choices keep them in every run", () => {
    const coinr = new Map(readCoinrTable('index_scores_ranks').map((r) => [r.uCode, Number(r.Rank)] as const));
    const r = runAnalysis(
      asem.input,
      asem.spec,
      {
        N: 30,
        seed: 1,
        inputs: [
          { kind: 'alternatives', name: 'winmax', step: 'treat', path: ['options', 'winmax'], values: [5] },
          {
            kind: 'alternatives',
            name: 'normalisation',
            step: 'normalise',
            path: ['options'],
            values: [{ method: 'minMax', range: [0, 100] }],
          },
          {
            kind: 'alternatives',
            name: 'aggregation',
            step: 'aggregate',
            path: ['options', 'aggregation'],
            values: [{ method: 'arithmetic' }],
          },
        ],
      },
      { nominal },
    );
    expect(r.rankStats).toHaveLength(51);
    for (const s of r.rankStats) {
      expect(s.nominal, s.unit).toBe(coinr.get(s.unit));
      expect([s.q5, s.median, s.q95], s.unit).toEqual([s.nominal, s.nominal, s.nominal]);
    }
  });
  it('N = 20, winmax 1–5 and a dummy of two identical normalisations → 20·4 runs, dummy Si = STi = 0', () => {
    // COINr's tests/testthat/test-sensitivity.R, which checks ncol(Scores) = 20·4 + 2
    const inputs: UncertainInput[] = [
      { kind: 'alternatives', name: 'Winmax', step: 'treat', path: ['options', 'winmax'], values: [1, 2, 3, 4, 5] },
      {
        kind: 'alternatives',
        name: 'Dummy',
        step: 'normalise',
        path: ['options'],
        values: [
          { method: 'minMax', range: [0, 100] },
          { method: 'minMax', range: [0, 100] },
        ],
      },
    ];
    const r = runAnalysis(asem.input, asem.spec, { inputs, N: 20, mode: 'sensitivity', seed: 1 }, { nominal });
    expect(r.nRuns).toBe(20 * 4);
    expect(r.failures).toEqual([]);
    expect(r.sensitivity!.indices[1]).toMatchObject({ name: 'Dummy', Si: 0, STi: 0 });
    // SA_sample: N(d + 2) × d in [0, 1]
    const X = saltelliSample(20, 2);
    expect(X.length).toBe(20 * 4 * 2);
    expect(Math.min(...X)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...X)).toBeLessThan(1);
  });
  it("COINr's four-assumption vignette design: every run succeeds; most rank bands contain the nominal rank", () => {
    // every run succeeds because z-score mean 10 keeps the geometric mean positive
    const r = runAnalysis(asem.input, asem.spec, { inputs: coinrDesign(), N: 500, seed: 2026 }, { nominal });
    expect(r.failures).toEqual([]);
    const inside = r.rankStats.filter((s) => s.q5 <= s.nominal && s.nominal <= s.q95).length;
    expect(inside).toBeGreaterThanOrEqual(45);
  });
});

describe('replication kernel on the synthetic 333 × 200 project (SYNTHETIC data)', () => {
  it('equals build() of the run spec bit for bit', async () => {
    const scale = await loadProject('bench/scale-333x200');
    const resolved = resolveInputs(coinrDesign(), scale.spec, scale.input.framework);
    const runner = createRunner(scale.input, scale.spec, resolved, { seed: 4 });
    const M = scale.input.units.length;
    const scores = new Float64Array(M),
      ranks = new Float64Array(M);
    const rng = createRng(77);
    let compared = 0;
    for (let k = 0; k < 6; k++) {
      // every combination of normalisation and aggregation; the rest sampled
      const u = [rng.next(), k % 3 === 2 ? 0.75 : 0.25, rng.next(), k % 2 ? 0.9 : 0.1];
      const reason = runner.run(u, scores, ranks);
      const rs = runSpec(scale.input, scale.spec, resolved, u, 4);
      const runInput = { ...scale.input, framework: excludeIndicators(scale.input.framework, rs.excluded) };
      if (reason !== null) {
        // z-score (10, 2) can give negative values, which a geometric mean refuses: so must build()
        expect(() => build(runInput, rs.spec)).toThrow(reason.split(': ').at(-1));
        continue;
      }
      compared++;
      const b = build(runInput, rs.spec);
      const j = b.results.scores.codes.indexOf(b.results.indexCode);
      const m = b.results.scores.unitCodes.length;
      expect(m).toBe(M);
      for (let i = 0; i < M; i++) {
        expect(scores[i]).toBe(b.results.scores.values[j * m + i]);
        expect(ranks[i]).toBe(b.results.ranks.values[j * m + i]);
      }
    }
    expect(compared).toBeGreaterThanOrEqual(4);
  }, 60_000);
});
