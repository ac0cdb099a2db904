import * as echarts from 'echarts';
import { describe, expect, it } from 'vitest';
import { createSeries } from '../engine/series/series.ts';
import { seriesChartOption } from './series-chart.ts';

describe('seriesChartOption', () => {
  const s = createSeries(
    [
      { period: '2022-01', value: 100 },
      { period: '2022-02', value: 101 },
      { period: '2022-03', value: 100.5 },
      { period: '2023-01', value: 103 },
      { period: '2023-02', value: 102 },
    ],
    { code: 'demo', unit: 'points' },
  );
  it('line for the index, bars for MoM and YoY on the right axis', () => {
    const o = seriesChartOption(s, { note: 'generated example data / 模拟数据' });
    expect(o.series.map((x) => [x.type, x.yAxisIndex])).toEqual([
      ['line', 0],
      ['bar', 1],
      ['bar', 1],
    ]);
    expect(o.xAxis.data).toEqual(s.periods);
    expect(o.series[0].data.slice(0, 3)).toEqual([100, 101, 100.5]);
    expect(o.series[0].data[3]).toBeNull(); // 2022-04 missing
    expect(o.series[1].data[1]).toBe(1); // (101/100 − 1)·100
    expect(o.series[2].data[13]).toBe(0.99); // 2023-02 vs 2022-02: (102/101 − 1)·100 = 0.990…
    expect(o.title.subtext).toBe('generated example data / 模拟数据');
  });
  it('renders server-side to SVG', () => {
    const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: 600, height: 300 });
    chart.setOption(seriesChartOption(s, { language: 'en' }) as echarts.EChartsOption);
    const svg = chart.renderToSVGString();
    chart.dispose();
    expect(svg).toMatch(/^<svg/);
    expect(svg).toContain('Month-on-month (%)');
  });
});
