/**
 * Equal weights: every indicator (or aggregate) of a group counts the same (COINr's default `Weight = 1`).
 */
import { CityIndexError } from '../../core/errors.ts';

/**
 * n equal weights summing to 1.
 * @example Array.from(equalWeights(4)) // => [0.25, 0.25, 0.25, 0.25]
 */
export function equalWeights(n: number): Float64Array {
  if (!Number.isInteger(n) || n < 1) {
    throw new CityIndexError({
      code: 'E_SHAPE',
      message: `equal weights need a positive whole number of items, found ${n}`,
      expected: 'n ≥ 1',
    });
  }
  return new Float64Array(n).fill(1 / n);
}
