/**
 * Benefit of the Doubt (Melyn & Moesen 1991; Cherchye, Moesen, Rogge & Van Puyenbroeck 2007, Social
 * Indicators Research 82:111–145; Compind `ci_bod`; METHODS.md §4.3): each unit c gets the weights
 * most favourable to it,
 *   CI_c = max_w Σ_j w_j y_cj  s.t.  Σ_j w_j y_kj ≤ 1 for every unit k,  w ≥ 0,
 * one LP per unit (solved with the dense simplex in `simplex.ts`). Scores lie in [0, 1] and the best
 * unit scores 1. Many units at 1 means the weights are degenerate — `nAtFrontier` reports it.
 * Components should be ≥ 0 (e.g. min–max normalised). A unit with a missing component scores NaN and
 * is left out of the constraints. Matrices are column-major: `y[j*m + i]` is unit i, component j.
 */
import * as z from 'zod';
import { defineAggregation } from './definition.ts';
import { CityIndexError, type Issue } from '../../core/errors.ts';
import { simplexMax } from './simplex.ts';

type Num = ArrayLike<number>;

export interface BodResult {
  /** CI_c in [0, 1]. */
  scores: Float64Array;
  /** The optimal weights of each unit, m×n column-major (`weights[j*m + i]`); NaN for incomplete units. */
  weights: Float64Array;
  /** Units with a score of 1 (within 1e-9). */
  nAtFrontier: number;
}

/** Tolerance for "at the frontier". */
export const BOD_FRONTIER_TOLERANCE = 1e-9;

/**
 * Benefit-of-the-doubt scores of m units over n components.
 * @example benefitOfDoubt(Float64Array.from([1, 0.4, 0, 0, 0.4, 1]), 3, 2).scores // => Float64Array [1, 0.8, 1]
 */
export function benefitOfDoubt(y: Num, m: number, n: number): BodResult {
  if (y.length !== m * n)
    throw new CityIndexError({ code: 'E_SHAPE', message: `bod: ${y.length} values for ${m} units × ${n} components` });
  const bad: Issue[] = [];
  const complete: number[] = [];
  for (let i = 0; i < m; i++) {
    let ok = true;
    for (let j = 0; j < n; j++) {
      const v = y[j * m + i];
      if (Number.isNaN(v)) ok = false;
      else if (v < 0)
        bad.push({
          code: 'E_BOD_NEGATIVE',
          message: `bod: unit ${i + 1}, component ${j + 1} is ${v}; benefit of the doubt needs values ≥ 0`,
          expected: '≥ 0',
        });
    }
    if (ok) complete.push(i);
  }
  if (bad.length) throw new CityIndexError(bad);
  const k = complete.length;
  const A = new Float64Array(k * n);
  complete.forEach((i, r) => {
    for (let j = 0; j < n; j++) A[r * n + j] = y[j * m + i];
  });
  const b = new Float64Array(k).fill(1);
  const scores = new Float64Array(m).fill(NaN);
  const weights = new Float64Array(m * n).fill(NaN);
  const c = new Float64Array(n);
  let nAtFrontier = 0;
  complete.forEach((i, r) => {
    for (let j = 0; j < n; j++) c[j] = A[r * n + j];
    const res = simplexMax(c, A, b, k, n);
    // bounded: the objective is one of the constraint rows, so it is ≤ 1
    const score = Math.min(1, res.value);
    scores[i] = score;
    for (let j = 0; j < n; j++) weights[j * m + i] = res.x[j];
    if (score >= 1 - BOD_FRONTIER_TOLERANCE) nAtFrontier++;
  });
  return { scores, weights, nAtFrontier };
}

/** Options of `{ method: 'bod' }`. */
export const BodAggregationSchema = z.strictObject({ method: z.literal('bod') });

/** `bod` aggregation. */
export const bodAggregation = defineAggregation<typeof BodAggregationSchema>({
  method: 'bod',
  schema: BodAggregationSchema,
  defaults: {},
  shape: 'group',
  completeCase: true,
  domain: (v) =>
    v < 0 ? { code: 'E_BOD_NEGATIVE', message: 'benefit of the doubt needs values ≥ 0', expected: '≥ 0' } : null,
  group: (input) => {
    const r = benefitOfDoubt(input.x, input.m, input.n);
    return { scores: r.scores, bod: { nAtFrontier: r.nAtFrontier, weights: r.weights } };
  },
  text: { en: () => 'benefit of the doubt (one LP per unit)', zh: () => '“善意假设”法（DEA，每个单元一个线性规划）' },
});
