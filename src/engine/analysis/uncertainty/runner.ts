/**
 * The replication kernel of an uncertainty analysis: the build spec compiled once so that a run does
 * only what its sampled parameters change.
 *
 * - Every step before the (single, final) aggregate step runs through the ordinary step functions, but
 *   its output is cached per combination of the discrete choices that reach it (e.g. the treated
 *   dataset for each winmax, the normalised dataset for each winmax × normalisation): the work before
 *   the first uncertain step is done once, and each combination once.
 * - The aggregate step is compiled into flat index arrays over one score buffer. Levels whose scores
 *   do not depend on noisy weights are computed once per (dataset, aggregation choice); a run computes
 *   only the levels above the lowest noisy weight level, in preallocated Float64Arrays.
 * - Ranks: the build's rule (`rankMinInto`, near-ties by `spec.tieTolerance`), in preallocated buffers,
 *   or by insertion from the previous run's order when the order barely changed.
 *
 * The arithmetic follows `aggregateStep`/`arithmeticMean`/`geometricMean` operation for operation, so a
 * run equals `build()` of the run's spec (`runSpec`) bit for bit — tested in `runner.test.ts`.
 * Specs the kernel cannot compile (several aggregate steps, a step after aggregation, or
 * whole-group methods such as TOPSIS) run every step through the step functions (still cached).
 */
import { CityIndexError } from '../../core/errors.ts';
import { createRng } from '../../core/rng.ts';
import { topLevel, type Framework, type FrameworkNode, type Unit } from '../../core/framework.ts';
import type { Dataset } from '../../core/dataset.ts';
import { build, prepareRaw, type BuildInput } from '../../pipeline/build.ts';
import {
  StepSpecSchema,
  type AggregateOptions,
  type AggregationMethod,
  type BuildSpec,
  type StepSpec,
  type WeightMethod,
} from '../../spec/spec.ts';
import { zodIssues } from '../../core/zod-issues.ts';
import { safeParseOwnKeys } from '../../core/own-keys.ts';
import type { StepOutput } from '../../pipeline/step.ts';
import { runStep } from '../../pipeline/run-step.ts';
import { aggregateStep, compareCodes } from '../../methods/aggregate/step.ts';
import { tieToleranceOf } from '../../pipeline/ranks.ts';
import { rankMinInto, rankScratch, tieThreshold, tiesWith, type RankScratch } from '../../stats/rank.ts';
import { generalisedMeanProblem } from '../../methods/aggregate/generalised.ts';
import { ExactSum } from '../../core/sum.ts';
import { decodeInput, setAtPath, type ResolvedInput, type UncertainInput } from './inputs.ts';

/** A compiled analysis: runs one parameter row at a time. */
export interface Runner {
  /** Unit codes of the project (output order of every run; units a run screens out are NaN). */
  readonly unitCodes: readonly string[];
  /** True when the aggregate step runs in the compiled kernel. */
  readonly compiled: boolean;
  /**
   * Run the build for one sampled row `u` (d values in [0, 1)); writes the index score and rank of
   * every unit into `scores` and `ranks` (length = units). Returns null, or why the run failed.
   * `offset`: the row starts at `u[offset]` (so a whole sample can be passed without a copy).
   */
  run(u: ArrayLike<number>, scores: Float64Array, ranks: Float64Array, offset?: number): string | null;
  /**
   * Which cached states a row uses (a number; rows with the same key share them). Running rows grouped
   * by key fills each cache entry once and lets threads split the cache work.
   */
  groupKey(u: ArrayLike<number>, offset?: number): number;
}

type State = { dataset: Dataset; framework: Framework; units: Unit[] };
type Entry = { state: State; error?: undefined } | { state?: undefined; error: string };

/** Options of `createRunner`. */
export interface RunnerOptions {
  /** Seed of the noisy weight sets (the analysis seed). Default 1. */
  seed?: number;
  /** Cached states kept per step (oldest dropped first). Default 64. */
  cacheSize?: number;
  /** Use the compiled aggregation kernel when possible (default true; false = step functions only). */
  kernel?: boolean;
}

type AggregateStepSpec = Extract<StepSpec, { kind: 'aggregate' }>;

/** Whether a weighting method re-aggregates the index (optimised weights, also inside `combined`). */
function usesAggregation(wm: WeightMethod): boolean {
  return (
    wm.method === 'optimised' ||
    (wm.method === 'combined' && (usesAggregation(wm.subjective) || usesAggregation(wm.objective)))
  );
}

/**
 * Why a run failed: the messages of a `CityIndexError`'s issues (at most 5), prefixed by `where`;
 * any other error is re-thrown (a bug, not a failed run).
 * @example
 * import { CityIndexError } from '../../core/errors.ts';
 * failureReason(new CityIndexError({ code: 'E', message: 'no' }), 'step "a"') // => 'step "a": no'
 */
export function failureReason(e: unknown, where?: string): string {
  if (e instanceof CityIndexError) {
    const msg =
      e.issues
        .slice(0, 5)
        .map((i) => i.message)
        .join('; ') + (e.issues.length > 5 ? ` (+${e.issues.length - 5} more)` : '');
    return where ? `${where}: ${msg}` : msg;
  }
  throw e;
}

/**
 * The framework with the given indicators marked `not_collected` (left out of the build).
 * @example
 * excludeIndicators(asem.input.framework, ['Goods']).nodes.find((n) => n.code === 'Goods')!.status
 * // => 'not_collected'
 */
export function excludeIndicators(fw: Framework, codes: readonly string[]): Framework {
  if (codes.length === 0) return fw;
  const drop = new Set(codes);
  return { ...fw, nodes: fw.nodes.map((nd) => (drop.has(nd.code) ? { ...nd, status: 'not_collected' as const } : nd)) };
}

/** Noisy weight sets of one `weightNoise` input: coefficients c = (2U − 1)·factor, sets × nodes. */
interface NoiseSets {
  /** Framework node codes noised, in framework order. */
  codes: string[];
  coef: Float64Array;
}

function seedFor(seed: number, t: number): number {
  return (seed + Math.imul(t + 1, 0x2545f491)) | 0;
}

/** Generate the noise coefficients of every `weightNoise` input (COINr `get_noisy_weights`). */
function noiseSets(resolved: readonly ResolvedInput[], framework: Framework, seed: number): Array<NoiseSets | null> {
  return resolved.map((r, t) => {
    if (r.input.kind !== 'weightNoise') return null;
    const levels = new Set(r.input.levels);
    const codes = framework.nodes.filter((nd) => levels.has(nd.level)).map((nd) => nd.code);
    const rng = createRng(seedFor(seed, t));
    const coef = new Float64Array(r.levels * codes.length);
    for (let k = 0; k < coef.length; k++) coef[k] = (2 * rng.next() - 1) * r.input.factor;
    return { codes, coef };
  });
}

/** Apply noise set `set` of each noise input to a framework's weights (w + c·w, as `noisyWeights`). */
function noisyFramework(fw: Framework, noise: ReadonlyArray<NoiseSets | null>, sets: ArrayLike<number>): Framework {
  const coef = new Map<string, number>();
  noise.forEach((ns, t) => {
    if (!ns) return;
    const s = sets[t];
    ns.codes.forEach((c, j) => coef.set(c, ns.coef[s * ns.codes.length + j]));
  });
  return {
    ...fw,
    nodes: fw.nodes.map((nd) =>
      coef.has(nd.code) ? { ...nd, weight: nd.weight + coef.get(nd.code)! * nd.weight } : nd,
    ),
  };
}

/**
 * The spec (and excluded indicators) that reproduce one run with `build()`: alternatives and ranges
 * written into the spec, and each weight noise as `manual` weight steps inserted before every
 * aggregate step (with the weights the build has at that point, perturbed). Slow (it builds); used to
 * replay a run and to check the kernel.
 * @example
 * import { resolveInputs } from './inputs.ts';
 * const winmax = { kind: 'alternatives' as const, name: 'winmax', step: 'treat', path: ['options', 'winmax'],
 *   values: [1, 2, 3, 4, 5] };
 * const resolved = resolveInputs([winmax], asem.spec, asem.input.framework);
 * const r = runSpec(asem.input, asem.spec, resolved, [0.3], 1);
 * r.spec.steps.find((s) => s.id === 'treat')!.options // => { winmax: 2 }
 * r.excluded // => []
 */
export function runSpec(
  input: BuildInput,
  spec: BuildSpec,
  resolved: readonly ResolvedInput[],
  u: ArrayLike<number>,
  seed = 1,
): { spec: BuildSpec; excluded: string[] } {
  const excluded: string[] = [];
  let steps = spec.steps.map((s) => s);
  resolved.forEach((r, t) => {
    const v = decodeInput(r, u[t]);
    if (r.input.kind === 'alternatives')
      steps[r.stepIndex] = setAtPath(steps[r.stepIndex], r.input.path, r.input.values[v]);
    else if (r.input.kind === 'range') steps[r.stepIndex] = setAtPath(steps[r.stepIndex], r.input.path, v);
    else if (r.input.kind === 'exclude') excluded.push(...r.input.indicators[v]);
  });
  const noise = noiseSets(resolved, input.framework, seed);
  if (noise.some((n) => n !== null)) {
    const sets = resolved.map((r, t) => (r.input.kind === 'weightNoise' ? decodeInput(r, u[t]) : 0));
    const runInput: BuildInput = { ...input, framework: excludeIndicators(input.framework, excluded) };
    const out: StepSpec[] = [];
    for (const step of steps) {
      if (step.kind === 'aggregate') {
        const before = out.length ? build(runInput, { ...spec, steps: out }) : undefined;
        const fw = before && before.steps.length ? before.steps[before.steps.length - 1].framework : runInput.framework;
        const noisy = noisyFramework(fw, noise, sets);
        const levels = [
          ...new Set(resolved.flatMap((r) => (r.input.kind === 'weightNoise' ? r.input.levels : []))),
        ].sort((a, b) => a - b);
        for (const level of levels) {
          const weights: Record<string, number> = Object.create(null);
          for (const nd of noisy.nodes) if (nd.level === level) weights[nd.code] = nd.weight;
          out.push({
            id: `noise_L${level}_${out.length}`,
            kind: 'weight',
            options: { level, weighting: { method: 'manual', weights } },
          });
        }
      }
      out.push(step);
    }
    steps = out;
  }
  return { spec: { ...spec, steps }, excluded };
}

// ------------------------------------------------------------------ compiled aggregation

/** Row-wise aggregation methods the kernel evaluates itself. */
type RowMethod = Extract<AggregationMethod, { method: 'arithmetic' | 'geometric' | 'harmonic' | 'generalised' }>;

interface KGroup {
  code: string;
  slot: number;
  kids: Int32Array;
  /** Framework node index of each kid (its weight). */
  kidNodes: Int32Array;
}

interface KLevel {
  level: number;
  method: AggregationMethod;
  threshold: number | null;
  groups: KGroup[];
}

interface AggEntry {
  error?: string;
  m: number;
  rowToUnit: Int32Array;
  unitCodes: readonly string[];
  buf: Float64Array;
  slotCodes: string[];
  levels: KLevel[];
  /** Weights of the framework nodes entering aggregation. */
  baseW: Float64Array;
  /** First level computed per run (levels below are cached in `buf`). */
  firstRunLevel: number;
  indexSlot: number;
  rowwise: boolean;
  state: State;
  options: AggregateOptions | undefined;
  /** For every noise input: framework node index of each noised code (−1 if absent). */
  noiseNodes: Array<Int32Array | null>;
  /** ln of the cached slots feeding a per-run geometric level (NaN where not computed). */
  logBuf: Float64Array | null;
  /** Per slot: 1 if a cached slot holds a value ≤ 0 (the geometric mean's domain check). */
  nonPositive: Uint8Array;
  /** Per slot: 1 if its log is in `logBuf`. */
  hasLog: Uint8Array;
  /** Per slot: 1 if the column has a missing value (input and cached slots; per-run slots are set as computed). */
  hasNaN: Uint8Array;
  /** Rows ordered by the previous run's index (best first): consecutive runs are nearly sorted. */
  perm: Int32Array;
}

/** Scratch arrays of a runner (one per thread), sized for the largest unit count. */
interface Scratch {
  sw: Float64Array;
  acc: Float64Array;
  cnt: Int32Array;
}

/** The kernel's two accumulators (reset for every group and unit; the kernel is not re-entrant). */
const kernelSums = { w: new ExactSum(), s: new ExactSum() };

/**
 * Arithmetic mean of one group, unit by unit as `arithmeticMean`: correctly rounded Σ w·x over the
 * available values divided by their correctly rounded Σw, hence the same bits.
 */
function groupArithmetic(
  buf: Float64Array,
  m: number,
  g: KGroup,
  w: Float64Array,
  threshold: number | null,
  _sc: Scratch,
  unitCodes: readonly string[],
  hasNaN: Uint8Array,
): string | null {
  const { kids, kidNodes } = g;
  const nk = kids.length;
  const out = g.slot * m;
  const sumW = kernelSums.w;
  const sumS = kernelSums.s;
  sumW.reset();
  for (let j = 0; j < nk; j++) sumW.add(w[kidNodes[j]]);
  const total = sumW.value();
  if (total === 0) return `the weights of the components of "${g.code}" sum to 0`;
  let nan = 0;
  for (let i = 0; i < m; i++) {
    sumS.reset();
    sumW.reset();
    let cnt = 0;
    for (let j = 0; j < nk; j++) {
      const v = buf[kids[j] * m + i];
      if (v !== v) continue;
      const wj = w[kidNodes[j]];
      sumS.add(wj * v);
      sumW.add(wj);
      cnt++;
    }
    let score = NaN;
    if (cnt > 0) {
      const sw = cnt === nk ? total : sumW.value();
      if (sw === 0)
        return `"${g.code}" (arithmetic): the weights of the available values sum to 0 for unit ${unitCodes[i]}`;
      if (threshold === null || cnt / nk >= threshold) score = sumS.value() / sw;
    }
    buf[out + i] = score;
    if (score !== score) nan = 1;
  }
  hasNaN[g.slot] = nan;
  return null;
}

/**
 * Geometric mean of one group, unit by unit as `geometricMean` (correctly rounded Σw and Σ w·ln x;
 * cached logs where available).
 */
function groupGeometric(
  e: AggEntry,
  g: KGroup,
  w: Float64Array,
  threshold: number | null,
  _sc: Scratch,
): string | null {
  const { buf, m, logBuf, hasLog, nonPositive } = e;
  const { kids, kidNodes } = g;
  const nk = kids.length;
  const out = g.slot * m;
  for (let j = 0; j < nk; j++) {
    const wj = w[kidNodes[j]];
    if (wj < 0)
      return (
        `"${g.code}" (geometric): weight ${wj} of "${e.slotCodes[kids[j]]}" is negative; ` +
        'only the arithmetic mean accepts negative weights'
      );
    const k = kids[j];
    if (hasLog[k] ? nonPositive[k] : false) return nonPositiveMessage(e, g, k);
  }
  const sumW = kernelSums.w;
  const sumS = kernelSums.s;
  sumW.reset();
  for (let j = 0; j < nk; j++) sumW.add(w[kidNodes[j]]);
  const total = sumW.value();
  if (total === 0) return `the weights of the components of "${g.code}" sum to 0`;
  // the domain of every kid is checked before any mean (as aggregateStep does)
  for (let j = 0; j < nk; j++) {
    const k = kids[j];
    if (hasLog[k]) continue;
    const off = k * m;
    for (let i = 0; i < m; i++) if (buf[off + i] <= 0) return nonPositiveMessage(e, g, k);
  }
  let nan = 0;
  for (let i = 0; i < m; i++) {
    sumS.reset();
    sumW.reset();
    let cnt = 0;
    for (let j = 0; j < nk; j++) {
      const k = kids[j];
      const v = buf[k * m + i];
      if (v !== v) continue;
      const wj = w[kidNodes[j]];
      sumS.add(wj * (hasLog[k] && logBuf ? logBuf[k * m + i] : Math.log(v)));
      sumW.add(wj);
      cnt++;
    }
    let score = NaN;
    if (cnt > 0) {
      const sw = cnt === nk ? total : sumW.value();
      if (sw === 0)
        return `"${g.code}" (geometric): the weights of the available values sum to 0 for unit ${e.unitCodes[i]}`;
      if (threshold === null || cnt / nk >= threshold) score = Math.exp(sumS.value() / sw);
    }
    buf[out + i] = score;
    if (score !== score) nan = 1;
  }
  e.hasNaN[g.slot] = nan;
  return null;
}

function nonPositiveMessage(e: AggEntry, g: KGroup, k: number): string {
  const off = k * e.m;
  let i = 0;
  while (i < e.m && !(e.buf[off + i] <= 0)) i++;
  return (
    `"${g.code}" (geometric): ${e.slotCodes[k]} = ${e.buf[off + i]} for unit ${e.unitCodes[i]}; ` +
    'the geometric mean needs values > 0'
  );
}

function levelSpec(
  options: AggregateOptions | undefined,
  level: number,
): { method: AggregationMethod; threshold: number | null } {
  const per = options?.levels?.[String(level)];
  return {
    method: per?.aggregation ?? options?.aggregation ?? { method: 'arithmetic' },
    threshold: per?.dataThreshold ?? options?.dataThreshold ?? null,
  };
}

const ROW_METHODS = new Set(['arithmetic', 'geometric', 'harmonic', 'generalised']);

/**
 * Aggregate one group for every unit into buf (slot `g.slot`), exactly as `aggregateStep` with
 * `arithmeticMean` / `geometricMean` / `harmonicMean` / `generalisedMean`. Returns an error or null.
 */
function aggregateGroupInto(
  buf: Float64Array,
  m: number,
  g: KGroup,
  w: Float64Array,
  method: RowMethod,
  threshold: number | null,
  unitCodes: readonly string[],
  slotCodes: readonly string[],
): string | null {
  const kids = g.kids;
  const nk = kids.length;
  const kind = method.method;
  const sumW = kernelSums.w;
  const sumS = kernelSums.s;
  sumW.reset();
  for (let j = 0; j < nk; j++) {
    const wj = w[g.kidNodes[j]];
    if (kind !== 'arithmetic' && wj < 0)
      return (
        `"${g.code}" (${kind}): weight ${wj} of "${slotCodes[kids[j]]}" is negative; ` +
        'only the arithmetic mean accepts negative weights'
      );
    sumW.add(wj);
  }
  if (sumW.value() === 0) return `the weights of the components of "${g.code}" sum to 0`;
  if (kind !== 'arithmetic') {
    const p = kind === 'generalised' ? method.p : 0;
    for (let j = 0; j < nk; j++) {
      const off = kids[j] * m;
      for (let i = 0; i < m; i++) {
        const v = buf[off + i];
        if (Number.isNaN(v)) continue;
        const bad = kind === 'generalised' ? generalisedMeanProblem(v, p) !== null : v <= 0;
        if (bad)
          return (
            `"${g.code}" (${kind}): ${slotCodes[kids[j]]} = ${v} for unit ${unitCodes[i]}; the ${kind} mean needs ` +
            (kind === 'generalised' ? `values in its domain (p = ${p})` : 'values > 0')
          );
      }
    }
  }
  const out = g.slot * m;
  const p = kind === 'generalised' ? method.p : 0;
  for (let i = 0; i < m; i++) {
    // Σw and Σ term over the available values, correctly rounded (as arithmeticMean / weightedTermSums)
    sumW.reset();
    sumS.reset();
    let n = 0;
    for (let j = 0; j < nk; j++) {
      const v = buf[kids[j] * m + i];
      if (Number.isNaN(v)) continue;
      const wj = w[g.kidNodes[j]];
      sumW.add(wj);
      sumS.add(
        kind === 'arithmetic'
          ? wj * v
          : kind === 'geometric'
            ? wj * Math.log(v)
            : kind === 'harmonic'
              ? wj / v
              : wj * Math.pow(v, p),
      );
      n++;
    }
    let score: number;
    if (n === 0) score = NaN;
    else {
      const sw = sumW.value();
      const s = sumS.value();
      if (sw === 0)
        return `"${g.code}" (${kind}): the weights of the available values sum to 0 for unit ${unitCodes[i]}`;
      score =
        kind === 'arithmetic'
          ? s / sw
          : kind === 'geometric'
            ? Math.exp(s / sw)
            : kind === 'harmonic'
              ? sw / s
              : Math.pow(s / sw, 1 / p);
    }
    if (threshold !== null) {
      let avail = 0;
      for (let j = 0; j < nk; j++) if (!Number.isNaN(buf[kids[j] * m + i])) avail++;
      if (avail / nk < threshold) score = NaN;
    }
    buf[out + i] = score;
  }
  return null;
}

/** Compile the aggregate step over a state (and compute the levels that do not vary per run). */
function compileAggregation(
  state: State,
  options: AggregateOptions | undefined,
  unitIndex: Map<string, number>,
  noise: ReadonlyArray<NoiseSets | null>,
  minNoisedLevel: number,
): AggEntry {
  const { dataset, framework } = state;
  const m = dataset.unitCodes.length;
  const nodes = framework.nodes;
  const nodeIndex = new Map(nodes.map((nd, k) => [nd.code, k] as const));
  const aggregateCodes = new Set(nodes.filter((nd) => nd.kind === 'aggregate').map((nd) => nd.code));
  const slotCodes: string[] = [];
  const slotOf = new Map<string, number>();
  dataset.codes.forEach((c) => {
    if (aggregateCodes.has(c)) return;
    slotOf.set(c, slotCodes.length);
    slotCodes.push(c);
  });
  const nInput = slotCodes.length;
  const childrenOf = new Map<string, FrameworkNode[]>();
  for (const nd of nodes) {
    if (nd.parent === null) continue;
    const list = childrenOf.get(nd.parent) ?? [];
    list.push(nd);
    childrenOf.set(nd.parent, list);
  }
  const top = topLevel(framework);
  const levels: KLevel[] = [];
  let rowwise = true;
  for (let level = 2; level <= top; level++) {
    const { method, threshold } = levelSpec(options, level);
    if (!ROW_METHODS.has(method.method)) rowwise = false;
    const parents = nodes
      .filter((nd) => nd.level === level && nd.kind === 'aggregate')
      .map((nd) => nd.code)
      .sort(compareCodes);
    const groups: KGroup[] = [];
    for (const parent of parents) {
      const kids = (childrenOf.get(parent) ?? []).filter((k) => slotOf.has(k.code));
      if (kids.length === 0) continue;
      groups.push({
        code: parent,
        slot: -1,
        kids: Int32Array.from(kids.map((k) => slotOf.get(k.code)!)),
        kidNodes: Int32Array.from(kids.map((k) => nodeIndex.get(k.code)!)),
      });
    }
    // a level's columns become available only after the whole level is done (as in aggregateStep)
    for (const g of groups) {
      g.slot = slotCodes.length;
      slotOf.set(g.code, g.slot);
      slotCodes.push(g.code);
    }
    levels.push({ level, method, threshold, groups });
  }
  const root = nodes.find((nd) => nd.parent === null);
  const indexSlot = root && slotOf.has(root.code) ? slotOf.get(root.code)! : -1;
  const buf = new Float64Array(slotCodes.length * m);
  let col = 0;
  dataset.codes.forEach((c, j) => {
    if (aggregateCodes.has(c)) return;
    buf.set(dataset.values.subarray(j * m, (j + 1) * m), col * m);
    col++;
  });
  const rowToUnit = Int32Array.from(dataset.unitCodes.map((c) => unitIndex.get(c) ?? -1));
  const baseW = Float64Array.from(nodes.map((nd) => nd.weight));
  const noiseNodes = noise.map((ns) => (ns ? Int32Array.from(ns.codes.map((c) => nodeIndex.get(c) ?? -1)) : null));
  const firstRunLevel = Math.min(minNoisedLevel + 1, top + 1);
  const nSlots = slotCodes.length;
  const entry: AggEntry = {
    m,
    rowToUnit,
    unitCodes: dataset.unitCodes,
    buf,
    slotCodes,
    levels,
    baseW,
    firstRunLevel,
    indexSlot,
    rowwise,
    state,
    options,
    noiseNodes,
    logBuf: null,
    nonPositive: new Uint8Array(nSlots),
    hasLog: new Uint8Array(nSlots),
    hasNaN: new Uint8Array(nSlots),
    perm: Int32Array.from({ length: m }, (_, i) => i),
  };
  if (rowwise) {
    for (const lv of levels) {
      if (lv.level >= firstRunLevel) break;
      for (const g of lv.groups) {
        const err = aggregateGroupInto(
          buf,
          m,
          g,
          baseW,
          lv.method as RowMethod,
          lv.threshold,
          dataset.unitCodes,
          slotCodes,
        );
        if (err) return { ...entry, error: err };
      }
    }
    for (let k = 0; k < nSlots; k++) {
      if (k >= nInput && !isCachedSlot(levels, k, firstRunLevel)) {
        entry.hasNaN[k] = 1;
        continue;
      }
      const off = k * m;
      for (let i = 0; i < m; i++)
        if (buf[off + i] !== buf[off + i]) {
          entry.hasNaN[k] = 1;
          break;
        }
    }
    // logs of the cached inputs of per-run geometric levels
    const cachedSlots = new Set<number>();
    for (const lv of levels) {
      if (lv.level < firstRunLevel || lv.method.method !== 'geometric') continue;
      for (const g of lv.groups)
        for (const k of g.kids) if (k < nInput || isCachedSlot(levels, k, firstRunLevel)) cachedSlots.add(k);
    }
    if (cachedSlots.size) {
      const logBuf = new Float64Array(nSlots * m).fill(NaN);
      for (const k of cachedSlots) {
        const off = k * m;
        for (let i = 0; i < m; i++) {
          const v = buf[off + i];
          if (v !== v) continue;
          if (v <= 0) entry.nonPositive[k] = 1;
          logBuf[off + i] = Math.log(v);
        }
        entry.hasLog[k] = 1;
      }
      entry.logBuf = logBuf;
    }
  }
  return entry;
}

/** Is slot k produced by a level below `firstRunLevel` (so cached)? */
function isCachedSlot(levels: readonly KLevel[], k: number, firstRunLevel: number): boolean {
  for (const lv of levels) for (const g of lv.groups) if (g.slot === k) return lv.level < firstRunLevel;
  return false;
}

/**
 * Ranks of `x[0 … m)`, higher is better, ties share the best rank (near-ties by `tolerance`, the build's
 * rule: `rankMinInto`), NaN stays NaN — written to `ranks[rowToUnit[i]]` (rows with −1 skipped).
 * `scratch` (for at least m values) and `rowRanks` (length ≥ m) are work buffers.
 * @example
 * import { rankScratch } from '../../stats/rank.ts';
 * const r = new Float64Array(3);
 * rankInto(Float64Array.from([1, 3, 3]), 3, Int32Array.from([0, 1, 2]), r, rankScratch(3));
 * r // => [3, 1, 1]
 */
export function rankInto(
  x: Float64Array,
  m: number,
  rowToUnit: Int32Array,
  ranks: Float64Array,
  scratch: RankScratch,
  tolerance = 0,
  rowRanks = new Float64Array(m),
): void {
  rankMinInto(x, true, tolerance, rowRanks, scratch, 0, m);
  for (let i = 0; i < m; i++) {
    const u = rowToUnit[i];
    if (u >= 0) ranks[u] = rowRanks[i];
  }
}

/**
 * The same ranks as `rankInto`, by insertion sort of `perm` (the previous run's order): nearly sorted
 * input makes it O(m + moves). Gives up (returns false, `perm` still a permutation) past a budget of moves.
 * Tie groups as `rankMinInto`: from the best value down, a value within `tieThreshold` of its group's
 * first value shares that value's rank.
 * @example
 * const r = new Float64Array(3);
 * rankByPerm(Float64Array.from([1, 3, 3]), 3, Int32Array.from([0, 1, 2]), Int32Array.from([0, 1, 2]), r) // => true
 * r // => [3, 1, 1]
 */
export function rankByPerm(
  x: Float64Array,
  m: number,
  perm: Int32Array,
  rowToUnit: Int32Array,
  ranks: Float64Array,
  tolerance = 0,
): boolean {
  let budget = 8 * m * Math.ceil(Math.log2(m + 1));
  for (let a = 1; a < m; a++) {
    const p = perm[a];
    const v = x[p];
    if (v !== v) continue; // NaN sorts last: leave it where it is for now
    let b = a - 1;
    while (b >= 0) {
      const u = x[perm[b]];
      if (u === u && !(v > u)) break; // u ranks before (or ties with) v
      perm[b + 1] = perm[b];
      b--;
    }
    perm[b + 1] = p;
    budget -= a - 1 - b;
    if (budget < 0) return false;
  }
  const threshold = tieThreshold(x, tolerance, m);
  let leader = NaN;
  let leaderRank = 0;
  for (let k = 0; k < m; k++) {
    const p = perm[k];
    const v = x[p];
    const u = rowToUnit[p];
    let r: number;
    if (v !== v) r = NaN;
    else if (k > 0 && tiesWith(leader, v, threshold)) r = leaderRank;
    else {
      leader = v;
      leaderRank = k + 1;
      r = leaderRank;
    }
    if (u >= 0) ranks[u] = r;
  }
  return true;
}

/**
 * Compile a build spec and its uncertain inputs into a runner.
 * @example
 * import { resolveInputs } from './inputs.ts';
 * const winmax = { kind: 'alternatives' as const, name: 'winmax', step: 'treat', path: ['options', 'winmax'],
 *   values: [1, 2, 3, 4, 5] };
 * const runner = createRunner(asem.input, asem.spec, resolveInputs([winmax], asem.spec, asem.input.framework));
 * const scores = new Float64Array(runner.unitCodes.length);
 * const ranks = new Float64Array(runner.unitCodes.length);
 * runner.run([0.3], scores, ranks) // => null (no failure; scores and ranks filled)
 * [runner.unitCodes[0], ranks[0]] // => ['AUS', 35]
 */
export function createRunner(
  input: BuildInput,
  spec: BuildSpec,
  resolved: readonly ResolvedInput[],
  options: RunnerOptions = {},
): Runner {
  const seed = options.seed ?? 1;
  const cacheSize = options.cacheSize ?? 64;
  const steps = spec.steps;
  const S = steps.length;
  const d = resolved.length;
  const unitCodes = input.units.map((u) => u.code);
  const M = unitCodes.length;
  const unitIndex = new Map(unitCodes.map((c, i) => [c, i] as const));
  const aggSteps = steps.map((s, k) => (s.kind === 'aggregate' ? k : -1)).filter((k) => k >= 0);
  const kernel = (options.kernel ?? true) && aggSteps.length === 1 && aggSteps[0] === S - 1;
  const preEnd = kernel ? S - 1 : S;
  const noise = noiseSets(resolved, input.framework, seed);
  const hasNoise = noise.some((n) => n !== null);
  let minNoisedLevel = Infinity;
  resolved.forEach((r) => {
    if (r.input.kind === 'weightNoise') for (const l of r.input.levels) minNoisedLevel = Math.min(minNoisedLevel, l);
  });
  const firstAgg = aggSteps.length ? aggSteps[0] : S;

  // optimised weights re-aggregate with the aggregate step's options, so inputs on that step reach
  // every state from the first weight step that is (or may be sampled to be) optimised
  const mayReaggregate = (k: number): boolean => {
    const s = steps[k];
    return s.kind === 'weight' && (usesAggregation(s.options.weighting) || resolved.some((r) => r.stepIndex === k));
  };
  let reaggregateFrom = S;
  for (let k = 0; k < firstAgg; k++)
    if (mayReaggregate(k)) {
      reaggregateFrom = k;
      break;
    }
  // which inputs reach step k (k = −1: the initial state), and the cache key radices
  const reaches = (r: ResolvedInput, k: number): boolean => {
    switch (r.input.kind) {
      case 'exclude':
        return true;
      case 'alternatives':
      case 'range':
        return r.stepIndex <= k || (r.stepIndex === firstAgg && k >= reaggregateFrom);
      case 'weightNoise':
        return !kernel && k >= firstAgg;
      default:
        return false;
    }
  };
  const radix: Float64Array[] = [];
  const cacheable: boolean[] = [];
  for (let k = -1; k < S; k++) {
    const rad = new Float64Array(d);
    let mult = 1;
    let ok = true;
    resolved.forEach((r, t) => {
      if (!reaches(r, k)) return;
      if (r.levels === 0) {
        ok = false;
        return;
      }
      rad[t] = mult;
      mult *= r.levels;
    });
    if (mult > 2 ** 50) ok = false;
    radix.push(rad);
    cacheable.push(ok);
  }
  const caches: Array<Map<number, Entry>> = Array.from({ length: S + 1 }, () => new Map());
  const aggCache = new Map<number, AggEntry>();
  const aggInputs = resolved
    .map((r, t) => ((r.input.kind === 'alternatives' || r.input.kind === 'range') && r.stepIndex === S - 1 ? t : -1))
    .filter((t) => t >= 0);
  const aggCacheable = kernel && cacheable[preEnd] && aggInputs.every((t) => resolved[t].levels > 0);
  let aggMult = 1;
  for (const t of aggInputs) aggMult *= Math.max(1, resolved[t].levels);

  const choice = new Float64Array(d);
  const sets = new Int32Array(d);
  let w = new Float64Array(input.framework.nodes.length);
  const tolerance = tieToleranceOf(spec);
  const rankWork = rankScratch(M);
  const rowRanks = new Float64Array(M);
  const xIndex = new Float64Array(M);
  const scratch: Scratch = { sw: new Float64Array(M), acc: new Float64Array(M), cnt: new Int32Array(M) };

  const remember = <V>(map: Map<number, V>, key: number, v: V): void => {
    if (map.size >= cacheSize) map.delete(map.keys().next().value as number);
    map.set(key, v);
  };
  const keyAt = (k: number): number => {
    const rad = radix[k + 1];
    let key = 0;
    for (let t = 0; t < d; t++) if (rad[t] !== 0) key += choice[t] * rad[t];
    return key;
  };
  const stepFor = (k: number): StepSpec => {
    let step = steps[k];
    let changed = 0;
    resolved.forEach((r, t) => {
      if (r.stepIndex !== k) return;
      if (r.input.kind === 'alternatives') step = setAtPath(step, r.input.path, r.input.values[choice[t]]);
      else if (r.input.kind === 'range') step = setAtPath(step, r.input.path, choice[t]);
      changed++;
    });
    // each value was checked alone; several inputs on one step can still combine into an invalid step
    if (changed > 1) {
      const parsed = safeParseOwnKeys(StepSpecSchema, step);
      if (!parsed.success)
        throw new CityIndexError(
          zodIssues(parsed.error, undefined, [step.id]).map((i) => ({
            ...i,
            code: 'E_UA_COMBINATION',
            message: `this combination of inputs gives an invalid step: ${i.message} (at ${i.field})`,
          })),
        );
    }
    return step;
  };
  const initial = (): Entry => {
    const excluded: string[] = [];
    resolved.forEach((r, t) => {
      if (r.input.kind === 'exclude') excluded.push(...r.input.indicators[choice[t]]);
    });
    const fw = excludeIndicators(input.framework, excluded);
    try {
      return { state: { dataset: prepareRaw({ ...input, framework: fw }), framework: fw, units: input.units } };
    } catch (e) {
      return { error: failureReason(e, 'input') };
    }
  };
  /** The state after step `last` (−1 = initial) for the current choices. */
  const stateAfter = (last: number): Entry => {
    let k = last;
    let entry: Entry | undefined;
    for (; k >= -1; k--) {
      if (!cacheable[k + 1]) continue;
      entry = caches[k + 1].get(keyAt(k));
      if (entry) break;
    }
    if (!entry) {
      k = -1;
      entry = initial();
      if (cacheable[0]) remember(caches[0], keyAt(-1), entry);
    }
    for (let j = k + 1; j <= last && !entry.error; j++) {
      const step = steps[j];
      const st: State = entry.state!;
      let next: Entry;
      try {
        const step = stepFor(j);
        const framework =
          hasNoise && step.kind === 'aggregate' ? noisyFramework(st.framework, noise, sets) : st.framework;
        const context =
          step.kind === 'weight' && firstAgg < S ? { aggregate: (stepFor(firstAgg) as AggregateStepSpec).options } : {};
        const out = runStep(
          step,
          { dataset: st.dataset, framework, units: st.units, denominators: input.denominators, history: input.history },
          context,
        );
        next = { state: { dataset: out.dataset, framework: out.framework ?? framework, units: out.units ?? st.units } };
      } catch (e) {
        next = { error: failureReason(e, `step "${step.id}" (${step.kind})`) };
      }
      if (cacheable[j + 1]) remember(caches[j + 1], keyAt(j), next);
      entry = next;
    }
    return entry;
  };

  const finishFromDataset = (state: State, scores: Float64Array, ranks: Float64Array): string | null => {
    const root = state.framework.nodes.find((nd) => nd.parent === null);
    const j = root ? state.dataset.codes.indexOf(root.code) : -1;
    if (j < 0) return `the index "${root?.code ?? '?'}" was not produced`;
    const m = state.dataset.unitCodes.length;
    const col = state.dataset.values.subarray(j * m, (j + 1) * m);
    const rowToUnit = Int32Array.from(state.dataset.unitCodes.map((c) => unitIndex.get(c) ?? -1));
    for (let i = 0; i < m; i++) if (rowToUnit[i] >= 0) scores[rowToUnit[i]] = col[i];
    xIndex.set(col);
    rankInto(xIndex, m, rowToUnit, ranks, rankWork, tolerance, rowRanks);
    return null;
  };

  const run = (u: ArrayLike<number>, scores: Float64Array, ranks: Float64Array, offset = 0): string | null => {
    for (let t = 0; t < d; t++) {
      const r = resolved[t];
      choice[t] = decodeInput(r, u[offset + t]);
      sets[t] = r.input.kind === 'weightNoise' ? choice[t] : 0;
    }
    scores.fill(NaN);
    ranks.fill(NaN);
    if (!kernel) {
      const e = stateAfter(S - 1);
      if (e.error) return e.error;
      return finishFromDataset(e.state!, scores, ranks);
    }
    // compiled aggregation
    let agg: AggEntry | undefined;
    let key = 0;
    if (aggCacheable) {
      key = keyAt(preEnd - 1);
      let mult = 1;
      let sub = 0;
      for (const t of aggInputs) {
        sub += choice[t] * mult;
        mult *= resolved[t].levels;
      }
      key = key * aggMult + sub;
      agg = aggCache.get(key);
    }
    if (!agg) {
      const pre = stateAfter(preEnd - 1);
      if (pre.error) return pre.error;
      let aggStep: AggregateStepSpec;
      try {
        aggStep = stepFor(S - 1) as AggregateStepSpec;
      } catch (e) {
        return failureReason(e, `step "${steps[S - 1].id}" (aggregate)`);
      }
      agg = compileAggregation(pre.state!, aggStep.options, unitIndex, noise, minNoisedLevel);
      if (aggCacheable) remember(aggCache, key, agg);
    }
    if (agg.error) return agg.error;
    if (!agg.rowwise) {
      const framework = hasNoise ? noisyFramework(agg.state.framework, noise, sets) : agg.state.framework;
      let out: StepOutput;
      try {
        out = aggregateStep(
          {
            dataset: agg.state.dataset,
            framework,
            units: agg.state.units,
            denominators: input.denominators,
            history: input.history,
          },
          agg.options,
        );
      } catch (e) {
        return failureReason(e, `step "${steps[S - 1].id}" (aggregate)`);
      }
      return finishFromDataset({ dataset: out.dataset, framework, units: agg.state.units }, scores, ranks);
    }
    // weights for this run
    const nw = agg.baseW.length;
    if (w.length < nw) w = new Float64Array(nw);
    w.set(agg.baseW);
    if (hasNoise) {
      for (let t = 0; t < d; t++) {
        const nn = agg.noiseNodes[t];
        if (!nn) continue;
        const coef = noise[t]!.coef;
        const off = sets[t] * nn.length;
        for (let j = 0; j < nn.length; j++) {
          const k = nn[j];
          if (k >= 0 && k < nw) w[k] = agg.baseW[k] + coef[off + j] * agg.baseW[k];
        }
      }
    }
    const m = agg.m;
    for (const lv of agg.levels) {
      if (lv.level < agg.firstRunLevel) continue;
      const kind = lv.method.method;
      for (let q = 0; q < lv.groups.length; q++) {
        const g = lv.groups[q];
        const err =
          kind === 'arithmetic'
            ? groupArithmetic(agg.buf, m, g, w, lv.threshold, scratch, agg.unitCodes, agg.hasNaN)
            : kind === 'geometric'
              ? groupGeometric(agg, g, w, lv.threshold, scratch)
              : aggregateGroupInto(
                  agg.buf,
                  m,
                  g,
                  w,
                  lv.method as RowMethod,
                  lv.threshold,
                  agg.unitCodes,
                  agg.slotCodes,
                );
        if (kind !== 'arithmetic' && kind !== 'geometric') agg.hasNaN[g.slot] = 1;
        if (err) return `step "${steps[S - 1].id}" (aggregate): ${err}`;
      }
    }
    if (agg.indexSlot < 0) return 'the index was not produced (no component with data)';
    const x = agg.buf.subarray(agg.indexSlot * m, (agg.indexSlot + 1) * m);
    const rowToUnit = agg.rowToUnit;
    for (let i = 0; i < m; i++) {
      const uu = rowToUnit[i];
      if (uu >= 0) scores[uu] = x[i];
    }
    if (!rankByPerm(x, m, agg.perm, rowToUnit, ranks, tolerance))
      rankInto(x, m, rowToUnit, ranks, rankWork, tolerance, rowRanks);
    return null;
  };

  let deepest = -1;
  for (let k = preEnd - 1; k >= 0; k--)
    if (cacheable[k + 1]) {
      deepest = k;
      break;
    }
  const groupKey = (u: ArrayLike<number>, offset = 0): number => {
    for (let t = 0; t < d; t++) choice[t] = decodeInput(resolved[t], u[offset + t]);
    let key = deepest >= 0 || cacheable[0] ? keyAt(deepest) : 0;
    if (aggCacheable) {
      let mult = 1;
      let sub = 0;
      for (const t of aggInputs) {
        sub += choice[t] * mult;
        mult *= resolved[t].levels;
      }
      key = keyAt(preEnd - 1) * aggMult + sub;
    }
    return key;
  };

  return { unitCodes, compiled: kernel, run, groupKey };
}

/** Re-export for callers that need the input type. */
export type { UncertainInput };
