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
import { stableStringify } from '../engine/pipeline/build.ts';
import { describeStep } from '../engine/methods/describe.ts';
import { explainScore } from '../engine/pipeline/lineage.ts';
import type { StepSpec } from '../engine/spec/spec.ts';
import type { SkippedStatistic } from '../engine/analysis/run.ts';
import { LISA_LABEL_NAMES } from '../engine/analysis/spatial/local-moran.ts';
import type { ImputeDiagnostics } from '../engine/methods/impute/step.ts';
import type { TreatDiagnostics } from '../engine/methods/treat/step.ts';
import type { ScreenDiagnostics } from '../engine/methods/screen/step.ts';
import type { WeightDiagnostics } from '../engine/methods/weight/step.ts';
import { formatIssue } from '../engine/core/errors.ts';
import { describeWeights, fmt, fmtRank, groupLabel, groupingName, isChineseAdcodes, isCityReport, noteForLanguage, pct, pickText, reportIndex, spaceMixed, type ReportContext, type ReportIndex, type ReportLang, type ReportSeries } from './context.ts';
import { computeFindings, type Finding } from './findings.ts';
import { mapAdcodes, mapSourceNote, renderCharts, renderSvg, type ReportCharts } from './charts.ts';
import { seriesChartOption } from './series-chart.ts';
import { getValue } from '../engine/core/dataset.ts';
import { bodyForLanguage, escapeHtml as esc, markdownToHtml } from './markdown.ts';

const T = {
  zh: {
    lang: 'zh-CN', other: 'English', findings: '主要结论', ranking: '排名', map: '地图', radar: '前五名各维度得分', regional: '区域比较', spatial: '空间分析', tiers: '分档', cases: '案例研究', method: '方法说明', sources: '数据来源与缺口', repro: '可重复性', audit: '统计审计',
    rank: '排名', unit: '城市', unitGeneric: '评价对象', city: '城市', score: '得分', tier: '分档', interval: '排名区间（5%–95%，中位数）', notes: '说明', edition: '版本', period: '数据年份', units: '评价对象', indicators: '指标',
    mapCaption: (name: string) => `${name}得分地图（灰色：不在评价范围内）`, lisaCaption: '局部空间自相关（LISA）聚类图', group: '组别', n: '数量', mean: '均值', median: '中位数', gap: '与全国均值之差', ratio: '与全国均值之比', below: '低于全国均值占比', gapOverall: '与总体均值之差', ratioOverall: '与总体均值之比', belowOverall: '低于总体均值占比', allNational: '全国', allOverall: '全部', theilPop: '人口加权泰尔指数', perm: '次置换',
    inequality: '不均衡程度', gini: '基尼系数', cv: '变异系数', cvPop: '人口加权变异系数', theil: '泰尔指数', between: '组间', within: '组内', stat: '统计量', value: '数值', p: 'p 值', expected: '期望',
    spillover: '领先城市的溢出', diffMean: '与均值之差', lisaClass: 'LISA 分类', rule: '规则', bounds: '区间', members: '城市', step: '步骤', what: '设置', did: '执行情况', options: '参数',
    code: '代码', name: '名称', dimension: '维度', unitOf: '单位', direction: '方向', source: '来源', year: '年份', licence: '许可', status: '状态', collected: '已采集', notCollected: '未采集', gaps: '数据缺口（未采集指标）',
    file: '文件', bytes: '字节', sha: 'SHA-256', version: 'cityindex 版本', seed: '随机种子', spec: '构建设置哈希', generated: '生成时间', weights: '有效权重', weight: '权重', warnings: '数据读取警告',
    noData: '—', denominators: '分母', caseRank: (name: string, r: string) => `${name}：本指数排名第 ${r}`, domains: '领域', hot: '热点', cold: '冷点', gistar: 'Getis–Ord Gi* 热点/冷点', counts: '数量',
    auditFlags: '相关性提示', flag: '提示', alpha: 'Cronbach α', flagKinds: { collinear: '高度共线', negative: '负相关', weakParent: '与上级弱相关' } as Record<string, string>,
    noMap: '评价对象不是中国地级行政区，不绘制中国地图；下图为各对象得分。', rankingBars: '得分条形图', analysisErrors: '未能运行的分析', lineageTop: '第一名的得分构成',
    contribution: '贡献', indicator: '指标', rawValue: '原始值',
  },
  en: {
    lang: 'en', other: '中文', findings: 'Key findings', ranking: 'Ranking', map: 'Map', radar: 'Top five by dimension', regional: 'Regional comparison', spatial: 'Spatial analysis', tiers: 'Tiers', cases: 'Case studies', method: 'Methodology', sources: 'Data sources and gaps', repro: 'Reproducibility', audit: 'Statistical audit',
    rank: 'Rank', unit: 'City', unitGeneric: 'Unit', city: 'City', score: 'Score', tier: 'Tier', interval: 'Rank interval (5%–95%, median)', notes: 'Notes', edition: 'Edition', period: 'Data period', units: 'Units', indicators: 'Indicators',
    mapCaption: (name: string) => `${name} by city (grey: not evaluated)`, lisaCaption: 'Local spatial autocorrelation (LISA) clusters', group: 'Group', n: 'n', mean: 'Mean', median: 'Median', gap: 'Gap to national mean', ratio: 'Ratio to national mean', below: 'Share below national mean', gapOverall: 'Gap to overall mean', ratioOverall: 'Ratio to overall mean', belowOverall: 'Share below overall mean', allNational: 'All (national)', allOverall: 'All', theilPop: 'Population-weighted Theil T', perm: 'permutations',
    inequality: 'Inequality', gini: 'Gini', cv: 'Coefficient of variation', cvPop: 'Population-weighted CV', theil: 'Theil T', between: 'between groups', within: 'within groups', stat: 'Statistic', value: 'Value', p: 'p-value', expected: 'Expected',
    spillover: "The leader's spillover", diffMean: 'Difference from mean', lisaClass: 'LISA class', rule: 'Rule', bounds: 'Range', members: 'Units', step: 'Step', what: 'Setting', did: 'What it did', options: 'Parameters',
    code: 'Code', name: 'Name', dimension: 'Dimension', unitOf: 'Unit', direction: 'Direction', source: 'Source', year: 'Year', licence: 'Licence', status: 'Status', collected: 'collected', notCollected: 'not collected', gaps: 'Gaps (indicators not collected)',
    file: 'File', bytes: 'Bytes', sha: 'SHA-256', version: 'cityindex version', seed: 'Seed', spec: 'Build spec hash', generated: 'Generated', weights: 'Effective weights', weight: 'Weight', warnings: 'Warnings while reading the data',
    noData: '—', denominators: 'Denominators', caseRank: (name: string, r: string) => `${name}: rank ${r} in this index`, domains: 'Domains', hot: 'hot spots', cold: 'cold spots', gistar: 'Getis–Ord Gi* hot and cold spots', counts: 'Count',
    auditFlags: 'Correlation flags', flag: 'Flag', alpha: "Cronbach's α", flagKinds: { collinear: 'collinear', negative: 'negatively correlated', weakParent: 'weak link to parent' } as Record<string, string>,
    noMap: 'The units are not Chinese prefecture-level divisions, so no map of China is drawn; scores are shown as bars.', rankingBars: 'Scores', analysisErrors: 'Analyses that could not run', lineageTop: "The leader's score by indicator",
    contribution: 'Contribution', indicator: 'Indicator', rawValue: 'Raw value',
  },
} as const;

type Labels = (typeof T)['zh'] | (typeof T)['en'];

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

const CSS = `
:root{--ink:#222;--muted:#666;--line:#ddd;--accent:#b03a2e;--soft:#faf7f2}
*{box-sizing:border-box}
body{margin:0;font-family:"Noto Sans CJK SC","Noto Sans SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",system-ui,sans-serif;color:var(--ink);line-height:1.55;font-size:15px;background:#fff}
main{max-width:1040px;margin:0 auto;padding:24px 28px 60px}
header.top{border-bottom:3px solid var(--accent);padding-bottom:12px;margin-bottom:8px}
h1{font-size:28px;margin:8px 0 4px}h2{font-size:21px;margin:34px 0 10px;border-bottom:1px solid var(--line);padding-bottom:4px;color:var(--accent)}
h3{font-size:17px;margin:22px 0 8px}h4{font-size:15px;margin:16px 0 6px}
.meta{color:var(--muted);font-size:13px}.lang-switch{float:right;font-size:13px;border:1px solid var(--line);padding:2px 10px;border-radius:12px;text-decoration:none;color:var(--ink)}
.alert{background:#fff1ef;border-left:4px solid var(--accent);padding:6px 14px;margin:12px 0;font-size:14px}.alert ul{margin:4px 0;padding-left:18px}
.notes{background:var(--soft);border-left:4px solid #e0c9a6;padding:8px 14px;margin:12px 0;font-size:13.5px}.notes li{margin:3px 0}
ol.findings li{margin:6px 0}
table{border-collapse:collapse;width:100%;font-size:13px;margin:8px 0 14px}th,td{border-bottom:1px solid var(--line);padding:4px 6px;text-align:left;vertical-align:top}
th{background:#f3f3f3;font-weight:600}td:first-child,th:first-child{white-space:nowrap}table.ranking th{max-width:9em}table.ranking td.tier{min-width:11em}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
tr.lead td{background:#fff3e6}.sub{color:var(--muted);font-size:11.5px}
figure{margin:10px 0 18px;text-align:center;page-break-inside:avoid;break-inside:avoid}figure svg{max-width:100%;height:auto}
figcaption{font-size:13px;color:var(--muted);margin-top:4px}.map-note{font-size:12px;color:var(--muted)}
.grid2{display:flex;flex-wrap:wrap;gap:8px;justify-content:space-between}.grid2 figure{flex:1 1 440px}
.case{border:1px solid var(--line);border-radius:6px;padding:8px 16px;margin:12px 0;page-break-inside:avoid}
.case .city{font-size:13px;color:var(--accent);font-weight:600}
code{font-family:ui-monospace,"DejaVu Sans Mono",monospace;font-size:12px;background:#f4f4f4;padding:0 3px;border-radius:3px;word-break:break-all}
.url{color:var(--muted);font-size:12px;word-break:break-all}
.tag{display:inline-block;font-size:11px;padding:0 6px;border-radius:8px;background:#eee;margin-right:4px}
.gap{color:#8a5a00}.hash{font-family:ui-monospace,"DejaVu Sans Mono",monospace;font-size:11px;word-break:break-all}
footer{margin-top:40px;border-top:1px solid var(--line);padding-top:8px;font-size:12px;color:var(--muted)}
@page{size:A4;margin:16mm 14mm 16mm 14mm}
@media print{body{font-size:10.5pt}table{font-size:8.5pt}main{max-width:none;padding:0}.lang-switch{display:none}h2{page-break-after:avoid;break-after:avoid}
section.major{page-break-before:always;break-before:page}section.major.first{page-break-before:auto;break-before:auto}
tr,td,th{page-break-inside:avoid;break-inside:avoid}thead{display:table-header-group}a{color:inherit;text-decoration:none}}
`;

/** A unit's name in the report's language with its name in the other language beneath, when it has one. */
function bothNames(ix: ReportIndex, u: string): string {
  const x = ix.units.get(u);
  const main = ix.unitName(u);
  const other = ix.lang === 'zh' ? x?.name.en : x?.name.zh;
  return other && other !== main ? `${esc(main)} <span class="sub">${esc(other)}</span>` : esc(main);
}

function table(head: string[], rows: string[][], numCols: number[] = [], rowClass?: (i: number) => string, options: { className?: string; cellClass?: (k: number) => string } = {}): string {
  const th = head.map((h, k) => `<th${numCols.includes(k) ? ' class="num"' : ''}>${h}</th>`).join('');
  const cls = (k: number) => [numCols.includes(k) ? 'num' : '', options.cellClass?.(k) ?? ''].filter(Boolean).join(' ');
  const body = rows.map((r, i) => `<tr${rowClass?.(i) ? ` class="${rowClass(i)}"` : ''}>${r.map((c, k) => `<td${cls(k) ? ` class="${cls(k)}"` : ''}>${c}</td>`).join('')}</tr>`).join('\n');
  return `<table${options.className ? ` class="${options.className}"` : ''}><thead><tr>${th}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

function sourceText(s: { name?: string; url?: string; year?: string | number; licence?: string; file?: string } | undefined): string {
  if (!s) return '';
  return [s.name && esc(s.name), s.year !== undefined && esc(String(s.year)), s.licence && esc(s.licence), s.url && `<span class="url">${esc(s.url)}</span>`].filter(Boolean).join(' · ');
}

function version(ctx: ReportContext): string {
  if (ctx.version) return ctx.version;
  try { return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version; } catch { return 'unknown'; }
}

/** Column heading for the units: 城市 / City for Chinese cities, 评价对象 / Unit otherwise. */
function unitHeader(ctx: ReportContext, L: Labels): string {
  return isCityReport(ctx.build.results.scores.unitCodes) ? L.unit : L.unitGeneric;
}

function rankingSection(ctx: ReportContext, ix: ReportIndex, L: Labels): string {
  const tiers = ctx.analyses?.tiers;
  const tierOf = new Map<string, string>();
  if (tiers) {
    const codes = ctx.build.results.scores.unitCodes;
    const k = tiers.labels.length;
    codes.forEach((u, i) => { const c = tiers.classOf[i]; if (c >= 0) tierOf.set(u, pickText(tiers.tierNames[k - 1 - c], ix.lang, tiers.labelOf[i] ?? '')); });
  }
  const intervals = new Map((ctx.rankIntervals ?? []).map((r) => [r.unit, r]));
  const head = [L.rank, unitHeader(ctx, L), esc(ix.nodeName(ix.indexCode)), ...ix.dimensions.map((d) => `${esc(ix.nodeName(d))}<div class="sub">${L.score} (${L.rank})</div>`)];
  if (tiers) head.push(L.tier);
  if (intervals.size) head.push(L.interval);
  const leaderUnits = new Set(ix.order.filter((u) => ix.rank(u) === 1));
  const rows = ix.order.map((u) => {
    const r = [fmt(ix.rank(u), 0), bothNames(ix, u), fmt(ix.score(u)), ...ix.dimensions.map((d) => `${fmt(ix.score(u, d))} <span class="sub">(${fmt(ix.rank(u, d), 0)})</span>`)];
    if (tiers) r.push(esc(tierOf.get(u) ?? '—'));
    if (intervals.size) { const iv = intervals.get(u); r.push(iv ? `${fmtRank(iv.q5)}–${fmtRank(iv.q95)} (${fmtRank(iv.median)})` : '—'); }
    return r;
  });
  const nums = [0, 2, ...ix.dimensions.map((_, k) => 3 + k)];
  if (intervals.size) nums.push(head.length - 1);
  return `<section class="major" id="ranking"><h2>${L.ranking}</h2>${table(head, rows, nums, (i) => (leaderUnits.has(ix.order[i]) ? 'lead' : ''), { className: 'ranking', cellClass: (k) => (tiers && k === 3 + ix.dimensions.length ? 'tier' : '') })}${lineageTable(ctx, ix, L)}</section>`;
}

/** The leader's score decomposed into indicator contributions (exact for arithmetic aggregation). */
function lineageTable(ctx: ReportContext, ix: ReportIndex, L: Labels): string {
  const leader = ix.order[0];
  if (!leader) return '';
  let ex;
  try { ex = explainScore(ctx.build, leader); } catch { return ''; }
  const rows = ex.indicators.filter((i) => i.share > 0).sort((a, b) => b.contribution - a.contribution).map((i) => {
    const last = i.stages.length ? i.stages[i.stages.length - 1].value : NaN;
    return [`<code>${esc(i.code)}</code> ${esc(pickText(i.name, ix.lang, i.code))}`, fmt(i.raw, 3), fmt(last, 1), pct(i.share, 1), ex!.additive ? fmt(i.contribution, 2) : '—'];
  });
  const sum = ex.indicators.reduce((s, i) => s + i.contribution, 0);
  const note = ex.additive ? `${ix.lang === 'zh' ? '贡献之和' : 'Sum of contributions'} ${fmt(sum, 2)} = ${fmt(ex.score, 2)}` : (ix.lang === 'zh' ? '非算术汇总：贡献不可加' : 'Non-arithmetic aggregation: contributions are not additive');
  return `<h3>${L.lineageTop}: ${esc(ix.unitName(leader))}</h3>${table([L.indicator, L.rawValue, L.score, L.weight, L.contribution], rows, [1, 2, 3, 4])}<p class="sub">${note}</p>`;
}

/** Why a statistic is missing, in words (from the analysis' `skipped` notes). */
function skippedNotes(list: readonly SkippedStatistic[], lang: ReportLang, grouping?: string): string {
  // one sentence per reason: "Theil and Dagum decompositions not computed: …"
  const byReason = new Map<string, SkippedStatistic[]>();
  for (const sk of list) byReason.set(sk.reason, [...(byReason.get(sk.reason) ?? []), sk]);
  return [...byReason.values()].map((group) => (lang === 'zh' ? spaceMixed(skippedNote(group, lang, grouping)) : skippedNote(group, lang, grouping))).join(lang === 'zh' ? '' : ' ');
}

function skippedNote(group: readonly SkippedStatistic[], lang: ReportLang, grouping?: string): string {
  const sk = group[0];
  const name: Record<SkippedStatistic['statistic'], { zh: string; en: string }> = {
    theil: { zh: '泰尔指数分解', en: 'the Theil decomposition' }, dagum: { zh: 'Dagum 基尼分解', en: 'the Dagum Gini decomposition' }, gini: { zh: '基尼系数', en: 'the Gini' }, cv: { zh: '变异系数', en: 'the coefficient of variation' },
    theilPopulationWeighted: { zh: '人口加权泰尔指数', en: 'the population-weighted Theil' }, cvPopulationWeighted: { zh: '人口加权变异系数', en: 'the population-weighted CV' },
  };
  const names = group.map((g) => (g.statistic === 'theil' && !grouping ? { zh: '泰尔指数', en: 'the Theil T' } : name[g.statistic])[lang]);
  const what = lang === 'zh' ? names.join('与') : names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}` : names[0];
  const g = grouping ? groupingName(grouping, lang) : '';
  switch (sk.reason) {
    case 'multiMembership': return lang === 'zh' ? `未计算${what}：部分评价对象同时属于多个“${g}”组。` : `Not computed: ${what}, because some units belong to several "${g}" groups.`;
    case 'ungrouped': return lang === 'zh' ? `未计算${what}：部分评价对象不属于任何“${g}”组。` : `Not computed: ${what}, because some units belong to no "${g}" group.`;
    case 'undefined': return lang === 'zh' ? `未计算${what}：需要非负得分且均值为正（${esc(sk.issues[0]?.message ?? sk.message)}）。` : `Not computed: ${what}, which need${group.length > 1 ? '' : 's'} non-negative scores with a positive mean (${esc(sk.issues[0]?.message ?? sk.message)}).`;
    default: return esc(sk.message);
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
    const rows = [...s.groups].sort((a, b) => b.mean - a.mean).map((x) => [esc(groupLabel(x.group, lang)), String(x.nScored), fmt(x.mean), fmt(x.median), fmt(x.gap), fmt(x.ratio, 2), pct(x.shareBelowNationalMean)]);
    if (s.ungrouped) rows.push([lang === 'zh' ? '（未分组）' : '(ungrouped)', String(s.ungrouped.nScored), fmt(s.ungrouped.mean), fmt(s.ungrouped.median), fmt(s.ungrouped.gap), fmt(s.ungrouped.ratio, 2), pct(s.ungrouped.shareBelowNationalMean)]);
    rows.push([`<strong>${allLabel}</strong>`, String(s.national.nScored), fmt(s.national.mean), fmt(s.national.median), '', '', pct(s.national.shareBelowNationalMean)]);
    const theil = g.theil ? `<p class="sub">${L.theil} = ${fmt(g.theil.T, 4)}: ${L.between} ${fmt(g.theil.between, 4)} (${pct(g.theil.between / g.theil.T)}), ${L.within} ${fmt(g.theil.within, 4)}</p>` : '';
    const skipped = g.skipped?.length ? `<p class="sub skipped">${skippedNotes(g.skipped, lang, g.grouping)}</p>` : '';
    const multi = g.multiMembership ? `<p class="sub">${lang === 'zh' ? '一个城市可属于多个组，各组单独统计。' : 'A unit may belong to several groups; each group is summarised on its own.'}</p>` : '';
    parts.push(`<h3>${esc(groupingName(g.grouping, lang))}</h3><div class="grid2"><figure>${svg}</figure><div style="flex:1 1 440px">${table([L.group, L.n, L.mean, L.median, M.gap, M.ratio, M.below], rows, [1, 2, 3, 4, 5, 6])}${theil}${multi}${skipped}</div></div>`);
  }
  const q = reg.inequality;
  const ineqRows = [[L.gini, fmt(q.gini, 4)], [L.cv, fmt(q.cv, 4)], ...(q.cvPopulationWeighted !== undefined ? [[L.cvPop, fmt(q.cvPopulationWeighted, 4)]] : []), [L.theil, fmt(q.theil, 4)], ...(q.theilPopulationWeighted !== undefined ? [[L.theilPop, fmt(q.theilPopulationWeighted, 4)]] : [])];
  const skipped = reg.skipped?.length ? `<p class="sub skipped">${skippedNotes(reg.skipped, lang)}</p>` : '';
  parts.push(`<h3>${L.inequality}</h3>${table([L.stat, L.value], ineqRows, [1])}${skipped}`);
  parts.push('</section>');
  return parts.join('\n');
}

function spatialSection(ctx: ReportContext, ix: ReportIndex, charts: ReportCharts, L: Labels, lang: ReportLang): string {
  const sp = ctx.analyses?.spatial;
  if (!sp) return '';
  const m = sp.moran, g = sp.geary;
  const pm = m.permutation as { R: number; p_sim: number } | undefined;
  const pg = g.permutation as { R: number; p_sim: number } | undefined;
  const rows = [
    ["Moran's I", fmt(m.I, 4), fmt(m.EI, 4), `${fmt(m.z_rand, 2)}`, pm ? `${fmt(pm.p_sim, 3)} (${pm.R} ${L.perm})` : fmt(m.p_rand, 4)],
    ["Geary's C", fmt(g.C, 4), fmt(g.EC, 4), `${fmt(g.z_rand, 2)}`, pg ? `${fmt(pg.p_sim, 3)} (${pg.R} ${L.perm})` : fmt(g.p_rand, 4)],
  ];
  const set = ctx.analyses?.settings.spatial;
  const seed = set?.seed ?? ctx.build.spec.seed;
  const R = pm?.R ?? 0;
  const adjustName: Record<string, { zh: string; en: string }> = { none: { zh: '无', en: 'none' }, fdr: { zh: 'FDR（Benjamini–Hochberg）', en: 'FDR (Benjamini–Hochberg)' }, bonferroni: { zh: 'Bonferroni', en: 'Bonferroni' } };
  const adj = sp.localMoran.significance?.adjust ?? set?.adjust ?? 'none';
  const wText = set ? describeWeights(set.weights, lang) : sp.weights;
  const method = lang === 'zh'
    ? `空间权重：${esc(wText)}（<code>${esc(sp.weights)}</code>）；计算 Moran's I、Geary's C 与局部 Moran 时按行标准化，Gi* 使用二值权重并包含自身。显著性：${R ? `${R} 次条件置换检验，随机种子 ${seed ?? '—'}` : '正态近似'}；α = ${set?.alpha ?? 0.05}，p 值校正：${adjustName[adj]?.zh ?? adj}。局部 Moran 约定（与 PySAL esda 相同）：<code>${esc(sp.localMoran.formula)}</code>；“高-高”等分类按 z_i 与其空间滞后的符号，仅在 p ≤ α 时标注，否则为“不显著”。`
    : `Spatial weights: ${esc(wText)} (<code>${esc(sp.weights)}</code>); row-standardised for Moran's I, Geary's C and local Moran; Gi* uses the binary weights with the unit itself included. Significance: ${R ? `${R} conditional permutations, random seed ${seed ?? '—'}` : 'normal approximation'}; α = ${set?.alpha ?? 0.05}, p-value adjustment: ${adjustName[adj]?.en ?? adj}. Local Moran convention (as PySAL esda): <code>${esc(sp.localMoran.formula)}</code>; a class (High-High, …) is the signs of z_i and its spatial lag, given only when p ≤ α, otherwise "Insignificant".`;
  const parts = [`<section class="major" id="spatial"><h2>${L.spatial}</h2><p class="sub method-note">${method}</p>`,
    table([L.stat, L.value, L.expected, 'z', L.p], rows, [1, 2, 3, 4])];
  if (charts.lisaMap) parts.push(`<figure>${charts.lisaMap}<figcaption>${L.lisaCaption}</figcaption><div class="map-note">${esc(mapSourceNote(lang))}</div></figure>`);
  const sig = sp.localMoran.significance;
  if (sig) {
    const members = (lab: string) => sp.localMoran.ids.filter((_, i) => sig.labels[i] === lab).map((u) => esc(ix.unitName(u))).join(lang === 'zh' ? '、' : ', ');
    const labs = (['HH', 'HL', 'LH', 'LL'] as const).filter((l) => sig.counts[l] > 0);
    parts.push(table([L.lisaClass, L.counts, unitHeader(ctx, L)], labs.map((l) => [`${LISA_LABEL_NAMES[l][lang]} (${l})`, String(sig.counts[l]), members(l)]), [1]));
    parts.push(`<p class="sub">α = ${sig.alpha}${lang === 'zh' ? '，p 值校正：' : ', p-value adjustment: '}${adjustName[sig.adjust]?.[lang] ?? sig.adjust}${lang === 'zh' ? '；' : '; '}${LISA_LABEL_NAMES.ns[lang]}: ${sig.counts.ns}</p>`);
  }
  const gi = sp.getisOrd.significance;
  parts.push(lang === 'zh' ? `<p>${L.gistar}：${L.hot} ${gi.counts.hot} 个，${L.cold} ${gi.counts.cold} 个（α = ${gi.alpha}，${gi.pSource === 'p_sim' ? '置换检验 p 值' : '正态近似 p 值'}）。</p>` : `<p>${L.gistar}: ${L.hot} ${gi.counts.hot}, ${L.cold} ${gi.counts.cold} (α = ${gi.alpha}, ${gi.pSource === 'p_sim' ? 'permutation p-values' : 'normal-approximation p-values'}).</p>`);
  const so = sp.spillover;
  if (so) {
    const row = (u: typeof so.leader) => [bothNames(ix, u.id), fmt(u.score), String(u.rank), fmt(u.differenceFromMean), `${LISA_LABEL_NAMES[u.label][lang]}`, u.p_sim !== undefined ? fmt(u.p_sim, 3) : '—'];
    parts.push(`<h3>${L.spillover}</h3><p>${esc(lang === 'zh' ? `均值 ${fmt(so.mean)}；所列邻近城市平均 ${fmt(so.neighbourMean)}，${so.neighboursAboveMean}/${so.neighbours.length} 个高于均值。` : `Mean ${fmt(so.mean)}; the listed neighbours average ${fmt(so.neighbourMean)}, ${so.neighboursAboveMean} of ${so.neighbours.length} above the mean.`)}</p>`);
    parts.push(table([unitHeader(ctx, L), L.score, L.rank, L.diffMean, L.lisaClass, 'p_sim'], [row(so.leader), ...so.neighbours.map(row)], [1, 2, 3, 5], (i) => (i === 0 ? 'lead' : '')));
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
  const zh = lang === 'zh';
  const peerText = (g: NonNullable<typeof list>[number]) => {
    const spec = g.gaps.peerSpec as { by: string; k?: number; field?: string };
    const n = g.gaps.peers.length;
    switch (spec.by) {
      case 'nearest': return zh ? `同伴：得分最接近的 ${n} 个评价对象` : `peers: the ${n} units with the closest index scores`;
      case 'group': return zh ? `同伴：同一“${groupingName(spec.field ?? '', lang)}”组的 ${n} 个评价对象` : `peers: the ${n} units in the same "${groupingName(spec.field ?? '', lang)}" group`;
      default: return zh ? `同伴：其余全部 ${n} 个评价对象` : `peers: all ${n} other units`;
    }
  };
  const parts = [`<section class="major" id="gaps"><h2>${zh ? '短板与提升空间' : 'Gaps against peers'}</h2><p class="sub">${zh ? `差距 = 同伴均值 − 其得分（标准化得分），只列低于同伴的指标；加权差距 = 差距 × 有效权重（算术汇总下为指数差距的组成部分）。最小提升：单一指标需提高多少（标准化分）才能上升 ${list[0].improvements.k} 名，其余不变。` : `Gap = peer mean − the unit's normalised score, listed where the unit is below its peers; weighted gap = gap × effective weight (its share of the index gap under arithmetic aggregation). Smallest improvement: how much one indicator alone (normalised points) must rise to climb ${list[0].improvements.k} ranks, all else equal.`}</p>`];
  for (const g of list) {
    const top = [...g.gaps.indicators].filter((x) => Number.isFinite(x.weightedGap) && x.weightedGap > 0).sort((a, b) => b.weightedGap - a.weightedGap).slice(0, 5);
    const rows = top.map((x) => [`<code>${esc(x.code)}</code> ${esc(ix.nodeName(x.code))}`, fmt(x.value), fmt(x.peerMean), fmt(x.gap), fmt(x.weightedGap, 2), String(x.rankAmongPeers)]);
    const imp = g.improvements;
    const best = imp.best ? imp.indicators.find((x) => x.code === imp.best) : undefined;
    const improve = best
      ? (zh ? `最小提升：${esc(ix.nodeName(best.code))} 提高 ${fmt(best.improvement)} 分，排名由第 ${imp.rank} 名升至第 ${best.newRank} 名。` : `Smallest improvement: ${esc(ix.nodeName(best.code))} up by ${fmt(best.improvement)} points lifts the rank from ${imp.rank} to ${best.newRank}.`)
      : (zh ? `没有单一指标能使排名上升 ${imp.k} 名。` : `No single indicator can lift the rank by ${imp.k}.`);
    parts.push(`<h3>${bothNames(ix, g.unit)} <span class="sub">${zh ? `第 ${fmtRank(ix.rank(g.unit))} 名` : `rank ${fmtRank(ix.rank(g.unit))}`}</span></h3><p class="sub">${peerText(g)}</p>`,
      table([L.indicator, L.score, zh ? '同伴均值' : 'Peer mean', zh ? '差距' : 'Gap', zh ? '加权差距' : 'Weighted gap', zh ? '同伴中排名' : 'Rank among peers'], rows, [1, 2, 3, 4, 5]), `<p>${improve}</p>`);
  }
  parts.push('</section>');
  return parts.join('\n');
}

function tiersSection(ctx: ReportContext, ix: ReportIndex, L: Labels, lang: ReportLang): string {
  const t = ctx.analyses?.tiers;
  if (!t) return '';
  const codes = ctx.build.results.scores.unitCodes;
  const rows = t.labels.slice().reverse().map((cls, j) => {
    const members = codes.filter((_, i) => t.classOf[i] === cls.class).sort((a, b) => ix.score(b, t.code) - ix.score(a, t.code));
    return [esc(pickText(t.tierNames[j], lang, cls.label)), `${Number.isFinite(cls.lower) ? fmt(cls.lower, 2) : '−∞'} – ${Number.isFinite(cls.upper) ? fmt(cls.upper, 2) : '∞'}`, String(members.length), members.map((u) => esc(ix.unitName(u))).join(lang === 'zh' ? '、' : ', ')];
  });
  const methodName: Record<string, { zh: string; en: string }> = { fisherJenks: { zh: 'Fisher–Jenks 自然断点', en: 'Fisher–Jenks natural breaks' }, quantiles: { zh: '分位数', en: 'quantiles' }, thresholds: { zh: '给定阈值', en: 'given thresholds' }, meanSd: { zh: '均值 ± 标准差倍数', en: 'mean ± multiples of the sd' }, headTail: { zh: '头尾断点', en: 'head/tail breaks' } };
  const lowerClosed = t.labels.some((c) => /x <|x ≥|≤ x/.test(c.rule));
  const bounds = t.labels.slice().reverse().map((cls, j) => {
    const name = pickText(t.tierNames[j], lang, cls.label);
    const lo = Number.isFinite(cls.lower) ? fmt(cls.lower, 4) : undefined, hi = Number.isFinite(cls.upper) ? fmt(cls.upper, 4) : undefined;
    const r = lowerClosed
      ? (lo && hi ? `${lo} ≤ x < ${hi}` : lo ? `x ≥ ${lo}` : hi ? `x < ${hi}` : (lang === 'zh' ? '全部' : 'all'))
      : (lo && hi ? `${lo} < x ≤ ${hi}` : lo ? `x > ${lo}` : hi ? `x ≤ ${hi}` : (lang === 'zh' ? '全部' : 'all'));
    return `${esc(name)}: ${r}`;
  });
  const rule = `${methodName[t.method]?.[lang] ?? esc(t.method)}, k = ${t.k}${lang === 'zh' ? '；' : '; '}${bounds.join(lang === 'zh' ? '；' : '; ')}`;
  return `<section class="major" id="tiers"><h2>${L.tiers}</h2><p>${L.rule}: ${rule}; GVF = ${fmt(t.gvf, 3)}</p>${table([L.tier, L.bounds, L.n, unitHeader(ctx, L)], rows, [2])}</section>`;
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
    parts.push(`<h3 id="case-${esc(city)}">${esc(name)}</h3>${Number.isFinite(r) ? `<p class="sub">${esc(L.caseRank(name, String(r)))}; ${esc(ix.nodeName(ix.indexCode))} ${fmt(ix.score(city))}</p>` : ''}`);
    for (const c of byCity.get(city)!) {
      const domains = c.domains.map((d) => `<span class="tag">${esc(pickText(d, lang))}</span>`).join('');
      const links = c.indicators.map((code) => { const n = ix.nodes.get(code) ?? ctx.project.gaps.find((g) => g.code === code); return `<code>${esc(code)}</code> ${esc(pickText(n?.name, lang, ''))}${n?.status === 'not_collected' ? ` <span class="gap">(${L.notCollected})</span>` : ''}`; }).join('; ');
      const sources = c.sources.map((s) => `<li>${esc(s.citation)}${s.url ? ` <span class="url">${esc(s.url)}</span>` : ''}</li>`).join('');
      parts.push(`<div class="case"><div class="city">${esc(pickText(c.title, lang, c.id))} · ${c.year}</div><div>${domains}</div>${markdownToHtml(bodyForLanguage(c.body, lang), 3)}${links ? `<p class="sub">${L.indicators}: ${links}</p>` : ''}<ul class="sub">${sources}</ul></div>`);
    }
  }
  parts.push('</section>');
  return parts.join('\n');
}

function auditSection(ctx: ReportContext, ix: ReportIndex, L: Labels, lang: ReportLang): string {
  const audit = ctx.audit ?? (ctx.analyses as { audit?: ReportContext['audit'] } | undefined)?.audit;
  if (!audit) return '';
  const flags = audit.correlations.flags.map((f) => [esc(L.flagKinds[f.kind] ?? f.kind), esc(ix.nodeName(f.group)), `${esc(ix.nodeName(f.a))} / ${esc(ix.nodeName(f.b))}`, fmt(f.r, 3)]);
  const alphas = audit.cronbach.map((c) => [esc(ix.nodeName(c.group)), String(c.k), fmt(c.alpha, 3)]);
  return `<section class="major" id="audit"><h2>${L.audit}</h2><h3>${L.auditFlags}</h3>${flags.length ? table([L.flag, L.dimension, L.indicators, 'r'], flags, [3]) : `<p>${lang === 'zh' ? '无' : 'None'}</p>`}<h3>${L.alpha}</h3>${table([L.dimension, 'k', 'α'], alphas, [1, 2])}</section>`;
}

function stepDetails(step: { kind: string; diagnostics: unknown }, ix: ReportIndex, lang: ReportLang): string {
  const zh = lang === 'zh';
  const d = step.diagnostics as Record<string, unknown> | undefined;
  if (!d) return '';
  switch (step.kind) {
    case 'impute': {
      const di = d as unknown as ImputeDiagnostics;
      const per = di.byIndicator.filter((b) => b.imputed > 0 || b.missingAfter > 0).map((b) => `${esc(ix.nodeName(b.indicator))}: ${b.imputed}/${b.missingBefore}${b.missingAfter ? (zh ? `，仍缺 ${b.missingAfter}` : `, ${b.missingAfter} still missing`) : ''}`);
      return (zh ? `缺失 ${di.counts.missingBefore} 个值，插补 ${di.counts.imputed} 个，剩余缺失 ${di.counts.missingAfter} 个。` : `${di.counts.missingBefore} missing values, ${di.counts.imputed} imputed, ${di.counts.missingAfter} still missing.`) + (per.length ? `<br><span class="sub">${per.join('; ')}</span>` : '');
    }
    case 'screen': {
      const ds = d as unknown as ScreenDiagnostics;
      return zh ? `保留 ${ds.units.filter((u) => u.kept).length} 个，剔除 ${ds.removed.length} 个${ds.removed.length ? `：${ds.removed.map((u) => esc(ix.unitName(u))).join('、')}` : ''}。` : `${ds.units.filter((u) => u.kept).length} kept, ${ds.removed.length} removed${ds.removed.length ? `: ${ds.removed.map((u) => esc(ix.unitName(u))).join(', ')}` : ''}.`;
    }
    case 'treat': {
      const dt = d as unknown as TreatDiagnostics;
      const s = dt.summary;
      const treated = dt.indicators.filter((i) => (i.winsorised?.nwin ?? 0) > 0 || i.transform).map((i) => `${esc(ix.nodeName(i.code))}: ${i.winsorised?.nwin ? (zh ? `缩尾 ${i.winsorised.nwin} 点（${i.winsorised.points.map((p) => esc(ix.unitName(p.unit))).join('、')}）` : `${i.winsorised.nwin} winsorised (${i.winsorised.points.map((p) => esc(ix.unitName(p.unit))).join(', ')})`) : ''}${i.transform ? ` ${esc(i.transform)}` : ''}`);
      return (zh ? `初检未通过 ${s.failedInitially} 项；缩尾 ${s.winsorisedPoints} 个点；变换 ${s.transformed} 项；仍未通过 ${s.stillFailing} 项。` : `${s.failedInitially} indicators failed the check; ${s.winsorisedPoints} points winsorised; ${s.transformed} transformed; ${s.stillFailing} still failing.`) + (treated.length ? `<br><span class="sub">${treated.join('; ')}</span>` : '');
    }
    case 'weight': {
      const dw = d as unknown as WeightDiagnostics;
      return Object.entries(dw.weights).map(([c, w]) => `${esc(ix.nodeName(c))} ${fmt(w, 4)}`).join('; ');
    }
    default: {
      const warnings = (d.warnings as Array<{ message: string }> | undefined) ?? [];
      const extra = step.kind === 'denominate' && Array.isArray(d.denominated) ? (zh ? `分母化 ${(d.denominated as unknown[]).length} 项。` : `${(d.denominated as unknown[]).length} indicators denominated.`) : '';
      return extra + (warnings.length ? `<br><span class="sub">${warnings.map((w) => esc(w.message)).join('; ')}</span>` : '');
    }
  }
}

function methodSection(ctx: ReportContext, ix: ReportIndex, L: Labels, lang: ReportLang): string {
  const b = ctx.build;
  const rows = b.spec.steps.map((s: StepSpec, k) => {
    const rec = b.steps[k];
    return [`<code>${esc(s.id)}</code>`, esc(describeStep(s, lang)), `<code>${esc(JSON.stringify(s.options ?? {}))}</code>`, rec ? stepDetails(rec, ix, lang) : ''];
  });
  const ew = b.results.effectiveWeights;
  const weightRows = [...ix.nodes.values()].filter((n) => n.code in ew && n.parent !== null && n.status !== 'not_collected').sort((a, c) => c.level - a.level).map((n) => [`<code>${esc(n.code)}</code>`, esc(ix.nodeName(n.code)), String(n.level), fmt(n.weight, 3), fmt(ew[n.code], 4)]);
  const analysesSettings = ctx.analyses ? `<h3>${lang === 'zh' ? '分析设置' : 'Analysis settings'}</h3><p><code>${esc(JSON.stringify(ctx.analyses.settings))}</code></p>` : '';
  const errors = ctx.analyses?.errors.length ? `<h3 id="analysis-errors">${L.analysisErrors}</h3><ul>${ctx.analyses.errors.map((e) => `<li><code>${esc(e.analysis)}</code><ul class="sub">${e.issues.map((i) => `<li>${esc(formatIssue(i))}</li>`).join('')}</ul></li>`).join('')}</ul>` : '';
  return `<section class="major" id="method"><h2>${L.method}</h2>${table([L.step, L.what, L.options, L.did], rows)}<h3>${L.weights}</h3>${table([L.code, L.name, lang === 'zh' ? '层级' : 'Level', L.weight, L.weights], weightRows, [2, 3, 4])}${analysesSettings}${errors}</section>`;
}

function sourcesSection(ctx: ReportContext, ix: ReportIndex, L: Labels, lang: ReportLang): string {
  const fw = ctx.build.input.framework;
  const inds = fw.nodes.filter((n) => n.kind === 'indicator');
  const rows = inds.filter((n) => n.status !== 'not_collected').map((n) => [`<code>${esc(n.code)}</code>`, esc(pickText(n.name, lang, n.code)), esc(ix.nodeName(n.parent ?? '')), esc(n.unit ?? ''), n.direction === 1 ? '+' : '−', sourceText(n.source)]);
  const gapRows = inds.filter((n) => n.status === 'not_collected').map((n) => [`<code>${esc(n.code)}</code>`, esc(pickText(n.name, lang, n.code)), esc(ix.nodeName(n.parent ?? '')), esc(n.notes ?? '')]);
  const den = (fw.denominators ?? []).map((d) => [`<code>${esc(d.code)}</code>`, esc(pickText(d.name, lang, d.code)), esc(d.unit ?? ''), sourceText(d.source)]);
  const warnings = ctx.project.warnings.length ? `<h3>${L.warnings}</h3><ul class="sub">${ctx.project.warnings.map((w) => `<li>${esc(formatIssue(w))}</li>`).join('')}</ul>` : '';
  return `<section class="major" id="sources"><h2>${L.sources}</h2>${table([L.code, L.name, L.dimension, L.unitOf, L.direction, L.source], rows)}`
    + (gapRows.length ? `<h3 class="gap">${L.gaps}</h3>${table([L.code, L.name, L.dimension, L.notes], gapRows)}` : '')
    + (den.length ? `<h3>${L.denominators}</h3>${table([L.code, L.name, L.unitOf, L.source], den)}` : '') + warnings + '</section>';
}

function reproSection(ctx: ReportContext, L: Labels): string {
  const specHash = createHash('sha256').update(stableStringify(ctx.build.spec)).digest('hex');
  const files = ctx.project.files.map((f) => [`<code>${esc(f.path)}</code>`, String(f.bytes), `<span class="hash">${f.sha256}</span>`]);
  const zh = ctx.lang === 'zh';
  const set = ctx.analyses?.settings;
  const seeds: string[][] = [];
  if (set?.spatial && ctx.analyses?.spatial) seeds.push([zh ? '空间分析置换检验的随机种子' : 'Seed of the spatial permutation tests', `${set.spatial.seed ?? ctx.build.spec.seed ?? '—'} (${set.spatial.permutations} ${L.perm})`]);
  if (set?.uncertainty) seeds.push([zh ? '不确定性分析的随机种子' : 'Seed of the uncertainty analysis', `${set.uncertainty.seed ?? ctx.build.spec.seed ?? '—'} (N = ${set.uncertainty.N})`]);
  const meta = [[L.version, esc(version(ctx))], [zh ? '构建的随机种子' : 'Build seed', ctx.build.spec.seed !== undefined ? String(ctx.build.spec.seed) : '—'], ...seeds, [L.spec, `<span class="hash">${specHash}</span>`], ...(ctx.generatedAt ? [[L.generated, esc(ctx.generatedAt)]] : [])];
  return `<section class="major" id="repro"><h2>${L.repro}</h2>${table([L.stat, L.value], meta)}${table([L.file, L.bytes, L.sha], files, [1])}</section>`;
}

/** Surveys whose city estimates entered the build: value and 95 % interval per city, labelled simulated when so. */
function surveySection(ctx: ReportContext, ix: ReportIndex, lang: ReportLang): string {
  const surveys = ctx.project.surveys;
  if (!surveys.length) return '';
  const zh = lang === 'zh';
  const parts = [`<section class="major" id="surveys"><h2>${zh ? '问卷调查' : 'Surveys'}</h2>`];
  for (const s of surveys) {
    parts.push(`<h3>${esc(s.title)}</h3>`);
    if (s.simulated) parts.push(`<p class="notes"><strong>${zh ? '模拟数据：以下数值由生成的问卷答复计算，不是真实调查结果。' : 'Simulated responses (模拟数据): these values come from generated answers, not a real survey.'}</strong></p>`);
    for (const code of s.indicators) {
      const rows = s.lower.unitCodes.filter((u) => !Number.isNaN(getValue(ctx.project.input.raw, u, code))).map((u) => {
        const v = getValue(ctx.project.input.raw, u, code);
        return [bothNames(ix, u), fmt(v, 1), `${fmt(getValue(s.lower, u, code), 1)} – ${fmt(getValue(s.upper, u, code), 1)}`, fmt(getValue(s.n, u, code), 0)];
      }).sort((a, b) => Number(b[1]) - Number(a[1]));
      parts.push(`<p>${esc(ix.nodeName(code))} (${esc(code)}): ${zh ? `${rows.length} 个城市有估计值，95% 置信区间考虑了加权的设计效应。` : `${rows.length} cities with an estimate; 95% intervals include the design effect of the weights.`}</p>`);
      parts.push(table([unitHeader(ctx, T[lang]), zh ? '估计值' : 'Estimate', zh ? '95% 区间' : '95% interval', 'n'], rows, [1, 3]));
    }
  }
  parts.push('</section>');
  return parts.join('\n');
}

type AuditRow = NonNullable<ReportSeries['audit']>['rows'][number];

/** Printed number with two decimals, dash when absent (as the audit prints them). */
const chg = (x: number | null | undefined) => (x === null || x === undefined ? '—' : x.toFixed(2));

/**
 * The audit's reason for one row in Chinese, written from its checks (the engine's sentence is English):
 * what was recomputed against which period, the interval the rounding allows, and what is printed where.
 */
function auditReasonZh(r: AuditRow): string {
  const name = (c: AuditRow['checks'][number]) => (c.change === 'mom' ? '环比' : '同比');
  const say = (c: AuditRow['checks'][number]) => `${name(c)}按 ${c.against} 重算为 ${c.recomputed.toFixed(4)}%（考虑指数舍入，可能区间 [${c.interval.lo.toFixed(4)}, ${c.interval.hi.toFixed(4)}]）`;
  const printed = (k: 'mom' | 'yoy') => (k === 'mom' ? r.printed.mom : r.printed.yoy);
  const comparable = r.checks.filter((c) => c.matchesHeaded !== null || c.matchesOther !== null);
  const hasMom = r.checks.some((c) => c.change === 'mom'), hasYoy = r.checks.some((c) => c.change === 'yoy');
  const missing = !hasYoy ? '；同比无法核对（未印出上年同期指数）' : !hasMom ? '；环比无法核对（未印出上期指数）' : '';
  switch (r.verdict) {
    case 'not-checkable': {
      const why: string[] = [];
      if (r.printed.value === null) why.push('本期指数未印出');
      else {
        if (!hasMom) why.push('未印出上期指数');
        if (!hasYoy) why.push('未印出上年同期指数');
        if (r.checks.length && r.printed.mom === null && r.printed.yoy === null) why.push('未印出变化率');
      }
      return `无法重算：${why.join('；')}`;
    }
    case 'consistent': return comparable.map((c) => `${say(c)}；所印 ${chg(printed(c.change))} 在其本列下，一致`).join('；') + missing;
    case 'swapped': return comparable.map((c) => `${say(c)}；该值印在另一列（${chg(printed(c.change === 'mom' ? 'yoy' : 'mom'))}），而“${name(c)}”列为 ${chg(printed(c.change))}`).join('；') + missing;
    case 'inconsistent': return comparable.map((c) => `${say(c)}；所印${name(c)} ${chg(printed(c.change))}${c.matchesHeaded ? '一致' : '不一致'}，另一列 ${chg(printed(c.change === 'mom' ? 'yoy' : 'mom'))}${c.matchesOther ? '一致' : '不一致'}`).join('；') + missing;
    default: return r.reason;
  }
}

/** The audit's tolerance rule in Chinese (decimals read from the engine's sentence). */
function auditToleranceZh(tolerance: string): string {
  const v = /index values: (\d+) decimal/.exec(tolerance)?.[1] ?? '?';
  const c = /changes: (\d+) decimal/.exec(tolerance)?.[1] ?? '?';
  const slack = /plus ([\d.]+) percentage points/.exec(tolerance)?.[1];
  return `印出 d 位小数的数字代表 ±0.5·10^−d 范围内的任一真实值（指数 ${v} 位小数，变化率 ${c} 位小数，单元格另有显示者除外${slack ? `，另加 ${slack} 个百分点的容差` : ''}）；所印变化率的舍入区间与由舍入后指数推算的变化率区间相交时，判为一致。`;
}

/** The uncertainty / sensitivity design: what varied, how many runs, failures, and (sensitivity) Si/STi per input. */
function uncertaintySection(ctx: ReportContext, lang: ReportLang): string {
  const u = ctx.analyses?.uncertainty;
  if (!u) return '';
  const zh = lang === 'zh';
  const parts = [`<section class="major" id="uncertainty"><h2>${zh ? '不确定性与敏感性分析' : 'Uncertainty and sensitivity'}</h2>`];
  parts.push(`<p>${zh
    ? `${u.mode === 'sensitivity' ? 'Sobol 方差分解敏感性分析' : '蒙特卡洛不确定性分析'}：${u.nRuns} 次重建（抽样 ${u.sampler === 'sobol' ? 'Sobol 序列' : '伪随机'}，种子 ${u.seed}），失败 ${u.failures.length} 次。排名区间见“排名”表。`
    : `${u.mode === 'sensitivity' ? "Variance-based (Sobol') sensitivity analysis" : 'Monte Carlo uncertainty analysis'}: ${u.nRuns} rebuilds (${u.sampler === 'sobol' ? "Sobol' points" : 'pseudo-random sample'}, seed ${u.seed}), ${u.failures.length} failed. Rank intervals are in the ranking table.`}</p>`);
  const declared = new Map((ctx.analyses?.settings.uncertainty?.inputs ?? []).map((i) => [i.name, i] as const));
  const describe = (i: (typeof u.inputs)[number]): string => {
    const d = declared.get(i.name);
    if (d?.kind === 'weightNoise') return zh ? `第 ${d.levels.join('、')} 层权重 ±${fmt(d.factor * 100, 0)}% 随机扰动（${d.sets ?? 100} 组）` : `±${fmt(d.factor * 100, 0)}% noise on the weights of level(s) ${d.levels.join(', ')} (${d.sets ?? 100} sets)`;
    if (d?.kind === 'range') return `${fmt(d.min, 2)} – ${fmt(d.max, 2)}${d.integer ? (zh ? '（整数）' : ' (integers)') : ''}`;
    return (i.labels ?? []).join(' | ') || i.kind;
  };
  parts.push(table([zh ? '不确定输入' : 'Uncertain input', zh ? '取值' : 'Alternatives'], u.inputs.map((i) => [esc(i.name), esc(describe(i))])));
  if (u.sensitivity) {
    const iv = (x?: [number, number]) => (x ? `[${fmt(x[0], 3)}, ${fmt(x[1], 3)}]` : '');
    const rows = u.sensitivity.indices.map((i) => [esc(i.name), fmt(i.Si, 3), iv(i.SiInterval), fmt(i.STi, 3), iv(i.STiInterval)]);
    parts.push(`<h3>${zh ? '敏感性指数' : 'Sensitivity indices'}</h3>`, table([zh ? '输入' : 'Input', 'Si', zh ? 'Si 区间（5%–95%）' : 'Si interval (5–95%)', 'STi', zh ? 'STi 区间' : 'STi interval'], rows, [1, 3]));
    parts.push(`<p class="sub">${zh ? '目标：各单元排名相对名义排名的平均绝对变化；Si 为一阶效应（Saltelli 2010），STi 为总效应（Jansen）。' : 'Target: mean absolute rank shift from the nominal ranks; Si first-order (Saltelli 2010), STi total effect (Jansen).'}</p>`);
  }
  if (u.failures.length) parts.push(`<p class="sub">${zh ? '失败示例' : 'Example failures'}: ${esc(u.failures.slice(0, 3).map((f) => `#${f.run}: ${f.reason}`).join('; '))}</p>`);
  parts.push('</section>');
  return parts.join('\n');
}

/** Change over time across the periods of a panel: dispersion per period, β-convergence, largest rank gains and falls. */
function changeSection(ctx: ReportContext, ix: ReportIndex, lang: ReportLang): string {
  const c = ctx.analyses?.change;
  if (!c) return '';
  const zh = lang === 'zh';
  const parts = [`<section class="major" id="change"><h2>${zh ? '变化与收敛' : 'Change over time'}</h2>`];
  if (c.relativeScores) parts.push(`<p class="sub">${zh ? '注意：得分按各期分别标准化，只比较排名；σ/β 收敛需固定目标区间。' : 'Note: scores are normalised within each period; compare ranks. σ/β convergence needs fixed goalposts.'}</p>`);
  if (c.sigma) parts.push(`<h3>${zh ? 'σ 收敛' : 'σ-convergence'}</h3>`, table([zh ? '期' : 'Period', 'n', zh ? '均值' : 'Mean', zh ? '变异系数' : 'CV', 'sd(ln y)'], c.sigma.periods.map((p) => [esc(String(p.period)), String(p.n), fmt(p.mean, 2), fmt(p.cv, 3), p.sdLog === null ? '—' : fmt(p.sdLog, 3)]), [1, 2, 3, 4]));
  if (c.beta) {
    const b = c.beta;
    parts.push(`<h3>${zh ? '绝对 β 收敛' : 'Absolute β-convergence'}</h3><p>${zh
      ? `${esc(String(b.from))}→${esc(String(b.to))}：β = ${fmt(b.beta, 4)}（标准误 ${fmt(b.seBeta, 4)}，t = ${fmt(b.tBeta, 2)}，R² = ${fmt(b.r2, 3)}）${b.lambda !== null ? `，收敛速度 ${fmt(b.lambda * 100, 1)}%/年，半衰期 ${fmt(b.halfLife ?? NaN, 1)} 年` : ''}。`
      : `${esc(String(b.from))}→${esc(String(b.to))}: β = ${fmt(b.beta, 4)} (se ${fmt(b.seBeta, 4)}, t = ${fmt(b.tBeta, 2)}, R² = ${fmt(b.r2, 3)})${b.lambda !== null ? `, speed ${fmt(b.lambda * 100, 1)}% a year, half-life ${fmt(b.halfLife ?? NaN, 1)} years` : ''}.`}</p>`);
  }
  const moverRows = (list: typeof c.leapfroggers) => list.map((m) => [esc(ix.unitName(m.code)), String(m.rankA), String(m.rankB), (m.gain > 0 ? '+' : '') + String(m.gain)]);
  parts.push(`<h3>${zh ? `排名上升最多（${esc(String(c.overall.from))}→${esc(String(c.overall.to))}）` : `Largest rank gains (${esc(String(c.overall.from))}→${esc(String(c.overall.to))})`}</h3>`, table([zh ? '单元' : 'Unit', String(c.overall.from), String(c.overall.to), zh ? '变化' : 'Change'], moverRows(c.leapfroggers), [1, 2, 3]));
  if (c.overall.ranks.fallers.length) parts.push(`<h3>${zh ? '排名下降最多' : 'Largest rank falls'}</h3>`, table([zh ? '单元' : 'Unit', String(c.overall.from), String(c.overall.to), zh ? '变化' : 'Change'], moverRows(c.overall.ranks.fallers), [1, 2, 3]));
  parts.push('</section>');
  return parts.join('\n');
}

/** Time-series indices tracked beside the evaluation: a line chart with change bars, and the audit of a published table. */
function seriesSection(ctx: ReportContext, lang: ReportLang): string {
  const rs = ctx.series;
  if (!rs) return '';
  const zh = lang === 'zh';
  const shown = rs.aggregate ?? rs.series[0];
  if (!shown) return '';
  const note = rs.note ? noteForLanguage(rs.note, lang) : undefined;
  // a series without a name would be titled by its file's code (e.g. seed_288_table): title it by the
  // note's first clause instead, and keep the full note as the subtitle
  const head = !shown.name && note ? note.split(/[，,]/)[0].trim() : undefined;
  const svg = renderSvg(seriesChartOption(shown, { language: lang, ...(head ? { title: head } : {}), ...(note && note !== head ? { note } : {}) }) as never, 880, 380);
  const parts = [`<section class="major" id="series"><h2>${zh ? '时间序列指数' : 'Time-series index'}</h2>`, `<figure>${svg}<figcaption>${zh ? '数据文件' : 'Data file'}: <code>${esc(rs.file)}</code></figcaption></figure>`];
  if (rs.audit) {
    const verdict: Record<string, { zh: string; en: string }> = { consistent: { zh: '一致', en: 'consistent' }, swapped: { zh: '环比/同比互换', en: 'MoM/YoY swapped' }, inconsistent: { zh: '不一致', en: 'inconsistent' }, 'not-checkable': { zh: '无法核对', en: 'not checkable' } };
    const rows = rs.audit.rows.map((r) => [esc(r.period), esc(verdict[r.verdict]?.[lang] ?? r.verdict), esc(zh ? auditReasonZh(r) : r.reason)]);
    parts.push(`<h3>${zh ? '发布表格核对' : 'Audit of the published table'}</h3><p class="sub">${esc(zh ? auditToleranceZh(rs.audit.tolerance) : rs.audit.tolerance)}</p>`, table([zh ? '期' : 'Period', zh ? '结论' : 'Verdict', zh ? '理由' : 'Reason'], rows));
  }
  parts.push('</section>');
  return parts.join('\n');
}

/**
 * Warnings a reader must see before the findings: simulated data that entered the index, and analyses
 * that could not run (their issues are listed under Methodology).
 */
function headerAlerts(ctx: ReportContext, lang: ReportLang): string {
  const zh = lang === 'zh';
  const ix = reportIndex(ctx);
  const items: string[] = [];
  for (const s of ctx.project.surveys ?? []) {
    if (!s.simulated || !s.indicators.length) continue;
    const inds = s.indicators.map((c) => `${esc(ix.nodeName(c))} (<code>${esc(c)}</code>)`).join(zh ? '、' : ', ');
    items.push(zh ? `<strong>本结果含模拟数据</strong>：指标 ${inds} 的数值来自生成的问卷答复（${esc(s.title)}），不是真实调查结果；排名与结论仅作方法演示。` : `<strong>These results include simulated data</strong>: the values of ${inds} come from generated survey answers (${esc(s.title)}), not a real survey; the ranking and findings only demonstrate the method.`);
  }
  const errors = ctx.analyses?.errors ?? [];
  if (errors.length) {
    const names = errors.map((e) => `<code>${esc(e.analysis)}</code>`).join(zh ? '、' : ', ');
    items.push(zh ? `以下分析未能运行，相关结论缺失：${names}（原因见<a href="#analysis-errors">方法说明</a>）。` : `These analyses could not run, so their findings are missing: ${names} (reasons under <a href="#analysis-errors">Methodology</a>).`);
  }
  return items.length ? `<div class="alert" role="note"><ul>${items.map((i) => `<li>${i}</li>`).join('')}</ul></div>` : '';
}

/**
 * Render the whole report as one self-contained HTML document in `ctx.lang`.
 * @example renderReportHtml(ctx).includes('<svg') // => true
 */
export function renderReportHtml(ctx: ReportContext, options: RenderHtmlOptions = {}): string {
  const lang = ctx.lang;
  const L = T[lang];
  const ix = reportIndex(ctx);
  const p = ctx.project.project;
  const primary: ReportLang = p.language ?? 'zh';
  const report = (p.report ?? {}) as { title?: string | { zh?: string; en?: string }; notes?: Array<string | { zh?: string; en?: string }> };
  const title = pickText(report.title ?? p.name, lang, 'cityindex report');
  const units = ctx.build.results.scores.unitCodes;
  const useMap = isChineseAdcodes(units) && units.filter((u) => mapAdcodes().has(u)).length >= units.length * 0.9;
  const charts = renderCharts(ctx, { useMap });
  const findings = options.findings ?? computeFindings(ctx);
  const other: ReportLang = lang === 'zh' ? 'en' : 'zh';
  const href = options.otherLanguageHref === undefined ? reportFileName(other, primary) : options.otherLanguageHref;
  const notes = [...(report.notes ?? []).map((n) => pickText(n, lang)), ...(p.description ? [pickText(p.description, lang)] : [])].filter(Boolean);

  const alerts = headerAlerts(ctx, lang);
  const header = `<header class="top">${href ? `<a class="lang-switch" href="${esc(href)}" hreflang="${other}">${L.other}</a>` : ''}
<h1>${esc(title)}</h1><div class="meta">${p.edition !== undefined ? `${L.edition} ${esc(String(p.edition))} · ` : ''}${p.period !== undefined ? `${L.period} ${esc(String(p.period))} · ` : ''}${L.units} ${units.length} · ${L.indicators} ${ctx.build.raw.codes.length}${ctx.project.gaps.length ? ` (+${ctx.project.gaps.length} ${L.notCollected})` : ''}</div>
${alerts}${notes.length ? `<div class="notes"><strong>${L.notes}</strong><ul>${notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul></div>` : ''}</header>`;
  const findingsHtml = `<section class="major first" id="findings"><h2>${L.findings}</h2><ol class="findings">${findings.map((f) => `<li data-finding="${esc(f.kind)}">${esc(f.text[lang])}</li>`).join('\n')}</ol></section>`;
  const mapHtml = charts.map
    ? `<section class="major" id="map"><h2>${L.map}</h2><figure id="choropleth">${charts.map}<figcaption>${esc(L.mapCaption(ix.nodeName(ix.indexCode)))}</figcaption><div class="map-note">${esc(mapSourceNote(lang))}</div></figure></section>`
    : charts.rankingBars ? `<section class="major" id="map"><h2>${L.rankingBars}</h2><p class="sub">${L.noMap}</p><figure>${charts.rankingBars}</figure></section>` : '';
  const radarHtml = charts.radar ? `<section id="radar"><h2>${L.radar}</h2><figure>${charts.radar}</figure></section>` : '';
  const body = [header, findingsHtml, rankingSection(ctx, ix, L), mapHtml, radarHtml, regionalSection(ctx, charts, L, lang), spatialSection(ctx, ix, charts, L, lang), tiersSection(ctx, ix, L, lang), gapsSection(ctx, ix, L, lang), changeSection(ctx, ix, lang), uncertaintySection(ctx, lang), auditSection(ctx, ix, L, lang), surveySection(ctx, ix, lang), casesSection(ctx, ix, L, lang), seriesSection(ctx, lang), methodSection(ctx, ix, L, lang), sourcesSection(ctx, ix, L, lang), reproSection(ctx, L)].filter(Boolean).join('\n');
  const footer = `<footer>cityindex ${esc(version(ctx))}${useMap ? ` · ${esc(mapSourceNote(lang))}` : ''}</footer>`;
  return `<!DOCTYPE html>
<html lang="${L.lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="cityindex ${esc(version(ctx))}">
<title>${esc(title)}</title><style>${CSS}</style></head>
<body><main>
${body}
${footer}
</main></body></html>
`;
}
