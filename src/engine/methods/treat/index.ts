/**
 * The treatment methods and fallback transforms: one file each, listed once here. The spec's
 * `TreatSpecSchema` (method and fallback names, the methods' settings) and the treat step's dispatch are
 * built from these lists (see docs/adding-a-method.md).
 */
import * as z from 'zod';
import { registryOf } from '../method.ts';
import { SKEW_KURT_DEFAULTS } from './check.ts';
import { WINSORISE_DEFAULTS, winsoriseTreatment } from './winsorise.ts';
import { logTransform, logTreatment } from './log.ts';
import { boxcoxTransform, boxcoxTreatment } from './boxcox.ts';
import { noTransform, noTreatment } from './none.ts';
import { logCTTransform } from './log-ct.ts';
import { logCTPlusTransform } from './log-ct-plus.ts';
import { logCTOrigTransform } from './log-ct-orig.ts';

/** Every treatment method (stage 1), in the order of the documentation and the JSON Schema. */
export const TREAT_METHODS = [winsoriseTreatment, logTreatment, boxcoxTreatment, noTreatment] as const;

/** The fallbacks a spec may name (COINr `f2`), in the order of the JSON Schema. */
export const TREAT_FALLBACKS = [
  logCTTransform,
  logCTPlusTransform,
  logCTOrigTransform,
  boxcoxTransform,
  noTransform,
] as const;

/** Every transform the step applies: the spec's fallbacks plus COINr's plain `log` (`f2 = "log"`). */
export const TREAT_TRANSFORMS = [
  logCTTransform,
  logCTPlusTransform,
  logCTOrigTransform,
  boxcoxTransform,
  logTransform,
  noTransform,
] as const;

/** The treatment methods by name. */
export const TREAT_REGISTRY = registryOf(TREAT_METHODS);
/** The transforms by name. */
export const TRANSFORM_REGISTRY = registryOf(TREAT_TRANSFORMS);

/** The names of a list of definitions, as a tuple for `z.enum`. */
function namesOf<const D extends readonly [{ method: string }, ...Array<{ method: string }>]>(
  definitions: D,
): { -readonly [K in keyof D]: D[K]['method'] } {
  return definitions.map((d) => d.method) as { -readonly [K in keyof D]: D[K]['method'] };
}

/** The name of a treatment method. */
export const TreatMethodNameSchema = z.enum(namesOf(TREAT_METHODS));
export type TreatMethodName = z.infer<typeof TreatMethodNameSchema>;

/** Transform applied when winsorising fails (COINr `f2`). */
export const TreatFallbackSchema = z.enum(namesOf(TREAT_FALLBACKS));
export type TreatFallback = z.infer<typeof TreatFallbackSchema>;

/** The name of any transform the step applies (a spec's fallback or `log`). */
export type TreatTransformName = (typeof TREAT_TRANSFORMS)[number]['method'];

/** COINr `Treat.data.frame` defaults, gathered from the files that write them. */
export const TREAT_DEFAULTS = {
  method: 'winsorise' as const,
  winmax: WINSORISE_DEFAULTS.winmax,
  skewThreshold: SKEW_KURT_DEFAULTS.skewThreshold as number,
  kurtThreshold: SKEW_KURT_DEFAULTS.kurtThreshold as number,
  forceWinsorise: WINSORISE_DEFAULTS.forceWinsorise,
  fallback: 'logCT' as TreatFallback,
};
