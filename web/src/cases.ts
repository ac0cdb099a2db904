/** Search of the case library in the page. */
import type { SiteData } from './site.ts';

/**
 * Whether a case matches every word of a query (title, city, domains, indicators, summary).
 * @example
 * const c = { title: { zh: '城市大脑' }, cityName: { zh: '杭州' }, city: '330100', year: 2020 };
 * caseMatches({ ...c, domains: [], indicators: [], summary: {}, sources: [], id: 'x' }, '杭州 大脑') // => true
 * caseMatches({ ...c, domains: [], indicators: [], summary: {}, sources: [], id: 'x' }, '杭州 交通') // => false
 */
export function caseMatches(c: SiteData['cases'][number], query: string): boolean {
  const hay = [
    c.title.zh,
    c.title.en,
    c.cityName.zh,
    c.cityName.en,
    c.city,
    c.summary.zh ?? '',
    c.summary.en ?? '',
    String(c.year),
    ...c.domains.flatMap((d) => [d.zh, d.en]),
    ...c.indicators,
  ]
    .filter(Boolean)
    .join(' ')
    .toLowerCase();
  return query
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((w) => hay.includes(w));
}
