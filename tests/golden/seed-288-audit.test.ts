/**
 * Golden test: the audit of the China City Housing Price 288 Index table printed beside the article
 * (data/sources/seed-288, a copy of shared/data/seed-288; PROVENANCE.md there).
 *
 * Rounding: index values are printed with 1 decimal (true value within ±0.05), changes with 2
 * decimals (true value within ±0.005 percentage points). A printed change is consistent when
 * [c − 0.005, c + 0.005] meets the interval of month-on-month changes that the rounded index values
 * allow: [((v_t − 0.05)/(v_{t−1} + 0.05) − 1)·100, ((v_t + 0.05)/(v_{t−1} − 0.05) − 1)·100].
 * Year-on-year cannot be recomputed (no index of 2021-08 … 2022-02 is printed).
 *
 * Hand arithmetic (MoM recomputed; interval; printed 环比 column a / 同比 column b; 2023-02 is the
 * headline, the other months are the table):
 *   2023-02  1571.9/1569.9 − 1 = +0.1274 %  [+0.1210, +0.1338]  a  0.13 ✓ [0.125, 0.135]   b −0.91 ✗  ⇒ consistent
 *   2023-01  1569.9/1572.1 − 1 = −0.1399 %  [−0.1463, −0.1336]  a −0.97 ✗                 b −0.14 ✓  ⇒ swapped
 *   2022-12  1572.1/1573.9 − 1 = −0.1144 %  [−0.1207, −0.1080]  a −0.92 ✗                 b −0.11 ✓  ⇒ swapped
 *   2022-11  1573.9/1575.8 − 1 = −0.1206 %  [−0.1269, −0.1142]  a −0.12 ✓                 b −1.08 ✗  ⇒ consistent
 *   2022-10  1575.8/1579.0 − 1 = −0.2027 %  [−0.2090, −0.1963]  a −0.20 ✓                 b −1.01 ✗  ⇒ consistent
 *   2022-09  1579.0/1579.3 − 1 = −0.0190 %  [−0.0253, −0.0127]  a −0.02 ✓ [−0.025, −0.015] b −0.87 ✗  ⇒ consistent
 *   2022-08  no 2022-07 index printed                                                          ⇒ not-checkable
 * Implied values: 2023-02's printed MoM 0.13 implies a 2023-01 index of 1571.9/1.0013 = 1569.86 (printed
 * 1569.9 ✓); its YoY −0.91 implies 2022-02 = 1571.9/0.9909 = 1586.34. 2023-01 read as swapped
 * (MoM −0.14, YoY −0.97) implies 2022-12 = 1569.9/0.9986 = 1572.10 (printed 1572.1 ✓) and
 * 2022-01 = 1569.9/0.9903 = 1585.28; read as headed it would imply 2022-12 = 1569.9/0.9903 = 1585.28 ✗.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { auditPublishedTable } from '../../src/engine/series/audit.ts';
import { loadSeriesCsv, tableToPublishedRows } from '../../src/formats/series.ts';

const file = fileURLToPath(new URL('../../data/sources/seed-288/seed_288_table.csv', import.meta.url));

describe('seed-288 published table audit', async () => {
  const table = await loadSeriesCsv(file);
  const rows = tableToPublishedRows(table);
  const audit = auditPublishedTable(rows);

  it('reads the table as printed (decimals kept)', () => {
    expect(table.columns).toMatchObject({
      period: 'period',
      value: 'index_value',
      mom: 'published_change_a_pct',
      yoy: 'published_change_b_pct',
      label: 'row_kind',
    });
    expect(rows).toHaveLength(7);
    expect(rows[4]).toMatchObject({
      period: '2022-10',
      value: 1575.8,
      printedMoM: -0.2,
      printedYoY: -1.01,
      valueDecimals: 1,
      momDecimals: 2,
      yoyDecimals: 2,
      label: 'table',
      sourceRow: 6,
    });
    expect(rows[5].valueDecimals).toBe(1); // "1579.0"
  });

  it('states exactly which rows are consistent, swapped and not checkable', () => {
    expect(audit.rows.map((r) => [r.period, r.verdict])).toEqual([
      ['2023-02', 'consistent'],
      ['2023-01', 'swapped'],
      ['2022-12', 'swapped'],
      ['2022-11', 'consistent'],
      ['2022-10', 'consistent'],
      ['2022-09', 'consistent'],
      ['2022-08', 'not-checkable'],
    ]);
    expect(audit.summary).toEqual({
      consistent: ['2023-02', '2022-11', '2022-10', '2022-09'],
      swapped: ['2023-01', '2022-12'],
      inconsistent: [],
      'not-checkable': ['2022-08'],
    });
  });

  it('recomputes month-on-month changes and their rounding intervals', () => {
    const expected: Array<[string, number, number, number]> = [
      ['2023-02', 0.1274, 0.121, 0.1338],
      ['2023-01', -0.1399, -0.1463, -0.1336],
      ['2022-12', -0.1144, -0.1207, -0.108],
      ['2022-11', -0.1206, -0.1269, -0.1142],
      ['2022-10', -0.2027, -0.209, -0.1963],
      ['2022-09', -0.019, -0.0253, -0.0127],
    ];
    for (const [period, point, lo, hi] of expected) {
      const r = audit.rows.find((x) => x.period === period)!;
      expect(r.checks).toHaveLength(1); // MoM only: YoY is not recomputable from these rows
      expect(r.checks[0].change).toBe('mom');
      expect(r.checks[0].recomputed).toBeCloseTo(point, 4);
      expect(r.checks[0].interval.lo).toBeCloseTo(lo, 4);
      expect(r.checks[0].interval.hi).toBeCloseTo(hi, 4);
    }
    const last = audit.rows[6];
    expect(last.checks).toEqual([]);
    expect(last.reason).toMatch(/previous period's index is not printed/);
    expect(audit.rows[1].reason).toMatch(/year-on-year not checkable/);
  });

  it('reads swapped rows the other way round and derives implied values', () => {
    expect(audit.rows[1].reading).toEqual({ mom: -0.14, yoy: -0.97 });
    expect(audit.rows[2].reading).toEqual({ mom: -0.11, yoy: -0.92 });
    const implied = (period: string, kind: string) =>
      audit.rows.find((r) => r.period === period)!.implied.find((x) => x.kind === kind)!;
    expect(implied('2023-02', 'previous-period index').value).toBeCloseTo(1569.86, 2);
    expect(implied('2023-02', 'previous-period index').agrees).toBe(true);
    expect(implied('2023-02', 'year-ago index')).toMatchObject({ period: '2022-02' });
    expect(implied('2023-02', 'year-ago index').value).toBeCloseTo(1586.34, 2);
    expect(implied('2023-01', 'previous-period index').value).toBeCloseTo(1572.1, 2);
    expect(implied('2023-01', 'previous-period index').agrees).toBe(true);
    expect(implied('2023-01', 'year-ago index').value).toBeCloseTo(1585.28, 2);
    expect(implied('2022-08', 'previous-period index')).toMatchObject({ period: '2022-07' });
    expect(implied('2022-08', 'previous-period index').printed).toBeUndefined();
    // every previous-period index implied by a consistent or swapped row agrees with the printed one
    for (const r of audit.rows.filter((x) => x.verdict === 'consistent' || x.verdict === 'swapped')) {
      expect(r.implied.find((x) => x.kind === 'previous-period index')!.agrees).toBe(true);
    }
  });
});
