/**
 * Standard-deviation weights: w_j = σ_j / Σ σ (population σ). Validated against pyrepo-mcda
 * `tests/test_weighting_methods.py` (std weighting test matrix).
 */
import { checkMatrix, columnMeanSd, normaliseToUnitSum, type MatrixLabels } from './input.ts';

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
 * sdWeights(X, 5, 3).weights // => ≈ [0.217, 0.294, 0.488]
 */
export function sdWeights(X: Float64Array, m: number, n: number, options: SdOptions = {}): SdResult {
  checkMatrix(X, m, n, 'SD', options, 2);
  const sd = new Float64Array(n);
  for (let j = 0; j < n; j++) sd[j] = columnMeanSd(X, m, j).sd;
  return { weights: normaliseToUnitSum(sd.slice(), 'SD', options), sd };
}
