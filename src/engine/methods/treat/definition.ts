/**
 * The shape of a treatment method and of a fallback transform (one file per method or transform in this
 * folder, listed in `index.ts`). A treatment *method* (`winsorise`, `log`, `boxcox`, `none`) is stage 1
 * of COINr's `Treat.numeric(f1 = …)`: it runs on a column that fails the skew/kurtosis check. A
 * *transform* (`logCT`, `logCTPlus`, `logCTOrig`, `boxcox`, `log`, `none`) is COINr's `f2`: applied to
 * the ORIGINAL column when stage 1 did not pass (`combine_treat = FALSE`).
 */
import type { z } from 'zod';
import type { MethodDefinition, MethodSchema, MethodText } from '../method.ts';
import type { SkewKurtCheck } from './check.ts';

/** The settings every method sees: the column's spec with the check's thresholds resolved. */
export interface TreatStageSettings {
  winmax?: number | null;
  forceWinsorise?: boolean;
  lambda?: number;
  skewThreshold: number;
  kurtThreshold: number;
}

/** What a method knows besides the column and its settings. */
export interface TreatStageContext {
  /** The check of the untreated column. */
  initial: SkewKurtCheck;
  /** Whether a passing column is treated anyway (`forceWinsorise` on a method that can be forced). */
  force: boolean;
  /** A buffer of the column's length the method may return its values in (valid until the next column). */
  work?: Float64Array;
}

/** Stage 1's result: the treated column and its check (and, for winsorisation, the capped rows). */
export interface TreatStageResult {
  values: Float64Array;
  check: SkewKurtCheck;
  nwin?: number;
  high?: number[];
  low?: number[];
}

/** One treatment method (stage 1). */
export interface TreatDefinition<S extends MethodSchema> extends MethodDefinition<S> {
  /** Default values of the method's own settings, written once. */
  readonly defaults: Readonly<Partial<NoInfer<z.infer<S>>>>;
  /** Whether `forceWinsorise` makes a passing column be treated (winsorisation only). */
  readonly forceable: boolean;
  /** The status of a column that passes after this method. */
  readonly passStatus: 'winsorised' | 'transformed';
  /**
   * Treat a column that fails the check (or is forced); a string is why it could not proceed (the column
   * is then left untreated). Absent for `none`, which leaves every column as it is ('skipped').
   */
  stage?(x: ArrayLike<number>, settings: TreatStageSettings, context: TreatStageContext): TreatStageResult | string;
}

/**
 * A treatment method, checked against its schema's type (identity at run time).
 * @example
 * import { logTreatment } from './log.ts';
 * defineTreatment(logTreatment).passStatus // => 'transformed'
 */
export function defineTreatment<S extends MethodSchema>(definition: TreatDefinition<S>): TreatDefinition<S> {
  return definition;
}

/** One fallback transform (COINr `f2`), applied to the original column. */
export interface TransformDefinition<M extends string> {
  /** The name used in specs (`fallback: 'logCT'`). */
  readonly method: M;
  /** Description in English and Chinese. */
  readonly text: MethodText<{ lambda?: number }>;
  /** The transform; absent for `none` (stage 1's result is kept even if it still fails). */
  apply?(x: ArrayLike<number>, settings: { lambda?: number }): Float64Array;
}

/**
 * A transform definition with its name kept as a literal type (identity at run time).
 * @example defineTransform({ method: 'none', text: { en: () => 'none', zh: () => '无' } }).method // => 'none'
 */
export function defineTransform<const M extends string>(definition: TransformDefinition<M>): TransformDefinition<M> {
  return definition;
}
