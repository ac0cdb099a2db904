/**
 * The message catalogue and reader-facing formatting, pure and browser-safe (no Node API).
 *
 * - `t(lang, code, params)` prints one message; its parameters are type-checked per code
 *   (`t('en', 'finding.coverage', { collected: 5, notCollected: 1 })`).
 * - `labels(lang)` gives all short labels (headings, table heads) of a language as one object.
 * - `localise(issue, lang)` prints a located `Issue` in the reader's language.
 * - `formatNumber`, `formatPercent`, `formatRank`, `formatList`, … print numbers and lists.
 *
 * Adding text: add an entry to the right file in `messages/` with `msg<Params>(zh, en)` (or
 * `text(zh, en)`), then call `t`. Templates may branch on their numbers, never on the language; code
 * outside this folder never writes `lang === 'zh' ? … : …` (tests/report/i18n-grep.test.ts checks
 * `src/report`).
 *
 * Engine errors and warnings adopt the catalogue code by code: an `Issue` keeps its English
 * `message` (logs, the CLI, tests) and its stable `code`; give the code an entry in
 * `messages/issues.ts` whose template reads the issue's fields (`{ issue }`), and every reader-facing
 * place that prints issues through `localise` shows it in the reader's language. Codes without an
 * entry fall back to the English message, so adoption can be gradual.
 */
import { CATALOGUE, type LabelKey, type MessageCode, type MessageParams } from './catalogue.ts';
import type { Lang, Message } from './define.ts';
import type { Issue } from '../core/errors.ts';
import { formatIssue } from '../core/errors.ts';
import { REPORT_LABELS } from './messages/labels.ts';

export type { Lang, Bilingual, Message } from './define.ts';
export { msg, text } from './define.ts';
export { CATALOGUE, type MessageCode, type MessageParams, type LabelKey } from './catalogue.ts';
export {
  formatNumber,
  formatPercent,
  formatRank,
  formatList,
  formatAnd,
  joinClauses,
  sourceLabel,
  joinSentences,
  pickText,
  otherLang,
  spaceMixed,
  TYPESET,
} from './format.ts';

/** Arguments after the code: none for a message without parameters, else its parameters. */
type ParamsArg<C extends MessageCode> = MessageParams<C> extends void ? [] : [params: MessageParams<C>];

/**
 * One message of the catalogue in `lang`.
 * @example t('en', 'cases.rank', { name: 'Hangzhou', rank: '1' }) // => 'Hangzhou: rank 1 in this index'
 */
export function t<C extends MessageCode>(lang: Lang, code: C, ...params: ParamsArg<C>): string {
  const entry = CATALOGUE[code] as { zh: (p: unknown) => string; en: (p: unknown) => string };
  return entry[lang](params[0]);
}

/** Both languages of a message, e.g. for a finding that carries its sentence in zh and en. */
export function tBoth<C extends MessageCode>(code: C, ...params: ParamsArg<C>): { zh: string; en: string } {
  return { zh: t('zh', code, ...params), en: t('en', code, ...params) };
}

const labelCache = new Map<Lang, Readonly<Record<LabelKey, string>>>();

/**
 * All short labels of the report in `lang` (`label.<key>` messages), as one object.
 * @example labels('en').ranking // => 'Ranking'
 */
export function labels(lang: Lang): Readonly<Record<LabelKey, string>> {
  let out = labelCache.get(lang);
  if (!out) {
    out = Object.fromEntries(Object.entries(REPORT_LABELS).map(([k, m]) => [k, m[lang]()])) as Record<LabelKey, string>;
    labelCache.set(lang, out);
  }
  return out;
}

/** True when the catalogue has reader-facing text for an issue code. */
function hasIssueText(code: string): code is MessageCode {
  return Object.prototype.hasOwnProperty.call(CATALOGUE, code) && /^[WE]_/.test(code);
}

/**
 * What an issue says, without its location or code, in `lang`: the catalogue's text for its code, else
 * its own message (English is always the issue's own message).
 * @example issueText({ code: 'W_EMPTY_COLUMN', message: 'no values', indicator: 'x' }, 'zh') // => '指标 x 没有任何数值，保持缺失'
 */
export function issueText(issue: Issue, lang: Lang): string {
  const entry = hasIssueText(issue.code) ? (CATALOGUE[issue.code] as Message<{ issue: Issue }>) : undefined;
  return entry ? entry[lang]({ issue }) : issue.message;
}

const WHERE: Readonly<
  Record<
    Lang,
    {
      file: (f: string, row?: number) => string;
      row: (r: number) => string;
      column: (c: string) => string;
      field: (f: string) => string;
      unit: (u: string) => string;
      indicator: (i: string) => string;
      expected: (e: string) => string;
      colon: string;
    }
  >
> = {
  zh: {
    file: (f, row) => (row !== undefined ? `${f} 第 ${row} 行` : f),
    row: (r) => `第 ${r} 行`,
    column: (c) => `列“${c}”`,
    field: (f) => `字段“${f}”`,
    unit: (u) => `评价对象 ${u}`,
    indicator: (i) => `指标 ${i}`,
    expected: (e) => `（应为 ${e}）`,
    colon: '：',
  },
  en: {
    file: (f, row) => (row !== undefined ? `${f}:${row}` : f),
    row: (r) => `row ${r}`,
    column: (c) => `column "${c}"`,
    field: (f) => `field "${f}"`,
    unit: (u) => `unit ${u}`,
    indicator: (i) => `indicator ${i}`,
    expected: (e) => ` (expected ${e})`,
    colon: ': ',
  },
};

/**
 * A located issue for a reader in `lang`: where (file, row, column, field, unit, indicator), what
 * happened and what was expected, and the code. English is exactly `formatIssue`; Chinese uses the
 * code's catalogue entry when it has one, else the issue's own message.
 * @example localise({ code: 'W_EMPTY_COLUMN', message: 'no values', indicator: 'x' }, 'zh')
 * // => '指标 x：指标 x 没有任何数值，保持缺失 [W_EMPTY_COLUMN]'
 */
export function localise(issue: Issue, lang: Lang): string {
  if (lang === 'en') return formatIssue(issue);
  const w = WHERE[lang];
  const where: string[] = [];
  if (issue.file) where.push(w.file(issue.file, issue.row));
  else if (issue.row !== undefined) where.push(w.row(issue.row));
  if (issue.column) where.push(w.column(issue.column));
  if (issue.field) where.push(w.field(issue.field));
  if (issue.unit) where.push(w.unit(issue.unit));
  if (issue.indicator) where.push(w.indicator(issue.indicator));
  const head = where.length ? where.join(' ') + w.colon : '';
  const body = issueText(issue, lang);
  const expected = issue.expected ? w.expected(issue.expected) : '';
  return `${head}${body}${expected} [${issue.code}]`;
}
