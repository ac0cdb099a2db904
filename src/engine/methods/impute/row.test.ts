// Reference: COINr 1.1.14 `Impute(impute_by = "row")` and its hand case in tests/testthat/test-Impute.R.
import { describe, expect, it } from 'vitest';
import { imputeRowBlock } from './row.ts';

const f64 = (x: number[]): Float64Array => Float64Array.from(x);

describe('imputeRowBlock (COINr Impute(impute_by = "row"))', () => {
  it('row median without normalisation equals the manual row median (COINr test-Impute.R)', () => {
    const cols = [f64([1, NaN, 3]), f64([10, 20, NaN]), f64([NaN, 5, 6]), f64([4, 8, 100])];
    const out = imputeRowBlock(cols, [1, 1, 1, 1], 'median', false);
    // row 0: median(1, 10, 4) = 4; row 1: median(20, 5, 8) = 8; row 2: median(3, 6, 100) = 6
    expect(out[2][0]).toBe(4);
    expect(out[0][1]).toBe(8);
    expect(out[1][2]).toBe(6);
  });

  it('row mean with normalise-first honours directions and scales back', () => {
    // col a (dir 1): 0, 10, 5 -> 0, 1, 0.5; col b (dir −1): −b = −100, −200, ? -> 1, 0, ?
    // unit 2: mean(0.5) = 0.5 -> back: 0.5·(−100 − (−200)) + (−200) = −150, times −1 = 150
    const out = imputeRowBlock([f64([0, 10, 5]), f64([100, 200, NaN])], [1, -1], 'mean', true);
    expect(out[1][2]).toBeCloseTo(150, 12);
  });
});
