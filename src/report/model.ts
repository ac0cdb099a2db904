/**
 * The report as a typed, pure model: what the report says, before any HTML. `buildReportModel(ctx,
 * lang)` gives the title and counts, the alerts a reader must see first, the notes, the key findings
 * (each with its numbers and catalogue message), the charts as ECharts options, and the sections
 * present, in order, with their titles. `html.ts` renders a model to one self-contained HTML file; a
 * web page can render the same model (ECharts in the browser) — this module and `charts.ts` import no
 * Node API (tests/report/browser-bundle.test.ts bundles them for the browser).
 */
import {
  formatList,
  labels,
  otherLang,
  pickText,
  t,
  type LabelKey,
  type Lang,
  type MessageCode,
} from '../engine/i18n/index.ts';
import { reportIndex, isChineseAdcodes, isCityReport, type ReportContext } from './context.ts';
import { computeFindings, type Finding, type FindingKind } from './findings.ts';
import { reportChartSpecs, type ReportChartSpec } from './charts.ts';
import { escapeHtml as esc } from './markdown.ts';
import { summarySentences, type SummarySentence } from './sections/summary.ts';
import { flaggedCodes, insufficientUnits, markerOf, reportDataQuality } from './sections/quality.ts';
import { publishedPresent } from './sections/published.ts';
import type { LocalText } from '../engine/core/framework.ts';

/** Section ids in report order (also the HTML anchors). */
export const REPORT_SECTIONS = [
  'summary',
  'findings',
  'ranking',
  'quality',
  'map',
  'radar',
  'regional',
  'spatial',
  'tiers',
  'published',
  'gaps',
  'change',
  'uncertainty',
  'audit',
  'surveys',
  'cases',
  'series',
  'caselog',
  'method',
  'sources',
  'repro',
] as const;

export type ReportSectionId = (typeof REPORT_SECTIONS)[number];

/** A section present in the report, with its heading in the report's language. */
export interface ReportSection {
  id: ReportSectionId;
  title: string;
}

/** One key finding in the report's language. */
export interface ReportFinding {
  id: string;
  kind: FindingKind;
  message: MessageCode;
  /** The sentence in the model's language. */
  text: string;
  units: string[];
  /** The numbers the sentence rests on (the finding's `data`). */
  data: Finding['data'];
}

/** One row of the ranking table: a unit's index and dimension scores and ranks, tier and rank interval. */
export interface ReportRankingRow {
  unit: string;
  /** Name in the model's language, and in the other language when it differs. */
  name: string;
  otherName?: string;
  rank: number;
  score: number;
  dimensions: Array<{ code: string; score: number; rank: number }>;
  /** Tier name (when the tiers analysis ran; `undefined` for a unit without a tier). */
  tier?: string;
  /** Rank interval from the uncertainty analysis (when given). */
  interval?: { q5: number; q95: number; median: number };
  /** True for the unit(s) ranked first. */
  leader: boolean;
  /** Codes (index, dimensions) whose score rests on an imputed (`*`) or borrowed (`†`) value: code → marker. */
  markers: Record<string, string>;
  /** Share of the unit's index weight on imputed or borrowed values (0–1). */
  imputedShare: number;
  /** True when that share is above the project's `report.insufficientDataShare`: shown as "insufficient data". */
  insufficient: boolean;
}

/** The ranking table: every unit, best index score first. */
export interface ReportRanking {
  indexCode: string;
  indexName: string;
  dimensions: Array<{ code: string; name: string }>;
  hasTiers: boolean;
  hasIntervals: boolean;
  /** True for Chinese cities (the unit column is headed "City", else "Unit"). */
  cities: boolean;
  rows: ReportRankingRow[];
}

/**
 * The ranking table of a context: every unit (best first) with its scores, ranks, tier and interval.
 * @example
 * import { loadProject } from '../formats/index.ts';
 * import { build } from '../engine/pipeline/build.ts';
 * import { prepareReportContext } from './index.ts';
 * const project = await loadProject('examples/cdgi-2020');
 * const ctx = { ...(await prepareReportContext(project, build(project.input, project.spec))), lang: 'en' as const };
 * reportRanking(ctx).rows[0].name // => 'Hangzhou'
 */
export function reportRanking(ctx: ReportContext): ReportRanking {
  const ix = reportIndex(ctx);
  const tiers = ctx.analyses?.tiers;
  const tierOf = new Map<string, string>();
  if (tiers) {
    const k = tiers.labels.length;
    ctx.build.results.scores.unitCodes.forEach((u, i) => {
      const c = tiers.classOf[i];
      if (c >= 0) tierOf.set(u, pickText(tiers.tierNames[k - 1 - c], ix.lang, tiers.labelOf[i] ?? ''));
    });
  }
  const intervals = new Map((ctx.rankIntervals ?? []).map((r) => [r.unit, r]));
  const shareOf = new Map(reportDataQuality(ctx).shares.map((s) => [s.unit, s.share]));
  const insufficient = insufficientUnits(ctx);
  const rows = ix.order.map((u): ReportRankingRow => {
    const flags = flaggedCodes(ctx, u);
    const name = ix.unitName(u);
    const other = ix.units.get(u)?.name[otherLang(ix.lang)];
    const iv = intervals.get(u);
    return {
      unit: u,
      name,
      ...(other && other !== name ? { otherName: other } : {}),
      rank: ix.rank(u),
      score: ix.score(u),
      dimensions: ix.dimensions.map((d) => ({ code: d, score: ix.score(u, d), rank: ix.rank(u, d) })),
      tier: tierOf.get(u),
      ...(iv ? { interval: { q5: iv.q5, q95: iv.q95, median: iv.median } } : {}),
      leader: ix.rank(u) === 1,
      markers: Object.fromEntries(
        [ix.indexCode, ...ix.dimensions].map((c) => [c, markerOf(flags, c)]).filter((e) => e[1]),
      ),
      imputedShare: shareOf.get(u) ?? 0,
      insufficient: insufficient.has(u),
    };
  });
  return {
    indexCode: ix.indexCode,
    indexName: ix.nodeName(ix.indexCode),
    dimensions: ix.dimensions.map((d) => ({ code: d, name: ix.nodeName(d) })),
    hasTiers: tiers !== undefined,
    hasIntervals: intervals.size > 0,
    cities: isCityReport(ctx.build.results.scores.unitCodes),
    rows,
  };
}

export interface ReportModel {
  lang: Lang;
  /** The other language (the report links to its file). */
  other: Lang;
  title: string;
  meta: { edition?: string; period?: string; units: number; indicators: number; notCollected: number };
  /** Warnings a reader sees before the findings, as HTML fragments (every parameter escaped). */
  alerts: string[];
  /** Notes of the project (`report.notes`, `description`), plain text. */
  notes: string[];
  findings: ReportFinding[];
  /** The plain-language summary before the findings (sections/summary.ts). */
  summary: SummarySentence[];
  /** True when the units are Chinese cities drawn on the China map (else ranking bars). */
  useMap: boolean;
  charts: ReportChartSpec[];
  /** The ranking table. */
  ranking: ReportRanking;
  sections: ReportSection[];
}

export interface ReportModelOptions {
  /** Adcodes on the registered China map (`mapAdcodes()`); without it no map is drawn. */
  mapRegions?: ReadonlySet<string>;
  /** Pre-computed findings (default: `computeFindings(ctx)`). */
  findings?: Finding[];
}

/** True when 90 % of the units are on the map. */
function drawsMap(units: readonly string[], regions: ReadonlySet<string> | undefined): boolean {
  if (regions === undefined || !isChineseAdcodes(units)) return false;
  return units.filter((u) => regions.has(u)).length >= units.length * 0.9;
}

/**
 * Warnings a reader must see before the findings: simulated data that entered the index, and analyses
 * that could not run (their issues are listed under Methodology).
 * @example
 * import { loadProject } from '../formats/index.ts';
 * import { build } from '../engine/pipeline/build.ts';
 * import { prepareReportContext } from './index.ts';
 * const project = await loadProject('examples/cdgi-2020');
 * const ctx = { ...(await prepareReportContext(project, build(project.input, project.spec))), lang: 'zh' as const };
 * reportAlerts(ctx, 'en') // => [] (real data, every analysis ran)
 */
export function reportAlerts(ctx: Omit<ReportContext, 'lang'>, lang: Lang): string[] {
  const ix = reportIndex({ ...ctx, lang });
  const items: string[] = [];
  for (const s of ctx.project.surveys ?? []) {
    if (!s.simulated || !s.indicators.length) continue;
    const inds = formatList(
      lang,
      s.indicators.map((c) => `${esc(ix.nodeName(c))} (<code>${esc(c)}</code>)`),
    );
    items.push(t(lang, 'alert.simulated', { indicators: inds, title: esc(s.title) }));
  }
  const errors = ctx.analyses?.errors ?? [];
  if (errors.length) {
    const names = formatList(
      lang,
      errors.map((e) => `<code>${esc(e.analysis)}</code>`),
    );
    items.push(t(lang, 'alert.analysisErrors', { names }));
  }
  return items;
}

/** Whether each section has content, from the context (the renderer draws exactly these). */
function sectionPresent(id: ReportSectionId, ctx: ReportContext, charts: readonly ReportChartSpec[]): boolean {
  const a = ctx.analyses;
  switch (id) {
    case 'map':
      return charts.some((c) => c.role === 'map' || c.role === 'rankingBars');
    case 'radar':
      return charts.some((c) => c.role === 'radar');
    case 'regional':
      return a?.regional !== undefined;
    case 'spatial':
      return a?.spatial !== undefined;
    case 'tiers':
      return a?.tiers !== undefined;
    case 'published':
      return publishedPresent(ctx);
    case 'gaps':
      return (a?.gaps?.length ?? 0) > 0;
    case 'change':
      return a?.change !== undefined;
    case 'uncertainty':
      return a?.uncertainty !== undefined;
    case 'audit':
      return (ctx.audit ?? (a as { audit?: ReportContext['audit'] } | undefined)?.audit) !== undefined;
    case 'surveys':
      return ctx.project.surveys.length > 0;
    case 'cases':
      return (ctx.cases?.length ?? 0) > 0;
    case 'series':
      return ctx.series !== undefined && (ctx.series.aggregate ?? ctx.series.series[0]) !== undefined;
    case 'caselog':
      return (ctx.caselogs ?? []).some((l) => l.values.some((v) => v.level === 'city'));
    default:
      return true;
  }
}

const SECTION_TITLE: Readonly<Record<ReportSectionId, LabelKey>> = {
  summary: 'summary',
  findings: 'findings',
  ranking: 'ranking',
  map: 'map',
  radar: 'radar',
  regional: 'regional',
  spatial: 'spatial',
  tiers: 'tiers',
  published: 'published',
  quality: 'quality',
  gaps: 'gapsTitle',
  change: 'change',
  uncertainty: 'uncertainty',
  audit: 'audit',
  surveys: 'surveys',
  cases: 'cases',
  series: 'series',
  caselog: 'caselog',
  method: 'method',
  sources: 'sources',
  repro: 'repro',
};

/**
 * The report model of a context in `lang`. Pure: the same context gives the same model.
 * @example
 * import { loadProject } from '../formats/index.ts';
 * import { build } from '../engine/pipeline/build.ts';
 * import { prepareReportContext } from './index.ts';
 * const project = await loadProject('examples/cdgi-2020');
 * const ctx = { ...(await prepareReportContext(project, build(project.input, project.spec))), lang: 'zh' as const };
 * buildReportModel(ctx, 'en').sections.map((s) => s.id).slice(0, 3) // => ['summary', 'findings', 'ranking']
 */
export function buildReportModel(
  ctx: Omit<ReportContext, 'lang'>,
  lang: Lang,
  options: ReportModelOptions = {},
): ReportModel {
  const full: ReportContext = { ...ctx, lang };
  const L = labels(lang);
  const p = ctx.project.project;
  const report = (p.report ?? {}) as { title?: string | LocalText; notes?: Array<string | LocalText> };
  const units = ctx.build.results.scores.unitCodes;
  const useMap = drawsMap(units, options.mapRegions);
  const charts = reportChartSpecs(full, { useMap });
  const findings = (options.findings ?? computeFindings(full)).map((f) => ({
    id: f.id,
    kind: f.kind,
    message: f.message,
    text: f.text[lang],
    units: f.units,
    data: f.data,
  }));
  const sections = REPORT_SECTIONS.filter((id) => sectionPresent(id, full, charts)).map((id) => ({
    id,
    title: id === 'map' && !useMap ? L.rankingBars : L[SECTION_TITLE[id]],
  }));
  return {
    lang,
    other: otherLang(lang),
    title: pickText(report.title ?? p.name, lang, 'cityindex report'),
    meta: {
      edition: p.edition !== undefined ? String(p.edition) : undefined,
      period: p.period !== undefined ? String(p.period) : undefined,
      units: units.length,
      indicators: ctx.build.raw.codes.length,
      notCollected: ctx.project.gaps.length,
    },
    alerts: reportAlerts(ctx, lang),
    notes: [...(report.notes ?? []), ...(p.description ? [p.description] : [])]
      .map((n) => pickText(n, lang))
      .filter(Boolean),
    findings,
    summary: summarySentences(ctx, findings, lang),
    useMap,
    charts,
    ranking: reportRanking(full),
    sections,
  };
}
