/**
 * Outranking matrix and Copeland scores (COINr `outrankMatrix`, `a_copeland`, R/aggregate.R;
 * Munda & Nardo 2009, "Noncompensatory/nonlinear composite indicators for ranking countries").
 * Matrices are column-major: `x[j*m + i]` is unit i, component j.
 */
import * as z from 'zod';
import { defineAggregation } from './definition.ts';
import { CityIndexError } from '../../core/errors.ts';

type Num = ArrayLike<number>;

export interface OutrankingResult {
  /** m×m, column-major: `matrix[k*m + i]` = share of weight with which unit i beats unit k. Diagonal 0. */
  matrix: Float64Array;
  /** Number of dominance pairs (entries equal to 1). */
  nDominant: number;
  /** nDominant / (m(m−1)/2). */
  fracDominant: number;
}

function normalisedWeights(w: Num, n: number): Float64Array {
  if (w.length !== n)
    throw new CityIndexError({
      code: 'E_SHAPE',
      message: `${w.length} weights for ${n} components`,
      expected: `${n} weights`,
    });
  let s = 0;
  for (let j = 0; j < n; j++) s += w[j];
  if (s === 0 || !Number.isFinite(s))
    throw new CityIndexError({
      code: 'E_WEIGHT_SUM',
      message: 'the weights sum to 0 (or are not finite)',
      expected: 'a positive weight sum',
    });
  const out = new Float64Array(n);
  for (let j = 0; j < n; j++) out[j] = w[j] / s;
  return out;
}

/**
 * Outranking matrix: `O[i,k] = Σ w_j [x_ij > x_kj] + ½ Σ w_j [x_ij = x_kj]` with weights rescaled to
 * sum 1; comparisons with a missing value count for neither unit (COINr `na.rm`). Without missing
 * values the lower triangle is `1 − upper`, as COINr; with them both directions are summed (COINr's
 * `1 − upper` would credit the dropped weight to the unit listed second).
 * @example outrankingMatrix(Float64Array.from([1,2,3,4, 3,2,1,5, 2,3,1,4]), 4, 3, [1,1,1]).matrix[0*4+1] // => 2/3
 */
export function outrankingMatrix(x: Num, m: number, n: number, weights: Num): OutrankingResult {
  const w = normalisedWeights(weights, n);
  const o = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let k = i + 1; k < m; k++) {
      let s = 0;
      let t = 0;
      let complete = true;
      for (let j = 0; j < n; j++) {
        const a = x[j * m + i];
        const b = x[j * m + k];
        if (Number.isNaN(a) || Number.isNaN(b)) {
          complete = false;
          continue;
        }
        if (a > b) s += w[j];
        else if (a < b) t += w[j];
        else {
          s += w[j] / 2;
          t += w[j] / 2;
        }
      }
      o[k * m + i] = s;
      // COINr fills the lower triangle as 1 − upper; identical without missing values, but with them it
      // would hand the dropped weight to the second unit, so both directions are summed here.
      o[i * m + k] = complete ? 1 - s : t;
    }
  }
  let nDominant = 0;
  for (let t = 0; t < m * m; t++) if (o[t] === 1) nDominant++;
  const pairs = (m * m - m) / 2;
  return { matrix: o, nDominant, fracDominant: pairs > 0 ? nDominant / pairs : NaN };
}

/**
 * Copeland scores: row sums of sign(O − ½) with a zero diagonal (COINr ≥ 1.0 `a_copeland`), i.e.
 * wins minus losses in weighted pairwise majority contests. A unit with no available value scores NaN.
 * Equality with ½ uses a tolerance of 1e-12 so that rounding in the weight sums cannot turn a tie into a win.
 * @example copeland(Float64Array.from([1,2, 2,1]), 2, 2, [1,1]) // => Float64Array [0, 0]
 */
export function copeland(x: Num, m: number, n: number, weights: Num): Float64Array {
  const { matrix } = outrankingMatrix(x, m, n, weights);
  const out = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let any = false;
    for (let j = 0; j < n; j++)
      if (!Number.isNaN(x[j * m + i])) {
        any = true;
        break;
      }
    if (!any) {
      out[i] = NaN;
      continue;
    }
    let s = 0;
    for (let k = 0; k < m; k++) {
      if (k === i) continue;
      const d = matrix[k * m + i] - 0.5;
      s += d > 1e-12 ? 1 : d < -1e-12 ? -1 : 0;
    }
    out[i] = s;
  }
  return out;
}

/** Options of `{ method: 'copeland' }`. */
export const CopelandAggregationSchema = z.strictObject({ method: z.literal('copeland') });

/** `copeland` aggregation. */
export const copelandAggregation = defineAggregation<typeof CopelandAggregationSchema>({
  method: 'copeland',
  schema: CopelandAggregationSchema,
  defaults: {},
  shape: 'group',
  completeCase: false,
  group: (input) => ({ scores: copeland(input.x, input.m, input.n, input.weights) }),
  text: { en: () => 'Copeland', zh: () => 'Copeland 计票' },
});
