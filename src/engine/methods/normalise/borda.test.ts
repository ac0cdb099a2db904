// Reference: COINr 1.1.14 R/normalise.R `n_borda`, worked by hand.
import { describe, expect, it } from 'vitest';
import { borda } from './borda.ts';

const arr = (a: ArrayLike<number>) => Array.from(a);

describe('borda (COINr n_borda)', () => {
  it('rank − 1: ties share the minimum rank, NaN kept', () => {
    expect(arr(borda([10, 30, 30, NaN, 20]))).toEqual([0, 2, 2, NaN, 1]);
  });
});
