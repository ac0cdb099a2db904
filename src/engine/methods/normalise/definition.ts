/**
 * The shape of a normalisation method (one file per method in this folder, listed in `index.ts`):
 * its options schema, defaults, `resolve` (fill defaults and framework parameters once, at the start
 * of the step), `column` (the kernel with an options object: one direction-adjusted column in, a new
 * column out) and its description. Shared column helpers live here too.
 */
import type { z } from 'zod';
import type { FrameworkNode } from '../../core/framework.ts';
import { countAvailable } from '../../stats/descriptive.ts';
import type { MethodDefinition, MethodSchema } from '../method.ts';

/** A column of values, NaN = missing. */
export type Num = ArrayLike<number>;

/** Thrown by kernels for degenerate input; the step turns it into a located `Issue`. */
export class DegenerateColumnError extends Error {
  constructor(
    message: string,
    readonly expected?: string,
  ) {
    super(message);
    this.name = 'DegenerateColumnError';
  }
}

/** What `column` knows besides the values and options. */
export interface NormaliseColumnContext {
  /** The indicator's framework direction; the column is already multiplied by it. */
  direction: 1 | -1;
  /** Unit codes in row order (to locate a reference unit). */
  unitCodes: readonly string[];
}

/** One normalisation method: schema, defaults, resolution, kernel and description. */
export interface NormaliseDefinition<S extends MethodSchema> extends MethodDefinition<S> {
  /** Default values of the optional settings, written once (used by `resolve` and the descriptions). */
  readonly defaults: Readonly<Partial<NoInfer<z.infer<S>>>>;
  /**
   * The options with every default and framework parameter filled in, in the indicator's own units.
   * Throws a `CityIndexError` naming the indicator when a needed parameter is missing.
   */
  resolve(options: z.infer<S>, node: FrameworkNode | undefined): NoInfer<z.infer<S>>;
  /** Normalise one column already multiplied by its direction, with resolved options. */
  column(x: Num, options: z.infer<S>, context: NormaliseColumnContext): Float64Array;
}

/**
 * A definition, checked against its schema's type (identity at run time).
 * @example
 * import { minMaxNormalisation } from './min-max.ts';
 * defineNormalisation(minMaxNormalisation).method // => 'minMax'
 */
export function defineNormalisation<S extends MethodSchema>(
  definition: NormaliseDefinition<S>,
): NormaliseDefinition<S> {
  return definition;
}

/**
 * `f` applied to every available value; missing stays missing.
 * @example mapAvailable([1, NaN], (v) => v * 2) // => Float64Array [2, NaN]
 */
export function mapAvailable(x: Num, f: (v: number) => number): Float64Array {
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    out[i] = Number.isNaN(v) ? NaN : f(v);
  }
  return out;
}

/**
 * Throws `DegenerateColumnError` when the column has no available value.
 * @example needValues([1]) // => undefined
 */
export function needValues(x: Num): void {
  if (countAvailable(x) === 0) {
    throw new DegenerateColumnError('the column has no available values', 'at least one value');
  }
}

/**
 * A resolved parameter that `resolve` guarantees; a missing one is a programming error, named.
 * @example resolved(3, 'target') // => 3
 */
export function resolved(value: number | undefined, name: string): number {
  if (value === undefined) throw new DegenerateColumnError(`the ${name} was not resolved`, `a resolved ${name}`);
  return value;
}
