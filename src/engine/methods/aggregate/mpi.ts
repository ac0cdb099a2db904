/**
 * Mazziotta–Pareto Index (De Muro, Mazziotta & Pareto 2011, Social Indicators Research 104:1–18;
 * Compind `ci_mpi`; METHODS.md §4.3). Each component is re-standardised
 * z_ij = 100 ± 10·(x_ij − M_j)/S_j (population S_j, sign by direction); for each unit
 * M_i = mean_j z_ij, S_i = sd_j z_ij (population), cv_i = S_i/M_i and
 * MPI⁻ = M_i − S_i·cv_i (default, penalises unbalance for a positive phenomenon) or MPI⁺ = M_i + S_i·cv_i.
 * With weights, M_i and S_i are weighted (Σw z/Σw, √(Σw (z − M_i)²/Σw)); equal weights give the
 * published formula. Missing values are skipped in both the column and the unit statistics.
 * Matrices are column-major: `x[j*m + i]` is unit i, component j.
 */
import * as z from 'zod';
import { defineAggregation } from './definition.ts';
import { CityIndexError } from '../../core/errors.ts';

type Num = ArrayLike<number>;

export interface MpiOptions {
  /** `-` (default): MPI⁻ = M − S·cv; `+`: MPI⁺ = M + S·cv. */
  sign?: '-' | '+';
  /** Direction of each component (default all +1). */
  directions?: ArrayLike<number>;
}

export interface MpiResult {
  scores: Float64Array;
  /** M_i: mean of the standardised components. */
  mean: Float64Array;
  /** S_i: population sd of the standardised components. */
  sd: Float64Array;
  /** cv_i = S_i / M_i. */
  cv: Float64Array;
}

/**
 * Mazziotta–Pareto index of m units over n components.
 * @example mpi(Float64Array.from([1, 2, 3, 3, 2, 1]), 3, 2, [1, 1]).scores // => Float64Array [98.5, 100, 98.5]
 */
export function mpi(x: Num, m: number, n: number, weights: Num, options: MpiOptions = {}): MpiResult {
  if (weights.length !== n || x.length !== m * n)
    throw new CityIndexError({
      code: 'E_SHAPE',
      message: `mpi: ${x.length} values and ${weights.length} weights for ${m} units × ${n} components`,
    });
  for (let j = 0; j < n; j++)
    if (!(weights[j] >= 0))
      throw new CityIndexError({
        code: 'E_NEGATIVE_WEIGHT',
        message: `mpi: weight ${weights[j]} of component ${j + 1} must be ≥ 0`,
        expected: '≥ 0',
      });
  const z = new Float64Array(m * n);
  for (let j = 0; j < n; j++) {
    let s = 0;
    let k = 0;
    for (let i = 0; i < m; i++) {
      const v = x[j * m + i];
      if (!Number.isNaN(v)) {
        s += v;
        k++;
      }
    }
    const mj = s / k;
    let ss = 0;
    for (let i = 0; i < m; i++) {
      const v = x[j * m + i];
      if (!Number.isNaN(v)) ss += (v - mj) * (v - mj);
    }
    const sj = Math.sqrt(ss / k);
    if (!(sj > 0))
      throw new CityIndexError({
        code: 'E_MPI_CONSTANT',
        message: `mpi: component ${j + 1} has no variation (population sd ${sj})`,
        expected: 'a component with at least two distinct values',
      });
    const sign = (options.directions?.[j] ?? 1) === -1 ? -1 : 1;
    for (let i = 0; i < m; i++) z[j * m + i] = 100 + (sign * 10 * (x[j * m + i] - mj)) / sj;
  }
  const scores = new Float64Array(m);
  const mean = new Float64Array(m);
  const sd = new Float64Array(m);
  const cv = new Float64Array(m);
  const pen = (options.sign ?? '-') === '-' ? -1 : 1;
  for (let i = 0; i < m; i++) {
    let sw = 0;
    let s = 0;
    let k = 0;
    for (let j = 0; j < n; j++) {
      const v = z[j * m + i];
      if (!Number.isNaN(v)) {
        sw += weights[j];
        s += weights[j] * v;
        k++;
      }
    }
    if (k === 0) {
      scores[i] = mean[i] = sd[i] = cv[i] = NaN;
      continue;
    }
    if (sw === 0)
      throw new CityIndexError({
        code: 'E_WEIGHT_SUM',
        message: `mpi: the weights of the components available for unit ${i + 1} sum to 0`,
        expected: 'a non-zero weight sum',
      });
    const mi = s / sw;
    let ss = 0;
    for (let j = 0; j < n; j++) {
      const v = z[j * m + i];
      if (!Number.isNaN(v)) ss += weights[j] * (v - mi) * (v - mi);
    }
    const si = Math.sqrt(ss / sw);
    mean[i] = mi;
    sd[i] = si;
    cv[i] = si / mi;
    scores[i] = mi + pen * si * (si / mi);
  }
  return { scores, mean, sd, cv };
}

/** Options of `{ method: 'mpi' }`. */
export const MpiAggregationSchema = z.strictObject({
  method: z.literal('mpi'),
  /** `-` penalises unbalance for positive phenomena (default). */
  sign: z.enum(['-', '+']).optional(),
});

/** `mpi` aggregation. */
export const mpiAggregation = defineAggregation<typeof MpiAggregationSchema>({
  method: 'mpi',
  schema: MpiAggregationSchema,
  defaults: { sign: '-' },
  shape: 'group',
  completeCase: false,
  group: (input, o) => ({ scores: mpi(input.x, input.m, input.n, input.weights, { sign: o.sign ?? '-' }).scores }),
  text: { en: () => 'Mazziotta–Pareto index', zh: () => 'Mazziotta–Pareto 指数' },
});
