/**
 * Screen: COINr's hand cases (tests/testthat/test-Screen.R) on a 10 × 10 table: unit a has 50 %
 * data, b 90 %, c 50 % zeros, d 90 % non-zero; plus the ASEM raw data worked by hand.
 */
import { describe, expect, it } from 'vitest';
import { caught, plainUnits } from '../../test-fixtures/engine.ts';
import { createDataset } from '../../core/dataset.ts';
import type { Framework, Unit } from '../../core/framework.ts';
import { readAsemInput } from '../../../../tests/golden/asem-fixtures.ts';
import { screenDecision, screenStep, unitAvailability } from './step.ts';

const ids = 'abcdefghij'.split('');
const n = 10;
// deterministic non-zero filler (COINr uses runif)
const values = Float64Array.from({ length: n * n }, (_, k) => 0.05 + ((k * 37) % 97) / 100);
const set = (unit: number, cols: number[], v: number): void =>
  cols.forEach((j) => {
    values[j * n + unit] = v;
  });
set(0, [0, 1, 2, 3, 4], NaN); // a: 50 % available
set(1, [0], NaN); // b: 90 % available
set(2, [0, 1, 2, 3, 4], 0); // c: 50 % zeros
set(3, [0], 0); // d: 90 % non-zero
const ds = createDataset(
  ids,
  ids.map((_, j) => `V${j + 1}`),
  values,
);
const units: Unit[] = plainUnits(ids);
const fw: Framework = { nodes: [] };
const input = { dataset: ds, framework: fw, units };

describe('unitAvailability (COINr get_data_avail)', () => {
  it('counts missing and zero values per unit', () => {
    const av = unitAvailability(ds);
    expect(av.dataAvailability[0]).toBe(0.5);
    expect(av.dataAvailability[1]).toBeCloseTo(0.9, 15);
    expect(av.nonZero[0]).toBe(1); // zeros as a share of AVAILABLE values
    expect(av.nonZero[2]).toBe(0.5);
    expect(av.nonZero[3]).toBeCloseTo(0.9, 15);
  });
});

describe('screenStep (COINr Screen)', () => {
  it('byNA 0.75 removes only a', () => {
    const out = screenStep(input, { by: 'byNA', dataThreshold: 0.75 });
    expect(out.diagnostics.removed).toEqual(['a']);
    expect(out.dataset.unitCodes).toEqual(ids.slice(1));
    expect(out.units.map((u) => u.code)).toEqual(ids.slice(1));
    expect(out.dataset.values[0]).toBe(values[1]); // row b moved up
  });

  it('byNA 1 removes a and b', () => {
    expect(screenStep(input, { by: 'byNA', dataThreshold: 1 }).diagnostics.removed).toEqual(['a', 'b']);
  });

  it('byZeros 0.75 removes only c', () => {
    const out = screenStep(input, { by: 'byZeros', nonZeroThreshold: 0.75 });
    expect(out.diagnostics.removed).toEqual(['c']);
    expect(out.diagnostics.units[2]).toMatchObject({
      unit: 'c',
      nZero: 5,
      kept: false,
      reason: 'lowNonZero',
      forced: null,
    });
  });

  it('byNAandZeros combines both rules', () => {
    expect(
      screenStep(input, { by: 'byNAandZeros', dataThreshold: 0.75, nonZeroThreshold: 0.75 }).diagnostics.removed,
    ).toEqual(['a', 'c']);
  });

  it('Force overrides the rule: byNA 1 with f forced out removes a, b, f; forcing a in keeps it', () => {
    expect(
      screenStep(input, { by: 'byNA', dataThreshold: 1, force: [{ unit: 'f', include: false }] }).diagnostics.removed,
    ).toEqual(['a', 'b', 'f']);
    const out = screenStep(input, { by: 'byNA', dataThreshold: 1, force: [{ unit: 'a', include: true }] });
    expect(out.diagnostics.removed).toEqual(['b']);
    expect(out.diagnostics.units[0]).toMatchObject({ kept: true, reason: 'lowData', forced: 'include' });
  });

  it('defaults are COINr’s: byNA with 2/3 (a at 0.5 is removed)', () => {
    const out = screenStep(input);
    expect(out.diagnostics).toMatchObject({ by: 'byNA', dataThreshold: 2 / 3, nonZeroThreshold: 0.05, removed: ['a'] });
    expect(screenStep(input, { by: 'none' }).diagnostics.removed).toEqual([]);
  });

  it('a share exactly at the threshold passes', () => {
    // COINr loses it to rounding: 1 − 4/5 = 0.19999999999999996 < 0.2
    // 5 indicators; p has 1 of 5 values (share 0.2), q none; r has 1 non-zero of 5 (non-zero share 0.2)
    const five = createDataset(
      ['p', 'q', 'r'],
      ['V1', 'V2', 'V3', 'V4', 'V5'],
      Float64Array.from([1, NaN, 0, NaN, NaN, 0, NaN, NaN, 0, NaN, NaN, 0, NaN, NaN, 3]),
    );
    const inp = { dataset: five, framework: fw, units: plainUnits(['p', 'q', 'r']) };
    expect(1 - 4 / 5).toBeLessThan(0.2);
    const av = unitAvailability(five);
    expect(Array.from(av.dataAvailability)).toEqual([0.2, 0, 1]);
    expect(av.nonZero[2]).toBe(0.2);
    expect(screenStep(inp, { by: 'byNA', dataThreshold: 0.2 }).diagnostics.removed).toEqual(['q']);
    expect(screenStep(inp, { by: 'byZeros', nonZeroThreshold: 0.2 }).diagnostics.removed).toEqual(['q']);
    expect(screenStep(inp, { by: 'byZeros', nonZeroThreshold: 0.21 }).diagnostics.removed).toEqual(['q', 'r']);
    // the shares COINr computes pass too
    expect(screenDecision(1 - 4 / 5, 1, 'byNA', 0.2, 0.05).kept).toBe(true);
    expect(screenDecision(1 - 7 / 12, 1, 'byNA', 5 / 12, 0.05).kept).toBe(true);
  });

  it('screenDecision: a unit with no data fails the zero rule (NaN)', () => {
    expect(screenDecision(0, NaN, 'byZeros', 0.5, 0.05)).toEqual({ kept: false, reason: 'lowNonZero' });
  });

  it('ASEM raw data, byNA 0.9: units with more than 4 of 49 values missing go (counted in ASEM_iData.csv)', () => {
    // missing counts: BGD 6, BRN 10, KHM 6, LAO 8, MMR 8 (> 4.9); VNM 4 stays (1 − 4/49 = 0.918)
    const asem = readAsemInput();
    const out = screenStep(
      { dataset: asem.raw, framework: asem.framework, units: asem.units },
      { by: 'byNA', dataThreshold: 0.9 },
    );
    expect(out.diagnostics.removed).toEqual(['BGD', 'BRN', 'KHM', 'LAO', 'MMR']);
    expect(out.dataset.unitCodes.length).toBe(46);
    expect(out.diagnostics.units.find((u) => u.unit === 'VNM')?.dataAvailability).toBeCloseTo(45 / 49, 15);
  });

  it('bad options give located errors', () => {
    expect(caught(() => screenStep(input, { by: 'byNAs' as never })).issues[0]).toMatchObject({
      code: 'E_OPTION',
      field: 'by',
    });
    expect(caught(() => screenStep(input, { dataThreshold: 1.5 })).issues[0]).toMatchObject({
      code: 'E_OPTION',
      field: 'dataThreshold',
    });
    expect(caught(() => screenStep(input, { nonZeroThreshold: -0.1 })).issues[0]).toMatchObject({
      field: 'nonZeroThreshold',
    });
    expect(caught(() => screenStep(input, { force: [{ unit: 'zz', include: false }] })).issues[0]).toMatchObject({
      code: 'E_UNKNOWN_UNIT',
      unit: 'zz',
      field: 'force[0].unit',
    });
  });
});
