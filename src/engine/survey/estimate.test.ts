import { describe, expect, it } from 'vitest';
import { getValue } from '../core/dataset.ts';
import { alignEstimates, estimateByCity, normalQuantile, weightedMean, weightedProportion } from './estimate.ts';
import { tableOf } from './test-helpers.ts';

describe('normalQuantile', () => {
  it('matches the standard normal table', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 8);
    expect(normalQuantile(0.95)).toBeCloseTo(1.6448536269514722, 8);
    expect(normalQuantile(0.995)).toBeCloseTo(2.5758293035489004, 8);
    expect(normalQuantile(0.01)).toBeCloseTo(-2.3263478740408408, 8);
    expect(normalQuantile(0.5)).toBe(0);
  });
});

describe('weightedMean', () => {
  it('computes the Kish-deff interval worked by hand', () => {
    // y = 1, 2, 3; w = 1, 1, 2. ȳ = (1 + 2 + 6)/4 = 2.25.
    // Σw(y−ȳ)² = 1.5625 + 0.0625 + 2·0.5625 = 2.75; /Σw = 0.6875; ·n/(n−1) = 1.03125 = s².
    // n_eff = 4²/6 = 2.6667; se = √(1.03125/2.6667) = 0.621867; CI = 2.25 ± 1.959964·0.621867 = [1.031163, 3.468837].
    const e = weightedMean([1, 2, 3], [1, 1, 2]);
    expect(e.estimate).toBe(2.25);
    expect(e.nEff).toBeCloseTo(8 / 3, 12);
    expect(e.deff).toBeCloseTo(3 / (8 / 3), 12);
    expect(e.se).toBeCloseTo(0.6218671481916375, 10);
    expect(e.lower).toBeCloseTo(1.031162786375758, 8);
    expect(e.upper).toBeCloseTo(3.468837213624242, 8);
  });

  it('reduces to mean ± z·s/√n with equal weights, and skips NaN and zero weights', () => {
    const y = [2, 4, 4, 4, 5, 5, 7, 9]; // mean 5, sample sd 2.138090
    const e = weightedMean([...y, NaN, 100], [...y.map(() => 3), 1, 0]);
    expect(e.n).toBe(8);
    expect(e.estimate).toBe(5);
    expect(e.se).toBeCloseTo(2.138089935299395 / Math.sqrt(8), 12);
    expect(e.deff).toBeCloseTo(1, 12);
  });

  it('returns NaN with n = 0, and NaN se with n = 1', () => {
    expect(weightedMean([NaN], [1]).estimate).toBeNaN();
    const one = weightedMean([3], [1]);
    expect(one.estimate).toBe(3);
    expect(one.se).toBeNaN();
  });
});

describe('weightedProportion', () => {
  it('reproduces Newcombe (1998, Stat Med 17:857) Wilson intervals with equal weights', () => {
    // Newcombe Table I: 81/263 → 0.2553–0.3662; 15/148 → 0.0624–0.1605
    const a = weightedProportion([...Array(81).fill(1), ...Array(182).fill(0)], Array(263).fill(1));
    expect(a.lower).toBeCloseTo(0.2553, 4);
    expect(a.upper).toBeCloseTo(0.3662, 4);
    const b = weightedProportion([...Array(15).fill(1), ...Array(133).fill(0)], Array(148).fill(2.5));
    expect(b.lower).toBeCloseTo(0.0624, 4);
    expect(b.upper).toBeCloseTo(0.1605, 4);
  });

  it('widens with unequal weights (smaller n_eff) and clips the Wald interval to [0, 1]', () => {
    const y = [1, 1, 1, 0, 0, 0];
    const eq = weightedProportion(y, [1, 1, 1, 1, 1, 1]);
    const uneq = weightedProportion(y, [3, 1, 1, 3, 1, 1]);
    expect(uneq.estimate).toBeCloseTo(0.5, 12);
    expect(uneq.nEff).toBeCloseTo(100 / 22, 12);
    expect(uneq.upper - uneq.lower).toBeGreaterThan(eq.upper - eq.lower);
    const w = weightedProportion([1, 1, 1, 0], [1, 1, 1, 1], { interval: 'wald' });
    expect(w.upper).toBe(1); // 0.75 + 1.96·√(0.1875/4) = 1.174 → clipped
  });
});

describe('estimateByCity', () => {
  const rows = [
    ...[5, 4, 4, 2].map((x) => ({ city: '110100', items: { a: x, b: x } })),
    ...[3, 3].map((x) => ({ city: '310100', items: { a: x, b: x } })),
  ];
  const table = tableOf(rows);
  const keep = new Uint8Array(table.n).fill(1);
  const weights = new Float64Array(table.n).fill(1);
  const res = estimateByCity({
    table,
    keep,
    weights,
    scoring: {},
    cities: ['110100', '310100', '440100'],
    indicators: [
      { code: 'S', items: ['a', 'b'] },
      { code: 'P', items: ['a', 'b'], statistic: { type: 'proportion', atLeast: 75 } },
    ],
    estimation: { minSample: 3 },
  });
  it('gives mean scores on 0–100 and proportions in % per city, with intervals in datasets of the same shape', () => {
    // Beijing scores 100, 75, 75, 25 → mean 68.75; satisfied (≥ 75) 3 of 4 = 75 %
    expect(getValue(res.dataset, '110100', 'S')).toBe(68.75);
    expect(getValue(res.dataset, '110100', 'P')).toBe(75);
    expect(getValue(res.lower, '110100', 'S')).toBeLessThan(68.75);
    expect(getValue(res.upper, '110100', 'S')).toBeGreaterThan(68.75);
    expect(res.dataset.unitCodes).toEqual(['110100', '310100', '440100']);
    expect(res.indicators.map((d) => d.unit)).toEqual(['score (0-100)', '%']);
  });
  it('flags cities under the minimum sample and cities without responses', () => {
    expect(res.flags.map((f) => [f.city, f.code])).toEqual([
      ['310100', 'W_MIN_SAMPLE'],
      ['440100', 'W_NO_RESPONSES'],
    ]);
    expect(getValue(res.dataset, '440100', 'S')).toBeNaN();
    const missing = estimateByCity({
      table,
      keep,
      weights,
      scoring: {},
      cities: ['110100', '310100'],
      indicators: [{ code: 'S', items: ['a'] }],
      estimation: { minSample: 3, belowMinimum: 'missing' },
    });
    expect(getValue(missing.dataset, '310100', 'S')).toBeNaN();
    expect(getValue(missing.n, '310100', 'S')).toBe(2);
  });
  it('aligns to a project unit list, NaN for cities not surveyed', () => {
    const a = alignEstimates(res, ['440300', '110100']);
    expect(a.dataset.unitCodes).toEqual(['440300', '110100']);
    expect(getValue(a.dataset, '440300', 'S')).toBeNaN();
    expect(getValue(a.dataset, '110100', 'S')).toBe(68.75);
    expect(getValue(a.upper, '110100', 'P')).toBe(getValue(res.upper, '110100', 'P'));
  });
});
