/** Distance to the maximum (COINr 1.1.14 `n_dist2max`). */
import * as z from 'zod';
import { max, min } from '../../stats/descriptive.ts';
import { finiteNumber } from '../../spec/primitives.ts';
import { DegenerateColumnError, defineNormalisation, mapAvailable, needValues, type Num } from './definition.ts';

/** Options of `{ method: 'distanceToMax', scale? }`. */
export const DistanceToMaxOptionsSchema = z.strictObject({
  method: z.literal('distanceToMax'),
  scale: finiteNumber.optional(),
});

const DEFAULTS = { scale: 1 } as const;

/**
 * Distance to the maximum (COINr `n_dist2max`): `1 − (max − x)/(max − min)`, times `scale`.
 * @example distanceToMax([1, 2, 5]) // => Float64Array [0, 0.25, 1]
 */
export function distanceToMax(x: Num, scale: number = DEFAULTS.scale): Float64Array {
  needValues(x);
  const lo = min(x);
  const hi = max(x);
  if (hi === lo) {
    const message = `the range of the column is 0 (all values equal ${lo})`;
    throw new DegenerateColumnError(message, 'at least two distinct values');
  }
  return mapAvailable(x, (v) => (1 - (hi - v) / (hi - lo)) * scale);
}

/** `distanceToMax`. */
export const distanceToMaxNormalisation = defineNormalisation<typeof DistanceToMaxOptionsSchema>({
  method: 'distanceToMax',
  schema: DistanceToMaxOptionsSchema,
  defaults: DEFAULTS,
  resolve: (o) => ({ method: 'distanceToMax', scale: o.scale ?? DEFAULTS.scale }),
  column: (x, o) => distanceToMax(x, o.scale ?? DEFAULTS.scale),
  text: { en: () => 'distance to maximum', zh: () => '距最大值距离' },
});
