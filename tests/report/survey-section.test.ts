/**
 * The survey findings section (issue 11, item 14) on the cdgi-2020 survey demo, whose responses are
 * simulated: every city estimate with its interval and respondents, the simulated label, and the cities
 * under the survey's minimum sample (survey.yaml `estimation.minSample: 100`) flagged "small sample" —
 * the flagged cities are found here independently, from the respondents' counts.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

  it('belowMinimum: missing lists each city under the minimum as a gap with its count, not a number', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ci-survey-missing-'));
    try {
      // the project with the files it names outside its folder (../../cases, ../../data/sources)
      const root = join(dir, 'examples', 'cdgi-2020');
      cpSync('examples/cdgi-2020', root, { recursive: true });
      cpSync('cases', join(dir, 'cases'), { recursive: true });
      cpSync('data/sources', join(dir, 'data', 'sources'), { recursive: true });
      const file = join(root, 'surveys', 'survey.yaml');
      const yaml = readFileSync(file, 'utf8');
      expect(yaml).toContain('belowMinimum: keep');
      writeFileSync(file, yaml.replace('belowMinimum: keep', 'belowMinimum: missing'));
      const project = await loadProject(join(root, 'project.survey-demo.yaml'));
      const b = build(project.input, project.spec);
      const s = project.surveys[0];
      const code = s.indicators[0];
      const small = s.n.unitCodes.filter((u) => {
        const n = getValue(s.n, u, code);
        return Number.isFinite(n) && n < 100;
      });
      expect(small.length).toBeGreaterThan(0);
      // the build reads no number for them
      for (const u of small) expect(getValue(project.input.raw, u, code)).toBeNaN();
      for (const lang of ['zh', 'en'] as const) {
        const html = renderReportHtml({ project, build: b, lang });
        const start = html.indexOf('id="surveys"');
        const section = html.slice(start, html.indexOf('</section>', start));
        expect(section).toContain(lang === 'zh' ? '不给出估计值' : 'no estimate is given');
        const gapRows = (section.match(/<tr>.*?<\/tr>/g) ?? []).filter((r) =>
          r.includes(lang === 'zh' ? '未估计' : 'not estimated'),
        );
        expect(gapRows.length).toBe(small.length * s.indicators.length);
        // each gap row gives that city's count of valid responses
        const counts = small.map((u) => getValue(s.n, u, code)).sort((x, y) => x - y);
        const shown = gapRows
          .slice(0, small.length)
          .map((r) => Number(/(\d+)(?: 份|\s+valid)/.exec(r)?.[1]))
          .sort((x, y) => x - y);
        expect(shown).toEqual(counts);
        // no gap row carries an interval
        for (const r of gapRows) expect(r).not.toMatch(/\d – \d/);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
