/**
 * Treat: COINr's own hand cases (tests/testthat/test-treat.R) plus edge cases. Reference skew/kurtosis
 * values from scipy.stats.skew/kurtosis(bias=False) (= COINr skew/kurt); winsorisation sequences were
 * worked with a direct Python transcription of COINr `winsorise()`.
 */
import { describe, expect, it } from 'vitest';
import { caught, plainUnits } from '../../test-fixtures/engine.ts';
import { CityIndexError } from '../../core/errors.ts';
import { fromRows, type Dataset } from '../../core/dataset.ts';
import type { Framework } from '../../core/framework.ts';
import {
  boxcox,
  checkSkewKurt,
  logCT,
  logCTOrig,
  logCTPlus,
  logNatural,
  treatColumn,
  treatStep,
  winsorise,
} from './step.ts';

const range = (a: number, b: number): number[] => Array.from({ length: b - a + 1 }, (_, i) => a + i);
const f64 = (x: number[]): Float64Array => Float64Array.from(x);

describe('checkSkewKurt (COINr check_SkewKurt)', () => {
  it('c(1:10, 100) fails: skew 3.2556, kurt 10.7067 (scipy bias=False)', () => {
    const c = checkSkewKurt(f64([...range(1, 10), 100]));
    expect(c.pass).toBe(false);
    expect(c.skew).toBeCloseTo(3.2556381840605098, 12);
    expect(c.kurt).toBeCloseTo(10.706673906421974, 12);
  });

  it('passes when either criterion passes (OR rule)', () => {
    // [1..20, 100, 100]: skew 2.817 ≥ 2 and kurt 7.13 ≥ 3.5 -> fail; [1..10, 100, 100]: skew 2.03 but kurt 2.58 -> pass
    expect(checkSkewKurt(f64([...range(1, 20), 100, 100])).pass).toBe(false);
    const c = checkSkewKurt(f64([...range(1, 10), 100, 100]));
    expect(c.skew).toBeCloseTo(2.029793190177469, 12);
    expect(c.pass).toBe(true);
  });

  it('NA semantics: undefined when neither side is TRUE and one is NA; TRUE | NA is TRUE', () => {
    expect(checkSkewKurt(f64([5, 5, 5, 5])).pass).toBeNull(); // zero variance: 0/0
    expect(checkSkewKurt(f64([1, 2, NaN])).pass).toBeNull(); // 2 values: no skew, no kurt
    const three = checkSkewKurt(f64([1, 2, 10])); // kurt needs 4 values, but |skew| < 2
    expect(Number.isNaN(three.kurt)).toBe(true);
    expect(three.pass).toBe(true);
  });
});

describe('winsorise (COINr winsorise)', () => {
  it('c(1:10, 100): 100 becomes 10 and the column passes (COINr test-treat.R)', () => {
    const x = f64([...range(1, 10), 100]);
    const w = winsorise(x, { winmax: 5 });
    expect(Array.from(w.values)).toEqual([...range(1, 10), 10]);
    expect(w.nwin).toBe(1);
    expect(w.high).toEqual([10]);
    expect(checkSkewKurt(w.values).pass).toBe(true);
    expect(x[10]).toBe(100); // input not mutated
  });

  it('c(1:20, 100, 200) with winmax 1 still fails (COINr test-treat.R)', () => {
    const w = winsorise(f64([...range(1, 20), 100, 200]), { winmax: 1 });
    expect(w.nwin).toBe(1);
    expect(w.values[21]).toBe(100);
    const c = checkSkewKurt(w.values);
    expect(c.pass).toBe(false);
    expect(c.skew).toBeCloseTo(2.816999617055154, 12);
  });

  it('ties move together and count individually, so nwin can pass winmax', () => {
    // [1..20, 100, 100] fails; one step moves both 100s to 20: nwin 2 > winmax 1
    const w = winsorise(f64([...range(1, 20), 100, 100]), { winmax: 1 });
    expect(w.nwin).toBe(2);
    expect(w.high).toEqual([20, 21]);
    expect(w.values[20]).toBe(20);
    expect(w.values[21]).toBe(20);
  });

  it('winmax null is unlimited', () => {
    // 1..60 plus 1000·2^i, i = 0..6: needs 7 points to pass
    const x = f64([...range(1, 60), ...range(0, 6).map((i) => 1000 * 2 ** i)]);
    const unlimited = winsorise(x, { winmax: null });
    expect(unlimited.nwin).toBe(7);
    expect(checkSkewKurt(unlimited.values).pass).toBe(true);
    const capped = winsorise(x, { winmax: 5 });
    expect(capped.nwin).toBe(5);
    expect(checkSkewKurt(capped.values).pass).toBe(false);
  });

  it('forceWinsorise with winmax 3 winsorises exactly 3 points (COINr test-treat.R)', () => {
    // 200->100; (100,100)->20 (passes now, but forced); skew < 0 so 1->2: high {20,21}, low {0}
    const w = winsorise(f64([...range(1, 20), 100, 200]), { winmax: 3, forceWinsorise: true });
    expect(w.nwin).toBe(3);
    expect(w.high).toEqual([20, 21]);
    expect(w.low).toEqual([0]);
    expect(w.values[0]).toBe(2);
    expect(w.values[21]).toBe(20);
  });

  it('skips NaN values and keeps them', () => {
    const w = winsorise(f64([NaN, ...range(1, 10), 100]));
    expect(Number.isNaN(w.values[0])).toBe(true);
    expect(w.values[11]).toBe(10);
  });
});

describe('transforms', () => {
  it('log_CT = log(x − min + 0.01·(max − min))', () => {
    const y = logCT(f64([1, 2, 11]));
    expect(y[0]).toBeCloseTo(Math.log(0.1), 14);
    expect(y[2]).toBeCloseTo(Math.log(10.1), 14);
  });
  it('log_CT_plus mirrors for negative skew, log_CT_orig, boxcox, log', () => {
    expect(logCTPlus(f64([1, 10, 11]))[0]).toBeCloseTo(-Math.log(10.1), 14); // skew < 0: −log(max + a − x)
    expect(logCTPlus(f64([1, 2, 11]))[2]).toBeCloseTo(Math.log(10.1), 14); // skew > 0: as log_CT
    expect(logCTOrig(f64([3, 5]))[1]).toBeCloseTo(Math.log(3), 14);
    expect(Array.from(boxcox(f64([0, 1]), 2))).toEqual([0, 1.5]); // shifted to 1, 2: (1−1)/2, (4−1)/2
    expect(boxcox(f64([0, 1]), 0)[1]).toBeCloseTo(Math.log(2), 14);
    expect(() => logNatural(f64([1, 0]))).toThrow(CityIndexError);
  });
});

describe('treatColumn (COINr Treat.numeric)', () => {
  const x2 = [...range(1, 20), 100, 200];

  it('a passing column is untouched', () => {
    const r = treatColumn(f64(range(1, 10)));
    expect(r.details.status).toBe('passed');
    expect(Array.from(r.values)).toEqual(range(1, 10));
  });

  it('winmax 1 then fallback "log": the output equals log(x) (COINr test-treat.R)', () => {
    const r = treatColumn(f64(x2), { winmax: 1, fallback: 'log' });
    expect(Array.from(r.values)).toEqual(x2.map(Math.log));
    expect(r.details.stage1?.check.pass).toBe(false);
    expect(r.details.transform?.name).toBe('log');
    expect(r.details.final.pass).toBe(true);
  });

  it('default fallback log_CT works on the ORIGINAL column, not the winsorised one', () => {
    const r = treatColumn(f64(x2), { winmax: 1 });
    const expected = x2.map((v) => Math.log(v - 1 + 0.01 * 199));
    r.values.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 14));
    expect(r.details.status).toBe('transformed');
    expect(r.details.final.skew).toBeCloseTo(0.969498407383866, 12);
  });

  it('fallback none keeps the winsorised column even if it fails', () => {
    const r = treatColumn(f64(x2), { winmax: 1, fallback: 'none' });
    expect(r.details.status).toBe('stillFailing');
    expect(r.values[21]).toBe(100);
  });

  it('forceWinsorise on a passing column winsorises up to winmax (COINr intent, issue #53)', () => {
    // 1..10: skew 0 -> top: 10->9 (nwin 1); skew < 0 -> bottom: 1->2 (nwin 2)
    const r = treatColumn(f64(range(1, 10)), { winmax: 2, forceWinsorise: true });
    expect(r.details.forced).toBe(true);
    expect(r.details.stage1?.nwin).toBe(2);
    expect(Array.from(r.values)).toEqual([2, 2, 3, 4, 5, 6, 7, 8, 9, 9]);
  });

  it('an undecidable check leaves the column untreated with a warning', () => {
    const r = treatColumn(f64([5, 5, 5, 5, 5]));
    expect(r.details.status).toBe('untreated');
    expect(r.details.warning).toMatch(/undefined/);
    expect(Array.from(r.values)).toEqual([5, 5, 5, 5, 5]);
  });

  it('method none skips the column', () => {
    expect(treatColumn(f64(x2), { method: 'none' }).details.status).toBe('skipped');
  });
});

describe('treatStep', () => {
  const fw: Framework = {
    nodes: [
      { code: 'I', name: { en: 'I' }, level: 2, parent: null, kind: 'aggregate', weight: 1, direction: 1 },
      { code: 'a', name: { en: 'a' }, level: 1, parent: 'I', kind: 'indicator', weight: 1, direction: 1 },
      { code: 'b', name: { en: 'b' }, level: 1, parent: 'I', kind: 'indicator', weight: 1, direction: 1 },
    ],
  };
  const units = range(1, 11).map((i) => `U${i}`);
  const a = [...range(1, 10), 100];
  const b = [...range(1, 10), -100];
  const ds: Dataset = fromRows(
    units,
    ['a', 'b'],
    a.map((v, i) => [v, b[i]]),
  );
  const input = { dataset: ds, framework: fw, units: plainUnits(units) };

  it('treats every column with defaults and reports points by unit', () => {
    const out = treatStep(input);
    expect(out.dataset.values[10]).toBe(10); // a: 100 -> 10
    expect(out.dataset.values[21]).toBe(1); // b: −100 -> 1
    const [da, db] = out.diagnostics.indicators;
    expect(da.winsorised?.points).toEqual([{ unit: 'U11', side: 'high', from: 100, to: 10 }]);
    expect(db.winsorised?.points).toEqual([{ unit: 'U11', side: 'low', from: -100, to: 1 }]);
    expect(out.diagnostics.summary).toEqual({
      failedInitially: 2,
      winsorisedPoints: 2,
      high: 1,
      low: 1,
      transformed: 0,
      stillFailing: 0,
      untreated: 0,
    });
    expect(ds.values[10]).toBe(100); // input not mutated
  });

  it('perIndicator overrides merge with the global spec', () => {
    const out = treatStep(input, { winmax: 5, perIndicator: { b: { method: 'none' } } });
    expect(out.dataset.values[21]).toBe(-100);
    expect(out.diagnostics.indicators[1].status).toBe('skipped');
  });

  it('bad options give located errors', () => {
    expect(caught(() => treatStep(input, { method: 'trim' as never })).issues[0]).toMatchObject({
      code: 'E_OPTION',
      field: 'method',
    });
    expect(caught(() => treatStep(input, { winmax: -1 })).issues[0]).toMatchObject({
      code: 'E_OPTION',
      field: 'winmax',
    });
    expect(caught(() => treatStep(input, { skewThreshold: Number.NaN })).issues[0]).toMatchObject({
      field: 'skewThreshold',
    });
    expect(caught(() => treatStep(input, { fallback: 'sqrt' as never })).issues[0]).toMatchObject({
      field: 'fallback',
    });
    expect(caught(() => treatStep(input, { perIndicator: { zz: {} } })).issues[0]).toMatchObject({
      code: 'E_UNKNOWN_INDICATOR',
      indicator: 'zz',
    });
    expect(caught(() => treatStep(input, { perIndicator: { a: { winmax: 2.5 } } })).issues[0]).toMatchObject({
      field: 'perIndicator.a.winmax',
      indicator: 'a',
    });
    expect(caught(() => treatStep(input, { forceWinsorise: true, winmax: null })).issues[0]).toMatchObject({
      code: 'E_OPTION',
    });
    expect(caught(() => treatStep(input, { fallback: 'boxcox' })).issues[0].message).toMatch(/lambda/);
  });

  it('a log method on non-positive data names the indicator', () => {
    expect(caught(() => treatStep(input, { perIndicator: { b: { method: 'log' } } })).issues[0]).toMatchObject({
      code: 'E_LOG_NONPOSITIVE',
      indicator: 'b',
    });
  });
});
