/**
 * Goalposts (COINr 1.1.14 `n_goalposts`): the framework `goalposts` unless given; for direction −1
 * the goalposts become (−upper, −lower), as COINr's `get_iMeta_norm_paras`.
 */
import * as z from 'zod';
import { CityIndexError } from '../../core/errors.ts';
import { finiteNumber } from '../../spec/primitives.ts';
import { DegenerateColumnError, defineNormalisation, mapAvailable, resolved, type Num } from './definition.ts';

/** Options of `{ method: 'goalposts', lower?, upper?, scale?, truncate? }`. */
export const GoalpostsOptionsSchema = z.strictObject({
  method: z.literal('goalposts'),
  lower: finiteNumber.optional(),
  upper: finiteNumber.optional(),
  scale: finiteNumber.optional(),
  truncate: z.boolean().optional(),
});

const DEFAULTS = { scale: 1, truncate: true } as const;

/**
 * Goalposts (COINr `n_goalposts`, direction 1): `(x − lower)/(upper − lower)`, truncated to [0, 1]
 * when `truncate` (default), times `scale`.
 * @example goalposts([1, 11, -1], 0, 10, 1) // => Float64Array [0.1, 1, 0]
 */
export function goalposts(
  x: Num,
  lower: number,
  upper: number,
  scale: number = DEFAULTS.scale,
  truncate: boolean = DEFAULTS.truncate,
): Float64Array {
  if (upper === lower) throw new DegenerateColumnError(`the goalposts are equal (${lower})`, 'lower ≠ upper');
  return mapAvailable(x, (v) => {
    let y = (v - lower) / (upper - lower);
    if (truncate) y = y > 1 ? 1 : y < 0 ? 0 : y;
    return y * scale;
  });
}

/** `goalposts`. */
export const goalpostsNormalisation = defineNormalisation<typeof GoalpostsOptionsSchema>({
  method: 'goalposts',
  schema: GoalpostsOptionsSchema,
  defaults: DEFAULTS,
  resolve: (o, node) => {
    const lower = o.lower ?? node?.goalposts?.lower;
    const upper = o.upper ?? node?.goalposts?.upper;
    if (lower === undefined || upper === undefined || !Number.isFinite(lower) || !Number.isFinite(upper)) {
      throw new CityIndexError({
        code: 'E_NO_GOALPOSTS',
        message:
          'goalposts need a lower and an upper goalpost: ' +
          'give them in the options or as `goalposts` in the framework',
        indicator: node?.code,
        field: 'goalposts',
        expected: 'finite lower and upper',
      });
    }
    const scale = o.scale ?? node?.goalposts?.scale ?? DEFAULTS.scale;
    return { method: 'goalposts', lower, upper, scale, truncate: o.truncate ?? DEFAULTS.truncate };
  },
  column: (x, o, { direction }) => {
    const lo = resolved(o.lower, 'lower goalpost');
    const hi = resolved(o.upper, 'upper goalpost');
    const [l, u] = direction === 1 ? [lo, hi] : [-hi, -lo];
    return goalposts(x, l, u, o.scale ?? DEFAULTS.scale, o.truncate ?? DEFAULTS.truncate);
  },
  text: { en: () => 'goalposts', zh: () => '目标区间（goalposts）' },
});
