/**
 * A report a reader can trust (issue 11, items 1–4), checked on the generated cdgi-2020 reports in both
 * languages: every imputed or borrowed value is marked with a legend; each city's share of weight on them
 * is given and a project threshold turns a score resting mostly on them into "insufficient data"; the
 * effective weight per data source sums to 100 % and one source above half is warned about; no published
 * figure appears without its source; our tiers have neutral names; every city the published sources name
 * is compared, with a reason for each large difference.
 */
import { describe, expect, it } from 'vitest';
import { loadProject } from '../../src/formats/index.ts';
import { build } from '../../src/engine/pipeline/build.ts';
import { parseAnalysesConfig, runAnalyses } from '../../src/engine/analysis/run.ts';
import { prepareReportContext } from '../../src/report/index.ts';
import { renderReportHtml } from '../../src/report/html.ts';
import { dataQuality } from '../../src/engine/pipeline/data-quality.ts';
import type { LoadedProject } from '../../src/formats/project.ts';

const project = await loadProject('examples/cdgi-2020');
const b = build(project.input, project.spec);
const { uncertainty: _u, ...settings } = project.project.analyses as Record<string, unknown>;
const analyses = runAnalyses(b, parseAnalysesConfig(settings));
const base = await prepareReportContext(project, b, { analyses });
const html = { zh: renderReportHtml({ ...base, lang: 'zh' }), en: renderReportHtml({ ...base, lang: 'en' }) };
const q = dataQuality(b, { valueSources: project.valueSources });

const unescape = (s: string) =>
  s
    .replace(/<[^>]+>/g, '')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
const section = (h: string, id: string) =>
  h.slice(h.indexOf(`id="${id}"`), h.indexOf('</section>', h.indexOf(`id="${id}"`)));
/** Rows of the first table after `at` in `h`, cells as HTML. */
const rowsOf = (h: string, at: string): string[][] => {
  const i = h.indexOf(at);
  const t = h.slice(h.indexOf('<tbody>', i), h.indexOf('</tbody>', i));
  return [...t.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((r) =>
    [...r[1].matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) => c[1]),
  );
};

describe.each(['zh', 'en'] as const)('cdgi-2020 report (%s)', (lang) => {
  const h = html[lang];
  const unitOfName = new Map(project.input.units.map((u) => [u.name[lang]!, u.code]));
  const ranking = rowsOf(h, 'id="ranking"');
  const flagged = new Map([...q.flagOf].map(([u, m]) => [u, m.get('ADM_OSI_CITY')]));

  it('item 1: every imputed (*) and borrowed (†) value is marked in the ranking table, and only those', () => {
    expect(ranking).toHaveLength(100);
    // columns: rank, city, index, INFRA, ADMIN, PUBLIC, LIFE, tier
    let marked = 0;
    for (const row of ranking) {
      const name = unescape(row[1].replace(/<span class="sub">[\s\S]*?<\/span>/, '')).trim();
      const unit = unitOfName.get(name)!;
      expect(unit).toBeDefined();
      const flag = flagged.get(unit);
      const admin = row[4],
        index = row[2];
      const mark = flag === 'imputed' ? '*' : flag === 'copied' ? '†' : undefined;
      if (mark) {
        marked++;
        expect(admin).toContain(`<sup class="mark">${mark}</sup>`);
        expect(index).toContain(`<sup class="mark">${mark}</sup>`);
      } else {
        expect(admin + index).not.toContain('class="mark"');
      }
      for (const k of [3, 5, 6]) expect(row[k]).not.toContain('class="mark"'); // no flagged value there
    }
    expect(marked).toBe(72); // 68 imputed + 4 municipalities given their province's score
    expect(section(h, 'ranking')).toContain('data-legend="imputed"');
    expect(unescape(section(h, 'ranking'))).toContain(lang === 'zh' ? '* 插补值' : '* imputed');
  });

  it("item 1: each city's share of weight on imputed values, the threshold and the per-indicator count", () => {
    const s = section(h, 'quality');
    // one row per set of flagged values: the 68 imputed and the 4 borrowed, every flagged city listed once
    const rows = rowsOf(s, 'class="imputed-share"');
    expect(rows).toHaveLength(2);
    for (const r of rows) expect(unescape(r[1])).toBe('12.5%'); // ADMIN 1/4 × ADM_OSI_CITY 1/2
    const listed = rows.flatMap((r) => [...r[2].matchAll(/<span class="units">([\s\S]*?)<\/span>/g)][0][1]);
    const names = listed.flatMap((l) => unescape(l).split(lang === 'zh' ? '、' : ', '));
    expect(names.map((n) => unitOfName.get(n.trim())).filter(Boolean)).toHaveLength(72);
    expect(unescape(rows[0][0])).toMatch(/\*$/);
    expect(unescape(rows[0][2])).toMatch(lang === 'zh' ? /^68 个城市：/ : /^68 cities:/);
    expect(unescape(rows[1][0])).toMatch(/†$/);
    expect(s).toContain('data-insufficient-share="0.5"');
    expect(unescape(s)).toContain(
      lang === 'zh'
        ? '权重占比超过 50% 的城市不给出排名，标为“数据不足”'
        : 'more than 50% on imputed or borrowed values',
    );
    expect(unescape(s)).toContain(lang === 'zh' ? '100 个值中有 72 个是插补或借用的' : '72 of the 100 values');
  });

  it('item 2: the Methods section tables the effective weight per source: 100 % in all, PKU-DFIIC 62.5 %', () => {
    const s = section(h, 'method');
    expect(s).toContain('id="source-shares"');
    const rows = rowsOf(s, 'class="source-share"');
    const shares = rows.slice(0, -1).map((r) => Number(unescape(r[2]).replace('%', '')));
    expect(shares).toEqual([62.5, 25, 12.5]);
    expect(shares.reduce((a, x) => a + x, 0)).toBeCloseTo(100, 9);
    expect(unescape(rows[rows.length - 1][2])).toBe('100.0%');
    expect(unescape(rows[0][0])).toContain('PKU-DFIIC');
    // the same shares from the framework: effective weights of the collected indicators, summed per source
    const bySource = new Map<string, number>();
    for (const n of project.input.framework.nodes)
      if (n.kind === 'indicator' && n.status !== 'not_collected' && n.source?.name)
        bySource.set(n.source.name, (bySource.get(n.source.name) ?? 0) + b.results.effectiveWeights[n.code]);
    expect([...bySource.values()].map((x) => Math.round(x * 1000) / 10).sort((x, y) => y - x)).toEqual(shares);
    // more than half from one source: warned about in the methods and in the data-trust section
    for (const id of ['method', 'quality']) {
      expect(section(h, id)).toContain('data-dominant-source');
      expect(unescape(section(h, id))).toContain(
        lang === 'zh' ? '承担了指数 62.5% 的有效权重（10 个指标中的 6 个）' : "62.5% of the index's effective weight",
      );
    }
    expect(unescape(section(h, 'quality'))).toContain(lang === 'zh' ? '列在“方法说明”一节' : 'under "Methodology"');
  });

  it('item 2: the findings state the dominant source and the imputed share; the audit links dimensions to it', () => {
    const finding = (kind: string) => {
      const at = h.indexOf(`data-finding="${kind}"`);
      return unescape(h.slice(at, h.indexOf('</li>', at)));
    };
    expect(finding('sourceShare')).toContain('62.5%');
    expect(finding('sourceShare')).toContain('PKU-DFIIC');
    expect(finding('imputedShare')).toContain(lang === 'zh' ? '100 个城市中有 72 个' : '72 of 100 cities');
    const audit = section(h, 'audit');
    const links = [...audit.matchAll(/<ul class="shared-source">([\s\S]*?)<\/ul>/g)].map((m) => unescape(m[1]));
    expect(links).toHaveLength(1);
    expect(links[0]).toContain('PKU-DFIIC');
    expect(links[0]).toMatch(lang === 'zh' ? /高度相关（r = 0\.\d\d）/ : /highly correlated \(r = 0\.\d\d\)/);
  });

  it('item 3: no "about 62 %" figure; every published figure is listed with its source (title, date, URL)', () => {
    // reader text: without styles and drawings (a chart's radius of 62% is not a figure)
    const text = unescape(h.replace(/<style>[\s\S]*?<\/style>/g, '').replace(/<svg[\s\S]*?<\/svg>/g, ''));
    expect(text).not.toMatch(/(?<![\d.])62 ?%/); // only the source share 62.5 % remains
    expect(text).toContain('62.5%');
    const pub = section(h, 'published');
    const sources = [...pub.matchAll(/<li>([\s\S]*?)<\/li>/g)].map((m) => unescape(m[1]));
    expect(sources).toHaveLength(2);
    for (const src of sources) {
      expect(src).toMatch(/https?:\/\/\S+/);
      expect(src).toMatch(/2020-08-(21|18)/);
    }
    const ref = h.slice(h.indexOf('data-finding="reference"'));
    expect(unescape(ref.slice(0, ref.indexOf('</li>')))).toMatch(
      lang === 'zh' ? /1 个来源，见“与已发布报告对比”/ : /1 source, listed under "Compared with the published report"/,
    );
  });

  it("item 4: our tiers have neutral names; the published report's term appears only beside its own cities", () => {
    const tiers = ranking.map((r) => unescape(r[7]));
    expect(new Set(tiers)).toEqual(
      new Set(lang === 'zh' ? ['第一档', '第二档', '第三档', '第四档'] : ['Tier 1', 'Tier 2', 'Tier 3', 'Tier 4']),
    );
    expect(unescape(section(h, 'tiers'))).not.toContain('数字治理一线城市');
  });

  it('item 4: every city the published sources name is compared, with a reason for each large difference', () => {
    const rows = rowsOf(section(h, 'published'), '<table class="published">').map((r) => r.map(unescape));
    const names = rows.map((r) => r[0]);
    const named = ['330100', '440300', '110100', '310100', '420100', '440100', '410100', '320500', '441900', '610100'];
    expect(names).toEqual([...named, '620100'].map((u) => project.input.units.find((x) => x.code === u)!.name[lang]));
    const xian = rows[9]; // published 10th and first tier; ours 70th
    expect(xian[2]).toBe('70');
    expect(xian[4]).toContain(
      lang === 'zh' ? '“数字行政服务”排第 95 名' : '"Digital administrative services" ranks 95',
    );
    const hangzhou = rows[0];
    expect(hangzhou[4]).toBe(lang === 'zh' ? '相差不大' : 'no large difference');
    // on a phone each row becomes a card: every cell carries its column's heading
    const body = section(h, 'published');
    const cells = [...body.slice(body.indexOf('<tbody>')).matchAll(/<td[^>]*>/g)].map((m) => m[0]);
    expect(cells.length).toBe(rows.length * 5);
    for (const c of cells) expect(c).toMatch(/data-label="[^"]+"/);
    for (const r of rows.slice(4)) if (r[1].includes(lang === 'zh' ? '一线' : 'First-tier')) expect(r[4]).not.toBe('');
  });
});

describe('item 5: advice only on what a city controls (cdgi-2020 gaps: 武汉 郑州 西安)', () => {
  const uncontrollable = [
    'ADM_OSI_PROV',
    'INF_DF_COVERAGE',
    'PUB_DF_DIGITIZATION',
    'PUB_DF_INSURANCE',
    'LIF_DF_PAYMENT',
    'LIF_DF_CREDIT',
    'LIF_DF_INVESTMENT',
  ];
  it('the framework marks the provincial platform and the six PKU-DFIIC indicators controllable: false', () => {
    const off = project.input.framework.nodes.filter((n) => n.controllable === false).map((n) => n.code);
    expect(off.sort()).toEqual([...uncontrollable].sort());
  });
  it('what-if and budget advice never name them, and the report says which were left out', () => {
    for (const g of analyses.gaps!) {
      expect(g.improvements.uncontrollable.sort()).toEqual([...uncontrollable].sort());
      for (const x of g.improvements.indicators) expect(uncontrollable).not.toContain(x.code);
      for (const c of Object.keys(g.budget!.plan.allocation)) expect(uncontrollable).not.toContain(c);
    }
    for (const lang of ['zh', 'en'] as const) {
      const s = section(html[lang], 'gaps');
      expect(s.match(/data-controllable/g)).toHaveLength(3);
      const tables = [...s.matchAll(/<tbody>([\s\S]*?)<\/tbody>/g)].map((m) => m[1]).join('');
      // rows name indicators for readers (the code only in a title attribute, never as text)
      expect(tables).toContain('title="ADM_OSI_CITY"');
      for (const c of uncontrollable) expect(tables).not.toContain(`title="${c}"`);
      expect(tables).not.toMatch(/<code>/);
      expect(unescape(s)).toContain(
        lang === 'zh'
          ? '以下建议只涉及城市自身可以改变的指标'
          : 'The advice below uses only indicators a city can act on',
      );
    }
  });
});

describe('report.insufficientDataShare', () => {
  it('at 10 %, the 72 cities resting 12.5 % on imputed or borrowed values show 数据不足 instead of a rank', async () => {
    const p = { ...project, project: { ...project.project, report: { insufficientDataShare: 0.1 } } } as LoadedProject;
    const ctx = await prepareReportContext(p, b, { analyses });
    const zh = renderReportHtml({ ...ctx, lang: 'zh' });
    const rows = rowsOf(zh, 'id="ranking"');
    expect(rows.filter((r) => unescape(r[0]) === '数据不足')).toHaveLength(72);
    expect(unescape(rows[0][0])).toBe('1'); // 杭州: own observations
    expect(unescape(section(zh, 'quality'))).toContain('本期共 72 个城市属于这种情况');
    const en = renderReportHtml({ ...ctx, lang: 'en' });
    expect(rowsOf(en, 'id="ranking"').filter((r) => unescape(r[0]) === 'insufficient data')).toHaveLength(72);
  });

  it('without the setting, every city is ranked and the report says so', async () => {
    const p = { ...project, project: { ...project.project, report: {} } } as LoadedProject;
    const ctx = await prepareReportContext(p, b, { analyses });
    const en = renderReportHtml({ ...ctx, lang: 'en' });
    expect(unescape(section(en, 'quality'))).toContain('This project sets no "insufficient data" share');
    expect(rowsOf(en, 'id="ranking"').every((r) => /^\d+$/.test(unescape(r[0])))).toBe(true);
  });

  it('the project schema rejects a share outside 0–1', async () => {
    const { ProjectFileSchema } = await import('../../src/formats/project-schema.ts');
    const r = ProjectFileSchema.safeParse({ ...project.project, report: { insufficientDataShare: 1.5 } });
    expect(r.success).toBe(false);
  });
});
