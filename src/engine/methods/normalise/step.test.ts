// The normalise step (dispatch, directions, framework targets and goalposts, located errors). Reference
// values: COINr 1.1.14 tests/testthat/test-normalise.R (hand formulas there), worked by hand below.
// Each column kernel's tests sit beside it (min-max.test.ts, z-score.test.ts, …).
import { describe, expect, it } from 'vitest';
import { CityIndexError } from '../../core/errors.ts';
import { column, fromRows, type Dataset } from '../../core/dataset.ts';
import type { Framework, FrameworkNode } from '../../core/framework.ts';
import type { NormaliseOptions } from '../../spec/spec.ts';
import { normaliseStep } from './step.ts';

const x10 = Float64Array.from({ length: 10 }, (_, i) => i + 1); // 1:10
const xr = [0.31, 0.72, 0.05, 0.94, 0.5, 0.18, 0.66, 0.27, 0.83, 0.41]; // fixed stand-in for runif(10)

function ind(code: string, extra: Partial<FrameworkNode> = {}): FrameworkNode {
  return { code, name: { en: code }, level: 1, parent: 'Index', kind: 'indicator', weight: 1, direction: 1, ...extra };
}
function fw(...inds: FrameworkNode[]): Framework {
  return {
    nodes: [
      ...inds,
      { code: 'Index', name: { en: 'Index' }, level: 2, parent: null, kind: 'aggregate', weight: 1, direction: 1 },
    ],
  };
}
function ds(cols: Record<string, number[]>): Dataset {
  const codes = Object.keys(cols);
  const m = cols[codes[0]].length;
  const units = Array.from({ length: m }, (_, i) => `U${i + 1}`);
  return fromRows(
    units,
    codes,
    units.map((_, i) => codes.map((c) => cols[c][i])),
  );
}
function run(data: Dataset, framework: Framework, options?: NormaliseOptions) {
  return normaliseStep({ dataset: data, framework, units: [] }, options);
}
const arr = (a: ArrayLike<number>) => Array.from(a);

describe('normaliseStep', () => {
  it('defaults to min–max [0, 100] (COINr default)', () => {
    const out = run(ds({ v1: xr, v2: arr(x10) }), fw(ind('v1'), ind('v2')));
    for (const c of ['v1', 'v2']) {
      expect(Math.min(...column(out.dataset, c))).toBe(0);
      expect(Math.max(...column(out.dataset, c))).toBe(100);
    }
    expect(out.diagnostics.indicators.v1).toEqual({
      method: { method: 'minMax', range: [0, 100] },
      direction: 1,
      source: 'global',
    });
  });

  it('perIndicator overrides: v1 minMax [1, 10], v2 borda -> 0:9', () => {
    const out = run(ds({ v1: xr, v2: xr.map((v) => v * 3) }), fw(ind('v1'), ind('v2')), {
      method: 'minMax',
      perIndicator: { v1: { method: 'minMax', range: [1, 10] }, v2: { method: 'borda' } },
    });
    expect(Math.min(...column(out.dataset, 'v1'))).toBe(1);
    expect(Math.max(...column(out.dataset, 'v1'))).toBe(10);
    expect(arr(column(out.dataset, 'v2')).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(out.diagnostics.indicators.v2.source).toBe('perIndicator');
  });

  it('direction −1 reverses: the smallest value gets 100, the largest 0', () => {
    const out = run(ds({ v1: xr, v2: xr }), fw(ind('v1', { direction: -1 }), ind('v2')));
    const i0 = xr.indexOf(Math.min(...xr));
    const i1 = xr.indexOf(Math.max(...xr));
    expect(column(out.dataset, 'v1')[i0]).toBe(100);
    expect(column(out.dataset, 'v1')[i1]).toBe(0);
    expect(column(out.dataset, 'v2')[i0]).toBe(0);
    expect(column(out.dataset, 'v2')[i1]).toBe(100);
  });

  it('distanceToTarget takes the framework target, flipped with the direction (COINr use_iMeta)', () => {
    // COINr "dist2targ": x = c(-1, 1, 10), targ 0, direction -1 -> (max − x)/(max − targ) = c(1.1, 0.9, 0)
    const data = ds({ neg: [-1, 1, 10], pos: [0, 5, 11] });
    const framework = fw(ind('neg', { direction: -1, target: 0 }), ind('pos', { target: 10 }));
    const out = run(data, framework, { method: 'distanceToTarget' });
    arr(column(out.dataset, 'neg')).forEach((v, i) => expect(v).toBeCloseTo([1.1, 0.9, 0][i], 14));
    expect(arr(column(out.dataset, 'pos'))).toEqual([0, 0.5, 1.1]);
    const capped = run(data, framework, { method: 'distanceToTarget', cap: true });
    arr(column(capped.dataset, 'neg')).forEach((v, i) => expect(v).toBeCloseTo([1, 0.9, 0][i], 14));
    expect(capped.diagnostics.indicators.neg.method).toEqual({
      method: 'distanceToTarget',
      target: 0,
      cap: true,
      scale: 1,
    });
  });

  it('goalposts with direction −1: COINr cases 0.9 / 1 / 0', () => {
    // n_goalposts(1, c(0,10,1), direction = -1) = 0.9; -1 -> 1; 11 -> 0
    const out = run(
      ds({ g: [1, -1, 11], h: [1, -1, 11] }),
      fw(
        ind('g', { direction: -1, goalposts: { lower: 0, upper: 10 } }),
        ind('h', { goalposts: { lower: 0, upper: 10 } }),
      ),
      { method: 'goalposts' },
    );
    arr(column(out.dataset, 'g')).forEach((v, i) => expect(v).toBeCloseTo([0.9, 1, 0][i], 14));
    arr(column(out.dataset, 'h')).forEach((v, i) => expect(v).toBeCloseTo([0.1, 0, 1][i], 14));
  });

  it('scaled bounds are in the indicator units and flip with direction −1: (u − x)/(u − l)·100', () => {
    const out = run(ds({ s: [1, 5.5, 10] }), fw(ind('s', { direction: -1 })), {
      method: 'scaled',
      lower: 1,
      upper: 10,
    });
    arr(column(out.dataset, 's')).forEach((v, i) => expect(v).toBeCloseTo([100, 50, 0][i], 12));
  });

  it('distanceToReference by unit code', () => {
    const out = run(ds({ r: [1, 3, 5] }), fw(ind('r')), { method: 'distanceToReference', reference: 'U2', cap: true });
    expect(arr(column(out.dataset, 'r'))).toEqual([0, 1, 1]); // 1 − (3 − x)/(3 − 1), capped
  });

  it('a reference unit screened out earlier is an error naming the indicator, not NaN', () => {
    let err: unknown;
    try {
      run(ds({ r: [1, 3, 5] }), fw(ind('r')), { method: 'distanceToReference', reference: 'U9' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CityIndexError);
    expect((err as CityIndexError).issues[0]).toMatchObject({ code: 'E_NORMALISE', indicator: 'r' });
    expect((err as CityIndexError).issues[0].message).toMatch(
      /reference unit "U9" is not in the dataset \(screened out/,
    );
  });

  it('zero range is one error naming every offending indicator (never silent NaN)', () => {
    const data = ds({ ok: [1, 2, 3], flat: [4, 4, 4], flat2: [0, 0, NaN] });
    let err: unknown;
    try {
      run(data, fw(ind('ok'), ind('flat'), ind('flat2')));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CityIndexError);
    const issues = (err as CityIndexError).issues;
    expect(issues.map((i) => i.indicator)).toEqual(['flat', 'flat2']);
    expect(issues[0].message).toMatch(/range of the column is 0/);
  });

  it('a missing target or goalposts is an error naming the indicator', () => {
    expect(() => run(ds({ a: [1, 2] }), fw(ind('a')), { method: 'distanceToTarget' })).toThrow(/needs a target/);
    expect(() => run(ds({ a: [1, 2] }), fw(ind('a')), { method: 'goalposts' })).toThrow(CityIndexError);
  });

  it('does not mutate its input', () => {
    const data = ds({ a: [3, 1, 2] });
    const copy = data.values.slice();
    run(data, fw(ind('a', { direction: -1 })), { method: 'zScore' });
    expect(arr(data.values)).toEqual(arr(copy));
  });
});

describe('normaliseStep: a column with no values', () => {
  it('stays missing with one W_EMPTY_COLUMN warning (min–max and other methods); other columns are normalised', () => {
    const data = ds({ a: [1, 2, 3], e: [NaN, NaN, NaN] });
    for (const options of [{ method: 'minMax' }, { method: 'zScore' }] as NormaliseOptions[]) {
      const r = run(data, fw(ind('a', { direction: -1 }), ind('e')), options);
      expect(Array.from(column(r.dataset, 'e'))).toEqual([NaN, NaN, NaN]);
      expect(r.diagnostics.warnings.map((w) => [w.code, w.indicator])).toEqual([['W_EMPTY_COLUMN', 'e']]);
      // direction −1: min–max of (−1, −2, −3) → 100, 50, 0; z-scores of (−1, −2, −3) → 1, 0, −1
      expect(Array.from(column(r.dataset, 'a'))).toEqual(options.method === 'minMax' ? [100, 50, 0] : [1, 0, -1]);
    }
  });
});
