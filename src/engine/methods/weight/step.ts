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
 *   `get_opt_weights(optype = "balance")` without its negative weights, re-aggregating with `aggregateStep`;
 *   `variant: coinr` reproduces `get_opt_weights` itself (R's Nelder–Mead, `optimised-coinr.ts`).
 * - `combined`: α·subjective + (1−α)·objective (or the product), per parent group.
 *
 * The dataset passes through unchanged.
 */
import { CityIndexError } from '../../core/errors.ts';
import { topLevel, type Framework, type FrameworkNode } from '../../core/framework.ts';
import type { AggregateOptions, WeightOptions } from '../../spec/spec.ts';
import type { StepInput, StepOutput } from '../../pipeline/step.ts';
import { isMethodOf } from '../method.ts';
import type { WeightDiagnostics, WeightLevelContext, WeightLevelResult } from './definition.ts';
import { WEIGHT_METHODS, WEIGHT_REGISTRY, type WeightMethod } from './index.ts';

export type {
  WeightComponentDiagnostics,
  WeightDetails,
  WeightDiagnostics,
  WeightGroupDiagnostics,
} from './definition.ts';

/** Extra context a build may pass (not part of the step's options). */
export interface WeightStepContext {
  /** Aggregation used to score candidate weights for `optimised` (default: the aggregate step's defaults). */
  aggregate?: AggregateOptions;
}

type Definitions = typeof WEIGHT_REGISTRY;
type OptionsOf<K extends keyof Definitions> = Extract<WeightMethod, { method: K }>;
/** The registry seen through the one function the step calls, keyed by method (correlated by `K`). */
type Kernels = {
  [K in keyof Definitions]: { level(options: OptionsOf<K>, context: WeightLevelContext): WeightLevelResult };
};
const KERNELS: Kernels = WEIGHT_REGISTRY;

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
 * const { raw: dataset, framework, units } = asem.input;
 * const out = weightStep({ dataset, framework, units }, { level: 1, weighting: { method: 'sd' } });
 * out.diagnostics.groups[0].details // => { method: 'sd', sd: [...] }
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
      message:
        `weight step: level ${String(level)} does not carry weights ` + `(levels 1–${top - 1} do; ${top} is the index)`,
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
  const ctx: WeightLevelContext = {
    input,
    level,
    top,
    nodes,
    byParent,
    aggregate: context.aggregate,
    resolve: (method) => resolve(ctx, method),
  };
  const r = resolve(ctx, options.weighting);
  const framework: Framework = {
    ...fw,
    nodes: fw.nodes.map((nd) => (r.weights.has(nd.code) ? { ...nd, weight: r.weights.get(nd.code)! } : nd)),
  };
  const weights: Record<string, number> = Object.create(null);
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

function resolve<K extends keyof Definitions>(ctx: WeightLevelContext, wm: OptionsOf<K>): WeightLevelResult {
  const method: K = wm.method;
  if (!isMethodOf(WEIGHT_REGISTRY, method)) {
    throw new CityIndexError({
      code: 'E_WEIGHT_METHOD',
      message: `unknown weighting method "${String(method)}"`,
      field: 'weighting.method',
      expected: WEIGHT_METHODS.map((d) => d.method).join(' | '),
    });
  }
  return KERNELS[method].level(wm, ctx);
}
