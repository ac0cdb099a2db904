/**
 * The platform routes beside the core API (registered by `createServer`): invitations (the admin's
 * API, and the invitee's page with a form), downloads of an edition's results as JSON and CSV
 * (formula-safe), the comparison of two editions, and the OpenAPI document with its docs page.
 * Authorisation stays in the data layer: every handler calls a Store method or store extension with
 * the request's principal. A published edition never changes, so its downloads are cached in memory
 * (bounded) and served without touching the database.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { CityIndexError } from '../engine/core/errors.ts';
import { CITYINDEX_VERSION, tableToCsv, type ResultsTable } from '../formats/results.ts';
import { escapeHtml } from '../report/markdown.ts';
import { compareEditions } from '../store/compare.ts';
import { acceptInvitation, createInvitation, listInvitations } from '../store/invitations.ts';
import type { ProjectInfo, Store } from '../store/store.ts';
import { docsPage, openApiDocument } from './openapi.ts';
import { AcceptInvitationBody, CompareQuery, InvitationBody } from './platform-schemas.ts';
import { parseBody } from './schemas.ts';

/** The routes this module adds (ROUTES in app.ts lists them for the attack matrix and the document). */
export const PLATFORM_ROUTES = [
  { method: 'GET', url: '/api/invitations', writes: false },
  { method: 'POST', url: '/api/invitations', writes: true },
  { method: 'POST', url: '/api/invitations/accept', writes: true },
  { method: 'GET', url: '/invite', writes: false },
  { method: 'POST', url: '/invite', writes: true },
  { method: 'GET', url: '/api/editions/:id/results.json', writes: false },
  { method: 'GET', url: '/api/editions/:id/results.csv', writes: false },
  { method: 'GET', url: '/api/compare', writes: false },
  { method: 'GET', url: '/api/openapi.json', writes: false },
  { method: 'GET', url: '/api/docs', writes: false },
] as const;

/** How many published editions' downloads are kept in memory. */
const CACHE_EDITIONS = 32;

/** A positive whole-number path parameter, or a located 400. */
function idParam(req: FastifyRequest): number {
  const raw = (req.params as Record<string, string>).id ?? '';
  if (!/^[0-9]{1,12}$/.test(raw) || Number(raw) < 1) {
    throw new CityIndexError({
      code: 'E_PARAM',
      message: `"${raw.slice(0, 40)}" is not an id / 不是有效编号`,
      field: 'id',
      expected: 'a positive whole number',
    });
  }
  return Number(raw);
}

function notFound(): CityIndexError {
  return new CityIndexError({ code: 'E_NOT_FOUND', message: 'no such edition / 找不到版本', expected: 'an edition' });
}

/** The page of an invitation link: a form posting back to /invite (no script: the CSP allows none). */
function invitePage(token: string, message?: { ok: boolean; text: string[] }): string {
  const items = (message?.text ?? []).map((t) => `<li>${escapeHtml(t)}</li>`).join('');
  const note = message ? `<div role="${message.ok ? 'status' : 'alert'}"><ul>${items}</ul></div>` : '';
  const form = message?.ok
    ? '<p><a href="/">Sign in / 登录</a></p>'
    : '<form method="post" action="/invite">' +
      `<input type="hidden" name="token" value="${escapeHtml(token)}">` +
      '<p><label>User name / 用户名 <input name="username" required minlength="3" maxlength="64" ' +
      'autocomplete="username"></label></p>' +
      '<p><label>Password (at least 12 characters) / 密码（至少 12 个字符） <input type="password" ' +
      'name="password" required minlength="12" maxlength="256" autocomplete="new-password"></label></p>' +
      '<p><button type="submit">Create my account / 创建账户</button></p></form>';
  return (
    '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>cityindex — invitation / 邀请</title>' +
    '</head><body><h1>cityindex — invitation / 邀请</h1>' +
    note +
    form +
    '</body></html>'
  );
}

/** Register the platform routes on the app (inside `createServer`, before `ready`). */
export async function registerPlatformRoutes(
  app: FastifyInstance,
  options: { store: Store; project: ProjectInfo; routes: ReadonlyArray<{ method: string; url: string }> },
): Promise<void> {
  const { store, project } = options;
  // bytes, not strings: a cached answer is written as is, with no encoding per request
  const cache = new Map<number, { json: Buffer; csv: Buffer }>();

  /** The downloads of an edition the principal may read: cached when published (immutable). */
  async function downloads(req: FastifyRequest): Promise<{ json: Buffer; csv: Buffer }> {
    const id = idParam(req);
    const hit = cache.get(id);
    if (hit) return hit;
    const edition = await store.edition(req.principal, id); // refuses a draft to whoever may not see it
    if (edition.projectId !== project.id) throw notFound();
    const results = edition.results as ResultsTable;
    const table: ResultsTable = { header: results.header, rows: results.rows };
    const out = { json: Buffer.from(JSON.stringify(table)), csv: Buffer.from(tableToCsv(table)) };
    if (edition.status === 'published') {
      if (cache.size >= CACHE_EDITIONS) cache.delete(cache.keys().next().value as number);
      cache.set(id, out);
    }
    return out;
  }

  app.get('/api/editions/:id/results.json', async (req, reply) => {
    const { json } = await downloads(req);
    return reply.type('application/json; charset=utf-8').send(json);
  });
  app.get('/api/editions/:id/results.csv', async (req, reply) => {
    const { csv } = await downloads(req);
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="edition-${idParam(req)}-results.csv"`)
      .send(csv);
  });

  app.get('/api/compare', async (req) => {
    const q = parseBody(CompareQuery, req.query);
    return compareEditions(store, req.principal, Number(q.from), Number(q.to));
  });

  app.get('/api/invitations', async (req) => ({ invitations: await listInvitations(store, req.principal) }));
  app.post('/api/invitations', async (req, reply) => {
    const body = parseBody(InvitationBody, req.body);
    const { invitation, token } = await createInvitation(store, req.principal, { ...body, projectId: project.id });
    return reply.status(201).send({ invitation, token, link: `/invite?token=${token}` });
  });
  app.post('/api/invitations/accept', async (req, reply) => {
    const body = parseBody(AcceptInvitationBody, req.body);
    const user = await acceptInvitation(store, body.token, body, req.ip);
    return reply.status(201).send({ user });
  });

  // the page of the link, and its form (URL-encoded bodies only here: the token is the credential)
  await app.register(async (page) => {
    page.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 4096 },
      (_req, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))),
    );
    page.get('/invite', async (req, reply) => {
      const token = String((req.query as Record<string, unknown>).token ?? '').slice(0, 100);
      return reply.type('text/html; charset=utf-8').send(invitePage(token));
    });
    page.post('/invite', async (req, reply) => {
      const form = (req.body ?? {}) as Record<string, string>;
      const token = String(form.token ?? '').slice(0, 100);
      try {
        const body = parseBody(AcceptInvitationBody, {
          token,
          username: form.username ?? '',
          password: form.password ?? '',
        });
        const user = await acceptInvitation(store, body.token, body, req.ip);
        const text = [`Account ${user.username} created; you can sign in. / 账户已创建，请登录。`];
        return reply
          .status(201)
          .type('text/html; charset=utf-8')
          .send(invitePage(token, { ok: true, text }));
      } catch (e) {
        if (!(e instanceof CityIndexError)) throw e;
        const text = e.issues.map((i) => `${i.message}${i.expected ? ` (expected / 应为: ${i.expected})` : ''}`);
        return reply
          .status(400)
          .type('text/html; charset=utf-8')
          .send(invitePage(token, { ok: false, text }));
      }
    });
  });

  const doc = openApiDocument(options.routes, CITYINDEX_VERSION);
  const docJson = JSON.stringify(doc);
  const docHtml = docsPage(doc);
  app.get('/api/openapi.json', async (_req, reply) => reply.type('application/json; charset=utf-8').send(docJson));
  app.get('/api/docs', async (_req, reply) => reply.type('text/html; charset=utf-8').send(docHtml));
}
