/**
 * The plain-language summary that opens the report (issue 11, item 7): 5–8 sentences without
 * statistics jargon, written from the numbers the key findings already computed (so the summary and the
 * findings cannot disagree), and one headline chart — the highest-scoring units with the average.
 * Pure and browser-safe: sentences come from the message catalogue, the chart is an ECharts option.
 */
import { t, TYPESET, type Lang } from '../../engine/i18n/index.ts';

/** "a, b and c" / "甲、乙和丙" (the catalogue's `formatAnd` joins every Chinese item with 与). */
const andList = (lang: Lang, items: readonly string[]): string => t(lang, 'summary.and', { items: [...items] });
import { groupLabel, isCityReport, reportIndex, type ReportContext } from '../context.ts';
import type { Finding } from '../findings.ts';
import type { ChartOption } from '../charts.ts';
import { unitMarker } from './quality.ts';

/** One sentence of the summary: the finding (or fact) it rests on, and the text. */
export interface SummarySentence {
  id: string;
  text: string;
}

/** The findings a summary needs: kind and data (a `Finding` or the model's `ReportFinding`). */
export type SummaryInput = Pick<Finding, 'kind' | 'data'>;

type Of<K extends Finding['kind']> = Extract<Finding, { kind: K }>['data'];

/** Finding kinds written for specialists: shown in their own sections, not among the key findings. */
export const TECHNICAL_FINDINGS: ReadonlySet<Finding['kind']> = new Set(['moran', 'spillover', 'rankUncertainty']);

/**
 * The summary's sentences in `lang`, in reading order: scope, leader, who leads which aspect, group
 * contrasts, how many are below the average, clustering, how firm the ranks are, data coverage. A
 * sentence whose finding is absent is left out; at most 8 are returned.
 * @example
 * import { loadProject } from '../../formats/index.ts';
 * import { build } from '../../engine/pipeline/build.ts';
 * import { prepareReportContext } from '../index.ts';
 * import { computeFindings } from '../findings.ts';
 * const project = await loadProject('examples/cdgi-2020');
 * const ctx = { ...(await prepareReportContext(project, build(project.input, project.spec))), lang: 'en' as const };
 * const s = summarySentences(ctx, computeFindings(ctx), 'en');
 * s[1].text // => 'Hangzhou scores highest (96.2), followed by Shanghai and Jinhua.'
 */
export function summarySentences(
  ctx: Omit<ReportContext, 'lang'>,
  findings: readonly SummaryInput[],
  lang: Lang,
): SummarySentence[] {
  const ix = reportIndex({ ...ctx, lang });
  const cities = isCityReport(ctx.build.results.scores.unitCodes);
  const find = <K extends Finding['kind']>(kind: K): Of<K> | undefined =>
    findings.find((f) => f.kind === kind)?.data as Of<K> | undefined;
  const out: SummarySentence[] = [];
  const say = (id: string, s: string) => out.push({ id, text: TYPESET[lang](s) });

  const scored = ix.order.filter((u) => Number.isFinite(ix.score(u)));
  say(
    'scope',
    t(lang, 'summary.scope', {
      n: scored.length,
      cities,
      indexName: ix.nodeName(ix.indexCode),
      dimensions: andList(lang, ix.dimensions.map(ix.nodeName)),
      k: ix.dimensions.length,
    }),
  );
  if (scored.length)
    say(
      'leader',
      t(lang, 'summary.leader', {
        first: ix.unitName(scored[0]),
        score: ix.score(scored[0]),
        next: andList(lang, scored.slice(1, 3).map(ix.unitName)),
      }),
    );
  const dl = find('dimensionLeaders');
  if (dl && dl.leaders.length > 1) {
    const byUnit = new Map<string, string[]>();
    for (const l of dl.leaders) byUnit.set(l.unit, [...(byUnit.get(l.unit) ?? []), ix.nodeName(l.dimension)]);
    const same = byUnit.size === 1 ? ix.unitName(dl.leaders[0].unit) : null;
    const leaders = [...byUnit].map(([u, dims]) => ({ unit: ix.unitName(u), dimensions: andList(lang, dims) }));
    say('dimensionLeaders', t(lang, 'summary.dimensionLeaders', { same, leaders }));
  }
  const pairs = findings
    .filter((f) => f.kind === 'groupComparison')
    .slice(0, 2)
    .map((f) => f.data as Of<'groupComparison'>)
    .map((d) => ({ a: groupLabel(d.a, lang), b: groupLabel(d.b, lang), meanA: d.meanA, meanB: d.meanB }));
  if (pairs.length) say('groups', t(lang, 'summary.groups', { pairs }));
  const below = find('belowMean');
  if (below)
    say('belowMean', t(lang, 'summary.belowMean', { n: below.n, nBelow: below.nBelow, mean: below.mean, cities }));
  const moran = find('moran');
  if (moran?.significant && moran.I > 0) {
    const cl = find('clusters');
    const above = (cl?.groups ?? []).filter((g) => g.gap > 0).map((g) => groupLabel(g.group, lang));
    say('clustered', t(lang, 'summary.clustered', { groups: above.length ? andList(lang, above) : null }));
  }
  const ru = find('rankUncertainty');
  if (ru) {
    const stable = ru.topTenStable.slice(0, 3).map(ix.unitName);
    say(
      'certainty',
      t(lang, 'summary.certainty', {
        stable: stable.length ? andList(lang, stable) : null,
        width: ru.medianWidth,
      }),
    );
  }
  const cov = find('coverage');
  if (cov && cov.notCollected > 0)
    say(
      'coverage',
      t(lang, 'summary.coverage', {
        total: cov.collected + cov.notCollected,
        collected: cov.collected,
        notCollected: cov.notCollected,
      }),
    );
  return out.slice(0, 8);
}

/**
 * The headline chart: the `n` highest-scoring units as horizontal bars (best on top, score printed at
 * the bar's end) and a line at the average of all scored units.
 * @example
 * import { loadProject } from '../../formats/index.ts';
 * import { build } from '../../engine/pipeline/build.ts';
 * import { prepareReportContext } from '../index.ts';
 * const project = await loadProject('examples/cdgi-2020');
 * const ctx = { ...(await prepareReportContext(project, build(project.input, project.spec))), lang: 'en' as const };
 * const o = headlineChartOption(ctx);
 * (o.yAxis as { data: string[] }).data[0] // => 'Hangzhou'
 */
export function headlineChartOption(ctx: ReportContext, n = 15, layout: 'desktop' | 'phone' = 'desktop'): ChartOption {
  const ix = reportIndex(ctx);
  const scored = ix.order.filter((u) => Number.isFinite(ix.score(u)));
  const top = scored.slice(0, n);
  const mean = scored.reduce((s, u) => s + ix.score(u), 0) / (scored.length || 1);
  const cities = isCityReport(ctx.build.results.scores.unitCodes);
  const mark = (u: string) => unitMarker(ctx, u, ix.indexCode);
  // on a phone the chart is drawn at the screen's width (not shrunk from the desktop's): larger text, the
  // title wrapped
  const phone = layout === 'phone';
  const size = phone ? { title: 15, name: 14, value: 13, axis: 12 } : { title: 14, name: 12, value: 11, axis: 11 };
  return {
    title: {
      text: t(ctx.lang, cities ? 'label.summaryChart' : 'label.summaryChartUnits'),
      left: 'center',
      textStyle: { fontSize: size.title, ...(phone ? { width: PHONE_CHART_WIDTH - 20, overflow: 'break' } : {}) },
    },
    grid: { left: 8, right: phone ? 52 : 48, top: phone ? 66 : 56, bottom: 24, containLabel: true },
    xAxis: { type: 'value', min: 0, axisLabel: { fontSize: size.axis } },
    yAxis: {
      type: 'category',
      inverse: true,
      data: top.map((u) => ix.unitName(u) + mark(u)),
      axisLabel: { fontSize: size.name },
    },
    series: [
      {
        type: 'bar',
        // the printed value carries the imputed (*) or borrowed (†) marker, as the ranking table does
        data: top.map((u) => ({
          value: Math.round(ix.score(u) * 10) / 10,
          label: { formatter: `${(Math.round(ix.score(u) * 10) / 10).toFixed(1)}${mark(u)}` },
        })),
        itemStyle: { color: '#c64102' },
        barWidth: '62%',
        label: { show: true, position: 'right', fontSize: size.value },
        markLine: {
          symbol: 'none',
          lineStyle: { color: '#2f4554', type: 'dashed' },
          label: {
            formatter: `${t(ctx.lang, 'label.average')} ${mean.toFixed(1)}`,
            position: 'start',
            fontSize: size.axis,
          },
          data: [{ xAxis: Math.round(mean * 10) / 10 }],
        },
      },
    ],
  };
}

/** Width (px) of the phone headline chart: a 390-px screen less the page's margins. */
export const PHONE_CHART_WIDTH = 360;

/**
 * Height (px) of the phone headline chart for `n` bars: about 30 px a bar, room for the wrapped title
 * and the axis.
 * @example phoneChartHeight(15) // => 540
 */
export function phoneChartHeight(n: number): number {
  return 90 + 30 * n;
}

/**
 * The summary's sentences as an HTML list (`data-summary` names the sentence); `esc` escapes text.
 * @example
 * summaryListHtml([{ id: 'leader', text: 'A & B' }], (s) => s.replace(/&/g, '&amp;'))
 * // => '<ul class="summary"><li data-summary="leader">A &amp; B</li></ul>'
 */
export function summaryListHtml(sentences: readonly SummarySentence[], esc: (s: string) => string): string {
  return (
    '<ul class="summary">' +
    sentences.map((s) => `<li data-summary="${esc(s.id)}">${esc(s.text)}</li>`).join('\n') +
    '</ul>'
  );
}
