/**
 * Scale reliability: Cronbach's alpha (Cronbach 1951, Psychometrika 16:297–334)
 * α = k/(k−1)·(1 − Σσ²_item/σ²_total), with corrected item–total correlations (item vs the sum of the
 * other items) and alpha-if-item-deleted, on complete cases (listwise), unweighted — as SPSS RELIABILITY
 * and R `psych::alpha` report them. Equivalent to COINr `get_cronbach` = k²·mean(off-diagonal cov)/sum(cov).
 */

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
 * @example
 * cronbachAlpha({ a: [1, 2, 3, 4], b: [2, 3, 3, 5], c: [1, 3, 2, 4] }).alpha
 * // => 0.9570552… (= 3/2·(1 − 4.9167/13.5833))
 */
export function cronbachAlpha(columns: Record<string, ArrayLike<number>>): ReliabilityResult {
  const names = Object.keys(columns);
  const k = names.length;
  const src = names.map((nm) => columns[nm]);
  const len = k ? src[0].length : 0;
  const rows: number[] = [];
  for (let i = 0; i < len; i++) {
    let ok = true;
    for (let j = 0; j < k; j++)
      if (Number.isNaN(src[j][i])) {
        ok = false;
        break;
      }
    if (ok) rows.push(i);
  }
  const n = rows.length;
  // one pass for means, then one for item variances and item–total covariances: O(k·n)
  const mean = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    const c = src[j];
    let m = 0;
    for (let r = 0; r < n; r++) m += c[rows[r]];
    mean[j] = n ? m / n : NaN;
  }
  let meanTotal = 0;
  for (let j = 0; j < k; j++) meanTotal += mean[j];
  const total = new Float64Array(n);
  for (let j = 0; j < k; j++) {
    const c = src[j];
    for (let r = 0; r < n; r++) total[r] += c[rows[r]];
  }
  let varTotal = 0;
  for (let r = 0; r < n; r++) varTotal += (total[r] - meanTotal) * (total[r] - meanTotal);
  varTotal /= n - 1;
  const v = new Float64Array(k);
  const covT = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    const c = src[j];
    let sv = 0;
    let sc = 0;
    for (let r = 0; r < n; r++) {
      const d = c[rows[r]] - mean[j];
      sv += d * d;
      sc += d * (total[r] - meanTotal);
    }
    v[j] = sv / (n - 1);
    covT[j] = sc / (n - 1);
  }
  let sumVar = 0;
  for (let j = 0; j < k; j++) sumVar += v[j];
  const alpha = alphaFrom(k, sumVar, varTotal, n);
  const items = names.map((item, j) => {
    // rest = total − item: var(rest) = var(total) + v_j − 2·cov(item, total); cov(item, rest) = cov(item, total) − v_j
    const varRest = varTotal + v[j] - 2 * covT[j];
    const covRest = covT[j] - v[j];
    const corr = (c: number, a: number, b: number) => (a > 0 && b > 0 ? c / Math.sqrt(a * b) : NaN);
    return {
      item,
      itemTotal: corr(covT[j], v[j], varTotal),
      correctedItemTotal: corr(covRest, v[j], varRest),
      alphaIfDeleted: alphaFrom(k - 1, sumVar - v[j], varRest, n),
    };
  });
  return { alpha, k, n, items };
}

function alphaFrom(k: number, sumVar: number, varTotal: number, n: number): number {
  if (k < 2 || n < 2) return NaN;
  return varTotal > 1e-12 * Math.max(1, sumVar) ? (k / (k - 1)) * (1 - sumVar / varTotal) : NaN;
}
