/**
 * Weighted harmonic mean (COINr `a_hmean`, R/aggregate.R): `Σ w / Σ (w/x)` over the non-missing
 * values. Least compensatory of the power means. COINr only refuses zeros; negative values make the
 * mean meaningless, so here every available value must be > 0.
 */
import { weightedTermSums, type WeightedTerm } from './weighted-sums.ts';

type Num = ArrayLike<number>;

/**
 * Weighted harmonic mean of the non-missing values of `x` (NaN if none).
 * @example harmonicMean([1, 2, 3], [2, 1, 1]) // => 1.4117647…  (4/(2/1 + 1/2 + 1/3))
 */
export function harmonicMean(x: Num, w: Num): number {
  const r = weightedTermSums(x, w, HARMONIC);
  return r ? r.sw / r.s : NaN;
}

const HARMONIC: WeightedTerm = {
  term: (w, v) => w / v,
  problem: (v) => (v <= 0 ? 'the harmonic mean needs values > 0' : null),
  code: 'E_HMEAN_NONPOSITIVE',
  expected: '> 0',
};
