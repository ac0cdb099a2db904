/**
 * Indicator statistics and data-quality flags, one row per column (COINr 1.1.14 `get_stats`,
 * R/stats.R). Same fields, same formulas and the same — slightly uneven — flag denominators as COINr:
 * `Frc.NonZero`/`Frc.Unique` divide by the available count, but `Flag.NonZero`/`Flag.Unique` divide
 * by the number of rows. Nothing is rounded (COINr rounds to 3 significant figures for display).
 */
import { column, type Dataset } from '../../core/dataset.ts';
import { kurt, max, mean, median, min, sd, skew } from '../../stats/descriptive.ts';

export interface IndicatorStatsOptions {
  /** |skew| threshold (COINr `t_skew`, default 2). */
  skewThreshold?: number;
  /** Kurtosis threshold (COINr `t_kurt`, default 3.5). */
  kurtThreshold?: number;
  /** Availability threshold (COINr `t_avail`, default 0.65): `LOW` when the available share is below it. */
  availThreshold?: number;
  /** Non-zero threshold (COINr `t_zero`, default 0.5). */
  nonZeroThreshold?: number;
  /** Unique-value threshold (COINr `t_unq`, default 0.5). */
  uniqueThreshold?: number;
  /** Columns to describe (default: all, in dataset order). */
  codes?: readonly string[];
}

/** Statistics of one column (COINr's `get_stats` row). */
export interface IndicatorStats {
  code: string;
  min: number;
  max: number;
  mean: number;
  median: number;
  /** Sample standard deviation (n − 1). */
  sd: number;
  /** Adjusted Fisher–Pearson skewness G1 (NaN below 3 values). */
  skew: number;
  /** Excess kurtosis G2 (NaN below 4 values). */
  kurt: number;
  nAvailable: number;
  nNonZero: number;
  nUnique: number;
  /** Size of the largest set of equal values (COINr `N.Same` = `max(table(x))`). */
  nSame: number;
  /** nAvailable / rows. */
  fracAvailable: number;
  /** nNonZero / nAvailable. */
  fracNonZero: number;
  /** nUnique / nAvailable. */
  fracUnique: number;
  /** nSame / nAvailable. */
  fracSame: number;
  /** `LOW` when fracAvailable < availThreshold. */
  flagAvailable: 'ok' | 'LOW';
  /** `LOW` when nNonZero / rows < nonZeroThreshold. */
  flagNonZero: 'ok' | 'LOW';
  /** `LOW` when nUnique / rows < uniqueThreshold. */
  flagUnique: 'ok' | 'LOW';
  /** `OUT` when |skew| > skewThreshold and kurt > kurtThreshold (strict, both). */
  flagSkewKurt: 'ok' | 'OUT';
}

export interface IndicatorStatsResult {
  rows: IndicatorStats[];
  thresholds: Required<Omit<IndicatorStatsOptions, 'codes'>>;
}

/**
 * Statistics of one column (NaN = missing).
 * @example columnStats('x', [0, 1, 1, NaN]).nSame // => 2  (and fracNonZero 2/3, fracAvailable 0.75)
 */
export function columnStats(code: string, x: ArrayLike<number>, options: IndicatorStatsOptions = {}): IndicatorStats {
  const t = thresholds(options);
  const n = x.length;
  const counts = new Map<number, number>();
  let nAvailable = 0;
  let nNonZero = 0;
  for (let i = 0; i < n; i++) {
    const v = x[i];
    if (Number.isNaN(v)) continue;
    nAvailable++;
    if (v !== 0) nNonZero++;
    const key = v === 0 ? 0 : v; // −0 and 0 are one value, as in R
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  let nSame = 0;
  for (const c of counts.values()) if (c > nSame) nSame = c;
  const nUnique = counts.size;
  const sk = skew(x);
  const kt = kurt(x);
  return {
    code,
    min: min(x),
    max: max(x),
    mean: mean(x),
    median: median(x),
    sd: sd(x),
    skew: sk,
    kurt: kt,
    nAvailable,
    nNonZero,
    nUnique,
    nSame,
    fracAvailable: n === 0 ? NaN : nAvailable / n,
    fracNonZero: nNonZero / nAvailable,
    fracUnique: nUnique / nAvailable,
    fracSame: nSame / nAvailable,
    flagAvailable: nAvailable / n >= t.availThreshold ? 'ok' : 'LOW',
    flagNonZero: nNonZero / n >= t.nonZeroThreshold ? 'ok' : 'LOW',
    flagUnique: nUnique / n >= t.uniqueThreshold ? 'ok' : 'LOW',
    // R: ifelse(NA, …) is NA; a column too short for skew/kurt is not flagged here.
    flagSkewKurt: Math.abs(sk) > t.skewThreshold && kt > t.kurtThreshold ? 'OUT' : 'ok',
  };
}

/**
 * Statistics of every column of a dataset (COINr `get_stats(coin, dset)`).
 * @example
 * import { stepDataset } from '../../pipeline/build.ts';
 * indicatorStats(stepDataset(asem.build, 'screen')).rows.find((r) => r.code === 'Flights')!.skew // => 2.2435557296680…
 */
export function indicatorStats(ds: Dataset, options: IndicatorStatsOptions = {}): IndicatorStatsResult {
  const codes = options.codes ?? ds.codes;
  const rows = codes.map((c) => columnStats(c, column(ds, c), options));
  return { rows, thresholds: thresholds(options) };
}

function thresholds(o: IndicatorStatsOptions): Required<Omit<IndicatorStatsOptions, 'codes'>> {
  return {
    skewThreshold: o.skewThreshold ?? 2,
    kurtThreshold: o.kurtThreshold ?? 3.5,
    availThreshold: o.availThreshold ?? 0.65,
    nonZeroThreshold: o.nonZeroThreshold ?? 0.5,
    uniqueThreshold: o.uniqueThreshold ?? 0.5,
  };
}
