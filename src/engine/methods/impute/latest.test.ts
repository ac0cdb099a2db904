// Reference: COINr 1.1.14 `impute_panel(imp_type = "latest", max_time)`, worked by hand.
import { describe, expect, it } from 'vitest';
import { fromRows } from '../../core/dataset.ts';
import { imputeLatestColumn } from './latest.ts';

const f64 = (x: number[]): Float64Array => Float64Array.from(x);

describe('imputeLatestColumn (COINr impute_panel "latest")', () => {
  it('latest: newest earlier period first, within maxLag', () => {
    const h = [
      { period: '2018', dataset: fromRows(['A', 'B'], ['x'], [[1], [2]]) },
      { period: '2019', dataset: fromRows(['A', 'B'], ['x'], [[null], [3]]) },
    ];
    const r = imputeLatestColumn(f64([NaN, NaN]), ['A', 'B'], 'x', h);
    expect(Array.from(r.values)).toEqual([1, 3]);
    expect(r.periods).toEqual(['2018', '2019']);
    const lag1 = imputeLatestColumn(f64([NaN, NaN]), ['A', 'B'], 'x', h, 1);
    expect(Number.isNaN(lag1.values[0])).toBe(true);
    expect(lag1.values[1]).toBe(3);
  });
});
