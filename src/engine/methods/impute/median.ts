/** Column median imputation (COINr 1.1.14 `i_median`). */
import * as z from 'zod';
import { median } from '../../stats/descriptive.ts';
import { defineImputation, fillWith } from './definition.ts';

/** Options of `{ method: 'median' }`. */
export const MedianImputationSchema = z.strictObject({ method: z.literal('median') });

/**
 * Replace NaN by the column median of the non-missing values (COINr `i_median`, R `median`).
 * @example imputeColumnMedian(new Float64Array([1, NaN, 3, 10])) // => Float64Array [1, 3, 3, 10]
 */
export function imputeColumnMedian(x: ArrayLike<number>): Float64Array {
  return fillWith(x, median(x));
}

/** `median`. */
export const medianImputation = defineImputation<typeof MedianImputationSchema>({
  method: 'median',
  schema: MedianImputationSchema,
  defaults: {},
  byRow: false,
  fill: (_o, c) => c.write(imputeColumnMedian(c.values)),
  text: { en: () => 'column median', zh: () => '列中位数插补' },
});
