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
  const out = new Float64Array(x.length);
  if (skew(x) > 0) for (let i = 0; i < x.length; i++) out[i] = Math.log(x[i] - lo + a);
  else for (let i = 0; i < x.length; i++) out[i] = -Math.log(hi + a - x[i]);
  return out;
}

/** `logCTPlus` as a fallback. */
export const logCTPlusTransform = defineTransform({
  method: 'logCTPlus',
  apply: (x) => logCTPlus(x),
  text: {
    en: () => 'a log transform, log(x − min + 1 % of the range), mirrored for negative skew',
    zh: () => '对数变换 log(x − 最小值 + 1% 极差)（负偏时取镜像）',
  },
});
