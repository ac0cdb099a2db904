/** The `logCTOrig` fallback transform: COINr `log_CT_orig` (R/treat.R). */
import { min } from '../../stats/descriptive.ts';
import { defineTransform } from './definition.ts';

/**
 * COINr `log_CT_orig`: log(x − min + 1).
 * @example logCTOrig([3, 5])[1] // => 1.0986122886681098 (ln 3)
 */
export function logCTOrig(x: ArrayLike<number>): Float64Array {
  const lo = min(x);
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = Math.log(x[i] - lo + 1);
  return out;
}

/** `logCTOrig` as a fallback. */
export const logCTOrigTransform = defineTransform({
  method: 'logCTOrig',
  apply: (x) => logCTOrig(x),
  text: { en: () => 'a log transform, log(x − min + 1)', zh: () => '对数变换 log(x − 最小值 + 1)' },
});
