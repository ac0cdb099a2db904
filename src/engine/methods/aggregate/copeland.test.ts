// Reference: COINr 1.1.14 tests/testthat/test-aggregate.R "outranking" and "copeland".
import { describe, expect, it } from 'vitest';
import { copeland, outrankingMatrix } from './copeland.ts';

// X <- data.frame(x1 = 1:4, x2 = c(3:1, 5), x3 = c(2, 3, 1, 4)), column-major
const X = Float64Array.from([1, 2, 3, 4, 3, 2, 1, 5, 2, 3, 1, 4]);
const at = (o: Float64Array, i: number, k: number, m = 4) => o[k * m + i]; // 0-based O[i, k]

describe('outrankingMatrix (COINr outrankMatrix)', () => {
  it('values 2/3, 1/3, 1; nDominant 3, fracDominant 1/2; zero diagonal', () => {
    const { matrix, nDominant, fracDominant } = outrankingMatrix(X, 4, 3, [1, 1, 1]);
    expect([0, 1, 2, 3].map((i) => at(matrix, i, i))).toEqual([0, 0, 0, 0]);
    expect(at(matrix, 1, 0)).toBeCloseTo(2 / 3, 15);
    expect(at(matrix, 2, 0)).toBeCloseTo(1 / 3, 15);
    expect(at(matrix, 3, 0)).toBe(1);
    expect(nDominant).toBe(3);
    expect(fracDominant).toBe(0.5);
  });
  it('ties count half; comparisons with a missing value count for neither unit', () => {
    const { matrix } = outrankingMatrix(Float64Array.from([1, 2, 2, 1]), 2, 2, [1, 1]);
    expect(at(matrix, 0, 1, 2)).toBe(0.5);
    expect(at(matrix, 1, 0, 2)).toBe(0.5);
    const na = outrankingMatrix(Float64Array.from([1, 2, NaN, 1]), 2, 2, [1, 1]).matrix;
    expect(at(na, 1, 0, 2)).toBe(0.5); // unit 2 wins component 1 (weight ½), component 2 is dropped
  });
});

describe('copeland (COINr a_copeland)', () => {
  it('row sums of sign(O − ½) with zero diagonal', () => {
    // O by hand (rows beat columns): u1 (0, 1/3, 2/3, 0), u2 (2/3, 0, 2/3, 0), u3 (1/3, 1/3, 0, 0), u4 (1, 1, 1, 0)
    expect(Array.from(copeland(X, 4, 3, [1, 1, 1]))).toEqual([-1, 1, -3, 3]);
  });
  it('equal units score 0', () => {
    expect(Array.from(copeland(Float64Array.from([1, 2, 2, 1]), 2, 2, [1, 1]))).toEqual([0, 0]);
  });
});
