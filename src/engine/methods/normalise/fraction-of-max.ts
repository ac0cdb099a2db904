/** Fraction of the maximum (COINr 1.1.14 `n_fracmax`): `x / max`, times `scale`. */
import * as z from 'zod';
import { max } from '../../stats/descriptive.ts';
import { finiteNumber } from '../../spec/primitives.ts';
import { DegenerateColumnError, defineNormalisation, mapAvailable, needValues, type Num } from './definition.ts';

/** Options of `{ method: 'fractionOfMax', scale? }`. */
export const FractionOfMaxOptionsSchema = z.strictObject({
  method: z.literal('fractionOfMax'),
  scale: finiteNumber.optional(),
});
export type FractionOfMaxOptions = z.infer<typeof FractionOfMaxOptionsSchema>;

const DEFAULTS = { scale: 1 } as const;

/**
 * Fraction of the maximum (COINr `n_fracmax`): `x / max`, times `scale`. Throws when max is 0.
 * @example fractionOfMax([1, 2, 4]) // => Float64Array [0.25, 0.5, 1]
 */
export function fractionOfMax(x: Num, scale: number = DEFAULTS.scale): Float64Array {
  needValues(x);
  const hi = max(x);
  if (hi === 0) throw new DegenerateColumnError('the maximum of the column is 0', 'a non-zero maximum');
  return mapAvailable(x, (v) => (v / hi) * scale);
}

/** `fractionOfMax`: the method `docs/adding-a-method.md` walks through. */
export const fractionOfMaxNormalisation = defineNormalisation<typeof FractionOfMaxOptionsSchema>({
  method: 'fractionOfMax',
  schema: FractionOfMaxOptionsSchema,
  defaults: DEFAULTS,
  resolve: (o) => ({ method: 'fractionOfMax', scale: o.scale ?? DEFAULTS.scale }),
  column: (x, o) => fractionOfMax(x, o.scale ?? DEFAULTS.scale),
  text: { en: () => 'fraction of maximum', zh: () => '占最大值比例' },
});
