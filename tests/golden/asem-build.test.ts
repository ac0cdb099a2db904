/**
 * End to end: `examples/asem` (COINr's iData/iMeta as shipped) loaded from disk and built with the
 * project's spec reproduces every file of COINr 1.1.14's default build to 1e-9 relative; builds are
 * bit-identical; regenerate reuses unchanged steps; lineage sums to the score.
 */
import { describe, expect, it, beforeAll } from 'vitest';
import { loadProject, type LoadedProject } from '../../src/formats/project.ts';
import { build, regenerate, stepDataset, type Build } from '../../src/engine/pipeline/build.ts';
import { explainScore } from '../../src/engine/pipeline/lineage.ts';
import { column, getValue, type Dataset } from '../../src/engine/core/dataset.ts';
import { readCoinrCsv, readCoinrTable } from './asem-fixtures.ts';
import { fingerprint } from '../../src/formats/results.ts';
import type { BuildSpec } from '../../src/engine/spec/spec.ts';

function expectDatasetClose(actual: Dataset, expected: Dataset, label: string): void {
  expect(actual.unitCodes, `${label} units`).toEqual(expected.unitCodes);
  for (const code of expected.codes) {
    const a = column(actual, code);
    const e = column(expected, code);
    for (let i = 0; i < e.length; i++) {
      if (Number.isNaN(e[i])) {
        expect(a[i], `${label} ${code} ${expected.unitCodes[i]}`).toBeNaN();
        continue;
      }
      const tol = 1e-9 * Math.max(1, Math.abs(e[i]));
      if (Math.abs(a[i] - e[i]) > tol)
        throw new Error(`${label}: ${code} for ${expected.unitCodes[i]} = ${a[i]}, COINr ${e[i]}`);
    }
  }
}

let project: LoadedProject;
let b: Build;
beforeAll(async () => {
  project = await loadProject('examples/asem');
  b = build(project.input, project.spec);
});

describe('examples/asem reproduces COINr expected-default', () => {
  it('reads iData/iMeta as shipped: 51 units, 49 indicators, 4 denominators, units sorted by uCode', () => {
    expect(project.input.units).toHaveLength(51);
    expect(project.input.raw.codes).toHaveLength(49);
    expect(project.input.denominators!.codes).toEqual(['Area', 'Energy', 'GDP', 'Population']);
    expect(b.raw.unitCodes).toEqual([...b.raw.unitCodes].sort());
  });

  it.each([
    ['raw', 'Raw'],
    ['denominate', 'Denominated'],
    ['impute', 'Imputed'],
    ['screen', 'Screened'],
    ['treat', 'Treated'],
    ['normalise', 'Normalised'],
    ['aggregate', 'Aggregated'],
  ])('stage %s equals %s.csv', (step, file) => {
    const expected = readCoinrCsv(file);
    const actual = stepDataset(b, step);
    expect(actual.codes).toEqual(expected.codes);
    expectDatasetClose(actual, expected, file);
  });

  it('ranks at every level equal Aggregated_ranks.csv with tieTolerance 0 (exact, as R rank)', () => {
    const exact = regenerate(b, { ...structuredClone(project.spec), tieTolerance: 0 });
    expectDatasetClose(exact.results.ranks, readCoinrCsv('Aggregated_ranks'), 'ranks');
  });

  it('default ranks differ from COINr only where COINr ranks floating-point noise: GRC on TolMin', () => {
    // Raw TolMin is 5.1000000000000005 for GRC and 5.1 for CZE and BGR (as shipped), so COINr ranks
    // GRC 26th behind two units tied at 24th; with the default tie tolerance the three tie at 24.
    const coinr = readCoinrCsv('Aggregated_ranks');
    const { tieTolerance: _exact, ...defaultSpec } = structuredClone(project.spec); // examples/asem asks for exact ties
    const ranks = regenerate(b, defaultSpec).results.ranks;
    const diffs: string[] = [];
    for (const code of coinr.codes) {
      const a = column(ranks, code);
      const e = column(coinr, code);
      e.forEach((v, i) => {
        if (!Object.is(v, a[i])) diffs.push(`${coinr.unitCodes[i]}/${code}: ${a[i]} (COINr ${v})`);
      });
    }
    expect(diffs).toEqual(['GRC/TolMin: 24 (COINr 26)']);
    expect(getValue(b.raw, 'GRC', 'TolMin')).toBe(5.1000000000000005);
    expect(getValue(b.raw, 'CZE', 'TolMin')).toBe(5.1);
  });

  it('index scores and ranks equal index_scores_ranks.csv (CHE 68.3837 first, RUS last)', () => {
    const rows = readCoinrTable('index_scores_ranks');
    for (const r of rows) {
      expect(getValue(b.results.scores, r.uCode, 'Index')).toBeCloseTo(Number(r.Index), 9);
      expect(getValue(b.results.ranks, r.uCode, 'Index')).toBe(Number(r.Rank));
    }
    expect(getValue(b.results.scores, 'CHE', 'Index')).toBeCloseTo(68.3837, 4);
  });

  it('effective weights equal effective_weights.csv', () => {
    for (const r of readCoinrTable('effective_weights')) {
      expect(b.results.effectiveWeights[r.iCode]).toBeCloseTo(Number(r.EffWeight), 12);
    }
  });
});

describe('reproducibility and regeneration', () => {
  it('the same spec and data give bit-identical results', () => {
    const again = build(project.input, project.spec);
    expect(fingerprint(again.results.scores.values)).toBe(fingerprint(b.results.scores.values));
    expect(Buffer.from(again.results.scores.values.buffer).equals(Buffer.from(b.results.scores.values.buffer))).toBe(
      true,
    );
    for (let k = 0; k < b.steps.length; k++) expect(again.steps[k].diagnostics).toEqual(b.steps[k].diagnostics);
  });

  it('regenerate with an unchanged spec reuses every step and reproduces the build', () => {
    const r = regenerate(b, structuredClone(project.spec));
    r.steps.forEach((s, k) => expect(s).toBe(b.steps[k]));
    expect(fingerprint(r.results.scores.values)).toBe(fingerprint(b.results.scores.values));
  });

  it('regenerate from a changed normalisation reuses the steps before it and equals a fresh build', () => {
    const spec: BuildSpec = structuredClone(project.spec);
    const k = spec.steps.findIndex((s) => s.kind === 'normalise');
    spec.steps[k] = { id: 'normalise', kind: 'normalise', options: { method: 'zScore', mean: 10, sd: 1 } };
    const r = regenerate(b, spec);
    for (let j = 0; j < k; j++) expect(r.steps[j]).toBe(b.steps[j]);
    expect(r.steps[k]).not.toBe(b.steps[k]);
    const fresh = build(project.input, spec);
    expect(fingerprint(r.results.scores.values)).toBe(fingerprint(fresh.results.scores.values));
    expect(fingerprint(r.results.scores.values)).not.toBe(fingerprint(b.results.scores.values));
  });
});

describe('lineage', () => {
  it('indicator contributions sum to the index score and trace back to raw values', () => {
    const ex = explainScore(b, 'CHE');
    expect(ex.additive).toBe(true);
    expect(ex.rank).toBe(1);
    const sum = ex.indicators.reduce((s, i) => s + i.contribution, 0);
    expect(sum).toBeCloseTo(ex.score, 10);
    expect(ex.indicators.reduce((s, i) => s + i.share, 0)).toBeCloseTo(1, 12);
    const flights = ex.indicators.find((i) => i.code === 'Flights')!;
    expect(flights.raw).toBe(getValue(b.raw, 'CHE', 'Flights'));
    expect(flights.stages.map((s) => s.step)).toEqual([
      'denominate',
      'impute',
      'screen',
      'treat',
      'normalise',
      'aggregate',
    ]);
  });
});
