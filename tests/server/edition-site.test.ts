/**
 * `serve`'s public site from the latest published edition (server/edition-site.ts, store/edition-site.ts)
 * on examples/asem, on both databases: before any publish a polite bilingual page and no data; after
 * publishing edition A the site's scores and ranks equal A's stored results, cell by cell; one city's
 * approved value changed and edition B published → the site shows B's numbers (and that city's score
 * moved) while A rebuilt later still gives A's (its inputs were frozen); each edition's site is built
 * once (not per request) and served with an ETag (304 on a match);
 * a draft never shows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createServer } from '../../src/server/app.ts';
import { buildEdition } from '../../src/store/edition.ts';
import { editionSiteFiles } from '../../src/store/edition-site.ts';
import { importProjectFolder } from '../../src/store/project-io.ts';
import { systemPrincipal } from '../../src/store/principal.ts';
import { Store, type Edition, type ProjectInfo } from '../../src/store/store.ts';
import { approveBestValue, DIALECTS, type TestStore } from '../store/stores.ts';

const CLI = systemPrincipal('test');
const PASSWORD = 'a long enough password';

interface SiteJson {
  project: { edition: string | null };
  results: {
    units: string[];
    scores: Record<string, Array<number | null>>;
    ranks: Record<string, Array<number | null>>;
  };
  change?: {
    code: string;
    periods: string[];
    relativeScores: boolean;
    units: string[];
    scores: Array<Array<number | null>>;
    ranks: Array<Array<number | null>>;
  };
}

/** The site data object of data/site-data.js. */
function siteJson(body: string): SiteJson {
  const prefix = 'globalThis.__CITYINDEX_SITE__ = ';
  expect(body.startsWith(prefix)).toBe(true);
  return JSON.parse(body.slice(prefix.length).trimEnd().replace(/;$/, '')) as SiteJson;
}

/** Every score and rank of the site equals the edition's results table (same unit, same column). */
function expectSiteEqualsEdition(site: SiteJson, edition: Edition): number {
  const { header, rows } = edition.results as { header: string[]; rows: Array<Array<string | number | null>> };
  const byUnit = new Map(rows.map((r) => [String(r[0]), r]));
  let cells = 0;
  for (const [code, scores] of Object.entries(site.results.scores)) {
    const col = header.indexOf(code);
    const rankCol = header.indexOf(`${code}_rank`);
    expect(col, code).toBeGreaterThan(0);
    site.results.units.forEach((unit, i) => {
      const row = byUnit.get(unit)!;
      expect(scores[i], `${unit} ${code}`).toBe(row[col]);
      expect(site.results.ranks[code][i], `${unit} ${code} rank`).toBe(row[rankCol]);
      cells += 2;
    });
  }
  return cells;
}

describe.each(DIALECTS)('public site from the published edition ($name)', ({ open, skip }) => {
  let t: TestStore;
  let store: Store;
  let project: ProjectInfo;
  let app: FastifyInstance;
  const builds: number[] = [];

  beforeAll(async () => {
    if (skip) return;
    t = await open();
    store = t.store;
    project = await importProjectFolder(store, CLI, 'examples/asem');
    const assets = new Map([
      ['index.html', '<!doctype html><title>site</title><script src="data/site-data.js"></script>'],
      ['assets/app.js', 'console.log(1)'],
    ]);
    const build = (id: number) => {
      builds.push(id);
      return editionSiteFiles(store, project, id, { downloads: false });
    };
    app = await createServer({
      store,
      project,
      editionSite: { assets, build, onError: (_e, err) => console.error(err) },
    });
  }, 60_000);
  afterAll(async () => {
    if (skip) return;
    await app.close();
    await t.dispose();
  });

  it.skipIf(skip)(
    'shows a polite page before the first publish, then edition A, then B',
    async () => {
      // ── no edition published: the notice in both languages with the staff's way in, no data ──────────
      const polite = await app.inject({ url: '/' });
      expect(polite.statusCode).toBe(200);
      expect(polite.body).toContain('尚未发布任何版本');
      expect(polite.body).toContain('No edition of this index has been published yet');
      expect(polite.body).toContain('href="#/workbench"');
      expect(polite.body).not.toContain('data/site-data.js');
      expect((await app.inject({ url: '/data/site-data.js' })).statusCode).toBe(404);
      expect((await app.inject({ url: '/assets/app.js' })).body).toBe('console.log(1)');

      // a draft does not show
      const a = await buildEdition(store, CLI, project, 'A');
      expect((await app.inject({ url: '/data/site-data.js' })).statusCode).toBe(404);
      expect(builds).toEqual([]);

      // ── edition A published: the site's numbers are A's results ────────────────────────────────────
      await store.publishEdition(CLI, a.id);
      const first = await app.inject({ url: '/data/site-data.js' });
      expect(first.statusCode).toBe(200);
      const siteA = siteJson(first.body);
      expect(siteA.project.edition).toBe('A');
      const storedA = await store.edition(CLI, a.id);
      expect(expectSiteEqualsEdition(siteA, storedA)).toBeGreaterThan(51 * 2 * 5);
      expect((await app.inject({ url: '/' })).body).toContain('<title>site</title>');
      // built once; the ETag answers a revalidation with 304
      const etag = first.headers.etag as string;
      expect(etag).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
      const again = await app.inject({ url: '/data/site-data.js', headers: { 'if-none-match': etag } });
      expect(again.statusCode).toBe(304);
      expect(again.body).toBe('');
      expect(builds).toEqual([a.id]);

      // ── one city's approved value raised to the best of all, edition B published → B's numbers ──────
      const units = (await store.units(project.id)).map((u) => u.code);
      await store.createUser(CLI, {
        username: 'city1',
        password: PASSWORD,
        role: 'city',
        projectId: project.id,
        cities: [units[5]],
      });
      await store.createUser(CLI, { username: 'rev1', password: PASSWORD, role: 'reviewer', projectId: project.id });
      const city = (await store.login('city1', PASSWORD)).principal;
      const reviewer = (await store.login('rev1', PASSWORD)).principal;
      await approveBestValue(store, { city, reviewer }, project.id, units[5]);
      const b = await buildEdition(store, CLI, project, 'B');
      expect(b.fingerprint).not.toBe(a.fingerprint);
      await store.publishEdition(CLI, b.id);
      const second = await app.inject({ url: '/data/site-data.js', headers: { 'if-none-match': etag } });
      expect(second.statusCode).toBe(200);
      const siteB = siteJson(second.body);
      expect(siteB.project.edition).toBe('B');
      expectSiteEqualsEdition(siteB, await store.edition(CLI, b.id));
      const index = Object.keys(siteB.results.scores)[0];
      const scoreOf = (s: SiteJson) => s.results.scores[index][s.results.units.indexOf(units[5])];
      expect(scoreOf(siteB)).not.toBe(scoreOf(siteA));
      expect(builds).toEqual([a.id, b.id]);
      // change over time across the published editions: A then B, each edition's own index scores and ranks
      expect(siteA.change).toBeUndefined();
      const change = siteB.change!;
      expect(change.periods).toEqual(['A', 'B']);
      expect(change.code).toBe('Index'); // ASEM's index, the first score column of the results table
      expect(change.relativeScores).toBe(true);
      for (const [p, stored] of [storedA, await store.edition(CLI, b.id)].entries()) {
        const { header, rows } = stored.results as { header: string[]; rows: Array<Array<string | number | null>> };
        const byUnit = new Map(rows.map((r) => [String(r[0]), r]));
        change.units.forEach((u, j) => {
          expect(change.scores[p][j], `${u} ${p}`).toBe(byUnit.get(u)![header.indexOf('Index')]);
          expect(change.ranks[p][j], `${u} ${p} rank`).toBe(byUnit.get(u)![header.indexOf('Index_rank')]);
        });
      }
      const moved = change.units.indexOf(units[5]);
      expect(change.scores[1][moved]).toBeGreaterThan(change.scores[0][moved]!);

      // A rebuilt now (the approved values are B's) still gives A's numbers: its inputs were frozen
      const rebuiltA = await editionSiteFiles(store, project, a.id, { downloads: false, analyses: false });
      const siteA2 = siteJson(rebuiltA.get('data/site-data.js') as string);
      expectSiteEqualsEdition(siteA2, storedA);
      expect(siteA2.change).toBeUndefined(); // editions up to A only

      // the API's edition keeps the frozen inputs and spec server-side
      const api = await app.inject({ url: `/api/editions/${b.id}` });
      expect(Object.keys(api.json().edition.results)).not.toContain('inputs');
    },
    240_000,
  );
});

describe('public site when the latest edition cannot be built', () => {
  it('says so in both languages, logs once and does not rebuild per request', async () => {
    const store = await Store.open({ sqliteFile: ':memory:' });
    const empty = { slug: 'p', name: 'P', projectFile: 'project.yaml', files: [], nodes: [], units: [], values: [] };
    const project = await store.saveProject(CLI, empty);
    const tried: number[] = [];
    const errors: string[] = [];
    const app = await createServer({
      store,
      project,
      editionSite: {
        assets: new Map([['index.html', '<!doctype html><title>site</title>']]),
        build: async (id) => {
          tried.push(id);
          throw new Error('broken');
        },
        onError: (e, err) => errors.push(`${e.id}: ${(err as Error).message}`),
      },
    });
    try {
      expect((await app.inject({ url: '/' })).body).toContain('尚未发布任何版本');
      const e = await store.createEdition(CLI, project.id, { name: 'A', results: {}, fingerprint: 'x' });
      await store.publishEdition(CLI, e.id);
      for (let i = 0; i < 3; i++) {
        const page = await app.inject({ url: '/' });
        expect(page.statusCode).toBe(200);
        expect(page.body).toContain('最新发布的版本暂时无法显示');
        expect(page.body).toContain('The latest published edition cannot be shown at the moment');
        expect((await app.inject({ url: '/data/site-data.js' })).statusCode).toBe(404);
      }
      expect(tried).toEqual([e.id]);
      expect(errors).toEqual([`${e.id}: broken`]);
    } finally {
      await app.close();
      await store.close();
    }
  });
});
