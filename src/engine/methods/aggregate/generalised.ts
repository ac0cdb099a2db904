/**
 * Weighted generalised (power) mean (COINr `a_genmean`; Compind): `(Σ w·x^p / Σ w)^(1/p)`.
 * p = 1 arithmetic, p = −1 harmonic, p → 0 geometric (p = 0 is refused, as in COINr).
 * Deliberate difference: COINr does not drop missing values here (any NA gives NA); cityindex drops
 * them with their weights, like every other mean.
 * Negative p needs x > 0; a non-integer p needs x ≥ 0.
 */
import * as z from 'zod';
import { finiteNumber } from '../../spec/primitives.ts';
import { defineAggregation, rowWiseGroup } from './definition.ts';
import { CityIndexError } from '../../core/errors.ts';
import { weightedTermSums } from './weighted-sums.ts';

type Num = ArrayLike<number>;

/**
 * Weighted power mean of the non-missing values of `x` (NaN if none).
 * @example generalisedMean([1, 2, 3], [2, 1, 1], -1) // => 1.4117647…  (the harmonic mean)
 */
export function generalisedMean(x: Num, w: Num, p: number): number {
  if (p === 0 || !Number.isFinite(p)) {
    throw new CityIndexError({
      code: 'E_GENMEAN_P',
      message: `the generalised mean needs a finite p ≠ 0 (got ${p}); p → 0 is the geometric mean`,
      field: 'p',
      expected: 'a finite number ≠ 0',
    });
  }
  const r = weightedTermSums(x, w, {
    term: (w, v) => w * Math.pow(v, p),
    problem: (v) => generalisedMeanProblem(v, p),
    code: 'E_GENMEAN_DOMAIN',
    expected: p < 0 ? '> 0' : '≥ 0',
  });
  return r ? Math.pow(r.s / r.sw, 1 / p) : NaN;
}

/**
 * Why `v` cannot enter a power mean of order p, or null if it can.
 * @example generalisedMeanProblem(0, -1) // => 'a power mean with p = -1 < 0 needs values > 0'
 */
export function generalisedMeanProblem(v: number, p: number): string | null {
  if (p < 0 && v <= 0) return `a power mean with p = ${p} < 0 needs values > 0`;
  if (!Number.isInteger(p) && v < 0) return `a power mean with non-integer p = ${p} needs values ≥ 0`;
  return null;
}

/** Options of `{ method: 'generalised' }`. */
export const GeneralisedAggregationSchema = z.strictObject({
  method: z.literal('generalised'),
  p: finiteNumber.refine((p) => p !== 0, 'p = 0 is the geometric mean: use method geometric'),
});

/** `generalised` aggregation. */
export const generalisedAggregation = defineAggregation<typeof GeneralisedAggregationSchema>({
  method: 'generalised',
  schema: GeneralisedAggregationSchema,
  defaults: {},
  shape: 'rowWise',
  completeCase: false,
  domain: (v, o) => {
    const p = generalisedMeanProblem(v, o.p);
    return p ? { code: 'E_GENMEAN_DOMAIN', message: p, expected: o.p < 0 ? '> 0' : '≥ 0' } : null;
  },
  group: (input, o) => rowWiseGroup(input, (r, w) => generalisedMean(r, w, o.p)),
  text: { en: (o) => `generalised mean, p = ${o.p}`, zh: (o) => `广义平均 p = ${o.p}` },
});
