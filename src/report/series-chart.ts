/**
 * Chart of a time-series index for the report and dashboard: the index as a line (left axis) and its
 * month-on-month and year-on-year changes as bars (right axis, percent). A plain ECharts option
 * object — render it in the browser or server-side to SVG (`echarts.init(null, null, { ssr: true })`).
 */
import { seriesChanges } from '../engine/series/changes.ts';
import type { Series } from '../engine/series/series.ts';
import { pickText, t, type Lang } from '../engine/i18n/index.ts';

export interface SeriesChartOptions {
  /** Title (default: the series name or code). */
  title?: string;
  /** Subtitle, e.g. "generated example data / 模拟数据" or the source; shown under the title. */
  note?: string;
  /** Language of axis and legend labels (default `zh`, with the English in brackets). */
  language?: Lang;
  /** Decimals of the change bars in tooltips and data (default 2). */
  decimals?: number;
}

/** Round for display; NaN becomes null (a gap in ECharts). */
const round = (v: number, d: number): number | null => (Number.isFinite(v) ? Math.round(v * 10 ** d) / 10 ** d : null);

/**
 * ECharts option: line for the index, bars for period-on-period and year-on-year changes.
 * Annual series show one change bar (period-on-period is year-on-year there).
 * @example
 * import { createSeries } from '../engine/series/series.ts';
 * const points = ['2023-01', '2023-02', '2023-03'].map((period, k) => ({ period, value: 100 + k }));
 * seriesChartOption(createSeries(points, { code: 'x' })).series.map((x) => x.type) // => ['line', 'bar', 'bar']
 */
export function seriesChartOption(
  series: Series,
  options: SeriesChartOptions = {},
): {
  title: Record<string, unknown>;
  tooltip: Record<string, unknown>;
  legend: Record<string, unknown>;
  grid: Record<string, unknown>;
  xAxis: Record<string, unknown>;
  yAxis: Array<Record<string, unknown>>;
  series: Array<{
    name: string;
    type: 'line' | 'bar';
    yAxisIndex: number;
    data: Array<number | null>;
    [k: string]: unknown;
  }>;
} {
  const lang = options.language ?? 'zh';
  const L = {
    index: t(lang, 'seriesChart.index'),
    mom: t(lang, 'seriesChart.mom'),
    yoy: t(lang, 'seriesChart.yoy'),
    pop: t(lang, 'seriesChart.pop'),
    change: t(lang, 'seriesChart.change'),
  };
  const d = options.decimals ?? 2;
  const ch = seriesChanges(series);
  const title = options.title ?? (pickText(series.name, lang) || undefined) ?? series.code;
  const indexName = series.unit ? `${L.index} (${series.unit})` : L.index;
  const bars: Array<{ name: string; values: Float64Array; color: string }> =
    series.frequency === 'year'
      ? [{ name: L.yoy, values: ch.yearOnYear, color: '#d4a017' }]
      : [
          { name: series.frequency === 'month' ? L.mom : L.pop, values: ch.periodOnPeriod, color: '#5b8ff9' },
          { name: L.yoy, values: ch.yearOnYear, color: '#d4a017' },
        ];
  return {
    title: { text: title, ...(options.note ? { subtext: options.note } : {}), left: 'center' },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { bottom: 0, data: [indexName, ...bars.map((b) => b.name)] },
    grid: { left: 60, right: 60, top: options.note ? 70 : 50, bottom: 60 },
    xAxis: { type: 'category', data: [...series.periods] },
    yAxis: [
      { type: 'value', name: indexName, scale: true, position: 'left' },
      { type: 'value', name: L.change, position: 'right', splitLine: { show: false } },
    ],
    series: [
      {
        name: indexName,
        type: 'line',
        yAxisIndex: 0,
        data: Array.from(series.values, (v) => round(v, 6)),
        symbol: 'circle',
        symbolSize: 4,
        lineStyle: { width: 2, color: '#c23531' },
        itemStyle: { color: '#c23531' },
        connectNulls: false,
        z: 3,
      },
      ...bars.map((b) => ({
        name: b.name,
        type: 'bar' as const,
        yAxisIndex: 1,
        data: Array.from(b.values, (v) => round(v, d)),
        itemStyle: { color: b.color },
        barGap: '0%',
      })),
    ],
  };
}
