/**
 * Rates of counts over populations (deaths over births, cases over residents): the empirical-Bayes
 * standardisation of Assunção & Reis (1999, Statistics in Medicine 18:2147–2162) and Moran's I on it
 * (esda `assuncao_rate`, `Moran_Rate`). Raw rates of small populations vary far more than those of large
 * ones; the EB index divides each rate's deviation from the pooled rate by its estimated standard
 * deviation, so Moran's I is not driven by the small units' noise.
 */
import { CityIndexError, type Issue } from '../../core/errors.ts';
import { moran, type MoranOptions, type MoranResult } from './moran.ts';
import type { SpatialWeights } from './weights.ts';

/** Check counts e and populations b: same length, finite, e ≥ 0, b > 0 (located by position or unit id). */
function checkRates(e: ArrayLike<number>, b: ArrayLike<number>, ids?: readonly string[]): void {
  if (e.length !== b.length)
    throw new CityIndexError({
      code: 'E_SHAPE',
      message: `rates: ${e.length} event counts but ${b.length} populations`,
      expected: 'one count and one population per unit',
    });
  const issues: Issue[] = [];
  for (let i = 0; i < e.length; i++) {
    const unit = ids?.[i] ?? `position ${i + 1}`;
    if (!(Number.isFinite(e[i]) && e[i] >= 0))
      issues.push({
        code: 'E_RATE_COUNT',
        message: `rates: event count ${e[i]} of unit ${unit}`,
        ...(ids ? { unit: ids[i] } : {}),
        expected: 'a finite count ≥ 0',
      });
    if (!(Number.isFinite(b[i]) && b[i] > 0))
      issues.push({
        code: 'E_RATE_POPULATION',
        message: `rates: population ${b[i]} of unit ${unit}`,
        ...(ids ? { unit: ids[i] } : {}),
        expected: 'a finite population > 0',
      });
  }
  if (issues.length) throw new CityIndexError(issues);
}

/**
 * Empirical-Bayes standardised rates (Assunção & Reis 1999; esda `assuncao_rate`): with y = e/b, the
 * pooled rate β = Σe/Σb, s² = Σ b(y − β)²/Σb, α = s² − β/(Σb/n) and v_i = α + β/b_i (β/b_i where that is
 * negative), the index (y_i − β)/√v_i.
 * @example
 * // three units: pooled rate 10/1000 = 0.01
 * Array.from(assuncaoRate([1, 4, 5], [100, 400, 500])).map((v) => v === 0) // => [true, true, true]
 * // β = 0.03, s² = 0.0003, α = 0.0003 − 0.03/(1000/3) = 0.00021, v₁ = α + 0.03/100 = 0.00051
 * assuncaoRate([0, 10, 20], [100, 500, 400])[0] // => -1.3284223…  (−0.03/√0.00051)
 */
export function assuncaoRate(e: ArrayLike<number>, b: ArrayLike<number>, ids?: readonly string[]): Float64Array {
  checkRates(e, b, ids);
  const n = e.length;
  let eSum = 0;
  let bSum = 0;
  for (let i = 0; i < n; i++) {
    eSum += e[i];
    bSum += b[i];
  }
  const beta = eSum / bSum;
  let s2 = 0;
  for (let i = 0; i < n; i++) {
    const d = e[i] / b[i] - beta;
    s2 += b[i] * d * d;
  }
  s2 /= bSum;
  const alpha = s2 - beta / (bSum / n);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const raw = alpha + beta / b[i];
    const v = raw < 0 ? beta / b[i] : raw;
    out[i] = (e[i] / b[i] - beta) / Math.sqrt(v);
  }
  return out;
}

/** Options of `moranRate`: those of `moran`, and whether to standardise (esda `adjusted`, default true). */
export interface MoranRateOptions extends MoranOptions {
  /** Assunção–Reis EB standardisation first (default true); false = Moran's I of the raw rates e/b. */
  adjusted?: boolean;
}

/**
 * Moran's I for rates (esda `Moran_Rate`): Moran's I of the Assunção–Reis EB index of counts `e` over
 * populations `b` (or of the raw rates e/b with `adjusted: false`), with `moran`'s moments and tests.
 * @example
 * // counts rising along a line of four units with equal populations: positive autocorrelation
 * import { fromNeighborLists } from './weights.ts';
 * const w = fromNeighborLists(['a', 'b', 'c', 'd'], { a: ['b'], b: ['a', 'c'], c: ['b', 'd'], d: ['c'] });
 * moranRate([1, 2, 8, 9], [100, 100, 100, 100], w, { permutations: 0 }).I > 0 // => true
 */
export function moranRate(
  e: ArrayLike<number>,
  b: ArrayLike<number>,
  w: SpatialWeights,
  options: MoranRateOptions = {},
): MoranResult & { adjusted: boolean } {
  const adjusted = options.adjusted ?? true;
  let rate: Float64Array;
  if (adjusted) rate = assuncaoRate(e, b, w.ids);
  else {
    checkRates(e, b, w.ids);
    rate = Float64Array.from(e, (v, i) => v / b[i]);
  }
  return { ...moran(rate, w, options), adjusted };
}
