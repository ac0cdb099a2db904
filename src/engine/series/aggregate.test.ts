import { describe, expect, it } from 'vitest';
import { createRng } from '../core/rng.ts';
import { aggregateSeries } from './aggregate.ts';
import { createSeries, fromValues, type Series } from './series.ts';

const monthly = (code: string, values: Array<number | null>, start = '2023-01'): Series => {
  const [y, m] = start.split('-').map(Number);
  return createSeries(
    values.map((value, k) => ({
      period: `${y + Math.floor((m - 1 + k) / 12)}-${String(((m - 1 + k) % 12) + 1).padStart(2, '0')}`,
      value,
    })),
    { code },
  );
};

describe('aggregateSeries', () => {
  // A: 100, 110, 121 (relatives 1.1, 1.1); B: 200, 180, 171 (relatives 0.9, 0.95); weights A 3, B 1.
  const a = monthly('A', [100, 110, 121]);
  const b = monthly('B', [200, 180, 171]);
  it('fixed-base arithmetic, by hand', () => {
    // t1: (3·1.10 + 1·0.90)/4 = 1.05 → 105;  t2: (3·1.21 + 1·0.855)/4 = 4.485/4 = 1.12125 → 112.125
    const r = aggregateSeries([a, b], { aggregation: { method: 'fixedBase' }, weights: { A: 3, B: 1 } });
    expect(r.series.values[0]).toBeCloseTo(100, 12);
    expect(r.series.values[1]).toBeCloseTo(105, 12);
    expect(r.series.values[2]).toBeCloseTo(112.125, 12);
    expect(r.weightShares).toEqual({ A: 0.75, B: 0.25 });
    expect([...r.contributors]).toEqual([2, 2, 2]);
    expect(r.series.base).toEqual({ period: '2023-01', value: 100 });
  });
  it('chained arithmetic drifts from fixed-base, by hand', () => {
    // link1 = (3·1.1 + 0.9)/4 = 1.05 → 105;  link2 = (3·1.1 + 0.95)/4 = 1.0625 → 111.5625
    const r = aggregateSeries([a, b], { aggregation: { method: 'chained' }, weights: { A: 3, B: 1 } });
    expect(r.series.values[1]).toBeCloseTo(105, 12);
    expect(r.series.values[2]).toBeCloseTo(111.5625, 12);
  });
  it('fixed-base at a later base period uses that period as 100', () => {
    // base 2023-02: relatives A 100/110, 1, 1.1; B 200/180, 1, 0.95
    const r = aggregateSeries([a, b], {
      aggregation: { method: 'fixedBase', basePeriod: '2023-02' },
      weights: { A: 3, B: 1 },
    });
    expect(r.series.values[1]).toBeCloseTo(100, 12);
    expect(r.series.values[2]).toBeCloseTo(((3 * 1.1 + 0.95) / 4) * 100, 12);
    expect(r.series.values[0]).toBeCloseTo(((3 * (100 / 110) + 200 / 180) / 4) * 100, 12);
  });
  it('per-period volume weights in chained links (previous and current timing)', () => {
    const vA = monthly('A', [10, 30, 5]);
    const vB = monthly('B', [10, 10, 5]);
    // previous: link1 weights (10,10): (1.1+0.9)/2 = 1 → 100; link2 weights (30,10): (3.3+0.95)/4 = 1.0625 → 106.25
    const p = aggregateSeries([a, b], { aggregation: { method: 'chained' }, weights: { A: vA, B: vB } });
    expect(p.series.values[1]).toBeCloseTo(100, 12);
    expect(p.series.values[2]).toBeCloseTo(106.25, 12);
    // current: link1 weights (30,10): 1.05 → 105; link2 weights (5,5): (1.1+0.95)/2 = 1.025 → 107.625
    const c = aggregateSeries([a, b], {
      aggregation: { method: 'chained', weightTiming: 'current' },
      weights: { A: vA, B: vB },
    });
    expect(c.series.values[1]).toBeCloseTo(105, 12);
    expect(c.series.values[2]).toBeCloseTo(107.625, 12);
  });
  it('property: geometric fixed-base equals geometric chained with constant weights and no gaps', () => {
    const rng = createRng(3);
    const cities: Series[] = [];
    const weights: Record<string, number> = {};
    for (let i = 0; i < 8; i++) {
      const v = new Float64Array(25);
      v[0] = 500 + rng.next() * 1000;
      for (let t = 1; t < 25; t++) v[t] = v[t - 1] * (1 + (rng.next() - 0.5) * 0.04);
      cities.push(fromValues(v, 'month', 2020 * 12, { code: `c${i}` }));
      weights[`c${i}`] = 1 + rng.int(100);
    }
    const f = aggregateSeries(cities, { aggregation: { method: 'fixedBase', mean: 'geometric' }, weights });
    const c = aggregateSeries(cities, { aggregation: { method: 'chained', mean: 'geometric' }, weights });
    for (let t = 0; t < 25; t++) expect(c.series.values[t]).toBeCloseTo(f.series.values[t], 9);
    // and a single city aggregates to itself rebased
    const one = aggregateSeries([cities[0]], { aggregation: { method: 'chained' }, weights: { c0: 5 } });
    for (let t = 0; t < 25; t++)
      expect(one.series.values[t]).toBeCloseTo((cities[0].values[t] / cities[0].values[0]) * 100, 9);
  });
  it('renormalises over cities present and reports contributors', () => {
    const c = monthly('C', [100, null, 100]);
    // fixed base: t1 has A, B only (weights 3, 1) → 105; t2 has A, B, C (weights 3, 1, 4):
    // (3.63 + 0.855 + 4)/8 = 1.060625
    const r = aggregateSeries([a, b, c], { aggregation: { method: 'fixedBase' }, weights: { A: 3, B: 1, C: 4 } });
    expect([...r.contributors]).toEqual([3, 2, 3]);
    expect(r.series.values[1]).toBeCloseTo(105, 12);
    expect(r.series.values[2]).toBeCloseTo(106.0625, 12);
  });
  it('chained links skip a city missing at either end of the link', () => {
    const c = monthly('C', [100, null, 100]);
    // link1 (A, B; C missing at t1) = 1.05; link2 (A, B; C missing at t1) = 1.0625 ⇒ 111.5625
    const r = aggregateSeries([a, b, c], { aggregation: { method: 'chained' }, weights: { A: 3, B: 1, C: 4 } });
    expect([...r.contributors]).toEqual([3, 2, 2]);
    expect(r.series.values[2]).toBeCloseTo(111.5625, 12);
  });
  it('located errors for a missing weight, a negative weight, a non-positive index, an unknown method', () => {
    expect(() => aggregateSeries([a, b], { aggregation: { method: 'fixedBase' }, weights: { A: 1 } })).toThrow(
      /no weight for series "B"/,
    );
    expect(() => aggregateSeries([a, b], { aggregation: { method: 'fixedBase' }, weights: { A: 1, B: -1 } })).toThrow(
      /negative/,
    );
    expect(() =>
      aggregateSeries([a, monthly('Z', [1, 0])], { aggregation: { method: 'fixedBase' }, weights: { A: 1, Z: 1 } }),
    ).toThrow(/index values > 0/);
    expect(() => aggregateSeries([a], { aggregation: { method: 'laspeyres' } as never, weights: { A: 1 } })).toThrow(
      /unknown aggregation method "laspeyres"/,
    );
  });
});
