/**
 * Standard-deviation weights: w_j = σ_j / Σ σ (population σ). Validated against pyrepo-mcda
 * `tests/test_weighting_methods.py` (std weighting test matrix).
 */
import * as z from 'zod';
import { checkMatrix, columnMeanSd, normaliseToUnitSum, type MatrixLabels } from './input.ts';
import { defineWeighting, toArr } from './definition.ts';
import { objectiveLevel, WeightScopeSchema } from './objective.ts';

export type SdOptions = MatrixLabels;

export interface SdResult {
  /** Sums to 1. */
  weights: Float64Array;
  /** Population standard deviation per column. */
  sd: Float64Array;
}

/**
 * Standard-deviation weights of a column-major m × n matrix (meaningful when the columns share a scale,
 * i.e. after normalisation).
 * @example
 * // pyrepo-mcda test matrix, 5 × 3
 * const rows = [
 *   [0.619, 0.449, 0.447],
 *   [0.862, 0.466, 0.006],
 *   [0.458, 0.698, 0.771],
 *   [0.777, 0.631, 0.491],
 *   [0.567, 0.992, 0.968],
 * ];
 * const X = Float64Array.from({ length: 15 }, (_, k) => rows[k % 5][Math.floor(k / 5)]);
 * sdWeights(X, 5, 3).weights // => [0.217…, 0.294…, 0.488…]
 */
export function sdWeights(X: Float64Array, m: number, n: number, options: SdOptions = {}): SdResult {
  checkMatrix(X, m, n, 'SD', options, 2);
  const sd = new Float64Array(n);
  for (let j = 0; j < n; j++) sd[j] = columnMeanSd(X, m, j).sd;
  return { weights: normaliseToUnitSum(sd.slice(), 'SD', options), sd };
}

/** Options of `{ method: 'sd', scope? }`. */
export const SdWeightingSchema = z.strictObject({ method: z.literal('sd'), scope: WeightScopeSchema.optional() });

/** `sd`: standard-deviation weights per group. */
export const sdWeighting = defineWeighting<typeof SdWeightingSchema>({
  method: 'sd',
  schema: SdWeightingSchema,
  defaults: {},
  level: (o, ctx) =>
    objectiveLevel(ctx, o, (X, m, n, labels) => {
      const r = sdWeights(X, m, n, labels);
      return { weights: toArr(r.weights), details: { method: 'sd', sd: toArr(r.sd) } };
    }),
  text: { en: () => 'standard deviation', zh: () => '标准差法' },
});
