/**
 * The HTTP client of the server tests (shared by server.test.ts, submissions.test.ts, hardening.test.ts,
 * platform.test.ts and tests/store/fieldwork-live.test.ts): sign in through `POST /api/session`, keep each user's
 * session cookie and CSRF token, and send requests as a user (cookie + `x-csrf-token`, or without the token to test
 * CSRF) or anonymously; the store principal behind a session; and a multipart/form-data body for the upload
 * routes (submissions, case logs).
 */
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { Principal } from '../../src/store/principal.ts';
import type { Store } from '../../src/store/store.ts';

/** The password of every test account (meets the policy). */
export const TEST_PASSWORD = 'a long enough password';

/** A signed-in user's cookie (`name=value`) and CSRF token. */
export interface Session {
  cookie: string;
  csrf: string;
}

/** Sign-in and requests against the app `app()` returns (read lazily: the app is made in `beforeAll`). */
export function testClient(app: () => FastifyInstance) {
  const sessions = new Map<string, Session>();
  /** Sign in (200 expected) and return the session; `remember` keeps it under the user name for `as`. */
  async function login(username: string, password = TEST_PASSWORD, remember = false): Promise<Session> {
    const r = await app().inject({ method: 'POST', url: '/api/session', payload: { username, password } });
    expect(r.statusCode, r.body).toBe(200);
    const s = { cookie: String(r.headers['set-cookie']).split(';')[0], csrf: r.json().csrf as string };
    if (remember) sessions.set(username, s);
    return s;
  }
  /** A request as `who` (a remembered session; undefined = anonymous), with its CSRF token unless `csrf` is false. */
  function as(who: string | undefined, o: InjectOptions, csrf = true): Promise<LightMyRequestResponse> {
    const s = who ? sessions.get(who) : undefined;
    const headers = {
      ...(o.headers ?? {}),
      ...(s && { cookie: s.cookie }),
      ...(s && csrf && { 'x-csrf-token': s.csrf }),
    };
    return app().inject({ ...o, headers });
  }
  /** The store principal of a remembered session. */
  async function principalOf(store: Store, who: string): Promise<Principal> {
    return (await store.session(sessions.get(who)!.cookie.split('=')[1]))!.principal;
  }
  return { sessions, login, as, principalOf };
}

/** A multipart/form-data body: fields, then files. */
export function multipart(
  fields: Record<string, string>,
  files: Array<{ name: string; fileName: string; type: string; bytes: Uint8Array }>,
): { payload: Buffer; headers: Record<string, string> } {
  const boundary = '----cityindex' + Math.random().toString(16).slice(2);
  const chunks: Buffer[] = [];
  for (const [k, v] of Object.entries(fields))
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  for (const f of files) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${f.name}"; filename="${f.fileName}"\r\n` +
          `Content-Type: ${f.type}\r\n\r\n`,
      ),
      Buffer.from(f.bytes),
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}
