/**
 * Geary's C (Geary 1954; Cliff & Ord 1981) with esda's result grid. C < 1: positive autocorrelation.
 * METHODS.md §4.5; reference implementation esda `Geary`.
 */
import { globalPermutationTest, resolvePermutations, type PermutationOptions } from './inference.ts';
import { globalSetup } from './moran.ts';
import { normalSf } from './normal.ts';
import type { SpatialWeights, WeightsTransform } from './weights.ts';

/** Options of `geary`. */
export interface GearyOptions extends PermutationOptions {
  /** Transformation applied to W first; default `row` (esda default). */
  transformation?: WeightsTransform;
  /**
   * Double the analytic p-values. Default false: esda's `Geary` reports one-tailed p-values (towards the sign
   * of C − 1).
   */
  twoTailed?: boolean;
  keepSimulations?: boolean;
}

/** Permutation inference of Geary's C (esda names). */
export interface GearyPermutation {
  R: number;
  seed: number;
  p_sim: number;
  EC_sim: number;
  VC_sim: number;
  seC_sim: number;
  z_sim: number;
  p_z_sim: number;
  sim?: Float64Array;
}

/** Result of `geary` (esda `Geary` attribute names). */
export interface GearyResult {
  n: number;
  C: number;
  EC: number;
  VC_norm: number;
  seC_norm: number;
  z_norm: number;
  p_norm: number;
  VC_rand: number;
  seC_rand: number;
  z_rand: number;
  p_rand: number;
  twoTailed: boolean;
  transformation: WeightsTransform;
  weights: string;
  S0: number;
  S1: number;
  S2: number;
  permutation?: GearyPermutation;
}

function gearyNumerator(w: SpatialWeights, y: ArrayLike<number>): number {
  const { offsets, neighbors, weights } = w;
  let s = 0;
  for (let i = 0; i < offsets.length - 1; i++) {
    const yi = y[i];
    for (let p = offsets[i]; p < offsets[i + 1]; p++) {
      const d = yi - y[neighbors[p]];
      s += weights[p] * d * d;
    }
  }
  return s;
}

/**
 * Geary's C = (n − 1)·ΣΣ w_ij (y_i − y_j)² / (2·S0·Σz²), E[C] = 1, Var_N = ((2S1 + S2)(n−1) − 4S0²)/(2(n+1)S0²),
 * Var_R as esda (Cliff & Ord 1981 eq. 1.39), plus an optional permutation test.
 * @example
 * geary(pysal.book.y, pysal.book.w, { permutations: 0 }).C // => 0.33301083591331254 (esda test_geary.py, book lattice)
 */
export function geary(y: ArrayLike<number>, w: SpatialWeights, options: GearyOptions = {}): GearyResult {
  const transformation = options.transformation ?? 'row';
  const twoTailed = options.twoTailed ?? false;
  const { wt, z, n, S0, S1, S2, z2, z4 } = globalSetup(y, w, transformation, "Geary's C");
  const scale = (n - 1) / (2 * S0 * z2);
  const C = scale * gearyNumerator(wt, z);
  const n2 = n * n;
  const S02 = S0 * S0;
  const k = z4 / n / ((z2 / n) * (z2 / n));
  const A = (n - 1) * S1 * (n2 - 3 * n + 3 - (n - 1) * k);
  const B = 0.25 * ((n - 1) * S2 * (n2 + 3 * n - 6 - (n2 - n + 2) * k));
  const Cc = S02 * (n2 - 3 - (n - 1) * (n - 1) * k);
  const VC_rand = (A - B + Cc) / (n * (n - 2) * (n - 3) * S02);
  const VC_norm = ((2 * S1 + S2) * (n - 1) - 4 * S02) / (2 * (n + 1) * S02);
  const seC_norm = Math.sqrt(VC_norm);
  const seC_rand = Math.sqrt(VC_rand);
  const z_norm = (C - 1) / seC_norm;
  const z_rand = (C - 1) / seC_rand;
  const tails = twoTailed ? 2 : 1;
  const result: GearyResult = {
    n,
    C,
    EC: 1,
    VC_norm,
    seC_norm,
    z_norm,
    p_norm: Math.min(1, tails * normalSf(Math.abs(z_norm))),
    VC_rand,
    seC_rand,
    z_rand,
    p_rand: Math.min(1, tails * normalSf(Math.abs(z_rand))),
    twoTailed,
    transformation,
    weights: w.description,
    S0,
    S1,
    S2,
  };
  const perm = resolvePermutations(options);
  if (perm) {
    const sim = globalPermutationTest(
      C,
      z,
      (v) => scale * gearyNumerator(wt, v),
      perm.R,
      perm.rng,
      options.keepSimulations,
    );
    result.permutation = {
      R: sim.R,
      seed: sim.seed,
      p_sim: sim.p_sim,
      EC_sim: sim.mean,
      VC_sim: sim.variance,
      seC_sim: Math.sqrt(sim.variance),
      z_sim: sim.z_sim,
      p_z_sim: sim.p_z_sim,
      ...(sim.sim ? { sim: sim.sim } : {}),
    };
  }
  return result;
}
