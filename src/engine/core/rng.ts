/**
 * Seeded random numbers for the engine (never Math.random): xoroshiro128+ from pure-rand.
 * The generator is an argument wherever randomness is used, and its seed is recorded in results.
 */
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  readonly seed: number;
}

/**
 * A seeded uniform generator.
 * @example const r = createRng(42); r.next() === createRng(42).next() // => true
 */
export function createRng(seed: number): Rng {
  const g = xoroshiro128plus(seed | 0);
  return {
    seed,
    next: () => uniformFloat64(g),
    int: (n: number) => Math.floor(uniformFloat64(g) * n),
  };
}
