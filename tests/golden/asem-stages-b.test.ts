/**
 * Golden parity with COINr 1.1.14 on its default ASEM build (shared/data/coinr-asem/expected-default,
 * bundled in data/sources/coinr-asem): Normalise(Treated) == Normalised, Aggregate(Normalised) ==
 * Aggregated, ranks == Aggregated_ranks, index scores/ranks, effective weights — all to 1e-9 relative.
 */
import { describe, expect, it } from 'vitest';
import { getValue, type Dataset } from '../../src/engine/core/dataset.ts';
import { normaliseStep } from '../../src/engine/methods/normalise/step.ts';
import { aggregateStep } from '../../src/engine/methods/aggregate/step.ts';
import { effectiveWeights, ranksDataset } from '../../src/engine/pipeline/ranks.ts';
import { readAsemInput, readCoinrCsv, readCoinrTable } from './asem-fixtures.ts';

const readExpected = (name: string): Dataset => readCoinrCsv(name.replace(/\.csv$/, ''));

/** Every cell equal to 1e-9 relative (absolute near 0); NaN must match NaN. Returns the worst error. */
function expectSameDataset(actual: Dataset, expected: Dataset, tol = 1e-9): number {
  expect(actual.unitCodes).toEqual(expected.unitCodes);
  expect(actual.codes).toEqual(expected.codes);
  let worst = 0;
  const bad: string[] = [];
  const unitCount = expected.unitCodes.length;
  for (let k = 0; k < expected.values.length; k++) {
    const a = actual.values[k];
    const e = expected.values[k];
    if (Number.isNaN(e) || Number.isNaN(a)) {
      if (Number.isNaN(e) !== Number.isNaN(a)) bad.push(`cell ${k}: ${a} vs ${e}`);
      continue;
    }
    const err = Math.abs(a - e) / Math.max(1, Math.abs(e));
    worst = Math.max(worst, err);
    if (err > tol && bad.length < 10)
      bad.push(`${expected.unitCodes[k % unitCount]}/${expected.codes[Math.floor(k / unitCount)]}: ${a} vs ${e}`);
  }
  expect(bad).toEqual([]);
  return worst;
}

describe('COINr ASEM default build, stages normalise → aggregate → ranks', () => {
  const { framework, units: asemUnits } = readAsemInput();
  const treated = readExpected('Treated.csv');
  const units = () => asemUnits;
  const normalisedExpected = readExpected('Normalised.csv');
  const aggregatedExpected = readExpected('Aggregated.csv');

  it('Normalise(Treated, minMax [0, 100], directions) equals COINr Normalised', () => {
    expect(asemUnits.map((u) => u.code)).toEqual(treated.unitCodes);
    const out = normaliseStep({ dataset: treated, framework, units: units() }, { method: 'minMax', range: [0, 100] });
    expectSameDataset(out.dataset, normalisedExpected);
    expect(out.diagnostics.indicators.CO2).toEqual({
      method: { method: 'minMax', range: [0, 100] },
      direction: -1,
      source: 'global',
    });
    // default options are COINr's default
    expectSameDataset(normaliseStep({ dataset: treated, framework, units: units() }).dataset, normalisedExpected);
  });

  it('Aggregate(Normalised, arithmetic, equal weights) equals COINr Aggregated, column order included', () => {
    const out = aggregateStep(
      { dataset: normalisedExpected, framework, units: units() },
      { aggregation: { method: 'arithmetic' } },
    );
    expectSameDataset(out.dataset, aggregatedExpected);
    expect(out.dataset.codes.slice(49)).toEqual([
      'ConEcFin',
      'Environ',
      'Instit',
      'P2P',
      'Physical',
      'Political',
      'Social',
      'SusEcFin',
      'Conn',
      'Sust',
      'Index',
    ]);
    expect(out.diagnostics.levels.map((l) => l.level)).toEqual([2, 3, 4]);
  });

  it('ranks of every column equal COINr Aggregated_ranks (exact ranks, tolerance 0)', () => {
    expectSameDataset(ranksDataset(aggregatedExpected, 0), readExpected('Aggregated_ranks.csv'), 0);
  });

  it('default tie tolerance: GRC ties with CZE and BGR on TolMin (54.022988505747115 vs 54.02298850574713)', () => {
    const ranks = ranksDataset(aggregatedExpected);
    expect(getValue(aggregatedExpected, 'GRC', 'TolMin')).toBe(54.022988505747115);
    expect(getValue(aggregatedExpected, 'CZE', 'TolMin')).toBe(54.02298850574713);
    expect(['GRC', 'CZE', 'BGR'].map((u) => getValue(ranks, u, 'TolMin'))).toEqual([24, 24, 24]);
    const coinr = readExpected('Aggregated_ranks.csv');
    let differing = 0;
    for (let k = 0; k < coinr.values.length; k++) if (!Object.is(coinr.values[k], ranks.values[k])) differing++;
    expect(differing).toBe(1);
  });

  it('index scores and ranks: CHE 68.3837 rank 1 … RUS rank 51', () => {
    const agg = aggregateStep({
      dataset: normaliseStep({ dataset: treated, framework, units: units() }).dataset,
      framework,
      units: units(),
    }).dataset;
    const ranks = ranksDataset(agg);
    const expected = readCoinrTable('index_scores_ranks');
    expect(expected).toHaveLength(51);
    for (const r of expected) {
      const score = getValue(agg, r.uCode, 'Index');
      expect(Math.abs(score - Number(r.Index)) / Number(r.Index)).toBeLessThan(1e-9);
      expect(getValue(ranks, r.uCode, 'Index')).toBe(Number(r.Rank));
    }
    expect(getValue(agg, 'CHE', 'Index')).toBeCloseTo(68.3837, 4);
    expect(getValue(ranks, 'RUS', 'Index')).toBe(51);
  });

  it('effective weights equal COINr get_eff_weights', () => {
    const ew = effectiveWeights(framework);
    const expected = readCoinrTable('effective_weights');
    expect(Object.keys(ew).sort()).toEqual(expected.map((r) => r.iCode).sort());
    for (const r of expected)
      expect(Math.abs(ew[r.iCode] - Number(r.EffWeight)) / Number(r.EffWeight)).toBeLessThan(1e-9);
    // each level sums to 1
    for (const level of [1, 2, 3, 4]) {
      const s = expected.filter((r) => Number(r.Level) === level).reduce((a, r) => a + ew[r.iCode], 0);
      expect(s).toBeCloseTo(1, 12);
    }
  });
});
