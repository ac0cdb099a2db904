/**
 * Golden tests of the spatial statistics against PySAL esda's published values on libpysal's example
 * data (data/sources/pysal-examples, byte-for-byte copies; see PROVENANCE.md there).
 * Sources: esda tests/test_moran.py (TestMoran.test_moran, test_sids, test_variance),
 * tests/test_geary.py, tests/test_getisord.py and the `G_Local` docstring; METHODS.md §4.5 for the
 * extra moments (Var/z), which were reproduced independently with numpy from the same files.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { geary } from '../../src/engine/analysis/spatial/geary.ts';
import { getisOrd } from '../../src/engine/analysis/spatial/getis-ord.ts';
import { localMoran } from '../../src/engine/analysis/spatial/local-moran.ts';
import { moran } from '../../src/engine/analysis/spatial/moran.ts';
import { assuncaoRate, moranRate } from '../../src/engine/analysis/spatial/rates.ts';
import {
  alignWeights,
  distanceBandWeights,
  fromNeighborLists,
  parseGal,
  type Point,
} from '../../src/engine/analysis/spatial/weights.ts';

const DIR = join(import.meta.dirname, '../../data/sources/pysal-examples');
const read = (f: string): string => readFileSync(join(DIR, f), 'utf8');

/** GeoDa text layout: line 1 "n,k", line 2 quoted header, then n comma-separated rows. */
function geodaColumn(file: string, column: string): { ids: string[]; values: number[] } {
  const lines = read(file).trim().split(/\r?\n/);
  const header = lines[1].split(',').map((h) => h.replace(/"/g, '').trim());
  const col = header.indexOf(column);
  const rows = lines.slice(2).map((l) => l.split(','));
  return { ids: rows.map((_, i) => String(i + 1)), values: rows.map((r) => Number(r[col])) };
}

/** Plain CSV with a header (no quoted commas in the columns we read). */
function csvColumns(file: string, columns: string[]): Record<string, string[]> {
  const lines = read(file).trim().split(/\r?\n/);
  const header = lines[0].split(',');
  const out: Record<string, string[]> = {};
  for (const c of columns) {
    const k = header.indexOf(c);
    out[c] = lines.slice(1).map((l) => l.split(',')[k]);
  }
  return out;
}

const rel = (a: number, b: number): number => Math.abs(a / b - 1);

describe("global Moran's I — St Louis homicide rates HR8893, stl.gal, row-standardised", () => {
  const { ids, values } = geodaColumn('stl_hom.txt', 'HR8893');
  const w = alignWeights(parseGal(read('stl.gal'), 'stl.gal'), ids);
  const r = moran(values, w, { twoTailed: false, permutations: 0 });

  it('I and p_norm as esda test_moran.py', () => {
    expect(rel(r.I, 0.24365582621771659)).toBeLessThan(1e-12);
    // esda computes 1 − Φ(z) (cancellation), we compute the tail directly: agree to ~1e-12 relative
    expect(rel(r.p_norm, 0.00013573931385468807)).toBeLessThan(1e-9);
  });
  it('moments as METHODS.md §4.5', () => {
    expect(r.EI).toBeCloseTo(-0.012987013, 9);
    expect(r.VI_norm).toBeCloseTo(0.004968139, 9);
    expect(r.z_norm).toBeCloseTo(3.641097, 6);
    expect(r.VI_rand).toBeCloseTo(0.002976103, 9);
    expect(r.z_rand).toBeCloseTo(4.70441, 6);
    expect(r.S0).toBeCloseTo(78, 12);
  });
  it('two-tailed p doubles the one-tailed p (esda default)', () => {
    const r2 = moran(values, w, { permutations: 0 });
    expect(r2.p_norm).toBeCloseTo(2 * r.p_norm, 15);
  });
  it('GAL ids in file order already equal the row order', () => {
    expect(parseGal(read('stl.gal')).ids).toEqual(ids);
  });
});

describe("global Moran's I — NC SIDS SIDR74, sids2.gal (esda test_sids)", () => {
  it('I = 0.24772519320480135, p_norm = 5.7916539074498452e-05', () => {
    const cols = csvColumns('sids2.csv', ['FIPSNO', 'SIDR74']);
    const w = alignWeights(parseGal(read('sids2.gal'), 'sids2.gal'), cols.FIPSNO);
    const r = moran(cols.SIDR74.map(Number), w, { twoTailed: false, permutations: 0 });
    expect(rel(r.I, 0.24772519320480135)).toBeLessThan(1e-12);
    expect(rel(r.p_norm, 5.7916539074498452e-5)).toBeLessThan(1e-9);
  });
});

describe("global Moran's I — 3×3 rook lattice, y = 1..9, binary (esda test_variance)", () => {
  it('VI_rand = 0.0596875, VI_norm = 0.053125', () => {
    const ids = Array.from({ length: 9 }, (_, i) => String(i));
    const lists: Record<string, string[]> = {};
    for (let r = 0; r < 3; r++) {
      for (let c = 0; c < 3; c++) {
        const nb: string[] = [];
        for (const [dr, dc] of [
          [0, 1],
          [1, 0],
          [0, -1],
          [-1, 0],
        ]) {
          const rr = r + dr,
            cc = c + dc;
          if (rr >= 0 && rr < 3 && cc >= 0 && cc < 3) nb.push(String(rr * 3 + cc));
        }
        lists[String(r * 3 + c)] = nb;
      }
    }
    const res = moran([1, 2, 3, 4, 5, 6, 7, 8, 9], fromNeighborLists(ids, lists), {
      transformation: 'binary',
      permutations: 0,
    });
    expect(res.VI_rand).toBeCloseTo(0.059687500000000004, 14);
    expect(res.VI_norm).toBeCloseTo(0.053125000000000006, 14);
    // worked: S0 = 24 links; zᵀWz/zᵀz = 4/3·… gives I = 0.5 exactly (numpy)
    expect(res.I).toBeCloseTo(0.5, 14);
  });
});

describe("Geary's C — book lattice, book.gal, row-standardised (esda test_geary.py)", () => {
  const { ids, values } = geodaColumn('book.txt', 'y');
  const w = alignWeights(parseGal(read('book.gal'), 'book.gal'), ids);
  const r = geary(values, w, { permutations: 0 });
  it('C and the analytic moments', () => {
    expect(rel(r.C, 0.33301083591331254)).toBeLessThan(1e-12);
    expect(rel(r.VC_norm, 0.031805300245097874)).toBeLessThan(1e-12);
    expect(rel(r.z_norm, -3.7399778367629564)).toBeLessThan(1e-12);
    expect(rel(r.VC_rand, 0.033411917666958356)).toBeLessThan(1e-12);
    expect(rel(r.z_rand, -3.6489513837253944)).toBeLessThan(1e-12);
    expect(r.p_norm).toBeCloseTo(9.2018e-5, 8);
    expect(r.EC).toBe(1);
  });
});

describe('Getis–Ord local G — six points, DistanceBand(threshold = 15) (esda G_Local docstring and tests)', () => {
  const points: Point[] = [
    [10, 10],
    [20, 10],
    [40, 10],
    [15, 20],
    [30, 20],
    [30, 30],
  ];
  const ids = points.map((_, i) => `p${i}`);
  const w = distanceBandWeights(ids, points, { threshold: 15, metric: 'euclidean' });
  const y = [2, 3, 3.2, 5, 8, 7];
  it('Gi* binary Zs', () => {
    const r = getisOrd(y, w, { permutations: 0 });
    const esda = [-1.39727626, -0.28917762, 0.65064964, -0.28917762, 1.23452088, 2.02424331];
    esda.forEach((z, i) => expect(r.Zs[i]).toBeCloseTo(z, 7));
  });
  it('Gi (no self) binary Zs', () => {
    const r = getisOrd(y, w, { star: false, permutations: 0 });
    const esda = [-1.0136729, -0.04361589, 1.31558703, -0.31412676, 1.15373986, 1.77833941];
    esda.forEach((z, i) => expect(r.Zs[i]).toBeCloseTo(z, 7));
  });
  it('row-standardising does not change Ord–Getis z (general variance)', () => {
    const b = getisOrd(y, w, { permutations: 0 });
    const rr = getisOrd(y, w, { transformation: 'row', permutations: 0 });
    b.Zs.forEach((z, i) => expect(rr.Zs[i]).toBeCloseTo(z, 12));
  });
});

describe('local Moran — desmith (10 obs), desmith.gal, row-standardised, esda n − 1 convention', () => {
  it('Is and quadrants (reproduced with numpy: (n−1)·z_i·(Wz)_i/Σz²)', () => {
    const { ids, values } = geodaColumn('desmith.txt', 'z');
    const w = alignWeights(parseGal(read('desmith.gal'), 'desmith.gal'), ids);
    const r = localMoran(values, w, { permutations: 0 });
    const ref = [
      -0.11409277, -0.19940543, -0.13351408, -0.51770383, 0.48095009, 0.12208113, 1.19148298, -0.58144305, 0.07101383,
      0.34314301,
    ];
    ref.forEach((v, i) => expect(r.Is[i]).toBeCloseTo(v, 8));
    expect(Array.from(r.q)).toEqual([4, 4, 4, 2, 3, 3, 1, 4, 3, 3]);
  });
});

describe('properties on the St Louis data (78 counties)', () => {
  const { ids, values } = geodaColumn('stl_hom.txt', 'HR8893');
  const w = alignWeights(parseGal(read('stl.gal'), 'stl.gal'), ids);
  it('LISA, n convention, row-standardised W: mean of local I = global I', () => {
    const g = moran(values, w, { permutations: 0 });
    const l = localMoran(values, w, { permutations: 0, convention: 'n' });
    expect(l.Is.reduce((s, v) => s + v, 0) / l.n).toBeCloseTo(g.I, 14);
  });
  it('global permutation z_sim approaches the randomisation z under many permutations', () => {
    const r = moran(values, w, { permutations: 20000, seed: 2024 });
    expect(Math.abs(r.permutation!.z_sim / r.z_rand - 1)).toBeLessThan(0.05);
    expect(r.permutation!.p_sim).toBeLessThan(0.005); // z_rand ≈ 4.7: few of 20000 permutations reach I
  });
  it('LISA permutation p-values lie in [1/(R+1), 1] and the seed fixes them', () => {
    const a = localMoran(values, w, { permutations: 99, seed: 12345 });
    const b = localMoran(values, w, { permutations: 99, seed: 12345 });
    expect(Array.from(a.permutation!.p_sim)).toEqual(Array.from(b.permutation!.p_sim));
    for (const p of a.permutation!.p_sim) {
      expect(p).toBeGreaterThanOrEqual(0.01);
      expect(p).toBeLessThanOrEqual(1);
    }
  });
});

describe("Moran's I for rates — NC SIDS SID79 over BIR79, sids2.gal (esda Moran_Rate_Tester)", () => {
  const cols = csvColumns('sids2.csv', ['FIPSNO', 'SID79', 'BIR79']);
  const w = alignWeights(parseGal(read('sids2.gal'), 'sids2.gal'), cols.FIPSNO);
  const e = cols.SID79.map(Number);
  const b = cols.BIR79.map(Number);

  it('EB-standardised (Assunção–Reis): I = 0.16622343552567395, p_norm one-tailed 0.004191499504892171', () => {
    const r = moranRate(e, b, w, { twoTailed: false, permutations: 0 });
    expect(r.adjusted).toBe(true);
    expect(rel(r.I, 0.16622343552567395)).toBeLessThan(1e-12);
    expect(rel(r.p_norm, 0.004191499504892171)).toBeLessThan(1e-9);
    // two-tailed (the older esda default): 0.0083829990097843421
    expect(rel(moranRate(e, b, w, { permutations: 0 }).p_norm, 0.0083829990097843421)).toBeLessThan(1e-9);
  });

  it('the EB index is the rates standardised by their EB variance; unadjusted = Moran of e/b', () => {
    const z = assuncaoRate(e, b);
    const beta = e.reduce((s, v) => s + v, 0) / b.reduce((s, v) => s + v, 0);
    // sign and order follow the raw rate's deviation from the pooled rate
    z.forEach((v, i) => expect(Math.sign(v)).toBe(Math.sign(e[i] / b[i] - beta)));
    const raw = moranRate(e, b, w, { adjusted: false, permutations: 0 });
    expect(raw.I).toBe(
      moran(
        e.map((v, i) => v / b[i]),
        w,
        { permutations: 0 },
      ).I,
    );
    expect(() => assuncaoRate([1, 2], [10, 0], ['a', 'b'])).toThrow(/population 0 of unit b/);
  });
});
