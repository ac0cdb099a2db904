// Reference: COINr 1.1.14 R/normalise.R `n_scaled` and tests/testthat/test-normalise.R, worked by hand.
import { describe, expect, it } from 'vitest';
import { scaled } from './scaled.ts';

const xr = [0.31, 0.72, 0.05, 0.94, 0.5, 0.18, 0.66, 0.27, 0.83, 0.41]; // fixed stand-in for runif(10)
const arr = (a: ArrayLike<number>) => Array.from(a);

describe('scaled (COINr n_scaled)', () => {
  it('COINr formula: (x − l)/(u − l)·100', () => {
    arr(scaled(xr, 1, 10)).forEach((v, i) => expect(v).toBeCloseTo(((xr[i] - 1) / 9) * 100, 12));
  });
});
