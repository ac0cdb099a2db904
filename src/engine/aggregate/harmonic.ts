/**
 * Weighted harmonic mean (COINr `a_hmean`, R/aggregate.R): `Σ w / Σ (w/x)` over the non-missing
 * values. Least compensatory of the power means. COINr only refuses zeros; negative values make the
 * mean meaningless, so here every available value must be > 0.
 */
import { CityIndexError, type Issue } from '../core/errors.ts';

type Num = ArrayLike<number>;

/**
 * Weighted harmonic mean of the non-missing values of `x` (NaN if none).
 * @example harmonicMean([1, 2, 3], [2, 1, 1]) // => 1.4117647…  (4/(2/1 + 1/2 + 1/3))
 */
export function harmonicMean(x: Num, w: Num): number {
  const bad: Issue[] = [];
  let sw = 0;
  let s = 0;
  let n = 0;
  for (let j = 0; j < x.length; j++) {
    const v = x[j];
    if (Number.isNaN(v)) continue;
    if (v <= 0) bad.push({ code: 'E_HMEAN_NONPOSITIVE', message: `value ${v} at position ${j + 1}: the harmonic mean needs values > 0`, expected: '> 0' });
    sw += w[j];
    s += w[j] / v;
    n++;
  }
  if (bad.length) throw new CityIndexError(bad);
  if (n === 0) return NaN;
  if (sw === 0) throw new CityIndexError({ code: 'E_WEIGHT_SUM', message: 'the weights of the available values sum to 0', expected: 'a non-zero weight sum' });
  return sw / s;
}
