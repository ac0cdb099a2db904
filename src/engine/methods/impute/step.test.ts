/**
 * Impute: COINr's hand cases (tests/testthat/test-Impute.R) and the panel rule. The BGD/ConSpeed
 * reference was computed with numpy from examples/asem/ASEM_iData.csv exactly as the COINr test does:
 * min-max scale the raw Physical pillar, take BGD's row mean over its 7 available indicators, scale
 * back with ConSpeed's min and max.
 */
import { describe, expect, it } from 'vitest';
import { caught, plainUnits } from '../../test-fixtures/engine.ts';
import { fromRows, getValue, selectColumns } from '../../core/dataset.ts';
import type { Framework, Unit } from '../../core/framework.ts';
import { readAsemInput } from '../../../../tests/golden/asem-fixtures.ts';
import {
  imputeColumnByGroup,
  imputeColumnMean,
  imputeColumnMedian,
  imputeLatestColumn,
  imputeRowBlock,
  imputeStep,
} from './step.ts';

const f64 = (x: number[]): Float64Array => Float64Array.from(x);

describe('column kernels', () => {
  it('i_median on 1:10 with x[3] = NA gives median(1,2,4..10) = 6', () => {
    const x = f64([1, 2, NaN, 4, 5, 6, 7, 8, 9, 10]);
    const xi = imputeColumnMedian(x);
    expect(xi[2]).toBe(6);
    expect(Array.from(xi.filter((_, i) => i !== 2))).toEqual([1, 2, 4, 5, 6, 7, 8, 9, 10]);
    expect(Number.isNaN(x[2])).toBe(true); // input not mutated
  });

  it('i_mean fills with the mean of the available values; all-NA stays NA', () => {
    expect(Array.from(imputeColumnMean(f64([1, NaN, 2, 6])))).toEqual([1, 3, 2, 6]);
    expect(Number.isNaN(imputeColumnMean(f64([NaN, NaN]))[0])).toBe(true);
  });

  it('group mean/median: units with no group stay NA, as COINr i_mean_grp(skip_f_na = TRUE)', () => {
    const x = f64([NaN, 1, 2, 9, NaN, 10, 20, NaN]);
    const g = ['a', 'a', 'a', 'a', null, 'b', 'b', 'b'];
    const m = imputeColumnByGroup(x, g, 'mean');
    expect(m[0]).toBe(4); // (1 + 2 + 9)/3
    expect(Number.isNaN(m[4])).toBe(true);
    expect(m[7]).toBe(15);
    expect(imputeColumnByGroup(x, g, 'median')[0]).toBe(2);
    // a group with no data stays NA
    expect(Number.isNaN(imputeColumnByGroup(f64([NaN, NaN, 1]), ['a', 'a', 'b'], 'mean')[0])).toBe(true);
  });

  it('row median without normalisation equals the manual row median (COINr test-Impute.R)', () => {
    const cols = [f64([1, NaN, 3]), f64([10, 20, NaN]), f64([NaN, 5, 6]), f64([4, 8, 100])];
    const out = imputeRowBlock(cols, [1, 1, 1, 1], 'median', false);
    // row 0: median(1, 10, 4) = 4; row 1: median(20, 5, 8) = 8; row 2: median(3, 6, 100) = 6
    expect(out[2][0]).toBe(4);
    expect(out[0][1]).toBe(8);
    expect(out[1][2]).toBe(6);
  });

  it('row mean with normalise-first honours directions and scales back', () => {
    // col a (dir 1): 0, 10, 5 -> 0, 1, 0.5; col b (dir −1): −b = −100, −200, ? -> 1, 0, ?
    // unit 2: mean(0.5) = 0.5 -> back: 0.5·(−100 − (−200)) + (−200) = −150, times −1 = 150
    const out = imputeRowBlock([f64([0, 10, 5]), f64([100, 200, NaN])], [1, -1], 'mean', true);
    expect(out[1][2]).toBeCloseTo(150, 12);
  });

  it('latest: newest earlier period first, within maxLag', () => {
    const h = [
      { period: '2018', dataset: fromRows(['A', 'B'], ['x'], [[1], [2]]) },
      { period: '2019', dataset: fromRows(['A', 'B'], ['x'], [[null], [3]]) },
    ];
    const r = imputeLatestColumn(f64([NaN, NaN]), ['A', 'B'], 'x', h);
    expect(Array.from(r.values)).toEqual([1, 3]);
    expect(r.periods).toEqual(['2018', '2019']);
    const lag1 = imputeLatestColumn(f64([NaN, NaN]), ['A', 'B'], 'x', h, 1);
    expect(Number.isNaN(lag1.values[0])).toBe(true);
    expect(lag1.values[1]).toBe(3);
  });
});

describe('imputeStep on the ASEM example', () => {
  const asem = readAsemInput();
  const input = { dataset: asem.raw, framework: asem.framework, units: asem.units };

  it('row mean within pillars, normalised first: BGD ConSpeed = back-scaled row mean of the scaled Physical pillar', () => {
    const out = imputeStep(input, { method: 'rowMean', parentLevel: 2 });
    expect(getValue(out.dataset, 'BGD', 'ConSpeed')).toBeCloseTo(10.597839126577501, 10);
    // other Physical values of BGD are untouched
    expect(getValue(out.dataset, 'BGD', 'LPI')).toBe(getValue(asem.raw, 'BGD', 'LPI'));
    expect(out.diagnostics.imputed.find((c) => c.unit === 'BGD' && c.indicator === 'ConSpeed')?.method).toBe('rowMean');
  });

  it('group mean via the step equals the kernel with the unit groups (COINr coin == df)', () => {
    const out = imputeStep(input, { method: 'groupMean', group: 'Pop_group' });
    const groups = asem.units.map((u) => u.groups.Pop_group);
    const n = asem.raw.unitCodes.length;
    asem.raw.codes.forEach((c, j) => {
      expect(Array.from(out.dataset.values.subarray(j * n, (j + 1) * n))).toEqual(
        Array.from(imputeColumnByGroup(asem.raw.values.subarray(j * n, (j + 1) * n), groups, 'mean')),
      );
    });
    expect(out.diagnostics.counts.missingAfter).toBe(0);
  });

  it('default is the column mean; "none" leaves NAs and no warning, a method that leaves NAs warns', () => {
    const def = imputeStep(input);
    expect(def.diagnostics.counts).toEqual({ missingBefore: 63, imputed: 63, missingAfter: 0 });
    expect(getValue(def.dataset, 'BGD', 'ConSpeed')).toBeCloseTo(
      imputeColumnMean(selectColumns(asem.raw, ['ConSpeed']).values)[asem.raw.unitCodes.indexOf('BGD')],
      15,
    );
    expect(imputeStep(input, {} as never).diagnostics.counts.missingAfter).toBe(0);
    const none = imputeStep(input, { method: 'none' });
    expect(none.diagnostics.counts.missingAfter).toBe(63);
    expect(none.diagnostics.warnings).toEqual([]);
    const latest = imputeStep(input, { method: 'latest' });
    expect(latest.diagnostics.warnings.map((w) => w.code)).toContain('W_NO_HISTORY');
    expect(latest.diagnostics.warnings.filter((w) => w.code === 'W_NA_REMAINING').map((w) => w.indicator)).toContain(
      'ConSpeed',
    );
  });

  it('perIndicator methods', () => {
    const out = imputeStep(input, { method: 'none', perIndicator: { ConSpeed: { method: 'median' } } });
    expect(out.diagnostics.byIndicator.find((b) => b.indicator === 'ConSpeed')).toMatchObject({
      method: 'median',
      missingAfter: 0,
    });
    expect(out.diagnostics.counts.imputed).toBe(8);
  });

  it('bad options give located errors', () => {
    expect(caught(() => imputeStep(input, { method: 'knn' } as never)).issues[0]).toMatchObject({
      code: 'E_OPTION',
      field: 'method',
    });
    expect(caught(() => imputeStep(input, { method: 'groupMean', group: 'Province' })).issues[0]).toMatchObject({
      code: 'E_UNKNOWN_GROUP',
      field: 'group',
    });
    expect(caught(() => imputeStep(input, { method: 'rowMean', parentLevel: 7 })).issues[0]).toMatchObject({
      field: 'parentLevel',
    });
    expect(caught(() => imputeStep(input, { method: 'latest', maxLag: 0 })).issues[0]).toMatchObject({
      field: 'maxLag',
    });
    expect(
      caught(() => imputeStep(input, { method: 'mean', perIndicator: { Nope: { method: 'mean' } } })).issues[0],
    ).toMatchObject({ code: 'E_UNKNOWN_INDICATOR', indicator: 'Nope' });
  });
});

describe('imputeStep panel (latest)', () => {
  const fw: Framework = {
    nodes: [
      { code: 'I', name: { en: 'I' }, level: 2, parent: null, kind: 'aggregate', weight: 1, direction: 1 },
      { code: 'x', name: { en: 'x' }, level: 1, parent: 'I', kind: 'indicator', weight: 1, direction: 1 },
    ],
  };
  const units: Unit[] = plainUnits(['A', 'B', 'C']);
  it('takes the latest earlier value and records the period (COINr impute_panel "latest")', () => {
    const history = [
      { period: '2020', dataset: fromRows(['A', 'B'], ['x'], [[5], [6]]) },
      { period: '2021', dataset: fromRows(['A', 'B', 'C'], ['x'], [[7], [null], [null]]) },
    ];
    const out = imputeStep(
      { dataset: fromRows(['A', 'B', 'C'], ['x'], [[null], [null], [null]]), framework: fw, units, history },
      { method: 'latest' },
    );
    expect(Array.from(selectColumns(out.dataset, ['x']).values.subarray(0, 2))).toEqual([7, 6]);
    expect(Number.isNaN(out.dataset.values[2])).toBe(true);
    expect(out.diagnostics.imputed).toEqual([
      { unit: 'A', indicator: 'x', value: 7, method: 'latest', period: '2021' },
      { unit: 'B', indicator: 'x', value: 6, method: 'latest', period: '2020' },
    ]);
  });
});
