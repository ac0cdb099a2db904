/**
 * A small dense simplex solver for `max cᵀx  s.t.  A x ≤ b, x ≥ 0` with b ≥ 0 (so the origin is a
 * feasible basis and no phase 1 is needed) — enough for Benefit-of-the-Doubt LPs. Condensed (Tucker)
 * tableau with Jordan exchange, (m+1)×(n+1) numbers, so an LP with many constraints and few variables
 * (m units × n components) stays cheap (Dantzig 1963; Chvátal 1983, ch. 2). Bland's rule (smallest
 * index entering and leaving) so it cannot cycle on degenerate problems. No dependency.
 */
import { CityIndexError } from '../../core/errors.ts';

export interface SimplexResult {
  status: 'optimal' | 'unbounded';
  /** Optimal objective value (Infinity when unbounded). */
  value: number;
  /** Optimal x (length n). */
  x: Float64Array;
  iterations: number;
}

/**
 * Solve `max cᵀx s.t. A x ≤ b, x ≥ 0` for b ≥ 0. `A` is m×n row-major (`A[i*n + j]`).
 * @example simplexMax([3, 5], [1, 0, 0, 2, 3, 2], [4, 12, 18], 3, 2).value // => 36  (x = [2, 6])
 */
export function simplexMax(
  c: ArrayLike<number>,
  A: ArrayLike<number>,
  b: ArrayLike<number>,
  m: number,
  n: number,
  maxIterations = 50 * (m + n) + 1000,
): SimplexResult {
  if (c.length !== n || A.length !== m * n || b.length !== m)
    throw new CityIndexError({
      code: 'E_SHAPE',
      message: `simplex: c has ${c.length}, A ${A.length}, b ${b.length} entries for ${m} constraints × ${n} variables`,
    });
  for (let i = 0; i < m; i++)
    if (!(b[i] >= 0))
      throw new CityIndexError({
        code: 'E_SIMPLEX_RHS',
        message: `simplex: right-hand side ${b[i]} of constraint ${i + 1} must be ≥ 0`,
        expected: 'b ≥ 0',
      });
  // Row i: basic_i = T[i][n] − Σ_j T[i][j]·nonbasic_j; objective row m: z = T[m][n] − Σ_j T[m][j]·nonbasic_j.
  const w = n + 1;
  const T = new Float64Array((m + 1) * w);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) T[i * w + j] = A[i * n + j];
    T[i * w + n] = b[i];
  }
  for (let j = 0; j < n; j++) T[m * w + j] = -c[j];
  const rowVar = new Int32Array(m); // basic variable of each row: slacks are n + i
  const colVar = new Int32Array(n); // non-basic variable of each column
  for (let i = 0; i < m; i++) rowVar[i] = n + i;
  for (let j = 0; j < n; j++) colVar[j] = j;
  let scale = 0;
  for (let t = 0; t < T.length; t++) scale = Math.max(scale, Math.abs(T[t]));
  const eps = 1e-12 * Math.max(1, scale);
  let it = 0;
  for (; it < maxIterations; it++) {
    let s = -1;
    for (let j = 0; j < n; j++) if (T[m * w + j] < -eps && (s < 0 || colVar[j] < colVar[s])) s = j;
    if (s < 0) break;
    let r = -1;
    let best = Infinity;
    for (let i = 0; i < m; i++) {
      const a = T[i * w + s];
      if (a <= eps) continue;
      const ratio = T[i * w + n] / a;
      if (ratio < best - eps || (ratio <= best + eps && r >= 0 && rowVar[i] < rowVar[r])) {
        best = ratio;
        r = i;
      }
    }
    if (r < 0) return { status: 'unbounded', value: Infinity, x: new Float64Array(n), iterations: it };
    const p = T[r * w + s];
    for (let i = 0; i <= m; i++) {
      if (i === r) continue;
      const f = T[i * w + s] / p;
      if (f === 0) continue;
      for (let j = 0; j <= n; j++) if (j !== s) T[i * w + j] -= f * T[r * w + j];
      T[i * w + s] = -f;
    }
    for (let j = 0; j <= n; j++) if (j !== s) T[r * w + j] /= p;
    T[r * w + s] = 1 / p;
    const v = rowVar[r];
    rowVar[r] = colVar[s];
    colVar[s] = v;
  }
  if (it >= maxIterations)
    throw new CityIndexError({
      code: 'E_SIMPLEX_ITERATIONS',
      message: `simplex: no optimum after ${maxIterations} iterations`,
    });
  const x = new Float64Array(n);
  for (let i = 0; i < m; i++) if (rowVar[i] < n) x[rowVar[i]] = Math.max(0, T[i * w + n]);
  let value = 0;
  for (let j = 0; j < n; j++) value += c[j] * x[j];
  return { status: 'optimal', value, x, iterations: it };
}
