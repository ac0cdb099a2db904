// Reference: COINr 1.1.14 R/normalise.R `n_prank`, worked by hand.
import { describe, expect, it } from 'vitest';
import { percentileRank } from './percentile-rank.ts';

const arr = (a: ArrayLike<number>) => Array.from(a);

describe('percentileRank (COINr n_prank)', () => {
  it('(rank − 1)/(n − 1): ties share the minimum rank, NaN kept', () => {
    expect(arr(percentileRank([10, 30, 30, NaN, 20]))).toEqual([0, 2 / 3, 2 / 3, NaN, 1 / 3]);
  });
});
