import { describe, expect, it } from 'vitest';
import { pcaWeights, varimax } from './pca.ts';
import { colMajor } from '../../test-fixtures/engine.ts';

// 10 × 5 test matrix; reference numbers from numpy, script below (R's stats::varimax ported line by line):
//   import numpy as np
//   def varimax(x, eps=1e-5):  # R stats::varimax, normalize=TRUE
//       p, nc = x.shape
//       sc = np.sqrt((x**2).sum(1)); x = x / sc[:, None]
//       TT = np.eye(nc); d = 0
//       for i in range(1000):
//           z = x @ TT
//           B = x.T @ (z**3 - z @ np.diag((z**2).sum(0)) / p)
//           u, s, vt = np.linalg.svd(B)
//           TT = u @ vt; dpast = d; d = s.sum()
//           if d < dpast * (1 + eps): break
//       return (x @ TT) * sc[:, None]
//   R = np.corrcoef(X.T); ev, V = np.linalg.eigh(R); o = np.argsort(-ev); ev = ev[o]; V = V[:, o]
//   V = V * np.sign(V.sum(0)); k = int((ev > 1).sum()); L = V[:, :k] * np.sqrt(ev[:k]); Lr = varimax(L)
//   fv = (Lr**2).sum(0); best = np.argmax(Lr**2, 1); w = Lr[np.arange(5), best]**2 / fv.sum(); w /= w.sum()
const DATA = [
  [3, 1, 4, 1, 5],
  [9, 2, 6, 5, 3],
  [5, 8, 9, 7, 9],
  [3, 2, 3, 8, 4],
  [6, 2, 6, 4, 3],
  [3, 8, 3, 2, 7],
  [9, 5, 0, 2, 8],
  [8, 4, 1, 9, 7],
  [1, 6, 9, 3, 9],
  [9, 3, 7, 5, 1],
];
const EIGEN = [2.028708544404, 1.134712348308, 1.033633079376, 0.623829281317, 0.179116746595];
const ROTATED = [
  [-0.366793325234, 0.528706976114, 0.502334993932],
  [0.905560229199, -0.131750651831, 0.037304925584],
  [-0.020043917982, -0.94713294377, 0.070648115535],
  [0.018773101237, -0.0561908349, 0.936092103157],
  [0.94536005145, 0.038024772269, -0.120301256894],
];
const WEIGHTS = [0.074212997441, 0.217713105541, 0.238161620618, 0.232641427728, 0.237270848672];
const PC1 = [-0.459494943948, 0.591002882056, 0.191324552753, -0.174625004998, 0.610312225858];

describe('pcaWeights (OECD Handbook §6.1; COINr get_PCA)', () => {
  it('oecd: eigenvalues, varimax loadings and weights match numpy', () => {
    const { X, m, n } = colMajor(DATA);
    const r = pcaWeights(X, m, n);
    EIGEN.forEach((v, j) => expect(r.eigenvalues[j]).toBeCloseTo(v, 9));
    expect(r.varianceExplained.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
    expect(r.retained).toBe(3);
    ROTATED.forEach((row, j) => row.forEach((v, f) => expect(r.rotatedLoadings[j][f]).toBeCloseTo(v, 6)));
    expect(Array.from(r.factorOfIndicator)).toEqual([1, 0, 1, 2, 0]);
    WEIGHTS.forEach((v, j) => expect(r.weights[j]).toBeCloseTo(v, 6));
    // rotation keeps communalities and total explained variance
    for (let j = 0; j < n; j++) {
      const h0 = r.loadings[j].reduce((s, v) => s + v * v, 0);
      const h1 = r.rotatedLoadings[j].reduce((s, v) => s + v * v, 0);
      expect(h1).toBeCloseTo(h0, 10);
    }
    expect(r.factorVariance.reduce((s, v) => s + v, 0)).toBeCloseTo(EIGEN[0] + EIGEN[1] + EIGEN[2], 9);
  });

  it('coinrPc1: raw PC1 loadings (unit-length eigenvector, can be negative), with a warning', () => {
    const { X, m, n } = colMajor(DATA);
    const r = pcaWeights(X, m, n, { variant: 'coinrPc1' });
    PC1.forEach((v, j) => expect(r.weights[j]).toBeCloseTo(v, 9));
    expect(r.weights.reduce((s, v) => s + v * v, 0)).toBeCloseTo(1, 12);
    expect(r.warnings[0].code).toBe('W_PCA_NEGATIVE');
  });

  it('two uncorrelated blocks of perfectly correlated indicators → 2 factors, weights ≥ 0 summing to 1', () => {
    // a and b are orthogonal centred patterns; each block is positive affine copies of one pattern (correlation 1)
    const a = [1, -1, 1, -1, 1, -1, 1, -1];
    const b = [1, 1, -1, -1, 1, 1, -1, -1];
    const rows = a.map((ai, i) => [ai, 2 * ai + 5, 3 * ai - 1, b[i], 0.5 * b[i] + 2]);
    const { X, m, n } = colMajor(rows);
    const r = pcaWeights(X, m, n);
    expect(r.retained).toBe(2);
    expect(r.eigenvalues[0]).toBeCloseTo(3, 10);
    expect(r.eigenvalues[1]).toBeCloseTo(2, 10);
    expect(Array.from(r.weights).every((w) => w >= 0)).toBe(true);
    expect(r.weights.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
    // each indicator loads 1 on its block's factor: weight = 1 / (3 + 2) for every indicator
    Array.from(r.weights).forEach((w) => expect(w).toBeCloseTo(0.2, 8));
    const f = r.factorOfIndicator;
    expect(f[0]).toBe(f[1]);
    expect(f[1]).toBe(f[2]);
    expect(f[3]).toBe(f[4]);
    expect(f[0]).not.toBe(f[3]);
  });

  it('the 10 % rule: among 12 indicators an eigenvalue of 1 explains 8.3 % and is not retained', () => {
    // block of 3 perfectly correlated columns (eigenvalue 3) + 9 independent ±1 patterns (eigenvalues 1)
    // built from Hadamard rows so that all columns are exactly uncorrelated: m = 16 units
    const H = [[1]];
    for (let s = 0; s < 4; s++) {
      const k = H.length;
      for (let i = 0; i < k; i++) H.push([...H[i].map((v) => -v), ...H[i]]);
      for (let i = 0; i < k; i++) H[i] = [...H[i], ...H[i]];
    }
    const rows = Array.from({ length: 16 }, (_, i) => [
      H[1][i],
      2 * H[1][i],
      3 * H[1][i] + 1,
      ...[2, 3, 4, 5, 6, 7, 8, 9, 10].map((r) => H[r][i]),
    ]);
    const { X, m, n } = colMajor(rows);
    const r = pcaWeights(X, m, n, { minEigenvalue: 0.99 });
    expect(r.eigenvalues[0]).toBeCloseTo(3, 10);
    expect(r.varianceExplained[1]).toBeCloseTo(1 / 12, 10);
    expect(r.retained).toBe(1); // 1/12 < 10 %
    // rank 10: two eigenvalues are 0
    expect(pcaWeights(X, m, n, { minEigenvalue: 0.99, minVarianceShare: 0.05 }).retained).toBe(10);
    expect(r.warnings.map((w) => w.code)).toContain('W_PCA_LOW_VARIANCE'); // 3/12 = 25 % ≤ 60 %
  });

  it('a constant indicator is a located error', () => {
    const { X, m, n } = colMajor([
      [1, 2],
      [1, 3],
      [1, 5],
    ]);
    expect(() => pcaWeights(X, m, n, { indicatorCodes: ['flat', 'x'] })).toThrow(/indicator flat/);
  });

  it('varimax of a single factor is the identity', () => {
    expect(varimax([[0.5], [0.7]]).loadings).toEqual([[0.5], [0.7]]);
  });
});
