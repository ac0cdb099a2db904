/**
 * Report sections fed by the project beyond the build: the time series tracked beside the evaluation
 * (chart + audit of the published 288-index table) and survey estimates with their intervals
 * (labelled simulated), both in the HTML and the workbook.
 */
import { describe, expect, it } from 'vitest';
import { runProject } from '../src/cli/commands/core.ts';
import { prepareReportContext } from '../src/report/index.ts';
import { renderReportHtml } from '../src/report/html.ts';

const quietly = async <T>(fn: () => Promise<T>): Promise<T> => {
  const write = process.stderr.write;
  process.stderr.write = (() => true) as typeof process.stderr.write;
  try { return await fn(); } finally { process.stderr.write = write; }
};

describe('report sections', () => {
  it('cdgi-2020 shows the 288 index with its audit: two rows swapped', async () => {
    const r = await quietly(() => runProject('examples/cdgi-2020'));
    expect(r.series?.audit?.summary.swapped).toEqual(['2023-01', '2022-12']);
    const base = await prepareReportContext(r.project, r.build, { analyses: r.analyses, series: r.series });
    const html = renderReportHtml({ ...base, lang: 'zh' });
    const section = html.slice(html.indexOf('id="series"'));
    expect(section).toContain('<svg');
    expect(section.match(/环比\/同比互换/g)?.length).toBe(2);
    expect(renderReportHtml({ ...base, lang: 'en' })).toContain('MoM/YoY swapped');
  });

  it('the survey demo variant shows estimates with 95 % intervals, labelled simulated', async () => {
    const r = await quietly(() => runProject('examples/cdgi-2020/project.survey-demo.yaml'));
    const base = await prepareReportContext(r.project, r.build, { analyses: r.analyses, series: r.series });
    const html = renderReportHtml({ ...base, lang: 'zh' });
    const section = html.slice(html.indexOf('id="surveys"'), html.indexOf('</section>', html.indexOf('id="surveys"')));
    expect(section).toContain('模拟数据');
    expect(section).toContain('45 个城市有估计值');
    expect(section).toContain('杭州市');
    expect(renderReportHtml({ ...base, lang: 'en' })).toContain('Simulated responses');
  });
});
