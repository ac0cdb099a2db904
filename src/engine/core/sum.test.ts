import { describe, expect, it } from 'vitest';
import { ExactSum, exactSum } from './sum.ts';
import { createRng } from './rng.ts';

/** The exact sum rounded once, through BigInt: every double in [2^-140, 2^100] is a multiple of 2^-200. */
function referenceSum(xs: number[]): number {
  const scale = 2 ** 200;
  let s = 0n;
  for (const x of xs) s += BigInt(x * scale); // exact: scaling by a power of two, an integer here
  return Number(s) / scale; // Number(BigInt) rounds half-even once; the division is exact
}

describe('exactSum', () => {
  it('is the correctly rounded sum where a plain loop is an ulp off', () => {
    expect(0.1 + 0.2 + 0.3).toBe(0.6000000000000001);
    expect(exactSum([0.1, 0.2, 0.3])).toBe(0.6);
    expect(exactSum([1e16, 1, -1e16])).toBe(1);
    expect(exactSum([1, 1e100, 1, -1e100])).toBe(2);
    expect(exactSum([])).toBe(0);
  });

  it('equals the exact sum rounded once on 20 000 random lists (BigInt reference)', () => {
    const rng = createRng(11);
    let plainDiffers = 0;
    for (let t = 0; t < 20000; t++) {
      const n = 1 + rng.int(12);
      const xs = Array.from({ length: n }, () => {
        const sign = rng.next() < 0.3 ? -1 : 1;
        return sign * rng.next() * 2 ** (rng.int(60) - 30);
      });
      const ref = referenceSum(xs);
      expect(exactSum(xs)).toBe(ref);
      if (xs.reduce((a, b) => a + b, 0) !== ref) plainDiffers++;
    }
    expect(plainDiffers).toBeGreaterThan(1000); // the test exercises the cases a plain loop gets wrong
  });

  it('halfway cases round to even', () => {
    // 1 + 2^-53 is exactly halfway between 1 and 1 + 2^-52: even is 1; a further tiny part breaks the tie up
    expect(exactSum([1, 2 ** -53])).toBe(1);
    expect(exactSum([1, 2 ** -53, 2 ** -80])).toBe(1 + 2 ** -52);
    expect(exactSum([1 + 2 ** -52, 2 ** -53])).toBe(1 + 2 ** -51);
  });

  it('non-finite values give the IEEE result; an accumulator is reusable', () => {
    expect(exactSum([1, Infinity])).toBe(Infinity);
    expect(exactSum([Infinity, -Infinity])).toBeNaN();
    expect(exactSum([1, NaN])).toBeNaN();
    expect(exactSum([1.7976931348623157e308, 1.7976931348623157e308])).toBe(Infinity);
    const acc = new ExactSum();
    acc.add(NaN);
    acc.reset();
    acc.add(2);
    acc.add(3);
    expect(acc.value()).toBe(5);
  });
});
