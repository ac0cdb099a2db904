/**
 * The impute step on the ASEM example and on a panel; each column or row kernel's hand cases from COINr
 * (tests/testthat/test-Impute.R) sit beside the kernel (mean.test.ts, row.test.ts, …). The BGD/ConSpeed
 * reference was computed with numpy from examples/asem/ASEM_iData.csv exactly as the COINr test does:
 * min-max scale the raw Physical pillar, take BGD's row mean over its 7 available indicators, scale
 * back with ConSpeed's min and max.
 */
import { describe, expect, it } from 'vitest';
import { caught, plainUnits } from '../../test-fixtures/engine.ts';
import { fromRows, getValue, selectColumns } from '../../core/dataset.ts';
import type { Framework, Unit } from '../../core/framework.ts';
import { readAsemInput } from '../../../../tests/golden/asem-fixtures.ts';
import { imputeColumnByGroup, imputeColumnMean, imputeStep } from './step.ts';

describe('imputeStep on the ASEM example', () => {
  const asem = readAsemInput();
  const input = { dataset: asem.raw, framework: asem.framework, units: asem.units };

  it('row mean by pillar, normalised first: BGD ConSpeed = back-scaled row mean of the scaled Physical pillar', () => {
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
