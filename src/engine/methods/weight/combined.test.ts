import { describe, expect, it } from 'vitest';
import { combinedWeights } from './combined.ts';
import { equalWeights } from './equal.ts';
import { noisyWeights } from './noisy.ts';
import { createRng } from '../../core/rng.ts';

describe('combinedWeights (组合赋权)', () => {
  it('additive: α·s + (1−α)·o after rescaling both to sum 1', () => {
    const r = combinedWeights([1, 1], [0.2, 0.8], { alpha: 0.5 });
    expect(r.weights[0]).toBeCloseTo(0.35, 15);
    expect(r.weights[1]).toBeCloseTo(0.65, 15);
    const s = combinedWeights([2, 6], [1, 1], { alpha: 0.25 });
    // s → (0.25, 0.75); 0.25·0.25 + 0.75·0.5 = 0.4375
    expect(s.weights[0]).toBeCloseTo(0.4375, 15);
  });

  it('multiplicative: ∝ s·o', () => {
    // (0.25·0.2, 0.75·0.8) = (0.05, 0.6) → (0.05/0.65, 0.6/0.65)
    const r = combinedWeights([1, 3], [0.2, 0.8], { rule: 'multiplicative' });
    expect(r.weights[0]).toBeCloseTo(0.05 / 0.65, 15);
    expect(r.rule).toBe('multiplicative');
  });

  it('rejects bad input', () => {
    expect(() => combinedWeights([1], [1, 2])).toThrow(/1 subjective but 2 objective/);
    expect(() => combinedWeights([1, 1], [1, 1], { alpha: 2 })).toThrow(/alpha/);
    expect(() => combinedWeights([1, -1], [1, 1])).toThrow(/subjective weight 2/);
  });
});

describe('equalWeights and noisyWeights', () => {
  it('equal weights', () => {
    expect(Array.from(equalWeights(4))).toEqual([0.25, 0.25, 0.25, 0.25]);
    expect(() => equalWeights(0)).toThrow();
  });

  it('noisy weights stay within ±noiseFactor·w and are reproducible from the seed', () => {
    const w = [1, 2, 0.5, 4];
    const a = noisyWeights(w, 0.25, createRng(7));
    const b = noisyWeights(w, 0.25, createRng(7));
    expect(Array.from(a)).toEqual(Array.from(b));
    w.forEach((v, j) => {
      expect(a[j]).toBeGreaterThanOrEqual(v * 0.75);
      expect(a[j]).toBeLessThanOrEqual(v * 1.25);
    });
    expect(Array.from(noisyWeights(w, 0, createRng(1)))).toEqual(w);
    expect(() => noisyWeights(w, -1, createRng(1))).toThrow(/noiseFactor/);
  });
});
