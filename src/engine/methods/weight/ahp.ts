/**
 * Analytic Hierarchy Process weights from a pairwise comparison matrix (Saaty 1977, J. Math. Psych.
 * 15:234–281; Saaty 1980), with the consistency index and ratio. Validated against the pyrepo-mcda
 * `ahp.py` docstring matrix (METHODS.md §4.2).
 */
import * as z from 'zod';
import { CityIndexError, type Issue } from '../../core/errors.ts';
import type { FrameworkNode } from '../../core/framework.ts';
import { code, finiteNumber } from '../../spec/primitives.ts';
import {
  defineWeighting,
  type WeightGroupDiagnostics,
  type WeightLevelContext,
  type WeightLevelResult,
} from './definition.ts';

/** How AHP weights are derived from a comparison matrix. */
export const AhpVariantSchema = z.enum(['eigenvector', 'geometricMean', 'columnNormalised']);
export type AhpVariant = z.infer<typeof AhpVariantSchema>;
/** Which random-index table AHP's consistency ratio uses. */
export const RiTableSchema = z.enum(['saaty', 'chinese']);
export type RiTable = z.infer<typeof RiTableSchema>;

/** AHP defaults (Saaty's eigenvector with Saaty's random indices), written once. */
const AHP_DEFAULTS = { variant: 'eigenvector', riTable: 'saaty' } as const;

/** Saaty's random indices, n = 1..10 (as in pyrepo-mcda `ahp.py`). */
export const RI_SAATY: readonly number[] = [0, 0, 0.58, 0.9, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49];
/** The random-index table common in Chinese textbooks, n = 1..15. */
export const RI_CHINESE: readonly number[] = [
  0, 0, 0.52, 0.89, 1.12, 1.26, 1.36, 1.41, 1.46, 1.49, 1.52, 1.54, 1.56, 1.58, 1.59,
];

export interface AhpOptions {
  /**
   * How weights are derived: `eigenvector` (default, Saaty), `geometricMean` (row geometric mean),
   * `columnNormalised` (row mean of the column-normalised matrix).
   */
  variant?: AhpVariant;
  /** Random-index table for CR: `saaty` (default, n ≤ 10) or `chinese` (n ≤ 15). */
  riTable?: RiTable;
  /** Item codes in row order, used in error messages and warnings. */
  codes?: readonly string[];
  /** What the matrix is for (e.g. the parent code), used in messages. */
  label?: string;
  /** Accept a_ij·a_ji within this distance of 1 (default 0.05, so 0.33 for 1/3 is accepted). */
  reciprocalTolerance?: number;
  /** CR above which the matrix is flagged inconsistent (default 0.10). */
  crThreshold?: number;
}

export interface AhpResult {
  /** Sums to 1. */
  weights: Float64Array;
  /** Principal (Perron) eigenvalue of the matrix, whatever the variant. */
  lambdaMax: number;
  /** CI = (λmax − n)/(n − 1) (0 for n ≤ 2). */
  ci: number;
  /** CR = CI / RI (0 when RI = 0, i.e. n ≤ 2). */
  cr: number;
  ri: number;
  riTable: RiTable;
  variant: AhpVariant;
  /** CR ≤ threshold. */
  consistent: boolean;
  warnings: Issue[];
}

function riFor(table: RiTable, n: number, where: string): number {
  let list: readonly number[];
  switch (table) {
    case 'saaty':
      list = RI_SAATY;
      break;
    case 'chinese':
      list = RI_CHINESE;
      break;
    default:
      throw new CityIndexError({
        code: 'E_OPTION',
        message: `AHP: unknown RI table "${String(table)}"`,
        field: 'riTable',
        expected: "'saaty' or 'chinese'",
      });
  }
  if (n > list.length) {
    throw new CityIndexError({
      code: 'E_AHP_TOO_LARGE',
      message: `AHP${where}: the ${table} random-index table stops at n = ${list.length}, the matrix has n = ${n}`,
      field: 'riTable',
      expected: table === 'saaty' ? "n ≤ 10, or riTable 'chinese' (n ≤ 15)" : 'n ≤ 15 (split the group)',
    });
  }
  return list[n - 1];
}

/**
 * Check a pairwise comparison matrix: square, finite, positive, reciprocal within tolerance.
 * Returns every problem with its row (1-based) and column.
 * @example checkAhpMatrix([[1, 3], [1 / 3, 1]]) // => []
 */
export function checkAhpMatrix(
  matrix: readonly (readonly number[])[],
  options: Pick<AhpOptions, 'codes' | 'label' | 'reciprocalTolerance'> = {},
): Issue[] {
  const tol = options.reciprocalTolerance ?? 0.05;
  const where = options.label ? ` matrix for "${options.label}"` : ' matrix';
  const n = matrix.length;
  const name = (k: number): string => options.codes?.[k] ?? String(k + 1);
  const issues: Issue[] = [];
  if (n === 0)
    return [{ code: 'E_AHP_SHAPE', message: `AHP${where} is empty`, expected: 'a square n × n matrix, n ≥ 1' }];
  if (options.codes && options.codes.length !== n) {
    issues.push({
      code: 'E_AHP_SHAPE',
      message: `AHP${where} has ${n} rows but ${options.codes.length} codes`,
      field: 'codes',
      expected: `${n} codes`,
    });
  }
  matrix.forEach((row, i) => {
    if (!Array.isArray(row) || row.length !== n) {
      issues.push({
        code: 'E_AHP_SHAPE',
        message: `AHP${where}: row ${i + 1} (${name(i)}) has ${Array.isArray(row) ? row.length : 0} entries`,
        row: i + 1,
        expected: `${n} entries (a square matrix)`,
      });
    }
  });
  if (issues.length) return issues;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const a = matrix[i][j];
      if (typeof a !== 'number' || !Number.isFinite(a) || a <= 0) {
        issues.push({
          code: 'E_AHP_VALUE',
          message: `AHP${where}: entry (${name(i)}, ${name(j)}) is ${String(a)}`,
          row: i + 1,
          column: name(j),
          expected: 'a positive finite number (Saaty scale 1/9 … 9)',
        });
      }
    }
  }
  if (issues.length) return issues;
  for (let i = 0; i < n; i++) {
    if (Math.abs(matrix[i][i] - 1) > tol) {
      issues.push({
        code: 'E_AHP_DIAGONAL',
        message: `AHP${where}: diagonal entry (${name(i)}, ${name(i)}) is ${matrix[i][i]}`,
        row: i + 1,
        column: name(i),
        expected: '1',
      });
    }
    for (let j = i + 1; j < n; j++) {
      const p = matrix[i][j] * matrix[j][i];
      if (Math.abs(p - 1) > tol) {
        issues.push({
          code: 'E_AHP_RECIPROCAL',
          message:
            `AHP${where}: entries (${name(i)}, ${name(j)}) = ${matrix[i][j]} ` +
            `and (${name(j)}, ${name(i)}) = ${matrix[j][i]} are not reciprocal`,
          row: j + 1,
          column: name(i),
          expected: `a_ji = 1/a_ij = ${(1 / matrix[i][j]).toPrecision(4)}`,
        });
      }
    }
  }
  return issues;
}

/** Principal eigenpair of a positive matrix by power iteration (Perron–Frobenius: unique, positive). */
function perron(A: readonly (readonly number[])[]): { vector: Float64Array; value: number } {
  const n = A.length;
  let w = new Float64Array(n).fill(1 / n);
  let next = new Float64Array(n);
  let lambda = 0;
  for (let it = 0; it < 10000; it++) {
    let s = 0;
    for (let i = 0; i < n; i++) {
      let v = 0;
      for (let j = 0; j < n; j++) v += A[i][j] * w[j];
      next[i] = v;
      s += v;
    }
    lambda = s; // Σ(Aw) with Σw = 1
    let diff = 0;
    for (let i = 0; i < n; i++) {
      next[i] /= s;
      diff = Math.max(diff, Math.abs(next[i] - w[i]));
    }
    [w, next] = [next, w];
    if (diff < 1e-15) break;
  }
  return { vector: w, value: lambda };
}

/**
 * AHP weights, λmax, CI = (λmax − n)/(n − 1) and CR = CI/RI for a reciprocal pairwise comparison matrix.
 * Errors (not square, non-positive, not reciprocal) name the row and column. A CR above 0.10 gives a warning.
 * @example
 * const A = [[1, 1, 5, 3], [1, 1, 5, 3], [1 / 5, 1 / 5, 1, 1 / 3], [1 / 3, 1 / 3, 3, 1]];
 * const r = ahpWeights(A);
 * r.weights // => [0.389862…, 0.389862…, 0.067925…, 0.152352…]
 * [r.lambdaMax, r.ci, r.cr] // => [4.043493…, 0.014498…, 0.016109…]
 */
export function ahpWeights(matrix: readonly (readonly number[])[], options: AhpOptions = {}): AhpResult {
  const variant = options.variant ?? 'eigenvector';
  const riTable = options.riTable ?? 'saaty';
  const threshold = options.crThreshold ?? 0.1;
  const where = options.label ? ` matrix for "${options.label}"` : '';
  const issues = checkAhpMatrix(matrix, options);
  if (issues.length) throw new CityIndexError(issues);
  const n = matrix.length;
  const ri = riFor(riTable, n, where);
  const { vector, value } = perron(matrix);
  let weights: Float64Array;
  switch (variant) {
    case 'eigenvector':
      weights = vector;
      break;
    case 'geometricMean': {
      weights = new Float64Array(n);
      let s = 0;
      for (let i = 0; i < n; i++) {
        let l = 0;
        for (let j = 0; j < n; j++) l += Math.log(matrix[i][j]);
        weights[i] = Math.exp(l / n);
        s += weights[i];
      }
      for (let i = 0; i < n; i++) weights[i] /= s;
      break;
    }
    case 'columnNormalised': {
      weights = new Float64Array(n);
      for (let j = 0; j < n; j++) {
        let c = 0;
        for (let i = 0; i < n; i++) c += matrix[i][j];
        for (let i = 0; i < n; i++) weights[i] += matrix[i][j] / c / n;
      }
      break;
    }
    default:
      throw new CityIndexError({
        code: 'E_OPTION',
        message: `AHP: unknown variant "${String(variant)}"`,
        field: 'variant',
        expected: "'eigenvector', 'geometricMean' or 'columnNormalised'",
      });
  }
  const ci = n <= 2 ? 0 : Math.max(0, (value - n) / (n - 1));
  const cr = ri > 0 ? ci / ri : 0;
  const consistent = cr <= threshold;
  const warnings: Issue[] = [];
  if (!consistent) {
    warnings.push({
      code: 'W_AHP_INCONSISTENT',
      severity: 'warning',
      field: 'matrix',
      indicator: options.label,
      message:
        `AHP${where}: consistency ratio CR = ${cr.toFixed(4)} exceeds ${threshold} ` +
        `(λmax = ${value.toFixed(4)}, CI = ${ci.toFixed(4)}, RI = ${ri} from the ${riTable} table); ` +
        'revise the judgements',
      expected: `CR ≤ ${threshold}`,
    });
  }
  return { weights, lambdaMax: value, ci, cr, ri, riTable, variant, consistent, warnings };
}

/**
 * Group AHP: combine several experts' pairwise comparison matrices into one by the element-wise
 * geometric mean (Aczél & Saaty 1983), which keeps the result reciprocal. Each matrix is checked first.
 * @example aggregateAhpMatrices([[[1, 2], [1 / 2, 1]], [[1, 8], [1 / 8, 1]]]) // => [[1, 4], [0.25, 1]]
 */
export function aggregateAhpMatrices(
  matrices: ReadonlyArray<readonly (readonly number[])[]>,
  options: Pick<AhpOptions, 'codes' | 'label' | 'reciprocalTolerance'> = {},
): number[][] {
  if (matrices.length === 0) {
    throw new CityIndexError({
      code: 'E_AHP_SHAPE',
      message: 'group AHP: no matrices given',
      expected: 'one matrix per expert',
    });
  }
  const n = matrices[0].length;
  const issues: Issue[] = [];
  matrices.forEach((mat, e) => {
    const label = `${options.label ? `${options.label}, ` : ''}expert ${e + 1}`;
    if (mat.length !== n)
      issues.push({
        code: 'E_AHP_SHAPE',
        message: `group AHP: the matrix of ${label} is ${mat.length} × ${mat.length}, the first is ${n} × ${n}`,
        expected: `${n} × ${n}`,
      });
    else issues.push(...checkAhpMatrix(mat, { ...options, label }));
  });
  if (issues.length) throw new CityIndexError(issues);
  const k = matrices.length;
  return Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (_, j) => {
      let l = 0;
      for (const mat of matrices) l += Math.log(mat[i][j]);
      return Math.exp(l / k);
    }),
  );
}

/** Options of `{ method: 'ahp', matrices, variant?, riTable? }`: one comparison matrix per parent. */
export const AhpWeightingSchema = z.strictObject({
  method: z.literal('ahp'),
  matrices: z.record(code, z.strictObject({ codes: z.array(code), matrix: z.array(z.array(finiteNumber)) })),
  variant: AhpVariantSchema.optional(),
  riTable: RiTableSchema.optional(),
});
export type AhpWeighting = z.infer<typeof AhpWeightingSchema>;

/** The number of rows of a matrix from a spec (0 when it is not an array). */
const rowCount = (matrix: unknown): number => (Array.isArray(matrix) ? matrix.length : 0);

/**
 * AHP weights of every parent group of the level: each child compared exactly once; a group with one
 * child gets weight 1 and needs no matrix; children left out of the build are dropped from the matrix.
 */
function ahpLevel(ctx: WeightLevelContext, wm: AhpWeighting): WeightLevelResult {
  const issues: Issue[] = [];
  const warnings: Issue[] = [];
  const weights = new Map<string, number>();
  const groups: WeightGroupDiagnostics[] = [];
  const matrices = wm.matrices ?? {};
  for (const parent of Object.keys(matrices)) {
    if (!ctx.byParent.has(parent)) {
      issues.push({
        code: 'E_AHP_PARENT',
        message: `AHP matrix for "${parent}", which has no children at level ${ctx.level} in the build`,
        field: `weighting.matrices.${parent}`,
        indicator: parent,
        expected: `one of: ${[...ctx.byParent.keys()].join(', ')}`,
      });
    }
  }
  const allChildren = new Map<string, FrameworkNode[]>();
  for (const nd of ctx.input.framework.nodes) {
    if (nd.parent === null || nd.level !== ctx.level) continue;
    allChildren.set(nd.parent, [...(allChildren.get(nd.parent) ?? []), nd]);
  }
  for (const [parent, kids] of ctx.byParent) {
    const codes = kids.map((k) => k.code);
    const spec = matrices[parent];
    if (!spec) {
      if (kids.length === 1) {
        weights.set(codes[0], 1);
        groups.push({ parent, codes, method: 'ahp', weights: [1] });
      } else {
        issues.push({
          code: 'E_AHP_MISSING',
          message: `no AHP matrix for "${parent}" (children ${codes.join(', ')})`,
          field: `weighting.matrices.${parent}`,
          indicator: parent,
          expected: `a ${codes.length} × ${codes.length} matrix over ${codes.join(', ')}`,
        });
      }
      continue;
    }
    const field = `weighting.matrices.${parent}`;
    const given = spec.codes ?? [];
    const before = issues.length;
    const seen = new Set<string>();
    const childCodes = new Set((allChildren.get(parent) ?? []).map((k) => k.code));
    const inBuildCodes = new Set(codes);
    const drop: number[] = [];
    given.forEach((c, i) => {
      if (seen.has(c))
        issues.push({
          code: 'E_AHP_DUPLICATE',
          message: `AHP matrix for "${parent}" lists "${c}" twice`,
          field: `${field}.codes[${i}]`,
          indicator: c,
          expected: 'each child exactly once',
        });
      seen.add(c);
      if (!childCodes.has(c))
        issues.push({
          code: 'E_AHP_CODE',
          message: `AHP matrix for "${parent}" lists "${c}", which is not a child of "${parent}"`,
          field: `${field}.codes[${i}]`,
          indicator: c,
          expected: `children: ${codes.join(', ')}`,
        });
      else if (!inBuildCodes.has(c)) drop.push(i);
    });
    for (const c of codes) {
      if (!seen.has(c))
        issues.push({
          code: 'E_AHP_MISSING_CHILD',
          message: `AHP matrix for "${parent}" does not compare "${c}"`,
          field: `${field}.codes`,
          indicator: c,
          expected: 'every child exactly once',
        });
    }
    if (!Array.isArray(spec.matrix) || spec.matrix.length !== given.length) {
      issues.push({
        code: 'E_AHP_SHAPE',
        message: `AHP matrix for "${parent}" has ${rowCount(spec.matrix)} rows for ${given.length} codes`,
        field: `${field}.matrix`,
        indicator: parent,
        expected: `${given.length} rows`,
      });
    }
    if (issues.length > before) continue;
    let matrix = spec.matrix;
    let order = given;
    if (drop.length) {
      const keepIdx = given.map((_, i) => i).filter((i) => !drop.includes(i));
      matrix = keepIdx.map((i) => keepIdx.map((j) => spec.matrix[i]?.[j]));
      order = keepIdx.map((i) => given[i]);
      warnings.push({
        code: 'W_AHP_GAPS_DROPPED',
        severity: 'warning',
        message:
          `AHP matrix for "${parent}": ${drop.map((i) => given[i]).join(', ')} ` +
          'not in the build (no data) — rows and columns dropped',
        indicator: parent,
      });
    }
    try {
      const r = ahpWeights(matrix, { variant: wm.variant, riTable: wm.riTable, codes: order, label: parent });
      order.forEach((c, i) => weights.set(c, r.weights[i]));
      warnings.push(...r.warnings.map((w) => ({ ...w, field })));
      groups.push({
        parent,
        codes,
        method: 'ahp',
        weights: codes.map((c) => weights.get(c)!),
        details: {
          method: 'ahp',
          variant: r.variant,
          riTable: r.riTable,
          lambdaMax: r.lambdaMax,
          ci: r.ci,
          cr: r.cr,
          ri: r.ri,
          consistent: r.consistent,
        },
      });
    } catch (e) {
      if (!(e instanceof CityIndexError)) throw e;
      issues.push(
        ...e.issues.map((iss) => ({ ...iss, field: iss.field ? `${field}.${iss.field}` : `${field}.matrix` })),
      );
    }
  }
  if (issues.length) throw new CityIndexError(issues);
  return { weights, groups, warnings };
}

/** `ahp`: Analytic Hierarchy Process, one matrix per parent. */
export const ahpWeighting = defineWeighting<typeof AhpWeightingSchema>({
  method: 'ahp',
  schema: AhpWeightingSchema,
  defaults: AHP_DEFAULTS,
  level: (o, ctx) => ahpLevel(ctx, o),
  text: {
    en: (o) => `AHP (${o.variant ?? AHP_DEFAULTS.variant}, RI table ${o.riTable ?? AHP_DEFAULTS.riTable})`,
    zh: (o) => `层次分析法（${o.variant ?? AHP_DEFAULTS.variant}，RI 表 ${o.riTable ?? AHP_DEFAULTS.riTable}）`,
  },
});
