/**
 * Treat step: outlier treatment by the COIN Tool rule, as COINr 1.1.14 `Treat()` (R/treat.R).
 * Per indicator:
 * 1. check: pass = (|skew| < 2) OR (kurt < 3.5) (`check_SkewKurt`, G1 skew and G2 excess kurtosis);
 *    a passing column is left alone;
 * 2. winsorise (`winsorise`): while failing and nwin < winmax, the current maximum (if skew ≥ 0) or
 *    minimum (if skew < 0) is replaced by the next value in; ties move together and nwin counts the
 *    points at the capped end(s), so ties can push nwin past winmax;
 * 3. if still failing, the fallback transform (default `log_CT`) is applied to the ORIGINAL column and
 *    kept even if it still fails;
 * 4. a check that cannot be decided (NA: fewer than 3–4 values, or zero variance, without the other
 *    criterion passing) leaves the column untreated with a warning.
 *
 * `forceWinsorise` implements COINr's documented intent (winsorise up to winmax even when passing).
 * COINr 1.1.14 ignores `force_win` when the column passes the initial check, because `Treat.numeric`
 * returns before calling `winsorise` (open issue bluefoxr/COINr#53); on a failing column both agree.
 */
import { CityIndexError, type Issue } from '../../core/errors.ts';
import { colIndex } from '../../core/dataset.ts';
import type { StepInput, StepOutput } from '../../pipeline/step.ts';
import type { TreatFallback, TreatOptions, TreatSpec } from '../../spec/spec.ts';
import { max, min, skew } from '../../stats/descriptive.ts';

/** Result of the skew/kurtosis check; `pass` is null when R's `|` would give NA. */
export interface SkewKurtCheck {
  pass: boolean | null;
  skew: number;
  kurt: number;
}

/** COINr `Treat.data.frame` defaults. */
export const TREAT_DEFAULTS = {
  method: 'winsorise' as const,
  winmax: 5 as number | null,
  skewThreshold: 2,
  kurtThreshold: 3.5,
  forceWinsorise: false,
  fallback: 'logCT' as TreatFallback,
};

/**
 * COINr `check_SkewKurt`: pass = (|skew| < skewThreshold) OR (kurt < kurtThreshold), with R's
 * three-valued OR (TRUE if either is TRUE, NA if neither is TRUE and one is NA).
 * @example checkSkewKurt([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 100]).pass // => false
 */
export function checkSkewKurt(x: ArrayLike<number>, skewThreshold = 2, kurtThreshold = 3.5): SkewKurtCheck {
  return checkSkewKurtAt(x, 0, x.length, skewThreshold, kurtThreshold);
}

/** `checkSkewKurt` of `x[offset … offset + length)`. */
function checkSkewKurtAt(
  x: ArrayLike<number>,
  offset: number,
  length: number,
  skewThreshold: number,
  kurtThreshold: number,
): SkewKurtCheck {
  const n = centralSums(x, offset, length);
  return judge(momentSkew(n), momentKurt(n), skewThreshold, kurtThreshold);
}

function judge(s: number, k: number, skewThreshold: number, kurtThreshold: number): SkewKurtCheck {
  const a = Number.isNaN(s) ? null : Math.abs(s) < skewThreshold;
  const b = Number.isNaN(k) ? null : k < kurtThreshold;
  const pass = a === true || b === true ? true : a === null || b === null ? null : false;
  return { pass, skew: s, kurt: k };
}

// Σd², Σd³, Σd⁴ (d = x − mean over the non-missing values) of the last `centralSums` call: one pass for
// the mean and one for the sums, no copy — the operations of `skew` and `kurt` (stats/descriptive.ts)
// in the same order, so the results are bit-identical to theirs.
const sums = new Float64Array(3);

/** Fill `sums` for `x[offset … offset + length)`; returns the number of non-missing values. */
function centralSums(x: ArrayLike<number>, offset: number, length: number): number {
  const end = offset + length;
  let t = 0;
  let n = 0;
  for (let i = offset; i < end; i++) {
    const v = x[i];
    if (!Number.isNaN(v)) {
      t += v;
      n++;
    }
  }
  const m = n === 0 ? NaN : t / n;
  let s2 = 0;
  let s3 = 0;
  let s4 = 0;
  for (let i = offset; i < end; i++) {
    const v = x[i];
    if (Number.isNaN(v)) continue;
    const d = v - m;
    const d2 = d * d;
    s2 += d2;
    s3 += d2 * d;
    s4 += d2 * d2;
  }
  sums[0] = s2;
  sums[1] = s3;
  sums[2] = s4;
  return n;
}

/** G1 skewness from `sums` (as `skew`). */
function momentSkew(n: number): number {
  if (n < 3) return NaN;
  const g1 = (Math.sqrt(n) * sums[1]) / Math.pow(sums[0], 1.5);
  return (g1 * Math.sqrt(n * (n - 1))) / (n - 2);
}

/** G2 excess kurtosis from `sums` (as `kurt`). */
function momentKurt(n: number): number {
  if (n < 4) return NaN;
  const r = (n * sums[2]) / (sums[0] * sums[0]);
  return (((n + 1) * (r - 3) + 6) * (n - 1)) / ((n - 2) * (n - 3));
}

export interface WinsoriseOptions {
  /** Maximum number of winsorised points (default 5); null = unlimited. */
  winmax?: number | null;
  skewThreshold?: number;
  kurtThreshold?: number;
  /** Winsorise up to winmax even if the column passes. Needs a finite winmax. */
  forceWinsorise?: boolean;
}

export interface WinsoriseResult {
  values: Float64Array;
  /** Points at the capped top plus points at the capped bottom (COINr `nwin`). */
  nwin: number;
  /** Row indices capped at the top ("winhi") and at the bottom ("winlo"). */
  high: number[];
  low: number[];
  /** Set when winsorisation could not proceed (skew undefined); `values` is then the input. */
  error?: string;
}

/**
 * COINr `winsorise()`: successive winsorisation, high or low by the sign of the skew, until the
 * skew/kurtosis check passes or nwin reaches winmax. NaN values are skipped and kept.
 * @example winsorise(new Float64Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 100])).values[10] // => 10
 */
export function winsorise(x: ArrayLike<number>, options: WinsoriseOptions = {}): WinsoriseResult {
  const { check: _final, ...result } = winsoriseChecked(x, options);
  return result;
}

/**
 * `winsorise`, given the check of `x` if known (same thresholds), also returning the check of the
 * returned values (the loop's last check), so neither is computed twice. With `work` (length of x),
 * winsorises in it instead of a new array (the result's `values` is then `work`).
 */
function winsoriseChecked(
  x: ArrayLike<number>,
  options: WinsoriseOptions,
  initial?: SkewKurtCheck,
  work?: Float64Array,
): WinsoriseResult & { check: SkewKurtCheck } {
  const winmax = options.winmax === undefined ? TREAT_DEFAULTS.winmax : options.winmax;
  const st = options.skewThreshold ?? TREAT_DEFAULTS.skewThreshold;
  const kt = options.kurtThreshold ?? TREAT_DEFAULTS.kurtThreshold;
  const force = options.forceWinsorise ?? false;
  if (force && (winmax === null || !Number.isFinite(winmax))) {
    throw new CityIndexError({
      code: 'E_OPTION',
      message: 'winsorise: forceWinsorise needs a finite winmax',
      field: 'winmax',
      expected: 'a whole number',
    });
  }
  let v: Float64Array;
  if (work !== undefined && work.length === x.length) {
    v = work;
    v.set(x);
  } else v = new Float64Array(x);
  let check = initial ?? checkSkewKurt(v, st, kt);
  let passing = check.pass;
  let high: number[] = [];
  let low: number[] = [];
  let nwin = 0;
  while ((passing === false || force) && (winmax === null || nwin < winmax)) {
    const s = check.skew; // the skew of v as it is now (computed by the last check)
    if (Number.isNaN(s))
      return {
        values: new Float64Array(x),
        nwin: 0,
        high: [],
        low: [],
        error: 'skewness is undefined (too few distinct values)',
        check,
      };
    const top = s >= 0;
    const extreme = top ? max(v) : min(v);
    const idx: number[] = [];
    let next = top ? -Infinity : Infinity;
    for (let i = 0; i < v.length; i++) {
      const y = v[i];
      if (Number.isNaN(y)) continue;
      if (y === extreme) idx.push(i);
      else if (top ? y > next : y < next) next = y;
    }
    if (!Number.isFinite(next))
      return { values: new Float64Array(x), nwin: 0, high: [], low: [], error: 'all values are equal', check };
    for (const i of idx) v[i] = next;
    if (top) high = idx;
    else low = idx;
    nwin = high.length + low.length;
    check = checkSkewKurt(v, st, kt);
    passing = check.pass;
    // R: `while ((!NA | force) & below)` — NA stops the loop (or errors); Treat then returns x untreated.
    if (passing === null) break;
  }
  return { values: v, nwin, high, low, check };
}

/**
 * COINr `log_CT`: log(x − min + 0.01·(max − min)), ignoring the direction of the skew.
 * @example logCT([1, 2, 11])[2] // => Math.log(10.1)
 */
export function logCT(x: ArrayLike<number>): Float64Array {
  const lo = min(x);
  const hi = max(x);
  return Float64Array.from(x, (v) => Math.log(v - lo + 0.01 * (hi - lo)));
}

/**
 * COINr `log_CT_plus`: as `logCT` for skew > 0, else −log(max + a − x) (mirrored), a = 0.01·(max − min).
 * @example logCTPlus([1, 10, 11])[0] // => -Math.log(10.1)
 */
export function logCTPlus(x: ArrayLike<number>): Float64Array {
  const lo = min(x);
  const hi = max(x);
  const a = 0.01 * (hi - lo);
  return skew(x) > 0
    ? Float64Array.from(x, (v) => Math.log(v - lo + a))
    : Float64Array.from(x, (v) => -Math.log(hi + a - v));
}

/**
 * COINr `log_CT_orig`: log(x − min + 1).
 * @example logCTOrig([3, 5])[1] // => Math.log(3)
 */
export function logCTOrig(x: ArrayLike<number>): Float64Array {
  const lo = min(x);
  return Float64Array.from(x, (v) => Math.log(v - lo + 1));
}

/**
 * COINr `boxcox(x, lambda, makepos = TRUE)`: shift to x − min + 1, then (x^λ − 1)/λ, or log x for λ = 0.
 * @example boxcox([0, 1], 2)[1] // => 1.5
 */
export function boxcox(x: ArrayLike<number>, lambda: number): Float64Array {
  const lo = min(x);
  return Float64Array.from(x, (v) => {
    const y = v - lo + 1;
    return lambda === 0 ? Math.log(y) : (Math.pow(y, lambda) - 1) / lambda;
  });
}

/**
 * Natural log of every value (COINr test `f2 = "log"`); throws if a value is ≤ 0.
 * @example logNatural([1, Math.E])[1] // => 1
 */
export function logNatural(x: ArrayLike<number>): Float64Array {
  for (let i = 0; i < x.length; i++) {
    if (x[i] <= 0)
      throw new CityIndexError({
        code: 'E_LOG_NONPOSITIVE',
        message: `log transform needs positive values, found ${x[i]} at row ${i + 1}`,
        expected: 'values > 0',
      });
  }
  return Float64Array.from(x, Math.log);
}

/** Transform names accepted as a fallback: spec.ts `TreatFallback` plus COINr's plain `log`. */
export type TransformName = Exclude<TreatFallback, 'none'> | 'log';

/** One column's treatment spec; `fallback` also accepts `'log'` (COINr `f2 = "log"`). */
export type ColumnTreatSpec = Omit<TreatSpec, 'fallback'> & { fallback?: TreatFallback | 'log' };

function applyTransform(name: TransformName, x: ArrayLike<number>, lambda: number | undefined): Float64Array {
  switch (name) {
    case 'logCT':
      return logCT(x);
    case 'logCTPlus':
      return logCTPlus(x);
    case 'logCTOrig':
      return logCTOrig(x);
    case 'log':
      return logNatural(x);
    case 'boxcox':
      if (lambda === undefined || !Number.isFinite(lambda))
        throw new CityIndexError({ code: 'E_OPTION', message: 'boxcox needs a finite lambda', field: 'lambda' });
      return boxcox(x, lambda);
    default: {
      const never: never = name;
      throw new CityIndexError({
        code: 'E_OPTION',
        message: `unknown transform "${String(never)}"`,
        field: 'fallback',
      });
    }
  }
}

export type TreatStatus = 'passed' | 'winsorised' | 'transformed' | 'stillFailing' | 'untreated' | 'skipped';

/** What happened to one column (row indices, not unit codes). */
export interface TreatColumnDetails {
  status: TreatStatus;
  initial: SkewKurtCheck;
  /** The first-stage treatment (method), when it ran. For winsorisation: nwin and capped rows. */
  stage1?: {
    method: 'winsorise' | 'log' | 'boxcox';
    nwin?: number;
    high?: number[];
    low?: number[];
    values: Float64Array;
    check: SkewKurtCheck;
  };
  /** The fallback, applied to the original column when stage 1 did not pass. */
  transform?: { name: TransformName; check: SkewKurtCheck };
  /** The check of the returned values. */
  final: SkewKurtCheck;
  /** True when `forceWinsorise` made a passing column be winsorised. */
  forced: boolean;
  warning?: string;
}

/**
 * Treat one column as COINr `Treat.numeric(f1 = method, f2 = fallback, f_pass = "check_SkewKurt")`.
 * @example treatColumn(new Float64Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 100]), { winmax: 5 }).details.status // => 'winsorised'
 */
export function treatColumn(
  x: ArrayLike<number>,
  spec: ColumnTreatSpec = {},
): { values: Float64Array; details: TreatColumnDetails } {
  const r = treatColumnView(x, 0, x.length, spec);
  return { values: r.values ?? Float64Array.from(x), details: r.details };
}

/** `values`: the treated column, or null when the column is left as it is. */
type ViewResult = { values: Float64Array | null; details: TreatColumnDetails };

function untreatedResult(
  initial: SkewKurtCheck,
  warning: string,
  stage1?: TreatColumnDetails['stage1'],
  forced?: boolean,
): ViewResult {
  const details: TreatColumnDetails = { status: 'untreated', initial, final: initial, forced: false, warning };
  if (stage1 !== undefined) {
    details.stage1 = stage1;
    details.forced = forced ?? false;
  }
  return { values: null, details };
}

/**
 * `treatColumn` of the column `source[offset … offset + length)` without copying: `values` is null when
 * the column is left as it is, and `work` (if given, of that length) when winsorisation kept its result —
 * valid until `work` is used again. The column is only sliced out when a treatment runs.
 */
function treatColumnView(
  source: ArrayLike<number>,
  offset: number,
  length: number,
  spec: ColumnTreatSpec,
  work?: Float64Array,
): ViewResult {
  const method = spec.method ?? TREAT_DEFAULTS.method;
  const st = spec.skewThreshold ?? TREAT_DEFAULTS.skewThreshold;
  const kt = spec.kurtThreshold ?? TREAT_DEFAULTS.kurtThreshold;
  const force = method === 'winsorise' && (spec.forceWinsorise ?? false);
  const fallback = spec.fallback ?? TREAT_DEFAULTS.fallback;
  const initial = checkSkewKurtAt(source, offset, length, st, kt);
  if (method === 'none')
    return { values: null, details: { status: 'skipped', initial, final: initial, forced: false } };
  if (initial.pass === null)
    return untreatedResult(
      initial,
      'the skew/kurtosis check is undefined (too few values or no variation); left untreated',
    );
  if (initial.pass && !force)
    return { values: null, details: { status: 'passed', initial, final: initial, forced: false } };
  const x =
    offset === 0 && length === source.length ? source : (source as Float64Array).subarray(offset, offset + length);

  let stage1: NonNullable<TreatColumnDetails['stage1']>;
  let x1: Float64Array;
  switch (method) {
    case 'winsorise': {
      const w = winsoriseChecked(
        x,
        {
          winmax: spec.winmax === undefined ? TREAT_DEFAULTS.winmax : spec.winmax,
          skewThreshold: st,
          kurtThreshold: kt,
          forceWinsorise: force,
        },
        initial,
        work,
      );
      if (w.error) return untreatedResult(initial, `winsorisation failed: ${w.error}; left untreated`);
      x1 = w.values;
      stage1 = { method, nwin: w.nwin, high: w.high, low: w.low, values: x1, check: w.check };
      break;
    }
    case 'log':
      x1 = logNatural(x);
      stage1 = { method, values: x1, check: checkSkewKurt(x1, st, kt) };
      break;
    case 'boxcox':
      x1 = applyTransform('boxcox', x, spec.lambda);
      stage1 = { method, values: x1, check: checkSkewKurt(x1, st, kt) };
      break;
    default: {
      const never: never = method;
      throw new CityIndexError({
        code: 'E_OPTION',
        message: `treat: unknown method "${String(never)}"`,
        field: 'method',
      });
    }
  }
  const forced = force && initial.pass === true;
  if (stage1.check.pass === null)
    return untreatedResult(
      initial,
      'the check after treatment is undefined; left untreated (as COINr)',
      stage1,
      forced,
    );
  if (stage1.check.pass || fallback === 'none') {
    return {
      values: x1,
      details: {
        status: stage1.check.pass ? (method === 'winsorise' ? 'winsorised' : 'transformed') : 'stillFailing',
        initial,
        stage1,
        final: stage1.check,
        forced,
      },
    };
  }
  // combine_treat = FALSE: the fallback works on the original column.
  const x2 = applyTransform(fallback, x, spec.lambda);
  const check2 = checkSkewKurt(x2, st, kt);
  if (check2.pass === null)
    return untreatedResult(
      initial,
      'the check after the fallback transform is undefined; left untreated (as COINr)',
      stage1,
      forced,
    );
  return {
    values: x2,
    details: {
      status: check2.pass ? 'transformed' : 'stillFailing',
      initial,
      stage1,
      transform: { name: fallback, check: check2 },
      final: check2,
      forced,
    },
  };
}

/** One winsorised point in the step diagnostics. */
export interface WinsorisedPoint {
  unit: string;
  side: 'high' | 'low';
  from: number;
  to: number;
}

export interface TreatIndicatorDiagnostics {
  code: string;
  status: TreatStatus;
  initial: SkewKurtCheck;
  /** Present when winsorisation ran (its points are replaced by `transform` if one followed). */
  winsorised?: { nwin: number; points: WinsorisedPoint[]; check: SkewKurtCheck };
  /** Present when `method` was log or boxcox. */
  stage1?: { method: 'log' | 'boxcox'; check: SkewKurtCheck };
  transform?: TransformName;
  final: SkewKurtCheck;
  forced: boolean;
  warning?: string;
}

export interface TreatDiagnostics {
  indicators: TreatIndicatorDiagnostics[];
  summary: {
    failedInitially: number;
    winsorisedPoints: number;
    high: number;
    low: number;
    transformed: number;
    stillFailing: number;
    untreated: number;
  };
  warnings: Issue[];
}

const METHODS = ['winsorise', 'log', 'boxcox', 'none'] as const;
const FALLBACKS = ['logCT', 'logCTPlus', 'logCTOrig', 'boxcox', 'log', 'none'] as const;

function validateSpec(spec: ColumnTreatSpec, field: string, issues: Issue[], indicator?: string): void {
  const at = (f: string): Pick<Issue, 'field' | 'indicator'> => ({
    field: `${field}${f}`,
    ...(indicator ? { indicator } : {}),
  });
  if (spec.method !== undefined && !(METHODS as readonly string[]).includes(spec.method)) {
    issues.push({
      code: 'E_OPTION',
      message: `treat: unknown method "${String(spec.method)}"`,
      ...at('method'),
      expected: METHODS.join(', '),
    });
  }
  if (spec.fallback !== undefined && !(FALLBACKS as readonly string[]).includes(spec.fallback)) {
    issues.push({
      code: 'E_OPTION',
      message: `treat: unknown fallback "${String(spec.fallback)}"`,
      ...at('fallback'),
      expected: FALLBACKS.join(', '),
    });
  }
  if (spec.winmax !== undefined && spec.winmax !== null && !(Number.isInteger(spec.winmax) && spec.winmax >= 0)) {
    issues.push({
      code: 'E_OPTION',
      message: `treat: winmax must be a whole number ≥ 0 or null, got ${String(spec.winmax)}`,
      ...at('winmax'),
      expected: 'an integer ≥ 0, or null for no limit',
    });
  }
  for (const f of ['skewThreshold', 'kurtThreshold'] as const) {
    const v = spec[f];
    if (v !== undefined && !(typeof v === 'number' && Number.isFinite(v))) {
      issues.push({
        code: 'E_OPTION',
        message: `treat: ${f} must be a finite number, got ${String(v)}`,
        ...at(f),
        expected: 'a finite number',
      });
    }
  }
  if (spec.skewThreshold !== undefined && typeof spec.skewThreshold === 'number' && spec.skewThreshold <= 0) {
    issues.push({
      code: 'E_OPTION',
      message: `treat: skewThreshold must be positive (it bounds |skew|), got ${spec.skewThreshold}`,
      ...at('skewThreshold'),
      expected: 'a number > 0',
    });
  }
  if (spec.forceWinsorise !== undefined && typeof spec.forceWinsorise !== 'boolean') {
    issues.push({ code: 'E_OPTION', message: 'treat: forceWinsorise must be true or false', ...at('forceWinsorise') });
  }
}

function validateResolved(spec: ColumnTreatSpec, field: string, issues: Issue[], indicator?: string): void {
  const at = { field, ...(indicator ? { indicator } : {}) };
  const winmax = spec.winmax === undefined ? TREAT_DEFAULTS.winmax : spec.winmax;
  if (spec.forceWinsorise && winmax === null) {
    issues.push({
      code: 'E_OPTION',
      message: 'treat: forceWinsorise needs a finite winmax (it winsorises up to winmax)',
      ...at,
      expected: 'winmax set to a whole number',
    });
  }
  const usesBoxcox = spec.method === 'boxcox' || (spec.fallback ?? TREAT_DEFAULTS.fallback) === 'boxcox';
  if (usesBoxcox && !(typeof spec.lambda === 'number' && Number.isFinite(spec.lambda))) {
    issues.push({
      code: 'E_OPTION',
      message: 'treat: boxcox needs a finite lambda',
      ...at,
      expected: 'lambda: a number',
    });
  }
}

/**
 * The treat build step (COINr `Treat(coin, dset, global_specs, indiv_specs)`): every indicator is
 * treated with the global spec merged with its `perIndicator` entry (as `utils::modifyList`).
 * @example
 * // COINr example build (winmax 5): 15 indicators fail, 35 points winsorised, no log transform
 * treatStep(input, { winmax: 5 }).diagnostics.summary // => { failedInitially: 15, winsorisedPoints: 35, high: 34, low: 1, transformed: 0, stillFailing: 0, untreated: 0 }
 */
export function treatStep(input: StepInput, options: TreatOptions = {}): StepOutput<TreatDiagnostics> {
  const { dataset } = input;
  const { perIndicator, ...globalSpec } = options as TreatOptions & { perIndicator?: Record<string, ColumnTreatSpec> };
  const issues: Issue[] = [];
  validateSpec(globalSpec, '', issues);
  const per = perIndicator ?? {};
  const unusedOverrides: Issue[] = [];
  for (const [code, spec] of Object.entries(per)) {
    if (colIndex(dataset, code) < 0) {
      // an indicator of the framework left out of this build (excluded, not collected) only warrants a warning
      if (input.framework.nodes.some((nd) => nd.code === code))
        unusedOverrides.push({
          code: 'W_UNUSED_OVERRIDE',
          severity: 'warning',
          message: `treat: perIndicator override for "${code}" is not used: the indicator is not in this build`,
          field: `perIndicator.${code}`,
          indicator: code,
        });
      else
        issues.push({
          code: 'E_UNKNOWN_INDICATOR',
          message: `treat: perIndicator names "${code}", which is not in the dataset`,
          field: `perIndicator.${code}`,
          indicator: code,
        });
      continue;
    }
    validateSpec(spec, `perIndicator.${code}.`, issues, code);
  }
  const specOf = (code: string): ColumnTreatSpec =>
    per[code] === undefined ? globalSpec : { ...globalSpec, ...per[code] };
  if (!issues.length) {
    const perCodes = new Set(Object.keys(per));
    validateResolved(globalSpec, '', issues);
    for (const code of dataset.codes)
      if (perCodes.has(code)) validateResolved(specOf(code), `perIndicator.${code}`, issues, code);
  }
  if (issues.length) throw new CityIndexError(issues);

  const n = dataset.unitCodes.length;
  const values = dataset.values.slice();
  // winsorisation works in one buffer for all columns (its result is copied into `values` at once)
  const work = new Float64Array(n);
  const indicators: TreatIndicatorDiagnostics[] = [];
  const warnings: Issue[] = [...unusedOverrides];
  const summary = {
    failedInitially: 0,
    winsorisedPoints: 0,
    high: 0,
    low: 0,
    transformed: 0,
    stillFailing: 0,
    untreated: 0,
  };
  dataset.codes.forEach((code, j) => {
    const src = dataset.values;
    const at = j * n;
    let r: ViewResult;
    try {
      r = treatColumnView(src, at, n, specOf(code), work);
    } catch (e) {
      if (e instanceof CityIndexError)
        throw new CityIndexError(e.issues.map((i) => ({ ...i, indicator: i.indicator ?? code, unit: i.unit })));
      throw e;
    }
    if (r.values !== null) values.set(r.values, at);
    const d = r.details;
    const diag: TreatIndicatorDiagnostics = {
      code,
      status: d.status,
      initial: d.initial,
      final: d.final,
      forced: d.forced,
    };
    if (d.stage1?.method === 'winsorise') {
      const w = dataset.unitCodes;
      const after = d.stage1.values;
      const sides: Array<[number, 'high' | 'low']> = [
        ...(d.stage1.high ?? []).map((i) => [i, 'high'] as [number, 'high']),
        ...(d.stage1.low ?? []).map((i) => [i, 'low'] as [number, 'low']),
      ].sort((a, b) => a[0] - b[0]);
      // `to` is the winsorised value; if a fallback transform followed, the returned column is the transform.
      const points: WinsorisedPoint[] = sides.map(([i, side]) => ({
        unit: w[i],
        side,
        from: src[at + i],
        to: after[i],
      }));
      diag.winsorised = { nwin: d.stage1.nwin ?? 0, points, check: d.stage1.check };
    } else if (d.stage1) {
      diag.stage1 = { method: d.stage1.method, check: d.stage1.check };
    }
    if (d.transform) diag.transform = d.transform.name;
    if (d.warning) {
      diag.warning = d.warning;
      warnings.push({ code: 'W_TREAT', severity: 'warning', message: `treat: ${d.warning}`, indicator: code });
    }
    if (d.initial.pass === false) summary.failedInitially++;
    if (diag.winsorised && !d.transform && d.status !== 'untreated') {
      summary.winsorisedPoints += diag.winsorised.points.length;
      for (const p of diag.winsorised.points) summary[p.side]++;
    }
    if (d.transform || diag.stage1) summary.transformed++;
    if (d.status === 'stillFailing') summary.stillFailing++;
    if (d.status === 'untreated') summary.untreated++;
    if (d.status === 'stillFailing')
      warnings.push({
        code: 'W_STILL_FAILING',
        severity: 'warning',
        message: `treat: still fails the skew/kurtosis check after treatment (skew ${d.final.skew.toFixed(3)}, kurtosis ${d.final.kurt.toFixed(3)})`,
        indicator: code,
      });
    indicators.push(diag);
  });
  return {
    dataset: { unitCodes: [...dataset.unitCodes], codes: [...dataset.codes], values },
    diagnostics: { indicators, summary, warnings },
  };
}
