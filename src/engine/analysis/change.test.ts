import { describe, expect, it } from 'vitest';
import { CityIndexError } from '../core/errors.ts';
import { fromRows, type Dataset } from '../core/dataset.ts';
import type { Framework, Unit } from '../core/framework.ts';
import type { BuildInput } from '../pipeline/build.ts';
import type { BuildSpec } from '../spec/spec.ts';
import { betaConvergence } from './convergence.ts';
import { ChangeConfigSchema, parseChangeConfig, runChange } from './change.ts';

// Tiny hand-made panel: 5 units, 2 indicators x, y, index IDX = (x + y)/2 (normalise none, arithmetic).
// Each unit has x = y = its index value, so the index equals the number written below.
//   unit   2017  2018  2019      ranks 2017  2018  2019
//   A       10    10    10                1     1     3
//   B        8     5     6                2     4     4
//   C        6     7     4                3     3     5
//   D        4     9    11                4     2     2
//   E        2     3    12                5     5     1
// 2017 → 2019 gains (rankA − rankB): A −2, B −2, C −2, D +2, E +4 → leapfroggers E (+4), D (+2);
// fallers A, B, C (−2 each; ties ordered by the later rank 3, 4, 5).
// 2017 → 2018: B −2, D +2, others 0.   2018 → 2019: A −2, C −2, E +4, B and D 0.
const framework: Framework = {
  nodes: [
    { code: 'IDX', name: { en: 'Index' }, level: 2, parent: null, kind: 'aggregate', weight: 1, direction: 1 },
    { code: 'x', name: { en: 'x' }, level: 1, parent: 'IDX', kind: 'indicator', weight: 1, direction: 1 },
    { code: 'y', name: { en: 'y' }, level: 1, parent: 'IDX', kind: 'indicator', weight: 1, direction: 1 },
  ],
};
const codes = ['A', 'B', 'C', 'D', 'E'];
const units: Unit[] = codes.map((c) => ({ code: c, name: { en: c }, groups: {}, attributes: {} }));
const ds = (vals: Array<number | null>, y: Array<number | null> = vals): Dataset =>
  fromRows(
    codes,
    ['x', 'y'],
    vals.map((v, i) => [v, y[i]]),
  );
const V2017 = [10, 8, 6, 4, 2],
  V2018 = [10, 5, 7, 9, 3],
  V2019 = [10, 6, 4, 11, 12];
const input: BuildInput = {
  framework,
  units,
  raw: ds(V2019),
  history: [
    { period: '2017', dataset: ds(V2017) },
    { period: '2018', dataset: ds(V2018) },
  ],
};
const spec: BuildSpec = {
  version: 1,
  steps: [
    { id: 'normalise', kind: 'normalise', options: { method: 'none' } },
    { id: 'aggregate', kind: 'aggregate', options: { aggregation: { method: 'arithmetic' } } },
  ],
};

describe('runChange: tiny 3-period panel with known ranks', () => {
  const r = runChange(input, spec, { currentPeriod: 2019, top: 2 });

  it('builds every period and ranks the index', () => {
    expect(r.periods).toEqual(['2017', '2018', '2019']);
    expect(r.code).toBe('IDX');
    expect(Array.from(r.scores.values[0])).toEqual(V2017);
    expect(Array.from(r.scores.values[2])).toEqual(V2019);
    expect(r.ranks.values.map((c) => Array.from(c))).toEqual([
      [1, 2, 3, 4, 5],
      [1, 4, 3, 2, 5],
      [3, 4, 5, 2, 1],
    ]);
    expect(r.perPeriod.map((p) => p.nScored)).toEqual([5, 5, 5]);
    expect(r.relativeScores).toBe(false);
  });

  it('rank changes first → last and the leapfroggers are exactly right', () => {
    expect(r.overall.from).toBe('2017');
    expect(r.overall.to).toBe('2019');
    expect(r.overall.ranks.units.map((u) => u.gain)).toEqual([-2, -2, -2, 2, 4]);
    expect(r.leapfroggers.map((u) => [u.code, u.rankA, u.rankB, u.gain])).toEqual([
      ['E', 5, 1, 4],
      ['D', 4, 2, 2],
    ]);
    // top 2, but C ties B at −2 and is included
    expect(r.overall.ranks.fallers.map((u) => u.code)).toEqual(['A', 'B', 'C']);
    expect(r.overall.ranks.nUp).toBe(2);
    expect(r.overall.ranks.nDown).toBe(3);
    expect(r.overall.ranks.meanAbsoluteChange).toBeCloseTo(12 / 5, 15);
  });

  it('consecutive rank changes', () => {
    expect(r.consecutive.map((c) => [c.from, c.to])).toEqual([
      ['2017', '2018'],
      ['2018', '2019'],
    ]);
    expect(r.consecutive[0].ranks.units.map((u) => u.gain)).toEqual([0, -2, 0, 2, 0]);
    expect(r.consecutive[0].ranks.leapfroggers.map((u) => u.code)).toEqual(['D']);
    expect(r.consecutive[1].ranks.units.map((u) => u.gain)).toEqual([-2, 0, -2, 0, 4]);
    expect(r.consecutive[1].ranks.leapfroggers.map((u) => u.code)).toEqual(['E']);
  });

  it('score changes first → last: 2019 − 2017', () => {
    expect(r.overall.scores.units.map((u) => u.change)).toEqual([0, -2, -2, 7, 10]);
    expect(r.overall.scores.meanChange).toBeCloseTo(13 / 5, 15);
  });

  it('σ-convergence: population CV per period computed by hand', () => {
    // 2017: mean 6, population var (16+4+0+4+16)/5 = 8 → CV √8/6
    expect(r.sigma!.periods[0].cv).toBeCloseTo(Math.sqrt(8) / 6, 14);
    // 2019: mean 43/5 = 8.6, squares 1.96, 6.76, 21.16, 5.76, 11.56 → var 47.2/5 = 9.44
    expect(r.sigma!.periods[2].cv).toBeCloseTo(Math.sqrt(9.44) / 8.6, 14);
    expect(r.sigma!.droppedUnits).toEqual([]);
  });

  it('β-convergence 2017 → 2019 with T = 2 years equals the kernel on the same numbers', () => {
    const k = betaConvergence(V2017, V2019, 2);
    expect(r.beta!.T).toBe(2);
    expect(r.beta!.tFrom).toBe('years');
    expect(r.beta!.beta).toBeCloseTo(k.beta, 14);
    expect(r.beta!.seBeta).toBeCloseTo(k.seBeta, 14);
    expect(r.beta!.codes).toEqual(codes);
  });

  it('a subset of periods and β between chosen periods', () => {
    const s = runChange(input, spec, {
      currentPeriod: '2019',
      periods: ['2019', '2017'],
      betaFrom: '2017',
      betaTo: '2019',
    });
    expect(s.periods).toEqual(['2017', '2019']);
    expect(s.consecutive).toHaveLength(1);
    const t = runChange(input, spec, { currentPeriod: '2019', betaTo: '2018' });
    expect(t.beta!.T).toBe(1);
    expect(t.beta!.beta).toBeCloseTo(betaConvergence(V2017, V2018, 1).beta, 14);
  });
});

describe('runChange: screening, missing scores and errors', () => {
  it('a unit screened out in one period is reported (not dropped silently)', () => {
    // unit C lacks y in 2018; the screen needs all indicators → C is screened out in 2018 only
    const withScreen: BuildSpec = {
      version: 1,
      steps: [{ id: 'screen', kind: 'screen', options: { by: 'byNA', dataThreshold: 1 } }, ...spec.steps],
    };
    const inp: BuildInput = {
      ...input,
      history: [
        { period: '2017', dataset: ds(V2017) },
        { period: '2018', dataset: ds(V2018, [10, 5, null, 9, 3]) },
      ],
    };
    const r = runChange(inp, withScreen, { currentPeriod: '2019' });
    expect(r.perPeriod.map((p) => p.screenedOut)).toEqual([[], ['C'], []]);
    expect(r.perPeriod[1].nUnits).toBe(4);
    expect(Number.isNaN(r.ranks.values[1][2])).toBe(true);
    // ranks in 2018 among the 4 kept units: A 10, D 9, B 5, E 3
    expect(r.ranks.values[1][3]).toBe(2);
    expect(r.consecutive[0].ranks.left).toEqual(['C']);
    expect(r.consecutive[1].ranks.entered).toEqual(['C']);
    expect(r.sigma!.droppedUnits).toEqual(['C']);
    expect(r.sigma!.periods[0].n).toBe(4);
    expect(
      r.warnings.some(
        (w) => w.code === 'W_SCREENED_OUT' && w.message.includes('period 2018') && w.message.includes('C'),
      ),
    ).toBe(true);
    // first → last both contain C
    expect(r.overall.ranks.units).toHaveLength(5);
  });

  it('a period without data for an indicator is a located error naming the period', () => {
    const inp: BuildInput = {
      ...input,
      history: [
        { period: '2017', dataset: ds(V2017, [null, null, null, null, null]) },
        { period: '2018', dataset: ds(V2018) },
      ],
    };
    try {
      runChange(inp, spec, { currentPeriod: '2019' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(CityIndexError);
      const i = (e as CityIndexError).issues[0];
      expect(i.code).toBe('E_PERIOD_NO_DATA');
      expect(i.field).toBe('period 2017');
      expect(i.indicator).toBe('y');
    }
    // leaving the period out works
    expect(runChange(inp, spec, { currentPeriod: '2019', periods: ['2018', '2019'] }).periods).toEqual([
      '2018',
      '2019',
    ]);
  });

  it('a build that fails in one period names the period', () => {
    // min–max of a constant column is a degenerate range: 2018 has x = y = 5 for everyone
    const inp: BuildInput = {
      ...input,
      history: [
        { period: '2017', dataset: ds(V2017) },
        { period: '2018', dataset: ds([5, 5, 5, 5, 5]) },
      ],
    };
    const mm: BuildSpec = {
      version: 1,
      steps: [{ id: 'normalise', kind: 'normalise', options: { method: 'minMax' } }, spec.steps[1]],
    };
    expect(() => runChange(inp, mm, { currentPeriod: '2019' })).toThrow(/period 2018/);
  });

  it('unknown periods, too few periods and bad settings are located', () => {
    expect(() => runChange(input, spec, { currentPeriod: '2019', periods: ['2017', '2020'] })).toThrow(
      /analyses\.change\.periods\[1\]/,
    );
    expect(() => runChange({ ...input, history: undefined }, spec, { currentPeriod: '2019' })).toThrow(
      /at least 2 periods/,
    );
    expect(() => runChange(input, spec, { currentPeriod: '2019', betaFrom: '2019', betaTo: '2017' })).toThrow(
      /must come before/,
    );
    expect(() => runChange(input, spec, { currentPeriod: '2019', code: 'nope' })).toThrow(/analyses\.change\.code/);
    expect(() => parseChangeConfig({ top: -1 })).toThrow(/analyses\.change\.top/);
    expect(() => parseChangeConfig({ nonsense: 1 })).toThrow(/unknown field/);
  });

  it('min–max scores: relative-score warning, β not computed because the last unit scores 0', () => {
    const mm: BuildSpec = {
      version: 1,
      steps: [{ id: 'normalise', kind: 'normalise', options: { method: 'minMax' } }, spec.steps[1]],
    };
    const r = runChange(input, mm, { currentPeriod: '2019' });
    expect(r.relativeScores).toBe(true);
    expect(r.beta).toBeNull();
    expect(r.warnings.map((w) => w.code)).toEqual(expect.arrayContaining(['W_RELATIVE_SCORES', 'W_BETA_NONPOSITIVE']));
    // ranks do not depend on the (monotone) rescaling
    expect(r.leapfroggers.map((u) => u.code)).toEqual(['E', 'D']);
  });

  it("normalise override: fixed goalposts replace the spec's normalisation", () => {
    const mm: BuildSpec = {
      version: 1,
      steps: [{ id: 'normalise', kind: 'normalise', options: { method: 'minMax' } }, spec.steps[1]],
    };
    const r = runChange(input, mm, {
      currentPeriod: '2019',
      normalise: { method: 'goalposts', lower: 0, upper: 20, scale: 100 },
    });
    expect(r.relativeScores).toBe(false);
    expect(r.spec.steps[0]).toEqual({
      id: 'normalise',
      kind: 'normalise',
      options: { method: 'goalposts', lower: 0, upper: 20, scale: 100 },
    });
    // score = 100·x/20 = 5x
    expect(Array.from(r.scores.values[0])).toEqual(V2017.map((v) => 5 * v));
    // β is scale-free in logs except through the intercept: same β as on raw values
    expect(r.beta!.beta).toBeCloseTo(betaConvergence(V2017, V2019, 2).beta, 13);
    expect(() =>
      runChange(
        input,
        { version: 1, steps: [spec.steps[1]] },
        { currentPeriod: '2019', normalise: { method: 'none' } },
      ),
    ).toThrow(/no normalise step/);
  });

  it('no period label: "current" with a warning, T counted in periods', () => {
    const r = runChange(input, spec, {});
    expect(r.periods).toEqual(['2017', '2018', 'current']);
    expect(r.beta!.T).toBe(2);
    expect(r.beta!.tFrom).toBe('periods');
    expect(r.warnings.map((w) => w.code)).toContain('W_PERIOD_LABEL');
  });

  it('the schema fills defaults and keeps year labels as text; parsed settings parse again unchanged', () => {
    const parsed = ChangeConfigSchema.parse({ periods: [2011, 2019] });
    expect(parsed).toEqual({ periods: ['2011', '2019'], top: 10, population: true, alpha: 0.05 });
    expect(parseChangeConfig(parsed)).toEqual(parsed);
    const r = runChange(input, spec, parseChangeConfig({ currentPeriod: 2019, top: 1 }));
    expect(r.leapfroggers.map((u) => u.code)).toEqual(['E']);
  });

  it('years out of order are an error (the project period must follow its history)', () => {
    expect(() => runChange(input, spec, { currentPeriod: '2016' })).toThrow(/period "2016" comes after "2018"/);
  });
});
