/**
 * Normalise step and its column kernels (COINr 1.1.14 `Normalise`, R/normalise.R; OECD/JRC Handbook
 * Part 2 §5). Direction first — every indicator column is multiplied by its framework `direction`
 * (+1/−1) — then the method is applied, so for every method "higher is better" afterwards.
 *
 * Parameters given in an indicator's own units (a target, goalposts, `scaled` bounds) are flipped
 * together with the data (COINr's `use_iMeta` semantics: `Target·Direction`, passed with direction 1).
 * Deliberate difference: COINr's `n_scaled` applies its bounds to the already flipped data; cityindex
 * flips them too, so `scaled` on a direction −1 indicator gives `(u − x)/(u − l)·scaleFactor`.
 * Identical to COINr for direction +1.
 *
 * Kernels work on one column (NaN = missing, kept missing) and return a new Float64Array. A zero
 * range (or any other degenerate denominator) is an error naming the indicator — never a silent NaN.
 */
import { CityIndexError, type Issue } from '../../core/errors.ts';
import { datasetOf } from '../../core/dataset.ts';
import type { Framework, FrameworkNode } from '../../core/framework.ts';
import type { NormaliseMethod, NormaliseOptions } from '../../spec/spec.ts';
import type { StepInput, StepOutput } from '../../pipeline/step.ts';
import { countAvailable, max, mean, min, rankAscending, sd } from '../../stats/descriptive.ts';

type Num = ArrayLike<number>;

/** Thrown by kernels for degenerate input; the step turns it into a located `Issue`. */
export class DegenerateColumnError extends Error {
  constructor(message: string, readonly expected?: string) {
    super(message);
    this.name = 'DegenerateColumnError';
  }
}

function map(x: Num, f: (v: number) => number): Float64Array {
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) { const v = x[i]; out[i] = Number.isNaN(v) ? NaN : f(v); }
  return out;
}

function needValues(x: Num): void {
  if (countAvailable(x) === 0) throw new DegenerateColumnError('the column has no available values', 'at least one value');
}

// ---------------------------------------------------------------- kernels

/**
 * Min–max scaling onto `[l, u]` (COINr `n_minmax`): `(x − min)/(max − min)·(u − l) + l`.
 * Throws when max = min (COINr returns NaN with a warning).
 * @example minMax([1, 2, 3], [0, 100]) // => Float64Array [0, 50, 100]
 */
export function minMax(x: Num, range: readonly [number, number] = [0, 100]): Float64Array {
  needValues(x);
  const lo = min(x);
  const hi = max(x);
  if (hi === lo) throw new DegenerateColumnError(`the range of the column is 0 (all values equal ${lo})`, 'at least two distinct values');
  const [l, u] = range;
  return map(x, (v) => ((v - lo) / (hi - lo)) * (u - l) + l);
}

/**
 * z-score with target mean and standard deviation (COINr `n_zscore`): `(x − mean)/sd·sdTarget + meanTarget`,
 * sample sd (n − 1). Throws when sd is 0 or undefined (fewer than 2 values).
 * @example zScore([1, 2, 3], 0, 1) // => Float64Array [-1, 0, 1]
 */
export function zScore(x: Num, meanTarget = 0, sdTarget = 1): Float64Array {
  needValues(x);
  const m = mean(x);
  const s = sd(x);
  if (!(s > 0)) throw new DegenerateColumnError(Number.isNaN(s) ? 'the standard deviation needs at least 2 values' : 'the standard deviation of the column is 0', 'at least two distinct values');
  return map(x, (v) => ((v - m) / s) * sdTarget + meanTarget);
}

/**
 * Linear scaling between fixed bounds (COINr `n_scaled`, GII 2020): `(x − l)/(u − l)·scaleFactor`.
 * @example scaled([1, 5.5, 10], 1, 10, 100) // => Float64Array [0, 50, 100]
 */
export function scaled(x: Num, lower: number, upper: number, scaleFactor = 100): Float64Array {
  if (upper === lower) throw new DegenerateColumnError(`scaled bounds are equal (${lower})`, 'lower ≠ upper');
  return map(x, (v) => ((v - lower) / (upper - lower)) * scaleFactor);
}

/**
 * Ranks, 1 = lowest, ties share the minimum rank (COINr `n_rank`, R `rank(x, ties.method = "min")`).
 * @example rank([10, 30, 30, 20]) // => Float64Array [1, 3, 3, 2]
 */
export function rank(x: Num): Float64Array {
  return rankAscending(x);
}

/**
 * Borda scores = rank − 1 (COINr `n_borda`).
 * @example borda([10, 30, 30, 20]) // => Float64Array [0, 2, 2, 1]
 */
export function borda(x: Num): Float64Array {
  return map(rankAscending(x), (r) => r - 1);
}

/**
 * Percentile ranks (COINr `n_prank`): `(rank − 1)/(nAvailable − 1)`, in [0, 1]. Needs ≥ 2 values.
 * @example percentileRank([10, 30, 20]) // => Float64Array [0, 1, 0.5]
 */
export function percentileRank(x: Num): Float64Array {
  const n = countAvailable(x);
  if (n < 2) throw new DegenerateColumnError('percentile ranks need at least 2 available values', 'at least 2 values');
  return map(rankAscending(x), (r) => (r - 1) / (n - 1));
}

/**
 * Distance to a target (COINr `n_dist2targ`, direction 1 after flipping): `(x − min)/(target − min)`,
 * optionally capped at 1, times `scale`. Throws when target = min.
 * @example distanceToTarget([0, 5, 11], 10, true) // => Float64Array [0, 0.5, 1]
 */
export function distanceToTarget(x: Num, target: number, cap = false, scale = 1): Float64Array {
  needValues(x);
  const lo = min(x);
  if (target === lo) throw new DegenerateColumnError(`the target (${target}) equals the minimum of the column`, 'a target different from the worst value');
  return map(x, (v) => {
    const y = (v - lo) / (target - lo);
    return (cap && y > 1 ? 1 : y) * scale;
  });
}

/**
 * Distance to the maximum (COINr `n_dist2max`): `1 − (max − x)/(max − min)`, times `scale`.
 * @example distanceToMax([1, 2, 5]) // => Float64Array [0, 0.25, 1]
 */
export function distanceToMax(x: Num, scale = 1): Float64Array {
  needValues(x);
  const lo = min(x);
  const hi = max(x);
  if (hi === lo) throw new DegenerateColumnError(`the range of the column is 0 (all values equal ${lo})`, 'at least two distinct values');
  return map(x, (v) => (1 - (hi - v) / (hi - lo)) * scale);
}

/**
 * Distance to a reference value (COINr `n_dist2ref`): `1 − (xRef − x)/(xRef − min)`, optionally capped
 * at 1, times `scale`. Throws when the reference is missing or equals the minimum.
 * @example distanceToReference([1, 3, 5], 3, true) // => Float64Array [0, 1, 1]
 */
export function distanceToReference(x: Num, reference: number, cap = false, scale = 1): Float64Array {
  needValues(x);
  if (Number.isNaN(reference)) throw new DegenerateColumnError('the reference unit has no value for this indicator', 'a reference unit with a value');
  const lo = min(x);
  if (reference === lo) throw new DegenerateColumnError(`the reference value (${reference}) equals the minimum of the column`, 'a reference above the minimum');
  return map(x, (v) => {
    const y = 1 - (reference - v) / (reference - lo);
    return (cap && y > 1 ? 1 : y) * scale;
  });
}

/**
 * Goalposts (COINr `n_goalposts`, direction 1): `(x − lower)/(upper − lower)`, truncated to [0, 1]
 * when `truncate` (default), times `scale`.
 * @example goalposts([1, 11, -1], 0, 10, 1) // => Float64Array [0.1, 1, 0]
 */
export function goalposts(x: Num, lower: number, upper: number, scale = 1, truncate = true): Float64Array {
  if (upper === lower) throw new DegenerateColumnError(`the goalposts are equal (${lower})`, 'lower ≠ upper');
  return map(x, (v) => {
    let y = (v - lower) / (upper - lower);
    if (truncate) y = y > 1 ? 1 : y < 0 ? 0 : y;
    return y * scale;
  });
}

/**
 * Fraction of the maximum (COINr `n_fracmax`): `x / max`, times `scale`. Throws when max is 0.
 * @example fractionOfMax([1, 2, 4]) // => Float64Array [0.25, 0.5, 1]
 */
export function fractionOfMax(x: Num, scale = 1): Float64Array {
  needValues(x);
  const hi = max(x);
  if (hi === 0) throw new DegenerateColumnError('the maximum of the column is 0', 'a non-zero maximum');
  return map(x, (v) => (v / hi) * scale);
}

// ---------------------------------------------------------------- step

/** What the step did to one indicator. */
export interface NormalisedIndicator {
  /** The method with every default and framework parameter filled in (in the indicator's own units). */
  method: NormaliseMethod;
  direction: 1 | -1;
  /** `perIndicator` override or the global method. */
  source: 'global' | 'perIndicator';
}

export interface NormaliseDiagnostics {
  indicators: Record<string, NormalisedIndicator>;
  /** Non-fatal notes (e.g. a column with no values, an override for a code not in the dataset). */
  warnings: Issue[];
}

/** COINr's default: min–max onto [0, 100]. */
export const DEFAULT_NORMALISATION: NormaliseMethod = { method: 'minMax', range: [0, 100] };

/**
 * Fill defaults and framework parameters into a method (targets and goalposts from the node when not given).
 * @example resolveNormaliseMethod({ method: 'zScore' }, node) // => { method: 'zScore', mean: 0, sd: 1 }
 */
export function resolveNormaliseMethod(m: NormaliseMethod, node: FrameworkNode | undefined): NormaliseMethod {
  const code = node?.code;
  switch (m.method) {
    case 'none': case 'rank': case 'percentileRank': case 'borda':
      return { method: m.method };
    case 'minMax':
      return { method: 'minMax', range: m.range ?? [0, 100] };
    case 'zScore':
      return { method: 'zScore', mean: m.mean ?? 0, sd: m.sd ?? 1 };
    case 'scaled':
      return { method: 'scaled', lower: m.lower, upper: m.upper, scaleFactor: m.scaleFactor ?? 100 };
    case 'distanceToTarget': {
      const target = m.target ?? node?.target;
      if (target === undefined || !Number.isFinite(target)) {
        throw new CityIndexError({ code: 'E_NO_TARGET', message: 'distanceToTarget needs a target: give `target` in the options or a `target` in the framework', indicator: code, field: 'target', expected: 'a finite number' });
      }
      return { method: 'distanceToTarget', target, cap: m.cap ?? false, scale: m.scale ?? 1 };
    }
    case 'distanceToMax':
      return { method: 'distanceToMax', scale: m.scale ?? 1 };
    case 'distanceToReference':
      return { method: 'distanceToReference', reference: m.reference, cap: m.cap ?? false, scale: m.scale ?? 1 };
    case 'goalposts': {
      const lower = m.lower ?? node?.goalposts?.lower;
      const upper = m.upper ?? node?.goalposts?.upper;
      if (lower === undefined || upper === undefined || !Number.isFinite(lower) || !Number.isFinite(upper)) {
        throw new CityIndexError({ code: 'E_NO_GOALPOSTS', message: 'goalposts need a lower and an upper goalpost: give them in the options or as `goalposts` in the framework', indicator: code, field: 'goalposts', expected: 'finite lower and upper' });
      }
      return { method: 'goalposts', lower, upper, scale: m.scale ?? node?.goalposts?.scale ?? 1, truncate: m.truncate ?? true };
    }
    case 'fractionOfMax':
      return { method: 'fractionOfMax', scale: m.scale ?? 1 };
    default: {
      const never: never = m;
      throw new CityIndexError({ code: 'E_METHOD', message: `unknown normalisation method "${(never as { method: string }).method}"`, field: 'method', expected: 'none | minMax | zScore | scaled | rank | percentileRank | borda | distanceToTarget | distanceToMax | distanceToReference | goalposts | fractionOfMax' });
    }
  }
}

/**
 * Normalise one column that is already multiplied by `direction`, with a resolved method.
 * Parameters in the indicator's units are flipped with `direction`. `unitCodes` locates a reference unit.
 * @example normaliseColumn([-3, -1, -2], { method: 'minMax', range: [0, 1] }, -1, []) // => Float64Array [0, 1, 0.5]
 */
export function normaliseColumn(x: Num, m: NormaliseMethod, direction: 1 | -1, unitCodes: readonly string[]): Float64Array {
  switch (m.method) {
    case 'none': return Float64Array.from(x);
    case 'minMax': return minMax(x, m.range ?? [0, 100]);
    case 'zScore': return zScore(x, m.mean ?? 0, m.sd ?? 1);
    case 'scaled': {
      const [l, u] = direction === 1 ? [m.lower, m.upper] : [-m.upper, -m.lower];
      return scaled(x, l, u, m.scaleFactor ?? 100);
    }
    case 'rank': return rank(x);
    case 'percentileRank': return percentileRank(x);
    case 'borda': return borda(x);
    case 'distanceToTarget': return distanceToTarget(x, (m.target as number) * direction, m.cap ?? false, m.scale ?? 1);
    case 'distanceToMax': return distanceToMax(x, m.scale ?? 1);
    case 'distanceToReference': {
      const i = unitCodes.indexOf(m.reference);
      if (i < 0) throw new DegenerateColumnError(`the reference unit "${m.reference}" is not in the dataset (screened out by an earlier step, or not a unit of the project)`, 'a unit code still in the build');
      return distanceToReference(x, x[i], m.cap ?? false, m.scale ?? 1);
    }
    case 'goalposts': {
      const lo = m.lower as number;
      const hi = m.upper as number;
      // COINr get_iMeta_norm_paras: for direction −1 the goalposts become (−upper, −lower).
      const [l, u] = direction === 1 ? [lo, hi] : [-hi, -lo];
      return goalposts(x, l, u, m.scale ?? 1, m.truncate ?? true);
    }
    case 'fractionOfMax': return fractionOfMax(x, m.scale ?? 1);
    default: {
      const never: never = m;
      throw new CityIndexError({ code: 'E_METHOD', message: `unknown normalisation method "${(never as { method: string }).method}"`, field: 'method' });
    }
  }
}

function splitOptions(options: NormaliseOptions | undefined): { global: NormaliseMethod; per: Record<string, NormaliseMethod> } {
  if (!options) return { global: DEFAULT_NORMALISATION, per: {} };
  const { perIndicator, ...rest } = options as NormaliseOptions & { perIndicator?: Record<string, NormaliseMethod> };
  const global = (rest as { method?: string }).method === undefined ? DEFAULT_NORMALISATION : (rest as NormaliseMethod);
  return { global, per: perIndicator ?? {} };
}

/**
 * The normalise step (COINr `Normalise`): each column × its framework direction, then the method
 * (global, or the `perIndicator` override). Default min–max onto [0, 100]. All degenerate columns are
 * reported together in one `CityIndexError`.
 * @example normaliseStep({ dataset, framework, units }).dataset // min–max [0, 100] of every indicator
 */
export function normaliseStep(input: StepInput, options?: NormaliseOptions): StepOutput<NormaliseDiagnostics> {
  const { dataset, framework } = input;
  const { global, per } = splitOptions(options);
  const nodes = nodeMap(framework);
  const n = dataset.unitCodes.length;
  const out = new Float64Array(dataset.values.length);
  const issues: Issue[] = [];
  const warnings: Issue[] = [];
  const indicators: Record<string, NormalisedIndicator> = {};
  for (const c of Object.keys(per)) {
    if (!dataset.codes.includes(c)) warnings.push({ code: 'W_UNUSED_OVERRIDE', message: `perIndicator override for "${c}" is not used: the indicator is not in the dataset`, indicator: c, severity: 'warning' });
  }
  dataset.codes.forEach((code, j) => {
    const node = nodes.get(code);
    if (!node) warnings.push({ code: 'W_NO_NODE', message: `column "${code}" is not in the framework: direction +1 assumed`, indicator: code, severity: 'warning' });
    const direction: 1 | -1 = node?.direction === -1 ? -1 : 1;
    const source = per[code] ? 'perIndicator' : 'global';
    let method: NormaliseMethod;
    try {
      method = resolveNormaliseMethod(per[code] ?? global, node ?? ({ code } as FrameworkNode));
    } catch (e) {
      if (e instanceof CityIndexError) { issues.push(...e.issues.map((i) => ({ ...i, indicator: i.indicator ?? code }))); return; }
      throw e;
    }
    indicators[code] = { method, direction, source };
    try {
      // min–max counts the values in its own first pass; other methods check first
      let filled: boolean;
      if (method.method === 'minMax') filled = minMaxInto(dataset.values, j * n, n, direction, method.range ?? [0, 100], out);
      else {
        const raw = dataset.values.subarray(j * n, (j + 1) * n);
        filled = countAvailable(raw) > 0;
        if (filled) out.set(normaliseColumn(direction === 1 ? raw : map(raw, negate), method, direction, dataset.unitCodes), j * n);
      }
      if (!filled) {
        out.fill(NaN, j * n, (j + 1) * n);
        warnings.push({ code: 'W_EMPTY_COLUMN', message: `indicator "${code}" has no values; it stays missing`, indicator: code, severity: 'warning' });
      }
    } catch (e) {
      if (e instanceof DegenerateColumnError) {
        issues.push({ code: 'E_NORMALISE', message: `cannot normalise "${code}" with ${method.method}: ${e.message}`, indicator: code, field: 'method', expected: e.expected });
        return;
      }
      throw e;
    }
  });
  if (issues.length) throw new CityIndexError(issues);
  return { dataset: datasetOf(dataset.unitCodes, dataset.codes, out), diagnostics: { indicators, warnings } };
}

function negate(v: number): number {
  return -v;
}

/**
 * `minMax` of `direction · raw[offset … offset + length)` written into the same positions of `out`,
 * without the flipped copy or subarray views: the same operations as
 * `normaliseColumn(map(raw, v => −v), { method: 'minMax', range }, −1, …)`, so bit-identical.
 * Returns false (writing nothing) when the column has no value.
 */
function minMaxInto(raw: Float64Array, offset: number, length: number, direction: 1 | -1, range: readonly [number, number], out: Float64Array): boolean {
  const end = offset + length;
  let lo = Infinity;
  let hi = -Infinity;
  let count = 0;
  for (let i = offset; i < end; i++) {
    const r = raw[i];
    if (Number.isNaN(r)) continue;
    count++;
    const v = direction === 1 ? r : -r;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (count === 0) return false;
  if (hi === lo) throw new DegenerateColumnError(`the range of the column is 0 (all values equal ${lo})`, 'at least two distinct values');
  const [l, u] = range;
  for (let i = offset; i < end; i++) {
    const r = raw[i];
    if (Number.isNaN(r)) { out[i] = NaN; continue; }
    const v = direction === 1 ? r : -r;
    out[i] = ((v - lo) / (hi - lo)) * (u - l) + l;
  }
  return true;
}

function nodeMap(fw: Framework): Map<string, FrameworkNode> {
  return new Map(fw.nodes.map((nd) => [nd.code, nd] as const));
}
