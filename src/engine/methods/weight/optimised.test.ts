import { describe, expect, it } from 'vitest';
import { correlationBalance, optimiseWeights, projectToSimplex } from './optimised.ts';

describe('projectToSimplex (Duchi et al. 2008)', () => {
  it('projects onto w ≥ 0, Σw = 1', () => {
    // worked: sorted (0.8, 0.6, −1); θ = (0.8 + 0.6 − 1)/2 = 0.2 → (0.6, 0.4, 0)
    const p = projectToSimplex([0.8, 0.6, -1]);
    [0.6, 0.4, 0].forEach((v, j) => expect(p[j]).toBeCloseTo(v, 15));
    expect(Array.from(projectToSimplex([0.2, 0.3, 0.5]))).toEqual([0.2, 0.3, 0.5]);
  });
});

describe('optimiseWeights (Nelder–Mead on the simplex)', () => {
  it('reaches an interior optimum', () => {
    const t = [0.1, 0.2, 0.3, 0.4];
    const r = optimiseWeights((w) => w.reduce((s, v, j) => s + (v - t[j]) ** 2, 0), 4, { tolerance: 1e-12 });
    expect(r.converged).toBe(true);
    t.forEach((v, j) => expect(r.weights[j]).toBeCloseTo(v, 5));
    expect(r.value).toBeLessThan(1e-10);
  });

  it('reaches an optimum on a face of the simplex with exact zeros (never negative)', () => {
    // nearest simplex point to (0.7, 0.5, −0.2) is (0.6, 0.4, 0)
    const c = [0.7, 0.5, -0.2];
    const r = optimiseWeights((w) => w.reduce((s, v, j) => s + (v - c[j]) ** 2, 0), 3);
    expect(r.converged).toBe(true);
    expect(r.weights[0]).toBeCloseTo(0.6, 4);
    expect(r.weights[1]).toBeCloseTo(0.4, 4);
    expect(r.weights[2]).toBe(0);
    expect(Array.from(r.weights).every((v) => v >= 0)).toBe(true);
  });

  it('is deterministic and reports non-convergence', () => {
    const f = (w: Float64Array): number => Math.sin(5 * w[0]) + (w[1] - 0.3) ** 2;
    const a = optimiseWeights(f, 3);
    const b = optimiseWeights(f, 3);
    expect(Array.from(a.weights)).toEqual(Array.from(b.weights));
    const short = optimiseWeights((w) => w.reduce((s, v, j) => s + (v - (j + 1) / 10) ** 2, 0), 4, {
      maxIterations: 2,
      tolerance: 1e-14,
    });
    expect(short.converged).toBe(false);
    expect(short.iterations).toBe(2);
  });

  it('n = 1 is trivial', () => {
    expect(Array.from(optimiseWeights(() => 0, 1).weights)).toEqual([1]);
  });
});

describe('correlationBalance (COINr get_opt_weights "balance", without the log)', () => {
  it('is 0 when normalised correlations equal the normalised target', () => {
    expect(correlationBalance([0.8, 0.8])).toBe(0);
    expect(correlationBalance([0.3, 0.6], [1, 2])).toBeCloseTo(0, 15);
    // (1/2 − 0.3/0.9)² and (1/2 − 0.6/0.9)², mean = (1/6)² = 1/36
    expect(correlationBalance([0.3, 0.6])).toBeCloseTo(1 / 36, 15);
  });
});
