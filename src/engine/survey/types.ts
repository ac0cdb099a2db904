/**
 * Survey types: the columnar response table every importer produces, and the survey configuration
 * (`survey.yaml`) that declares items → indicators, the scoring rule, cleaning thresholds, weighting and
 * estimation options. Plain JSON data so a survey can be saved, diffed and replayed like a build spec.
 */
import type { LocalText } from '../core/framework.ts';

/** Raw answer code for "don't know" / "not applicable" (distinct from NaN = no answer). */
export const DONT_KNOW = Number.NEGATIVE_INFINITY;

/** Sex codes in `ResponseTable.sex`. */
export const SEX_UNKNOWN = 0;
export const SEX_MALE = 1;
export const SEX_FEMALE = 2;

/**
 * Responses in columns (one entry per respondent). Importers fill it; the engine never reads files.
 * Answers are raw codes as the questionnaire stores them (e.g. Likert 1–5); NaN = not answered,
 * `DONT_KNOW` = the respondent chose "don't know".
 */
export interface ResponseTable {
  /** File name for located messages. */
  file?: string;
  /** Number of respondents. */
  n: number;
  /** Row of each respondent in the source (1-based; the CSV/XLSX header is row 1; JSON: array index + 1). */
  sourceRow: Int32Array;
  /** Respondent id (null if the export has none). */
  id: Array<string | null>;
  /** City adcode (6 digits) or null. */
  city: Array<string | null>;
  /** Completion time in seconds (NaN unknown). */
  duration: Float64Array;
  /** Submission time as sortable text (ISO 8601), or null; used for quota order. */
  submittedAt: Array<string | null>;
  /** Age in years (NaN unknown). */
  age: Float64Array;
  /** `SEX_MALE`, `SEX_FEMALE` or `SEX_UNKNOWN`. */
  sex: Int8Array;
  /** Item code → raw answers. */
  items: Record<string, Float64Array>;
}

/** Likert scoring: raw code → 0–100 score. */
export interface ScoringRule {
  /**
   * Lowest and highest substantive codes (default 1 and 5). Answers must be whole numbers when both ends
   * are (a 1–5 Likert scale), unless `integer: false` (e.g. a 0–10 slider with decimals).
   */
  scale?: { min: number; max: number; integer?: boolean };
  /** Reverse-coded items (score = (max − x)/(max − min)·100). */
  reverse?: string[];
  /**
   * Codes or labels meaning "don't know" (importers turn them into `DONT_KNOW`). Default `['dk', '不知道', "don't know"]`.
   */
  dontKnow?: Array<string | number>;
  /** How "don't know" enters a score: `missing` (default) or the scale `midpoint` (50). */
  dontKnowAs?: 'missing' | 'midpoint';
}

/** Statistic of an indicator over respondents. */
export type SurveyStatistic =
  /** Weighted mean of the respondent scale score (0–100). */
  | { type: 'mean' }
  /**
   * Weighted percentage of respondents whose scale score is at least `atLeast` (0–100), e.g. 75 = "satisfied or better"
   * on 1–5.
   */
  | { type: 'proportion'; atLeast: number };

/** One survey indicator: a scale of items summarised per city. */
export interface SurveyIndicator {
  code: string;
  name?: LocalText;
  items: string[];
  /** Default `{ type: 'mean' }`. */
  statistic?: SurveyStatistic;
  /** Minimum answered (non-"don't know") items for a respondent's scale score; default ceil(k/2). */
  minItems?: number;
}

export interface CleaningRules {
  /**
   * Duplicate detection (keep the first in file order): same respondent id and/or same city + all answers. Default
   * `['id', 'answers']`; `[]` = off.
   */
  duplicates?: Array<'id' | 'answers'>;
  /**
   * Speeders: completion under `minSeconds`, or under `minFractionOfMedian` × the median completion time of all
   * responses.
   */
  speeders?: { minSeconds?: number; minFractionOfMedian?: number } | null;
  /**
   * Straight-liners: all answered `items` (default: every indicator item) identical, with at least `minItems` (default
   * 6) answered.
   */
  straightLining?: { items?: string[]; minItems?: number } | null;
  /** Attention checks: the item must hold one of `expected` (e.g. "please choose 4"). */
  attentionChecks?: Array<{ item: string; expected: number | number[] }>;
  /** Allowed maximum number of failed attention checks (default 0). */
  maxAttentionFailures?: number;
  /**
   * Per-city quota: keep the first `perCity` valid responses by `order` (default `submittedAt`, ties by file order).
   */
  quota?: { perCity: number; order?: 'submittedAt' | 'file' } | null;
}

/** An adult age band and the census bands (from `censusAgeShares`) it corresponds to. */
export interface AgeBand {
  label: string;
  /** Inclusive age range in years; `max` absent = open-ended. */
  min: number;
  max?: number;
  /** Census components summed for its margin: any of `15-59`, `60-64`, `65+`. */
  census: CensusAgeBand[];
}

export type CensusAgeBand = '15-59' | '60-64' | '65+';

export type WeightingMethod =
  | { method: 'none' }
  /** Iterative proportional fitting to each margin in turn (Deming & Stephan 1940). */
  | { method: 'rake'; maxIterations?: number; tolerance?: number }
  /**
   * Cell weighting on age × sex with cell targets = product of the margins (independence; the census has no cross-tab).
   */
  | { method: 'poststratify' };

export interface WeightingConfig {
  weighting: WeightingMethod;
  /** Adult age bands (default 18–59 / 60–64 / 65+ on census 15–59 / 60–64 / 65+). */
  ageBands?: AgeBand[];
  /** Variables raked to (default both). */
  variables?: Array<'age' | 'sex'>;
  /** Weight bounds relative to the city mean weight (default lower 0.3, upper 3); null = no trimming. */
  trim?: { lower?: number; upper?: number } | null;
}

export interface EstimationConfig {
  /** Confidence level of intervals (default 0.95). */
  confidence?: number;
  /** Cities with fewer cleaned responses than this are flagged (default 100). */
  minSample?: number;
  /** Interval for proportions: `wilson` (default, on the effective n) or `wald`. */
  proportionInterval?: 'wilson' | 'wald';
  /** What to do with a flagged city's estimate: `keep` (default, flagged) or `missing` (NaN in the dataset). */
  belowMinimum?: 'keep' | 'missing';
}

/** The parsed `survey.yaml`, minus file locations (see `src/formats/survey.ts`). */
export interface SurveySpec {
  scoring: ScoringRule;
  indicators: SurveyIndicator[];
  cleaning: CleaningRules;
  weighting: WeightingConfig;
  estimation: EstimationConfig;
}

/** Population margins of one city (shares summing to 1). */
export interface CityMargins {
  city: string;
  /** Share per `AgeBand`, in band order. */
  age: Float64Array;
  /** [male, female]. */
  sex: Float64Array;
}
