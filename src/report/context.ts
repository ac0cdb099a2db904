/**
 * What a report is made from: the loaded project, its build, the optional analyses (regional,
 * spatial, tiers, audit, rank intervals from the uncertainty analysis) and cases, and the language.
 * Helpers here turn codes into display names so every part of the report names things the same way.
 */
import type { Series } from '../engine/series/series.ts';
import type { AuditResult as TableAuditResult } from '../engine/series/audit.ts';
import type { LoadedProject } from '../formats/project.ts';
import type { Build } from '../engine/pipeline/build.ts';
import type { AnalysesResult } from '../engine/analysis/run.ts';
import type { AuditResult } from '../engine/analysis/audit/index.ts';
import type { Case } from '../engine/cases/search.ts';
import type { KpiPageLog } from '../engine/caselog/pages.ts';
import type { FrameworkNode, Unit } from '../engine/core/framework.ts';
import { column } from '../engine/core/dataset.ts';
import { CityIndexError } from '../engine/core/errors.ts';
import { formatNumber, formatPercent, formatRank, pickText, t, type Lang } from '../engine/i18n/index.ts';

/** The report's languages (the catalogue's). */
export type ReportLang = Lang;

/** A unit's rank interval from the uncertainty analysis (ranks: 1 = best). */
export interface RankInterval {
  unit: string;
  nominal: number;
  median: number;
  q5: number;
  q95: number;
}

/** Time-series indices shown beside the evaluation (project `series:` block). */
export interface ReportSeries {
  series: Series[];
  /** The aggregate (e.g. national) index when one was computed. */
  aggregate?: Series;
  /** Audit of a published table, when configured. */
  audit?: TableAuditResult;
  /** Label shown with every output (e.g. the source, or "模拟数据"). */
  note?: string;
  /** File the series came from. */
  file: string;
}

export interface ReportContext {
  project: LoadedProject;
  /** Time series tracked beside the evaluation; surveys used as data come from `project.surveys`. */
  series?: ReportSeries;
  build: Build;
  analyses?: AnalysesResult;
  /** Rank intervals (Monte Carlo over the method choices); shown in the ranking table when given. */
  rankIntervals?: RankInterval[];
  /** Statistical audit; default `analyses.audit` when the analyses carry one. */
  audit?: AuditResult;
  cases?: Case[];
  /** KPI values of the project's case logs (the `kind: kpi` data sources), for the governance KPI section. */
  caselogs?: KpiPageLog[];
  lang: ReportLang;
  /** ISO timestamp printed in the reproducibility section (default: none, so output is byte-stable). */
  generatedAt?: string;
  /** cityindex version printed in the reproducibility section (default: package.json's, read by the caller). */
  version?: string;
}

export { pickText, spaceMixed } from '../engine/i18n/index.ts';

/**
 * A grouping's display name (a column name not listed is shown with spaces for underscores).
 * @example groupingName('north_south', 'zh') // => '南北'
 */
export function groupingName(grouping: string, lang: ReportLang): string {
  return t(lang, 'name.grouping', { key: grouping });
}

/**
 * A group label in the report language (the bundled groupings' labels have English names; any other
 * label is shown as written).
 * @example groupLabel('东部', 'en') // => 'East'
 */
export function groupLabel(label: string, lang: ReportLang): string {
  return t(lang, 'name.groupLabel', { label });
}

/** Lookups shared by findings, charts and HTML. */
export interface ReportIndex {
  lang: ReportLang;
  units: Map<string, Unit>;
  /** Final framework (after any weight steps). */
  nodes: Map<string, FrameworkNode>;
  indexCode: string;
  /** Children of the index present in the scores (the dimensions), framework order. */
  dimensions: string[];
  /** Unit codes in the results, best index score first (ties by code). */
  order: string[];
  score: (unit: string, code?: string) => number;
  rank: (unit: string, code?: string) => number;
  unitName: (unit: string) => string;
  nodeName: (code: string) => string;
}

/**
 * Build the lookups of a report context.
 * @example
 * import { loadProject } from '../formats/index.ts';
 * import { build } from '../engine/pipeline/build.ts';
 * import { prepareReportContext } from './index.ts';
 * const project = await loadProject('examples/cdgi-2020');
 * const ctx = { ...(await prepareReportContext(project, build(project.input, project.spec))), lang: 'zh' as const };
 * reportIndex(ctx).order[0] // => '330100' (the leading unit)
 */
export function reportIndex(ctx: ReportContext): ReportIndex {
  const { build, lang } = ctx;
  const last = build.steps.length ? build.steps[build.steps.length - 1] : undefined;
  const fw = last ? last.framework : build.input.framework;
  const nodes = new Map(fw.nodes.map((n) => [n.code, n]));
  const units = new Map(build.input.units.map((u) => [u.code, u]));
  const scores = build.results.scores;
  const ranks = build.results.ranks;
  const indexCode = build.results.indexCode;
  const dimensions = fw.nodes.filter((n) => n.parent === indexCode && scores.codes.includes(n.code)).map((n) => n.code);
  const rowOf = new Map(scores.unitCodes.map((u, i) => [u, i]));
  const colCache = new Map<string, Float64Array>();
  const col = (ds: typeof scores, code: string, key: string) => {
    let c = colCache.get(key + code);
    if (!c) {
      c = column(ds, code);
      colCache.set(key + code, c);
    }
    return c;
  };
  const score = (unit: string, code = indexCode) => {
    const i = rowOf.get(unit);
    return i === undefined || !scores.codes.includes(code) ? NaN : col(scores, code, 's')[i];
  };
  const rank = (unit: string, code = indexCode) => {
    const i = rowOf.get(unit);
    return i === undefined || !ranks.codes.includes(code) ? NaN : col(ranks, code, 'r')[i];
  };
  const order = [...scores.unitCodes].sort((a, b) => {
    const sa = score(a),
      sb = score(b);
    const na = Number.isNaN(sa),
      nb = Number.isNaN(sb);
    if (na !== nb) return na ? 1 : -1;
    return sb - sa || (a < b ? -1 : a > b ? 1 : 0);
  });
  const unitName = (u: string) => pickText(units.get(u)?.name, lang, u);
  const nodeName = (c: string) => pickText(nodes.get(c)?.name, lang, c);
  return { lang, units, nodes, indexCode, dimensions, order, score, rank, unitName, nodeName };
}

/**
 * True when the units are Chinese prefecture-level adcodes (6 digits, province prefix 11–82), so a map
 * of China applies.
 * @example isChineseAdcodes(['330100', '440300']) // => true
 */
export function isChineseAdcodes(codes: readonly string[]): boolean {
  return codes.length > 0 && codes.every((c) => /^[1-8]\d{5}$/.test(c));
}

/**
 * Format a number for the report with a fixed number of decimals (see `formatNumber`).
 * @example fmt(61.23456, 1) // => '61.2'
 */
export const fmt = formatNumber;

/**
 * A share as a percentage string (see `formatPercent`).
 * @example pct(0.6234) // => '62%'
 */
export const pct = formatPercent;

/**
 * True when the units are Chinese cities (adcodes): the report then speaks of cities and the national
 * mean; otherwise (e.g. ASEM countries) of units and the overall mean.
 * @example isCityReport(['330100']) // => true
 */
export function isCityReport(codes: readonly string[]): boolean {
  return isChineseAdcodes(codes);
}

/** The spatial weights of `analyses.spatial.weights`, as the config gives them. */
export type WeightsSetting =
  | { method: 'knn'; k: number }
  | { method: 'distanceBand'; threshold: number }
  | { method: 'inverseDistance'; alpha?: number; cutoff?: number }
  | { method: 'contiguity'; rule: 'rook' | 'queen' };

/**
 * The spatial weights in words, for readers (distances are great-circle between the units' seats;
 * Moran's I, Geary's C and local Moran row-standardise W, Gi* uses it as built).
 * @example
 * describeWeights({ method: 'knn', k: 5 }, 'en')
 * // => 'k nearest neighbours (k = 5, great-circle distance between seats)'
 */
export function describeWeights(w: WeightsSetting, lang: ReportLang): string {
  switch (w.method) {
    case 'knn':
      return t(lang, 'weights.knn', { k: w.k });
    case 'distanceBand':
      return t(lang, 'weights.distanceBand', { threshold: w.threshold });
    case 'inverseDistance':
      return t(lang, 'weights.inverseDistance', { alpha: w.alpha ?? 1, cutoff: w.cutoff });
    case 'contiguity':
      return t(lang, 'weights.contiguity', { rule: w.rule });
    default:
      throw new CityIndexError({
        code: 'E_METHOD',
        field: 'analyses.spatial.weights.method',
        message: `unknown spatial weights method "${String((w as { method: unknown }).method)}"`,
        expected: 'knn | distanceBand | inverseDistance | contiguity',
      });
  }
}

/**
 * A rank or rank quantile for print (see `formatRank`).
 * @example fmtRank(41.00000001) // => '41'
 */
export const fmtRank = formatRank;

/**
 * A bilingual note written as `中文 / English` (one string in project.yaml; the last `/ ` splits it) in
 * the report's language; any other note is returned as written.
 * @example noteForLanguage('模拟数据 / simulated', 'en') // => 'simulated'
 */
export function noteForLanguage(note: string, lang: ReportLang): string {
  const k = note.lastIndexOf('/ ');
  if (k < 0) return note;
  const a = note.slice(0, k).trim(),
    b = note.slice(k + 2).trim();
  const cjk = /[\u3400-\u9fff]/;
  if (!cjk.test(a) || cjk.test(b)) return note;
  return pickText({ zh: a, en: b }, lang);
}
