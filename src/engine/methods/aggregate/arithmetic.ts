/**
 * Weighted arithmetic mean with re-weighting over available values (COINr `a_amean`, R/aggregate.R):
 * missing x are dropped with their weights, then Σ w·x / Σ w, both sums correctly rounded (as R's
 * long-double `sum()` gives them, so the means are COINr's to the last bit). Fully compensatory.
 * Negative weights are allowed (as in COINr); a zero weight sum over the available values is an error.
 */
import * as z from 'zod';
import { defineAggregation, rowWiseGroup } from './definition.ts';
import { CityIndexError } from '../../core/errors.ts';
import { ExactSum } from '../../core/sum.ts';

type Num = ArrayLike<number>;

const terms = new ExactSum();
const weightSum = new ExactSum();

/**
 * Weighted mean of the non-missing values of `x` (NaN if none): correctly rounded Σ w·x over correctly
 * rounded Σ w, as COINr's `sum(w*x)/sum(w)` in R.
 * @example arithmeticMean([1, 2, NaN, 4], [1, 1, 1, 2]) // => 2.75  ((1 + 2 + 2·4)/4)
 * @example arithmeticMean([3, 47, 37, 1, 7, 15], [1, 1, 1, 1, 1, 1]) // => 18.333333333333332  (R: 110/6)
 */
export function arithmeticMean(x: Num, w: Num): number {
  terms.reset();
  weightSum.reset();
  let n = 0;
  for (let j = 0; j < x.length; j++)
    if (!Number.isNaN(x[j])) {
      weightSum.add(w[j]);
      terms.add(w[j] * x[j]);
      n++;
    }
  if (n === 0) return NaN;
  const sw = weightSum.value();
  if (sw === 0)
    throw new CityIndexError({
      code: 'E_WEIGHT_SUM',
      message: 'the weights of the available values sum to 0',
      expected: 'a non-zero weight sum',
    });
  return terms.value() / sw;
}

/** Options of `{ method: 'arithmetic' }`. */
export const ArithmeticAggregationSchema = z.strictObject({ method: z.literal('arithmetic') });

/** `arithmetic` aggregation. */
export const arithmeticAggregation = defineAggregation<typeof ArithmeticAggregationSchema>({
  method: 'arithmetic',
  schema: ArithmeticAggregationSchema,
  defaults: {},
  shape: 'rowWise',
  completeCase: false,
  group: (input) => rowWiseGroup(input, arithmeticMean),
  text: {
    en: () => 'weighted arithmetic mean (re-weighted over available values)',
    zh: () => '加权算术平均（缺失值处按可用权重重新加权）',
  },
});
