/**
 * Descriptive statistics on numeric arrays, NaN-aware (NaN = missing and is skipped).
 * Conventions follow R/COINr: sample sd (n−1) unless `population` is asked for; skewness is the
 * adjusted Fisher–Pearson G1 (Excel SKEW, e1071 type 2) and kurtosis the excess G2 (Excel KURT).
 */

import { rankMinInto, rankScratch } from './rank.ts';

type Num = ArrayLike<number>;

/** Non-missing values as a new Float64Array. @example finite([1, NaN, 3]) // => Float64Array [1, 3] */
export function finite(x: Num): Float64Array {
  let n = 0;
  for (let i = 0; i < x.length; i++) if (!Number.isNaN(x[i])) n++;
  const out = new Float64Array(n);
  let k = 0;
  for (let i = 0; i < x.length; i++) if (!Number.isNaN(x[i])) out[k++] = x[i];
  return out;
}

/** Count of non-missing values. @example countAvailable([1, NaN, 3]) // => 2 */
export function countAvailable(x: Num): number {
  let n = 0;
  for (let i = 0; i < x.length; i++) if (!Number.isNaN(x[i])) n++;
  return n;
}

/** Arithmetic mean of non-missing values (NaN if none). @example mean([1, 2, NaN, 3]) // => 2 */
export function mean(x: Num): number {
  let s = 0;
  let n = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (!Number.isNaN(v)) {
      s += v;
      n++;
    }
  }
  return n === 0 ? NaN : s / n;
}

/** Median of non-missing values (R `median`). @example median([3, 1, 2, 10]) // => 2.5 */
export function median(x: Num): number {
  const f = finite(x).sort();
  const n = f.length;
  if (n === 0) return NaN;
  return n % 2 === 1 ? f[(n - 1) / 2] : (f[n / 2 - 1] + f[n / 2]) / 2;
}

/**
 * Standard deviation; sample (n−1) by default, population (n) with `population = true`.
 * @example sd([2, 4, 4, 4, 5, 5, 7, 9], true) // => 2
 */
export function sd(x: Num, population = false): number {
  const m = mean(x);
  let ss = 0;
  let n = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (!Number.isNaN(v)) {
      ss += (v - m) * (v - m);
      n++;
    }
  }
  const d = population ? n : n - 1;
  return d <= 0 ? NaN : Math.sqrt(ss / d);
}

/** Variance (sample by default). @example variance([2, 4, 4, 4, 5, 5, 7, 9], true) // => 4 */
export function variance(x: Num, population = false): number {
  const s = sd(x, population);
  return s * s;
}

/** Minimum of non-missing values (NaN if none). @example min([3, NaN, 1]) // => 1 */
export function min(x: Num): number {
  let m = Infinity;
  let any = false;
  for (let i = 0; i < x.length; i++)
    if (!Number.isNaN(x[i])) {
      any = true;
      if (x[i] < m) m = x[i];
    }
  return any ? m : NaN;
}

/** Maximum of non-missing values (NaN if none). @example max([3, NaN, 1]) // => 3 */
export function max(x: Num): number {
  let m = -Infinity;
  let any = false;
  for (let i = 0; i < x.length; i++)
    if (!Number.isNaN(x[i])) {
      any = true;
      if (x[i] > m) m = x[i];
    }
  return any ? m : NaN;
}

/**
 * Skewness, adjusted Fisher–Pearson G1 (as COINr `skew`, Excel SKEW): NaN below 3 values.
 * g1 = √n·Σd³ / (Σd²)^1.5, G1 = g1·√(n(n−1))/(n−2).
 * @example skew([1, 2, 3, 10]) // => 1.7636326148...
 */
export function skew(x: Num): number {
  const f = finite(x);
  const n = f.length;
  if (n < 3) return NaN;
  const m = mean(f);
  let s2 = 0;
  let s3 = 0;
  for (let i = 0; i < n; i++) {
    const d = f[i] - m;
    s2 += d * d;
    s3 += d * d * d;
  }
  const g1 = (Math.sqrt(n) * s3) / Math.pow(s2, 1.5);
  return (g1 * Math.sqrt(n * (n - 1))) / (n - 2);
}

/**
 * Excess kurtosis G2 (as COINr `kurt`, Excel KURT): NaN below 4 values.
 * r = n·Σd⁴/(Σd²)², G2 = ((n+1)(r−3)+6)(n−1)/((n−2)(n−3)).
 * @example kurt([1, 2, 3, 10, 4]) // => 3.152 (to 1e-12)
 */
export function kurt(x: Num): number {
  const f = finite(x);
  const n = f.length;
  if (n < 4) return NaN;
  const m = mean(f);
  let s2 = 0;
  let s4 = 0;
  for (let i = 0; i < n; i++) {
    const d = f[i] - m;
    const d2 = d * d;
    s2 += d2;
    s4 += d2 * d2;
  }
  const r = (n * s4) / (s2 * s2);
  return (((n + 1) * (r - 3) + 6) * (n - 1)) / ((n - 2) * (n - 3));
}

/**
 * Quantile, R type 7 (the R default), over non-missing values.
 * @example quantile([1, 2, 3, 4], 0.5) // => 2.5
 */
export function quantile(x: Num, p: number): number {
  const f = finite(x).sort();
  return quantileSorted(f, p);
}

/** Type-7 quantile of an ascending, NaN-free array. @example quantileSorted([1, 2, 3, 4], 0.25) // => 1.75 */
export function quantileSorted(f: Num, p: number): number {
  const n = f.length;
  if (n === 0) return NaN;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  return f[lo] + (h - lo) * (f[hi] - f[lo]);
}

/**
 * Ranks where higher is better and ties share the best rank ("sport" ranking, R
 * `rank(-x, ties.method = "min", na.last = "keep")`); NaN stays NaN. With `tolerance` > 0, values
 * within `tolerance × max|x|` of the best value of their tie group share its rank (floating-point
 * noise such as 2 vs 1.9999999999999998 is then a tie); the default 0 is R's exact comparison. The rule
 * is the engine's one ranking rule (`rankMinInto` in stats/rank.ts).
 * @example rankDescending([10, 30, 30, 20]) // => [4, 1, 1, 3]
 * @example rankDescending([2, 1.9999999999999998, 1], undefined, 1e-10) // => [1, 1, 3]
 */
export function rankDescending(x: Num, out = new Float64Array(x.length), tolerance = 0): Float64Array {
  return rankMin(x, -1, out, tolerance);
}

/**
 * Ranks where lower values get rank 1, ties share the minimum rank (R `rank(x, ties.method = "min")`).
 * `tolerance` as in `rankDescending`.
 * @example rankAscending([10, 30, 30, 20]) // => [1, 3, 3, 2]
 */
export function rankAscending(x: Num, out = new Float64Array(x.length), tolerance = 0): Float64Array {
  return rankMin(x, 1, out, tolerance);
}

/**
 * `sign·x` without NaN, sorted ascending (native numeric sort of a typed array: no comparator calls,
 * which made ranking the slowest part of a build).
 */
function sortedKeys(x: Num, sign: 1 | -1): Float64Array {
  let k = 0;
  const keys = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) if (!Number.isNaN(x[i])) keys[k++] = sign * x[i];
  return keys.subarray(0, k).sort();
}

/** First index k of ascending `s` with s[k] ≥ v (v is in s). */
function lowerBound(s: Float64Array, v: number): number {
  let lo = 0;
  let hi = s.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (s[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index k of ascending `s` with s[k] > v. */
function upperBound(s: Float64Array, v: number): number {
  let lo = 0;
  let hi = s.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (s[mid] <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function rankMin(x: Num, sign: 1 | -1, out: Float64Array, tolerance: number): Float64Array {
  return rankMinInto(x, sign === -1, tolerance, out, rankScratch(x.length));
}

/**
 * Pearson correlation over pairwise-complete observations (NaN if fewer than 2 or zero variance).
 * @example pearson([1, 2, 3], [2, 4, 7]) // => 0.99339926…
 */
export function pearson(x: Num, y: Num): number {
  let n = 0,
    sx = 0,
    sy = 0;
  for (let i = 0; i < x.length; i++)
    if (!Number.isNaN(x[i]) && !Number.isNaN(y[i])) {
      n++;
      sx += x[i];
      sy += y[i];
    }
  if (n < 2) return NaN;
  const mx = sx / n,
    my = sy / n;
  let sxy = 0,
    sxx = 0,
    syy = 0;
  for (let i = 0; i < x.length; i++) {
    if (Number.isNaN(x[i]) || Number.isNaN(y[i])) continue;
    const dx = x[i] - mx,
      dy = y[i] - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx === 0 || syy === 0 ? NaN : sxy / Math.sqrt(sxx * syy);
}

/**
 * Average ranks (ties averaged), ascending, NaN kept: used for Spearman correlation (R `rank(x)`).
 * @example rankAverage([10, 30, 30, 20]) // => [1, 3.5, 3.5, 2]
 */
export function rankAverage(x: Num): Float64Array {
  const s = sortedKeys(x, 1);
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (Number.isNaN(v)) {
      out[i] = NaN;
      continue;
    }
    // first and last sorted positions of v: ranks first+1 … last+1, averaged
    const first = lowerBound(s, v);
    const last = upperBound(s, v) - 1;
    out[i] = (first + last) / 2 + 1;
  }
  return out;
}

/**
 * Spearman correlation over pairwise-complete observations (R `cor(method = "spearman", use = "pairwise")`).
 * @example spearman([1, 2, 3, 4], [10, 20, 20, 40]) // => 0.9486833… (ties averaged)
 */
export function spearman(x: Num, y: Num): number {
  const keep: number[] = [];
  for (let i = 0; i < x.length; i++) if (!Number.isNaN(x[i]) && !Number.isNaN(y[i])) keep.push(i);
  const xs = keep.map((i) => x[i]);
  const ys = keep.map((i) => y[i]);
  return pearson(rankAverage(xs), rankAverage(ys));
}
