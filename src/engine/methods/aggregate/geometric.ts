/**
 * Weighted geometric mean (COINr `a_gmean`, R/aggregate.R): `exp(Σ w·ln x / Σ w)` over the
 * non-missing values. Partially compensatory; every available value must be > 0 (COINr stops on any
 * x ≤ 0; here a `CityIndexError` names each offending position).
 */
import * as z from 'zod';
import { defineAggregation, rowWiseGroup } from './definition.ts';
import { weightedTermSums, type WeightedTerm } from './weighted-sums.ts';

type Num = ArrayLike<number>;

/**
 * Weighted geometric mean of the non-missing values of `x` (NaN if none).
 * @example geometricMean([1, 2, 3], [1, 1, 2]) // => 2.0597671439…  ((1·2·3²)^(1/4) = 18^(1/4))
 */
export function geometricMean(x: Num, w: Num): number {
  const r = weightedTermSums(x, w, GEOMETRIC);
  return r ? Math.exp(r.s / r.sw) : NaN;
}

const GEOMETRIC: WeightedTerm = {
  term: (w, v) => w * Math.log(v),
  problem: (v) => (v <= 0 ? 'the geometric mean needs values > 0' : null),
  code: 'E_GMEAN_NONPOSITIVE',
  expected: '> 0',
};

/** Options of `{ method: 'geometric' }`. */
export const GeometricAggregationSchema = z.strictObject({ method: z.literal('geometric') });

/** `geometric` aggregation. */
export const geometricAggregation = defineAggregation<typeof GeometricAggregationSchema>({
  method: 'geometric',
  schema: GeometricAggregationSchema,
  defaults: {},
  shape: 'rowWise',
  completeCase: false,
  domain: (v) =>
    v <= 0
      ? {
          code: 'E_GMEAN_NONPOSITIVE',
          message:
            'the geometric mean needs values > 0 (min–max onto [0, 100] gives zeros: use a range such as [1, 100])',
          expected: '> 0',
        }
      : null,
  group: (input) => rowWiseGroup(input, geometricMean),
  text: { en: () => 'weighted geometric mean', zh: () => '加权几何平均' },
});
