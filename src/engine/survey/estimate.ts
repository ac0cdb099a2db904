/**
 * City estimates from weighted responses: weighted means and proportions with confidence intervals
 * whose variance uses Kish's design effect from the weights (var ≈ deff·s²/n = s²/n_eff; Kish 1965,
 * 1992 J. Off. Stat. 8:183–200), Wilson intervals for proportions on the effective n (Korn & Graubard
 * 1998 use the same n_eff idea), and a flag for cities under a minimum sample. The result is an
 * indicator `Dataset` (units = adcodes) with its intervals as same-shaped datasets.
 */
import { createDataset, type Dataset } from '../core/dataset.ts';
import { CityIndexError } from '../core/errors.ts';
import type { LocalText } from '../core/framework.ts';
import { respondentScores, scoreItems } from './scoring.ts';
import type { EstimationConfig, ResponseTable, ScoringRule, SurveyIndicator } from './types.ts';

/**
 * Standard normal quantile (P. J. Acklam's rational approximation, relative error < 1.15e-9).
 * @example normalQuantile(0.975) // => 1.95996398…
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) {
    if (p === 0) return -Infinity;
    if (p === 1) return Infinity;
    return NaN;
  }
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239,
  ];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const pl = 0.02425;
  let x: number;
  if (p < pl) {
    const q = Math.sqrt(-2 * Math.log(p));
    x =
      (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
      ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else if (p <= 1 - pl) {
    const q = p - 0.5;
    const r = q * q;
    x =
      ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) /
      (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return (
      -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
      ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
    );
  }
  return x;
}

export interface WeightedEstimate {
  estimate: number;
  se: number;
  lower: number;
  upper: number;
  /** Respondents with a value. */
  n: number;
  /** Kish effective sample size of those respondents. */
  nEff: number;
  /** Design effect from weighting, n / nEff. */
  deff: number;
}

/**
 * Weighted mean with a normal interval: ȳ = Σwy/Σw, s² = Σw(y−ȳ)²/Σw · n/(n−1), se = s/√n_eff.
 * NaN values and zero weights are skipped.
 * @example weightedMean([1, 2, 3], [1, 1, 2]).estimate // => 2.25
 */
export function weightedMean(y: ArrayLike<number>, w: ArrayLike<number>, confidence = 0.95): WeightedEstimate {
  const z = normalQuantile(1 - (1 - confidence) / 2);
  let n = 0,
    sw = 0,
    sw2 = 0,
    swy = 0;
  for (let i = 0; i < y.length; i++) {
    const v = y[i];
    const wi = w[i];
    if (Number.isNaN(v) || !(wi > 0)) continue;
    n++;
    sw += wi;
    sw2 += wi * wi;
    swy += wi * v;
  }
  if (n === 0) return { estimate: NaN, se: NaN, lower: NaN, upper: NaN, n: 0, nEff: 0, deff: NaN };
  const m = swy / sw;
  let ss = 0;
  for (let i = 0; i < y.length; i++) {
    const v = y[i];
    const wi = w[i];
    if (Number.isNaN(v) || !(wi > 0)) continue;
    ss += wi * (v - m) * (v - m);
  }
  const nEff = (sw * sw) / sw2;
  const s2 = n > 1 ? (ss / sw) * (n / (n - 1)) : NaN;
  const se = Math.sqrt(s2 / nEff);
  return { estimate: m, se, lower: m - z * se, upper: m + z * se, n, nEff, deff: n / nEff };
}

/**
 * Weighted proportion of 1s among 0/1 values, with a Wilson (default) or Wald interval on the effective n.
 * Wilson: centre (p + z²/2m)/(1 + z²/m), half-width z/(1 + z²/m)·√(p(1−p)/m + z²/4m²), m = n_eff.
 * @example weightedProportion([1, 0, 1, 1], [1, 1, 1, 1]).estimate // => 0.75
 */
export function weightedProportion(
  y: ArrayLike<number>,
  w: ArrayLike<number>,
  options: { confidence?: number; interval?: 'wilson' | 'wald' } = {},
): WeightedEstimate {
  const z = normalQuantile(1 - (1 - (options.confidence ?? 0.95)) / 2);
  let n = 0,
    sw = 0,
    sw2 = 0,
    swy = 0;
  for (let i = 0; i < y.length; i++) {
    const v = y[i];
    const wi = w[i];
    if (Number.isNaN(v) || !(wi > 0)) continue;
    n++;
    sw += wi;
    sw2 += wi * wi;
    swy += wi * (v > 0 ? 1 : 0);
  }
  if (n === 0) return { estimate: NaN, se: NaN, lower: NaN, upper: NaN, n: 0, nEff: 0, deff: NaN };
  const p = swy / sw;
  const m = (sw * sw) / sw2;
  const se = Math.sqrt((p * (1 - p)) / m);
  const interval = options.interval ?? 'wilson';
  switch (interval) {
    case 'wald':
      return {
        estimate: p,
        se,
        lower: Math.max(0, p - z * se),
        upper: Math.min(1, p + z * se),
        n,
        nEff: m,
        deff: n / m,
      };
    case 'wilson': {
      const z2 = z * z;
      const den = 1 + z2 / m;
      const centre = (p + z2 / (2 * m)) / den;
      const half = (z / den) * Math.sqrt((p * (1 - p)) / m + z2 / (4 * m * m));
      return {
        estimate: p,
        se,
        lower: Math.max(0, centre - half),
        upper: Math.min(1, centre + half),
        n,
        nEff: m,
        deff: n / m,
      };
    }
    default:
      throw new CityIndexError({
        code: 'E_METHOD',
        message: `unknown proportion interval "${String(interval)}"`,
        field: 'estimation.proportionInterval',
        expected: 'wilson or wald',
      });
  }
}

export interface SurveyFlag {
  city: string;
  code: 'W_MIN_SAMPLE' | 'W_NO_RESPONSES';
  n: number;
  minSample: number;
  message: string;
}

export interface SurveyEstimates {
  /** Indicator values per city (units = adcodes in the order asked): mean scores 0–100, proportions in %. */
  dataset: Dataset;
  /** Interval bounds and standard errors in the same shape and units. */
  lower: Dataset;
  upper: Dataset;
  se: Dataset;
  /** Respondents with a value and their Kish effective number, per city × indicator. */
  n: Dataset;
  nEff: Dataset;
  confidence: number;
  indicators: Array<{ code: string; name?: LocalText; unit: 'score (0-100)' | '%'; items: string[] }>;
  /** Cities under the minimum sample (or with none). */
  flags: SurveyFlag[];
}

export interface EstimateInput {
  table: ResponseTable;
  keep: Uint8Array;
  weights: Float64Array;
  scoring: ScoringRule;
  indicators: readonly SurveyIndicator[];
  estimation?: EstimationConfig;
  /** Rows of the result, in order (the surveyed cities' adcodes). */
  cities: readonly string[];
  /** Item scores already computed with `scoreItems` (saves a pass). */
  itemScores?: Record<string, Float64Array>;
}

/**
 * Per-city weighted estimates of every survey indicator.
 * @example
 * import { tableOf } from './test-helpers.ts';
 * // four respondents in 110100 answer q on a 1–5 scale: scores 100, 75, 25, 0
 * const table = tableOf([{ items: { q: 5 } }, { items: { q: 4 } }, { items: { q: 2 } }, { items: { q: 1 } }]);
 * const est = estimateByCity({ table, keep: new Uint8Array(4).fill(1), weights: new Float64Array(4).fill(1),
 *   scoring: { scale: { min: 1, max: 5 } }, indicators: [{ code: 'SAT', items: ['q'] }], cities: ['110100'] });
 * est.dataset // => { unitCodes: ['110100'], codes: ['SAT'], values: Float64Array [50] }
 * est.flags[0].code // => 'W_MIN_SAMPLE' (4 responses, under the default minimum of 100)
 */
export function estimateByCity(input: EstimateInput): SurveyEstimates {
  const { table, keep, weights, indicators, cities } = input;
  const est = input.estimation ?? {};
  const confidence = est.confidence ?? 0.95;
  if (!(confidence > 0 && confidence < 1))
    throw new CityIndexError({
      code: 'E_CONFIDENCE',
      message: `confidence ${confidence} is not between 0 and 1`,
      field: 'estimation.confidence',
      expected: 'e.g. 0.95',
    });
  const minSample = est.minSample ?? 100;
  const allItems = [...new Set(indicators.flatMap((d) => d.items))];
  const itemScores = input.itemScores ?? scoreItems(table, allItems, input.scoring);
  const rowsOf = new Map<string, number[]>(cities.map((c) => [c, []]));
  for (let i = 0; i < table.n; i++) {
    const c = table.city[i];
    if (keep[i] && c !== null) rowsOf.get(c)?.push(i);
  }
  const nu = cities.length;
  const k = indicators.length;
  const mk = () => new Float64Array(nu * k).fill(NaN);
  const val = mk(),
    lo = mk(),
    hi = mk(),
    se = mk(),
    nn = mk(),
    ne = mk();
  const flags: SurveyFlag[] = [];
  cities.forEach((c) => {
    const m = rowsOf.get(c)!.length;
    if (m === 0)
      flags.push({ city: c, code: 'W_NO_RESPONSES', n: 0, minSample, message: `city ${c} has no valid responses` });
    else if (m < minSample)
      flags.push({
        city: c,
        code: 'W_MIN_SAMPLE',
        n: m,
        minSample,
        message: `city ${c} has ${m} valid responses, under the minimum of ${minSample}`,
      });
  });
  const flagged = new Set(flags.map((f) => f.city));
  indicators.forEach((ind, j) => {
    const scores = respondentScores(itemScores, ind, table.n);
    const stat = ind.statistic ?? { type: 'mean' as const };
    cities.forEach((c, u) => {
      const rows = rowsOf.get(c)!;
      if (rows.length === 0) return;
      const y = new Float64Array(rows.length);
      const w = new Float64Array(rows.length);
      for (let r = 0; r < rows.length; r++) {
        y[r] = scores[rows[r]];
        w[r] = weights[rows[r]];
      }
      const e =
        stat.type === 'proportion'
          ? scaleEstimate(weightedProportion(y, w, { confidence, interval: est.proportionInterval }), 100)
          : weightedMean(y, w, confidence);
      const at = j * nu + u;
      nn[at] = e.n;
      ne[at] = e.nEff;
      if (flagged.has(c) && est.belowMinimum === 'missing') return;
      val[at] = e.estimate;
      lo[at] = e.lower;
      hi[at] = e.upper;
      se[at] = e.se;
    });
  });
  const codes = indicators.map((d) => d.code);
  return {
    dataset: createDataset(cities, codes, val),
    lower: createDataset(cities, codes, lo),
    upper: createDataset(cities, codes, hi),
    se: createDataset(cities, codes, se),
    n: createDataset(cities, codes, nn),
    nEff: createDataset(cities, codes, ne),
    confidence,
    indicators: indicators.map((d) => ({
      code: d.code,
      name: d.name,
      unit: d.statistic?.type === 'proportion' ? '%' : 'score (0-100)',
      items: [...d.items],
    })),
    flags,
  };
}

function scaleEstimate(e: WeightedEstimate, f: number): WeightedEstimate {
  return { ...e, estimate: e.estimate * f, se: e.se * f, lower: e.lower * f, upper: e.upper * f };
}

/**
 * The estimates on a project's unit list (e.g. all 100 cities of a build): surveyed cities keep their
 * values and intervals, the others get NaN (missing, so the build's imputation/screening rules apply).
 * @example
 * import { tableOf } from './test-helpers.ts';
 * // four respondents in 110100 answer q on a 1–5 scale: scores 100, 75, 25, 0
 * const table = tableOf([{ items: { q: 5 } }, { items: { q: 4 } }, { items: { q: 2 } }, { items: { q: 1 } }]);
 * const est = estimateByCity({ table, keep: new Uint8Array(4).fill(1), weights: new Float64Array(4).fill(1),
 *   scoring: { scale: { min: 1, max: 5 } }, indicators: [{ code: 'SAT', items: ['q'] }], cities: ['110100'] });
 * alignEstimates(est, ['110100', '999999']).dataset.values // => Float64Array [50, NaN]
 */
export function alignEstimates(est: SurveyEstimates, unitCodes: readonly string[]): SurveyEstimates {
  const rowOf = new Map(est.dataset.unitCodes.map((u, i) => [u, i] as const));
  const nOld = est.dataset.unitCodes.length;
  const nNew = unitCodes.length;
  const k = est.dataset.codes.length;
  const align = (ds: Dataset): Dataset => {
    const out = new Float64Array(nNew * k).fill(NaN);
    for (let u = 0; u < nNew; u++) {
      const r = rowOf.get(unitCodes[u]);
      if (r === undefined) continue;
      for (let j = 0; j < k; j++) out[j * nNew + u] = ds.values[j * nOld + r];
    }
    return createDataset(unitCodes, ds.codes, out);
  };
  return {
    ...est,
    dataset: align(est.dataset),
    lower: align(est.lower),
    upper: align(est.upper),
    se: align(est.se),
    n: align(est.n),
    nEff: align(est.nEff),
  };
}
