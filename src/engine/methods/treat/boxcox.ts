/**
 * Box–Cox transform (COINr `boxcox(x, lambda, makepos = TRUE)`): as a treatment method
 * (`method: 'boxcox'`) and as a fallback (`fallback: 'boxcox'`). Both need a finite `lambda`.
 */
import * as z from 'zod';
import { CityIndexError } from '../../core/errors.ts';
import { finiteNumber } from '../../spec/primitives.ts';
import { min } from '../../stats/descriptive.ts';
import { checkSkewKurt } from './check.ts';
import { defineTransform, defineTreatment } from './definition.ts';

/** Box–Cox lambda for `method: 'boxcox'` or `fallback: 'boxcox'`. */
const lambda = finiteNumber.optional();

/** Options of `{ method: 'boxcox', lambda }`. */
export const BoxcoxTreatmentSchema = z.strictObject({ method: z.literal('boxcox'), lambda });

/**
 * COINr `boxcox(x, lambda, makepos = TRUE)`: shift to x − min + 1, then (x^λ − 1)/λ, or log x for λ = 0.
 * @example boxcox([0, 1], 2)[1] // => 1.5
 */
export function boxcox(x: ArrayLike<number>, lambda: number): Float64Array {
  const lo = min(x);
  const out = new Float64Array(x.length);
  if (lambda === 0) for (let i = 0; i < x.length; i++) out[i] = Math.log(x[i] - lo + 1);
  else for (let i = 0; i < x.length; i++) out[i] = (Math.pow(x[i] - lo + 1, lambda) - 1) / lambda;
  return out;
}

/**
 * `boxcox` with a lambda from a spec: a located error when it is missing or not finite.
 * @example boxcoxWith([0, 1], 2)[1] // => 1.5
 */
export function boxcoxWith(x: ArrayLike<number>, lambda: number | undefined): Float64Array {
  if (lambda === undefined || !Number.isFinite(lambda))
    throw new CityIndexError({ code: 'E_OPTION', message: 'boxcox needs a finite lambda', field: 'lambda' });
  return boxcox(x, lambda);
}

/** `boxcox` as a treatment method. */
export const boxcoxTreatment = defineTreatment<typeof BoxcoxTreatmentSchema>({
  method: 'boxcox',
  schema: BoxcoxTreatmentSchema,
  defaults: {},
  forceable: false,
  passStatus: 'transformed',
  stage: (x, s) => {
    const values = boxcoxWith(x, s.lambda);
    return { values, check: checkSkewKurt(values, s.skewThreshold, s.kurtThreshold) };
  },
  text: { en: (o) => `a Box–Cox transform (λ = ${o.lambda})`, zh: (o) => `Box–Cox 变换（λ = ${o.lambda}）` },
});

/** `boxcox` as a fallback. */
export const boxcoxTransform = defineTransform({
  method: 'boxcox',
  apply: (x, s) => boxcoxWith(x, s.lambda),
  text: { en: (o) => `a Box–Cox transform (λ = ${o.lambda})`, zh: (o) => `Box–Cox 变换（λ = ${o.lambda}）` },
});
