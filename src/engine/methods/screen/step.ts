/**
 * Screen step: drop units with too little data (or too many zeros) before the index is built.
 * Reproduces COINr 1.1.14 `Screen()` and `get_data_avail()` (R/screen_units.R):
 * per unit `dataAvailability = 1 − nMissing / nIndicators` and `nonZero = 1 − nZero / nAvailable`;
 * a unit is removed when `dataAvailability < dataThreshold` (`byNA`), `nonZero < nonZeroThreshold`
 * (`byZeros`) or either (`byNAandZeros`); `force` entries then override the rule.
 *
 * Differences from COINr: a unit with no data at all has `nonZero` = NaN (0/0); COINr then keeps a row
 * of NAs under `byzeros`, here that unit counts as failing the zero rule. `by: 'none'` keeps everyone
 * (COINr has no such option and errors). A share exactly at a threshold passes (`reachesShare`): COINr's
 * `1 − 4/5 = 0.19999999999999996 < 0.2` removes a unit with 1 of 5 values at `dat_thresh = 0.2`.
 */
import { CityIndexError, type Issue } from '../../core/errors.ts';
import { selectUnits } from '../../core/dataset.ts';
import type { Dataset } from '../../core/dataset.ts';
import type { Unit } from '../../core/framework.ts';
import type { StepInput, StepOutput } from '../../pipeline/step.ts';
import type { ScreenOptions } from '../../spec/spec.ts';
import { reachesShare } from '../../stats/share.ts';

export type ScreenRule = NonNullable<ScreenOptions['by']>;

/** COINr defaults: `unit_screen = "byNA"` (the COINr example), `dat_thresh = 2/3`, `nonzero_thresh = 0.05`. */
export const SCREEN_DEFAULTS = { by: 'byNA' as ScreenRule, dataThreshold: 2 / 3, nonZeroThreshold: 0.05 };

/** Per-unit availability, as COINr `get_data_avail()`. */
export interface UnitAvailability {
  nMissing: Int32Array;
  nZero: Int32Array;
  /** (nCols − nMissing)/nCols (COINr's 1 − nMissing/nCols, without its rounding). */
  dataAvailability: Float64Array;
  /** (nAvailable − nZero)/nAvailable; NaN when the unit has no data. */
  nonZero: Float64Array;
}

/**
 * Data availability and share of non-zero values of every unit (row) of a dataset
 * (COINr `get_data_avail.data.frame`).
 * @example
 * import { fromRows } from '../../core/dataset.ts';
 * unitAvailability(fromRows(['A'], ['x', 'y', 'z'], [[0, null, 3]])).nonZero[0] // => 0.5
 */
export function unitAvailability(ds: Dataset): UnitAvailability {
  const n = ds.unitCodes.length;
  const m = ds.codes.length;
  const nMissing = new Int32Array(n);
  const nZero = new Int32Array(n);
  for (let j = 0; j < m; j++) {
    const base = j * n;
    for (let i = 0; i < n; i++) {
      const v = ds.values[base + i];
      if (Number.isNaN(v)) nMissing[i]++;
      else if (v === 0) nZero[i]++;
    }
  }
  const dataAvailability = new Float64Array(n);
  const nonZero = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const available = m - nMissing[i];
    dataAvailability[i] = available / m;
    nonZero[i] = (available - nZero[i]) / available;
  }
  return { nMissing, nZero, dataAvailability, nonZero };
}

/** Why a unit was removed (before `force`), or null if it passed. */
export type ScreenReason = 'lowData' | 'lowNonZero' | 'lowDataAndNonZero' | null;

/**
 * Apply a screening rule to one unit's availability (NaN counts as failing; a share at the threshold passes).
 * @example screenDecision(0.8, 1, 'byNA', 0.9, 0.05) // => { kept: false, reason: 'lowData' }
 * @example screenDecision(1 - 4 / 5, 1, 'byNA', 0.2, 0.05) // => { kept: true, reason: null }
 */
export function screenDecision(
  dataAvailability: number,
  nonZero: number,
  by: ScreenRule,
  dataThreshold: number,
  nonZeroThreshold: number,
): { kept: boolean; reason: ScreenReason } {
  const lowData = !reachesShare(dataAvailability, dataThreshold);
  const lowNonZero = !reachesShare(nonZero, nonZeroThreshold);
  switch (by) {
    case 'none':
      return { kept: true, reason: null };
    case 'byNA':
      return { kept: !lowData, reason: lowData ? 'lowData' : null };
    case 'byZeros':
      return { kept: !lowNonZero, reason: lowNonZero ? 'lowNonZero' : null };
    case 'byNAandZeros':
      return {
        kept: !(lowData || lowNonZero),
        reason: lowData && lowNonZero ? 'lowDataAndNonZero' : lowData ? 'lowData' : lowNonZero ? 'lowNonZero' : null,
      };
    default: {
      const never: never = by;
      throw new CityIndexError({
        code: 'E_OPTION',
        message: `screen: unknown rule "${String(never)}"`,
        field: 'by',
        expected: 'byNA, byZeros, byNAandZeros or none',
      });
    }
  }
}

export interface ScreenDiagnostics {
  by: ScreenRule;
  dataThreshold: number;
  nonZeroThreshold: number;
  /** One entry per unit of the input dataset, in row order. */
  units: Array<{
    unit: string;
    nMissing: number;
    nZero: number;
    dataAvailability: number;
    nonZero: number;
    kept: boolean;
    reason: ScreenReason;
    forced: 'include' | 'exclude' | null;
  }>;
  /** Codes of removed units, in row order. */
  removed: string[];
}

function validate(
  ds: Dataset,
  options: ScreenOptions,
): { by: ScreenRule; dataThreshold: number; nonZeroThreshold: number; force: Map<string, boolean> } {
  const issues: Issue[] = [];
  const by = options.by ?? SCREEN_DEFAULTS.by;
  if (!['byNA', 'byZeros', 'byNAandZeros', 'none'].includes(by)) {
    issues.push({
      code: 'E_OPTION',
      message: `screen: unknown rule "${String(by)}"`,
      field: 'by',
      expected: 'byNA, byZeros, byNAandZeros or none',
    });
  }
  const dataThreshold = options.dataThreshold ?? SCREEN_DEFAULTS.dataThreshold;
  const nonZeroThreshold = options.nonZeroThreshold ?? SCREEN_DEFAULTS.nonZeroThreshold;
  for (const [field, v] of [
    ['dataThreshold', dataThreshold],
    ['nonZeroThreshold', nonZeroThreshold],
  ] as const) {
    if (typeof v !== 'number' || !(v >= 0 && v <= 1)) {
      issues.push({
        code: 'E_OPTION',
        message: `screen: ${field} must be a number between 0 and 1, got ${String(v)}`,
        field,
        expected: 'a number in [0, 1]',
      });
    }
  }
  const force = new Map<string, boolean>();
  const known = new Set(ds.unitCodes);
  (options.force ?? []).forEach((f, k) => {
    if (!f || typeof f.unit !== 'string' || typeof f.include !== 'boolean') {
      issues.push({
        code: 'E_OPTION',
        message: 'screen: each force entry must be { unit: string, include: boolean }',
        field: `force[${k}]`,
      });
      return;
    }
    if (!known.has(f.unit)) {
      issues.push({
        code: 'E_UNKNOWN_UNIT',
        message: `screen: forced unit "${f.unit}" is not in the dataset`,
        field: `force[${k}].unit`,
        unit: f.unit,
      });
      return;
    }
    force.set(f.unit, f.include);
  });
  if (issues.length) throw new CityIndexError(issues);
  return { by, dataThreshold, nonZeroThreshold, force };
}

/**
 * The screen build step (COINr `Screen(coin, dset, unit_screen, dat_thresh, nonzero_thresh, Force)`).
 * Returns the dataset restricted to kept rows and `units` = the kept units (in `input.units` order).
 * @example
 * // ASEM after imputation, byNA with threshold 0.9: all 51 units kept
 * const { dataset, framework, units } = asem.build.steps[1];
 * screenStep({ dataset, framework, units }, { by: 'byNA', dataThreshold: 0.9 }).diagnostics.removed // => []
 */
export function screenStep(
  input: StepInput,
  options: ScreenOptions = {},
): StepOutput<ScreenDiagnostics> & { units: Unit[] } {
  const { dataset } = input;
  const { by, dataThreshold, nonZeroThreshold, force } = validate(dataset, options);
  const av = unitAvailability(dataset);
  const units: ScreenDiagnostics['units'] = [];
  const kept: string[] = [];
  const removed: string[] = [];
  dataset.unitCodes.forEach((u, i) => {
    const d = screenDecision(av.dataAvailability[i], av.nonZero[i], by, dataThreshold, nonZeroThreshold);
    const f = force.get(u);
    const isKept = f === undefined ? d.kept : f;
    units.push({
      unit: u,
      nMissing: av.nMissing[i],
      nZero: av.nZero[i],
      dataAvailability: av.dataAvailability[i],
      nonZero: av.nonZero[i],
      kept: isKept,
      reason: d.reason,
      forced: f === undefined ? null : f ? 'include' : 'exclude',
    });
    (isKept ? kept : removed).push(u);
  });
  const keptSet = new Set(kept);
  return {
    dataset: selectUnits(dataset, kept),
    units: input.units.filter((u) => keptSet.has(u.code)),
    diagnostics: { by, dataThreshold, nonZeroThreshold, units, removed },
  };
}
