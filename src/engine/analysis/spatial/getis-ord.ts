/**
 * Local Getis–Ord statistics for hot and cold spots: Gi* (the unit itself included, w_ii > 0; the
 * default) and Gi (itself excluded). Getis & Ord (1992), Geogr. Anal. 24:189–206; Ord & Getis (1995),
 * Geogr. Anal. 27:286–306; esda `G_Local`. METHODS.md §4.5.
 *
 * z-scores use Ord & Getis's general variance, which holds for any weights. For binary weights it equals
 * esda's exactly; esda's row-standardised variant uses a binary-weights variance, so its `R` z-scores
 * differ from ours (ours do not change when a row is rescaled, which is the correct behaviour).
 */
import { CityIndexError } from '../../core/errors.ts';
import {
  adjustPValues,
  checkAlpha,
  conditionalPermutationTest,
  resolvePermutations,
  type PermutationOptions,
  type PValueAdjustment,
} from './inference.ts';
import { normalSf } from './normal.ts';
import { transformWeights, type SpatialWeights, type WeightsTransform } from './weights.ts';

/** Options of `getisOrd`. */
export interface GetisOrdOptions extends PermutationOptions {
  /** Gi* (true, default: w_ii included) or Gi (false). */
  star?: boolean;
  /**
   * Default `binary`. With `row`, each row including the self-weight is divided by its sum (z-scores do not change).
   */
  transformation?: WeightsTransform;
  /** w_ii for Gi*; default 1 for binary weights, otherwise the row's largest weight (esda). */
  selfWeight?: number;
  /** Significance level for the hot/cold labels; default 0.05. */
  alpha?: number;
  /** Adjustment of the p-values before comparing with α; default `none`. */
  adjust?: PValueAdjustment;
}

/** Hot spot (significant, z > 0), cold spot (significant, z < 0), or not significant. */
export type HotSpotLabel = 'hot' | 'cold' | 'ns';

/** Result of `getisOrd` (esda `G_Local` names). */
export interface GetisOrdResult {
  n: number;
  ids: readonly string[];
  star: boolean;
  /** G_i = Σ_j w_ij y_j / Σ_j y_j (sums include j = i for Gi*, exclude it for Gi). Meaningful for positive y. */
  Gs: Float64Array;
  /** Standardised Ord–Getis z-scores. */
  Zs: Float64Array;
  /** One-tailed normal p-values of |Z| (esda). */
  p_norm: Float64Array;
  transformation: WeightsTransform;
  weights: string;
  /** Units without neighbours: Gi z is set to 0 (undefined), Gi* z is the unit's own standardised value. */
  islands: string[];
  permutation?: {
    R: number;
    seed: number;
    p_sim: Float64Array;
    EG_sim: Float64Array;
    VG_sim: Float64Array;
    z_sim: Float64Array;
    p_z_sim: Float64Array;
  };
  /** Labels from p_sim when permutations ran, otherwise from p_norm. */
  significance: {
    alpha: number;
    adjust: PValueAdjustment;
    pSource: 'p_sim' | 'p_norm';
    p_adjusted: Float64Array;
    labels: HotSpotLabel[];
    counts: Record<HotSpotLabel, number>;
  };
}

/**
 * Gi* (or Gi) for every unit:
 * G*_i z = (Σ_j w_ij y_j − ȳ·W_i) / (S·√[(n·Σ_j w_ij² − W_i²)/(n − 1)]), W_i = Σ_j w_ij, S² = Σy²/n − ȳ²,
 * sums over all j including i. Gi uses the same form over j ≠ i with n − 1 units. Optional conditional
 * permutation test as esda (`_g_local_star_crand`).
 * @example
 * import { distanceBandWeights } from './weights.ts';
 * const points = [[10, 10], [20, 10], [40, 10], [15, 20], [30, 20], [30, 30]] as const;
 * const band15 = distanceBandWeights(['a', 'b', 'c', 'd', 'e', 'f'], points, { threshold: 15, metric: 'euclidean' });
 * getisOrd([2, 3, 3.2, 5, 8, 7], band15, { permutations: 0 }).Zs[0] // => -1.39727626… (esda test_getisord.py, star)
 */
export function getisOrd(y: ArrayLike<number>, w: SpatialWeights, options: GetisOrdOptions = {}): GetisOrdResult {
  const star = options.star ?? true;
  const transformation = options.transformation ?? 'binary';
  const alpha = options.alpha ?? 0.05;
  const adjust = options.adjust ?? 'none';
  checkAlpha(alpha);
  const n = w.ids.length;
  if (y.length !== n)
    throw new CityIndexError({
      code: 'E_SHAPE',
      message: `Getis–Ord: ${y.length} values but the weights have ${n} units`,
    });
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(y[i]))
      throw new CityIndexError({
        code: 'E_MISSING',
        message: `Getis–Ord: value of unit "${w.ids[i]}" is missing or not finite`,
        unit: w.ids[i],
      });
  }
  if (n < 3) throw new CityIndexError({ code: 'E_TOO_FEW', message: `Getis–Ord needs at least 3 units, got ${n}` });
  const base = transformWeights(
    w,
    transformation === 'binary' ? 'binary' : transformation === 'row' ? 'original' : transformation,
  );
  const { offsets, neighbors } = base;
  const wv = Float64Array.from(base.weights);
  const self = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (star) {
      let mx = 0;
      for (let p = offsets[i]; p < offsets[i + 1]; p++) if (wv[p] > mx) mx = wv[p];
      const sw = options.selfWeight ?? (transformation === 'binary' ? 1 : mx > 0 ? mx : 1);
      if (!(sw > 0))
        throw new CityIndexError({
          code: 'E_OPTION',
          message: `Getis–Ord: selfWeight ${sw} must be positive for Gi*`,
          field: 'selfWeight',
        });
      self[i] = sw;
    }
    if (transformation === 'row') {
      let s = self[i];
      for (let p = offsets[i]; p < offsets[i + 1]; p++) s += wv[p];
      if (s > 0) {
        for (let p = offsets[i]; p < offsets[i + 1]; p++) wv[p] /= s;
        self[i] /= s;
      }
    }
  }
  const wt: SpatialWeights = { ...base, weights: wv, transform: transformation };

  let sy = 0;
  let sy2 = 0;
  for (let i = 0; i < n; i++) {
    sy += y[i];
    sy2 += y[i] * y[i];
  }
  const Gs = new Float64Array(n);
  const Zs = new Float64Array(n);
  const p_norm = new Float64Array(n);
  const islands: string[] = [];
  for (let i = 0; i < n; i++) {
    let lag = 0;
    let Wi = self[i];
    let W2 = self[i] * self[i];
    for (let p = offsets[i]; p < offsets[i + 1]; p++) {
      const v = wv[p];
      lag += v * y[neighbors[p]];
      Wi += v;
      W2 += v * v;
    }
    if (offsets[i + 1] === offsets[i]) islands.push(w.ids[i]);
    const N = star ? n : n - 1;
    const total = star ? sy : sy - y[i];
    const mean = total / N;
    const S2 = (star ? sy2 : sy2 - y[i] * y[i]) / N - mean * mean;
    const num = lag + self[i] * y[i] - mean * Wi;
    const varTerm = (N * W2 - Wi * Wi) / (N - 1);
    Gs[i] = (lag + self[i] * y[i]) / total;
    if (!(S2 > 0))
      throw new CityIndexError({
        code: 'E_CONSTANT',
        message: `Getis–Ord: the values${star ? '' : ` other than unit "${w.ids[i]}"`} are all equal`,
      });
    Zs[i] = varTerm > 0 ? num / (Math.sqrt(S2) * Math.sqrt(varTerm)) : 0;
    p_norm[i] = normalSf(Math.abs(Zs[i]));
  }

  const result: GetisOrdResult = {
    n,
    ids: w.ids,
    star,
    Gs,
    Zs,
    p_norm,
    transformation,
    weights: w.description,
    islands,
    significance: hotSpotLabels(Zs, p_norm, alpha, adjust, 'p_norm'),
  };
  const perm = resolvePermutations(options);
  if (perm) {
    const sim = conditionalPermutationTest(
      wt,
      y,
      Gs,
      star ? (i, lag) => (lag + self[i] * y[i]) / sy : (i, lag) => lag / (sy - y[i]),
      perm.R,
      perm.rng,
    );
    result.permutation = {
      R: sim.R,
      seed: sim.seed,
      p_sim: sim.p_sim,
      EG_sim: sim.mean,
      VG_sim: sim.variance,
      z_sim: sim.z_sim,
      p_z_sim: sim.p_z_sim,
    };
    result.significance = hotSpotLabels(Zs, sim.p_sim, alpha, adjust, 'p_sim');
  }
  return result;
}

function hotSpotLabels(
  Zs: Float64Array,
  p: Float64Array,
  alpha: number,
  adjust: PValueAdjustment,
  pSource: 'p_sim' | 'p_norm',
): GetisOrdResult['significance'] {
  const p_adjusted = adjustPValues(p, adjust);
  const counts: Record<HotSpotLabel, number> = { hot: 0, cold: 0, ns: 0 };
  const labels = Array.from(Zs, (z, i): HotSpotLabel => {
    const label: HotSpotLabel = p_adjusted[i] <= alpha && z !== 0 ? (z > 0 ? 'hot' : 'cold') : 'ns';
    counts[label]++;
    return label;
  });
  return { alpha, adjust, pSource, p_adjusted, labels, counts };
}
