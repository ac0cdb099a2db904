/**
 * Seeded random numbers for the engine (no global randomness): xoroshiro128+ from pure-rand, with its
 * 128-bit state filled from the seed by SplitMix32 so that nearby seeds (1, 2, 3 …) give unrelated
 * streams from the first draw. The generator is an argument wherever randomness is used, and its
 * seed is recorded in results.
 */
import { xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  readonly seed: number;
}

/** SplitMix32 (a 32-bit variant of Steele, Lea & Flood 2014's SplitMix): four well-mixed words from one seed. */
function splitmix32State(seed: number): number[] {
  let s = seed | 0;
  const out: number[] = [];
  for (let k = 0; k < 4; k++) {
    s = (s + 0x9e3779b9) | 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    out.push((z ^ (z >>> 16)) | 0);
  }
  if ((out[0] | out[1] | out[2] | out[3]) === 0) out[0] = 1;
  return out;
}

/**
 * A seeded uniform generator.
 * @example const r = createRng(42); r.next() === createRng(42).next() // => true
 */
export function createRng(seed: number): Rng {
  const g = xoroshiro128plusFromState(splitmix32State(seed));
  return {
    seed,
    next: () => uniformFloat64(g),
    int: (n: number) => Math.floor(uniformFloat64(g) * n),
  };
}
