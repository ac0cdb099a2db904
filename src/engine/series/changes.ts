/**
 * Changes of a level series, in percent (METHODS.md §6):
 *   period-on-period (环比, MoM)   = (I_t / I_{t−1} − 1) × 100
 *   year-on-year (同比, YoY)        = (I_t / I_{t−p} − 1) × 100, p = periods per year (12, 4, 1)
 *   year-to-date (年初以来, 比上年12月) = (I_t / I_{Dec of previous year} − 1) × 100
 * and the statistics bureau's index forms (NBS 70-city tables): 上月=100 is 100 + MoM, 上年同月=100 is 100 + YoY.
 */
import { CityIndexError } from '../core/errors.ts';
import { periodsPerYear, previousYearEnd } from './period.ts';
import type { Series } from './series.ts';

/**
 * Percent change over `lag` positions: out[t] = (x[t] / x[t − lag] − 1) × 100; NaN when either is
 * missing, when t < lag, or when the earlier value is 0.
 * @example [...percentChange([100, 102, 99.96], 1)] // => [NaN, 2, -2.0000000000000018]
 */
export function percentChange(x: ArrayLike<number>, lag: number, out = new Float64Array(x.length)): Float64Array {
  if (!Number.isInteger(lag) || lag < 1)
    throw new CityIndexError({ code: 'E_LAG', message: `lag must be a positive integer, got ${lag}`, field: 'lag' });
  for (let t = 0; t < x.length; t++) {
    const prev = t >= lag ? x[t - lag] : NaN;
    out[t] = prev === 0 ? NaN : (x[t] / prev - 1) * 100;
  }
  return out;
}

/** The three standard changes of a series, aligned with its periods (percent; NaN where not computable). */
export interface SeriesChanges {
  /**
   * Period-on-period: month-on-month (环比) for monthly series, quarter-on-quarter for quarterly, year-on-year for
   * annual.
   */
  periodOnPeriod: Float64Array;
  /** Year-on-year (同比): against the same period a year earlier. */
  yearOnYear: Float64Array;
  /** Year-to-date (年初以来): against the last period of the previous year (the previous December). */
  yearToDate: Float64Array;
}

/**
 * Period-on-period, year-on-year and year-to-date changes of a series, in percent.
 * @example
 * import { createSeries } from './series.ts';
 * const points = [{ period: '2012-12', value: 1000 }, { period: '2013-11', value: 1156.3 }];
 * const shaoyang = createSeries(points, { code: '邵阳' });
 * seriesChanges(shaoyang).yearToDate[11]
 * // => 15.63 (up to floating point): 邵阳 2013-11, "前11月涨幅达15.63%" (METHODS.md §6)
 */
export function seriesChanges(series: Series): SeriesChanges {
  const x = series.values;
  const n = x.length;
  const periodOnPeriod = percentChange(x, 1);
  const yearOnYear = percentChange(x, periodsPerYear(series.frequency));
  const yearToDate = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    const k = previousYearEnd(series.frequency, series.start + t) - series.start;
    const base = k >= 0 ? x[k] : NaN;
    yearToDate[t] = base === 0 ? NaN : (x[t] / base - 1) * 100;
  }
  return { periodOnPeriod, yearOnYear, yearToDate };
}

/**
 * Percent change → index form with the comparison period = 100 (上月=100, 上年同月=100): 100 + change.
 * @example [...percentToIndexForm([-0.14, 0.13])] // => [99.86, 100.13]
 */
export function percentToIndexForm(changes: ArrayLike<number>): Float64Array {
  const out = new Float64Array(changes.length);
  for (let i = 0; i < changes.length; i++) out[i] = 100 + changes[i];
  return out;
}

/**
 * Index form (comparison period = 100) → percent change: value − 100.
 * @example [...indexFormToPercent([100.5, 99.2])] // => [0.5, -0.7999999999999972]
 */
export function indexFormToPercent(indexForm: ArrayLike<number>): Float64Array {
  const out = new Float64Array(indexForm.length);
  for (let i = 0; i < indexForm.length; i++) out[i] = indexForm[i] - 100;
  return out;
}
