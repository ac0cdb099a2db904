/**
 * The site's data in the page: the object `data/site-data.js` assigns (`globalThis.__CITYINDEX_SITE__`,
 * made by `siteData` in src/app/site.ts), checked for its format, with Map lookups (no prototype keys)
 * and the live engine's input rebuilt from its JSON form.
 */
import type { SerialDataset, SiteData, SiteUnit } from '../../src/app/site.ts';
import type { BuildInput, Dataset } from '../../src/engine/browser.ts';

export type { SiteData, SiteUnit, SerialDataset };

/** UI language. */
export type Lang = 'zh' | 'en';

/** The site data with lookups. */
export interface Site {
  data: SiteData;
  unitByCode: Map<string, SiteUnit>;
  /** Row of a unit in `data.results` (rank order). */
  rowOf: Map<string, number>;
  nodeByCode: Map<string, SiteData['framework']['nodes'][number]>;
  /** Aggregate codes, top level first. */
  aggregateCodes: string[];
  /** Codes whose weights the sliders set (the level below the index), and that level. */
  weightLevel: number | null;
  weightCodes: string[];
  flagOf: Map<string, string>;
}

/**
 * Wrap and index site data; refuses another format.
 * @example // no-run: needs the site data (see web/src/site.test.ts)
 * indexSite(globalThis.__CITYINDEX_SITE__).aggregateCodes[0] // => 'CDGI'
 */
export function indexSite(data: SiteData | undefined): Site {
  if (!data || data.format !== 'cityindex-site/1') throw new Error('site data missing or of another version');
  const unitByCode = new Map(data.units.map((u) => [u.code, u] as const));
  const rowOf = new Map(data.results.units.map((c, i) => [c, i] as const));
  const nodeByCode = new Map(data.framework.nodes.map((n) => [n.code, n] as const));
  const aggregateCodes = data.levels.flatMap((l) => l.codes);
  const second = data.levels[1];
  const flagOf = new Map(data.flagged.map((f) => [`${f.unit}\u0000${f.indicator}`, f.flag] as const));
  return {
    data,
    unitByCode,
    rowOf,
    nodeByCode,
    aggregateCodes,
    weightLevel: second ? second.level : null,
    weightCodes: second ? second.codes : [],
    flagOf,
  };
}

/**
 * A unit's name in a language (falls back to the other language, then the code).
 * @example unitName({ code: '330100', name: { zh: '杭州市', en: 'Hangzhou' } }, 'en') // => 'Hangzhou'
 */
export function unitName(u: { code: string; name: { zh?: string; en?: string } } | undefined, lang: Lang): string {
  if (!u) return '';
  return (lang === 'zh' ? (u.name.zh ?? u.name.en) : (u.name.en ?? u.name.zh)) ?? u.code;
}

/**
 * Local text in a language with fallback.
 * @example localText({ zh: '指数' }, 'en') // => '指数'
 */
export function localText(t: { zh?: string; en?: string } | null | undefined, lang: Lang): string {
  if (!t) return '';
  return (lang === 'zh' ? (t.zh ?? t.en) : (t.en ?? t.zh)) ?? '';
}

/**
 * A dataset from its JSON form (null → NaN).
 * @example toDataset({ unitCodes: ['a'], codes: ['x'], values: [null] }).values[0] // => NaN
 */
export function toDataset(s: SerialDataset): Dataset {
  return { unitCodes: s.unitCodes, codes: s.codes, values: Float64Array.from(s.values, (v) => (v === null ? NaN : v)) };
}

/**
 * The live engine's build input from the site data.
 * @example // no-run: needs the site data (see web/src/live.test.ts)
 * buildInputOf(site.data.live).raw.codes.length // => 10
 */
export function buildInputOf(live: SiteData['live']): BuildInput {
  return {
    framework: live.input.framework,
    units: live.input.units,
    raw: toDataset(live.input.raw),
    ...(live.input.denominators ? { denominators: toDataset(live.input.denominators) } : {}),
    ...(live.input.history
      ? { history: live.input.history.map((h) => ({ period: h.period, dataset: toDataset(h.dataset) })) }
      : {}),
  };
}

/**
 * A tier's name in the page's language, from the site's tier names (第一档 … in zh, Tier 1 … in en);
 * the label itself when the site names no tiers.
 * @example
 * const data = { tierNames: [{ label: 'Tier 1', name: { zh: '第一档', en: 'Tier 1' } }] };
 * [tierName(data, 'Tier 1', 'zh'), tierName(data, 'Tier 1', 'en')] // => ['第一档', 'Tier 1']
 */
export function tierName(data: Pick<SiteData, 'tierNames'>, label: string | null, lang: Lang): string {
  if (label === null) return '';
  const hit = data.tierNames?.find((x) => x.label === label);
  return hit ? localText(hit.name, lang) || label : label;
}

/**
 * Tier labels best first (the site's order when it names its tiers, else sorted).
 * @example
 * tierOrder({ tierNames: [{ label: 'B', name: {} }, { label: 'A', name: {} }], units: [] }) // => ['B', 'A']
 */
export function tierOrder(data: Pick<SiteData, 'tierNames' | 'units'>): string[] {
  if (data.tierNames?.length) return data.tierNames.map((x) => x.label);
  return [...new Set(data.units.map((u) => u.tier).filter((x): x is string => x !== null))].sort();
}
