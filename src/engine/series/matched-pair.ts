/**
 * Matched-pair (repeat-sales style) price index from transaction pairs: the same or a similar dwelling
 * priced in two periods (METHODS.md §6, "类似房屋重复交易法").
 *
 * chainedJevons — pairs span adjacent periods (t−1, t); each link is the weighted geometric mean of the
 *   price relatives (Jevons):  L_t = exp( Σ_k w_k ln(p1_k / p0_k) / Σ_k w_k ),  I_0 = B,  I_t = I_{t−1} · L_t.
 * repeatSales — Bailey, Muth & Nourse (1963, JASA 58:933–942): weighted least squares of
 *   ln(p1_k / p0_k) = β_{s1(k)} − β_{s0(k)} + ε_k with β_0 = 0;  I_t = B · exp(β_t). Pairs may span any
 *   number of periods. With adjacent pairs only it equals chainedJevons exactly (each pair then
 *   informs one difference β_t − β_{t−1}, whose least-squares estimate is the mean log relative).
 */
import { CityIndexError, type Issue } from '../core/errors.ts';
import { formatPeriod, parsePeriod, type Frequency } from './period.ts';
import { fromValues, type Series } from './series.ts';

/** One matched pair of prices (e.g. yuan/m² of the same or a similar dwelling). */
export interface PricePair {
  period0: string;
  period1: string;
  price0: number;
  price1: number;
  /** Weight of the pair (default 1), e.g. floor area. */
  weight?: number;
}

export type MatchedPairMethod = { method: 'chainedJevons' } | { method: 'repeatSales' };

export interface MatchedPairOptions {
  /** Default `{ method: 'chainedJevons' }`. */
  method?: MatchedPairMethod;
  /** Index value in the first period (default 100). */
  baseValue?: number;
  /** Code of the resulting series (default `matched-pair`). */
  code?: string;
}

export interface MatchedPairResult {
  series: Series;
  /** Pairs whose second price falls in each period (for chainedJevons: the pairs of link t−1 → t). */
  pairCount: Int32Array;
}

interface ParsedPairs {
  frequency: Frequency;
  start: number;
  n: number;
  s0: Int32Array;
  s1: Int32Array;
  y: Float64Array;
  w: Float64Array;
}

function parsePairs(pairs: readonly PricePair[]): ParsedPairs {
  if (pairs.length === 0) throw new CityIndexError({ code: 'E_EMPTY', message: 'no transaction pairs' });
  const issues: Issue[] = [];
  const k = pairs.length;
  const o0 = new Int32Array(k);
  const o1 = new Int32Array(k);
  const y = new Float64Array(k);
  const w = new Float64Array(k);
  let frequency: Frequency | undefined;
  let start = Infinity;
  let end = -Infinity;
  pairs.forEach((p, i) => {
    const row = i + 1;
    const a = parsePeriod(p.period0);
    const b = parsePeriod(p.period1);
    frequency ??= a.frequency;
    if (a.frequency !== frequency || b.frequency !== frequency)
      issues.push({ code: 'E_MIXED_FREQUENCY', message: 'pairs mix frequencies', row, field: 'period1' });
    if (b.ordinal <= a.ordinal)
      issues.push({
        code: 'E_PAIR_ORDER',
        message: `second period ${p.period1} is not after the first ${p.period0}`,
        row,
        field: 'period1',
      });
    if (!(p.price0 > 0) || !(p.price1 > 0))
      issues.push({
        code: 'E_PRICE',
        message: 'prices must be positive numbers',
        row,
        field: p.price0 > 0 ? 'price1' : 'price0',
        expected: 'a price > 0',
      });
    const wt = p.weight ?? 1;
    if (!(wt >= 0) || !Number.isFinite(wt))
      issues.push({ code: 'E_WEIGHT', message: 'pair weight must be a finite number ≥ 0', row, field: 'weight' });
    o0[i] = a.ordinal;
    o1[i] = b.ordinal;
    y[i] = Math.log(p.price1 / p.price0);
    w[i] = wt;
    start = Math.min(start, a.ordinal);
    end = Math.max(end, b.ordinal);
  });
  if (issues.length) throw new CityIndexError(issues.slice(0, 50));
  const s0 = new Int32Array(k);
  const s1 = new Int32Array(k);
  for (let i = 0; i < k; i++) {
    s0[i] = o0[i] - start;
    s1[i] = o1[i] - start;
  }
  return { frequency: frequency!, start, n: end - start + 1, s0, s1, y, w };
}

/**
 * Monthly (or quarterly …) index from matched pairs: chained Jevons or Bailey–Muth–Nourse repeat sales.
 * @example matchedPairIndex([{ period0: '2023-01', period1: '2023-02', price0: 100, price1: 121 },
 *   { period0: '2023-01', period1: '2023-02', price0: 100, price1: 100 }]).series.values // => [100, 110]
 */
export function matchedPairIndex(pairs: readonly PricePair[], options: MatchedPairOptions = {}): MatchedPairResult {
  const method = options.method ?? { method: 'chainedJevons' };
  const baseValue = options.baseValue ?? 100;
  const p = parsePairs(pairs);
  const pairCount = new Int32Array(p.n);
  for (let i = 0; i < p.s1.length; i++) pairCount[p.s1[i]]++;
  let beta: Float64Array;
  switch (method.method) {
    case 'chainedJevons':
      beta = chainedJevonsLogs(p);
      break;
    case 'repeatSales':
      beta = repeatSalesLogs(p);
      break;
    default:
      throw new CityIndexError({
        code: 'E_METHOD',
        message: `unknown matched-pair method "${String((method as { method?: string }).method)}"`,
        field: 'method',
        expected: 'chainedJevons or repeatSales',
      });
  }
  const values = new Float64Array(p.n);
  for (let t = 0; t < p.n; t++) values[t] = baseValue * Math.exp(beta[t]);
  const base = { period: formatPeriod({ frequency: p.frequency, ordinal: p.start }), value: baseValue };
  return {
    series: fromValues(values, p.frequency, p.start, { code: options.code ?? 'matched-pair', base }),
    pairCount,
  };
}

/** Cumulative log index by chained weighted mean log relatives; a link without pairs leaves NaN from there on. */
function chainedJevonsLogs(p: ParsedPairs): Float64Array {
  const sum = new Float64Array(p.n);
  const wsum = new Float64Array(p.n);
  for (let i = 0; i < p.y.length; i++) {
    if (p.s1[i] - p.s0[i] !== 1) {
      throw new CityIndexError({
        code: 'E_NOT_ADJACENT',
        message: 'chained Jevons needs pairs in adjacent periods; use method repeatSales for longer spans',
        row: i + 1,
        field: 'period1',
      });
    }
    sum[p.s1[i]] += p.w[i] * p.y[i];
    wsum[p.s1[i]] += p.w[i];
  }
  const beta = new Float64Array(p.n);
  for (let t = 1; t < p.n; t++) beta[t] = wsum[t] > 0 ? beta[t - 1] + sum[t] / wsum[t] : NaN;
  return beta;
}

/** Bailey–Muth–Nourse: solve the weighted normal equations (XᵀWX) β = XᵀWy for β_1 … β_{n−1} (β_0 = 0). */
function repeatSalesLogs(p: ParsedPairs): Float64Array {
  const m = p.n - 1;
  const a = new Float64Array(m * m);
  const b = new Float64Array(m);
  for (let i = 0; i < p.y.length; i++) {
    const j0 = p.s0[i] - 1; // −1 when the first sale is in the base period (β_0 = 0 is not estimated)
    const j1 = p.s1[i] - 1;
    const w = p.w[i];
    a[j1 * m + j1] += w;
    b[j1] += w * p.y[i];
    if (j0 >= 0) {
      a[j0 * m + j0] += w;
      a[j0 * m + j1] -= w;
      a[j1 * m + j0] -= w;
      b[j0] -= w * p.y[i];
    }
  }
  const x = solveSymmetric(a, b, m);
  const beta = new Float64Array(p.n);
  beta.set(x, 1);
  return beta;
}

/** Gaussian elimination with partial pivoting (small systems: one unknown per period). */
function solveSymmetric(a: Float64Array, b: Float64Array, m: number): Float64Array {
  let scale = 0;
  for (let i = 0; i < a.length; i++) scale = Math.max(scale, Math.abs(a[i]));
  for (let c = 0; c < m; c++) {
    let piv = c;
    for (let r = c + 1; r < m; r++) if (Math.abs(a[r * m + c]) > Math.abs(a[piv * m + c])) piv = r;
    if (Math.abs(a[piv * m + c]) <= 1e-12 * scale) {
      throw new CityIndexError({
        code: 'E_NOT_IDENTIFIED',
        message:
          `the repeat-sales index is not identified: period ${c + 1} after the first ` +
          'is not linked to the base by any chain of pairs',
        field: 'pairs',
      });
    }
    if (piv !== c) {
      for (let k = 0; k < m; k++) {
        const tmp = a[c * m + k];
        a[c * m + k] = a[piv * m + k];
        a[piv * m + k] = tmp;
      }
      const tb = b[c];
      b[c] = b[piv];
      b[piv] = tb;
    }
    for (let r = c + 1; r < m; r++) {
      const f = a[r * m + c] / a[c * m + c];
      if (f === 0) continue;
      for (let k = c; k < m; k++) a[r * m + k] -= f * a[c * m + k];
      b[r] -= f * b[c];
    }
  }
  const x = new Float64Array(m);
  for (let r = m - 1; r >= 0; r--) {
    let s = b[r];
    for (let k = r + 1; k < m; k++) s -= a[r * m + k] * x[k];
    x[r] = s / a[r * m + r];
  }
  return x;
}
