/**
 * The public site of a published edition of a project that reads KPIs from case logs
 * (examples/service-requests-311): its KPI pages (data/kpi-data.js) come from the stored project's
 * kpi/<log>/kpis.csv, on both databases. They used to be read from the disk at the stored project's
 * virtual folder, so the edition's site failed with E_FILE.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import type { SiteKpiPage } from '../../src/app/site.ts';
import { buildEdition } from '../../src/store/edition.ts';
import { editionSiteFiles } from '../../src/store/edition-site.ts';
import { importProjectFolder } from '../../src/store/project-io.ts';
import { systemPrincipal } from '../../src/store/principal.ts';
import type { ProjectInfo, Store } from '../../src/store/store.ts';
import { DIALECTS, type TestStore } from './stores.ts';

const CLI = systemPrincipal('test');
const PREFIX = 'globalThis.__CITYINDEX_KPI__ = ';

describe.each(DIALECTS)('edition site with case-log KPIs ($name)', ({ open, skip }) => {
  let t: TestStore;
  let store: Store;
  let project: ProjectInfo;

  beforeAll(async () => {
    if (skip) return;
    t = await open();
    store = t.store;
    project = await importProjectFolder(store, CLI, 'examples/service-requests-311');
  }, 60_000);
  afterAll(async () => {
    if (!skip) await t.dispose();
  });

  it.skipIf(skip)(
    "the KPI pages are the stored kpis.csv's values",
    async () => {
      const edition = await buildEdition(store, CLI, project, '2015H1');
      await store.publishEdition(CLI, edition.id);
      const files = await editionSiteFiles(store, project, edition.id, { downloads: false });
      const script = files.get('data/kpi-data.js') as string;
      expect(script.startsWith(PREFIX)).toBe(true);
      const pages = JSON.parse(script.slice(PREFIX.length).replace(/;\n$/, '')) as SiteKpiPage[];
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
});
