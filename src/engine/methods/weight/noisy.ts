/**
 * Noisy weights for uncertainty analysis: COINr `get_noisy_weights()` — each weight is perturbed
 * uniformly by up to ±noiseFactor of itself: w' = w + (2U − 1)·noiseFactor·w.
 */
import { CityIndexError } from '../../core/errors.ts';
import type { Rng } from '../../core/rng.ts';

/**
 * One noisy replicate of a weight vector (the random numbers come from the seeded `rng`).
 * @example
 * import { createRng } from '../../core/rng.ts';
 * const w = noisyWeights([1, 1], 0.25, createRng(1));
 * Array.from(w).every((v) => v >= 0.75 && v <= 1.25) // => true
 */
export function noisyWeights(weights: ArrayLike<number>, noiseFactor: number, rng: Rng): Float64Array {
  if (!(noiseFactor >= 0) || !Number.isFinite(noiseFactor)) {
    throw new CityIndexError({
      code: 'E_OPTION',
      message: `noisy weights: noiseFactor must be a finite number ≥ 0, found ${noiseFactor}`,
      field: 'noiseFactor',
      expected: 'e.g. 0.25 for ±25 %',
    });
  }
  const out = new Float64Array(weights.length);
  for (let j = 0; j < weights.length; j++) {
    const w = weights[j];
    out[j] = w + (2 * rng.next() - 1) * noiseFactor * w;
  }
  return out;
}
