/**
 * The shape of an imputation method (one file per method in this folder, listed in `index.ts`): its
 * options schema, defaults, the checks that need the project (a group column, a level), the column
 * kernel the step calls for each indicator, and its description.
 */
import type { z } from 'zod';
import type { Issue } from '../../core/errors.ts';
import type { Dataset } from '../../core/dataset.ts';
import type { StepInput } from '../../pipeline/step.ts';
import { mean, median } from '../../stats/descriptive.ts';
import type { MethodDefinition, MethodSchema } from '../method.ts';

/** The statistic a mean/median method fills with. */
export type Stat = 'mean' | 'median';

/**
 * The function computing a statistic over the available values.
 * @example statOf('median')([1, 2, 10]) // => 2
 */
export const statOf = (s: Stat): ((x: ArrayLike<number>) => number) => (s === 'mean' ? mean : median);

/** What the step gives a method's `fill` for one indicator column. */
export interface ImputeColumnContext {
  /** The indicator's code and column index in the dataset. */
  code: string;
  column: number;
  /** The step's input dataset (every method sees the input, not another method's output). */
  dataset: Dataset;
  /** The input column (a view, not to be written). */
  values: Float64Array;
  /** Write the imputed column (a full column of the output). */
  write(column: Float64Array): void;
  /** The output dataset's values (column-major), for kernels that write in place. */
  out: Float64Array;
  /** Earlier periods (oldest first). */
  history: ReadonlyArray<{ period: string; dataset: Dataset }>;
  /** Row indices of each group of a unit group column (cached per column name). */
  membersOf(group: string): Int32Array[];
  /** Defer the column to a row-wise block keyed by `key` (imputed together after all columns). */
  joinRowBlock(key: string, stat: Stat, normaliseFirst: boolean): void;
  /** The indicator's ancestor code at `level`, or null. */
  ancestorAt(level: number): string | null;
  /** Record the period a value of row `row` came from (panel methods). */
  period(row: number, period: string): void;
  /** A warning recorded once per step and code. */
  warnOnce(issue: Issue): void;
}

/** One imputation method. */
export interface ImputeDefinition<S extends MethodSchema> extends MethodDefinition<S> {
  /** Default values of the optional settings, written once. */
  readonly defaults: Readonly<Partial<NoInfer<z.infer<S>>>>;
  /** Row methods need every indicator in the framework (direction, group). */
  readonly byRow: boolean;
  /** Checks that need the project (field = the options path prefix, e.g. `perIndicator.GDP.`). */
  validate?(options: z.infer<S>, field: string, input: StepInput, issues: Issue[]): void;
  /** Impute one column. */
  fill(options: z.infer<S>, context: ImputeColumnContext): void;
}

/**
 * A definition, checked against its schema's type (identity at run time).
 * @example
 * import { meanImputation } from './mean.ts';
 * defineImputation(meanImputation).byRow // => false
 */
export function defineImputation<S extends MethodSchema>(definition: ImputeDefinition<S>): ImputeDefinition<S> {
  return definition;
}

/**
 * A copy of `x` with every NaN replaced by `v`.
 * @example fillWith([1, NaN], 5) // => Float64Array [1, 5]
 */
export function fillWith(x: ArrayLike<number>, v: number): Float64Array {
  const out = Float64Array.from(x);
  for (let i = 0; i < out.length; i++) if (Number.isNaN(out[i])) out[i] = v;
  return out;
}
