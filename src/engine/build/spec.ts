/**
 * The build spec: an ordered list of steps, each `{ id, kind, options }` with plain-JSON options.
 * Methods are named data (discriminated unions on `method`) so a spec can be saved, diffed and replayed.
 * Defaults follow COINr 1.1.14 where COINr has one (see docs in each step module).
 */

// ---------- denominate ----------
export interface DenominateOptions {
  /** Per-indicator override `{ denominator, scaleFactor }`; default: the framework's `denominator`/`scaleFactor`. */
  perIndicator?: Record<string, { denominator: string | null; scaleFactor?: number }>;
}

// ---------- screen ----------
export interface ScreenOptions {
  /** `byNA` (default), `byZeros`, `byNAandZeros`, or `none`. */
  by?: 'byNA' | 'byZeros' | 'byNAandZeros' | 'none';
  /** Minimum share of available values per unit (COINr `dat_thresh`, default 2/3). */
  dataThreshold?: number;
  /** Minimum share of non-zero values among available (COINr `nonzero_thresh`, default 0.05). */
  nonZeroThreshold?: number;
  /** Forced inclusions/exclusions, applied after the rule. */
  force?: Array<{ unit: string; include: boolean }>;
}

// ---------- impute ----------
export type ImputeMethod =
  | { method: 'none' }
  | { method: 'mean' }
  | { method: 'median' }
  /** Mean/median within a unit group (a `units.csv` column); units with no group stay missing. */
  | { method: 'groupMean'; group: string }
  | { method: 'groupMedian'; group: string }
  /** Row-wise within the indicators sharing a level-`parentLevel` ancestor (default 2); normalised first as COINr. */
  | { method: 'rowMean'; parentLevel?: number; normaliseFirst?: boolean }
  | { method: 'rowMedian'; parentLevel?: number; normaliseFirst?: boolean }
  /** Panels: the latest earlier period's value (within `maxLag` periods if given). */
  | { method: 'latest'; maxLag?: number };

export type ImputeOptions = ImputeMethod & { perIndicator?: Record<string, ImputeMethod> };

// ---------- treat ----------
export type TreatFallback = 'logCT' | 'logCTPlus' | 'logCTOrig' | 'boxcox' | 'none';

export interface TreatSpec {
  /** `winsorise` (COINr default), `log` (natural log of all values, needs > 0), `boxcox`, or `none`. */
  method?: 'winsorise' | 'log' | 'boxcox' | 'none';
  /** Maximum number of winsorised points (COINr default 5); `null` = unlimited. */
  winmax?: number | null;
  skewThreshold?: number;
  kurtThreshold?: number;
  /** Winsorise up to winmax even if the column passes (COINr's intent; see COINr issue #53). */
  forceWinsorise?: boolean;
  /** Transform applied to the original column if winsorising fails (COINr `f2`, default `logCT`). */
  fallback?: TreatFallback;
  /** Box–Cox lambda for `method: 'boxcox'` or `fallback: 'boxcox'`. */
  lambda?: number;
}

export interface TreatOptions extends TreatSpec {
  perIndicator?: Record<string, TreatSpec>;
}

// ---------- normalise ----------
export type NormaliseMethod =
  | { method: 'none' }
  | { method: 'minMax'; range?: [number, number] }
  | { method: 'zScore'; mean?: number; sd?: number }
  | { method: 'scaled'; lower: number; upper: number; scaleFactor?: number }
  | { method: 'rank' }
  | { method: 'percentileRank' }
  | { method: 'borda' }
  /** Uses the framework `target` unless given; `cap` at 1 (times `scale`). */
  | { method: 'distanceToTarget'; target?: number; cap?: boolean; scale?: number }
  | { method: 'distanceToMax'; scale?: number }
  | { method: 'distanceToReference'; reference: string; cap?: boolean; scale?: number }
  /** Uses framework `goalposts` unless given. */
  | { method: 'goalposts'; lower?: number; upper?: number; scale?: number; truncate?: boolean }
  | { method: 'fractionOfMax'; scale?: number };

export type NormaliseOptions = NormaliseMethod & { perIndicator?: Record<string, NormaliseMethod> };

// ---------- weight ----------
export type AhpVariant = 'eigenvector' | 'geometricMean' | 'columnNormalised';
export type RiTable = 'saaty' | 'chinese';

export type ObjectiveWeightMethod =
  | { method: 'entropy'; shift?: 'none' | 'add1e-4' | 'affine0.01' }
  | { method: 'critic' }
  | { method: 'cv' }
  | { method: 'sd' }
  /** `oecd`: squared varimax-rotated loadings (OECD Handbook); `coinrPc1`: COINr's raw PC1 loadings. */
  | { method: 'pca'; variant?: 'oecd' | 'coinrPc1' };

export type WeightMethod =
  | { method: 'equal' }
  | { method: 'manual'; weights: Record<string, number> }
  | { method: 'ahp'; matrices: Record<string, { codes: string[]; matrix: number[][] }>; variant?: AhpVariant; riTable?: RiTable }
  | (ObjectiveWeightMethod & { scope?: 'withinParent' | 'level' })
  /** Correlation-optimised weights at one level: non-negative, target correlations with the index. */
  | { method: 'optimised'; target?: Record<string, number>; tolerance?: number; maxIterations?: number }
  /** w = α·subjective + (1−α)·objective (additive) or ∝ subjective·objective (multiplicative). */
  | { method: 'combined'; subjective: WeightMethod; objective: WeightMethod; alpha?: number; rule?: 'additive' | 'multiplicative' };

export interface WeightOptions {
  /** Which level's weights to set (1 = indicators). */
  level: number;
  weighting: WeightMethod;
}

// ---------- aggregate ----------
export type AggregationMethod =
  | { method: 'arithmetic' }
  | { method: 'geometric' }
  | { method: 'harmonic' }
  | { method: 'generalised'; p: number }
  /** Mazziotta–Pareto: `sign: '-'` penalises unbalance for positive phenomena (default). */
  | { method: 'mpi'; sign?: '-' | '+' }
  | { method: 'topsis'; normalisation?: 'vector' | 'none' }
  | { method: 'bod' }
  | { method: 'copeland' };

export interface AggregateLevelSpec {
  aggregation?: AggregationMethod;
  /** A unit's aggregate is missing when (available components / group size) < dataThreshold. */
  dataThreshold?: number;
}

export interface AggregateOptions extends AggregateLevelSpec {
  /** Per-level overrides keyed by the level being produced (2 … top). */
  levels?: Record<string, AggregateLevelSpec>;
}

// ---------- the spec ----------
export type StepSpec =
  | { id: string; kind: 'denominate'; options?: DenominateOptions }
  | { id: string; kind: 'screen'; options?: ScreenOptions }
  | { id: string; kind: 'impute'; options?: ImputeOptions }
  | { id: string; kind: 'treat'; options?: TreatOptions }
  | { id: string; kind: 'normalise'; options?: NormaliseOptions }
  | { id: string; kind: 'weight'; options: WeightOptions }
  | { id: string; kind: 'aggregate'; options?: AggregateOptions };

export type StepKind = StepSpec['kind'];

export interface BuildSpec {
  /** Spec format version. */
  version: 1;
  steps: StepSpec[];
  /** Seed for anything random in the build (recorded even if unused). */
  seed?: number;
}

/** COINr's default ASEM build (`build_example_coin()`), as a cityindex spec. */
export const COINR_EXAMPLE_SPEC: BuildSpec = {
  version: 1,
  steps: [
    { id: 'denominate', kind: 'denominate' },
    { id: 'impute', kind: 'impute', options: { method: 'groupMean', group: 'EurAsia_group' } },
    { id: 'screen', kind: 'screen', options: { by: 'byNA', dataThreshold: 0.9 } },
    { id: 'treat', kind: 'treat', options: { winmax: 5 } },
    { id: 'normalise', kind: 'normalise', options: { method: 'minMax', range: [0, 100] } },
    { id: 'aggregate', kind: 'aggregate', options: { aggregation: { method: 'arithmetic' } } },
  ],
};
