import { beforeAll, describe, expect, it } from 'vitest';
import { loadProject, type LoadedProject } from '../../../formats/project.ts';
import { build, type Build } from '../../pipeline/build.ts';
import { CityIndexError } from '../../core/errors.ts';
import { choiceIndex, rangeValue, resolveInputs, type UncertainInput } from './inputs.ts';
import { planAnalysis, rankStatistics, runAnalysis, runParameters } from './analyse.ts';
import { coinrDesign } from './test-helpers.ts';

let asem: LoadedProject;
let nominal: Build;
beforeAll(async () => {
  asem = await loadProject('examples/asem');
  nominal = build(asem.input, asem.spec);
});

function issuesOf(f: () => unknown): Array<{ code: string; field?: string; message: string }> {
  try {
    f();
  } catch (e) {
    if (e instanceof CityIndexError) return e.issues;
    throw e;
  }
  throw new Error('expected a CityIndexError');
}

describe('uncertain inputs are checked before any run', () => {
  it('alternatives for a step the build does not have are an error (COINr #60 ignores them silently)', () => {
    const issues = issuesOf(() =>
      resolveInputs(
        [
          {
            kind: 'alternatives',
            name: 'imp',
            step: 'imputation',
            path: ['options', 'method'],
            values: ['mean', 'median'],
          },
        ],
        asem.spec,
        asem.input.framework,
      ),
    );
    expect(issues[0]).toMatchObject({ code: 'E_UA_UNKNOWN_STEP', field: 'inputs[0].step' });
    expect(issues[0].message).toContain('imputation');
  });
  it('a path to an unknown option and an invalid value are located at the input and the value', () => {
    const issues = issuesOf(() =>
      resolveInputs(
        [
          { kind: 'alternatives', name: 'winmax', step: 'treat', path: ['options', 'winmx'], values: [1, 2] },
          {
            kind: 'alternatives',
            name: 'norm',
            step: 'normalise',
            path: ['options'],
            values: [{ method: 'minMax' }, { method: 'zscore' }],
          },
          { kind: 'range', name: 'thr', step: 'aggregate', path: ['options', 'dataThreshold'], min: 0, max: 2 },
          { kind: 'alternatives', name: 'kind', step: 'treat', path: ['kind'], values: ['normalise'] },
        ],
        asem.spec,
        asem.input.framework,
      ),
    );
    const fields = issues.map((i) => i.field);
    expect(fields).toContain('inputs[0].values[0]');
    expect(fields).toContain('inputs[0].values[1]');
    expect(fields).toContain('inputs[1].values[1]');
    expect(fields).not.toContain('inputs[1].values[0]');
    expect(fields).toContain('inputs[2].max');
    expect(fields).not.toContain('inputs[2].min');
    expect(fields).toContain('inputs[3].path');
  });
  it('weight noise on the index level, an unknown indicator and duplicate names are errors', () => {
    const issues = issuesOf(() =>
      resolveInputs(
        [
          { kind: 'weightNoise', name: 'w', levels: [4], factor: 0.25 },
          { kind: 'exclude', name: 'w', indicators: [[], ['NotAnIndicator']] },
        ],
        asem.spec,
        asem.input.framework,
      ),
    );
    expect(issues.map((i) => i.code).sort()).toEqual(['E_LEVEL', 'E_UA_DUPLICATE', 'E_UNKNOWN_CODE']);
  });
  it('discrete alternatives take equal bins of [0, 1] (not the sample range, as COINr cut())', () => {
    expect([0, 0.199, 0.2, 0.5, 0.79, 0.8, 0.999999].map((u) => choiceIndex(u, 5))).toEqual([0, 0, 1, 2, 3, 4, 4]);
    const r = { kind: 'range' as const, name: 'p', step: 's', path: ['options'], min: 1, max: 5 };
    expect(rangeValue(r, 0.25)).toBe(2);
    expect([0, 0.2, 0.39, 0.4, 0.99].map((u) => rangeValue({ ...r, integer: true }, u))).toEqual([1, 2, 2, 3, 5]);
  });
});

describe("uncertainty analysis: COINr's four-assumption design on ASEM", () => {
  it('rank statistics: within [1, n], Q5 ≤ median ≤ Q95, nominal = the build, every run recorded', () => {
    const r = runAnalysis(asem.input, asem.spec, { inputs: coinrDesign(), N: 300, seed: 42 }, { nominal });
    const n = asem.input.units.length;
    expect(r.nRuns).toBe(300);
    expect(r.failures).toEqual([]);
    expect(r.params.length).toBe(300 * 4);
    const ranks = nominal.results.ranks;
    const j = ranks.codes.indexOf('Index');
    r.rankStats.forEach((s, i) => {
      expect(s.unit).toBe(asem.input.units[i].code);
      expect(s.nominal).toBe(ranks.values[j * n + ranks.unitCodes.indexOf(s.unit)]);
      expect(s.runs).toBe(300);
      for (const v of [s.mean, s.median, s.q5, s.q95]) {
        expect(v).toBeGreaterThanOrEqual(1);
        expect(v).toBeLessThanOrEqual(n);
      }
      expect(s.q5).toBeLessThanOrEqual(s.median);
      expect(s.median).toBeLessThanOrEqual(s.q95);
    });
    // CHE is first in COINr's nominal build and stays near the top
    const che = r.rankStats.find((s) => s.unit === 'CHE')!;
    expect(che.nominal).toBe(1);
    expect(che.q95).toBeLessThanOrEqual(10);
    // every alternative is sampled; the labels are kept
    expect(new Set(Array.from({ length: 300 }, (_, k) => r.params[k * 4])).size).toBe(5);
    expect(runParameters(r, 0)).toEqual({
      winmax: String(r.params[0] + 1),
      normalisation: ['minMax [1, 100]', 'zScore (10, 2)'][r.params[1]],
      weights: `set ${r.params[2] + 1}`,
      aggregation: ['arithmetic', 'geometric'][r.params[3]],
    });
  });
  it('is bit-reproducible for a seed and differs between seeds', () => {
    const a = runAnalysis(asem.input, asem.spec, { inputs: coinrDesign(), N: 100, seed: 7 }, { nominal });
    const b = runAnalysis(asem.input, asem.spec, { inputs: coinrDesign(), N: 100, seed: 7 }, { nominal });
    const c = runAnalysis(asem.input, asem.spec, { inputs: coinrDesign(), N: 100, seed: 8 }, { nominal });
    expect(Buffer.from(a.ranks.buffer)).toEqual(Buffer.from(b.ranks.buffer));
    expect(a.rankStats).toEqual(b.rankStats);
    expect(Buffer.from(a.y.buffer).equals(Buffer.from(c.y.buffer))).toBe(false);
  });
  it('inputs that change nothing reproduce the nominal ranks in every run', () => {
    const r = runAnalysis(
      asem.input,
      asem.spec,
      {
        N: 20,
        seed: 1,
        keepScores: true,
        inputs: [
          { kind: 'alternatives', name: 'winmax', step: 'treat', path: ['options', 'winmax'], values: [5, 5] },
          {
            kind: 'alternatives',
            name: 'agg',
            step: 'aggregate',
            path: ['options', 'aggregation'],
            values: [{ method: 'arithmetic' }],
          },
        ],
      },
      { nominal },
    );
    for (const s of r.rankStats)
      expect([s.q5, s.median, s.q95, s.mean]).toEqual([s.nominal, s.nominal, s.nominal, s.nominal]);
    expect(Array.from(r.y)).toEqual(new Array(20).fill(0));
    const che = asem.input.units.findIndex((u) => u.code === 'CHE');
    const nomScore =
      nominal.results.scores.values[
        nominal.results.scores.codes.indexOf('Index') * asem.input.units.length +
          nominal.results.scores.unitCodes.indexOf('CHE')
      ];
    expect(r.scores![che]).toBe(nomScore); // bit for bit the build's
    expect(r.scores![che]).toBeCloseTo(68.38372423834171, 9); // COINr's CHE index
  });
  it('failed runs are recorded with their reason, not silently NA (min–max [0, 100] with a geometric mean)', () => {
    const r = runAnalysis(
      asem.input,
      asem.spec,
      {
        N: 50,
        seed: 3,
        inputs: [
          {
            kind: 'alternatives',
            name: 'agg',
            step: 'aggregate',
            path: ['options', 'aggregation'],
            values: [{ method: 'arithmetic' }, { method: 'geometric' }],
          },
        ],
      },
      { nominal },
    );
    const geo = Array.from({ length: 50 }, (_, k) => r.params[k]).filter((v) => v === 1).length;
    expect(geo).toBeGreaterThan(0);
    expect(r.failures.length).toBe(geo);
    for (const f of r.failures) {
      expect(r.params[f.run]).toBe(1);
      expect(f.reason).toMatch(/geometric mean needs values > 0/);
      expect(r.y[f.run]).toBeNaN();
    }
    expect(r.rankStats[0].runs).toBe(50 - geo);
  });
});

describe('sensitivity analysis (Saltelli design on a Sobol sequence)', () => {
  it("COINr's test (winmax 1–5, dummy of 2 identical alternatives, N = 20): N(d + 2) runs, dummy Si = STi = 0", () => {
    const inputs: UncertainInput[] = [
      { kind: 'alternatives', name: 'winmax', step: 'treat', path: ['options', 'winmax'], values: [1, 2, 3, 4, 5] },
      {
        kind: 'alternatives',
        name: 'dummy',
        step: 'normalise',
        path: ['options'],
        values: [
          { method: 'minMax', range: [0, 100] },
          { method: 'minMax', range: [0, 100] },
        ],
      },
    ];
    const r = runAnalysis(
      asem.input,
      asem.spec,
      { inputs, N: 20, mode: 'sensitivity', seed: 1, bootstrap: 100 },
      { nominal },
    );
    expect(r.nRuns).toBe(20 * 4);
    expect(r.statRuns).toBe(40);
    const dummy = r.sensitivity!.indices[1];
    expect(dummy.name).toBe('dummy');
    expect(dummy.Si).toBe(0);
    expect(dummy.STi).toBe(0);
    expect(dummy.SiInterval).toEqual([0, 0]);
    const winmax = r.sensitivity!.indices[0];
    expect(winmax.STi).toBeGreaterThan(0.5); // the only input that matters carries (almost) all variance
    expect(winmax.SiInterval![0]).toBeLessThanOrEqual(winmax.SiInterval![1]);
  });
  it('the four-assumption design: indices, intervals, and a unit target', () => {
    const r = runAnalysis(
      asem.input,
      asem.spec,
      { inputs: coinrDesign(), N: 128, mode: 'sensitivity', seed: 2 },
      { nominal },
    );
    expect(r.nRuns).toBe(128 * 6);
    const s = r.sensitivity!;
    expect(s.nUsed).toBe(128);
    expect(s.indices.map((x) => x.name)).toEqual(['winmax', 'normalisation', 'weights', 'aggregation']);
    for (const x of s.indices) {
      expect(Number.isFinite(x.Si) && Number.isFinite(x.STi)).toBe(true);
      expect(x.STi).toBeGreaterThanOrEqual(0);
      expect(x.STiInterval![0]).toBeLessThanOrEqual(x.STiInterval![1]);
    }
    const t = runAnalysis(
      asem.input,
      asem.spec,
      {
        inputs: coinrDesign(),
        N: 32,
        mode: 'sensitivity',
        seed: 2,
        target: { kind: 'rank', unit: 'CHE' },
        bootstrap: 0,
      },
      { nominal },
    );
    expect(t.sensitivity!.target).toEqual({ kind: 'rank', unit: 'CHE' });
    expect(t.sensitivity!.bootstrap).toBe(0);
  });
  it('refuses a target unit that does not exist', () => {
    expect(() =>
      planAnalysis(asem.input, asem.spec, {
        inputs: coinrDesign(),
        N: 4,
        mode: 'sensitivity',
        target: { kind: 'score', unit: 'XXX' },
      }),
    ).toThrow(/XXX/);
  });
});

describe('rankStatistics', () => {
  it('type-7 quantiles from the rank histogram equal R quantile()', () => {
    // R: quantile(c(1, 2, 2, 3, 5), c(.05, .5, .95)) = 1.2, 2, 4.6; mean 2.6
    // 5 runs × 5 units; unit A's ranks are 1, 2, 2, 3, 5
    const a = [1, 2, 2, 3, 5];
    const ranks = Float32Array.from({ length: 25 }, (_, k) => (k % 5 === 0 ? a[k / 5] : NaN));
    const s = rankStatistics(ranks, 5, {
      units: ['A', 'B', 'C', 'D', 'E'],
      ranks: Float64Array.from([2, 1, 3, 4, 5]),
    })[0];
    expect(s.q5).toBeCloseTo(1.2, 12);
    expect(s.median).toBe(2);
    expect(s.q95).toBeCloseTo(4.6, 12);
    expect(s.mean).toBeCloseTo(2.6, 12);
  });
});
