/**
 * Imputed (*) and borrowed (†) values are marked on the charts too (issue 11, item 1), checked on the
 * generated cdgi-2020 reports in both languages: every map region's tooltip (the SVG `<title>` a browser
 * shows on hover) prints the score of the map's code with its marker; the headline chart marks the names
 * and the printed values; the radar marks the names of cities with a marked dimension; and every chart
 * that prints a marker has the legend. The expected markers are worked out here independently of the
 * report code: from `dataQuality` (which values were imputed or borrowed) up the framework tree.
 */
import { describe, expect, it } from 'vitest';
import { loadProject } from '../../src/formats/index.ts';
import { build } from '../../src/engine/pipeline/build.ts';
import { getValue } from '../../src/engine/core/dataset.ts';
import { parseAnalysesConfig, runAnalyses } from '../../src/engine/analysis/run.ts';
import { prepareReportContext } from '../../src/report/index.ts';
import { renderReportHtml } from '../../src/report/html.ts';
import { dataQuality } from '../../src/engine/pipeline/data-quality.ts';

const project = await loadProject('examples/cdgi-2020');
const b = build(project.input, project.spec);
const { uncertainty: _u, ...settings } = project.project.analyses as Record<string, unknown>;
const analyses = runAnalyses(b, parseAnalysesConfig(settings));
const base = await prepareReportContext(project, b, { analyses });
const html = { zh: renderReportHtml({ ...base, lang: 'zh' }), en: renderReportHtml({ ...base, lang: 'en' }) };

// expected markers: a flagged indicator marks itself and every aggregate above it; imputed wins over borrowed
const q = dataQuality(b, { valueSources: project.valueSources });
const parentOf = new Map(project.input.framework.nodes.map((n) => [n.code, n.parent]));
const expected = new Map<string, Map<string, string>>();
for (const [unit, flags] of q.flagOf) {
  const m = new Map<string, string>();
  for (const [code, flag] of flags)
    for (let c: string | null | undefined = code; c; c = parentOf.get(c))
      if (m.get(c) !== '*') m.set(c, flag === 'imputed' ? '*' : '†');
  expected.set(unit, m);
}
const markOf = (unit: string, code: string) => expected.get(unit)?.get(code) ?? '';
const scores = b.results.scores;
const indexCode = project.input.framework.nodes.find((n) => n.parent === null)!.code;
const dimensions = project.input.framework.nodes.filter((n) => n.parent === indexCode).map((n) => n.code);
const order = [...scores.unitCodes].sort((x, y) => getValue(scores, y, indexCode) - getValue(scores, x, indexCode));
const unescape = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
const svgTexts = (h: string) => [...h.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => unescape(m[1]));
const LEGEND = 'data-legend="imputed"';

describe.each(['zh', 'en'] as const)('cdgi-2020 charts mark imputed and borrowed values (%s)', (lang) => {
  const h = html[lang];
  const nameOf = (u: string) => project.input.units.find((x) => x.code === u)!.name[lang]!;

  it('every region of every map has a tooltip with its score and marker (index, 4 dimensions, tiers, LISA)', () => {
    const figures = [...h.matchAll(/<figure[^>]*data-code="([^"]+)"[^>]*>([\s\S]*?)<\/figure>/g)];
    const codes = figures.map((f) => f[1]);
    expect(codes.sort()).toEqual([...dimensions, indexCode, indexCode, indexCode].sort());
    let marked = 0;
    for (const [, code, body] of figures) {
      const titles = new Map(
        [...body.matchAll(/data-region="(\d{6})"[^>]*><title>([^<]*)<\/title>/g)].map((m) => [m[1], unescape(m[2])]),
      );
      expect(titles.size, code).toBe(100);
      for (const u of scores.unitCodes) {
        const title = titles.get(u)!;
        const value = getValue(scores, u, code).toFixed(1);
        const mark = markOf(u, code);
        expect(title.startsWith(`${nameOf(u)} `), title).toBe(true);
        // the score, then the marker when it rests on an imputed or borrowed value, and nothing else
        expect(title, `${code} ${u}`).toMatch(
          new RegExp(`${value.replace('.', '\\.')}${mark ? `\\${mark}` : ''}\\)?$`),
        );
        if (mark) marked++;
      }
    }
    // index maps (3) and the ADMIN map mark the 72 cities (68 imputed, 4 borrowed); the other dimensions none
    expect(marked).toBe(4 * 72);
    expect(h.slice(h.indexOf('id="map"'), h.indexOf('</section>', h.indexOf('id="map"')))).toContain(LEGEND);
  });

  it('the five best named on the index map carry their markers', () => {
    const map = /<figure id="choropleth"[\s\S]*?<\/figure>/.exec(h)![0];
    const texts = svgTexts(map);
    for (const u of order.slice(0, 5)) expect(texts).toContain(nameOf(u) + markOf(u, indexCode));
  });

  it('each dimension map names its three best in the caption, with markers and ties counted', () => {
    for (const d of dimensions) {
      const fig = new RegExp(`<figure data-code="${d}">[\\s\\S]*?<figcaption>([^<]*)</figcaption>`).exec(h)!;
      const caption = unescape(fig[1]);
      const sorted = [...scores.unitCodes].sort((x, y) => getValue(scores, y, d) - getValue(scores, x, d));
      const third = getValue(scores, sorted[2], d);
      // named: the best (alone at the top in cdgi-2020) and two more with a score ≥ the third best
      const named = sorted.filter((u) => caption.includes(nameOf(u) + markOf(u, d)));
      expect(named.length, d).toBe(3);
      expect(named[0], d).toBe(sorted[0]);
      for (const u of named) expect(getValue(scores, u, d), d).toBeGreaterThanOrEqual(third);
      const tied =
        sorted.filter((u) => getValue(scores, u, d) === third).length -
        named.filter((u) => getValue(scores, u, d) === third).length;
      if (tied) expect(caption, d).toContain(lang === 'zh' ? `另有 ${tied} 个城市同分` : `${tied} more share`);
      else expect(caption, d).not.toMatch(/同分|share the last/);
    }
  });

  it('the headline chart marks names and printed values, with the legend', () => {
    const fig = /<figure id="headline-chart">[\s\S]*?<\/figure>/.exec(h)![0];
    const texts = svgTexts(fig);
    let marked = 0;
    for (const u of order.slice(0, 15)) {
      const mark = markOf(u, indexCode);
      if (mark) marked++;
      expect(texts).toContain(nameOf(u) + mark);
      expect(texts).toContain((Math.round(getValue(scores, u, indexCode) * 10) / 10).toFixed(1) + mark);
      if (mark) expect(texts).not.toContain(nameOf(u));
    }
    expect(marked).toBeGreaterThan(0); // 上海 †, 金华 *, … are among the top 15
    expect(fig).toContain(LEGEND);
  });

  it('the radar marks a city when any of its dimensions is marked, with the legend', () => {
    const radar = /<section id="radar">[\s\S]*?<\/section>/.exec(h)![0];
    const texts = svgTexts(radar);
    let marked = 0;
    for (const u of order.slice(0, 5)) {
      const marks = dimensions.map((d) => markOf(u, d));
      const mark = marks.includes('*') ? '*' : marks.includes('†') ? '†' : '';
      if (mark) marked++;
      expect(texts).toContain(nameOf(u) + mark);
    }
    expect(marked).toBeGreaterThan(0);
    expect(radar).toContain(LEGEND);
  });
});
