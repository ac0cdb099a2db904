/** Rank normalisation (COINr 1.1.14 `n_rank`): 1 = lowest, ties share the minimum rank. */
import * as z from 'zod';
import { rankAscending } from '../../stats/descriptive.ts';
import { defineNormalisation, type Num } from './definition.ts';

/** Options of `{ method: 'rank' }`. */
export const RankOptionsSchema = z.strictObject({ method: z.literal('rank') });

/**
 * Ranks, 1 = lowest, ties share the minimum rank (COINr `n_rank`, R `rank(x, ties.method = "min")`).
 * @example rank([10, 30, 30, 20]) // => Float64Array [1, 3, 3, 2]
 */
export function rank(x: Num): Float64Array {
  return rankAscending(x);
}

/** `rank`. */
export const rankNormalisation = defineNormalisation<typeof RankOptionsSchema>({
  method: 'rank',
  schema: RankOptionsSchema,
  defaults: {},
  resolve: () => ({ method: 'rank' }),
  column: (x) => rank(x),
  text: { en: () => 'rank (lowest = 1)', zh: () => '排名（最小值=1）' },
});
