/**
 * Winsorisation, COINr 1.1.14's default treatment (`winsorise`, R/treat.R): while the column fails the
 * skew/kurtosis check and nwin < winmax, the current maximum (if skew ≥ 0) or minimum (if skew < 0) is
 * replaced by the next value in; ties move together and nwin counts the points at the capped end(s), so
 * ties can push nwin past winmax.
 *
 * Departure from COINr: `forceWinsorise` implements COINr's documented intent (winsorise up to winmax
 * even when passing). COINr 1.1.14 ignores `force_win` when the column passes the initial check, because
 * `Treat.numeric` returns before calling `winsorise` (open issue bluefoxr/COINr#53); on a failing column
 * both agree.
 */
import * as z from 'zod';
import { CityIndexError } from '../../core/errors.ts';
import { checkSkewKurt, SKEW_KURT_DEFAULTS, SkewKurtThresholdsSchema, type SkewKurtCheck } from './check.ts';
import { defineTreatment } from './definition.ts';

/** Maximum number of winsorised points (COINr default 5); `null` = unlimited. */
const winmax = z.number().int().min(0).nullable().optional();
/** Winsorise up to winmax even if the column passes (COINr's intent; see COINr issue #53). */
const forceWinsorise = z.boolean().optional();

/** Options of the `winsorise` kernel: the thresholds of the check, winmax and forceWinsorise. */
export const WinsoriseOptionsSchema = SkewKurtThresholdsSchema.extend({ winmax, forceWinsorise });
export type WinsoriseOptions = z.infer<typeof WinsoriseOptionsSchema>;

/** The method's own settings in a treat spec (`{ method: 'winsorise', winmax?, forceWinsorise? }`). */
export const WinsoriseTreatmentSchema = z.strictObject({ method: z.literal('winsorise'), winmax, forceWinsorise });

/** COINr `Treat.data.frame` defaults of winsorisation, written once. */
export const WINSORISE_DEFAULTS = { winmax: 5 as number | null, forceWinsorise: false };

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
 * @example winsoriseChecked([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 100], {}).check.pass // => true
 */
export function winsoriseChecked(
  x: ArrayLike<number>,
  options: WinsoriseOptions,
  initial?: SkewKurtCheck,
  work?: Float64Array,
): WinsoriseResult & { check: SkewKurtCheck } {
  const winmax = options.winmax === undefined ? WINSORISE_DEFAULTS.winmax : options.winmax;
  const st = options.skewThreshold ?? SKEW_KURT_DEFAULTS.skewThreshold;
  const kt = options.kurtThreshold ?? SKEW_KURT_DEFAULTS.kurtThreshold;
  const force = options.forceWinsorise ?? WINSORISE_DEFAULTS.forceWinsorise;
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
    // one pass: the extreme, where it is, and the next value in (no separate max/min scan per point)
    let idx: number[] = [];
    let extreme = top ? -Infinity : Infinity;
    let next = top ? -Infinity : Infinity;
    for (let i = 0; i < v.length; i++) {
      const y = v[i];
      if (Number.isNaN(y)) continue;
      if (y === extreme) idx.push(i);
      else if (top ? y > extreme : y < extreme) {
        next = extreme;
        extreme = y;
        idx = [i];
      } else if (top ? y > next : y < next) next = y;
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
/** `winsorise`: COINr's default treatment. */
export const winsoriseTreatment = defineTreatment<typeof WinsoriseTreatmentSchema>({
  method: 'winsorise',
  schema: WinsoriseTreatmentSchema,
  defaults: WINSORISE_DEFAULTS,
  forceable: true,
  passStatus: 'winsorised',
  stage: (x, s, c) => {
    const options = {
      winmax: s.winmax === undefined ? WINSORISE_DEFAULTS.winmax : s.winmax,
      skewThreshold: s.skewThreshold,
      kurtThreshold: s.kurtThreshold,
      forceWinsorise: c.force,
    };
    const w = winsoriseChecked(x, options, c.initial, c.work);
    if (w.error) return `winsorisation failed: ${w.error}; left untreated`;
    return { nwin: w.nwin, high: w.high, low: w.low, values: w.values, check: w.check };
  },
  text: {
    en: (o) =>
      `winsorise, at most ${(o.winmax === undefined ? WINSORISE_DEFAULTS.winmax : o.winmax) ?? 'unlimited'} points`,
    zh: (o) => `缩尾，最多 ${(o.winmax === undefined ? WINSORISE_DEFAULTS.winmax : o.winmax) ?? '不限'} 个点`,
  },
});
