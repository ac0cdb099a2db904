/** Borda scores (COINr 1.1.14 `n_borda`): rank − 1. */
import * as z from 'zod';
import { rankAscending } from '../../stats/descriptive.ts';
import { defineNormalisation, mapAvailable, type Num } from './definition.ts';

/** Options of `{ method: 'borda' }`. */
export const BordaOptionsSchema = z.strictObject({ method: z.literal('borda') });

/**
 * Borda scores = rank − 1 (COINr `n_borda`).
 * @example borda([10, 30, 30, 20]) // => Float64Array [0, 2, 2, 1]
 */
export function borda(x: Num): Float64Array {
  return mapAvailable(rankAscending(x), (r) => r - 1);
}

/** `borda`. */
export const bordaNormalisation = defineNormalisation<typeof BordaOptionsSchema>({
  method: 'borda',
  schema: BordaOptionsSchema,
  defaults: {},
  resolve: () => ({ method: 'borda' }),
  column: (x) => borda(x),
  text: { en: () => 'Borda score', zh: () => 'Borda 计分' },
});
