// Reference: COINr 1.1.14 R/normalise.R `n_dist2ref` and tests/testthat/test-normalise.R, worked by hand.
import { describe, expect, it } from 'vitest';
import { distanceToReference } from './distance-to-reference.ts';

const xr = [0.31, 0.72, 0.05, 0.94, 0.5, 0.18, 0.66, 0.27, 0.83, 0.41]; // fixed stand-in for runif(10)
const arr = (a: ArrayLike<number>) => Array.from(a);

describe('distanceToReference (COINr n_dist2ref)', () => {
  it('COINr formula: 1 − (ref − x)/(ref − min), capped at 1 with cap', () => {
    const mn = Math.min(...xr);
    const ref = arr(distanceToReference(xr, xr[0]));
    ref.forEach((v, i) => expect(v).toBeCloseTo(1 - (xr[0] - xr[i]) / (xr[0] - mn), 12));
    arr(distanceToReference(xr, xr[0], true)).forEach((v, i) => expect(v).toBeCloseTo(Math.min(1, ref[i]), 12));
    expect(ref.some((v) => v > 1)).toBe(true); // the cap matters in this sample
  });
});
