/**
 * The HTTP API through Fastify's `inject`, on SQLite and PostgreSQL: sessions and cookie flags, CSRF,
 * bounded bodies, rate limits, the submission → review → edition → publish flow, and an attack matrix
 * generated from the route table (every route × anonymous / city A / wrong roles, aimed at city B's
 * data and an unpublished edition): no leak, no unauthorised write.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, ROUTES } from '../../src/server/app.ts';
import { importProjectFolder } from '../../src/store/project-io.ts';
import { systemPrincipal } from '../../src/store/principal.ts';
import type { ProjectInfo, Store } from '../../src/store/store.ts';
import { attachFile, openRound, roundValues, saveValues, listRounds } from '../../src/store/submission-flow.ts';
import { DIALECTS, type TestStore } from '../store/stores.ts';
import { TEST_PASSWORD, testClient } from './client.ts';
import { loadSurvey } from '../../src/formats/survey.ts';
import { Fieldwork } from '../../src/store/fieldwork.ts';
import { addPanelExpert, openPanel, saveJudgements } from '../../src/store/expert-panel.ts';

const CLI = systemPrincipal('test');
const PASSWORD = TEST_PASSWORD;

describe.each(DIALECTS)('server on $name', ({ open, skip }) => {
  let t: TestStore;
  let store: Store;
  let project: ProjectInfo;
  let app: FastifyInstance;
  let units: string[];
  let indicators: string[];
  const { sessions, login, as } = testClient(() => app);
  /** City B's pending submission, and a draft edition, made before the matrix. */
  let foreignSubmission: number;
  let draftEdition: number;
  let draftFingerprint: string;
  /** A submission round with city B's draft value (SECRET_VALUE) and attachment. */
  let round: number;
  let foreignAttachment: number;
  /** A respondent's partial response in fieldwork wave w1 (its device key is not known to the attackers). */
  const foreignResponse = '5b0a8c1e-0d3f-4c55-9a41-6c7f1f2e9a10';
  const SECRET_VALUE = 987654.321;
  /** An expert panel with another expert's draft judgement (none of the matrix's callers may reach it). */
  let panel: number;

  beforeAll(async () => {
    if (skip) return;
    t = await open();
    store = t.store;
    project = await importProjectFolder(store, CLI, 'examples/asem');
    units = (await store.units(project.id)).map((u) => u.code);
    indicators = (await store.framework(project.id)).filter((n) => n.kind === 'indicator').map((n) => n.code);
    const add = (username: string, role: string, cities?: string[]) =>
      store.createUser(CLI, { username, password: PASSWORD, role, projectId: project.id, cities });
    await add('admin1', 'admin');
    await add('author1', 'author');
    await add('reviewer1', 'reviewer');
    await add('cityA', 'city', [units[0]]);
    await add('cityB', 'city', [units[1]]);
    const fieldwork = new Fieldwork(store);
    await fieldwork.createWave(CLI, project.id, {
      slug: 'w1',
      survey: await loadSurvey('examples/cdgi-2020/surveys/survey.yaml'),
    });
    await fieldwork.saveResponse({
      wave: 'w1',
      city: '110100',
      responseId: foreignResponse,
      deviceKey: 'the-respondents-own-device-key',
      answers: { fw_resident: 'yes', age: 87 },
      pageTimes: {},
      language: 'zh',
      complete: false,
    });
    const expert = await add('expert1', 'expert');
    panel = (await openPanel(store, CLI, project, { title: 'matrix', parents: ['Index'] })).id;
    await addPanelExpert(store, CLI, panel, 'expert1');
    const expertPrincipal = { kind: 'user' as const, userId: expert.id, username: 'expert1', role: 'expert' as const };
    await saveJudgements(store, expertPrincipal, panel, { parent: 'Index', answers: { ahp__Index__Conn__Sust: 7 } });
    app = await createServer({ store, project, rateLimit: { perMinute: 100_000, loginPerMinute: 1000 } });
    for (const u of ['admin1', 'author1', 'reviewer1', 'cityA', 'cityB']) sessions.set(u, await login(u));
    const sub = await as('cityB', {
      method: 'POST',
      url: '/api/submissions',
      payload: { unit: units[1], values: [{ indicator: indicators[0], value: SECRET_VALUE, source: 'secret' }] },
    });
    expect(sub.statusCode, sub.body).toBe(201);
    foreignSubmission = sub.json().submission.id;
    const ed = await as('author1', { method: 'POST', url: '/api/editions', payload: { name: 'draft' } });
    expect(ed.statusCode, ed.body).toBe(201);
    draftEdition = ed.json().edition.id;
    draftFingerprint = ed.json().edition.fingerprint;
    round = (await openRound(store, CLI, project.id, 'matrix')).id;
    const cityB = (await store.session(sessions.get('cityB')!.cookie.split('=')[1]))!.principal;
    await saveValues(store, cityB, round, units[1], [{ indicator: indicators[0], value: SECRET_VALUE, version: 0 }]);
    const pdf = new TextEncoder().encode('%PDF-1.4 secret bulletin');
    foreignAttachment = (
      await attachFile(store, cityB, round, units[1], indicators[0], 1, { fileName: 'b.pdf', bytes: pdf })
    ).attachmentId;
  }, 120_000);
  afterAll(async () => {
    if (skip) return;
    await app.close();
    await t.dispose();
  });

  it.skipIf(skip)('login sets an HttpOnly SameSite=Strict cookie and a new session id each time', async () => {
    const r = await app.inject({
      method: 'POST',
      url: '/api/session',
      payload: { username: 'cityA', password: PASSWORD },
      headers: { cookie: sessions.get('cityA')!.cookie, 'x-csrf-token': sessions.get('cityA')!.csrf },
    });
    const setCookie = String(r.headers['set-cookie']);
    expect(setCookie).toMatch(/^cityindex_session=[A-Za-z0-9_-]{40,}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=/);
    expect(setCookie.split(';')[0]).not.toBe(sessions.get('cityA')!.cookie);
    // the session presented at login was ended (no fixation)
    const old = await app.inject({ url: '/api/me', headers: { cookie: sessions.get('cityA')!.cookie } });
    expect(old.statusCode).toBe(401);
    sessions.set('cityA', { cookie: setCookie.split(';')[0], csrf: r.json().csrf });
    expect(r.headers['content-security-policy']).toContain("default-src 'none'");
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    const bad = await app.inject({
      method: 'POST',
      url: '/api/session',
      payload: { username: 'cityA', password: 'x' },
    });
    expect(bad.statusCode).toBe(401);
    expect(bad.json().error.code).toBe('E_LOGIN');
    expect(bad.body).not.toMatch(/at .*\.ts/); // no stack trace
  });

  it.skipIf(skip)('state-changing requests need the CSRF token; only JSON bodies; bounded size', async () => {
    const s = sessions.get('cityA')!;
    const payload = { unit: units[0], values: [{ indicator: indicators[0], value: 1 }] };
    const noToken = await app.inject({
      method: 'POST',
      url: '/api/submissions',
      payload,
      headers: { cookie: s.cookie },
    });
    expect(noToken.statusCode).toBe(403);
    expect(noToken.json().error.code).toBe('E_CSRF');
    const wrong = await app.inject({
      method: 'POST',
      url: '/api/submissions',
      payload,
      headers: { cookie: s.cookie, 'x-csrf-token': 'guess' },
    });
    expect(wrong.statusCode).toBe(403);
    const form = await as('cityA', {
      method: 'POST',
      url: '/api/submissions',
      payload: 'unit=1',
      headers: { 'content-type': 'text/plain' },
    });
    expect(form.statusCode).toBe(415);
    const huge = await as('cityA', {
      method: 'POST',
      url: '/api/submissions',
      payload: JSON.stringify({ unit: units[0], values: [], pad: 'x'.repeat(2 * 1024 * 1024) }),
      headers: { 'content-type': 'application/json' },
    });
    expect(huge.statusCode).toBe(413);
    const schema = await as('cityA', {
      method: 'POST',
      url: '/api/submissions',
      payload: { unit: units[0], values: 3 },
    });
    expect(schema.statusCode).toBe(400);
    expect(schema.json().error.issues[0]).toMatchObject({ code: 'E_SCHEMA', field: 'values', file: 'request body' });
    expect((await store.listSubmissions(CLI, project.id)).filter((x) => x.unit === units[0])).toHaveLength(0);
  });

  it.skipIf(skip)(
    'login attempts are rate-limited per address',
    async () => {
      const limited = await createServer({ store, project, rateLimit: { loginPerMinute: 3 } });
      const codes: number[] = [];
      for (let i = 0; i < 5; i++) {
        const r = await limited.inject({
          method: 'POST',
          url: '/api/session',
          payload: { username: 'n', password: 'p' },
        });
        codes.push(r.statusCode);
      }
      expect(codes).toEqual([401, 401, 401, 429, 429]);
      await limited.close();
    },
    30_000,
  );

  it.skipIf(skip)(
    'attack matrix: every route × anonymous, city A and wrong roles on foreign data',
    async () => {
      const params = new Map([
        [':unit', units[1]],
        [':id', ''],
      ]);
      const urlFor = (url: string) =>
        url === '/api/compare'
          ? `/api/compare?from=${draftEdition}&to=${draftEdition}`
          : url.startsWith('/api/panels/')
            ? url.replace(':id', String(panel))
            : url.startsWith('/api/fieldwork/')
              ? url
                  .replace(':wave', 'w1')
                  .replace(':city', '110100')
                  .replace(':id', foreignResponse)
                  .replace(':indicator', 'Physical')
              : url.includes('/submissions/')
                ? url.replace(':id', String(foreignSubmission))
                : url.startsWith('/api/attachments/')
                  ? url.replace(':id', String(foreignAttachment))
                  : url
                      .replace(':id', String(draftEdition))
                      .replace(':round', String(round))
                      .replace(':unit', params.get(':unit')!)
                      .replace(':file', 'app.js');
      const bodies = new Map<string, unknown>([
        ['POST /api/session', { username: 'cityB', password: 'wrong password!!' }],
        ['POST /api/editions', { name: 'attack' }],
        ['POST /api/submissions', { unit: units[1], values: [{ indicator: indicators[0], value: 1 }] }],
        ['POST /api/submissions/:id/review', { decision: 'approve', comment: 'x', version: 1 }],
        ['POST /api/users', { username: 'mallory', password: PASSWORD, role: 'admin' }],
        ['POST /api/invitations', { role: 'admin' }],
        ['POST /api/invitations/accept', { token: 'A'.repeat(43), username: 'mallory2', password: PASSWORD }],
        ['POST /api/rounds', { name: 'attack' }],
        ['PUT /api/rounds/:round/units/:unit/values', { values: [{ indicator: indicators[0], value: 1, version: 1 }] }],
        [
          'POST /api/rounds/:round/units/:unit/review',
          { decisions: [{ indicator: indicators[0], decision: 'approve', version: 2 }] },
        ],
        [
          'POST /api/fieldwork/responses/:id',
          {
            wave: 'w1',
            city: '110100',
            deviceKey: 'an-attackers-guessed-device-key',
            answers: { fw_resident: 'no' },
            language: 'zh',
            complete: true,
          },
        ],
        ['POST /api/fieldwork/waves/:wave/status', { status: 'closed' }],
        ['POST /api/fieldwork/waves/:wave/tokens', { city: '110100', count: 2 }],
        ['POST /api/panels', { title: 'attack' }],
        ['POST /api/panels/:id/judgements', { parent: 'Index', answers: { ahp__Index__Conn__Sust: -9 }, submit: true }],
        ['POST /api/panels/:id/experts', { username: 'cityA' }],
        ['POST /api/panels/:id/invitations', {}],
        ['POST /api/panels/:id/variant', { method: 'aij' }],
        ['POST /api/fieldwork/waves', { slug: 'attack' }],
        ['POST /api/fieldwork/waves/:wave/values', {}],
      ]);
      // who may do what to city B's data and the draft edition (everything else must be refused)
      const allowed = new Map<string, ReadonlySet<string>>([
        ['GET /api/health', new Set(['anon', 'cityA', 'reviewer1', 'author1'])],
        ['GET /api/project', new Set(['anon', 'cityA', 'reviewer1', 'author1'])],
        ['GET /api/editions', new Set(['anon', 'cityA', 'reviewer1', 'author1'])],
        ['GET /api/me', new Set(['cityA', 'reviewer1', 'author1'])],
        ['DELETE /api/session', new Set<string>()], // run separately: it would end the session
        ['GET /api/editions/:id', new Set(['reviewer1', 'author1'])],
        ['GET /api/editions/:id/site-data', new Set(['reviewer1', 'author1'])],
        ['POST /api/editions', new Set(['author1'])],
        ['POST /api/editions/:id/publish', new Set(['author1'])],
        ['GET /api/units/:unit/values', new Set(['reviewer1', 'author1'])],
        ['GET /api/submissions', new Set(['cityA', 'reviewer1', 'author1'])],
        ['GET /api/submissions/:id', new Set(['reviewer1', 'author1'])],
        ['POST /api/submissions/:id/review', new Set(['reviewer1'])],
        ['GET /api/editions/:id/results.json', new Set(['reviewer1', 'author1'])],
        ['GET /api/editions/:id/results.csv', new Set(['reviewer1', 'author1'])],
        ['GET /api/compare', new Set(['reviewer1', 'author1'])],
        ['GET /invite', new Set(['anon', 'cityA', 'reviewer1', 'author1'])],
        ['POST /api/invitations/:id/revoke', new Set<string>()], // admins only (none in this matrix)
        ['GET /api/openapi.json', new Set(['anon', 'cityA', 'reviewer1', 'author1'])],
        ['GET /api/docs', new Set(['anon', 'cityA', 'reviewer1', 'author1'])],
        ['GET /api/rounds', new Set(['cityA', 'reviewer1', 'author1'])],
        ['POST /api/rounds', new Set(['author1'])],
        ['GET /api/rounds/:round/units/:unit/template', new Set(['reviewer1', 'author1'])],
        ['GET /api/rounds/:round/units/:unit/values', new Set(['reviewer1', 'author1'])],
        ['GET /api/rounds/:round/units/:unit/history', new Set(['reviewer1', 'author1'])],
        ['POST /api/rounds/:round/units/:unit/review', new Set(['reviewer1'])],
        ['GET /api/attachments/:id', new Set(['reviewer1', 'author1'])],
        // workbench views: a city officer sees the status of its own cities only (no values in it)
        ['GET /api/rounds/:round/status', new Set(['cityA', 'reviewer1', 'author1'])],
        ['GET /api/rounds/:round/units/:unit/sheet', new Set(['reviewer1', 'author1'])],
        // fieldwork: respondents read the form; a foreign response can be neither read nor written without
        // its device key; staff watch; authors manage
        ['GET /api/fieldwork/waves', new Set(['reviewer1', 'author1'])],
        ['GET /api/fieldwork/waves/:wave/cities/:city/form', new Set(['anon', 'cityA', 'reviewer1', 'author1'])],
        ['POST /api/fieldwork/waves/:wave/status', new Set(['author1'])],
        ['POST /api/fieldwork/waves/:wave/tokens', new Set(['author1'])],
        ['GET /api/fieldwork/waves/:wave/monitor', new Set(['reviewer1', 'author1'])],
        ['GET /api/fieldwork/waves/:wave/export', new Set(['reviewer1', 'author1'])],
        ['GET /api/fieldwork/waves/:wave/estimates', new Set(['reviewer1', 'author1'])],
        ['GET /api/fieldwork/waves/:wave/cities/:city/qr', new Set(['reviewer1', 'author1'])],
        // expert panels: authors manage and read everything; only the panel's own experts answer (none here)
        ['GET /api/panels', new Set(['author1'])],
        ['GET /api/panels/candidates', new Set(['author1'])],
        ['POST /api/panels', new Set(['author1'])],
        ['GET /api/panels/:id', new Set(['author1'])],
        ['GET /api/panels/:id/judgements', new Set(['author1'])],
        ['POST /api/panels/:id/judgements', new Set<string>()],
        ['POST /api/panels/:id/experts', new Set(['author1'])],
        ['POST /api/panels/:id/invitations', new Set(['author1'])],
        ['GET /api/panels/:id/results', new Set(['author1'])],
        ['POST /api/panels/:id/variant', new Set(['author1'])],
        ['POST /api/fieldwork/waves', new Set(['author1'])],
        ['GET /api/fieldwork/waves/:wave/events', new Set(['reviewer1', 'author1'])],
        // case logs (none stored here; a city officer's reach is tested in caselogs.test.ts): staff and city
        // officers list and read KPIs (their own cities'), admins and authors delete, experts and readers nothing
        ['GET /api/caselogs', new Set(['cityA', 'reviewer1', 'author1'])],
        ['POST /api/caselogs', new Set(['cityA', 'author1'])],
        ['GET /api/caselogs/kpis', new Set(['cityA', 'reviewer1', 'author1'])],
        ['GET /api/caselogs/kpis.csv', new Set(['cityA', 'reviewer1', 'author1'])],
        ['GET /api/caselogs/:id', new Set(['cityA', 'reviewer1', 'author1'])],
        ['DELETE /api/caselogs/:id', new Set(['author1'])],
        // survey estimates into the index: authors write; staff read a value's lineage
        ['POST /api/fieldwork/waves/:wave/values', new Set(['author1'])],
        ['GET /api/fieldwork/values/:city/:indicator', new Set(['reviewer1', 'author1'])],
        ['POST /api/panels/:id/close', new Set(['author1'])],
        // the public dashboard's static files (404 here: this server has no site)
        ...['/', '/index.html', '/assets/:file', '/data/:file', '/downloads/:file'].map(
          (u) => [`GET ${u}`, new Set(['anon', 'cityA', 'reviewer1', 'author1'])] as const,
        ),
      ]);
      const before = {
        submissions: await store.listSubmissions(CLI, project.id),
        users: (await store.listUsers(CLI)).length,
        editions: await store.listEditions(CLI, project.id),
        rounds: await listRounds(store, CLI, project.id),
        roundValues: await roundValues(store, CLI, round, units[1]),
        responses: await store.db.selectFrom('fw_responses').selectAll().execute(),
        tokens: (await store.db.selectFrom('fw_tokens').selectAll().execute()).length,
        judgements: await store.db.selectFrom('ahp_judgements').selectAll().execute(),
        panels: (await store.db.selectFrom('ahp_panels').selectAll().execute()).length,
        surveyValues: (await store.db.selectFrom('survey_values').selectAll().execute()).length,
        openPanels: (await store.db.selectFrom('ahp_panels').selectAll().where('status', '=', 'open').execute()).length,
      };
      const refused: string[] = [];
      for (const route of ROUTES) {
        const key = `${route.method} ${route.url}`;
        if (key === 'DELETE /api/session') continue;
        for (const who of ['anon', 'cityA', 'reviewer1', 'author1']) {
          const ok = allowed.get(key)?.has(who) ?? false;
          if (ok && route.writes) continue; // allowed writes are exercised in the flow test
          const r = await as(who === 'anon' ? undefined : who, {
            method: route.method,
            url: urlFor(route.url),
            ...(bodies.has(key) && { payload: bodies.get(key) as object }),
          });
          if (!ok) {
            expect(r.statusCode, `${who} ${key} → ${r.statusCode} ${r.body}`).toBeGreaterThanOrEqual(400);
            refused.push(`${who} ${key}`);
          }
          // what city A and the public may see never includes city B's pending value or the draft
          if (who === 'anon' || who === 'cityA') {
            expect(r.body, `${who} ${key}`).not.toContain(String(SECRET_VALUE));
            expect(r.body, `${who} ${key}`).not.toContain(draftFingerprint);
          }
        }
      }
      expect(refused.length).toBeGreaterThan(30);
      // no unauthorised write happened
      expect(await store.listSubmissions(CLI, project.id)).toEqual(before.submissions);
      expect((await store.listUsers(CLI)).length).toBe(before.users);
      expect(await store.listEditions(CLI, project.id)).toEqual(before.editions);
      expect(await listRounds(store, CLI, project.id)).toEqual(before.rounds);
      expect(await roundValues(store, CLI, round, units[1])).toEqual(before.roundValues);
      expect(await store.db.selectFrom('fw_responses').selectAll().execute()).toEqual(before.responses);
      expect((await store.db.selectFrom('fw_tokens').selectAll().execute()).length).toBe(before.tokens);
      expect((await store.db.selectFrom('survey_values').selectAll().execute()).length).toBe(before.surveyValues);
      expect((await store.db.selectFrom('ahp_panels').selectAll().where('status', '=', 'open').execute()).length).toBe(
        before.openPanels,
      );
      expect(await store.db.selectFrom('ahp_judgements').selectAll().execute()).toEqual(before.judgements);
      expect((await store.db.selectFrom('ahp_panels').selectAll().execute()).length).toBe(before.panels);
    },
    120_000,
  );

  it.skipIf(skip)(
    'the flow: city submits, reviewer approves, author builds and publishes, public reads',
    async () => {
      const sub = await as('cityA', {
        method: 'POST',
        url: '/api/submissions',
        payload: { unit: units[0], values: [{ indicator: indicators[0], value: 42.5, source: 'bulletin' }] },
      });
      expect(sub.statusCode, sub.body).toBe(201);
      const { id, version } = sub.json().submission;
      const bad = await as('cityA', {
        method: 'POST',
        url: '/api/submissions',
        payload: { unit: units[0], values: [{ indicator: 'NOPE', value: 1 }] },
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.issues[0]).toMatchObject({ code: 'E_UNKNOWN_INDICATOR', row: 1, unit: units[0] });
      const review = await as('reviewer1', {
        method: 'POST',
        url: `/api/submissions/${id}/review`,
        payload: { decision: 'approve', comment: 'ok', version },
      });
      expect(review.statusCode, review.body).toBe(200);
      const stale = await as('reviewer1', {
        method: 'POST',
        url: `/api/submissions/${id}/review`,
        payload: { decision: 'reject', comment: 'late', version },
      });
      expect(stale.statusCode).toBe(409);
      const values = await as('cityA', { url: `/api/units/${units[0]}/values` });
      expect(values.json().values.find((v: { indicator: string }) => v.indicator === indicators[0])).toMatchObject({
        value: 42.5,
        status: 'approved',
        submissionId: id,
      });
      const ed = await as('author1', { method: 'POST', url: '/api/editions', payload: { name: '2020' } });
      expect(ed.statusCode, ed.body).toBe(201);
      const edId = ed.json().edition.id;
      expect((await app.inject({ url: `/api/editions/${edId}` })).statusCode).toBe(404);
      expect((await as('author1', { method: 'POST', url: `/api/editions/${edId}/publish` })).statusCode).toBe(200);
      const pub = await app.inject({ url: `/api/editions/${edId}` });
      expect(pub.statusCode).toBe(200);
      expect(pub.json().edition.results.approvedValues).toEqual([
        { unit: units[0], indicator: indicators[0], submissionId: id, version: 2 },
      ]);
      const audit = await as('admin1', { url: '/api/audit' });
      const actions = audit.json().audit.map((r: { action: string }) => r.action);
      expect(actions).toEqual(expect.arrayContaining(['submission.create', 'submission.approve', 'edition.publish']));
      expect((await as('admin1', { url: '/api/audit/verify' })).json().verification.ok).toBe(true);
      expect((await as('cityA', { url: '/api/audit' })).statusCode).toBe(403);
    },
    60_000,
  );

  it.skipIf(skip)('logout ends the session', async () => {
    expect((await as('cityB', { method: 'DELETE', url: '/api/session' })).statusCode).toBe(200);
    expect((await as('cityB', { url: '/api/me' })).statusCode).toBe(401);
  });
});
