/**
 * The dashboard's KPI data (issue 15, item 4): export-site writes `data/kpi-data.js` for a project that reads
 * KPIs from case logs, with the page data the report shows (numbers equal to kpis.csv), and nothing for a
 * project without case logs. The overview's `data/site-data.js` only names the file and the units.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { siteArtifacts, type SiteKpiPage } from '../../src/app/site.ts';

const PREFIX = 'globalThis.__CITYINDEX_KPI__ = ';

describe('site KPI data', () => {
  it('the Boston 311 example: data/kpi-data.js with the trends, categories and district league table', async () => {
    const { site, files } = await siteArtifacts('examples/service-requests-311', { downloads: false });
    const script = files.get('data/kpi-data.js') as string;
    expect(script.startsWith(PREFIX)).toBe(true);
    const pages = JSON.parse(script.slice(PREFIX.length).replace(/;\n$/, '')) as SiteKpiPage[];
    expect(pages.map((p) => p.log.id)).toEqual(['boston-2015h1']);
    expect(site.kpi).toEqual({
      file: 'data/kpi-data.js',
      units: expect.any(Array),
      simulated: false,
      html: 'data/kpi-pages.js',
    });
    expect(site.kpi?.units).toContain('US-BOS');
    expect(site.kpi?.units).toContain('BOS-D1');
    // the overview's data does not carry the pages
    expect(files.get('data/site-data.js') as string).not.toContain('"trends"');
    const [p] = pages;
    expect(p.log.source?.url).toBe('https://data.boston.gov/dataset/311-service-requests');
    expect(p.trends.find((t) => t.kpi === 'on_time_rate')?.points.map((x) => x.period)).toEqual([
      '2015-01',
      '2015-02',
      '2015-03',
      '2015-04',
      '2015-05',
      '2015-06',
    ]);
    const rows = parse(readFileSync('examples/service-requests-311/kpi/boston-2015h1/kpis.csv'), {
      columns: true,
    }) as Record<string, string>[];
    const csv = (kpi: string, level: string, unit: string, period: string, category = '') =>
      rows.find(
        (r) => r.kpi === kpi && r.level === level && r.unit === unit && r.period === period && r.category === category,
      );
    for (const d of p.districts)
      expect(d.cells.on_time_rate?.value).toBe(Number(csv('on_time_rate', 'district', d.key, '2015')?.value));
    expect(p.districts.map((d) => d.rank)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const top = p.categories[0];
    expect(top.cells.cases_received?.value).toBe(
      Number(csv('cases_received', 'category', 'US-BOS', '2015', top.key)?.value),
    );
    const jan = p.trends.find((t) => t.kpi === 'on_time_rate')!.points[0];
    const janCsv = csv('on_time_rate', 'city', 'US-BOS', '2015-01')!;
    expect([jan.value, jan.ciLow, jan.ciHigh]).toEqual([
      Number(janCsv.value),
      Number(janCsv.ci_low),
      Number(janCsv.ci_high),
    ]);
  }, 120_000);

  it('a project without case logs has no KPI data', async () => {
    const { site, files } = await siteArtifacts('examples/asem', { analyses: false, downloads: false });
    expect(files.has('data/kpi-data.js')).toBe(false);
    expect(site.kpi).toBeUndefined();
  }, 120_000);
});
