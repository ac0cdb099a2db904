import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { createRng } from '../core/rng.ts';
import { classify, classOfValue, fisherJenksBreaks } from './tiers.ts';

/** mapclassify's example data (`load_example()`): employment density of the 58 California counties. */
const calemp = (
  parse(
    readFileSync(
      fileURLToPath(new URL('../../../data/sources/pysal-examples/calempdensity.csv', import.meta.url)),
      'utf8',
    ),
    { columns: true },
  ) as Record<string, string>[]
).map((r) => Number(r['emp/sq km']));

/** Within-class sum of squares of a labelling. */
function sswOf(values: number[], classOf: ArrayLike<number>): number {
  const groups = new Map<number, number[]>();
  values.forEach((v, i) => {
    const c = classOf[i];
    groups.set(c, [...(groups.get(c) ?? []), v]);
  });
  let s = 0;
  for (const g of groups.values()) {
    const m = g.reduce((a, b) => a + b, 0) / g.length;
    for (const v of g) s += (v - m) ** 2;
  }
  return s;
}

/** Brute force: every way to cut the sorted distinct values into k contiguous classes; the least SSW. */
function bruteForceJenks(values: number[], k: number): { ssw: number; breaks: number[][] } {
  const distinct = [...new Set(values)].sort((a, b) => a - b);
  const d = distinct.length;
  let best = Infinity;
  let arg: number[][] = [];
  const cuts: number[] = [];
  const visit = (start: number) => {
    if (cuts.length === k - 1) {
      const breaks = [...cuts.map((c) => distinct[c]), distinct[d - 1]];
      const cls = values.map((v) => breaks.findIndex((b) => v <= b));
      const s = sswOf(values, cls);
      if (s < best - 1e-9 * Math.max(1, best)) {
        best = s;
        arg = [breaks];
      } else if (Math.abs(s - best) <= 1e-9 * Math.max(1, best)) arg.push(breaks);
      return;
    }
    for (let c = start; c < d - 1; c++) {
      cuts.push(c);
      visit(c + 1);
      cuts.pop();
    }
  };
  visit(0);
  return { ssw: best, breaks: arg };
}

/** Plain O(k·n²) Fisher DP over all sorted values (no monotonicity shortcut): the least SSW. */
function naiveJenksSsw(values: number[], k: number): number {
  const s = [...values].sort((a, b) => a - b);
  const n = s.length;
  const seg = (i: number, j: number) => {
    let m = 0;
    for (let t = i; t <= j; t++) m += s[t];
    m /= j - i + 1;
    let v = 0;
    for (let t = i; t <= j; t++) v += (s[t] - m) ** 2;
    return v;
  };
  let prev = Array.from({ length: n }, (_, j) => seg(0, j));
  for (let c = 1; c < k; c++) {
    const cur = new Array<number>(n).fill(Infinity);
    for (let j = c; j < n; j++) for (let i = c; i <= j; i++) cur[j] = Math.min(cur[j], prev[i - 1] + seg(i, j));
    prev = cur;
  }
  return prev[n - 1];
}

describe('fisherJenks', () => {
  it('mapclassify FisherJenks on calemp (test_mapclassify.py): k = 5 bins and counts', () => {
    const r = classify(calemp, { method: 'fisherJenks', k: 5 });
    expect(calemp).toHaveLength(58);
    r.breaks.forEach((b, i) => expect(b).toBeCloseTo([75.29, 192.05, 370.5, 722.85, 4111.45][i], 6));
    expect(r.counts).toEqual([49, 3, 4, 1, 1]);
  });
  it('mapclassify find_bin on calemp for k = 5 and k = 9 (TestFindBin)', () => {
    const x = [0, 1, 3, 5, 50, 70, 101, 202, 390, 505, 800, 5000, 5001];
    const b5 = classify(calemp, { method: 'fisherJenks', k: 5 }).breaks;
    expect(x.map((v) => classOfValue(b5, v))).toEqual([0, 0, 0, 0, 0, 0, 1, 2, 3, 3, 4, 4, 4]);
    const b9 = classify(calemp, { method: 'fisherJenks', k: 9 }).breaks;
    expect(x.map((v) => classOfValue(b9, v))).toEqual([0, 0, 0, 0, 2, 2, 3, 5, 7, 7, 8, 8, 8]);
  });
  it('equals a brute-force enumeration of all breaks on random small arrays (with ties)', () => {
    const rng = createRng(20200101);
    for (let trial = 0; trial < 60; trial++) {
      const n = 4 + rng.int(9);
      const values = Array.from({ length: n }, () =>
        trial % 3 === 0 ? rng.int(6) : Math.round(rng.next() * 1000) / 10,
      );
      const d = new Set(values).size;
      for (let k = 1; k <= Math.min(d, 5); k++) {
        const r = classify(values, { method: 'fisherJenks', k });
        const bf = bruteForceJenks(values, k);
        const ssw = sswOf(values, r.classOf);
        expect(Math.abs(ssw - bf.ssw)).toBeLessThanOrEqual(1e-9 * Math.max(1, bf.ssw));
        if (bf.breaks.length === 1) expect(r.breaks).toEqual(bf.breaks[0]);
        expect(r.counts.every((c) => c > 0)).toBe(true);
      }
    }
  });
  it('GVF properties: in [0, 1], 1 − SSW/SST, non-decreasing in k, 1 when k = number of distinct values', () => {
    const y = [1, 2, 2, 3, 10, 11, 12, 30, 31, 60];
    const mean = y.reduce((a, b) => a + b, 0) / y.length;
    const sst = y.reduce((a, v) => a + (v - mean) ** 2, 0);
    let last = -1;
    for (let k = 1; k <= 9; k++) {
      const r = classify(y, { method: 'fisherJenks', k });
      expect(r.gvf).toBeGreaterThanOrEqual(0);
      expect(r.gvf).toBeLessThanOrEqual(1);
      expect(r.gvf).toBeCloseTo(1 - sswOf(y, r.classOf) / sst, 12);
      expect(r.gvf).toBeGreaterThanOrEqual(last - 1e-12);
      last = r.gvf;
    }
    expect(classify(y, { method: 'fisherJenks', k: 1 }).gvf).toBe(0);
    expect(classify(y, { method: 'fisherJenks', k: 9 }).gvf).toBe(1); // 9 distinct values
    // Jenks is optimal: no other scheme with the same k has a higher GVF
    expect(classify(y, { method: 'fisherJenks', k: 3 }).gvf).toBeGreaterThanOrEqual(
      classify(y, { method: 'quantiles', k: 3 }).gvf,
    );
  });
  it('is exact on a larger sample, scale/shift invariant and does not mutate input', () => {
    const rng = createRng(7);
    const y = Array.from({ length: 300 }, () => Math.exp(3 * rng.next()));
    const frozen = Object.freeze([...y]);
    const r = classify(frozen, { method: 'fisherJenks', k: 6 });
    const r2 = classify(
      y.map((v) => 1000 + 2 * v),
      { method: 'fisherJenks', k: 6 },
    );
    expect(Array.from(r2.classOf)).toEqual(Array.from(r.classOf));
    expect(
      fisherJenksBreaks(
        [...y].sort((a, b) => a - b),
        6,
      ),
    ).toEqual(r.breaks);
    // the divide-and-conquer layers reach the same optimum as the plain O(k·n²) DP
    for (const k of [2, 4, 6]) {
      const naive = naiveJenksSsw(y.slice(0, 120), k);
      const ours = sswOf(y.slice(0, 120), classify(y.slice(0, 120), { method: 'fisherJenks', k }).classOf);
      expect(Math.abs(ours - naive)).toBeLessThanOrEqual(1e-9 * naive);
    }
  });
});

describe('labels and rules', () => {
  it('caller labels, best first, with the rule beside each label', () => {
    const r = classify([1, 2, 3, 10, 11, 12, 30], { method: 'fisherJenks', k: 3, labels: ['一线', '二线', '三线'] });
    expect(r.breaks).toEqual([3, 12, 30]);
    expect(r.labelOf).toEqual(['三线', '三线', '三线', '二线', '二线', '二线', '一线']);
    expect(r.labels.map((l) => [l.label, l.n, l.lower, l.upper])).toEqual([
      ['三线', 3, -Infinity, 3],
      ['二线', 3, 3, 12],
      ['一线', 1, 12, Infinity],
    ]);
    expect(r.labels[1].rule).toBe('3 < x ≤ 12 (Fisher–Jenks natural breaks, k = 3)');
    expect(r.rule).toBe('Fisher–Jenks natural breaks, k = 3: 一线 x > 12; 二线 3 < x ≤ 12; 三线 x ≤ 3');
    const asc = classify([1, 2, 3, 10, 11, 12, 30], {
      method: 'fisherJenks',
      k: 3,
      labels: ['low', 'mid', 'high'],
      labelOrder: 'ascending',
    });
    expect(asc.labelOf[6]).toBe('high');
    expect(classify([1, 5, 9], { method: 'fisherJenks', k: 3 }).labelOf).toEqual(['Tier 3', 'Tier 2', 'Tier 1']);
  });
  it('missing values get class −1 and are listed', () => {
    const r = classify([1, NaN, 3], { method: 'fisherJenks', k: 2, codes: ['a', 'b', 'c'] });
    expect(Array.from(r.classOf)).toEqual([0, -1, 1]);
    expect(r.labelOf[1]).toBeNull();
    expect(r.missingUnits).toEqual(['b']);
  });
});

describe('other schemes', () => {
  it('quantiles: mapclassify Quantiles(calemp, k = 5) bins and counts', () => {
    const r = classify(calemp, { method: 'quantiles', k: 5 });
    r.breaks.forEach((b, i) => expect(b).toBeCloseTo([1.464, 5.798, 13.278, 54.616, 4111.45][i], 6));
    expect(r.counts).toEqual([12, 11, 12, 11, 12]);
  });
  it('quantiles: tied quantiles collapse with a warning (mapclassify behaviour)', () => {
    const r = classify([1, 1, 1, 1, 1, 1, 2, 3], { method: 'quantiles', k: 3 });
    expect(r.k).toBe(2);
    expect(r.warnings[0]).toMatch(/k = 2/);
  });
  it('meanSd: mapclassify StdMean(calemp) bins (sample sd) and counts', () => {
    const r = classify(calemp, { method: 'meanSd' });
    r.breaks.forEach((b, i) =>
      expect(b).toBeCloseTo([-967.36235382, -420.71712519, 672.57333208, 1219.21856072, 4111.45][i], 6),
    );
    expect(r.counts).toEqual([0, 0, 56, 1, 1]);
  });
  it('headTail: mapclassify HeadTailBreaks tests (y = i⁻², i = 1…999; with a doubled max; float edge)', () => {
    const y = Array.from({ length: 999 }, (_, i) => (i + 1) ** -2);
    const r = classify(y, { method: 'headTail' });
    expect(r.k).toBe(4);
    expect(r.counts).toEqual([975, 21, 2, 1]);
    const r2 = classify([...y, 1], { method: 'headTail' });
    expect(r2.counts).toEqual([980, 17, 1, 2]);
    const r3 = classify([1 + 2 ** -52, 1, 1], { method: 'headTail' });
    expect(r3.counts).toEqual([2, 1]);
  });
  it('headTail with a 40 % head limit (Jiang & Yin) stops early', () => {
    // mean of 1..10 = 5.5, head {6..10} = 50 % > 40 % → stop: two classes
    const r = classify([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], { method: 'headTail', maxHeadShare: 0.4 });
    expect(r.breaks).toEqual([5.5, 10]);
  });
  it('thresholds, EGDI style (lower bound inclusive): 0.75 is Very High, 0.7499 is High', () => {
    const r = classify([0.1, 0.25, 0.4999, 0.5, 0.7499, 0.75, 0.95], {
      method: 'thresholds',
      cuts: [0.25, 0.5, 0.75],
      closed: 'left',
      labels: ['Very High', 'High', 'Middle', 'Low'],
    });
    expect(r.labelOf).toEqual(['Low', 'Middle', 'Middle', 'High', 'High', 'Very High', 'Very High']);
    expect(r.labels[3].rule).toBe('x ≥ 0.75 (fixed thresholds 0.25 / 0.5 / 0.75 (lower bound inclusive))');
    // right-closed (mapclassify UserDefined): 0.75 is High
    expect(classify([0.75], { method: 'thresholds', cuts: [0.25, 0.5, 0.75] }).classOf[0]).toBe(2);
    // stages: empty classes are allowed with fixed thresholds
    expect(classify([0.3, 0.4], { method: 'thresholds', cuts: [0.5, 0.8] }).counts).toEqual([2, 0, 0]);
  });
  it('peerBands: tiers within each peer group (IMD-style)', () => {
    const values = [10, 20, 30, 40, 100, 200, 300, 400];
    const peers = ['low', 'low', 'low', 'low', 'high', 'high', 'high', 'high'];
    const r = classify(values, {
      method: 'peerBands',
      peers,
      within: { method: 'quantiles', k: 2 },
      labels: ['A', 'B'],
    });
    expect(r.labelOf).toEqual(['B', 'B', 'A', 'A', 'B', 'B', 'A', 'A']);
    expect(r.peers.map((p) => [p.peer, p.breaks, p.counts])).toEqual([
      ['low', [25, 40], [2, 2]],
      ['high', [250, 400], [2, 2]],
    ]);
    expect(r.breaks).toEqual([]);
    // GVF over peer × class cells: {10,20} and {30,40} have SSW 50 each, {100,200} and {300,400} 5000 each → 10100
    const mean = 1100 / 8;
    const sst = values.reduce((a, v) => a + (v - mean) ** 2, 0);
    expect(r.gvf).toBeCloseTo(1 - (100 + 10000) / sst, 12);
    expect(() =>
      classify(values, {
        method: 'peerBands',
        peers: [...peers.slice(0, 7), null],
        within: { method: 'quantiles', k: 2 },
      }),
    ).toThrow(/no peer group/);
  });
});

describe('validation', () => {
  it('k larger than the distinct values, bad k, label count, unknown method', () => {
    expect(() => classify([1, 1, 2], { method: 'fisherJenks', k: 3 })).toThrow(/k = 3 classes but only 2 distinct/);
    expect(() => classify([1, 2, 3], { method: 'quantiles', k: 0 })).toThrow(/integer ≥ 1/);
    expect(() => classify([1, 2, 3], { method: 'fisherJenks', k: 2, labels: ['a'] })).toThrow(/1 labels for 2 classes/);
    expect(() => classify([1, 2, 3], { method: 'jenks' } as never)).toThrow(/unknown method "jenks"/);
    expect(() => classify([1, 2, 3], { method: 'thresholds', cuts: [0.5, 0.2] })).toThrow(/must increase/);
    expect(() => classify([NaN], { method: 'fisherJenks', k: 1 })).toThrow(/no unit has a value/);
    expect(() => classify([1, Infinity], { method: 'fisherJenks', k: 1, codes: ['a', 'b'] })).toThrow(/unit b/);
  });
});

describe('fit statistics ADCM, GADF, TSS (mapclassify)', () => {
  it('FisherJenks(calemp, k = 5).adcm = 799.24 (test_mapclassify.py TestFisherJenks)', () => {
    expect(classify(calemp, { method: 'fisherJenks', k: 5 }).adcm).toBeCloseTo(799.24, 9);
  });

  it('Quantiles(calemp) GADF: k = 15 gives 0.3740257590909283, k = 5 0.21710231966462412 (mapclassify gadf)', () => {
    expect(classify(calemp, { method: 'quantiles', k: 15 }).gadf).toBeCloseTo(0.3740257590909283, 12);
    expect(classify(calemp, { method: 'quantiles', k: 5 }).gadf).toBeCloseTo(0.21710231966462412, 12);
  });

  it("KClassifiers' best: FisherJenks k = 4 with GADF 0.84810327199081048", () => {
    expect(classify(calemp, { method: 'fisherJenks', k: 4 }).gadf).toBeCloseTo(0.8481032719908105, 12);
  });

  it('TSS is the within-class sum of squares that GVF compares with the total; hand-worked values', () => {
    const y = [1, 2, 3, 10, 20];
    const r = classify(y, { method: 'thresholds', cuts: [5] });
    expect(r.tss).toBeCloseTo(2 + 50, 12); // (1−2)²+(2−2)²+(3−2)² + (10−15)²+(20−15)²
    expect(r.adcm).toBeCloseTo(2 + 10, 12); // medians 2 and 15
    expect(r.gadf).toBeCloseTo(1 - 12 / 27, 12); // Σ|y − 3| = 27
    const sst = y.reduce((a, v) => a + (v - 7.2) ** 2, 0);
    expect(r.gvf).toBeCloseTo(1 - r.tss / sst, 12);
    const flat = classify([4, 4, 4], { method: 'quantiles', k: 1 });
    expect([flat.tss, flat.adcm, flat.gadf]).toEqual([0, 0, 1]);
  });
});
