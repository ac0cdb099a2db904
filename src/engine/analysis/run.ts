/**
 * Run the analyses a project declares on a finished build: regional summaries and inequality,
 * spatial autocorrelation and a leader's spillover, tiers. Each section that fails records its
 * located issues in `errors` instead of stopping the others.
 */
import { CityIndexError, type Issue } from '../core/errors.ts';
import { column } from '../core/dataset.ts';
import type { FrameworkNode, LocalText, Unit } from '../core/framework.ts';
import { zodIssues } from '../core/zod-issues.ts';
import type { Build } from '../build/build.ts';
import { AnalysesConfigSchema, type AnalysesConfig, type GapsConfig, type RegionalConfig, type SpatialConfig, type TiersConfig } from './config.ts';
import { regionalSummary, compareGroups, type RegionalSummaryResult, type GroupComparison } from './regional.ts';
import { coefficientOfVariation, gini, theil, dagum, type TheilResult, type DagumResult } from './inequality.ts';
import { classify, type ClassifyResult, type ClassifyOptions } from './tiers.ts';
import { buildPointWeights, pointsFromUnits } from './spatial/weights.ts';
import { moran, type MoranResult } from './spatial/moran.ts';
import { geary, type GearyResult } from './spatial/geary.ts';
import { localMoran, type LocalMoranResult } from './spatial/local-moran.ts';
import { getisOrd, type GetisOrdResult } from './spatial/getis-ord.ts';
import { spilloverReport, type SpilloverReport } from './spatial/spillover.ts';
import { auditBuild, type AuditResult } from './audit/index.ts';
import { runChange, type ChangeResult } from './change.ts';
import { runAnalysis, type AnalysisResult as UncertaintyResult } from './uncertainty/analyse.ts';
import { unitGaps, smallestImprovements, bestUnderBudget, type GapsResult, type ImproveResult, type BudgetResult } from './whatif/index.ts';

export interface RegionalGroupingResult {
  grouping: string;
  /** True when some unit belongs to several groups (clusters): Theil/Dagum decompositions are skipped. */
  multiMembership: boolean;
  /** Summary per code (index and dimensions). */
  byCode: Array<{ code: string; summary: RegionalSummaryResult }>;
  theil?: TheilResult;
  dagum?: DagumResult;
}

export interface RegionalResult {
  code: string;
  groupings: RegionalGroupingResult[];
  inequality: { gini?: number; cv: number; cvPopulationWeighted?: number; theil?: number };
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
  const dims = fw.nodes.filter((n: FrameworkNode) => n.parent === target && b.results.scores.codes.includes(n.code)).map((n) => n.code);
  return root ? [target, ...dims] : [target];
}

function runRegional(b: Build, cfg: RegionalConfig, target: string): RegionalResult {
  const units = resultUnits(b);
  const codes = cfg.codes ?? defaultCodes(b, target);
  const unitCodes = b.results.scores.unitCodes;
  const y = column(b.results.scores, target);
  const issues: Issue[] = [];
  for (const g of cfg.groupings) if (!units.some((u) => g in u.groups)) issues.push({ code: 'E_UNKNOWN_GROUPING', message: `grouping "${g}" is not a text column of units.csv`, field: 'analyses.regional.groupings', expected: Object.keys(units[0]?.groups ?? {}).join(', ') });
  if (issues.length) throw new CityIndexError(issues);
  const groupings = cfg.groupings.map((g): RegionalGroupingResult => {
    const labels = units.map((u) => u.groups[g] ?? null);
    const multi = labels.some((l) => l !== null && l.includes('|'));
    const byCode = codes.map((code) => ({ code, summary: regionalSummary(column(b.results.scores, code), labels, { codes: unitCodes }) }));
    let th: TheilResult | undefined;
    let dg: DagumResult | undefined;
    if (!multi && labels.every((l) => l !== null)) {
      try { th = theil(y, { groups: labels, codes: unitCodes }); } catch { /* non-positive scores: Theil undefined */ }
      try { dg = dagum(y, labels, { codes: unitCodes }); } catch { /* idem */ }
    }
    return { grouping: g, multiMembership: multi, byCode, theil: th, dagum: dg };
  });
  const popAttr = cfg.populationWeights;
  const pop = popAttr ? Float64Array.from(units, (u) => u.attributes[popAttr] ?? NaN) : undefined;
  let giniValue: number | undefined;
  let theilValue: number | undefined;
  try { giniValue = gini(y, { codes: unitCodes }); } catch { /* zeros/negatives */ }
  try { theilValue = theil(y, { codes: unitCodes }).T; } catch { /* idem */ }
  const comparisons = cfg.compare.map((c) => {
    const grp = groupings.find((g) => g.grouping === c.grouping);
    if (!grp) throw new CityIndexError({ code: 'E_UNKNOWN_GROUPING', message: `comparison uses grouping "${c.grouping}" which is not in groupings`, field: 'analyses.regional.compare' });
    return { grouping: c.grouping, ...compareGroups(grp.byCode[0].summary, c.a, c.b) };
  });
  return {
    code: target,
    groupings,
    inequality: { gini: giniValue, cv: coefficientOfVariation(y, { codes: unitCodes }), cvPopulationWeighted: pop ? coefficientOfVariation(y, { weights: pop, codes: unitCodes }) : undefined, theil: theilValue },
    comparisons,
  };
}

function runSpatial(b: Build, cfg: SpatialConfig, target: string, seed: number): SpatialResult {
  const units = resultUnits(b);
  const { ids, points } = pointsFromUnits(units, { lon: cfg.coordinates[0], lat: cfg.coordinates[1] });
  const w = buildPointWeights(ids, points, cfg.weights);
  const y = column(b.results.scores, target);
  const perm = { permutations: cfg.permutations, seed: cfg.seed ?? seed };
  const lisaOptions = { ...perm, alpha: cfg.alpha, adjust: cfg.adjust };
  return {
    code: target,
    weights: w.description,
    moran: moran(y, w, perm),
    geary: geary(y, w, perm),
    localMoran: localMoran(y, w, lisaOptions),
    getisOrd: getisOrd(y, w, perm),
    spillover: cfg.leader ? spilloverReport(y, w, cfg.leader.unit, { ...lisaOptions, neighbours: cfg.leader.followers }) : undefined,
  };
}

function runTiers(b: Build, cfg: TiersConfig, target: string): TiersResult {
  const code = cfg.code ?? target;
  const names: LocalText[] = (cfg.labels ?? []).map((l) => (typeof l === 'string' ? { zh: l, en: l } : l));
  const k = cfg.k ?? (names.length || 4);
  let method: ClassifyOptions;
  switch (cfg.method) {
    case 'fisherJenks': method = { method: 'fisherJenks', k }; break;
    case 'quantiles': method = { method: 'quantiles', k }; break;
    case 'thresholds': method = { method: 'thresholds', cuts: cfg.cuts ?? [] }; break;
    case 'meanSd': method = { method: 'meanSd', multiples: cfg.multiples }; break;
    case 'headTail': method = { method: 'headTail' }; break;
  }
  const labels = names.length ? names.map((n) => n.zh ?? n.en ?? '') : undefined;
  const r = classify(column(b.results.scores, code), { ...method, labels, codes: b.results.scores.unitCodes });
  const tierNames = names.length ? names : r.labels.slice().reverse().map((l) => ({ zh: l.label, en: l.label }));
  return { ...r, code, tierNames };
}

function runGaps(b: Build, cfg: GapsConfig, target: string): UnitGapsResult[] {
  const unknown = cfg.units.filter((u) => !b.results.scores.unitCodes.includes(u));
  if (unknown.length) throw new CityIndexError(unknown.map((u) => ({ code: 'E_UNKNOWN_UNIT', message: `unit "${u}" is not in the results`, unit: u, field: 'analyses.gaps.units' })));
  return cfg.units.map((unit) => ({
    unit,
    gaps: unitGaps(b, { unit, peers: cfg.peers }),
    improvements: smallestImprovements(b, { unit, k: cfg.k, target }),
    budget: cfg.budget !== undefined ? bestUnderBudget(b, { unit, budget: cfg.budget, target }) : undefined,
  }));
}

/**
 * Parse an `analyses:` block (located errors with `file`) into settings with defaults filled in.
 * @example parseAnalysesConfig({ regional: { groupings: ['region'] } }).regional.compare // => []
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
 * @example runAnalyses(build, parseAnalysesConfig({ tiers: { k: 3 } })).tiers.counts // => e.g. [40, 35, 25]
 */
export function runAnalyses(b: Build, settings: AnalysesConfig, options: { seed?: number; period?: string; skipUncertainty?: boolean } = {}): AnalysesResult {
  const seed = options.seed ?? b.spec.seed ?? 1;
  const target = settings.target ?? b.results.indexCode;
  if (!b.results.scores.codes.includes(target)) throw new CityIndexError({ code: 'E_UNKNOWN_CODE', message: `analysis target "${target}" is not a score of the build`, field: 'analyses.target', expected: b.results.scores.codes.slice(-5).join(', ') });
  const out: AnalysesResult = { target, settings, errors: [] };
  const attempt = <T>(name: string, fn: () => T): T | undefined => {
    try { return fn(); } catch (e) {
      if (e instanceof CityIndexError) { out.errors.push({ analysis: name, issues: e.issues }); return undefined; }
      throw e;
    }
  };
  if (settings.audit) out.audit = attempt('audit', () => auditBuild(b, settings.audit === true ? {} : { statsOn: (settings.audit as { statsOn?: string[] }).statsOn, leaveOneOutLevels: (settings.audit as { leaveOneOutLevels?: number[] }).leaveOneOutLevels, leaveOneOutTarget: target }));
  if (settings.gaps) out.gaps = attempt('gaps', () => runGaps(b, settings.gaps!, target));
  if (settings.regional) out.regional = attempt('regional', () => runRegional(b, settings.regional!, target));
  if (settings.spatial) out.spatial = attempt('spatial', () => runSpatial(b, settings.spatial!, target, seed));
  if (settings.tiers) out.tiers = attempt('tiers', () => runTiers(b, settings.tiers!, target));
  if (settings.uncertainty && !options.skipUncertainty) {
    const u = settings.uncertainty;
    out.uncertainty = attempt('uncertainty', () => runAnalysis(b.input, b.spec, { ...u, seed: u.seed ?? seed }, { nominal: b }));
  }
  if (settings.change) {
    const c = settings.change;
    out.change = attempt('change', () => runChange(b.input, b.spec, { ...c, currentPeriod: c.currentPeriod ?? options.period, code: c.code ?? target }));
  }
  return out;
}
