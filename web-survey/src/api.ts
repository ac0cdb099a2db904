/** Calls to the fieldwork API (same origin; JSON; the session's CSRF token on writes when signed in). */
let csrf: string | undefined;

/** Remember the CSRF token of the session (after sign-in). */
export function setCsrf(token: string | undefined): void {
  csrf = token;
}

/** An API error with its code. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** JSON request; throws ApiError on a 4xx/5xx answer and TypeError when the network fails. */
export async function api<T>(
  url: string,
  options: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<T> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (csrf && options.method && options.method !== 'GET') headers['x-csrf-token'] = csrf;
  const r = await fetch(url, {
    method: options.method ?? 'GET',
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    credentials: 'same-origin',
  });
  const data = (await r.json().catch(() => ({}))) as { error?: { code: string; message: string } };
  if (!r.ok)
    throw new ApiError(r.status, data.error?.code ?? `E_HTTP_${r.status}`, data.error?.message ?? r.statusText);
  return data as T;
}
