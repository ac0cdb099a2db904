/**
 * The resident-survey pipeline in one call: clean → weight → estimate, plus reliability of each scale.
 * Pure: inputs are the response table, the survey spec, census margins and the surveyed cities.
 */
import type { Issue } from '../core/errors.ts';
import { cleanResponses, type CleaningResult } from './clean.ts';
import { estimateByCity, type SurveyEstimates } from './estimate.ts';
import { cronbachAlpha, type ReliabilityResult } from './reliability.ts';
import { scoreItems } from './scoring.ts';
import type { CityMargins, ResponseTable, SurveySpec } from './types.ts';
import { weightResponses, type WeightingResult } from './weighting.ts';

export interface SurveyRunInput {
  table: ResponseTable;
  spec: SurveySpec;
  /** Census margins by city adcode. */
  margins: ReadonlyMap<string, CityMargins>;
  /** The surveyed cities (adcodes), in output order. */
  cities: readonly string[];
  /** Also compute alpha per city (default false: pooled only). */
  reliabilityPerCity?: boolean;
}

export interface SurveyRunResult {
  cleaning: CleaningResult;
  weighting: WeightingResult;
  estimates: SurveyEstimates;
  /** Per indicator with ≥ 2 items: pooled over all kept responses, and per city if asked. */
  reliability: Array<{ indicator: string; pooled: ReliabilityResult; perCity?: Record<string, number> }>;
  warnings: Issue[];
}

/**
 * Run cleaning, weighting and estimation.
 * @example
 * import { tableOf } from './test-helpers.ts';
 * // four respondents in 110100 answer q on a 1–5 scale: scores 100, 75, 25, 0
 * const table = tableOf([{ items: { q: 5 } }, { items: { q: 4 } }, { items: { q: 2 } }, { items: { q: 1 } }]);
 * const spec = { scoring: { scale: { min: 1, max: 5 } }, indicators: [{ code: 'SAT', items: ['q'] }], cleaning: {},
 *   weighting: { weighting: { method: 'none' as const } }, estimation: {} };
 * runSurvey({ table, spec, margins: new Map(), cities: ['110100'] }).estimates.dataset.values // => [50]
 */
export function runSurvey(input: SurveyRunInput): SurveyRunResult {
  const { table, spec, margins, cities } = input;
  const items = [...new Set(spec.indicators.flatMap((d) => d.items))];
  const cleaning = cleanResponses(table, spec.cleaning, { cities, items });
  const weighting = weightResponses(table, cleaning.keep, margins, spec.weighting);
  const scores = scoreItems(table, items, spec.scoring);
  const estimates = estimateByCity({
    table,
    keep: cleaning.keep,
    weights: weighting.weights,
    scoring: spec.scoring,
    indicators: spec.indicators,
    estimation: spec.estimation,
    cities,
    itemScores: scores,
  });
  const keptRows: number[] = [];
  for (let i = 0; i < table.n; i++) if (cleaning.keep[i]) keptRows.push(i);
  const pick = (x: Float64Array, rows: readonly number[]): Float64Array => {
    const out = new Float64Array(rows.length);
    for (let r = 0; r < rows.length; r++) out[r] = x[rows[r]];
    return out;
  };
  // each item's kept scores picked once (the 15-item index shares its items with the sub-scales), and the kept
  // rows by city once for every indicator
  const picked = new Map<string, Float64Array>();
  const pickItem = (it: string): Float64Array => {
    let col = picked.get(it);
    if (!col) picked.set(it, (col = pick(scores[it], keptRows)));
    return col;
  };
  let keptByCity: Map<string, number[]> | null = null;
  if (input.reliabilityPerCity) {
    keptByCity = new Map<string, number[]>();
    for (let r = 0; r < keptRows.length; r++) {
      const c = table.city[keptRows[r]]!;
      let l = keptByCity.get(c);
      if (!l) keptByCity.set(c, (l = []));
      l.push(r);
    }
  }
  const reliability = spec.indicators
    .filter((d) => d.items.length >= 2)
    .map((d) => {
      const cols = Object.fromEntries(d.items.map((it) => [it, pickItem(it)]));
      const out: SurveyRunResult['reliability'][number] = { indicator: d.code, pooled: cronbachAlpha(cols) };
      if (keptByCity) {
        out.perCity = Object.fromEntries(
          [...keptByCity].map(([c, rows]) => [
            c,
            cronbachAlpha(Object.fromEntries(Object.entries(cols).map(([k, v]) => [k, pick(v, rows)]))).alpha,
          ]),
        );
      }
      return out;
    });
  return { cleaning, weighting, estimates, reliability, warnings: [...cleaning.warnings, ...weighting.warnings] };
}
