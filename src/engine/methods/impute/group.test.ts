// Reference: COINr 1.1.14 `i_mean_grp` / `i_median_grp` (tests/testthat/test-Impute.R), worked by hand.
import { describe, expect, it } from 'vitest';
import { imputeColumnByGroup } from './group.ts';

const f64 = (x: number[]): Float64Array => Float64Array.from(x);

describe('imputeColumnByGroup (COINr i_mean_grp, i_median_grp)', () => {
  it('group mean/median: units with no group stay NA, as COINr i_mean_grp(skip_f_na = TRUE)', () => {
    const x = f64([NaN, 1, 2, 9, NaN, 10, 20, NaN]);
    const g = ['a', 'a', 'a', 'a', null, 'b', 'b', 'b'];
    const m = imputeColumnByGroup(x, g, 'mean');
    expect(m[0]).toBe(4); // (1 + 2 + 9)/3
    expect(Number.isNaN(m[4])).toBe(true);
    expect(m[7]).toBe(15);
    expect(imputeColumnByGroup(x, g, 'median')[0]).toBe(2);
    // a group with no data stays NA
    expect(Number.isNaN(imputeColumnByGroup(f64([NaN, NaN, 1]), ['a', 'a', 'b'], 'mean')[0])).toBe(true);
  });
});
