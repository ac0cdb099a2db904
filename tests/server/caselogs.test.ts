/**
 * The case-log routes (src/server/caselog-routes.ts) on SQLite and PostgreSQL: a city officer uploads a log
 * of their city (multipart) and reads its KPIs as JSON (equal to the store's) and formula-safe CSV; the same
 * file again is a no-op; another city's log cannot be uploaded, listed, read or deleted by them; an
 * oversized file, a file of the wrong type and a log with bad rows (onError: stop) are refused with a
 * located error and nothing stored; an author deletes a batch (audited).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { createServer } from '../../src/server/app.ts';
import { storedCaseLogKpis } from '../../src/store/caselogs.ts';
import { systemPrincipal } from '../../src/store/principal.ts';
import type { ProjectInfo, Store } from '../../src/store/store.ts';
import { FIXTURES, smallLogConfig } from '../caselog/helpers.ts';
import { DIALECTS, type TestStore } from '../store/stores.ts';
import { multipart as form, TEST_PASSWORD, testClient } from './client.ts';

/** The upload body: fields, then the file. */
const multipart = (fields: Record<string, string>, fileName: string, bytes: Uint8Array) =>
  form(fields, [{ name: 'file', fileName, type: 'application/octet-stream', bytes }]);

const CLI = systemPrincipal('test');
const LOG = readFileSync(join(FIXTURES, 'small-log.csv'));

describe.each(DIALECTS)('case-log routes on $name', ({ open, skip }) => {
  let t: TestStore;
  let store: Store;
  let project: ProjectInfo;
  let app: FastifyInstance;
  const { login, as } = testClient(() => app);
  const stored = async () => ({
    batches: (await store.db.selectFrom('caselog_batches').selectAll().execute()).length,
    cases: (await store.db.selectFrom('caselog_cases').select('id').execute()).length,
  });
  const upload = (who: string | undefined, log: string, fileName: string, bytes: Uint8Array) =>
    as(who, { method: 'POST', url: '/api/caselogs', ...multipart({ log }, fileName, bytes) });

  beforeAll(async () => {
    if (skip) return;
    t = await open();
    store = t.store;
    const logs = [
      smallLogConfig(),
      smallLogConfig({ id: 'shanghai', city: { code: '310000', name: { zh: '上海市', en: 'Shanghai' } } }),
      smallLogConfig({ id: 'strict', onError: 'stop' }),
    ];
    const yaml = stringify({ name: 'case logs', caselogs: logs });
    project = await store.saveProject(CLI, {
      slug: 'caselogs',
      name: 'case logs',
      projectFile: 'project.yaml',
      files: [{ path: 'project.yaml', bytes: new TextEncoder().encode(yaml) }],
      nodes: [],
      units: ['440300', '310000'].map((code) => ({ code, name: { en: code } })),
      values: [],
    });
    for (const [username, role, cities] of [
      ['author1', 'author'],
      ['shenzhen', 'city', ['440300']],
      ['shanghai', 'city', ['310000']],
      ['reader1', 'reader'],
    ] as Array<[string, string, string[]?]>)
      await store.createUser(CLI, { username, password: TEST_PASSWORD, role, projectId: project.id, cities });
    app = await createServer({ store, project, caseLogUploadBytes: 64 * 1024 });
    for (const u of ['author1', 'shenzhen', 'shanghai', 'reader1']) await login(u, TEST_PASSWORD, true);
  }, 60_000);
  afterAll(async () => {
    if (skip) return;
    await app.close();
    await t.dispose();
  });

  it.skipIf(skip)('an officer uploads their city’s log, reads KPIs as JSON and CSV; again is a no-op', async () => {
    const r = await upload('shenzhen', 'small', 'jan-mar 2024.csv', LOG);
    expect(r.statusCode, r.body).toBe(201);
    const body = r.json();
    expect(body).toMatchObject({ imported: true, batch: { city: '440300', accepted: 7, rejected: 4 } });
    expect(body.batch.files[0].path).toBe('jan-mar 2024.csv');
    expect(body.issues.find((i: { code: string }) => i.code === 'E_CASE_ORDER')).toMatchObject({
      file: 'jan-mar 2024.csv',
      field: 'closed',
      row: 8,
    });
    const again = await upload('shenzhen', 'small', 'copy.csv', LOG);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ imported: false, batch: { id: body.batch.id } });
    expect(await stored()).toEqual({ batches: 1, cases: 7 });

    const k = await as('shenzhen', { url: '/api/caselogs/kpis?log=small&level=city' });
    expect(k.statusCode, k.body).toBe(200);
    const json = k.json();
    const principal = { kind: 'user', userId: 0, username: 'x', role: 'author' } as const;
    const direct = await storedCaseLogKpis(store, principal, project.id, { log: 'small', levels: ['city'] });
    expect(json.kpis.length).toBe(direct.kpis.length);
    const q1 = json.kpis.find(
      (v: { kpi: string; period: string }) => v.kpi === 'handling_p90_h' && v.period === '2024-Q1',
    );
    expect(q1.value).toBeCloseTo(91.2, 10); // 48 + 0.6 × 72 (tests/caselog/kpi.test.ts)
    expect(json.batches[0].sha256).toBe(body.batch.sha256);
    const csv = await as('shenzhen', { url: '/api/caselogs/kpis.csv?log=small&kpi=on_time_rate&granularity=month' });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\n');
    expect(lines[0]).toBe('kpi,name,level,unit,period,value,numerator,denominator,ci_low,ci_high,excluded');
    const jan = json.kpis.find(
      (v: { kpi: string; period: string }) => v.kpi === 'on_time_rate' && v.period === '2024-01',
    );
    const row = ['on_time_rate', '按时办结率 / On-time closure rate', 'city', '440300', '2024-01', 1 / 3, 1, 3];
    expect(lines).toContain([...row, jan.ciLow, jan.ciHigh, 'rule=0; open=0; no_due=0'].join(','));
  });

  it.skipIf(skip)(
    'another city’s officer and a reader reach nothing; an officer cannot upload for another city',
    async () => {
      const before = await stored();
      const id = (await as('author1', { url: '/api/caselogs' })).json().batches[0].id as number;
      expect((await as('shanghai', { url: '/api/caselogs' })).json()).toEqual({ batches: [] });
      expect((await as('shanghai', { url: '/api/caselogs/kpis?log=small' })).statusCode).toBe(404);
      expect((await as('shanghai', { url: '/api/caselogs/kpis.csv?log=small' })).statusCode).toBe(404);
      expect((await as('shanghai', { url: `/api/caselogs/${id}` })).statusCode).toBe(404);
      expect((await as('shanghai', { method: 'DELETE', url: `/api/caselogs/${id}` })).statusCode).toBe(404);
      expect((await as('shenzhen', { method: 'DELETE', url: `/api/caselogs/${id}` })).statusCode).toBe(403);
      expect((await as('reader1', { url: '/api/caselogs' })).statusCode).toBe(403);
      expect((await as(undefined, { url: '/api/caselogs/kpis?log=small' })).statusCode).toBe(401);
      expect((await upload('shenzhen', 'shanghai', 'log.csv', LOG)).statusCode).toBe(403);
      expect((await upload('reader1', 'small', 'log.csv', LOG)).statusCode).toBe(403);
      expect((await upload(undefined, 'small', 'log.csv', LOG)).statusCode).toBe(401);
      expect(await stored()).toEqual(before);
    },
  );

  it.skipIf(skip)('hostile uploads: oversized, wrong type, bad rows → located error, nothing stored', async () => {
    const before = await stored();
    const big = await upload('author1', 'shanghai', 'big.csv', new Uint8Array(65 * 1024).fill(65));
    expect(big.statusCode, big.body).toBe(413);
    expect(big.json().error.issues[0]).toMatchObject({ code: 'E_UPLOAD_LIMIT', field: 'file' });
    const xlsx = await upload('author1', 'shanghai', 'log.xlsx', LOG);
    expect(xlsx.statusCode).toBe(400);
    expect(xlsx.json().error.issues[0]).toMatchObject({ code: 'E_UPLOAD_TYPE', file: 'log.xlsx' });
    const binary = await upload('author1', 'shanghai', 'log.csv', new Uint8Array([80, 65, 82, 49, 0, 0, 1]));
    expect(binary.json().error.issues[0].code).toBe('E_UPLOAD_TYPE');
    const strict = await upload('author1', 'strict', 'log.csv', LOG);
    expect(strict.statusCode).toBe(400);
    const errors = strict.json().error.issues as Array<{ code: string; file?: string; row?: number }>;
    expect(errors[0].code).toBe('E_CASE_IMPORT_STOPPED');
    expect(errors.find((e) => e.code === 'E_CASE_ORDER')).toMatchObject({ file: 'log.csv', field: 'closed', row: 8 });
    const unknown = await upload('author1', 'nope', 'log.csv', LOG);
    expect(unknown.json().error.issues[0]).toMatchObject({ code: 'E_UNKNOWN_CASELOG', field: 'log' });
    const noLog = await as('author1', { method: 'POST', url: '/api/caselogs', ...multipart({}, 'log.csv', LOG) });
    expect(noLog.json().error.issues[0]).toMatchObject({ code: 'E_UPLOAD', field: 'log' });
    expect(await stored()).toEqual(before);
  });

  it.skipIf(skip)('an author deletes a batch; the import and the delete are audited', async () => {
    const id = (await as('author1', { url: '/api/caselogs' })).json().batches[0].id as number;
    const r = await as('author1', { method: 'DELETE', url: `/api/caselogs/${id}` });
    expect(r.statusCode, r.body).toBe(200);
    expect(await stored()).toEqual({ batches: 0, cases: 0 });
    const audit = (await store.auditLog(CLI, { limit: 1000 })).filter((a) => a.action.startsWith('caselog.'));
    expect(audit.map((a) => [a.action, a.actor, a.entity_id])).toEqual([
      ['caselog.import', 'shenzhen', String(id)],
      ['caselog.delete', 'author1', String(id)],
    ]);
  });
});
