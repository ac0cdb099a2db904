/** No imputation: missing values stay missing. */
import * as z from 'zod';
import { defineImputation } from './definition.ts';

/** Options of `{ method: 'none' }`. */
export const NoImputationSchema = z.strictObject({ method: z.literal('none') });

/** `none`. */
export const noImputation = defineImputation<typeof NoImputationSchema>({
  method: 'none',
  schema: NoImputationSchema,
  defaults: {},
  byRow: false,
  fill: () => undefined,
  text: { en: () => 'no imputation', zh: () => '不插补' },
});
