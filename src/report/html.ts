/**
 * The report as one self-contained HTML file (inline CSS and SVG, no script, no external URL: it
 * opens offline and prints to PDF as is). One file per language: `report.html` in the project's
 * language and `report.<other>.html` in the other, each linking to its sibling.
 *
 * Sections: title and notes, key findings, ranking table (dimension scores and ranks, tiers, rank
 * intervals when given), map, radar, regional bars and inequality, LISA map and spillover, tiers and
 * their rule, audit, case studies under their cities, methodology (every step with its parameters and
 * what it did), data sources and gaps, and the inputs' hashes for reproducibility.
 */
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { stableStringify, type StepRecord } from '../engine/pipeline/build.ts';
import { describeStep } from '../engine/methods/describe.ts';
import { caseCitation } from '../engine/cases/search.ts';
import { explainScore } from '../engine/pipeline/lineage.ts';
import type { StepSpec } from '../engine/spec/spec.ts';
import type { SkippedStatistic } from '../engine/analysis/run.ts';
import {
  describeWeights,
  fmt,
  fmtRank,
  groupLabel,
  groupingName,
  isChineseAdcodes,
  isCityReport,
  noteForLanguage,
  pct,
  pickText,
  reportIndex,
  type ReportContext,
  type ReportIndex,
  type ReportLang,
} from './context.ts';
import type { Finding, FindingKind } from './findings.ts';
import {
  headlineChartOption,
  PHONE_CHART_WIDTH,
  phoneChartHeight,
  summaryListHtml,
  TECHNICAL_FINDINGS,
} from './sections/summary.ts';
import { table } from './sections/table.ts';
import { caselogSectionHtml } from './sections/caselog.ts';
import { uncertaintySectionHtml } from './sections/uncertainty.ts';
import { methodsReaderHtml } from './sections/methods.ts';
import { auditReaderHtml } from './sections/audit.ts';
import { shareRepeatedPaths } from './svg-share.ts';
import { printedSeriesChartOption } from './sections/series.ts';
import { renderSectionMaps } from './sections/maps.ts';
import { mapAdcodes, mapSourceNote, renderChartSpecs, renderSvg, type ReportCharts } from './charts.ts';
import { readChinaMap } from './china-map-file.ts';
import {
  buildReportModel,
  type ReportFinding,
  type ReportRanking,
  type ReportRankingRow,
  type ReportSectionId,
} from './model.ts';
import { seriesChartOption } from './series-chart.ts';
import {
  chartLegendHtml,
  flaggedCodes,
  markerOf,
  qualitySection,
  reportDataQuality,
  sharedSourceHtml,
  sourceShareHtml,
  unitMarker,
  unitMarkerAny,
} from './sections/quality.ts';
import { publishedSection } from './sections/published.ts';
import { getValue } from '../engine/core/dataset.ts';
import { bodyForLanguage, escapeHtml as esc, markdownToHtml } from './markdown.ts';
import type { Issue } from '../engine/core/errors.ts';
import {
  formatAnd,
  formatList,
  issueText,
  joinClauses,
  joinSentences,
  labels,
  localise,
  otherLang,
  t,
  TYPESET,
  type LabelKey,
} from '../engine/i18n/index.ts';

type Labels = Readonly<Record<LabelKey, string>>;

/** File name of the report in `lang` when the project's own language is `primary`. */
export function reportFileName(lang: ReportLang, primary: ReportLang): string {
  return lang === primary ? 'report.html' : `report.${lang}.html`;
}

export interface RenderHtmlOptions {
  /** Relative link to the other language's file (default from `reportFileName`); `null` for none. */
  otherLanguageHref?: string | null;
  /** Pre-computed findings (default: `computeFindings(ctx)`). */
  findings?: Finding[];
}

// A line of rules that is too long goes on after a backslash (a line continuation adds nothing to the text).
const CSS = `
:root{--ink:#222;--muted:#666;--line:#ddd;--accent:#b03a2e;--soft:#faf7f2}
*{box-sizing:border-box}
body{margin:0;font-family:"Noto Sans CJK SC","Noto Sans SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",\
system-ui,sans-serif;color:var(--ink);line-height:1.55;font-size:15px;background:#fff}
main{max-width:1040px;margin:0 auto;padding:24px 28px 60px}
header.top{border-bottom:3px solid var(--accent);padding-bottom:12px;margin-bottom:8px}
h1{font-size:28px;margin:8px 0 4px}h2{font-size:21px;margin:34px 0 10px;border-bottom:1px solid var(--line);\
padding-bottom:4px;color:var(--accent)}
h3{font-size:17px;margin:22px 0 8px}h4{font-size:15px;margin:16px 0 6px}
.meta{color:var(--muted);font-size:13px}.lang-switch{float:right;font-size:13px;border:1px solid var(--line);\
padding:2px 10px;border-radius:12px;text-decoration:none;color:var(--ink)}
.alert{background:#fff1ef;border-left:4px solid var(--accent);padding:6px 14px;margin:12px 0;font-size:14px}\
.alert ul{margin:4px 0;padding-left:18px}
.notes{background:var(--soft);border-left:4px solid #e0c9a6;padding:8px 14px;margin:12px 0;font-size:13.5px}\
.notes li{margin:3px 0}
ol.findings li{margin:6px 0}ul.summary{font-size:16px;line-height:1.7;padding-left:20px}ul.summary li{margin:4px 0}\
p.finding{background:var(--soft);padding:6px 12px;border-left:3px solid #e0c9a6}
table{border-collapse:collapse;width:100%;font-size:13px;margin:8px 0 14px}th,td{border-bottom:1px solid var(--line);\
padding:4px 6px;text-align:left;vertical-align:top}
th{background:#f3f3f3;font-weight:600}td:first-child,th:first-child{white-space:nowrap}\
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}td.num{white-space:nowrap}\
table.ranking th{font-size:12px;line-height:1.3;vertical-align:bottom}\
table.ranking td.name,table.ranking td.tier{white-space:nowrap}
#quality td:first-child,#quality th:first-child,#published td:first-child,table.source-share td:first-child\
{white-space:normal;min-width:5em}
tr.lead td{background:#fff3e6}.sub{color:var(--muted);font-size:11.5px}
figure{margin:10px 0 18px;text-align:center;page-break-inside:avoid;break-inside:avoid}figure svg{max-width:100%;\
height:auto}
figcaption{font-size:13px;color:var(--muted);margin-top:4px}.map-note{font-size:12px;color:var(--muted)}\
.chart-phone{display:none}
.grid2{display:flex;flex-wrap:wrap;gap:8px;justify-content:space-between}.grid2 figure{flex:1 1 440px}\
.dimension-maps figure{flex:0 1 calc(50% - 8px);min-width:0}
.case{border:1px solid var(--line);border-radius:6px;padding:8px 16px;margin:12px 0;page-break-inside:avoid}
.case .city{font-size:13px;color:var(--accent);font-weight:600}
code{font-family:ui-monospace,"DejaVu Sans Mono",monospace;font-size:12px;background:#f4f4f4;padding:0 3px;\
border-radius:3px;word-break:break-all}
.url{color:var(--muted);font-size:12px;word-break:break-all}.orig{color:var(--muted)}
.tag{display:inline-block;font-size:11px;padding:0 6px;border-radius:8px;background:#eee;margin-right:4px}
.gap{color:#8a5a00}.hash{font-family:ui-monospace,"DejaVu Sans Mono",monospace;font-size:11px;word-break:break-all}
footer{margin-top:40px;border-top:1px solid var(--line);padding-top:8px;font-size:12px;color:var(--muted)}
@page{size:A4;margin:16mm 14mm 16mm 14mm}
@media print{body{font-size:10.5pt}table{font-size:8.5pt}main{max-width:none;padding:0}.lang-switch{display:none}\
h2,h3{page-break-after:avoid;break-after:avoid}table.ranking{font-size:7.5pt}table.ranking th{font-size:7pt}\
table.ranking td,table.ranking th{padding:2px 3px}
tr,td,th{page-break-inside:avoid;break-inside:avoid}thead{display:table-header-group}a{color:inherit;\
text-decoration:none}}
@media screen and (max-width:700px){main{padding:12px 12px 40px}h1{font-size:22px}\
table,thead,tbody,tr,td{display:block;width:100%}thead{display:none}\
tr{border-bottom:1px solid var(--line);padding:4px 0}td{border:none;padding:1px 4px;text-align:left!important;\
white-space:normal!important}td[data-label]::before{content:attr(data-label);display:inline-block;\
min-width:7em;margin-right:8px;color:var(--muted);font-size:11.5px}\
table.ranking tr{display:grid;grid-template-columns:2.4em minmax(0,1fr) auto;gap:1px 8px;align-items:baseline}\
table.ranking td{grid-column:1/-1;width:auto;text-align:right!important}\
table.ranking td::before{float:left;text-align:left}table.ranking sup{line-height:0}\
table.ranking td:nth-child(-n+3){grid-column:auto;font-weight:700}\
table.ranking td:nth-child(-n+3)::before{display:none}\
table.ranking td.name{text-align:left!important}table.ranking td:nth-child(3){font-size:15px}\
.grid2>*{flex:1 1 100%!important;min-width:0}.lang-switch{float:none;display:inline-block;margin-bottom:4px}\
.chart-desktop{display:none}.chart-phone{display:block}}
`;

/** A unit's name in the report's language with its name in the other language beneath, when it has one. */
function bothNames(ix: ReportIndex, u: string): string {
  const x = ix.units.get(u);
  const main = ix.unitName(u);
  const other = x?.name[otherLang(ix.lang)];
  return other && other !== main ? `${esc(main)} <span class="sub">${esc(other)}</span>` : esc(main);
}

function sourceText(
  s: { name?: string; url?: string; year?: string | number; licence?: string; file?: string } | undefined,
): string {
  if (!s) return '';
  return [
    s.name && esc(s.name),
    s.year !== undefined && esc(String(s.year)),
    s.licence && esc(s.licence),
    s.url && `<span class="url">${esc(s.url)}</span>`,
  ]
    .filter(Boolean)
    .join(' · ');
}

function version(ctx: ReportContext): string {
  if (ctx.version) return ctx.version;
  try {
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string })
      .version;
  } catch {
    return 'unknown';
  }
}

/** Column heading for the units: 城市 / City for Chinese cities, 评价对象 / Unit otherwise. */
function unitHeader(ctx: ReportContext, L: Labels): string {
  return isCityReport(ctx.build.results.scores.unitCodes) ? L.unit : L.unitGeneric;
}

/** The ranking table of the model, and the leader's score by indicator. */
function rankingSection(ctx: ReportContext, ix: ReportIndex, L: Labels, ranking: ReportRanking): string {
  const g = ranking;
  const head = [
    L.rank,
    g.cities ? L.unit : L.unitGeneric,
    esc(g.indexName),
    ...g.dimensions.map((d) => `${esc(d.name)}<div class="sub">${L.score} (${L.rank})</div>`),
  ];
  if (g.hasTiers) head.push(L.tier);
  if (g.hasIntervals) head.push(L.interval);
  const name = (r: ReportRankingRow) =>
    r.otherName ? `${esc(r.name)} <span class="sub">${esc(r.otherName)}</span>` : esc(r.name);
  const rows = g.rows.map((row) => {
    const mk = (c: string) => (row.markers[c] ? `<sup class="mark">${row.markers[c]}</sup>` : '');
    const r = [
      row.insufficient ? `<span class="insufficient">${t(ix.lang, 'quality.insufficient')}</span>` : fmt(row.rank, 0),
      name(row),
      fmt(row.score) + mk(g.indexCode),
      ...row.dimensions.map((d) => `${fmt(d.score)}${mk(d.code)} <span class="sub">(${fmt(d.rank, 0)})</span>`),
    ];
    if (g.hasTiers) r.push(esc(row.tier ?? '—'));
    if (g.hasIntervals) {
      const iv = row.interval;
      r.push(iv ? `${fmtRank(iv.q5)}–${fmtRank(iv.q95)} (${fmtRank(iv.median)})` : '—');
    }
    return r;
  });
  const nums = [0, 2, ...g.dimensions.map((_, k) => 3 + k)];
  if (g.hasIntervals) nums.push(head.length - 1);
  const tierColumn = 3 + g.dimensions.length;
  const rankingTable = table(head, rows, nums, (i) => (g.rows[i].leader ? 'lead' : ''), {
    className: 'ranking',
    cellClass: (k) => (k === 1 ? 'name' : g.hasTiers && k === tierColumn ? 'tier' : ''),
  });
  const lineage = lineageTable(ctx, ix, L);
  const legend = g.rows.some((x) => Object.keys(x.markers).length)
    ? `<p class="sub legend" data-legend="imputed">${esc(t(ix.lang, 'quality.legend'))}</p>`
    : '';
  return `<section class="major" id="ranking"><h2>${L.ranking}</h2>${rankingTable}${legend}${lineage}</section>`;
}

/** The leader's score decomposed into indicator contributions (exact for arithmetic aggregation). */
function lineageTable(ctx: ReportContext, ix: ReportIndex, L: Labels): string {
  const leader = ix.order[0];
  if (!leader) return '';
  let ex;
  try {
    ex = explainScore(ctx.build, leader);
  } catch {
    return '';
  }
  const flags = flaggedCodes(ctx, leader);
  const rows = ex.indicators
    .filter((i) => i.share > 0)
    .sort((a, b) => b.contribution - a.contribution)
    .map((i) => {
      const last = i.stages.length ? i.stages[i.stages.length - 1].value : NaN;
      const mark = markerOf(flags, i.code);
      return [
        `<span title="${esc(i.code)}">${esc(pickText(i.name, ix.lang, i.code))}</span>`,
        mark
          ? `${fmt(i.stages.find((x) => x.kind === 'impute')?.value ?? i.raw, 3)}<sup class="mark">${mark}</sup>`
          : fmt(i.raw, 3),
        fmt(last, 1),
        pct(i.share, 1),
        ex!.additive ? fmt(i.contribution, 2) : '—',
      ];
    });
  const sum = ex.indicators.reduce((s, i) => s + i.contribution, 0);
  const note = ex.additive
    ? t(ix.lang, 'lineage.additive', { sum: fmt(sum, 2), score: fmt(ex.score, 2) })
    : t(ix.lang, 'lineage.notAdditive');
  const head = [L.indicator, L.rawValue, L.score, L.weight, L.contribution];
  return (
    `<h3>${L.lineageTop}: ${esc(ix.unitName(leader))}</h3>` +
    `${table(head, rows, [1, 2, 3, 4])}<p class="sub">${note}</p>`
  );
}

/** Why a statistic is missing, in words (from the analysis' `skipped` notes). */
function skippedNotes(list: readonly SkippedStatistic[], lang: ReportLang, grouping?: string): string {
  // one sentence per reason: "Theil and Dagum decompositions not computed: …"
  const byReason = new Map<string, SkippedStatistic[]>();
  for (const sk of list) byReason.set(sk.reason, [...(byReason.get(sk.reason) ?? []), sk]);
  return joinSentences(
    lang,
    [...byReason.values()].map((group) => TYPESET[lang](skippedNote(group, lang, grouping))),
  );
}

function skippedNote(group: readonly SkippedStatistic[], lang: ReportLang, grouping?: string): string {
  const sk = group[0];
  const names = group.map((g) =>
    t(lang, 'name.skippedStatistic', { key: g.statistic === 'theil' && !grouping ? 'theilTotal' : g.statistic }),
  );
  const what = formatAnd(lang, names);
  const g = grouping ? groupingName(grouping, lang) : '';
  switch (sk.reason) {
    case 'multiMembership':
      return t(lang, 'skipped.multiMembership', { what, grouping: g });
    case 'ungrouped':
      return t(lang, 'skipped.ungrouped', { what, grouping: g });
    case 'undefined':
      return t(lang, 'skipped.undefined', {
        what,
        plural: group.length > 1,
        detail: esc(sk.issues[0]?.message ?? sk.message),
      });
    default:
      return esc(sk.message);
  }
}

function regionalSection(ctx: ReportContext, charts: ReportCharts, L: Labels, lang: ReportLang): string {
  const reg = ctx.analyses?.regional;
  if (!reg) return '';
  const national = isCityReport(ctx.build.results.scores.unitCodes);
  const M = national ? L : { ...L, gap: L.gapOverall, ratio: L.ratioOverall, below: L.belowOverall };
  const allLabel = national ? L.allNational : L.allOverall;
  const parts: string[] = [`<section class="major" id="regional"><h2>${L.regional}</h2>`];
  for (const g of reg.groupings) {
    const s = g.byCode[0]?.summary;
    if (!s) continue;
    const svg = charts.regional.find((c) => c.grouping === g.grouping)?.svg ?? '';
    const rows = [...s.groups]
      .sort((a, b) => b.mean - a.mean)
      .map((x) => [
        esc(groupLabel(x.group, lang)),
        String(x.nScored),
        fmt(x.mean),
        fmt(x.median),
        fmt(x.gap),
        fmt(x.ratio, 2),
        pct(x.shareBelowNationalMean),
      ]);
    if (s.ungrouped)
      rows.push([
        L.ungrouped,
        String(s.ungrouped.nScored),
        fmt(s.ungrouped.mean),
        fmt(s.ungrouped.median),
        fmt(s.ungrouped.gap),
        fmt(s.ungrouped.ratio, 2),
        pct(s.ungrouped.shareBelowNationalMean),
      ]);
    rows.push([
      `<strong>${allLabel}</strong>`,
      String(s.national.nScored),
      fmt(s.national.mean),
      fmt(s.national.median),
      '',
      '',
      pct(s.national.shareBelowNationalMean),
    ]);
    const theil = g.theil
      ? `<p class="sub">${L.theil} = ${fmt(g.theil.T, 4)}: ` +
        `${L.between} ${fmt(g.theil.between, 4)} (${pct(g.theil.between / g.theil.T)}), ` +
        `${L.within} ${fmt(g.theil.within, 4)}</p>`
      : '';
    const skipped = g.skipped?.length ? `<p class="sub skipped">${skippedNotes(g.skipped, lang, g.grouping)}</p>` : '';
    const multi = g.multiMembership ? `<p class="sub">${t(lang, 'regional.multiMembership')}</p>` : '';
    const groupTable = table([L.group, L.n, L.mean, L.median, M.gap, M.ratio, M.below], rows, [1, 2, 3, 4, 5, 6]);
    parts.push(
      `<h3>${esc(groupingName(g.grouping, lang))}</h3>` +
        `<div class="grid2"><figure>${svg}</figure>` +
        `<div style="flex:1 1 440px">${groupTable}${theil}${multi}${skipped}</div></div>`,
    );
  }
  const q = reg.inequality;
  const ineqRows = [
    [L.gini, fmt(q.gini, 4)],
    [L.cv, fmt(q.cv, 4)],
    ...(q.cvPopulationWeighted !== undefined ? [[L.cvPop, fmt(q.cvPopulationWeighted, 4)]] : []),
    [L.theil, fmt(q.theil, 4)],
    ...(q.theilPopulationWeighted !== undefined ? [[L.theilPop, fmt(q.theilPopulationWeighted, 4)]] : []),
  ];
  const skipped = reg.skipped?.length ? `<p class="sub skipped">${skippedNotes(reg.skipped, lang)}</p>` : '';
  parts.push(`<h3>${L.inequality}</h3>${table([L.stat, L.value], ineqRows, [1])}${skipped}`);
  parts.push('</section>');
  return parts.join('\n');
}

function spatialSection(
  ctx: ReportContext,
  ix: ReportIndex,
  charts: ReportCharts,
  L: Labels,
  lang: ReportLang,
): string {
  const sp = ctx.analyses?.spatial;
  if (!sp) return '';
  const m = sp.moran,
    g = sp.geary;
  const pm = m.permutation as { R: number; p_sim: number } | undefined;
  const pg = g.permutation as { R: number; p_sim: number } | undefined;
  const rows = [
    [
      "Moran's I",
      fmt(m.I, 4),
      fmt(m.EI, 4),
      `${fmt(m.z_rand, 2)}`,
      pm ? `${fmt(pm.p_sim, 3)} (${pm.R} ${L.perm})` : fmt(m.p_rand, 4),
    ],
    [
      "Geary's C",
      fmt(g.C, 4),
      fmt(g.EC, 4),
      `${fmt(g.z_rand, 2)}`,
      pg ? `${fmt(pg.p_sim, 3)} (${pg.R} ${L.perm})` : fmt(g.p_rand, 4),
    ],
  ];
  const set = ctx.analyses?.settings.spatial;
  const seed = set?.seed ?? ctx.build.spec.seed;
  const R = pm?.R ?? 0;
  const adj = sp.localMoran.significance?.adjust ?? set?.adjust ?? 'none';
  const wText = set ? describeWeights(set.weights, lang) : sp.weights;
  const method = t(lang, 'spatial.method', {
    weights: esc(wText),
    weightsCode: esc(sp.weights),
    permutations: R,
    seed: String(seed ?? '—'),
    alpha: set?.alpha ?? 0.05,
    adjust: t(lang, 'name.pAdjust', { key: adj }),
    formula: esc(t(lang, 'formula.localMoran')),
  });
  const parts = [
    `<section class="major" id="spatial"><h2>${L.spatial}</h2><p class="sub method-note">${method}</p>`,
    table([L.stat, L.value, L.expected, 'z', L.p], rows, [1, 2, 3, 4]),
  ];
  if (charts.lisaMap) {
    // its tooltips print scores with their imputed (*) or borrowed (†) markers
    const legend = reportDataQuality(ctx).flagged.length ? chartLegendHtml(lang, isCityReport(ix.order)) : '';
    parts.push(
      `<figure data-code="${esc(ix.indexCode)}">${charts.lisaMap}${legend}` +
        `<figcaption>${L.lisaCaption}</figcaption></figure>`,
    );
  }
  const sig = sp.localMoran.significance;
  if (sig) {
    const members = (lab: string) =>
      formatList(
        lang,
        sp.localMoran.ids.filter((_, i) => sig.labels[i] === lab).map((u) => esc(ix.unitName(u))),
      );
    const labs = (['HH', 'HL', 'LH', 'LL'] as const).filter((l) => sig.counts[l] > 0);
    parts.push(
      table(
        [L.lisaClass, L.counts, unitHeader(ctx, L)],
        labs.map((l) => [`${t(lang, 'name.lisa', { label: l })} (${l})`, String(sig.counts[l]), members(l)]),
        [1],
      ),
    );
    const significance = t(lang, 'spatial.significance', {
      alpha: sig.alpha,
      adjust: t(lang, 'name.pAdjust', { key: sig.adjust }),
      nsName: t(lang, 'name.lisa', { label: 'ns' }),
      ns: sig.counts.ns,
    });
    parts.push(`<p class="sub">${significance}</p>`);
  }
  const gi = sp.getisOrd.significance;
  const gistar = t(lang, 'spatial.gistar', {
    hot: gi.counts.hot,
    cold: gi.counts.cold,
    alpha: gi.alpha,
    permutation: gi.pSource === 'p_sim',
  });
  parts.push(`<p>${gistar}</p>`);
  const so = sp.spillover;
  if (so) {
    const row = (u: typeof so.leader) => [
      bothNames(ix, u.id),
      fmt(u.score),
      String(u.rank),
      fmt(u.differenceFromMean),
      t(lang, 'name.lisa', { label: u.label }),
      u.p_sim !== undefined ? fmt(u.p_sim, 3) : '—',
    ];
    const spillover = t(lang, 'spatial.spillover', {
      mean: fmt(so.mean),
      neighbourMean: fmt(so.neighbourMean),
      above: so.neighboursAboveMean,
      n: so.neighbours.length,
    });
    parts.push(`<h3>${L.spillover}</h3><p>${esc(spillover)}</p>`);
    parts.push(
      table(
        [unitHeader(ctx, L), L.score, L.rank, L.diffMean, L.lisaClass, 'p_sim'],
        [row(so.leader), ...so.neighbours.map(row)],
        [1, 2, 3, 5],
        (i) => (i === 0 ? 'lead' : ''),
      ),
    );
  }
  parts.push('</section>');
  return parts.join('\n');
}

/**
 * Gaps against peers (短板) for the units named in `analyses.gaps`: the indicators with the largest
 * weighted gap to the peers' mean, and the smallest single-indicator improvement that climbs k ranks.
 */
function gapsSection(ctx: ReportContext, ix: ReportIndex, L: Labels, lang: ReportLang): string {
  const list = ctx.analyses?.gaps;
  if (!list?.length) return '';
  const peerText = (g: NonNullable<typeof list>[number]) => {
    const spec = g.gaps.peerSpec as { by: string; k?: number; field?: string };
    const n = g.gaps.peers.length;
    switch (spec.by) {
      case 'nearest':
        return t(lang, 'gaps.peers.nearest', { n });
      case 'group':
        return t(lang, 'gaps.peers.group', { n, grouping: groupingName(spec.field ?? '', lang) });
      default:
        return t(lang, 'gaps.peers.all', { n });
    }
  };
  const intro = t(lang, 'gaps.intro', { k: list[0].improvements.k });
  const parts = [`<section class="major" id="gaps"><h2>${L.gapsTitle}</h2><p class="sub">${intro}</p>`];
  for (const g of list) {
    const top = [...g.gaps.indicators]
      .filter(
        (x) => Number.isFinite(x.weightedGap) && x.weightedGap > 0 && ix.nodes.get(x.code)?.controllable !== false,
      )
      .sort((a, b) => b.weightedGap - a.weightedGap)
      .slice(0, 5);
    const rows = top.map((x) => [
      `<span title="${esc(x.code)}">${esc(ix.nodeName(x.code))}</span>`,
      fmt(x.value),
      fmt(x.peerMean),
      fmt(x.gap),
      fmt(x.weightedGap, 2),
      String(x.rankAmongPeers),
    ]);
    const imp = g.improvements;
    const best = imp.best ? imp.indicators.find((x) => x.code === imp.best) : undefined;
    const improve = best
      ? t(lang, 'gaps.improve', {
          indicator: esc(ix.nodeName(best.code)),
          by: fmt(best.improvement),
          from: imp.rank,
          to: best.newRank,
        })
      : t(lang, 'gaps.noImprove', { k: imp.k });
    const rank = t(lang, 'gaps.rank', { rank: fmtRank(ix.rank(g.unit)) });
    const left = g.improvements.uncontrollable.map((c) => esc(ix.nodeName(c)));
    const controllable = left.length
      ? `<p class="sub" data-controllable>${t(lang, 'quality.controllableNote', { names: formatList(lang, left) })}</p>`
      : '';
    parts.push(
      `<h3>${bothNames(ix, g.unit)} <span class="sub">${rank}</span></h3><p class="sub">${peerText(g)}</p>`,
      controllable,
      table([L.indicator, L.score, L.peerMean, L.gapCol, L.weightedGap, L.rankAmongPeers], rows, [1, 2, 3, 4, 5]),
      `<p>${improve}</p>`,
    );
  }
  parts.push('</section>');
  return parts.join('\n');
}

function tiersSection(ctx: ReportContext, ix: ReportIndex, L: Labels, lang: ReportLang): string {
  const tr = ctx.analyses?.tiers;
  if (!tr) return '';
  const codes = ctx.build.results.scores.unitCodes;
  const rows = tr.labels
    .slice()
    .reverse()
    .map((cls, j) => {
      const members = codes
        .filter((_, i) => tr.classOf[i] === cls.class)
        .sort((a, b) => ix.score(b, tr.code) - ix.score(a, tr.code));
      const lower = Number.isFinite(cls.lower) ? fmt(cls.lower, 2) : '−∞';
      const upper = Number.isFinite(cls.upper) ? fmt(cls.upper, 2) : '∞';
      return [
        esc(pickText(tr.tierNames[j], lang, cls.label)),
        `${lower} – ${upper}`,
        String(members.length),
        formatList(
          lang,
          members.map((u) => esc(ix.unitName(u))),
        ),
      ];
    });
  const lowerClosed = tr.labels.some((c) => /x <|x ≥|≤ x/.test(c.rule));
  const bounds = tr.labels
    .slice()
    .reverse()
    .map((cls, j) => {
      const name = pickText(tr.tierNames[j], lang, cls.label);
      const lo = Number.isFinite(cls.lower) ? fmt(cls.lower, 4) : undefined,
        hi = Number.isFinite(cls.upper) ? fmt(cls.upper, 4) : undefined;
      const r = lowerClosed
        ? lo && hi
          ? `${lo} ≤ x < ${hi}`
          : lo
            ? `x ≥ ${lo}`
            : hi
              ? `x < ${hi}`
              : L.all
        : lo && hi
          ? `${lo} < x ≤ ${hi}`
          : lo
            ? `x > ${lo}`
            : hi
              ? `x ≤ ${hi}`
              : L.all;
      return `${esc(name)}: ${r}`;
    });
  const method = t(lang, 'name.tierMethod', { key: esc(tr.method) });
  const rule = `${method}, k = ${tr.k}${joinClauses(lang, ['', ...bounds])}`;
  const tierTable = table([L.tier, L.bounds, L.n, unitHeader(ctx, L)], rows, [2]);
  return (
    `<section class="major" id="tiers"><h2>${L.tiers}</h2>` +
    `<p>${L.rule}: ${rule}; GVF = ${fmt(tr.gvf, 3)}</p>${tierTable}</section>`
  );
}

function casesSection(ctx: ReportContext, ix: ReportIndex, L: Labels, lang: ReportLang): string {
  const cases = ctx.cases ?? [];
  if (!cases.length) return '';
  const byCity = new Map<string, typeof cases>();
  for (const c of cases) byCity.set(c.city, [...(byCity.get(c.city) ?? []), c]);
  const cities = [...byCity.keys()].sort((a, b) => (ix.rank(a) || 1e9) - (ix.rank(b) || 1e9) || (a < b ? -1 : 1));
  const parts = [`<section class="major" id="cases"><h2>${L.cases}</h2>`];
  for (const city of cities) {
    const name = ix.units.has(city) ? ix.unitName(city) : pickText(byCity.get(city)![0].cityName, lang, city);
    const r = ix.rank(city);
    const rankLine = Number.isFinite(r)
      ? `<p class="sub">${esc(t(lang, 'cases.rank', { name, rank: String(r) }))}; ` +
        `${esc(ix.nodeName(ix.indexCode))} ${fmt(ix.score(city))}</p>`
      : '';
    parts.push(`<h3 id="case-${esc(city)}">${esc(name)}</h3>${rankLine}`);
    for (const c of byCity.get(city)!) {
      const domains = c.domains.map((d) => `<span class="tag">${esc(pickText(d, lang))}</span>`).join('');
      const links = joinClauses(
        lang,
        c.indicators.map((code) => {
          const n = ix.nodes.get(code) ?? ctx.project.gaps.find((g) => g.code === code);
          const gap = n?.status === 'not_collected' ? ` <span class="gap">(${L.notCollected})</span>` : '';
          return `${esc(pickText(n?.name, lang, code))}${gap}`;
        }),
      );
      const sources = c.sources
        .map((s) => {
          const c = caseCitation(s, lang);
          const cite = esc(c.main) + (c.original ? ` <span class="orig" lang="zh">[${esc(c.original)}]</span>` : '');
          return `<li>${cite}${s.url ? ` <span class="url">${esc(s.url)}</span>` : ''}</li>`;
        })
        .join('');
      // the title is printed once, above the body: a body that opens with it as a heading loses that heading
      const caseTitle = pickText(c.title, lang, c.id);
      const title = `<div class="city">${esc(caseTitle)} · ${c.year}</div>`;
      const text = bodyForLanguage(c.body, lang).replace(/^\s*#\s+(.+)\n/, (h, x: string) =>
        x.trim() === caseTitle ? '' : h,
      );
      const body = markdownToHtml(text, 3);
      const indicators = links ? `<p class="sub">${L.indicators}: ${links}</p>` : '';
      parts.push(
        `<div class="case">${title}<div>${domains}</div>${body}${indicators}<ul class="sub">${sources}</ul></div>`,
      );
    }
  }
  parts.push('</section>');
  return parts.join('\n');
}

function auditSection(ctx: ReportContext, ix: ReportIndex, L: Labels, lang: ReportLang): string {
  const audit = ctx.audit ?? (ctx.analyses as { audit?: ReportContext['audit'] } | undefined)?.audit;
  if (!audit) return '';
  const flags = audit.correlations.flags.map((f) => [
    esc(t(lang, 'name.auditFlag', { key: f.kind })),
    esc(ix.nodeName(f.group)),
    `${esc(ix.nodeName(f.a))} / ${esc(ix.nodeName(f.b))}`,
    fmt(f.r, 3),
  ]);
  const alphas = audit.cronbach.map((c) => [esc(ix.nodeName(c.group)), String(c.k), fmt(c.alpha, 3)]);
  const flagTable = flags.length ? table([L.flag, L.dimension, L.indicators, 'r'], flags, [3]) : `<p>${L.none}</p>`;
  return (
    `<section class="major" id="audit"><h2>${L.audit}</h2><h3>${L.auditFlags}</h3>${flagTable}` +
    `${sharedSourceHtml(ctx)}<h3>${L.alpha}</h3>${table([L.dimension, 'k', 'α'], alphas, [1, 2])}` +
    `${auditReaderHtml(ctx)}</section>`
  );
}

/** The sub-line of a step's "did" cell: a list joined by "; " under the summary (empty list → nothing). */
function subLine(parts: readonly string[]): string {
  return parts.length ? `<br><span class="sub">${parts.join('; ')}</span>` : '';
}

function stepDetails(step: StepRecord, ix: ReportIndex, lang: ReportLang): string {
  // A build read back from JSON may lack diagnostics; the report then leaves the cell empty.
  if (!step.diagnostics) return '';
  const unitNames = (units: readonly string[]) =>
    formatList(
      lang,
      units.map((u) => esc(ix.unitName(u))),
    );
  const warningsLine = (warnings: readonly Issue[] | undefined) =>
    subLine((warnings ?? []).map((w) => esc(issueText(w, lang))));
  switch (step.kind) {
    case 'impute': {
      const d = step.diagnostics;
      const per = d.byIndicator
        .filter((b) => b.imputed > 0 || b.missingAfter > 0)
        .map((b) => {
          const still = b.missingAfter ? t(lang, 'step.impute.stillMissing', { n: b.missingAfter }) : '';
          return `${esc(ix.nodeName(b.indicator))}: ${b.imputed}/${b.missingBefore}${still}`;
        });
      const c = d.counts;
      return (
        t(lang, 'step.impute', { before: c.missingBefore, imputed: c.imputed, after: c.missingAfter }) + subLine(per)
      );
    }
    case 'screen': {
      const d = step.diagnostics;
      return t(lang, 'step.screen', {
        kept: d.units.filter((u) => u.kept).length,
        removed: d.removed.length,
        names: unitNames(d.removed),
      });
    }
    case 'treat': {
      const d = step.diagnostics;
      const s = d.summary;
      const treated = d.indicators
        .filter((i) => (i.winsorised?.nwin ?? 0) > 0 || i.transform)
        .map((i) => {
          const w = i.winsorised?.nwin
            ? t(lang, 'step.treat.winsorised', {
                n: i.winsorised.nwin,
                units: unitNames(i.winsorised.points.map((p) => p.unit)),
              })
            : '';
          return `${esc(ix.nodeName(i.code))}: ${w}${i.transform ? ` ${esc(i.transform)}` : ''}`;
        });
      return (
        t(lang, 'step.treat', {
          failed: s.failedInitially,
          points: s.winsorisedPoints,
          transformed: s.transformed,
          still: s.stillFailing,
        }) + subLine(treated)
      );
    }
    case 'weight':
      return Object.entries(step.diagnostics.weights)
        .map(([c, w]) => `${esc(ix.nodeName(c))} ${fmt(w, 4)}`)
        .join('; ');
    case 'denominate': {
      const d = step.diagnostics;
      const extra = Array.isArray(d.denominated) ? t(lang, 'step.denominate', { n: d.denominated.length }) : '';
      return extra + warningsLine(d.warnings);
    }
    case 'normalise':
    case 'aggregate':
      return warningsLine(step.diagnostics.warnings);
  }
}

function methodSection(ctx: ReportContext, ix: ReportIndex, L: Labels, lang: ReportLang): string {
  const b = ctx.build;
  const rows = b.spec.steps.map((s: StepSpec, k) => {
    const rec = b.steps[k];
    return [`${k + 1}`, esc(describeStep(s, lang)), rec ? stepDetails(rec, ix, lang) : ''];
  });
  const ew = b.results.effectiveWeights;
  const weightRows = [...ix.nodes.values()]
    .filter((n) => n.code in ew && n.parent !== null && n.status !== 'not_collected')
    .sort((a, c) => c.level - a.level)
    .map((n) => [
      `<code>${esc(n.code)}</code>`,
      esc(ix.nodeName(n.code)),
      String(n.level),
      fmt(n.weight, 3),
      fmt(ew[n.code], 4),
    ]);
  const analysesSettings = methodsReaderHtml(ctx);
  const errorItem = (e: { analysis: string; issues: readonly Issue[] }) =>
    `<li><code>${esc(e.analysis)}</code><ul class="sub">` +
    e.issues.map((i) => `<li>${esc(localise(i, lang))}</li>`).join('') +
    '</ul></li>';
  const errors = ctx.analyses?.errors.length
    ? `<h3 id="analysis-errors">${L.analysisErrors}</h3><ul>${ctx.analyses.errors.map(errorItem).join('')}</ul>`
    : '';
  const stepTable = table([L.step, L.what, L.did], rows, [0]);
  const weightTable = table([L.code, L.name, L.level, L.weight, L.weights], weightRows, [2, 3, 4]);
  return (
    `<section class="major" id="method"><h2>${L.method}</h2>${stepTable}` +
    `<h3>${L.weights}</h3>${weightTable}${sourceShareHtml(ctx, lang)}${analysesSettings}${errors}</section>`
  );
}

function sourcesSection(ctx: ReportContext, ix: ReportIndex, L: Labels, lang: ReportLang): string {
  const fw = ctx.build.input.framework;
  const inds = fw.nodes.filter((n) => n.kind === 'indicator');
  const rows = inds
    .filter((n) => n.status !== 'not_collected')
    .map((n) => [
      `<code>${esc(n.code)}</code>`,
      esc(pickText(n.name, lang, n.code)),
      esc(ix.nodeName(n.parent ?? '')),
      esc(n.unit ?? ''),
      n.direction === 1 ? '+' : '−',
      sourceText(n.source),
    ]);
  const gapRows = inds
    .filter((n) => n.status === 'not_collected')
    .map((n) => [
      `<code>${esc(n.code)}</code>`,
      esc(pickText(n.name, lang, n.code)),
      esc(ix.nodeName(n.parent ?? '')),
      esc(n.notes ?? ''),
    ]);
  const den = (fw.denominators ?? []).map((d) => [
    `<code>${esc(d.code)}</code>`,
    esc(pickText(d.name, lang, d.code)),
    esc(d.unit ?? ''),
    sourceText(d.source),
  ]);
  const warningItems = ctx.project.warnings.map((w) => `<li>${esc(localise(w, lang))}</li>`).join('');
  const warnings = ctx.project.warnings.length ? `<h3>${L.warnings}</h3><ul class="sub">${warningItems}</ul>` : '';
  const sourceTable = table([L.code, L.name, L.dimension, L.unitOf, L.direction, L.source], rows);
  return (
    `<section class="major" id="sources"><h2>${L.sources}</h2>${sourceTable}` +
    (gapRows.length ? `<h3 class="gap">${L.gaps}</h3>${table([L.code, L.name, L.dimension, L.notes], gapRows)}` : '') +
    (den.length ? `<h3>${L.denominators}</h3>${table([L.code, L.name, L.unitOf, L.source], den)}` : '') +
    warnings +
    '</section>'
  );
}

function reproSection(ctx: ReportContext, L: Labels): string {
  const specHash = createHash('sha256').update(stableStringify(ctx.build.spec)).digest('hex');
  const files = ctx.project.files.map((f) => [
    `<code>${esc(f.path)}</code>`,
    String(f.bytes),
    `<span class="hash">${f.sha256}</span>`,
  ]);
  const lang = ctx.lang;
  const set = ctx.analyses?.settings;
  const seeds: string[][] = [];
  if (set?.spatial && ctx.analyses?.spatial)
    seeds.push([
      t(lang, 'repro.spatialSeed'),
      `${set.spatial.seed ?? ctx.build.spec.seed ?? '—'} (${set.spatial.permutations} ${L.perm})`,
    ]);
  if (set?.uncertainty)
    seeds.push([
      t(lang, 'repro.uncertaintySeed'),
      `${set.uncertainty.seed ?? ctx.build.spec.seed ?? '—'} (N = ${set.uncertainty.N})`,
    ]);
  const meta = [
    [L.version, esc(version(ctx))],
    [L.buildSeed, ctx.build.spec.seed !== undefined ? String(ctx.build.spec.seed) : '—'],
    ...seeds,
    [L.spec, `<span class="hash">${specHash}</span>`],
    ...(ctx.generatedAt ? [[L.generated, esc(ctx.generatedAt)]] : []),
  ];
  const fileTable = table([L.file, L.bytes, L.sha], files, [1]);
  const metaTable = table([L.stat, L.value], meta);
  return `<section class="major appendix" id="repro"><h2>${L.repro}</h2>${metaTable}${fileTable}</section>`;
}

/** Surveys whose city estimates entered the build: value and 95 % interval per city, labelled simulated when so. */
function surveySection(ctx: ReportContext, ix: ReportIndex, lang: ReportLang): string {
  const surveys = ctx.project.surveys;
  if (!surveys.length) return '';
  const L = labels(lang);
  const parts = [`<section class="major" id="surveys"><h2>${L.surveys}</h2>`];
  for (const s of surveys) {
    parts.push(`<h3>${esc(s.title)}</h3>`);
    if (s.simulated) parts.push(`<p class="notes"><strong>${t(lang, 'survey.simulated')}</strong></p>`);
    const under = new Map((s.underMinimum ?? []).map((f) => [f.city, f] as const));
    if (under.size) {
      const minSample = [...under.values()][0].minSample;
      const left = [...under.keys()].some((u) =>
        s.indicators.some((code) => Number.isNaN(getValue(ctx.project.input.raw, u, code))),
      );
      const key = left ? 'survey.underMinimumMissing' : 'survey.underMinimum';
      parts.push(`<p class="sub">${esc(t(lang, key, { n: under.size, minSample }))}</p>`);
    }
    for (const code of s.indicators) {
      const flag = ` <span class="tag gap">${esc(t(lang, 'survey.smallSample'))}</span>`;
      const rows = s.lower.unitCodes
        .filter((u) => !Number.isNaN(getValue(ctx.project.input.raw, u, code)))
        .map((u) => ({
          v: getValue(ctx.project.input.raw, u, code),
          cells: [
            bothNames(ix, u) + (under.has(u) ? flag : ''),
            fmt(getValue(ctx.project.input.raw, u, code), 1),
            `${fmt(getValue(s.lower, u, code), 1)} – ${fmt(getValue(s.upper, u, code), 1)}`,
            fmt(getValue(s.n, u, code), 0),
          ],
        }))
        .sort((a, b) => b.v - a.v)
        .map((r) => r.cells);
      // a city below the minimum sample whose estimate the survey left out is listed as a gap, never as a number
      const gaps = s.lower.unitCodes
        .filter((u) => under.has(u) && Number.isNaN(getValue(ctx.project.input.raw, u, code)))
        .map((u) => {
          const f = under.get(u)!;
          const n = getValue(s.n, u, code);
          const why = t(lang, 'survey.notEstimated', { n: Number.isFinite(n) ? n : f.n, minSample: f.minSample });
          return [bothNames(ix, u) + flag, `<span class="gap">${esc(why)}</span>`, '—', fmt(n, 0)];
        });
      parts.push(`<p>${esc(ix.nodeName(code))} (${esc(code)}): ${t(lang, 'survey.estimates', { n: rows.length })}</p>`);
      parts.push(table([unitHeader(ctx, L), L.estimate, L.interval95, 'n'], [...rows, ...gaps], [1, 3]));
    }
  }
  parts.push('</section>');
  return parts.join('\n');
}

/**
 * Change over time across the periods of a panel: dispersion per period, β-convergence, largest rank gains
 * and falls.
 */
function changeSection(ctx: ReportContext, ix: ReportIndex, lang: ReportLang): string {
  const c = ctx.analyses?.change;
  if (!c) return '';
  const L = labels(lang);
  const parts = [`<section class="major" id="change"><h2>${L.change}</h2>`];
  if (c.relativeScores) parts.push(`<p class="sub">${t(lang, 'change.relative')}</p>`);
  if (c.sigma)
    parts.push(
      `<h3>${L.sigma}</h3>`,
      table(
        [L.periodShort, 'n', L.mean, L.cvShort, 'sd(ln y)'],
        c.sigma.periods.map((p) => [
          esc(String(p.period)),
          String(p.n),
          fmt(p.mean, 2),
          fmt(p.cv, 3),
          p.sdLog === null ? '—' : fmt(p.sdLog, 3),
        ]),
        [1, 2, 3, 4],
      ),
    );
  if (c.beta) {
    const b = c.beta;
    const speed = b.lambda !== null ? { percent: fmt(b.lambda * 100, 1), halfLife: fmt(b.halfLife ?? NaN, 1) } : null;
    const beta = t(lang, 'change.beta', {
      from: esc(String(b.from)),
      to: esc(String(b.to)),
      beta: fmt(b.beta, 4),
      se: fmt(b.seBeta, 4),
      t: fmt(b.tBeta, 2),
      r2: fmt(b.r2, 3),
      speed,
    });
    parts.push(`<h3>${L.beta}</h3><p>${beta}</p>`);
  }
  const moverRows = (list: typeof c.leapfroggers) =>
    list.map((m) => [
      esc(ix.unitName(m.code)),
      String(m.rankA),
      String(m.rankB),
      (m.gain > 0 ? '+' : '') + String(m.gain),
    ]);
  parts.push(
    `<h3>${t(lang, 'change.gains', { from: esc(String(c.overall.from)), to: esc(String(c.overall.to)) })}</h3>`,
    table(
      [L.unitShort, String(c.overall.from), String(c.overall.to), L.changeCol],
      moverRows(c.leapfroggers),
      [1, 2, 3],
    ),
  );
  if (c.overall.ranks.fallers.length)
    parts.push(
      `<h3>${L.rankFalls}</h3>`,
      table(
        [L.unitShort, String(c.overall.from), String(c.overall.to), L.changeCol],
        moverRows(c.overall.ranks.fallers),
        [1, 2, 3],
      ),
    );
  parts.push('</section>');
  return parts.join('\n');
}

/**
 * Time-series indices tracked beside the evaluation: a line chart with change bars, and the audit of a
 * published table.
 */
function seriesSection(ctx: ReportContext, lang: ReportLang): string {
  const rs = ctx.series;
  if (!rs) return '';
  const L = labels(lang);
  const shown = rs.aggregate ?? rs.series[0];
  if (!shown) return '';
  const note = rs.note ? noteForLanguage(rs.note, lang) : undefined;
  // a series without a name would be titled by its file's code (e.g. seed_288_table): title it by the
  // note's first clause instead, and keep the full note as the subtitle
  const head = !shown.name && note ? note.split(/[，,]/)[0].trim() : undefined;
  const svg = renderSvg(
    seriesChartOption(shown, {
      language: lang,
      ...(head ? { title: head } : {}),
      ...(note && note !== head ? { note } : {}),
    }) as never,
    880,
    380,
  );
  // a published table is drawn as printed (sections/series.ts); the source is named by the note, not the file
  const printed = rs.audit
    ? renderSvg(printedSeriesChartOption(rs.audit.rows, lang, head ?? pickText(shown.name, lang)), 880, 380)
    : undefined;
  const caption = printed ? t(lang, 'series.printedNote') : (note ?? '');
  const parts = [
    `<section class="major" id="series"><h2>${L.series}</h2>`,
    `<figure>${printed ?? svg}<figcaption>${esc(caption)}</figcaption></figure>`,
    ...(printed && note ? [`<p class="sub">${esc(note)}</p>`] : []),
  ];
  if (rs.audit) {
    const rows = rs.audit.rows.map((r) => [
      esc(r.period),
      esc(t(lang, 'name.auditVerdict', { key: r.verdict })),
      esc(t(lang, 'series.auditReason', { row: r })),
    ]);
    const tolerance = t(lang, 'series.auditTolerance', { tolerance: rs.audit.tolerance });
    parts.push(
      `<h3>${L.tableAudit}</h3><p class="sub">${esc(tolerance)}</p>`,
      table([L.periodShort, L.verdict, L.reason], rows),
    );
  }
  parts.push('</section>');
  return parts.join('\n');
}

/** The dimension maps (two per row) and the tier map of the map section (sections/maps.ts). */
function sectionMapsHtml(ctx: ReportContext, tierTitle: string): string {
  const maps = renderSectionMaps(ctx);
  const dims = maps.filter((m) => m.id !== 'tiers');
  const tiers = maps.find((m) => m.id === 'tiers');
  return (
    (dims.length
      ? '<div class="grid2 dimension-maps">' +
        dims
          .map((m) => `<figure data-code="${esc(m.id)}">${m.svg}<figcaption>${esc(m.title)}</figcaption></figure>`)
          .join('') +
        '</div>'
      : '') +
    (tiers
      ? `<figure id="tier-map" data-code="${esc(reportIndex(ctx).indexCode)}">${tiers.svg}` +
        `<figcaption>${tierTitle}</figcaption></figure>`
      : '')
  );
}

/** A section's HTML with the technical findings of `kinds` as its opening paragraphs (after the heading). */
function withFindings(section: string, findings: readonly ReportFinding[], kinds: readonly FindingKind[]): string {
  const items = findings.filter((f) => kinds.includes(f.kind));
  const end = section.indexOf('</h2>');
  if (!items.length || end < 0) return section;
  const paras = items.map((f) => `<p class="finding" data-finding="${esc(f.kind)}">${esc(f.text)}</p>`).join('');
  return section.slice(0, end + 5) + paras + section.slice(end + 5);
}

/**
 * Render the whole report as one self-contained HTML document in `ctx.lang`: the report model
 * (`buildReportModel`) for the header, findings, charts and section list; the sections' tables here.
 * @example
 * import { loadProject } from '../formats/index.ts';
 * import { build } from '../engine/pipeline/build.ts';
 * import { prepareReportContext } from './index.ts';
 * const project = await loadProject('examples/cdgi-2020');
 * const ctx = { ...(await prepareReportContext(project, build(project.input, project.spec))), lang: 'zh' as const };
 * renderReportHtml(ctx).includes('<svg') // => true
 */
export function renderReportHtml(ctx: ReportContext, options: RenderHtmlOptions = {}): string {
  const lang = ctx.lang;
  const L = labels(lang);
  const ix = reportIndex(ctx);
  const primary: ReportLang = ctx.project.project.language ?? 'zh';
  const units = ctx.build.results.scores.unitCodes;
  const mapRegions = isChineseAdcodes(units) ? mapAdcodes(readChinaMap()) : undefined;
  const model = buildReportModel(ctx, lang, { mapRegions, findings: options.findings });
  const charts = renderChartSpecs(model.charts);
  const other = model.other;
  const href = options.otherLanguageHref === undefined ? reportFileName(other, primary) : options.otherLanguageHref;
  const m = model.meta;
  const alerts = model.alerts.length
    ? `<div class="alert" role="note"><ul>${model.alerts.map((i) => `<li>${i}</li>`).join('')}</ul></div>`
    : '';
  const notes = model.notes;
  const langSwitch = href
    ? `<a class="lang-switch" href="${esc(href)}" hreflang="${other}">${L.otherLanguage}</a>`
    : '';
  const edition = m.edition !== undefined ? `${L.edition} ${esc(m.edition)} · ` : '';
  const period = m.period !== undefined ? `${L.period} ${esc(m.period)} · ` : '';
  const notCollected = m.notCollected ? ` (+${m.notCollected} ${L.notCollected})` : '';
  const meta = `${edition}${period}${L.units} ${m.units} · ${L.indicators} ${m.indicators}${notCollected}`;
  const notesBox = notes.length
    ? `<div class="notes"><strong>${L.notes}</strong><ul>${notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul></div>`
    : '';
  const header = `<header class="top">${langSwitch}
<h1>${esc(model.title)}</h1><div class="meta">${meta}</div>
${alerts}${notesBox}</header>`;
  const title = (id: ReportSectionId) => model.sections.find((x) => x.id === id)?.title ?? '';
  // the legend of the imputed (*) and borrowed (†) markers, under every chart that prints one
  const cities = isCityReport(units);
  const legend = chartLegendHtml(lang, cities);
  const anyFlagged = reportDataQuality(ctx).flagged.length > 0;
  const headlineMarked = ix.order.slice(0, 15).some((u) => unitMarker(ctx, u, ix.indexCode) !== '');
  const radarMarked = ix.order.slice(0, 5).some((u) => unitMarkerAny(ctx, u, ix.dimensions) !== '');
  const render: Record<ReportSectionId, () => string> = {
    summary: () =>
      `<section class="major first" id="summary"><h2>${title('summary')}</h2>` +
      summaryListHtml(model.summary, esc) +
      `<figure id="headline-chart"><div class="chart-desktop">${renderSvg(headlineChartOption(ctx), 760, 440)}</div>` +
      // a phone gets its own taller chart at its width, not the desktop's shrunk to a third
      `<div class="chart-phone">${renderSvg(
        headlineChartOption(ctx, 15, 'phone'),
        PHONE_CHART_WIDTH,
        phoneChartHeight(Math.min(15, ix.order.filter((u) => Number.isFinite(ix.score(u))).length)),
      )}</div>` +
      `${headlineMarked ? legend : ''}</figure></section>`,
    findings: () =>
      `<section class="major" id="findings"><h2>${title('findings')}</h2><ol class="findings">` +
      model.findings
        .filter((f) => !TECHNICAL_FINDINGS.has(f.kind))
        .map((f) => `<li data-finding="${esc(f.kind)}">${esc(f.text)}</li>`)
        .join('\n') +
      '</ol></section>',
    ranking: () => rankingSection(ctx, ix, L, model.ranking),
    map: () =>
      charts.map
        ? `<section class="major" id="map"><h2>${title('map')}</h2>` +
          `<figure id="choropleth" data-code="${esc(ix.indexCode)}">${charts.map}` +
          `<figcaption>${esc(t(lang, 'map.caption', { name: ix.nodeName(ix.indexCode) }))}</figcaption></figure>` +
          sectionMapsHtml(ctx, L.tiers) +
          (anyFlagged ? legend : '') +
          `<p class="map-note">${esc(mapSourceNote(lang))}</p></section>`
        : charts.rankingBars
          ? `<section class="major" id="map"><h2>${title('map')}</h2><p class="sub">${L.noMap}</p>` +
            `<figure>${charts.rankingBars}${anyFlagged ? legend : ''}</figure></section>`
          : '',
    radar: () =>
      charts.radar
        ? `<section id="radar"><h2>${title('radar')}</h2><figure>${charts.radar}` +
          `${radarMarked ? chartLegendHtml(lang, cities, true) : ''}</figure></section>`
        : '',
    regional: () => regionalSection(ctx, charts, L, lang),
    spatial: () => withFindings(spatialSection(ctx, ix, charts, L, lang), model.findings, ['moran', 'spillover']),
    tiers: () => tiersSection(ctx, ix, L, lang),
    quality: () => qualitySection(ctx, title('quality')),
    published: () => publishedSection(ctx, title('published')),
    gaps: () => gapsSection(ctx, ix, L, lang),
    change: () => changeSection(ctx, ix, lang),
    uncertainty: () =>
      withFindings(uncertaintySectionHtml(ctx, title('uncertainty')), model.findings, ['rankUncertainty']),
    audit: () => auditSection(ctx, ix, L, lang),
    surveys: () => surveySection(ctx, ix, lang),
    cases: () => casesSection(ctx, ix, L, lang),
    series: () => seriesSection(ctx, lang),
    caselog: () => caselogSectionHtml(ctx.caselogs ?? [], lang, title('caselog'), ix.unitName),
    method: () => methodSection(ctx, ix, L, lang),
    sources: () => sourcesSection(ctx, ix, L, lang),
    repro: () => reproSection(ctx, L),
  };
  const body = [header, ...model.sections.map((x) => render[x.id]())].filter(Boolean).join('\n');
  const footer = `<footer>cityindex ${esc(version(ctx))}</footer>`;
  const viewport = '<meta name="viewport" content="width=device-width, initial-scale=1">';
  // each map outline once, however many maps draw it (svg-share.ts)
  return shareRepeatedPaths(`<!DOCTYPE html>
<html lang="${L.htmlLang}"><head><meta charset="utf-8">${viewport}
<meta name="generator" content="cityindex ${esc(version(ctx))}">
<title>${esc(model.title)}</title><style>${CSS}</style></head>
<body><main>
${body}
${footer}
</main></body></html>
`);
}
