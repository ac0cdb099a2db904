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
import type { StepInput, StepOutput } from '../../pipeline/step.ts';
import type { TreatOptions, TreatSpec } from '../../spec/spec.ts';
import { isMethodOf, overrideInBuild, type MethodSchema } from '../method.ts';
import { checkSkewKurt, checkSkewKurtAt, type SkewKurtCheck } from './check.ts';
import type { TreatDefinition } from './definition.ts';
import {
  TRANSFORM_REGISTRY,
  TREAT_DEFAULTS,
  TREAT_METHODS,
  TREAT_REGISTRY,
  TREAT_TRANSFORMS,
  type TreatMethodName,
  type TreatTransformName,
} from './index.ts';

// The kernels and definitions live in one file each; their old names are re-exported from here.
export { checkSkewKurt, type SkewKurtCheck } from './check.ts';
export { TREAT_DEFAULTS } from './index.ts';
export { winsorise, type WinsoriseOptions, type WinsoriseResult } from './winsorise.ts';
export { logCT } from './log-ct.ts';
export { logCTPlus } from './log-ct-plus.ts';
export { logCTOrig } from './log-ct-orig.ts';
export { boxcox } from './boxcox.ts';
export { logNatural } from './log.ts';

/** Transform names accepted as a fallback: spec.ts `TreatFallback` plus COINr's plain `log`. */
export type TransformName = Exclude<TreatTransformName, 'none'>;

/** One column's treatment spec; `fallback` also accepts `'log'` (COINr `f2 = "log"`). */
export type ColumnTreatSpec = Omit<TreatSpec, 'fallback'> & { fallback?: TreatTransformName };

/** The transform `name` (a fallback) applied to the original column. */
function applyTransform(name: TransformName, x: ArrayLike<number>, lambda: number | undefined): Float64Array {
  const apply = isMethodOf(TRANSFORM_REGISTRY, name) ? TRANSFORM_REGISTRY[name].apply : undefined;
  if (apply === undefined)
    throw new CityIndexError({ code: 'E_OPTION', message: `unknown transform "${String(name)}"`, field: 'fallback' });
  return apply(x, { lambda });
}

export type TreatStatus = 'passed' | 'winsorised' | 'transformed' | 'stillFailing' | 'untreated' | 'skipped';

/** What happened to one column (row indices, not unit codes). */
export interface TreatColumnDetails {
  status: TreatStatus;
  initial: SkewKurtCheck;
  /** The first-stage treatment (method), when it ran. For winsorisation: nwin and capped rows. */
  stage1?: {
    method: Exclude<TreatMethodName, 'none'>;
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
 * @example
 * const x = new Float64Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 100]);
 * treatColumn(x, { winmax: 5 }).details.status // => 'winsorised'
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
  if (!isMethodOf(TREAT_REGISTRY, method))
    throw new CityIndexError({
      code: 'E_OPTION',
      message: `treat: unknown method "${String(method)}"`,
      field: 'method',
    });
  const definition: TreatDefinition<MethodSchema> = TREAT_REGISTRY[method];
  const st = spec.skewThreshold ?? TREAT_DEFAULTS.skewThreshold;
  const kt = spec.kurtThreshold ?? TREAT_DEFAULTS.kurtThreshold;
  const force = definition.forceable && (spec.forceWinsorise ?? TREAT_DEFAULTS.forceWinsorise);
  const fallback = spec.fallback ?? TREAT_DEFAULTS.fallback;
  const initial = checkSkewKurtAt(source, offset, length, st, kt);
  if (definition.stage === undefined)
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

  const settings = { winmax: spec.winmax, lambda: spec.lambda, skewThreshold: st, kurtThreshold: kt };
  const r = definition.stage(x, settings, { initial, force, work });
  if (typeof r === 'string') return untreatedResult(initial, r);
  const stage1: NonNullable<TreatColumnDetails['stage1']> = {
    method: method as Exclude<TreatMethodName, 'none'>,
    ...r,
  };
  const x1 = r.values;
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
        status: stage1.check.pass ? definition.passStatus : 'stillFailing',
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

const METHODS: readonly string[] = TREAT_METHODS.map((d) => d.method);
const FALLBACKS: readonly string[] = TREAT_TRANSFORMS.map((d) => d.method);

function validateSpec(spec: ColumnTreatSpec, field: string, issues: Issue[], indicator?: string): void {
  const at = (f: string): Pick<Issue, 'field' | 'indicator'> => ({
    field: `${field}${f}`,
    ...(indicator ? { indicator } : {}),
  });
  if (spec.method !== undefined && !METHODS.includes(spec.method)) {
    issues.push({
      code: 'E_OPTION',
      message: `treat: unknown method "${String(spec.method)}"`,
      ...at('method'),
      expected: METHODS.join(', '),
    });
  }
  if (spec.fallback !== undefined && !FALLBACKS.includes(spec.fallback)) {
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
 * const screened = asem.build.steps.find((s) => s.kind === 'screen')!;
 * const { summary } = treatStep(screened, { winmax: 5 }).diagnostics;
 * [summary.failedInitially, summary.winsorisedPoints, summary.high, summary.low] // => [15, 35, 34, 1]
 * summary.transformed + summary.stillFailing + summary.untreated // => 0
 */
export function treatStep(input: StepInput, options: TreatOptions = {}): StepOutput<TreatDiagnostics> {
  const { dataset } = input;
  const { perIndicator, ...globalSpec } = options as TreatOptions & { perIndicator?: Record<string, ColumnTreatSpec> };
  const issues: Issue[] = [];
  validateSpec(globalSpec, '', issues);
  const per = perIndicator ?? {};
  const unusedOverrides: Issue[] = [];
  for (const [code, spec] of Object.entries(per)) {
    if (!overrideInBuild('treat', code, dataset, input.framework, issues, unusedOverrides)) continue;
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
        message:
          'treat: still fails the skew/kurtosis check after treatment ' +
          `(skew ${d.final.skew.toFixed(3)}, kurtosis ${d.final.kurt.toFixed(3)})`,
        indicator: code,
      });
    indicators.push(diag);
  });
  return {
    dataset: { unitCodes: [...dataset.unitCodes], codes: [...dataset.codes], values },
    diagnostics: { indicators, summary, warnings },
  };
}
