import { describe, expect, it } from 'vitest';
import {
  kurt,
  mean,
  median,
  quantile,
  rankAscending,
  rankAverage,
  rankDescending,
  sd,
  skew,
  spearman,
} from './descriptive.ts';

describe('descriptive statistics', () => {
  it('mean, median, sd skip NaN', () => {
    expect(mean([1, 2, NaN, 3])).toBe(2);
    expect(median([3, 1, 2, 10])).toBe(2.5);
    expect(sd([2, 4, 4, 4, 5, 5, 7, 9], true)).toBe(2);
    expect(sd([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(2.138089935, 9);
  });
  it('skew and kurt match Excel SKEW/KURT (values from R e1071 type 2)', () => {
    // scipy.stats.skew(bias=False) / kurtosis(bias=False) = G1 / G2 (same as e1071 type 2, Excel)
    expect(skew([1, 2, 3, 10])).toBeCloseTo(1.763632614803888, 12);
    expect(kurt([1, 2, 3, 10, 4])).toBeCloseTo(3.152000000000001, 12);
    expect(skew([1, 2])).toBeNaN();
    expect(kurt([1, 2, 3])).toBeNaN();
  });
  it('quantile type 7', () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([1, 2, 3, 4, 5], 0.05)).toBeCloseTo(1.2, 12);
  });
  it('ranks share the best rank on ties', () => {
    expect([...rankDescending([10, 30, 30, 20])]).toEqual([4, 1, 1, 3]);
    expect([...rankAscending([10, 30, NaN, 30, 20])]).toEqual([1, 3, NaN, 3, 2]);
  });
  it('ranks: -0 ties with 0, all ties share rank 1, empty and all-NaN inputs', () => {
    expect([...rankDescending([0, -0, 1])]).toEqual([2, 2, 1]);
    expect([...rankDescending([5, 5, 5])]).toEqual([1, 1, 1]);
    expect([...rankDescending([])]).toEqual([]);
    expect([...rankAscending([NaN, NaN])]).toEqual([NaN, NaN]);
  });
  it("ranks with a tolerance: values within tolerance × max|x| of their group's best value tie", () => {
    // 2 and 1.9999999999999998 differ by 2.2e-16 ≤ 1e-10 × 2: a tie; 1 is a rank of its own
    expect([...rankDescending([1.9999999999999998, 2, 1], undefined, 1e-10)]).toEqual([1, 1, 3]);
    expect([...rankDescending([1.9999999999999998, 2, 1])]).toEqual([2, 1, 3]);
    expect([...rankAscending([2, 1.0000000000000002, 1], undefined, 1e-10)]).toEqual([3, 1, 1]);
    // the group is measured from its best value: 10, 10 − 0.5e-9, 10 − 1.5e-9 with tolerance 1e-10 × 10 = 1e-9
    expect([...rankDescending([10, 10 - 0.5e-9, 10 - 1.5e-9], undefined, 1e-10)]).toEqual([1, 1, 3]);
  });
  it('average ranks (R rank, ties averaged) keep NaN', () => {
    expect([...rankAverage([10, 30, 30, 20, NaN])]).toEqual([1, 3.5, 3.5, 2, NaN]);
    expect([...rankAverage([7, 7, 7])]).toEqual([2, 2, 2]);
  });
  it('spearman handles ties', () => {
    expect(spearman([1, 2, 3, 4], [10, 20, 20, 40])).toBeCloseTo(0.9486833, 6);
  });
});
