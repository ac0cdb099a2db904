/**
 * Cronbach's alpha of each group of siblings (Cronbach 1951, Psychometrika 16:297–334), as COINr
 * 1.1.14 `get_cronbach` (R/correlations.R): covariance matrix with pairwise-complete observations
 * (R `cov(use = "pairwise.complete.obs")`), α = k²·mean(off-diagonal cov)/sum(cov), which is the
 * standard α = k/(k−1)·(1 − Σvar/Σcov). The survey module's `cronbachAlpha` drops incomplete rows
 * (listwise, as `psych::alpha`); this one keeps COINr's pairwise covariances.
 */
import { column, type Dataset } from '../../core/dataset.ts';
import type { Framework } from '../../core/framework.ts';

/**
 * Covariance of two columns over the rows where both are present (n − 1 denominator; NaN below 2 rows).
 * @example pairwiseCovariance([1, 2, 3, NaN], [1, 3, 5, 9]) // => 2
 */
export function pairwiseCovariance(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let n = 0,
    sx = 0,
    sy = 0;
  for (let i = 0; i < x.length; i++)
    if (!Number.isNaN(x[i]) && !Number.isNaN(y[i])) {
      n++;
      sx += x[i];
      sy += y[i];
    }
  if (n < 2) return NaN;
  const mx = sx / n,
    my = sy / n;
  let s = 0;
  for (let i = 0; i < x.length; i++) if (!Number.isNaN(x[i]) && !Number.isNaN(y[i])) s += (x[i] - mx) * (y[i] - my);
  return s / (n - 1);
}

/**
 * Cronbach's alpha of k columns (COINr `get_cronbach`): k²·σ̄_offdiag / Σσ over the pairwise covariance
 * matrix (NaN entries skipped in the sums, as `sum(na.rm = TRUE)`). NaN for fewer than 2 columns.
 * @example
 * cronbachAlphaPairwise([[1, 2, 3, 4], [2, 3, 3, 5], [1, 3, 2, 4]]) // => 0.9570552147…  (worked in cronbach.test.ts)
 */
export function cronbachAlphaPairwise(columns: ReadonlyArray<ArrayLike<number>>): number {
  const k = columns.length;
  if (k < 2) return NaN;
  let all = 0;
  let diag = 0;
  for (let a = 0; a < k; a++) {
    for (let b = a; b < k; b++) {
      const c = pairwiseCovariance(columns[a], columns[b]);
      if (Number.isNaN(c)) continue;
      if (a === b) {
        diag += c;
        all += c;
      } else all += 2 * c;
    }
  }
  const meanOffDiagonal = (all - diag) / (k * (k - 1));
  return (k * k * meanOffDiagonal) / all;
}

export interface GroupCronbach {
  /** The parent whose children are the items. */
  group: string;
  /** Level of the items. */
  level: number;
  codes: string[];
  k: number;
  alpha: number;
}

/**
 * Cronbach's alpha of the children of every aggregate that has at least two children in `scores`.
 * @example
 * const b = asem.build;
 * groupCronbach(b.results.scores, b.steps.at(-1)!.framework).find((g) => g.group === 'Physical')!.alpha // => 0.66336…
 */
export function groupCronbach(scores: Dataset, framework: Framework): GroupCronbach[] {
  const present = new Set(scores.codes);
  const out: GroupCronbach[] = [];
  for (const parent of framework.nodes) {
    if (parent.kind !== 'aggregate') continue;
    const kids = framework.nodes.filter((nd) => nd.parent === parent.code && present.has(nd.code));
    if (kids.length < 2) continue;
    const codes = kids.map((k) => k.code);
    out.push({
      group: parent.code,
      level: kids[0].level,
      codes,
      k: codes.length,
      alpha: cronbachAlphaPairwise(codes.map((c) => column(scores, c))),
    });
  }
  return out;
}
