/**
 * Spillover around a leader city (PRODUCT.md: "杭州 lifting 湖州, 金华, 温州, 嘉兴"): where the leader's
 * neighbours stand against the mean of the study area, their ranks, their LISA classes, and the leader's
 * own class. A descriptive report, not a causal estimate: an HH leader with HH neighbours is consistent
 * with spillover; an HL leader ("high among lows") is consistent with a siphon or island effect.
 * Compute it on all prefecture-level units of the cluster/province (METHODS.md §4.5), not on a sample.
 */
import { CityIndexError } from '../../core/errors.ts';
import { rankDescending } from '../../stats/descriptive.ts';
import {
  localMoran,
  type LisaLabel,
  type LisaQuadrant,
  type LocalMoranOptions,
  type LocalMoranResult,
} from './local-moran.ts';
import type { SpatialWeights } from './weights.ts';

/** Options of `spilloverReport`: the LISA options plus an explicit neighbour list. */
export interface SpilloverOptions extends LocalMoranOptions {
  /** Units to report as the leader's neighbours (e.g. a named city cluster); default: the leader's neighbours in W. */
  neighbours?: readonly string[];
}

/** One unit in the report. */
export interface SpilloverUnit {
  id: string;
  score: number;
  /** 1 = highest score among all n units (ties share the best rank). */
  rank: number;
  aboveMean: boolean;
  /** score − mean of all units. */
  differenceFromMean: number;
  /** score − leader's score (0 for the leader). */
  differenceFromLeader: number;
  /** w_leader,j in the transformed W (0 when not a W-neighbour; the leader itself: 0). */
  weight: number;
  /** LISA quadrant: 1 HH, 2 LH, 3 LL, 4 HL, 0 island. */
  quadrant: LisaQuadrant;
  /** LISA cluster label at α (quadrant if significant, else `ns`); `ns` without permutations. */
  label: LisaLabel;
  Is: number;
  p_sim?: number;
}

/** How the leader relates to its neighbourhood (from its LISA quadrant). */
export type SpilloverPattern = 'high-cluster' | 'high-island' | 'low-in-high' | 'low-cluster' | 'isolated';

/** Result of `spilloverReport`. */
export interface SpilloverReport {
  leader: SpilloverUnit;
  neighbours: SpilloverUnit[];
  n: number;
  mean: number;
  /** Mean score of the reported neighbours. */
  neighbourMean: number;
  neighboursAboveMean: number;
  /** Pattern read from the leader's quadrant (significant or not: see `leader.label`). */
  pattern: SpilloverPattern;
  /** One-sentence English summary for reports. */
  summary: string;
  lisa: LocalMoranResult;
}

/** LISA quadrant names by quadrant number (as in `LisaQuadrant`), for the summary sentence. */
const QUADRANT_NAMES = ['island', 'HH', 'LH', 'LL', 'HL'] as const;

const PATTERN: Record<LisaQuadrant, SpilloverPattern> = {
  0: 'isolated',
  1: 'high-cluster',
  2: 'low-in-high',
  3: 'low-cluster',
  4: 'high-island',
};

/**
 * Spillover report for a named leader: LISA on `scores` over W, then the leader's and its neighbours'
 * scores, ranks, distance from the mean and LISA classes.
 * @example
 * import { knnWeights } from './weights.ts';
 * const ids = ['330100', '330200', '330300', '330400', '330500'];
 * const w = knnWeights(ids, [[0, 0], [1, 0], [2, 0], [3, 0], [4, 0]], { k: 2, metric: 'euclidean' });
 * spilloverReport([90, 70, 60, 50, 40], w, '330100', { permutations: 0 }).leader.rank // => 1
 */
export function spilloverReport(
  scores: ArrayLike<number>,
  w: SpatialWeights,
  leader: string,
  options: SpilloverOptions = {},
): SpilloverReport {
  const li = w.ids.indexOf(leader);
  if (li < 0)
    throw new CityIndexError({
      code: 'E_UNKNOWN_UNIT',
      message: `spillover: leader "${leader}" is not among the weights' units`,
      unit: leader,
    });
  const lisa = localMoran(scores, w, options);
  const n = lisa.n;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += scores[i];
  mean /= n;
  const rank = rankDescending(scores);
  // the transformed weights row of the leader: recompute from lisa's transformation
  const rowWeight = new Map<number, number>();
  let rowSum = 0;
  for (let p = w.offsets[li]; p < w.offsets[li + 1]; p++) rowSum += w.weights[p];
  for (let p = w.offsets[li]; p < w.offsets[li + 1]; p++) {
    const v =
      lisa.transformation === 'binary' ? 1 : lisa.transformation === 'row' ? w.weights[p] / rowSum : w.weights[p];
    rowWeight.set(w.neighbors[p], v);
  }
  let nbIdx: number[];
  if (options.neighbours) {
    const unknown = options.neighbours.filter((id) => !w.ids.includes(id));
    if (unknown.length)
      throw new CityIndexError(
        unknown.map((id) => ({
          code: 'E_UNKNOWN_UNIT',
          message: `spillover: neighbour "${id}" is not among the weights' units`,
          unit: id,
        })),
      );
    nbIdx = options.neighbours.map((id) => w.ids.indexOf(id)).filter((j) => j !== li);
  } else {
    nbIdx = [...rowWeight.keys()];
  }
  if (nbIdx.length === 0) {
    throw new CityIndexError({
      code: 'E_NO_NEIGHBOURS',
      message: `spillover: leader "${leader}" has no neighbours in the weights (${w.description})`,
      unit: leader,
      expected: 'weights that link the leader, or options.neighbours',
    });
  }
  const unit = (i: number): SpilloverUnit => {
    const u: SpilloverUnit = {
      id: w.ids[i],
      score: scores[i],
      rank: rank[i],
      aboveMean: scores[i] > mean,
      differenceFromMean: scores[i] - mean,
      differenceFromLeader: scores[i] - scores[li],
      weight: rowWeight.get(i) ?? 0,
      quadrant: lisa.q[i] as LisaQuadrant,
      label: lisa.significance ? lisa.significance.labels[i] : lisa.q[i] === 0 ? 'island' : 'ns',
      Is: lisa.Is[i],
    };
    if (lisa.permutation) u.p_sim = lisa.permutation.p_sim[i];
    return u;
  };
  const leaderUnit = unit(li);
  const neighbours = nbIdx.map(unit);
  const neighbourMean = neighbours.reduce((s, u) => s + u.score, 0) / neighbours.length;
  const neighboursAboveMean = neighbours.filter((u) => u.aboveMean).length;
  const pattern = PATTERN[leaderUnit.quadrant];
  const sig =
    leaderUnit.label === 'ns'
      ? 'not significant'
      : leaderUnit.label === 'island'
        ? 'no neighbours in W'
        : `significant ${leaderUnit.label}`;
  const summary =
    `${leader} ranks ${leaderUnit.rank} of ${n} (LISA quadrant ${QUADRANT_NAMES[leaderUnit.quadrant]}, ${sig}); ` +
    `${neighboursAboveMean} of ${neighbours.length} neighbours score above the mean ${mean.toPrecision(4)}` +
    `, their mean is ${neighbourMean.toPrecision(4)}.`;
  return { leader: leaderUnit, neighbours, n, mean, neighbourMean, neighboursAboveMean, pattern, summary, lisa };
}
