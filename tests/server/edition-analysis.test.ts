/**
 * `GET /api/editions/:id/site-data` (store/edition-site.ts `editionSiteData`), on SQLite and PostgreSQL with
 * examples/asem and its uncertainty analysis (COINr's four assumptions, N = 1 000): the site data of the
 * edition asked for, draft or published — its scores are that edition's stored results, and its rank
 * intervals are the engine's analysis of that edition's own frozen values, reproduced here independently with
 * `runAnalysis` over the example with the one approved change. Edition A (the example's values) and draft B
 * (one city's value raised to the best) give different intervals for that city. Rebuilt once per edition
 * (the same object on the second call). Anonymous 401, a city officer 403 (the public has the published
 * edition's data on the site), an unknown edition 404.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SiteData } from '../../src/app/site.ts';
import { runAnalysis, type AnalysisOptions } from '../../src/engine/analysis/uncertainty/analyse.ts';
import { loadProject } from '../../src/formats/project.ts';
import { createServer } from '../../src/server/app.ts';
import { buildEdition } from '../../src/store/edition.ts';
import { editionSiteData } from '../../src/store/edition-site.ts';
import { importProjectFolder } from '../../src/store/project-io.ts';
import { systemPrincipal } from '../../src/store/principal.ts';
import type { Edition, ProjectInfo, Store } from '../../src/store/store.ts';
import { approveBestValue, DIALECTS, type TestStore } from '../store/stores.ts';
import { TEST_PASSWORD, testClient } from './client.ts';

const CLI = systemPrincipal('test');

/** The rank intervals of the example's own uncertainty analysis with `change` applied to its raw values. */
async function expectedIntervals(change?: { unit: string; indicator: string; value: number }) {
  const p = await loadProject('examples/asem');
  const raw = p.input.raw;
  const values = Float64Array.from(raw.values);
  if (change) {
    const m = raw.unitCodes.length;
    values[raw.codes.indexOf(change.indicator) * m + raw.unitCodes.indexOf(change.unit)] = change.value;
  }
  const options = (p.project as { analyses: { uncertainty: AnalysisOptions } }).analyses.uncertainty;
  const r = runAnalysis({ ...p.input, raw: { ...raw, values } }, p.spec, options);
  return new Map(r.rankStats.map((s) => [s.unit, { q5: s.q5, q95: s.q95, median: s.median }]));
}

/** Each unit's scores in the site data equal the edition's results table. */
function expectResultsOf(site: SiteData, edition: Edition): void {
  const { header, rows } = edition.results as { header: string[]; rows: Array<Array<string | number | null>> };
  const byUnit = new Map(rows.map((r) => [String(r[0]), r]));
  const index = header[3];
  site.results.units.forEach((u, i) => {
    expect(site.results.scores[index][i], u).toBe(byUnit.get(u)![header.indexOf(index)]);
  });
}

describe.each(DIALECTS)("an edition's analyses for the workbench ($name)", ({ open, skip }) => {
  let t: TestStore;
  let store: Store;
  let project: ProjectInfo;
  let app: FastifyInstance;
  const { login, as, principalOf } = testClient(() => app);

  beforeAll(async () => {
    if (skip) return;
    t = await open();
    store = t.store;
    project = await importProjectFolder(store, CLI, 'examples/asem');
    const units = (await store.units(project.id)).map((u) => u.code);
    await store.createUser(CLI, {
      username: 'author1',
      password: TEST_PASSWORD,
      role: 'author',
      projectId: project.id,
    });
    await store.createUser(CLI, { username: 'rev1', password: TEST_PASSWORD, role: 'reviewer', projectId: project.id });
    await store.createUser(CLI, {
      username: 'city1',
      password: TEST_PASSWORD,
      role: 'city',
      projectId: project.id,
      cities: [units[5]],
    });
    app = await createServer({ store, project });
    for (const u of ['author1', 'rev1', 'city1']) await login(u, TEST_PASSWORD, true);
  }, 60_000);
  afterAll(async () => {
    if (skip) return;
    await app.close();
    await t.dispose();
  });

  it.skipIf(skip)(
    "gives each edition's own rank intervals, to staff only",
    async () => {
      const units = (await store.units(project.id)).map((u) => u.code);
      const a = await buildEdition(store, CLI, project, 'A');
      await store.publishEdition(CLI, a.id);
      // one city's approved value raised to the best of all → draft B
      const { indicator, value: best } = await approveBestValue(
        store,
        { city: await principalOf(store, 'city1'), reviewer: await principalOf(store, 'rev1') },
        project.id,
        units[5],
      );
      const b = await buildEdition(store, CLI, project, 'B');
      expect(b.status).toBe('draft');

      const get = async (who: string | undefined, id: number) =>
        as(who, { method: 'GET', url: `/api/editions/${id}/site-data` });
      const resA = await get('author1', a.id);
      expect(resA.statusCode, resA.body).toBe(200);
      const siteA = resA.json().site as SiteData;
      const resB = await get('rev1', b.id); // a reviewer reads drafts too
      expect(resB.statusCode, resB.body).toBe(200);
      const siteB = resB.json().site as SiteData;

      // each edition's scores, and the engine's intervals of that edition's own values
      expect(siteA.project.edition).toBe('A');
      expect(siteB.project.edition).toBe('B');
      expectResultsOf(siteA, await store.edition(CLI, a.id));
      expectResultsOf(siteB, await store.edition(CLI, b.id));
      const wantA = await expectedIntervals();
      const wantB = await expectedIntervals({ unit: units[5], indicator, value: best });
      expect(Object.keys(siteA.intervals!).sort()).toEqual([...wantA.keys()].sort());
      for (const [u, iv] of wantA) expect(siteA.intervals![u], u).toEqual(iv);
      for (const [u, iv] of wantB) expect(siteB.intervals![u], u).toEqual(iv);
      // the raised city's interval is not edition A's (what the page showed for every edition before)
      expect(siteB.intervals![units[5]]).not.toEqual(siteA.intervals![units[5]]);
      expect(wantB.get(units[5])!.median).toBeLessThan(wantA.get(units[5])!.median);

      // rebuilt once per edition: the second call is the same object
      const author = await principalOf(store, 'author1');
      const once = await editionSiteData(store, author, project, b.id);
      expect(await editionSiteData(store, author, project, b.id)).toBe(once);

      // staff and readers only; an unknown edition is 404
      expect((await get(undefined, a.id)).statusCode).toBe(401);
      const officer = await get('city1', a.id);
      expect(officer.statusCode).toBe(403);
      expect(officer.json().error.code).toBe('E_FORBIDDEN');
      expect((await get('city1', b.id)).statusCode).toBe(403);
      expect((await get('author1', b.id + 100)).statusCode).toBe(404);
    },
    240_000,
  );
});
