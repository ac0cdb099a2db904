/**
 * Entropy weights (熵权法): indicators whose values are spread unevenly across units carry more
 * information and get more weight. Shannon entropy as used by Zeleny (1982) and Hwang & Yoon (1981);
 * validated against pyrepo-mcda `tests/test_weighting_methods.py` (Xu 2004, Zavadskas & Podvezko 2016, Ersoy 2021).
 */
import * as z from 'zod';
import { CityIndexError, type Issue } from '../../core/errors.ts';
import { checkMatrix, indicatorName, normaliseToUnitSum, unitName, type MatrixLabels } from './input.ts';
import { defineWeighting, toArr } from './definition.ts';
import { objectiveLevel, WeightScopeSchema } from './objective.ts';

/**
 * Shift applied to every value before p_ij is computed (Chinese practice to avoid ln 0 on min–max data):
 * `none` (default; 0·ln 0 = 0), `add1e-4` (r + 10⁻⁴), `affine0.01` (0.01 + 0.99 r). The shift changes the weights.
 */
export type EntropyShift = 'none' | 'add1e-4' | 'affine0.01';

export interface EntropyOptions extends MatrixLabels {
  /** Default `'none'`. */
  shift?: EntropyShift;
}

export interface EntropyResult {
  /** w_j = d_j / Σ d_k, sums to 1. */
  weights: Float64Array;
  /** e_j = −(1/ln m) Σ_i p_ij ln p_ij, in [0, 1]. */
  entropy: Float64Array;
  /** Degree of divergence d_j = 1 − e_j. */
  divergence: Float64Array;
  /** Indicators whose column sums to 0 (treated as carrying no information: e = 1). */
  zeroColumns: number[];
  /** Indicators with the same value for every unit: e = 1 exactly (not 1 ± rounding), so weight 0. */
  constantColumns: number[];
}

function shiftValue(x: number, shift: EntropyShift): number {
  switch (shift) {
    case 'none':
      return x;
    case 'add1e-4':
      return x + 1e-4;
    case 'affine0.01':
      return 0.01 + 0.99 * x;
    default:
      throw new CityIndexError({
        code: 'E_OPTION',
        message: `entropy: unknown shift "${String(shift)}"`,
        field: 'shift',
        expected: "'none', 'add1e-4' or 'affine0.01'",
      });
  }
}

/**
 * Entropy weights of the columns of a column-major m × n matrix of non-negative values:
 * p_ij = x_ij / Σ_i x_ij; e_j = −(1/ln m) Σ_i p_ij ln p_ij (0·ln 0 = 0); d_j = 1 − e_j; w_j = d_j / Σ d.
 * Negative values are an error naming the unit and indicator (normalise first).
 * @example
 * // Xu (2004) matrix, 4 units × 4 indicators, column-major
 * const X = new Float64Array([30,19,19,68, 30,54,15,70, 38,86,85,60, 29,29,28.9,29]);
 * entropyWeights(X, 4, 4).weights // => [0.4630…, 0.3992…, 0.1378…, 0.0000…]
 */
export function entropyWeights(X: Float64Array, m: number, n: number, options: EntropyOptions = {}): EntropyResult {
  const shift = options.shift ?? 'none';
  checkMatrix(X, m, n, 'entropy', options, 2);
  const issues: Issue[] = [];
  const Y = new Float64Array(X.length);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < m; i++) {
      const y = shiftValue(X[j * m + i], shift);
      if (y < 0 && issues.length < 20) {
        issues.push({
          code: 'E_ENTROPY_NEGATIVE',
          message: `entropy weights need non-negative values, found ${X[j * m + i]}`,
          unit: unitName(options, i),
          indicator: indicatorName(options, j),
          expected: 'a value ≥ 0 (normalise to [0, 1] or [0, 100] first)',
        });
      }
      Y[j * m + i] = y;
    }
  }
  if (issues.length) throw new CityIndexError(issues);
  const k = 1 / Math.log(m);
  const entropy = new Float64Array(n);
  const divergence = new Float64Array(n);
  const zeroColumns: number[] = [];
  const constantColumns: number[] = [];
  for (let j = 0; j < n; j++) {
    let s = 0;
    let constant = true;
    for (let i = 0; i < m; i++) {
      s += Y[j * m + i];
      if (Y[j * m + i] !== Y[j * m]) constant = false;
    }
    if (s === 0 || constant) {
      // Σ p ln p of a uniform column is −ln m only up to rounding (e = 0.9999999999999998): a constant
      // column must get exactly no weight, or two of them would share the weight by rounding noise
      (s === 0 ? zeroColumns : constantColumns).push(j);
      entropy[j] = 1;
      divergence[j] = 0;
      continue;
    }
    let h = 0;
    for (let i = 0; i < m; i++) {
      const p = Y[j * m + i] / s;
      if (p > 0) h += p * Math.log(p);
    }
    entropy[j] = -k * h;
    // a uniform column gives e = 1 up to rounding; never let rounding make a weight negative
    divergence[j] = Math.max(0, 1 - entropy[j]);
  }
  const weights = normaliseToUnitSum(divergence.slice(), 'entropy', options);
  return { weights, entropy, divergence, zeroColumns, constantColumns };
}

/** Options of `{ method: 'entropy', shift?, scope? }`. */
export const EntropyWeightingSchema = z.strictObject({
  method: z.literal('entropy'),
  shift: z.enum(['none', 'add1e-4', 'affine0.01']).optional(),
  scope: WeightScopeSchema.optional(),
});

const ENTROPY_DEFAULTS = { shift: 'none' } as const;

/** `entropy`: entropy weights per group. */
export const entropyWeighting = defineWeighting<typeof EntropyWeightingSchema>({
  method: 'entropy',
  schema: EntropyWeightingSchema,
  defaults: ENTROPY_DEFAULTS,
  level: (o, ctx) =>
    objectiveLevel(ctx, o, (X, m, n, labels) => {
      const shift = o.shift ?? ENTROPY_DEFAULTS.shift;
      const r = entropyWeights(X, m, n, { ...labels, shift });
      const details = { method: 'entropy', shift, entropy: toArr(r.entropy), divergence: toArr(r.divergence) } as const;
      return { weights: toArr(r.weights), details };
    }),
  text: {
    en: (o) => `entropy weights (shift: ${o.shift ?? ENTROPY_DEFAULTS.shift})`,
    zh: (o) => `熵权法（平移：${o.shift ?? ENTROPY_DEFAULTS.shift}）`,
  },
});
