import { describe, expect, it } from 'vitest';
import { sdWeights } from './sd.ts';
import { colMajor } from '../../test-fixtures/engine.ts';

describe('sdWeights (METHODS.md §4.2, pyrepo-mcda std test)', () => {
  it('pyrepo matrix → [0.217, 0.294, 0.488]', () => {
    const { X, m, n } = colMajor([
      [0.619, 0.449, 0.447],
      [0.862, 0.466, 0.006],
      [0.458, 0.698, 0.771],
      [0.777, 0.631, 0.491],
      [0.567, 0.992, 0.968],
    ]);
    const r = sdWeights(X, m, n);
    [0.217, 0.294, 0.488].forEach((v, j) => expect(r.weights[j]).toBeCloseTo(v, 3));
    // numpy: S.std(0)/S.std(0).sum() = [0.2173261918, 0.2944915059, 0.4881823023]
    [0.2173261918, 0.2944915059, 0.4881823023].forEach((v, j) => expect(r.weights[j]).toBeCloseTo(v, 9));
  });

  it('all-constant data has no weights', () => {
    expect(() => sdWeights(new Float64Array([1, 1, 2, 2]), 2, 2)).toThrow(/cannot be normalised/);
  });
});
