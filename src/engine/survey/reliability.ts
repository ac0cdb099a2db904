/**
 * Scale reliability: Cronbach's alpha (Cronbach 1951, Psychometrika 16:297–334)
 * α = k/(k−1)·(1 − Σσ²_item/σ²_total), with corrected item–total correlations (item vs the sum of the
 * other items) and alpha-if-item-deleted, on complete cases (listwise), unweighted — as SPSS RELIABILITY
 * and R `psych::alpha` report them. Equivalent to COINr `get_cronbach` = k²·mean(off-diagonal cov)/sum(cov).
 */
import { pearson } from '../stats/descriptive.ts';

export interface ReliabilityResult {
  alpha: number;
  /** Items (k) and complete cases used. */
  k: number;
  n: number;
  items: Array<{ item: string; itemTotal: number; correctedItemTotal: number; alphaIfDeleted: number }>;
}

/**
 * Cronbach's alpha and item statistics of a scale; columns are item scores (NaN = missing; rows with any
 * missing item are dropped). NaN alpha when k < 2, n < 2 or the total has no variance.
 * @example cronbachAlpha({ a: [1, 2, 3, 4], b: [2, 3, 3, 5], c: [1, 3, 2, 4] }).alpha // => 0.95706 (= 3/2·(1 − 4.9167/13.5833))
 */
export function cronbachAlpha(columns: Record<string, ArrayLike<number>>): ReliabilityResult {
  const names = Object.keys(columns);
  const k = names.length;
  const len = k ? columns[names[0]].length : 0;
  const rows: number[] = [];
  for (let i = 0; i < len; i++) {
    let ok = true;
    for (const nm of names) if (Number.isNaN(columns[nm][i])) { ok = false; break; }
    if (ok) rows.push(i);
  }
  const n = rows.length;
  const X = names.map((nm) => Float64Array.from(rows, (i) => columns[nm][i]));
  const total = new Float64Array(n);
  for (const x of X) for (let r = 0; r < n; r++) total[r] += x[r];
  const alpha = alphaOf(X, total);
  const items = names.map((item, j) => {
    const rest = new Float64Array(n);
    for (let r = 0; r < n; r++) rest[r] = total[r] - X[j][r];
    const others = X.filter((_, q) => q !== j);
    return { item, itemTotal: pearson(X[j], total), correctedItemTotal: pearson(X[j], rest), alphaIfDeleted: alphaOf(others, rest) };
  });
  return { alpha, k, n, items };
}

function alphaOf(X: Float64Array[], total: Float64Array): number {
  const k = X.length;
  const n = total.length;
  if (k < 2 || n < 2) return NaN;
  let sumVar = 0;
  for (const x of X) sumVar += sampleVar(x);
  const vt = sampleVar(total);
  return vt > 0 ? (k / (k - 1)) * (1 - sumVar / vt) : NaN;
}

function sampleVar(x: Float64Array): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) m += x[i];
  m /= x.length;
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i] - m) * (x[i] - m);
  return s / (x.length - 1);
}
