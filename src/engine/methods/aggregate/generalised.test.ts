// Reference: COINr 1.1.14 tests/testthat/test-aggregate.R "agg_functions" (genmean p = -1 = harmonic, p = 1 = mean).
import { describe, expect, it } from 'vitest';
import { generalisedMean } from './generalised.ts';
import { harmonicMean } from './harmonic.ts';
import { geometricMean } from './geometric.ts';

describe('generalisedMean (COINr a_genmean)', () => {
  it('p = −1 is the harmonic mean, p = 1 the arithmetic mean', () => {
    expect(generalisedMean([1, 2, 3], [2, 1, 1], -1)).toBeCloseTo(harmonicMean([1, 2, 3], [2, 1, 1]), 15);
    expect(generalisedMean([1, 2, 3], [1, 1, 1], 1)).toBeCloseTo(2, 15);
  });
  it('p = 2 is the quadratic mean and p → 0 approaches the geometric mean', () => {
    expect(generalisedMean([1, 2, 3], [1, 1, 1], 2)).toBeCloseTo(Math.sqrt(14 / 3), 14);
    expect(generalisedMean([1, 2, 3], [1, 1, 2], 1e-7)).toBeCloseTo(geometricMean([1, 2, 3], [1, 1, 2]), 5);
  });
  it('refuses p = 0 and out-of-domain values; skips missing values', () => {
    expect(() => generalisedMean([1, 2], [1, 1], 0)).toThrow(/p ≠ 0/);
    expect(() => generalisedMean([1, 0], [1, 1], -1)).toThrow(/needs values > 0/);
    expect(() => generalisedMean([1, -1], [1, 1], 0.5)).toThrow(/non-integer/);
    expect(generalisedMean([3, NaN], [1, 1], 2)).toBeCloseTo(3, 15);
  });
});
