// Reference: COINr 1.1.14 tests/testthat/test-aggregate.R "agg_functions".
import { describe, expect, it } from 'vitest';
import { harmonicMean } from './harmonic.ts';

describe('harmonicMean (COINr a_hmean)', () => {
  it('a_hmean(1:3, c(2,1,1)) = 4/(2/1 + 1/2 + 1/3)', () => {
    expect(harmonicMean([1, 2, 3], [2, 1, 1])).toBeCloseTo(4 / (2 / 1 + 1 / 2 + 1 / 3), 15);
  });
  it('skips missing values; refuses zeros and negatives', () => {
    expect(harmonicMean([2, NaN, 2], [1, 5, 1])).toBeCloseTo(2, 15);
    expect(() => harmonicMean([1, 0], [1, 1])).toThrow(/needs values > 0/);
    expect(() => harmonicMean([1, -2], [1, 1])).toThrow(/needs values > 0/);
  });
  it('weights of the available values summing to 0 are an error, not 0/0', () => {
    expect(() => harmonicMean([2, NaN], [0, 1])).toThrow(/sum to 0/);
    expect(harmonicMean([NaN, NaN], [1, 1])).toBeNaN();
  });
});
