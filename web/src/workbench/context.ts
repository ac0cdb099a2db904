/**
 * What every workbench view receives: language and text, the signed-in user, the project (framework and
 * units), the workbench's URL parameters and a way to change them (state lives in the URL hash:
 * `#/workbench?page=review&round=1&unit=330100`).
 */
import type { WbLang } from './text.ts';

/** The signed-in user, as /api/me answers. */
export interface Me {
  user: { username: string; role: string };
  csrf?: string;
  cities: string[];
}

/** A framework node as /api/project answers. */
export interface ProjectNode {
  code: string;
  parent: string | null;
  level: number;
  kind: string;
  name: { zh?: string; en?: string };
  weight: number;
}

/** The project as /api/project answers. */
export interface ProjectInfo {
  project: { slug: string; name: string };
  framework: ProjectNode[];
  units: Array<{ code: string; name: { zh?: string; en?: string } }>;
}

/** Props of every workbench view. */
export interface WbProps {
  lang: WbLang;
  t(key: string, params?: Record<string, string | number>): string;
  me: Me;
  project: ProjectInfo;
  params: ReadonlyMap<string, string>;
  /** Change workbench parameters (null removes one); a new history entry. */
  go(changes: Record<string, string | null>): void;
}

/**
 * A name in a language, falling back to the other language, then to the code.
 * @example localName({ zh: '杭州市', en: 'Hangzhou' }, 'en', '330100') // => 'Hangzhou'
 * @example localName({ zh: '杭州市' }, 'en', '330100') // => '杭州市'
 * @example localName(undefined, 'zh', '330100') // => '330100'
 */
export function localName(name: { zh?: string; en?: string } | undefined, lang: WbLang, code: string): string {
  return (lang === 'zh' ? (name?.zh ?? name?.en) : (name?.en ?? name?.zh)) ?? code;
}

/**
 * A number for reading: up to 4 decimals, no trailing zeros; '—' for none.
 * @example fmtNum(12.345678) // => '12.3457'
 * @example fmtNum(1200) // => '1200'
 * @example fmtNum(null) // => '—'
 */
export function fmtNum(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  return String(Number(v.toFixed(4)));
}

/**
 * A rank or rank quantile to one decimal (type-7 quantiles of ranks can fall between two ranks).
 * @example fmtRank(9.950000000000003) // => '10'
 * @example fmtRank(12.5) // => '12.5'
 */
export function fmtRank(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  return String(Number(v.toFixed(1)));
}

/**
 * A relative change as a signed percentage.
 * @example fmtPct(0.1234) // => '+12.3%'
 * @example fmtPct(-2) // => '-200.0%'
 */
export function fmtPct(v: number): string {
  return `${v > 0 ? '+' : ''}${(v * 100).toFixed(1)}%`;
}
