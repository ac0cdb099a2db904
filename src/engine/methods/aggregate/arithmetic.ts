/**
 * Weighted arithmetic mean with re-weighting over available values (COINr `a_amean`, R/aggregate.R):
 * missing x are dropped with their weights, weights rescaled to sum 1, then Σ w·x. Fully compensatory.
 * Negative weights are allowed (as in COINr); a zero weight sum over the available values is an error.
 */
import * as z from 'zod';
import { defineAggregation, rowWiseGroup } from './definition.ts';
import { CityIndexError } from '../../core/errors.ts';

type Num = ArrayLike<number>;

/**
 * Weighted mean of the non-missing values of `x` (NaN if none).
 * @example arithmeticMean([1, 2, NaN, 4], [1, 1, 1, 2]) // => 2.75  ((1 + 2 + 2·4)/4)
 */
export function arithmeticMean(x: Num, w: Num): number {
  let sw = 0;
  let n = 0;
  for (let j = 0; j < x.length; j++)
    if (!Number.isNaN(x[j])) {
      sw += w[j];
      n++;
    }
  if (n === 0) return NaN;
  if (sw === 0)
    throw new CityIndexError({
      code: 'E_WEIGHT_SUM',
      message: 'the weights of the available values sum to 0',
      expected: 'a non-zero weight sum',
    });
  let s = 0;
  for (let j = 0; j < x.length; j++) if (!Number.isNaN(x[j])) s += (w[j] / sw) * x[j];
  return s;
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
