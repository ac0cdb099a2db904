// Reference: COINr 1.1.14 R/normalise.R `n_dist2max` and tests/testthat/test-normalise.R, worked by hand.
import { describe, expect, it } from 'vitest';
import { distanceToMax } from './distance-to-max.ts';

const xr = [0.31, 0.72, 0.05, 0.94, 0.5, 0.18, 0.66, 0.27, 0.83, 0.41]; // fixed stand-in for runif(10)
const arr = (a: ArrayLike<number>) => Array.from(a);

describe('distanceToMax (COINr n_dist2max)', () => {
  it('COINr formula: 1 − (max − x)/(max − min)', () => {
    const mx = Math.max(...xr);
    const mn = Math.min(...xr);
    arr(distanceToMax(xr)).forEach((v, i) => expect(v).toBeCloseTo(1 - (mx - xr[i]) / (mx - mn), 12));
  });
});
