/**
 * Change over time across editions (METHODS §4.6): rank and score changes between two editions with the
 * largest rank gains ("leapfroggers"), σ-convergence (CV and sd of logs per period, ddof stated) and
 * absolute β-convergence by OLS (Barro & Sala-i-Martin 1992, JPE 100:223–251) with standard errors,
 * t, R², speed λ = −ln(1 + βT)/T and half-life ln 2/λ. Validated on PySAL's Mexico panel against numpy
 * (tests/golden/pysal-inequality.test.ts).
 */
import { CityIndexError } from '../core/errors.ts';
import { spearman } from '../stats/descriptive.ts';
import { unitName } from './groups.ts';

type Num = ArrayLike<number>;

// ---------------------------------------------------------------- panel and σ-convergence

/** A balanced panel: `values[t][i]` is unit `codes[i]` in period `periods[t]` (oldest first). */
export interface Panel {
  codes: readonly string[];
  periods: readonly string[];
  values: readonly Num[];
}

export interface SigmaConvergenceOptions {
  /** Population sd (ddof 0, default — as METHODS §4.6 targets and numpy) or sample sd (ddof 1). */
  population?: boolean;
  /** Missing values: `error` (default) or `dropUnit` (keep units observed in every period; the dropped are listed). */
  missing?: 'error' | 'dropUnit';
}

export interface SigmaPeriod {
  period: string;
  n: number;
  mean: number;
  sd: number;
  /** sd/mean. */
  cv: number;
  /** sd of ln y; null when some value is ≤ 0 (see `warnings`). */
  sdLog: number | null;
}

export interface SigmaConvergenceResult {
  /** Degrees of freedom used in the sd: 0 (population) or 1 (sample). */
  ddof: 0 | 1;
  periods: SigmaPeriod[];
  /** Last minus first period CV. */
  cvChange: number;
  /** Last minus first period sd(ln y); null if either is null. */
  sdLogChange: number | null;
  /** True when dispersion fell: CV_last < CV_first. */
  converging: boolean;
  /** Units left out because of missing values (`missing: 'dropUnit'`). */
  droppedUnits: string[];
  warnings: string[];
}

/**
 * σ-convergence: the cross-unit dispersion per period, as CV and sd(ln y).
 * Reference: Barro & Sala-i-Martin (1992); Mexico targets in METHODS §4.6 (CV 1940 = 0.708521, sd ln y = 0.620082).
 * @example
 * sigmaConvergence({ codes: ['a', 'b'], periods: ['2019', '2020'], values: [[1, 3], [2, 3]] }).periods.map((p) => p.cv)
 * // => [0.5, 0.2] (sd 1 / mean 2, sd 0.5 / mean 2.5)
 */
export function sigmaConvergence(panel: Panel, options: SigmaConvergenceOptions = {}): SigmaConvergenceResult {
  const { population = true, missing = 'error' } = options;
  const { codes, periods, values } = panel;
  const m = codes.length;
  if (periods.length === 0 || periods.length !== values.length) {
    throw new CityIndexError({
      code: 'E_SHAPE',
      message: `panel has ${periods.length} periods and ${values.length} value columns`,
      expected: 'one value array per period, at least one period',
    });
  }
  const keep: number[] = [];
  const droppedUnits: string[] = [];
  values.forEach((col, t) => {
    if (col.length !== m)
      throw new CityIndexError({
        code: 'E_SHAPE',
        message: `period ${periods[t]} has ${col.length} values for ${m} units`,
        field: periods[t],
      });
  });
  for (let i = 0; i < m; i++) {
    const t = values.findIndex((col) => !Number.isFinite(col[i]));
    if (t < 0) {
      keep.push(i);
      continue;
    }
    if (missing === 'error') {
      throw new CityIndexError({
        code: 'E_MISSING',
        message: `unit ${unitName(i, codes)} has no value in period ${periods[t]}`,
        unit: codes[i],
        field: periods[t],
        expected: "a balanced panel (or missing: 'dropUnit')",
      });
    }
    droppedUnits.push(codes[i]);
  }
  const ddof = population ? 0 : 1;
  if (keep.length - ddof < 1)
    throw new CityIndexError({
      code: 'E_TOO_FEW',
      message: `sigmaConvergence needs at least ${ddof + 1} complete units, found ${keep.length}`,
    });
  const warnings: string[] = [];
  const out: SigmaPeriod[] = values.map((col, t) => {
    let s = 0;
    for (const i of keep) s += col[i];
    const mean = s / keep.length;
    let ss = 0,
      sl = 0,
      nonPositive = -1;
    for (const i of keep) {
      ss += (col[i] - mean) ** 2;
      if (col[i] > 0) sl += Math.log(col[i]);
      else if (nonPositive < 0) nonPositive = i;
    }
    const sd = Math.sqrt(ss / (keep.length - ddof));
    let sdLog: number | null = null;
    if (nonPositive >= 0) {
      warnings.push(
        `period ${periods[t]}: sd(ln y) not computed, ` +
          `unit ${unitName(nonPositive, codes)} has a value ≤ 0 (${col[nonPositive]})`,
      );
    } else {
      const ml = sl / keep.length;
      let ssl = 0;
      for (const i of keep) ssl += (Math.log(col[i]) - ml) ** 2;
      sdLog = Math.sqrt(ssl / (keep.length - ddof));
    }
    if (!(mean > 0))
      throw new CityIndexError({
        code: 'E_MEAN_NONPOSITIVE',
        message: `period ${periods[t]}: mean is ${mean}, CV is undefined`,
        field: periods[t],
        expected: 'a positive mean',
      });
    return { period: periods[t], n: keep.length, mean, sd, cv: sd / mean, sdLog };
  });
  const first = out[0],
    last = out[out.length - 1];
  return {
    ddof,
    periods: out,
    cvChange: last.cv - first.cv,
    sdLogChange: first.sdLog === null || last.sdLog === null ? null : last.sdLog - first.sdLog,
    converging: last.cv < first.cv,
    droppedUnits,
    warnings,
  };
}

// ---------------------------------------------------------------- β-convergence

export interface BetaConvergenceOptions {
  codes?: readonly string[];
  /** Significance level for `significant` (default 0.05, two-sided). */
  alpha?: number;
  /**
   * Upper bound of a bounded score (e.g. 1 or 100): warn when units sit within 5 % of the range below it (ceiling
   * effect).
   */
  upperBound?: number;
}

export interface BetaConvergenceResult {
  n: number;
  /** Years (or periods) between the two observations. */
  T: number;
  /** Intercept α of (1/T) ln(y_T/y_0) = α + β ln y_0 + ε. */
  alpha: number;
  beta: number;
  seAlpha: number;
  seBeta: number;
  tAlpha: number;
  tBeta: number;
  /** Two-sided p-value of β (Student t, n − 2 df). */
  pBeta: number;
  /** Residual degrees of freedom n − 2. */
  df: number;
  r2: number;
  /** Residual standard error √(SSE/(n − 2)). */
  residualSe: number;
  /** β < 0: poorer units grew faster. */
  converging: boolean;
  /** β < 0 and p < alpha. */
  significant: boolean;
  /** Speed λ = −ln(1 + βT)/T; null when 1 + βT ≤ 0 (see warnings). */
  lambda: number | null;
  /** ln 2/λ in the units of T; null unless λ > 0. */
  halfLife: number | null;
  /** Growth rate (1/T) ln(y_T/y_0) per unit, input order. */
  growth: Float64Array;
  warnings: string[];
}

/**
 * Absolute β-convergence: OLS of average log growth on initial log level (Barro & Sala-i-Martin 1992).
 * Standard errors are the classical OLS ones (as numpy lstsq with s² = SSE/(n − 2)).
 * @example betaConvergence([1, 2, 4], [4, 4, 4], 1).beta // => -1 (growth ln4, ln2, 0 against ln1, ln2, ln4)
 */
export function betaConvergence(
  y0: Num,
  yT: Num,
  T: number,
  options: BetaConvergenceOptions = {},
): BetaConvergenceResult {
  const { codes, alpha: level = 0.05, upperBound } = options;
  const n = y0.length;
  if (yT.length !== n)
    throw new CityIndexError({
      code: 'E_SHAPE',
      message: `betaConvergence: ${n} initial values but ${yT.length} final values`,
    });
  if (codes && codes.length !== n)
    throw new CityIndexError({
      code: 'E_SHAPE',
      message: `betaConvergence: ${codes.length} codes for ${n} values`,
      field: 'codes',
    });
  if (!(T > 0) || !Number.isFinite(T))
    throw new CityIndexError({
      code: 'E_OPTION',
      message: `betaConvergence: T must be a positive number of periods, got ${T}`,
      field: 'T',
    });
  if (n < 3)
    throw new CityIndexError({ code: 'E_TOO_FEW', message: `betaConvergence needs at least 3 units, got ${n}` });
  const x = new Float64Array(n);
  const g = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (const [v, when] of [
      [y0[i], 'initial'],
      [yT[i], 'final'],
    ] as const) {
      if (!Number.isFinite(v) || v <= 0) {
        throw new CityIndexError({
          code: 'E_NONPOSITIVE',
          message: `betaConvergence: ${when} value of unit ${unitName(i, codes)} is ${String(v)}`,
          unit: codes?.[i],
          expected: 'a positive finite value (logs are taken)',
        });
      }
    }
    x[i] = Math.log(y0[i]);
    g[i] = Math.log(yT[i] / y0[i]) / T;
  }
  let mx = 0,
    mg = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i];
    mg += g[i];
  }
  mx /= n;
  mg /= n;
  let sxx = 0,
    sxg = 0,
    sgg = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i] - mx,
      dg = g[i] - mg;
    sxx += dx * dx;
    sxg += dx * dg;
    sgg += dg * dg;
  }
  if (!(sxx > 0))
    throw new CityIndexError({
      code: 'E_NO_VARIATION',
      message: 'betaConvergence: all initial values are equal, β is undefined',
    });
  const beta = sxg / sxx;
  const alpha = mg - beta * mx;
  let sse = 0;
  for (let i = 0; i < n; i++) {
    const e = g[i] - alpha - beta * x[i];
    sse += e * e;
  }
  const df = n - 2;
  const s2 = sse / df;
  const seBeta = Math.sqrt(s2 / sxx);
  const seAlpha = Math.sqrt(s2 * (1 / n + (mx * mx) / sxx));
  const tBeta = beta / seBeta;
  const pBeta = seBeta > 0 ? studentTwoSided(tBeta, df) : 0;
  const r2 = sgg > 0 ? 1 - sse / sgg : 1;
  const warnings: string[] = [];
  let lambda: number | null = null;
  if (1 + beta * T > 0) lambda = -Math.log(1 + beta * T) / T;
  else
    warnings.push(
      `1 + βT = ${1 + beta * T} ≤ 0: the implied speed λ is undefined (over-convergence or a too long horizon)`,
    );
  const halfLife = lambda !== null && lambda > 0 ? Math.LN2 / lambda : null;
  if (upperBound !== undefined) {
    let lo = Infinity;
    for (let i = 0; i < n; i++) lo = Math.min(lo, y0[i], yT[i]);
    const near = upperBound - 0.05 * (upperBound - lo);
    let count = 0;
    for (let i = 0; i < n; i++) if (y0[i] >= near || yT[i] >= near) count++;
    if (count > 0)
      warnings.push(
        `${count} of ${n} units are within 5 % of the upper bound ${upperBound}: ` +
          'a ceiling effect can look like convergence',
      );
  }
  return {
    n,
    T,
    alpha,
    beta,
    seAlpha,
    seBeta,
    tAlpha: alpha / seAlpha,
    tBeta,
    pBeta,
    df,
    r2,
    residualSe: Math.sqrt(s2),
    converging: beta < 0,
    significant: beta < 0 && pBeta < level,
    lambda,
    halfLife,
    growth: g,
    warnings,
  };
}

// ---------------------------------------------------------------- rank and score changes

export interface RankChangeOptions {
  /** How many leapfroggers/fallers to list (default 5; ties with the last listed are included). */
  top?: number;
}

export interface RankChange {
  code: string;
  rankA: number;
  rankB: number;
  /** rankA − rankB: positive = moved up (rank 1 is best). */
  gain: number;
}

export interface RankChangesResult {
  /** Units ranked in both editions, input order. */
  units: RankChange[];
  /** Largest rank gains, best first (gain > 0). */
  leapfroggers: RankChange[];
  /** Largest rank losses, worst first (gain < 0). */
  fallers: RankChange[];
  /** Units ranked only in edition B (new entries) or only in A (left). */
  entered: string[];
  left: string[];
  nUp: number;
  nDown: number;
  nSame: number;
  meanAbsoluteChange: number;
  /** Spearman correlation of the two rankings (units in both). */
  spearman: number;
}

/**
 * Rank changes between two editions and the leapfroggers (largest rank gains). Ranks: 1 = best; NaN or
 * null = not ranked in that edition (listed under `entered`/`left`, never dropped silently).
 * @example rankChanges(['武汉', '郑州', '北京'], [10, 12, 3], [5, 7, 3]).leapfroggers.map((u) => u.code) // => ['武汉', '郑州']
 */
export function rankChanges(
  codes: readonly string[],
  ranksA: ArrayLike<number | null>,
  ranksB: ArrayLike<number | null>,
  options: RankChangeOptions = {},
): RankChangesResult {
  const { top = 5 } = options;
  const m = codes.length;
  if (ranksA.length !== m || ranksB.length !== m) {
    throw new CityIndexError({
      code: 'E_SHAPE',
      message: `rankChanges: ${m} codes, ${ranksA.length} ranks in A, ${ranksB.length} ranks in B`,
    });
  }
  if (!Number.isInteger(top) || top < 0)
    throw new CityIndexError({
      code: 'E_OPTION',
      message: `rankChanges: top must be an integer ≥ 0, got ${top}`,
      field: 'top',
    });
  const units: RankChange[] = [];
  const entered: string[] = [],
    left: string[] = [];
  const isRank = (v: number | null) => v !== null && Number.isFinite(v);
  for (let i = 0; i < m; i++) {
    const a = ranksA[i],
      b = ranksB[i];
    for (const [v, ed] of [
      [a, 'A'],
      [b, 'B'],
    ] as const) {
      if (isRank(v) && (v as number) < 1)
        throw new CityIndexError({
          code: 'E_RANK',
          message: `rankChanges: rank of unit ${unitName(i, codes)} in edition ${ed} is ${v}`,
          unit: codes[i],
          expected: 'ranks ≥ 1 (1 = best)',
        });
    }
    if (isRank(a) && isRank(b))
      units.push({ code: codes[i], rankA: a as number, rankB: b as number, gain: (a as number) - (b as number) });
    else if (isRank(b)) entered.push(codes[i]);
    else if (isRank(a)) left.push(codes[i]);
  }
  const pickTop = (list: RankChange[]) => {
    if (list.length <= top) return list;
    const cut = list[top - 1]?.gain;
    return top === 0 ? [] : list.filter((u, k) => k < top || u.gain === cut);
  };
  const ups = units.filter((u) => u.gain > 0).sort((p, q) => q.gain - p.gain || p.rankB - q.rankB);
  const downs = units.filter((u) => u.gain < 0).sort((p, q) => p.gain - q.gain || p.rankB - q.rankB);
  let abs = 0;
  for (const u of units) abs += Math.abs(u.gain);
  return {
    units,
    leapfroggers: pickTop(ups),
    fallers: pickTop(downs),
    entered,
    left,
    nUp: ups.length,
    nDown: downs.length,
    nSame: units.length - ups.length - downs.length,
    meanAbsoluteChange: units.length ? abs / units.length : 0,
    spearman:
      units.length >= 2
        ? spearman(
            units.map((u) => u.rankA),
            units.map((u) => u.rankB),
          )
        : NaN,
  };
}

export interface ScoreChange {
  code: string;
  scoreA: number;
  scoreB: number;
  /** scoreB − scoreA. */
  change: number;
  /** change/scoreA; null when scoreA = 0. */
  relativeChange: number | null;
}

export interface ScoreChangesResult {
  units: ScoreChange[];
  /** Units with a score in only one edition. */
  incomplete: string[];
  /** Mean change over units in both editions (= mean(B) − mean(A) over them). */
  meanChange: number;
  /** Largest score gains, best first (`top` of them). */
  largestGains: ScoreChange[];
}

/**
 * Score changes between two editions (same scale assumed — rescaled indices are not comparable across
 * editions unless the normalisation is fixed, e.g. goalposts).
 * @example scoreChanges(['a', 'b'], [50, 40], [55, 38]).units.map((u) => u.change) // => [5, -2]
 */
export function scoreChanges(
  codes: readonly string[],
  scoresA: Num,
  scoresB: Num,
  options: { top?: number } = {},
): ScoreChangesResult {
  const { top = 5 } = options;
  const m = codes.length;
  if (scoresA.length !== m || scoresB.length !== m) {
    throw new CityIndexError({
      code: 'E_SHAPE',
      message: `scoreChanges: ${m} codes, ${scoresA.length} scores in A, ${scoresB.length} scores in B`,
    });
  }
  const units: ScoreChange[] = [];
  const incomplete: string[] = [];
  let sum = 0;
  for (let i = 0; i < m; i++) {
    const a = scoresA[i],
      b = scoresB[i];
    if (!Number.isFinite(a) || !Number.isFinite(b)) {
      incomplete.push(codes[i]);
      continue;
    }
    units.push({
      code: codes[i],
      scoreA: a,
      scoreB: b,
      change: b - a,
      relativeChange: a !== 0 ? (b - a) / Math.abs(a) : null,
    });
    sum += b - a;
  }
  const largestGains = [...units].sort((p, q) => q.change - p.change).slice(0, top);
  return { units, incomplete, meanChange: units.length ? sum / units.length : 0, largestGains };
}

// ---------------------------------------------------------------- Student t tail (private)

/** Two-sided p-value P(|T_df| ≥ |t|) = I_{df/(df+t²)}(df/2, 1/2). */
function studentTwoSided(t: number, df: number): number {
  if (!Number.isFinite(t)) return 0;
  return regularizedBeta(df / (df + t * t), df / 2, 0.5);
}

/** Lanczos log-gamma (g = 7, n = 9), ~1e-15 relative. */
function logGamma(z: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (z < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * z))) - logGamma(1 - z);
  z -= 1;
  let a = c[0];
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Regularised incomplete beta I_x(a, b) by Lentz's continued fraction (Numerical Recipes §6.4). */
function regularizedBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const lbt = logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x);
  if (x < (a + 1) / (a + b + 2)) return (Math.exp(lbt) * betaCf(x, a, b)) / a;
  return 1 - (Math.exp(lbt) * betaCf(1 - x, b, a)) / b;
}

function betaCf(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-16) break;
  }
  return h;
}
