/**
 * What the objective weighting methods (`entropy`, `critic`, `cv`, `sd`, `pca`) share: they compute on
 * the step's input dataset — level 1 on the indicator columns, level k > 1 on the level-k score columns
 * (an `aggregate` step must have produced them). `scope: 'withinParent'` (default) computes one weight
 * vector per parent group; `'level'` computes over all nodes of the level at once. Only units with every
 * column of the group present are used (complete cases, like COINr `get_PCA`). The data are taken as
 * oriented (higher = better), as they are after a `normalise` step. Each method's file gives the kernel
 * of one group (`ObjectiveKernel`); `objectiveLevel` does the rest.
 */
import * as z from 'zod';
import { CityIndexError, type Issue } from '../../core/errors.ts';
import { colIndex, type Dataset } from '../../core/dataset.ts';
import type { FrameworkNode } from '../../core/framework.ts';
import type { WeightDetails, WeightGroupDiagnostics, WeightLevelContext, WeightLevelResult } from './definition.ts';
import type { MatrixLabels } from './input.ts';

/** Where an objective method computes: per parent group (default) or over the whole level. */
export const WeightScopeSchema = z.enum(['withinParent', 'level']);
export type WeightScope = z.infer<typeof WeightScopeSchema>;

/** The default scope of the objective methods, written once. */
export const DEFAULT_SCOPE: WeightScope = 'withinParent';

/** What an objective method's kernel returns for one group. */
export interface ObjectiveGroupResult {
  weights: number[];
  details: WeightDetails;
  /** Warnings of the kernel (their indicator defaults to the group's parent). */
  warnings?: Issue[];
}

/** One group's kernel: a complete-case column-major m × n matrix in, weights and details out. */
export type ObjectiveKernel<O> = (
  X: Float64Array,
  m: number,
  n: number,
  labels: MatrixLabels,
  options: O,
) => ObjectiveGroupResult;

/** Columns of `codes` from the dataset restricted to complete rows (column-major). */
function groupMatrix(
  ctx: WeightLevelContext,
  codes: readonly string[],
): { X: Float64Array; m: number; unitCodes: string[] } {
  const ds: Dataset = ctx.input.dataset;
  const missing = codes.filter((c) => colIndex(ds, c) < 0);
  if (missing.length) {
    if (ctx.level > 1) {
      throw new CityIndexError(
        missing.map((c) => ({
          code: 'E_WEIGHT_NEEDS_SCORES',
          message:
            `objective weights at level ${ctx.level} need the level-${ctx.level} scores, ` +
            `and column "${c}" is not in the dataset: put an aggregate step before this weight step`,
          indicator: c,
          expected: `the level-${ctx.level} scores in the step's input dataset`,
        })),
      );
    }
    throw new CityIndexError(
      missing.map((c) => ({
        code: 'E_UNKNOWN_CODE',
        message: `indicator "${c}" is not in the dataset`,
        indicator: c,
        expected: 'a column of the dataset',
      })),
    );
  }
  const total = ds.unitCodes.length;
  const cols = codes.map((c) => ds.values.subarray(colIndex(ds, c) * total, (colIndex(ds, c) + 1) * total));
  const rows: number[] = [];
  for (let i = 0; i < total; i++) if (cols.every((col) => Number.isFinite(col[i]))) rows.push(i);
  const m = rows.length;
  const X = new Float64Array(m * codes.length);
  cols.forEach((col, j) =>
    rows.forEach((i, k) => {
      X[j * m + k] = col[i];
    }),
  );
  return { X, m, unitCodes: rows.map((i) => ds.unitCodes[i]) };
}

function objectiveGroup<O extends { method: string }>(
  ctx: WeightLevelContext,
  options: O,
  kernel: ObjectiveKernel<O>,
  parent: string | null,
  kids: FrameworkNode[],
  warnings: Issue[],
): WeightGroupDiagnostics {
  const codes = kids.map((k) => k.code);
  const method = options.method as WeightGroupDiagnostics['method'];
  if (kids.length === 1) return { parent, codes, method, weights: [1] };
  try {
    const { X, m, unitCodes } = groupMatrix(ctx, codes);
    const total = ctx.input.dataset.unitCodes.length;
    if (m < total) {
      const group = parent ? ` for "${parent}"` : '';
      warnings.push({
        code: 'W_INCOMPLETE_UNITS',
        severity: 'warning',
        message: `${method} weights${group}: ${total - m} of ${total} units have missing values and are left out`,
        indicator: parent ?? undefined,
      });
    }
    const r = kernel(X, m, codes.length, { unitCodes, indicatorCodes: codes }, options);
    if (r.warnings) warnings.push(...r.warnings.map((w) => ({ ...w, indicator: w.indicator ?? parent ?? undefined })));
    return { parent, codes, method, weights: r.weights, unitsUsed: m, details: r.details };
  } catch (e) {
    if (!(e instanceof CityIndexError)) throw e;
    // kernels name units and indicators; say which group (and which level) the weights were for
    const group = parent ? `"${parent}"` : `level ${ctx.level}`;
    throw new CityIndexError(
      e.issues.map((iss) => ({
        ...iss,
        indicator: iss.indicator ?? parent ?? undefined,
        message: `${method} weights for ${group}: ${iss.message}`,
      })),
    );
  }
}

/**
 * An objective method at a level: `kernel` run per parent group (`scope: 'withinParent'`) or once over
 * the whole level (`scope: 'level'`); a group with one node gets weight 1.
 * @example
 * import type { WeightLevelContext } from './definition.ts';
 * import { sdWeights } from './sd.ts';
 * const dataset = { unitCodes: ['A', 'B', 'C'], codes: ['x', 'y'], values: Float64Array.of(1, 2, 3, 2, 4, 6) };
 * const kids = [{ code: 'x' }, { code: 'y' }];
 * const ctx = { input: { dataset }, level: 1, nodes: kids, byParent: new Map([['P', kids]]) };
 * const sd = (X: Float64Array, m: number, n: number) => {
 *   const r = sdWeights(X, m, n);
 *   return { weights: Array.from(r.weights), details: { method: 'sd' as const, sd: Array.from(r.sd) } };
 * };
 * objectiveLevel(ctx as unknown as WeightLevelContext, { method: 'sd' }, sd).groups[0].weights // => [1/3, 2/3]
 */
export function objectiveLevel<O extends { method: string; scope?: WeightScope }>(
  ctx: WeightLevelContext,
  options: O,
  kernel: ObjectiveKernel<O>,
): WeightLevelResult {
  const warnings: Issue[] = [];
  const groups: WeightGroupDiagnostics[] = [];
  const scope = options.scope ?? DEFAULT_SCOPE;
  switch (scope) {
    case 'withinParent':
      for (const [parent, kids] of ctx.byParent)
        groups.push(objectiveGroup(ctx, options, kernel, parent || null, kids, warnings));
      break;
    case 'level':
      groups.push(objectiveGroup(ctx, options, kernel, null, ctx.nodes, warnings));
      break;
    default:
      throw new CityIndexError({
        code: 'E_OPTION',
        message: `unknown weighting scope "${String(scope)}"`,
        field: 'weighting.scope',
        expected: "'withinParent' or 'level'",
      });
  }
  const weights = new Map<string, number>();
  for (const g of groups) g.codes.forEach((c, j) => weights.set(c, g.weights[j]));
  return { weights, groups, warnings };
}
