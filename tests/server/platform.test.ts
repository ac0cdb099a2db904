/**
 * The platform routes over HTTP (Fastify inject) on SQLite and PostgreSQL: the OpenAPI document covers
 * exactly the route table and is generated from the routes' own zod schemas; invitations (admin only,
 * CSRF, one use, the link's page and form, escaping); result downloads (JSON, CSV formula-safe, drafts
 * hidden from the public, published ones cached); the comparison of two editions.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ROUTES } from '../../src/server/app.ts';
import { OPERATIONS } from '../../src/server/openapi.ts';
import { InvitationBody } from '../../src/server/platform-schemas.ts';
import { SubmissionBody } from '../../src/server/schemas.ts';
import { listInvitations } from '../../src/store/invitations.ts';
import { systemPrincipal } from '../../src/store/principal.ts';
import type { ProjectInfo, Store } from '../../src/store/store.ts';
import { DIALECTS, type TestStore } from '../store/stores.ts';
import { closeAsemPlatform, openAsemPlatform } from './asem-platform.ts';
import { TEST_PASSWORD, testClient } from './client.ts';

const CLI = systemPrincipal('test');
const PASSWORD = TEST_PASSWORD;

describe.each(DIALECTS)('platform routes on $name', ({ open, skip }) => {
  let t: TestStore;
  let store: Store;
  let project: ProjectInfo;
  let app: FastifyInstance;
  const client = testClient(() => app);
  const { login, as } = client;

  beforeAll(async () => {
    if (skip) return;
    ({ t, store, project, app } = await openAsemPlatform(open, client));
  }, 120_000);
  afterAll(async () => {
    if (!skip) await closeAsemPlatform({ t, app });
  });

  it.skipIf(skip)('/api/openapi.json documents every route of ROUTES and nothing else', async () => {
    const r = await app.inject({ url: '/api/openapi.json' });
    expect(r.statusCode).toBe(200);
    const doc = r.json();
    expect(doc.openapi).toBe('3.1.0');
    expect(doc['x-undocumented']).toEqual([]);
    const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, ms]) =>
      Object.keys(ms).map((m) => `${m.toUpperCase()} ${path.replace(/\{([A-Za-z]+)\}/g, ':$1')}`),
    );
    const routes = ROUTES.map((x) => `${x.method} ${x.url}`);
    expect(documented.sort()).toEqual([...routes].sort());
    expect([...OPERATIONS.keys()].sort()).toEqual([...routes].sort());
    // the request bodies are the routes' own zod schemas
    const sub = doc.paths['/api/submissions'].post.requestBody.content['application/json'].schema;
    const { $schema: _s, ...expected } = z.toJSONSchema(SubmissionBody) as Record<string, unknown>;
    expect(sub).toEqual(expected);
    const inv = doc.paths['/api/invitations'].post.requestBody.content['application/json'].schema;
    expect(inv.properties.role.enum).toEqual((z.toJSONSchema(InvitationBody) as any).properties.role.enum);
    expect(inv.properties.role.enum).toEqual(['admin', 'author', 'reviewer', 'city', 'expert', 'reader']);
    // every operation documents the stable error body
    expect(doc.paths['/api/editions/{id}'].get.responses['404'].content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/Error',
    });
    expect(doc.components.schemas.Error.properties.error.required).toEqual(['code', 'message', 'issues']);
    const page = await app.inject({ url: '/api/docs' });
    expect(page.headers['content-type']).toContain('text/html');
    for (const route of ROUTES) expect(page.body).toContain(route.url.replace(/:([A-Za-z]+)/g, '{$1}'));
    expect(page.body).not.toMatch(/<script|https?:\/\/(?!json-schema)/);
  });

  it.skipIf(skip)('invitations: admin only, CSRF, one use, and the link page with its form', async () => {
    const payload = { role: 'city', cities: ['AUT'], expiresInHours: 48 };
    const units = (await store.units(project.id)).map((u) => u.code);
    payload.cities = [units[0]];
    expect((await as('author1', { method: 'POST', url: '/api/invitations', payload })).statusCode).toBe(403);
    expect((await as(undefined, { method: 'POST', url: '/api/invitations', payload })).statusCode).toBe(401);
    const noCsrf = await as('admin1', { method: 'POST', url: '/api/invitations', payload }, false);
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json().error.code).toBe('E_CSRF');
    const badRole = await as('admin1', { method: 'POST', url: '/api/invitations', payload: { role: 'root' } });
    expect(badRole.statusCode).toBe(400);
    expect(badRole.json().error.issues[0]).toMatchObject({ field: 'role', file: 'request body' });
    expect(await listInvitations(store, CLI)).toHaveLength(0);

    const made = await as('admin1', { method: 'POST', url: '/api/invitations', payload });
    expect(made.statusCode, made.body).toBe(201);
    const { token, link, invitation } = made.json();
    expect(link).toBe(`/invite?token=${token}`);
    expect(invitation).toMatchObject({ role: 'city', cities: [units[0]], status: 'open' });
    const listed = await as('admin1', { url: '/api/invitations' });
    expect(listed.body).not.toContain(token);
    const accept = (username: string) =>
      app.inject({ method: 'POST', url: '/api/invitations/accept', payload: { token, username, password: PASSWORD } });
    expect((await accept('officer1')).statusCode).toBe(201);
    const again = await accept('officer2');
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('E_INVITATION_USED');
    const officer = await login('officer1');
    const me = await app.inject({ url: '/api/me', headers: { cookie: officer.cookie } });
    expect(me.json()).toMatchObject({ user: { username: 'officer1', role: 'city' }, cities: [units[0]] });

    // the link's page: a form carrying the token (escaped), posting URL-encoded fields
    const second = (
      await as('admin1', { method: 'POST', url: '/api/invitations', payload: { role: 'reader' } })
    ).json();
    const page = await app.inject({ url: second.link });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`name="token" value="${second.token}"`);
    const hostile = await app.inject({ url: '/invite?token=%22%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E' });
    expect(hostile.body).not.toContain('<script>');
    expect(hostile.body).toContain('&quot;&gt;&lt;script&gt;');
    const form = (fields: Record<string, string>) =>
      app.inject({
        method: 'POST',
        url: '/invite',
        payload: new URLSearchParams(fields).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
    const weak = await form({ token: second.token, username: 'reader9', password: 'short' });
    expect(weak.statusCode).toBe(400);
    expect(weak.body).toContain('12 to 256 characters');
    const ok = await form({ token: second.token, username: 'reader9', password: PASSWORD });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.body).toContain('reader9');
    expect((await form({ token: second.token, username: 'reader10', password: PASSWORD })).statusCode).toBe(409);
    // URL-encoded bodies are accepted on the invitation form only
    const elsewhere = await as('admin1', {
      method: 'POST',
      url: '/api/invitations',
      payload: 'role=admin',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(elsewhere.statusCode).toBe(415);
    const actions = (await store.auditLog(CLI)).map((r) => r.action);
    expect(actions.filter((a) => a === 'invitation.accept')).toHaveLength(2);
  });

  it.skipIf(skip)('downloads: JSON and formula-safe CSV; drafts hidden from the public; compare', async () => {
    const header = ['code', 'name_zh', 'name_en', 'Index', 'Index_rank'];
    const rows = [
      ['110000', '=HYPERLINK("http://x")', '+SUM(A1)', -5.5, 1],
      ['310000', '@cmd', '\tTab', null, null],
      ['440100', '-1+1', '\rCR', 3, 2],
    ];
    const e1 = await store.createEdition(CLI, project.id, {
      name: 'hostile',
      results: { header, rows },
      fingerprint: 'f1',
    });
    const draftRows = rows.map((r) => [...r.slice(0, 3), r[3] === null ? null : Number(r[3]) + 1, r[4]]);
    const e2 = await store.createEdition(CLI, project.id, {
      name: 'draft',
      results: { header, rows: draftRows },
      fingerprint: 'f2',
    });
    expect((await app.inject({ url: `/api/editions/${e1.id}/results.csv` })).statusCode).toBe(404);
    await store.publishEdition(CLI, e1.id);
    const csv = await app.inject({ url: `/api/editions/${e1.id}/results.csv` });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.split(/\r?\n/).slice(0, 4)).toEqual([
      '\ufeffcode,name_zh,name_en,Index,Index_rank',
      `110000,"'=HYPERLINK(""http://x"")",'+SUM(A1),-5.5,1`,
      `310000,'@cmd,'\tTab,,`,
      `440100,'-1+1,"'\rCR",3,2`,
    ]);
    const json = await app.inject({ url: `/api/editions/${e1.id}/results.json` });
    expect(json.json()).toMatchObject({ header, rows });
    expect(json.json().labels).toHaveLength(header.length);
    // published: cached, and served the same again
    expect((await app.inject({ url: `/api/editions/${e1.id}/results.json` })).body).toBe(json.body);
    // the draft: authors only
    expect((await app.inject({ url: `/api/editions/${e2.id}/results.json` })).statusCode).toBe(404);
    expect((await as('author1', { url: `/api/editions/${e2.id}/results.json` })).json().rows[0][3]).toBe(-4.5);
    expect((await app.inject({ url: `/api/editions/abc/results.json` })).json().error.code).toBe('E_PARAM');
    // compare: the public cannot see the draft; the author gets the changes
    expect((await app.inject({ url: `/api/compare?from=${e1.id}&to=${e2.id}` })).statusCode).toBe(404);
    const cmp = await as('author1', { url: `/api/compare?from=${e1.id}&to=${e2.id}` });
    expect(cmp.statusCode, cmp.body).toBe(200);
    const bj = cmp.json().comparison.units.find((u: { unit: string }) => u.unit === '110000');
    expect(bj.changes[0]).toEqual({
      code: 'Index',
      from: -5.5,
      to: -4.5,
      delta: 1,
      rankFrom: 1,
      rankTo: 1,
      rankChange: 0,
    });
    const bad = await as('author1', { url: `/api/compare?from=1` });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.issues[0]).toMatchObject({ code: 'E_SCHEMA', field: 'to' });
  });
});
