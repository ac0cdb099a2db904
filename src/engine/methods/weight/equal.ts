/**
 * Equal weights: every indicator (or aggregate) of a group counts the same (COINr's default `Weight = 1`).
 */
import * as z from 'zod';
import { CityIndexError } from '../../core/errors.ts';
import {
  defineWeighting,
  type WeightGroupDiagnostics,
  type WeightLevelContext,
  type WeightLevelResult,
} from './definition.ts';

/**
 * n equal weights summing to 1.
 * @example Array.from(equalWeights(4)) // => [0.25, 0.25, 0.25, 0.25]
 */
export function equalWeights(n: number): Float64Array {
  if (!Number.isInteger(n) || n < 1) {
    throw new CityIndexError({
      code: 'E_SHAPE',
      message: `equal weights need a positive whole number of items, found ${n}`,
      expected: 'n ≥ 1',
    });
  }
  return new Float64Array(n).fill(1 / n);
}

/** Options of `{ method: 'equal' }`. */
export const EqualWeightingSchema = z.strictObject({ method: z.literal('equal') });

/** Equal weights within each parent group: 1/k for each of its k children in the build. */
function equalLevel(ctx: WeightLevelContext): WeightLevelResult {
  const weights = new Map<string, number>();
  const groups: WeightGroupDiagnostics[] = [];
  for (const [parent, kids] of ctx.byParent) {
    kids.forEach((k) => weights.set(k.code, 1 / kids.length));
    groups.push({
      parent: parent || null,
      codes: kids.map((k) => k.code),
      method: 'equal',
      weights: kids.map(() => 1 / kids.length),
    });
  }
  return { weights, groups, warnings: [] };
}

/** `equal`: COINr's default weights. */
export const equalWeighting = defineWeighting<typeof EqualWeightingSchema>({
  method: 'equal',
  schema: EqualWeightingSchema,
  defaults: {},
  level: (_o, ctx) => equalLevel(ctx),
  text: { en: () => 'equal weights', zh: () => '等权' },
});
