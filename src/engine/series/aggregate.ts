/**
 * National (or regional) index from city index series with weights (transaction volume, population).
 *
 * Let I_{i,t} be city i's index, w_{i,t} its weight (a constant, or a weight series), B the base value.
 * Sums run over the cities whose needed values are present; weights are renormalised over them
 * (the count is reported in `contributors`).
 *
 * fixedBase (fixed-weight, Laspeyres-type, as an index of city indices rebased to the base period b):
 *   arithmetic  I_t = B · Σ_i w_{i,b} (I_{i,t} / I_{i,b}) / Σ_i w_{i,b}
 *   geometric   I_t = B · exp( Σ_i w_{i,b} ln(I_{i,t} / I_{i,b}) / Σ_i w_{i,b} )
 * chained (weights updated every period; each link uses the price relatives r_{i,t} = I_{i,t} / I_{i,t−1}):
 *   arithmetic  L_t = Σ_i w_{i,τ} r_{i,t} / Σ_i w_{i,τ}
 *   geometric   L_t = exp( Σ_i w_{i,τ} ln r_{i,t} / Σ_i w_{i,τ} )
 *   I_{t0} = B,  I_t = I_{t−1} · L_t;  τ = t − 1 (`weightTiming: 'previous'`, default) or t ('current').
 * With constant weights and no missing values, geometric fixedBase and geometric chained agree exactly
 * (logs add up); arithmetic ones differ (chain drift), which is the point of choosing.
 * Weights are applied to price relatives as given: for value-share (expenditure) weights pass
 * volume × price as the weight series.
 */
import { CityIndexError, type Issue } from '../core/errors.ts';
import { formatPeriod, parsePeriod } from './period.ts';
import { fromValues, type Series } from './series.ts';

export type AggregationMean = 'arithmetic' | 'geometric';

export type SeriesAggregation =
  /** Fixed weights taken at the base period (default: the first period of the common grid). */
  | { method: 'fixedBase'; basePeriod?: string; mean?: AggregationMean }
  /** Weights updated each period; links chained from the first period. */
  | { method: 'chained'; mean?: AggregationMean; weightTiming?: 'previous' | 'current' };

export interface AggregateSeriesOptions {
  aggregation: SeriesAggregation;
  /** Weight per series code: a constant (population) or a series of weights by period (transaction volume). */
  weights: Readonly<Record<string, number | Series>>;
  /** Code of the result (default `national`). */
  code?: string;
  /** Value of the result in its first/base period (default 100). */
  baseValue?: number;
}

export interface AggregateSeriesResult {
  series: Series;
  /** Number of cities that entered each period's value (or link). */
  contributors: Int32Array;
  /** Normalised weight of each city in the base period (fixedBase) or in the first link (chained). */
  weightShares: Record<string, number>;
}

/**
 * Aggregate city index series into one index (formulas in the module comment).
 * @example
 * import { fromValues } from './series.ts';
 * // two cities, equal weights, fixed base: A 100→110, B 100→90 ⇒ 100 → 100
 * const a = fromValues(Float64Array.of(100, 110), 'year', 2020, { code: 'A' });
 * const b = fromValues(Float64Array.of(100, 90), 'year', 2020, { code: 'B' });
 * aggregateSeries([a, b], { aggregation: { method: 'fixedBase' }, weights: { A: 1, B: 1 } }).series.values
 * // => [100, 100]
 */
export function aggregateSeries(cities: readonly Series[], options: AggregateSeriesOptions): AggregateSeriesResult {
  if (cities.length === 0) throw new CityIndexError({ code: 'E_EMPTY', message: 'no city series to aggregate' });
  const frequency = cities[0].frequency;
  const issues: Issue[] = [];
  let start = Infinity;
  let end = -Infinity;
  for (const c of cities) {
    if (c.frequency !== frequency)
      issues.push({
        code: 'E_MIXED_FREQUENCY',
        message: `series "${c.code}" is by ${c.frequency}, the others by ${frequency}`,
        unit: c.code,
      });
    if (options.weights[c.code] === undefined)
      issues.push({
        code: 'E_NO_WEIGHT',
        message: `no weight for series "${c.code}"`,
        unit: c.code,
        field: 'weights',
        expected: 'a number or a weight series',
      });
    start = Math.min(start, c.start);
    end = Math.max(end, c.start + c.values.length);
  }
  if (issues.length) throw new CityIndexError(issues);
  const n = end - start;
  const m = cities.length;
  // City values and weights on the common grid: level[i*n + t], weight[i*n + t].
  const level = new Float64Array(m * n).fill(NaN);
  const weight = new Float64Array(m * n).fill(NaN);
  cities.forEach((c, i) => {
    level.set(c.values, i * n + (c.start - start));
    const w = options.weights[c.code];
    if (typeof w === 'number') weight.fill(w, i * n, (i + 1) * n);
    else {
      if (w.frequency !== frequency)
        throw new CityIndexError({
          code: 'E_MIXED_FREQUENCY',
          message: `weight series for "${c.code}" is by ${w.frequency}`,
          unit: c.code,
          field: 'weights',
        });
      for (let t = 0; t < n; t++) {
        const k = start + t - w.start;
        weight[i * n + t] = k >= 0 && k < w.values.length ? w.values[k] : NaN;
      }
    }
  });
  for (let j = 0; j < level.length; j++) {
    if (level[j] <= 0) {
      const i = Math.floor(j / n);
      const period = formatPeriod({ frequency, ordinal: start + (j % n) });
      throw new CityIndexError({
        code: 'E_NONPOSITIVE',
        message: `index of "${cities[i].code}" in ${period} is ${level[j]}`,
        unit: cities[i].code,
        field: 'value',
        expected: 'index values > 0',
      });
    }
  }
  for (let j = 0; j < weight.length; j++) {
    if (weight[j] < 0) {
      const i = Math.floor(j / n);
      const period = formatPeriod({ frequency, ordinal: start + (j % n) });
      throw new CityIndexError({
        code: 'E_NEGATIVE_WEIGHT',
        message: `weight of "${cities[i].code}" in ${period} is negative`,
        unit: cities[i].code,
        field: 'weights',
        expected: 'weights ≥ 0',
      });
    }
  }
  const baseValue = options.baseValue ?? 100;
  const out = new Float64Array(n).fill(NaN);
  const contributors = new Int32Array(n);
  const weightShares: Record<string, number> = Object.create(null);
  const agg = options.aggregation;
  const geometric = (agg.mean ?? 'arithmetic') === 'geometric';
  if (agg.mean !== undefined && agg.mean !== 'arithmetic' && agg.mean !== 'geometric') {
    throw new CityIndexError({
      code: 'E_METHOD',
      message: `unknown mean "${String(agg.mean)}"`,
      field: 'mean',
      expected: 'arithmetic or geometric',
    });
  }
  let basePeriod: string;
  switch (agg.method) {
    case 'fixedBase': {
      const b = agg.basePeriod === undefined ? 0 : parsePeriod(agg.basePeriod).ordinal - start;
      basePeriod = formatPeriod({ frequency, ordinal: start + b });
      if (b < 0 || b >= n)
        throw new CityIndexError({
          code: 'E_BASE',
          message: `base period ${agg.basePeriod} is outside the series`,
          field: 'basePeriod',
        });
      let wsum = 0;
      for (let i = 0; i < m; i++) if (usable(level[i * n + b]) && usable(weight[i * n + b])) wsum += weight[i * n + b];
      for (let i = 0; i < m; i++)
        if (usable(level[i * n + b]) && usable(weight[i * n + b]))
          weightShares[cities[i].code] = weight[i * n + b] / wsum;
      for (let t = 0; t < n; t++) {
        let s = 0;
        let ws = 0;
        for (let i = 0; i < m; i++) {
          const ib = level[i * n + b];
          const it = level[i * n + t];
          const w = weight[i * n + b];
          if (!usable(ib) || !usable(it) || !usable(w) || w === 0) continue;
          const r = it / ib;
          s += w * (geometric ? Math.log(r) : r);
          ws += w;
          contributors[t]++;
        }
        if (ws > 0) out[t] = baseValue * (geometric ? Math.exp(s / ws) : s / ws);
      }
      break;
    }
    case 'chained': {
      const timing = agg.weightTiming ?? 'previous';
      if (timing !== 'previous' && timing !== 'current')
        throw new CityIndexError({
          code: 'E_METHOD',
          message: `unknown weightTiming "${String(timing)}"`,
          field: 'weightTiming',
          expected: 'previous or current',
        });
      basePeriod = formatPeriod({ frequency, ordinal: start });
      out[0] = baseValue;
      let first = true;
      for (let t = 1; t < n; t++) {
        const tau = timing === 'previous' ? t - 1 : t;
        let s = 0;
        let ws = 0;
        for (let i = 0; i < m; i++) {
          const a = level[i * n + t - 1];
          const z = level[i * n + t];
          const w = weight[i * n + tau];
          if (!usable(a) || !usable(z) || !usable(w) || w === 0) continue;
          const r = z / a;
          s += w * (geometric ? Math.log(r) : r);
          ws += w;
          contributors[t]++;
        }
        if (first && ws > 0) {
          for (let i = 0; i < m; i++) {
            const w = weight[i * n + tau];
            if (usable(level[i * n + t - 1]) && usable(level[i * n + t]) && usable(w))
              weightShares[cities[i].code] = w / ws;
          }
          first = false;
        }
        out[t] = ws > 0 ? out[t - 1] * (geometric ? Math.exp(s / ws) : s / ws) : NaN;
      }
      for (let i = 0; i < m; i++) if (usable(level[i * n])) contributors[0]++; // cities present in the base period
      break;
    }
    default: {
      const never: never = agg;
      throw new CityIndexError({
        code: 'E_METHOD',
        message: `unknown aggregation method "${String((never as { method?: string }).method)}"`,
        field: 'method',
        expected: 'fixedBase or chained',
      });
    }
  }
  const series = fromValues(out, frequency, start, {
    code: options.code ?? 'national',
    base: { period: basePeriod, value: baseValue },
  });
  return { series, contributors, weightShares };
}

/** A present value: levels are checked to be > 0 and weights ≥ 0 on entry, so finiteness is all that is left. */
function usable(v: number): boolean {
  return Number.isFinite(v);
}
