import { describe, expect, it } from 'vitest';
import { sobolPoints, SOBOL_MAX_DIMENSION } from './sobol.ts';

describe("Sobol' sequence (Joe–Kuo directions)", () => {
  it('dimension 1 is van der Corput in Gray-code order: 0.5, 0.75, 0.25, 0.375, 0.875, 0.625, 0.125, 0.1875', () => {
    expect(Array.from(sobolPoints(8, 1))).toEqual([0.5, 0.75, 0.25, 0.375, 0.875, 0.625, 0.125, 0.1875]);
  });
  it('first points in 3 dimensions match SciPy qmc.Sobol(3, scramble=False) (and Joe–Kuo)', () => {
    // scipy rows 1..7: [.5 .5 .5] [.75 .25 .25] [.25 .75 .75] [.375 .375 .625]
    //   [.875 .875 .125] [.625 .125 .875] [.125 .625 .375]
    expect(Array.from(sobolPoints(7, 3))).toEqual([
      0.5, 0.5, 0.5, 0.75, 0.25, 0.25, 0.25, 0.75, 0.75, 0.375, 0.375, 0.625, 0.875, 0.875, 0.125, 0.625, 0.125, 0.875,
      0.125, 0.625, 0.375,
    ]);
    expect(Array.from(sobolPoints(1, 3, 0))).toEqual([0, 0, 0]);
  });
  it('high dimensions and later points match SciPy 1.17 (qmc.Sobol(101, scramble=False).random(1025))', () => {
    const x = sobolPoints(1025, 101, 0);
    const at = (r: number, j: number): number => x[r * 101 + j];
    expect([at(1000, 9), at(1000, 36), at(1000, 49), at(1000, 100)]).toEqual([
      0.0693359375, 0.8486328125, 0.4794921875, 0.7685546875,
    ]);
    expect([at(1024, 1), at(1024, 2), at(1024, 63)]).toEqual([0.37646484375, 0.44775390625, 0.96630859375]);
    expect([at(777, 99), at(777, 100)]).toEqual([0.5107421875, 0.8427734375]);
  });
  it('each dimension is balanced: 2^k points have exactly one point in each of the 2^k equal bins', () => {
    const d = SOBOL_MAX_DIMENSION;
    const x = sobolPoints(256, d, 0);
    for (let j = 0; j < d; j++) {
      const bins = new Set<number>();
      for (let r = 0; r < 256; r++) bins.add(Math.floor(x[r * d + j] * 256));
      expect(bins.size).toBe(256);
    }
  });
  it('refuses a dimension beyond the table', () => {
    expect(() => sobolPoints(4, SOBOL_MAX_DIMENSION + 1)).toThrow(/dimension/);
  });
});
