/**
 * The ranking table's rows: filter by group values and a search text (name in either language,
 * pinyin, initials or adcode), then sort by a column. Pure functions, tested in Node.
 */
import type { SiteUnit } from './site.ts';

/** One row of the table. */
export interface Row {
  unit: SiteUnit;
  score: number | null;
  rank: number | null;
  /** Published rank (for the change column). */
  published: number | null;
  interval: { q5: number; q95: number } | null;
}

export type SortKey = 'rank' | 'name' | 'score' | 'change';

/**
 * Whether a unit matches a search text: Chinese or English name, pinyin (with or without spaces),
 * initials, or adcode prefix; case-insensitive.
 * @example
 * const name = { zh: '杭州市', en: 'Hangzhou' };
 * const u = { code: '330100', name, pinyin: 'hangzhoushi', initials: 'hzs', groups: {}, tier: null };
 * ['杭州', 'hang zhou', 'HZ', '3301', 'xian'].map((q) => matches(u, q)) // => [true, true, true, true, false]
 */
export function matches(u: SiteUnit, query: string): boolean {
  const q = query.trim().toLowerCase();
  if (!q) return true;
  const compact = q.replace(/[\s'’-]/g, '');
  if (/^[0-9]+$/.test(compact)) return u.code.startsWith(compact);
  return (
    (u.name.zh ?? '').includes(q) ||
    (u.name.en ?? '')
      .toLowerCase()
      .replace(/[\s'’-]/g, '')
      .startsWith(compact) ||
    (u.name.en ?? '')
      .toLowerCase()
      .split(/[\s-]+/)
      .some((w) => w.startsWith(q)) ||
    u.pinyin.startsWith(compact) ||
    u.initials.startsWith(compact)
  );
}

/**
 * Whether a unit is in every selected group value (a `|`-separated group holds several values).
 * @example
 * const u = { code: 'a', name: {}, pinyin: '', initials: '', groups: { region: '东部', clusters: 'x|y' }, tier: null };
 * const pick = (k: string, v: string) => inGroups(u, new Map([[k, v]]));
 * [pick('region', '东部'), pick('clusters', 'y'), pick('region', '西部')] // => [true, true, false]
 */
export function inGroups(u: SiteUnit, selected: ReadonlyMap<string, string>): boolean {
  for (const [key, value] of selected) {
    if (!value) continue;
    if (key === 'tier') {
      if (u.tier !== value) return false;
      continue;
    }
    const v = Object.hasOwn(u.groups, key) ? u.groups[key] : null;
    if (v === null || !v.split('|').includes(value)) return false;
  }
  return true;
}

/**
 * Distinct values of a group (split on `|`), sorted by their pinyin-free text.
 * @example
 * const mk = (r: string) => ({ code: r, name: {}, pinyin: '', initials: '', groups: { region: r }, tier: null });
 * groupValues([mk('b'), mk('a'), mk('b')], 'region') // => ['a', 'b']
 */
export function groupValues(units: readonly SiteUnit[], key: string): string[] {
  const set = new Set<string>();
  for (const u of units) {
    const v = key === 'tier' ? u.tier : Object.hasOwn(u.groups, key) ? u.groups[key] : null;
    if (v) for (const p of v.split('|')) if (p) set.add(p);
  }
  return [...set].sort();
}

/**
 * Rank change against the published rank: positive = moved up.
 * @example rankChange({ rank: 3, published: 5 } as never) // => 2
 */
export function rankChange(r: Row): number | null {
  return r.rank === null || r.published === null ? null : r.published - r.rank;
}

/**
 * Sort rows (missing values last, ties by adcode).
 * @example
 * const r = (code: string, rank: number) =>
 *   ({ unit: { code, name: {} }, rank, score: 10 - rank, published: rank, interval: null }) as never;
 * sortRows([r('b', 2), r('a', 1)], 'rank', 'asc').map((x) => x.unit.code) // => ['a', 'b']
 */
export function sortRows(rows: readonly Row[], key: SortKey, dir: 'asc' | 'desc', lang: 'zh' | 'en' = 'zh'): Row[] {
  const val = (r: Row): number | string | null =>
    key === 'rank'
      ? r.rank
      : key === 'score'
        ? r.score
        : key === 'change'
          ? rankChange(r)
          : lang === 'zh'
            ? r.unit.pinyin || (r.unit.name.en ?? r.unit.code).toLowerCase()
            : (r.unit.name.en ?? r.unit.pinyin ?? r.unit.code).toLowerCase();
  const sign = dir === 'asc' ? 1 : -1;
  return rows.slice().sort((a, b) => {
    const x = val(a),
      y = val(b);
    if (x === null && y === null) return a.unit.code < b.unit.code ? -1 : 1;
    if (x === null) return 1;
    if (y === null) return -1;
    const c = x < y ? -1 : x > y ? 1 : 0;
    return c * sign || (a.unit.code < b.unit.code ? -1 : 1);
  });
}
