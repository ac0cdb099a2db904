// Reference: COINr 1.1.14 tests/testthat/test-aggregate.R "agg_functions".
import { describe, expect, it } from 'vitest';
import { CityIndexError } from '../../core/errors.ts';
import { geometricMean } from './geometric.ts';

describe('geometricMean (COINr a_gmean)', () => {
  it('a_gmean(1:3) = 6^(1/3); weighted c(1,1,2) = (1·2·3²)^(1/4)', () => {
    expect(geometricMean([1, 2, 3], [1, 1, 1])).toBeCloseTo(Math.pow(6, 1 / 3), 14);
    expect(geometricMean([1, 2, 3], [1, 1, 2])).toBeCloseTo(Math.pow(18, 1 / 4), 14);
  });
  it('skips missing values', () => {
    expect(geometricMean([4, NaN, 9], [1, 1, 1])).toBeCloseTo(6, 14);
  });
  it('errors on zero and negative values, listing each position', () => {
    expect(() => geometricMean([1, 2, 0], [1, 1, 1])).toThrow(CityIndexError);
    try {
      geometricMean([-1, 2, 0], [1, 1, 1]);
    } catch (e) {
      expect((e as CityIndexError).issues.map((i) => i.code)).toEqual(['E_GMEAN_NONPOSITIVE', 'E_GMEAN_NONPOSITIVE']);
    }
  });
});
