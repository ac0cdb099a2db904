// Reference: a small benefit-of-the-doubt case worked by hand (cross-checked with scipy linprog).
import { describe, expect, it } from 'vitest';
import { benefitOfDoubt } from './bod.ts';

// A (0.9, 0.2), B (0.5, 0.5), C (0.2, 0.8), D (0.4, 0.3), E (0.6, 0.6); column-major
const Y = Float64Array.from([0.9, 0.5, 0.2, 0.4, 0.6, 0.2, 0.5, 0.8, 0.3, 0.6]);

describe('benefitOfDoubt (Cherchye et al. 2007)', () => {
  it('hand-worked scores', () => {
    // Frontier A, E, C (each can put its weight where it is strongest): score 1.
    // B = (0.5, 0.5) lies on the ray to E = (0.6, 0.6): 0.5/0.6 = 5/6.
    // D = (0.4, 0.3) is best judged on the A–E facet: w solves 0.9w1 + 0.2w2 = 1, 0.6w1 + 0.6w2 = 1
    //   -> w2 = (1/3)/(0.46667) = 5/7, w1 = (1 − 1/7)/0.9 = 20/21; D = 0.4·20/21 + 0.3·5/7 = 25/42.
    const r = benefitOfDoubt(Y, 5, 2);
    const expected = [1, 5 / 6, 1, 25 / 42, 1];
    expected.forEach((v, i) => expect(r.scores[i]).toBeCloseTo(v, 12));
    expect(r.nAtFrontier).toBe(3);
    expect(r.weights[0 * 5 + 3]).toBeCloseTo(20 / 21, 12);
    expect(r.weights[1 * 5 + 3]).toBeCloseTo(5 / 7, 12);
  });
  it('every score ≤ 1 and the best unit = 1 (property, 40 units × 4 components)', () => {
    const m = 40;
    const n = 4;
    const y = new Float64Array(m * n);
    let s = 12345;
    for (let k = 0; k < y.length; k++) {
      s = (s * 1103515245 + 12345) % 2147483648;
      y[k] = s / 2147483648;
    }
    const r = benefitOfDoubt(y, m, n);
    expect(Math.max(...r.scores)).toBeCloseTo(1, 12);
    for (const v of r.scores) {
      expect(v).toBeLessThanOrEqual(1);
      expect(v).toBeGreaterThan(0);
    }
    // each unit's weights are feasible for every unit
    for (let i = 0; i < m; i++)
      for (let k = 0; k < m; k++) {
        let t = 0;
        for (let j = 0; j < n; j++) t += r.weights[j * m + i] * y[j * m + k];
        expect(t).toBeLessThanOrEqual(1 + 1e-9);
      }
  });
  it('8 units × 3 components equal scipy linprog (HiGHS) to 1e-9', () => {
    const rows = [
      [0.12, 0.85, 0.4],
      [0.66, 0.31, 0.72],
      [0.93, 0.1, 0.25],
      [0.45, 0.52, 0.58],
      [0.2, 0.2, 0.95],
      [0.7, 0.68, 0.3],
      [0.35, 0.9, 0.1],
      [0.55, 0.45, 0.5],
    ];
    const y = new Float64Array(24);
    rows.forEach((r, i) =>
      r.forEach((v, j) => {
        y[j * 8 + i] = v;
      }),
    );
    const expected = [1, 1, 1, 0.988716631502, 1, 1, 1, 0.911253227096];
    const r = benefitOfDoubt(y, 8, 3);
    expected.forEach((v, i) => expect(Math.abs(r.scores[i] - v)).toBeLessThan(1e-9));
    expect(r.nAtFrontier).toBe(6);
  });
  it('300 units × 10 components (300 LPs) in a fraction of a second', () => {
    const m = 300;
    const n = 10;
    const y = new Float64Array(m * n);
    let s = 99;
    for (let k = 0; k < y.length; k++) {
      s = (s * 1103515245 + 12345) % 2147483648;
      y[k] = s / 2147483648;
    }
    const t0 = performance.now();
    const r = benefitOfDoubt(y, m, n);
    expect(performance.now() - t0).toBeLessThan(3000);
    expect(Math.max(...r.scores)).toBeCloseTo(1, 12);
  });
  it('incomplete units score NaN; negative values are refused', () => {
    const y = Y.slice();
    y[3] = NaN;
    expect(benefitOfDoubt(y, 5, 2).scores[3]).toBeNaN();
    y[3] = -0.1;
    expect(() => benefitOfDoubt(y, 5, 2)).toThrow(/≥ 0/);
  });
});
