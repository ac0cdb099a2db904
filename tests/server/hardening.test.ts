/**
 * Platform hardening over HTTP (issue 12), on SQLite and PostgreSQL:
 * - error bodies keep their stable code and carry their messages in the request's language
 *   (Accept-Language; zh-CN by default);
 * - an admin revokes an invitation (a non-admin gets 403, a used one 409); the revoked link answers 410
 *   with a clear message in the reader's language, on the API and on the invitation page;
 * - a signed-in user who opens /invite is told who they are signed in as and the form works (no CSRF
 *   error), while every other write still needs the CSRF token;
 * - a published edition's downloads: per level and language, an ETag and 304 on If-None-Match, and a
 *   repeated request served from memory without a store call.
 */
import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildEdition } from '../../src/store/edition.ts';
import { systemPrincipal } from '../../src/store/principal.ts';
import type { ProjectInfo, Store } from '../../src/store/store.ts';
import { DIALECTS, type TestStore } from '../store/stores.ts';
import { closeAsemPlatform, openAsemPlatform } from './asem-platform.ts';
import { TEST_PASSWORD, testClient } from './client.ts';

const CLI = systemPrincipal('test');
const PASSWORD = TEST_PASSWORD;
const HAN = /[\u3400-\u9fff]/;

describe.each(DIALECTS)('platform hardening over HTTP on $name', ({ open, skip }) => {
  let t: TestStore;
  let store: Store;
  let project: ProjectInfo;
  let app: FastifyInstance;
  const client = testClient(() => app);
  const { sessions, as } = client;
  const invite = async (payload: object = { role: 'reader' }) => {
    const r = await as('admin1', { method: 'POST', url: '/api/invitations', payload });
    expect(r.statusCode, r.body).toBe(201);
    return r.json() as { invitation: { id: number }; token: string; link: string };
  };
  const form = (fields: Record<string, string>, headers: Record<string, string> = {}, query = '') =>
    app.inject({
      method: 'POST',
      url: `/invite${query}`,
      payload: new URLSearchParams(fields).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    });

  beforeAll(async () => {
    if (skip) return;
    ({ t, store, project, app } = await openAsemPlatform(open, client));
  }, 120_000);
  afterAll(async () => {
    if (!skip) await closeAsemPlatform({ t, app });
  });

  it.skipIf(skip)('error bodies: the same code, the message in the request language (zh by default)', async () => {
    const en = { 'accept-language': 'en-GB,en;q=0.9' };
    const zh = { 'accept-language': 'zh-CN,zh;q=0.9,en;q=0.5' };
    const bad = { username: 'admin1', password: 'not the password!' };
    const cases: Array<[InjectOptions, string, number, string, string]> = [
      [{ method: 'POST', url: '/api/session', payload: bad }, 'E_LOGIN', 401, '用户名或密码错误', 'wrong user name'],
      [{ url: '/api/editions/999999' }, 'E_NOT_FOUND', 404, '找不到版本', 'no edition 999999'],
      [{ url: '/api/nowhere' }, 'E_NOT_FOUND', 404, '无此接口', 'no such route'],
      [{ url: '/api/users' }, 'E_UNAUTHENTICATED', 401, '请先登录', 'sign in to list users'],
      [
        {
          method: 'POST',
          url: '/api/invitations/accept',
          payload: { token: 'A'.repeat(43), username: 'someone', password: 'short' },
        },
        'E_PASSWORD_POLICY',
        400,
        '密码有 5 个字符',
        'the password has 5 characters',
      ],
    ];
    for (const [req, code, status, zhText, enText] of cases) {
      for (const [headers, text, other] of [
        [{}, zhText, enText],
        [zh, zhText, enText],
        [en, enText, zhText],
      ] as const) {
        const r = await app.inject({ ...req, headers });
        expect(r.statusCode, `${code} ${r.body}`).toBe(status);
        const error = r.json().error;
        expect(error.code).toBe(code);
        expect(error.issues[0].code).toBe(code);
        expect(error.issues[0].message, code).toContain(text);
        expect(error.message, code).toContain(text);
        expect(error.message, code).not.toContain(other);
        expect(error.message).toContain(`[${code}]`);
        if (headers === en) expect(error.issues[0].message).not.toMatch(HAN);
      }
    }
    // the issue's location and expectation are kept in every language
    const r = await as('author1', { method: 'POST', url: '/api/invitations', payload: { role: 'city' } });
    expect(r.statusCode).toBe(403);
    expect(r.json().error.issues[0]).toMatchObject({ code: 'E_FORBIDDEN', message: '您的角色无权执行此操作' });
  });

  it.skipIf(skip)('an admin revokes an open invitation; the link then says so; used ones stay', async () => {
    const { invitation, token, link } = await invite();
    const url = `/api/invitations/${invitation.id}/revoke`;
    expect((await as(undefined, { method: 'POST', url })).statusCode).toBe(401);
    const author = await as('author1', { method: 'POST', url });
    expect(author.statusCode).toBe(403);
    expect(author.json().error.code).toBe('E_FORBIDDEN');
    const noCsrf = await as('admin1', { method: 'POST', url }, false);
    expect(noCsrf.json().error.code).toBe('E_CSRF');
    expect((await as('admin1', { url: '/api/invitations' })).json().invitations[0].status).toBe('open');
    const done = await as('admin1', { method: 'POST', url });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json().invitation).toMatchObject({ id: invitation.id, status: 'revoked', revokedBy: 'admin1' });
    expect((await as('admin1', { url: '/api/invitations' })).json().invitations[0].status).toBe('revoked');
    // the link: API and page, in the reader's language, and nothing created
    const users = (await store.listUsers(CLI)).length;
    const api = await app.inject({
      method: 'POST',
      url: '/api/invitations/accept',
      payload: { token, username: 'late1', password: PASSWORD },
      headers: { 'accept-language': 'en' },
    });
    expect(api.statusCode).toBe(410);
    expect(api.json().error.issues[0]).toMatchObject({
      code: 'E_INVITATION_REVOKED',
      message: 'this invitation was withdrawn by an administrator; ask them for a new link',
    });
    const page = await form({ token, username: 'late2', password: PASSWORD });
    expect(page.statusCode).toBe(410);
    expect(page.body).toContain('该邀请已被管理员撤销，请向管理员索取新链接');
    const pageEn = await form({ token, username: 'late3', password: PASSWORD }, {}, '?lang=en');
    expect(pageEn.body).toContain('this invitation was withdrawn by an administrator');
    expect(pageEn.body).toContain('<html lang="en">');
    expect((await app.inject({ url: link })).statusCode).toBe(200); // the page itself still opens
    expect((await store.listUsers(CLI)).length).toBe(users);
    // a used invitation cannot be revoked
    const used = await invite();
    const accepted = await app.inject({
      method: 'POST',
      url: '/api/invitations/accept',
      payload: { token: used.token, username: 'reader7', password: PASSWORD },
    });
    expect(accepted.statusCode).toBe(201);
    const late = await as('admin1', { method: 'POST', url: `/api/invitations/${used.invitation.id}/revoke` });
    expect(late.statusCode).toBe(409);
    expect(late.json().error.code).toBe('E_INVITATION_USED');
    expect(late.json().error.message).toContain('该邀请链接已被使用');
    const actions = (await store.auditLog(CLI)).map((a) => a.action);
    expect(actions.filter((a) => a === 'invitation.revoke')).toHaveLength(1);
  });

  it.skipIf(skip)('a signed-in user opens an invitation link: told who they are, and the form works', async () => {
    const { token, link } = await invite({ role: 'author' });
    const zhPage = await as('admin1', { url: link });
    expect(zhPage.statusCode).toBe(200);
    expect(zhPage.body).toContain('您当前以 admin1 的身份登录');
    const enPage = await as('admin1', { url: link, headers: { 'accept-language': 'en' } });
    expect(enPage.body).toContain('You are signed in as admin1');
    expect((await app.inject({ url: link })).body).not.toContain('admin1');
    // the form is posted by the browser with the session cookie and no CSRF header: accepted
    const admin = sessions.get('admin1')!;
    const ok = await form({ token, username: 'author9', password: PASSWORD }, { cookie: admin.cookie });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.body).toContain('author9');
    expect((await store.listUsers(CLI)).find((u) => u.username === 'author9')?.role).toBe('author');
    // the admin is still signed in as before; other writes still need the CSRF token
    const me = await app.inject({ url: '/api/me', headers: { cookie: admin.cookie } });
    expect(me.json().user).toEqual({ username: 'admin1', role: 'admin' });
    const other = await as('admin1', { method: 'POST', url: '/api/invitations', payload: { role: 'reader' } }, false);
    expect(other.json().error.code).toBe('E_CSRF');
  });

  it.skipIf(skip)(
    "a published edition's downloads: levels, languages, ETag/304, served from memory",
    async () => {
      const edition = await buildEdition(store, CLI, project, 'published');
      const base = `/api/editions/${edition.id}`;
      expect((await app.inject({ url: `${base}/results.json` })).statusCode).toBe(404); // a draft
      await store.publishEdition(CLI, edition.id);
      const framework = await store.framework(project.id);
      const aggregates = framework.filter((n) => n.kind !== 'indicator');
      const levels = [...new Set(aggregates.map((n) => n.level))].sort((a, b) => a - b);
      expect(levels.length).toBeGreaterThan(1);

      const all = await app.inject({ url: `${base}/results.json` });
      expect(all.statusCode).toBe(200);
      const etag = String(all.headers.etag);
      expect(etag).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
      const body = all.json();
      expect(body.header.slice(0, 3)).toEqual(['code', 'name_zh', 'name_en']);
      expect(body.labels.slice(0, 3)).toEqual(['代码', '名称（中文）', '名称（英文）']);
      expect(body.rows).toHaveLength((await store.units(project.id)).length);

      // 304 when the client has it; a changed tag gets the body again
      const again = await app.inject({ url: `${base}/results.json`, headers: { 'if-none-match': etag } });
      expect(again.statusCode).toBe(304);
      expect(again.body).toBe('');
      expect(again.headers.etag).toBe(etag);
      const stale = await app.inject({ url: `${base}/results.json`, headers: { 'if-none-match': '"old"' } });
      expect(stale.statusCode).toBe(200);
      expect(stale.body).toBe(all.body);

      // one level: only that level's aggregates (score and rank), labelled in the language asked for
      const top = levels[levels.length - 1];
      const topCodes = aggregates.filter((n) => n.level === top).map((n) => n.code);
      const one = await app.inject({ url: `${base}/results.json?level=${top}&lang=en` });
      expect(one.statusCode, one.body).toBe(200);
      expect(one.json().header).toEqual(['code', 'name_zh', 'name_en', ...topCodes.flatMap((c) => [c, `${c}_rank`])]);
      expect(one.json().labels[0]).toBe('Code');
      expect(one.json().labels.at(-1)).toMatch(/ rank$/);
      expect(one.headers.etag).not.toBe(etag);
      const oneZh = await app.inject({ url: `${base}/results.json?level=${top}` });
      expect(oneZh.json().labels[0]).toBe('代码');
      expect(oneZh.json().rows).toEqual(one.json().rows);
      const csv = await app.inject({ url: `${base}/results.csv?level=${top}` });
      expect(csv.body.split(/\r?\n/)[0]).toBe(`\ufeff${one.json().header.join(',')}`);
      expect(csv.headers['content-disposition']).toContain(`edition-${edition.id}-results.csv`);
      const csv304 = await app.inject({
        url: `${base}/results.csv?level=${top}`,
        headers: { 'if-none-match': String(csv.headers.etag) },
      });
      expect(csv304.statusCode).toBe(304);
      const missing = await app.inject({ url: `${base}/results.json?level=19`, headers: { 'accept-language': 'en' } });
      expect(missing.statusCode).toBe(400);
      expect(missing.json().error.issues[0]).toMatchObject({
        code: 'E_LEVEL',
        field: 'level',
        expected: `one of ${levels.join(', ')}`,
      });
      expect((await app.inject({ url: `${base}/results.json?level=x` })).json().error.code).toBe('E_LEVEL');

      // cached: repeated requests do not reach the store
      const calls = { edition: 0, framework: 0 };
      const { edition: readEdition, framework: readFramework } = store;
      store.edition = (...a) => (calls.edition++, readEdition.apply(store, a));
      store.framework = (...a) => (calls.framework++, readFramework.apply(store, a));
      try {
        for (let i = 0; i < 5; i++) {
          const r = await app.inject({ url: `${base}/results.json?level=${top}&lang=en` });
          expect(r.body).toBe(one.body);
        }
        expect(calls).toEqual({ edition: 0, framework: 0 });
        await app.inject({ url: `${base}/results.csv?lang=en` }); // not cached yet: read once
        expect(calls).toEqual({ edition: 1, framework: 1 });
      } finally {
        store.edition = readEdition;
        store.framework = readFramework;
      }
    },
    120_000,
  );
});
