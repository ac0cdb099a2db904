import { describe, expect, it } from 'vitest';
import { createRng } from '../core/rng.ts';
import { percentChange, seriesChanges } from './changes.ts';
import { chainFromIndexForm, chainLink, rebase, spliceSeries } from './chain.ts';
import { createSeries, fromValues } from './series.ts';

describe('chain-linking', () => {
  it('hand-computed: 100 → +2 % → −2 %', () => {
    // 100 × 1.02 = 102; 102 × 0.98 = 99.96
    const x = chainLink([NaN, 2, -2], 100);
    expect(x[0]).toBe(100);
    expect(x[1]).toBeCloseTo(102, 12);
    expect(x[2]).toBeCloseTo(99.96, 12);
    expect([...chainFromIndexForm([NaN, 102, 98], 100)].map((v) => +v.toFixed(10))).toEqual([100, 102, 99.96]);
  });
  it('the NBS 上月=100 form: 100.5, 99.8, 100.2 from 2015=100 level 100', () => {
    // 100 × 1.005 = 100.5; × 0.998 = 100.299; × 1.002 = 100.499598
    const x = chainFromIndexForm([NaN, 100.5, 99.8, 100.2], 100);
    expect(x[3]).toBeCloseTo(100.499598, 9);
  });
  it('property: chain-linking then differencing returns the input changes (200 random series)', () => {
    const rng = createRng(7);
    for (let r = 0; r < 200; r++) {
      const n = 2 + rng.int(40);
      const changes = new Float64Array(n);
      changes[0] = NaN;
      for (let t = 1; t < n; t++) changes[t] = (rng.next() - 0.5) * 20;
      const start = 50 + rng.next() * 2000;
      const back = percentChange(chainLink(changes, start), 1);
      for (let t = 1; t < n; t++) expect(back[t]).toBeCloseTo(changes[t], 9);
    }
  });
  it('a missing change breaks the chain from there on', () => {
    const x = chainLink([NaN, 1, NaN, 1], 100);
    expect(x[1]).toBeCloseTo(101, 12);
    expect(x[2]).toBeNaN();
    expect(x[3]).toBeNaN();
  });
});

describe('rebasing', () => {
  it('to a period and to a year mean (NBS 2015=100)', () => {
    const s = createSeries(
      [
        { period: '2020', value: 50 },
        { period: '2021', value: 60 },
      ],
      { code: 'x' },
    );
    expect([...rebase(s, { base: { period: '2020' } }).values]).toEqual([100, 120]);
    const q = createSeries(
      ['2015-Q1', '2015-Q2', '2015-Q3', '2015-Q4', '2016-Q1'].map((period, k) => ({
        period,
        value: [90, 100, 100, 110, 120][k],
      })),
      { code: 'q' },
    );
    const r = rebase(q, { base: { year: 2015 }, value: 100 }); // 2015 mean = 100 ⇒ unchanged
    expect([...r.values]).toEqual([90, 100, 100, 110, 120]);
    expect(r.base).toEqual({ period: '2015', value: 100 });
    expect(() => rebase(q, { base: { year: 2016 } })).toThrow(/no usable value/);
  });
  it('property: rebasing preserves every ratio and every change', () => {
    const rng = createRng(11);
    for (let r = 0; r < 100; r++) {
      const n = 3 + rng.int(30);
      const v = new Float64Array(n);
      for (let t = 0; t < n; t++) v[t] = 10 + rng.next() * 1000;
      const s = fromValues(v, 'month', 2010 * 12 + rng.int(120), { code: 'x' });
      const b = rng.int(n);
      const rb = rebase(s, { base: { period: s.periods[b] }, value: 1000 });
      expect(rb.values[b]).toBeCloseTo(1000, 9);
      for (let k = 0; k < 5; k++) {
        const i = rng.int(n),
          j = rng.int(n);
        expect(rb.values[i] / rb.values[j]).toBeCloseTo(v[i] / v[j], 12);
      }
      const a = seriesChanges(s).periodOnPeriod,
        c = seriesChanges(rb).periodOnPeriod;
      for (let t = 1; t < n; t++) expect(c[t]).toBeCloseTo(a[t], 9);
    }
  });
});

describe('splicing', () => {
  it('links an older base onto a newer one at the overlap', () => {
    // older 2019 = 50, 2020 = 60; newer 2020 = 100, 2021 = 110 ⇒ factor 100/60; 2019 → 83.33…
    const older = createSeries(
      [
        { period: '2019', value: 50 },
        { period: '2020', value: 60 },
      ],
      { code: 'a' },
    );
    const newer = createSeries(
      [
        { period: '2020', value: 100 },
        { period: '2021', value: 110 },
      ],
      { code: 'b' },
    );
    const s = spliceSeries(older, newer);
    expect(s.periods).toEqual(['2019', '2020', '2021']);
    expect(s.values[0]).toBeCloseTo(250 / 3, 12);
    expect([...s.values.slice(1)]).toEqual([100, 110]);
    expect(() => spliceSeries(older, newer, '2021')).toThrow(/link period/);
  });
});
