/**
 * The chart of a published index table (issue 11, item 12): it draws what the table printed — the
 * index and the month-on-month and year-on-year columns as printed, for every printed month — and,
 * as a separate dotted series, the month-on-month change recomputed from the printed index where it
 * could be. The legend lists only the series drawn. Pure ECharts option (rendered to SVG by html.ts).
 */
import type { AuditRowResult } from '../../engine/series/audit.ts';
import { t, type Lang } from '../../engine/i18n/index.ts';
import type { ChartOption } from '../charts.ts';

/**
 * ECharts option of a published table's rows (any order; drawn oldest first): printed index (line,
 * left axis), printed MoM and YoY (bars, right axis) and the recomputed MoM (dotted line, right axis).
 * A series with no value is left out, and so is its legend entry.
 * @example
 * const row = (period: string, value: number, mom: number | null, yoy: number | null) => ({
 *   period, printed: { value, mom, yoy }, checks: [], verdict: 'not-checkable' as const, reason: '',
 *   reading: { mom, yoy }, implied: [] });
 * const o = printedSeriesChartOption([row('2023-02', 101, 0.5, null), row('2023-01', 100, 0.2, null)], 'en');
 * (o.legend as { data: string[] }).data // => ['Index', 'Month-on-month (%)']
 */
export function printedSeriesChartOption(rows: readonly AuditRowResult[], lang: Lang, title?: string): ChartOption {
  const sorted = [...rows].sort((a, b) => (a.period < b.period ? -1 : a.period > b.period ? 1 : 0));
  const periods = sorted.map((r) => r.period);
  const recomputed = sorted.map((r) => {
    const c = r.checks.find((x) => x.change === 'mom');
    return c ? Math.round(c.recomputed * 100) / 100 : null;
  });
  const candidates = [
    {
      name: t(lang, 'seriesChart.index'),
      type: 'line',
      yAxisIndex: 0,
      data: sorted.map((r) => r.printed.value),
      itemStyle: { color: '#c23531' },
      lineStyle: { width: 2, color: '#c23531' },
      symbolSize: 5,
      z: 3,
    },
    {
      name: t(lang, 'seriesChart.mom'),
      type: 'bar',
      yAxisIndex: 1,
      data: sorted.map((r) => r.printed.mom),
      itemStyle: { color: '#5b8ff9' },
      label: { show: true, position: 'top', fontSize: 10 },
    },
    {
      name: t(lang, 'seriesChart.yoy'),
      type: 'bar',
      yAxisIndex: 1,
      data: sorted.map((r) => r.printed.yoy),
      itemStyle: { color: '#d4a017' },
      label: { show: true, position: 'top', fontSize: 10 },
    },
    {
      name: t(lang, 'seriesChart.momRecomputed'),
      type: 'line',
      yAxisIndex: 1,
      data: recomputed,
      lineStyle: { type: 'dotted', color: '#2f4554' },
      itemStyle: { color: '#2f4554' },
      symbolSize: 4,
    },
  ];
  const drawn = candidates.filter((s) => s.data.some((v) => v !== null));
  return {
    ...(title ? { title: { text: title, left: 'center', textStyle: { fontSize: 14 } } } : {}),
    legend: { bottom: 0, data: drawn.map((s) => s.name) },
    grid: { left: 60, right: 60, top: title ? 50 : 20, bottom: 60 },
    xAxis: { type: 'category', data: periods },
    yAxis: [
      { type: 'value', name: t(lang, 'seriesChart.index'), scale: true, position: 'left' },
      { type: 'value', name: t(lang, 'seriesChart.change'), position: 'right', splitLine: { show: false } },
    ],
    series: drawn,
  };
}
