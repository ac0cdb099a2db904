import { describe, expect, it } from 'vitest';
import { createRng } from '../../core/rng.ts';
import {
  adjustPValues,
  conditionalPermutationTest,
  foldedPseudoP,
  globalPermutationTest,
  resolvePermutations,
} from './inference.ts';
import { fromNeighborLists, knnWeights, type Point } from './weights.ts';

describe('foldedPseudoP (esda)', () => {
  it('takes the smaller tail and adds one', () => {
    expect(foldedPseudoP(0, 999)).toBe(0.001);
    expect(foldedPseudoP(999, 999)).toBe(0.001);
    expect(foldedPseudoP(10, 99)).toBe(0.11);
    expect(foldedPseudoP(60, 99)).toBe(0.4); // 99 − 60 = 39 < 60 → (39 + 1)/100
  });
});

describe('adjustPValues', () => {
  it('Benjamini–Hochberg equals R p.adjust(method = "BH")', () => {
    // R: p.adjust(c(0.01, 0.02, 0.03, 0.04, 0.05, 0.5), "BH") = 0.06 0.06 0.06 0.06 0.06 0.50
    expect(Array.from(adjustPValues([0.01, 0.02, 0.03, 0.04, 0.05, 0.5], 'fdr')).map((v) => +v.toFixed(12))).toEqual([
      0.06, 0.06, 0.06, 0.06, 0.06, 0.5,
    ]);
    // worked: sorted 0.001, 0.008, 0.039, 0.041, 0.042 (m = 5): m·p/rank = 0.005, 0.02, 0.065, 0.05125, 0.042,
    // step-up minimum from the top → 0.005, 0.02, 0.042, 0.042, 0.042
    expect(Array.from(adjustPValues([0.041, 0.001, 0.042, 0.008, 0.039], 'fdr')).map((v) => +v.toFixed(12))).toEqual([
      0.042, 0.005, 0.042, 0.02, 0.042,
    ]);
  });
  it('Bonferroni caps at 1; none is the identity; NaN is kept and not counted', () => {
    expect(Array.from(adjustPValues([0.01, 0.3, NaN], 'bonferroni'))).toEqual([0.02, 0.6, NaN]);
    expect(Array.from(adjustPValues([0.01, 0.7], 'bonferroni'))).toEqual([0.02, 1]);
    expect(Array.from(adjustPValues([0.01, 0.7], 'none'))).toEqual([0.01, 0.7]);
  });
  it('unknown method is an error', () => {
    expect(() => adjustPValues([0.1], 'holm' as never)).toThrow(/unknown p-value adjustment "holm"/);
  });
});

describe('resolvePermutations', () => {
  it('defaults to R = 999 with seed 12345; 0 turns inference off; negative is an error', () => {
    const p = resolvePermutations({});
    expect(p?.R).toBe(999);
    expect(p?.rng.seed).toBe(12345);
    expect(resolvePermutations({ permutations: 0 })).toBeNull();
    expect(() => resolvePermutations({ permutations: -1 })).toThrow(/permutations/);
  });
});

describe('globalPermutationTest', () => {
  const y = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3];
  const firstMinusLast = (v: Float64Array): number => v[0] - v[v.length - 1];
  it('p_sim in [1/(R+1), 1]; same seed gives identical results; a different seed generally differs', () => {
    const a = globalPermutationTest(2, y, firstMinusLast, 199, createRng(1), true);
    const b = globalPermutationTest(2, y, firstMinusLast, 199, createRng(1), true);
    const c = globalPermutationTest(2, y, firstMinusLast, 199, createRng(2), true);
    expect(a.p_sim).toBeGreaterThanOrEqual(1 / 200);
    expect(a.p_sim).toBeLessThanOrEqual(1);
    expect(a).toEqual(b);
    expect(Array.from(a.sim!)).not.toEqual(Array.from(c.sim!));
  });
  it('does not modify the input', () => {
    const copy = [...y];
    globalPermutationTest(0, y, firstMinusLast, 50, createRng(3));
    expect(y).toEqual(copy);
  });
  it('the permutations are uniform: E[v_0 − v_last] = 0 and Var = 2σ²·n/(n−1) (population σ²)', () => {
    // for a random permutation, Var(v_0 − v_last) = 2·Var(v_0) − 2·Cov = 2σ² + 2σ²/(n−1) = 2σ²·n/(n−1)
    const n = y.length;
    const m = y.reduce((s, v) => s + v, 0) / n;
    const s2 = y.reduce((s, v) => s + (v - m) ** 2, 0) / n;
    const r = globalPermutationTest(0, y, firstMinusLast, 40000, createRng(7));
    expect(Math.abs(r.mean)).toBeLessThan(0.06);
    expect(r.variance / ((2 * s2 * n) / (n - 1))).toBeCloseTo(1, 1);
  });
});

describe('conditionalPermutationTest', () => {
  // 8 points on a line, 3 nearest neighbours each
  const pts: Point[] = Array.from({ length: 8 }, (_, i) => [i * 1.1, 0] as Point);
  const ids = pts.map((_, i) => `u${i}`);
  const w = knnWeights(ids, pts, { k: 3, metric: 'euclidean' });

  it('never draws unit i itself and draws without replacement', () => {
    // values are distinct powers of two, so a lag (binary weights) identifies the drawn set
    const values = Array.from({ length: 8 }, (_, i) => 2 ** i);
    const bad: string[] = [];
    conditionalPermutationTest(
      w,
      values,
      new Float64Array(8),
      (i, lag) => {
        const bits = lag
          .toString(2)
          .split('')
          .filter((b) => b === '1').length;
        if (bits !== 3) bad.push(`unit ${i}: ${lag} is not 3 distinct draws`);
        if ((lag & (2 ** i)) !== 0) bad.push(`unit ${i} drew itself`);
        return lag;
      },
      300,
      createRng(11),
    );
    expect(bad).toEqual([]);
  });
  it('each other unit is drawn with equal frequency (k/(n−1) per permutation)', () => {
    const values = Array.from({ length: 8 }, (_, i) => 2 ** i);
    const counts = new Float64Array(8);
    const R = 14000;
    conditionalPermutationTest(
      w,
      values,
      new Float64Array(8),
      (i, lag) => {
        if (i === 0) for (let j = 0; j < 8; j++) if (lag & (2 ** j)) counts[j]++;
        return lag;
      },
      R,
      createRng(5),
    );
    // expected 14000·3/7 = 6000 draws for each of units 1..7 (sd ≈ 59)
    expect(counts[0]).toBe(0);
    for (let j = 1; j < 8; j++) expect(Math.abs(counts[j] - 6000)).toBeLessThan(300);
  });
  it('islands get p_sim = 1 and z_sim = 0; p_sim lies in [1/(R+1), 1]', () => {
    const wi = fromNeighborLists(['a', 'b', 'c', 'd'], { a: ['b'], b: ['a', 'c'], c: ['b'] });
    const r = conditionalPermutationTest(wi, [1, 2, 3, 4], [0, 0, 0, 0], (_i, lag) => lag, 99, createRng(1));
    expect(r.p_sim[3]).toBe(1);
    expect(r.z_sim[3]).toBe(0);
    for (const p of r.p_sim) {
      expect(p).toBeGreaterThanOrEqual(0.01);
      expect(p).toBeLessThanOrEqual(1);
    }
  });
});
