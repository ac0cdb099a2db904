/**
 * PCA / factor-analysis weights.
 * - `oecd` (default): OECD/JRC Handbook on Constructing Composite Indicators (2008), Part 2 §6.1, after
 *   Nicoletti, Scarpetta & Boylaud (2000): standardise; retain factors with eigenvalue > 1 that each explain
 *   > 10 % of the variance (a warning when the retained ones explain ≤ 60 % together); varimax
 *   rotation (Kaiser normalisation, as R `stats::varimax`); squared rotated loadings scaled to unit sum per
 *   factor; each indicator is assigned to the factor of its largest squared loading; weight = scaled squared
 *   loading × (factor's rotated explained variance / total over retained factors); renormalised to sum 1.
 * - `coinrPc1`: COINr `get_PCA()`: the raw PC1 loadings of `prcomp(center = TRUE, scale = TRUE)` (eigenvector
 *   of the correlation matrix; can be negative; not normalised). COINr's sign is arbitrary; we choose the sign
 *   that makes the loadings sum positive.
 */
import * as z from 'zod';
import { EVD, Matrix, SVD } from 'ml-matrix';
import { CityIndexError, type Issue } from '../../core/errors.ts';
import { checkMatrix, columnMeanSd, indicatorName, type MatrixLabels } from './input.ts';
import { defineWeighting, toArr } from './definition.ts';
import { objectiveLevel, WeightScopeSchema } from './objective.ts';

export type PcaVariant = 'oecd' | 'coinrPc1';

export interface PcaOptions extends MatrixLabels {
  /** Default `'oecd'`. */
  variant?: PcaVariant;
  /** Retain factors with eigenvalue above this (default 1, the Kaiser criterion); at least one is kept. */
  minEigenvalue?: number;
  /** …and explaining more than this share of the total variance each (default 0.10, OECD Handbook). */
  minVarianceShare?: number;
}

export interface PcaResult {
  variant: PcaVariant;
  /** `oecd`: non-negative, sum 1. `coinrPc1`: raw PC1 loadings. */
  weights: Float64Array;
  /** Eigenvalues of the correlation matrix, descending (they sum to n). */
  eigenvalues: Float64Array;
  /** Share of total variance per eigenvalue (eigenvalue / n). */
  varianceExplained: Float64Array;
  /** Number of retained factors (`coinrPc1`: 1). */
  retained: number;
  /** Unrotated loadings of the retained factors, `loadings[j][f]` = eigenvector × √eigenvalue. */
  loadings: number[][];
  /** Varimax-rotated loadings (`oecd`; equal to `loadings` when one factor is retained). */
  rotatedLoadings: number[][];
  /** Rotated explained variance per retained factor, Σ_j L_jf². */
  factorVariance: Float64Array;
  /** `oecd`: the factor (0-based) each indicator is assigned to. */
  factorOfIndicator: Int32Array;
  warnings: Issue[];
}

/** Correlation matrix (n × n) of the columns of a column-major m × n matrix; a constant column is an error. */
function correlationMatrix(X: Float64Array, m: number, n: number, labels: MatrixLabels): Matrix {
  const Z = new Float64Array(X.length);
  const issues: Issue[] = [];
  for (let j = 0; j < n; j++) {
    const { mean, sd } = columnMeanSd(X, m, j);
    if (!(sd > 0)) {
      issues.push({
        code: 'E_PCA_CONSTANT',
        message: 'PCA weights: indicator is constant over the units used, its correlations are undefined',
        indicator: indicatorName(labels, j),
        expected: 'an indicator with variation (or drop it from the group)',
      });
      continue;
    }
    for (let i = 0; i < m; i++) Z[j * m + i] = (X[j * m + i] - mean) / sd;
  }
  if (issues.length) throw new CityIndexError(issues);
  const R = new Matrix(n, n);
  for (let j = 0; j < n; j++) {
    R.set(j, j, 1);
    for (let k = j + 1; k < n; k++) {
      let c = 0;
      for (let i = 0; i < m; i++) c += Z[j * m + i] * Z[k * m + i];
      R.set(j, k, c / m);
      R.set(k, j, c / m);
    }
  }
  return R;
}

/**
 * Varimax rotation with Kaiser normalisation, the algorithm of R `stats::varimax(x, normalize = TRUE, eps = 1e-5)`.
 * `loadings[j][f]` for p rows and k factors; returns the rotated loadings and the rotation matrix.
 * @example
 * // the rotation keeps each row's communality (sum of squared loadings)
 * varimax([[0.8, 0.3], [0.7, 0.4], [0.3, 0.8]]).loadings.map((r) => r[0] ** 2 + r[1] ** 2) // => [0.73, 0.65, 0.73]
 */
export function varimax(
  loadings: readonly (readonly number[])[],
  eps = 1e-5,
): { loadings: number[][]; rotation: number[][] } {
  const p = loadings.length;
  const k = p ? loadings[0].length : 0;
  if (k < 2) return { loadings: loadings.map((r) => [...r]), rotation: k === 1 ? [[1]] : [] };
  const sc = loadings.map((r) => Math.sqrt(r.reduce((s, v) => s + v * v, 0)));
  const x = new Matrix(loadings.map((r, j) => r.map((v) => (sc[j] > 0 ? v / sc[j] : v))));
  let T = Matrix.eye(k);
  let d = 0;
  for (let it = 0; it < 1000; it++) {
    const z = x.mmul(T);
    const colSq = new Float64Array(k);
    for (let j = 0; j < p; j++) for (let f = 0; f < k; f++) colSq[f] += z.get(j, f) ** 2;
    const inner = new Matrix(p, k);
    for (let j = 0; j < p; j++) {
      for (let f = 0; f < k; f++) {
        const v = z.get(j, f);
        inner.set(j, f, v * v * v - (v * colSq[f]) / p);
      }
    }
    const B = x.transpose().mmul(inner);
    const svd = new SVD(B);
    T = svd.leftSingularVectors.mmul(svd.rightSingularVectors.transpose());
    const dPast = d;
    d = svd.diagonal.reduce((s, v) => s + v, 0);
    if (d < dPast * (1 + eps)) break;
  }
  const z = x.mmul(T);
  const out = z.to2DArray().map((r, j) => r.map((v) => (sc[j] > 0 ? v * sc[j] : v)));
  return { loadings: out, rotation: T.to2DArray() };
}

/**
 * PCA-based weights of the columns of a column-major m × n matrix (complete data; see the module comment).
 * @example
 * // two uncorrelated blocks of perfectly correlated indicators → 2 retained factors, weights ≥ 0, Σ = 1
 * const a = [1, -1, 1, -1, 1, -1, 1, -1];
 * const b = [1, 1, -1, -1, 1, 1, -1, -1];
 * const X = Float64Array.from([...a, ...a.map((v) => 2 * v + 5), ...a.map((v) => 3 * v - 1), ...b, ...b]);
 * pcaWeights(X, 8, 5).retained // => 2
 */
export function pcaWeights(X: Float64Array, m: number, n: number, options: PcaOptions = {}): PcaResult {
  const variant = options.variant ?? 'oecd';
  const minEigen = options.minEigenvalue ?? 1;
  const minShare = options.minVarianceShare ?? 0.1;
  checkMatrix(X, m, n, 'PCA', options, 3);
  const R = correlationMatrix(X, m, n, options);
  const evd = new EVD(R, { assumeSymmetric: true });
  const order = evd.realEigenvalues.map((v, i) => [v, i] as const).sort((a, b) => b[0] - a[0]);
  const eigenvalues = Float64Array.from(order, ([v]) => Math.max(v, 0));
  const varianceExplained = eigenvalues.map((v) => v / n);
  const V = evd.eigenvectorMatrix;
  // eigenvectors in descending order, sign fixed so that each sums to a positive number
  const vectors = order.map(([, idx]) => {
    const v = V.getColumn(idx);
    const s = v.reduce((a, b) => a + b, 0);
    return s < 0 ? v.map((x) => -x) : v;
  });
  const warnings: Issue[] = [];
  switch (variant) {
    case 'coinrPc1': {
      const w = Float64Array.from(vectors[0]);
      const loadings = w.length ? Array.from(w, (v) => [v * Math.sqrt(eigenvalues[0])]) : [];
      if (w.some((v) => v < 0)) {
        warnings.push({
          code: 'W_PCA_NEGATIVE',
          severity: 'warning',
          message:
            'PC1 loadings include negative values: as in COINr, those indicators will pull the aggregate the other way',
          expected: "variant 'oecd' for non-negative weights",
        });
      }
      return {
        variant,
        weights: w,
        eigenvalues,
        varianceExplained,
        retained: 1,
        loadings,
        rotatedLoadings: loadings,
        factorVariance: Float64Array.of(eigenvalues[0]),
        factorOfIndicator: new Int32Array(n),
        warnings,
      };
    }
    case 'oecd': {
      let k = 0;
      while (k < n && eigenvalues[k] > minEigen + 1e-9 && varianceExplained[k] > minShare) k++;
      if (k === 0) {
        k = 1;
        warnings.push({
          code: 'W_PCA_NO_FACTOR',
          severity: 'warning',
          message:
            `PCA weights: no factor has an eigenvalue above ${minEigen} and explains more than ` +
            `${minShare * 100} % of the variance; the first factor is used`,
          expected: 'correlated indicators',
        });
      }
      let cum = 0;
      for (let f = 0; f < k; f++) cum += varianceExplained[f];
      if (cum < 0.6) {
        warnings.push({
          code: 'W_PCA_LOW_VARIANCE',
          severity: 'warning',
          message:
            `PCA weights: the ${k} retained factor(s) explain ${(cum * 100).toFixed(1)} % of the variance ` +
            '(the OECD Handbook asks for more than 60 %)',
          expected: '> 60 % cumulative variance',
        });
      }
      const loadings: number[][] = [];
      for (let j = 0; j < n; j++) {
        const row: number[] = [];
        for (let f = 0; f < k; f++) row.push(vectors[f][j] * Math.sqrt(eigenvalues[f]));
        loadings.push(row);
      }
      const rotatedLoadings = varimax(loadings).loadings;
      const factorVariance = new Float64Array(k);
      for (let j = 0; j < n; j++) for (let f = 0; f < k; f++) factorVariance[f] += rotatedLoadings[j][f] ** 2;
      let totalVar = 0;
      for (let f = 0; f < k; f++) totalVar += factorVariance[f];
      const factorOfIndicator = new Int32Array(n);
      const weights = new Float64Array(n);
      for (let j = 0; j < n; j++) {
        let best = 0;
        for (let f = 1; f < k; f++) if (rotatedLoadings[j][f] ** 2 > rotatedLoadings[j][best] ** 2) best = f;
        factorOfIndicator[j] = best;
        weights[j] = (rotatedLoadings[j][best] ** 2 / factorVariance[best]) * (factorVariance[best] / totalVar);
      }
      let s = 0;
      for (let j = 0; j < n; j++) s += weights[j];
      for (let j = 0; j < n; j++) weights[j] /= s;
      return {
        variant,
        weights,
        eigenvalues,
        varianceExplained,
        retained: k,
        loadings,
        rotatedLoadings,
        factorVariance,
        factorOfIndicator,
        warnings,
      };
    }
    default:
      throw new CityIndexError({
        code: 'E_OPTION',
        message: `PCA: unknown variant "${String(variant)}"`,
        field: 'variant',
        expected: "'oecd' or 'coinrPc1'",
      });
  }
}

/**
 * Options of `{ method: 'pca', variant?, scope? }`: `oecd` squared varimax-rotated loadings (OECD Handbook),
 * `coinrPc1` COINr's raw PC1 loadings.
 */
export const PcaWeightingSchema = z.strictObject({
  method: z.literal('pca'),
  variant: z.enum(['oecd', 'coinrPc1']).optional(),
  scope: WeightScopeSchema.optional(),
});

const PCA_DEFAULTS = { variant: 'oecd' } as const;

/** `pca`: PCA weights per group. */
export const pcaWeighting = defineWeighting<typeof PcaWeightingSchema>({
  method: 'pca',
  schema: PcaWeightingSchema,
  defaults: PCA_DEFAULTS,
  level: (o, ctx) =>
    objectiveLevel(ctx, o, (X, m, n, labels) => {
      const r = pcaWeights(X, m, n, { ...labels, variant: o.variant ?? PCA_DEFAULTS.variant });
      const details = {
        method: 'pca',
        variant: r.variant,
        eigenvalues: toArr(r.eigenvalues),
        varianceExplained: toArr(r.varianceExplained),
        retained: r.retained,
        rotatedLoadings: r.rotatedLoadings,
        factorOfIndicator: toArr(r.factorOfIndicator),
      } as const;
      return { weights: toArr(r.weights), details, warnings: r.warnings };
    }),
  text: {
    en: (o) => `PCA weights (${o.variant ?? PCA_DEFAULTS.variant})`,
    zh: (o) => `主成分分析权重（${o.variant ?? PCA_DEFAULTS.variant}）`,
  },
});
