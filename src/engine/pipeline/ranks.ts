/**
 * Ranks of every column and effective weights of every node (COINr 1.1.14 R/results.R `rank_df`,
 * R/weights.R `get_eff_weights`).
 */
import { CityIndexError, type Issue } from '../core/errors.ts';
import { datasetOf, type Dataset } from '../core/dataset.ts';
import type { Framework, FrameworkNode } from '../core/framework.ts';
import { rankMinInto, rankScratch, type RankScratch } from '../stats/rank.ts';

/**
 * Scores closer than this share of the column's largest |score| are ties. Floating-point sums are not
 * associative, so units with the same values in a different order (e.g. Borda or rank normalisation:
 * (1 + 2 + 3)/3 = 2 but (2 + 3 + 1)/3 = 1.9999999999999998) would otherwise get different ranks, as in
 * COINr. 1e-10 of a 0–100 scale is 1e-8 points: far below any difference a report can show.
 */
export const SCORE_TIE_TOLERANCE = 1e-10;

/**
 * The tie tolerance of a build: `spec.tieTolerance`, or `SCORE_TIE_TOLERANCE` when the spec has none.
 * Every module that ranks scores of a build (ranks, uncertainty, leave-one-out, what-if) uses this.
 * @example tieToleranceOf({ tieTolerance: 0 }) // => 0
 * @example tieToleranceOf({}) // => 1e-10
 */
export function tieToleranceOf(spec: { tieTolerance?: number }): number {
  return spec.tieTolerance ?? SCORE_TIE_TOLERANCE;
}

// work buffers reused across calls (ranking is synchronous: no call can interleave)
let scratchCache: RankScratch | null = null;

/**
 * Ranks of every column: higher is better, ties share the best rank, missing stays missing
 * (R `rank(-x, ties.method = "min", na.last = "keep")`, as everywhere in COINr), with scores within
 * `SCORE_TIE_TOLERANCE` of each other counted as ties (pass `tolerance = 0` for R's exact comparison);
 * the rule is `rankMinInto` (stats/rank.ts), shared by every module that ranks scores.
 * @example
 * import { fromRows } from '../core/dataset.ts';
 * ranksDataset(fromRows(['A', 'B', 'C'], ['x'], [[1], [3], [3]])).values // => Float64Array [3, 1, 1]
 * @example
 * import { fromRows } from '../core/dataset.ts';
 * const nearlyTwo = 1.9999999999999998;
 * ranksDataset(fromRows(['A', 'B', 'C'], ['x'], [[2], [nearlyTwo], [1]])).values // => Float64Array [1, 1, 3]
 */
export function ranksDataset(ds: Dataset, tolerance = SCORE_TIE_TOLERANCE): Dataset {
  const n = ds.unitCodes.length;
  const out = new Float64Array(ds.values.length);
  if (scratchCache === null || scratchCache.keys.length < n) scratchCache = rankScratch(n);
  const scratch = scratchCache;
  for (let j = 0; j < ds.codes.length; j++) rankMinInto(ds.values, true, tolerance, out, scratch, j * n, n);
  return datasetOf(ds.unitCodes, ds.codes, out);
}

export interface EffectiveWeightsOptions {
  /** Include `not_collected` indicators (and aggregates with nothing collected below them). Default false. */
  includeGaps?: boolean;
}

/**
 * Effective weight of every node: weights rescaled to sum 1 among siblings, multiplied down the tree
 * from the index (weight 1) — COINr `get_eff_weights`. Indicators sum to 1, and so does each level.
 * Nodes left out of the build (`not_collected`, or aggregates with no collected indicator below) get no entry
 * unless `includeGaps`. A parent whose children's weights sum to 0 is an error.
 * @example effectiveWeights(asem.input.framework).Goods // => 0.02  (1/5 · 1/5 · 1/2)
 */
export function effectiveWeights(fw: Framework, options: EffectiveWeightsOptions = {}): Record<string, number> {
  const included = includedNodes(fw, options.includeGaps ?? false);
  const children = new Map<string, FrameworkNode[]>();
  const roots: FrameworkNode[] = [];
  for (const nd of fw.nodes) {
    if (!included.has(nd.code)) continue;
    if (nd.parent === null) {
      roots.push(nd);
      continue;
    }
    const list = children.get(nd.parent) ?? [];
    list.push(nd);
    children.set(nd.parent, list);
  }
  // null prototype: a node coded `__proto__` or `constructor` is an ordinary key
  const out: Record<string, number> = Object.create(null);
  const issues: Issue[] = [];
  const visit = (nd: FrameworkNode, w: number): void => {
    out[nd.code] = w;
    const kids = children.get(nd.code) ?? [];
    if (kids.length === 0) return;
    let s = 0;
    for (const k of kids) s += k.weight;
    if (s === 0 || !Number.isFinite(s)) {
      issues.push({
        code: 'E_WEIGHT_SUM',
        message: `the weights of the children of "${nd.code}" sum to ${s}`,
        indicator: nd.code,
        field: 'weight',
        expected: 'a non-zero finite weight sum',
      });
      return;
    }
    for (const k of kids) visit(k, (w * k.weight) / s);
  };
  for (const r of roots) visit(r, 1);
  if (issues.length) throw new CityIndexError(issues);
  return out;
}

/** Codes of nodes that take part in the build. */
function includedNodes(fw: Framework, includeGaps: boolean): Set<string> {
  const keep = new Set<string>();
  const byCode = new Map(fw.nodes.map((nd) => [nd.code, nd] as const));
  for (const nd of fw.nodes) {
    if (nd.kind !== 'indicator') continue;
    if (!includeGaps && nd.status === 'not_collected') continue;
    let cur: FrameworkNode | undefined = nd;
    while (cur && !keep.has(cur.code)) {
      keep.add(cur.code);
      cur = cur.parent === null ? undefined : byCode.get(cur.parent);
    }
  }
  if (includeGaps) for (const nd of fw.nodes) keep.add(nd.code);
  return keep;
}
