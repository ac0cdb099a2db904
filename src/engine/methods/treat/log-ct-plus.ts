/** The `logCTPlus` fallback transform: COINr `log_CT_plus` (R/treat.R). */
import { max, min, skew } from '../../stats/descriptive.ts';
import { defineTransform } from './definition.ts';

/**
 * COINr `log_CT_plus`: as `logCT` for skew > 0, else −log(max + a − x) (mirrored), a = 0.01·(max − min).
 * @example logCTPlus([1, 10, 11])[0] // => -2.312535423847214 (−ln 10.1)
 */
export function logCTPlus(x: ArrayLike<number>): Float64Array {
  const lo = min(x);
  const hi = max(x);
  const a = 0.01 * (hi - lo);
  return skew(x) > 0
    ? Float64Array.from(x, (v) => Math.log(v - lo + a))
    : Float64Array.from(x, (v) => -Math.log(hi + a - v));
}

/** `logCTPlus` as a fallback. */
export const logCTPlusTransform = defineTransform({
  method: 'logCTPlus',
  apply: (x) => logCTPlus(x),
  text: { en: () => 'logCTPlus (logCT mirrored for negative skew)', zh: () => 'logCTPlus 对数变换' },
});
