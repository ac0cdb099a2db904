/**
 * Uncertainty and sensitivity analysis of a composite index (Saisana, Saltelli & Tarantola 2005,
 * JRSS-A 168:307–323; OECD/JRC Handbook Part 2 §7) with COINr 1.1.14 `get_sensitivity` semantics
 * (R/sensitivity.R), its flaws fixed:
 * - discrete alternatives take equal bins of [0, 1] (COINr: `cut()` over the sample's range);
 * - a failed run is recorded with its reason (COINr: a silent all-NA run);
 * - alternatives for a step the build does not have are an error before any run (COINr #60).
 *
 * `uncertainty`: N runs on a seeded Monte Carlo (or Sobol') sample; rank statistics per unit.
 * `sensitivity`: the Saltelli design (A, B, A_B^(i)) on a Sobol' sequence, N(d + 2) runs; first-order
 * and total indices of a scalar target (default COINr's: mean over units of |rank − nominal rank|),
 * with bootstrap intervals; rank statistics over the A and B runs (as COINr).
 *
 * Every run is a pure function of its sampled row, and the sample depends only on the seed, so the
 * results are bit-identical however the runs are split (see `src/app/uncertainty-workers.ts`).
 */
import * as z from 'zod';
import { CityIndexError } from '../../core/errors.ts';
import { createRng } from '../../core/rng.ts';
import { zodIssues } from '../../core/zod-issues.ts';
import { build as runBuild, type Build, type BuildInput } from '../../pipeline/build.ts';
import type { BuildSpec } from '../../spec/spec.ts';
import { decodeInput, resolveInputs, UncertainInputSchema, type ResolvedInput, type UncertainInput } from './inputs.ts';
import { saltelliFromBase, sobolIndices, type SobolIndex } from './estimators.ts';
import { sobolPoints, SOBOL_MAX_DIMENSION } from './sobol.ts';
import { createRunner, type Runner, type RunnerOptions } from './runner.ts';

/** The scalar output whose variance a sensitivity analysis apportions. */
export type SensitivityTarget =
  /** COINr's: mean over units of |rank − nominal rank| (units ranked in both). */
  { kind: 'meanAbsRankShift' } | { kind: 'rank'; unit: string } | { kind: 'score'; unit: string };

export const AnalysisOptionsSchema = z
  .object({
    inputs: z.array(UncertainInputSchema).min(1),
    /** `uncertainty` (default): N runs; `sensitivity`: N(d + 2) runs of the Saltelli design. */
    mode: z.enum(['uncertainty', 'sensitivity']).optional(),
    /** Sample size (uncertainty: runs; sensitivity: base rows). */
    N: z.number().int().min(1).max(10_000_000),
    /** Seed of the sample, the noisy weights and the bootstrap (default: the spec's seed, else 1). */
    seed: z.number().int().optional(),
    /** `random` (seeded Monte Carlo; default for uncertainty) or `sobol` (default for sensitivity). */
    sampler: z.enum(['random', 'sobol']).optional(),
    target: z
      .discriminatedUnion('kind', [
        z.object({ kind: z.literal('meanAbsRankShift') }).strict(),
        z.object({ kind: z.literal('rank'), unit: z.string().min(1) }).strict(),
        z.object({ kind: z.literal('score'), unit: z.string().min(1) }).strict(),
      ])
      .optional(),
    /** Bootstrap replicates for the index intervals (default 1000; 0 = none). */
    bootstrap: z.number().int().min(0).optional(),
    /** Keep every run's index scores (runs × units; default false). */
    keepScores: z.boolean().optional(),
  })
  .strict();

/** Options of an analysis (see `AnalysisOptionsSchema` for the defaults). */
export interface AnalysisOptions {
  inputs: UncertainInput[];
  mode?: 'uncertainty' | 'sensitivity';
  N: number;
  seed?: number;
  sampler?: 'random' | 'sobol';
  target?: SensitivityTarget;
  bootstrap?: number;
  keepScores?: boolean;
}

/** Everything needed to run (part of) an analysis: plain data, cloneable to worker threads. */
export interface AnalysisPlan {
  mode: 'uncertainty' | 'sensitivity';
  N: number;
  d: number;
  nRuns: number;
  /** Runs whose ranks enter the rank statistics: the first `statRuns` (uncertainty: N; sensitivity: 2N). */
  statRuns: number;
  seed: number;
  sampler: 'random' | 'sobol';
  target: SensitivityTarget;
  bootstrap: number;
  keepScores: boolean;
  inputs: UncertainInput[];
  /** Uniform sample, nRuns × d, row-major. */
  sample: Float64Array;
}

/** Index scores and ranks of the nominal build, by project unit. */
export interface Nominal {
  indexCode: string;
  units: string[];
  scores: Float64Array;
  ranks: Float64Array;
}

/** What a set of runs produced (in the order of `runs`). */
export interface ChunkResult {
  /** The run indices, in the order they were run. */
  runs: Int32Array;
  /** Target value of each run (NaN if it failed). */
  y: Float64Array;
  /** Ranks × units of the runs with index < statRuns, in chunk order. */
  ranks: Float32Array;
  /** Scores of each run × units (only with `keepScores`). */
  scores: Float64Array | null;
  failures: RunFailure[];
}

export interface RunFailure {
  run: number;
  reason: string;
}

/** Rank statistics of one unit over the runs (COINr `RankStats`). */
export interface UnitRankStats {
  unit: string;
  nominal: number;
  mean: number;
  median: number;
  /** 5th and 95th percentiles (R `quantile` type 7). */
  q5: number;
  q95: number;
  /** Runs in which the unit has a rank. */
  runs: number;
}

export interface SensitivityResult {
  target: SensitivityTarget;
  indices: Array<SobolIndex & { name: string }>;
  varY: number;
  /** Base rows used (rows with a failed run are left out). */
  nUsed: number;
  bootstrap: number;
}

/** The result of `runAnalysis` / `assembleAnalysis`. */
export interface AnalysisResult {
  mode: 'uncertainty' | 'sensitivity';
  N: number;
  nRuns: number;
  seed: number;
  sampler: 'random' | 'sobol';
  inputs: Array<{ name: string; kind: UncertainInput['kind']; labels: string[] }>;
  nominal: Nominal;
  rankStats: UnitRankStats[];
  /** Every run's uniform sample (nRuns × d) and decoded parameters (alternative index, 0-based, or value). */
  sample: Float64Array;
  params: Float64Array;
  /** Target of every run (sensitivity target; for uncertainty the mean |rank shift|). */
  y: Float64Array;
  /** Ranks of the first `statRuns` runs × units (Float32: exact for ranks). */
  ranks: Float32Array;
  statRuns: number;
  scores: Float64Array | null;
  failures: RunFailure[];
  sensitivity?: SensitivityResult;
}

const DEFAULT_BOOTSTRAP = 1000;
/** Offset of the bootstrap stream from the analysis seed. */
const BOOT_SEED = 0x3c6ef372;

/**
 * Check options and inputs and draw the sample. Throws one `CityIndexError` listing every problem
 * (`inputs[k].field`) before anything runs.
 * @example
 * const winmax = { kind: 'alternatives' as const, name: 'winmax', step: 'treat', path: ['options', 'winmax'],
 *   values: [1, 2, 3, 4, 5] };
 * const inputs = [winmax];
 * planAnalysis(asem.input, asem.spec, { inputs, N: 1000 }).plan.nRuns // => 1000
 */
export function planAnalysis(
  input: BuildInput,
  spec: BuildSpec,
  options: AnalysisOptions,
): { plan: AnalysisPlan; resolved: ResolvedInput[] } {
  const parsed = AnalysisOptionsSchema.safeParse(options);
  if (!parsed.success) throw new CityIndexError(zodIssues(parsed.error, 'uncertainty'));
  const resolved = resolveInputs(options.inputs, spec, input.framework);
  const mode = options.mode ?? 'uncertainty';
  const d = resolved.length;
  const N = options.N;
  const seed = options.seed ?? spec.seed ?? 1;
  const sampler = options.sampler ?? (mode === 'sensitivity' ? 'sobol' : 'random');
  const target = options.target ?? { kind: 'meanAbsRankShift' };
  if (target.kind !== 'meanAbsRankShift' && !input.units.some((u) => u.code === target.unit)) {
    throw new CityIndexError({
      code: 'E_UNKNOWN_UNIT',
      message: `sensitivity target: no unit "${target.unit}"`,
      field: 'target.unit',
      unit: target.unit,
    });
  }
  let sample: Float64Array;
  if (mode === 'uncertainty') {
    if (sampler === 'sobol') sample = sobolPoints(N, d);
    else {
      const rng = createRng(seed);
      sample = new Float64Array(N * d);
      for (let k = 0; k < sample.length; k++) sample[k] = rng.next();
    }
  } else {
    if (2 * d > SOBOL_MAX_DIMENSION && sampler === 'sobol') {
      throw new CityIndexError({
        code: 'E_SA_DIMENSION',
        message:
          `a Sobol' sensitivity design supports at most ${Math.floor(SOBOL_MAX_DIMENSION / 2)} inputs ` +
          `(found ${d})`,
        field: 'inputs',
        expected: `≤ ${Math.floor(SOBOL_MAX_DIMENSION / 2)} inputs, or sampler: random`,
      });
    }
    let base: Float64Array;
    if (sampler === 'sobol') base = sobolPoints(N, 2 * d);
    else {
      const rng = createRng(seed);
      base = new Float64Array(N * 2 * d);
      for (let k = 0; k < base.length; k++) base[k] = rng.next();
    }
    sample = saltelliFromBase(base, N, d);
  }
  const nRuns = mode === 'uncertainty' ? N : N * (d + 2);
  const plan: AnalysisPlan = {
    mode,
    N,
    d,
    nRuns,
    statRuns: mode === 'uncertainty' ? N : 2 * N,
    seed,
    sampler,
    target,
    bootstrap: options.bootstrap ?? DEFAULT_BOOTSTRAP,
    keepScores: options.keepScores ?? false,
    inputs: options.inputs,
    sample,
  };
  return { plan, resolved };
}

/**
 * The nominal index scores and ranks by project unit, from a build.
 * @example
 * const nominal = nominalOf(asem.build); // ranks: 1 = best
 * [nominal.units[0], nominal.ranks[0]] // => ['AUS', 35]
 */
export function nominalOf(b: Build): Nominal {
  const units = b.input.units.map((u) => u.code);
  const { scores, ranks, indexCode } = b.results;
  const j = scores.codes.indexOf(indexCode);
  if (j < 0)
    throw new CityIndexError({
      code: 'E_NO_INDEX',
      message: `the build has no index column "${indexCode}": run an aggregate step first`,
      field: 'steps',
    });
  const m = scores.unitCodes.length;
  const s = new Float64Array(units.length).fill(NaN);
  const r = new Float64Array(units.length).fill(NaN);
  const at = new Map(units.map((c, i) => [c, i] as const));
  scores.unitCodes.forEach((c, i) => {
    const k = at.get(c);
    if (k === undefined) return;
    s[k] = scores.values[j * m + i];
    r[k] = ranks.values[j * m + i];
  });
  return { indexCode, units, scores: s, ranks: r };
}

/**
 * The order to run a plan's runs in: grouped by the runner's cache key (then by run index), so each
 * cached state is computed once and contiguous slices of the order share few states.
 * @example
 * import { createRunner } from './runner.ts';
 * const winmax = { kind: 'alternatives' as const, name: 'winmax', step: 'treat', path: ['options', 'winmax'],
 *   values: [1, 2, 3, 4, 5] };
 * const { plan, resolved } = planAnalysis(asem.input, asem.spec, { N: 100, inputs: [winmax] });
 * const runner = createRunner(asem.input, asem.spec, resolved);
 * const nominal = nominalOf(asem.build);
 * runOrder(runner, plan).length // => 100
 */
export function runOrder(runner: Runner, plan: AnalysisPlan): Int32Array {
  const keys = new Float64Array(plan.nRuns);
  for (let r = 0; r < plan.nRuns; r++) keys[r] = runner.groupKey(plan.sample, r * plan.d);
  const order = Array.from({ length: plan.nRuns }, (_, r) => r);
  order.sort((a, b) => keys[a] - keys[b] || a - b);
  return Int32Array.from(order);
}

/**
 * Run the given runs of a plan (default all, grouped by `runOrder`) with a compiled runner.
 * `onProgress(done)` is called every 256 runs.
 * @example
 * import { createRunner } from './runner.ts';
 * const winmax = { kind: 'alternatives' as const, name: 'winmax', step: 'treat', path: ['options', 'winmax'],
 *   values: [1, 2, 3, 4, 5] };
 * const { plan, resolved } = planAnalysis(asem.input, asem.spec, { N: 100, inputs: [winmax] });
 * const runner = createRunner(asem.input, asem.spec, resolved);
 * const nominal = nominalOf(asem.build);
 * runChunk(runner, plan, nominal).y.length // => 100
 */
export function runChunk(
  runner: Runner,
  plan: AnalysisPlan,
  nominal: Nominal,
  runs: Int32Array = runOrder(runner, plan),
  onProgress?: (done: number) => void,
): ChunkResult {
  const M = runner.unitCodes.length;
  const d = plan.d;
  const n = runs.length;
  const y = new Float64Array(n);
  let nStat = 0;
  for (let k = 0; k < n; k++) if (runs[k] < plan.statRuns) nStat++;
  const ranks = new Float32Array(nStat * M);
  const scores = plan.keepScores ? new Float64Array(n * M) : null;
  const sc = new Float64Array(M);
  const rk = new Float64Array(M);
  const failures: RunFailure[] = [];
  const target = plan.target;
  const tUnit = target.kind === 'meanAbsRankShift' ? -1 : runner.unitCodes.indexOf(target.unit);
  const nom = nominal.ranks;
  let s0 = 0;
  for (let k = 0; k < n; k++) {
    const r = runs[k];
    const reason = runner.run(plan.sample, sc, rk, r * d);
    if (reason !== null) {
      failures.push({ run: r, reason });
      y[k] = NaN;
      sc.fill(NaN);
      rk.fill(NaN);
    } else if (target.kind === 'meanAbsRankShift') {
      let s = 0;
      let c = 0;
      for (let i = 0; i < M; i++) {
        const a = rk[i];
        const b = nom[i];
        if (a === a && b === b) {
          s += Math.abs(a - b);
          c++;
        }
      }
      y[k] = c ? s / c : NaN;
    } else {
      y[k] = target.kind === 'rank' ? rk[tUnit] : sc[tUnit];
    }
    if (r < plan.statRuns) {
      for (let i = 0; i < M; i++) ranks[s0 * M + i] = rk[i];
      s0++;
    }
    if (scores) scores.set(sc, k * M);
    if (onProgress && (k + 1) % 256 === 0) onProgress(k + 1);
  }
  if (onProgress) onProgress(n);
  return { runs, y, ranks, scores, failures };
}

/**
 * Put chunks (in any order, covering every run exactly once) together and compute rank statistics and,
 * for a sensitivity analysis, the Sobol' indices.
 * @example
 * import { createRunner } from './runner.ts';
 * const winmax = { kind: 'alternatives' as const, name: 'winmax', step: 'treat', path: ['options', 'winmax'],
 *   values: [1, 2, 3, 4, 5] };
 * const { plan, resolved } = planAnalysis(asem.input, asem.spec, { N: 100, inputs: [winmax] });
 * const runner = createRunner(asem.input, asem.spec, resolved);
 * const nominal = nominalOf(asem.build);
 * assembleAnalysis(plan, resolved, nominal, [runChunk(runner, plan, nominal)]).rankStats[0]
 * // => { unit: 'AUS', nominal: 35, mean: 35, median: 35, q5: 35, q95: 35, runs: 100 }
 */
export function assembleAnalysis(
  plan: AnalysisPlan,
  resolved: readonly ResolvedInput[],
  nominal: Nominal,
  chunks: readonly ChunkResult[],
): AnalysisResult {
  const M = nominal.units.length;
  const { nRuns, d, statRuns } = plan;
  const y = new Float64Array(nRuns);
  const ranks = new Float32Array(statRuns * M);
  const scores = plan.keepScores ? new Float64Array(nRuns * M) : null;
  const failures: RunFailure[] = [];
  const seen = new Uint8Array(nRuns);
  for (const c of chunks) {
    let s0 = 0;
    for (let k = 0; k < c.runs.length; k++) {
      const r = c.runs[k];
      if (r < 0 || r >= nRuns || seen[r])
        throw new CityIndexError({ code: 'E_UA_CHUNKS', message: `run ${r} is out of range or in two chunks` });
      seen[r] = 1;
      y[r] = c.y[k];
      if (r < statRuns) {
        ranks.set(c.ranks.subarray(s0 * M, (s0 + 1) * M), r * M);
        s0++;
      }
      if (scores && c.scores) scores.set(c.scores.subarray(k * M, (k + 1) * M), r * M);
    }
    failures.push(...c.failures);
  }
  const missing = seen.indexOf(0);
  if (missing >= 0) throw new CityIndexError({ code: 'E_UA_CHUNKS', message: `run ${missing} is in no chunk` });
  failures.sort((a, b) => a.run - b.run);
  const params = new Float64Array(nRuns * d);
  for (let r = 0; r < nRuns; r++)
    for (let t = 0; t < d; t++) params[r * d + t] = decodeInput(resolved[t], plan.sample[r * d + t]);
  const rankStats = rankStatistics(ranks, statRuns, nominal);
  const result: AnalysisResult = {
    mode: plan.mode,
    N: plan.N,
    nRuns,
    seed: plan.seed,
    sampler: plan.sampler,
    inputs: resolved.map((r) => ({ name: r.input.name, kind: r.input.kind, labels: r.labels })),
    nominal,
    rankStats,
    sample: plan.sample,
    params,
    y,
    ranks,
    statRuns,
    scores,
    failures,
  };
  if (plan.mode === 'sensitivity') {
    const si = sobolIndices(y, plan.N, d, { bootstrap: plan.bootstrap, rng: createRng((plan.seed + BOOT_SEED) | 0) });
    result.sensitivity = {
      target: plan.target,
      indices: si.indices.map((x, t) => ({ name: resolved[t].input.name, ...x })),
      varY: si.varY,
      nUsed: si.nUsed,
      bootstrap: si.bootstrap,
    };
  }
  return result;
}

/**
 * Rank statistics per unit (COINr `RankStats`: nominal, mean, median, 5th and 95th percentile, type-7
 * quantiles) over `runs` rows of `ranks` (runs × units, NaN = no rank). Ranks are whole numbers
 * 1 … units, so each unit's distribution is a histogram (no sort).
 * @example
 * rankStatistics(Float32Array.from([1, 2, 2, 1]), 2, { units: ['A', 'B'], ranks: Float64Array.from([1, 2]) })[0].q95
 * // => 1.95
 */
export function rankStatistics(
  ranks: Float32Array,
  runs: number,
  nominal: Pick<Nominal, 'units' | 'ranks'>,
): UnitRankStats[] {
  const M = nominal.units.length;
  const counts = new Int32Array(M + 2);
  const out: UnitRankStats[] = [];
  const orderStat = (k: number): number => {
    let c = 0;
    for (let v = 1; v <= M + 1; v++) {
      c += counts[v];
      if (c > k) return v;
    }
    return NaN;
  };
  const q = (n: number, p: number): number => {
    if (n === 0) return NaN;
    const h = (n - 1) * p;
    const lo = Math.floor(h);
    const a = orderStat(lo);
    const b = orderStat(Math.min(lo + 1, n - 1));
    return a + (h - lo) * (b - a);
  };
  for (let i = 0; i < M; i++) {
    counts.fill(0);
    let n = 0;
    let s = 0;
    for (let r = 0; r < runs; r++) {
      const v = ranks[r * M + i];
      if (v === v) {
        counts[v >= 1 && v <= M ? v : M + 1]++;
        s += v;
        n++;
      }
    }
    out.push({
      unit: nominal.units[i],
      nominal: nominal.ranks[i],
      mean: n ? s / n : NaN,
      median: q(n, 0.5),
      q5: q(n, 0.05),
      q95: q(n, 0.95),
      runs: n,
    });
  }
  return out;
}

/**
 * Run a whole analysis in this thread (browser-safe; Node users: `analyseProject` in
 * `src/app/uncertainty-workers.ts` spreads it over worker threads with identical results).
 * `nominal` defaults to `build(input, spec)`.
 * @example
 * const winmax = { kind: 'alternatives' as const, name: 'winmax', step: 'treat', path: ['options', 'winmax'],
 *   values: [1, 2, 3, 4, 5] };
 * const r = runAnalysis(asem.input, asem.spec, { N: 1000, inputs: [winmax] });
 * r.rankStats.find((s) => s.unit === 'CHE') // => { unit: 'CHE', nominal: 1, median: 1, q5: 1, q95: 1, … }
 */
export function runAnalysis(
  input: BuildInput,
  spec: BuildSpec,
  options: AnalysisOptions,
  extra: { nominal?: Build; onProgress?: (done: number, total: number) => void; runner?: RunnerOptions } = {},
): AnalysisResult {
  const { plan, resolved } = planAnalysis(input, spec, options);
  const nominal = nominalOf(extra.nominal ?? runBuild(input, spec));
  const runner = createRunner(input, spec, resolved, { ...extra.runner, seed: plan.seed });
  const onProgress = extra.onProgress;
  const chunk = runChunk(runner, plan, nominal, undefined, onProgress ? (k) => onProgress(k, plan.nRuns) : undefined);
  return assembleAnalysis(plan, resolved, nominal, [chunk]);
}

/**
 * The parameters of one run as labels: `{ winmax: '3', normalisation: '{"method":"zScore",…}', … }`.
 * @example
 * const winmax = { kind: 'alternatives' as const, name: 'winmax', step: 'treat', path: ['options', 'winmax'],
 *   values: [1, 2, 3, 4, 5] };
 * const result = runAnalysis(asem.input, asem.spec, { N: 10, inputs: [winmax] });
 * runParameters(result, 0) // => { winmax: '1' }
 */
export function runParameters(result: AnalysisResult, run: number): Record<string, string | number> {
  const d = result.inputs.length;
  const out: Record<string, string | number> = Object.create(null);
  result.inputs.forEach((inp, t) => {
    const v = result.params[run * d + t];
    out[inp.name] = inp.kind === 'range' ? v : inp.labels[v];
  });
  return out;
}
