/**
 * The COIN Tool check that decides whether a column needs treatment (COINr 1.1.14 `check_SkewKurt`,
 * R/treat.R): pass = (|skew| < skewThreshold) OR (kurt < kurtThreshold), with G1 skewness and G2 excess
 * kurtosis and R's three-valued OR. Every treatment method and transform is judged by it.
 */
import * as z from 'zod';
import { finiteNumber as num } from '../../spec/primitives.ts';

/** The check's thresholds (COINr `skew_thresh`, `kurt_thresh`). */
export const SkewKurtThresholdsSchema = z.strictObject({
  skewThreshold: num.optional(),
  kurtThreshold: num.optional(),
});
export type SkewKurtThresholds = z.infer<typeof SkewKurtThresholdsSchema>;

/** COINr's thresholds (`Treat.data.frame` defaults), written once. */
export const SKEW_KURT_DEFAULTS = { skewThreshold: 2, kurtThreshold: 3.5 } as const;

/** Result of the skew/kurtosis check; `pass` is null when R's `|` would give NA. */
export interface SkewKurtCheck {
  pass: boolean | null;
  skew: number;
  kurt: number;
}

/**
 * COINr `check_SkewKurt`: pass = (|skew| < skewThreshold) OR (kurt < kurtThreshold), with R's
 * three-valued OR (TRUE if either is TRUE, NA if neither is TRUE and one is NA).
 * @example checkSkewKurt([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 100]).pass // => false
 */
export function checkSkewKurt(
  x: ArrayLike<number>,
  skewThreshold: number = SKEW_KURT_DEFAULTS.skewThreshold,
  kurtThreshold: number = SKEW_KURT_DEFAULTS.kurtThreshold,
): SkewKurtCheck {
  return checkSkewKurtAt(x, 0, x.length, skewThreshold, kurtThreshold);
}

/**
 * `checkSkewKurt` of `x[offset … offset + length)`, without a copy (the step's columns are views).
 * @example checkSkewKurtAt([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 100], 1, 11, 2, 3.5).pass // => false
 */
export function checkSkewKurtAt(
  x: ArrayLike<number>,
  offset: number,
  length: number,
  skewThreshold: number,
  kurtThreshold: number,
): SkewKurtCheck {
  const n = centralSums(x, offset, length);
  return judge(momentSkew(n), momentKurt(n), skewThreshold, kurtThreshold);
}

function judge(s: number, k: number, skewThreshold: number, kurtThreshold: number): SkewKurtCheck {
  const a = Number.isNaN(s) ? null : Math.abs(s) < skewThreshold;
  const b = Number.isNaN(k) ? null : k < kurtThreshold;
  const pass = a === true || b === true ? true : a === null || b === null ? null : false;
  return { pass, skew: s, kurt: k };
}

// Σd², Σd³, Σd⁴ (d = x − mean over the non-missing values) of the last `centralSums` call: one pass for
// the mean and one for the sums, no copy — the operations of `skew` and `kurt` (stats/descriptive.ts)
// in the same order, so the results are bit-identical to theirs.
const sums = new Float64Array(3);

/** Fill `sums` for `x[offset … offset + length)`; returns the number of non-missing values. */
function centralSums(x: ArrayLike<number>, offset: number, length: number): number {
  const end = offset + length;
  let t = 0;
  let n = 0;
  for (let i = offset; i < end; i++) {
    const v = x[i];
    if (!Number.isNaN(v)) {
      t += v;
      n++;
    }
  }
  const m = n === 0 ? NaN : t / n;
  let s2 = 0;
  let s3 = 0;
  let s4 = 0;
  for (let i = offset; i < end; i++) {
    const v = x[i];
    if (Number.isNaN(v)) continue;
    const d = v - m;
    const d2 = d * d;
    s2 += d2;
    s3 += d2 * d;
    s4 += d2 * d2;
  }
  sums[0] = s2;
  sums[1] = s3;
  sums[2] = s4;
  return n;
}

/** G1 skewness from `sums` (as `skew`). */
function momentSkew(n: number): number {
  if (n < 3) return NaN;
  const g1 = (Math.sqrt(n) * sums[1]) / Math.pow(sums[0], 1.5);
  return (g1 * Math.sqrt(n * (n - 1))) / (n - 2);
}

/** G2 excess kurtosis from `sums` (as `kurt`). */
function momentKurt(n: number): number {
  if (n < 4) return NaN;
  const r = (n * sums[2]) / (sums[0] * sums[0]);
  return (((n + 1) * (r - 3) + 6) * (n - 1)) / ((n - 2) * (n - 3));
}
