/**
 * The series model: one variable of one unit (a city, the nation) observed over consecutive periods.
 * Values are levels — a fixed-base index (定基, e.g. 2015 = 100 or 2012-12 = 1000) or a price in its
 * unit — on a gap-free period grid (NaN = missing), so lags are array offsets. Other index forms
 * (上月=100, 上年同月=100) are derived arrays: see `changes.ts` and `chain.ts`.
 */
import { CityIndexError, type Issue } from '../core/errors.ts';
import type { LocalText } from '../core/framework.ts';
import { formatPeriod, parsePeriod, periodLabels, type Frequency } from './period.ts';

export interface Series {
  /** Series code: a city's adcode, `national`, or any label. */
  readonly code: string;
  readonly name?: LocalText;
  readonly frequency: Frequency;
  /** Ordinal of the first period (see `period.ts`). */
  readonly start: number;
  /** Canonical labels of the periods, one per value (`YYYY-MM`, `YYYY-Qn`, `YYYY`). */
  readonly periods: readonly string[];
  /** Levels, one per period; NaN = missing. */
  readonly values: Float64Array;
  /** Unit of the values, e.g. `index points`, `yuan/m²`. */
  readonly unit?: string;
  /** For a fixed-base index: the base period (or year) and the value it is set to. */
  readonly base?: { period: string; value: number };
}

/** One observation as read from a table. */
export interface SeriesPoint {
  period: string;
  value: number | null;
}

export interface CreateSeriesOptions {
  code: string;
  name?: LocalText;
  unit?: string;
  base?: { period: string; value: number };
  /** Where the points came from, to locate errors (default none). */
  file?: string;
}

/**
 * Build a series from observations in any order: periods are parsed, must share one frequency and
 * not repeat; gaps between the first and last period become NaN.
 * @example createSeries([{ period: '2023-02', value: 2 }, { period: '2022-12', value: 1 }], { code: 'x' }).periods
 * // => ['2022-12', '2023-01', '2023-02']
 */
export function createSeries(points: readonly SeriesPoint[], options: CreateSeriesOptions): Series {
  const issues: Issue[] = [];
  const where = { file: options.file, unit: options.code };
  if (points.length === 0)
    throw new CityIndexError({
      code: 'E_EMPTY_SERIES',
      message: `series "${options.code}" has no observations`,
      ...where,
    });
  const parsed = points.map((p) => parsePeriod(p.period));
  const frequency = parsed[0].frequency;
  let lo = Infinity;
  let hi = -Infinity;
  parsed.forEach((p, i) => {
    if (p.frequency !== frequency) {
      issues.push({
        code: 'E_MIXED_FREQUENCY',
        message: `period "${points[i].period}" is a ${p.frequency}, the series is by ${frequency}`,
        field: 'period',
        ...where,
      });
    }
    lo = Math.min(lo, p.ordinal);
    hi = Math.max(hi, p.ordinal);
  });
  if (issues.length) throw new CityIndexError(issues);
  const values = new Float64Array(hi - lo + 1).fill(NaN);
  const seen = new Set<number>();
  parsed.forEach((p, i) => {
    if (seen.has(p.ordinal))
      issues.push({
        code: 'E_DUPLICATE_PERIOD',
        message: `period ${formatPeriod(p)} appears twice`,
        field: 'period',
        ...where,
      });
    seen.add(p.ordinal);
    const v = points[i].value;
    if (v !== null && !Number.isFinite(v))
      issues.push({
        code: 'E_NOT_NUMBER',
        message: `value for ${formatPeriod(p)} is not a finite number`,
        field: 'value',
        ...where,
      });
    values[p.ordinal - lo] = v === null ? NaN : v;
  });
  if (issues.length) throw new CityIndexError(issues);
  return fromValues(values, frequency, lo, options);
}

/**
 * Wrap a values array that starts at `start` (an ordinal) as a series.
 * @example fromValues(new Float64Array([100, 101]), 'year', 2020, { code: 'x' }).periods // => ['2020', '2021']
 */
export function fromValues(
  values: Float64Array,
  frequency: Frequency,
  start: number,
  options: CreateSeriesOptions,
): Series {
  return {
    code: options.code,
    ...(options.name ? { name: options.name } : {}),
    frequency,
    start,
    periods: periodLabels(frequency, start, values.length),
    values,
    ...(options.unit !== undefined ? { unit: options.unit } : {}),
    ...(options.base ? { base: options.base } : {}),
  };
}

/**
 * Position of a period in a series, or −1 when outside it.
 * @example periodPosition(createSeries([{ period: '2023-01', value: 1 }], { code: 'x' }), '2023.01') // => 0
 */
export function periodPosition(series: Series, period: string): number {
  const p = parsePeriod(period);
  if (p.frequency !== series.frequency) {
    throw new CityIndexError({
      code: 'E_MIXED_FREQUENCY',
      message: `period "${period}" is a ${p.frequency}, series "${series.code}" is by ${series.frequency}`,
      unit: series.code,
    });
  }
  const k = p.ordinal - series.start;
  return k >= 0 && k < series.values.length ? k : -1;
}

/**
 * Value at a period (NaN when missing or outside the series).
 * @example valueAt(createSeries([{ period: '2023', value: 7 }], { code: 'x' }), '2023') // => 7
 */
export function valueAt(series: Series, period: string): number {
  const k = periodPosition(series, period);
  return k < 0 ? NaN : series.values[k];
}
