/**
 * The platform routes beside the core API (registered by `createServer`): invitations (the admin's
 * API, and the invitee's page with a form), downloads of an edition's results as JSON and CSV
 * (formula-safe), the comparison of two editions, and the OpenAPI document with its docs page.
 * Authorisation stays in the data layer: every handler calls a Store method or store extension with
 * the request's principal. A published edition never changes, so its downloads are cached in memory
 * (bounded) and served without touching the database.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CityIndexError } from '../engine/core/errors.ts';
import { CITYINDEX_VERSION, type ResultsTable } from '../formats/results.ts';
import { issueText, t, type Lang } from '../engine/i18n/index.ts';
import { escapeHtml } from '../report/markdown.ts';
import { compareEditions } from '../store/compare.ts';
import { acceptInvitation, createInvitation, listInvitations, revokeInvitation } from '../store/invitations.ts';
import type { ProjectInfo, Store } from '../store/store.ts';
import { requestLang } from './language.ts';
import {
  DownloadCache,
  levelParam,
  notModified,
  resultsView,
  serialiseDownloads,
  type Download,
  type NodeInfo,
} from './results-cache.ts';
import { docsPage, openApiDocument } from './openapi.ts';
import { AcceptInvitationBody, CompareQuery, InvitationBody } from './platform-schemas.ts';
import { parseBody } from './schemas.ts';

/** The routes this module adds (ROUTES in app.ts lists them for the attack matrix and the document). */
export const PLATFORM_ROUTES = [
  { method: 'GET', url: '/api/invitations', writes: false },
  { method: 'POST', url: '/api/invitations', writes: true },
  { method: 'POST', url: '/api/invitations/accept', writes: true },
  { method: 'POST', url: '/api/invitations/:id/revoke', writes: true },
  { method: 'GET', url: '/invite', writes: false },
  { method: 'POST', url: '/invite', writes: true },
  { method: 'GET', url: '/api/editions/:id/results.json', writes: false },
  { method: 'GET', url: '/api/editions/:id/results.csv', writes: false },
  { method: 'GET', url: '/api/compare', writes: false },
  { method: 'GET', url: '/api/openapi.json', writes: false },
  { method: 'GET', url: '/api/docs', writes: false },
] as const;

/** Statuses of the invitation form's refusals (anything else is 400). */
const STATUS_OF_FORM = new Map([
  ['E_INVITATION_USED', 409],
  ['E_INVITATION_REVOKED', 410],
]);

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

/**
 * The page of an invitation link in `lang`: a form posting back to /invite (no script: the CSP allows
 * none); a signed-in visitor is told which account they are signed in as and that the form makes a new,
 * separate one.
 */
function invitePage(
  lang: Lang,
  token: string,
  o: { message?: { ok: boolean; text: string[] }; signedInAs?: string } = {},
): string {
  const { message, signedInAs } = o;
  const items = (message?.text ?? []).map((x) => `<li>${escapeHtml(x)}</li>`).join('');
  const note = message ? `<div role="${message.ok ? 'status' : 'alert'}"><ul>${items}</ul></div>` : '';
  const who =
    signedInAs && !message?.ok
      ? `<p role="note">${escapeHtml(t(lang, 'invite.signedIn', { username: signedInAs }))}</p>`
      : '';
  const other = lang === 'zh' ? 'en' : 'zh';
  const form = message?.ok
    ? `<p><a href="/">${t(lang, 'invite.signIn')}</a></p>`
    : `<form method="post" action="/invite?lang=${lang}">` +
      `<input type="hidden" name="token" value="${escapeHtml(token)}">` +
      `<p><label>${t(lang, 'invite.username')} <input name="username" required minlength="3" maxlength="64" ` +
      'autocomplete="username"></label></p>' +
      `<p><label>${t(lang, 'invite.password')} <input type="password" ` +
      'name="password" required minlength="12" maxlength="256" autocomplete="new-password"></label></p>' +
      `<p><button type="submit">${t(lang, 'invite.submit')}</button></p></form>`;
  const switchLink = message
    ? ''
    : `<p><a href="/invite?lang=${other}&amp;token=${encodeURIComponent(token)}" ` +
      `lang="${other === 'zh' ? 'zh-CN' : 'en'}">${t(lang, 'invite.otherLanguage')}</a></p>`;
  return (
    `<!doctype html><html lang="${lang === 'zh' ? 'zh-CN' : 'en'}"><head><meta charset="utf-8">` +
    `<title>${t(lang, 'invite.title')}</title></head><body><h1>${t(lang, 'invite.title')}</h1>` +
    who +
    note +
    form +
    switchLink +
    '</body></html>'
  );
}

/** The page's language: `?lang=zh|en` when given, else the request's Accept-Language. */
function pageLang(req: FastifyRequest): Lang {
  const q = (req.query as Record<string, unknown> | undefined)?.lang;
  return q === 'en' || q === 'zh' ? q : requestLang(req.headers['accept-language']);
}

/** Register the platform routes on the app (inside `createServer`, before `ready`). */
export async function registerPlatformRoutes(
  app: FastifyInstance,
  options: { store: Store; project: ProjectInfo; routes: ReadonlyArray<{ method: string; url: string }> },
): Promise<void> {
  const { store, project } = options;
  // bytes, not strings: a published edition's answer is written as is (results-cache.ts)
  const cache = new DownloadCache();

  /** The downloads of an edition the principal may read: cached when published (immutable). */
  async function downloads(req: FastifyRequest): Promise<{ json: Download; csv: Download }> {
    const id = idParam(req);
    const q = req.query as Record<string, unknown>;
    const level = levelParam(q.level);
    const lang: Lang = q.lang === 'en' || q.lang === 'zh' ? q.lang : requestLang(req.headers['accept-language']);
    const key = DownloadCache.key(id, level, lang);
    const hit = cache.get(key);
    if (hit) return hit;
    const edition = await store.edition(req.principal, id); // refuses a draft to whoever may not see it
    if (edition.projectId !== project.id) throw notFound();
    const results = edition.results as ResultsTable;
    const nodes: NodeInfo = new Map(
      (await store.framework(project.id)).map((n) => [n.code, { level: n.level, name: n.name }]),
    );
    const out = serialiseDownloads(resultsView({ header: results.header, rows: results.rows }, nodes, level, lang));
    if (edition.status === 'published') cache.set(key, out);
    return out;
  }

  /** Send a download, or 304 when the client's copy (If-None-Match) is current. */
  const sendDownload = (req: FastifyRequest, reply: FastifyReply, d: Download, type: string) => {
    reply.header('etag', d.etag).header('cache-control', 'no-cache').header('vary', 'accept-language');
    if (notModified(req.headers['if-none-match'], d.etag)) return reply.status(304).send();
    return reply.type(type).send(d.body);
  };
  app.get('/api/editions/:id/results.json', async (req, reply) =>
    sendDownload(req, reply, (await downloads(req)).json, 'application/json; charset=utf-8'),
  );
  app.get('/api/editions/:id/results.csv', async (req, reply) => {
    const { csv } = await downloads(req);
    reply.header('content-disposition', `attachment; filename="edition-${idParam(req)}-results.csv"`);
    return sendDownload(req, reply, csv, 'text/csv; charset=utf-8');
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
  app.post('/api/invitations/:id/revoke', async (req) => ({
    invitation: await revokeInvitation(store, req.principal, idParam(req)),
  }));
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
    const signedInAs = (req: FastifyRequest) => (req.principal.kind === 'user' ? req.principal.username : undefined);
    page.get('/invite', async (req, reply) => {
      const token = String((req.query as Record<string, unknown>).token ?? '').slice(0, 100);
      return reply
        .type('text/html; charset=utf-8')
        .send(invitePage(pageLang(req), token, { signedInAs: signedInAs(req) }));
    });
    // no CSRF token here (a form cannot send the header): the invitation token in the form is the
    // credential, and the request neither reads nor changes the signed-in account (see app.ts)
    page.post('/invite', { config: { csrfExempt: true } }, async (req, reply) => {
      const lang = pageLang(req);
      const form = (req.body ?? {}) as Record<string, string>;
      const token = String(form.token ?? '').slice(0, 100);
      try {
        const body = parseBody(AcceptInvitationBody, {
          token,
          username: form.username ?? '',
          password: form.password ?? '',
        });
        const user = await acceptInvitation(store, body.token, body, req.ip);
        const text = [t(lang, 'invite.created', { username: user.username })];
        return reply
          .status(201)
          .type('text/html; charset=utf-8')
          .send(invitePage(lang, token, { message: { ok: true, text } }));
      } catch (e) {
        if (!(e instanceof CityIndexError)) throw e;
        const text = e.issues.map(
          (i) => issueText(i, lang) + (i.expected ? t(lang, 'invite.expected', { expected: i.expected }) : ''),
        );
        return reply
          .status(STATUS_OF_FORM.get(e.issues[0]?.code ?? '') ?? 400)
          .type('text/html; charset=utf-8')
          .send(invitePage(lang, token, { message: { ok: false, text }, signedInAs: signedInAs(req) }));
      }
    });
  });

  const doc = openApiDocument(options.routes, CITYINDEX_VERSION);
  const docJson = JSON.stringify(doc);
  const docHtml = docsPage(doc);
  app.get('/api/openapi.json', async (_req, reply) => reply.type('application/json; charset=utf-8').send(docJson));
  app.get('/api/docs', async (_req, reply) => reply.type('text/html; charset=utf-8').send(docHtml));
}
