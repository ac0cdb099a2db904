// Reference: COINr 1.1.14 R/normalise.R `n_dist2targ` and tests/testthat/test-normalise.R, worked by hand.
import { describe, expect, it } from 'vitest';
import { distanceToTarget } from './distance-to-target.ts';

const x10 = Float64Array.from({ length: 10 }, (_, i) => i + 1); // 1:10
const arr = (a: ArrayLike<number>) => Array.from(a);

describe('distanceToTarget (COINr n_dist2targ)', () => {
  it('distanceToTarget with cap: 1 at and above the target', () => {
    const y = distanceToTarget(x10, 8, true);
    expect(Math.min(...y)).toBe(0);
    expect(Math.max(...y)).toBe(1);
    expect(arr(y.slice(7))).toEqual([1, 1, 1]);
    // COINr "dist2targ": c(0, 5, 11), targ 10 -> c(0, 0.5, 1.1); capped -> c(0, 0.5, 1)
    expect(arr(distanceToTarget([0, 5, 11], 10))).toEqual([0, 0.5, 1.1]);
    expect(arr(distanceToTarget([0, 5, 11], 10, true))).toEqual([0, 0.5, 1]);
  });
});
