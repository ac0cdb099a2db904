/**
 * Run the analyses a project declares on a finished build: regional summaries and inequality,
 * spatial autocorrelation and a leader's spillover, tiers. Each section that fails records its
 * located issues in `errors` instead of stopping the others.
 */
import { CityIndexError, type Issue } from '../core/errors.ts';
import { column } from '../core/dataset.ts';
import { unitAttribute, unitGroup, type FrameworkNode, type LocalText, type Unit } from '../core/framework.ts';
import { zodIssues } from '../core/zod-issues.ts';
import type { Build } from '../pipeline/build.ts';
import {
  AnalysesConfigSchema,
  type AnalysesConfig,
  type GapsConfig,
  type RegionalConfig,
  type SpatialConfig,
  type TiersConfig,
} from './config.ts';
import { regionalSummary, compareGroups, type RegionalSummaryResult, type GroupComparison } from './regional.ts';
import { coefficientOfVariation, gini, theil, dagum, type TheilResult, type DagumResult } from './inequality.ts';
import { classify, type ClassifyResult, type ClassifyOptions } from './tiers.ts';
import {
  buildPointWeights,
  contiguityFromTopology,
  pointsFromUnits,
  weightsFromRows,
  type SpatialWeights,
} from './spatial/weights.ts';
import type { Topology } from 'topojson-specification';
import { moran, type MoranResult } from './spatial/moran.ts';
import { geary, type GearyResult } from './spatial/geary.ts';
import { localMoran, type LocalMoranResult } from './spatial/local-moran.ts';
import { getisOrd, type GetisOrdResult } from './spatial/getis-ord.ts';
import { spilloverReport, type SpilloverReport } from './spatial/spillover.ts';
import { moranRate } from './spatial/rates.ts';
import { auditBuild, type AuditResult } from './audit/index.ts';
import { runChange, type ChangeResult } from './change.ts';
import { runAnalysis, type AnalysisResult as UncertaintyResult } from './uncertainty/analyse.ts';
import {
  unitGaps,
  smallestImprovements,
  bestUnderBudget,
  type GapsResult,
  type ImproveResult,
  type BudgetResult,
} from './whatif/index.ts';

/**
 * A statistic that was not computed, and why: shown beside the tables so a missing Theil or Gini is
 * never silent. `reason`: `multiMembership` (a unit in several groups, e.g. clusters), `ungrouped`
 * (some units have no group), `undefined` (the statistic is not defined for these scores, e.g.
 * negative z-scores; `issues` carries the kernel's located problem).
 */
export interface SkippedStatistic {
  statistic: 'theil' | 'dagum' | 'gini' | 'cv' | 'theilPopulationWeighted' | 'cvPopulationWeighted';
  reason: 'multiMembership' | 'ungrouped' | 'undefined';
  /** One sentence in English (the report writes its own in both languages from `reason`). */
  message: string;
  issues: Issue[];
}

export interface RegionalGroupingResult {
  grouping: string;
  /** True when some unit belongs to several groups (clusters): Theil/Dagum decompositions are skipped. */
  multiMembership: boolean;
  /** Summary per code (index and dimensions). */
  byCode: Array<{ code: string; summary: RegionalSummaryResult }>;
  theil?: TheilResult;
  dagum?: DagumResult;
  /** Decompositions not computed for this grouping, with the reason (empty when all ran). */
  skipped: SkippedStatistic[];
}

export interface RegionalResult {
  code: string;
  groupings: RegionalGroupingResult[];
  inequality: {
    gini?: number;
    cv?: number;
    cvPopulationWeighted?: number;
    theil?: number;
    theilPopulationWeighted?: number;
  };
  /** Inequality statistics not computed, with the reason (empty when all ran). */
  skipped: SkippedStatistic[];
  comparisons: Array<GroupComparison & { grouping: string }>;
}

export interface SpatialResult {
  code: string;
  weights: string;
  moran: MoranResult;
  geary: GearyResult;
  localMoran: LocalMoranResult;
  getisOrd: GetisOrdResult;
  spillover?: SpilloverReport;
  /** Moran's I for each declared rate (counts over populations), in declaration order. */
  rates: Array<{ events: string; population: string; adjusted: boolean; moran: MoranResult }>;
}

export interface TiersResult extends ClassifyResult {
  code: string;
  /** Labels per class from the top tier down, in both languages. */
  tierNames: LocalText[];
}

export interface UnitGapsResult {
  unit: string;
  gaps: GapsResult;
  improvements: ImproveResult;
  budget?: BudgetResult;
}

export interface AnalysesResult {
  target: string;
  settings: AnalysesConfig;
  audit?: AuditResult;
  gaps?: UnitGapsResult[];
  change?: ChangeResult;
  /** Uncertainty or sensitivity analysis (rank intervals per unit; Si/STi per input). */
  uncertainty?: UncertaintyResult;
  regional?: RegionalResult;
  spatial?: SpatialResult;
  tiers?: TiersResult;
  /** Sections that could not run, with their located issues. */
  errors: Array<{ analysis: string; issues: Issue[] }>;
}

function lastFramework(b: Build) {
  return b.steps.length ? b.steps[b.steps.length - 1].framework : b.input.framework;
}

/** Units of the results, in results row order. */
export function resultUnits(b: Build): Unit[] {
  const byCode = new Map(b.input.units.map((u) => [u.code, u]));
  return b.results.scores.unitCodes.map((c) => byCode.get(c)!);
}

function defaultCodes(b: Build, target: string): string[] {
  const fw = lastFramework(b);
  const root = fw.nodes.find((n) => n.code === target);
  const dims = fw.nodes
    .filter((n: FrameworkNode) => n.parent === target && b.results.scores.codes.includes(n.code))
    .map((n) => n.code);
  return root ? [target, ...dims] : [target];
}

/**
 * Run `fn`; a `CityIndexError` it throws is re-thrown with its issues located at `field` (a path in
 * project.yaml's `analyses:` block) unless they already name one there. `field` may map the kernel's
 * own (relative) field name to the path.
 */
function located<T>(field: string | ((relative: string | undefined) => string), fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (!(e instanceof CityIndexError)) throw e;
    throw new CityIndexError(
      e.issues.map((i) =>
        i.field?.startsWith('analyses.') ? i : { ...i, field: typeof field === 'string' ? field : field(i.field) },
      ),
    );
  }
}

/** Compute a statistic, or record why it was skipped (the kernel's located issues kept). */
function orSkip<T>(skipped: SkippedStatistic[], statistic: SkippedStatistic['statistic'], fn: () => T): T | undefined {
  try {
    return fn();
  } catch (e) {
    if (!(e instanceof CityIndexError)) throw e;
    skipped.push({
      statistic,
      reason: 'undefined',
      message: `${statistic} not computed: ${e.issues[0]?.message ?? e.message}`,
      issues: e.issues,
    });
    return undefined;
  }
}

function runRegional(b: Build, cfg: RegionalConfig, target: string): RegionalResult {
  const units = resultUnits(b);
  const codes = cfg.codes ?? defaultCodes(b, target);
  const unitCodes = b.results.scores.unitCodes;
  const y = column(b.results.scores, target);
  const issues: Issue[] = [];
  for (const g of cfg.groupings)
    if (!units.some((u) => Object.hasOwn(u.groups, g)))
      issues.push({
        code: 'E_UNKNOWN_GROUPING',
        message: `grouping "${g}" is not a text column of units.csv`,
        field: 'analyses.regional.groupings',
        expected: Object.keys(units[0]?.groups ?? {}).join(', '),
      });
  for (const c of cfg.compare)
    if (!cfg.groupings.includes(c.grouping))
      issues.push({
        code: 'E_UNKNOWN_GROUPING',
        message: `comparison uses grouping "${c.grouping}" which is not in groupings`,
        field: 'analyses.regional.compare',
        expected: cfg.groupings.join(', '),
      });
  for (const code of codes)
    if (!b.results.scores.codes.includes(code))
      issues.push({
        code: 'E_UNKNOWN_CODE',
        message: `code "${code}" is not a score of the build`,
        field: 'analyses.regional.codes',
        indicator: code,
        expected: b.results.scores.codes.slice(-5).join(', '),
      });
  const popAttr = cfg.populationWeights;
  if (popAttr) {
    const bad = units
      .filter((u) => !(Number.isFinite(unitAttribute(u, popAttr)) && (unitAttribute(u, popAttr) as number) > 0))
      .map((u) => u.code);
    if (bad.length)
      issues.push({
        code: 'E_POPULATION',
        message:
          `population weights "${popAttr}": ${bad.length} unit(s) without a positive number ` +
          `(${bad.slice(0, 5).join(', ')}${bad.length > 5 ? ', …' : ''})`,
        field: 'analyses.regional.populationWeights',
        unit: bad[0],
        expected: 'a numeric column of units.csv with a positive value for every unit',
      });
  }
  if (issues.length) throw new CityIndexError(issues);
  const groupings = cfg.groupings.map((g): RegionalGroupingResult => {
    const labels = units.map((u) => unitGroup(u, g) ?? null);
    const multi = labels.some((l) => l !== null && l.includes('|'));
    const byCode = codes.map((code) => ({
      code,
      summary: regionalSummary(column(b.results.scores, code), labels, { codes: unitCodes }),
    }));
    const skipped: SkippedStatistic[] = [];
    let th: TheilResult | undefined;
    let dg: DagumResult | undefined;
    const nUngrouped = labels.filter((l) => l === null).length;
    if (multi) {
      for (const statistic of ['theil', 'dagum'] as const)
        skipped.push({
          statistic,
          reason: 'multiMembership',
          message: `${statistic} decomposition skipped: some units belong to several "${g}" groups`,
          issues: [],
        });
    } else if (nUngrouped > 0) {
      for (const statistic of ['theil', 'dagum'] as const)
        skipped.push({
          statistic,
          reason: 'ungrouped',
          message: `${statistic} decomposition skipped: ${nUngrouped} unit(s) have no "${g}" group`,
          issues: [],
        });
    } else {
      th = orSkip(skipped, 'theil', () => theil(y, { groups: labels, codes: unitCodes }));
      dg = orSkip(skipped, 'dagum', () => dagum(y, labels, { codes: unitCodes }));
    }
    return { grouping: g, multiMembership: multi, byCode, theil: th, dagum: dg, skipped };
  });
  const pop = popAttr ? Float64Array.from(units, (u) => unitAttribute(u, popAttr) ?? NaN) : undefined;
  const skipped: SkippedStatistic[] = [];
  const giniValue = orSkip(skipped, 'gini', () => gini(y, { codes: unitCodes }));
  const theilValue = orSkip(skipped, 'theil', () => theil(y, { codes: unitCodes }).T);
  const cv = orSkip(skipped, 'cv', () => coefficientOfVariation(y, { codes: unitCodes }));
  const theilPop = pop
    ? orSkip(skipped, 'theilPopulationWeighted', () => theil(y, { codes: unitCodes, weights: pop }).T)
    : undefined;
  const cvPop = pop
    ? orSkip(skipped, 'cvPopulationWeighted', () => coefficientOfVariation(y, { weights: pop, codes: unitCodes }))
    : undefined;
  const comparisons = cfg.compare.map((c) => {
    const grp = groupings.find((g) => g.grouping === c.grouping)!;
    return {
      grouping: c.grouping,
      ...located('analyses.regional.compare', () => compareGroups(grp.byCode[0].summary, c.a, c.b)),
    };
  });
  return {
    code: target,
    groupings,
    inequality: {
      gini: giniValue,
      cv,
      cvPopulationWeighted: cvPop,
      theil: theilValue,
      theilPopulationWeighted: theilPop,
    },
    skipped,
    comparisons,
  };
}

/**
 * Contiguity among the scored units on a map whose `cities` geometries carry an `adcode` property (the
 * China prefecture map): neighbours on the map that are both scored. Units missing from the map are errors.
 */
function mapContiguity(units: readonly Unit[], rule: 'rook' | 'queen', map: Topology | undefined): SpatialWeights {
  if (!map)
    throw new CityIndexError({
      code: 'E_MAP_MISSING',
      message: `${rule} contiguity weights need the map of the units' polygons, and none was supplied`,
      field: 'analyses.spatial.weights',
      expected: 'the China prefecture map (data/maps/china-cities.topo.json), supplied by the host',
    });
  const all = contiguityFromTopology(map, 'cities', { idProperty: 'adcode', rule });
  // a prefecture may be drawn as several geometries: a unit's neighbours are those of all its parts
  const parts = new Map<string, number[]>();
  all.ids.forEach((id, i) => parts.set(id, [...(parts.get(id) ?? []), i]));
  const missing = units.filter((u) => !parts.has(u.code));
  if (missing.length)
    throw new CityIndexError(
      missing.map((u) => ({
        code: 'E_NOT_ON_MAP',
        message: `unit "${u.code}" is not a prefecture of the map (adcode), so it has no polygon`,
        unit: u.code,
        field: 'analyses.spatial.weights',
        expected: 'prefecture-level adcodes as unit codes, or point weights (knn, distanceBand)',
      })),
    );
  const index = new Map(units.map((u, i) => [u.code, i] as const));
  const rows = units.map((u, self) => {
    const found = new Set<number>();
    for (const i of parts.get(u.code)!)
      for (let p = all.offsets[i]; p < all.offsets[i + 1]; p++) {
        const j = index.get(all.ids[all.neighbors[p]]);
        if (j !== undefined && j !== self) found.add(j);
      }
    return [...found].sort((a, c) => a - c).map((j): [number, number] => [j, 1]);
  });
  return weightsFromRows(
    units.map((u) => u.code),
    rows,
    all.description,
    'binary',
  );
}

function runSpatial(b: Build, cfg: SpatialConfig, target: string, seed: number, map?: Topology): SpatialResult {
  const units = resultUnits(b);
  const spec = cfg.weights;
  let ids: string[];
  let w: SpatialWeights;
  if (spec.method === 'contiguity') {
    ids = units.map((u) => u.code);
    w = mapContiguity(units, spec.rule, map);
  } else {
    const located_ = located('analyses.spatial.coordinates', () =>
      pointsFromUnits(units, { lon: cfg.coordinates[0], lat: cfg.coordinates[1] }),
    );
    ids = located_.ids;
    w = located(
      (f) => (f ? `analyses.spatial.weights.${f}` : 'analyses.spatial.weights'),
      () => buildPointWeights(located_.ids, located_.points, spec),
    );
  }
  const y = column(b.results.scores, target);
  const perm = { permutations: cfg.permutations, seed: cfg.seed ?? seed };
  const lisaOptions = { ...perm, alpha: cfg.alpha, adjust: cfg.adjust };
  const leader = cfg.leader;
  const rates = cfg.rates.map((r, k) =>
    located(`analyses.spatial.rates[${k}]`, () => {
      const events = rateColumn(b, units, r.events, `analyses.spatial.rates[${k}].events`);
      const population = rateColumn(b, units, r.population, `analyses.spatial.rates[${k}].population`);
      const moranOfRate = moranRate(events, population, w, { ...perm, adjusted: r.adjusted });
      return { events: r.events, population: r.population, adjusted: r.adjusted, moran: moranOfRate };
    }),
  );
  return {
    code: target,
    weights: w.description,
    rates,
    moran: moran(y, w, perm),
    geary: geary(y, w, perm),
    localMoran: localMoran(y, w, lisaOptions),
    getisOrd: getisOrd(y, w, perm),
    spillover: leader
      ? located('analyses.spatial.leader', () => {
          const unknown = [leader.unit, ...(leader.followers ?? [])].filter((u) => !ids.includes(u));
          if (unknown.length)
            throw new CityIndexError(
              unknown.map((u) => ({
                code: 'E_UNKNOWN_UNIT',
                message: `spatial leader: unit "${u}" is not in the results`,
                unit: u,
                field: u === leader.unit ? 'analyses.spatial.leader.unit' : 'analyses.spatial.leader.followers',
                expected: 'a unit code of units.csv that was scored',
              })),
            );
          return spilloverReport(y, w, leader.unit, { ...lisaOptions, neighbours: leader.followers });
        })
      : undefined,
  };
}

/**
 * A count or population for a rate, per result unit: the raw data column `code` when the build has one,
 * else the numeric unit attribute of that name; a located error when neither exists or a value is missing.
 */
function rateColumn(b: Build, units: Unit[], code: string, field: string): Float64Array {
  const j = b.raw.codes.indexOf(code);
  const n = units.length;
  const out = new Float64Array(n);
  if (j >= 0) {
    const rows = new Map(b.raw.unitCodes.map((u, i) => [u, i]));
    for (let i = 0; i < n; i++) out[i] = b.raw.values[j * b.raw.unitCodes.length + rows.get(units[i].code)!];
  } else {
    for (let i = 0; i < n; i++) out[i] = unitAttribute(units[i], code) ?? NaN;
    if (!units.some((u) => unitAttribute(u, code) !== undefined))
      throw new CityIndexError({
        code: 'E_UNKNOWN_CODE',
        message: `rate: "${code}" is neither a data column nor a numeric column of units.csv`,
        field,
        expected: 'a raw indicator code or a numeric units.csv column (counts, populations)',
      });
  }
  const missing = units.filter((_, i) => !Number.isFinite(out[i])).map((u) => u.code);
  if (missing.length)
    throw new CityIndexError({
      code: 'E_MISSING',
      message: `rate: "${code}" is missing for ${missing.length} unit(s): ${missing.slice(0, 10).join(', ')}`,
      field,
      expected: 'a value for every unit of the spatial analysis',
    });
  return out;
}

const ZH_ORDINAL = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

/**
 * The neutral name of the i-th tier (1 = best): 第一档 / Tier 1.
 * @example neutralTierName(2) // => { zh: '第二档', en: 'Tier 2' }
 */
export function neutralTierName(i: number): LocalText {
  const zh = i >= 1 && i <= 10 ? ZH_ORDINAL[i - 1] : String(i);
  return { zh: `第${zh}档`, en: `Tier ${i}` };
}

function runTiers(b: Build, cfg: TiersConfig, target: string): TiersResult {
  const code = cfg.code ?? target;
  const names: LocalText[] = (cfg.labels ?? []).map((l) => (typeof l === 'string' ? { zh: l, en: l } : l));
  const k = cfg.k ?? (names.length || 4);
  let method: ClassifyOptions;
  switch (cfg.method) {
    case 'fisherJenks':
      method = { method: 'fisherJenks', k };
      break;
    case 'quantiles':
      method = { method: 'quantiles', k };
      break;
    case 'thresholds':
      method = { method: 'thresholds', cuts: cfg.cuts ?? [] };
      break;
    case 'meanSd':
      method = { method: 'meanSd', multiples: cfg.multiples };
      break;
    case 'headTail':
      method = { method: 'headTail' };
      break;
  }
  if (!b.results.scores.codes.includes(code))
    throw new CityIndexError({
      code: 'E_UNKNOWN_CODE',
      message: `tiers: code "${code}" is not a score of the build`,
      field: 'analyses.tiers.code',
      indicator: code,
      expected: b.results.scores.codes.slice(-5).join(', '),
    });
  if (cfg.method === 'thresholds' && !cfg.cuts?.length)
    throw new CityIndexError({
      code: 'E_OPTION',
      message: 'tiers: method "thresholds" needs cuts',
      field: 'analyses.tiers.cuts',
      expected: 'one or more score thresholds, e.g. [40, 60, 80]',
    });
  const labels = names.length ? names.map((n) => n.zh ?? n.en ?? '') : undefined;
  const peerField = cfg.peers?.field;
  if (peerField !== undefined) {
    const units = resultUnits(b);
    if (!units.some((u) => Object.hasOwn(u.groups, peerField)))
      throw new CityIndexError({
        code: 'E_UNKNOWN_GROUPING',
        message: `tiers: peer grouping "${peerField}" is not a text column of units.csv`,
        field: 'analyses.tiers.peers.field',
        expected: Object.keys(units[0]?.groups ?? {}).join(', '),
      });
    method = {
      method: 'peerBands',
      peers: units.map((u) => (Object.hasOwn(u.groups, peerField) ? u.groups[peerField] : null)),
      within: method,
    };
  }
  const r = located(
    (f) => (f ? `analyses.tiers.${f}` : 'analyses.tiers'),
    () => classify(column(b.results.scores, code), { ...method, labels, codes: b.results.scores.unitCodes }),
  );
  // Without project labels the tiers get neutral names (第一档 … / Tier 1 …), never a borrowed term.
  const tierNames = names.length ? names : r.labels.map((_, i) => neutralTierName(i + 1));
  return { ...r, code, tierNames };
}

function runGaps(b: Build, cfg: GapsConfig, target: string): UnitGapsResult[] {
  const unknown = cfg.units.filter((u) => !b.results.scores.unitCodes.includes(u));
  if (unknown.length)
    throw new CityIndexError(
      unknown.map((u) => ({
        code: 'E_UNKNOWN_UNIT',
        message: `unit "${u}" is not in the results`,
        unit: u,
        field: 'analyses.gaps.units',
      })),
    );
  return cfg.units.map((unit) => ({
    unit,
    gaps: unitGaps(b, { unit, peers: cfg.peers }),
    improvements: smallestImprovements(b, { unit, k: cfg.k, target }),
    budget: cfg.budget !== undefined ? bestUnderBudget(b, { unit, budget: cfg.budget, target }) : undefined,
  }));
}

/**
 * Parse an `analyses:` block (located errors with `file`) into settings with defaults filled in.
 * @example parseAnalysesConfig({ regional: { groupings: ['region'] } }).regional!.compare // => []
 */
export function parseAnalysesConfig(raw: unknown, file = 'project.yaml'): AnalysesConfig {
  const r = AnalysesConfigSchema.safeParse(raw ?? {});
  if (!r.success) throw new CityIndexError(zodIssues(r.error, file, ['analyses']));
  return r.data;
}

/**
 * Run every declared analysis on a build. `seed` (default: the build's seed) is used where a section
 * gives none; `period` (the project's period) labels the build's own data in a panel. The uncertainty
 * analysis runs here in one thread unless `skipUncertainty` (the CLI runs it on worker threads instead).
 * @example
 * runAnalyses(asem.build, parseAnalysesConfig({ tiers: { k: 3 } })).tiers!.counts // => [18, 19, 14] (51 units)
 */
export function runAnalyses(
  b: Build,
  settings: AnalysesConfig,
  options: { seed?: number; period?: string; skipUncertainty?: boolean; map?: Topology } = {},
): AnalysesResult {
  const seed = options.seed ?? b.spec.seed ?? 1;
  const target = settings.target ?? b.results.indexCode;
  if (!b.results.scores.codes.includes(target))
    throw new CityIndexError({
      code: 'E_UNKNOWN_CODE',
      message: `analysis target "${target}" is not a score of the build`,
      field: 'analyses.target',
      expected: b.results.scores.codes.slice(-5).join(', '),
    });
  const out: AnalysesResult = { target, settings, errors: [] };
  // Each section runs on its own: a user-caused problem (CityIndexError) is recorded with its issues,
  // located under `analyses.<section>` when the kernel named no path there, and the others go on.
  const attempt = <T>(name: string, fn: () => T): T | undefined => {
    try {
      return fn();
    } catch (e) {
      if (e instanceof CityIndexError) {
        out.errors.push({
          analysis: name,
          issues: e.issues.map((i) =>
            i.field?.startsWith('analyses.')
              ? i
              : { ...i, field: i.field ? `analyses.${name}.${i.field}` : `analyses.${name}` },
          ),
        });
        return undefined;
      }
      throw e;
    }
  };
  if (settings.audit) {
    const a = settings.audit;
    out.audit = attempt('audit', () =>
      located(
        (f) => (f === 'step' ? 'analyses.audit.statsOn' : f ? `analyses.audit.${f}` : 'analyses.audit'),
        () =>
          auditBuild(
            b,
            a === true ? {} : { statsOn: a.statsOn, leaveOneOutLevels: a.leaveOneOutLevels, leaveOneOutTarget: target },
          ),
      ),
    );
  }
  if (settings.gaps) out.gaps = attempt('gaps', () => runGaps(b, settings.gaps!, target));
  if (settings.regional) out.regional = attempt('regional', () => runRegional(b, settings.regional!, target));
  if (settings.spatial)
    out.spatial = attempt('spatial', () => runSpatial(b, settings.spatial!, target, seed, options.map));
  if (settings.tiers) out.tiers = attempt('tiers', () => runTiers(b, settings.tiers!, target));
  if (settings.uncertainty && !options.skipUncertainty) {
    const u = settings.uncertainty;
    out.uncertainty = attempt('uncertainty', () =>
      runAnalysis(b.input, b.spec, { ...u, seed: u.seed ?? seed }, { nominal: b }),
    );
  }
  if (settings.change) {
    const c = settings.change;
    out.change = attempt('change', () =>
      runChange(b.input, b.spec, { ...c, currentPeriod: c.currentPeriod ?? options.period, code: c.code ?? target }),
    );
  }
  return out;
}
