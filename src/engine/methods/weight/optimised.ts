/**
 * Weight optimisation on the probability simplex (non-negative weights summing to 1): a Nelder–Mead
 * search (Nelder & Mead 1965; parameters 1, 2, ½, ½ as R `optim`) over n − 1 free coordinates u, mapped to
 * weights by the Euclidean projection onto the simplex w = P([u, 0]) (Duchi et al. 2008), which reaches every
 * point of the simplex including its faces. Restarted at the optimum until a restart no longer improves it.
 * Improves on COINr `get_opt_weights()` (unconstrained `optim`, which can return negative weights, and which
 * does not report convergence).
 */
import * as z from 'zod';
import { CityIndexError, type Issue } from '../../core/errors.ts';
import { colIndex, type Dataset } from '../../core/dataset.ts';
import type { Framework } from '../../core/framework.ts';
import { code, finiteNumber } from '../../spec/primitives.ts';
import { pearson } from '../../stats/descriptive.ts';
import { aggregateStep } from '../aggregate/step.ts';
import { defineWeighting, toArr, type WeightLevelContext, type WeightLevelResult } from './definition.ts';
import { COINR_OPTIMISE_DEFAULTS, coinrOptimisedLevel } from './optimised-coinr.ts';

export interface OptimiseOptions {
  /**
   * Relative tolerance on the objective spread over the simplex (default 1e-8); weights must also agree
   * to √tolerance.
   */
  tolerance?: number;
  /** Maximum Nelder–Mead iterations over all restarts (default 2000). */
  maxIterations?: number;
  /** Starting weights (default equal); rescaled to sum 1. */
  initial?: ArrayLike<number>;
  /** Size of the initial simplex in weight units (default 0.1). */
  step?: number;
}

export interface OptimiseResult {
  /** Non-negative, sum 1. */
  weights: Float64Array;
  /** True when the tolerance was met before `maxIterations`. */
  converged: boolean;
  iterations: number;
  /** Objective evaluations. */
  evaluations: number;
  /** Objective at `weights`. */
  value: number;
}

/**
 * Euclidean projection of v onto the probability simplex {w ≥ 0, Σw = 1} (Duchi, Shalev-Shwartz,
 * Singer & Chandra 2008).
 * @example Array.from(projectToSimplex([0.8, 0.6, -1])) // => [0.6, 0.4, 0] (θ = 0.2)
 */
export function projectToSimplex(v: ArrayLike<number>, out: Float64Array = new Float64Array(v.length)): Float64Array {
  const n = v.length;
  const u = Array.from(v).sort((a, b) => b - a);
  let cum = 0;
  let theta = 0;
  for (let k = 0; k < n; k++) {
    cum += u[k];
    const t = (cum - 1) / (k + 1);
    if (u[k] - t > 0) theta = t;
  }
  for (let j = 0; j < n; j++) out[j] = Math.max(v[j] - theta, 0);
  return out;
}

/**
 * COINr's "balance" objective without the log: mean over items of (t_i/Σt − c_i/Σc)², where c are the
 * correlations of the items with the index and t the target importances (default equal).
 * @example correlationBalance([0.8, 0.8]) // => 0
 */
export function correlationBalance(correlations: ArrayLike<number>, target?: ArrayLike<number>): number {
  const n = correlations.length;
  let sc = 0;
  let st = 0;
  for (let i = 0; i < n; i++) {
    sc += correlations[i];
    st += target ? target[i] : 1;
  }
  let s = 0;
  for (let i = 0; i < n; i++) {
    const d = (target ? target[i] : 1) / st - correlations[i] / sc;
    s += d * d;
  }
  const v = s / n;
  return Number.isFinite(v) ? v : Infinity;
}

/**
 * Minimise `objective(w)` over non-negative weights summing to 1. Deterministic.
 * @example
 * // nearest point of the simplex to (0.7, 0.5, −0.2)
 * const distance = (w: Float64Array) => (w[0] - 0.7) ** 2 + (w[1] - 0.5) ** 2 + (w[2] + 0.2) ** 2;
 * optimiseWeights(distance, 3).weights // => [0.6000…, 0.3999…, 0]
 */
export function optimiseWeights(
  objective: (w: Float64Array) => number,
  n: number,
  options: OptimiseOptions = {},
): OptimiseResult {
  const tol = options.tolerance ?? 1e-8;
  const maxIt = options.maxIterations ?? 2000;
  const step = options.step ?? 0.1;
  if (!Number.isInteger(n) || n < 1)
    throw new CityIndexError({
      code: 'E_SHAPE',
      message: `optimiseWeights: n must be a whole number ≥ 1, found ${n}`,
      expected: 'n ≥ 1',
    });
  if (!(tol > 0))
    throw new CityIndexError({
      code: 'E_OPTION',
      message: `optimiseWeights: tolerance must be > 0, found ${tol}`,
      field: 'tolerance',
      expected: 'e.g. 1e-8',
    });
  if (!(maxIt >= 1))
    throw new CityIndexError({
      code: 'E_OPTION',
      message: `optimiseWeights: maxIterations must be ≥ 1, found ${maxIt}`,
      field: 'maxIterations',
      expected: 'e.g. 2000',
    });
  let evaluations = 0;
  const full = new Float64Array(n);
  const w = new Float64Array(n);
  const toWeights = (u: Float64Array, out: Float64Array): Float64Array => {
    full.set(u);
    full[n - 1] = 0;
    return projectToSimplex(full, out);
  };
  const f = (u: Float64Array): number => {
    evaluations++;
    const v = objective(toWeights(u, w));
    return Number.isFinite(v) ? v : Infinity;
  };
  const init = new Float64Array(n);
  if (options.initial) {
    if (options.initial.length !== n)
      throw new CityIndexError({
        code: 'E_SHAPE',
        message: `optimiseWeights: ${options.initial.length} initial weights for n = ${n}`,
        field: 'initial',
        expected: `${n} weights`,
      });
    projectToSimplex(options.initial, init);
  } else init.fill(1 / n);
  if (n === 1)
    return {
      weights: Float64Array.of(1),
      converged: true,
      iterations: 0,
      evaluations: 1,
      value: objective(Float64Array.of(1)),
    };
  const d = n - 1;
  // u = w − w_n·1 (first n−1 entries) maps back to w exactly
  let best = new Float64Array(d);
  for (let i = 0; i < d; i++) best[i] = init[i] - init[n - 1];
  let bestF = f(best);
  let iterations = 0;
  let converged = false;
  const wa = new Float64Array(n);
  const wb = new Float64Array(n);
  for (let restart = 0; restart < 20 && iterations < maxIt; restart++) {
    const pts: Float64Array[] = [best.slice()];
    const fs: number[] = [bestF];
    for (let i = 0; i < d; i++) {
      const p = best.slice();
      p[i] += step;
      pts.push(p);
      fs.push(f(p));
    }
    let localConverged = false;
    const centroid = new Float64Array(d);
    const trial = (c: number, worst: Float64Array): Float64Array => {
      const p = new Float64Array(d);
      for (let i = 0; i < d; i++) p[i] = centroid[i] + c * (worst[i] - centroid[i]);
      return p;
    };
    while (iterations < maxIt) {
      const idx = fs.map((_, i) => i).sort((a, b) => fs[a] - fs[b]);
      const sortedP = idx.map((i) => pts[i]);
      const sortedF = idx.map((i) => fs[i]);
      pts.splice(0, pts.length, ...sortedP);
      fs.splice(0, fs.length, ...sortedF);
      const fSpread = fs[d] - fs[0];
      let xSpread = 0;
      toWeights(pts[0], wa);
      for (let k = 1; k <= d; k++) {
        toWeights(pts[k], wb);
        for (let j = 0; j < n; j++) xSpread = Math.max(xSpread, Math.abs(wa[j] - wb[j]));
      }
      if (fSpread <= tol * (Math.abs(fs[0]) + tol) && xSpread <= Math.sqrt(tol)) {
        localConverged = true;
        break;
      }
      iterations++;
      centroid.fill(0);
      for (let k = 0; k < d; k++) for (let i = 0; i < d; i++) centroid[i] += pts[k][i] / d;
      const xr = trial(-1, pts[d]);
      const fr = f(xr);
      if (fr < fs[0]) {
        const xe = trial(-2, pts[d]);
        const fe = f(xe);
        if (fe < fr) {
          pts[d] = xe;
          fs[d] = fe;
        } else {
          pts[d] = xr;
          fs[d] = fr;
        }
      } else if (fr < fs[d - 1]) {
        pts[d] = xr;
        fs[d] = fr;
      } else {
        const outside = fr < fs[d];
        const xc = outside ? trial(-0.5, pts[d]) : trial(0.5, pts[d]);
        const fc = f(xc);
        if (fc < (outside ? fr : fs[d])) {
          pts[d] = xc;
          fs[d] = fc;
        } else {
          for (let k = 1; k <= d; k++) {
            for (let i = 0; i < d; i++) pts[k][i] = pts[0][i] + 0.5 * (pts[k][i] - pts[0][i]);
            fs[k] = f(pts[k]);
          }
        }
      }
    }
    let k0 = 0;
    for (let k = 1; k < fs.length; k++) if (fs[k] < fs[k0]) k0 = k;
    const improved = bestF - fs[k0] > tol * (Math.abs(fs[k0]) + tol);
    if (fs[k0] <= bestF) {
      best = pts[k0].slice();
      bestF = fs[k0];
    }
    if (localConverged && !improved && restart > 0) {
      converged = true;
      break;
    }
    if (!localConverged) break;
  }
  const weights = toWeights(best, new Float64Array(n));
  return { weights, converged, iterations, evaluations, value: bestF };
}

/**
 * Options of `{ method: 'optimised', variant?, target?, tolerance?, maxIterations? }`: correlation-optimised
 * weights at one level. `variant: simplex` (default) searches non-negative weights; `variant: coinr`
 * reproduces COINr `get_opt_weights` (R's unconstrained Nelder–Mead; `tolerance` = COINr `toler`, default
 * 0.1; `maxIterations` = COINr `maxiter`, function evaluations, default 500).
 */
export const OptimisedWeightingSchema = z.strictObject({
  method: z.literal('optimised'),
  variant: z.enum(['simplex', 'coinr']).optional(),
  target: z.record(code, finiteNumber).optional(),
  tolerance: finiteNumber.optional(),
  maxIterations: z.number().int().min(1).optional(),
});
export type OptimisedWeighting = z.infer<typeof OptimisedWeightingSchema>;

/** The search's defaults as the weight step uses them (those of `optimiseWeights`). */
const OPTIMISED_DEFAULTS = { tolerance: 1e-8, maxIterations: 2000 } as const;

/**
 * `optimised` at a level: non-negative weights of the whole level, found by Nelder–Mead on the simplex, so
 * that the correlations of the level's scores with the index match `target` (default equal): COINr
 * `get_opt_weights(optype = "balance")` without its negative weights, re-aggregating with `aggregateStep`.
 */
function optimisedLevel(ctx: WeightLevelContext, wm: OptimisedWeighting): WeightLevelResult {
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
        message:
          `optimised weights at level ${level}: ` +
          `the index cannot be aggregated even with equal weights: ${i.message}`,
      })),
    );
  }
  if (wm.variant === 'coinr')
    return coinrOptimisedLevel(
      ctx,
      codes,
      target,
      { tolerance: wm.tolerance, maxIterations: wm.maxIterations },
      aggregateWith,
      root.code,
    );
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
    {
      tolerance: wm.tolerance ?? OPTIMISED_DEFAULTS.tolerance,
      maxIterations: wm.maxIterations ?? OPTIMISED_DEFAULTS.maxIterations,
    },
  );
  const correlations = correlationsFor(result.weights) ?? codes.map(() => NaN);
  const warnings: Issue[] = [];
  if (!result.converged) {
    warnings.push({
      code: 'W_OPT_NOT_CONVERGED',
      severity: 'warning',
      message:
        `optimised weights at level ${level} did not converge in ${result.iterations} iterations ` +
        `(objective ${result.value.toExponential(3)}); raise maxIterations or the tolerance`,
      field: 'weighting.maxIterations',
    });
  }
  if (Number.isFinite(result.value) && result.value > 1e-4) {
    const shares = correlations.map((c) => c / correlations.reduce((a, b) => a + b, 0));
    const targetSum = target.reduce((a, b) => a + b, 0);
    const closest = codes.map((c, j) => `${c} ${shares[j].toFixed(3)}`).join(', ');
    const wanted = codes.map((c, j) => `${c} ${(target[j] / targetSum).toFixed(3)}`).join(', ');
    warnings.push({
      code: 'W_OPT_TARGET_MISSED',
      severity: 'warning',
      field: 'weighting.target',
      message:
        `optimised weights at level ${level}: the target correlation shares are not reachable with ` +
        `non-negative weights; closest shares ${closest} (target ${wanted})`,
    });
  }
  if (!Number.isFinite(result.value)) {
    throw new CityIndexError({
      code: 'E_OPT_FAILED',
      message:
        `optimised weights at level ${level}: ` +
        `no candidate weights could be aggregated and correlated with "${root.code}"`,
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

/** `optimised`: correlation-optimised weights. */
export const optimisedWeighting = defineWeighting<typeof OptimisedWeightingSchema>({
  method: 'optimised',
  schema: OptimisedWeightingSchema,
  defaults: OPTIMISED_DEFAULTS,
  level: (o, ctx) => optimisedLevel(ctx, o),
  text: {
    en: (o) =>
      o.variant === 'coinr'
        ? `correlation-optimised weights as COINr get_opt_weights (R Nelder–Mead, unconstrained; ` +
          `toler ${o.tolerance ?? COINR_OPTIMISE_DEFAULTS.tolerance}, ` +
          `maxiter ${o.maxIterations ?? COINR_OPTIMISE_DEFAULTS.maxIterations})`
        : 'correlation-optimised weights',
    zh: (o) =>
      o.variant === 'coinr'
        ? `相关性优化权重（按 COINr get_opt_weights：R 的 Nelder–Mead，无约束；` +
          `容差 ${o.tolerance ?? COINR_OPTIMISE_DEFAULTS.tolerance}，` +
          `最多 ${o.maxIterations ?? COINR_OPTIMISE_DEFAULTS.maxIterations} 次求值）`
        : '相关性优化权重',
  },
});
