/**
 * Report sections fed by the project beyond the build: the time series tracked beside the evaluation
 * (chart + audit of the published 288-index table) and survey estimates with their intervals
 * (labelled simulated), both in the HTML and the workbook.
 */
import { describe, expect, it } from 'vitest';
import { runProject } from '../src/app/project.ts';
import { prepareReportContext } from '../src/report/index.ts';
import { renderReportHtml } from '../src/report/html.ts';

const quietly = async <T>(fn: () => Promise<T>): Promise<T> => {
  const write = process.stderr.write;
  process.stderr.write = (() => true) as typeof process.stderr.write;
  try {
    return await fn();
  } finally {
    process.stderr.write = write;
  }
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
    // the reasons are written in Chinese from the audit's checks (2023-01: MoM −0.14 % printed under 同比)
    expect(section).toContain(
      '环比按 2022-12 重算为 -0.1399%（考虑指数舍入，可能区间 [-0.1463, -0.1336]）；该值印在另一列（-0.14），而“环比”列为 -0.97',
    );
    expect(section).toContain('指数 1 位小数，变化率 2 位小数');
    expect(section.slice(0, section.indexOf('</section>'))).not.toMatch(/recomputed|printed|decimal/);
    const en = renderReportHtml({ ...base, lang: 'en' });
    expect(en).toContain('MoM/YoY swapped');
    expect(en).toContain('month-on-month (环比) recomputed against 2022-12 is -0.1399 %');
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

describe('report: change over time and uncertainty', () => {
  it('dfiic-panel shows σ per period, β and the largest rank gains', async () => {
    const r = await quietly(() => runProject('examples/dfiic-panel'));
    const base = await prepareReportContext(r.project, r.build, { analyses: r.analyses });
    const html = renderReportHtml({ ...base, lang: 'en' });
    const section = html.slice(html.indexOf('id="change"'), html.indexOf('</section>', html.indexOf('id="change"')));
    expect(section).toContain('Absolute β-convergence');
    expect(section).toContain(`β = ${r.analyses!.change!.beta!.beta.toFixed(4)}`);
    const top = r.analyses!.change!.leapfroggers[0];
    expect(section).toContain(`+${top.gain}`);
    expect(section.match(/<tr>/g)!.length).toBeGreaterThan(9);
  });

  it('asem describes the uncertainty design (weight noise in words) and its run count', async () => {
    const r = await quietly(() => runProject('examples/asem'));
    const base = await prepareReportContext(r.project, r.build, { analyses: r.analyses });
    const html = renderReportHtml({ ...base, lang: 'en' });
    const section = html.slice(
      html.indexOf('id="uncertainty"'),
      html.indexOf('</section>', html.indexOf('id="uncertainty"')),
    );
    expect(section).toContain('1000 rebuilds');
    expect(section).toContain('±25% noise on the weights of level(s) 2, 3');
    expect(section).not.toContain('set 17');
  });
});
