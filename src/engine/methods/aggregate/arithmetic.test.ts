// Reference: COINr 1.1.14 a_amean and tests/testthat/test-aggregate.R (weighted.mean, NA re-weighting).
import { describe, expect, it } from 'vitest';
import { arithmeticMean } from './arithmetic.ts';

describe('arithmeticMean (COINr a_amean)', () => {
  it('equals R weighted.mean with weights 1:5', () => {
    // weighted.mean(c(0.2, 0.9, 0.4, 0.7, 0.1), 1:5) = (0.2 + 1.8 + 1.2 + 2.8 + 0.5)/15 = 6.5/15
    expect(arithmeticMean([0.2, 0.9, 0.4, 0.7, 0.1], [1, 2, 3, 4, 5])).toBeCloseTo(6.5 / 15, 15);
  });
  it('drops missing values and their weights (re-weighting)', () => {
    expect(arithmeticMean([1, 2, NaN, 4], [1, 1, 1, 2])).toBeCloseTo(11 / 4, 15);
    expect(arithmeticMean([NaN, NaN], [1, 1])).toBeNaN();
  });
  it('accepts negative weights, refuses a zero weight sum', () => {
    expect(arithmeticMean([10, 4], [2, -1])).toBeCloseTo(16, 13); // (20 − 4)/1
    expect(() => arithmeticMean([1, 2], [1, -1])).toThrow(/sum to 0/);
  });
});
