/**
 * Scoring: raw Likert codes → 0–100 item scores (reverse coding, "don't know"), and respondent scale
 * scores as the mean of a scale's answered items. The mapping is our own documented design choice:
 * IMD does not publish how its answers become scores (METHODS.md §2).
 */
import { CityIndexError, type Issue } from '../core/errors.ts';
import {
  DONT_KNOW,
  type ResponseTable,
  type ScoringRule,
  type SurveyIndicator,
  type SurveyStatistic,
} from './types.ts';

/**
 * Score one raw answer: (x − min)/(max − min)·100, or (max − x)/(max − min)·100 when reverse-coded.
 * "Don't know" gives NaN (or 50 with `dontKnowAs: 'midpoint'`); missing or out-of-scale codes give NaN.
 * @example scoreAnswer(4, { scale: { min: 1, max: 5 } }, false) // => 75
 */
export function scoreAnswer(x: number, rule: ScoringRule, reverse: boolean): number {
  const lo = rule.scale?.min ?? 1;
  const hi = rule.scale?.max ?? 5;
  if (x === DONT_KNOW) return rule.dontKnowAs === 'midpoint' ? 50 : NaN;
  if (Number.isNaN(x) || x < lo || x > hi) return NaN;
  const s = ((x - lo) / (hi - lo)) * 100;
  return reverse ? 100 - s : s;
}

/**
 * Item scores for every respondent (new arrays; the table is not changed).
 * @example
 * import { tableOf } from './test-helpers.ts';
 * const table = tableOf([{ items: { q: 1 } }, { items: { q: 5 } }]);
 * scoreItems(table, ['q'], { scale: { min: 1, max: 5 }, reverse: ['q'] }).q // => Float64Array [100, 0]
 */
export function scoreItems(
  table: ResponseTable,
  items: readonly string[],
  rule: ScoringRule,
): Record<string, Float64Array> {
  const reverse = new Set(rule.reverse ?? []);
  const lo = rule.scale?.min ?? 1;
  const hi = rule.scale?.max ?? 5;
  if (!(hi > lo))
    throw new CityIndexError({
      code: 'E_SCALE',
      message: `scoring scale max (${hi}) must exceed min (${lo})`,
      field: 'scoring.scale',
      expected: 'min < max',
    });
  const out: Record<string, Float64Array> = {};
  for (const item of items) {
    const raw = table.items[item];
    if (!raw)
      throw new CityIndexError({
        code: 'E_UNKNOWN_ITEM',
        message: `item "${item}" is not in the responses`,
        file: table.file,
        column: item,
        expected: 'a column for every item named in survey.yaml',
      });
    const s = new Float64Array(table.n);
    const rev = reverse.has(item);
    for (let i = 0; i < table.n; i++) s[i] = scoreAnswer(raw[i], rule, rev);
    out[item] = s;
  }
  return out;
}

/**
 * A respondent's scale score: the mean of the answered item scores, NaN if fewer than `minItems`
 * (default ceil(k/2)). For `proportion` statistics the result is 1/0 (score ≥ `atLeast`).
 * @example
 * const itemScores = { a: new Float64Array([100, 50]), b: new Float64Array([50, NaN]) };
 * respondentScores(itemScores, { code: 'X', items: ['a', 'b'] }, 2)
 * // => [75, 50]
 */
export function respondentScores(
  itemScores: Record<string, Float64Array>,
  indicator: SurveyIndicator,
  n: number,
): Float64Array {
  const k = indicator.items.length;
  const minItems = indicator.minItems ?? Math.ceil(k / 2);
  const cols = indicator.items.map((it) => {
    const c = itemScores[it];
    if (!c)
      throw new CityIndexError({
        code: 'E_UNKNOWN_ITEM',
        message: `item "${it}" of indicator ${indicator.code} has no scores`,
        indicator: indicator.code,
        field: 'items',
      });
    return c;
  });
  const stat: SurveyStatistic = indicator.statistic ?? { type: 'mean' };
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    let m = 0;
    for (let j = 0; j < k; j++) {
      const v = cols[j][i];
      if (!Number.isNaN(v)) {
        s += v;
        m++;
      }
    }
    out[i] = m >= minItems && m > 0 ? s / m : NaN;
  }
  switch (stat.type) {
    case 'mean':
      return out;
    case 'proportion':
      for (let i = 0; i < n; i++) if (!Number.isNaN(out[i])) out[i] = out[i] >= stat.atLeast - 1e-9 ? 1 : 0;
      return out;
    default:
      throw new CityIndexError({
        code: 'E_METHOD',
        message: `unknown statistic "${(stat as { type: string }).type}"`,
        indicator: indicator.code,
        field: 'statistic.type',
        expected: 'mean or proportion',
      });
  }
}

/** Answers outside the scale: counts per question and per respondent, and the issues that report them. */
export interface ScaleCheck {
  /** Out-of-scale answers in all. */
  total: number;
  /** Question (item) → number of out-of-scale answers (only questions with some). */
  perQuestion: Map<string, number>;
  /** Respondents with at least one out-of-scale answer. */
  respondents: number;
  /**
   * `E_ANSWER_SCALE` issues: one per question (column, count, first rows), then one per respondent
   * (row, id, the answers), at most `maxRespondentIssues` of those and a count of the rest.
   */
  issues: Issue[];
}

/** The scale of a rule as text, e.g. "1–5 (whole numbers)". */
function scaleText(lo: number, hi: number, integer: boolean): string {
  return `${lo}–${hi}${integer ? ' (whole numbers)' : ''}`;
}

/**
 * Find the answers a scoring rule cannot score: outside [min, max], or not whole on a whole-number scale
 * (1.5 on 1–5). Missing answers and "don't know" are fine. Each is counted per question and per
 * respondent and reported as located `E_ANSWER_SCALE` errors; nothing is changed.
 * @example
 * import { tableOf } from './test-helpers.ts';
 * const table = tableOf([{ items: { q: 7 } }, { items: { q: 1.5 } }, { items: { q: 3 } }]);
 * const check = checkAnswerScale(table, ['q'], { scale: { min: 1, max: 5 } });
 * [check.total, check.respondents, check.perQuestion.get('q')] // => [2, 2, 2]
 * check.issues[0].message // => '2 answers outside the scale 1–5 (whole numbers): rows 2, 3'
 */
export function checkAnswerScale(
  table: ResponseTable,
  items: readonly string[],
  rule: ScoringRule,
  maxRespondentIssues = 100,
): ScaleCheck {
  const lo = rule.scale?.min ?? 1;
  const hi = rule.scale?.max ?? 5;
  const integer = rule.scale?.integer ?? (Number.isInteger(lo) && Number.isInteger(hi));
  const bad = (x: number) =>
    !Number.isNaN(x) && x !== DONT_KNOW && (x < lo || x > hi || (integer && !Number.isInteger(x)));
  const scale = scaleText(lo, hi, integer);
  const expected = `an answer ${scale}, or a "don't know" code (scoring.dontKnow)`;
  const perQuestion = new Map<string, number>();
  const perRespondent = new Map<number, Array<[string, number]>>();
  const questionIssues: Issue[] = [];
  for (const item of items) {
    const raw = table.items[item];
    if (!raw) continue;
    let count = 0;
    const rows: number[] = [];
    for (let i = 0; i < table.n; i++) {
      const x = raw[i];
      if (!bad(x)) continue;
      count++;
      if (rows.length < 10) rows.push(table.sourceRow[i]);
      let list = perRespondent.get(i);
      if (!list) perRespondent.set(i, (list = []));
      list.push([item, x]);
    }
    if (!count) continue;
    perQuestion.set(item, count);
    const more = count > rows.length ? ', …' : '';
    questionIssues.push({
      code: 'E_ANSWER_SCALE',
      message: `${plural(count, 'answer')} outside the scale ${scale}: rows ${rows.join(', ')}${more}`,
      file: table.file,
      column: item,
      expected,
    });
  }
  const respondentIssues: Issue[] = [];
  const order = [...perRespondent.keys()].sort((a, b) => a - b);
  for (const i of order.slice(0, maxRespondentIssues)) {
    const list = perRespondent.get(i)!;
    const shown = list.slice(0, 5).map(([q, x]) => `${q} = ${x}`);
    const rest = list.length > 5 ? `, … (${list.length - 5} more)` : '';
    const id = table.id[i];
    respondentIssues.push({
      code: 'E_ANSWER_SCALE',
      message:
        `respondent ${id === null ? `on row ${table.sourceRow[i]}` : `"${id}"`}: ` +
        `${plural(list.length, 'answer')} outside the scale ${scale}: ${shown.join(', ')}${rest}`,
      file: table.file,
      row: table.sourceRow[i],
      expected,
    });
  }
  if (order.length > maxRespondentIssues) {
    const more = order.length - maxRespondentIssues;
    respondentIssues.push({
      code: 'E_ANSWER_SCALE',
      message: `${plural(more, 'more respondent')} with answers outside the scale ${scale}`,
      file: table.file,
      expected,
    });
  }
  let total = 0;
  for (const c of perQuestion.values()) total += c;
  return { total, perQuestion, respondents: perRespondent.size, issues: [...questionIssues, ...respondentIssues] };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
