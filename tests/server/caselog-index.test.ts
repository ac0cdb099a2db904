/**
 * A case log uploaded over HTTP feeds the next edition (server → store/caselog-build.ts), on SQLite and
 * PostgreSQL, with examples/service-requests-311 (Boston's real 311 log): an edition built before any upload
 * reads the KPI files stored with the project and records no batch; after an author uploads January
 * (POST /api/caselogs), the next edition names that batch in its results and its district scores change —
 * they are January's KPIs now, not the half-year's; once that edition is published, deleting the batch is
 * refused with 409 E_IN_USE.
 */
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from '../../src/server/app.ts';
import { importProjectFolder } from '../../src/store/project-io.ts';
import { systemPrincipal } from '../../src/store/principal.ts';
import type { ProjectInfo, Store } from '../../src/store/store.ts';
import { DIALECTS, type TestStore } from '../store/stores.ts';
import { multipart, TEST_PASSWORD, testClient } from './client.ts';

const CLI = systemPrincipal('test');
const JANUARY = readFileSync('examples/service-requests-311/data/boston_311_2015_01.csv');

type EditionJson = {
  edition: {
    results: { header: string[]; rows: Array<Array<string | number | null>>; caselogs?: unknown };
  };
};

describe.each(DIALECTS)('an uploaded case log feeds the next edition ($name)', ({ open, skip }) => {
  let t: TestStore;
  let store: Store;
  let project: ProjectInfo;
  let app: FastifyInstance;
  const { login, as } = testClient(() => app);

  beforeAll(async () => {
    if (skip) return;
    t = await open();
    store = t.store;
    project = await importProjectFolder(store, CLI, 'examples/service-requests-311');
    await store.createUser(CLI, {
      username: 'author1',
      password: TEST_PASSWORD,
      role: 'author',
      projectId: project.id,
    });
    app = await createServer({ store, project });
    await login('author1', TEST_PASSWORD, true);
  }, 60_000);
  afterAll(async () => {
    if (skip) return;
    await app.close();
    await t.dispose();
  });

  let lastEdition = 0;
  const edition = async (name: string) => {
    const made = await as('author1', { method: 'POST', url: '/api/editions', payload: { name } });
    expect(made.statusCode, made.body).toBe(201);
    lastEdition = (made.json() as { edition: { id: number } }).edition.id;
    const got = await as('author1', { url: `/api/editions/${lastEdition}` });
    expect(got.statusCode, got.body).toBe(200);
    return (got.json() as EditionJson).edition.results;
  };

  it.skipIf(skip)(
    'before the upload: the stored files; after it: the batch, and the scores move',
    async () => {
      const before = await edition('stored files');
      expect(before.caselogs).toEqual([]);
      const up = await as('author1', {
        method: 'POST',
        url: '/api/caselogs',
        ...multipart({ log: 'boston-2015h1' }, [
          { name: 'file', fileName: 'boston_311_2015_01.csv', type: 'text/csv', bytes: JANUARY },
        ]),
      });
      expect(up.statusCode, up.body).toBe(201);
      const batch = (up.json() as { batch: { id: number; sha256: string } }).batch;
      const after = await edition('January upload');
      expect(after.caselogs).toEqual([{ log: 'boston-2015h1', batches: [{ id: batch.id, sha256: batch.sha256 }] }]);
      // the index score of each district (the first score column) is January's now
      expect(before.header.slice(0, 3)).toEqual(['code', 'name_zh', 'name_en']);
      const score = (r: typeof before) => new Map(r.rows.map((row) => [String(row[0]), row[3]]));
      const was = score(before);
      const now = score(after);
      expect([...now.keys()].sort()).toEqual([...was.keys()].sort());
      expect([...now].filter(([u, v]) => v !== was.get(u)).length).toBeGreaterThan(0);
      // once that edition is published, its batch cannot be deleted (409), and stays listed
      const pub = await as('author1', { method: 'POST', url: `/api/editions/${lastEdition}/publish` });
      expect(pub.statusCode, pub.body).toBe(200);
      const del = await as('author1', { method: 'DELETE', url: `/api/caselogs/${batch.id}` });
      expect(del.statusCode, del.body).toBe(409);
      expect(del.json().error.code).toBe('E_IN_USE');
      expect(del.body).toContain('January upload');
      expect((await as('author1', { url: `/api/caselogs/${batch.id}` })).statusCode).toBe(200);
    },
    120_000,
  );
});
