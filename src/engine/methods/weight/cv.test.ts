import { describe, expect, it } from 'vitest';
import { cvWeights } from './cv.ts';
import { colMajor } from '../../test-fixtures/engine.ts';
import { XU_2004 } from './test-helpers.ts';

describe('cvWeights (METHODS.md §4.2, pyrepo-mcda Test_Coeff_var)', () => {
  it('Xu (2004) to 6 d.p.', () => {
    const { X, m, n } = colMajor(XU_2004);
    const r = cvWeights(X, m, n);
    [0.425786, 0.361031, 0.212109, 0.001074].forEach((v, j) => expect(r.weights[j]).toBeCloseTo(v, 6));
    // column 4 = [29, 29, 28.9, 29]: mean 28.975, sample sd 0.05 → CV = 0.05/28.975
    expect(r.cv[3]).toBeCloseTo(0.05 / 28.975, 12);
  });

  it('a non-positive mean is a located error', () => {
    const { X, m, n } = colMajor([
      [-1, 1],
      [0, 2],
      [0.5, 3],
    ]);
    expect(() => cvWeights(X, m, n, { indicatorCodes: ['z', 'y'] })).toThrow(/indicator z.*positive mean/);
  });
});
