/**
 * Variance-based sensitivity indices from a Saltelli design (Saltelli et al. 2010, "Variance based
 * sensitivity analysis of model output", Comput. Phys. Commun. 181:259–270), exactly as COINr 1.1.14
 * `SA_estimate` (R/sensitivity.R):
 *   varY = var(c(yA, yB))   (sample variance, n − 1)
 *   Si   = mean(yB·(yABi − yA)) / varY                  (Saltelli 2010, table 2 (b))
 *   STi  = Σ (yA − yABi)² / (2N·varY)                    (Jansen 1999, table 2 (f))
 * Optional bootstrap: resample the N rows with replacement and report the 5 % and 95 % quantiles.
 */
import { CityIndexError } from '../../core/errors.ts';
import type { Rng } from '../../core/rng.ts';
import { quantileSorted } from '../../stats/descriptive.ts';
import { sobolPoints } from './sobol.ts';

/** Sensitivity indices of one input. */
export interface SobolIndex {
  /** First-order index (main effect). */
  Si: number;
  /** Total-order index (main effect plus all interactions). */
  STi: number;
  /** Bootstrap 5 % and 95 % quantiles, when a bootstrap was asked for. */
  SiInterval?: [number, number];
  STiInterval?: [number, number];
}

export interface SobolIndices {
  indices: SobolIndex[];
  /** Variance of the output over the A and B runs. */
  varY: number;
  /** Base rows used (rows with a failed run in any of their d + 2 runs are left out). */
  nUsed: number;
  /** Bootstrap replicates used (0 = none). */
  bootstrap: number;
}

/**
 * The Saltelli design as uniform inputs: rows `A (N), B (N), A_B^(1) (N), …, A_B^(d) (N)` → N(d + 2)
 * rows × d columns, row-major. A and B are the first and last d columns of the 2d-dimensional Sobol'
 * sequence (origin skipped); A_B^(i) is A with column i taken from B (COINr `SA_sample`, which uses
 * pseudo-random numbers instead).
 * @example saltelliSample(1, 1) // => Float64Array [0.5, 0.5, 0.5]  (A, B, A_B^(1))
 */
export function saltelliSample(N: number, d: number): Float64Array {
  const base = sobolPoints(N, 2 * d);
  return saltelliFromBase(base, N, d);
}

/**
 * Saltelli rows from N × 2d base points (A = first d columns, B = last d), row-major.
 * @example saltelliFromBase(Float64Array.from([0.1, 0.9]), 1, 1) // => Float64Array [0.1, 0.9, 0.9]
 */
export function saltelliFromBase(base: Float64Array, N: number, d: number): Float64Array {
  const out = new Float64Array(N * (d + 2) * d);
  for (let r = 0; r < N; r++) {
    for (let j = 0; j < d; j++) {
      const a = base[r * 2 * d + j];
      const b = base[r * 2 * d + d + j];
      out[r * d + j] = a;
      out[(N + r) * d + j] = b;
      for (let i = 0; i < d; i++) out[((2 + i) * N + r) * d + j] = j === i ? b : a;
    }
  }
  return out;
}

/**
 * First-order and total Sobol' indices from the N(d + 2) outputs of a Saltelli design (order as
 * `saltelliSample`). Rows whose A, B or any A_B^(i) output is NaN (a failed run) are dropped from
 * every estimate. When the output does not vary at all (varY = 0) every index is 0.
 * An input whose runs reproduce A exactly gets Si = STi = 0 exactly.
 * @example
 * // Y = X1 + 2·X2: S1 = 1/5, S2 = 4/5
 * const N = 4096;
 * const x = saltelliSample(N, 2);
 * const y = Array.from({ length: N * 4 }, (_, k) => x[2 * k] + 2 * x[2 * k + 1]);
 * sobolIndices(y, N, 2).indices.map((s) => s.Si) // => [0.201…, 0.801…]
 */
export function sobolIndices(
  y: ArrayLike<number>,
  N: number,
  d: number,
  options: { bootstrap?: number; rng?: Rng; confidence?: number } = {},
): SobolIndices {
  if (y.length !== N * (d + 2)) {
    throw new CityIndexError({
      code: 'E_SA_SHAPE',
      message: `sensitivity: ${y.length} outputs, expected N(d + 2) = ${N * (d + 2)}`,
      expected: 'the outputs of a Saltelli design',
    });
  }
  const rows: number[] = [];
  for (let r = 0; r < N; r++) {
    let ok = !Number.isNaN(y[r]) && !Number.isNaN(y[N + r]);
    for (let i = 0; ok && i < d; i++) if (Number.isNaN(y[(2 + i) * N + r])) ok = false;
    if (ok) rows.push(r);
  }
  const point = estimate(y, N, d, Int32Array.from(rows));
  const nBoot = options.bootstrap ?? 0;
  const result: SobolIndices = { indices: point.indices, varY: point.varY, nUsed: rows.length, bootstrap: 0 };
  if (nBoot > 0 && rows.length > 1) {
    if (!options.rng)
      throw new CityIndexError({
        code: 'E_SA_RNG',
        message: 'sensitivity: a bootstrap needs a seeded generator',
        field: 'rng',
      });
    const rng = options.rng;
    const si = new Float64Array(nBoot * d);
    const sti = new Float64Array(nBoot * d);
    const pick = new Int32Array(rows.length);
    for (let b = 0; b < nBoot; b++) {
      for (let k = 0; k < rows.length; k++) pick[k] = rows[rng.int(rows.length)];
      const e = estimate(y, N, d, pick);
      for (let i = 0; i < d; i++) {
        si[i * nBoot + b] = e.indices[i].Si;
        sti[i * nBoot + b] = e.indices[i].STi;
      }
    }
    const conf = options.confidence ?? 0.9;
    const lo = (1 - conf) / 2;
    const hi = 1 - lo;
    for (let i = 0; i < d; i++) {
      const s = si.slice(i * nBoot, (i + 1) * nBoot).sort();
      const t = sti.slice(i * nBoot, (i + 1) * nBoot).sort();
      result.indices[i].SiInterval = [quantileSorted(s, lo), quantileSorted(s, hi)];
      result.indices[i].STiInterval = [quantileSorted(t, lo), quantileSorted(t, hi)];
    }
    result.bootstrap = nBoot;
  }
  return result;
}

function estimate(
  y: ArrayLike<number>,
  N: number,
  d: number,
  rows: Int32Array,
): { indices: SobolIndex[]; varY: number } {
  const n = rows.length;
  if (n === 0) return { indices: Array.from({ length: d }, () => ({ Si: NaN, STi: NaN })), varY: NaN };
  // var(c(yA, yB)) with n − 1
  let s = 0;
  for (let k = 0; k < n; k++) s += y[rows[k]] + y[N + rows[k]];
  const m = s / (2 * n);
  let ss = 0;
  for (let k = 0; k < n; k++) {
    const a = y[rows[k]] - m;
    const b = y[N + rows[k]] - m;
    ss += a * a + b * b;
  }
  const varY = 2 * n > 1 ? ss / (2 * n - 1) : NaN;
  const indices: SobolIndex[] = [];
  for (let i = 0; i < d; i++) {
    let first = 0;
    let total = 0;
    for (let k = 0; k < n; k++) {
      const r = rows[k];
      const yA = y[r];
      const yB = y[N + r];
      const yAB = y[(2 + i) * N + r];
      first += yB * (yAB - yA);
      total += (yA - yAB) * (yA - yAB);
    }
    if (varY === 0) indices.push({ Si: 0, STi: 0 });
    else indices.push({ Si: first / n / varY, STi: total / (2 * n * varY) });
  }
  return { indices, varY };
}
