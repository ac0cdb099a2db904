import { describe, expect, it } from 'vitest';
import { createRng } from '../../core/rng.ts';
import { saltelliSample, sobolIndices } from './estimators.ts';

function evaluate(N: number, d: number, f: (x: Float64Array) => number): Float64Array {
  const X = saltelliSample(N, d);
  const y = new Float64Array(N * (d + 2));
  for (let r = 0; r < y.length; r++) y[r] = f(X.subarray(r * d, (r + 1) * d));
  return y;
}

describe('Saltelli design', () => {
  it('has N(d + 2) rows: A, B, then A with one column from B', () => {
    const N = 4,
      d = 3;
    const X = saltelliSample(N, d);
    expect(X.length).toBe(N * (d + 2) * d);
    for (let i = 0; i < d; i++)
      for (let r = 0; r < N; r++)
        for (let j = 0; j < d; j++) {
          const ab = X[((2 + i) * N + r) * d + j];
          expect(ab).toBe(j === i ? X[(N + r) * d + j] : X[r * d + j]);
        }
    for (const v of X) expect(v >= 0 && v < 1).toBe(true);
  });
});

describe('Sobol indices (Saltelli 2010 first order, Jansen total)', () => {
  it('linear model Y = Σ a_i X_i, X_i ~ U(0,1): Si = STi = a_i² / Σ a_j² (analytic)', () => {
    // Var(a X) = a²/12, additive model: Si = STi = a_i²/Σa² = [1, 4, 9, 0]/14
    const a = [1, 2, 3, 0];
    const y = evaluate(8192, 4, (x) => a[0] * x[0] + a[1] * x[1] + a[2] * x[2] + a[3] * x[3]);
    const r = sobolIndices(y, 8192, 4);
    const expected = [1 / 14, 4 / 14, 9 / 14, 0];
    r.indices.forEach((s, i) => {
      expect(s.Si).toBeCloseTo(expected[i], 2);
      expect(s.STi).toBeCloseTo(expected[i], 2);
    });
    // X4 has no effect: its A_B runs equal A exactly → both indices exactly 0
    expect(r.indices[3].Si).toBe(0);
    expect(r.indices[3].STi).toBe(0);
  });
  it('Ishigami function (a = 7, b = 0.1): S = [0.3139, 0.4424, 0], ST = [0.5576, 0.4424, 0.2437]', () => {
    // Analytic values: Saltelli et al. (2008) Global Sensitivity Analysis. The Primer, §4.2; SALib's test targets.
    const N = 16384;
    const y = evaluate(N, 3, (u) => {
      const x1 = -Math.PI + 2 * Math.PI * u[0],
        x2 = -Math.PI + 2 * Math.PI * u[1],
        x3 = -Math.PI + 2 * Math.PI * u[2];
      return Math.sin(x1) + 7 * Math.sin(x2) ** 2 + 0.1 * x3 ** 4 * Math.sin(x1);
    });
    const r = sobolIndices(y, N, 3, { bootstrap: 200, rng: createRng(3) });
    const S = [0.3139, 0.4424, 0],
      ST = [0.5576, 0.4424, 0.2437];
    r.indices.forEach((s, i) => {
      expect(Math.abs(s.Si - S[i])).toBeLessThan(0.02);
      expect(Math.abs(s.STi - ST[i])).toBeLessThan(0.02);
      expect(s.SiInterval![0]).toBeLessThanOrEqual(s.SiInterval![1]);
      expect(s.STiInterval![0]).toBeLessThanOrEqual(s.STi + 1e-12);
      expect(s.STiInterval![1]).toBeGreaterThanOrEqual(s.STi - 1e-12);
    });
  });
  it('failed runs (NaN) drop their base row from every estimate', () => {
    const N = 1024;
    const y = evaluate(N, 2, (x) => x[0] + 2 * x[1]);
    const clean = sobolIndices(y, N, 2);
    y[2 * N + 5] = NaN;
    const r = sobolIndices(y, N, 2);
    expect(r.nUsed).toBe(N - 1);
    expect(r.indices[0].Si).toBeCloseTo(clean.indices[0].Si, 2);
  });
  it('an output that never varies gives every index 0', () => {
    const r = sobolIndices(new Float64Array(4 * 5).fill(3), 5, 2);
    expect(r.indices).toEqual([
      { Si: 0, STi: 0 },
      { Si: 0, STi: 0 },
    ]);
  });
  it('the bootstrap is seeded: same seed, same intervals', () => {
    const y = evaluate(256, 2, (x) => x[0] * x[1]);
    const a = sobolIndices(y, 256, 2, { bootstrap: 50, rng: createRng(9) });
    const b = sobolIndices(y, 256, 2, { bootstrap: 50, rng: createRng(9) });
    expect(a).toEqual(b);
  });
});
