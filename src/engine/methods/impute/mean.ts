/** Column mean imputation (COINr 1.1.14 `i_mean`, the default of `Impute`). */
import * as z from 'zod';
import { mean } from '../../stats/descriptive.ts';
import { defineImputation, fillWith } from './definition.ts';

/** Options of `{ method: 'mean' }`. */
export const MeanImputationSchema = z.strictObject({ method: z.literal('mean') });

/**
 * Replace NaN by the column mean of the non-missing values (COINr `i_mean`).
 * @example imputeColumnMean(new Float64Array([1, NaN, 3])) // => Float64Array [1, 2, 3]
 */
export function imputeColumnMean(x: ArrayLike<number>): Float64Array {
  return fillWith(x, mean(x));
}

/** `mean`: COINr's default imputation. */
export const meanImputation = defineImputation<typeof MeanImputationSchema>({
  method: 'mean',
  schema: MeanImputationSchema,
  defaults: {},
  byRow: false,
  fill: (_o, c) => c.write(imputeColumnMean(c.values)),
  text: { en: () => 'column mean', zh: () => '列均值插补' },
});
