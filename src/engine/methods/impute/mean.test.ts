// Reference: COINr 1.1.14 `i_mean` (tests/testthat/test-Impute.R), worked by hand.
import { describe, expect, it } from 'vitest';
import { imputeColumnMean } from './mean.ts';

const f64 = (x: number[]): Float64Array => Float64Array.from(x);

describe('imputeColumnMean (COINr i_mean)', () => {
  it('i_mean fills with the mean of the available values; all-NA stays NA', () => {
    expect(Array.from(imputeColumnMean(f64([1, NaN, 2, 6])))).toEqual([1, 3, 2, 6]);
    expect(Number.isNaN(imputeColumnMean(f64([NaN, NaN]))[0])).toBe(true);
  });
});
