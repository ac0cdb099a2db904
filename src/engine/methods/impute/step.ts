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
import { unitGroup, type FrameworkNode, type Unit } from '../../core/framework.ts';
import type { StepInput, StepOutput } from '../../pipeline/step.ts';
import type { ImputeOptions } from '../../spec/spec.ts';
import type { z } from 'zod';
import { isMethodOf, overrideInBuild } from '../method.ts';
import type { ImputeColumnContext, Stat } from './definition.ts';
import { groupMembers } from './group.ts';
import { imputeRowBlock } from './row.ts';
import { IMPUTE_METHODS, IMPUTE_REGISTRY, type ImputeMethod, type ImputeMethodName } from './index.ts';

export type { ImputeMethodName } from './index.ts';
export { imputeColumnMean } from './mean.ts';
export { imputeColumnMedian } from './median.ts';
export { imputeColumnByGroup } from './group.ts';
export { imputeRowBlock } from './row.ts';
export { imputeLatestColumn } from './latest.ts';

export interface ImputeDiagnostics {
  /** Every imputed cell. */
  imputed: Array<{ unit: string; indicator: string; value: number; method: ImputeMethodName; period?: string }>;
  counts: { missingBefore: number; imputed: number; missingAfter: number };
  byIndicator: Array<{
    indicator: string;
    method: ImputeMethodName;
    missingBefore: number;
    imputed: number;
    missingAfter: number;
  }>;
  /** One warning per indicator that still has missing values (and for `latest` without history). */
  warnings: Issue[];
}

type Definitions = typeof IMPUTE_REGISTRY;
type OptionsOf<K extends keyof Definitions> = z.infer<Definitions[K]['schema']>;
/** The registry seen through what the step calls, keyed by method (correlated by `K`). */
type Kernels = {
  [K in keyof Definitions]: {
    byRow: boolean;
    validate?: (options: OptionsOf<K>, field: string, input: StepInput, issues: Issue[]) => void;
    fill(options: OptionsOf<K>, context: ImputeColumnContext): void;
  };
};
const KERNELS: Kernels = IMPUTE_REGISTRY;

function definitionOf<K extends keyof Definitions>(method: K): Kernels[K] {
  return KERNELS[method];
}

function fillAs<K extends keyof Definitions>(m: OptionsOf<K> & { method: K }, context: ImputeColumnContext): void {
  definitionOf(m.method).fill(m, context);
}

/** Whether a (possibly unknown) method imputes by row. */
function isByRow(m: ImputeMethod): boolean {
  return isMethodOf(IMPUTE_REGISTRY, m.method) && definitionOf(m.method).byRow;
}

function validateAs<K extends keyof Definitions>(
  m: OptionsOf<K> & { method: K },
  field: string,
  input: StepInput,
  issues: Issue[],
): void {
  definitionOf(m.method).validate?.(m, field, input, issues);
}

function validateMethod(spec: ImputeMethod | undefined, field: string, input: StepInput, issues: Issue[]): void {
  if (!spec || typeof spec !== 'object' || !isMethodOf(IMPUTE_REGISTRY, spec.method)) {
    const names: ImputeMethodName[] = IMPUTE_METHODS.map((d) => d.method);
    issues.push({
      code: 'E_OPTION',
      message: `impute: unknown method "${String(spec?.method)}"`,
      field: `${field}method`,
      expected: names.join(', '),
    });
    return;
  }
  validateAs(spec, field, input, issues);
}

function ancestorAt(byCode: Map<string, FrameworkNode>, code: string, level: number): string | null {
  let node = byCode.get(code);
  while (node && node.level < level) node = node.parent === null ? undefined : byCode.get(node.parent);
  return node && node.level === level ? node.code : null;
}

/** The global method without `perIndicator`; a missing `method` means COINr's default, the column mean. */
function stripPer(options: ImputeOptions): ImputeMethod {
  const { perIndicator: _ignored, maxImputedShare: _max, ...rest } = options;
  return rest.method === undefined ? { method: 'mean' } : rest;
}

/**
 * The impute build step (COINr `Impute(coin, dset, f_i, use_group, impute_by, group_level)`).
 * Default: column mean (COINr `f_i = "i_mean"`).
 * @example
 * // the COINr example build: group mean by EurAsia_group; 65 NAs in, 0 out
 * const { dataset, framework, units } = asem.build.steps[0];
 * const options = { method: 'groupMean', group: 'EurAsia_group' } as const;
 * const { counts } = imputeStep({ dataset, framework, units }, options).diagnostics;
 * counts // => { missingBefore: 65, imputed: 65, missingAfter: 0 }
 */
export function imputeStep(
  input: StepInput,
  options: ImputeOptions = { method: 'mean' },
): StepOutput<ImputeDiagnostics> {
  const { dataset, framework } = input;
  const issues: Issue[] = [];
  const global = stripPer(options);
  validateMethod(global, '', input, issues);
  const per = new Map(Object.entries(options.perIndicator ?? {}));
  const unusedOverrides: Issue[] = [];
  for (const [code, spec] of per) {
    if (!overrideInBuild('impute', code, dataset, input.framework, issues, unusedOverrides)) continue;
    validateMethod(spec, `perIndicator.${code}.`, input, issues);
  }
  // each column's method, looked up once
  const methods: ImputeMethod[] = dataset.codes.map((code) => per.get(code) ?? global);
  const rowMethods = methods.some(isByRow);
  const byCode = new Map(rowMethods ? framework.nodes.map((nd) => [nd.code, nd] as const) : []);
  for (const [j, code] of dataset.codes.entries()) {
    const s = methods[j];
    if (isByRow(s) && !byCode.has(code)) {
      issues.push({
        code: 'E_UNKNOWN_INDICATOR',
        message: `impute: row imputation needs "${code}" in the framework (for its direction and group)`,
        indicator: code,
      });
    }
  }
  if (issues.length) throw new CityIndexError(issues);

  const n = dataset.unitCodes.length;
  const src = dataset.values;
  const values = src.slice();
  const warnings: Issue[] = [...unusedOverrides];
  const periods = new Map<number, string>();
  fillColumns(input, methods, byCode, values, periods, warnings);

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
        const entry: ImputeDiagnostics['imputed'][number] = {
          unit: dataset.unitCodes[i],
          indicator: code,
          value: values[k],
          method,
        };
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
      warnings.push({
        code: 'W_NA_REMAINING',
        severity: 'warning',
        message: `impute: ${ma} missing value(s) remain after ${method} imputation`,
        indicator: code,
      });
    }
  });
  // An indicator mostly made of imputed values is not a measurement of the units: warn above half, and
  // refuse above the project's `maxImputedShare`.
  const tooMany: Issue[] = [];
  for (const b of byIndicator) {
    const sh = n ? b.imputed / n : 0;
    const pc = `${Math.round(sh * 1000) / 10} %`;
    if (options.maxImputedShare !== undefined && sh > options.maxImputedShare)
      tooMany.push({
        code: 'E_TOO_IMPUTED',
        message:
          `impute: ${b.imputed} of ${n} values (${pc}) of "${b.indicator}" are imputed, more than ` +
          `maxImputedShare ${options.maxImputedShare}`,
        indicator: b.indicator,
        field: 'maxImputedShare',
        expected: `at most ${options.maxImputedShare} of the values imputed (collect data, or drop the indicator)`,
      });
    else if (sh > 0.5)
      warnings.push({
        code: 'W_MOSTLY_IMPUTED',
        severity: 'warning',
        message: `impute: ${b.imputed} of ${n} values (${pc}) of "${b.indicator}" are imputed, not observed`,
        indicator: b.indicator,
      });
  }
  if (tooMany.length) throw new CityIndexError(tooMany);
  return {
    dataset: { unitCodes: [...dataset.unitCodes], codes: [...dataset.codes], values },
    diagnostics: {
      imputed,
      counts: { missingBefore: before, imputed: imputed.length, missingAfter: after },
      byIndicator,
      warnings,
    },
  };
}

/**
 * Run every column's method (through the registry) into `values`, then the row blocks. Kept out of
 * `imputeStep` so that the closures of the shared column context do not capture the step's locals.
 */
function fillColumns(
  input: StepInput,
  methods: readonly ImputeMethod[],
  byCode: Map<string, FrameworkNode>,
  values: Float64Array,
  periods: Map<number, string>,
  warnings: Issue[],
): void {
  const { dataset } = input;
  const n = dataset.unitCodes.length;
  const src = dataset.values;
  const col = (j: number): Float64Array => src.subarray(j * n, (j + 1) * n);
  let unitByCode: Map<string, Unit> | null = null;
  const membersByGroup = new Map<string, Int32Array[]>();

  // Row methods: blocks of columns sharing a method spec and a level-k ancestor.
  const blocks = new Map<string, { stat: Stat; normaliseFirst: boolean; cols: number[] }>();
  const warned = new Set<string>();
  const history = input.history ?? [];
  // One context for every column (the current column in `j` / `current`): no allocation per column.
  let j = 0;
  let current = '';
  const context: ImputeColumnContext = {
    code: '',
    column: 0,
    dataset,
    values: src,
    write: (column) => values.set(column, j * n),
    out: values,
    history,
    membersOf: (group) => {
      let members = membersByGroup.get(group);
      if (!members) {
        unitByCode ??= new Map(input.units.map((u) => [u.code, u] as const));
        const units = unitByCode;
        members = groupMembers(dataset.unitCodes.map((u) => unitGroup(units.get(u), group) ?? null));
        membersByGroup.set(group, members);
      }
      return members;
    },
    joinRowBlock: (key, stat, normaliseFirst) => {
      let b = blocks.get(key);
      if (!b) blocks.set(key, (b = { stat, normaliseFirst, cols: [] }));
      b.cols.push(j);
    },
    ancestorAt: (level) => ancestorAt(byCode, current, level),
    period: (row, period) => periods.set(j * n + row, period),
    warnOnce: (issue) => {
      if (warned.has(issue.code)) return;
      warned.add(issue.code);
      warnings.push(issue);
    },
  };
  for (let k = 0; k < dataset.codes.length; k++) {
    j = k;
    current = dataset.codes[k];
    context.code = current;
    context.column = k;
    context.values = col(k);
    fillAs(methods[k], context);
  }
  for (const b of blocks.values()) {
    const dirs = b.cols.map((j) => byCode.get(dataset.codes[j])!.direction);
    const res = imputeRowBlock(
      b.cols.map((j) => col(j)),
      dirs,
      b.stat,
      b.normaliseFirst,
    );
    b.cols.forEach((j, k) => values.set(res[k], j * n));
  }
}
