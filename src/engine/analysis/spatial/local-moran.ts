/**
 * Local Moran's I (LISA; Anselin 1995, Geographical Analysis 27:93–115) with esda's conventions:
 * the (n − 1) scaling by default, Moran-scatterplot quadrants 1 HH, 2 LH, 3 LL, 4 HL, conditional
 * permutation inference, and cluster labels at a significance level with optional FDR/Bonferroni
 * adjustment. METHODS.md §4.5; reference implementation esda `Moran_Local`.
 */
import {
  adjustPValues,
  checkAlpha,
  conditionalPermutationTest,
  resolvePermutations,
  type PermutationOptions,
  type PValueAdjustment,
} from './inference.ts';
import { centreChecked } from './moran.ts';
import { spatialLag, transformWeights, type SpatialWeights, type WeightsTransform } from './weights.ts';
import { CityIndexError } from '../../core/errors.ts';
import { normalSf } from './normal.ts';

/**
 * Scaling of the local statistic: `n-1` (esda: Is_i = (n − 1)·z_i·(Wz)_i/Σz_k²) or `n`
 * (Anselin's 1995 form with m2 = Σz²/n: Is_i = n·z_i·(Wz)_i/Σz_k², whose mean equals the global I
 * when W is row-standardised without islands).
 */
export type LisaConvention = 'n-1' | 'n';

/** 1 HH (high, high neighbours), 2 LH, 3 LL, 4 HL; 0 = island (no neighbours). */
export type LisaQuadrant = 0 | 1 | 2 | 3 | 4;

/** Cluster label: a quadrant when significant, `ns` when not significant, `island` without neighbours. */
export type LisaLabel = 'HH' | 'LH' | 'LL' | 'HL' | 'ns' | 'island';

/** Display names (esda `get_cluster_labels`). */
export const LISA_LABEL_NAMES: Readonly<Record<LisaLabel, { en: string; zh: string }>> = {
  HH: { en: 'High-High', zh: '高-高' },
  LH: { en: 'Low-High', zh: '低-高' },
  LL: { en: 'Low-Low', zh: '低-低' },
  HL: { en: 'High-Low', zh: '高-低' },
  ns: { en: 'Insignificant', zh: '不显著' },
  island: { en: 'No neighbours', zh: '无邻居' },
};

const QUADRANT_LABEL: readonly LisaLabel[] = ['island', 'HH', 'LH', 'LL', 'HL'];

/** Options of `localMoran`. */
export interface LocalMoranOptions extends PermutationOptions {
  /** Default `row` (esda default). */
  transformation?: WeightsTransform;
  /** Default `n-1` (esda). */
  convention?: LisaConvention;
  /** Significance level for the cluster labels; default 0.05. */
  alpha?: number;
  /** Adjustment of the permutation p-values before comparing with α; default `none` (esda's default map). */
  adjust?: PValueAdjustment;
}

/** Conditional-permutation inference (esda names; one entry per unit). */
export interface LocalMoranPermutation {
  R: number;
  seed: number;
  p_sim: Float64Array;
  EI_sim: Float64Array;
  VI_sim: Float64Array;
  seI_sim: Float64Array;
  z_sim: Float64Array;
  p_z_sim: Float64Array;
}

/** Significance of each unit and its cluster label. */
export interface LisaSignificance {
  alpha: number;
  adjust: PValueAdjustment;
  /** p_sim after the adjustment. */
  p_adjusted: Float64Array;
  /** 1 when p_adjusted ≤ α. */
  significant: Uint8Array;
  labels: LisaLabel[];
  /** Count of each label. */
  counts: Record<LisaLabel, number>;
}

/**
 * Analytic moments of the local I (Sokal, Oden & Thomson 1998, Geogr. Anal. 30:331–354; Anselin 1995).
 * Total randomisation (all n values permuted): E = −W_i/(n−1),
 * Var = W_i(2)(n − b2)/(n−1) + (W_i² − W_i(2))(2b2 − n)/((n−1)(n−2)) − W_i²/(n−1)², b2 = m4/m2² (m_k = Σz^k/n).
 * Conditional randomisation (y_i held, eqs. A7–A8): E = −z_i²W_i/((n−1)m2),
 * Var = (z_i/m2)²·n/(n−2)·(W_i(2) − W_i²/(n−1))·(m2 − z_i²/(n−1)).
 * These are for Anselin's form I_i = z_i(Wz)_i/m2 and are multiplied by (n−1)/n (variances by its square)
 * under the `n-1` convention, so they always describe `Is`. W_i = Σ_j w_ij, W_i(2) = Σ_j w_ij².
 * p-values are one-tailed normal tails of |z| (as esda `p_z_sim`).
 */
export interface LocalMoranMoments {
  EI: Float64Array;
  VI: Float64Array;
  z_rand: Float64Array;
  p_rand: Float64Array;
  EIc: Float64Array;
  VIc: Float64Array;
  z_cond: Float64Array;
  p_cond: Float64Array;
}

/** Result of `localMoran`. */
export interface LocalMoranResult {
  n: number;
  ids: readonly string[];
  /** Local statistics. */
  Is: Float64Array;
  /** Quadrant of each unit in the Moran scatterplot. */
  q: Int8Array;
  /** Standardised values (y − ȳ)/sd, population sd (esda `z`). */
  z: Float64Array;
  /** Spatial lag of z (the y axis of the Moran scatterplot). */
  lag: Float64Array;
  convention: LisaConvention;
  /** A sentence stating the formula used, for reports. */
  formula: string;
  transformation: WeightsTransform;
  weights: string;
  /** Ids of units without neighbours (their Is is 0, quadrant 0, p_sim 1). */
  islands: string[];
  /** Analytic moments of Is (scaled to the chosen convention); no permutations needed. */
  moments: LocalMoranMoments;
  permutation?: LocalMoranPermutation;
  /** Present when permutations were run. */
  significance?: LisaSignificance;
}

/**
 * Local Moran's I for each unit: Is_i = c·z_i·(Wz)_i / Σ_k z_k² with c = n − 1 (default, esda) or n
 * (`convention: 'n'`), quadrants, conditional permutation p-values (folded, esda), and labels at α.
 * @example
 * localMoran(pysal.desmith.y, pysal.desmith.w, { permutations: 0 }).Is[0]
 * // => -0.11409277… (esda Moran_Local, desmith)
 */
export function localMoran(y: ArrayLike<number>, w: SpatialWeights, options: LocalMoranOptions = {}): LocalMoranResult {
  const transformation = options.transformation ?? 'row';
  const convention = options.convention ?? 'n-1';
  const alpha = options.alpha ?? 0.05;
  const adjust = options.adjust ?? 'none';
  checkAlpha(alpha);
  const wt = transformWeights(w, transformation);
  const zc = centreChecked(y, wt, "local Moran's I");
  const n = zc.length;
  let c: number;
  switch (convention) {
    case 'n-1':
      c = n - 1;
      break;
    case 'n':
      c = n;
      break;
    default:
      throw new CityIndexError({
        code: 'E_METHOD',
        message: `unknown LISA convention "${String(convention)}"`,
        expected: "'n-1' | 'n'",
      });
  }
  let ss = 0;
  for (let i = 0; i < n; i++) ss += zc[i] * zc[i];
  const sd = Math.sqrt(ss / n);
  const z = new Float64Array(n);
  for (let i = 0; i < n; i++) z[i] = zc[i] / sd;
  const lag = spatialLag(wt, z);
  // with z standardised, Σz² = n, so Is_i = (c/n)·z_i·lag_i
  const factor = c / n;
  const Is = new Float64Array(n);
  const q = new Int8Array(n);
  const islands: string[] = [];
  for (let i = 0; i < n; i++) {
    Is[i] = factor * z[i] * lag[i];
    if (wt.offsets[i + 1] === wt.offsets[i]) {
      q[i] = 0;
      islands.push(wt.ids[i]);
      continue;
    }
    const high = z[i] > 0;
    const highLag = lag[i] > 0;
    q[i] = high ? (highLag ? 1 : 4) : highLag ? 2 : 3;
  }
  const moments = localMoments(wt, z, Is, factor);
  const result: LocalMoranResult = {
    n,
    ids: wt.ids,
    Is,
    q,
    z,
    lag,
    convention,
    moments,
    formula:
      `Is_i = ${convention === 'n-1' ? '(n − 1)' : 'n'}·z_i·Σ_j w_ij z_j / Σ_k z_k² (z = y − ȳ; ` +
      (convention === 'n-1'
        ? 'esda convention'
        : 'Anselin 1995 convention, mean of Is = global I for row-standardised W') +
      ')',
    transformation,
    weights: w.description,
    islands,
  };
  const perm = resolvePermutations(options);
  if (perm) {
    const sim = conditionalPermutationTest(wt, z, Is, (i, randomLag) => factor * z[i] * randomLag, perm.R, perm.rng);
    const seI = new Float64Array(n);
    for (let i = 0; i < n; i++) seI[i] = Math.sqrt(sim.variance[i]);
    result.permutation = {
      R: sim.R,
      seed: sim.seed,
      p_sim: sim.p_sim,
      EI_sim: sim.mean,
      VI_sim: sim.variance,
      seI_sim: seI,
      z_sim: sim.z_sim,
      p_z_sim: sim.p_z_sim,
    };
    result.significance = lisaSignificance(q, sim.p_sim, alpha, adjust);
  }
  return result;
}

/**
 * Cluster labels from quadrants and p-values: significant units (adjusted p ≤ α) get their quadrant's
 * label, others `ns`, islands `island` (esda `get_cluster_labels`, plus FDR/Bonferroni).
 * @example lisaSignificance(Int8Array.of(1, 3), Float64Array.of(0.01, 0.2), 0.05, 'none').labels // => ['HH', 'ns']
 */
export function lisaSignificance(
  q: Int8Array,
  p: Float64Array,
  alpha: number,
  adjust: PValueAdjustment,
): LisaSignificance {
  checkAlpha(alpha);
  const n = q.length;
  const p_adjusted = adjustPValues(p, adjust);
  const significant = new Uint8Array(n);
  const labels: LisaLabel[] = new Array<LisaLabel>(n);
  const counts: Record<LisaLabel, number> = { HH: 0, LH: 0, LL: 0, HL: 0, ns: 0, island: 0 };
  for (let i = 0; i < n; i++) {
    if (q[i] === 0) {
      labels[i] = 'island';
      counts.island++;
      continue;
    }
    significant[i] = p_adjusted[i] <= alpha ? 1 : 0;
    const label = significant[i] ? QUADRANT_LABEL[q[i]] : 'ns';
    labels[i] = label;
    counts[label]++;
  }
  return { alpha, adjust, p_adjusted, significant, labels, counts };
}

/** Analytic moments (see `LocalMoranMoments`); z is standardised, so m2 = 1 and I_i(Anselin) = z_i·lag_i. */
function localMoments(w: SpatialWeights, z: Float64Array, Is: Float64Array, factor: number): LocalMoranMoments {
  const n = z.length;
  let m4 = 0;
  for (let i = 0; i < n; i++) m4 += z[i] ** 4;
  const b2 = m4 / n; // m2 = 1
  const out: LocalMoranMoments = {
    EI: new Float64Array(n),
    VI: new Float64Array(n),
    z_rand: new Float64Array(n),
    p_rand: new Float64Array(n),
    EIc: new Float64Array(n),
    VIc: new Float64Array(n),
    z_cond: new Float64Array(n),
    p_cond: new Float64Array(n),
  };
  const f2 = factor * factor;
  for (let i = 0; i < n; i++) {
    let wi = 0;
    let wi2 = 0;
    for (let p = w.offsets[i]; p < w.offsets[i + 1]; p++) {
      wi += w.weights[p];
      wi2 += w.weights[p] * w.weights[p];
    }
    const zi2 = z[i] * z[i];
    const EI = -wi / (n - 1);
    const VI = (wi2 * (n - b2)) / (n - 1) + ((wi * wi - wi2) * (2 * b2 - n)) / ((n - 1) * (n - 2)) - EI * EI;
    const EIc = -(zi2 * wi) / (n - 1);
    const VIc = zi2 * (n / (n - 2)) * (wi2 - (wi * wi) / (n - 1)) * (1 - zi2 / (n - 1));
    out.EI[i] = factor * EI;
    out.VI[i] = f2 * VI;
    out.EIc[i] = factor * EIc;
    out.VIc[i] = f2 * VIc;
    // islands (and z_i = 0 for the conditional moments) have zero variance: z = 0, p = 0.5
    out.z_rand[i] = out.VI[i] > 0 ? (Is[i] - out.EI[i]) / Math.sqrt(out.VI[i]) : 0;
    out.z_cond[i] = out.VIc[i] > 0 ? (Is[i] - out.EIc[i]) / Math.sqrt(out.VIc[i]) : 0;
    out.p_rand[i] = normalSf(Math.abs(out.z_rand[i]));
    out.p_cond[i] = normalSf(Math.abs(out.z_cond[i]));
  }
  return out;
}
