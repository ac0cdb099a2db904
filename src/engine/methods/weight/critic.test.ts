import { describe, expect, it } from 'vitest';
import { criticWeights } from './critic.ts';
import { colMajor } from '../../test-fixtures/engine.ts';

// Tuş & Aytaç Adalı (2019), Opsearch 56:528–538, as in pyrepo-mcda tests
const TUS = [
  [5000, 3, 3, 4, 3, 2],
  [680, 5, 3, 2, 2, 1],
  [2000, 3, 2, 3, 4, 3],
  [600, 4, 3, 1, 2, 2],
  [800, 2, 4, 3, 3, 4],
];

describe('criticWeights (METHODS.md §4.2)', () => {
  it('all benefit: Tuş & Aytaç Adalı (2019) to 6 d.p.', () => {
    const { X, m, n } = colMajor(TUS);
    const r = criticWeights(X, m, n);
    [0.157003, 0.249489, 0.167675, 0.1211, 0.154099, 0.150633].forEach((v, j) =>
      expect(r.weights[j]).toBeCloseTo(v, 6),
    );
    expect(r.correlation[0]).toBe(1);
    expect(r.correlation[1]).toBeCloseTo(r.correlation[6], 15);
  });

  it('first column as cost flips its correlations', () => {
    const { X, m, n } = colMajor(TUS);
    const r = criticWeights(X, m, n, { directions: [-1, 1, 1, 1, 1, 1] });
    [0.1841, 0.213, 0.1422, 0.1583, 0.1684, 0.134].forEach((v, j) => expect(r.weights[j]).toBeCloseTo(v, 4));
  });

  it('a constant column gets weight 0 and does not poison the others', () => {
    const { X, m, n } = colMajor([
      [1, 5, 2],
      [2, 5, 1],
      [3, 5, 3],
    ]);
    const r = criticWeights(X, m, n);
    expect(r.constantColumns).toEqual([1]);
    expect(r.weights[1]).toBe(0);
    expect(r.weights[0] + r.weights[2]).toBeCloseTo(1, 12);
  });

  it('bad directions are errors', () => {
    const { X, m, n } = colMajor(TUS);
    expect(() => criticWeights(X, m, n, { directions: [1, 1] })).toThrow(/directions/);
    expect(() => criticWeights(X, m, n, { directions: [0, 1, 1, 1, 1, 1], indicatorCodes: ['price'] })).toThrow(
      /price/,
    );
  });
});
