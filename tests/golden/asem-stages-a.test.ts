/**
 * Golden tests, first build stages of COINr's example (`build_example_coin()`, COINr 1.1.14):
 * Denominate -> Impute(i_mean_grp by EurAsia_group) -> Screen(byNA, 0.9) -> Treat(winmax 5),
 * compared with COINr's own outputs in data/sources/coinr-asem/expected-default/ to 1e-9 relative.
 * Each stage is fed COINr's output of the previous stage, and the whole chain is also run from raw.
 */
import { describe, expect, it } from 'vitest';
import type { Dataset } from '../../src/engine/core/dataset.ts';
import type { StepInput } from '../../src/engine/pipeline/step.ts';
import { denominateStep } from '../../src/engine/methods/denominate/step.ts';
import { imputeStep } from '../../src/engine/methods/impute/step.ts';
import { screenStep } from '../../src/engine/methods/screen/step.ts';
import { treatStep } from '../../src/engine/methods/treat/step.ts';
import { readAsemInput, readCoinrCsv, readCoinrTable } from './asem-fixtures.ts';

const asem = readAsemInput();

function input(dataset: Dataset): StepInput {
  return { dataset, framework: asem.framework, units: asem.units, denominators: asem.denominators };
}

/** Same labels, same NaN positions, every value within 1e-9 relative (absolute near 0). */
function expectDatasetClose(actual: Dataset, expected: Dataset): void {
  expect(actual.unitCodes).toEqual(expected.unitCodes);
  expect(actual.codes).toEqual(expected.codes);
  const n = expected.unitCodes.length;
  const bad: string[] = [];
  for (let k = 0; k < expected.values.length; k++) {
    const a = actual.values[k];
    const e = expected.values[k];
    const where = `${expected.unitCodes[k % n]}/${expected.codes[Math.floor(k / n)]}`;
    if (Number.isNaN(e) || Number.isNaN(a)) {
      if (!(Number.isNaN(e) && Number.isNaN(a))) bad.push(`${where}: ${a} vs ${e}`);
    } else if (Math.abs(a - e) > 1e-9 * Math.max(1, Math.abs(e))) {
      bad.push(`${where}: ${a} vs ${e}`);
    }
  }
  expect(bad).toEqual([]);
}

function closeTo(a: number, e: number): boolean {
  return Math.abs(a - e) <= 1e-9 * Math.max(1, Math.abs(e));
}

const nMissing = (ds: Dataset): number => ds.values.reduce((s, v) => s + (Number.isNaN(v) ? 1 : 0), 0);

describe('COINr ASEM example, stages denominate → treat', () => {
  it('Denominate(Raw) equals Denominated.csv (63 + 2 NAs: LAO has no Energy)', () => {
    const out = denominateStep(input(asem.raw));
    expectDatasetClose(out.dataset, readCoinrCsv('Denominated'));
    expect(nMissing(asem.raw)).toBe(63);
    expect(nMissing(out.dataset)).toBe(65);
    expect(out.diagnostics.denominated.map((d) => `${d.indicator}/${d.denominator}`)).toEqual([
      'Flights/Population',
      'Bord/Area',
      'Elec/Energy',
      'Gas/Energy',
      'Goods/GDP',
      'Services/GDP',
      'FDI/GDP',
      'PRemit/GDP',
      'ForPort/GDP',
      'StMob/Population',
      'Research/GDP',
      'Pat/GDP',
      'CultServ/GDP',
      'CultGood/GDP',
      'Tourist/Population',
      'MigStock/Population',
      'NGOs/Population',
    ]);
    expect(out.diagnostics.denominated.filter((d) => d.missingDenominators > 0).map((d) => d.indicator)).toEqual([
      'Elec',
      'Gas',
    ]);
  });

  it('Impute(Denominated, group mean by EurAsia_group) equals Imputed.csv', () => {
    const out = imputeStep(input(readCoinrCsv('Denominated')), { method: 'groupMean', group: 'EurAsia_group' });
    expectDatasetClose(out.dataset, readCoinrCsv('Imputed'));
    expect(out.diagnostics.counts).toEqual({ missingBefore: 65, imputed: 65, missingAfter: 0 });
    expect(out.diagnostics.warnings).toEqual([]);
  });

  it('Screen(Imputed, byNA 0.9) equals Screened.csv (nobody removed)', () => {
    const out = screenStep(input(readCoinrCsv('Imputed')), { by: 'byNA', dataThreshold: 0.9 });
    expectDatasetClose(out.dataset, readCoinrCsv('Screened'));
    expect(out.units.map((u) => u.code)).toEqual(asem.units.map((u) => u.code));
    expect(out.diagnostics.removed).toEqual([]);
  });

  describe('Treat(Screened, winmax 5)', () => {
    const out = treatStep(input(readCoinrCsv('Screened')), { winmax: 5 });

    it('values equal Treated.csv', () => {
      expectDatasetClose(out.dataset, readCoinrCsv('Treated'));
    });

    it('details equal Treated_details.csv', () => {
      const rows = readCoinrTable('Treated_details');
      expect(out.diagnostics.indicators.map((d) => d.code)).toEqual(rows.map((r) => r.iCode));
      for (const [k, r] of rows.entries()) {
        const d = out.diagnostics.indicators[k];
        const ctx = `indicator ${r.iCode}`;
        expect(d.initial.pass, ctx).toBe(r['check_SkewKurt0.Pass'] === 'TRUE');
        expect(closeTo(d.initial.skew, Number(r['check_SkewKurt0.Skew'])), ctx).toBe(true);
        expect(closeTo(d.initial.kurt, Number(r['check_SkewKurt0.Kurt'])), ctx).toBe(true);
        if (r['winsorise.nwin'] === '') {
          expect(d.winsorised, ctx).toBeUndefined();
          expect(d.status).toBe('passed');
        } else {
          expect(d.winsorised?.nwin, ctx).toBe(Number(r['winsorise.nwin']));
          expect(d.winsorised?.check.pass, ctx).toBe(r['check_SkewKurt1.Pass'] === 'TRUE');
          expect(closeTo(d.winsorised!.check.skew, Number(r['check_SkewKurt1.Skew'])), ctx).toBe(true);
          expect(closeTo(d.winsorised!.check.kurt, Number(r['check_SkewKurt1.Kurt'])), ctx).toBe(true);
          expect(d.final).toEqual(d.winsorised!.check);
          expect(d.transform).toBeUndefined();
        }
      }
    });

    it('winsorised points equal Treated_points.csv', () => {
      const rows = readCoinrTable('Treated_points');
      const expected: string[] = [];
      for (const r of rows)
        for (const [c, v] of Object.entries(r)) if (c !== 'uCode' && v !== '') expected.push(`${c}:${r.uCode}:${v}`);
      const actual = out.diagnostics.indicators.flatMap((d) =>
        (d.winsorised?.points ?? []).map((p) => `${d.code}:${p.unit}:${p.side === 'high' ? 'winhi' : 'winlo'}`),
      );
      expect(actual.sort()).toEqual(expected.sort());
      // points record the treated values
      const femlab = out.diagnostics.indicators.find((d) => d.code === 'FemLab')!.winsorised!.points;
      expect(femlab).toHaveLength(1);
      expect(femlab[0].unit).toBe('PAK');
      expect(femlab[0].to).toBeGreaterThan(femlab[0].from);
    });

    it('summary: 15 fail, 35 points (34 high, 1 low), no log transform', () => {
      expect(out.diagnostics.summary).toEqual({
        failedInitially: 15,
        winsorisedPoints: 35,
        high: 34,
        low: 1,
        transformed: 0,
        stillFailing: 0,
        untreated: 0,
      });
      expect(out.diagnostics.warnings).toEqual([]);
    });
  });

  it('the chain from raw reproduces Treated.csv', () => {
    let ds = denominateStep(input(asem.raw)).dataset;
    ds = imputeStep(input(ds), { method: 'groupMean', group: 'EurAsia_group' }).dataset;
    const screened = screenStep(input(ds), { by: 'byNA', dataThreshold: 0.9 });
    const treated = treatStep({ ...input(screened.dataset), units: screened.units }, { winmax: 5 });
    expectDatasetClose(treated.dataset, readCoinrCsv('Treated'));
  });
});
