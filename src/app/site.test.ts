import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { runArtifacts, runProject, type ProjectRun } from './project.ts';
import { siteData, pinyinOf, siteDataScript, type SiteData } from './site.ts';
import { loadCases } from '../formats/cases.ts';

/** results.csv of the run, parsed: header and rows of strings. */
function resultsCsv(run: ProjectRun): string[][] {
  const text = runArtifacts(run, { workbook: false }).get('results.csv') as string;
  return parse(text.replace(/^\ufeff/, ''), { relax_column_count: false }) as string[][];
}

/** Every score and rank of the site equals results.csv, cell by cell (same numbers to the last bit). */
function expectSameAsCsv(site: SiteData, csv: string[][]): number {
  const [header, ...rows] = csv;
  expect(site.results.units).toEqual(rows.map((r) => r[0]));
  let checked = 0;
  for (let c = 3; c < header.length; c++) {
    const name = header[c];
    const isRank = name.endsWith('_rank');
    const code = isRank ? name.slice(0, -5) : name;
    const col = (isRank ? site.results.ranks : site.results.scores)[code];
    expect(col, `site data has column ${name}`).toBeDefined();
    rows.forEach((r, i) => {
      const want = r[c] === '' ? null : Number(r[c]);
      expect(col[i], `${r[0]} ${name}`).toBe(want);
      checked++;
    });
  }
  return checked;
}

describe('site data (cdgi-2020)', () => {
  let run: ProjectRun;
  let site: SiteData;
  beforeAll(async () => {
    run = await runProject('examples/cdgi-2020', { only: 'tiers,uncertainty' });
    const cases = await loadCases('cases');
    site = siteData(run, cases);
  });

  it('every rank and score equals results.csv of the same build', () => {
    const csv = resultsCsv(run);
    // 100 cities × (index + 4 dimensions + their sub-dimensions) × (score, rank)
    expect(expectSameAsCsv(site, csv)).toBe(100 * (csv[0].length - 3));
    expect(site.results.ranks[site.indexCode].slice(0, 3)).toEqual([1, 2, 3]);
  });

  it('levels top-down, units with both names, pinyin and groups; tiers and rank intervals', () => {
    expect(site.levels[0].codes).toEqual([site.indexCode]);
    expect(site.levels[1].codes.length).toBe(4);
    const hz = site.units.find((u) => u.code === '330100')!;
    expect(hz.name).toEqual({ zh: '杭州市', en: 'Hangzhou' });
    expect(hz.pinyin).toBe('hangzhoushi');
    expect(hz.groups.region).toBe('东部');
    expect(hz.tier).not.toBeNull();
    expect(site.filters.slice(0, 2)).toEqual(['region', 'north_south']);
    const iv = site.intervals!['330100'];
    expect(iv.q5).toBeLessThanOrEqual(iv.median);
    expect(iv.median).toBeLessThanOrEqual(iv.q95);
    expect(Object.keys(site.intervals!).length).toBe(100);
  });

  it('the live input round-trips the raw data (NaN as null) and the methodology lists gaps', () => {
    const raw = run.build.input.raw;
    const serial = site.live.input.raw;
    expect(serial.values.length).toBe(raw.values.length);
    serial.values.forEach((v, i) => expect(v === null ? NaN : v).toBe(raw.values[i]));
    expect(serial.values.some((v) => v === null)).toBe(true); // ADM_OSI_CITY is missing for 68 cities
    expect(site.flagged.filter((f) => f.flag === 'imputed').length).toBe(68);
    expect(site.methodology.steps.map((s) => s.kind)).toEqual(run.build.spec.steps.map((s) => s.kind));
    expect(site.methodology.gaps.length).toBe(run.project.gaps.length);
    expect(site.methodology.gaps.length).toBeGreaterThan(0);
    expect(site.cases.find((c) => c.id === 'hangzhou-city-brain')?.city).toBe('330100');
  });

  it('the script form cannot be closed by text in the data', () => {
    const hostile = { ...site, project: { ...site.project, name: { zh: '</script><script>alert(1)</script>' } } };
    const js = siteDataScript(hostile);
    expect(js).not.toContain('</script>');
    const scope: { __CITYINDEX_SITE__?: SiteData } = {};
    new Function('globalThis', js)(scope);
    expect(scope.__CITYINDEX_SITE__!.project.name.zh).toBe('</script><script>alert(1)</script>');
  });
});

describe('site data (COINr ASEM)', () => {
  it('every rank and score equals results.csv; no uncertainty → no intervals', async () => {
    const run = await runProject('examples/asem', { analyses: false });
    const site = siteData(run);
    expect(expectSameAsCsv(site, resultsCsv(run))).toBeGreaterThan(51 * 10);
    expect(site.intervals).toBeNull();
    expect(site.units.every((u) => u.pinyin === '')).toBe(true);
  });

  it('pinyin of city names', () => {
    expect(pinyinOf('长沙市').pinyin).toBe('changshashi');
    expect(pinyinOf('重庆市').initials).toBe('cqs');
  });
});
