/**
 * Chain-linking, rebasing and splicing of index series (METHODS.md §6).
 *   chain-linking:  I_t = I_{t−1} × (1 + c_t / 100), from period-on-period changes c_t (or 上月=100 values c_t + 100)
 *   rebasing:       I'_t = I_t × B / I_b, so the base b (a period, or the mean of a year's periods) equals B
 *   splicing:       the older segment is scaled so that it equals the newer one in the link period
 * Rebasing and splicing multiply by a constant, so every ratio I_t / I_s (hence every change) is kept.
 */
import { CityIndexError } from '../core/errors.ts';
import { indexFormToPercent } from './changes.ts';
import { parsePeriod, periodsPerYear } from './period.ts';
import { fromValues, periodPosition, type Series } from './series.ts';

/**
 * Levels from period-on-period percent changes: out[0] = start, out[t] = out[t−1] × (1 + changes[t]/100).
 * `changes[0]` is ignored (the change into the first period). A missing change makes the rest NaN,
 * since nothing links across it.
 * @example [...chainLink([NaN, 2, -2], 100)] // => [100, 102, 99.96]
 */
export function chainLink(
  changes: ArrayLike<number>,
  start: number,
  out = new Float64Array(changes.length),
): Float64Array {
  if (changes.length === 0) return out;
  out[0] = start;
  for (let t = 1; t < changes.length; t++) out[t] = out[t - 1] * (1 + changes[t] / 100);
  return out;
}

/**
 * Levels from an index in "previous period = 100" form (上月=100): the NBS table form, chained.
 * @example [...chainFromIndexForm([NaN, 102, 98], 100)] // => [100, 102, 99.96]
 */
export function chainFromIndexForm(indexForm: ArrayLike<number>, start: number): Float64Array {
  return chainLink(indexFormToPercent(indexForm), start);
}

/**
 * The base of a fixed-base index: one period (`2012-12`) or the mean of one calendar year's periods (`{ year: 2015 }`,
 * as NBS "2015=100").
 */
export type RebaseBase = { period: string } | { year: number };

export interface RebaseOptions {
  base: RebaseBase;
  /** Value the base is set to (default 100). */
  value?: number;
}

/**
 * Rebase a series so its base period (or base-year mean) equals `value` (default 100). Ratios between
 * any two periods are unchanged. Throws when the base is outside the series, missing or zero.
 * @example
 * import { createSeries } from './series.ts';
 * const series = createSeries([{ period: '2020', value: 50 }, { period: '2021', value: 60 }], { code: 'x' });
 * [...rebase(series, { base: { period: '2020' } }).values]
 * // => [100, 120]
 */
export function rebase(series: Series, options: RebaseOptions): Series {
  const target = options.value ?? 100;
  const { factor, label } = baseLevel(series, options.base);
  if (!Number.isFinite(factor) || factor === 0) {
    throw new CityIndexError({
      code: 'E_BASE',
      message: `series "${series.code}" has no usable value in base ${label}`,
      unit: series.code,
      field: 'base',
      expected: 'a non-zero value in the base period',
    });
  }
  const out = new Float64Array(series.values.length);
  for (let i = 0; i < out.length; i++) out[i] = (series.values[i] * target) / factor;
  return fromValues(out, series.frequency, series.start, {
    ...copyMeta(series),
    base: { period: label, value: target },
  });
}

function baseLevel(series: Series, base: RebaseBase): { factor: number; label: string } {
  if ('period' in base) {
    const k = periodPosition(series, base.period);
    return { factor: k < 0 ? NaN : series.values[k], label: base.period };
  }
  const ppy = periodsPerYear(series.frequency);
  let s = 0;
  for (let k = 0; k < ppy; k++) {
    const i = base.year * ppy + k - series.start;
    s += i >= 0 && i < series.values.length ? series.values[i] : NaN;
  }
  return { factor: s / ppy, label: String(base.year) };
}

function copyMeta(series: Series): { code: string; name?: Series['name']; unit?: string } {
  return {
    code: series.code,
    ...(series.name ? { name: series.name } : {}),
    ...(series.unit !== undefined ? { unit: series.unit } : {}),
  };
}

/**
 * Splice an older series onto a newer one (e.g. NBS base rotation 2015=100 → 2020=100): the older
 * segment is scaled by newer[link] / older[link] and used for periods before the newer series starts;
 * from `link` on (or from the newer series' first period) the newer values are kept.
 * `link` defaults to the newer series' first period.
 * @example
 * import { fromValues } from './series.ts';
 * const older = fromValues(Float64Array.of(50, 60), 'year', 2019, { code: 'x' });
 * const newer = fromValues(Float64Array.of(100, 110), 'year', 2020, { code: 'x' });
 * [...spliceSeries(older, newer).values] // => [83.333…, 100, 110]
 */
export function spliceSeries(older: Series, newer: Series, link?: string): Series {
  if (older.frequency !== newer.frequency) {
    throw new CityIndexError({
      code: 'E_MIXED_FREQUENCY',
      message: `cannot splice a ${older.frequency} series onto a ${newer.frequency} series`,
      unit: newer.code,
    });
  }
  const linkOrdinal = link === undefined ? newer.start : parsePeriod(link).ordinal;
  const a = older.values[linkOrdinal - older.start];
  const b = newer.values[linkOrdinal - newer.start];
  if (!(Number.isFinite(a) && Number.isFinite(b)) || a === 0) {
    throw new CityIndexError({
      code: 'E_LINK',
      message: `both series need a non-zero value in the link period ${link ?? newer.periods[0]}`,
      unit: newer.code,
      field: 'link',
    });
  }
  const factor = b / a;
  const start = Math.min(older.start, newer.start);
  const end = Math.max(older.start + older.values.length, newer.start + newer.values.length);
  const out = new Float64Array(end - start).fill(NaN);
  for (let o = start; o < end; o++) {
    const useNewer = o >= linkOrdinal && o >= newer.start && o < newer.start + newer.values.length;
    const i = o - (useNewer ? newer.start : older.start);
    const src = useNewer ? newer.values : older.values;
    if (i >= 0 && i < src.length) out[o - start] = useNewer ? src[i] : src[i] * factor;
  }
  return fromValues(out, newer.frequency, start, { ...copyMeta(newer), ...(newer.base ? { base: newer.base } : {}) });
}
