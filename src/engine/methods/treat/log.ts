/**
 * Natural log of every value: as a treatment method (`method: 'log'`) and as COINr's plain `f2 = "log"`
 * fallback. Needs every value > 0 (a located error otherwise).
 */
import * as z from 'zod';
import { CityIndexError } from '../../core/errors.ts';
import { checkSkewKurt } from './check.ts';
import { defineTransform, defineTreatment } from './definition.ts';

/** Options of `{ method: 'log' }`. */
export const LogTreatmentSchema = z.strictObject({ method: z.literal('log') });

/**
 * Natural log of every value (COINr test `f2 = "log"`); throws if a value is ≤ 0.
 * @example logNatural([1, Math.E])[1] // => 1
 */
export function logNatural(x: ArrayLike<number>): Float64Array {
  for (let i = 0; i < x.length; i++) {
    if (x[i] <= 0)
      throw new CityIndexError({
        code: 'E_LOG_NONPOSITIVE',
        message: `log transform needs positive values, found ${x[i]} at row ${i + 1}`,
        expected: 'values > 0',
      });
  }
  const out = new Float64Array(x.length); // a plain loop: Float64Array.from(x, fn) is several times slower
  for (let i = 0; i < x.length; i++) out[i] = Math.log(x[i]);
  return out;
}

/** `log` as a treatment method: the natural log of every value. */
export const logTreatment = defineTreatment<typeof LogTreatmentSchema>({
  method: 'log',
  schema: LogTreatmentSchema,
  defaults: {},
  forceable: false,
  passStatus: 'transformed',
  stage: (x, s) => {
    const values = logNatural(x);
    return { values, check: checkSkewKurt(values, s.skewThreshold, s.kurtThreshold) };
  },
  text: { en: () => 'a natural log transform', zh: () => '自然对数变换' },
});

/** `log` as a fallback (COINr `f2 = "log"`; accepted by the step, not in the spec's fallback list). */
export const logTransform = defineTransform({
  method: 'log',
  apply: (x) => logNatural(x),
  text: { en: () => 'a natural log transform', zh: () => '自然对数变换' },
});
