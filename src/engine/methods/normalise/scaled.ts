/**
 * Linear scaling between fixed bounds (COINr 1.1.14 `n_scaled`, GII 2020). Deliberate difference:
 * COINr applies its bounds to the already flipped data; cityindex flips them too, so `scaled` on a
 * direction −1 indicator gives `(u − x)/(u − l)·scaleFactor`. Identical to COINr for direction +1.
 */
import * as z from 'zod';
import { finiteNumber } from '../../spec/primitives.ts';
import { DegenerateColumnError, defineNormalisation, mapAvailable, type Num } from './definition.ts';

/** Options of `{ method: 'scaled', lower, upper, scaleFactor? }` (bounds in the indicator's units). */
export const ScaledOptionsSchema = z.strictObject({
  method: z.literal('scaled'),
  lower: finiteNumber,
  upper: finiteNumber,
  scaleFactor: finiteNumber.optional(),
});
export type ScaledOptions = z.infer<typeof ScaledOptionsSchema>;

const DEFAULTS = { scaleFactor: 100 } as const;

/**
 * Linear scaling between fixed bounds (COINr `n_scaled`, GII 2020): `(x − l)/(u − l)·scaleFactor`.
 * @example scaled([1, 5.5, 10], 1, 10, 100) // => Float64Array [0, 50, 100]
 */
export function scaled(x: Num, lower: number, upper: number, scaleFactor: number = DEFAULTS.scaleFactor): Float64Array {
  if (upper === lower) throw new DegenerateColumnError(`scaled bounds are equal (${lower})`, 'lower ≠ upper');
  return mapAvailable(x, (v) => ((v - lower) / (upper - lower)) * scaleFactor);
}

/** `scaled`: fixed bounds, times 100 unless `scaleFactor` is given. */
export const scaledNormalisation = defineNormalisation<typeof ScaledOptionsSchema>({
  method: 'scaled',
  schema: ScaledOptionsSchema,
  defaults: DEFAULTS,
  resolve: (o) => ({
    method: 'scaled',
    lower: o.lower,
    upper: o.upper,
    scaleFactor: o.scaleFactor ?? DEFAULTS.scaleFactor,
  }),
  column: (x, o, { direction }) => {
    const [l, u] = direction === 1 ? [o.lower, o.upper] : [-o.upper, -o.lower];
    return scaled(x, l, u, o.scaleFactor ?? DEFAULTS.scaleFactor);
  },
  text: {
    en: (o) => `scaled by [${o.lower}, ${o.upper}] × ${o.scaleFactor ?? DEFAULTS.scaleFactor}`,
    zh: (o) => `按 [${o.lower}, ${o.upper}] 缩放 × ${o.scaleFactor ?? DEFAULTS.scaleFactor}`,
  },
});
