// Reference: Ersoy (2021) LogForum 17(3), as in pyrepo-mcda tests/test_mcda_methods.py; METHODS.md §4.3
// (C, D+, D− reproduced independently with numpy: vector normalisation, V = N·w, ideal by column type).
import { describe, expect, it } from 'vitest';
import { colMajor } from '../../test-fixtures/engine.ts';
import { topsis } from './topsis.ts';

const rows = [
  [256, 8, 41, 1.6, 1.77, 7347.16],
  [256, 8, 32, 1.0, 1.8, 6919.99],
  [256, 8, 53, 1.6, 1.9, 8400],
  [256, 8, 41, 1.0, 1.75, 6808.9],
  [512, 8, 35, 1.6, 1.7, 8479.99],
  [256, 4, 35, 1.6, 1.7, 7499.99],
];
const { X, m, n } = colMajor(rows);
const w = [0.405, 0.221, 0.134, 0.199, 0.007, 0.034];
const types = [1, 1, 1, 1, -1, -1];

describe('topsis (Hwang & Yoon 1981)', () => {
  it('Ersoy (2021): closeness, D+ and D− to 1e-6', () => {
    const r = topsis(X, m, n, w, types);
    const C = [0.30747247, 0.25363109, 0.32717597, 0.26232562, 0.85625296, 0.19136482];
    const dp = [0.135993, 0.142165, 0.135032, 0.140206, 0.024749, 0.145449];
    const dm = [0.060379, 0.04831, 0.065662, 0.049859, 0.147419, 0.034421];
    C.forEach((v, i) => expect(Math.abs(r.closeness[i] - v)).toBeLessThan(1e-6));
    dp.forEach((v, i) => expect(Math.abs(r.dPlus[i] - v)).toBeLessThan(1e-6));
    dm.forEach((v, i) => expect(Math.abs(r.dMinus[i] - v)).toBeLessThan(1e-6));
  });
  it('closeness is invariant to rescaling the weights', () => {
    const a = topsis(X, m, n, w, types).closeness;
    const b = topsis(
      X,
      m,
      n,
      w.map((v) => v * 7),
      types,
    ).closeness;
    a.forEach((v, i) => expect(b[i]).toBeCloseTo(v, 14));
  });
  it('an incomplete unit scores NaN and does not move the ideal points', () => {
    const Y = X.slice();
    Y[2 * m + 0] = NaN; // unit 1, criterion 3
    const r = topsis(Y, m, n, w, types);
    expect(r.closeness[0]).toBeNaN();
    expect(r.closeness.slice(1).every((v) => v >= 0 && v <= 1)).toBe(true);
  });
  it('refuses negative weights', () => {
    expect(() => topsis(X, m, n, [-1, 1, 1, 1, 1, 1], types)).toThrow(/≥ 0/);
  });
});
