/**
 * The workbench's calls to the platform API (same origin, the session cookie sent by the browser): JSON
 * in and out, the session's CSRF token in `x-csrf-token` on every state-changing request, errors as
 * `ApiError` with the server's status, code and located issues (indicator, row, field, expected).
 */

/** One located problem as the server reports it. */
export interface ApiIssue {
  code: string;
  message: string;
  row?: number;
  field?: string;
  unit?: string;
  indicator?: string;
  expected?: string;
  file?: string;
}

/** A refused request: HTTP status, the stable error code and the located issues. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly issues: ApiIssue[];
  constructor(status: number, code: string, message: string, issues: ApiIssue[]) {
    super(message);
    this.status = status;
    this.code = code;
    this.issues = issues;
  }
}

let csrfToken: string | undefined;

/**
 * Remember the session's CSRF token (from the login answer or /api/me).
 * @example setCsrf('abc') // => undefined
 */
export function setCsrf(token: string | undefined): void {
  csrfToken = token;
}

/**
 * Call the API; resolves with the JSON answer, rejects with an ApiError (status 0 = no answer).
 * @example // no-run: needs the platform server
 * const me = await api<{ user: { username: string } }>('GET', '/api/me');
 */
export async function api<T>(method: string, url: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const writes = method !== 'GET';
  if (writes && csrfToken) headers['x-csrf-token'] = csrfToken;
  let payload: string | FormData | undefined;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  let res: Response;
  try {
    res = await fetch(url, { method, headers, body: payload, credentials: 'same-origin' });
  } catch (e) {
    throw new ApiError(0, 'E_NETWORK', (e as Error).message, []);
  }
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!res.ok) {
    const err = (json as { error?: { code?: string; message?: string; issues?: ApiIssue[] } } | null)?.error;
    throw new ApiError(
      res.status,
      err?.code ?? `E_HTTP_${res.status}`,
      err?.message ?? res.statusText,
      err?.issues ?? [],
    );
  }
  return json as T;
}

/**
 * The indicator an issue is about: its `indicator`, or the edit it points at by `values[i]` in its field.
 * @example issueIndicator({ code: 'E_SCHEMA', message: '', field: 'values[1].value' }, ['A', 'B']) // => 'B'
 * @example issueIndicator({ code: 'E_CONFLICT', message: '', indicator: 'C' }, []) // => 'C'
 * @example issueIndicator({ code: 'E_X', message: '' }, ['A']) // => undefined
 */
export function issueIndicator(issue: ApiIssue, sent: readonly string[]): string | undefined {
  if (issue.indicator) return issue.indicator;
  const m = /values\[(\d+)\]/.exec(issue.field ?? '');
  return m ? sent[Number(m[1])] : undefined;
}

/**
 * What the user typed in a value cell, for the API: a number, null for an empty cell, or the text itself
 * (which the server refuses with an error located on that value).
 * @example cellValue(' 12.5 ') // => 12.5
 * @example cellValue('') // => null
 * @example cellValue('1,234') // => 1234
 * @example cellValue('12a') // => '12a'
 */
export function cellValue(text: string): number | null | string {
  const t = text.trim();
  if (t === '') return null;
  const plain = /^[-+]?\d{1,3}(,\d{3})+(\.\d+)?$/.test(t) ? t.replace(/,/g, '') : t;
  const n = Number(plain);
  return /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(plain) && Number.isFinite(n) ? n : t;
}
