import { describe, expect, it } from 'vitest';
import { fromRows } from '../../core/dataset.ts';
import { cronbachAlphaPairwise, groupCronbach, pairwiseCovariance } from './cronbach.ts';
import { tinyFramework } from './test-helpers.ts';

describe('Cronbach alpha (COINr get_cronbach)', () => {
  it('three items, four rows, worked by hand', () => {
    // a = 1,2,3,4 (mean 2.5), b = 2,3,3,5 (3.25), c = 1,3,2,4 (2.5); n − 1 = 3
    // var: a 5/3, b 4.75/3, c 5/3; cov: ab 4.5/3, ac 4/3, bc 4.5/3
    // Σcov = (5 + 4.75 + 5 + 2·(4.5 + 4 + 4.5))/3 = 40.75/3 = 13.5833…; Σvar = 14.75/3 = 4.9167…
    // α = k²·mean(offdiag)/Σcov = 9·((40.75 − 14.75)/3/6)/(40.75/3) = 9·26/6/40.75 = 0.9570552147239264
    expect(
      cronbachAlphaPairwise([
        [1, 2, 3, 4],
        [2, 3, 3, 5],
        [1, 3, 2, 4],
      ]),
    ).toBeCloseTo(0.9570552147239264, 14);
  });
  it('uses pairwise-complete covariances (R cov(use = "pairwise.complete.obs"))', () => {
    // x, y complete on rows 1–3: x = 1,2,3, y = 1,3,5 → cov = (−1·−2 + 0 + 1·2)/2 = 2
    expect(pairwiseCovariance([1, 2, 3, NaN], [1, 3, 5, 9])).toBe(2);
    // with a missing value each entry uses its own complete rows:
    const alpha = cronbachAlphaPairwise([
      [1, 2, 3, NaN],
      [1, 3, 5, 9],
    ]);
    // var x = 1, var y (4 rows: 1,3,5,9, mean 4.5) = (12.25 + 2.25 + .25 + 20.25)/3 = 35/3, cov = 2
    // Σ = 1 + 35/3 + 4 = 50/3; mean offdiag = 2; α = 4·2/(50/3) = 0.48
    expect(alpha).toBeCloseTo(0.48, 14);
  });
  it('one value per group with at least two children', () => {
    const ds = fromRows(
      ['A', 'B', 'C', 'D'],
      ['a', 'b', 'c', 'P', 'Q', 'I'],
      [
        [1, 2, 1, 1, 1, 1],
        [2, 3, 3, 2, 3, 2],
        [3, 3, 2, 3, 2, 3],
        [4, 5, 4, 4, 4, 4],
      ],
    );
    const g = groupCronbach(ds, tinyFramework());
    expect(g.map((x) => x.group)).toEqual(['P', 'I']);
    expect(
      cronbachAlphaPairwise([
        [1, 2, 3, 4],
        [2, 3, 3, 5],
      ]),
    ).toBe(g.find((x) => x.group === 'P')!.alpha);
  });
});
