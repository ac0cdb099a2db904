/**
 * The server's small security pieces: cookie parsing and the session cookie's attributes, a fixed-window
 * rate limiter keyed by address (a `Map`, bounded), and the security headers sent on every response.
 */

/** The session cookie's name. */
export const SESSION_COOKIE = 'cityindex_session';

/**
 * Cookies of a `Cookie` header as a Map (first occurrence wins; values URI-decoded when valid).
 * @example parseCookies('a=1; cityindex_session=xyz').get('cityindex_session') // => 'xyz'
 * @example parseCookies(undefined).size // => 0
 */
export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!header) return out;
  for (const part of header.split(';')) {
    const k = part.indexOf('=');
    if (k < 0) continue;
    const name = part.slice(0, k).trim();
    if (!name || out.has(name)) continue;
    const raw = part.slice(k + 1).trim();
    let value: string;
    try {
      value = decodeURIComponent(raw);
    } catch {
      value = raw;
    }
    out.set(name, value);
  }
  return out;
}

/**
 * The `Set-Cookie` value of the session cookie: HttpOnly, SameSite=Strict, Path=/, `Secure` when served
 * over HTTPS; `maxAge` 0 clears it.
 * @example sessionCookie('t', 3600, false) // => 'cityindex_session=t; Path=/; HttpOnly; SameSite=Strict; Max-Age=3600'
 */
export function sessionCookie(token: string, maxAge: number, secure: boolean): string {
  return `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${secure ? '; Secure' : ''}`;
}

/** Headers on every response: no sniffing, no framing, a strict CSP (the API serves no scripts). */
export const SECURITY_HEADERS: ReadonlyMap<string, string> = new Map([
  ['content-security-policy', "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"],
  ['x-content-type-options', 'nosniff'],
  ['x-frame-options', 'DENY'],
  ['referrer-policy', 'no-referrer'],
  ['cross-origin-opener-policy', 'same-origin'],
  ['cross-origin-resource-policy', 'same-origin'],
  ['cache-control', 'no-store'],
]);

/**
 * A fixed-window rate limiter: at most `max` hits per key per `windowMs`. Keeps at most `maxKeys` keys
 * (the oldest windows are dropped first), so a flood of addresses cannot exhaust memory.
 * @example
 * const limit = rateLimiter({ max: 2, windowMs: 1000 });
 * [limit('a', 0), limit('a', 1), limit('a', 2), limit('a', 1001)] // => [true, true, false, true]
 */
export function rateLimiter(options: {
  max: number;
  windowMs: number;
  maxKeys?: number;
}): (key: string, now: number) => boolean {
  const windows = new Map<string, { start: number; hits: number }>();
  const maxKeys = options.maxKeys ?? 10_000;
  return (key, now) => {
    let w = windows.get(key);
    if (!w || now - w.start >= options.windowMs) {
      windows.delete(key);
      if (windows.size >= maxKeys) windows.delete(windows.keys().next().value as string);
      w = { start: now, hits: 0 };
      windows.set(key, w);
    }
    w.hits++;
    return w.hits <= options.max;
  };
}
