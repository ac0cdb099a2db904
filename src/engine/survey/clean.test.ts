import { describe, expect, it } from 'vitest';
import { cleanResponses } from './clean.ts';
import { tableOf, type RowSpec } from './test-helpers.ts';
import { DONT_KNOW } from './types.ts';

const grid = (v: number[]): Record<string, number> => Object.fromEntries(v.map((x, k) => [`q${k + 1}`, x]));

describe('cleanResponses', () => {
  const rows: RowSpec[] = [
    { id: 'a', duration: 300, submittedAt: '2020-05-30', items: { ...grid([1, 2, 3, 4, 5, 4]), attn: 4 } }, // ok
    { id: 'b', city: null, duration: 300, items: { ...grid([1, 2, 3, 4, 5, 3]), attn: 4 } }, // missing city
    { id: 'a', duration: 300, items: { ...grid([2, 2, 3, 4, 5, 4]), attn: 4 } }, // duplicate id of row 2
    { id: 'c', duration: 300, items: { ...grid([1, 2, 3, 4, 5, 4]), attn: 4 } }, // same answers as row 2
    { id: 'd', duration: 300, items: { ...grid([1, 3, 3, 4, 5, 4]), attn: 2 } }, // failed attention check
    { id: 'e', duration: 40, items: { ...grid([1, 3, 3, 3, 5, 4]), attn: 4 } }, // speeder (< max(60, 0.3·300))
    { id: 'f', duration: 300, items: { ...grid([3, 3, 3, 3, 3, DONT_KNOW]), attn: 4 } }, // straight-liner on 5 answered
    // later than h → over quota
    { id: 'g', duration: 300, submittedAt: '2020-06-02', items: { ...grid([2, 3, 3, 4, 5, 4]), attn: 4 } },
    { id: 'h', duration: 300, submittedAt: '2020-06-01', items: { ...grid([2, 3, 4, 4, 5, 4]), attn: 4 } },
    { id: 'i', city: '999999', duration: 300, items: { ...grid([2, 3, 4, 4, 5, 1]), attn: 4 } }, // not a surveyed city
  ];
  const table = tableOf(rows);
  const res = cleanResponses(
    table,
    {
      speeders: { minSeconds: 60, minFractionOfMedian: 0.3 },
      straightLining: { minItems: 5 },
      attentionChecks: [{ item: 'attn', expected: 4 }],
      quota: { perCity: 2 },
    },
    { cities: ['110100'], items: ['q1', 'q2', 'q3', 'q4', 'q5', 'q6'] },
  );

  it('removes each problem response once, with the first rule that catches it and its source row', () => {
    const byRow = Object.fromEntries(res.removed.map((r) => [r.row, r.reason]));
    // source rows are index + 2 (header = row 1)
    expect(byRow).toEqual({
      3: 'missingCity',
      4: 'duplicate',
      5: 'duplicate',
      6: 'attention',
      7: 'speeder',
      8: 'straightLiner',
      9: 'overQuota',
      11: 'missingCity',
    });
    expect(res.kept).toBe(2);
    expect([...res.keep]).toEqual([1, 0, 0, 0, 0, 0, 0, 0, 1, 0]);
    expect(res.counts).toEqual({
      missingCity: 2,
      duplicate: 2,
      attention: 1,
      speeder: 1,
      straightLiner: 1,
      overQuota: 1,
    });
    // median duration of all 10 = 300 → threshold max(60, 90) = 90 s
    expect(res.speederSeconds).toBe(90);
    expect(res.removed.find((r) => r.row === 4)!.detail).toMatch(/row 2/);
  });

  it('reports per city and keeps the earliest submissions under the quota', () => {
    const bj = res.perCity.find((c) => c.city === '110100')!;
    expect(bj).toMatchObject({ received: 8, kept: 2 });
    expect(res.perCity.find((c) => c.city === '999999')!.removed.missingCity).toBe(1);
    // row 10 (h, 06-01) kept over row 9 (g, 06-02) although g comes first in the file
    expect(res.keep[8]).toBe(1);
  });

  it('turns every rule off', () => {
    const off = cleanResponses(table, { duplicates: [], speeders: null, straightLining: null, quota: null });
    expect(off.counts).toEqual({
      missingCity: 1,
      duplicate: 0,
      attention: 0,
      speeder: 0,
      straightLiner: 0,
      overQuota: 0,
    });
  });

  it('warns about a missing attention-check column instead of crashing', () => {
    const r = cleanResponses(table, { attentionChecks: [{ item: 'nope', expected: 1 }] });
    expect(r.warnings[0]).toMatchObject({ code: 'W_ATTENTION_ITEM', column: 'nope' });
  });

  it('quota keeps the earliest by submission time (ties by row, missing times last) — as a full sort would', () => {
    // deterministic pseudo-random rows with many tied and missing times, and exact duplicates by id and answers
    let x = 12345;
    const next = () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const times = ['2020-06-01T08:00:00Z', '2020-06-01T09:00:00Z', '2020-05-31T23:59:59Z', '2020-06-02', null];
    const cities = ['110100', '310100', '440300'];
    const rows: RowSpec[] = Array.from({ length: 3000 }, (_, i) => ({
      id: next() < 0.02 ? `dup${Math.floor(next() * 20)}` : `r${i}`,
      city: cities[Math.floor(next() * 3)],
      duration: 300,
      submittedAt: times[Math.floor(next() * times.length)] ?? undefined,
      items: grid([1, 2, 3, 4, 5].map(() => 1 + Math.floor(next() * 5))),
    }));
    const table = tableOf(rows);
    const perCity = 150;
    const r = cleanResponses(table, { speeders: null, straightLining: null, quota: { perCity } });
    // reference: the rows the earlier rules kept, sorted per city by (time, missing last; row), first perCity
    const before = cleanResponses(table, { speeders: null, straightLining: null, quota: null });
    const expected = new Set<number>();
    for (const c of cities) {
      const list = [...before.keep.keys()].filter((i) => before.keep[i] && table.city[i] === c);
      const key = (i: number) => table.submittedAt[i] ?? '\uffff';
      list.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : a - b));
      list.slice(perCity).forEach((i) => expected.add(i));
    }
    const over = new Set(r.removed.filter((m) => m.reason === 'overQuota').map((m) => m.row - 2));
    expect(over.size).toBeGreaterThan(1000);
    expect([...over].sort((a, b) => a - b)).toEqual([...expected].sort((a, b) => a - b));
    expect(r.counts.duplicate).toBe(before.counts.duplicate);
    expect(r.counts.duplicate).toBeGreaterThan(0);
  });
});
