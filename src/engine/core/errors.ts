/**
 * Typed errors for the whole project. Every problem is an `Issue` that names where it is
 * (file, row, column/field, unit, indicator) and what was expected; many issues travel together
 * in one `CityIndexError` so users see all problems at once.
 */

/** One located problem. `row` is 1-based as a user sees it in a spreadsheet or editor. */
export interface Issue {
  /** Stable machine code, e.g. `E_UNKNOWN_CODE`, `E_NOT_NUMBER`, `E_GMEAN_NONPOSITIVE`. */
  code: string;
  /** Human-readable message (English; Chinese hint where useful). */
  message: string;
  file?: string;
  row?: number;
  column?: string;
  field?: string;
  unit?: string;
  indicator?: string;
  expected?: string;
  severity?: 'error' | 'warning';
}

/** The longest value quoted in a message (characters) before it is cut. */
export const MAX_QUOTED = 80;
/** The longest location (column, field, unit, indicator) of an issue (characters). */
export const MAX_LOCATION = 200;
/** The longest message, location or expectation of an issue (characters), whatever it quotes. */
export const MAX_ISSUE_TEXT = 2000;

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;
const showControl = (c: string) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0');

/** `s` cut to `max` characters (not inside a surrogate pair). */
function cutAt(s: string, max: number): string {
  const end = s.charCodeAt(max - 1) >= 0xd800 && s.charCodeAt(max - 1) <= 0xdbff ? max - 1 : max;
  return s.slice(0, end);
}

/**
 * A value as quoted in a message: control characters (NUL …) shown as `\u0000` escapes, cut to `max`
 * characters with "… (N characters)" so the reader sees that it was long.
 * @example clipQuoted('12.5%') // => '12.5%'
 * @example clipQuoted('x'.repeat(100), 10) // => 'xxxxxxxxxx… (100 characters)'
 * @example clipQuoted('a\u0000b') // => 'a\\u0000b'
 */
export function clipQuoted(s: string, max = MAX_QUOTED): string {
  const long = s.length > max;
  const shown = (long ? cutAt(s, max) : s).replace(CONTROL, showControl);
  return long ? `${shown}… (${s.length} characters)` : shown;
}

const QUOTED = /"([^"]*)"|“([^”]*)”/g;

/**
 * Bound the text of one issue: every value quoted in its message ("…" or “…”) cut by `clipQuoted`, its
 * location fields (column, field, unit, indicator) cut to 200 characters, and any text cut to 2 000
 * characters; control characters are escaped. An issue within these bounds is returned as is.
 * @example
 * const issue = { code: 'E', message: `unit "${'9'.repeat(1e7)}" is not in the units list` };
 * const { message } = boundIssue(issue);
 * message.length // => 135
 * message.slice(84) // => '99… (10000000 characters)" is not in the units list'
 */
export function boundIssue(issue: Issue): Issue {
  const keys = ['message', 'column', 'field', 'unit', 'indicator', 'expected', 'file'] as const;
  let out: Issue | undefined;
  for (const k of keys) {
    const v = issue[k];
    if (typeof v !== 'string') continue;
    const text = k === 'message' || k === 'expected' || k === 'file';
    const long = v.length > (text ? MAX_QUOTED : MAX_LOCATION);
    const control = !long && CONTROL.test(v);
    CONTROL.lastIndex = 0;
    if (!long && !control) continue;
    let b: string;
    if (text) {
      b = clipQuotedIn(v);
      if (b.length > MAX_ISSUE_TEXT) b = `${cutAt(b, MAX_ISSUE_TEXT)}… (${b.length} characters)`;
    } else b = clipQuoted(v, MAX_LOCATION);
    if (b !== v) (out ??= { ...issue })[k] = b;
  }
  return out ?? issue;
}

/** The one error class thrown by cityindex for user-caused problems (exit code 1 in the CLI). */
export class CityIndexError extends Error {
  readonly issues: Issue[];
  constructor(issues: Issue[] | Issue, message?: string) {
    const list = (Array.isArray(issues) ? issues : [issues]).map(boundIssue);
    super(message === undefined ? formatIssues(list) : boundMessage(message));
    this.name = 'CityIndexError';
    this.issues = list;
  }
}

/**
 * Format an issue as one line: `file:row column "x": message (expected ...)`.
 * @example formatIssue({ code: 'E', message: 'not a number', file: 'data.csv', row: 3, column: 'GDP' })
 * // => 'data.csv:3 column "GDP": not a number [E]'
 */
export function formatIssue(issue: Issue): string {
  const where: string[] = [];
  if (issue.file) where.push(issue.row !== undefined ? `${issue.file}:${issue.row}` : issue.file);
  else if (issue.row !== undefined) where.push(`row ${issue.row}`);
  if (issue.column) where.push(`column "${issue.column}"`);
  if (issue.field) where.push(`field "${issue.field}"`);
  if (issue.unit) where.push(`unit ${issue.unit}`);
  if (issue.indicator) where.push(`indicator ${issue.indicator}`);
  const head = where.length ? where.join(' ') + ': ' : '';
  const expected = issue.expected ? ` (expected ${issue.expected})` : '';
  return `${head}${issue.message}${expected} [${issue.code}]`;
}

/** A free-form error message (often several formatted issues): its quoted values cut, no overall cap. */
function boundMessage(message: string): string {
  const plain = message.length <= MAX_QUOTED && !CONTROL.test(message);
  CONTROL.lastIndex = 0;
  return plain ? message : clipQuotedIn(message);
}

/** Every value quoted in `text` ("…" or “…”) cut by `clipQuoted`; control characters escaped. */
function clipQuotedIn(text: string): string {
  return text
    .replace(QUOTED, (m: string, a?: string, z?: string) =>
      a !== undefined ? `"${clipQuoted(a)}"` : z !== undefined ? `“${clipQuoted(z)}”` : m,
    )
    .replace(CONTROL, showControl);
}

/** Format a list of issues, one per line. */
export function formatIssues(issues: readonly Issue[]): string {
  return issues.map(formatIssue).join('\n');
}

/** Throw a `CityIndexError` with a single issue. */
export function fail(issue: Issue): never {
  throw new CityIndexError(issue);
}
