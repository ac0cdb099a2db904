/** No normalisation: the direction-adjusted values are kept as they are. */
import * as z from 'zod';
import { defineNormalisation } from './definition.ts';

/** Options of `{ method: 'none' }`. */
export const NoNormalisationSchema = z.strictObject({ method: z.literal('none') });

/** `none`: copy the (direction-adjusted) column. */
export const noNormalisation = defineNormalisation<typeof NoNormalisationSchema>({
  method: 'none',
  schema: NoNormalisationSchema,
  defaults: {},
  resolve: () => ({ method: 'none' }),
  column: (x) => Float64Array.from(x),
  text: { en: () => 'no normalisation', zh: () => '不标准化' },
});
