// Reference: R rank(-x, ties.method = "min", na.last = "keep") for tolerance 0 (1 + number of larger
// values, written out below), and the tie-group rule worked by hand for tolerance > 0.
import { describe, expect, it } from 'vitest';
import { createRng } from '../core/rng.ts';
import { rankMinInto, rankScratch, tieThreshold, tiesWith } from './rank.ts';

/** R's exact rule, by definition: 1 + number of strictly better values. */
function bruteForce(x: number[], descending: boolean): number[] {
  return x.map((v) =>
    Number.isNaN(v) ? NaN : 1 + x.filter((u) => !Number.isNaN(u) && (descending ? u > v : u < v)).length,
  );
}

describe('tieThreshold and tiesWith', () => {
  it('threshold = tolerance × max|x| over non-missing values; 0 for tolerance 0 even with Infinity', () => {
    expect(tieThreshold([2, -4, NaN], 1e-10)).toBe(4e-10);
    expect(tieThreshold([1, Infinity], 0)).toBe(0);
    expect(tieThreshold([], 1e-10)).toBe(0);
  });
  it('a value ties with its group leader when equal or within the threshold (either direction)', () => {
    expect(tiesWith(2, 1.9999999999999998, 2e-10)).toBe(true);
    expect(tiesWith(1.9999999999999998, 2, 2e-10)).toBe(true);
    expect(tiesWith(2, 1.9999999999999998, 0)).toBe(false);
    expect(tiesWith(0, -0, 0)).toBe(true);
  });
});

describe('rankMinInto', () => {
  const rank = (x: number[], descending = true, tol = 0): number[] =>
    Array.from(rankMinInto(x, descending, tol, new Float64Array(x.length), rankScratch(x.length)));
  it('the examples', () => {
    expect(rank([10, 30, 30, 20])).toEqual([4, 1, 1, 3]);
    expect(rank([2, 1.9999999999999998, 1], true, 1e-10)).toEqual([1, 1, 3]);
  });
  it('tolerance 0 is R rank(-x, ties.method = "min") / rank(x, …): random data with ties and NaN', () => {
    const rng = createRng(3);
    for (const n of [1, 2, 5, 51, 333]) {
      const x = Array.from({ length: n }, () => (rng.next() < 0.1 ? NaN : Math.floor(rng.next() * 20)));
      expect(rank(x, true)).toEqual(bruteForce(x, true));
      expect(rank(x, false)).toEqual(bruteForce(x, false));
    }
  });
  it('near-ties chain from the best value of a group, not from neighbour to neighbour', () => {
    // max|x| = 10, threshold 1e-9: 10 − 0.5e-9 ties with 10; 10 − 1.5e-9 is 1.5e-9 from the leader 10: rank 3
    expect(rank([10, 10 - 0.5e-9, 10 - 1.5e-9], true, 1e-10)).toEqual([1, 1, 3]);
    // ascending: the leader is the smallest value
    expect(rank([2, 1.0000000000000002, 1], false, 1e-10)).toEqual([3, 1, 1]);
  });
  it('offset and length rank one column of a column-major matrix in place', () => {
    const values = Float64Array.of(1, 2, 3, 30, NaN, 10);
    const out = new Float64Array(6).fill(-1);
    rankMinInto(values, true, 0, out, rankScratch(3), 3, 3);
    expect(Array.from(out)).toEqual([-1, -1, -1, 1, NaN, 2]);
    expect(tieThreshold(values, 0.5, 2)).toBe(1);
  });
  it('scratch is reused across columns of different lengths', () => {
    const s = rankScratch(5);
    expect(Array.from(rankMinInto([3, 1, 2, 5, 4], true, 0, new Float64Array(5), s))).toEqual([3, 5, 4, 1, 2]);
    expect(Array.from(rankMinInto([NaN, 7], true, 0, new Float64Array(2), s))).toEqual([NaN, 1]);
  });
});
