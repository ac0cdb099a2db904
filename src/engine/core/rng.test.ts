import { describe, expect, it } from 'vitest';
import { createRng } from './rng.ts';

describe('createRng', () => {
  it('is reproducible for a seed and differs between seeds', () => {
    const a = createRng(7),
      b = createRng(7),
      c = createRng(8);
    const xs = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(xs);
  });
  it('nearby seeds give unrelated first draws (uniform over 24 bins)', () => {
    const counts = new Array(24).fill(0);
    for (let s = 1; s <= 2400; s++) counts[createRng(s).int(24)]++;
    // each bin expects 100; a chi-square with 23 df above 60 has p < 1e-4
    const chi2 = counts.reduce((t, c) => t + (c - 100) ** 2 / 100, 0);
    expect(chi2).toBeLessThan(60);
  });
  it('draws are in [0, 1) with mean ≈ 1/2', () => {
    const r = createRng(1);
    let s = 0;
    for (let i = 0; i < 100000; i++) {
      const x = r.next();
      expect(x >= 0 && x < 1).toBe(true);
      s += x;
    }
    expect(s / 100000).toBeCloseTo(0.5, 2);
  });
});
