import { describe, expect, it } from 'vitest';
import { CityIndexError } from '../core/errors.ts';
import { coefficientOfVariation, dagum, gini, theil } from './inequality.ts';

/** Unweighted replication of y_i, w_i times (integer weights): weighted forms must equal this. */
function expand(y: number[], w: number[], groups: string[]): { y: number[]; groups: string[] } {
  const outY: number[] = [];
  const outG: string[] = [];
  y.forEach((v, i) => {
    for (let k = 0; k < w[i]; k++) {
      outY.push(v);
      outG.push(groups[i]);
    }
  });
  return { y: outY, groups: outG };
}

/** Brute-force Gini straight from the definition ΣΣ|y_i − y_j|/(2m²μ). */
function giniBrute(y: number[]): number {
  const m = y.length;
  const mu = y.reduce((a, b) => a + b, 0) / m;
  let s = 0;
  for (const a of y) for (const b of y) s += Math.abs(a - b);
  return s / (2 * m * m * mu);
}

describe('coefficientOfVariation', () => {
  it('population sd by default, sample sd on request', () => {
    // mean 5, population sd 2, sample sd √(32/7)
    expect(coefficientOfVariation([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(0.4, 15);
    expect(coefficientOfVariation([2, 4, 4, 4, 5, 5, 7, 9], { population: false })).toBeCloseTo(
      Math.sqrt(32 / 7) / 5,
      15,
    );
  });
  it('population-weighted: μ_w = (3·1 + 1·3)/4 = 1.5, σ²_w = (3·0.25 + 2.25)/4 = 0.75', () => {
    expect(coefficientOfVariation([1, 3], { weights: [3, 1] })).toBeCloseTo(Math.sqrt(0.75) / 1.5, 15);
    // integer weights = replicated units
    expect(coefficientOfVariation([1, 3], { weights: [3, 1] })).toBeCloseTo(coefficientOfVariation([1, 1, 1, 3]), 14);
  });
  it('rejects missing values and non-positive means, naming the unit', () => {
    expect(() => coefficientOfVariation([1, NaN], { codes: ['a', 'b'] })).toThrow(/unit b \(index 1\)/);
    expect(() => coefficientOfVariation([-1, 1])).toThrow(CityIndexError);
    expect(() => coefficientOfVariation([1], { population: false })).toThrow(/two values/);
  });
});

describe('gini', () => {
  it('hand case [1,2,3,4,6]: ΣΣ|diff| over ordered pairs = 2·24 = 48, μ = 3.2, G = 48/(2·25·3.2) = 0.3', () => {
    expect(gini([1, 2, 3, 4, 6])).toBeCloseTo(0.3, 15);
  });
  it('is 0 for equal values and (m−1)/m when one unit has everything', () => {
    expect(gini([5, 5, 5])).toBe(0);
    expect(gini([0, 0, 0, 10])).toBeCloseTo(0.75, 15);
  });
  it('matches the O(m²) definition, does not depend on order, is scale invariant, does not mutate input', () => {
    const y = [3.5, 0, 12, 7.25, 7.25, 1, 40, 2.5, 9];
    const frozen = Object.freeze([...y]);
    expect(gini(frozen)).toBeCloseTo(giniBrute(y), 14);
    expect(gini([...y].reverse())).toBeCloseTo(gini(y), 14);
    expect(gini(y.map((v) => v * 1000))).toBeCloseTo(gini(y), 14);
    expect(gini(new Float64Array(y))).toBeCloseTo(gini(y), 15);
  });
  it('rejects negative values naming the unit code, and all-zero data', () => {
    try {
      gini([1, -2, 3], { codes: ['110100', '120100', '130100'] });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(CityIndexError);
      expect((e as CityIndexError).issues[0]).toMatchObject({ code: 'E_NEGATIVE', unit: '120100' });
      expect((e as Error).message).toMatch(/120100 \(index 1\).*negative/);
    }
    expect(() => gini([0, 0])).toThrow(/all values are zero/);
    expect(() => gini([])).toThrow(CityIndexError);
    expect(() => gini([1, Infinity])).toThrow(/index 1/);
  });
});

describe('theil', () => {
  it('hand case [1,1,2,4]: μ = 2, T = (2·0.5 ln 0.5 + 1·ln 1 + 2 ln 2)/4 = ln 2 / 4', () => {
    const r = theil([1, 1, 2, 4]);
    expect(r.T).toBeCloseTo(Math.LN2 / 4, 15);
    expect(r.between).toBe(0);
    expect(r.within).toBe(r.T);
    expect(r.groups).toEqual([]);
  });
  it('decomposes T = T_B + T_W; hand case groups a = {1,1}, b = {2,4}', () => {
    // s_a = 2/8 = 0.25, p_a = 0.5; s_b = 0.75, p_b = 0.5
    // T_B = 0.25 ln(0.5) + 0.75 ln(1.5); T_a = 0; T_b: μ_b = 3, (1/2)[(2/3)ln(2/3) + (4/3)ln(4/3)]
    const r = theil([1, 1, 2, 4], { groups: ['a', 'a', 'b', 'b'] });
    const TB = 0.25 * Math.log(0.5) + 0.75 * Math.log(1.5);
    const Tb = 0.5 * ((2 / 3) * Math.log(2 / 3) + (4 / 3) * Math.log(4 / 3));
    expect(r.between).toBeCloseTo(TB, 15);
    expect(r.groups[0]).toMatchObject({ group: 'a', n: 2, share: 0.25, populationShare: 0.5, T: 0 });
    expect(r.groups[1].T).toBeCloseTo(Tb, 15);
    expect(r.within).toBeCloseTo(0.75 * Tb, 15);
    expect(r.between + r.within).toBeCloseTo(r.T, 15);
  });
  it('population weights: equals the unweighted index on units replicated by weight (T, T_B, T_W)', () => {
    const y = [1, 2, 4, 8, 3];
    const w = [4, 3, 2, 1, 5];
    const g = ['a', 'a', 'b', 'b', 'c'];
    const ex = expand(y, w, g);
    const rw = theil(y, { weights: w, groups: g });
    const re = theil(ex.y, { groups: ex.groups });
    expect(rw.weighted).toBe(true);
    expect(rw.T).toBeCloseTo(re.T, 14);
    expect(rw.between).toBeCloseTo(re.between, 14);
    expect(rw.within).toBeCloseTo(re.within, 14);
    expect(rw.groups.map((x) => x.populationShare)).toEqual(re.groups.map((x) => x.populationShare));
    // numpy: s = w·y/Σwy, p = w/Σw, T = Σ s ln(s/p) for y=[1,2,4,8], w=[4,3,2,1] → 0.2708258744247746
    expect(theil([1, 2, 4, 8], { weights: [4, 3, 2, 1] }).T).toBeCloseTo(0.2708258744247746, 14);
  });
  it('zero incomes contribute 0, units with no group form an explicit "(ungrouped)" group', () => {
    const r = theil([0, 2, 2, 4], { groups: ['a', 'a', null, ''] });
    expect(r.groups.map((x) => [x.group, x.n])).toEqual([
      ['a', 2],
      ['(ungrouped)', 2],
    ]);
    expect(r.between + r.within).toBeCloseTo(r.T, 15);
  });
  it('validates at the door', () => {
    expect(() => theil([1, -1], { codes: ['x', 'y'] })).toThrow(/unit y \(index 1\) is negative/);
    expect(() => theil([1, 2], { groups: ['a'] })).toThrow(/1 labels but there are 2 units/);
    expect(() => theil([1, 2], { groups: ['a|b', 'a'] })).toThrow(/several groups/);
    expect(() => theil([1, 2], { groups: ['a', 'a'], groupOrder: ['a', 'b'] })).toThrow(
      /declared group "b" has no units/,
    );
    expect(() => theil([1, 2], { groups: ['a', 'c'], groupOrder: ['a'] })).toThrow(/not among the declared groups/);
    expect(() => theil([1, 2], { weights: [1, -1] })).toThrow(/weight/);
    expect(() => theil([1, 2], { weights: [1, 0], codes: ['a', 'b'] })).toThrow(/weight of unit b \(index 1\) is 0/);
  });
});

describe('dagum', () => {
  it('hand case A = {2, 4}, B = {3, 7}', () => {
    // n = 4, Σy = 16, μ = 4. Unordered |diffs|: 1,2,5,1,4,3 = 16 → ordered 32; G = 32/(2·16·4) = 0.25.
    // B (higher mean, μ_B = 5): ordered ΣΣ|diff| = 2·4 = 8, G_BB = 8/(2·4·5) = 0.2, p_B = 0.5, s_B = 10/16 = 0.625.
    // A (μ_A = 3): ordered sum 2·2 = 4, G_AA = 4/(2·4·3) = 1/6, p_A = 0.5, s_A = 6/16 = 0.375.
    // G_w = 0.2·0.5·0.625 + (1/6)·0.5·0.375 = 0.0625 + 0.03125 = 0.09375.
    // Pairs B − A: 3−2 = 1, 3−4 = −1, 7−2 = 5, 7−4 = 3; Σ|.| = 10, G_BA = 10/(2·2·(5+3)) = 0.3125.
    // d_BA = (1+5+3)/4 = 9/4, p_BA = 1/4, D_BA = (9/4 − 1/4)/(10/4) = 0.8.
    // weight p_B s_A + p_A s_B = 0.5·0.375 + 0.5·0.625 = 0.5.
    // G_nb = 0.3125·0.5·0.8 = 0.125; G_t = 0.3125·0.5·0.2 = 0.03125; 0.09375 + 0.125 + 0.03125 = 0.25 = G.
    const r = dagum([2, 4, 3, 7], ['A', 'A', 'B', 'B']);
    expect(r.G).toBeCloseTo(0.25, 15);
    expect(r.Gw).toBeCloseTo(0.09375, 15);
    expect(r.Gnb).toBeCloseTo(0.125, 15);
    expect(r.Gt).toBeCloseTo(0.03125, 15);
    expect(r.withinByGroup.map((g) => g.group)).toEqual(['B', 'A']);
    expect(r.withinByGroup[0].G).toBeCloseTo(0.2, 15);
    expect(r.withinByGroup[1].G).toBeCloseTo(1 / 6, 15);
    expect(r.betweenPairs).toHaveLength(1);
    expect(r.betweenPairs[0]).toMatchObject({ high: 'B', low: 'A' });
    expect(r.betweenPairs[0].G).toBeCloseTo(0.3125, 15);
    expect(r.betweenPairs[0].D).toBeCloseTo(0.8, 15);
    expect(r.shares.within + r.shares.netBetween + r.shares.transvariation).toBeCloseTo(1, 15);
  });
  it('non-overlapping groups have no transvariation: A = {1,2,3}, B = {4,6}', () => {
    // G = 0.3 (see gini); G_BB = 4/(2·4·5) = 0.1; G_AA = 8/(2·9·2) = 2/9;
    // G_w = 0.1·0.4·0.625 + (2/9)·0.6·0.375 = 0.075; G_BA = 18/(2·3·7) = 3/7, D = 1,
    // weight = 0.4·0.375 + 0.6·0.625 = 0.525, G_nb = 0.225, G_t = 0.
    const r = dagum([1, 2, 3, 4, 6], ['A', 'A', 'A', 'B', 'B']);
    expect(r.G).toBeCloseTo(0.3, 15);
    expect(r.Gw).toBeCloseTo(0.075, 15);
    expect(r.Gnb).toBeCloseTo(0.225, 15);
    expect(r.Gt).toBeCloseTo(0, 15);
  });
  it('brute-force check of every pair term and G_w + G_nb + G_t = G on a 4-group case with ties', () => {
    const y = [5, 1, 9, 3, 3, 7, 2, 8, 8, 4, 6, 0.5, 12];
    const g = ['n', 's', 'e', 'w', 'e', 's', 'w', 'n', 'e', 'w', 's', 'n', 'e'];
    const r = dagum(y, g);
    expect(r.G).toBeCloseTo(gini(y), 14);
    expect(r.Gw + r.Gnb + r.Gt).toBeCloseTo(r.G, 14);
    const n = y.length,
      total = y.reduce((a, b) => a + b, 0);
    for (const pair of r.betweenPairs) {
      const a = y.filter((_, i) => g[i] === pair.high),
        b = y.filter((_, i) => g[i] === pair.low);
      const ma = a.reduce((s, v) => s + v, 0) / a.length,
        mb = b.reduce((s, v) => s + v, 0) / b.length;
      expect(ma).toBeGreaterThanOrEqual(mb);
      let abs = 0,
        d = 0,
        p = 0;
      for (const x of a)
        for (const z of b) {
          abs += Math.abs(x - z);
          d += Math.max(x - z, 0);
          p += Math.max(z - x, 0);
        }
      expect(pair.G).toBeCloseTo(abs / (a.length * b.length * (ma + mb)), 14);
      expect(pair.D).toBeCloseTo((d - p) / (d + p), 14);
      const w =
        (a.length / n) * (b.reduce((s, v) => s + v, 0) / total) +
        (b.length / n) * (a.reduce((s, v) => s + v, 0) / total);
      expect(pair.netContribution).toBeCloseTo(pair.G * w * pair.D, 14);
    }
    expect(r.betweenPairs).toHaveLength(6);
  });
  it('groups with all-zero incomes do not produce NaN', () => {
    const r = dagum([0, 0, 1, 3], ['z', 'z', 'p', 'p']);
    expect(Number.isFinite(r.Gnb) && Number.isFinite(r.Gt)).toBe(true);
    expect(r.Gw + r.Gnb + r.Gt).toBeCloseTo(r.G, 15);
    const r2 = dagum([0, 0, 0, 2], ['z', 'y', 'y', 'p']);
    expect(r2.betweenPairs.every((p) => Number.isFinite(p.G) && Number.isFinite(p.D))).toBe(true);
    expect(r2.Gw + r2.Gnb + r2.Gt).toBeCloseTo(r2.G, 15);
  });
  it('one group: everything is within', () => {
    const r = dagum([1, 2, 3], ['x', 'x', 'x']);
    expect(r.Gw).toBeCloseTo(r.G, 15);
    expect(r.Gnb).toBe(0);
    expect(r.betweenPairs).toEqual([]);
  });
  it('validates at the door', () => {
    expect(() => dagum([1, -1], ['a', 'b'], { codes: ['p', 'q'] })).toThrow(/unit q/);
    expect(() => dagum([1, 2], ['a|b', 'a'])).toThrow(/several groups/);
    expect(() => dagum([1, 2], ['a'])).toThrow(/labels/);
  });
});
