/** Distance to a reference unit's value (COINr 1.1.14 `n_dist2ref`). */
import * as z from 'zod';
import { min } from '../../stats/descriptive.ts';
import { code, finiteNumber } from '../../spec/primitives.ts';
import { DegenerateColumnError, defineNormalisation, mapAvailable, needValues, type Num } from './definition.ts';

/** Options of `{ method: 'distanceToReference', reference, cap?, scale? }` (`reference` = a unit code). */
export const DistanceToReferenceOptionsSchema = z.strictObject({
  method: z.literal('distanceToReference'),
  reference: code,
  cap: z.boolean().optional(),
  scale: finiteNumber.optional(),
});

const DEFAULTS = { cap: false, scale: 1 } as const;

/**
 * Distance to a reference value (COINr `n_dist2ref`): `1 − (xRef − x)/(xRef − min)`, optionally capped
 * at 1, times `scale`. Throws when the reference is missing or equals the minimum.
 * @example distanceToReference([1, 3, 5], 3, true) // => Float64Array [0, 1, 1]
 */
export function distanceToReference(
  x: Num,
  reference: number,
  cap: boolean = DEFAULTS.cap,
  scale: number = DEFAULTS.scale,
): Float64Array {
  needValues(x);
  if (Number.isNaN(reference)) {
    const message = 'the reference unit has no value for this indicator';
    throw new DegenerateColumnError(message, 'a reference unit with a value');
  }
  const lo = min(x);
  if (reference === lo) {
    const message = `the reference value (${reference}) equals the minimum of the column`;
    throw new DegenerateColumnError(message, 'a reference above the minimum');
  }
  return mapAvailable(x, (v) => {
    const y = 1 - (reference - v) / (reference - lo);
    return (cap && y > 1 ? 1 : y) * scale;
  });
}

/** `distanceToReference`. */
export const distanceToReferenceNormalisation = defineNormalisation<typeof DistanceToReferenceOptionsSchema>({
  method: 'distanceToReference',
  schema: DistanceToReferenceOptionsSchema,
  defaults: DEFAULTS,
  resolve: (o) => ({
    method: 'distanceToReference',
    reference: o.reference,
    cap: o.cap ?? DEFAULTS.cap,
    scale: o.scale ?? DEFAULTS.scale,
  }),
  column: (x, o, { unitCodes }) => {
    const i = unitCodes.indexOf(o.reference);
    if (i < 0) {
      throw new DegenerateColumnError(
        `the reference unit "${o.reference}" is not in the dataset` +
          ' (screened out by an earlier step, or not a unit of the project)',
        'a unit code still in the build',
      );
    }
    return distanceToReference(x, x[i], o.cap ?? DEFAULTS.cap, o.scale ?? DEFAULTS.scale);
  },
  text: {
    en: (o) => `distance to reference unit ${o.reference}`,
    zh: (o) => `距参照单元 ${o.reference} 的距离`,
  },
});
