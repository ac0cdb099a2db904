import { describe, expect, it } from 'vitest';
import { localMoran, lisaSignificance } from './local-moran.ts';
import { moran } from './moran.ts';
import { fromNeighborLists, latticeWeights } from './weights.ts';

const BOOK_Y = [39, 41, 38, 45, 39, 42, 41, 42, 48, 49, 48, 51, 47, 51, 50, 55];
const LATTICE = latticeWeights(4, 4);

describe('localMoran (LISA)', () => {
  it('hand-worked on a 4-unit path, row-standardised, both conventions', () => {
    // y = 1, 2, 4, 7 → z = −2.5, −1.5, 0.5, 3.5, Σz² = 21; row-standardised lags of z:
    // a: −1.5, b: (−2.5 + 0.5)/2 = −1, c: (−1.5 + 3.5)/2 = 1, d: 0.5 → z·lag = 3.75, 1.5, 0.5, 1.75
    // n − 1 convention: Is = 3·z·lag/21; n convention: 4·z·lag/21
    const w = latticeWeights(1, 4);
    const a = localMoran([1, 2, 4, 7], w, { permutations: 0 });
    expect(Array.from(a.Is)).toEqual(
      [(3 * 3.75) / 21, (3 * 1.5) / 21, (3 * 0.5) / 21, (3 * 1.75) / 21].map((v) => expect.closeTo(v, 14)),
    );
    expect(Array.from(a.q)).toEqual([3, 3, 1, 1]);
    expect(a.convention).toBe('n-1');
    expect(a.formula).toMatch(/\(n − 1\)/);
    const b = localMoran([1, 2, 4, 7], w, { permutations: 0, convention: 'n' });
    expect(Array.from(b.Is)).toEqual(
      [(4 * 3.75) / 21, (4 * 1.5) / 21, (4 * 0.5) / 21, (4 * 1.75) / 21].map((v) => expect.closeTo(v, 14)),
    );
    expect(b.formula).toMatch(/Anselin 1995/);
    expect(a.significance).toBeUndefined();
  });
  it('n convention + row-standardised W: the mean of the local I equals the global I', () => {
    const g = moran(BOOK_Y, LATTICE, { permutations: 0 });
    const l = localMoran(BOOK_Y, LATTICE, { permutations: 0, convention: 'n' });
    expect(l.Is.reduce((s, v) => s + v, 0) / l.n).toBeCloseTo(g.I, 14);
    // and the n − 1 convention is the same times (n − 1)/n
    const e = localMoran(BOOK_Y, LATTICE, { permutations: 0 });
    expect(e.Is[5] / l.Is[5]).toBeCloseTo(15 / 16, 14);
  });
  it('z is standardised with the population sd and lag = Wz (the Moran scatterplot)', () => {
    const l = localMoran(BOOK_Y, LATTICE, { permutations: 0 });
    expect(l.z.reduce((s, v) => s + v * v, 0)).toBeCloseTo(16, 12);
    // unit 0 (corner) has neighbours 1 and 4
    expect(l.lag[0]).toBeCloseTo((l.z[1] + l.z[4]) / 2, 14);
  });
  it('conditional permutation: p_sim in [1/(R+1), 1], reproducible by seed, different across seeds', () => {
    const a = localMoran(BOOK_Y, LATTICE, { permutations: 199, seed: 8 });
    const b = localMoran(BOOK_Y, LATTICE, { permutations: 199, seed: 8 });
    const c = localMoran(BOOK_Y, LATTICE, { permutations: 199, seed: 9 });
    for (const p of a.permutation!.p_sim) {
      expect(p).toBeGreaterThanOrEqual(1 / 200);
      expect(p).toBeLessThanOrEqual(1);
    }
    expect(a).toEqual(b);
    expect(Array.from(c.permutation!.EI_sim)).not.toEqual(Array.from(a.permutation!.EI_sim));
    expect(a.permutation!.seed).toBe(8);
  });
  it('conditional-permutation mean matches its exact expectation (Sokal et al. 1998, eq. A7)', () => {
    // E[Is_i | y_i] for row-standardised W (W_i = 1): the lag mean is −z_i/(n−1) (z standardised), so
    // E[Is_i] = ((n−1)/n)·z_i·(−z_i/(n−1)) = −z_i²/n for the n − 1 convention
    const l = localMoran(BOOK_Y, LATTICE, { permutations: 20000, seed: 2 });
    // within 4 Monte Carlo standard errors √(VI_sim/R)
    for (let i = 0; i < 16; i++) {
      const se = Math.sqrt(l.permutation!.VI_sim[i] / 20000);
      expect(Math.abs(l.permutation!.EI_sim[i] + l.z[i] ** 2 / 16)).toBeLessThan(4 * se);
    }
  });
  it('labels: significant quadrant or ns; FDR and Bonferroni are at least as strict as none', () => {
    const none = localMoran(BOOK_Y, LATTICE, { permutations: 999, seed: 1 });
    const fdr = localMoran(BOOK_Y, LATTICE, { permutations: 999, seed: 1, adjust: 'fdr' });
    const bon = localMoran(BOOK_Y, LATTICE, { permutations: 999, seed: 1, adjust: 'bonferroni' });
    const sig = (r: typeof none): number => r.significance!.significant.reduce((s, v) => s + v, 0);
    expect(sig(fdr)).toBeLessThanOrEqual(sig(none));
    expect(sig(bon)).toBeLessThanOrEqual(sig(fdr));
    none.significance!.labels.forEach((lab, i) => {
      const expected = none.permutation!.p_sim[i] <= 0.05 ? ['island', 'HH', 'LH', 'LL', 'HL'][none.q[i]] : 'ns';
      expect(lab).toBe(expected);
    });
    const c = none.significance!.counts;
    expect(c.HH + c.LH + c.LL + c.HL + c.ns + c.island).toBe(16);
    // the high corner (unit 15, y = 55, neighbours 51 and 50) is a significant HH at α = 0.05
    expect(none.significance!.labels[15]).toBe('HH');
  });
  it('lisaSignificance on given p-values', () => {
    const s = lisaSignificance(Int8Array.of(1, 3, 2, 4, 0), Float64Array.of(0.01, 0.2, 0.04, 0.001, 1), 0.05, 'none');
    expect(s.labels).toEqual(['HH', 'ns', 'LH', 'HL', 'island']);
    expect(s.counts).toEqual({ HH: 1, LH: 1, LL: 0, HL: 1, ns: 1, island: 1 });
  });
  it('islands: Is = 0, quadrant 0, label island, listed', () => {
    const w = fromNeighborLists(['a', 'b', 'c', 'd', 'e'], { a: ['b'], b: ['a', 'c'], c: ['b', 'd'], d: ['c'] });
    const r = localMoran([1, 3, 2, 8, 5], w, { permutations: 99 });
    expect(r.islands).toEqual(['e']);
    expect(r.Is[4]).toBe(0);
    expect(r.q[4]).toBe(0);
    expect(r.significance!.labels[4]).toBe('island');
    expect(r.permutation!.p_sim[4]).toBe(1);
  });
  describe('analytic moments (Sokal et al. 1998), checked against all 720 permutations enumerated in numpy', () => {
    // y = 1, 3, 2, 8, 5, 4.5; symmetric links 0–1, 1–2, 2–3, 3–4, 4–5, 0–2, 1–4; row-standardised; n convention
    const w = fromNeighborLists(
      ['0', '1', '2', '3', '4', '5'],
      { 0: ['1', '2'], 1: ['2', '4'], 2: ['3'], 3: ['4'], 4: ['5'] },
      { symmetrize: true },
    );
    const y = [1, 3, 2, 8, 5, 4.5];
    const close = (a: Float64Array, b: number[]): void => b.forEach((v, i) => expect(a[i]).toBeCloseTo(v, 13));
    it('total and conditional randomisation moments, n convention', () => {
      const r = localMoran(y, w, { permutations: 0, convention: 'n' });
      close(
        r.Is,
        [
          0.794392523364486, 0.2202937249666221, -0.030707610146862536, -0.3271028037383176, 0.2603471295060081,
          0.1214953271028038,
        ],
      );
      close(r.moments.EI, [-0.2, -0.2, -0.2, -0.2, -0.2, -0.2]);
      close(
        r.moments.VI,
        [
          0.2972421796039578, 0.15999999999999995, 0.15999999999999995, 0.2972421796039578, 0.15999999999999995,
          0.7089687184158315,
        ],
      );
      close(
        r.moments.EIc,
        [
          -0.3271028037383178, -0.03230974632843791, -0.1412550066755674, -0.6411214953271029, -0.0451268357810414,
          -0.013084112149532718,
        ],
      );
      close(
        r.moments.VIc,
        [
          0.49523975893091093, 0.0312658266206299, 0.12130202976465276, 0.5176906280024456, 0.04309040447343232,
          0.077477508952747,
        ],
      );
    });
    it('scaled by (n − 1)/n under the default convention, so z is the same', () => {
      const a = localMoran(y, w, { permutations: 0, convention: 'n' });
      const b = localMoran(y, w, { permutations: 0 });
      expect(b.moments.EIc[0]).toBeCloseTo((a.moments.EIc[0] * 5) / 6, 14);
      expect(b.moments.VI[5]).toBeCloseTo((a.moments.VI[5] * 25) / 36, 14);
      b.moments.z_cond.forEach((z, i) => expect(z).toBeCloseTo(a.moments.z_cond[i], 12));
    });
    it('conditional permutation z_sim approaches the analytic conditional z', () => {
      const r = localMoran(BOOK_Y, LATTICE, { permutations: 20000, seed: 77 });
      for (let i = 0; i < 16; i++) {
        expect(r.permutation!.VI_sim[i] / r.moments.VIc[i]).toBeGreaterThan(0.94);
        expect(r.permutation!.VI_sim[i] / r.moments.VIc[i]).toBeLessThan(1.06);
        expect(Math.abs(r.permutation!.z_sim[i] - r.moments.z_cond[i])).toBeLessThan(
          0.1 + 0.03 * Math.abs(r.moments.z_cond[i]),
        );
      }
    });
  });
  it('bad options are errors', () => {
    expect(() => localMoran(BOOK_Y, LATTICE, { convention: 'm' as never })).toThrow(/unknown LISA convention "m"/);
    expect(() => localMoran(BOOK_Y, LATTICE, { alpha: 5 })).toThrow(/alpha = 5/);
  });
});
