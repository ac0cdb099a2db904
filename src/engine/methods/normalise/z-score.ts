/** z-scores (COINr 1.1.14 `n_zscore`): standardised to a target mean and standard deviation. */
import * as z from 'zod';
import { mean, sd } from '../../stats/descriptive.ts';
import { finiteNumber } from '../../spec/primitives.ts';
import { DegenerateColumnError, defineNormalisation, mapAvailable, needValues, type Num } from './definition.ts';

/** Options of `{ method: 'zScore', mean?, sd? }`. */
export const ZScoreOptionsSchema = z.strictObject({
  method: z.literal('zScore'),
  mean: finiteNumber.optional(),
  sd: finiteNumber.refine((v) => v > 0, 'must be > 0').optional(),
});
export type ZScoreOptions = z.infer<typeof ZScoreOptionsSchema>;

const DEFAULTS = { mean: 0, sd: 1 } as const;

/**
 * z-score with target mean and standard deviation (COINr `n_zscore`): `(x − mean)/sd·sdTarget + meanTarget`,
 * sample sd (n − 1). Throws when sd is 0 or undefined (fewer than 2 values).
 * @example zScore([1, 2, 3], 0, 1) // => Float64Array [-1, 0, 1]
 */
export function zScore(x: Num, meanTarget: number = DEFAULTS.mean, sdTarget: number = DEFAULTS.sd): Float64Array {
  needValues(x);
  const m = mean(x);
  const s = sd(x);
  if (!(s > 0)) {
    const why = Number.isNaN(s)
      ? 'the standard deviation needs at least 2 values'
      : 'the standard deviation of the column is 0';
    throw new DegenerateColumnError(why, 'at least two distinct values');
  }
  return mapAvailable(x, (v) => ((v - m) / s) * sdTarget + meanTarget);
}

/** `zScore`: mean 0 and sd 1 unless given. */
export const zScoreNormalisation = defineNormalisation<typeof ZScoreOptionsSchema>({
  method: 'zScore',
  schema: ZScoreOptionsSchema,
  defaults: DEFAULTS,
  resolve: (o) => ({ method: 'zScore', mean: o.mean ?? DEFAULTS.mean, sd: o.sd ?? DEFAULTS.sd }),
  column: (x, o) => zScore(x, o.mean ?? DEFAULTS.mean, o.sd ?? DEFAULTS.sd),
  text: {
    en: (o) => `z-score (mean ${o.mean ?? DEFAULTS.mean}, sd ${o.sd ?? DEFAULTS.sd})`,
    zh: (o) => `z 分数（均值 ${o.mean ?? DEFAULTS.mean}，标准差 ${o.sd ?? DEFAULTS.sd}）`,
  },
});
