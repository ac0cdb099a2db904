/**
 * The report shows what is missing or not real: statistics skipped by the analyses (with why),
 * analyses that failed (a warning above the findings and the located issues under Methodology),
 * and simulated survey data that entered the index.
 */
import { describe, expect, it } from 'vitest';
import { runAnalyses, parseAnalysesConfig } from '../../src/engine/analysis/run.ts';
import { createDataset } from '../../src/engine/core/dataset.ts';
import { renderReportHtml } from '../../src/report/html.ts';
import { computeFindings } from '../../src/report/findings.ts';
import type { LoadedProject } from '../../src/formats/project.ts';
import { codes, sixCities } from './fixture.ts';

const section = (html: string, id: string) =>
  html.slice(html.indexOf(`id="${id}"`), html.indexOf('</section>', html.indexOf(`id="${id}"`)));

describe('report: skipped statistics and failed analyses are visible', () => {
  it('z-scores: the regional section says why Theil, Dagum, Gini and CV are missing, in both languages', () => {
    const { build, project } = sixCities({ method: 'zScore', mean: 0, sd: 1 });
    const analyses = runAnalyses(build, parseAnalysesConfig({ regional: { groupings: ['region'] } }));
    const en = section(renderReportHtml({ project, build, analyses, lang: 'en' }), 'regional');
    expect(en).toContain(
      'Not computed: the Theil decomposition and the Dagum Gini decomposition, ' +
        'which need non-negative scores with a positive mean (theil: value of unit 110100',
    );
    expect(en).toContain('Not computed: the Gini, the Theil T and the coefficient of variation, which need');
    const zh = section(renderReportHtml({ project, build, analyses, lang: 'zh' }), 'regional');
    expect(zh).toContain('未计算泰尔指数分解与 Dagum 基尼分解：需要非负得分且均值为正');
    // the findings no longer quote a CV or Gini that does not exist
    const below = computeFindings({ project, build, analyses, lang: 'en' }).find((f) => f.kind === 'belowMean')!;
    expect(below.text.en).not.toMatch(/variation|Gini/);
  });

  it('a failed analysis: warning above the findings, located issues under Methodology', () => {
    const { build, project } = sixCities();
    const analyses = runAnalyses(build, parseAnalysesConfig({ regional: { groupings: ['nope'] }, tiers: { k: 2 } }));
    const html = renderReportHtml({ project, build, analyses, lang: 'en' });
    const header = html.slice(0, html.indexOf('id="findings"'));
    expect(header).toContain('These analyses could not run, so their findings are missing: <code>regional</code>');
    expect(header).toContain('href="#analysis-errors"');
    const method = section(html, 'method');
    expect(method).toContain('id="analysis-errors"');
    expect(method).toContain(
      'field &quot;analyses.regional.groupings&quot;: grouping &quot;nope&quot; is not a text column of units.csv',
    );
    expect(renderReportHtml({ project, build, analyses, lang: 'zh' })).toContain(
      '以下分析未能运行，相关结论缺失：<code>regional</code>',
    );
  });

  it('no warning box when everything ran and nothing is simulated', () => {
    const { build, project } = sixCities();
    const analyses = runAnalyses(build, parseAnalysesConfig({ tiers: { k: 2 } }));
    expect(renderReportHtml({ project, build, analyses, lang: 'en' })).not.toContain('class="alert"');
  });

  it('simulated survey data that entered the index is flagged above the findings', () => {
    const { build, project } = sixCities();
    const est = createDataset(codes, ['i3'], new Float64Array(6).fill(50));
    const withSurvey = {
      ...project,
      surveys: [
        {
          id: 's',
          title: 'Resident survey (demo)',
          simulated: true,
          indicators: ['i3'],
          lower: est,
          upper: est,
          n: est,
        },
      ],
    } as unknown as LoadedProject;
    const en = renderReportHtml({ project: withSurvey, build, lang: 'en' });
    const header = en.slice(0, en.indexOf('id="findings"'));
    expect(header).toContain('These results include simulated data');
    expect(header).toContain('<code>i3</code>');
    const zh = renderReportHtml({ project: withSurvey, build, lang: 'zh' });
    expect(zh.slice(0, zh.indexOf('id="findings"'))).toContain('本结果含模拟数据');
  });
});
