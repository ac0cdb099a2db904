/**
 * Distance to a target (COINr 1.1.14 `n_dist2targ`). The target is in the indicator's units (from the
 * options or the framework `target`) and is flipped with the direction, as COINr's `Target·Direction`.
 */
import * as z from 'zod';
import { CityIndexError } from '../../core/errors.ts';
import { min } from '../../stats/descriptive.ts';
import { finiteNumber } from '../../spec/primitives.ts';
import {
  DegenerateColumnError,
  defineNormalisation,
  mapAvailable,
  needValues,
  resolved,
  type Num,
} from './definition.ts';

/** Options of `{ method: 'distanceToTarget', target?, cap?, scale? }`: the framework `target` unless given. */
export const DistanceToTargetOptionsSchema = z.strictObject({
  method: z.literal('distanceToTarget'),
  target: finiteNumber.optional(),
  cap: z.boolean().optional(),
  scale: finiteNumber.optional(),
});
export type DistanceToTargetOptions = z.infer<typeof DistanceToTargetOptionsSchema>;

const DEFAULTS = { cap: false, scale: 1 } as const;

/**
 * Distance to a target (COINr `n_dist2targ`, direction 1 after flipping): `(x − min)/(target − min)`,
 * optionally capped at 1, times `scale`. Throws when target = min.
 * @example distanceToTarget([0, 5, 11], 10, true) // => Float64Array [0, 0.5, 1]
 */
export function distanceToTarget(
  x: Num,
  target: number,
  cap: boolean = DEFAULTS.cap,
  scale: number = DEFAULTS.scale,
): Float64Array {
  needValues(x);
  const lo = min(x);
  if (target === lo) {
    const message = `the target (${target}) equals the minimum of the column`;
    throw new DegenerateColumnError(message, 'a target different from the worst value');
  }
  return mapAvailable(x, (v) => {
    const y = (v - lo) / (target - lo);
    return (cap && y > 1 ? 1 : y) * scale;
  });
}

/** `distanceToTarget`. */
export const distanceToTargetNormalisation = defineNormalisation<typeof DistanceToTargetOptionsSchema>({
  method: 'distanceToTarget',
  schema: DistanceToTargetOptionsSchema,
  defaults: DEFAULTS,
  resolve: (o, node) => {
    const target = o.target ?? node?.target;
    if (target === undefined || !Number.isFinite(target)) {
      throw new CityIndexError({
        code: 'E_NO_TARGET',
        message: 'distanceToTarget needs a target: give `target` in the options or a `target` in the framework',
        indicator: node?.code,
        field: 'target',
        expected: 'a finite number',
      });
    }
    return { method: 'distanceToTarget', target, cap: o.cap ?? DEFAULTS.cap, scale: o.scale ?? DEFAULTS.scale };
  },
  column: (x, o, { direction }) =>
    distanceToTarget(x, resolved(o.target, 'target') * direction, o.cap ?? DEFAULTS.cap, o.scale ?? DEFAULTS.scale),
  text: {
    en: (o) => `distance to target${o.cap ? ' (capped)' : ''}`,
    zh: (o) => `距目标值距离${o.cap ? '（封顶）' : ''}`,
  },
});
