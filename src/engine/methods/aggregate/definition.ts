/**
 * The shape of an aggregation method (its kernel file in this folder exports one definition, listed in
 * `index.ts`): options schema, defaults, the group kernel (units × components matrix in, one score per
 * unit out), the value domain the step checks with unit and component names, and the description.
 */
import type { z } from 'zod';
import type { MethodDefinition, MethodSchema } from '../method.ts';

/** Result of aggregating one group matrix. */
export interface GroupAggregation {
  scores: Float64Array;
  bod?: { nAtFrontier: number; weights: Float64Array };
}

/** Why a value cannot enter a method (code, message, what was expected). */
export interface DomainProblem {
  code: string;
  message: string;
  expected: string;
}

/** One group: `x` is units × components, column-major (`x[j*m + i]`), one weight per component. */
export interface GroupInput {
  x: Float64Array;
  m: number;
  n: number;
  weights: ArrayLike<number>;
  /** One flag per unit: row-wise means score only the flagged units (others NaN). */
  rows?: Uint8Array;
}

/** One aggregation method. */
export interface AggregationDefinition<S extends MethodSchema> extends MethodDefinition<S> {
  /** Default values of the optional settings, written once. */
  readonly defaults: Readonly<Partial<NoInfer<z.infer<S>>>>;
  /** `rowWise`: a weighted mean of each unit's available values; `group`: needs the whole matrix. */
  readonly shape: 'rowWise' | 'group';
  /** Units with a missing component are scored missing (TOPSIS, BoD). */
  readonly completeCase: boolean;
  /** Why a value is outside the method's domain, or null (absent: every finite value is fine). */
  readonly domain?: (value: number, options: z.infer<S>) => DomainProblem | null;
  /** Aggregate one group. */
  group(input: GroupInput, options: z.infer<S>): GroupAggregation;
}

/**
 * A definition, checked against its schema's type (identity at run time).
 * @example
 * import { arithmeticAggregation } from './arithmetic.ts';
 * defineAggregation(arithmeticAggregation).shape // => 'rowWise'
 */
export function defineAggregation<S extends MethodSchema>(
  definition: AggregationDefinition<S>,
): AggregationDefinition<S> {
  return definition;
}

/**
 * Apply a row-wise mean `f(row, weights)` to every (flagged) unit of a group.
 * @example
 * const input = { x: Float64Array.of(1, 2, 3, 4), m: 2, n: 2, weights: [1, 1] };
 * rowWiseGroup(input, (r) => r[0] + r[1]).scores // => Float64Array [4, 6]
 */
export function rowWiseGroup(
  { x, m, n, weights, rows }: GroupInput,
  f: (row: Float64Array, w: ArrayLike<number>) => number,
): GroupAggregation {
  const row = new Float64Array(n);
  const scores = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    if (rows && !rows[i]) {
      scores[i] = NaN;
      continue;
    }
    for (let j = 0; j < n; j++) row[j] = x[j * m + i];
    scores[i] = f(row, weights);
  }
  return { scores };
}
