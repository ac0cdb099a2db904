/**
 * Survey weights per city: margins from the 2020 census, raking (iterative proportional fitting,
 * Deming & Stephan 1940) or post-stratification, weight trimming, and Kish's effective sample size.
 *
 * The census file gives, per city, age shares (0–14, 15–59, 60+, 65+) and a sex ratio, not an age × sex
 * cross-tab. So we rake to two margins: adult age bands built from 15–59, 60–64 (= 60+ − 65+) and 65+
 * (each divided by the 15+ share), and sex from the ratio (male share = r/(100 + r), of the whole
 * population — the adult ratio is not published). Post-stratification uses cell targets = product of the
 * two margins, i.e. assumes age and sex independent.
 */
import { CityIndexError, type Issue } from '../core/errors.ts';
import {
  SEX_FEMALE,
  SEX_MALE,
  type AgeBand,
  type CityMargins,
  type ResponseTable,
  type WeightingConfig,
} from './types.ts';

/** Default adult bands: 18–59, 60–64, 65+ (census 15–59 stands in for 18–59). */
export const DEFAULT_AGE_BANDS: AgeBand[] = [
  { label: '18-59', min: 18, max: 59, census: ['15-59'] },
  { label: '60-64', min: 60, max: 64, census: ['60-64'] },
  { label: '65+', min: 65, census: ['65+'] },
];

/** One city's census figures (percent of the whole population; sex ratio = males per 100 females). */
export interface CensusFigures {
  city: string;
  sexRatio: number;
  pctAge0to14: number;
  pctAge15to59: number;
  pctAge60plus: number;
  pctAge65plus: number;
}

/**
 * Adult age and sex margins of one city from census shares (see the module comment for the derivation).
 * @example
 * const beijing = { city: '110100', sexRatio: 104.7, pctAge0to14: 11.9, pctAge15to59: 68.5, pctAge60plus: 19.6,
 *   pctAge65plus: 13.3 };
 * censusMargins(beijing, DEFAULT_AGE_BANDS).age
 * // => [68.5/88.1, 6.3/88.1, 13.3/88.1] (≈ [0.7775, 0.0715, 0.1510])
 */
export function censusMargins(c: CensusFigures, bands: readonly AgeBand[] = DEFAULT_AGE_BANDS): CityMargins {
  const issue = (field: string, expected: string): never => {
    throw new CityIndexError({
      code: 'E_CENSUS',
      message: `census figures of city ${c.city} are unusable (${field})`,
      unit: c.city,
      field,
      expected,
    });
  };
  for (const [k, v] of Object.entries(c))
    if (k !== 'city' && !(Number.isFinite(v) && (v as number) >= 0)) issue(k, 'a non-negative number');
  if (c.pctAge65plus > c.pctAge60plus) issue('pctAge65plus', 'at most pctAge60plus');
  const adult = c.pctAge15to59 + c.pctAge60plus;
  if (!(adult > 0)) issue('pctAge15to59', 'a positive adult share');
  const part: Record<string, number> = {
    '15-59': c.pctAge15to59,
    '60-64': c.pctAge60plus - c.pctAge65plus,
    '65+': c.pctAge65plus,
  };
  const age = new Float64Array(bands.length);
  let total = 0;
  bands.forEach((b, k) => {
    for (const p of b.census) age[k] += part[p] ?? issue(`ageBands.${b.label}.census`, '15-59, 60-64 or 65+');
    total += age[k];
  });
  if (!(total > 0)) issue('ageBands', 'bands covering a positive share');
  for (let k = 0; k < age.length; k++) age[k] /= total;
  const male = c.sexRatio / (100 + c.sexRatio);
  return { city: c.city, age, sex: Float64Array.of(male, 1 - male) };
}

/**
 * Index of the band containing an age, or −1 (unknown or outside every band).
 * @example ageBandIndex(61, DEFAULT_AGE_BANDS) // => 1
 */
export function ageBandIndex(age: number, bands: readonly AgeBand[]): number {
  if (!Number.isFinite(age)) return -1;
  for (let k = 0; k < bands.length; k++)
    if (age >= bands[k].min && (bands[k].max === undefined || age <= bands[k].max! + (1 - 1e-9))) return k;
  return -1;
}

/**
 * Kish's effective sample size (Σw)²/Σw² (Kish 1965, Survey Sampling §11.7).
 * @example kishEffectiveSize([1, 1, 2]) // => 16/6 (≈ 2.667)
 */
export function kishEffectiveSize(w: ArrayLike<number>): number {
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < w.length; i++) {
    s += w[i];
    s2 += w[i] * w[i];
  }
  return s2 === 0 ? 0 : (s * s) / s2;
}

export interface RakeOptions {
  /** Maximum IPF sweeps (default 200). */
  maxIterations?: number;
  /** Convergence: largest absolute error of a weighted margin share (default 1e-10). */
  tolerance?: number;
  /** Weight bounds relative to the mean weight (e.g. { lower: 0.3, upper: 3 }); null/undefined = no trimming. */
  trim?: { lower?: number; upper?: number } | null;
}

export interface RakeResult {
  /** Weights with mean 1 over respondents with every category known; the others get 1. */
  weights: Float64Array;
  iterations: number;
  converged: boolean;
  /** Largest |weighted share − target share| over every margin category, after trimming. */
  maxMarginError: number;
  /** Respondents whose final weight sits at a trimming bound. */
  trimmed: number;
  /** Respondents left at weight 1 because a category was unknown. */
  unknown: number;
  /** Categories with a positive target but no respondent (their target was spread over the others). */
  emptyCategories: Array<{ variable: number; category: number }>;
}

/**
 * Rake one sample to margins by iterative proportional fitting, trimming the weights to bounds after
 * every sweep (Izrael, Hoaglin & Battaglia 2000, "A SAS macro for balancing a weighted sample"; R anesrake)
 * until the margins are met or the weights stop changing (the bounds then keep the margins from being met:
 * see `maxMarginError`).
 * `categories[v][i]` is respondent i's category on variable v (−1 unknown); `targets[v]` are shares.
 * @example
 * const categories = [Int32Array.of(0, 0, 1, 1), Int32Array.of(0, 1, 0, 1)];
 * rake(categories, [Float64Array.of(0.6, 0.4), Float64Array.of(0.5, 0.5)]).weights
 * // => [1.2, 1.2, 0.8, 0.8]
 */
export function rake(
  categories: readonly Int32Array[],
  targets: readonly Float64Array[],
  options: RakeOptions = {},
): RakeResult {
  const n = categories.length ? categories[0].length : 0;
  const maxIt = options.maxIterations ?? 200;
  const tol = options.tolerance ?? 1e-10;
  const { known, nKnown, tgt, empty } = prepare(categories, targets);
  const w = new Float64Array(n).fill(1);
  const prev = new Float64Array(n);
  const sums = targets.map((t) => new Float64Array(t.length));
  let iterations = 0;
  let converged = nKnown === 0;
  const trimOn = !!options.trim;
  const lower = options.trim?.lower ?? 0;
  const upper = options.trim?.upper ?? Infinity;
  for (let it = 0; it < maxIt && nKnown > 0; it++) {
    iterations++;
    prev.set(w);
    for (let v = 0; v < categories.length; v++) {
      const cat = categories[v];
      const s = sums[v].fill(0);
      for (let i = 0; i < n; i++) if (known[i]) s[cat[i]] += w[i];
      const f = new Float64Array(s.length);
      for (let k = 0; k < s.length; k++) f[k] = s[k] > 0 ? (tgt[v][k] * nKnown) / s[k] : 0;
      for (let i = 0; i < n; i++) if (known[i]) w[i] *= f[cat[i]];
    }
    // trimming inside each sweep ("raking with capping", as anesrake and survey::trimWeights + rake loops)
    if (trimOn) trimToBounds(w, known, nKnown, lower, upper, 1);
    if (marginError(categories, tgt, w, known, nKnown, sums) < tol) {
      converged = true;
      break;
    }
    let change = 0;
    for (let i = 0; i < n; i++) change = Math.max(change, Math.abs(w[i] - prev[i]));
    if (change < tol) break; // stalled: the bounds keep the margins from being met
  }
  if (trimOn) trimToBounds(w, known, nKnown, lower, upper, 100);
  let trimmed = 0;
  if (trimOn)
    for (let i = 0; i < n; i++) if (known[i] && (w[i] <= lower * (1 + 1e-9) || w[i] >= upper * (1 - 1e-9))) trimmed++;
  // mean weight 1 over the known respondents
  let s = 0;
  for (let i = 0; i < n; i++) if (known[i]) s += w[i];
  if (s > 0) for (let i = 0; i < n; i++) if (known[i]) w[i] *= nKnown / s;
  return {
    weights: w,
    iterations,
    converged,
    maxMarginError: nKnown ? marginError(categories, tgt, w, known, nKnown, sums) : 0,
    trimmed,
    unknown: n - nKnown,
    emptyCategories: empty,
  };
}

/**
 * Post-stratification: weight = target cell share × n / cell count, with cell targets the product of the
 * margins (independence). Empty cells' targets are spread over the other cells.
 * @example poststratify([Int32Array.of(0, 0, 0, 1)], [Float64Array.of(0.5, 0.5)]).weights // => [2/3, 2/3, 2/3, 2]
 */
export function poststratify(categories: readonly Int32Array[], targets: readonly Float64Array[]): RakeResult {
  const n = categories.length ? categories[0].length : 0;
  const { known, nKnown, tgt, empty } = prepare(categories, targets);
  const sizes = tgt.map((t) => t.length);
  const nCells = sizes.reduce((a, b) => a * b, 1);
  const cellOf = new Int32Array(n).fill(-1);
  const count = new Float64Array(nCells);
  for (let i = 0; i < n; i++) {
    if (!known[i]) continue;
    let c = 0;
    for (let v = 0; v < categories.length; v++) c = c * sizes[v] + categories[v][i];
    cellOf[i] = c;
    count[c]++;
  }
  const cellTarget = new Float64Array(nCells);
  let covered = 0;
  for (let c = 0; c < nCells; c++) {
    let share = 1;
    let rest = c;
    for (let v = categories.length - 1; v >= 0; v--) {
      share *= tgt[v][rest % sizes[v]];
      rest = Math.floor(rest / sizes[v]);
    }
    cellTarget[c] = share;
    if (count[c] > 0) covered += share;
  }
  const w = new Float64Array(n).fill(1);
  for (let i = 0; i < n; i++)
    if (cellOf[i] >= 0) w[i] = ((cellTarget[cellOf[i]] / covered) * nKnown) / count[cellOf[i]];
  const sums = targets.map((t) => new Float64Array(t.length));
  return {
    weights: w,
    iterations: 1,
    converged: true,
    maxMarginError: nKnown ? marginError(categories, tgt, w, known, nKnown, sums) : 0,
    trimmed: 0,
    unknown: n - nKnown,
    emptyCategories: empty,
  };
}

/** Rescale to mean 1 and clip to [lower, upper] (relative to the mean), `passes` times or until nothing is clipped. */
function trimToBounds(
  w: Float64Array,
  known: Uint8Array,
  nKnown: number,
  lower: number,
  upper: number,
  passes: number,
): void {
  for (let pass = 0; pass < passes; pass++) {
    let s = 0;
    for (let i = 0; i < w.length; i++) if (known[i]) s += w[i];
    const f = nKnown / s;
    let changed = 0;
    for (let i = 0; i < w.length; i++) {
      if (!known[i]) continue;
      w[i] *= f;
      if (w[i] < lower * (1 - 1e-12)) {
        w[i] = lower;
        changed++;
      } else if (w[i] > upper * (1 + 1e-12)) {
        w[i] = upper;
        changed++;
      }
    }
    if (changed === 0) break;
  }
}

function prepare(categories: readonly Int32Array[], targets: readonly Float64Array[]) {
  if (categories.length !== targets.length)
    throw new CityIndexError({
      code: 'E_MARGINS',
      message: `${categories.length} weighting variables but ${targets.length} margins`,
    });
  const n = categories.length ? categories[0].length : 0;
  const known = new Uint8Array(n).fill(1);
  for (const cat of categories) for (let i = 0; i < n; i++) if (cat[i] < 0) known[i] = 0;
  let nKnown = 0;
  for (let i = 0; i < n; i++) nKnown += known[i];
  const empty: Array<{ variable: number; category: number }> = [];
  const tgt = targets.map((t, v) => {
    const counts = new Float64Array(t.length);
    const cat = categories[v];
    for (let i = 0; i < n; i++) {
      if (!known[i]) continue;
      if (cat[i] >= t.length)
        throw new CityIndexError({
          code: 'E_MARGINS',
          message: `category ${cat[i]} of variable ${v} has no margin`,
          expected: `categories 0…${t.length - 1}`,
        });
      counts[cat[i]]++;
    }
    const out = new Float64Array(t.length);
    let s = 0;
    for (let k = 0; k < t.length; k++) {
      if (!(t[k] >= 0))
        throw new CityIndexError({
          code: 'E_MARGINS',
          message: `margin ${k} of variable ${v} is not a non-negative share`,
          expected: 'shares ≥ 0',
        });
      if (counts[k] > 0) {
        out[k] = t[k];
        s += t[k];
      } else if (t[k] > 0 && nKnown > 0) empty.push({ variable: v, category: k });
    }
    if (s > 0) for (let k = 0; k < t.length; k++) out[k] /= s;
    return out;
  });
  return { known, nKnown, tgt, empty };
}

function marginError(
  categories: readonly Int32Array[],
  tgt: readonly Float64Array[],
  w: Float64Array,
  known: Uint8Array,
  nKnown: number,
  sums: Float64Array[],
): number {
  let worst = 0;
  let total = 0;
  for (let i = 0; i < w.length; i++) if (known[i]) total += w[i];
  for (let v = 0; v < categories.length; v++) {
    const s = sums[v].fill(0);
    const cat = categories[v];
    for (let i = 0; i < w.length; i++) if (known[i]) s[cat[i]] += w[i];
    for (let k = 0; k < s.length; k++) worst = Math.max(worst, Math.abs(s[k] / total - tgt[v][k]));
  }
  return nKnown > 0 ? worst : 0;
}

export interface CityWeighting {
  city: string;
  n: number;
  /** Kish effective sample size and design effect from weighting (deff = n / nEff = 1 + CV²). */
  nEff: number;
  deff: number;
  minWeight: number;
  maxWeight: number;
  iterations: number;
  converged: boolean;
  maxMarginError: number;
  trimmed: number;
  unknown: number;
}

export interface WeightingResult {
  /** One weight per respondent of the table; 0 for removed responses; mean 1 within each city. */
  weights: Float64Array;
  perCity: CityWeighting[];
  warnings: Issue[];
}

/**
 * Weight the kept responses of every city to its margins (`config.weighting`), after cleaning.
 * Cities without margins keep weight 1 (a warning).
 * @example
 * import { tableOf } from './test-helpers.ts';
 * const margins = censusMargins({ city: '110100', sexRatio: 104.7, pctAge0to14: 11.9, pctAge15to59: 68.5,
 *   pctAge60plus: 19.6, pctAge65plus: 13.3 });
 * const table = tableOf([{ age: 30, sex: 'm' }, { age: 40, sex: 'f' }, { age: 62, sex: 'f' }, { age: 70, sex: 'm' }]);
 * const keep = new Uint8Array(4).fill(1);
 * const w = weightResponses(table, keep, new Map([['110100', margins]]), { weighting: { method: 'rake' } });
 * w.perCity[0] // => { city: '110100', n: 4, nEff: 3.0318385…, trimmed: 1, … }
 */
export function weightResponses(
  table: ResponseTable,
  keep: Uint8Array,
  margins: ReadonlyMap<string, CityMargins>,
  config: WeightingConfig,
): WeightingResult {
  const bands = config.ageBands ?? DEFAULT_AGE_BANDS;
  const vars = config.variables ?? ['age', 'sex'];
  const trim = config.trim === undefined ? { lower: 0.3, upper: 3 } : config.trim;
  const weights = new Float64Array(table.n);
  const warnings: Issue[] = [];
  const byCity = new Map<string, number[]>();
  for (let i = 0; i < table.n; i++) {
    const c = table.city[i];
    if (!keep[i] || c === null) continue;
    let list = byCity.get(c);
    if (!list) byCity.set(c, (list = []));
    list.push(i);
  }
  const perCity: CityWeighting[] = [];
  for (const city of [...byCity.keys()].sort()) {
    const rows = byCity.get(city)!;
    const m = rows.length;
    const cats = vars.map((v) => {
      const c = new Int32Array(m);
      for (let k = 0; k < m; k++) {
        const i = rows[k];
        switch (v) {
          case 'age':
            c[k] = ageBandIndex(table.age[i], bands);
            break;
          case 'sex':
            c[k] = table.sex[i] === SEX_MALE ? 0 : table.sex[i] === SEX_FEMALE ? 1 : -1;
            break;
          default:
            throw new CityIndexError({
              code: 'E_METHOD',
              message: `unknown weighting variable "${String(v)}"`,
              field: 'weighting.variables',
              expected: 'age or sex',
            });
        }
      }
      return c;
    });
    const mg = margins.get(city);
    let res: RakeResult;
    const method = config.weighting;
    if (!mg && method.method !== 'none') {
      warnings.push({
        code: 'W_NO_MARGINS',
        message: `no census margins for city ${city}; its responses keep weight 1`,
        unit: city,
        severity: 'warning',
      });
    }
    const targets = mg ? vars.map((v) => (v === 'age' ? mg.age : mg.sex)) : [];
    if (!mg || method.method === 'none') {
      res = {
        weights: new Float64Array(m).fill(1),
        iterations: 0,
        converged: true,
        maxMarginError: NaN,
        trimmed: 0,
        unknown: 0,
        emptyCategories: [],
      };
    } else {
      switch (method.method) {
        case 'rake':
          res = rake(cats, targets, { maxIterations: method.maxIterations, tolerance: method.tolerance, trim });
          break;
        case 'poststratify':
          res = poststratify(cats, targets);
          break;
        default:
          throw new CityIndexError({
            code: 'E_METHOD',
            message: `unknown weighting method "${(method as { method: string }).method}"`,
            field: 'weighting.method',
            expected: 'none, rake or poststratify',
          });
      }
    }
    for (const e of res.emptyCategories) {
      const label =
        vars[e.variable] === 'age' ? `age band ${bands[e.category].label}` : e.category === 0 ? 'men' : 'women';
      warnings.push({
        code: 'W_EMPTY_CELL',
        message:
          `city ${city} has no respondents in ${label}; ` +
          'that margin cannot be met and its share is spread over the other categories',
        unit: city,
        severity: 'warning',
      });
    }
    const largestError = res.maxMarginError.toExponential(2);
    const trimmedTo = `[${trim?.lower ?? 0}, ${trim?.upper ?? '∞'}] × mean`;
    if (!res.converged && res.trimmed > 0)
      warnings.push({
        code: 'W_TRIM_MARGINS',
        message:
          `city ${city}: with weights trimmed to ${trimmedTo} the margins are met only to ` +
          `${(100 * res.maxMarginError).toFixed(2)} percentage points`,
        unit: city,
        severity: 'warning',
      });
    else if (!res.converged)
      warnings.push({
        code: 'W_RAKE',
        message: `raking did not converge for city ${city} (largest margin error ${largestError})`,
        unit: city,
        severity: 'warning',
      });
    let lo = Infinity;
    let hi = -Infinity;
    for (let k = 0; k < m; k++) {
      weights[rows[k]] = res.weights[k];
      if (res.weights[k] < lo) lo = res.weights[k];
      if (res.weights[k] > hi) hi = res.weights[k];
    }
    const nEff = kishEffectiveSize(res.weights);
    perCity.push({
      city,
      n: m,
      nEff,
      deff: nEff > 0 ? m / nEff : NaN,
      minWeight: lo,
      maxWeight: hi,
      iterations: res.iterations,
      converged: res.converged,
      maxMarginError: res.maxMarginError,
      trimmed: res.trimmed,
      unknown: res.unknown,
    });
  }
  return { weights, perCity, warnings };
}
