/**
 * Principal components of each group of siblings, for the audit (COINr 1.1.14 `get_PCA`, R/PCA.R:
 * `prcomp(center = TRUE, scale. = TRUE)` on the group's complete rows). The eigenvalues of the
 * correlation matrix give the variance explained; `rotation` holds unit eigenvectors (prcomp's
 * `rotation`) and `loadings` the correlations of each element with each component (eigenvector ×
 * √eigenvalue). Component signs are arbitrary in PCA; here each component is oriented so that its
 * rotation sums to ≥ 0. A group whose first component explains most of the variance is statistically
 * coherent (OECD/JRC Handbook 2008, Part 1 §4).
 */
import { EVD, Matrix } from 'ml-matrix';
import { CityIndexError } from '../../core/errors.ts';
import { column, type Dataset } from '../../core/dataset.ts';
import type { Framework } from '../../core/framework.ts';
import { mean, sd } from '../../stats/descriptive.ts';

export interface PcaSummary {
  /** Eigenvalues of the correlation matrix, descending (they sum to k). */
  eigenvalues: number[];
  /** Share of the total variance per component (eigenvalue / k); sums to 1. */
  varianceExplained: number[];
  /** Running sum of `varianceExplained`. */
  cumulativeVariance: number[];
  /** `rotation[j][c]`: unit eigenvector c, element j (prcomp `rotation`). */
  rotation: number[][];
  /** `loadings[j][c]` = rotation × √eigenvalue: the correlation of element j with component c. */
  loadings: number[][];
  /** Complete rows used. */
  nUsed: number;
}

/**
 * PCA of k columns on their complete rows via the correlation matrix. Needs ≥ 2 columns, ≥ 3 complete
 * rows and no constant column (errors name the column).
 * @example
 * pcaSummary([[1, 2, 3, 4], [2, 4, 6, 8.5]], ['a', 'b']).varianceExplained[0]
 * // => 0.99919… ((1 + r) / 2, r = 0.99838…)
 */
export function pcaSummary(columns: ReadonlyArray<ArrayLike<number>>, codes: readonly string[]): PcaSummary {
  const k = columns.length;
  if (k < 2)
    throw new CityIndexError({
      code: 'E_PCA_SIZE',
      message: `PCA needs at least 2 columns, got ${k}`,
      indicator: codes.join(', '),
      expected: '≥ 2 columns',
    });
  const m = columns[0].length;
  const rows: number[] = [];
  for (let i = 0; i < m; i++) if (columns.every((c) => !Number.isNaN(c[i]))) rows.push(i);
  if (rows.length < 3)
    throw new CityIndexError({
      code: 'E_PCA_ROWS',
      message: `PCA of ${codes.join(', ')}: only ${rows.length} complete rows`,
      indicator: codes.join(', '),
      expected: '≥ 3 units with every value present',
    });
  const z = columns.map((c, j) => {
    const x = Float64Array.from(rows, (i) => c[i]);
    const mu = mean(x);
    const s = sd(x);
    if (!(s > 0))
      throw new CityIndexError({
        code: 'E_PCA_CONSTANT',
        message: `PCA: "${codes[j]}" is constant over the ${rows.length} complete rows`,
        indicator: codes[j],
        expected: 'a column with variation',
      });
    for (let t = 0; t < x.length; t++) x[t] = (x[t] - mu) / s;
    return x;
  });
  const R = new Matrix(k, k);
  for (let a = 0; a < k; a++) {
    for (let b = a; b < k; b++) {
      let s = 0;
      for (let t = 0; t < rows.length; t++) s += z[a][t] * z[b][t];
      const r = a === b ? 1 : s / (rows.length - 1);
      R.set(a, b, r);
      R.set(b, a, r);
    }
  }
  const evd = new EVD(R, { assumeSymmetric: true });
  const values = evd.realEigenvalues;
  const vectors = evd.eigenvectorMatrix;
  const order = values.map((_, c) => c).sort((p, q) => values[q] - values[p]);
  const eigenvalues = order.map((c) => Math.max(values[c], 0));
  const total = eigenvalues.reduce((p, q) => p + q, 0);
  const varianceExplained = eigenvalues.map((v) => v / total);
  const cumulativeVariance: number[] = [];
  varianceExplained.reduce((acc, v) => {
    cumulativeVariance.push(acc + v);
    return acc + v;
  }, 0);
  const rotation = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  order.forEach((c, cc) => {
    let sum = 0;
    for (let j = 0; j < k; j++) sum += vectors.get(j, c);
    const sign = sum < 0 ? -1 : 1;
    for (let j = 0; j < k; j++) rotation[j][cc] = sign * vectors.get(j, c);
  });
  const loadings = rotation.map((row) => row.map((v, cc) => v * Math.sqrt(eigenvalues[cc])));
  return { eigenvalues, varianceExplained, cumulativeVariance, rotation, loadings, nUsed: rows.length };
}

export interface GroupPca extends PcaSummary {
  group: string;
  level: number;
  codes: string[];
}

/** A group that could not be analysed (too few complete rows, a constant column). */
export interface GroupPcaSkipped {
  group: string;
  codes: string[];
  reason: string;
}

/**
 * PCA of the children of every aggregate with at least two children present in `scores`.
 * @example
 * const b = asem.build;
 * groupPca(b.results.scores, b.steps.at(-1)!.framework).groups[0].varianceExplained[0] // => 0.36265746… (Physical)
 */
export function groupPca(scores: Dataset, framework: Framework): { groups: GroupPca[]; skipped: GroupPcaSkipped[] } {
  const present = new Set(scores.codes);
  const groups: GroupPca[] = [];
  const skipped: GroupPcaSkipped[] = [];
  for (const parent of framework.nodes) {
    if (parent.kind !== 'aggregate') continue;
    const kids = framework.nodes.filter((nd) => nd.parent === parent.code && present.has(nd.code));
    if (kids.length < 2) continue;
    const codes = kids.map((k) => k.code);
    try {
      groups.push({
        group: parent.code,
        level: kids[0].level,
        codes,
        ...pcaSummary(
          codes.map((c) => column(scores, c)),
          codes,
        ),
      });
    } catch (e) {
      if (!(e instanceof CityIndexError)) throw e;
      skipped.push({ group: parent.code, codes, reason: e.message });
    }
  }
  return { groups, skipped };
}
