// Reference: COINr 1.1.14 `i_median` and its hand case in tests/testthat/test-Impute.R.
import { describe, expect, it } from 'vitest';
import { imputeColumnMedian } from './median.ts';

const f64 = (x: number[]): Float64Array => Float64Array.from(x);

describe('imputeColumnMedian (COINr i_median)', () => {
  it('i_median on 1:10 with x[3] = NA gives median(1,2,4..10) = 6', () => {
    const x = f64([1, 2, NaN, 4, 5, 6, 7, 8, 9, 10]);
    const xi = imputeColumnMedian(x);
    expect(xi[2]).toBe(6);
    expect(Array.from(xi.filter((_, i) => i !== 2))).toEqual([1, 2, 4, 5, 6, 7, 8, 9, 10]);
    expect(Number.isNaN(x[2])).toBe(true); // input not mutated
  });
});
