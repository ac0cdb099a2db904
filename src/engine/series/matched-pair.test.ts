import { describe, expect, it } from 'vitest';
import { createRng, type Rng } from '../core/rng.ts';
import { formatPeriod } from './period.ts';
import { matchedPairIndex, type PricePair } from './matched-pair.ts';

const normal = (rng: Rng): number => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
const month = (k: number): string => formatPeriod({ frequency: 'month', ordinal: 2020 * 12 + k });

/** A known true index over `n` months and matched pairs of similar dwellings around it. */
function generate(seed: number, n: number, pairsPerMonth: number, noise: number, maxSpan = 1) {
  const rng = createRng(seed);
  const truth = new Float64Array(n);
  truth[0] = 100;
  for (let t = 1; t < n; t++) truth[t] = truth[t - 1] * Math.exp(0.004 + 0.01 * normal(rng));
  const pairs: PricePair[] = [];
  for (let t = 1; t < n; t++) {
    for (let k = 0; k < pairsPerMonth; k++) {
      const span = 1 + rng.int(Math.min(maxSpan, t));
      const quality = 15000 * Math.exp(0.4 * normal(rng)); // yuan/m² of the dwelling at index 100
      pairs.push({
        period0: month(t - span),
        period1: month(t),
        price0: ((quality * truth[t - span]) / 100) * Math.exp(noise * normal(rng)),
        price1: ((quality * truth[t]) / 100) * Math.exp(noise * normal(rng)),
      });
    }
  }
  return { truth, pairs };
}

describe('matched-pair index', () => {
  it('hand-computed Jevons link: relatives 1.21 and 1 ⇒ geometric mean 1.1', () => {
    const r = matchedPairIndex([
      { period0: '2023-01', period1: '2023-02', price0: 100, price1: 121 },
      { period0: '2023-01', period1: '2023-02', price0: 100, price1: 100 },
    ]);
    expect(r.series.periods).toEqual(['2023-01', '2023-02']);
    expect(r.series.values[1]).toBeCloseTo(110, 10);
    expect([...r.pairCount]).toEqual([0, 2]);
    // weighted: weights 3 and 1 ⇒ exp((3 ln 1.21)/4) = 1.21^0.75
    const w = matchedPairIndex([
      { period0: '2023-01', period1: '2023-02', price0: 100, price1: 121, weight: 3 },
      { period0: '2023-01', period1: '2023-02', price0: 100, price1: 100, weight: 1 },
    ]);
    expect(w.series.values[1]).toBeCloseTo(100 * Math.pow(1.21, 0.75), 10);
  });
  it('recovers a known true index exactly from noise-free generated pairs', () => {
    const { truth, pairs } = generate(1, 24, 20, 0);
    const r = matchedPairIndex(pairs);
    for (let t = 0; t < 24; t++) expect(r.series.values[t]).toBeCloseTo(truth[t], 8);
  });
  it('tracks the true index within sampling error on noisy generated pairs', () => {
    // noise 5 % per price ⇒ a link's log error has sd 0.05·√2/√400 ≈ 0.0035; after 23 links ≈ 0.017.
    const { truth, pairs } = generate(2, 24, 400, 0.05);
    const r = matchedPairIndex(pairs);
    let worst = 0;
    for (let t = 0; t < 24; t++) worst = Math.max(worst, Math.abs(Math.log(r.series.values[t] / truth[t])));
    expect(worst).toBeLessThan(0.05);
    expect(worst).toBeGreaterThan(0); // the noise is real
  });
  it('repeat sales (Bailey–Muth–Nourse) equals chained Jevons on adjacent pairs', () => {
    const { pairs } = generate(4, 12, 30, 0.05);
    const j = matchedPairIndex(pairs);
    const b = matchedPairIndex(pairs, { method: { method: 'repeatSales' } });
    for (let t = 0; t < 12; t++) expect(b.series.values[t]).toBeCloseTo(j.series.values[t], 9);
  });
  it('repeat sales recovers the true index from noise-free pairs of any span; Jevons refuses them', () => {
    const { truth, pairs } = generate(5, 18, 15, 0, 6);
    const b = matchedPairIndex(pairs, { method: { method: 'repeatSales' }, baseValue: 100 });
    for (let t = 0; t < 18; t++) expect(b.series.values[t]).toBeCloseTo(truth[t], 8);
    expect(() => matchedPairIndex(pairs)).toThrow(/adjacent periods/);
  });
  it('hand-computed repeat sales with three pairs', () => {
    // periods 0,1,2; pairs: 0→1 ln 1.1, 1→2 ln 1.1, 0→2 ln 1.21·e^{0.03}
    // least squares of (β1 − y01)² + (β2 − β1 − y12)² + (β2 − y02)²; normal equations
    //   2β1 − β2 = y01 − y12,  −β1 + 2β2 = y12 + y02  (det 3)
    //   ⇒ β1 = (2y01 − y12 + y02)/3,  β2 = (y01 + y12 + 2y02)/3
    const y01 = Math.log(1.1),
      y12 = Math.log(1.1),
      y02 = Math.log(1.21) + 0.03;
    const r = matchedPairIndex(
      [
        { period0: '2023', period1: '2024', price0: 1, price1: 1.1 },
        { period0: '2024', period1: '2025', price0: 1, price1: 1.1 },
        { period0: '2023', period1: '2025', price0: 1, price1: 1.21 * Math.exp(0.03) },
      ],
      { method: { method: 'repeatSales' } },
    );
    expect(Math.log(r.series.values[1] / 100)).toBeCloseTo((2 * y01 - y12 + y02) / 3, 12);
    expect(Math.log(r.series.values[2] / 100)).toBeCloseTo((y01 + y12 + 2 * y02) / 3, 12);
  });
  it('errors: bad prices, reversed periods, unidentified periods', () => {
    expect(() => matchedPairIndex([{ period0: '2023-01', period1: '2023-02', price0: 0, price1: 1 }])).toThrow(
      /positive/,
    );
    expect(() => matchedPairIndex([{ period0: '2023-02', period1: '2023-01', price0: 1, price1: 1 }])).toThrow(
      /not after/,
    );
    expect(() =>
      matchedPairIndex(
        [
          { period0: '2023-01', period1: '2023-02', price0: 1, price1: 1 },
          { period0: '2023-03', period1: '2023-04', price0: 1, price1: 1 },
        ],
        { method: { method: 'repeatSales' } },
      ),
    ).toThrow(/not identified/);
  });
});
