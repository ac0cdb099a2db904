/**
 * Kernel of row imputation (COINr 1.1.14 `Impute(impute_by = "row", normalise_first = TRUE)`), used by
 * `row-mean.ts` and `row-median.ts` with their shared options and checks. Deliberate difference from
 * COINr: `parentLevel` defaults to 2 (impute within each pillar); COINr's `group_level = NULL` (the
 * whole row) is `parentLevel` = the top level.
 */
import type { Issue } from '../../core/errors.ts';
import { topLevel } from '../../core/framework.ts';
import type { StepInput } from '../../pipeline/step.ts';
import { max, min } from '../../stats/descriptive.ts';
import * as z from 'zod';
import { defineImputation, statOf, type Stat } from './definition.ts';

/** Defaults of the row methods, written once. */
export const ROW_IMPUTATION_DEFAULTS = { parentLevel: 2, normaliseFirst: true } as const;

/**
 * The options schema of a row method: `{ method, parentLevel?, normaliseFirst? }`.
 * @example rowImputationSchema('rowMean').parse({ method: 'rowMean' }) // => { method: 'rowMean' }
 */
export function rowImputationSchema<M extends 'rowMean' | 'rowMedian'>(method: M) {
  return z.strictObject({
    method: z.literal(method),
    parentLevel: z.number().int().min(2).optional(),
    normaliseFirst: z.boolean().optional(),
  });
}

/**
 * The definition of a row method: the unit's `statistic` over the indicators sharing its
 * level-`parentLevel` ancestor (normalised first as COINr). `rowMean` and `rowMedian` differ only here.
 * @example defineRowImputation(rowImputationSchema('rowMean'), 'mean', { en: 'row mean', zh: '行均值' }).byRow // => true
 */
export function defineRowImputation<M extends 'rowMean' | 'rowMedian'>(
  schema: ReturnType<typeof rowImputationSchema<M>>,
  statistic: Stat,
  text: { en: string; zh: string },
) {
  const method = schema.shape.method.value;
  return defineImputation<typeof schema>({
    method,
    schema,
    defaults: ROW_IMPUTATION_DEFAULTS,
    byRow: true,
    validate: (o, field, input, issues) => validateRow(o, field, input, issues),
    fill: (o, c) => {
      const level = o.parentLevel ?? ROW_IMPUTATION_DEFAULTS.parentLevel;
      const normaliseFirst = o.normaliseFirst ?? ROW_IMPUTATION_DEFAULTS.normaliseFirst;
      c.joinRowBlock(`${method}|${level}|${normaliseFirst}|${c.ancestorAt(level) ?? ''}`, statistic, normaliseFirst);
    },
    // the sentence says "normalised first" only when it is (`normaliseFirst: false` works on the raw scale)
    text: {
      en: (o) => (o.normaliseFirst === false ? text.en.replace('(normalised first)', '(raw scale)') : text.en),
      zh: (o) => (o.normaliseFirst === false ? text.zh.replace('（先标准化）', '（原始尺度）') : text.zh),
    },
  });
}

/**
 * Row-wise imputation of a block of columns (COINr `Impute.data.frame(impute_by = "row")`): with
 * `normaliseFirst` each column is multiplied by its direction and min-max scaled to [0, 1], a unit's
 * missing values get the mean/median of its available scaled values, then values are scaled back.
 * Columns are given and returned column-major (`columns[j][i]`). A block with no NaN is returned as is.
 * @example
 * // scaled: column 1 -> (0, 1, 0.5), column 2 -> (?, 1, 0); unit 0's row mean is 0 -> 0·(20 − 15) + 15
 * const columns = [new Float64Array([1, 3, 2]), new Float64Array([NaN, 20, 15])];
 * imputeRowBlock(columns, [1, 1], 'mean', true)[1] // => Float64Array [15, 20, 15]
 */
export function imputeRowBlock(
  columns: readonly Float64Array[],
  directions: readonly number[],
  stat: Stat,
  normaliseFirst = true,
): Float64Array[] {
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
 * `parentLevel` must be a level between 2 and the top.
 * @example
 * import type { Issue } from '../../core/errors.ts';
 * // ASEM's top level is 4
 * const { framework, units } = asem.input;
 * const issues: Issue[] = [];
 * validateRow({ parentLevel: 9 }, '', { dataset: asem.build.raw, framework, units }, issues);
 * issues.map((issue) => issue.code) // => ['E_OPTION']
 */
export function validateRow(
  options: { parentLevel?: number; normaliseFirst?: boolean },
  field: string,
  input: StepInput,
  issues: Issue[],
): void {
  const top = topLevel(input.framework);
  const lvl = options.parentLevel ?? ROW_IMPUTATION_DEFAULTS.parentLevel;
  if (!Number.isInteger(lvl) || lvl < 2 || lvl > top) {
    issues.push({
      code: 'E_OPTION',
      message: `impute: parentLevel must be an integer between 2 and ${top}, got ${String(lvl)}`,
      field: `${field}parentLevel`,
      expected: `2 … ${top}`,
    });
  }
}
