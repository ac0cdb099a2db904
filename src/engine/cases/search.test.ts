import { describe, expect, it } from 'vitest';
import { searchCases, scoreCase, checkCaseLinks, CASE_FIELD_WEIGHTS as W, type Case } from './search.ts';
import type { Framework, Unit } from '../core/framework.ts';

const report = { citation: '《中国城市数字治理报告（2020）》' };
function mk(p: Partial<Case> & Pick<Case, 'id' | 'city'>): Case {
  return {
    file: `cases/${p.id}.md`,
    title: { zh: p.id },
    cityName: { zh: '某市', en: 'Somecity' },
    year: 2020,
    domains: [],
    indicators: [],
    sources: [report],
    body: '',
    ...p,
  };
}

const hz = mk({
  id: 'hangzhou-city-brain',
  city: '330100',
  title: { zh: '杭州城市大脑', en: 'Hangzhou City Brain' },
  cityName: { zh: '杭州市', en: 'Hangzhou' },
  domains: [
    { zh: '交通', en: 'traffic' },
    { zh: '城市治理', en: 'city governance' },
  ],
  indicators: ['INF_DATA_HUB', 'PUB_SMART_TRAFFIC'],
  body: '城市大脑包含 11 个系统、48 个应用场景，从交通起步。\n\nThe City Brain started with traffic.',
});
const zz = mk({
  id: 'zhengzhou-epidemic-systems',
  city: '410100',
  title: { zh: '郑州数字化疫情防控系统', en: "Zhengzhou's digital epidemic-control systems" },
  cityName: { zh: '郑州市', en: 'Zhengzhou' },
  domains: [
    { zh: '疫情防控', en: 'epidemic control' },
    { zh: '公共卫生', en: 'public health' },
  ],
  indicators: ['PUB_HEALTH_CODE'],
  body: '郑州建设了 10 个数字化疫情防控系统。Zhengzhou built 10 digital epidemic-control systems.',
});
const nc = mk({
  id: 'nanchang-ganfutong',
  city: '360100',
  title: { zh: '南昌“赣服通”与“最多跑一次”', en: 'Nanchang\'s Ganfutong and "run at most once"' },
  cityName: { zh: '南昌市', en: 'Nanchang' },
  year: 2020,
  domains: [
    { zh: '政务服务', en: 'government services' },
    { zh: '最多跑一次', en: 'run at most once' },
  ],
  indicators: ['ADM_RUN_ONCE', 'ADM_OSI_CITY'],
  body: '“赣服通”与“最多跑一次”改革。The "run at most once" reform: at most one visit. A start for smart services.',
});
const all = [hz, zz, nc];
const ids = (hits: ReturnType<typeof searchCases>) => hits.map((h) => h.case.id);

describe('searchCases', () => {
  it('finds 杭州城市大脑 by 交通 and by traffic (Chinese and English)', () => {
    expect(ids(searchCases(all, '交通'))).toEqual(['hangzhou-city-brain']);
    expect(ids(searchCases(all, 'traffic'))).toEqual(['hangzhou-city-brain']);
    expect(ids(searchCases(all, 'TRAFFIC'))).toEqual(['hangzhou-city-brain']);
  });

  it('scores by field, worked by hand', () => {
    // 交通 in hz: domain exact (5) + body: "从交通起步" once (1) = 6; not in title, city name, sources.
    expect(searchCases(all, '交通')[0].score).toBe(W.domainExact + W.body);
    // traffic in hz: domain exact (5) + body "started with traffic" (1) = 6.
    expect(searchCases(all, 'traffic')[0].score).toBe(W.domainExact + W.body);
  });

  it('finds by city adcode, city name with or without 市, and indicator code', () => {
    expect(ids(searchCases(all, '410100'))).toEqual(['zhengzhou-epidemic-systems']);
    expect(searchCases(all, '410100')[0].matches[0]).toEqual({ field: 'city', term: '410100' });
    expect(ids(searchCases(all, '郑州'))).toEqual(['zhengzhou-epidemic-systems']);
    expect(ids(searchCases(all, '郑州市'))).toEqual(['zhengzhou-epidemic-systems']);
    expect(ids(searchCases(all, 'nanchang'))).toEqual(['nanchang-ganfutong']);
    expect(ids(searchCases(all, 'adm_run_once'))).toEqual(['nanchang-ganfutong']);
  });

  it('matches Latin terms at word starts only ("art" is not in "start"), ignores stopwords, rewards the phrase', () => {
    expect(ids(searchCases(all, 'art'))).toEqual([]);
    expect(ids(searchCases(all, 'the'))).toEqual([]);
    const hits = searchCases(all, 'run at most once');
    expect(ids(hits)).toEqual(['nanchang-ganfutong']);
    expect(hits[0].matches.some((m) => m.term === 'run at most once')).toBe(true);
    expect(ids(searchCases(all, '最多跑一次'))).toEqual(['nanchang-ganfutong']);
  });

  it('OR-s terms and ranks the case matching more of them first', () => {
    const hits = searchCases(all, '疫情 交通 系统');
    // hz: 交通 (6) + 系统 in body (1); zz: 疫情 in title (5) + domain partial (3) + body (1), 系统 title (5) + body (1).
    expect(ids(hits)).toEqual(['zhengzhou-epidemic-systems', 'hangzhou-city-brain']);
    expect(hits[0].score).toBeGreaterThan(hits[1].score);
  });

  it('falls back to character bigrams for longer Chinese terms found only piecewise', () => {
    // "城市大脑平台": bigrams 城市 市大 大脑 脑平 平台 → 3 of 5 found in hz → 2 × 0.6.
    const hits = searchCases(all, '城市大脑平台');
    expect(ids(hits)).toEqual(['hangzhou-city-brain']);
    expect(hits[0].score).toBeCloseTo(W.bigram * 0.6, 12);
  });

  it('filters by city, domain (zh or en, partial) and indicator; an empty query lists the filtered cases', () => {
    expect(ids(searchCases(all, '', { city: '360100' }))).toEqual(['nanchang-ganfutong']);
    expect(ids(searchCases(all, '', { domain: 'Public Health' }))).toEqual(['zhengzhou-epidemic-systems']);
    expect(ids(searchCases(all, '', { domain: '疫情' }))).toEqual(['zhengzhou-epidemic-systems']);
    expect(ids(searchCases(all, '', { indicator: 'PUB_SMART_TRAFFIC' }))).toEqual(['hangzhou-city-brain']);
    expect(ids(searchCases(all, '交通', { city: '410100' }))).toEqual([]);
    expect(searchCases(all, '').length).toBe(3);
    expect(searchCases(all, '', { limit: 1 }).length).toBe(1);
  });

  it('orders ties by newer year, then id, and does not mutate its input', () => {
    const a = mk({ id: 'b-case', city: '110100', year: 2019, body: 'open data' });
    const b = mk({ id: 'a-case', city: '110100', year: 2019, body: 'open data' });
    const c = mk({ id: 'c-case', city: '110100', year: 2021, body: 'open data' });
    const input = [a, b, c];
    const frozen = JSON.stringify(input);
    expect(ids(searchCases(input, 'open'))).toEqual(['c-case', 'a-case', 'b-case']);
    expect(JSON.stringify(input)).toBe(frozen);
  });

  it('normalises full-width characters (NFKC)', () => {
    expect(ids(searchCases(all, 'ＴＲＡＦＦＩＣ'))).toEqual(['hangzhou-city-brain']);
  });

  it('scoreCase gives 0 and no matches for an unrelated term', () => {
    expect(scoreCase(hz, ['housing'])).toEqual({ score: 0, matches: [] });
  });
});

describe('checkCaseLinks', () => {
  const fw: Framework = {
    nodes: [
      { code: 'CDGI', name: {}, level: 2, parent: null, kind: 'aggregate', weight: 1, direction: 1 },
      {
        code: 'INF_DATA_HUB',
        name: {},
        level: 1,
        parent: 'CDGI',
        kind: 'indicator',
        weight: 1,
        direction: 1,
        status: 'not_collected',
      },
      { code: 'PUB_SMART_TRAFFIC', name: {}, level: 1, parent: 'CDGI', kind: 'indicator', weight: 1, direction: 1 },
    ],
  };
  const units: Unit[] = [{ code: '330100', name: { zh: '杭州市' }, groups: {}, attributes: {} }];

  it('accepts resolvable links (not_collected indicators count)', () => {
    expect(checkCaseLinks([hz], fw, units)).toEqual([]);
  });

  it('names the file and field of every broken link', () => {
    const issues = checkCaseLinks([zz, hz, hz], fw, units);
    expect(issues.map((i) => [i.code, i.file, i.field])).toEqual([
      ['E_UNKNOWN_UNIT', 'cases/zhengzhou-epidemic-systems.md', 'city'],
      ['E_UNKNOWN_CODE', 'cases/zhengzhou-epidemic-systems.md', 'indicators[0]'],
      ['E_DUPLICATE_CASE', 'cases/hangzhou-city-brain.md', 'id'],
    ]);
  });
});
