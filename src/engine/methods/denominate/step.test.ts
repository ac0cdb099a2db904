/**
 * Denominate: COINr's hand cases (tests/testthat/test-Denominate.R): Goods/GDP and
 * Flights/Population·1000 (ScaleFactor 1000) on the ASEM data, LPI untouched; plus errors.
 */
import { describe, expect, it } from 'vitest';
import { caught, fwNode } from '../../test-fixtures/engine.ts';
import { createDataset, fromRows, getValue, selectColumns } from '../../core/dataset.ts';
import type { Framework, FrameworkNode } from '../../core/framework.ts';
import { readAsemInput } from '../../../../tests/golden/asem-fixtures.ts';
import { denominateColumn, denominateStep } from './step.ts';

describe('denominateColumn', () => {
  it('x / (d / scaleFactor), NaN and zero denominators give NaN', () => {
    const out = denominateColumn([10, 20, 5, NaN], [2000, 4000, NaN, 1], 1000);
    expect(out[0]).toBe(5);
    expect(out[1]).toBe(5);
    expect(Number.isNaN(out[2])).toBe(true);
    expect(Number.isNaN(out[3])).toBe(true);
    expect(Number.isNaN(denominateColumn([1], [0])[0])).toBe(true);
  });
});

describe('denominateStep (COINr Denominate)', () => {
  const asem = readAsemInput();
  const data = selectColumns(asem.raw, ['Goods', 'Flights', 'LPI']);
  const node = (code: string, extra: Partial<FrameworkNode> = {}): FrameworkNode => fwNode(code, 1, 'I', extra);
  const fw: Framework = {
    nodes: [
      { code: 'I', name: { en: 'I' }, level: 2, parent: null, kind: 'aggregate', weight: 1, direction: 1 },
      node('Goods', { denominator: 'GDP' }),
      node('Flights', { denominator: 'Population', scaleFactor: 1000 }),
      node('LPI'),
    ],
  };
  const input = { dataset: data, framework: fw, units: asem.units, denominators: asem.denominators };

  it('Goods/GDP, Flights/Population·1000, LPI unchanged', () => {
    const out = denominateStep(input);
    for (const u of data.unitCodes) {
      expect(getValue(out.dataset, u, 'Goods')).toBeCloseTo(
        getValue(data, u, 'Goods') / getValue(asem.denominators, u, 'GDP'),
        12,
      );
      expect(
        getValue(out.dataset, u, 'Flights') /
          ((getValue(data, u, 'Flights') / getValue(asem.denominators, u, 'Population')) * 1000),
      ).toBeCloseTo(1, 14);
      expect(getValue(out.dataset, u, 'LPI')).toBe(getValue(data, u, 'LPI'));
    }
    expect(out.diagnostics.denominated).toEqual([
      { indicator: 'Goods', denominator: 'GDP', scaleFactor: 1, zeroDenominators: 0, missingDenominators: 0 },
      {
        indicator: 'Flights',
        denominator: 'Population',
        scaleFactor: 1000,
        zeroDenominators: 0,
        missingDenominators: 0,
      },
    ]);
    expect(out.diagnostics.unchanged).toEqual(['LPI']);
  });

  it('units are matched by code, not by row', () => {
    const shuffled = createDataset(
      [...asem.denominators.unitCodes].reverse(),
      asem.denominators.codes,
      (() => {
        const m = asem.denominators.unitCodes.length;
        const v = new Float64Array(asem.denominators.values.length);
        for (let j = 0; j < asem.denominators.codes.length; j++)
          for (let i = 0; i < m; i++) v[j * m + i] = asem.denominators.values[j * m + (m - 1 - i)];
        return v;
      })(),
    );
    const a = denominateStep(input).dataset;
    const b = denominateStep({ ...input, denominators: shuffled }).dataset;
    expect(Array.from(b.values)).toEqual(Array.from(a.values));
  });

  it('perIndicator overrides: another denominator, or none', () => {
    const out = denominateStep(input, {
      perIndicator: { Goods: { denominator: null }, LPI: { denominator: 'Area', scaleFactor: 2 } },
    });
    expect(getValue(out.dataset, 'AUT', 'Goods')).toBe(getValue(data, 'AUT', 'Goods'));
    expect(getValue(out.dataset, 'AUT', 'LPI')).toBeCloseTo(getValue(data, 'AUT', 'LPI') / (83871 / 2), 15);
    // an override without scaleFactor uses 1 (as a COINr denomby row), not the framework's 1000
    const o2 = denominateStep(input, { perIndicator: { Flights: { denominator: 'Population' } } });
    expect(getValue(o2.dataset, 'AUT', 'Flights')).toBe(
      getValue(data, 'AUT', 'Flights') / getValue(asem.denominators, 'AUT', 'Population'),
    );
  });

  it('a zero denominator gives NaN and a located warning', () => {
    const den = fromRows(['A', 'B'], ['Pop'], [[0], [10]]);
    const f: Framework = { nodes: [fw.nodes[0], node('x', { denominator: 'Pop' })] };
    const out = denominateStep({
      dataset: fromRows(['A', 'B'], ['x'], [[1], [5]]),
      framework: f,
      units: [],
      denominators: den,
    });
    expect(Number.isNaN(out.dataset.values[0])).toBe(true);
    expect(out.dataset.values[1]).toBe(0.5);
    expect(out.diagnostics.warnings[0]).toMatchObject({ code: 'W_DENOMINATOR_ZERO', unit: 'A', indicator: 'x' });
  });

  it('bad options give located errors', () => {
    expect(
      caught(() => denominateStep(input, { perIndicator: { Nope: { denominator: 'GDP' } } })).issues[0],
    ).toMatchObject({ code: 'E_UNKNOWN_INDICATOR', indicator: 'Nope', field: 'perIndicator.Nope' });
    expect(
      caught(() => denominateStep(input, { perIndicator: { LPI: { denominator: 'Households' } } })).issues[0],
    ).toMatchObject({ code: 'E_UNKNOWN_DENOMINATOR', indicator: 'LPI' });
    expect(
      caught(() => denominateStep(input, { perIndicator: { LPI: { denominator: 'GDP', scaleFactor: 0 } } })).issues[0],
    ).toMatchObject({ code: 'E_OPTION', field: 'perIndicator.LPI.scaleFactor' });
    expect(caught(() => denominateStep({ ...input, denominators: undefined })).issues.map((i) => i.code)).toEqual([
      'E_NO_DENOMINATORS',
      'E_NO_DENOMINATORS',
    ]);
    const partial = selectColumns(asem.denominators, ['GDP', 'Population']);
    const missingUnit = { ...partial, unitCodes: partial.unitCodes.map((u) => (u === 'AUT' ? 'XXX' : u)) };
    expect(caught(() => denominateStep({ ...input, denominators: missingUnit })).issues[0]).toMatchObject({
      code: 'E_UNKNOWN_UNIT',
      unit: 'AUT',
    });
  });
});
