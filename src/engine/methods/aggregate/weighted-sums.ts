/**
 * The loop the weighted power means share (geometric, harmonic, generalised; COINr `a_gmean`,
 * `a_hmean`, `a_genmean`): over the non-missing values, Σw and Σ w·f(x), both correctly rounded (as R's
 * long-double `sum()`), refusing every value outside the mean's domain with one issue per position, and
 * a zero weight sum.
 */
import { CityIndexError, type Issue } from '../../core/errors.ts';
import { ExactSum } from '../../core/sum.ts';

const termSum = new ExactSum();
const weightSum = new ExactSum();

type Num = ArrayLike<number>;

/** How one mean maps a value and which values it refuses. */
export interface WeightedTerm {
  /** The weighted term of value v with weight w: w·ln v, w/v, w·v^p. */
  term: (w: number, v: number) => number;
  /** Why v is outside the domain, or null. */
  problem: (v: number) => string | null;
  /** Issue code for a value outside the domain, e.g. `E_GMEAN_NONPOSITIVE`. */
  code: string;
  /** What a value must be, e.g. `> 0`. */
  expected: string;
}

/**
 * Σw and Σ term(w, x) over the non-missing values of `x`, or null when every value is missing. Throws
 * one `CityIndexError` listing every value outside the domain, or when the weights of the available
 * values sum to 0.
 * @example
 * const sqrtTerms = {
 *   term: (wj: number, v: number) => wj * Math.sqrt(v),
 *   problem: () => null,
 *   code: 'E',
 *   expected: '≥ 0',
 * };
 * weightedTermSums([1, NaN, 4], [1, 1, 3], sqrtTerms) // => { sw: 4, s: 7 }
 */
export function weightedTermSums(x: Num, w: Num, mean: WeightedTerm): { sw: number; s: number } | null {
  const bad: Issue[] = [];
  termSum.reset();
  weightSum.reset();
  let n = 0;
  for (let j = 0; j < x.length; j++) {
    const v = x[j];
    if (Number.isNaN(v)) continue;
    const problem = mean.problem(v);
    if (problem)
      bad.push({ code: mean.code, message: `value ${v} at position ${j + 1}: ${problem}`, expected: mean.expected });
    weightSum.add(w[j]);
    termSum.add(mean.term(w[j], v));
    n++;
  }
  if (bad.length) throw new CityIndexError(bad);
  if (n === 0) return null;
  const sw = weightSum.value();
  if (sw === 0)
    throw new CityIndexError({
      code: 'E_WEIGHT_SUM',
      message: 'the weights of the available values sum to 0',
      expected: 'a non-zero weight sum',
    });
  return { sw, s: termSum.value() };
}
