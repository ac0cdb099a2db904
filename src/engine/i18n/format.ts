/**
 * Numbers, percentages, ranks and lists for readers. The two languages print numbers the same way
 * (decimal point, no grouping) and differ in list separators, which live here so report code never
 * branches on the language.
 */
import type { Bilingual, Lang } from './define.ts';

/**
 * A number with a fixed number of decimals; NaN, ±∞, null and undefined become an em dash and a value
 * that rounds to zero prints without a minus sign.
 * @example formatNumber(61.23456, 1) // => '61.2'
 */
export function formatNumber(x: number | null | undefined, decimals = 1): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  const s = x.toFixed(decimals);
  return /^-0(\.0*)?$/.test(s) ? s.slice(1) : s; // no "-0.0" for a tiny negative
}

/**
 * A share as a percentage (an em dash when not finite).
 * @example formatPercent(0.6234) // => '62%'
 */
export function formatPercent(x: number, decimals = 0): string {
  return Number.isFinite(x) ? `${(x * 100).toFixed(decimals)}%` : '—';
}

/**
 * A rank or rank quantile: whole numbers as they are, others to one decimal (values within 0.05 of a
 * whole number, e.g. 40.99999 from interpolation, print as the whole number).
 * @example formatRank(41.00000001) // => '41'
 */
export function formatRank(x: number): string {
  if (!Number.isFinite(x)) return '—';
  const r = Math.round(x * 10) / 10;
  return Number.isInteger(r) ? String(r) : r.toFixed(1);
}

/** Separators of enumerations: Chinese uses the enumeration comma 、 and full-width punctuation. */
const SEPARATORS: Readonly<Record<Lang, { list: string; clause: string; and: string }>> = {
  zh: { list: '、', clause: '；', and: '与' },
  en: { list: ', ', clause: '; ', and: ' and ' },
};

/**
 * Items joined with the language's list separator.
 * @example formatList('zh', ['杭州', '深圳']) // => '杭州、深圳'
 */
export function formatList(lang: Lang, items: readonly string[]): string {
  return items.join(SEPARATORS[lang].list);
}

/**
 * Clauses joined with the language's semicolon.
 * @example joinClauses('en', ['a', 'b']) // => 'a; b'
 */
export function joinClauses(lang: Lang, items: readonly string[]): string {
  return items.join(SEPARATORS[lang].clause);
}

/**
 * The text of a bilingual label in `lang`, falling back to the other language, then to `fallback`
 * (labels from user data may have one language only).
 * @example pickText({ zh: '杭州', en: 'Hangzhou' }, 'en') // => 'Hangzhou'
 */
export function pickText(t: Partial<Bilingual> | string | undefined, lang: Lang, fallback = ''): string {
  if (t === undefined) return fallback;
  if (typeof t === 'string') return t;
  return t[lang] ?? t[otherLang(lang)] ?? fallback;
}

/**
 * The other language of the pair.
 * @example otherLang('zh') // => 'en'
 */
export function otherLang(lang: Lang): Lang {
  return OTHER[lang];
}
const OTHER: Readonly<Record<Lang, Lang>> = { zh: 'en', en: 'zh' };

/**
 * Chinese typesetting: a space between Latin letters and CJK characters where names of either script
 * meet in a sentence (e.g. `Switzerland得分` → `Switzerland 得分`).
 * @example spaceMixed('Switzerland得分最高') // => 'Switzerland 得分最高'
 */
export function spaceMixed(text: string): string {
  return text.replace(/([A-Za-z])([\u3400-\u9fff])/g, '$1 $2').replace(/([\u3400-\u9fff])([A-Za-z])/g, '$1 $2');
}

/** How each language finishes a sentence of mixed scripts: Chinese spaces Latin names from CJK text. */
export const TYPESET: Readonly<Record<Lang, (s: string) => string>> = { zh: spaceMixed, en: (s) => s };

/**
 * Items joined as "a, b and c" (Chinese: 甲与乙与丙).
 * @example formatAnd('en', ['the Gini', 'the CV', 'the Theil T']) // => 'the Gini, the CV and the Theil T'
 */
export function formatAnd(lang: Lang, items: readonly string[]): string {
  if (items.length <= 1 || lang === 'zh') return items.join(SEPARATORS[lang].and);
  return `${items.slice(0, -1).join(', ')}${SEPARATORS[lang].and}${items[items.length - 1]}`;
}

/**
 * Sentences joined into a paragraph (Chinese full stops need no space after them).
 * @example joinSentences('en', ['One.', 'Two.']) // => 'One. Two.'
 */
export function joinSentences(lang: Lang, items: readonly string[]): string {
  return items.join(SENTENCE_GAP[lang]);
}
const SENTENCE_GAP: Readonly<Record<Lang, string>> = { zh: '', en: ' ' };

/**
 * A source's name for a reader of `lang`: in English, a Chinese name's Latin short form in brackets when it
 * has one (e.g. PKU-DFIIC), else the name as written.
 * @example sourceLabel('北京大学数字普惠金融指数（PKU-DFIIC）2011–2023', 'en') // => 'PKU-DFIIC'
 * @example sourceLabel('北京大学数字普惠金融指数（PKU-DFIIC）2011–2023', 'zh') // => '北京大学数字普惠金融指数（PKU-DFIIC）2011–2023'
 */
export function sourceLabel(name: string, lang: Lang): string {
  if (lang === 'zh' || !/[\u3400-\u9fff]/.test(name)) return name;
  const m = /[（(]([A-Za-z][A-Za-z0-9 .&-]*)[）)]/.exec(name);
  return m ? m[1] : name;
}
