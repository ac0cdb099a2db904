// Reference: COINr 1.1.14 R/normalise.R `n_goalposts` and tests/testthat/test-normalise.R, worked by hand.
import { describe, expect, it } from 'vitest';
import { goalposts } from './goalposts.ts';

const xr = [0.31, 0.72, 0.05, 0.94, 0.5, 0.18, 0.66, 0.27, 0.83, 0.41]; // fixed stand-in for runif(10)
const arr = (a: ArrayLike<number>) => Array.from(a);

describe('goalposts (COINr n_goalposts)', () => {
  it('COINr formula: (x − lower)/(upper − lower), truncated to [0, 1] unless truncate = false, times scale', () => {
    arr(goalposts(xr, 0.2, 0.8, 10)).forEach((v, i) =>
      expect(v).toBeCloseTo(Math.min(1, Math.max(0, (xr[i] - 0.2) / 0.6)) * 10, 12),
    );
    expect(goalposts([1], 0, 10, 1)[0]).toBeCloseTo(0.1, 15);
    expect(goalposts([11], 0, 10, 1)[0]).toBe(1);
    expect(goalposts([-1], 0, 10, 1)[0]).toBe(0);
    expect(goalposts([11], 0, 10, 1, false)[0]).toBeCloseTo(1.1, 15);
  });
});
