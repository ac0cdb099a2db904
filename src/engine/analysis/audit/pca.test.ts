import { describe, expect, it } from 'vitest';
import { pcaSummary } from './pca.ts';

describe('pcaSummary', () => {
  // numpy: R = corrcoef(X); eigh(R) → eigenvalues 2.77224808, 0.17984995, 0.04790197 and PC1
  // eigenvector ±(−0.56466515, −0.57761714, 0.58950124)
  const X = [
    [1, 2, 3, 4, 5, 6],
    [2, 1, 4, 3, 6, 5],
    [6, 5, 3, 4, 1, 2],
  ];
  const r = pcaSummary(X, ['x', 'y', 'z']);
  it('eigenvalues and variance shares match numpy; shares sum to 1', () => {
    expect(r.eigenvalues[0]).toBeCloseTo(2.77224808, 7);
    expect(r.eigenvalues[1]).toBeCloseTo(0.17984995, 7);
    expect(r.eigenvalues[2]).toBeCloseTo(0.04790197, 7);
    expect(r.varianceExplained.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 14);
    expect(r.cumulativeVariance[2]).toBeCloseTo(1, 14);
  });
  it('unit eigenvectors oriented to a non-negative sum; loadings = rotation·√λ', () => {
    const pc1 = r.rotation.map((row) => row[0]);
    // numpy's vector sums to −0.553 < 0, so it is flipped
    expect(pc1[0]).toBeCloseTo(0.56466515, 7);
    expect(pc1[1]).toBeCloseTo(0.57761714, 7);
    expect(pc1[2]).toBeCloseTo(-0.58950124, 7);
    expect(pc1.reduce((s, v) => s + v * v, 0)).toBeCloseTo(1, 14);
    expect(r.loadings[0][0]).toBeCloseTo(0.56466515 * Math.sqrt(2.77224808), 6);
  });
  it('drops incomplete rows and names a constant column', () => {
    expect(
      pcaSummary(
        [
          [1, 2, 3, NaN, 4],
          [2, 1, 3, 5, 5],
        ],
        ['p', 'q'],
      ).nUsed,
    ).toBe(4);
    expect(() =>
      pcaSummary(
        [
          [1, 2, 3],
          [5, 5, 5],
        ],
        ['p', 'q'],
      ),
    ).toThrow(/"q" is constant/);
  });
});
