/**
 * Weighted geometric mean (COINr `a_gmean`, R/aggregate.R): `exp(Σ w·ln x / Σ w)` over the
 * non-missing values. Partially compensatory; every available value must be > 0 (COINr stops on any
 * x ≤ 0; here a `CityIndexError` names each offending position).
 */
import { CityIndexError, type Issue } from '../core/errors.ts';

type Num = ArrayLike<number>;

/**
 * Weighted geometric mean of the non-missing values of `x` (NaN if none).
 * @example geometricMean([1, 2, 3], [1, 1, 2]) // => 2.2133638394…  ((1·2·3²)^(1/4))
 */
export function geometricMean(x: Num, w: Num): number {
  const bad: Issue[] = [];
  let sw = 0;
  let s = 0;
  let n = 0;
  for (let j = 0; j < x.length; j++) {
    const v = x[j];
    if (Number.isNaN(v)) continue;
    if (v <= 0) bad.push({ code: 'E_GMEAN_NONPOSITIVE', message: `value ${v} at position ${j + 1}: the geometric mean needs values > 0`, expected: '> 0' });
    sw += w[j];
    s += w[j] * Math.log(v);
    n++;
  }
  if (bad.length) throw new CityIndexError(bad);
  if (n === 0) return NaN;
  if (sw === 0) throw new CityIndexError({ code: 'E_WEIGHT_SUM', message: 'the weights of the available values sum to 0', expected: 'a non-zero weight sum' });
  return Math.exp(s / sw);
}
