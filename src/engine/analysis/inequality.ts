/**
 * Regional inequality kernels (METHODS §4.4): coefficient of variation (population, sample,
 * population-weighted), Gini, Theil T with between/within decomposition (equal or population weights)
 * and Dagum's Gini decomposition G = G_w + G_nb + G_t. Conventions follow PySAL `inequality`
 * (Gini and Theil reproduce its tests on the Mexico data to 1e-8; see tests/golden/pysal-inequality.test.ts).
 *
 * Inputs are incomes or scores ≥ 0 with a positive total; a negative or missing value is a located
 * `CityIndexError` naming the unit, never a silent NaN.
 */
import { CityIndexError } from '../core/errors.ts';
import { partitionGroups, unitName, type GroupLabel } from './groups.ts';

type Num = ArrayLike<number>;

/** Options shared by the inequality kernels. */
export interface InequalityOptions {
  /** Unit codes in value order, used to name units in error messages. */
  codes?: readonly string[];
}

// ---------------------------------------------------------------- validation

/** Check values are finite and ≥ 0 with a positive sum; returns them as a Float64Array (a copy). */
function checkIncomes(y: Num, what: string, codes?: readonly string[]): Float64Array {
  const n = y.length;
  if (n === 0)
    throw new CityIndexError({
      code: 'E_EMPTY',
      message: `${what} needs at least one value`,
      expected: 'a non-empty array',
    });
  if (codes && codes.length !== n)
    throw new CityIndexError({
      code: 'E_SHAPE',
      message: `${what}: ${codes.length} codes for ${n} values`,
      field: 'codes',
    });
  const out = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const v = y[i];
    if (!Number.isFinite(v)) {
      throw new CityIndexError({
        code: 'E_MISSING',
        message: `${what}: value of unit ${unitName(i, codes)} is ${String(v)}`,
        unit: codes?.[i],
        expected: 'a finite number (impute or drop missing units first)',
      });
    }
    if (v < 0) {
      throw new CityIndexError({
        code: 'E_NEGATIVE',
        message: `${what}: value of unit ${unitName(i, codes)} is negative (${v})`,
        unit: codes?.[i],
        expected: 'a value ≥ 0 (income-like data; rescale scores first, e.g. min–max)',
      });
    }
    out[i] = v;
    sum += v;
  }
  if (!(sum > 0))
    throw new CityIndexError({
      code: 'E_ZERO_TOTAL',
      message: `${what}: all values are zero`,
      expected: 'a positive total',
    });
  return out;
}

function checkWeights(w: Num, n: number, what: string, codes?: readonly string[]): Float64Array {
  if (w.length !== n)
    throw new CityIndexError({
      code: 'E_SHAPE',
      message: `${what}: ${w.length} weights for ${n} values`,
      field: 'weights',
    });
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = w[i];
    if (!Number.isFinite(v) || v <= 0) {
      throw new CityIndexError({
        code: 'E_WEIGHT',
        message: `${what}: weight of unit ${unitName(i, codes)} is ${String(v)}`,
        field: 'weights',
        unit: codes?.[i],
        expected: 'a finite weight > 0 (e.g. population; drop units with no population)',
      });
    }
    out[i] = v;
  }
  return out;
}

// ---------------------------------------------------------------- CV

export interface CvOptions extends InequalityOptions {
  /** Population sd (divide by n, default) or sample sd (n − 1). Ignored when `weights` are given. */
  population?: boolean;
  /** Population weights: CV_w = σ_w/μ_w with μ_w = Σwy/Σw, σ²_w = Σw(y − μ_w)²/Σw (Williamson 1965). */
  weights?: Num;
}

/**
 * Coefficient of variation σ/μ (METHODS §4.4). Values may be any sign but the (weighted) mean must be positive.
 * Reference: Williamson (1965) for the population-weighted form.
 * @example coefficientOfVariation([2, 4, 4, 4, 5, 5, 7, 9]) // => 0.4 (sd 2, mean 5)
 * @example coefficientOfVariation([1, 3], { weights: [3, 1] }) // => 0.5773502691896257 (μ_w 1.5, σ_w √0.75)
 */
export function coefficientOfVariation(y: Num, options: CvOptions = {}): number {
  const { population = true, weights, codes } = options;
  const n = y.length;
  if (n === 0)
    throw new CityIndexError({ code: 'E_EMPTY', message: 'coefficientOfVariation needs at least one value' });
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(y[i]))
      throw new CityIndexError({
        code: 'E_MISSING',
        message: `coefficientOfVariation: value of unit ${unitName(i, codes)} is ${String(y[i])}`,
        unit: codes?.[i],
        expected: 'a finite number',
      });
  }
  const w = weights ? checkWeights(weights, n, 'coefficientOfVariation', codes) : null;
  let sw = 0,
    swy = 0;
  for (let i = 0; i < n; i++) {
    const wi = w ? w[i] : 1;
    sw += wi;
    swy += wi * y[i];
  }
  const mu = swy / sw;
  if (!(mu > 0))
    throw new CityIndexError({
      code: 'E_MEAN_NONPOSITIVE',
      message: `coefficientOfVariation: the mean is ${mu}`,
      expected: 'a positive mean',
    });
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const d = y[i] - mu;
    ss += (w ? w[i] : 1) * d * d;
  }
  const denom = w ? sw : population ? n : n - 1;
  if (denom <= 0)
    throw new CityIndexError({
      code: 'E_TOO_FEW',
      message: 'coefficientOfVariation: the sample sd needs at least two values',
    });
  return Math.sqrt(ss / denom) / mu;
}

// ---------------------------------------------------------------- Gini

/** Σ_i Σ_j |y_i − y_j| over ordered pairs, from ascending values: 2 Σ_i (2i − n − 1) y_(i) (i 1-based). */
function sumAbsDiffSorted(s: Num): number {
  const n = s.length;
  let acc = 0;
  for (let i = 0; i < n; i++) acc += (2 * (i + 1) - n - 1) * s[i];
  return 2 * acc;
}

/**
 * Gini coefficient G = ΣΣ|y_i − y_j|/(2m²μ), computed as (2Σ i·y_(i))/(mΣy) − (m+1)/m on sorted values.
 * Reference: PySAL `inequality.gini.Gini` (test: Mexico 1940, G = 0.35372371173452849).
 * @example gini([1, 2, 3, 4, 6]) // => 0.3 (ΣΣ|diff| = 48 over ordered pairs; 48/(2·25·3.2))
 */
export function gini(y: Num, options: InequalityOptions = {}): number {
  const v = checkIncomes(y, 'gini', options.codes).sort();
  const m = v.length;
  let sum = 0,
    wsum = 0;
  for (let i = 0; i < m; i++) {
    sum += v[i];
    wsum += (i + 1) * v[i];
  }
  return (2 * wsum) / (m * sum) - (m + 1) / m;
}

// ---------------------------------------------------------------- Theil

export interface TheilOptions extends InequalityOptions {
  /** Group label per unit for the between/within decomposition (single membership; null = the ungrouped group). */
  groups?: readonly GroupLabel[];
  /** Declared group order (every declared group must have units). Default: order of first appearance. */
  groupOrder?: readonly string[];
  /** Population weights; default equal weights (1/m), as PySAL `Theil`/`TheilD`. */
  weights?: Num;
}

export interface TheilGroup {
  group: string;
  n: number;
  /** Population share p_g (n_g/m with equal weights). */
  populationShare: number;
  /** Income share s_g. */
  share: number;
  /** Group mean (weighted by population when weights are given). */
  mean: number;
  /** Theil T inside the group. */
  T: number;
  /** s_g·T_g: the group's part of the within term. */
  withinContribution: number;
}

export interface TheilResult {
  /** Theil T = Σ s_i ln(s_i/p_i). */
  T: number;
  /** Between-group term T_B = Σ_g s_g ln(s_g/p_g) (0 without groups). */
  between: number;
  /** Within-group term T_W = Σ_g s_g T_g (= T without groups). */
  within: number;
  /** Between share T_B/T (0 when T = 0). */
  betweenShare: number;
  /** Per-group detail in group order (empty without groups). */
  groups: TheilGroup[];
  weighted: boolean;
}

/**
 * Theil's T index with its exact between/within decomposition T = T_B + T_W (Theil 1967; Shorrocks 1980,
 * Econometrica 48:613–625). With population weights p_i, s_i = p_i y_i/Σ p y and T = Σ s_i ln(s_i/p_i).
 * Zero incomes contribute 0 (the limit of s ln s). A group whose incomes are all zero has T_g = 0.
 * Reference: PySAL `inequality.theil.Theil`, `TheilD` (tests on Mexico 1940…2000).
 * @example
 * theil([1, 1, 2, 4]).T // => 0.17328679513998632 = ln 2 / 4: μ = 2, (1/m)Σ(y/μ)ln(y/μ) = (2·0.5 ln 0.5 + 0 + 2 ln 2)/4
 */
export function theil(y: Num, options: TheilOptions = {}): TheilResult {
  const { codes, groups, groupOrder, weights } = options;
  const v = checkIncomes(y, 'theil', codes);
  const n = v.length;
  const w = weights ? checkWeights(weights, n, 'theil', codes) : new Float64Array(n).fill(1);
  let sw = 0,
    swy = 0;
  for (let i = 0; i < n; i++) {
    sw += w[i];
    swy += w[i] * v[i];
  }
  const mu = swy / sw;
  const T = theilAbout(v, w, mu, null, swy);
  if (!groups) return { T, between: 0, within: T, betweenShare: 0, groups: [], weighted: Boolean(weights) };

  const part = partitionGroups(groups, n, { order: groupOrder, codes, field: 'groups' });
  let between = 0,
    within = 0;
  const detail: TheilGroup[] = part.labels.map((label, g) => {
    const m = part.members[g];
    let pw = 0,
      py = 0;
    for (const i of m) {
      pw += w[i];
      py += w[i] * v[i];
    }
    const popShare = pw / sw;
    const share = py / swy;
    const muG = py / pw;
    const Tg = py > 0 ? theilAbout(v, w, muG, m, py) : 0;
    if (share > 0) between += share * Math.log(share / popShare);
    within += share * Tg;
    return {
      group: label,
      n: m.length,
      populationShare: popShare,
      share,
      mean: muG,
      T: Tg,
      withinContribution: share * Tg,
    };
  });
  return { T, between, within, betweenShare: T > 0 ? between / T : 0, groups: detail, weighted: Boolean(weights) };
}

/** Σ_i (w_i y_i / total) ln(y_i/μ) over `idx` (all units when null). */
function theilAbout(v: Float64Array, w: Float64Array, mu: number, idx: Int32Array | null, total: number): number {
  let t = 0;
  const len = idx ? idx.length : v.length;
  for (let k = 0; k < len; k++) {
    const i = idx ? idx[k] : k;
    if (v[i] > 0) t += ((w[i] * v[i]) / total) * Math.log(v[i] / mu);
  }
  return t;
}

// ---------------------------------------------------------------- Dagum

export interface DagumGroup {
  group: string;
  n: number;
  mean: number;
  /** p_j = n_j/n. */
  populationShare: number;
  /** s_j = n_j μ_j/(n μ). */
  incomeShare: number;
  /** Within-group Gini G_jj. */
  G: number;
  /** G_jj p_j s_j: the group's part of G_w. */
  contribution: number;
}

export interface DagumPair {
  /** The group with the higher mean (μ_j ≥ μ_h). */
  high: string;
  low: string;
  /** Between-group Gini G_jh = ΣΣ|y_ji − y_hr|/(n_j n_h (μ_j + μ_h)). */
  G: number;
  /** Relative economic affluence D_jh = (d_jh − p_jh)/(d_jh + p_jh) ∈ [0, 1] (0 when the groups coincide). */
  D: number;
  /** G_jh (p_j s_h + p_h s_j) D_jh: part of G_nb. */
  netContribution: number;
  /** G_jh (p_j s_h + p_h s_j)(1 − D_jh): part of G_t. */
  transvariationContribution: number;
}

export interface DagumResult {
  /** Overall Gini (equals `gini(y)`). */
  G: number;
  /** Within-group contribution G_w. */
  Gw: number;
  /** Net between-group contribution G_nb. */
  Gnb: number;
  /** Transvariation (overlap) contribution G_t. */
  Gt: number;
  /** Shares of G: { within: G_w/G, netBetween: G_nb/G, transvariation: G_t/G } (0 when G = 0). */
  shares: { within: number; netBetween: number; transvariation: number };
  /** Groups ordered by mean, highest first (the order the pairs use). */
  withinByGroup: DagumGroup[];
  /** All pairs j > h in that order. */
  betweenPairs: DagumPair[];
}

/**
 * Dagum's (1997, Empirical Economics 22:515–531) decomposition of the Gini coefficient by subgroups:
 * G = G_w + G_nb + G_t (within, net between, transvariation). Formulas in METHODS §4.4. Groups are ordered
 * by mean (highest first); pair sums use sorted prefix sums, O(n log n) overall. Because
 * Σ(y_ji − y_hr)⁺ − Σ(y_hr − y_ji)⁺ = n_h Σy_j − n_j Σy_h, D_jh = that difference / ΣΣ|y_ji − y_hr|.
 * @example
 * dagum([2, 4, 3, 7], ['A', 'A', 'B', 'B'])
 * // => { G: 0.25, Gw: 0.09375, Gnb: 0.125, Gt: 0.03125, … } (worked in inequality.test.ts)
 */
export function dagum(
  y: Num,
  groups: readonly GroupLabel[],
  options: InequalityOptions & { groupOrder?: readonly string[] } = {},
): DagumResult {
  const { codes, groupOrder } = options;
  const v = checkIncomes(y, 'dagum', codes);
  const n = v.length;
  const part = partitionGroups(groups, n, { order: groupOrder, codes, field: 'groups' });
  let total = 0;
  for (let i = 0; i < n; i++) total += v[i];
  const mu = total / n;
  const sortedAll = v.slice().sort();
  const G = sumAbsDiffSorted(sortedAll) / (2 * n * n * mu);

  const info = part.labels.map((label, g) => {
    const m = part.members[g];
    const s = new Float64Array(m.length);
    let sum = 0;
    m.forEach((i, k) => {
      s[k] = v[i];
      sum += v[i];
    });
    s.sort();
    const prefix = new Float64Array(s.length + 1);
    for (let k = 0; k < s.length; k++) prefix[k + 1] = prefix[k] + s[k];
    return { label, sorted: s, prefix, sum, nj: m.length, mean: sum / m.length, p: m.length / n, share: sum / total };
  });
  info.sort((a, b) => b.mean - a.mean); // stable: ties keep group order

  let Gw = 0;
  const withinByGroup: DagumGroup[] = info.map((g) => {
    const Gjj = g.sum > 0 ? sumAbsDiffSorted(g.sorted) / (2 * g.nj * g.nj * g.mean) : 0;
    const contribution = Gjj * g.p * g.share;
    Gw += contribution;
    return { group: g.label, n: g.nj, mean: g.mean, populationShare: g.p, incomeShare: g.share, G: Gjj, contribution };
  });

  let Gnb = 0,
    Gt = 0;
  const betweenPairs: DagumPair[] = [];
  for (let a = 0; a < info.length; a++) {
    for (let b = a + 1; b < info.length; b++) {
      const j = info[a],
        h = info[b];
      const absSum = crossAbsDiff(j.sorted, h.sorted, h.prefix);
      const Gjh = absSum > 0 ? absSum / (j.nj * h.nj * (j.mean + h.mean)) : 0;
      const net = h.nj * j.sum - j.nj * h.sum; // Σ(y_j − y_h)⁺ − Σ(y_h − y_j)⁺ ≥ 0 since μ_j ≥ μ_h
      const D = absSum > 0 ? Math.min(1, Math.max(0, net / absSum)) : 0;
      const weight = j.p * h.share + h.p * j.share;
      const netContribution = Gjh * weight * D;
      const transvariationContribution = Gjh * weight * (1 - D);
      Gnb += netContribution;
      Gt += transvariationContribution;
      betweenPairs.push({ high: j.label, low: h.label, G: Gjh, D, netContribution, transvariationContribution });
    }
  }
  const shares =
    G > 0
      ? { within: Gw / G, netBetween: Gnb / G, transvariation: Gt / G }
      : { within: 0, netBetween: 0, transvariation: 0 };
  return { G, Gw, Gnb, Gt, shares, withinByGroup, betweenPairs };
}

/** Σ_i Σ_r |a_i − b_r| for ascending a, b, with prefix sums of b: O(|a| + |b|). */
function crossAbsDiff(a: Float64Array, b: Float64Array, bPrefix: Float64Array): number {
  const nb = b.length;
  const bTotal = bPrefix[nb];
  let k = 0;
  let acc = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    while (k < nb && b[k] <= x) k++;
    const below = bPrefix[k];
    acc += x * k - below + (bTotal - below) - x * (nb - k);
  }
  return acc;
}
