import { describe, expect, it } from 'vitest';
import { fromRows } from '../../core/dataset.ts';
import { columnStats, indicatorStats } from './indicator-stats.ts';

describe('columnStats (COINr get_stats)', () => {
  it('counts, fractions and flags on a small column, worked by hand', () => {
    // x = 0, 0, 0, 1, 1, 5, NaN, NaN (8 rows): available 6, non-zero 3, unique {0,1,5} = 3, largest tie = 3 zeros
    const r = columnStats('x', [0, 0, 0, 1, 1, 5, NaN, NaN]);
    expect([r.nAvailable, r.nNonZero, r.nUnique, r.nSame]).toEqual([6, 3, 3, 3]);
    expect(r.fracAvailable).toBe(0.75);
    expect(r.fracNonZero).toBe(0.5); // 3/6 (available)
    expect(r.fracUnique).toBe(0.5);
    expect(r.fracSame).toBe(0.5);
    expect(r.flagAvailable).toBe('ok'); // 0.75 ≥ 0.65
    expect(r.flagNonZero).toBe('LOW'); // COINr divides by rows here: 3/8 < 0.5
    expect(r.flagUnique).toBe('LOW'); // 3/8 < 0.5
    expect(r.mean).toBeCloseTo(7 / 6, 15);
    expect(r.median).toBe(0.5);
    expect([r.min, r.max]).toEqual([0, 5]);
  });
  it('skew/kurt flag needs both (strict): c(1:10, 100) is OUT (COINr test-treat.R)', () => {
    const x = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 100];
    const r = columnStats('x', x);
    // scipy.stats.skew(x, bias=False) = 3.2556381840605098, kurtosis(x, bias=False) = 10.706673906421974
    expect(r.skew).toBeCloseTo(3.2556381840605098, 12);
    expect(r.kurt).toBeCloseTo(10.706673906421974, 10);
    expect(r.flagSkewKurt).toBe('OUT');
    expect(columnStats('y', [1, 2, 3, 4, 5]).flagSkewKurt).toBe('ok');
    expect(columnStats('t', x, { kurtThreshold: 11 }).flagSkewKurt).toBe('ok');
  });
  it('indicatorStats covers every column and rejects an unknown code', () => {
    const ds = fromRows(
      ['A', 'B', 'C'],
      ['p', 'q'],
      [
        [1, 0],
        [2, 0],
        [3, 1],
      ],
    );
    expect(indicatorStats(ds).rows.map((r) => r.code)).toEqual(['p', 'q']);
    expect(() => indicatorStats(ds, { codes: ['z'] })).toThrow(/no column "z"/);
  });
});
