/**
 * Global Moran's I (Moran 1950; Cliff & Ord 1981) with the esda result grid: analytic moments under
 * normality and under randomisation, and an optional permutation test. METHODS.md §4.5.
 */
import { CityIndexError, type Issue } from '../../core/errors.ts';
import { globalPermutationTest, resolvePermutations, type PermutationOptions } from './inference.ts';
import { normalSf } from './normal.ts';
import { transformWeights, weightSums, type SpatialWeights, type WeightsTransform } from './weights.ts';

/** Options of `moran`. */
export interface MoranOptions extends PermutationOptions {
  /** Transformation applied to W first (esda `transformation`); default `row`. */
  transformation?: WeightsTransform;
  /** Double the analytic p-values (esda `two_tailed`, default true). */
  twoTailed?: boolean;
  /** Keep the R simulated values in `permutation.sim` (default false). */
  keepSimulations?: boolean;
}

/** Permutation inference of Moran's I (esda names). */
export interface MoranPermutation {
  R: number;
  seed: number;
  p_sim: number;
  EI_sim: number;
  VI_sim: number;
  seI_sim: number;
  z_sim: number;
  p_z_sim: number;
  sim?: Float64Array;
}

/** Result of `moran` (esda `Moran` attribute names). */
export interface MoranResult {
  n: number;
  I: number;
  EI: number;
  VI_norm: number;
  seI_norm: number;
  z_norm: number;
  p_norm: number;
  VI_rand: number;
  seI_rand: number;
  z_rand: number;
  p_rand: number;
  twoTailed: boolean;
  transformation: WeightsTransform;
  weights: string;
  S0: number;
  S1: number;
  S2: number;
  permutation?: MoranPermutation;
}

/** Check y against W: same length, no missing values, not constant. Returns the centred copy z. */
export function centreChecked(y: ArrayLike<number>, w: SpatialWeights, what: string): Float64Array {
  const n = w.ids.length;
  if (y.length !== n)
    throw new CityIndexError({
      code: 'E_SHAPE',
      message: `${what}: ${y.length} values but the weights have ${n} units`,
      expected: `${n} values in the weights' id order`,
    });
  const issues: Issue[] = [];
  let s = 0;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(y[i]))
      issues.push({
        code: 'E_MISSING',
        message: `${what}: value of unit "${w.ids[i]}" is missing or not finite`,
        unit: w.ids[i],
        expected: 'a finite number (impute or drop the unit and rebuild the weights)',
      });
    else s += y[i];
  }
  if (issues.length) throw new CityIndexError(issues);
  if (n < 4) throw new CityIndexError({ code: 'E_TOO_FEW', message: `${what} needs at least 4 units, got ${n}` });
  const m = s / n;
  const z = new Float64Array(n);
  let ss = 0;
  for (let i = 0; i < n; i++) {
    z[i] = y[i] - m;
    ss += z[i] * z[i];
  }
  if (!(ss > 0))
    throw new CityIndexError({
      code: 'E_CONSTANT',
      message: `${what}: all values are equal, so spatial autocorrelation is undefined`,
    });
  return z;
}

/** zᵀ W z without allocation. */
export function quadraticForm(w: SpatialWeights, z: ArrayLike<number>): number {
  const { offsets, neighbors, weights } = w;
  let s = 0;
  for (let i = 0; i < offsets.length - 1; i++) {
    let lag = 0;
    for (let p = offsets[i]; p < offsets[i + 1]; p++) lag += weights[p] * z[neighbors[p]];
    s += z[i] * lag;
  }
  return s;
}

/** What Moran's I and Geary's C both start from: transformed weights, centred values, S0/S1/S2 and Σz², Σz⁴. */
export interface GlobalSetup {
  wt: SpatialWeights;
  z: Float64Array;
  n: number;
  S0: number;
  S1: number;
  S2: number;
  z2: number;
  z4: number;
}

/**
 * Shared set-up of the global statistics: transform the weights, centre y (located errors for missing
 * values), compute S0, S1, S2 (an error when S0 = 0) and the second and fourth moment sums of z.
 * @example
 * import { fromNeighborLists } from './weights.ts';
 * const lineWeights = fromNeighborLists(['a', 'b', 'c', 'd'], { a: ['b'], b: ['a', 'c'], c: ['b', 'd'], d: ['c'] });
 * globalSetup([1, 2, 3, 4], lineWeights, 'row', "Moran's I").z2 // => 5 (Σ (y − 2.5)²)
 */
export function globalSetup(
  y: ArrayLike<number>,
  w: SpatialWeights,
  transformation: WeightsTransform,
  what: string,
): GlobalSetup {
  const wt = transformWeights(w, transformation);
  const z = centreChecked(y, wt, what);
  const n = z.length;
  const { S0, S1, S2 } = weightSums(wt);
  if (!(S0 > 0))
    throw new CityIndexError({ code: 'E_NO_LINKS', message: `${what}: the weights have no links (S0 = 0)` });
  let z2 = 0;
  let z4 = 0;
  for (let i = 0; i < n; i++) {
    const q = z[i] * z[i];
    z2 += q;
    z4 += q * q;
  }
  return { wt, z, n, S0, S1, S2, z2, z4 };
}

/**
 * Global Moran's I: I = (n/S0)·zᵀWz/zᵀz with E[I] = −1/(n−1), variance under normality and under
 * randomisation (Cliff & Ord 1981), esda's p-values (one-tailed towards the sign of z, doubled when
 * `twoTailed`), and a permutation test with the folded pseudo p-value. Reference: esda `Moran`.
 * @example
 * moran(pysal.stl.y, pysal.stl.w, { permutations: 0 }).I
 * // => 0.24365582621771659 (esda test_moran.py, St Louis HR8893)
 */
export function moran(y: ArrayLike<number>, w: SpatialWeights, options: MoranOptions = {}): MoranResult {
  const transformation = options.transformation ?? 'row';
  const twoTailed = options.twoTailed ?? true;
  const { wt, z, n, S0, S1, S2, z2, z4 } = globalSetup(y, w, transformation, "Moran's I");
  const scale = n / (S0 * z2);
  const I = scale * quadraticForm(wt, z);
  const EI = -1 / (n - 1);
  const n2 = n * n;
  const S02 = S0 * S0;
  const VI_norm = (n2 * S1 - n * S2 + 3 * S02) / ((n2 - 1) * S02) - EI * EI;
  const b2 = (n * z4) / (z2 * z2);
  const A = n * ((n2 - 3 * n + 3) * S1 - n * S2 + 3 * S02);
  const B = b2 * ((n2 - n) * S1 - 2 * n * S2 + 6 * S02);
  const VI_rand = (A - B) / ((n - 1) * (n - 2) * (n - 3) * S02) - EI * EI;
  const seI_norm = Math.sqrt(VI_norm);
  const seI_rand = Math.sqrt(VI_rand);
  const z_norm = (I - EI) / seI_norm;
  const z_rand = (I - EI) / seI_rand;
  const tails = twoTailed ? 2 : 1;
  const result: MoranResult = {
    n,
    I,
    EI,
    VI_norm,
    seI_norm,
    z_norm,
    p_norm: Math.min(1, tails * normalSf(Math.abs(z_norm))),
    VI_rand,
    seI_rand,
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
      I,
      z,
      (v) => scale * quadraticForm(wt, v),
      perm.R,
      perm.rng,
      options.keepSimulations,
    );
    result.permutation = {
      R: sim.R,
      seed: sim.seed,
      p_sim: sim.p_sim,
      EI_sim: sim.mean,
      VI_sim: sim.variance,
      seI_sim: Math.sqrt(sim.variance),
      z_sim: sim.z_sim,
      p_z_sim: sim.p_z_sim,
      ...(sim.sim ? { sim: sim.sim } : {}),
    };
  }
  return result;
}
