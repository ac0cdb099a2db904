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

/** The one error class thrown by cityindex for user-caused problems (exit code 1 in the CLI). */
export class CityIndexError extends Error {
  readonly issues: Issue[];
  constructor(issues: Issue[] | Issue, message?: string) {
    const list = Array.isArray(issues) ? issues : [issues];
    super(message ?? formatIssues(list));
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

/** Format a list of issues, one per line. */
export function formatIssues(issues: readonly Issue[]): string {
  return issues.map(formatIssue).join('\n');
}

/** Throw a `CityIndexError` with a single issue. */
export function fail(issue: Issue): never {
  throw new CityIndexError(issue);
}
