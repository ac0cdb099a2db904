/**
 * COINr's weight optimiser, reproduced (`optimised` with `variant: coinr`): COINr 1.1.14
 * `get_opt_weights(optype = "balance")` (R/weights.R) runs R's `stats::optim` Nelder–Mead, unconstrained,
 * from the normalised target importances, on the objective log(mean((t − c/Σc)²)) where c are the Pearson
 * correlations of the level's aggregates with the index after re-aggregating with the trial weights
 * w/Σw; the result is rescaled to sum 1. Weights can come out negative (ASEM level 2 with
 * `toler = 1e-4`: Physical ≈ −0.18, Social ≈ −0.011), which is why cityindex's default searches the simplex
 * instead (`optimised.ts`).
 *
 * `nelderMeadR` follows R's `nmmin` (src/appl/optim.c) step for step: reflection α = 1, contraction β = ½,
 * expansion γ = 2, initial simplex step 10 % of the largest |parameter| (0.1 if all are 0), stop when
 * f_high ≤ f_low + reltol·(|f₀| + reltol) with f₀ the value at the start, at most `maxit` evaluations,
 * non-finite values replaced by 1e35, and a shrink that does not reduce the simplex ends the search. One
 * departure: a start value of −Infinity (R: "function cannot be evaluated at initial parameters") is
 * returned as the minimum it is.
 */
import { CityIndexError, type Issue } from '../../core/errors.ts';
import type { Dataset } from '../../core/dataset.ts';
import { pearson } from '../../stats/descriptive.ts';
import type { WeightLevelContext, WeightLevelResult } from './definition.ts';

/** Settings of `nelderMeadR`, R `optim`'s names and defaults. */
export interface NelderMeadROptions {
  /** Reflection coefficient (default 1). */
  alpha?: number;
  /** Contraction coefficient (default 0.5). */
  beta?: number;
  /** Expansion coefficient (default 2). */
  gamma?: number;
  /** Relative convergence tolerance (default √ε ≈ 1.49e-8, R's). */
  reltol?: number;
  /** Stop when the best value is ≤ abstol (default −Infinity). */
  abstol?: number;
  /** Maximum number of function evaluations (default 500). */
  maxit?: number;
}

/** What `nelderMeadR` returns: R `optim`'s `par`, `value`, `counts["function"]`, `convergence`. */
export interface NelderMeadRResult {
  par: Float64Array;
  value: number;
  /** Function evaluations. */
  fncount: number;
  /** 0 converged, 1 `maxit` reached, 10 degenerate simplex (shrink did not reduce it). */
  convergence: 0 | 1 | 10;
}

/** R's replacement for a non-finite objective value inside `nmmin`. */
const BIG = 1.0e35;

/**
 * Minimise `fn` from `par` with R's Nelder–Mead (`optim(par, fn)`, `nmmin`): same simplex, same moves,
 * same stopping rule, so the same path and result as R.
 * @example
 * const rosenbrock = (x: Float64Array) => 100 * (x[1] - x[0] * x[0]) ** 2 + (1 - x[0]) ** 2;
 * const r = nelderMeadR(rosenbrock, [-1.2, 1]);
 * // R: optim(c(-1.2, 1), fr) gives par 1.000260 1.000506, value 8.825241e-08, 195 evaluations
 * [r.par[0], r.par[1], r.value * 1e8, r.fncount, r.convergence] // => [1.000260…, 1.000506…, 8.825241…, 195, 0]
 */
export function nelderMeadR(
  fn: (x: Float64Array) => number,
  par: ArrayLike<number>,
  options: NelderMeadROptions = {},
): NelderMeadRResult {
  const alpha = options.alpha ?? 1;
  const beta = options.beta ?? 0.5;
  const gamma = options.gamma ?? 2;
  const reltol = options.reltol ?? Math.sqrt(Number.EPSILON);
  const abstol = options.abstol ?? -Infinity;
  const maxit = options.maxit ?? 500;
  const n = par.length;
  const b = Float64Array.from(par);
  const value = (): number => {
    const f = fn(b);
    return Number.isFinite(f) ? f : BIG;
  };
  if (maxit <= 0) return { par: b, value: fn(b), fncount: 0, convergence: 0 };
  const f0 = fn(b);
  // R stops with an error here; −Infinity is a minimum already (COINr's balance at a perfect start)
  if (f0 === -Infinity) return { par: b, value: f0, fncount: 1, convergence: 0 };
  if (!Number.isFinite(f0))
    throw new CityIndexError({
      code: 'E_OPT_FAILED',
      message: 'Nelder–Mead: the objective cannot be evaluated at the initial parameters',
      expected: 'a finite objective at the start',
    });
  // P[j] = vertex j (n coordinates), fv[j] = its value; column n + 1 of R's P is the centroid `c`
  const P: Float64Array[] = [];
  const fv = new Float64Array(n + 1);
  const c = new Float64Array(n);
  let funcount = 1;
  const convtol = reltol * (Math.abs(f0) + reltol);
  P.push(Float64Array.from(b));
  fv[0] = f0;
  let L = 0; // index of the lowest vertex
  let size = 0;
  let step = 0;
  for (let i = 0; i < n; i++) if (0.1 * Math.abs(b[i]) > step) step = 0.1 * Math.abs(b[i]);
  if (step === 0) step = 0.1;
  for (let j = 1; j <= n; j++) {
    const v = Float64Array.from(b);
    let trystep = step;
    while (v[j - 1] === b[j - 1]) {
      v[j - 1] = b[j - 1] + trystep;
      trystep *= 10;
    }
    size += trystep;
    P.push(v);
  }
  let oldsize = size;
  let calcvert = true;
  let fail: 0 | 1 | 10 = 0;
  do {
    if (calcvert) {
      for (let j = 0; j <= n; j++) {
        if (j === L) continue;
        b.set(P[j]);
        fv[j] = value();
        funcount++;
      }
      calcvert = false;
    }
    let VL = fv[L];
    let VH = VL;
    let H = L;
    for (let j = 0; j <= n; j++) {
      if (j === L) continue;
      const f = fv[j];
      if (f < VL) {
        L = j;
        VL = f;
      }
      if (f > VH) {
        H = j;
        VH = f;
      }
    }
    if (VH <= VL + convtol || VL <= abstol) break;
    for (let i = 0; i < n; i++) {
      let temp = -P[H][i];
      for (let j = 0; j <= n; j++) temp += P[j][i];
      c[i] = temp / n;
    }
    for (let i = 0; i < n; i++) b[i] = (1 + alpha) * c[i] - alpha * P[H][i];
    const VR = value();
    funcount++;
    if (VR < VL) {
      // expansion: c keeps the reflected point, b the expanded one
      for (let i = 0; i < n; i++) {
        const e = gamma * b[i] + (1 - gamma) * c[i];
        c[i] = b[i];
        b[i] = e;
      }
      const f = value();
      funcount++;
      if (f < VR) {
        P[H].set(b);
        fv[H] = f;
      } else {
        P[H].set(c);
        fv[H] = VR;
      }
    } else {
      if (VR < VH) {
        P[H].set(b);
        fv[H] = VR;
      }
      for (let i = 0; i < n; i++) b[i] = (1 - beta) * P[H][i] + beta * c[i];
      const f = value();
      funcount++;
      if (f < fv[H]) {
        P[H].set(b);
        fv[H] = f;
      } else if (VR >= VH) {
        // shrink towards the lowest vertex
        calcvert = true;
        size = 0;
        for (let j = 0; j <= n; j++) {
          if (j === L) continue;
          for (let i = 0; i < n; i++) {
            P[j][i] = beta * (P[j][i] - P[L][i]) + P[L][i];
            size += Math.abs(P[j][i] - P[L][i]);
          }
        }
        if (size < oldsize) oldsize = size;
        else {
          fail = 10;
          break;
        }
      }
    }
  } while (funcount <= maxit);
  if (funcount > maxit) fail = 1;
  return { par: Float64Array.from(P[L]), value: fv[L], fncount: funcount, convergence: fail };
}

/**
 * COINr's "balance" objective: log(mean((t/Σt − c/Σc)²)) for correlations c and target importances t
 * (`get_opt_weights`, R/weights.R). −Infinity when the shares match exactly.
 * @example coinrBalance([0.9, 0.6], [1, 1]) // => -4.6051701…  (log(((0.5 − 0.6)² + (0.5 − 0.4)²)/2) = log 0.01)
 */
export function coinrBalance(correlations: ArrayLike<number>, target: ArrayLike<number>): number {
  const n = correlations.length;
  let sc = 0;
  let st = 0;
  for (let i = 0; i < n; i++) {
    sc += correlations[i];
    st += target[i];
  }
  let s = 0;
  for (let i = 0; i < n; i++) {
    const d = target[i] / st - correlations[i] / sc;
    s += d * d;
  }
  return Math.log(s / n);
}

/** Settings of the COINr variant, with COINr's defaults. */
export interface CoinrOptimiseSettings {
  /** Target importances in node order (COINr `itarg`). */
  target: number[];
  /** COINr `toler` = optim `reltol` (default 0.1). */
  tolerance: number;
  /** COINr `maxiter` = optim `maxit`, function evaluations (default 500). */
  maxIterations: number;
}

/** COINr `get_opt_weights`'s defaults: `toler = 0.1`, `maxiter = 500`. */
export const COINR_OPTIMISE_DEFAULTS = { tolerance: 0.1, maxIterations: 500 } as const;

/**
 * The weights of a level as COINr `get_opt_weights(optype = "balance")` finds them: `nelderMeadR` from
 * t/Σt on the objective `coinrBalance` of the correlations that `correlationsFor(w/Σw)` gives (null when
 * the trial weights cannot be aggregated: a non-finite value, as R would see), then rescaled to sum 1.
 * `obtained` is what COINr reports as the obtained shares: those of the last evaluation (its objective
 * stores them on every call), which need not be the optimum's.
 * @example
 * // two items whose correlations with the index are the weights themselves: balance at equal weights
 * const r = coinrOptimise((w) => Array.from(w), { target: [1, 1], tolerance: 1e-8, maxIterations: 500 });
 * Array.from(r.weights) // => [0.5, 0.5]
 */
export function coinrOptimise(
  correlationsFor: (w: Float64Array) => number[] | null,
  settings: CoinrOptimiseSettings,
): {
  weights: Float64Array;
  value: number;
  evaluations: number;
  convergence: 0 | 1 | 10;
  /** COINr's `CorrResultsNorm$Obtained`: the correlation shares c/Σc of the last weights evaluated. */
  obtained: number[];
} {
  const t = settings.target;
  let obtained: number[] = t.map(() => NaN);
  const st = t.reduce((a, v) => a + v, 0);
  const init = t.map((v) => v / st);
  const w = new Float64Array(t.length);
  const r = nelderMeadR(
    (x) => {
      const sx = x.reduce((a, v) => a + v, 0);
      for (let j = 0; j < x.length; j++) w[j] = x[j] / sx;
      const c = correlationsFor(w);
      if (!c) return NaN;
      const sc = c.reduce((a, v) => a + v, 0);
      obtained = c.map((v) => v / sc);
      return coinrBalance(c, init);
    },
    init,
    { reltol: settings.tolerance, maxit: settings.maxIterations },
  );
  const sp = r.par.reduce((a, v) => a + v, 0);
  return {
    weights: r.par.map((v) => v / sp),
    value: r.value,
    evaluations: r.fncount,
    convergence: r.convergence,
    obtained,
  };
}

/**
 * `optimised` with `variant: coinr` at a level: `coinrOptimise` over the level's nodes (framework order,
 * COINr's iMeta order), re-aggregating through `aggregateWith` and correlating each node with the index.
 * Warns when COINr's search did not converge and when weights came out negative.
 */
export function coinrOptimisedLevel(
  ctx: WeightLevelContext,
  codes: string[],
  target: number[],
  settings: { tolerance?: number; maxIterations?: number },
  aggregateWith: (w: ArrayLike<number>) => Dataset,
  rootCode: string,
): WeightLevelResult {
  const total = ctx.input.dataset.unitCodes.length;
  const correlationsFor = (w: ArrayLike<number>): number[] | null => {
    let out: Dataset;
    try {
      out = aggregateWith(w);
    } catch (e) {
      if (e instanceof CityIndexError) return null;
      throw e;
    }
    const col = (c: string): Float64Array | null => {
      const j = out.codes.indexOf(c);
      return j < 0 ? null : out.values.subarray(j * total, (j + 1) * total);
    };
    const index = col(rootCode);
    if (!index) return null;
    return codes.map((c) => {
      const x = col(c);
      return x ? pearson(x, index) : NaN;
    });
  };
  const tolerance = settings.tolerance ?? COINR_OPTIMISE_DEFAULTS.tolerance;
  const maxIterations = settings.maxIterations ?? COINR_OPTIMISE_DEFAULTS.maxIterations;
  const r = coinrOptimise(correlationsFor, { target, tolerance, maxIterations });
  const correlations = correlationsFor(r.weights) ?? codes.map(() => NaN);
  const warnings: Issue[] = [];
  if (r.convergence !== 0) {
    warnings.push({
      code: 'W_OPT_NOT_CONVERGED',
      severity: 'warning',
      message:
        `optimised weights (variant coinr) at level ${ctx.level}: R's Nelder–Mead stopped ` +
        (r.convergence === 1
          ? `at maxIterations (${maxIterations} evaluations)`
          : 'on a degenerate simplex (optim convergence 10)') +
        `; objective ${r.value.toExponential(3)}`,
      field: 'weighting.maxIterations',
    });
  }
  const negative = codes.filter((_, j) => r.weights[j] < 0);
  if (negative.length) {
    warnings.push({
      code: 'W_OPT_NEGATIVE',
      severity: 'warning',
      field: 'weighting.variant',
      message:
        `optimised weights (variant coinr) at level ${ctx.level}: COINr's unconstrained search gives ` +
        `negative weights to ${negative.map((c) => `${c} ${r.weights[codes.indexOf(c)].toFixed(4)}`).join(', ')}; ` +
        'these reverse the effect of their components (the default variant keeps weights ≥ 0)',
    });
  }
  const weights = new Map<string, number>();
  codes.forEach((c, j) => weights.set(c, r.weights[j]));
  return {
    weights,
    warnings,
    groups: [
      {
        parent: null,
        codes,
        method: 'optimised',
        weights: Array.from(r.weights),
        details: {
          method: 'optimised',
          variant: 'coinr',
          converged: r.convergence === 0,
          iterations: r.evaluations,
          evaluations: r.evaluations,
          value: r.value,
          target,
          correlations,
          coinrObtained: r.obtained,
        },
      },
    ],
  };
}
