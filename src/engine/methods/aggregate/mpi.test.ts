// Reference: Mazziotta–Pareto (De Muro, Mazziotta & Pareto 2011), population sd, worked by hand below
// (and cross-checked with numpy).
import { describe, expect, it } from 'vitest';
import { mpi } from './mpi.ts';

describe('mpi (Mazziotta–Pareto index)', () => {
  it('two mirror-image components: MPI⁻ = 100 − S²/M', () => {
    // col1 = (1,2,3), col2 = (3,2,1): M_j = 2, S_j = √(2/3); z = 100 ± 10/√(2/3) = 100 ± 12.2474…
    // unit 1: z = (87.75, 112.25), M = 100, S = 12.2474 (population), cv = 0.122474, MPI⁻ = 100 − 1.5
    const r = mpi(Float64Array.from([1, 2, 3, 3, 2, 1]), 3, 2, [1, 1]);
    expect(Array.from(r.scores).map((v) => +v.toFixed(12))).toEqual([98.5, 100, 98.5]);
    expect(r.sd[0]).toBeCloseTo(Math.sqrt(150), 12);
    expect(mpi(Float64Array.from([1, 2, 3, 3, 2, 1]), 3, 2, [1, 1], { sign: '+' }).scores[0]).toBeCloseTo(101.5, 12);
  });
  it('4 units × 3 components (numpy: z = 100 + 10(x − mean)/std, row mean/std with ddof 0)', () => {
    // Y = [[2,4,1],[6,2,3],[4,6,8],[8,8,4]]
    const Y = Float64Array.from([2, 6, 4, 8, 4, 2, 6, 8, 1, 3, 8, 4]);
    const minus = [89.94722194, 95.15320099, 104.58323371, 108.57711172];
    const plus = [90.28243678, 96.26906927, 105.8762935, 109.3114321];
    const weighted = [89.07886883, 97.34529545, 102.13627742, 109.75566141]; // weights (2, 1, 1)
    const a = mpi(Y, 4, 3, [1, 1, 1]).scores;
    const b = mpi(Y, 4, 3, [1, 1, 1], { sign: '+' }).scores;
    const c = mpi(Y, 4, 3, [2, 1, 1]).scores;
    minus.forEach((v, i) => expect(a[i]).toBeCloseTo(v, 7));
    plus.forEach((v, i) => expect(b[i]).toBeCloseTo(v, 7));
    weighted.forEach((v, i) => expect(c[i]).toBeCloseTo(v, 7));
  });
  it('a unit with no value is missing; one whose available weights sum to 0 is an error', () => {
    // component 2 has weight 0; unit 3 has only component 2
    const x = Float64Array.from([1, 2, NaN, NaN, 3, 1, 2, 4, NaN, 5]);
    expect(() => mpi(x, 5, 2, [1, 0])).toThrow(/unit 3 sum to 0/);
    const r = mpi(Float64Array.from([1, 2, 3, NaN, 3, 2, 1, NaN]), 4, 2, [1, 1]);
    expect(r.scores[3]).toBeNaN();
    expect(r.scores[1]).toBeCloseTo(100, 12);
  });
  it('a constant component is an error', () => {
    expect(() => mpi(Float64Array.from([1, 2, 5, 5]), 2, 2, [1, 1])).toThrow(/no variation/);
  });
});
