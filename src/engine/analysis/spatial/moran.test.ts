import { describe, expect, it } from 'vitest';
import { CityIndexError } from '../../core/errors.ts';
import { createRng } from '../../core/rng.ts';
import { moran } from './moran.ts';
import { latticeWeights, parseGal } from './weights.ts';

// libpysal `book` example: y on a 4×4 rook lattice (data/sources/pysal-examples/book.txt, book.gal).
// Reference values reproduced with numpy from the esda formulas (METHODS.md §4.5).
const BOOK_Y = [39, 41, 38, 45, 39, 42, 41, 42, 48, 49, 48, 51, 47, 51, 50, 55];
const LATTICE = latticeWeights(4, 4);

describe("moran (global Moran's I)", () => {
  it('row-standardised (default) matches numpy', () => {
    const r = moran(BOOK_Y, LATTICE, { permutations: 0 });
    expect(r.I).toBeCloseTo(0.6214654282765739, 13);
    expect(r.EI).toBeCloseTo(-1 / 15, 15);
    expect(r.VI_norm).toBeCloseTo(0.03483932461873638, 14);
    expect(r.VI_rand).toBeCloseTo(0.037341976172025816, 14);
    expect(r.z_norm).toBeCloseTo(3.686692796988126, 12);
    expect(r.z_rand).toBeCloseTo(3.56100977125646, 12);
    expect(r.p_norm).toBeCloseTo(2 * 0.00011359366842055648, 14);
    expect(r.twoTailed).toBe(true);
    expect(r.transformation).toBe('row');
    expect(r.S0).toBeCloseTo(16, 12);
    expect(r.S1).toBeCloseTo(11.055555555555554, 12);
    expect(r.S2).toBeCloseTo(64.6111111111111, 12);
    expect(r.permutation).toBeUndefined();
  });
  it('binary weights match numpy', () => {
    const r = moran(BOOK_Y, LATTICE, { transformation: 'binary', permutations: 0, twoTailed: false });
    expect(r.I).toBeCloseTo(0.574406604747162, 13);
    expect(r.VI_norm).toBeCloseTo(0.03259259259259259, 14);
    expect(r.VI_rand).toBeCloseTo(0.03487402107183759, 14);
    expect(r.p_norm).toBeCloseTo(0.00019189985147867073, 14);
    expect([r.S0, r.S1, r.S2]).toEqual([48, 96, 608]);
  });
  it('GAL-read weights give the same result as the lattice builder', () => {
    const gal =
      '16\n' +
      '1 2\n2 5\n2 3\n1 3 6\n3 3\n2 4 7\n4 2\n3 8\n' +
      '5 3\n1 6 9\n6 4\n2 5 7 10\n7 4\n3 6 8 11\n8 3\n4 7 12\n' +
      '9 3\n5 10 13\n10 4\n6 9 11 14\n11 4\n7 10 12 15\n12 3\n8 11 16\n' +
      '13 2\n9 14\n14 3\n10 13 15\n15 3\n11 14 16\n16 2\n12 15\n';
    expect(moran(BOOK_Y, parseGal(gal), { permutations: 0 }).I).toBeCloseTo(
      moran(BOOK_Y, LATTICE, { permutations: 0 }).I,
      14,
    );
  });
  it('is invariant to affine transformations of y', () => {
    const a = moran(BOOK_Y, LATTICE, { permutations: 0 });
    const b = moran(
      BOOK_Y.map((v) => 3 * v - 100),
      LATTICE,
      { permutations: 0 },
    );
    expect(b.I).toBeCloseTo(a.I, 13);
    expect(b.VI_rand).toBeCloseTo(a.VI_rand, 13);
  });
  it('permutation: p_sim in [1/(R+1), 1], seed-reproducible, seed-sensitive, recorded', () => {
    const a = moran(BOOK_Y, LATTICE, { permutations: 99, seed: 1, keepSimulations: true });
    const b = moran(BOOK_Y, LATTICE, { permutations: 99, seed: 1, keepSimulations: true });
    const c = moran(BOOK_Y, LATTICE, { permutations: 99, seed: 2, keepSimulations: true });
    expect(a.permutation!.p_sim).toBeGreaterThanOrEqual(0.01);
    expect(a.permutation!.p_sim).toBeLessThanOrEqual(1);
    expect(a).toEqual(b);
    expect(Array.from(a.permutation!.sim!)).not.toEqual(Array.from(c.permutation!.sim!));
    expect(a.permutation!.R).toBe(99);
    expect(a.permutation!.seed).toBe(1);
    // strong clustering: no permutation reaches the observed I → p = 1/(R + 1)
    expect(a.permutation!.p_sim).toBe(0.01);
    const viaRng = moran(BOOK_Y, LATTICE, { permutations: 99, rng: createRng(1), keepSimulations: true });
    expect(viaRng.permutation).toEqual(a.permutation);
  });
  it('permutation moments approach the randomisation moments (E = −1/(n−1), Var = VI_rand)', () => {
    const r = moran(BOOK_Y, LATTICE, { permutations: 20000, seed: 3 });
    const p = r.permutation!;
    // sd of the mean ≈ √(0.037/20000) ≈ 0.0014; relative sd of the variance ≈ √(2/20000) = 1 %
    expect(Math.abs(p.EI_sim - r.EI)).toBeLessThan(0.006);
    expect(p.VI_sim / r.VI_rand).toBeGreaterThan(0.95);
    expect(p.VI_sim / r.VI_rand).toBeLessThan(1.05);
    expect(Math.abs(p.z_sim / r.z_rand - 1)).toBeLessThan(0.05);
  });
  it('user errors are located: missing value, wrong length, constant y', () => {
    const y = [...BOOK_Y];
    y[5] = Number.NaN;
    try {
      moran(y, LATTICE);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(CityIndexError);
      expect((e as CityIndexError).issues[0]).toMatchObject({ code: 'E_MISSING', unit: '5' });
    }
    expect(() => moran(BOOK_Y.slice(1), LATTICE)).toThrow(/15 values but the weights have 16 units/);
    expect(() => moran(new Array(16).fill(2), LATTICE)).toThrow(/all values are equal/);
  });
});
