/** Percentile ranks (COINr 1.1.14 `n_prank`): `(rank − 1)/(nAvailable − 1)`, in [0, 1]. */
import * as z from 'zod';
import { countAvailable, rankAscending } from '../../stats/descriptive.ts';
import { DegenerateColumnError, defineNormalisation, mapAvailable, type Num } from './definition.ts';

/** Options of `{ method: 'percentileRank' }`. */
export const PercentileRankOptionsSchema = z.strictObject({ method: z.literal('percentileRank') });

/**
 * Percentile ranks (COINr `n_prank`): `(rank − 1)/(nAvailable − 1)`, in [0, 1]. Needs ≥ 2 values.
 * @example percentileRank([10, 30, 20]) // => Float64Array [0, 1, 0.5]
 */
export function percentileRank(x: Num): Float64Array {
  const n = countAvailable(x);
  if (n < 2) throw new DegenerateColumnError('percentile ranks need at least 2 available values', 'at least 2 values');
  return mapAvailable(rankAscending(x), (r) => (r - 1) / (n - 1));
}

/** `percentileRank`. */
export const percentileRankNormalisation = defineNormalisation<typeof PercentileRankOptionsSchema>({
  method: 'percentileRank',
  schema: PercentileRankOptionsSchema,
  defaults: {},
  resolve: () => ({ method: 'percentileRank' }),
  column: (x) => percentileRank(x),
  text: { en: () => 'percentile rank', zh: () => '百分位排名' },
});
