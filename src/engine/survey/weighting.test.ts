import { describe, expect, it } from 'vitest';
import { tableOf } from './test-helpers.ts';
import {
  ageBandIndex,
  censusMargins,
  DEFAULT_AGE_BANDS,
  kishEffectiveSize,
  poststratify,
  rake,
  weightResponses,
} from './weighting.ts';

const cats = (a: number[]) => Int32Array.from(a);
const shares = (a: number[]) => Float64Array.from(a);

/** Weighted share of each category. */
function margin(cat: Int32Array, w: Float64Array, k: number): number[] {
  const s = new Array<number>(k).fill(0);
  let t = 0;
  for (let i = 0; i < cat.length; i++) {
    s[cat[i]] += w[i];
    t += w[i];
  }
  return s.map((x) => x / t);
}

describe('census margins', () => {
  it('derives adult age bands and sex shares for Beijing (census 2020 row)', () => {
    // 15–59 = 68.5, 60–64 = 19.6 − 13.3 = 6.3, 65+ = 13.3, adults = 88.1; male = 104.7/204.7
    const m = censusMargins({
      city: '110100',
      sexRatio: 104.7,
      pctAge0to14: 11.9,
      pctAge15to59: 68.5,
      pctAge60plus: 19.6,
      pctAge65plus: 13.3,
    });
    expect([...m.age]).toEqual([68.5 / 88.1, 6.3 / 88.1, 13.3 / 88.1].map((x) => expect.closeTo(x, 12)));
    expect(m.sex[0]).toBeCloseTo(104.7 / 204.7, 12);
    const two = censusMargins(
      { city: 'x', sexRatio: 100, pctAge0to14: 10, pctAge15to59: 60, pctAge60plus: 30, pctAge65plus: 20 },
      [
        { label: '18-59', min: 18, max: 59, census: ['15-59'] },
        { label: '60+', min: 60, census: ['60-64', '65+'] },
      ],
    );
    expect([...two.age]).toEqual([60 / 90, 30 / 90].map((x) => expect.closeTo(x, 12)));
  });

  it('rejects unusable figures with the city and field named', () => {
    expect(() =>
      censusMargins({
        city: '650000',
        sexRatio: NaN,
        pctAge0to14: 1,
        pctAge15to59: 1,
        pctAge60plus: 1,
        pctAge65plus: 1,
      }),
    ).toThrow(/city 650000.*sexRatio/);
  });

  it('bands ages, open-ended last band, fractional ages and unknown', () => {
    expect([17, 18, 59, 59.5, 60, 64, 65, 101, NaN].map((a) => ageBandIndex(a, DEFAULT_AGE_BANDS))).toEqual([
      -1, 0, 0, 0, 1, 1, 2, 2, -1,
    ]);
  });
});

describe('raking', () => {
  it('gives exact cell weights when the sample is balanced (independent margins)', () => {
    // var0 targets 0.6/0.4 on 2/2 respondents → factors 1.2/0.8; var1 is already 0.5/0.5
    const r = rake([cats([0, 0, 1, 1]), cats([0, 1, 0, 1])], [shares([0.6, 0.4]), shares([0.5, 0.5])]);
    expect([...r.weights].map((x) => +x.toFixed(12))).toEqual([1.2, 1.2, 0.8, 0.8]);
    expect(r.converged).toBe(true);
  });

  it('meets both margins on an unbalanced sample and matches IPF cell weights worked out by hand', () => {
    // cells n00 = 3, n01 = 1, n10 = 1, n11 = 2 (7 people); targets age 0.6/0.4, sex 0.5/0.5.
    // The IPF fixed point w_ij = a_i·b_j solving 3a0b0 + a0b1 = 4.2, a1b0 + 2a1b1 = 2.8, 3a0b0 + a1b0 = 3.5
    // (numpy, 1000 sweeps): w00 = 14/15, w01 = 7/5, w10 = 7/10, w11 = 21/20 — all ×7/7 since mean is 1.
    const age = cats([0, 0, 0, 0, 1, 1, 1]);
    const sex = cats([0, 0, 0, 1, 0, 1, 1]);
    const r = rake([age, sex], [shares([0.6, 0.4]), shares([0.5, 0.5])]);
    expect(margin(age, r.weights, 2)).toEqual([expect.closeTo(0.6, 9), expect.closeTo(0.4, 9)]);
    expect(margin(sex, r.weights, 2)).toEqual([expect.closeTo(0.5, 9), expect.closeTo(0.5, 9)]);
    const expected = [14 / 15, 14 / 15, 14 / 15, 7 / 5, 7 / 10, 21 / 20, 21 / 20];
    r.weights.forEach((w, i) => expect(w).toBeCloseTo(expected[i], 8));
    expect(r.maxMarginError).toBeLessThan(1e-8);
  });

  it('trims weights into bounds (at the cost of the margins, which it reports)', () => {
    // one old respondent must carry 40 % of the sample → weight 0.4·10 = 4 before trimming
    const age = cats([0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    const untrimmed = rake([age], [shares([0.6, 0.4])]);
    expect(untrimmed.weights[9]).toBeCloseTo(4, 10);
    const r = rake([age], [shares([0.6, 0.4])], { trim: { lower: 0.3, upper: 2 } });
    // bounds hold relative to the mean weight (1): 0.3 ≤ w ≤ 2
    expect(Math.max(...r.weights)).toBeLessThanOrEqual(2 + 1e-9);
    expect(Math.min(...r.weights)).toBeGreaterThanOrEqual(0.3 - 1e-9);
    expect(r.weights.reduce((a, b) => a + b, 0)).toBeCloseTo(10, 10);
    expect(r.trimmed).toBe(1);
    expect(r.maxMarginError).toBeGreaterThan(0.1);
  });

  it('leaves respondents with an unknown category at weight 1 and spreads an empty category', () => {
    const r = rake([cats([0, 0, 1, -1])], [shares([0.2, 0.3, 0.5])]);
    expect(r.unknown).toBe(1);
    expect(r.weights[3]).toBe(1);
    expect(r.emptyCategories).toEqual([{ variable: 0, category: 2 }]);
    // band 2 dropped: targets become 0.2/0.5 = 0.4 and 0.6 of the 3 known → 1.2/2 = 0.6 each and 1.8
    expect([...r.weights.subarray(0, 3)]).toEqual([0.6, 0.6, 1.8].map((x) => expect.closeTo(x, 10)));
  });
});

describe('post-stratification and Kish', () => {
  it('weights one variable by target share × n / cell count', () => {
    // 3 in cell 0, 1 in cell 1, targets 0.5/0.5: 0.5·4/3 = 2/3 and 0.5·4/1 = 2
    const r = poststratify([cats([0, 0, 0, 1])], [shares([0.5, 0.5])]);
    expect([...r.weights]).toEqual([2 / 3, 2 / 3, 2 / 3, 2].map((x) => expect.closeTo(x, 12)));
  });

  it('uses products of margins as cell targets', () => {
    // cells (0,0),(0,1),(1,0),(1,1) one each; targets 0.6·0.5 = 0.3 … → weights 4·0.3 = 1.2 …
    const r = poststratify([cats([0, 0, 1, 1]), cats([0, 1, 0, 1])], [shares([0.6, 0.4]), shares([0.5, 0.5])]);
    expect([...r.weights]).toEqual([1.2, 1.2, 0.8, 0.8].map((x) => expect.closeTo(x, 12)));
  });

  it('computes the effective sample size (Σw)²/Σw²', () => {
    expect(kishEffectiveSize([1, 1, 2])).toBeCloseTo(16 / 6, 12);
    expect(kishEffectiveSize([3, 3, 3, 3])).toBe(4);
  });
});

describe('weightResponses', () => {
  const m = censusMargins({
    city: '110100',
    sexRatio: 100,
    pctAge0to14: 10,
    pctAge15to59: 60,
    pctAge60plus: 30,
    pctAge65plus: 20,
  });
  const table = tableOf([
    { age: 30, sex: 'm' },
    { age: 40, sex: 'f' },
    { age: 25, sex: 'f' },
    { age: 62, sex: 'm' },
    { age: 70, sex: 'f' },
    { age: 80, sex: 'm' },
    { age: 35, sex: 'm' },
    { city: '310100', age: 30, sex: 'f' },
  ]);
  it('rakes each city to its margins with mean weight 1 and reports n_eff and deff', () => {
    const keep = new Uint8Array(8).fill(1);
    const r = weightResponses(table, keep, new Map([['110100', m]]), { weighting: { method: 'rake' }, trim: null });
    const bj = r.perCity.find((c) => c.city === '110100')!;
    expect(bj.n).toBe(7);
    expect(bj.maxMarginError).toBeLessThan(1e-8);
    const w = r.weights.subarray(0, 7);
    expect(w.reduce((a, b) => a + b, 0)).toBeCloseTo(7, 10);
    expect(bj.nEff).toBeCloseTo(kishEffectiveSize(w), 12);
    expect(bj.deff).toBeCloseTo(7 / bj.nEff, 12);
    // age margin met: 18–59 share 60/90
    const young = w[0] + w[1] + w[2] + w[6];
    expect(young / 7).toBeCloseTo(60 / 90, 8);
    // Shanghai has no margins → weight 1 and a warning naming it
    expect(r.weights[7]).toBe(1);
    expect(r.warnings.some((x) => x.unit === '310100' && x.code === 'W_NO_MARGINS')).toBe(true);
  });
  it('gives removed responses weight 0', () => {
    const keep = Uint8Array.of(1, 1, 1, 1, 1, 1, 0, 1);
    const r = weightResponses(table, keep, new Map([['110100', m]]), { weighting: { method: 'poststratify' } });
    expect(r.weights[6]).toBe(0);
  });
});
