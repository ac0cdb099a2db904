/** The `logCT` fallback transform: COINr `log_CT`, the default fallback of `Treat` (R/treat.R). */
import { max, min } from '../../stats/descriptive.ts';
import { defineTransform } from './definition.ts';

/**
 * COINr `log_CT`: log(x − min + 0.01·(max − min)), ignoring the direction of the skew.
 * @example logCT([1, 2, 11])[2] // => 2.312535423847214 (ln 10.1)
 */
export function logCT(x: ArrayLike<number>): Float64Array {
  const lo = min(x);
  const hi = max(x);
  const a = 0.01 * (hi - lo); // R's order of operations: (x − min) + a, for bit-identical results
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = Math.log(x[i] - lo + a);
  return out;
}

/** `logCT` as a fallback. */
export const logCTTransform = defineTransform({
  method: 'logCT',
  apply: (x) => logCT(x),
  text: {
    en: () => 'a log transform, log(x − min + 1 % of the range)',
    zh: () => '对数变换 log(x − 最小值 + 1% 极差)',
  },
});
