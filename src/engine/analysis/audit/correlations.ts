/**
 * Correlations for the statistical audit (COINr 1.1.14 R/correlations.R): Pearson and Spearman over
 * pairwise-complete observations (R `cor(use = "pairwise.complete.obs")`) within each level, of every
 * element with its parent and every ancestor up to the index (`get_corr(withparent = "family")`), and
 * flags within groups of siblings: collinear pairs (`get_corr_flags(cor_thresh = 0.9)`), negative
 * pairs (`thresh_type = "low"`, threshold 0) and elements weakly correlated with their parent.
 * No p-value masking (COINr `get_corr` blanks p > 0.05 by default; here every value is reported).
 */
import { CityIndexError } from '../../core/errors.ts';
import { column, type Dataset } from '../../core/dataset.ts';
import type { Framework, FrameworkNode } from '../../core/framework.ts';
import { pearson, rankAverage, spearman } from '../../stats/descriptive.ts';

export type CorrelationMethod = 'pearson' | 'spearman';

/**
 * Correlation of two columns over the rows where both are present (NaN below 2 such rows or with no variance).
 * @example correlation([1, 2, 3, NaN], [2, 4, 7, 1], 'spearman') // => 1
 */
export function correlation(x: ArrayLike<number>, y: ArrayLike<number>, method: CorrelationMethod): number {
  switch (method) {
    case 'pearson':
      return pearson(x, y);
    case 'spearman':
      return spearman(x, y);
    default: {
      const never: never = method;
      throw new CityIndexError({
        code: 'E_METHOD',
        message: `unknown correlation method "${String(never)}"`,
        field: 'method',
        expected: 'pearson | spearman',
      });
    }
  }
}

/**
 * Number of rows where both values are present.
 * @example pairwiseCount([1, NaN, 3], [4, 5, NaN]) // => 1
 */
export function pairwiseCount(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let n = 0;
  for (let i = 0; i < x.length; i++) if (!Number.isNaN(x[i]) && !Number.isNaN(y[i])) n++;
  return n;
}

/**
 * Correlation matrix `r[a][b]` of columns `rowCodes` against `colCodes`, pairwise complete (R
 * `cor(X, Y, use = "pairwise.complete.obs")`). Unknown codes are an error.
 * @example
 * import { createDataset } from '../../core/dataset.ts';
 * const ds = createDataset(['A', 'B', 'C'], ['x', 'y'], Float64Array.of(1, 2, 3, 2, 4, 7));
 * correlationMatrix(ds, ['x', 'y'], ['x', 'y'], 'pearson') // => [[1, 0.99339926…], [0.99339926…, 1]]
 */
export function correlationMatrix(
  ds: Dataset,
  rowCodes: readonly string[],
  colCodes: readonly string[],
  method: CorrelationMethod,
): number[][] {
  const rows = rowCodes.map((c) => column(ds, c));
  const cols = colCodes.map((c) => column(ds, c));
  const same = rowCodes.length === colCodes.length && rowCodes.every((c, k) => c === colCodes[k]);
  // Spearman of two complete columns is Pearson of their ranks: rank each complete column once.
  const rankCache = new Map<Float64Array, Float64Array | null>();
  const completeRanks = (x: Float64Array): Float64Array | null => {
    if (!rankCache.has(x)) rankCache.set(x, x.some(Number.isNaN) ? null : rankAverage(x));
    return rankCache.get(x)!;
  };
  const pair = (x: Float64Array, y: Float64Array): number => {
    if (method !== 'spearman') return correlation(x, y, method);
    const rx = completeRanks(x);
    const ry = completeRanks(y);
    return rx && ry ? pearson(rx, ry) : spearman(x, y);
  };
  const out = rows.map(() => new Array<number>(cols.length).fill(NaN));
  for (let a = 0; a < rows.length; a++) {
    for (let b = same ? a : 0; b < cols.length; b++) {
      const r = same && a === b ? selfCorrelation(rows[a]) : pair(rows[a], cols[b]);
      out[a][b] = r;
      if (same) out[b][a] = r;
    }
  }
  return out;
}

/** R gives 1 on the diagonal when the column has variance, NA otherwise. */
function selfCorrelation(x: Float64Array): number {
  return Number.isNaN(pearson(x, x)) ? NaN : 1;
}

export interface CorrelationOptions {
  /** A sibling pair with Pearson r above this is flagged `collinear` (COINr `get_corr_flags` default 0.9). */
  collinearThreshold?: number;
  /** A sibling pair with Pearson r below this is flagged `negative` (default 0). */
  negativeThreshold?: number;
  /** An element whose Pearson r with its parent is below this is flagged `weakParent` (default 0.3). */
  weakParentThreshold?: number;
  /** Correlation used for the flags (default `pearson`). */
  flagMethod?: CorrelationMethod;
}

/** Full correlation matrices of one level (codes in framework order). */
export interface LevelCorrelations {
  level: number;
  codes: string[];
  pearson: number[][];
  spearman: number[][];
}

/** Full matrices of one level's elements (rows) against a higher level's (columns). */
export interface CrossLevelCorrelations {
  levelA: number;
  levelB: number;
  rowCodes: string[];
  colCodes: string[];
  pearson: number[][];
  spearman: number[][];
}

/** One element against one of its ancestors (the parent, …, the index). */
export interface FamilyCorrelation {
  code: string;
  level: number;
  ancestor: string;
  ancestorLevel: number;
  /** The ancestor is the element's direct parent. */
  isParent: boolean;
  /** The ancestor is the index (the framework root). */
  isIndex: boolean;
  pearson: number;
  spearman: number;
  /** Rows with both values present. */
  n: number;
}

/** One flagged pair. For `weakParent`, `b` is the parent. */
export interface CorrelationFlag {
  kind: 'collinear' | 'negative' | 'weakParent';
  /** The parent whose children are compared (for `weakParent`: the parent itself). */
  group: string;
  level: number;
  a: string;
  b: string;
  r: number;
  method: CorrelationMethod;
  threshold: number;
}

export interface CorrelationsResult {
  /** One entry per level from 1 to the index level (the index level has one code). */
  levels: LevelCorrelations[];
  /** Every pair of levels a < b (below the index level, whose correlations are in `family`). */
  crossLevels: CrossLevelCorrelations[];
  family: FamilyCorrelation[];
  flags: CorrelationFlag[];
  thresholds: { collinear: number; negative: number; weakParent: number; method: CorrelationMethod };
}

/**
 * Correlations of a scored dataset (indicators and aggregates) with the structure of a framework:
 * per-level matrices, element–ancestor correlations and flags within sibling groups.
 * Only framework nodes present as columns take part (gaps are skipped).
 * @example
 * const b = asem.build;
 * auditCorrelations(b.results.scores, b.steps.at(-1)!.framework).flags.filter((f) => f.kind === 'collinear') // => []
 */
export function auditCorrelations(
  scores: Dataset,
  framework: Framework,
  options: CorrelationOptions = {},
): CorrelationsResult {
  const collinear = options.collinearThreshold ?? 0.9;
  const negative = options.negativeThreshold ?? 0;
  const weak = options.weakParentThreshold ?? 0.3;
  const method = options.flagMethod ?? 'pearson';
  const present = new Set(scores.codes);
  const nodes = framework.nodes.filter((nd) => present.has(nd.code));
  const byCode = new Map(framework.nodes.map((nd) => [nd.code, nd] as const));
  const maxLevel = nodes.reduce((m, nd) => Math.max(m, nd.level), 1);

  const levels: LevelCorrelations[] = [];
  for (let level = 1; level <= maxLevel; level++) {
    const codes = nodes.filter((nd) => nd.level === level).map((nd) => nd.code);
    if (!codes.length) continue;
    levels.push({
      level,
      codes,
      pearson: correlationMatrix(scores, codes, codes, 'pearson'),
      spearman: correlationMatrix(scores, codes, codes, 'spearman'),
    });
  }

  const crossLevels: CrossLevelCorrelations[] = [];
  for (const a of levels) {
    for (const b of levels) {
      if (b.level <= a.level || b.level === maxLevel) continue;
      crossLevels.push({
        levelA: a.level,
        levelB: b.level,
        rowCodes: a.codes,
        colCodes: b.codes,
        pearson: correlationMatrix(scores, a.codes, b.codes, 'pearson'),
        spearman: correlationMatrix(scores, a.codes, b.codes, 'spearman'),
      });
    }
  }

  const family: FamilyCorrelation[] = [];
  for (const nd of nodes) {
    const x = column(scores, nd.code);
    let anc: FrameworkNode | undefined = nd.parent === null ? undefined : byCode.get(nd.parent);
    while (anc) {
      if (present.has(anc.code)) {
        const y = column(scores, anc.code);
        family.push({
          code: nd.code,
          level: nd.level,
          ancestor: anc.code,
          ancestorLevel: anc.level,
          isParent: anc.code === nd.parent,
          isIndex: anc.parent === null,
          pearson: pearson(x, y),
          spearman: spearman(x, y),
          n: pairwiseCount(x, y),
        });
      }
      anc = anc.parent === null ? undefined : byCode.get(anc.parent);
    }
  }

  const flags: CorrelationFlag[] = [];
  const groups = new Map<string, FrameworkNode[]>();
  for (const nd of nodes) {
    if (nd.parent === null) continue;
    groups.set(nd.parent, [...(groups.get(nd.parent) ?? []), nd]);
  }
  for (const [parent, kids] of groups) {
    const cols = kids.map((k) => column(scores, k.code));
    for (let a = 0; a < kids.length; a++) {
      for (let b = a + 1; b < kids.length; b++) {
        const r = correlation(cols[a], cols[b], method);
        if (Number.isNaN(r)) continue;
        if (r > collinear)
          flags.push({
            kind: 'collinear',
            group: parent,
            level: kids[a].level,
            a: kids[a].code,
            b: kids[b].code,
            r,
            method,
            threshold: collinear,
          });
        if (r < negative)
          flags.push({
            kind: 'negative',
            group: parent,
            level: kids[a].level,
            a: kids[a].code,
            b: kids[b].code,
            r,
            method,
            threshold: negative,
          });
      }
    }
    if (!present.has(parent)) continue;
    const p = column(scores, parent);
    kids.forEach((k, a) => {
      const r = correlation(cols[a], p, method);
      if (!Number.isNaN(r) && r < weak)
        flags.push({
          kind: 'weakParent',
          group: parent,
          level: k.level,
          a: k.code,
          b: parent,
          r,
          method,
          threshold: weak,
        });
    });
  }
  return { levels, crossLevels, family, flags, thresholds: { collinear, negative, weakParent: weak, method } };
}
