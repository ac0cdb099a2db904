/**
 * Tiers and stages (METHODS §4.7; 一线/二线/三线, 梯队, 引领型…): classify unit scores into ordered classes
 * by Fisher–Jenks natural breaks (exact DP), quantiles, fixed thresholds (EGDI-style 0.25/0.50/0.75, or
 * development stages), mean ± k·sd, head/tail breaks, or any of these within peer groups (IMD-style bands).
 * The caller names the tiers; each label carries the rule that defines it, so a report can publish both.
 *
 * Conventions follow PySAL mapclassify: classes are ascending, `breaks` are the classes' upper bounds (the
 * last is the maximum) and a value belongs to the first class whose bound it does not exceed
 * (lower < x ≤ upper). Fixed thresholds may instead be closed on the left (lower ≤ x < upper), as EGDI.
 * Tier labels are given best first by default (`labelOrder: 'descending'`).
 */
import { CityIndexError } from '../core/errors.ts';
import { median, quantileSorted } from '../stats/descriptive.ts';
import { indexGroups, unitName, type GroupLabel } from './groups.ts';

type Num = ArrayLike<number>;

/** One classification rule (named data, resolved by one switch). */
export type BaseTierMethod =
  /**
   * Fisher (1958) exact optimal partition minimising the within-class sum of squares (= the exact optimum of 1-D
   * k-means).
   */
  | { method: 'fisherJenks'; k: number }
  /** k classes of (about) equal counts; breaks are R type-7 quantiles at 1/k, 2/k, …, 1 (mapclassify `Quantiles`). */
  | { method: 'quantiles'; k: number }
  /** Fixed cut points (k − 1 of them for k classes), e.g. [0.25, 0.5, 0.75]. `closed` default `'right'`. */
  | { method: 'thresholds'; cuts: number[]; closed?: 'left' | 'right' }
  /**
   * Cuts at mean + m·sd for each multiple m (default [−2, −1, 1, 2]); sd sample (mapclassify `StdMean`) unless
   * `population`.
   */
  | { method: 'meanSd'; multiples?: number[]; population?: boolean }
  /**
   * Head/tail breaks (Jiang 2013): cut at the mean, recurse into the head (> mean) until it is one value or above
   * `maxHeadShare`.
   */
  | { method: 'headTail'; maxHeadShare?: number };

export type TierMethod =
  | BaseTierMethod
  /** Apply `within` separately inside each peer group (e.g. IMD's HDI groups); ungrouped units are an error. */
  | { method: 'peerBands'; peers: readonly GroupLabel[]; within: BaseTierMethod };

export interface ClassifyCommon {
  /** Tier names, one per class (e.g. ['一线', '二线', '三线']); default `Tier 1` … `Tier k` (Tier 1 = top). */
  labels?: readonly string[];
  /** `descending` (default): labels[0] names the highest class; `ascending`: labels[0] names the lowest. */
  labelOrder?: 'descending' | 'ascending';
  /** Unit codes, for messages and `missingUnits`. */
  codes?: readonly string[];
}

export type ClassifyOptions = TierMethod & ClassifyCommon;

export interface TierClass {
  /** 0 = lowest class. */
  class: number;
  label: string;
  /** The rule that defines this class, in words and symbols (numbers to 6 significant digits). */
  rule: string;
  /** Class bounds; −Infinity/Infinity for the open ends. */
  lower: number;
  upper: number;
  /** Units in the class (all peer groups together for `peerBands`). */
  n: number;
}

export interface PeerBand {
  peer: string;
  n: number;
  breaks: number[];
  counts: number[];
}

export interface ClassifyResult {
  method: TierMethod['method'];
  k: number;
  /**
   * Upper bound of each class, the last being the maximum (mapclassify `bins`). Empty for `peerBands` (see `peers`).
   */
  breaks: number[];
  /** Class of each unit (0 = lowest), −1 when its value is missing. */
  classOf: Int32Array;
  /** Tier label of each unit, null when missing. */
  labelOf: (string | null)[];
  /** Classes from lowest to highest, with label, rule and count. */
  labels: TierClass[];
  /** Units per class, lowest first. */
  counts: number[];
  /** Goodness of variance fit 1 − SSW/SST (1 when all values are equal). */
  gvf: number;
  /**
   * mapclassify's `tss`: the within-class sum of squared deviations from the class means (SSW, what GVF
   * sets against the total).
   */
  tss: number;
  /** Absolute deviation around class medians, Σ_c Σ_{i∈c} |y_i − median_c| (mapclassify `adcm`). */
  adcm: number;
  /**
   * Goodness of absolute deviation fit 1 − ADCM / Σ|y_i − median(y)| (mapclassify `gadf`; 1 when all values
   * are equal).
   */
  gadf: number;
  /** The whole rule in one line, for a report's method note. */
  rule: string;
  /** Per peer group breaks (`peerBands` only; empty otherwise). */
  peers: PeerBand[];
  missingUnits: string[];
  warnings: string[];
}

/**
 * Classify values into ordered tiers.
 * Reference: PySAL mapclassify (FisherJenks, Quantiles, UserDefined, StdMean, HeadTailBreaks); Fisher (1958) JASA
 * 53:789–798.
 * @example classify([1, 2, 3, 10, 11, 12, 30], { method: 'fisherJenks', k: 3, labels: ['一线', '二线', '三线'] }).labelOf
 * // => ['三线', '三线', '三线', '二线', '二线', '二线', '一线']  (breaks [3, 12, 30])
 */
export function classify(values: Num, options: ClassifyOptions): ClassifyResult {
  const { codes } = options;
  const n = values.length;
  if (codes && codes.length !== n)
    throw new CityIndexError({
      code: 'E_SHAPE',
      message: `classify: ${codes.length} codes for ${n} values`,
      field: 'codes',
    });
  const present: number[] = [];
  const missingUnits: string[] = [];
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (Number.isNaN(v)) missingUnits.push(codes ? codes[i] : `#${i}`);
    else if (!Number.isFinite(v))
      throw new CityIndexError({
        code: 'E_NOT_FINITE',
        message: `classify: value of unit ${unitName(i, codes)} is ${v}`,
        unit: codes?.[i],
        expected: 'a finite number or NaN for missing',
      });
    else present.push(i);
  }
  if (present.length === 0) throw new CityIndexError({ code: 'E_EMPTY', message: 'classify: no unit has a value' });
  const classOf = new Int32Array(n).fill(-1);
  const warnings: string[] = [];
  let spec: BaseTierMethod;
  let lowerClosed = false;
  const peers: PeerBand[] = [];

  if (options.method === 'peerBands') {
    spec = options.within;
    if ((spec as { method: string }).method === 'peerBands')
      throw new CityIndexError({ code: 'E_OPTION', message: 'classify: peerBands cannot be nested', field: 'within' });
    const idx = indexGroups(options.peers, n, { separator: null, codes, field: 'peers' });
    if (idx.ungrouped.length > 0) {
      const i = idx.ungrouped[0];
      throw new CityIndexError({
        code: 'E_NO_GROUP',
        message: `classify: unit ${unitName(i, codes)} has no peer group`,
        field: 'peers',
        unit: codes?.[i],
        expected: 'a peer group for every unit',
      });
    }
    let k = -1;
    idx.labels.forEach((peer, g) => {
      const members = Array.from(idx.members[g]).filter((i) => !Number.isNaN(values[i]));
      if (members.length === 0)
        throw new CityIndexError({
          code: 'E_EMPTY_GROUP',
          message: `classify: peer group "${peer}" has no unit with a value`,
          field: 'peers',
        });
      const r = breaksFor(values, members, spec, warnings, `peer group "${peer}": `);
      if (k >= 0 && r.breaks.length !== k) {
        throw new CityIndexError({
          code: 'E_K_MISMATCH',
          message: `classify: peer group "${peer}" yields ${r.breaks.length} classes, others ${k}`,
          field: 'within',
          expected:
            'a method giving the same number of classes in every peer group ' +
            '(fisherJenks, quantiles, thresholds, meanSd)',
        });
      }
      k = r.breaks.length;
      lowerClosed = r.lowerClosed;
      const counts = new Array<number>(k).fill(0);
      for (const i of members) {
        const c = binOf(r.breaks, values[i], r.lowerClosed);
        classOf[i] = c;
        counts[c]++;
      }
      peers.push({ peer, n: members.length, breaks: r.breaks, counts });
    });
    return finish(values, present, classOf, k, [], peers, spec, lowerClosed, options, missingUnits, warnings);
  }

  spec = options;
  const r = breaksFor(values, present, spec, warnings, '');
  const breaks = r.breaks;
  lowerClosed = r.lowerClosed;
  for (const i of present) classOf[i] = binOf(breaks, values[i], lowerClosed);
  return finish(
    values,
    present,
    classOf,
    breaks.length,
    breaks,
    peers,
    spec,
    lowerClosed,
    options,
    missingUnits,
    warnings,
  );
}

/**
 * The class of a new value under a result's breaks (mapclassify `find_bin`): values above the last
 * break go to the top class. Not for `peerBands` results (use the peer's breaks).
 * @example classOfValue([3, 12, 30], 50) // => 2
 */
export function classOfValue(breaks: readonly number[], x: number, closed: 'left' | 'right' = 'right'): number {
  if (breaks.length === 0) throw new CityIndexError({ code: 'E_OPTION', message: 'classOfValue: no breaks' });
  return binOf(breaks, x, closed === 'left');
}

// ---------------------------------------------------------------- internals

function binOf(breaks: readonly number[], x: number, lowerClosed: boolean): number {
  const k = breaks.length;
  for (let c = 0; c < k - 1; c++) {
    if (lowerClosed ? x < breaks[c] : x <= breaks[c]) return c;
  }
  return k - 1;
}

function sortedValues(values: Num, members: readonly number[]): Float64Array {
  const s = new Float64Array(members.length);
  members.forEach((i, k) => {
    s[k] = values[i];
  });
  return s.sort();
}

function distinctCount(sorted: Float64Array): number {
  let d = sorted.length > 0 ? 1 : 0;
  for (let i = 1; i < sorted.length; i++) if (sorted[i] !== sorted[i - 1]) d++;
  return d;
}

function checkK(k: number, sorted: Float64Array, what: string): void {
  if (!Number.isInteger(k) || k < 1)
    throw new CityIndexError({
      code: 'E_OPTION',
      message: `classify (${what}): k must be an integer ≥ 1, got ${k}`,
      field: 'k',
    });
  const d = distinctCount(sorted);
  if (k > d)
    throw new CityIndexError({
      code: 'E_K_TOO_LARGE',
      message: `classify (${what}): k = ${k} classes but only ${d} distinct value(s)`,
      field: 'k',
      expected: `k ≤ ${d}`,
    });
}

function breaksFor(
  values: Num,
  members: readonly number[],
  spec: BaseTierMethod,
  warnings: string[],
  prefix: string,
): { breaks: number[]; lowerClosed: boolean } {
  const s = sortedValues(values, members);
  const max = s[s.length - 1];
  switch (spec.method) {
    case 'fisherJenks': {
      checkK(spec.k, s, 'fisherJenks');
      return { breaks: fisherJenksBreaks(s, spec.k), lowerClosed: false };
    }
    case 'quantiles': {
      checkK(spec.k, s, 'quantiles');
      const q: number[] = [];
      for (let c = 1; c <= spec.k; c++) {
        const v = c === spec.k ? max : quantileSorted(s, c / spec.k);
        if (q.length === 0 || v !== q[q.length - 1]) q.push(v);
      }
      if (q.length < spec.k)
        warnings.push(
          `${prefix}quantiles: ${spec.k} classes asked, ` +
            `${q.length} distinct quantiles (tied values), so k = ${q.length}`,
        );
      return { breaks: q, lowerClosed: false };
    }
    case 'thresholds': {
      const cuts = spec.cuts;
      if (!Array.isArray(cuts) || cuts.some((c) => !Number.isFinite(c)))
        throw new CityIndexError({
          code: 'E_OPTION',
          message: 'classify (thresholds): cuts must be finite numbers',
          field: 'cuts',
        });
      for (let c = 1; c < cuts.length; c++) {
        if (!(cuts[c] > cuts[c - 1]))
          throw new CityIndexError({
            code: 'E_OPTION',
            message: `classify (thresholds): cuts must increase, got ${cuts.join(', ')}`,
            field: 'cuts',
            expected: 'strictly increasing cut points',
          });
      }
      const closed = spec.closed ?? 'right';
      if (closed !== 'left' && closed !== 'right')
        throw new CityIndexError({
          code: 'E_OPTION',
          message: `classify (thresholds): closed must be 'left' or 'right', got ${String(closed)}`,
          field: 'closed',
        });
      const top = Math.max(max, cuts.length ? cuts[cuts.length - 1] : max);
      return { breaks: [...cuts, top], lowerClosed: closed === 'left' };
    }
    case 'meanSd': {
      const multiples = spec.multiples ?? [-2, -1, 1, 2];
      for (let c = 1; c < multiples.length; c++) {
        if (!(multiples[c] > multiples[c - 1]))
          throw new CityIndexError({
            code: 'E_OPTION',
            message: `classify (meanSd): multiples must increase, got ${multiples.join(', ')}`,
            field: 'multiples',
          });
      }
      const m = s.length;
      let sum = 0;
      for (let i = 0; i < m; i++) sum += s[i];
      const mean = sum / m;
      let ss = 0;
      for (let i = 0; i < m; i++) ss += (s[i] - mean) ** 2;
      const ddof = spec.population ? 0 : 1;
      if (m - ddof < 1)
        throw new CityIndexError({
          code: 'E_TOO_FEW',
          message: 'classify (meanSd): the sample sd needs at least two values',
        });
      const sdv = Math.sqrt(ss / (m - ddof));
      const cuts = multiples.map((k) => mean + k * sdv);
      const b = cuts.filter((c) => c < max);
      if (b.length < cuts.length)
        warnings.push(`${prefix}meanSd: ${cuts.length - b.length} cut(s) at or above the maximum were dropped`);
      return { breaks: [...b, max], lowerClosed: false };
    }
    case 'headTail': {
      const share = spec.maxHeadShare;
      if (share !== undefined && !(share > 0 && share < 1))
        throw new CityIndexError({
          code: 'E_OPTION',
          message: `classify (headTail): maxHeadShare must be in (0, 1), got ${share}`,
          field: 'maxHeadShare',
        });
      const cuts: number[] = [];
      let lo = 0; // head = s[lo..]
      while (true) {
        const m = s.length - lo;
        let sum = 0;
        for (let i = lo; i < s.length; i++) sum += s[i];
        const mean = sum / m;
        if (s[lo] === s[s.length - 1]) {
          cuts.push(s[lo]);
          break;
        }
        let next = lo;
        while (next < s.length && s[next] <= mean) next++;
        cuts.push(mean);
        if (share !== undefined && (s.length - next) / m > share) {
          cuts.push(max);
          break;
        }
        lo = next;
      }
      return { breaks: cuts, lowerClosed: false };
    }
    default: {
      const unknown: never = spec;
      throw new CityIndexError({
        code: 'E_UNKNOWN_METHOD',
        message: `classify: unknown method "${(unknown as { method: string }).method}"`,
        field: 'method',
        expected: 'fisherJenks, quantiles, thresholds, meanSd, headTail or peerBands',
      });
    }
  }
}

/**
 * Fisher's exact natural breaks on ascending values: dynamic programming over distinct values (with their
 * counts, so equal values always share a class), O(k·d·log d) for d distinct values. Returns the class maxima.
 * @example fisherJenksBreaks([1, 2, 3, 10, 11, 12, 30], 3) // => [3, 12, 30]
 */
export function fisherJenksBreaks(sorted: Num, k: number): number[] {
  const vals: number[] = [];
  const wts: number[] = [];
  for (let i = 0; i < sorted.length; i++) {
    if (vals.length > 0 && sorted[i] === vals[vals.length - 1]) wts[wts.length - 1]++;
    else {
      vals.push(sorted[i]);
      wts.push(1);
    }
  }
  const d = vals.length;
  if (!Number.isInteger(k) || k < 1 || k > d)
    throw new CityIndexError({
      code: 'E_K_TOO_LARGE',
      message: `fisherJenks: k = ${k} with ${d} distinct value(s)`,
      field: 'k',
      expected: `1 ≤ k ≤ ${d}`,
    });
  // centre for numerical stability of the prefix sums
  let tw = 0,
    tv = 0;
  for (let i = 0; i < d; i++) {
    tw += wts[i];
    tv += wts[i] * vals[i];
  }
  const centre = tv / tw;
  const W = new Float64Array(d + 1),
    S1 = new Float64Array(d + 1),
    S2 = new Float64Array(d + 1);
  for (let i = 0; i < d; i++) {
    const x = vals[i] - centre;
    W[i + 1] = W[i] + wts[i];
    S1[i + 1] = S1[i] + wts[i] * x;
    S2[i + 1] = S2[i] + wts[i] * x * x;
  }
  const ssw = (i: number, j: number): number => {
    // distinct indices i..j inclusive
    const w = W[j + 1] - W[i],
      s = S1[j + 1] - S1[i];
    const v = S2[j + 1] - S2[i] - (s * s) / w;
    return v > 0 ? v : 0;
  };
  // cost[c][j]: least SSW of values 0..j in c + 1 classes; from[c][j]: first index of the last class.
  // The optimal split is monotone in j (SSW of sorted segments satisfies the quadrangle inequality), so each
  // layer is filled by divide and conquer in O(d log d) (as Ckmeans.1d.dp, Wang & Song 2011, R Journal 3/2).
  const cost: Float64Array[] = [];
  const from: Int32Array[] = [];
  cost.push(Float64Array.from({ length: d }, (_, j) => ssw(0, j)));
  from.push(new Int32Array(d));
  for (let c = 1; c < k; c++) {
    const prev = cost[c - 1];
    const cc = new Float64Array(d).fill(Infinity);
    const ff = new Int32Array(d);
    const fill = (lo: number, hi: number, optLo: number, optHi: number): void => {
      if (lo > hi) return;
      const j = (lo + hi) >> 1;
      let best = Infinity,
        arg = Math.max(c, optLo);
      const top = Math.min(j, optHi);
      for (let i = Math.max(c, optLo); i <= top; i++) {
        const v = prev[i - 1] + ssw(i, j);
        if (v < best) {
          best = v;
          arg = i;
        }
      }
      cc[j] = best;
      ff[j] = arg;
      fill(lo, j - 1, optLo, arg);
      fill(j + 1, hi, arg, optHi);
    };
    fill(c, d - 1, c, d - 1);
    cost.push(cc);
    from.push(ff);
  }
  const breaks = new Array<number>(k);
  let j = d - 1;
  for (let c = k - 1; c >= 0; c--) {
    breaks[c] = vals[j];
    j = from[c][j] - 1;
  }
  return breaks;
}

const fmt = (x: number): string => (Number.isFinite(x) ? String(Number(x.toPrecision(6))) : x > 0 ? '∞' : '−∞');

function methodRule(spec: BaseTierMethod, k: number): string {
  switch (spec.method) {
    case 'fisherJenks':
      return `Fisher–Jenks natural breaks, k = ${k}`;
    case 'quantiles':
      return `quantiles (R type 7), k = ${k}`;
    case 'thresholds':
      return (
        `fixed thresholds ${spec.cuts.map(fmt).join(' / ')} ` +
        `(${spec.closed === 'left' ? 'lower' : 'upper'} bound inclusive)`
      );
    case 'meanSd':
      return (
        `mean ± k·sd at k = ${(spec.multiples ?? [-2, -1, 1, 2]).join(', ')} ` +
        `(${spec.population ? 'population' : 'sample'} sd)`
      );
    case 'headTail':
      return (
        'head/tail breaks at successive means of the head' +
        (spec.maxHeadShare !== undefined ? `, stopping when the head exceeds ${spec.maxHeadShare * 100} %` : '')
      );
    default: {
      const unknown: never = spec;
      return String((unknown as { method: string }).method);
    }
  }
}

function finish(
  values: Num,
  present: number[],
  classOf: Int32Array,
  k: number,
  breaks: number[],
  peers: PeerBand[],
  spec: BaseTierMethod,
  lowerClosed: boolean,
  options: ClassifyOptions,
  missingUnits: string[],
  warnings: string[],
): ClassifyResult {
  const { labels: given, labelOrder = 'descending' } = options;
  if (labelOrder !== 'descending' && labelOrder !== 'ascending')
    throw new CityIndexError({
      code: 'E_OPTION',
      message: `classify: labelOrder must be 'descending' or 'ascending', got ${String(labelOrder)}`,
      field: 'labelOrder',
    });
  if (given && given.length !== k) {
    throw new CityIndexError({
      code: 'E_LABELS',
      message: `classify: ${given.length} labels for ${k} classes (${methodRule(spec, k)})`,
      field: 'labels',
      expected: `${k} labels`,
    });
  }
  const nameOf = (c: number): string => {
    const pos = labelOrder === 'descending' ? k - 1 - c : c;
    return given ? given[pos] : `Tier ${k - c}`;
  };
  const counts = new Array<number>(k).fill(0);
  for (const i of present) counts[classOf[i]]++;
  const isPeer = options.method === 'peerBands';
  const base = methodRule(spec, k);
  const bare: string[] = [];
  const labels: TierClass[] = counts.map((cnt, c) => {
    const lower = c === 0 || isPeer ? -Infinity : breaks[c - 1];
    const upper = c === k - 1 || isPeer ? Infinity : breaks[c];
    let rule: string;
    if (isPeer) rule = `class ${c + 1} of ${k} (lowest = 1) within each peer group`;
    else if (k === 1) rule = 'all units';
    else if (c === 0) rule = lowerClosed ? `x < ${fmt(upper)}` : `x ≤ ${fmt(upper)}`;
    else if (c === k - 1) rule = lowerClosed ? `x ≥ ${fmt(lower)}` : `x > ${fmt(lower)}`;
    else rule = lowerClosed ? `${fmt(lower)} ≤ x < ${fmt(upper)}` : `${fmt(lower)} < x ≤ ${fmt(upper)}`;
    bare.push(rule);
    return { class: c, label: nameOf(c), rule: `${rule} (${base})`, lower, upper, n: cnt };
  });
  if (given && new Set(given).size !== given.length) warnings.push('classify: some tier labels repeat');
  const labelOf = Array.from(classOf, (c) => (c < 0 ? null : labels[c].label));
  // GVF over classes (peer × class cells for peer banding)
  const cellKey = (i: number) =>
    isPeer
      ? `${String((options as { peers: readonly GroupLabel[] }).peers[i])}\u0000${classOf[i]}`
      : String(classOf[i]);
  let sum = 0;
  for (const i of present) sum += values[i];
  const mean = sum / present.length;
  let sst = 0;
  const cells = new Map<string, { n: number; s: number; s2: number }>();
  for (const i of present) {
    const v = values[i];
    sst += (v - mean) ** 2;
    const key = cellKey(i);
    const cell = cells.get(key) ?? { n: 0, s: 0, s2: 0 };
    cell.n++;
    cell.s += v - mean;
    cell.s2 += (v - mean) ** 2;
    cells.set(key, cell);
  }
  let ssw = 0;
  for (const c of cells.values()) ssw += c.s2 - (c.s * c.s) / c.n;
  const gvf = sst > 0 ? Math.max(0, Math.min(1, 1 - ssw / sst)) : 1;
  const fit = fitStatistics(values, present, cellKey);
  const rule = isPeer
    ? `${base}, applied within each peer group`
    : `${base}: ${[...labels]
        .reverse()
        .map((l) => `${l.label} ${bare[l.class]}`)
        .join('; ')}`;
  return {
    method: options.method,
    k,
    breaks,
    classOf,
    labelOf,
    labels,
    counts,
    gvf,
    ...fit,
    rule,
    peers,
    missingUnits,
    warnings,
  };
}

/**
 * mapclassify's fit statistics of a classification: `tss` (within-class Σ (y − class mean)², two-pass),
 * `adcm` (Σ |y − class median|) and `gadf` = 1 − adcm / Σ |y − median(y)|, over the units `present`
 * grouped by `cellOf` (the class, or peer group × class).
 * @example
 * // classes {1, 2, 3} and {10, 20}: adcm = 2 + 10 = 12, Σ|y − 3| = 2 + 1 + 0 + 7 + 17 = 27
 * fitStatistics([1, 2, 3, 10, 20], [0, 1, 2, 3, 4], (i) => (i < 3 ? 'low' : 'high'))
 * // => { tss: 52, adcm: 12, gadf: 0.5555555555555556 }
 */
export function fitStatistics(
  values: Num,
  present: readonly number[],
  cellOf: (i: number) => string,
): { tss: number; adcm: number; gadf: number } {
  const cells = new Map<string, number[]>();
  for (const i of present) {
    const key = cellOf(i);
    const list = cells.get(key);
    if (list) list.push(values[i]);
    else cells.set(key, [values[i]]);
  }
  let tss = 0;
  let adcm = 0;
  for (const ys of cells.values()) {
    const mean = ys.reduce((a, v) => a + v, 0) / ys.length;
    const med = median(ys);
    for (const v of ys) {
      tss += (v - mean) ** 2;
      adcm += Math.abs(v - med);
    }
  }
  const all = present.map((i) => values[i]);
  const med = median(all);
  let adam = 0;
  for (const v of all) adam += Math.abs(v - med);
  return { tss, adcm, gadf: adam > 0 ? 1 - adcm / adam : 1 };
}
