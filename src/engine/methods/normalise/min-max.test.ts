// Reference: COINr 1.1.14 R/normalise.R `n_minmax` and tests/testthat/test-normalise.R, worked by hand.
import { describe, expect, it } from 'vitest';
import { minMax } from './min-max.ts';

const x10 = Float64Array.from({ length: 10 }, (_, i) => i + 1); // 1:10
const arr = (a: ArrayLike<number>) => Array.from(a);

describe('minMax (COINr n_minmax)', () => {
  it('minMax onto [2, 7]', () => {
    const y = minMax(x10, [2, 7]);
    expect(Math.min(...y)).toBe(2);
    expect(Math.max(...y)).toBe(7);
    expect(y[4]).toBeCloseTo(2 + (4 / 9) * 5, 14); // (5−1)/(10−1)·5 + 2
  });
  it('missing values stay missing', () => {
    expect(arr(minMax([1, NaN, 3], [0, 1]))).toEqual([0, NaN, 1]);
  });
});
