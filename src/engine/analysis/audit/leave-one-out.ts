/**
 * Leave one element out (COINr 1.1.14 `remove_elements`, R/audit_tools.R): the weight of each element
 * of one level is set to 0 in turn, the build is re-aggregated with its own aggregate step, and the
 * ranks of a target (default the index) are compared with the nominal ranks. Rank change = nominal
 * rank − new rank (positive = the unit moves up), as COINr's `RankDiffs`.
 *
 * Differences from COINr: when the element is the only weighted child of its parent, COINr's arithmetic
 * mean gives 0/0 = NA for the parent, which the next level then skips; here the parent's weight is set to
 * 0 instead (the same result for the arithmetic mean, and defined for every method) and `removedAs`
 * names it. The mean absolute rank change is taken over units ranked in both runs (COINr returns NA if
 * any unit is missing).
 */
import { CityIndexError } from '../../core/errors.ts';
import { column } from '../../core/dataset.ts';
import type { Framework } from '../../core/framework.ts';
import type { Build } from '../../pipeline/build.ts';
import { rankDescending } from '../../stats/descriptive.ts';
import { tieToleranceOf } from '../../pipeline/ranks.ts';
import { aggregationContext, reaggregate, withWeight } from './reaggregate.ts';

export interface LeaveOneOutOptions {
  /** Level whose elements are removed one at a time (1 = indicators; default 1). */
  level?: number;
  /** Column whose ranks are compared (default the index). */
  target?: string;
}

export interface ElementRemoval {
  /** The element removed. */
  code: string;
  /** The node whose weight was set to 0: `code`, or an ancestor when `code` was an only child. */
  removedAs: string;
  /** Target scores with the element removed (units in build order). */
  scores: number[];
  ranks: number[];
  /** Nominal rank − new rank, per unit (NaN when either is missing). */
  rankChange: number[];
  /** Mean of |rank change| over units ranked in both runs. */
  meanAbsRankChange: number;
  maxAbsRankChange: number;
  /** Set when the re-aggregation failed (e.g. a method that cannot take a zero weight); other fields are NaN. */
  error?: string;
}

export interface LeaveOneOutResult {
  level: number;
  target: string;
  unitCodes: string[];
  nominalScores: number[];
  nominalRanks: number[];
  /** One entry per element of the level in the build, framework order. */
  removals: ElementRemoval[];
}

/** The node whose weight is zeroed to remove `code`: climb while every sibling already has weight 0. */
function nodeToZero(fw: Framework, code: string, present: ReadonlySet<string>): string {
  let cur = fw.nodes.find((nd) => nd.code === code);
  while (cur && cur.parent !== null) {
    const others = fw.nodes.filter(
      (nd) => nd.parent === cur!.parent && nd.code !== cur!.code && nd.weight !== 0 && present.has(nd.code),
    );
    if (others.length > 0) return cur.code;
    const parent = fw.nodes.find((nd) => nd.code === cur!.parent);
    if (!parent || parent.parent === null) return cur.code;
    cur = parent;
  }
  return code;
}

/**
 * Remove each element of a level in turn and measure the rank changes of the target.
 * @example
 * leaveOneOut(asem.build, { level: 2 }).removals.map((r) => [r.code, r.meanAbsRankChange]).slice(0, 2)
 * // => [['Physical', 1.5294117…], ['ConEcFin', 2.6274509…]]  (mean |rank change| over 51 units)
 */
export function leaveOneOut(build: Build, options: LeaveOneOutOptions = {}): LeaveOneOutResult {
  const ctx = aggregationContext(build);
  const fw = ctx.input.framework;
  const level = options.level ?? 1;
  const maxLevel = fw.nodes.reduce((m, nd) => Math.max(m, nd.level), 1);
  if (!Number.isInteger(level) || level < 1 || level >= maxLevel) {
    throw new CityIndexError({
      code: 'E_LEVEL',
      message: `leave-one-out: level ${String(level)} has no weights to remove`,
      field: 'level',
      expected: `a whole number from 1 to ${maxLevel - 1}`,
    });
  }
  const target = options.target ?? ctx.indexCode;
  const nominal = reaggregate(ctx);
  if (!nominal.codes.includes(target)) {
    throw new CityIndexError({
      code: 'E_UNKNOWN_CODE',
      message: `leave-one-out: no column "${target}" in the aggregated scores`,
      field: 'target',
      indicator: target,
      expected: 'the index or an aggregate code',
    });
  }
  const nominalScores = Float64Array.from(column(nominal, target));
  // ranks as the build ranks (near-ties by spec.tieTolerance), so the nominal ranks are the build's
  const tolerance = tieToleranceOf(build.spec);
  const nominalRanks = rankDescending(nominalScores, undefined, tolerance);
  const present = new Set(nominal.codes);
  const elements = fw.nodes.filter((nd) => nd.level === level && present.has(nd.code)).map((nd) => nd.code);
  const m = nominalScores.length;
  const removals: ElementRemoval[] = elements.map((code) => {
    const removedAs = nodeToZero(fw, code, present);
    let scores: Float64Array;
    try {
      scores = Float64Array.from(column(reaggregate(ctx, { framework: withWeight(fw, removedAs, 0) }), target));
    } catch (e) {
      if (!(e instanceof CityIndexError)) throw e;
      const nan = new Array<number>(m).fill(NaN);
      return {
        code,
        removedAs,
        scores: nan,
        ranks: nan,
        rankChange: nan,
        meanAbsRankChange: NaN,
        maxAbsRankChange: NaN,
        error: e.message,
      };
    }
    const ranks = rankDescending(scores, undefined, tolerance);
    const rankChange = new Array<number>(m);
    let sum = 0,
      count = 0,
      maxAbs = 0;
    for (let i = 0; i < m; i++) {
      const d = nominalRanks[i] - ranks[i];
      rankChange[i] = d;
      if (Number.isNaN(d)) continue;
      sum += Math.abs(d);
      count++;
      if (Math.abs(d) > maxAbs) maxAbs = Math.abs(d);
    }
    return {
      code,
      removedAs,
      scores: Array.from(scores),
      ranks: Array.from(ranks),
      rankChange,
      meanAbsRankChange: count ? sum / count : NaN,
      maxAbsRankChange: count ? maxAbs : NaN,
    };
  });
  return {
    level,
    target,
    unitCodes: [...nominal.unitCodes],
    nominalScores: Array.from(nominalScores),
    nominalRanks: Array.from(nominalRanks),
    removals,
  };
}
