/**
 * The governance KPI pages of the report (issue 15, item 4): for each case log the project reads KPIs from,
 * the city's monthly trend lines (proportions with their 95 % Wilson band), the category table and the
 * district league table of the latest year, and each KPI's formula, numerator, denominator and exclusions
 * in words. A generated log carries a SIMULATED banner and a marker on every chart and table; a real log's
 * source is cited (title, date, address). Pure HTML from the page data (src/engine/caselog/pages.ts).
 */
import { kpiDefinition, type KpiDefinition } from '../../engine/caselog/kpis.ts';
import { formatKpiValue, kpiPage, type KpiPage, type KpiPageLog } from '../../engine/caselog/pages.ts';
import { labels, pickText, type Lang } from '../../engine/i18n/index.ts';
import { renderSvg, type ChartOption } from '../charts.ts';
import { escapeHtml as esc } from '../markdown.ts';
import { table } from './table.ts';

const fill = (s: string, vars: Record<string, string | number>) =>
  s.replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? ''));

/**
 * The ECharts option of a KPI's monthly trend: the value as a line and, for a proportion, the Wilson
 * interval as a shaded band (a transparent lower line with the band's height stacked on it).
 * @example
 * import { kpiDefinition } from '../../engine/caselog/kpis.ts';
 * const o = kpiTrendOption(kpiDefinition('on_time_rate')!, [{ period: '2024-01', value: 0.5, ciLow: 0.1,
 *   ciHigh: 0.9 }], 'en', 'On-time closure rate');
 * (o.series as Array<{ data: unknown[] }>)[1].data // => [0.8]
 */
export function kpiTrendOption(
  def: KpiDefinition,
  points: ReadonlyArray<{ period: string; value: number | null; ciLow: number | null; ciHigh: number | null }>,
  lang: Lang,
  title: string,
): ChartOption {
  const proportion = def.kind === 'proportion';
  const round = (v: number | null) => (v === null ? null : Math.round(v * 1e6) / 1e6);
  const series: Array<Record<string, unknown>> = [];
  if (proportion) {
    series.push(
      {
        name: 'low',
        type: 'line',
        stack: 'ci',
        data: points.map((p) => round(p.ciLow)),
        lineStyle: { opacity: 0 },
        symbol: 'none',
        silent: true,
      },
      {
        name: labels(lang).kpiBand,
        type: 'line',
        stack: 'ci',
        data: points.map((p) => (p.ciLow === null || p.ciHigh === null ? null : round(p.ciHigh - p.ciLow))),
        lineStyle: { opacity: 0 },
        areaStyle: { color: '#5b8ff9', opacity: 0.25 },
        itemStyle: { color: '#9bb8f9' },
        symbol: 'none',
        silent: true,
      },
    );
  }
  series.push({
    name: pickText(def.name, lang),
    type: 'line',
    data: points.map((p) => round(p.value)),
    itemStyle: { color: '#c23531' },
    lineStyle: { width: 2, color: '#c23531' },
    symbolSize: 4,
    connectNulls: false,
  });
  return {
    title: { text: title, left: 'center', textStyle: { fontSize: 13 } },
    legend: { bottom: 0, data: series.filter((s) => s.name !== 'low').map((s) => s.name as string) },
    grid: { left: 60, right: 24, top: 40, bottom: 56 },
    xAxis: { type: 'category', data: points.map((p) => p.period) },
    yAxis: {
      type: 'value',
      name: pickText(def.unit, lang),
      scale: !proportion,
      ...(proportion ? { min: 0, max: 1, axisLabel: { formatter: (v: number) => `${Math.round(v * 100)}%` } } : {}),
    },
    series: series as unknown as ChartOption['series'],
  };
}

/** A table cell: the printed value with the full-precision value in `data-value` (tests compare it). */
function cell(def: KpiDefinition, v: { value: number; ciLow: number | null; ciHigh: number | null } | undefined) {
  if (!v) return '–';
  const shown = formatKpiValue(def, v.value);
  const ci =
    def.kind === 'proportion' && v.ciLow !== null && v.ciHigh !== null
      ? ` <span class="sub">[${formatKpiValue(def, v.ciLow)}–${formatKpiValue(def, v.ciHigh)}]</span>`
      : '';
  return `<span data-value="${Number.isFinite(v.value) ? v.value : ''}">${esc(shown)}</span>${ci}`;
}

/** The HTML of one log's KPI page. */
function logHtml(page: KpiPage, lang: Lang, unitName: (code: string) => string): string {
  const W = labels(lang);
  const log: KpiPageLog = page.log;
  const mark = log.simulated ? W.kpiSimulatedMark : '';
  const cityName = pickText(log.city.name, lang);
  const parts = [
    `<div class="kpi-log" data-caselog="${esc(log.id)}"${log.simulated ? ' data-simulated="true"' : ''}>`,
    `<h3>${esc(cityName)}${log.name ? ` · ${esc(pickText(log.name, lang))}` : ''}${esc(mark)}</h3>`,
  ];
  if (log.simulated) parts.push(`<p class="alert" role="note"><strong>${esc(W.kpiSimulatedBanner)}</strong></p>`);
  if (log.source)
    parts.push(
      `<p class="sub">${esc(W.kpiSource)}: ${esc(pickText(log.source.title, lang))}, ${esc(log.source.date)}, ` +
        `<a href="${esc(log.source.url)}">${esc(log.source.url)}</a></p>`,
    );
  for (const tr of page.trends) {
    const def = kpiDefinition(tr.kpi);
    if (!def) continue;
    const title = `${cityName} · ${pickText(def.name, lang)} ${W.kpiTrendTitle}${mark}`;
    const svg = renderSvg(kpiTrendOption(def, tr.points, lang, title), 880, 300);
    parts.push(`<figure data-kpi="${esc(tr.kpi)}">${svg}</figure>`);
  }
  const defs = page.columns.map((k) => kpiDefinition(k)).filter((d): d is KpiDefinition => d !== undefined);
  const paren = (u: string) => fill(W.kpiUnitParen, { unit: u });
  const heads = defs.map((d) => esc(`${pickText(d.name, lang)}${paren(pickText(d.unit, lang))}`));
  const numCols = defs.map((_, i) => i + 1);
  if (page.categories.length) {
    parts.push(`<h4>${esc(fill(W.kpiCategoryTable, { year: page.year }) + mark)}</h4>`);
    if (page.categoryCount > page.categories.length)
      parts.push(
        `<p class="sub">${esc(fill(W.kpiCategoryMore, { n: page.categories.length, total: page.categoryCount }))}</p>`,
      );
    const rows = page.categories.map((r) => [esc(r.key), ...defs.map((d) => cell(d, r.cells[d.id]))]);
    parts.push(`<div class="kpi-categories">${table([esc(W.kpiCategory), ...heads], rows, numCols)}</div>`);
  }
  parts.push(`<h4>${esc(fill(W.kpiDistrictTable, { year: page.year }) + mark)}</h4>`);
  if (page.districts.length) {
    const by = page.rankedBy ? kpiDefinition(page.rankedBy) : undefined;
    if (by) parts.push(`<p class="sub">${esc(fill(W.kpiDistrictRankedBy, { kpi: pickText(by.name, lang) }))}</p>`);
    const rows = page.districts.map((r) => [
      r.rank !== undefined ? String(r.rank) : '–',
      esc(unitName(r.key)),
      ...defs.map((d) => cell(d, r.cells[d.id])),
    ]);
    parts.push(
      `<div class="kpi-districts">` +
        table([esc(W.kpiRank), esc(W.kpiDistrict), ...heads], rows, [0, ...numCols.map((i) => i + 1)]) +
        '</div>',
    );
  } else parts.push(`<p class="sub">${esc(W.kpiNoDistricts)}</p>`);
  // formula, numerator, denominator and exclusions, with the year's counts for the whole city
  parts.push(`<h4>${esc(fill(W.kpiHowComputed, { year: page.year }))}</h4><dl class="kpi-defs">`);
  for (const d of defs) {
    const v = page.cityYear[d.id];
    const left = d.exclusions
      .map((x) => ({ reason: pickText(x.reason, lang), n: v?.excluded[x.key] ?? 0 }))
      .filter((x) => x.n > 0)
      .map((x) => `${x.reason}: ${x.n}`);
    const lines = [
      pickText(d.formula, lang),
      `${W.kpiNumerator}: ${pickText(d.numerator, lang)}${v ? ` (${v.numerator})` : ''}`,
      ...(d.denominator
        ? [
            `${W.kpiDenominator}: ${pickText(d.denominator, lang)}` +
              (v?.denominator != null ? ` (${v.denominator})` : ''),
          ]
        : []),
      `${W.kpiExcluded}: ${left.length ? left.join('; ') : W.kpiNoneExcluded}`,
    ];
    parts.push(
      `<dt>${esc(pickText(d.name, lang))}: ${cell(d, v)}</dt>` + lines.map((l) => `<dd>${esc(l)}</dd>`).join(''),
    );
  }
  parts.push('</dl></div>');
  return parts.join('\n');
}

/**
 * The KPI section's HTML (empty when no log has KPI values).
 * @example caselogSectionHtml([], 'en', 'Governance KPIs', (c) => c) // => ''
 */
export function caselogSectionHtml(
  logs: readonly KpiPageLog[],
  lang: Lang,
  title: string,
  unitName: (code: string) => string,
): string {
  const pages = logs.map(kpiPage).filter((p) => p.year !== '');
  if (!pages.length) return '';
  const anySimulated = pages.some((p) => p.log.simulated);
  return [
    `<section class="major" id="caselog"><h2>${esc(title)}` +
      `${anySimulated ? esc(labels(lang).kpiSimulatedMark) : ''}</h2>`,
    `<p class="sub">${esc(labels(lang).kpiIntro)}</p>`,
    ...pages.map((p) => logHtml(p, lang, unitName)),
    '</section>',
  ].join('\n');
}
