/**
 * Weighted harmonic mean (COINr `a_hmean`, R/aggregate.R): `Σ w / Σ (w/x)` over the non-missing
 * values. Least compensatory of the power means. COINr only refuses zeros; negative values make the
 * mean meaningless, so here every available value must be > 0.
 */
import * as z from 'zod';
import { defineAggregation, rowWiseGroup } from './definition.ts';
import { weightedTermSums, type WeightedTerm } from './weighted-sums.ts';

type Num = ArrayLike<number>;

/**
 * Weighted harmonic mean of the non-missing values of `x` (NaN if none).
 * @example harmonicMean([1, 2, 3], [2, 1, 1]) // => 1.4117647…  (4/(2/1 + 1/2 + 1/3))
 */
export function harmonicMean(x: Num, w: Num): number {
  const r = weightedTermSums(x, w, HARMONIC);
  return r ? r.sw / r.s : NaN;
}

const HARMONIC: WeightedTerm = {
  term: (w, v) => w / v,
  problem: (v) => (v <= 0 ? 'the harmonic mean needs values > 0' : null),
  code: 'E_HMEAN_NONPOSITIVE',
  expected: '> 0',
};

/** Options of `{ method: 'harmonic' }`. */
export const HarmonicAggregationSchema = z.strictObject({ method: z.literal('harmonic') });

/** `harmonic` aggregation. */
export const harmonicAggregation = defineAggregation<typeof HarmonicAggregationSchema>({
  method: 'harmonic',
  schema: HarmonicAggregationSchema,
  defaults: {},
  shape: 'rowWise',
  completeCase: false,
  domain: (v) =>
    v <= 0 ? { code: 'E_HMEAN_NONPOSITIVE', message: 'the harmonic mean needs values > 0', expected: '> 0' } : null,
  group: (input) => rowWiseGroup(input, harmonicMean),
  text: { en: () => 'weighted harmonic mean', zh: () => '加权调和平均' },
});
