/**
 * The HTTP API (Fastify 5) of one project in a store. Routes only parse, call the `Store` (which
 * enforces every role) or a stored build, and answer JSON; errors are stable bodies
 * `{ error: { code, message, issues } }` with 400/401/403/404/409/413/415/423/429 statuses, never a stack.
 * Sessions: an HttpOnly SameSite=Strict cookie (token stored hashed); every state-changing request of a
 * signed-in user carries the session's CSRF token in `x-csrf-token`; only JSON bodies are accepted (a
 * cross-site form cannot send one), at most `bodyLimit` bytes; login and all requests are rate-limited
 * per address.
 */
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { CityIndexError } from '../engine/core/errors.ts';
import { buildEdition } from '../store/edition.ts';
import type { Principal } from '../store/principal.ts';
import { SESSION_HOURS, type ProjectInfo, type Store } from '../store/store.ts';
import { FIELDWORK_ROUTES, registerFieldworkRoutes, type FieldworkRouteOptions } from './fieldwork.ts';
import { EXPERT_ROUTES, registerExpertRoutes } from './expert-routes.ts';
import { CASELOG_ROUTES, registerCaseLogRoutes } from './caselog-routes.ts';
import { EditionBody, LoginBody, NewUserBody, ReviewBody, SubmissionBody, parseBody } from './schemas.ts';
import { parseCookies, rateLimiter, SECURITY_HEADERS, SESSION_COOKIE, sessionCookie } from './security.ts';
import { errorBody, requestLang } from './language.ts';
import { PLATFORM_ROUTES, registerPlatformRoutes } from './platform-routes.ts';
import { registerSubmissionRoutes, SUBMISSION_ROUTES } from './uploads.ts';
import { registerWorkbenchRoutes, WORKBENCH_ROUTES } from './workbench-routes.ts';
import { EditionSite, siteFile, type EditionSiteSource, type SiteFile } from './edition-site.ts';

/** Options of `createServer`. */
export interface ServerOptions {
  store: Store;
  /** The project served (its slug in the store). */
  project: ProjectInfo;
  /** Largest request body in bytes (default 1 MiB). */
  bodyLimit?: number;
  /** Requests per address per minute (default 600) and login attempts per address per minute (default 10). */
  rateLimit?: { perMinute?: number; loginPerMinute?: number };
  /** Mark the session cookie `Secure` (behind HTTPS). */
  secureCookies?: boolean;
  /** Fastify's logger (default off). */
  logger?: boolean;
  /** Survey fieldwork: respondent limits, public origin, pages folder (see server/fieldwork.ts). */
  fieldwork?: Omit<FieldworkRouteOptions, 'store' | 'project'>;
  /** Serve only the session and fieldwork routes (`cityindex survey serve`). */
  fieldworkOnly?: boolean;
  /**
   * The public dashboard as files (name → bytes: `index.html`, `assets/…`, `data/…`, `downloads/…`, as
   * `cityindex export-site` writes them), served at `/` from memory; none → the site routes answer 404.
   */
  site?: ReadonlyMap<string, string | Uint8Array>;
  /** Largest case-log upload in bytes (default CASELOG_UPLOAD_BYTES, 256 MiB). */
  caseLogUploadBytes?: number;
  /**
   * The public dashboard from the store's latest published edition (what `serve` uses): the page's
   * assets plus each edition's data built once per publish (server/edition-site.ts); wins over `site`.
   */
  editionSite?: EditionSiteSource;
}

/** HTTP status of each store error code; anything else is 400 (bad input). */
const STATUS = new Map<string, number>([
  ['E_UNAUTHENTICATED', 401],
  ['E_LOGIN', 401],
  ['E_FORBIDDEN', 403],
  ['E_CSRF', 403],
  ['E_NOT_FOUND', 404],
  ['E_CONFLICT', 409],
  ['E_IN_USE', 409],
  ['E_EDITION_NOT_FROZEN', 409],
  ['E_EDITION_MISMATCH', 409],
  ['E_UPLOAD_LIMIT', 413],
  ['E_DUPLICATE_RESPONSE', 409],
  ['E_TOKEN_USED', 409],
  ['E_INVITATION_USED', 409],
  ['E_INVITATION_REVOKED', 410],
  ['E_CLOSED', 409],
  ['E_PANEL_CLOSED', 409],
  ['E_LOCKED', 423],
  ['E_RATE_LIMIT', 429],
]);

/** Every route: method, URL, and whether it changes state (listed for the attack-matrix tests). */
export const ROUTES = [
  { method: 'GET', url: '/api/health', writes: false },
  { method: 'POST', url: '/api/session', writes: true },
  { method: 'DELETE', url: '/api/session', writes: true },
  { method: 'GET', url: '/api/me', writes: false },
  { method: 'GET', url: '/api/project', writes: false },
  { method: 'GET', url: '/api/editions', writes: false },
  { method: 'POST', url: '/api/editions', writes: true },
  { method: 'GET', url: '/api/editions/:id', writes: false },
  { method: 'POST', url: '/api/editions/:id/publish', writes: true },
  { method: 'GET', url: '/api/editions/:id/site-data', writes: false },
  { method: 'GET', url: '/api/units/:unit/values', writes: false },
  { method: 'GET', url: '/api/submissions', writes: false },
  { method: 'POST', url: '/api/submissions', writes: true },
  { method: 'GET', url: '/api/submissions/:id', writes: false },
  { method: 'POST', url: '/api/submissions/:id/review', writes: true },
  { method: 'GET', url: '/api/users', writes: false },
  { method: 'POST', url: '/api/users', writes: true },
  { method: 'GET', url: '/api/audit', writes: false },
  { method: 'GET', url: '/api/audit/verify', writes: false },
  ...PLATFORM_ROUTES,
  ...SUBMISSION_ROUTES, // submission rounds, templates, uploads (uploads.ts)
  ...FIELDWORK_ROUTES,
  ...EXPERT_ROUTES, // expert AHP panels (expert-routes.ts)
  ...WORKBENCH_ROUTES, // the workbench's status and sheet views (workbench-routes.ts)
  ...CASELOG_ROUTES, // case logs: upload, batches, KPIs (caselog-routes.ts)
  // the public dashboard (static files from memory; the API above is unchanged)
  { method: 'GET', url: '/', writes: false },
  { method: 'GET', url: '/index.html', writes: false },
  { method: 'GET', url: '/assets/:file', writes: false },
  { method: 'GET', url: '/data/:file', writes: false },
  { method: 'GET', url: '/downloads/:file', writes: false },
] as const;

/** What a fieldwork-only server answers: health, sessions, fieldwork API and the survey pages. */
const FIELDWORK_ONLY = /^\/(api\/(health|session|me|fieldwork)(\/|\?|$)|survey(\/|$))/;

/** Content types of the site's files, by extension; any other file is not served. */
const SITE_TYPES = new Map([
  ['html', 'text/html; charset=utf-8'],
  ['js', 'text/javascript; charset=utf-8'],
  ['css', 'text/css; charset=utf-8'],
  ['csv', 'text/csv; charset=utf-8'],
  ['xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
  ['pdf', 'application/pdf'],
]);

/**
 * The CSP of the dashboard's pages: scripts, styles and data from the site itself only, the engine
 * worker from a Blob URL, no inline script, no other origin.
 */
export const SITE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
  "connect-src 'self'; worker-src blob:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Skip the CSRF check (the invitation form only: see platform-routes.ts). */
    csrfExempt?: boolean;
  }
  interface FastifyRequest {
    principal: Principal;
    csrf?: string;
    sessionToken?: string;
  }
}

function apiError(code: string, message: string, expected?: string): CityIndexError {
  return new CityIndexError({ code, message, ...(expected && { expected }) });
}

/** A positive integer path parameter, or a located 400. */
function idParam(req: FastifyRequest, name = 'id'): number {
  const raw = (req.params as Record<string, string>)[name];
  const n = Number(raw);
  if (!/^[0-9]{1,12}$/.test(raw ?? '') || !Number.isSafeInteger(n) || n < 1) {
    throw new CityIndexError({
      code: 'E_PARAM',
      message: `"${raw}" is not an id / 不是有效编号`,
      field: name,
      expected: 'a positive whole number',
    });
  }
  return n;
}

/**
 * The Fastify app of a project in a store (not listening: call `listen`, or `inject` in tests).
 * @example
 * import { Store } from '../store/store.ts';
 * import { systemPrincipal } from '../store/principal.ts';
 * const store = await Store.open({ sqliteFile: ':memory:' });
 * const empty = { slug: 'p', name: 'P', projectFile: 'project.yaml', files: [], nodes: [], units: [], values: [] };
 * const project = await store.saveProject(systemPrincipal('doc'), empty);
 * const app = await createServer({ store, project });
 * const res = await app.inject({ url: '/api/editions' });
 * res.json() // => { editions: [] }
 * await app.close();
 * await store.close();
 */
export async function createServer(options: ServerOptions): Promise<FastifyInstance> {
  const { store, project } = options;
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    trustProxy: false,
    routerOptions: { maxParamLength: 100 },
  });
  // JSON only: a cross-site HTML form cannot send application/json without a CORS preflight
  app.removeContentTypeParser('text/plain');
  const limitAll = rateLimiter({ max: options.rateLimit?.perMinute ?? 600, windowMs: 60_000 });
  const limitLogin = rateLimiter({ max: options.rateLimit?.loginPerMinute ?? 10, windowMs: 60_000 });

  app.decorateRequest('principal', null as never); // set per request (Fastify: no shared object defaults)
  app.addHook('onRequest', async (req) => {
    if (!limitAll(req.ip, Date.now())) throw apiError('E_RATE_LIMIT', 'too many requests / 请求过多', 'fewer requests');
    req.principal = { kind: 'anonymous', address: req.ip };
    const token = parseCookies(req.headers.cookie).get(SESSION_COOKIE);
    if (token) {
      const s = await store.session(token, req.ip);
      if (s) {
        req.principal = s.principal;
        req.csrf = s.csrf;
        req.sessionToken = token;
      }
    }
    if (options.fieldworkOnly && !FIELDWORK_ONLY.test(req.url))
      throw apiError('E_NOT_FOUND', 'no such route / 无此接口');
    const writes = req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'OPTIONS';
    // csrfExempt: only the invitation form (its token is the credential; it acts on no signed-in account)
    const exempt = req.routeOptions.config?.csrfExempt === true;
    if (writes && !exempt && req.csrf !== undefined && req.headers['x-csrf-token'] !== req.csrf) {
      throw apiError('E_CSRF', 'missing or wrong CSRF token / CSRF 令牌缺失或错误', 'the x-csrf-token header');
    }
  });
  app.addHook('onSend', async (_req, reply, payload) => {
    // pages (the dashboard's files, the survey pages, /invite, /api/docs) set their own CSP and caching;
    // every other response gets the API's
    for (const [k, v] of SECURITY_HEADERS) if (!reply.hasHeader(k)) reply.header(k, v);
    return payload;
  });
  // error bodies keep their stable code; their messages are in the request's language (server/language.ts)
  app.setErrorHandler(async (err: unknown, req: FastifyRequest, reply: FastifyReply) => {
    const lang = requestLang(req.headers['accept-language']);
    if (err instanceof CityIndexError) {
      const status = STATUS.get(err.issues[0]?.code ?? '') ?? 400;
      return reply.status(status).send(errorBody(err.issues, lang));
    }
    const fe = err as { statusCode?: number; code?: string; message?: string };
    if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
      const code = fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? 'E_BODY_TOO_LARGE' : `E_HTTP_${fe.statusCode}`;
      return reply.status(fe.statusCode).send(errorBody([{ code, message: fe.message ?? 'bad request' }], lang));
    }
    req.log.error(err);
    return reply.status(500).send(errorBody([{ code: 'E_INTERNAL', message: 'internal error / 内部错误' }], lang));
  });
  app.setNotFoundHandler(async (req, reply) =>
    reply
      .status(404)
      .send(
        errorBody(
          [{ code: 'E_NOT_FOUND', message: 'no such route / 无此接口' }],
          requestLang(req.headers['accept-language']),
        ),
      ),
  );

  app.get('/api/health', async () => ({ ok: true }));

  const fixedSite = options.site && new Map([...options.site].map(([name, content]) => [name, siteFile(content)]));
  const editionSite =
    options.editionSite &&
    new EditionSite(store, project, {
      ...options.editionSite,
      build:
        options.editionSite.build ??
        (async (id) => (await import('../store/edition-site.ts')).editionSiteFiles(store, project, id)),
    });
  editionSite?.refresh();
  const hasSite = fixedSite !== undefined || editionSite !== undefined;
  const siteFileOf = async (name: string): Promise<SiteFile | undefined> =>
    editionSite ? editionSite.file(name) : fixedSite?.get(name);
  const sendSite = async (req: FastifyRequest, reply: FastifyReply, name: string) => {
    const ext = name.slice(name.lastIndexOf('.') + 1);
    const type = SITE_TYPES.get(ext);
    const file = type === undefined ? undefined : await siteFileOf(name);
    if (file === undefined || type === undefined)
      throw apiError('E_NOT_FOUND', 'no such file / 无此文件', hasSite ? 'a file of the site' : 'serve with the site');
    reply.header('content-security-policy', SITE_CSP);
    reply.header('cache-control', 'no-cache');
    reply.header('etag', file.etag);
    reply.type(type);
    if (name.startsWith('downloads/')) reply.header('content-disposition', 'attachment');
    if (req.headers['if-none-match'] === file.etag) return reply.status(304).send();
    return reply.send(file.body);
  };
  /** One path segment of a site file: letters, digits, dot, dash, underscore; not hidden. */
  const fileParam = (req: FastifyRequest): string => {
    const f = (req.params as Record<string, string>).file ?? '';
    if (!/^[A-Za-z0-9_-][A-Za-z0-9._-]{0,100}$/.test(f))
      throw apiError('E_NOT_FOUND', 'no such file / 无此文件', 'a file of the site');
    return f;
  };
  app.get('/', async (req, reply) => sendSite(req, reply, 'index.html'));
  app.get('/index.html', async (req, reply) => sendSite(req, reply, 'index.html'));
  for (const folder of ['assets', 'data', 'downloads'] as const)
    app.get(`/${folder}/:file`, async (req, reply) => sendSite(req, reply, `${folder}/${fileParam(req)}`));

  app.post('/api/session', async (req, reply) => {
    if (!limitLogin(req.ip, Date.now())) throw apiError('E_RATE_LIMIT', 'too many logins / 登录尝试过多', 'later');
    const body = parseBody(LoginBody, req.body);
    const s = await store.login(body.username, body.password, req.ip);
    if (req.sessionToken) await store.logout(req.sessionToken); // a new session id at every login (no fixation)
    reply.header('set-cookie', sessionCookie(s.token, SESSION_HOURS * 3600, options.secureCookies ?? false));
    return { user: { username: s.principal.username, role: s.principal.role }, csrf: s.csrf };
  });
  app.delete('/api/session', async (req, reply) => {
    if (req.sessionToken) await store.logout(req.sessionToken);
    reply.header('set-cookie', sessionCookie('', 0, options.secureCookies ?? false));
    return { ok: true };
  });
  app.get('/api/me', async (req) => {
    const p = req.principal;
    if (p.kind !== 'user') throw apiError('E_UNAUTHENTICATED', 'not signed in / 未登录', 'a session cookie');
    return {
      user: { username: p.username, role: p.role },
      csrf: req.csrf,
      cities: await store.citiesOf(p, project.id),
    };
  });

  app.get('/api/project', async () => ({
    project: { slug: project.slug, name: project.name },
    framework: await store.framework(project.id),
    units: await store.units(project.id),
  }));

  app.get('/api/editions', async (req) => ({ editions: await store.listEditions(req.principal, project.id) }));
  app.post('/api/editions', async (req, reply) => {
    const body = parseBody(EditionBody, req.body);
    const edition = await buildEdition(store, req.principal, project, body.name);
    return reply.status(201).send({ edition: { ...edition, results: undefined } });
  });
  app.get('/api/editions/:id', async (req) => {
    const edition = await store.edition(req.principal, idParam(req));
    if (edition.projectId !== project.id) throw apiError('E_NOT_FOUND', 'no such edition / 找不到版本');
    // the frozen inputs and spec stay server-side (the public site's rebuild): up to megabytes at 333 × 200
    const { inputs: _inputs, spec: _spec, ...results } = (edition.results ?? {}) as Record<string, unknown>;
    return { edition: { ...edition, results } };
  });
  app.get('/api/editions/:id/site-data', async (req) => {
    const { editionSiteData } = await import('../store/edition-site.ts');
    return { site: await editionSiteData(store, req.principal, project, idParam(req)) };
  });
  app.post('/api/editions/:id/publish', async (req) => {
    const edition = await store.publishEdition(req.principal, idParam(req));
    editionSite?.refresh(); // the public site's new data, built once, starting now
    return { edition: { ...edition, results: undefined } };
  });

  app.get('/api/units/:unit/values', async (req) => {
    const unit = (req.params as Record<string, string>).unit;
    return { values: await store.unitValues(req.principal, project.id, unit) };
  });

  app.get('/api/submissions', async (req) => ({ submissions: await store.listSubmissions(req.principal, project.id) }));
  app.post('/api/submissions', async (req, reply) => {
    const body = parseBody(SubmissionBody, req.body);
    const submission = await store.submit(req.principal, project.id, body.unit, body.values);
    return reply.status(201).send({ submission });
  });
  app.get('/api/submissions/:id', async (req) => {
    const submission = await store.submission(req.principal, idParam(req));
    if (submission.projectId !== project.id) throw apiError('E_NOT_FOUND', 'no such submission / 找不到提交');
    return { submission };
  });
  app.post('/api/submissions/:id/review', async (req) => {
    const body = parseBody(ReviewBody, req.body);
    const decision = { approve: body.decision === 'approve', comment: body.comment, version: body.version };
    return { submission: await store.review(req.principal, idParam(req), decision) };
  });

  app.get('/api/users', async (req) => ({ users: await store.listUsers(req.principal) }));
  app.post('/api/users', async (req, reply) => {
    const body = parseBody(NewUserBody, req.body);
    const user = await store.createUser(req.principal, { ...body, projectId: project.id });
    return reply.status(201).send({ user });
  });

  app.get('/api/audit', async (req) => {
    const q = req.query as Record<string, string | undefined>;
    const afterSeq = Number(q.after ?? 0) || 0;
    const limit = Number(q.limit ?? 1000) || 1000;
    return { audit: await store.auditLog(req.principal, { afterSeq, limit }) };
  });
  app.get('/api/audit/verify', async (req) => ({ verification: await store.verifyAudit(req.principal) }));

  await registerPlatformRoutes(app, { store, project, routes: ROUTES });
  await registerSubmissionRoutes(app, { store, project });
  await registerFieldworkRoutes(app, { ...options.fieldwork, store, project });
  await registerExpertRoutes(app, { store, project });
  await registerWorkbenchRoutes(app, { store, project });
  await registerCaseLogRoutes(app, { store, project, maxUploadBytes: options.caseLogUploadBytes });

  await app.ready();
  return app;
}
