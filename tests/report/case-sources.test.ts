/**
 * The case library's facts and their sources (issue 11, item 13). Each fact a case states from a dated
 * source is stated in both languages and the case lists that source with its date and address; figures
 * that only the report's summary gives (no readable source) are said to be unchecked, never presented
 * as sourced; case text carries no file name and no settings key.
 *
 * The facts below were read on the pages named (title, publisher, date, URL); see the cases themselves.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { loadCases } from '../../src/formats/cases.ts';
import { bodyForLanguage } from '../../src/report/markdown.ts';
import type { Case } from '../../src/engine/cases/search.ts';
import { renderReportHtml } from '../../src/report/html.ts';
import { escapeHtml } from '../../src/report/markdown.ts';
import { sixCities } from './fixture.ts';

/** The cases section of the zh and en reports of the six-city fixture with case `c` attached. */
function renderCaseSources(c: Case): { zh: string; en: string } {
  const { build, project } = sixCities();
  const cut = (h: string) => h.slice(h.indexOf('id="cases"'), h.indexOf('</section>', h.indexOf('id="cases"')));
  return {
    zh: cut(renderReportHtml({ project, build, cases: [c], lang: 'zh' })),
    en: cut(renderReportHtml({ project, build, cases: [c], lang: 'en' })),
  };
}

interface Fact {
  case: string;
  /** What the zh text states, and what the en summary states. */
  zh: string[];
  en: string[];
  /** The source that states it: an address and the date written in its citation. */
  url: string;
  date: string;
}

const FACTS: Fact[] = [
  {
    case: 'hangzhou-city-brain',
    zh: ['2016年4月', '全国首个探索城市大脑的城市', '五大系统', '欢快旅游、畅快出行、舒心就医、便捷泊车、智慧警务'],
    en: ['April 2016', 'five systems', 'tourism, travel, medical visits, parking and policing'],
    url: 'https://www.hangzhou.gov.cn/art/2019/7/2/art_1229505914_2356834.html',
    date: '2019-07-02',
  },
  {
    case: 'zhengzhou-epidemic-systems',
    zh: ['六大统一基础平台', '10 个领域的应用'],
    en: ['six shared base platforms with applications in 10 domains'],
    url: 'http://public.zhengzhou.gov.cn/D1102X/4411963.jhtml',
    date: '2020-08-20',
  },
  {
    case: 'zhengzhou-epidemic-systems',
    zh: ['阿里巴巴', '二期项目', '2020年6月16日'],
    en: ['Alibaba', 'phase two of the City Brain', '16 June 2020'],
    url: 'https://zhengzhou.baogaosu.com/xinwen/',
    date: '2020-06-17',
  },
];

/** Figures the report's summary gives with no source that could be read: each must be said to be unchecked. */
const UNCHECKED: Array<{ case: string; zh: string; en: string }> = [
  { case: 'hangzhou-city-brain', zh: '“11 个系统、48 个应用场景”', en: '"11 systems, 48 scenarios"' },
  { case: 'zhengzhou-epidemic-systems', zh: '“10 个数字化疫情防控系统”', en: '10 epidemic-control systems' },
  { case: 'zhengzhou-epidemic-systems', zh: '阿里巴巴技术团队', en: "Alibaba's technical team" },
];

const NOT_SOURCED = { zh: /没有找到可以查阅的出处/, en: /no source that could be read/ };

describe('case library: facts with their sources', () => {
  let cases: Map<string, Case>;
  beforeAll(async () => {
    cases = new Map((await loadCases('cases')).map((c) => [c.id, c]));
  });

  it.each(FACTS.map((f) => [f.case, f.url, f] as const))('%s states what %s says', (_, __, f) => {
    const c = cases.get(f.case)!;
    expect(c).toBeDefined();
    const zh = bodyForLanguage(c.body, 'zh');
    const en = bodyForLanguage(c.body, 'en');
    for (const s of f.zh) expect(zh, s).toContain(s);
    for (const s of f.en) expect(en, s).toContain(s);
    const src = c.sources.find((s) => s.url?.startsWith(f.url));
    expect(src, f.url).toBeDefined();
    expect(src!.citation).toContain(f.date);
  });

  it.each(UNCHECKED.map((u) => [u.case, u.zh, u] as const))('%s: %s is said to be unchecked', (_, __, u) => {
    const c = cases.get(u.case)!;
    for (const lang of ['zh', 'en'] as const) {
      const text = bodyForLanguage(c.body, lang);
      // the paragraph (zh) or sentence run (en) that names the figure also says it has no readable source
      const para = text.split(/\n\s*\n/).find((p) => p.includes(u[lang]) && NOT_SOURCED[lang].test(p));
      expect(para, `${lang}: ${u[lang]}`).toBeDefined();
    }
  });

  it('every source with an address gives a date; every case names a source', () => {
    for (const c of cases.values()) {
      expect(c.sources.length, c.id).toBeGreaterThan(0);
      for (const s of c.sources) {
        if (s.url) {
          expect(s.url, c.id).toMatch(/^https?:\/\//);
          expect(s.citation, `${c.id}: ${s.url}`).toMatch(/\b(19|20)\d\d-\d\d-\d\d\b/);
        }
      }
    }
  });

  it('every Chinese citation has an English rendering that keeps its date; the English report shows both', () => {
    const CJK = /[\u4e00-\u9fff]/;
    for (const c of cases.values()) {
      const shown = renderCaseSources(c);
      for (const s of c.sources) {
        if (!CJK.test(s.citation)) continue;
        expect(s.citationEn, `${c.id}: ${s.citation}`).toBeDefined();
        expect(s.citationEn!, c.id).not.toMatch(CJK);
        for (const d of s.citation.match(/\b(19|20)\d\d(-\d\d-\d\d)?\b/g) ?? []) expect(s.citationEn!).toContain(d);
        // English report: the rendering first, then the citation as published
        expect(shown.en, c.id).toContain(
          `${escapeHtml(s.citationEn!)} <span class="orig" lang="zh">[${escapeHtml(s.citation)}]`,
        );
        expect(shown.zh, c.id).not.toContain(escapeHtml(s.citationEn!));
      }
    }
  });

  it('no file name, settings key or design-note reference in case text', () => {
    for (const c of cases.values()) {
      const text = [c.body, ...c.sources.flatMap((s) => [s.citation, s.note ?? ''])].join('\n');
      expect(text, c.id).not.toMatch(/\b[\w./-]+\.(csv|ya?ml|json|md|ts|xlsx)\b/);
      expect(text, c.id).not.toMatch(/PRODUCT|METHODS|STYLE|shared\/|analyses\.|project\.yaml/);
      expect(text, c.id).not.toMatch(/\b[a-z]+[A-Z][A-Za-z]*\b/); // camelCase settings keys
    }
  });
});
