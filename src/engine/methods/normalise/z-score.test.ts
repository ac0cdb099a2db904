// Reference: COINr 1.1.14 R/normalise.R `n_zscore` and tests/testthat/test-normalise.R, worked by hand.
import { describe, expect, it } from 'vitest';
import { mean, sd } from '../../stats/descriptive.ts';
import { zScore } from './z-score.ts';

const x10 = Float64Array.from({ length: 10 }, (_, i) => i + 1); // 1:10

describe('zScore (COINr n_zscore)', () => {
  it('zScore to mean 5, sd 2 (sample sd)', () => {
    const y = zScore(x10, 5, 2);
    expect(mean(y)).toBeCloseTo(5, 12);
    expect(sd(y)).toBeCloseTo(2, 12);
  });
});
