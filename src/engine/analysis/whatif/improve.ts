/**
 * What-if for one unit: the smallest improvement of each indicator (in normalised points, all else
 * fixed) that lifts the unit by k ranks, and the best split of a budget of normalised points across
 * indicators. Works on the dataset entering the build's last aggregate step (the normalised
 * indicators) and re-aggregates with that step and its options, so every aggregation method works.
 * A normalised value is never raised above its ceiling: the normalisation's range maximum (min–max
 * `range[1]`, goalposts/capped distance-to-target `scale` …), or the best observed value for methods
 * without one (z-scores, ranks, no normalisation); `ceilings` overrides it.
 *
 * Smallest improvement: bisection on [0, ceiling − value] for the rank of the unit (ranks as
 * everywhere: higher is better, ties share the best rank, near-ties by the build's `tieTolerance`),
 * to `tolerance`; the result lifts the unit by at least k ranks and `improvement − tolerance` does
 * not. For the arithmetic mean with complete data
 * this is (score to reach − score) / effective weight. Under row-wise means (arithmetic, geometric,
 * harmonic, generalised) only the unit's own row is re-aggregated; group methods (MPI, TOPSIS, BoD,
 * Copeland) re-aggregate every unit, and bisection then assumes the rank improves monotonically.
 *
 * Budget: greedy in `steps` equal increments, each to the indicator with the largest gain in the unit's
 * score per point (the optimum for the arithmetic mean — a fractional knapsack — and for separable
 * concave means such as the geometric); the result is compared with spending the whole budget on each
 * single indicator, and the better plan (rank, then score) is returned.
 */
import { CityIndexError } from '../../core/errors.ts';
import { column, createDataset, type Dataset } from '../../core/dataset.ts';
import type { FrameworkNode } from '../../core/framework.ts';
import type { Build } from '../../pipeline/build.ts';
import type { NormaliseMethod } from '../../spec/spec.ts';
import type { NormaliseDiagnostics } from '../../methods/normalise/step.ts';
import { minMaxRange } from '../../methods/normalise/min-max.ts';
import { effectiveWeights, tieToleranceOf } from '../../pipeline/ranks.ts';
import { rankMinInto, rankScratch, type RankScratch } from '../../stats/rank.ts';
import { max, min, sd } from '../../stats/descriptive.ts';
import { aggregationContext, reaggregate, type AggregationContext } from '../audit/reaggregate.ts';

export interface WhatIfOptions {
  /** The unit to improve. */
  unit: string;
  /** Column whose rank counts (default the index). */
  target?: string;
  /**
   * Indicators that may change (default every indicator entering aggregation below `target` that the unit
   * controls: `controllable: false` in the framework leaves an indicator out).
   */
  indicators?: string[];
  /** Ceiling per indicator in normalised points (default from the normalisation, see the module doc). */
  ceilings?: Record<string, number>;
  /** Bisection tolerance in normalised points (default 1e-9 × the largest ceiling range, at least 1e-12). */
  tolerance?: number;
}

export interface ImproveOptions extends WhatIfOptions {
  /** Ranks to climb (default 1). */
  k?: number;
}

export interface BudgetOptions extends WhatIfOptions {
  /** Total normalised points to spend (sum over indicators). */
  budget: number;
  /** Greedy increments (default 100). */
  steps?: number;
}

/** Where an indicator's ceiling comes from. */
export type CeilingSource = 'normalisation' | 'observedMax' | 'option';

/** One indicator's room to improve. */
export interface IndicatorRoom {
  code: string;
  /** The unit's normalised value. */
  value: number;
  ceiling: number;
  ceilingSource: CeilingSource;
  /** ceiling − value (0 when at or above the ceiling; NaN when the value is missing). */
  room: number;
  effectiveWeight: number;
  /**
   * Change in the indicator's own units (the data entering normalisation) per normalised point; negative for direction
   * −1; null for rank-based methods.
   */
  rawPerPoint: number | null;
}

export interface IndicatorImprovement extends IndicatorRoom {
  /**
   * `ok`: found; `unreachable`: even the ceiling does not lift k ranks; `missing`: the unit has no value; `noRoom`:
   * already at the ceiling.
   */
  status: 'ok' | 'unreachable' | 'missing' | 'noRoom';
  /** Smallest normalised improvement (NaN unless `ok`). */
  improvement: number;
  /** The same in the indicator's own units (NaN unless `ok` and linear). */
  rawImprovement: number;
  /** Score and rank with the improvement (with the whole room when `unreachable`). */
  newScore: number;
  newRank: number;
}

export interface ImproveResult {
  unit: string;
  target: string;
  k: number;
  score: number;
  rank: number;
  targetRank: number;
  tolerance: number;
  /** Sorted: `ok` by improvement ascending, then the others. */
  indicators: IndicatorImprovement[];
  /** The indicator needing the least improvement, or null when none can lift the unit k ranks. */
  best: string | null;
  /** Indicators not considered because the unit does not control them (`controllable: false`). */
  uncontrollable: string[];
}

export interface BudgetPlan {
  /** Normalised points per indicator (only indicators that receive some). */
  allocation: Record<string, number>;
  spent: number;
  score: number;
  rank: number;
}

export interface BudgetResult {
  unit: string;
  target: string;
  budget: number;
  score: number;
  rank: number;
  /** The plan returned: the greedy split or the best single indicator, whichever is better. */
  plan: BudgetPlan;
  greedy: BudgetPlan;
  /** The whole budget (up to the room) on the single best indicator. */
  bestSingle: BudgetPlan & { code: string | null };
  chosen: 'greedy' | 'single';
  rooms: IndicatorRoom[];
  /** Indicators not considered because the unit does not control them (`controllable: false`). */
  uncontrollable: string[];
}

// ------------------------------------------------------------------ setup

interface Setup {
  ctx: AggregationContext;
  unit: string;
  row: number;
  target: string;
  base: Dataset;
  rooms: IndicatorRoom[];
  /** Column index in `base` of each room. */
  cols: number[];
  score: number;
  rank: number;
  tolerance: number;
  evaluate: (deltas: Float64Array) => { score: number; rank: number };
  /** Indicators left out because the framework marks them `controllable: false`. */
  uncontrollable: string[];
}

/** The largest value a normalisation can give, or null when it has none. */
function normalisationMaximum(m: NormaliseMethod): number | null {
  switch (m.method) {
    case 'minMax':
      return minMaxRange(m)[1];
    case 'goalposts':
      return m.truncate === false ? null : (m.scale ?? 1);
    case 'distanceToTarget':
      return m.cap ? (m.scale ?? 1) : null;
    case 'distanceToReference':
      return m.cap ? (m.scale ?? 1) : null;
    case 'distanceToMax':
      return m.scale ?? 1;
    case 'fractionOfMax':
      return m.scale ?? 1;
    case 'percentileRank':
      return 1;
    case 'scaled':
    case 'zScore':
    case 'rank':
    case 'borda':
    case 'none':
      return null;
    default: {
      const never: never = m;
      throw new CityIndexError({
        code: 'E_METHOD',
        message: `unknown normalisation method "${(never as { method: string }).method}"`,
        field: 'method',
      });
    }
  }
}

/** Own units per normalised point for linear normalisations (x = the flipped column entering normalisation). */
function rawPerPoint(
  m: NormaliseMethod,
  direction: 1 | -1,
  flipped: Float64Array,
  unitCodes: readonly string[],
): number | null {
  const lo = min(flipped);
  const hi = max(flipped);
  let perPoint: number | null;
  switch (m.method) {
    case 'none':
      perPoint = 1;
      break;
    case 'minMax': {
      const [l, u] = minMaxRange(m);
      perPoint = (hi - lo) / (u - l);
      break;
    }
    case 'zScore':
      perPoint = sd(flipped) / (m.sd ?? 1);
      break;
    case 'scaled':
      perPoint = (m.upper - m.lower) / (m.scaleFactor ?? 100);
      break;
    case 'distanceToTarget':
      perPoint = ((m.target as number) * direction - lo) / (m.scale ?? 1);
      break;
    case 'distanceToMax':
      perPoint = (hi - lo) / (m.scale ?? 1);
      break;
    case 'distanceToReference': {
      const i = unitCodes.indexOf(m.reference);
      perPoint = i < 0 ? null : (flipped[i] - lo) / (m.scale ?? 1);
      break;
    }
    case 'goalposts':
      perPoint = ((m.upper as number) - (m.lower as number)) / (m.scale ?? 1);
      break;
    case 'fractionOfMax':
      perPoint = hi / (m.scale ?? 1);
      break;
    case 'rank':
    case 'percentileRank':
    case 'borda':
      perPoint = null;
      break;
    default: {
      const never: never = m;
      throw new CityIndexError({
        code: 'E_METHOD',
        message: `unknown normalisation method "${(never as { method: string }).method}"`,
        field: 'method',
      });
    }
  }
  return perPoint === null || !Number.isFinite(perPoint) ? null : perPoint * direction;
}

/** Work buffers of `rankAmong` for one column length. */
interface RankWork {
  column: Float64Array;
  ranks: Float64Array;
  scratch: RankScratch;
  tolerance: number;
}

function rankWork(m: number, tolerance: number): RankWork {
  return { column: new Float64Array(m), ranks: new Float64Array(m), scratch: rankScratch(m), tolerance };
}

/** Rank of `score` put at row `row` of `scores` (the other rows as they are), by the build's ranking rule. */
function rankAmong(score: number, scores: Float64Array, row: number, work: RankWork): number {
  work.column.set(scores);
  work.column[row] = score;
  rankMinInto(work.column, true, work.tolerance, work.ranks, work.scratch);
  return work.ranks[row];
}

function setup(build: Build, options: WhatIfOptions): Setup {
  const ctx = aggregationContext(build);
  const base = ctx.input.dataset;
  const unit = options.unit;
  const row = base.unitCodes.indexOf(unit);
  if (row < 0)
    throw new CityIndexError({
      code: 'E_UNKNOWN_UNIT',
      message: `unit "${unit}" is not in the build`,
      unit,
      field: 'unit',
      expected: 'a unit code of the build',
    });
  const fw = ctx.input.framework;
  const nodes = new Map<string, FrameworkNode>(fw.nodes.map((nd) => [nd.code, nd] as const));
  const indicatorCodes = base.codes.filter((c) => nodes.get(c)?.kind === 'indicator');
  const target = options.target ?? ctx.indexCode;
  const under = (c: string): boolean => {
    for (let nd = nodes.get(c); nd; nd = nd.parent === null ? undefined : nodes.get(nd.parent))
      if (nd.code === target) return true;
    return false;
  };
  const candidates = indicatorCodes.filter(under);
  const uncontrollable = options.indicators ? [] : candidates.filter((c) => nodes.get(c)?.controllable === false);
  const codes = options.indicators ?? candidates.filter((c) => nodes.get(c)?.controllable !== false);
  const unknown = codes.filter((c) => !indicatorCodes.includes(c));
  if (unknown.length)
    throw new CityIndexError(
      unknown.map((c) => ({
        code: 'E_UNKNOWN_CODE',
        message: `what-if: "${c}" is not an indicator entering aggregation`,
        indicator: c,
        field: 'indicators',
        expected: 'indicator codes of the build',
      })),
    );
  const nominal = reaggregate(ctx);
  if (!nominal.codes.includes(target))
    throw new CityIndexError({
      code: 'E_UNKNOWN_CODE',
      message: `what-if: no column "${target}" in the aggregated scores`,
      indicator: target,
      field: 'target',
      expected: 'the index or an aggregate code',
    });
  const nominalTarget = Float64Array.from(column(nominal, target));
  // ranks as the build ranks them (near-ties by spec.tieTolerance)
  const rankBuffers = rankWork(nominalTarget.length, tieToleranceOf(build.spec));
  const score = nominalTarget[row];
  if (Number.isNaN(score))
    throw new CityIndexError({
      code: 'E_MISSING',
      message: `unit "${unit}" has no score on "${target}"`,
      unit,
      indicator: target,
    });
  const weights = effectiveWeights(fw);
  // the normalise step that produced the aggregation input, if any
  let norm: { diagnostics: NormaliseDiagnostics; input: Dataset } | null = null;
  for (let s = ctx.stepIndex - 1; s >= 0; s--) {
    const step = build.steps[s];
    if (step.kind === 'normalise') {
      norm = { diagnostics: step.diagnostics, input: s > 0 ? build.steps[s - 1].dataset : build.raw };
      break;
    }
  }
  const m = base.unitCodes.length;
  const cols = codes.map((c) => base.codes.indexOf(c));
  const spans = new Float64Array(codes.length);
  const rooms: IndicatorRoom[] = codes.map((code, t) => {
    const colValues = base.values.subarray(cols[t] * m, (cols[t] + 1) * m);
    const value = colValues[row];
    const info = norm?.diagnostics.indicators[code];
    let ceiling: number;
    let ceilingSource: CeilingSource;
    const given = options.ceilings && Object.hasOwn(options.ceilings, code) ? options.ceilings[code] : undefined;
    const fromMethod = info ? normalisationMaximum(info.method) : null;
    if (given !== undefined) {
      if (!Number.isFinite(given))
        throw new CityIndexError({
          code: 'E_OPTION',
          message: `ceiling of "${code}" is ${String(given)}`,
          indicator: code,
          field: `ceilings.${code}`,
          expected: 'a finite number',
        });
      ceiling = given;
      ceilingSource = 'option';
    } else if (fromMethod !== null) {
      ceiling = fromMethod;
      ceilingSource = 'normalisation';
    } else {
      ceiling = max(colValues);
      ceilingSource = 'observedMax';
    }
    let perPoint: number | null = null;
    if (info && norm) {
      const j = norm.input.codes.indexOf(code);
      if (j >= 0) {
        const n = norm.input.unitCodes.length;
        const x = norm.input.values.subarray(j * n, (j + 1) * n);
        const flipped = info.direction === 1 ? x : x.map((v) => -v);
        perPoint = rawPerPoint(info.method, info.direction, flipped, norm.input.unitCodes);
      }
    } else if (!norm) {
      perPoint = 1; // no normalisation: the aggregated values are the indicator's own
    }
    spans[t] = Number.isFinite(ceiling) ? Math.abs(ceiling - min(colValues)) : 0;
    return {
      code,
      value,
      ceiling,
      ceilingSource,
      room: Number.isNaN(value) ? NaN : Math.max(0, ceiling - value),
      effectiveWeight: weights[code] ?? NaN,
      rawPerPoint: perPoint,
    };
  });
  const tolerance = options.tolerance ?? Math.max(1e-12, 1e-9 * (max(spans) || 0));
  if (!(tolerance > 0))
    throw new CityIndexError({
      code: 'E_OPTION',
      message: `tolerance must be > 0, got ${String(options.tolerance)}`,
      field: 'tolerance',
      expected: '> 0',
    });

  // evaluation: the unit's row raised by `deltas` (one per room), re-aggregated
  const work = base.values.slice();
  const original = cols.map((j) => base.values[j * m + row]);
  const rowOnly = ctx.rowWise;
  const oneRow = rowOnly ? new Float64Array(base.codes.length) : null;
  if (oneRow) for (let j = 0; j < base.codes.length; j++) oneRow[j] = base.values[j * m + row];
  const evaluate = (deltas: Float64Array): { score: number; rank: number } => {
    if (oneRow) {
      const v = oneRow.slice();
      cols.forEach((j, t) => {
        if (deltas[t] !== 0) v[j] = original[t] + deltas[t];
      });
      const out = reaggregate(ctx, { dataset: createDataset([unit], base.codes, v) });
      const s = column(out, target)[0];
      return { score: s, rank: rankAmong(s, nominalTarget, row, rankBuffers) };
    }
    cols.forEach((j, t) => {
      work[j * m + row] = original[t] + deltas[t];
    });
    const out = reaggregate(ctx, { dataset: { unitCodes: base.unitCodes, codes: base.codes, values: work } });
    cols.forEach((j, t) => {
      work[j * m + row] = original[t];
    });
    const col = column(out, target);
    return { score: col[row], rank: rankAmong(col[row], col, row, rankBuffers) };
  };
  return {
    ctx,
    unit,
    row,
    target,
    base,
    rooms,
    cols,
    score,
    rank: rankAmong(score, nominalTarget, row, rankBuffers),
    tolerance,
    evaluate,
    uncontrollable,
  };
}

// ------------------------------------------------------------------ smallest improvement

/**
 * For each indicator, the smallest normalised improvement that lifts the unit by k ranks, all else fixed.
 * @example
 * import { build } from '../../pipeline/build.ts';
 * import { tinyInput } from '../audit/test-helpers.ts';
 * // I = (P + Q)/2, P = (a + b)/2, Q = c; b has direction −1; min–max onto [0, 100] (worked in improve.test.ts):
 * // D is 4th (42.5), E 3rd (50)
 * const rows = [[10, 8, 50], [6, 6, 0], [0, 0, 100], [3, 10, 70], [8, 4, 30]];
 * const b = build(tinyInput(['A', 'B', 'C', 'D', 'E'], rows, undefined, -1), { version: 1, steps: [
 *   { id: 'normalise', kind: 'normalise', options: { method: 'minMax', range: [0, 100] } },
 *   { id: 'aggregate', kind: 'aggregate' }] });
 * smallestImprovements(b, { unit: 'D', k: 1 }).indicators[0] // => { code: 'c', improvement: 15, newRank: 3, … }
 */
export function smallestImprovements(build: Build, options: ImproveOptions): ImproveResult {
  const s = setup(build, options);
  const k = options.k ?? 1;
  if (!Number.isInteger(k) || k < 1)
    throw new CityIndexError({
      code: 'E_OPTION',
      message: `k must be a whole number ≥ 1, got ${String(k)}`,
      field: 'k',
      expected: '≥ 1',
    });
  const targetRank = s.rank - k;
  if (targetRank < 1)
    throw new CityIndexError({
      code: 'E_RANK',
      message: `unit "${s.unit}" is rank ${s.rank} on "${s.target}": it cannot climb ${k} rank(s)`,
      unit: s.unit,
      field: 'k',
      expected: `k ≤ ${s.rank - 1}`,
    });
  const n = s.rooms.length;
  const deltas = new Float64Array(n);
  const at = (t: number, d: number): { score: number; rank: number } => {
    deltas.fill(0);
    deltas[t] = d;
    return s.evaluate(deltas);
  };
  const results: IndicatorImprovement[] = s.rooms.map((room, t) => {
    const none = { improvement: NaN, rawImprovement: NaN, newScore: NaN, newRank: NaN };
    if (Number.isNaN(room.value)) return { ...room, status: 'missing', ...none };
    if (!(room.room > 0)) return { ...room, status: 'noRoom', ...none };
    const top = at(t, room.room);
    if (!(top.rank <= targetRank))
      return { ...room, status: 'unreachable', ...none, newScore: top.score, newRank: top.rank };
    let lo = 0;
    let hi = room.room;
    let best = top;
    for (let it = 0; it < 200 && hi - lo > s.tolerance; it++) {
      const mid = lo + (hi - lo) / 2;
      const r = at(t, mid);
      if (r.rank <= targetRank) {
        hi = mid;
        best = r;
      } else lo = mid;
    }
    return {
      ...room,
      status: 'ok',
      improvement: hi,
      rawImprovement: room.rawPerPoint === null ? NaN : hi * room.rawPerPoint,
      newScore: best.score,
      newRank: best.rank,
    };
  });
  const order = { ok: 0, unreachable: 1, noRoom: 2, missing: 3 } as const;
  results.sort((p, q) => order[p.status] - order[q.status] || (p.status === 'ok' ? p.improvement - q.improvement : 0));
  const best = results.find((r) => r.status === 'ok');
  return {
    unit: s.unit,
    target: s.target,
    k,
    score: s.score,
    rank: s.rank,
    targetRank,
    tolerance: s.tolerance,
    indicators: results,
    best: best ? best.code : null,
    uncontrollable: s.uncontrollable,
  };
}

// ------------------------------------------------------------------ budget

function better(a: { rank: number; score: number }, b: { rank: number; score: number }): boolean {
  return a.rank < b.rank || (a.rank === b.rank && a.score > b.score);
}

/**
 * The best use of a budget of normalised points for one unit (greedy split vs the best single indicator).
 * @example
 * import { build } from '../../pipeline/build.ts';
 * import { tinyInput } from '../audit/test-helpers.ts';
 * // I = (P + Q)/2, P = (a + b)/2, Q = c; b has direction −1; min–max onto [0, 100] (worked in improve.test.ts):
 * // D is 4th (42.5), E 3rd (50)
 * const rows = [[10, 8, 50], [6, 6, 0], [0, 0, 100], [3, 10, 70], [8, 4, 30]];
 * const b = build(tinyInput(['A', 'B', 'C', 'D', 'E'], rows, undefined, -1), { version: 1, steps: [
 *   { id: 'normalise', kind: 'normalise', options: { method: 'minMax', range: [0, 100] } },
 *   { id: 'aggregate', kind: 'aggregate' }] });
 * bestUnderBudget(b, { unit: 'D', budget: 40 }).plan.allocation // => { c: 30, a: 10 }
 */
export function bestUnderBudget(build: Build, options: BudgetOptions): BudgetResult {
  const s = setup(build, options);
  const budget = options.budget;
  if (!(Number.isFinite(budget) && budget >= 0))
    throw new CityIndexError({
      code: 'E_OPTION',
      message: `budget must be a finite number ≥ 0, got ${String(budget)}`,
      field: 'budget',
      expected: '≥ 0',
    });
  const steps = options.steps ?? 100;
  if (!Number.isInteger(steps) || steps < 1)
    throw new CityIndexError({
      code: 'E_OPTION',
      message: `steps must be a whole number ≥ 1, got ${String(steps)}`,
      field: 'steps',
      expected: '≥ 1',
    });
  const n = s.rooms.length;
  const room = Float64Array.from(s.rooms, (r) => (Number.isNaN(r.room) ? 0 : r.room));
  const toPlan = (d: Float64Array, r: { score: number; rank: number }): BudgetPlan => {
    const allocation: Record<string, number> = Object.create(null);
    let spent = 0;
    d.forEach((v, t) => {
      if (v > 0) {
        allocation[s.rooms[t].code] = v;
        spent += v;
      }
    });
    return { allocation, spent, score: r.score, rank: r.rank };
  };
  const start = { score: s.score, rank: s.rank };

  // greedy
  const deltas = new Float64Array(n);
  let current = start;
  let remaining = budget;
  const increment = budget / steps;
  // a step cut short by a ceiling exhausts that indicator, so at most n extra steps are needed
  for (let step = 0; step < steps + n && remaining > increment * 1e-9; step++) {
    let pick = -1;
    let pickGain = 0;
    let pickAmount = 0;
    let pickResult = current;
    for (let t = 0; t < n; t++) {
      const amount = Math.min(increment, remaining, room[t] - deltas[t]);
      // skip rounding crumbs: a gain per point over a near-zero amount is noise
      if (!(amount > increment * 1e-9)) continue;
      deltas[t] += amount;
      const r = s.evaluate(deltas);
      deltas[t] -= amount;
      const gain = (r.score - current.score) / amount;
      if (gain > pickGain) {
        pick = t;
        pickGain = gain;
        pickAmount = amount;
        pickResult = r;
      }
    }
    if (pick < 0) break;
    deltas[pick] += pickAmount;
    remaining -= pickAmount;
    current = pickResult;
  }
  const greedy = toPlan(deltas.slice(), current);

  // best single indicator
  let single: BudgetPlan & { code: string | null } = { ...toPlan(new Float64Array(n), start), code: null };
  for (let t = 0; t < n; t++) {
    const amount = Math.min(budget, room[t]);
    if (!(amount > 0)) continue;
    const d = new Float64Array(n);
    d[t] = amount;
    const r = s.evaluate(d);
    if (single.code === null || better(r, single)) single = { ...toPlan(d, r), code: s.rooms[t].code };
  }
  const chosen = better(single, greedy) ? 'single' : 'greedy';
  return {
    unit: s.unit,
    target: s.target,
    budget,
    score: s.score,
    rank: s.rank,
    plan: chosen === 'single' ? single : greedy,
    greedy,
    bestSingle: single,
    chosen,
    rooms: s.rooms,
    uncontrollable: s.uncontrollable,
  };
}
