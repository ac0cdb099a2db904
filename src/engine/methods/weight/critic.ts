/**
 * CRITIC weights (CRiteria Importance Through Intercriteria Correlation): contrast intensity (standard
 * deviation) times conflict with the other indicators (1 − correlation).
 * Diakoulaki, Mavrotas & Papayannakis (1995), Computers & OR 22(7):763–770; validated against pyrepo-mcda
 * (Tuş & Aytaç Adalı 2019, Opsearch 56:528–538).
 */
import * as z from 'zod';
import { CityIndexError } from '../../core/errors.ts';
import { checkMatrix, indicatorName, normaliseToUnitSum, type MatrixLabels } from './input.ts';
import { defineWeighting, toArr } from './definition.ts';
import { objectiveLevel, WeightScopeSchema } from './objective.ts';

export interface CriticOptions extends MatrixLabels {
  /**
   * Polarity per indicator (+1 benefit, −1 cost) used by the min–max step; default all +1.
   * A cost column flips its correlations, so this changes the weights: state it explicitly.
   */
  directions?: ArrayLike<number>;
}

export interface CriticResult {
  /** w_j = C_j / Σ C, sums to 1. */
  weights: Float64Array;
  /** σ_j: population standard deviation of the min–max column (0 for a constant column). */
  sd: Float64Array;
  /** Information content C_j = σ_j Σ_k (1 − ρ_jk). */
  information: Float64Array;
  /** Pearson correlations of the min–max columns, n × n row-major (ρ with a constant column is reported as 0). */
  correlation: Float64Array;
  /** Indicators that are constant (weight 0). */
  constantColumns: number[];
}

/**
 * CRITIC weights of a column-major m × n matrix: r = min–max by polarity; σ_j population sd of r_j;
 * ρ_jk Pearson; C_j = σ_j Σ_k (1 − ρ_jk); w_j = C_j / Σ C.
 * @example
 * // Tuş & Aytaç Adalı (2019), 5 units × 6 indicators, all benefit
 * const rows = [
 *   [5000, 3, 3, 4, 3, 2],
 *   [680, 5, 3, 2, 2, 1],
 *   [2000, 3, 2, 3, 4, 3],
 *   [600, 4, 3, 1, 2, 2],
 *   [800, 2, 4, 3, 3, 4],
 * ];
 * const X = Float64Array.from({ length: 30 }, (_, k) => rows[k % 5][Math.floor(k / 5)]);
 * criticWeights(X, 5, 6).weights // => [0.157003…, 0.249489…, 0.167675…, 0.121100…, 0.154099…, 0.150633…]
 */
export function criticWeights(X: Float64Array, m: number, n: number, options: CriticOptions = {}): CriticResult {
  checkMatrix(X, m, n, 'CRITIC', options, 2);
  const dirs = options.directions;
  if (dirs && dirs.length !== n) {
    throw new CityIndexError({
      code: 'E_SHAPE',
      message: `CRITIC: ${dirs.length} directions for ${n} indicators`,
      field: 'directions',
      expected: `${n} values of +1 or −1`,
    });
  }
  const R = new Float64Array(X.length);
  const sd = new Float64Array(n);
  const constantColumns: number[] = [];
  for (let j = 0; j < n; j++) {
    const d = dirs ? dirs[j] : 1;
    if (d !== 1 && d !== -1) {
      throw new CityIndexError({
        code: 'E_DIRECTION',
        message: `CRITIC: direction must be +1 or −1, found ${d}`,
        indicator: indicatorName(options, j),
        field: 'directions',
        expected: '+1 or −1',
      });
    }
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < m; i++) {
      const x = X[j * m + i];
      if (x < lo) lo = x;
      if (x > hi) hi = x;
    }
    const range = hi - lo;
    if (range === 0) {
      constantColumns.push(j);
      continue;
    }
    let s = 0;
    for (let i = 0; i < m; i++) {
      const r = d === 1 ? (X[j * m + i] - lo) / range : (hi - X[j * m + i]) / range;
      R[j * m + i] = r;
      s += r;
    }
    const mu = s / m;
    let ss = 0;
    for (let i = 0; i < m; i++) {
      const c = R[j * m + i] - mu;
      R[j * m + i] = c; // keep centred values for the correlations
      ss += c * c;
    }
    sd[j] = Math.sqrt(ss / m);
  }
  const correlation = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    correlation[j * n + j] = sd[j] > 0 ? 1 : 0;
    for (let k = j + 1; k < n; k++) {
      let rho = 0;
      if (sd[j] > 0 && sd[k] > 0) {
        let c = 0;
        for (let i = 0; i < m; i++) c += R[j * m + i] * R[k * m + i];
        rho = c / m / (sd[j] * sd[k]);
      }
      correlation[j * n + k] = rho;
      correlation[k * n + j] = rho;
    }
  }
  const information = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    let conflict = 0;
    for (let k = 0; k < n; k++) conflict += 1 - correlation[j * n + k];
    information[j] = sd[j] * conflict;
  }
  const weights = normaliseToUnitSum(information.slice(), 'CRITIC', options);
  return { weights, sd, information, correlation, constantColumns };
}

/** Options of `{ method: 'critic', scope? }`. */
export const CriticWeightingSchema = z.strictObject({
  method: z.literal('critic'),
  scope: WeightScopeSchema.optional(),
});

/** `critic`: CRITIC weights per group. */
export const criticWeighting = defineWeighting<typeof CriticWeightingSchema>({
  method: 'critic',
  schema: CriticWeightingSchema,
  defaults: {},
  level: (o, ctx) =>
    objectiveLevel(ctx, o, (X, m, n, labels) => {
      const r = criticWeights(X, m, n, labels);
      const details = { method: 'critic', sd: toArr(r.sd), information: toArr(r.information) } as const;
      return { weights: toArr(r.weights), details };
    }),
  text: { en: () => 'CRITIC', zh: () => 'CRITIC 法' },
});
