// Reference: COINr 1.1.14 R/normalise.R `n_rank`, worked by hand.
import { describe, expect, it } from 'vitest';
import { rank } from './rank.ts';

const arr = (a: ArrayLike<number>) => Array.from(a);

describe('rank (COINr n_rank)', () => {
  it('ties share the minimum rank, NaN kept', () => {
    expect(arr(rank([10, 30, 30, NaN, 20]))).toEqual([1, 3, 3, NaN, 2]);
  });
});
