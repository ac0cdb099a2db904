/**
 * The case library: case studies (Markdown with front matter) linked to cities and indicators, and a
 * pure, deterministic search over them in Chinese or English. Loading and validation live in
 * `src/formats/cases.ts`; this module only works on already-parsed cases.
 *
 * Search is a small field-weighted scorer (no index, no stemming library): a few hundred cases are
 * searched in well under a millisecond, and the ranking is explainable (`matches` says why).
 */
import type { Issue } from '../core/errors.ts';
import type { Framework, LocalText, Unit } from '../core/framework.ts';

/** A bibliographic source of a case (e.g. the report that presents it). */
export interface CaseSource {
  /** The citation as published (in its own language). */
  citation: string;
  /** An English rendering of a Chinese citation; the English report shows it with the original after it. */
  citationEn?: string;
  url?: string;
  note?: string;
}

/** One case study. */
/**
 * The citation of a case source for a reader: the English rendering first with the citation as published after
 * it when an English reader asks and one exists, else the citation as published.
 *
 * @example caseCitation({ citation: '《报告》', citationEn: 'Report' }, 'en') // => { main: 'Report', original: '《报告》' }
 */
export function caseCitation(s: CaseSource, lang: string): { main: string; original?: string } {
  return lang === 'en' && s.citationEn ? { main: s.citationEn, original: s.citation } : { main: s.citation };
}

export interface Case {
  /** Stable id: the file name without `.md` (e.g. `hangzhou-city-brain`). */
  id: string;
  /** Where it was loaded from (for messages). */
  file: string;
  title: LocalText;
  /** 6-digit adcode of the city. */
  city: string;
  cityName: LocalText;
  /** Year of the case (the report edition that presents it). */
  year: number;
  /** Policy domains, each with a Chinese and/or English word (交通 / traffic). */
  domains: LocalText[];
  /** Linked framework indicator codes. */
  indicators: string[];
  sources: CaseSource[];
  /** Markdown body without the front matter. */
  body: string;
}

/** The part of a case a search term was found in. */
export type CaseField = 'city' | 'indicator' | 'cityName' | 'title' | 'domain' | 'body' | 'source';

export interface CaseMatch {
  field: CaseField;
  /** The (normalised) query term that matched. */
  term: string;
  /** For `body`: the text around the first occurrence. */
  snippet?: string;
}

export interface CaseHit {
  case: Case;
  score: number;
  matches: CaseMatch[];
}

export interface SearchCasesOptions {
  /** Keep only cases of this city (6-digit adcode). */
  city?: string;
  /**
   * Keep only cases with this domain (Chinese or English word, case-insensitive; a part of a domain word also matches).
   */
  domain?: string;
  /** Keep only cases linked to this indicator code. */
  indicator?: string;
  /** At most this many hits (default: all). */
  limit?: number;
}

/**
 * Field weights of the scorer. A term scores in every field it matches; a case's score is the sum
 * over terms, plus `phrase` when a multi-word query occurs verbatim in the title or body.
 */
export const CASE_FIELD_WEIGHTS = {
  city: 10,
  indicator: 8,
  cityName: 6,
  title: 5,
  domainExact: 5,
  domainPartial: 3,
  /** Per occurrence in the body, at most `bodyCap` occurrences. */
  body: 1,
  bodyCap: 5,
  source: 0.5,
  phrase: 3,
  /**
   * Chinese terms of 3+ characters found only piecewise (> half their bigrams in title, body or domains): weight ×
   * share found.
   */
  bigram: 2,
} as const;

const STOPWORDS = new Set([
  'a',
  'an',
  'the',
  'of',
  'in',
  'on',
  'at',
  'and',
  'or',
  'to',
  'for',
  'with',
  'by',
  'is',
  'as',
]);
const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;

/** NFKC (full-width → half-width), lower case, collapsed spaces. */
function norm(s: string): string {
  return s.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** Split a query into terms on spaces and (Chinese or Latin) punctuation; drop English stopwords. */
function terms(query: string): string[] {
  const parts = norm(query)
    .split(/[\s,;:!?()[\]{}"'“”‘’、，。；：！？（）《》【】/|]+/u)
    .filter(Boolean);
  return [...new Set(parts.filter((t) => !STOPWORDS.has(t)))];
}

/** Occurrences of `term` in `text` (both normalised): substring for Chinese, word-prefix for Latin. */
function occurrences(text: string, term: string): number[] {
  const found: number[] = [];
  if (!term) return found;
  const latin = !CJK.test(term);
  let from = 0;
  while (true) {
    const k = text.indexOf(term, from);
    if (k < 0) break;
    // Latin terms match at the start of a word: "traffic" matches "traffic-signal", "art" does not match "start".
    if (!latin || k === 0 || !/[a-z0-9_]/.test(text[k - 1])) found.push(k);
    from = k + 1;
  }
  return found;
}

function snippetAt(text: string, k: number, len: number): string {
  const a = Math.max(0, k - 24);
  const b = Math.min(text.length, k + len + 24);
  return (a > 0 ? '…' : '') + text.slice(a, b).replace(/\s+/g, ' ') + (b < text.length ? '…' : '');
}

function texts(t: LocalText): string[] {
  return [t.zh, t.en].filter((x): x is string => !!x).map(norm);
}

/** A city name also matches without its suffix: 杭州 ⊂ 杭州市, and "杭州市" matches "杭州". */
function cityNameMatches(names: string[], term: string): boolean {
  if (!CJK.test(term) || term.length < 2) return names.includes(term);
  return names.some((n) => {
    const short = n.replace(/[市盟县区]$/u, '');
    return n === term || n.includes(term) || (short.length >= 2 && term.includes(short));
  });
}

function domainMatches(domains: LocalText[], wanted: string): 'exact' | 'partial' | null {
  let best: 'exact' | 'partial' | null = null;
  for (const d of domains) {
    for (const w of texts(d)) {
      if (w === wanted) return 'exact';
      if (occurrences(w, wanted).length || (wanted.length >= 2 && w.length >= 2 && wanted.includes(w)))
        best = 'partial';
    }
  }
  return best;
}

/**
 * Score one case against normalised query terms (the kernel of `searchCases`; weights in `CASE_FIELD_WEIGHTS`).
 * @example
 * const hangzhou = cases.find((c) => c.id === 'hangzhou-city-brain')!;
 * scoreCase(hangzhou, ['交通']).score // => 10 (domain 交通 exact: 5, five or more times in the body, capped: 5)
 */
export function scoreCase(
  c: Case,
  queryTerms: readonly string[],
  phrase?: string,
): { score: number; matches: CaseMatch[] } {
  const W = CASE_FIELD_WEIGHTS;
  const matches: CaseMatch[] = [];
  let score = 0;
  const title = texts(c.title).join(' \u0000 ');
  const body = norm(c.body);
  const sources = norm(c.sources.map((s) => `${s.citation} ${s.citationEn ?? ''} ${s.note ?? ''}`).join(' '));
  const names = texts(c.cityName);
  // Piecewise (bigram) fallback looks at the content only: city names would make 杭州市 match 郑州市 by 州市.
  const content = [title, body, ...c.domains.flatMap(texts)].join(' \u0000 ');
  for (const t of queryTerms) {
    let hit = false;
    if (t === c.city) {
      score += W.city;
      matches.push({ field: 'city', term: t });
      hit = true;
    }
    if (c.indicators.some((i) => i.toLowerCase() === t)) {
      score += W.indicator;
      matches.push({ field: 'indicator', term: t });
      hit = true;
    }
    if (cityNameMatches(names, t)) {
      score += W.cityName;
      matches.push({ field: 'cityName', term: t });
      hit = true;
    }
    if (occurrences(title, t).length) {
      score += W.title;
      matches.push({ field: 'title', term: t });
      hit = true;
    }
    const dm = domainMatches(c.domains, t);
    if (dm) {
      score += dm === 'exact' ? W.domainExact : W.domainPartial;
      matches.push({ field: 'domain', term: t });
      hit = true;
    }
    const inBody = occurrences(body, t);
    if (inBody.length) {
      score += W.body * Math.min(inBody.length, W.bodyCap);
      matches.push({ field: 'body', term: t, snippet: snippetAt(body, inBody[0], t.length) });
      hit = true;
    }
    if (occurrences(sources, t).length) {
      score += W.source;
      matches.push({ field: 'source', term: t });
      hit = true;
    }
    if (!hit && CJK.test(t) && t.length >= 3) {
      let found = 0;
      for (let k = 0; k + 2 <= t.length; k++) if (content.includes(t.slice(k, k + 2))) found++;
      const share = found / (t.length - 1);
      if (share > 0.5) {
        score += W.bigram * share;
        matches.push({ field: 'body', term: t });
      }
    }
  }
  if (phrase && (occurrences(title, phrase).length || occurrences(body, phrase).length)) {
    score += W.phrase;
    matches.push({ field: occurrences(title, phrase).length ? 'title' : 'body', term: phrase });
  }
  return { score, matches };
}

/**
 * Search the case library by free text in Chinese or English, a city adcode, a domain word or an
 * indicator code, optionally filtered; hits are ranked by score (then newer year, then id).
 * Terms are OR-ed; each scores by field (`CASE_FIELD_WEIGHTS`). An empty query returns every case
 * that passes the filters, with score 0; a query of only stopwords or punctuation returns none.
 * Reference: a field-weighted term-frequency scorer in the manner of Lucene's per-field boosts,
 * simplified (no idf: the library is small and curated).
 * @example searchCases(cases, '交通')[0].case.id   // => 'hangzhou-city-brain'
 * @example searchCases(cases, 'traffic')[0].case.id // => 'hangzhou-city-brain'
 * @example searchCases(cases, '', { city: '360100' }).map((h) => h.case.id) // => ['nanchang-ganfutong']
 */
export function searchCases(cases: readonly Case[], query: string, options: SearchCasesOptions = {}): CaseHit[] {
  const wantedDomain = options.domain !== undefined ? norm(options.domain) : undefined;
  const filtered = cases.filter(
    (c) =>
      (options.city === undefined || c.city === options.city.trim()) &&
      (wantedDomain === undefined || domainMatches(c.domains, wantedDomain) !== null) &&
      (options.indicator === undefined || c.indicators.includes(options.indicator.trim())),
  );
  const qTerms = terms(query);
  const nq = norm(query);
  const phrase = qTerms.length > 1 ? nq : undefined;
  const hits: CaseHit[] = [];
  for (const c of filtered) {
    if (nq === '') {
      hits.push({ case: c, score: 0, matches: [] });
      continue;
    }
    if (qTerms.length === 0) continue; // only stopwords or punctuation: nothing to look for
    const { score, matches } = scoreCase(c, qTerms, phrase);
    if (score > 0) hits.push({ case: c, score, matches });
  }
  hits.sort(
    (a, b) =>
      b.score - a.score || b.case.year - a.case.year || (a.case.id < b.case.id ? -1 : a.case.id > b.case.id ? 1 : 0),
  );
  return options.limit !== undefined ? hits.slice(0, Math.max(0, options.limit)) : hits;
}

/**
 * Check a case library against a project: every case's city is a unit and every linked indicator is
 * in the framework (collected or not). Returns issues (empty when all links resolve).
 * @example
 * const hangzhou = cases.find((c) => c.id === 'hangzhou-city-brain')!;
 * const node = (code: string) => ({ code, name: { en: code }, level: 1, parent: null, kind: 'indicator' as const,
 *   weight: 1, direction: 1 as const });
 * const framework = { nodes: [node('INF_DATA_HUB'), node('PUB_SMART_TRAFFIC')] };
 * checkCaseLinks([hangzhou], framework, [{ code: '330100', name: { zh: '杭州' }, groups: {}, attributes: {} }]) // => []
 * checkCaseLinks([hangzhou], framework, []).length // => 1 (city 330100 is not a unit)
 */
export function checkCaseLinks(cases: readonly Case[], framework: Framework, units: readonly Unit[]): Issue[] {
  const issues: Issue[] = [];
  const unitCodes = new Set(units.map((u) => u.code));
  const indicatorCodes = new Set(framework.nodes.filter((n) => n.kind === 'indicator').map((n) => n.code));
  const seen = new Map<string, string>();
  for (const c of cases) {
    const first = seen.get(c.id);
    if (first !== undefined)
      issues.push({
        code: 'E_DUPLICATE_CASE',
        message: `case id "${c.id}" is used twice (also ${first})`,
        file: c.file,
        field: 'id',
      });
    seen.set(c.id, c.file);
    if (!unitCodes.has(c.city))
      issues.push({
        code: 'E_UNKNOWN_UNIT',
        message: `case city "${c.city}" is not a unit of the project`,
        file: c.file,
        field: 'city',
        unit: c.city,
        expected: 'an adcode in units.csv',
      });
    c.indicators.forEach((code, k) => {
      if (!indicatorCodes.has(code))
        issues.push({
          code: 'E_UNKNOWN_CODE',
          message: `linked indicator "${code}" is not in the framework`,
          file: c.file,
          field: `indicators[${k}]`,
          indicator: code,
          expected: 'an indicator code of the framework',
        });
    });
  }
  return issues;
}
