/**
 * TOPSIS, the Technique for Order Preference by Similarity to Ideal Solution (Hwang & Yoon 1981;
 * METHODS.md §4.3): N = x/√Σx² per column (vector normalisation, or none), V = N·w (weights rescaled to
 * sum 1), A⁺/A⁻ = best/worst of each column by direction, D± = ‖V_i − A±‖₂, C_i = D⁻/(D⁺ + D⁻).
 * Validated against Ersoy (2021, LogForum 17(3)) as reproduced by pyrepo-mcda.
 * A unit with any missing component gets NaN (impute first); it does not enter the ideal points.
 * Matrices are column-major: `x[j*m + i]` is unit i, component j.
 */
import * as z from 'zod';
import { defineAggregation } from './definition.ts';
import { CityIndexError } from '../../core/errors.ts';

type Num = ArrayLike<number>;

export interface TopsisOptions {
  /** `vector` (default): x/√Σx² per column; `none`: use the values as given (e.g. already min–max scaled). */
  normalisation?: 'vector' | 'none';
}

export interface TopsisResult {
  /** Relative closeness to the ideal, C = D⁻/(D⁺ + D⁻) in [0, 1]; higher is better. */
  closeness: Float64Array;
  /** Distance to the positive ideal. */
  dPlus: Float64Array;
  /** Distance to the negative ideal. */
  dMinus: Float64Array;
}

/**
 * TOPSIS closeness of m units over n criteria.
 * @example topsis(Float64Array.from([1, 0, 0, 1]), 2, 2, [3, 1], [1, 1]).closeness // => Float64Array [0.75, 0.25]
 */
export function topsis(
  x: Num,
  m: number,
  n: number,
  weights: Num,
  directions: ArrayLike<1 | -1 | number>,
  options: TopsisOptions = {},
): TopsisResult {
  if (weights.length !== n || directions.length !== n || x.length !== m * n) {
    throw new CityIndexError({
      code: 'E_SHAPE',
      message:
        `topsis: ${x.length} values, ${weights.length} weights, ${directions.length} directions ` +
        `for ${m} units × ${n} criteria`,
    });
  }
  let sw = 0;
  for (let j = 0; j < n; j++) {
    if (!(weights[j] >= 0))
      throw new CityIndexError({
        code: 'E_NEGATIVE_WEIGHT',
        message: `topsis: weight ${weights[j]} of criterion ${j + 1} must be ≥ 0`,
        expected: '≥ 0',
      });
    sw += weights[j];
  }
  if (sw === 0)
    throw new CityIndexError({
      code: 'E_WEIGHT_SUM',
      message: 'topsis: the weights sum to 0',
      expected: 'a positive weight sum',
    });
  const complete = new Uint8Array(m).fill(1);
  for (let j = 0; j < n; j++) for (let i = 0; i < m; i++) if (Number.isNaN(x[j * m + i])) complete[i] = 0;
  const v = new Float64Array(m * n);
  const best = new Float64Array(n);
  const worst = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    let norm = 1;
    if ((options.normalisation ?? 'vector') === 'vector') {
      let ss = 0;
      for (let i = 0; i < m; i++) if (complete[i]) ss += x[j * m + i] * x[j * m + i];
      norm = Math.sqrt(ss);
      if (norm === 0)
        throw new CityIndexError({
          code: 'E_TOPSIS_ZERO_COLUMN',
          message: `topsis: criterion ${j + 1} is 0 for every unit`,
          expected: 'a criterion with a non-zero value',
        });
    }
    const wj = weights[j] / sw;
    let hi = -Infinity;
    let lo = Infinity;
    for (let i = 0; i < m; i++) {
      if (!complete[i]) continue;
      const val = (x[j * m + i] / norm) * wj;
      v[j * m + i] = val;
      if (val > hi) hi = val;
      if (val < lo) lo = val;
    }
    best[j] = directions[j] === -1 ? lo : hi;
    worst[j] = directions[j] === -1 ? hi : lo;
  }
  const closeness = new Float64Array(m);
  const dPlus = new Float64Array(m);
  const dMinus = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    if (!complete[i]) {
      closeness[i] = dPlus[i] = dMinus[i] = NaN;
      continue;
    }
    let sp = 0;
    let sm = 0;
    for (let j = 0; j < n; j++) {
      const a = v[j * m + i] - best[j];
      const b = v[j * m + i] - worst[j];
      sp += a * a;
      sm += b * b;
    }
    dPlus[i] = Math.sqrt(sp);
    dMinus[i] = Math.sqrt(sm);
    const d = dPlus[i] + dMinus[i];
    // all complete units identical: every unit is both ideal and anti-ideal; call it a tie at ½
    closeness[i] = d === 0 ? 0.5 : dMinus[i] / d;
  }
  return { closeness, dPlus, dMinus };
}

/** Options of `{ method: 'topsis' }`. */
export const TopsisAggregationSchema = z.strictObject({
  method: z.literal('topsis'),
  normalisation: z.enum(['vector', 'none']).optional(),
});

/** `topsis` aggregation. */
export const topsisAggregation = defineAggregation<typeof TopsisAggregationSchema>({
  method: 'topsis',
  schema: TopsisAggregationSchema,
  defaults: { normalisation: 'vector' },
  shape: 'group',
  completeCase: true,
  group: ({ x, m, n, weights }, o) => {
    const directions = new Array<number>(n).fill(1);
    return { scores: topsis(x, m, n, weights, directions, { normalisation: o.normalisation ?? 'vector' }).closeness };
  },
  text: { en: () => 'TOPSIS', zh: () => 'TOPSIS' },
});
