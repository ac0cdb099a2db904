import { describe, expect, it } from 'vitest';
import { erfc, normalCdf, normalSf } from './normal.ts';

const rel = (a: number, b: number): number => Math.abs(a / b - 1);

describe('erfc / normal tails', () => {
  // Reference values: scipy.special.erfc (SciPy 1.17.1).
  const ERFC: Array<[number, number]> = [
    [0, 1],
    [0.5, 0.4795001221869535],
    [1, 0.15729920705028516],
    [2, 0.004677734981047266],
    [3, 2.2090496998585445e-5],
    [5, 1.5374597944280347e-12],
    [8, 1.1224297172982928e-29],
    [12, 1.3562611692059047e-64],
    [20, 5.395865611607901e-176],
  ];
  it.each(ERFC)('erfc(%f) matches SciPy in relative terms', (x, ref) => {
    expect(rel(erfc(x), ref)).toBeLessThan(x <= 8 ? 2e-14 : 1e-12);
  });

  it('erfc(−x) = 2 − erfc(x) and NaN passes through', () => {
    expect(erfc(-1)).toBeCloseTo(2 - 0.15729920705028516, 15);
    expect(Number.isNaN(erfc(NaN))).toBe(true);
  });

  it('normal sf/cdf match scipy.stats.norm', () => {
    // scipy.stats.norm.sf / .cdf
    expect(rel(normalSf(3.641097183545744), 0.00013573931385463836)).toBeLessThan(1e-13);
    expect(rel(normalCdf(-3.739977836762946), 9.201824068022267e-5)).toBeLessThan(1e-13);
    expect(rel(normalSf(6), 9.865876450376946e-10)).toBeLessThan(1e-13);
    expect(rel(normalSf(-2), 0.9772498680518208)).toBeLessThan(1e-15);
    expect(normalSf(1.959963984540054)).toBeCloseTo(0.025, 15);
    expect(normalCdf(0)).toBeCloseTo(0.5, 15);
  });
});
