/**
 * Impute step: fill missing values. Reproduces COINr 1.1.14 `Impute()` (R/impute.R):
 * - by column: `i_mean` (COINr's default), `i_median`, and the group versions `i_mean_grp` /
 *   `i_median_grp` (mean/median within a unit group; units whose group is missing stay missing);
 * - by row (`impute_by = "row"`, `normalise_first = TRUE` by default): each column is multiplied by its
 *   direction and min-max scaled to [0, 1] over all units, each unit's missing values get the mean/median
 *   of its other scaled values in the same level-`parentLevel` group, then the value is scaled back
 *   (`v·(max − min) + min`, times direction);
 * - panels (`impute_panel(imp_type = "latest")`): the latest earlier period's value, within `maxLag`
 *   periods if given.
 * Non-missing values never change. A warning is recorded for every indicator that still has NAs.
 *
 * Differences from COINr (deliberate):
 * - row methods default to `parentLevel = 2` (impute within each pillar); COINr's default
 *   `group_level = NULL` (the whole row) is `parentLevel` = the top level;
 * - `perIndicator` lets indicators use different methods; every method sees the step's input data
 *   (methods are not chained);
 * - `latest` with no history leaves the NAs and records a warning (COINr stops with an error).
 */
import { CityIndexError, type Issue } from '../../core/errors.ts';
import { colIndex, type Dataset } from '../../core/dataset.ts';
import { topLevel, type FrameworkNode, type Unit } from '../../core/framework.ts';
import type { StepInput, StepOutput } from '../../pipeline/step.ts';
import type { ImputeMethod, ImputeOptions } from '../../spec/spec.ts';
import { mean, median, min, max } from '../../stats/descriptive.ts';

export type ImputeMethodName = ImputeMethod['method'];
type Stat = 'mean' | 'median';

const statOf = (s: Stat): ((x: ArrayLike<number>) => number) => (s === 'mean' ? mean : median);

/**
 * Replace NaN by the column mean of the non-missing values (COINr `i_mean`).
 * @example imputeColumnMean(new Float64Array([1, NaN, 3])) // => Float64Array [1, 2, 3]
 */
export function imputeColumnMean(x: ArrayLike<number>): Float64Array {
  return fillWith(x, mean(x));
}

/**
 * Replace NaN by the column median of the non-missing values (COINr `i_median`, R `median`).
 * @example imputeColumnMedian(new Float64Array([1, NaN, 3, 10])) // => Float64Array [1, 3, 3, 10]
 */
export function imputeColumnMedian(x: ArrayLike<number>): Float64Array {
  return fillWith(x, median(x));
}

function fillWith(x: ArrayLike<number>, v: number): Float64Array {
  const out = Float64Array.from(x);
  for (let i = 0; i < out.length; i++) if (Number.isNaN(out[i])) out[i] = v;
  return out;
}

/**
 * Replace NaN by the mean/median of the unit's group (COINr `i_mean_grp` / `i_median_grp` with
 * `skip_f_na = TRUE`): values whose group is null stay as they are, and a group with no data stays NaN.
 * @example imputeColumnByGroup(new Float64Array([1, NaN, 3, 10, NaN]), ['a', 'a', 'a', 'b', null], 'mean') // => Float64Array [1, 2, 3, 10, NaN]
 */
export function imputeColumnByGroup(x: ArrayLike<number>, groups: ReadonlyArray<string | null | undefined>, stat: Stat): Float64Array {
  if (groups.length !== x.length) {
    throw new CityIndexError({ code: 'E_SHAPE', message: `imputeColumnByGroup: ${groups.length} group labels for ${x.length} values` });
  }
  return imputeByMembers(x, groupMembers(groups), stat);
}

/** Row indices of each group, in first-appearance order; null/undefined labels belong to no group. */
function groupMembers(groups: ReadonlyArray<string | null | undefined>): Int32Array[] {
  const members = new Map<string, number[]>();
  for (let i = 0; i < groups.length; i++) {
    const g = groups[i];
    if (g === null || g === undefined) continue;
    let list = members.get(g);
    if (!list) members.set(g, (list = []));
    list.push(i);
  }
  return [...members.values()].map((idx) => Int32Array.from(idx));
}

function imputeByMembers(x: ArrayLike<number>, members: readonly Int32Array[], stat: Stat): Float64Array {
  return imputeMembersInto(x, members, stat, Float64Array.from(x), 0);
}

/**
 * Fill the NaN of `out` (a copy of `x`) at each group's rows with the group's mean/median of `x`, for
 * the column starting at `offset` of both (rows are offset + member index). The mean is summed in
 * member order, as `mean` over the group's values, so the result is bit-identical.
 */
function imputeMembersInto(x: ArrayLike<number>, members: readonly Int32Array[], stat: Stat, out: Float64Array, offset: number): Float64Array {
  let scratch: Float64Array | null = null;
  for (const idx of members) {
    let missing = false;
    for (let k = 0; k < idx.length; k++) if (Number.isNaN(x[offset + idx[k]])) { missing = true; break; }
    if (!missing) continue;
    let v: number;
    if (stat === 'mean') {
      let t = 0;
      let c = 0;
      for (let k = 0; k < idx.length; k++) {
        const y = x[offset + idx[k]];
        if (!Number.isNaN(y)) { t += y; c++; }
      }
      v = c === 0 ? NaN : t / c;
    } else {
      if (scratch === null || scratch.length < idx.length) scratch = new Float64Array(idx.length);
      const vals = scratch.subarray(0, idx.length);
      for (let k = 0; k < idx.length; k++) vals[k] = x[offset + idx[k]];
      v = median(vals);
    }
    for (let k = 0; k < idx.length; k++) if (Number.isNaN(out[offset + idx[k]])) out[offset + idx[k]] = v;
  }
  return out;
}

/**
 * Row-wise imputation of a block of columns (COINr `Impute.data.frame(impute_by = "row")`): with
 * `normaliseFirst` each column is multiplied by its direction and min-max scaled to [0, 1], a unit's
 * missing values get the mean/median of its available scaled values, then values are scaled back.
 * Columns are given and returned column-major (`columns[j][i]`). A block with no NaN is returned as is.
 * @example
 * // scaled: column 1 -> (0, 1, 0.5), column 2 -> (?, 1, 0); unit 0's row mean is 0 -> 0·(20 − 15) + 15
 * imputeRowBlock([new Float64Array([1, 3, 2]), new Float64Array([NaN, 20, 15])], [1, 1], 'mean', true)[1] // => Float64Array [15, 20, 15]
 */
export function imputeRowBlock(columns: readonly Float64Array[], directions: readonly number[], stat: Stat, normaliseFirst = true): Float64Array[] {
  const m = columns.length;
  const n = m ? columns[0].length : 0;
  if (!columns.some((c) => c.some((v) => Number.isNaN(v)))) return columns.map((c) => c.slice());
  const mins = new Float64Array(m);
  const maxs = new Float64Array(m);
  const work = columns.map((c, j) => {
    if (!normaliseFirst) return c.slice();
    const d = directions[j];
    const flipped = c.map((v) => v * d);
    const lo = min(flipped);
    const hi = max(flipped);
    mins[j] = lo;
    maxs[j] = hi;
    // 0/0 for a constant column gives NaN, which (as in R) drops the column out of the row statistic.
    return flipped.map((v) => (v - lo) / (hi - lo));
  });
  const f = statOf(stat);
  const out = columns.map((c) => c.slice());
  const row = new Float64Array(m);
  for (let i = 0; i < n; i++) {
    let anyMissing = false;
    for (let j = 0; j < m; j++) {
      row[j] = work[j][i];
      if (Number.isNaN(columns[j][i])) anyMissing = true;
    }
    if (!anyMissing) continue;
    const v = f(row);
    for (let j = 0; j < m; j++) {
      if (!Number.isNaN(columns[j][i])) continue;
      out[j][i] = normaliseFirst ? (v * (maxs[j] - mins[j]) + mins[j]) * directions[j] : v;
    }
  }
  return out;
}

/**
 * Panel imputation, latest earlier value (COINr `impute_panel(imp_type = "latest", max_time)`): each
 * NaN gets the value of the same unit and indicator in the most recent earlier period that has one,
 * looking back at most `maxLag` periods. `history` is oldest first.
 * @example
 * imputeLatestColumn(new Float64Array([NaN]), ['A'], 'x', [{ period: '2019', dataset: fromRows(['A'], ['x'], [[7]]) }]).values // => Float64Array [7]
 */
export function imputeLatestColumn(
  x: ArrayLike<number>,
  unitCodes: readonly string[],
  code: string,
  history: ReadonlyArray<{ period: string; dataset: Dataset }>,
  maxLag?: number,
): { values: Float64Array; periods: Array<string | null> } {
  const values = Float64Array.from(x);
  const periods: Array<string | null> = new Array<string | null>(values.length).fill(null);
  const first = maxLag === undefined ? 0 : Math.max(0, history.length - maxLag);
  const lookups = history.slice(first).reverse().map((h) => ({
    period: h.period,
    ds: h.dataset,
    col: colIndex(h.dataset, code),
    rows: new Map(h.dataset.unitCodes.map((u, i) => [u, i] as const)),
  }));
  for (let i = 0; i < values.length; i++) {
    if (!Number.isNaN(values[i])) continue;
    for (const h of lookups) {
      if (h.col < 0) continue;
      const r = h.rows.get(unitCodes[i]);
      if (r === undefined) continue;
      const v = h.ds.values[h.col * h.ds.unitCodes.length + r];
      if (!Number.isNaN(v)) {
        values[i] = v;
        periods[i] = h.period;
        break;
      }
    }
  }
  return { values, periods };
}

export interface ImputeDiagnostics {
  /** Every imputed cell. */
  imputed: Array<{ unit: string; indicator: string; value: number; method: ImputeMethodName; period?: string }>;
  counts: { missingBefore: number; imputed: number; missingAfter: number };
  byIndicator: Array<{ indicator: string; method: ImputeMethodName; missingBefore: number; imputed: number; missingAfter: number }>;
  /** One warning per indicator that still has missing values (and for `latest` without history). */
  warnings: Issue[];
}

const METHODS: readonly ImputeMethodName[] = ['none', 'mean', 'median', 'groupMean', 'groupMedian', 'rowMean', 'rowMedian', 'latest'];

function validateMethod(spec: ImputeMethod, field: string, input: StepInput, issues: Issue[]): void {
  if (!spec || typeof spec !== 'object' || !METHODS.includes(spec.method)) {
    issues.push({ code: 'E_OPTION', message: `impute: unknown method "${String((spec as { method?: unknown } | undefined)?.method)}"`, field: `${field}method`, expected: METHODS.join(', ') });
    return;
  }
  switch (spec.method) {
    case 'none':
    case 'mean':
    case 'median':
      return;
    case 'groupMean':
    case 'groupMedian': {
      if (typeof spec.group !== 'string' || spec.group === '') {
        issues.push({ code: 'E_OPTION', message: `impute: ${spec.method} needs a unit group column name`, field: `${field}group` });
        return;
      }
      if (input.units.some((u) => Object.prototype.hasOwnProperty.call(u.groups, spec.group))) return;
      const known = new Set<string>();
      for (const u of input.units) for (const k of Object.keys(u.groups)) known.add(k);
      issues.push({ code: 'E_UNKNOWN_GROUP', message: `impute: no unit group column "${spec.group}"`, field: `${field}group`, expected: known.size ? `one of ${[...known].join(', ')}` : 'a group column in the units table' });
      return;
    }
    case 'rowMean':
    case 'rowMedian': {
      const top = topLevel(input.framework);
      const lvl = spec.parentLevel ?? 2;
      if (!Number.isInteger(lvl) || lvl < 2 || lvl > top) {
        issues.push({ code: 'E_OPTION', message: `impute: parentLevel must be an integer between 2 and ${top}, got ${String(lvl)}`, field: `${field}parentLevel`, expected: `2 … ${top}` });
      }
      if (spec.normaliseFirst !== undefined && typeof spec.normaliseFirst !== 'boolean') {
        issues.push({ code: 'E_OPTION', message: 'impute: normaliseFirst must be true or false', field: `${field}normaliseFirst` });
      }
      return;
    }
    case 'latest':
      if (spec.maxLag !== undefined && !(Number.isInteger(spec.maxLag) && spec.maxLag >= 1)) {
        issues.push({ code: 'E_OPTION', message: `impute: maxLag must be a positive integer, got ${String(spec.maxLag)}`, field: `${field}maxLag`, expected: 'an integer ≥ 1' });
      }
      return;
    default: {
      const never: never = spec;
      throw new CityIndexError({ code: 'E_OPTION', message: `impute: unknown method ${JSON.stringify(never)}` });
    }
  }
}

function ancestorAt(byCode: Map<string, FrameworkNode>, code: string, level: number): string | null {
  let node = byCode.get(code);
  while (node && node.level < level) node = node.parent === null ? undefined : byCode.get(node.parent);
  return node && node.level === level ? node.code : null;
}

/** The global method without `perIndicator`; a missing `method` means COINr's default, the column mean. */
function stripPer(options: ImputeOptions): ImputeMethod {
  const { perIndicator: _ignored, ...rest } = options;
  const spec = rest as Record<string, unknown>;
  return (spec.method === undefined ? { ...spec, method: 'mean' } : spec) as ImputeMethod;
}

/**
 * The impute build step (COINr `Impute(coin, dset, f_i, use_group, impute_by, group_level)`).
 * Default: column mean (COINr `f_i = "i_mean"`).
 * @example
 * // the COINr example build: group mean by EurAsia_group; 65 NAs in, 0 out
 * imputeStep(input, { method: 'groupMean', group: 'EurAsia_group' }).diagnostics.counts // => { missingBefore: 65, imputed: 65, missingAfter: 0 }
 */
export function imputeStep(input: StepInput, options: ImputeOptions = { method: 'mean' }): StepOutput<ImputeDiagnostics> {
  const { dataset, framework } = input;
  const issues: Issue[] = [];
  const global = stripPer(options);
  validateMethod(global, '', input, issues);
  const per = options.perIndicator ?? {};
  const unusedOverrides: Issue[] = [];
  for (const [code, spec] of Object.entries(per)) {
    if (colIndex(dataset, code) < 0) {
      // an indicator of the framework left out of this build (excluded, not collected) only warrants a warning
      if (input.framework.nodes.some((nd) => nd.code === code)) unusedOverrides.push({ code: 'W_UNUSED_OVERRIDE', severity: 'warning', message: `impute: perIndicator override for "${code}" is not used: the indicator is not in this build`, field: `perIndicator.${code}`, indicator: code });
      else issues.push({ code: 'E_UNKNOWN_INDICATOR', message: `impute: perIndicator names "${code}", which is not in the dataset`, field: `perIndicator.${code}`, indicator: code });
      continue;
    }
    validateMethod(spec, `perIndicator.${code}.`, input, issues);
  }
  // each column's method, looked up once
  const methods: ImputeMethod[] = dataset.codes.map((code) => per[code] ?? global);
  const rowMethods = methods.some((s) => s.method === 'rowMean' || s.method === 'rowMedian');
  const byCode = new Map(rowMethods ? framework.nodes.map((nd) => [nd.code, nd] as const) : []);
  for (const [j, code] of dataset.codes.entries()) {
    const s = methods[j];
    if ((s.method === 'rowMean' || s.method === 'rowMedian') && !byCode.has(code)) {
      issues.push({ code: 'E_UNKNOWN_INDICATOR', message: `impute: row imputation needs "${code}" in the framework (for its direction and group)`, indicator: code });
    }
  }
  if (issues.length) throw new CityIndexError(issues);

  const n = dataset.unitCodes.length;
  const src = dataset.values;
  const values = src.slice();
  const warnings: Issue[] = [...unusedOverrides];
  const periods = new Map<number, string>();
  const col = (j: number): Float64Array => src.subarray(j * n, (j + 1) * n);
  let unitByCode: Map<string, Unit> | null = null;
  const membersByGroup = new Map<string, Int32Array[]>();

  // Row methods: blocks of columns sharing a method spec and a level-k ancestor.
  const blocks = new Map<string, { stat: Stat; normaliseFirst: boolean; cols: number[] }>();
  let warnedNoHistory = false;
  dataset.codes.forEach((code, j) => {
    const s = methods[j];
    switch (s.method) {
      case 'none':
        return;
      case 'mean':
        values.set(imputeColumnMean(col(j)), j * n);
        return;
      case 'median':
        values.set(imputeColumnMedian(col(j)), j * n);
        return;
      case 'groupMean':
      case 'groupMedian': {
        let members = membersByGroup.get(s.group);
        if (!members) {
          unitByCode ??= new Map(input.units.map((u) => [u.code, u] as const));
          const units = unitByCode;
          membersByGroup.set(s.group, (members = groupMembers(dataset.unitCodes.map((u) => units.get(u)?.groups[s.group] ?? null))));
        }
        imputeMembersInto(src, members, s.method === 'groupMean' ? 'mean' : 'median', values, j * n);
        return;
      }
      case 'rowMean':
      case 'rowMedian': {
        const level = s.parentLevel ?? 2;
        const normaliseFirst = s.normaliseFirst ?? true;
        const key = `${s.method}|${level}|${normaliseFirst}|${ancestorAt(byCode, code, level) ?? ''}`;
        let b = blocks.get(key);
        if (!b) blocks.set(key, (b = { stat: s.method === 'rowMean' ? 'mean' : 'median', normaliseFirst, cols: [] }));
        b.cols.push(j);
        return;
      }
      case 'latest': {
        const history = input.history ?? [];
        if (history.length === 0) {
          if (!warnedNoHistory) {
            warnings.push({ code: 'W_NO_HISTORY', severity: 'warning', message: 'impute: method "latest" needs earlier periods (history), none given; values left missing' });
            warnedNoHistory = true;
          }
          return;
        }
        const r = imputeLatestColumn(col(j), dataset.unitCodes, code, history, s.maxLag);
        values.set(r.values, j * n);
        r.periods.forEach((p, i) => { if (p !== null) periods.set(j * n + i, p); });
        return;
      }
      default: {
        const never: never = s;
        throw new CityIndexError({ code: 'E_OPTION', message: `impute: unknown method ${JSON.stringify(never)}` });
      }
    }
  });
  for (const b of blocks.values()) {
    const dirs = b.cols.map((j) => byCode.get(dataset.codes[j])!.direction);
    const res = imputeRowBlock(b.cols.map((j) => col(j)), dirs, b.stat, b.normaliseFirst);
    b.cols.forEach((j, k) => values.set(res[k], j * n));
  }

  // Guard (as COINr): non-missing values never change; then collect diagnostics.
  const imputed: ImputeDiagnostics['imputed'] = [];
  const byIndicator: ImputeDiagnostics['byIndicator'] = [];
  let before = 0;
  let after = 0;
  dataset.codes.forEach((code, j) => {
    const method = methods[j].method;
    let mb = 0;
    let ma = 0;
    let done = 0;
    for (let i = 0; i < n; i++) {
      const k = j * n + i;
      if (!Number.isNaN(src[k])) {
        values[k] = src[k];
        continue;
      }
      mb++;
      if (Number.isNaN(values[k])) {
        ma++;
      } else {
        done++;
        const entry: ImputeDiagnostics['imputed'][number] = { unit: dataset.unitCodes[i], indicator: code, value: values[k], method };
        if (periods.size) {
          const p = periods.get(k);
          if (p !== undefined) entry.period = p;
        }
        imputed.push(entry);
      }
    }
    before += mb;
    after += ma;
    byIndicator.push({ indicator: code, method, missingBefore: mb, imputed: done, missingAfter: ma });
    if (ma > 0 && method !== 'none') {
      warnings.push({ code: 'W_NA_REMAINING', severity: 'warning', message: `impute: ${ma} missing value(s) remain after ${method} imputation`, indicator: code });
    }
  });
  return {
    dataset: { unitCodes: [...dataset.unitCodes], codes: [...dataset.codes], values },
    diagnostics: { imputed, counts: { missingBefore: before, imputed: imputed.length, missingAfter: after }, byIndicator, warnings },
  };
}
