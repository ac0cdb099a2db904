import { describe, expect, it } from 'vitest';
import { getisOrd } from './getis-ord.ts';
import { fromNeighborLists, latticeWeights } from './weights.ts';

describe('getisOrd (Gi*)', () => {
  // Hand-worked: five points on a line, y = 1, 2, 3, 4, 10, binary path weights plus w_ii = 1.
  // n = 5, ȳ = 4, Σy² = 130, S² = 130/5 − 16 = 10.
  // unit 0: w = (1,1,0,0,0): Σwy = 3, W = 2, Σw² = 2 → z = (3 − 4·2)/(√10·√((5·2 − 4)/4)) = −5/√15
  // unit 1: w = (1,1,1,0,0): Σwy = 6, W = 3, Σw² = 3 → z = (6 − 12)/(√10·√((15 − 9)/4)) = −6/√15
  // unit 2: w = (0,1,1,1,0): Σwy = 9 → z = (9 − 12)/√15 = −3/√15
  // unit 3: Σwy = 17 → z = 5/√15; unit 4: w = (0,0,0,1,1): Σwy = 14, W = 2 → z = (14 − 8)/√15 = 6/√15
  const line = latticeWeights(1, 5);
  const y = [1, 2, 3, 4, 10];
  it('matches the hand computation', () => {
    const r = getisOrd(y, line, { permutations: 0 });
    const s15 = Math.sqrt(15);
    [-5 / s15, -6 / s15, -3 / s15, 5 / s15, 6 / s15].forEach((z, i) => expect(r.Zs[i]).toBeCloseTo(z, 13));
    expect(r.Gs[0]).toBeCloseTo(3 / 20, 15);
    expect(r.star).toBe(true);
    // p_norm is one-tailed on |Z| (esda): scipy.stats.norm.sf(6/√15)
    expect(r.p_norm[4]).toBeCloseTo(0.060667625179241055, 12);
  });
  it('Gi (star = false) excludes the unit: unit 4 uses the other four values only', () => {
    // unit 4: others y = 1,2,3,4: mean 2.5, S² = 30/4 − 6.25 = 1.25; w = (0,0,0,1): Σwy = 4, W = 1, Σw² = 1,
    // N = 4 → z = (4 − 2.5)/(√1.25·√((4 − 1)/3)) = 1.5/√1.25 = 1.3416407864998738
    const r = getisOrd(y, line, { star: false, permutations: 0 });
    expect(r.Zs[4]).toBeCloseTo(1.3416407864998738, 13);
    expect(r.Gs[4]).toBeCloseTo(4 / 10, 15);
  });
  it("a larger self-weight pulls Gi* towards the unit's own value", () => {
    const a = getisOrd(y, line, { permutations: 0 });
    const b = getisOrd(y, line, { permutations: 0, selfWeight: 3 });
    expect(b.Zs[4]).toBeGreaterThan(a.Zs[4]);
  });
  it('permutation: hot spot labels, p_sim range, reproducible', () => {
    const g = latticeWeights(5, 5);
    const v = Array.from({ length: 25 }, (_, i) => (i % 5 >= 3 && i >= 15 ? 50 + i : i % 7));
    const a = getisOrd(v, g, { permutations: 499, seed: 3 });
    expect(getisOrd(v, g, { permutations: 499, seed: 3 })).toEqual(a);
    for (const p of a.permutation!.p_sim) {
      expect(p).toBeGreaterThanOrEqual(1 / 500);
      expect(p).toBeLessThanOrEqual(1);
    }
    expect(a.significance.pSource).toBe('p_sim');
    // the bottom-right block of high values is a hot spot
    expect(a.significance.labels[24]).toBe('hot');
    expect(a.significance.counts.hot).toBeGreaterThan(0);
    a.significance.labels.forEach((lab, i) => {
      if (lab === 'hot') expect(a.Zs[i]).toBeGreaterThan(0);
      if (lab === 'cold') expect(a.Zs[i]).toBeLessThan(0);
    });
  });
  it("islands are listed; Gi* of an island is the unit's own standardised value", () => {
    const w = fromNeighborLists(['a', 'b', 'c', 'd'], { a: ['b'], b: ['a', 'c'], c: ['b'] });
    const r = getisOrd([1, 2, 3, 6], w, { permutations: 0 });
    expect(r.islands).toEqual(['d']);
    // ȳ = 3, S² = 50/4 − 9 = 3.5 → z = (6 − 3)/√3.5
    expect(r.Zs[3]).toBeCloseTo(3 / Math.sqrt(3.5), 13);
    expect(getisOrd([1, 2, 3, 6], w, { permutations: 0, star: false }).Zs[3]).toBe(0);
  });
  it('missing values and constant y are errors', () => {
    expect(() => getisOrd([1, Number.NaN, 3, 4, 5], line)).toThrow(/unit "1" is missing/);
    expect(() => getisOrd([2, 2, 2, 2, 2], line, { permutations: 0 })).toThrow(/all equal/);
  });
});
