/**
 * Regional summaries of a score (METHODS §4.4, PRODUCT §1 findings "the level is low and uneven",
 * "east above west, south above north", "the Yangtze River Delta well above the national mean"):
 * for any grouping of units — four regions, north/south, clusters (multi-membership `a|b`), tiers —
 * group counts, means, medians, gaps and ratios to the national mean, and the share of units below it.
 * Units with no group are reported as `ungrouped`; units with no score are listed as missing. Nothing is
 * dropped silently.
 */
import { CityIndexError } from '../core/errors.ts';
import { median, sd } from '../stats/descriptive.ts';
import { indexGroups, UNGROUPED, unitName, type GroupLabel } from './groups.ts';

type Num = ArrayLike<number>;

export interface RegionalSummaryOptions {
  /** Unit codes in score order (used in the result and in error messages); default: `#<index>`. */
  codes?: readonly string[];
  /** Separator for multiple memberships (default `'|'`); `null` reads labels literally. */
  separator?: string | null;
  /** Declared groups in report order (e.g. `['东部', '中部', '西部', '东北']`); each must have units. */
  order?: readonly string[];
  /** What the grouping is called (used in messages), e.g. `region_4`. */
  field?: string;
}

/** Statistics of a set of scored units. `sd` is the sample sd (n − 1; 0 for one unit). */
export interface ScoreStats {
  /** Units in the set, including those without a score. */
  n: number;
  /** Units with a score (the statistics use these). */
  nScored: number;
  mean: number;
  median: number;
  sd: number;
  min: number;
  max: number;
  /** Units scoring strictly below the national mean. */
  nBelowNationalMean: number;
  /** nBelowNationalMean / nScored. */
  shareBelowNationalMean: number;
}

export interface RegionalGroup extends ScoreStats {
  group: string;
  /** mean − national mean. */
  gap: number;
  /**
   * mean / national mean; null unless all scores are ≥ 0 and the national mean is > 0 (a ratio needs a ratio scale, not
   * z-scores).
   */
  ratio: number | null;
  /** Unit codes in the group (input order). */
  units: string[];
}

export interface RegionalSummaryResult {
  national: ScoreStats;
  /** Groups in declared order (or order of first appearance). With multi-membership they overlap. */
  groups: RegionalGroup[];
  /** Units in no group, summarised like a group named `(ungrouped)`; null when every unit has a group. */
  ungrouped: RegionalGroup | null;
  /** True when some unit belongs to more than one group (group counts then sum to more than n). */
  overlapping: boolean;
  /** Units without a score (NaN), kept out of every statistic. */
  missingUnits: string[];
}

/**
 * Group means, medians, gaps to the national mean and shares below it, for any unit grouping.
 * National statistics count every scored unit once, grouped or not.
 * Reference: the regional analysis of the China City Digital Governance Report 2020 (PRODUCT §1).
 * @example
 * regionalSummary([80, 60, 40, 20], ['East', 'East|YRD', 'West', null]).groups.map((g) => [g.group, g.mean, g.gap])
 * // => [['East', 70, 20], ['YRD', 60, 10], ['West', 40, -10]]   (national mean 50; ungrouped: 1 unit, mean 20)
 */
export function regionalSummary(
  scores: Num,
  groupOf: readonly GroupLabel[],
  options: RegionalSummaryOptions = {},
): RegionalSummaryResult {
  const { codes, separator = '|', order, field = 'groups' } = options;
  const n = scores.length;
  if (n === 0) throw new CityIndexError({ code: 'E_EMPTY', message: 'regionalSummary needs at least one unit', field });
  if (codes && codes.length !== n)
    throw new CityIndexError({
      code: 'E_SHAPE',
      message: `regionalSummary: ${codes.length} codes for ${n} scores`,
      field: 'codes',
    });
  const name = (i: number) => (codes ? codes[i] : `#${i}`);
  const missingUnits: string[] = [];
  for (let i = 0; i < n; i++) {
    const v = scores[i];
    if (Number.isNaN(v)) missingUnits.push(name(i));
    else if (!Number.isFinite(v))
      throw new CityIndexError({
        code: 'E_NOT_FINITE',
        message: `score of unit ${unitName(i, codes)} is ${v}`,
        unit: codes?.[i],
        expected: 'a finite number or NaN for missing',
      });
  }
  if (missingUnits.length === n)
    throw new CityIndexError({ code: 'E_NO_SCORES', message: 'regionalSummary: no unit has a score', field });
  const idx = indexGroups(groupOf, n, { separator, order, codes, field });

  const all = Int32Array.from({ length: n }, (_, i) => i);
  let total = 0,
    count = 0;
  for (let i = 0; i < n; i++)
    if (!Number.isNaN(scores[i])) {
      total += scores[i];
      count++;
    }
  const nationalMean = total / count;
  const national = stats(scores, all, nationalMean, 'all units');
  const ratioScale = national.min >= 0 && nationalMean > 0;

  const summarise = (label: string, members: ArrayLike<number>): RegionalGroup => {
    const s = stats(scores, members, nationalMean, label);
    return {
      group: label,
      ...s,
      gap: s.mean - nationalMean,
      ratio: ratioScale ? s.mean / nationalMean : null,
      units: Array.from(members, name),
    };
  };
  const groups = idx.labels.map((label, g) => summarise(label, idx.members[g]));
  const ungrouped = idx.ungrouped.length > 0 ? summarise(UNGROUPED, idx.ungrouped) : null;
  return { national, groups, ungrouped, overlapping: idx.overlapping, missingUnits };
}

function stats(scores: Num, members: ArrayLike<number>, nationalMean: number, label: string): ScoreStats {
  const values: number[] = [];
  for (let k = 0; k < members.length; k++) {
    const v = scores[members[k]];
    if (!Number.isNaN(v)) values.push(v);
  }
  if (values.length === 0) {
    throw new CityIndexError({
      code: 'E_NO_SCORES',
      message: `group "${label}" has ${members.length} unit(s) but none has a score`,
      expected: 'at least one scored unit per group',
    });
  }
  let sum = 0,
    lo = Infinity,
    hi = -Infinity,
    below = 0;
  for (const v of values) {
    sum += v;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
    if (v < nationalMean) below++;
  }
  return {
    n: members.length,
    nScored: values.length,
    mean: sum / values.length,
    median: median(values),
    sd: values.length > 1 ? sd(values) : 0,
    min: lo,
    max: hi,
    nBelowNationalMean: below,
    shareBelowNationalMean: below / values.length,
  };
}

export interface GroupComparison {
  a: string;
  b: string;
  meanA: number;
  meanB: number;
  /** meanA − meanB. */
  difference: number;
  /** meanA / meanB; null unless the summary is on a ratio scale (scores ≥ 0) and meanB > 0. */
  ratio: number | null;
  /** meanA > meanB. */
  aAbove: boolean;
}

/**
 * Compare two groups of a summary ("east above west", "south above north").
 * @example compareGroups(regionalSummary([3, 1], ['南方', '北方']), '南方', '北方').difference // => 2
 */
export function compareGroups(summary: RegionalSummaryResult, a: string, b: string): GroupComparison {
  const find = (label: string) => {
    const g = label === UNGROUPED ? summary.ungrouped : summary.groups.find((x) => x.group === label);
    if (!g)
      throw new CityIndexError({
        code: 'E_UNKNOWN_GROUP',
        message: `no group "${label}" in the summary`,
        expected: summary.groups.map((x) => x.group).join(', '),
      });
    return g;
  };
  const ga = find(a),
    gb = find(b);
  const ratio = summary.national.min >= 0 && gb.mean > 0 ? ga.mean / gb.mean : null;
  return { a, b, meanA: ga.mean, meanB: gb.mean, difference: ga.mean - gb.mean, ratio, aAbove: ga.mean > gb.mean };
}
