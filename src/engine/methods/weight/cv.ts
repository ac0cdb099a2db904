/**
 * Coefficient-of-variation weights (变异系数法): w_j ∝ s_j / x̄_j. Validated against pyrepo-mcda
 * `tests/test_weighting_methods.py::Test_Coeff_var` (Xu 2004 matrix).
 */
import * as z from 'zod';
import { CityIndexError, type Issue } from '../../core/errors.ts';
import { checkMatrix, columnMeanSd, indicatorName, normaliseToUnitSum, type MatrixLabels } from './input.ts';
import { defineWeighting, toArr } from './definition.ts';
import { objectiveLevel, WeightScopeSchema } from './objective.ts';

export type CvOptions = MatrixLabels;

export interface CvResult {
  /** w_j = CV_j / Σ CV, sums to 1. */
  weights: Float64Array;
  /** CV_j = s_j / x̄_j with the sample sd (n − 1); the choice cancels in the weights. */
  cv: Float64Array;
  mean: Float64Array;
}

/**
 * Coefficient-of-variation weights of a column-major m × n matrix. Every column mean must be positive
 * (a located error otherwise: CV is meaningless for data centred at or below 0, e.g. z-scores).
 * @example
 * // Xu (2004) matrix
 * const X = new Float64Array([30, 19, 19, 68, 30, 54, 15, 70, 38, 86, 85, 60, 29, 29, 28.9, 29]);
 * cvWeights(X, 4, 4).weights // => [0.425786…, 0.361031…, 0.212109…, 0.001074…]
 */
export function cvWeights(X: Float64Array, m: number, n: number, options: CvOptions = {}): CvResult {
  checkMatrix(X, m, n, 'CV', options, 2);
  const cv = new Float64Array(n);
  const mean = new Float64Array(n);
  const issues: Issue[] = [];
  const ddof = Math.sqrt(m / (m - 1));
  for (let j = 0; j < n; j++) {
    const s = columnMeanSd(X, m, j);
    mean[j] = s.mean;
    if (!(s.mean > 0)) {
      issues.push({
        code: 'E_CV_NONPOSITIVE_MEAN',
        message: `coefficient-of-variation weights need a positive mean, found ${s.mean}`,
        indicator: indicatorName(options, j),
        expected: 'positive data (e.g. raw values or min–max [0, 100]), not z-scores',
      });
      continue;
    }
    cv[j] = (s.sd * ddof) / s.mean;
  }
  if (issues.length) throw new CityIndexError(issues);
  return { weights: normaliseToUnitSum(cv.slice(), 'CV', options), cv, mean };
}

/** Options of `{ method: 'cv', scope? }`. */
export const CvWeightingSchema = z.strictObject({ method: z.literal('cv'), scope: WeightScopeSchema.optional() });

/** `cv`: coefficient-of-variation weights per group. */
export const cvWeighting = defineWeighting<typeof CvWeightingSchema>({
  method: 'cv',
  schema: CvWeightingSchema,
  defaults: {},
  level: (o, ctx) =>
    objectiveLevel(ctx, o, (X, m, n, labels) => {
      const r = cvWeights(X, m, n, labels);
      return { weights: toArr(r.weights), details: { method: 'cv', cv: toArr(r.cv), mean: toArr(r.mean) } };
    }),
  text: { en: () => 'coefficient of variation', zh: () => '变异系数法' },
});
