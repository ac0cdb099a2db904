/**
 * A small dense simplex solver for `max cᵀx  s.t.  A x ≤ b, x ≥ 0` with b ≥ 0 (so the origin is a
 * feasible basis and no phase 1 is needed) — enough for Benefit-of-the-Doubt LPs. Tableau method
 * (Dantzig 1963; Chvátal 1983, ch. 2) with Bland's rule (smallest index entering and leaving) so it
 * cannot cycle on degenerate problems. No dependency, allocation only at the start.
 */
import { CityIndexError } from '../core/errors.ts';

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
export function simplexMax(c: ArrayLike<number>, A: ArrayLike<number>, b: ArrayLike<number>, m: number, n: number, maxIterations = 50 * (m + n) + 1000): SimplexResult {
  if (c.length !== n || A.length !== m * n || b.length !== m) throw new CityIndexError({ code: 'E_SHAPE', message: `simplex: c has ${c.length}, A ${A.length}, b ${b.length} entries for ${m} constraints × ${n} variables` });
  for (let i = 0; i < m; i++) if (!(b[i] >= 0)) throw new CityIndexError({ code: 'E_SIMPLEX_RHS', message: `simplex: right-hand side ${b[i]} of constraint ${i + 1} must be ≥ 0`, expected: 'b ≥ 0' });
  const cols = n + m + 1; // variables, slacks, rhs
  const T = new Float64Array((m + 1) * cols); // rows 0..m-1 constraints, row m objective (reduced costs, minimised form)
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) T[i * cols + j] = A[i * n + j];
    T[i * cols + n + i] = 1;
    T[i * cols + cols - 1] = b[i];
  }
  for (let j = 0; j < n; j++) T[m * cols + j] = -c[j];
  const basis = new Int32Array(m);
  for (let i = 0; i < m; i++) basis[i] = n + i;
  let scale = 0;
  for (let t = 0; t < T.length; t++) scale = Math.max(scale, Math.abs(T[t]));
  const eps = 1e-12 * Math.max(1, scale);
  let it = 0;
  for (; it < maxIterations; it++) {
    let enter = -1;
    for (let j = 0; j < n + m; j++) if (T[m * cols + j] < -eps) { enter = j; break; }
    if (enter < 0) break;
    let leave = -1;
    let best = Infinity;
    for (let i = 0; i < m; i++) {
      const a = T[i * cols + enter];
      if (a > eps) {
        const r = T[i * cols + cols - 1] / a;
        if (r < best - eps || (Math.abs(r - best) <= eps && leave >= 0 && basis[i] < basis[leave])) { best = r; leave = i; }
      }
    }
    if (leave < 0) return { status: 'unbounded', value: Infinity, x: new Float64Array(n), iterations: it };
    const p = T[leave * cols + enter];
    for (let j = 0; j < cols; j++) T[leave * cols + j] /= p;
    for (let i = 0; i <= m; i++) {
      if (i === leave) continue;
      const f = T[i * cols + enter];
      if (f === 0) continue;
      for (let j = 0; j < cols; j++) T[i * cols + j] -= f * T[leave * cols + j];
    }
    basis[leave] = enter;
  }
  if (it >= maxIterations) throw new CityIndexError({ code: 'E_SIMPLEX_ITERATIONS', message: `simplex: no optimum after ${maxIterations} iterations` });
  const x = new Float64Array(n);
  for (let i = 0; i < m; i++) if (basis[i] < n) x[basis[i]] = Math.max(0, T[i * cols + cols - 1]);
  let value = 0;
  for (let j = 0; j < n; j++) value += c[j] * x[j];
  return { status: 'optimal', value, x, iterations: it };
}
