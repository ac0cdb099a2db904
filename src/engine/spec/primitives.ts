/**
 * The zod building blocks shared by every method's options schema (finite numbers, shares, codes,
 * ranges), so that a method file and the spec agree on what "a number" means.
 */
import * as z from 'zod';

/** A finite number (NaN and ±Infinity are rejected with a message). */
export const finiteNumber = z.number().refine(Number.isFinite, 'must be a finite number');
/** A finite number in [0, 1]. */
export const share = finiteNumber.refine((v) => v >= 0 && v <= 1, 'must be between 0 and 1');
/** A non-empty code (indicator, unit, group column). */
export const code = z.string().min(1);
/** `[lower, upper]` with upper > lower. */
export const range = z
  .tuple([finiteNumber, finiteNumber])
  .refine(([l, u]) => u > l, 'upper bound must exceed lower bound');
