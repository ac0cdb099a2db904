/**
 * What a reader sees agrees with the data files: build examples/cdgi-2020 with the CLI (as `npm run
 * example` does), then recompute findings here from results.csv and units.csv alone — the share below
 * the mean, the east–west gap, the leader's neighbours' mean, Moran's I on 5 nearest neighbours — and
 * check them against the sentences and tables of report.en.html / report.html and against analysis.json.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';

type Row = Record<string, string>;
let results: Row[];
let units: Map<string, Row>;
let analysis: {
  regional: {
    comparisons: Array<{ a: string; b: string; meanA: number; meanB: number }>;
    inequality: { gini: number };
  };
  spatial: {
    moran: { I: number };
    spillover: { neighbourMean: number; neighbours: Array<{ id: string; rank: number }> };
  };
  tiers: { counts: number[] };
};
let en: string;
let zh: string;

const readCsv = (file: string): Row[] =>
  parse(readFileSync(file, 'utf8'), { columns: true, bom: true, skip_empty_lines: true }) as Row[];
const unescape = (s: string) =>
  s
    .replace(/<[^>]+>/g, '')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
/** The text of the finding of a kind, as printed. */
// a key finding is a list item; a technical one (Moran's I, spillover) opens its own section as a paragraph
const finding = (html: string, kind: string) => {
  const m =
    new RegExp(`<li data-finding="${kind}">([\\s\\S]*?)</li>`).exec(html) ??
    new RegExp(`<p class="finding" data-finding="${kind}">([\\s\\S]*?)</p>`).exec(html);
  if (!m) throw new Error(`no ${kind} finding`);
  return unescape(m[1]);
};
/** Rows of the first table after a heading whose text contains `heading` (cells as text). */
const tableAfter = (html: string, heading: string): string[][] => {
  const at = html.indexOf(heading);
  const t = html.slice(html.indexOf('<tbody>', at), html.indexOf('</tbody>', at));
  return [...t.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((r) =>
    [...r[1].matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) => unescape(c[1]).trim()),
  );
};
const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
const score = (code: string) => Number(results.find((r) => r.code === code)!.CDGI);

beforeAll(() => {
  const out = mkdtempSync(join(tmpdir(), 'cdgi-report-'));
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', 'src/cli/main.ts', 'build', 'examples/cdgi-2020', '--out', out, '--format', 'html'],
    { encoding: 'utf8', timeout: 240_000 },
  );
  if (r.status !== 0) throw new Error(`cityindex build failed:\n${r.stderr}`);
  results = readCsv(join(out, 'results.csv'));
  units = new Map(readCsv('examples/cdgi-2020/units.csv').map((u) => [u.code, u]));
  analysis = JSON.parse(readFileSync(join(out, 'analysis.json'), 'utf8')) as typeof analysis;
  en = readFileSync(join(out, 'report.en.html'), 'utf8');
  zh = readFileSync(join(out, 'report.html'), 'utf8');
}, 300_000);

describe('findings recomputed from results.csv and units.csv', () => {
  it('the share below the mean (and the table row that shows it)', () => {
    const idx = results.map((r) => Number(r.CDGI));
    const m = mean(idx);
    const below = idx.filter((v) => v < m).length;
    expect(results.length).toBe(100);
    const share = Math.round((100 * below) / idx.length);
    const text = `${below} of ${idx.length} cities (${share}%) score below the mean of ${m.toFixed(1)}`;
    expect(finding(en, 'belowMean')).toContain(text);
    expect(finding(zh, 'belowMean')).toContain(
      `${idx.length} 个城市中有 ${below} 个（${share}%）低于平均分 ${m.toFixed(1)}`,
    );
    // the reader can verify it: the regional table's national row shows the mean and the share
    const all = tableAfter(en, 'Four regions').find((r) => r[0] === 'All (national)')!;
    expect(all.slice(1, 3)).toEqual(['100', m.toFixed(1)]);
    expect(all[6]).toBe(`${share}%`);
    // the Gini in the sentence is the one in analysis.json and in the inequality table
    expect(finding(en, 'belowMean')).toContain(`Gini ${analysis.regional.inequality.gini.toFixed(3)}`);
    expect(tableAfter(en, '<h3>Inequality</h3>').find((r) => r[0] === 'Gini')![1]).toBe(
      analysis.regional.inequality.gini.toFixed(4),
    );
  });

  it('the east–west gap, in the sentence, the regional table and analysis.json', () => {
    const by = (label: string) => results.filter((r) => units.get(r.code)!.region === label).map((r) => Number(r.CDGI));
    const east = mean(by('东部')),
      west = mean(by('西部'));
    const gap = (east - west).toFixed(1);
    const ratio = (east / west).toFixed(2);
    expect(finding(en, 'groupComparison')).toBe(
      `East averages ${east.toFixed(1)}, above West (${west.toFixed(1)}) by ${gap} points (ratio ${ratio}).`,
    );
    expect(finding(zh, 'groupComparison')).toBe(
      `东部平均 ${east.toFixed(1)}，高于西部（${west.toFixed(1)}），相差 ${gap} 分（${ratio} 倍）。`,
    );
    const rows = tableAfter(en, 'Four regions');
    expect(rows.find((r) => r[0] === 'East')!.slice(1, 3)).toEqual([String(by('东部').length), east.toFixed(1)]);
    expect(rows.find((r) => r[0] === 'West')!.slice(1, 3)).toEqual([String(by('西部').length), west.toFixed(1)]);
    const c = analysis.regional.comparisons.find((x) => x.a === '东部' && x.b === '西部')!;
    expect(c.meanA).toBeCloseTo(east, 10);
    expect(c.meanB).toBeCloseTo(west, 10);
  });

  it("the leader's neighbours: scores, ranks and mean from results.csv", () => {
    const followers = ['330500', '330700', '330300', '330400']; // project.yaml analyses.spatial.leader.followers
    const leader = results.find((r) => r.CDGI_rank === '1')!;
    expect(leader.code).toBe('330100');
    const nm = mean(followers.map(score));
    const text = finding(en, 'spillover');
    expect(text).toContain(`averaging ${nm.toFixed(1)}`);
    for (const f of followers) {
      const r = results.find((x) => x.code === f)!;
      expect(text).toContain(`${r.name_en} ${Number(r.CDGI).toFixed(1)} (rank ${r.CDGI_rank},`);
    }
    expect(analysis.spatial.spillover.neighbourMean).toBeCloseTo(nm, 10);
    // the spillover table lists the same rows (name in English with the Chinese name beneath)
    const rows = tableAfter(en, "The leader's spillover");
    expect(rows.map((r) => r[2])).toEqual([
      leader.CDGI_rank,
      ...followers.map((f) => results.find((x) => x.code === f)!.CDGI_rank),
    ]);
  });

  it("global Moran's I on 5 nearest neighbours (great-circle), row-standardised, recomputed here", () => {
    const codes = results.map((r) => r.code);
    const y = results.map((r) => Number(r.CDGI));
    const ll = codes.map((c) => [Number(units.get(c)!.lon), Number(units.get(c)!.lat)].map((d) => (d * Math.PI) / 180));
    const dist = (a: number[], b: number[]) => {
      // haversine (the radius does not change the order)
      const h = Math.sin((b[1] - a[1]) / 2) ** 2 + Math.cos(a[1]) * Math.cos(b[1]) * Math.sin((b[0] - a[0]) / 2) ** 2;
      return 2 * Math.asin(Math.sqrt(h));
    };
    const m = mean(y);
    const z = y.map((v) => v - m);
    let num = 0;
    for (let i = 0; i < codes.length; i++) {
      const nb = codes
        .map((_, j) => j)
        .filter((j) => j !== i)
        .sort((a, b) => dist(ll[i], ll[a]) - dist(ll[i], ll[b]))
        .slice(0, 5);
      num += z[i] * mean(nb.map((j) => z[j])); // w_ij = 1/5; S0 = n
    }
    const I = num / z.reduce((s, v) => s + v * v, 0);
    expect(analysis.spatial.moran.I).toBeCloseTo(I, 10);
    expect(finding(en, 'moran')).toContain(`Global Moran's I = ${I.toFixed(3)}`);
    expect(finding(en, 'moran')).toContain('seed 20200801');
  });

  it('tier sizes: the sentence, the ranking column and analysis.json agree', () => {
    const ranking = tableAfter(en, 'id="ranking"');
    const tierCol = ranking.map((r) => r[r.length - 2]);
    // neutral names: the project no longer borrows the published report's 数字治理一线城市 for its own classes
    const names = ['Tier 1', 'Tier 2', 'Tier 3', 'Tier 4'];
    const counts = names.map((n) => tierCol.filter((t) => t === n).length);
    expect(counts).toEqual([...analysis.tiers.counts].reverse());
    expect(finding(en, 'tiers')).toContain(names.map((n, k) => `${n}, ${counts[k]}`).join('; '));
  });

  it('gaps against peers: the units of analyses.gaps with their rank from results.csv, shortfalls only', () => {
    const gaps = en.slice(en.indexOf('id="gaps"'), en.indexOf('</section>', en.indexOf('id="gaps"')));
    for (const code of ['420100', '410100', '610100']) {
      // 武汉 郑州 西安 (project.yaml analyses.gaps.units)
      const r = results.find((x) => x.code === code)!;
      const names = `${r.name_en.replace(/'/g, '&#39;')} <span class="sub">${r.name_zh}</span>`;
      expect(gaps).toContain(`${names} <span class="sub">rank ${r.CDGI_rank}</span>`);
    }
    expect(gaps.match(/the 10 units with the closest index scores/g)?.length).toBe(3);
    const rows = tableAfter(gaps, 'Wuhan');
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(Number(row[3])).toBeGreaterThan(0); // gap
      expect(Number(row[3])).toBeCloseTo(Number(row[2]) - Number(row[1]), 0); // peer mean − score (as printed, ±0.1)
    }
    // the smallest improvement starts from Wuhan's rank in results.csv and climbs k = 3 ranks (project.yaml)
    const wuhanRank = results.find((x) => x.code === '420100')!.CDGI_rank;
    expect(gaps).toContain(`lifts the rank from ${wuhanRank} to ${Number(wuhanRank) - 3}.`);
  });

  it('the comparison with the published top ten counts the overlap from results.csv', () => {
    const published = [
      '330100',
      '440300',
      '110100',
      '310100',
      '420100',
      '440100',
      '410100',
      '320500',
      '441900',
      '610100',
    ];
    const ours = results.filter((r) => Number(r.CDGI_rank) <= 10).map((r) => r.code);
    const overlap = published.filter((u) => ours.includes(u)).length;
    expect(finding(en, 'reference')).toContain(`${overlap} of the published top ten are also in this top ten`);
  });
});

describe('each report reads in its own language', () => {
  const CJK = /[\u3400-\u9fff]/;
  /**
   * Texts of elements a reader scans: findings, headings, table headers, captions (other-language names
   * in .sub removed).
   */
  const scanned = (html: string) =>
    [
      ...html.matchAll(/<(li data-finding="[^"]+"|h2|h3|th[^>]*|figcaption)>([\s\S]*?)<\/(li|h2|h3|th|figcaption)>/g),
    ].map((m) =>
      unescape(m[2].replace(/<span class="sub">[\s\S]*?<\/span>/g, '').replace(/<code>[\s\S]*?<\/code>/g, '')),
    );

  it('English: no Chinese in findings, headings, table headers or captions', () => {
    const bad = scanned(en).filter((t) => CJK.test(t));
    expect(bad).toEqual([]);
  });

  it('English: the tier rule names the tiers in English', () => {
    const rule = unescape(/<section class="major" id="tiers"><h2>Tiers<\/h2><p>([\s\S]*?)<\/p>/.exec(en)![1]);
    expect(rule).toMatch(/^Rule: Fisher–Jenks natural breaks, k = 4; Tier 1: x > 73\.\d{4}/);
    expect(CJK.test(rule)).toBe(false);
  });

  it('Chinese: headings and table headers are Chinese (method names and symbols aside)', () => {
    const allowed = /Moran|Geary|Getis|Ord|Gi\*|LISA|Cronbach|Fisher|Jenks|Theil|Dagum|SHA|cityindex|p_sim|GVF/g;
    const bad = scanned(zh)
      .filter((t) => !t.includes('data-finding'))
      .filter((t) => /[A-Za-z]{3,}/.test(t.replace(allowed, '')) && !CJK.test(t));
    expect(bad).toEqual([]);
  });

  it('cities carry both names in the ranking table', () => {
    expect(en).toContain('Hangzhou <span class="sub">杭州市</span>');
    expect(zh).toContain('杭州市 <span class="sub">Hangzhou</span>');
  });

  it('ranks print as whole numbers or one decimal, never "41.0"', () => {
    const intervals = tableAfter(en, 'id="ranking"').map((r) => r[r.length - 1]);
    expect(intervals.length).toBe(100);
    for (const iv of intervals) expect(iv).toMatch(/^\d+(\.[1-9])?–\d+(\.[1-9])? \(\d+(\.[1-9])?\)$/);
  });

  it('honesty: spatial weights, LISA convention, seeds and map note are stated', () => {
    const spatial = en.slice(en.indexOf('id="spatial"'), en.indexOf('</section>', en.indexOf('id="spatial"')));
    expect(spatial).toContain('k nearest neighbours (k = 5, great-circle distance between seats)');
    expect(spatial).toContain('row-standardised');
    expect(spatial).toContain('999 conditional permutations, random seed 20200801');
    expect(spatial).toContain('Local Moran convention (as PySAL esda)');
    expect(en).toContain('Seed of the uncertainty analysis');
    expect(en).toContain('Schematic, not a standard map');
    expect(zh).toContain('示意图，非标准地图');
    expect(zh).toContain('随机种子 20200801');
  });
});
