/**
 * Stored case logs feed the stored build (store/caselog-build.ts), on both databases, with the real Boston
 * 311 log of examples/service-requests-311 (six monthly files, data/PROVENANCE.md):
 * - no batch stored: the `kind: kpi` indicators are the project's stored kpi/ files (as from the folder), and a
 *   published edition's KPI pages are the stored kpis.csv's values (they used to be read from the disk at the
 *   stored project's virtual folder, so the edition's site failed with E_FILE);
 * - January uploaded as a batch: the indicators are January's KPIs (storedCaseLogKpis over that batch),
 *   not the half-year's, and the lineage names the batch;
 * - the other five months uploaded: the indicators equal the committed half-year files, which
 *   `cases-log kpi` computed from the same six files (the same SQL per KPI);
 * - an edition built on January alone keeps January on its public site after the later uploads; January's
 *   batch cannot be deleted while that edition is published (E_IN_USE), and were it removed from the
 *   database anyway, the edition's site is refused (E_EDITION_MISMATCH) rather than show other numbers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import type { SiteKpiPage } from '../../src/app/site.ts';
import { readCaseLogs } from '../../src/caselog/project.ts';
import type { CaseLogConfig } from '../../src/engine/caselog/config.ts';
import { column } from '../../src/engine/core/dataset.ts';
import { loadProject } from '../../src/formats/project.ts';
import {
  deleteCaseLogBatch,
  importStoredCaseLog,
  listCaseLogBatches,
  storedCaseLogKpis,
} from '../../src/store/caselogs.ts';
import { keepKpiFiles, withStoredCaseLogKpis } from '../../src/store/caselog-build.ts';
import { buildEdition } from '../../src/store/edition.ts';
import { editionSiteFiles } from '../../src/store/edition-site.ts';
import { importProjectFolder, loadStoredProject } from '../../src/store/project-io.ts';
import { systemPrincipal } from '../../src/store/principal.ts';
import type { ProjectInfo, Store } from '../../src/store/store.ts';
import { DIALECTS, type TestStore } from './stores.ts';

const CLI = systemPrincipal('test');
const PREFIX = 'globalThis.__CITYINDEX_KPI__ = ';
const DIR = 'examples/service-requests-311';
const MONTHS = ['01', '02', '03', '04', '05', '06'].map((m) => `data/boston_311_2015_${m}.csv`);
/** The indicators the project reads from the log (project.yaml caselogs[0].indicators). */
const INDICATORS = [
  ['ON_TIME', 'on_time_rate'],
  ['HANDLING_MEDIAN', 'handling_median_h'],
  ['HANDLING_P90', 'handling_p90_h'],
] as const;

type Values = Map<string, number>; // `${indicator} ${unit}` → raw value

function rawKpis(p: { input: { raw: Parameters<typeof column>[0] } }): Values {
  const raw = p.input.raw;
  const out: Values = new Map();
  for (const [code] of INDICATORS) {
    const col = column(raw, code);
    raw.unitCodes.forEach((u, i) => {
      if (!Number.isNaN(col[i])) out.set(`${code} ${u}`, col[i]);
    });
  }
  return out;
}

/** The KPI pages of an edition site's data/kpi-data.js. */
function kpiPages(files: Map<string, unknown>): SiteKpiPage[] {
  const script = files.get('data/kpi-data.js') as string;
  expect(script.startsWith(PREFIX)).toBe(true);
  return JSON.parse(script.slice(PREFIX.length).replace(/;\n$/, '')) as SiteKpiPage[];
}

function expectClose(a: Values, b: Values): void {
  expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
  for (const [k, x] of a) expect(Math.abs(b.get(k)! - x), k).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(x)));
}

describe.each(DIALECTS)('stored case logs into the build ($name)', ({ open, skip }) => {
  let t: TestStore;
  let store: Store;
  let project: ProjectInfo;
  let log: CaseLogConfig;
  let fromFiles: Values;
  let january: Values;
  let janBatch: number;
  let editionA: number;

  beforeAll(async () => {
    if (skip) return;
    t = await open();
    store = t.store;
    project = await importProjectFolder(store, CLI, DIR);
    log = (await readCaseLogs(DIR)).find((l) => l.id === 'boston-2015h1')!;
    fromFiles = rawKpis(await loadProject(DIR));
  }, 60_000);
  afterAll(async () => {
    if (!skip) await t.dispose();
  });

  it.skipIf(skip)('no batch stored: the indicators are the stored kpi/ files', async () => {
    const r = await loadStoredProject(store, CLI, project);
    expect(r.caselogs).toEqual([]);
    expect(fromFiles.size).toBe(27); // 3 indicators × 9 districts
    expectClose(fromFiles, rawKpis(r.project));
  });

  it.skipIf(skip)(
    "no batch stored: a published edition's KPI pages are the stored kpis.csv's values (not read from the disk)",
    async () => {
      const edition = await buildEdition(store, CLI, project, '2015H1');
      await store.publishEdition(CLI, edition.id);
      const files = await editionSiteFiles(store, project, edition.id, { downloads: false });
      const pages = kpiPages(files);
      expect(pages.map((p) => p.log.id)).toEqual(['boston-2015h1']);
      const stored = (await store.projectFiles(CLI, project.id)).get('kpi/boston-2015h1/kpis.csv')!;
      const rows = parse(Buffer.from(stored), { columns: true }) as Record<string, string>[];
      const value = (kpi: string, unit: string) =>
        Number(
          rows.find((r) => r.kpi === kpi && r.level === 'district' && r.unit === unit && r.period === '2015')!.value,
        );
      expect(pages[0].districts).toHaveLength(9);
      for (const d of pages[0].districts) expect(d.cells.on_time_rate?.value).toBe(value('on_time_rate', d.key));
      expect(files.get('data/kpi-pages.js')).toContain('boston-2015h1');
    },
    120_000,
  );

  it.skipIf(skip)(
    "January uploaded: the indicators are January's KPIs, with the batch in their lineage",
    async () => {
      const imported = await importStoredCaseLog(store, CLI, project.id, {
        projectDir: DIR,
        log: { ...log, files: [MONTHS[0]] },
      });
      janBatch = imported.batch.id;
      const r = await loadStoredProject(store, CLI, project);
      expect(r.caselogs).toEqual([
        { log: 'boston-2015h1', batches: [{ id: janBatch, sha256: imported.batch.sha256 }] },
      ]);
      const kpis = (await storedCaseLogKpis(store, CLI, project.id, { log: 'boston-2015h1' })).kpis;
      january = new Map();
      for (const [code, kpi] of INDICATORS)
        for (const v of kpis)
          if (v.kpi === kpi && v.level === 'district' && v.period === '2015' && Number.isFinite(v.value))
            january.set(`${code} ${v.unit}`, v.value);
      expectClose(january, rawKpis(r.project));
      // not the half-year's
      expect([...january].some(([k, v]) => v !== fromFiles.get(k))).toBe(true);
      const lineage = JSON.parse(new TextDecoder().decode(r.files.get('kpi/boston-2015h1/lineage.json')));
      expect(lineage.engine).toMatch(/^store \((duckdb|postgres)\)$/);
      expect(lineage.input.batches).toEqual([{ id: janBatch, city: 'US-BOS', sha256: imported.batch.sha256 }]);
      expect(lineage.input.files.map((f: { path: string }) => f.path)).toEqual([MONTHS[0]]);
      const edition = await buildEdition(store, CLI, project, 'January');
      await store.publishEdition(CLI, edition.id);
      editionA = edition.id;
    },
    120_000,
  );

  it.skipIf(skip)(
    'all six months uploaded: the indicators equal the half-year files cases-log kpi wrote',
    async () => {
      await importStoredCaseLog(store, CLI, project.id, { projectDir: DIR, log: { ...log, files: MONTHS.slice(1) } });
      const r = await loadStoredProject(store, CLI, project);
      expect(r.caselogs[0].batches).toHaveLength(2);
      expectClose(fromFiles, rawKpis(r.project));
      // the same batches again: the KPI files computed above, not queried again (batches never change)
      const files = await store.projectFiles(CLI, project.id);
      const again = await withStoredCaseLogKpis(store, CLI, project, files);
      expect(again.reused).toEqual(['boston-2015h1']);
      expect(again.files.get('kpi/boston-2015h1/kpis.csv')).toEqual(r.files.get('kpi/boston-2015h1/kpis.csv'));
      // … nor by another process on the same database (or this one after a restart): they are kept in it
      const other = await t.reopen();
      try {
        const there = await withStoredCaseLogKpis(other, CLI, project, files);
        expect(there.reused).toEqual(['boston-2015h1']);
        for (const name of ['kpis.csv', 'indicators.csv', 'lineage.json'])
          expect(there.files.get(`kpi/boston-2015h1/${name}`), name).toEqual(r.files.get(`kpi/boston-2015h1/${name}`));
      } finally {
        await other.close();
      }
    },
    120_000,
  );

  it.skipIf(skip)(
    'deleting a batch drops the KPI files kept for its log; the next build computes them again',
    async () => {
      const kept = () =>
        store.db.selectFrom('caselog_kpi_files').select('key').where('project_id', '=', project.id).execute();
      expect((await kept()).length).toBeGreaterThanOrEqual(2); // January, then the half-year
      const batches = await listCaseLogBatches(store, CLI, project.id);
      const fiveMonths = batches.find((b) => b.id !== janBatch)!;
      await deleteCaseLogBatch(store, CLI, fiveMonths.id);
      expect(await kept()).toEqual([]);
      const other = await t.reopen(); // no memory of the earlier sets either
      try {
        const r = await withStoredCaseLogKpis(other, CLI, project, await other.projectFiles(CLI, project.id));
        expect(r.reused).toEqual([]);
        expect(r.caselogs[0].batches.map((b) => b.id)).toEqual([janBatch]);
        const lineage = JSON.parse(new TextDecoder().decode(r.files.get('kpi/boston-2015h1/lineage.json')));
        expect(lineage.input.files.map((f: { path: string }) => f.path)).toEqual([MONTHS[0]]);
        expect((await kept()).length).toBe(1);
      } finally {
        await other.close();
      }
    },
    120_000,
  );

  it.skipIf(skip)('the database keeps the newest 32 sets of KPI files per project', async () => {
    const kept = async () =>
      (await store.db.selectFrom('caselog_kpi_files').select('key').where('project_id', '=', project.id).execute()).map(
        (r) => r.key,
      );
    const before = await kept();
    for (let i = 0; i < 40; i++) {
      await keepKpiFiles(store, project.id, 'boston-2015h1', `test-${i}`, { 'x.csv': '' });
      await new Promise((done) => setTimeout(done, 2)); // each its own millisecond: "newest" is well defined
    }
    const after = await kept();
    expect(after).toHaveLength(32);
    expect(after).toContain('test-39'); // the newest is never the one dropped
    for (const k of before) expect(after).not.toContain(k); // older than the 40 just kept
    await store.db.deleteFrom('caselog_kpi_files').where('key', 'like', 'test-%').execute();
  });

  it.skipIf(skip)(
    "the January edition's site keeps January's KPIs; its batch cannot be deleted, and the site refuses without it",
    async () => {
      const files = await editionSiteFiles(store, project, editionA, { downloads: false });
      const pages = kpiPages(files);
      expect(pages[0].districts).toHaveLength(9);
      for (const d of pages[0].districts)
        expect(d.cells.on_time_rate?.value, d.key).toBe(january.get(`ON_TIME ${d.key}`));
      // a batch a published edition was built from cannot be deleted …
      await expect(deleteCaseLogBatch(store, CLI, janBatch)).rejects.toThrow(/E_IN_USE|published edition\(s\) January/);
      await expect(editionSiteFiles(store, project, editionA, { downloads: false })).resolves.toBeDefined();
      // … and should it go anyway (removed in the database), the edition's site refuses rather than show other numbers
      await store.db.deleteFrom('caselog_cases').where('batch_id', '=', janBatch).execute();
      await store.db.deleteFrom('caselog_batches').where('id', '=', janBatch).execute();
      await expect(editionSiteFiles(store, project, editionA, { downloads: false })).rejects.toThrow(
        /E_EDITION_MISMATCH|no longer stored/,
      );
    },
    120_000,
  );
});
