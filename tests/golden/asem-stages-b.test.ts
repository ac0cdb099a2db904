/**
 * Golden parity with COINr 1.1.14 on its default ASEM build (shared/data/coinr-asem/expected-default,
 * bundled in data/sources/coinr-asem): Normalise(Treated) == Normalised, Aggregate(Normalised) ==
 * Aggregated, ranks == Aggregated_ranks, index scores/ranks, effective weights — all to 1e-9 relative.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { createDataset, getValue, type Dataset } from '../../src/engine/core/dataset.ts';
import type { Framework, FrameworkNode, Unit } from '../../src/engine/core/framework.ts';
import { normaliseStep } from '../../src/engine/steps/normalise.ts';
import { aggregateStep } from '../../src/engine/steps/aggregate.ts';
import { effectiveWeights, ranksDataset } from '../../src/engine/steps/ranks.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const expectedDir = `${root}data/sources/coinr-asem/expected-default/`;

type Row = Record<string, string>;
function readCsv(path: string): Row[] {
  return parse(readFileSync(path, 'utf8'), { columns: true, skip_empty_lines: true }) as Row[];
}

/** A COINr output table (first column uCode) as a Dataset; empty field = NaN. */
function readExpected(name: string): Dataset {
  const text = readFileSync(expectedDir + name, 'utf8');
  const rows = parse(text, { skip_empty_lines: true }) as string[][];
  const header = rows[0];
  const codes = header.slice(1);
  const body = rows.slice(1);
  const units = body.map((r) => r[0]);
  const m = units.length;
  const values = new Float64Array(m * codes.length);
  body.forEach((r, i) => codes.forEach((_, j) => { values[j * m + i] = r[j + 1] === '' ? NaN : Number(r[j + 1]); }));
  return createDataset(units, codes, values);
}

/** The ASEM framework from COINr's iMeta (Indicator and Aggregate rows). */
function asemFramework(): Framework {
  const rows = readCsv(`${root}examples/asem/ASEM_iMeta.csv`).filter((r) => r.Type === 'Indicator' || r.Type === 'Aggregate');
  const nodes: FrameworkNode[] = rows.map((r) => ({
    code: r.iCode,
    name: { en: r.iName },
    level: Number(r.Level),
    parent: r.Parent === '' ? null : r.Parent,
    kind: r.Type === 'Indicator' ? 'indicator' : 'aggregate',
    weight: Number(r.Weight),
    direction: Number(r.Direction) === -1 ? -1 : 1,
    ...(r.Target !== '' ? { target: Number(r.Target) } : {}),
  }));
  return { nodes };
}

function units(ds: Dataset): Unit[] {
  return ds.unitCodes.map((code) => ({ code, name: { en: code }, groups: {}, attributes: {} }));
}

/** Every cell equal to 1e-9 relative (absolute near 0); NaN must match NaN. Returns the worst error. */
function expectSameDataset(actual: Dataset, expected: Dataset, tol = 1e-9): number {
  expect(actual.unitCodes).toEqual(expected.unitCodes);
  expect(actual.codes).toEqual(expected.codes);
  let worst = 0;
  const bad: string[] = [];
  for (let k = 0; k < expected.values.length; k++) {
    const a = actual.values[k];
    const e = expected.values[k];
    if (Number.isNaN(e) || Number.isNaN(a)) {
      if (Number.isNaN(e) !== Number.isNaN(a)) bad.push(`cell ${k}: ${a} vs ${e}`);
      continue;
    }
    const err = Math.abs(a - e) / Math.max(1, Math.abs(e));
    worst = Math.max(worst, err);
    if (err > tol && bad.length < 10) bad.push(`${expected.unitCodes[k % expected.unitCodes.length]}/${expected.codes[Math.floor(k / expected.unitCodes.length)]}: ${a} vs ${e}`);
  }
  expect(bad).toEqual([]);
  return worst;
}

describe('COINr ASEM default build, stages normalise → aggregate → ranks', () => {
  const framework = asemFramework();
  const treated = readExpected('Treated.csv');
  const normalisedExpected = readExpected('Normalised.csv');
  const aggregatedExpected = readExpected('Aggregated.csv');

  it('Normalise(Treated, minMax [0, 100], directions) equals COINr Normalised', () => {
    const out = normaliseStep({ dataset: treated, framework, units: units(treated) }, { method: 'minMax', range: [0, 100] });
    expectSameDataset(out.dataset, normalisedExpected);
    expect(out.diagnostics.indicators.CO2).toEqual({ method: { method: 'minMax', range: [0, 100] }, direction: -1, source: 'global' });
    // default options are COINr's default
    expectSameDataset(normaliseStep({ dataset: treated, framework, units: units(treated) }).dataset, normalisedExpected);
  });

  it('Aggregate(Normalised, arithmetic, equal weights) equals COINr Aggregated, column order included', () => {
    const out = aggregateStep({ dataset: normalisedExpected, framework, units: units(normalisedExpected) }, { aggregation: { method: 'arithmetic' } });
    expectSameDataset(out.dataset, aggregatedExpected);
    expect(out.dataset.codes.slice(49)).toEqual(['ConEcFin', 'Environ', 'Instit', 'P2P', 'Physical', 'Political', 'Social', 'SusEcFin', 'Conn', 'Sust', 'Index']);
    expect(out.diagnostics.levels.map((l) => l.level)).toEqual([2, 3, 4]);
  });

  it('ranks of every column equal COINr Aggregated_ranks', () => {
    expectSameDataset(ranksDataset(aggregatedExpected), readExpected('Aggregated_ranks.csv'), 0);
  });

  it('index scores and ranks: CHE 68.3837 rank 1 … RUS rank 51', () => {
    const agg = aggregateStep({ dataset: normaliseStep({ dataset: treated, framework, units: units(treated) }).dataset, framework, units: units(treated) }).dataset;
    const ranks = ranksDataset(agg);
    const expected = readCsv(`${expectedDir}index_scores_ranks.csv`);
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
    const expected = readCsv(`${expectedDir}effective_weights.csv`);
    expect(Object.keys(ew).sort()).toEqual(expected.map((r) => r.iCode).sort());
    for (const r of expected) expect(Math.abs(ew[r.iCode] - Number(r.EffWeight)) / Number(r.EffWeight)).toBeLessThan(1e-9);
    // each level sums to 1
    for (const level of [1, 2, 3, 4]) {
      const s = expected.filter((r) => Number(r.Level) === level).reduce((a, r) => a + ew[r.iCode], 0);
      expect(s).toBeCloseTo(1, 12);
    }
  });
});
