/**
 * The survey findings section (issue 11, item 14) on the cdgi-2020 survey demo, whose responses are
 * simulated: every city estimate with its interval and respondents, the simulated label, and the cities
 * under the survey's minimum sample (survey.yaml `estimation.minSample: 100`) flagged "small sample" —
 * the flagged cities are found here independently, from the respondents' counts.
 */
import { describe, expect, it } from 'vitest';
import { loadProject } from '../../src/formats/project.ts';
import { build } from '../../src/engine/pipeline/build.ts';
import { getValue } from '../../src/engine/core/dataset.ts';
import { renderReportHtml } from '../../src/report/html.ts';

describe('report: survey findings', () => {
  it('shows estimates with intervals, the simulated label and small-sample flags, in both languages', async () => {
    const project = await loadProject('examples/cdgi-2020/project.survey-demo.yaml');
    const b = build(project.input, project.spec);
    const s = project.surveys[0];
    expect(s.simulated).toBe(true);
    const code = s.indicators[0];
    const small = s.n.unitCodes.filter((u) => {
      const n = getValue(s.n, u, code);
      return Number.isFinite(n) && n < 100;
    });
    for (const lang of ['zh', 'en'] as const) {
      const html = renderReportHtml({ project, build: b, lang });
      const start = html.indexOf('id="surveys"');
      const section = html.slice(start, html.indexOf('</section>', start));
      expect(section).toContain(lang === 'zh' ? '模拟数据' : 'Simulated');
      const flagged = (section.match(/<tr>.*?<\/tr>/g) ?? []).filter((r) => r.includes('class="tag gap"'));
      expect(flagged.length).toBe(small.length);
      expect(flagged.length).toBeGreaterThan(0);
    }
  });
});
