/** Test helper: a row-major table (units × indicators) as a column-major Float64Array. */
export function colMajor(rows: readonly (readonly number[])[]): { X: Float64Array; m: number; n: number } {
  const m = rows.length;
  const n = rows[0].length;
  const X = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) X[j * m + i] = rows[i][j];
  return { X, m, n };
}

/** Xu (2004) EJOR 156(2):530–532 decision matrix, as used in pyrepo-mcda tests. */
export const XU_2004 = [[30, 30, 38, 29], [19, 54, 86, 29], [19, 15, 85, 28.9], [68, 70, 60, 29]];
