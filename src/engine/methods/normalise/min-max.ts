/**
 * Min–max normalisation (COINr 1.1.14 `n_minmax`; OECD/JRC Handbook Part 2 §5): the COINr default,
 * onto [0, 100] unless `range` is given.
 */
import * as z from 'zod';
import { max, min } from '../../stats/descriptive.ts';
import { range as rangeSchema } from '../../spec/primitives.ts';
import { DegenerateColumnError, defineNormalisation, mapAvailable, needValues, type Num } from './definition.ts';

/** Options of `{ method: 'minMax', range? }`. */
export const MinMaxOptionsSchema = z.strictObject({ method: z.literal('minMax'), range: rangeSchema.optional() });
export type MinMaxOptions = z.infer<typeof MinMaxOptionsSchema>;

/** The default target range of min–max scaling (COINr `l_u = c(0, 100)`). The one place it is written. */
export const MIN_MAX_DEFAULT_RANGE: readonly [number, number] = Object.freeze([0, 100] as [number, number]);

/** The range a min–max method uses: its own or the default, as a fresh tuple. */
export function minMaxRange(options: Pick<MinMaxOptions, 'range'>): [number, number] {
  const [l, u] = options.range ?? MIN_MAX_DEFAULT_RANGE;
  return [l, u];
}

/**
 * Min–max scaling onto `[l, u]` (COINr `n_minmax`): `(x − min)/(max − min)·(u − l) + l`.
 * Throws when max = min (COINr returns NaN with a warning).
 * @example minMax([1, 2, 3], [0, 100]) // => Float64Array [0, 50, 100]
 */
export function minMax(x: Num, range: readonly [number, number] = MIN_MAX_DEFAULT_RANGE): Float64Array {
  needValues(x);
  const lo = min(x);
  const hi = max(x);
  if (hi === lo) throw zeroRange(lo);
  const [l, u] = range;
  return mapAvailable(x, (v) => ((v - lo) / (hi - lo)) * (u - l) + l);
}

function zeroRange(lo: number): DegenerateColumnError {
  const message = `the range of the column is 0 (all values equal ${lo})`;
  return new DegenerateColumnError(message, 'at least two distinct values');
}

/**
 * `minMax` of `direction · raw[offset … offset + length)` written into the same positions of `out`,
 * without the flipped copy or subarray views: the same operations as `minMax(direction · column, range)`,
 * so bit-identical. Returns false (writing nothing) when the column has no value. The step's fast path.
 * @example minMaxInto(Float64Array.of(1, 3), 0, 2, -1, [0, 1], new Float64Array(2)) // => true (out = [1, 0])
 */
export function minMaxInto(
  raw: Float64Array,
  offset: number,
  length: number,
  direction: 1 | -1,
  range: readonly [number, number],
  out: Float64Array,
): boolean {
  const end = offset + length;
  let lo = Infinity;
  let hi = -Infinity;
  let count = 0;
  for (let i = offset; i < end; i++) {
    const r = raw[i];
    if (Number.isNaN(r)) continue;
    count++;
    const v = direction === 1 ? r : -r;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (count === 0) return false;
  if (hi === lo) throw zeroRange(lo);
  const [l, u] = range;
  for (let i = offset; i < end; i++) {
    const r = raw[i];
    if (Number.isNaN(r)) {
      out[i] = NaN;
      continue;
    }
    const v = direction === 1 ? r : -r;
    out[i] = ((v - lo) / (hi - lo)) * (u - l) + l;
  }
  return true;
}

/** `minMax`: the COINr default normalisation. */
export const minMaxNormalisation = defineNormalisation<typeof MinMaxOptionsSchema>({
  method: 'minMax',
  schema: MinMaxOptionsSchema,
  defaults: { range: MIN_MAX_DEFAULT_RANGE as [number, number] },
  resolve: (o) => ({ method: 'minMax', range: minMaxRange(o) }),
  column: (x, o) => minMax(x, minMaxRange(o)),
  text: {
    en: (o) => {
      const [l, u] = minMaxRange(o);
      return `min–max to [${l}, ${u}]`;
    },
    zh: (o) => {
      const [l, u] = minMaxRange(o);
      return `极差（最小–最大）标准化到 [${l}, ${u}]`;
    },
  },
});
