// The shared loop of the power means: the sums, the NaN skipping and both errors, worked by hand.
import { describe, expect, it } from 'vitest';
import { caught } from '../../test-fixtures/engine.ts';
import { weightedTermSums, type WeightedTerm } from './weighted-sums.ts';

const sqrt: WeightedTerm = {
  term: (w, v) => w * Math.sqrt(v),
  problem: (v) => (v < 0 ? 'needs values ≥ 0' : null),
  code: 'E_SQRT',
  expected: '≥ 0',
};

describe('weightedTermSums', () => {
  it('Σw and Σ w·√x over the available values: w = (1, 3) on x = (1, 4) → 4 and 1 + 3·2 = 7', () => {
    expect(weightedTermSums([1, NaN, 4], [1, 1, 3], sqrt)).toEqual({ sw: 4, s: 7 });
    expect(weightedTermSums([NaN, NaN], [1, 1], sqrt)).toBeNull();
  });
  it('one issue per value outside the domain, then the zero weight sum', () => {
    expect(caught(() => weightedTermSums([-1, 4, -9], [1, 1, 1], sqrt)).issues.map((i) => [i.code, i.message])).toEqual(
      [
        ['E_SQRT', 'value -1 at position 1: needs values ≥ 0'],
        ['E_SQRT', 'value -9 at position 3: needs values ≥ 0'],
      ],
    );
    expect(caught(() => weightedTermSums([1, 4, NaN], [2, -2, 1], sqrt)).issues[0].code).toBe('E_WEIGHT_SUM');
  });
});
