/**
 * Weight step: set the weights of the framework nodes at one level (COINr keeps weights in iMeta and
 * `get_PCA` / `get_opt_weights` write new weight sets; here a step returns a new framework).
 *
 * - `equal`, `manual`: as named (equal = 1/k within each parent).
 * - `ahp`: one pairwise comparison matrix per parent (`matrices[parent] = { codes, matrix }`); every child
 *   appears exactly once. Groups with a single child get weight 1 and need no matrix.
 * - Objective methods (`entropy`, `critic`, `cv`, `sd`, `pca`) compute on the step's input dataset:
 *   level 1 on the indicator columns, level k > 1 on the level-k score columns (an `aggregate` step must
 *   have produced them). `scope: 'withinParent'` (default) computes one weight vector per parent group;
 *   `'level'` computes over all nodes of the level at once. Only units with every column of the group
 *   present are used (complete cases, like COINr `get_PCA`). The data are taken as oriented (higher =
 *   better), as they are after a `normalise` step, so CRITIC treats every column as a benefit.
 * - `optimised`: non-negative weights of the whole level, found by Nelder–Mead on the simplex, so that the
 *   correlations of the level's scores with the index match `target` (default equal): COINr
 *   `get_opt_weights(optype = "balance")` without its negative weights, re-aggregating with `aggregateStep`.
 * - `combined`: α·subjective + (1−α)·objective (or the product), per parent group.
 *
 * The dataset passes through unchanged.
 */
import { CityIndexError, type Issue } from '../../core/errors.ts';
import { colIndex, type Dataset } from '../../core/dataset.ts';
import { topLevel, type Framework, type FrameworkNode } from '../../core/framework.ts';
import type {
  AggregateOptions,
  AhpVariant,
  ObjectiveWeightMethod,
  RiTable,
  WeightMethod,
  WeightOptions,
} from '../../spec/spec.ts';
import type { StepInput, StepOutput } from '../../pipeline/step.ts';
import { pearson } from '../../stats/descriptive.ts';
import { aggregateStep } from '../aggregate/step.ts';
import { ahpWeights } from './ahp.ts';
import { combinedWeights } from './combined.ts';
import { criticWeights } from './critic.ts';
import { cvWeights } from './cv.ts';
import { entropyWeights, type EntropyShift } from './entropy.ts';
import { correlationBalance, optimiseWeights } from './optimised.ts';
import { pcaWeights, type PcaVariant } from './pca.ts';
import { sdWeights } from './sd.ts';

/** Method-specific statistics of one group. */
export type WeightDetails =
  | { method: 'entropy'; shift: EntropyShift; entropy: number[]; divergence: number[] }
  | { method: 'critic'; sd: number[]; information: number[] }
  | { method: 'cv'; cv: number[]; mean: number[] }
  | { method: 'sd'; sd: number[] }
  | {
      method: 'pca';
      variant: PcaVariant;
      eigenvalues: number[];
      varianceExplained: number[];
      retained: number;
      rotatedLoadings: number[][];
      factorOfIndicator: number[];
    }
  | {
      method: 'ahp';
      variant: AhpVariant;
      riTable: RiTable;
      lambdaMax: number;
      ci: number;
      cr: number;
      ri: number;
      consistent: boolean;
    }
  | {
      method: 'optimised';
      converged: boolean;
      iterations: number;
      evaluations: number;
      value: number;
      target: number[];
      correlations: number[];
    }
  | {
      method: 'combined';
      rule: 'additive' | 'multiplicative';
      alpha: number;
      subjective: number[];
      objective: number[];
    };

/** One group whose weights were set together. */
export interface WeightGroupDiagnostics {
  /** Parent code, or null for a whole-level computation (`scope: 'level'`, `optimised`). */
  parent: string | null;
  codes: string[];
  method: WeightMethod['method'];
  /** The weights set on the nodes, in `codes` order. */
  weights: number[];
  /** Units with complete data used by an objective method. */
  unitsUsed?: number;
  details?: WeightDetails;
}

export interface WeightDiagnostics {
  level: number;
  method: WeightMethod['method'];
  /** Weight of every node at the level after the step (gaps keep theirs and are not listed). */
  weights: Record<string, number>;
  groups: WeightGroupDiagnostics[];
  /** For `combined`: how the subjective and objective parts were computed. */
  components?: { subjective: WeightComponentDiagnostics; objective: WeightComponentDiagnostics };
  warnings: Issue[];
}

/** One part of a combined weighting. */
export interface WeightComponentDiagnostics {
  method: WeightMethod['method'];
  groups: WeightGroupDiagnostics[];
  components?: { subjective: WeightComponentDiagnostics; objective: WeightComponentDiagnostics };
}

/** Extra context a build may pass (not part of the step's options). */
export interface WeightStepContext {
  /** Aggregation used to score candidate weights for `optimised` (default: the aggregate step's defaults). */
  aggregate?: AggregateOptions;
}

interface Resolved {
  weights: Map<string, number>;
  groups: WeightGroupDiagnostics[];
  warnings: Issue[];
  components?: { subjective: WeightComponentDiagnostics; objective: WeightComponentDiagnostics };
}

interface Ctx {
  input: StepInput;
  level: number;
  top: number;
  /** Nodes at the level that are in the build, in framework order. */
  nodes: FrameworkNode[];
  /** The same, grouped by parent (framework order of first appearance). */
  byParent: Map<string, FrameworkNode[]>;
  aggregate?: AggregateOptions;
}

const toArr = (x: ArrayLike<number>): number[] => Array.from(x);

/** Nodes that take part in a build: collected indicators and aggregates with one below them. */
function inBuild(fw: Framework): Set<string> {
  const keep = new Set<string>();
  const byCode = new Map(fw.nodes.map((nd) => [nd.code, nd] as const));
  for (const nd of fw.nodes) {
    if (nd.kind !== 'indicator' || nd.status === 'not_collected') continue;
    let cur: FrameworkNode | undefined = nd;
    while (cur && !keep.has(cur.code)) {
      keep.add(cur.code);
      cur = cur.parent === null ? undefined : byCode.get(cur.parent);
    }
  }
  return keep;
}

/**
 * Run the weight step: returns the input dataset unchanged, a framework whose nodes at `options.level`
 * carry the new weights, and diagnostics per group.
 * @example
 * weightStep({ dataset, framework, units }, { level: 1, weighting: { method: 'entropy' } }).diagnostics.groups[0].details
 * // => { method: 'entropy', shift: 'none', entropy: [...], divergence: [...] }
 */
export function weightStep(
  input: StepInput,
  options: WeightOptions,
  context: WeightStepContext = {},
): StepOutput<WeightDiagnostics> {
  const fw = input.framework;
  const top = topLevel(fw);
  const level = options?.level;
  if (!Number.isInteger(level) || level < 1 || level >= top) {
    throw new CityIndexError({
      code: 'E_LEVEL',
      message: `weight step: level ${String(level)} does not carry weights (levels 1–${top - 1} do; ${top} is the index)`,
      field: 'level',
      expected: `a whole number from 1 to ${top - 1}`,
    });
  }
  if (!options.weighting || typeof options.weighting !== 'object') {
    throw new CityIndexError({
      code: 'E_OPTION',
      message: 'weight step: `weighting` is missing',
      field: 'weighting',
      expected: "e.g. { method: 'equal' }",
    });
  }
  const keep = inBuild(fw);
  const nodes = fw.nodes.filter((nd) => nd.level === level && keep.has(nd.code));
  const byParent = new Map<string, FrameworkNode[]>();
  for (const nd of nodes) {
    const p = nd.parent ?? '';
    const list = byParent.get(p) ?? [];
    list.push(nd);
    byParent.set(p, list);
  }
  const ctx: Ctx = { input, level, top, nodes, byParent, aggregate: context.aggregate };
  const r = resolve(ctx, options.weighting);
  const framework: Framework = {
    ...fw,
    nodes: fw.nodes.map((nd) => (r.weights.has(nd.code) ? { ...nd, weight: r.weights.get(nd.code)! } : nd)),
  };
  const weights: Record<string, number> = {};
  for (const nd of nodes) weights[nd.code] = r.weights.get(nd.code) ?? nd.weight;
  return {
    dataset: input.dataset,
    framework,
    diagnostics: {
      level,
      method: options.weighting.method,
      weights,
      groups: r.groups,
      ...(r.components ? { components: r.components } : {}),
      warnings: r.warnings,
    },
  };
}

function resolve(ctx: Ctx, wm: WeightMethod): Resolved {
  switch (wm.method) {
    case 'equal':
      return equalLevel(ctx);
    case 'manual':
      return manualLevel(ctx, wm.weights);
    case 'ahp':
      return ahpLevel(ctx, wm);
    case 'entropy':
    case 'critic':
    case 'cv':
    case 'sd':
    case 'pca':
      return objectiveLevel(ctx, wm, wm.scope ?? 'withinParent');
    case 'optimised':
      return optimisedLevel(ctx, wm);
    case 'combined':
      return combinedLevel(ctx, wm);
    default: {
      const never: never = wm;
      throw new CityIndexError({
        code: 'E_WEIGHT_METHOD',
        message: `unknown weighting method "${(never as { method: string }).method}"`,
        field: 'weighting.method',
        expected: 'equal | manual | ahp | entropy | critic | cv | sd | pca | optimised | combined',
      });
    }
  }
}

function equalLevel(ctx: Ctx): Resolved {
  const weights = new Map<string, number>();
  const groups: WeightGroupDiagnostics[] = [];
  for (const [parent, kids] of ctx.byParent) {
    kids.forEach((k) => weights.set(k.code, 1 / kids.length));
    groups.push({
      parent: parent || null,
      codes: kids.map((k) => k.code),
      method: 'equal',
      weights: kids.map(() => 1 / kids.length),
    });
  }
  return { weights, groups, warnings: [] };
}

function manualLevel(ctx: Ctx, given: Record<string, number>): Resolved {
  const issues: Issue[] = [];
  const warnings: Issue[] = [];
  const atLevel = new Set(ctx.input.framework.nodes.filter((nd) => nd.level === ctx.level).map((nd) => nd.code));
  const weights = new Map<string, number>();
  for (const [code, w] of Object.entries(given ?? {})) {
    if (!atLevel.has(code)) {
      const nd = ctx.input.framework.nodes.find((x) => x.code === code);
      issues.push({
        code: 'E_UNKNOWN_CODE',
        message: nd
          ? `manual weight for "${code}", which is at level ${nd.level}, not ${ctx.level}`
          : `manual weight for unknown code "${code}"`,
        field: `weighting.weights.${code}`,
        indicator: code,
        expected: `a code at level ${ctx.level}`,
      });
    } else if (typeof w !== 'number' || !Number.isFinite(w)) {
      issues.push({
        code: 'E_WEIGHT',
        message: `manual weight of "${code}" is ${String(w)}`,
        field: `weighting.weights.${code}`,
        indicator: code,
        expected: 'a finite number',
      });
    } else {
      if (w < 0)
        warnings.push({
          code: 'W_NEGATIVE_WEIGHT',
          severity: 'warning',
          message: `manual weight of "${code}" is negative (${w}): it reverses the indicator's effect, and only the arithmetic mean accepts it`,
          indicator: code,
        });
      weights.set(code, w);
    }
  }
  if (issues.length) throw new CityIndexError(issues);
  const groups: WeightGroupDiagnostics[] = [];
  for (const [parent, kids] of ctx.byParent) {
    groups.push({
      parent: parent || null,
      codes: kids.map((k) => k.code),
      method: 'manual',
      weights: kids.map((k) => weights.get(k.code) ?? k.weight),
    });
  }
  return { weights, groups, warnings };
}

function ahpLevel(ctx: Ctx, wm: Extract<WeightMethod, { method: 'ahp' }>): Resolved {
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
        message: `AHP matrix for "${parent}" has ${Array.isArray(spec.matrix) ? spec.matrix.length : 0} rows for ${given.length} codes`,
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
        message: `AHP matrix for "${parent}": ${drop.map((i) => given[i]).join(', ')} not in the build (no data) — rows and columns dropped`,
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

/** Columns of `codes` from the dataset restricted to complete rows (column-major). */
function groupMatrix(ctx: Ctx, codes: readonly string[]): { X: Float64Array; m: number; unitCodes: string[] } {
  const ds: Dataset = ctx.input.dataset;
  const missing = codes.filter((c) => colIndex(ds, c) < 0);
  if (missing.length) {
    if (ctx.level > 1) {
      throw new CityIndexError(
        missing.map((c) => ({
          code: 'E_WEIGHT_NEEDS_SCORES',
          message: `objective weights at level ${ctx.level} need the level-${ctx.level} scores, and column "${c}" is not in the dataset: put an aggregate step before this weight step`,
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

function objectiveGroup(
  ctx: Ctx,
  wm: ObjectiveWeightMethod,
  parent: string | null,
  kids: FrameworkNode[],
  warnings: Issue[],
): WeightGroupDiagnostics {
  const codes = kids.map((k) => k.code);
  if (kids.length === 1) return { parent, codes, method: wm.method, weights: [1] };
  try {
    return objectiveKernel(ctx, wm, parent, codes, warnings);
  } catch (e) {
    if (!(e instanceof CityIndexError)) throw e;
    // kernels name units and indicators; say which group (and which level) the weights were for
    const group = parent ? `"${parent}"` : `level ${ctx.level}`;
    throw new CityIndexError(
      e.issues.map((iss) => ({
        ...iss,
        indicator: iss.indicator ?? parent ?? undefined,
        message: `${wm.method} weights for ${group}: ${iss.message}`,
      })),
    );
  }
}

function objectiveKernel(
  ctx: Ctx,
  wm: ObjectiveWeightMethod,
  parent: string | null,
  codes: string[],
  warnings: Issue[],
): WeightGroupDiagnostics {
  const { X, m, unitCodes } = groupMatrix(ctx, codes);
  const n = codes.length;
  const labels = { unitCodes, indicatorCodes: codes };
  const total = ctx.input.dataset.unitCodes.length;
  if (m < total) {
    warnings.push({
      code: 'W_INCOMPLETE_UNITS',
      severity: 'warning',
      message: `${wm.method} weights${parent ? ` for "${parent}"` : ''}: ${total - m} of ${total} units have missing values and are left out`,
      indicator: parent ?? undefined,
    });
  }
  switch (wm.method) {
    case 'entropy': {
      const shift = wm.shift ?? 'none';
      const r = entropyWeights(X, m, n, { ...labels, shift });
      return {
        parent,
        codes,
        method: 'entropy',
        weights: toArr(r.weights),
        unitsUsed: m,
        details: { method: 'entropy', shift, entropy: toArr(r.entropy), divergence: toArr(r.divergence) },
      };
    }
    case 'critic': {
      const r = criticWeights(X, m, n, labels);
      return {
        parent,
        codes,
        method: 'critic',
        weights: toArr(r.weights),
        unitsUsed: m,
        details: { method: 'critic', sd: toArr(r.sd), information: toArr(r.information) },
      };
    }
    case 'cv': {
      const r = cvWeights(X, m, n, labels);
      return {
        parent,
        codes,
        method: 'cv',
        weights: toArr(r.weights),
        unitsUsed: m,
        details: { method: 'cv', cv: toArr(r.cv), mean: toArr(r.mean) },
      };
    }
    case 'sd': {
      const r = sdWeights(X, m, n, labels);
      return {
        parent,
        codes,
        method: 'sd',
        weights: toArr(r.weights),
        unitsUsed: m,
        details: { method: 'sd', sd: toArr(r.sd) },
      };
    }
    case 'pca': {
      const r = pcaWeights(X, m, n, { ...labels, variant: wm.variant ?? 'oecd' });
      warnings.push(...r.warnings.map((w) => ({ ...w, indicator: w.indicator ?? parent ?? undefined })));
      return {
        parent,
        codes,
        method: 'pca',
        weights: toArr(r.weights),
        unitsUsed: m,
        details: {
          method: 'pca',
          variant: r.variant,
          eigenvalues: toArr(r.eigenvalues),
          varianceExplained: toArr(r.varianceExplained),
          retained: r.retained,
          rotatedLoadings: r.rotatedLoadings,
          factorOfIndicator: toArr(r.factorOfIndicator),
        },
      };
    }
    default: {
      const never: never = wm;
      throw new CityIndexError({
        code: 'E_WEIGHT_METHOD',
        message: `unknown objective weighting method "${(never as { method: string }).method}"`,
        field: 'weighting.method',
        expected: 'entropy | critic | cv | sd | pca',
      });
    }
  }
}

function objectiveLevel(ctx: Ctx, wm: ObjectiveWeightMethod, scope: 'withinParent' | 'level'): Resolved {
  const warnings: Issue[] = [];
  const groups: WeightGroupDiagnostics[] = [];
  switch (scope) {
    case 'withinParent':
      for (const [parent, kids] of ctx.byParent) groups.push(objectiveGroup(ctx, wm, parent || null, kids, warnings));
      break;
    case 'level':
      groups.push(objectiveGroup(ctx, wm, null, ctx.nodes, warnings));
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

function optimisedLevel(ctx: Ctx, wm: Extract<WeightMethod, { method: 'optimised' }>): Resolved {
  const { input, nodes, level } = ctx;
  const fw = input.framework;
  const codes = nodes.map((nd) => nd.code);
  const n = codes.length;
  const root = fw.nodes.find((nd) => nd.parent === null);
  if (!root)
    throw new CityIndexError({
      code: 'E_ROOT',
      message: 'optimised weights: the framework has no root (index)',
      expected: 'one node with parent null',
    });
  const issues: Issue[] = [];
  for (const [c, t] of Object.entries(wm.target ?? {})) {
    if (!codes.includes(c))
      issues.push({
        code: 'E_UNKNOWN_CODE',
        message: `optimisation target for "${c}", which is not a level-${level} node in the build`,
        field: `weighting.target.${c}`,
        indicator: c,
        expected: codes.join(', '),
      });
    else if (!(typeof t === 'number' && t > 0 && Number.isFinite(t)))
      issues.push({
        code: 'E_OPTION',
        message: `optimisation target of "${c}" is ${String(t)}`,
        field: `weighting.target.${c}`,
        indicator: c,
        expected: 'a positive number',
      });
  }
  if (issues.length) throw new CityIndexError(issues);
  const target = codes.map((c) => wm.target?.[c] ?? 1);
  // aggregate from the indicator columns only (aggregates present in the input are recomputed anyway)
  const aggregateCodes = new Set(fw.nodes.filter((nd) => nd.kind === 'aggregate').map((nd) => nd.code));
  const ds = input.dataset;
  const total = ds.unitCodes.length;
  const keepCols = ds.codes.filter((c) => !aggregateCodes.has(c));
  const base =
    keepCols.length === ds.codes.length
      ? ds
      : (() => {
          const v = new Float64Array(total * keepCols.length);
          keepCols.forEach((c, j) =>
            v.set(ds.values.subarray(colIndex(ds, c) * total, (colIndex(ds, c) + 1) * total), j * total),
          );
          return { unitCodes: ds.unitCodes, codes: keepCols, values: v } as Dataset;
        })();
  const position = new Map(codes.map((c, j) => [c, j] as const));
  const aggregateWith = (w: ArrayLike<number>): Dataset => {
    const trial: Framework = {
      ...fw,
      nodes: fw.nodes.map((nd) => (position.has(nd.code) ? { ...nd, weight: w[position.get(nd.code)!] } : nd)),
    };
    return aggregateStep({ ...input, dataset: base, framework: trial }, ctx.aggregate).dataset;
  };
  // errors of the data under this aggregation (e.g. a geometric mean of non-positive values) do not
  // depend on the weights: report them at once rather than after every iteration has failed
  try {
    aggregateWith(codes.map(() => 1 / n));
  } catch (e) {
    if (!(e instanceof CityIndexError)) throw e;
    throw new CityIndexError(
      e.issues.map((i) => ({
        ...i,
        message: `optimised weights at level ${level}: the index cannot be aggregated even with equal weights: ${i.message}`,
      })),
    );
  }
  const correlationsFor = (w: ArrayLike<number>): number[] | null => {
    let out: Dataset;
    try {
      out = aggregateWith(w);
    } catch (e) {
      if (e instanceof CityIndexError) return null;
      throw e;
    }
    const col = (c: string): Float64Array | null => {
      const j = colIndex(out, c);
      return j < 0 ? null : out.values.subarray(j * total, (j + 1) * total);
    };
    const index = col(root.code);
    if (!index) return null;
    return codes.map((c) => {
      const x = col(c);
      return x ? pearson(x, index) : NaN;
    });
  };
  const result = optimiseWeights(
    (w) => {
      const c = correlationsFor(w);
      return c ? correlationBalance(c, target) : Infinity;
    },
    n,
    { tolerance: wm.tolerance ?? 1e-8, maxIterations: wm.maxIterations ?? 2000 },
  );
  const correlations = correlationsFor(result.weights) ?? codes.map(() => NaN);
  const warnings: Issue[] = [];
  if (!result.converged) {
    warnings.push({
      code: 'W_OPT_NOT_CONVERGED',
      severity: 'warning',
      message: `optimised weights at level ${level} did not converge in ${result.iterations} iterations (objective ${result.value.toExponential(3)}); raise maxIterations or the tolerance`,
      field: 'weighting.maxIterations',
    });
  }
  if (Number.isFinite(result.value) && result.value > 1e-4) {
    const shares = correlations.map((c) => c / correlations.reduce((a, b) => a + b, 0));
    warnings.push({
      code: 'W_OPT_TARGET_MISSED',
      severity: 'warning',
      field: 'weighting.target',
      message: `optimised weights at level ${level}: the target correlation shares are not reachable with non-negative weights; closest shares ${codes.map((c, j) => `${c} ${shares[j].toFixed(3)}`).join(', ')} (target ${codes.map((c, j) => `${c} ${(target[j] / target.reduce((a, b) => a + b, 0)).toFixed(3)}`).join(', ')})`,
    });
  }
  if (!Number.isFinite(result.value)) {
    throw new CityIndexError({
      code: 'E_OPT_FAILED',
      message: `optimised weights at level ${level}: no candidate weights could be aggregated and correlated with "${root.code}"`,
      expected: 'complete enough data for the aggregation and correlations',
    });
  }
  const weights = new Map<string, number>();
  codes.forEach((c, j) => weights.set(c, result.weights[j]));
  return {
    weights,
    warnings,
    groups: [
      {
        parent: null,
        codes,
        method: 'optimised',
        weights: toArr(result.weights),
        details: {
          method: 'optimised',
          converged: result.converged,
          iterations: result.iterations,
          evaluations: result.evaluations,
          value: result.value,
          target,
          correlations,
        },
      },
    ],
  };
}

function combinedLevel(ctx: Ctx, wm: Extract<WeightMethod, { method: 'combined' }>): Resolved {
  const s = resolve(ctx, wm.subjective);
  const o = resolve(ctx, wm.objective);
  const weights = new Map<string, number>();
  const groups: WeightGroupDiagnostics[] = [];
  for (const [parent, kids] of ctx.byParent) {
    const codes = kids.map((k) => k.code);
    const sw = kids.map((k) => s.weights.get(k.code) ?? k.weight);
    const ow = kids.map((k) => o.weights.get(k.code) ?? k.weight);
    let r;
    try {
      r = combinedWeights(sw, ow, { alpha: wm.alpha, rule: wm.rule });
    } catch (e) {
      if (!(e instanceof CityIndexError)) throw e;
      throw new CityIndexError(
        e.issues.map((iss) => ({
          ...iss,
          indicator: parent,
          message: `combined weights for "${parent}": ${iss.message}`,
        })),
      );
    }
    codes.forEach((c, j) => weights.set(c, r.weights[j]));
    groups.push({
      parent: parent || null,
      codes,
      method: 'combined',
      weights: toArr(r.weights),
      details: { method: 'combined', rule: r.rule, alpha: r.alpha, subjective: sw, objective: ow },
    });
  }
  const part = (method: WeightMethod['method'], r: Resolved): WeightComponentDiagnostics => ({
    method,
    groups: r.groups,
    ...(r.components ? { components: r.components } : {}),
  });
  return {
    weights,
    groups,
    warnings: [...s.warnings, ...o.warnings],
    components: { subjective: part(wm.subjective.method, s), objective: part(wm.objective.method, o) },
  };
}
