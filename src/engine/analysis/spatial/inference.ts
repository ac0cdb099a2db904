/**
 * Permutation inference shared by every spatial statistic (as esda's `crand` module): a global
 * permutation test (shuffle all values), a conditional permutation test for local statistics (hold
 * y_i, draw its k_i neighbours at random from the other n − 1 units), the esda "folded" pseudo p-value,
 * and multiple-testing adjustments (Benjamini–Hochberg FDR, Bonferroni).
 * Randomness comes from a seeded `Rng` passed in (no global randomness); the seed is recorded in every result.
 * The loops allocate nothing: one shuffle buffer and one index pool are reused for all permutations.
 */
import { CityIndexError } from '../../core/errors.ts';
import { createRng, type Rng } from '../../core/rng.ts';
import { normalSf } from './normal.ts';
import type { SpatialWeights } from './weights.ts';

/** Default number of permutations (esda `PERMUTATIONS = 999`). */
export const DEFAULT_PERMUTATIONS = 999;
/** Default seed when neither `seed` nor `rng` is given (esda's test seed). */
export const DEFAULT_SEED = 12345;

/** Permutation options shared by all statistics. */
export interface PermutationOptions {
  /** Number of random permutations R; 0 switches permutation inference off. Default 999. */
  permutations?: number;
  /** Seed for `createRng`; default 12345. Ignored when `rng` is given. */
  seed?: number;
  /** A generator to draw from (its `seed` is recorded). */
  rng?: Rng;
}

/** Validated permutation settings, or null when R = 0. */
export function resolvePermutations(options: PermutationOptions): { R: number; rng: Rng } | null {
  const R = options.permutations ?? DEFAULT_PERMUTATIONS;
  if (!Number.isInteger(R) || R < 0) {
    throw new CityIndexError({
      code: 'E_OPTION',
      message: `permutations = ${R} must be a whole number ≥ 0`,
      field: 'permutations',
    });
  }
  if (R === 0) return null;
  return { R, rng: options.rng ?? createRng(options.seed ?? DEFAULT_SEED) };
}

/**
 * esda's folded pseudo p-value: with `larger` = #{simulated ≥ observed}, take the smaller tail
 * M = min(larger, R − larger) and return (M + 1)/(R + 1). It lies in [1/(R+1), 1] (at most about ½+).
 * @example foldedPseudoP(0, 999) // => 0.001
 */
export function foldedPseudoP(larger: number, R: number): number {
  const m = R - larger < larger ? R - larger : larger;
  return (m + 1) / (R + 1);
}

/** Summary of a simulated distribution (population sd, as numpy `std`). */
export interface SimulationSummary {
  R: number;
  seed: number;
  /** Folded pseudo p-value (M + 1)/(R + 1). */
  p_sim: number;
  /** Mean of the simulated statistics. */
  mean: number;
  /** Variance of the simulated statistics (divisor R). */
  variance: number;
  /** (observed − mean)/sd. */
  z_sim: number;
  /** One-tailed normal p-value of |z_sim|. */
  p_z_sim: number;
  /** The simulated statistics, when `keepSimulations` was asked for. */
  sim?: Float64Array;
}

/**
 * Global permutation test: shuffle `values` (a private copy) R times with Fisher–Yates and evaluate
 * `statistic` on each permutation. `statistic` receives the shuffled buffer (do not keep it).
 * @example
 * import { createRng } from '../../core/rng.ts';
 * // no permutation reaches the observed value: p_sim = (0 + 1) / (999 + 1)
 * globalPermutationTest(1, [1, 2, 3], () => 0, 999, createRng(1)).p_sim // => 0.001
 */
export function globalPermutationTest(
  observed: number,
  values: ArrayLike<number>,
  statistic: (permuted: Float64Array) => number,
  R: number,
  rng: Rng,
  keepSimulations = false,
): SimulationSummary {
  const n = values.length;
  const buf = Float64Array.from(values);
  const sim = keepSimulations ? new Float64Array(R) : undefined;
  let larger = 0;
  let s = 0;
  let ss = 0;
  for (let r = 0; r < R; r++) {
    for (let i = n - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      const t = buf[i];
      buf[i] = buf[j];
      buf[j] = t;
    }
    const v = statistic(buf);
    if (v >= observed) larger++;
    s += v;
    ss += v * v;
    if (sim) sim[r] = v;
  }
  const mean = s / R;
  const variance = Math.max(0, ss / R - mean * mean);
  const sd = Math.sqrt(variance);
  const z = sd > 0 ? (observed - mean) / sd : 0;
  const out: SimulationSummary = {
    R,
    seed: rng.seed,
    p_sim: foldedPseudoP(larger, R),
    mean,
    variance,
    z_sim: z,
    p_z_sim: normalSf(Math.abs(z)),
  };
  if (sim) out.sim = sim;
  return out;
}

/** Per-unit results of a conditional permutation test. */
export interface LocalSimulationSummary {
  R: number;
  seed: number;
  p_sim: Float64Array;
  mean: Float64Array;
  variance: Float64Array;
  z_sim: Float64Array;
  p_z_sim: Float64Array;
}

/**
 * Conditional permutation test for a local statistic (Anselin 1995; esda `crand`): for each unit i,
 * hold y_i and draw its k_i neighbour values without replacement from the other n − 1 units, R times;
 * the random lag Σ_t w_i,t · values[drawn_t] (weights in row order) is passed to `statistic(i, lag)`.
 * Islands (k_i = 0) get p_sim = 1, z_sim = 0, p_z_sim = 0.5 (no evidence either way).
 * @example
 * import { createRng } from '../../core/rng.ts';
 * import { fromNeighborLists } from './weights.ts';
 * const w = fromNeighborLists(['a', 'b', 'c'], { a: ['b'], b: ['a', 'c'], c: ['b'] });
 * conditionalPermutationTest(w, [1, 2, 3], [1, 1, 1], () => 0, 99, createRng(1)).p_sim // => [0.01, 0.01, 0.01]
 */
export function conditionalPermutationTest(
  w: SpatialWeights,
  values: ArrayLike<number>,
  observed: ArrayLike<number>,
  statistic: (i: number, randomLag: number) => number,
  R: number,
  rng: Rng,
): LocalSimulationSummary {
  const n = w.ids.length;
  const { offsets, weights } = w;
  const p_sim = new Float64Array(n);
  const mean = new Float64Array(n);
  const variance = new Float64Array(n);
  const z_sim = new Float64Array(n);
  const p_z_sim = new Float64Array(n);
  // pool: a permutation of 0..n−1; pos: where each index sits. Unit i is moved to the last slot,
  // so pool[0 .. n−2] are the candidates; a partial Fisher–Yates over them draws k_i without replacement.
  const pool = new Int32Array(n);
  const pos = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    pool[i] = i;
    pos[i] = i;
  }
  const last = n - 1;
  for (let i = 0; i < n; i++) {
    const start = offsets[i];
    const k = offsets[i + 1] - start;
    if (k === 0) {
      p_sim[i] = 1;
      mean[i] = observed[i];
      p_z_sim[i] = 0.5;
      continue;
    }
    const pi = pos[i];
    const other = pool[last];
    pool[pi] = other;
    pos[other] = pi;
    pool[last] = i;
    pos[i] = last;
    const obs = observed[i];
    let larger = 0;
    let s = 0;
    let ss = 0;
    for (let r = 0; r < R; r++) {
      let lag = 0;
      for (let t = 0; t < k; t++) {
        const u = t + rng.int(last - t);
        const a = pool[t];
        const b = pool[u];
        pool[t] = b;
        pos[b] = t;
        pool[u] = a;
        pos[a] = u;
        lag += weights[start + t] * values[b];
      }
      const v = statistic(i, lag);
      if (v >= obs) larger++;
      s += v;
      ss += v * v;
    }
    const m = s / R;
    const vr = Math.max(0, ss / R - m * m);
    const sd = Math.sqrt(vr);
    mean[i] = m;
    variance[i] = vr;
    p_sim[i] = foldedPseudoP(larger, R);
    z_sim[i] = sd > 0 ? (obs - m) / sd : 0;
    p_z_sim[i] = normalSf(Math.abs(z_sim[i]));
  }
  return { R, seed: rng.seed, p_sim, mean, variance, z_sim, p_z_sim };
}

/** Multiple-testing adjustment of local p-values. */
export type PValueAdjustment = 'none' | 'fdr' | 'bonferroni';

/**
 * Adjust p-values: `fdr` = Benjamini–Hochberg (1995) step-up q-values q_(i) = min_{j ≥ i} m p_(j)/j;
 * `bonferroni` = min(1, m p); `none` = unchanged. A unit is significant when its adjusted p ≤ α
 * (for `fdr` this is exactly BH's rule "reject the k* smallest, k* = max{k : p_(k) ≤ kα/m}"). NaN p-values
 * are not counted in m and stay NaN.
 * @example adjustPValues([0.01, 0.04, 0.03], 'fdr') // => Float64Array [0.03, 0.04, 0.04]
 */
export function adjustPValues(p: ArrayLike<number>, method: PValueAdjustment): Float64Array {
  const n = p.length;
  const out = Float64Array.from(p);
  const idx: number[] = [];
  for (let i = 0; i < n; i++) if (!Number.isNaN(p[i])) idx.push(i);
  const m = idx.length;
  switch (method) {
    case 'none':
      return out;
    case 'bonferroni':
      for (const i of idx) out[i] = Math.min(1, p[i] * m);
      return out;
    case 'fdr': {
      idx.sort((a, b) => p[a] - p[b] || a - b);
      let running = 1;
      for (let r = m - 1; r >= 0; r--) {
        const i = idx[r];
        running = Math.min(running, (p[i] * m) / (r + 1));
        out[i] = running;
      }
      return out;
    }
    default:
      throw new CityIndexError({
        code: 'E_METHOD',
        message: `unknown p-value adjustment "${String(method)}"`,
        expected: 'none | fdr | bonferroni',
      });
  }
}

/** Check a significance level. */
export function checkAlpha(alpha: number): void {
  if (!(alpha > 0 && alpha < 1))
    throw new CityIndexError({ code: 'E_OPTION', message: `alpha = ${alpha} must be between 0 and 1`, field: 'alpha' });
}
