/**
 * Weighted generalised (power) mean (COINr `a_genmean`; Compind): `(Σ w·x^p / Σ w)^(1/p)`.
 * p = 1 arithmetic, p = −1 harmonic, p → 0 geometric (p = 0 is refused, as in COINr).
 * Deliberate difference: COINr does not drop missing values here (any NA gives NA); cityindex drops
 * them with their weights, like every other mean.
 * Negative p needs x > 0; a non-integer p needs x ≥ 0.
 */
import { CityIndexError, type Issue } from '../core/errors.ts';

type Num = ArrayLike<number>;

/**
 * Weighted power mean of the non-missing values of `x` (NaN if none).
 * @example generalisedMean([1, 2, 3], [2, 1, 1], -1) // => 1.4117647…  (the harmonic mean)
 */
export function generalisedMean(x: Num, w: Num, p: number): number {
  if (p === 0 || !Number.isFinite(p)) {
    throw new CityIndexError({ code: 'E_GENMEAN_P', message: `the generalised mean needs a finite p ≠ 0 (got ${p}); p → 0 is the geometric mean`, field: 'p', expected: 'a finite number ≠ 0' });
  }
  const bad: Issue[] = [];
  let sw = 0;
  let s = 0;
  let n = 0;
  for (let j = 0; j < x.length; j++) {
    const v = x[j];
    if (Number.isNaN(v)) continue;
    const problem = generalisedMeanProblem(v, p);
    if (problem) bad.push({ code: 'E_GENMEAN_DOMAIN', message: `value ${v} at position ${j + 1}: ${problem}`, expected: p < 0 ? '> 0' : '≥ 0' });
    sw += w[j];
    s += w[j] * Math.pow(v, p);
    n++;
  }
  if (bad.length) throw new CityIndexError(bad);
  if (n === 0) return NaN;
  if (sw === 0) throw new CityIndexError({ code: 'E_WEIGHT_SUM', message: 'the weights of the available values sum to 0', expected: 'a non-zero weight sum' });
  return Math.pow(s / sw, 1 / p);
}

/** Why `v` cannot enter a power mean of order p, or null if it can. */
export function generalisedMeanProblem(v: number, p: number): string | null {
  if (p < 0 && v <= 0) return `a power mean with p = ${p} < 0 needs values > 0`;
  if (!Number.isInteger(p) && v < 0) return `a power mean with non-integer p = ${p} needs values ≥ 0`;
  return null;
}
