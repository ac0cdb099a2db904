import { describe, expect, it } from 'vitest';
import { geary } from './geary.ts';
import { latticeWeights } from './weights.ts';

// libpysal `book` example (y on a 4×4 rook lattice); targets from esda tests/test_geary.py and METHODS.md §4.5.
const BOOK_Y = [39, 41, 38, 45, 39, 42, 41, 42, 48, 49, 48, 51, 47, 51, 50, 55];
const LATTICE = latticeWeights(4, 4);

describe("geary (Geary's C)", () => {
  it('row-standardised: esda values', () => {
    const r = geary(BOOK_Y, LATTICE, { permutations: 0 });
    expect(r.C).toBeCloseTo(0.33301083591331254, 14);
    expect(r.VC_norm).toBeCloseTo(0.031805300245097874, 14);
    expect(r.z_norm).toBeCloseTo(-3.7399778367629564, 12);
    expect(r.VC_rand).toBeCloseTo(0.033411917666958356, 14);
    expect(r.z_rand).toBeCloseTo(-3.6489513837253944, 12);
    // one-tailed by default, as esda Geary: Φ(z_norm) = 9.201824068022267e-05 (scipy)
    expect(r.p_norm).toBeCloseTo(9.201824068022267e-5, 15);
    expect(geary(BOOK_Y, LATTICE, { permutations: 0, twoTailed: true }).p_norm).toBeCloseTo(
      2 * 9.201824068022267e-5,
      15,
    );
  });
  it('hand-worked on a path of four units, binary weights', () => {
    // y = 1, 2, 4, 7 on a–b–c–d: ΣΣ w(yi − yj)² = 2·(1 + 4 + 9) = 28, S0 = 6, ȳ = 3.5,
    // Σz² = 6.25 + 2.25 + 0.25 + 12.25 = 21, C = 3·28/(2·6·21) = 84/252 = 1/3
    const w = latticeWeights(1, 4);
    expect(geary([1, 2, 4, 7], w, { transformation: 'binary', permutations: 0 }).C).toBeCloseTo(1 / 3, 15);
  });
  it('permutation moments approach EC = 1 and VC_rand', () => {
    const r = geary(BOOK_Y, LATTICE, { permutations: 20000, seed: 9 });
    const p = r.permutation!;
    expect(Math.abs(p.EC_sim - 1)).toBeLessThan(0.006);
    expect(p.VC_sim / r.VC_rand).toBeGreaterThan(0.95);
    expect(p.VC_sim / r.VC_rand).toBeLessThan(1.05);
    expect(p.p_sim).toBeCloseTo(1 / 20001, 12);
  });
  it('same seed → identical; different seed → different simulations', () => {
    const a = geary(BOOK_Y, LATTICE, { permutations: 49, seed: 4, keepSimulations: true });
    expect(geary(BOOK_Y, LATTICE, { permutations: 49, seed: 4, keepSimulations: true })).toEqual(a);
    expect(
      Array.from(geary(BOOK_Y, LATTICE, { permutations: 49, seed: 5, keepSimulations: true }).permutation!.sim!),
    ).not.toEqual(Array.from(a.permutation!.sim!));
  });
});
