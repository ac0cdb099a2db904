import { describe, expect, it } from 'vitest';
import { createRng } from '../core/rng.ts';
import { auditPublishedTable, type PublishedRow } from './audit.ts';
import { seriesChanges } from './changes.ts';
import { chainLink } from './chain.ts';
import { fromValues } from './series.ts';

const row = (
  period: string,
  value: number | null,
  printedMoM: number | null,
  printedYoY: number | null,
): PublishedRow => ({ period, value, printedMoM, printedYoY });

describe('auditPublishedTable', () => {
  it('consistent, swapped, inconsistent and not-checkable rows (MoM only)', () => {
    // 100.0 → 101.0: MoM = +1.0000 %, possible [0.9000, 1.1001] given ±0.05 on each index.
    // 101.0 → 100.5: MoM = −0.4950 %, possible [−0.5931, −0.3968].
    // 100.5 → 102.0: MoM = +1.4925 %, possible [1.3916, 1.5936].
    const r = auditPublishedTable([
      row('2023-01', 100.0, 0.5, 3.0),
      row('2023-02', 101.0, 1.0, 2.5), // 1.00 under 环比 ✓
      row('2023-03', 100.5, 2.1, -0.5), // −0.50 under 同比 ⇒ swapped
      row('2023-04', 102.0, 0.3, 0.4), // neither 0.3 nor 0.4 is ≈ 1.49 ⇒ inconsistent
    ]);
    expect(r.rows.map((x) => x.verdict)).toEqual(['not-checkable', 'consistent', 'swapped', 'inconsistent']);
    expect(r.summary).toEqual({
      consistent: ['2023-02'],
      swapped: ['2023-03'],
      inconsistent: ['2023-04'],
      'not-checkable': ['2023-01'],
    });
    expect(r.rows[0].reason).toMatch(/previous period's index is not printed/);
    const c = r.rows[1].checks[0];
    expect(c.change).toBe('mom');
    expect(c.against).toBe('2023-01');
    expect(c.recomputed).toBeCloseTo(1, 12);
    expect(c.interval.lo).toBeCloseTo((100.95 / 100.05 - 1) * 100, 12);
    expect(c.interval.hi).toBeCloseTo((101.05 / 99.95 - 1) * 100, 12);
    expect(r.rows[2].reading).toEqual({ mom: -0.5, yoy: 2.1 });
    expect(r.rows[2].reason).toMatch(/printed under the other heading/);
  });
  it('the rounding tolerance is exactly the overlap of the two intervals', () => {
    // 1000.0 → 1001.0: possible MoM [ (1000.95/1000.05 − 1)·100, (1001.05/999.95 − 1)·100 ] = [0.08996, 0.11001]
    // printed 0.08 covers [0.075, 0.085] — misses; 0.09 covers [0.085, 0.095] — meets; 0.11 covers [0.105, 0.115] —
    // meets; 0.12 misses.
    const verdict = (m: number) =>
      auditPublishedTable([row('2023-01', 1000.0, null, null), row('2023-02', 1001.0, m, null)]).rows[1].verdict;
    expect(verdict(0.08)).toBe('inconsistent');
    expect(verdict(0.09)).toBe('consistent');
    expect(verdict(0.11)).toBe('consistent');
    expect(verdict(0.12)).toBe('inconsistent');
    // printed with 1 decimal: 0.1 covers [0.05, 0.15] — meets; and with more index decimals the interval narrows
    expect(
      auditPublishedTable([
        row('2023-01', 1000.0, null, null),
        { ...row('2023-02', 1001.0, 0.1, null), momDecimals: 1 },
      ]).rows[1].verdict,
    ).toBe('consistent');
    expect(
      auditPublishedTable([row('2023-01', 1000.0, null, null), row('2023-02', 1001.0, 0.12, null)], {
        valueDecimals: 3,
      }).rows[1].verdict,
    ).toBe('inconsistent');
    expect(
      auditPublishedTable([row('2023-01', 1000.0, null, null), row('2023-02', 1001.0, 0.12, null)], { slack: 0.02 })
        .rows[1].verdict,
    ).toBe('consistent');
  });
  it('checks year-on-year when the index a year earlier is printed', () => {
    // 2022-01 = 100.0, 2022-12 = 104.0, 2023-01 = 105.0: MoM 0.9615 %, YoY 5.0000 %
    const rows = [
      row('2022-01', 100.0, null, null),
      row('2022-12', 104.0, null, null),
      row('2023-01', 105.0, 0.96, 5.0),
    ];
    const r = auditPublishedTable(rows);
    expect(r.rows[2].verdict).toBe('consistent');
    expect(r.rows[2].checks.map((c) => c.change)).toEqual(['mom', 'yoy']);
    rows[2] = row('2023-01', 105.0, 5.0, 0.96);
    expect(auditPublishedTable(rows).rows[2].verdict).toBe('swapped');
    // MoM right but YoY wrong ⇒ inconsistent (not every check passes either way)
    rows[2] = row('2023-01', 105.0, 0.96, 4.0);
    expect(auditPublishedTable(rows).rows[2].verdict).toBe('inconsistent');
  });
  it('derives implied values: previous index, year-ago index, year-ago MoM', () => {
    // 2023-02 1571.9 with MoM 0.13 ⇒ 2023-01 implied 1571.9/1.0013 = 1569.859…, printed 1569.9 agrees
    // YoY −0.91 ⇒ 2022-02 implied 1571.9/0.9909 = 1586.335…
    const r = auditPublishedTable([row('2023-01', 1569.9, -0.97, -0.14), row('2023-02', 1571.9, 0.13, -0.91)]);
    const prev = r.rows[1].implied.find((x) => x.kind === 'previous-period index')!;
    expect(prev.period).toBe('2023-01');
    expect(prev.value).toBeCloseTo(1571.9 / 1.0013, 9);
    expect(prev.printed).toBe(1569.9);
    expect(prev.agrees).toBe(true);
    const ago = r.rows[1].implied.find((x) => x.kind === 'year-ago index')!;
    expect(ago.period).toBe('2022-02');
    expect(ago.value).toBeCloseTo(1571.9 / 0.9909, 9);
    expect(ago.interval.lo).toBeLessThan(ago.value);
    expect(ago.interval.hi).toBeGreaterThan(ago.value);
    // 2023-01 is swapped, so its YoY reading is −0.97 and 2022-01 implied 1569.9/0.9903;
    // year-ago MoM (2022-02 vs 2022-01) = (1571.9/0.9909)/(1569.9/0.9903) − 1
    expect(r.rows[0].verdict).toBe('not-checkable');
    expect(r.rows[0].reading.yoy).toBe(-0.14); // not checkable ⇒ read as headed
    const yoyMom = r.rows[1].implied.find((x) => x.kind === 'year-ago period-on-period change')!;
    expect(yoyMom.period).toBe('2022-02');
    expect(yoyMom.value).toBeCloseTo((1571.9 / 0.9909 / (1569.9 / 0.9986) - 1) * 100, 9);
  });
  it('rejects duplicate periods and non-numbers with located issues', () => {
    expect(() =>
      auditPublishedTable([
        { ...row('2023-01', 1, null, null), sourceRow: 2 },
        { ...row('2023.01', 1, null, null), sourceRow: 3 },
      ]),
    ).toThrow(/appears twice/);
    expect(() => auditPublishedTable([row('2023-01', NaN, null, null)])).toThrow(/not a finite number/);
    expect(() => auditPublishedTable([])).toThrow(/no rows/);
  });
  it('property: a correctly printed random table is consistent everywhere, and planted swaps are found', () => {
    const rng = createRng(2024);
    for (let trial = 0; trial < 30; trial++) {
      const n = 30;
      const changes = new Float64Array(n);
      for (let t = 1; t < n; t++) changes[t] = (rng.next() - 0.5) * 3;
      const s = fromValues(chainLink(changes, 800 + rng.next() * 1000), 'month', 2018 * 12 + rng.int(24), {
        code: 'x',
      });
      const ch = seriesChanges(s);
      const r2 = (x: number) => Math.round(x * 100) / 100;
      const swappedAt = new Set<number>();
      const rows: PublishedRow[] = s.periods.map((period, t) => {
        let mom: number | null = Number.isFinite(ch.periodOnPeriod[t]) ? r2(ch.periodOnPeriod[t]) : null;
        let yoy: number | null = Number.isFinite(ch.yearOnYear[t]) ? r2(ch.yearOnYear[t]) : null;
        // swap some rows whose two changes are clearly apart (beyond any rounding)
        if (t > 0 && mom !== null && (yoy === null || Math.abs(mom - yoy) > 0.1) && rng.next() < 0.2) {
          [mom, yoy] = [yoy, mom];
          swappedAt.add(t);
        }
        return { period, value: Math.round(s.values[t] * 10) / 10, printedMoM: mom, printedYoY: yoy };
      });
      const audit = auditPublishedTable(rows);
      audit.rows.forEach((r, t) => {
        const expected = t === 0 ? 'not-checkable' : swappedAt.has(t) ? 'swapped' : 'consistent';
        expect(r.verdict, `${trial} ${r.period}`).toBe(expected);
      });
    }
  });
});
