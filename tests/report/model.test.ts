/**
 * The report model: the sections, findings and charts that the HTML renders, in the reader's language,
 * computed from the results (six-city fixture; see fixture.ts for the hand-worked numbers).
 */
import { describe, expect, it } from 'vitest';
import { sixCities } from './fixture.ts';
import { buildReportModel } from '../../src/report/model.ts';
import { computeFindings } from '../../src/report/findings.ts';
import { mapAdcodes } from '../../src/report/charts.ts';
import { readChinaMap } from '../../src/report/china-map-file.ts';
import { renderReportHtml } from '../../src/report/html.ts';

describe('buildReportModel', () => {
  const { build, project } = sixCities();
  const ctx = { project, build };

  it('lists the sections present, in order, with titles in the reader language', () => {
    const zh = buildReportModel(ctx, 'zh');
    const en = buildReportModel(ctx, 'en');
    expect(zh.sections.map((s) => s.id)).toEqual([
      'summary',
      'findings',
      'ranking',
      'quality',
      'map',
      'method',
      'sources',
      'repro',
    ]);
    expect(en.sections.map((s) => s.id)).toEqual(zh.sections.map((s) => s.id));
    expect(zh.sections[0].title).toBe('概要');
    expect(en.sections[0].title).toBe('Summary');
    expect(zh.sections[1].title).toBe('主要结论');
    expect(en.sections[1].title).toBe('Key findings');
    expect(en.meta).toEqual({ edition: undefined, period: undefined, units: 6, indicators: 3, notCollected: 1 });
    expect(en.title).toBe('Test');
  });

  it('carries the findings with their numbers, message codes and the sentence in its language', () => {
    const findings = computeFindings({ ...ctx, lang: 'zh' });
    const model = buildReportModel(ctx, 'en');
    expect(model.findings.map((f) => f.text)).toEqual(findings.map((f) => f.text.en));
    const leader = model.findings.find((f) => f.kind === 'leader')!;
    expect(leader.message).toBe('finding.leader');
    expect(leader.text).toMatch(/^Hangzhou ranks first \(Index 87\.5; 6 cities evaluated\)/);
  });

  it('gives the charts as ECharts options: the map when the units are on the registered map, else ranking bars', () => {
    const noMap = buildReportModel(ctx, 'en');
    expect(noMap.useMap).toBe(false);
    expect(noMap.charts.map((c) => c.role)).toEqual(['rankingBars']);
    const withMap = buildReportModel(ctx, 'zh', { mapRegions: mapAdcodes(readChinaMap()) });
    expect(withMap.useMap).toBe(true);
    expect(withMap.charts[0].role).toBe('map');
    expect(withMap.charts[0].option.series[0].data).toHaveLength(7); // six cities and the South China Sea inset
    expect(JSON.parse(JSON.stringify(withMap.charts[0].option)).series[0].type).toBe('map');
  });

  it('carries the ranking table as data: best first, names in both languages, dimension scores and ranks', () => {
    const r = buildReportModel(ctx, 'en').ranking;
    expect(r.rows.map((x) => x.unit)).toEqual(['330100', '440300', '310100', '610100', '510100', '110100']);
    expect(r.rows[0]).toMatchObject({ name: 'Hangzhou', otherName: '杭州市', rank: 1, score: 87.5, leader: true });
    expect(r.rows[0].dimensions).toEqual([
      { code: 'D1', score: 75, rank: 1 },
      { code: 'D2', score: 100, rank: 1 },
    ]);
    expect([r.indexName, r.hasTiers, r.hasIntervals, r.cities]).toEqual(['Index', false, false, true]);
  });

  it('is what the HTML renders: every section of the model has its anchor, in order', () => {
    const html = renderReportHtml({ ...ctx, lang: 'zh' });
    const model = buildReportModel(ctx, 'zh', { mapRegions: mapAdcodes(readChinaMap()) });
    const anchors = [...html.matchAll(/<section[^>]* id="([a-z-]+)"/g)].map((m) => m[1]);
    expect(anchors).toEqual(model.sections.map((s) => s.id));
  });
});
