/**
 * Case logs on the platform store (src/store/caselogs.ts), on SQLite and PostgreSQL: the KPIs computed over
 * the stored cases equal the file path's (importCaseLog → DuckDB over the Parquet file) on the hand-made
 * small log (with hand-worked figures, as in tests/caselog/kpi.test.ts) and on the real SF311 sample
 * (2 085 cases in 2015, PROVENANCE.md); a city officer imports and reads only their own city's logs, and
 * the refusals come from the data layer; a hostile log stores nothing; the same files again are a no-op;
 * every import and delete is audited.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { CityIndexError } from '../../src/engine/core/errors.ts';
import type { KpiValue } from '../../src/engine/caselog/kpis.ts';
import { offsetSeconds, type CaseLogConfig } from '../../src/engine/caselog/config.ts';
import { importCaseLog } from '../../src/caselog/import.ts';
import { computeKpis, duckKpiEngine } from '../../src/caselog/kpi.ts';
import { CATEGORY_BREAKDOWN } from '../../src/caselog/run.ts';
import { readCaseLogs } from '../../src/caselog/project.ts';
import { generateCaseLogProject } from '../../src/caselog/generate.ts';
import {
  deleteCaseLogBatch,
  getCaseLogBatch,
  importStoredCaseLog,
  listCaseLogBatches,
  storedCaseLogKpis,
} from '../../src/store/caselogs.ts';
import { ANONYMOUS, systemPrincipal, type Principal } from '../../src/store/principal.ts';
import type { ProjectInfo, Store } from '../../src/store/store.ts';
import { expectSame, FIXTURES, smallLogConfig, tempProject } from '../caselog/helpers.ts';
import { DIALECTS, type TestStore } from './stores.ts';

const CLI = systemPrincipal('test');
const PASSWORD = 'a long enough password';
const EXAMPLE = 'examples/service-requests-311';

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof CityIndexError) return e.issues[0].code;
    throw e;
  }
  return 'resolved';
}

/** The file path's KPIs of a log (what `cityindex cases-log kpi` computes). */
async function fileKpis(projectDir: string, log: CaseLogConfig): Promise<KpiValue[]> {
  const out = tempProject({});
  try {
    const r = await importCaseLog({ projectDir, log, outDir: join(out.dir, log.id) });
    const duck = await duckKpiEngine(join(r.outDir, 'cases.parquet'));
    try {
      // as `cases-log kpi`: city and district levels, then the category breakdown
      const offsetS = offsetSeconds(log.utcOffset);
      return [
        ...(await computeKpis(duck.engine, { offsetS })),
        ...(await computeKpis(duck.engine, { offsetS, ...CATEGORY_BREAKDOWN })),
      ];
    } finally {
      duck.close();
    }
  } finally {
    out.dispose();
  }
}

describe.each(DIALECTS)('case logs in the store on $name', ({ open, skip }) => {
  let t: TestStore;
  let store: Store;
  let project: ProjectInfo;
  const who = new Map<string, Principal>();
  const small = tempProject({ 'log.csv': { copy: join(FIXTURES, 'small-log.csv') } });
  const as = (name: string) => who.get(name)!;
  const counts = async () => ({
    batches: Number(
      (
        await store.db
          .selectFrom('caselog_batches')
          .select((e) => e.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    ),
    cases: Number(
      (
        await store.db
          .selectFrom('caselog_cases')
          .select((e) => e.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    ),
    audit: (await store.auditLog(CLI, { limit: 10_000 })).length,
  });

  beforeAll(async () => {
    if (skip) return;
    t = await open();
    store = t.store;
    project = await store.saveProject(CLI, {
      slug: 'caselogs',
      name: 'case logs',
      projectFile: 'project.yaml',
      files: [],
      nodes: [],
      units: ['440300', 'US-SFO', 'US-BOS'].map((code) => ({ code, name: { en: code } })),
      values: [],
    });
    const users: Array<[string, string, string[]?]> = [
      ['author1', 'author'],
      ['reviewer1', 'reviewer'],
      ['shenzhen', 'city', ['440300']],
      ['sanfran', 'city', ['US-SFO']],
      ['expert1', 'expert'],
      ['reader1', 'reader'],
    ];
    for (const [username, role, cities] of users) {
      const u = await store.createUser(CLI, { username, password: PASSWORD, role, projectId: project.id, cities });
      who.set(username, { kind: 'user', userId: u.id, username, role: u.role });
    }
  }, 60_000);
  afterAll(async () => {
    small.dispose();
    if (!skip) await t.dispose();
  });

  it.skipIf(skip)('small log: the stored KPIs equal the file path and the hand-worked figures', async () => {
    const log = smallLogConfig();
    const r = await importStoredCaseLog(store, as('shenzhen'), project.id, { projectDir: small.dir, log, chunk: 3 });
    expect(r.imported).toBe(true);
    expect(r.batch).toMatchObject({ city: '440300', log: 'small', accepted: 7, rejected: 4, simulated: false });
    expect(r.batch.rejectedByCode).toEqual({
      E_CASE_ORDER: 1,
      E_CASE_DUPLICATE_ID: 1,
      E_CASE_TIMESTAMP: 1,
      E_CASE_CATEGORY: 1,
    });
    const stored = await storedCaseLogKpis(store, as('shenzhen'), project.id, { log: 'small' });
    expect(stored.engine).toBe(store.dialect === 'postgres' ? 'postgres' : 'duckdb');
    expect(stored.batches.map((b) => b.sha256)).toEqual([r.batch.sha256]);
    expectSame(await fileKpis(small.dir, log), stored.kpis);
    const city = (kpi: string, period: string) =>
      stored.kpis.find((v) => v.kpi === kpi && v.level === 'city' && v.unit === '440300' && v.period === period)!;
    expect(city('cases_received', '2024-Q1').value).toBe(7);
    expect([city('on_time_rate', '2024-01').numerator, city('on_time_rate', '2024-01').denominator]).toEqual([1, 3]);
    expect(city('handling_median_h', '2024-01').value).toBeCloseTo(48, 12); // [12, 48, 120]
    expect(city('handling_p90_h', '2024-01').value).toBeCloseTo(105.6, 10); // 48 + 0.8 × 72
    expect(city('handling_median_h', '2024-02').excluded).toEqual({ rule: 1, open: 1 });
    // nothing stays behind on PostgreSQL: no `cases` or `periods` relation outside the rolled-back transaction
    if (store.dialect === 'postgres') {
      const left = await store.db
        .selectFrom('pg_catalog.pg_class' as never)
        .select('relname' as never)
        .where('relname' as never, 'in', ['cases', 'periods'] as never)
        .execute();
      expect(left).toEqual([]);
    }
  });

  it.skipIf(skip)('the same files again are a no-op; a reviewer reads; delete is audited', async () => {
    const before = await counts();
    const again = await importStoredCaseLog(store, as('author1'), project.id, {
      projectDir: small.dir,
      log: smallLogConfig(),
    });
    expect(again.imported).toBe(false);
    expect(await counts()).toEqual(before);
    expect((await listCaseLogBatches(store, as('reviewer1'), project.id)).map((b) => b.id)).toEqual([again.batch.id]);
    const audit = await store.auditLog(CLI, { limit: 10_000 });
    const imp = audit.filter((a) => a.action === 'caselog.import');
    expect(imp.map((a) => [a.actor, a.entity_id])).toEqual([['shenzhen', String(again.batch.id)]]);
    expect(JSON.parse(imp[0].after!)).toMatchObject({ log: 'small', city: '440300', accepted: 7, rejected: 4 });
  });

  it.skipIf(skip)('a city officer never reaches another city’s log, in the data layer', async () => {
    const [boston] = await readCaseLogs(EXAMPLE);
    const sf = (await readCaseLogs(EXAMPLE)).find((l) => l.id === 'sf-sample')!;
    // importing a log of another city: refused before anything is read
    expect(await codeOf(importStoredCaseLog(store, as('shenzhen'), project.id, { projectDir: EXAMPLE, log: sf }))).toBe(
      'E_FORBIDDEN',
    );
    expect(
      await codeOf(
        importStoredCaseLog(store, as('shenzhen'), project.id, {
          projectDir: small.dir,
          log: smallLogConfig({ city: boston.city }),
        }),
      ),
    ).toBe('E_FORBIDDEN');
    const smallBatch = (await listCaseLogBatches(store, CLI, project.id))[0];
    // San Francisco's officer sees no Shenzhen batch, KPI or batch by id
    expect(await listCaseLogBatches(store, as('sanfran'), project.id)).toEqual([]);
    expect(await codeOf(storedCaseLogKpis(store, as('sanfran'), project.id, { log: 'small' }))).toBe('E_NOT_FOUND');
    expect(await codeOf(getCaseLogBatch(store, as('sanfran'), smallBatch.id))).toBe('E_NOT_FOUND');
    expect(await codeOf(deleteCaseLogBatch(store, as('shenzhen'), smallBatch.id))).toBe('E_FORBIDDEN');
    // experts, readers and the anonymous visitor see no case log
    for (const p of [as('expert1'), as('reader1')]) {
      expect(await codeOf(listCaseLogBatches(store, p, project.id))).toBe('E_FORBIDDEN');
      expect(await codeOf(storedCaseLogKpis(store, p, project.id, { log: 'small' }))).toBe('E_FORBIDDEN');
    }
    expect(await codeOf(listCaseLogBatches(store, ANONYMOUS, project.id))).toBe('E_UNAUTHENTICATED');
    expect(
      await codeOf(
        importStoredCaseLog(store, as('reviewer1'), project.id, { projectDir: small.dir, log: smallLogConfig() }),
      ),
    ).toBe('E_FORBIDDEN');
    expect((await getCaseLogBatch(store, as('shenzhen'), smallBatch.id)).city).toBe('440300');
  });

  it.skipIf(skip)('a hostile log is refused with a located error and nothing is stored', async () => {
    const before = await counts();
    // bad rows with onError: stop
    const stop = await importStoredCaseLog(store, as('author1'), project.id, {
      projectDir: small.dir,
      log: smallLogConfig({ id: 'small-stop', onError: 'stop' }),
    }).catch((e: unknown) => e);
    expect(stop).toBeInstanceOf(CityIndexError);
    const issues = (stop as CityIndexError).issues;
    expect(issues[0].code).toBe('E_CASE_IMPORT_STOPPED');
    // each bad row located: file, row, field
    const order = issues.find((i) => i.code === 'E_CASE_ORDER');
    expect(order).toMatchObject({ file: 'log.csv', field: 'closed' });
    expect(order?.row).toBeGreaterThan(0);
    // a missing file, a column the file lacks, a file outside the project
    const header = 'id,received,first_response,closed,due,status,category,district,channel,reopened,satisfaction,note';
    const ok = 'C1,2024-01-10 09:00:00,,,,办理中,噪音扰民,福田区,电话,否,,';
    const huge = `C2,2024-01-10 09:00:00,,,,办理中,噪音扰民,福田区,电话,否,,${'x'.repeat(2 << 20)}`;
    const hostile = tempProject({ 'a.csv': [header, ok, huge, ''].join('\n') });
    try {
      const author = as('author1');
      const gone = smallLogConfig({ id: 'gone', files: ['nope.csv'] });
      expect(await codeOf(importStoredCaseLog(store, author, project.id, { projectDir: small.dir, log: gone }))).toBe(
        'E_CASELOG_FILE',
      );
      const esc = smallLogConfig({ id: 'esc', files: ['../../etc/passwd'] });
      expect(await codeOf(importStoredCaseLog(store, author, project.id, { projectDir: small.dir, log: esc }))).toMatch(
        /^E_PATH/,
      );
      expect(
        await codeOf(
          importStoredCaseLog(store, as('author1'), project.id, {
            projectDir: hostile.dir,
            log: smallLogConfig({ id: 'huge', files: ['a.csv'], onError: 'stop' }),
          }),
        ),
      ).toBe('E_CASE_IMPORT_STOPPED'); // a 2 MiB record (E_CASE_TOO_LONG)
    } finally {
      hostile.dispose();
    }
    expect(await counts()).toEqual(before);
  });

  it.skipIf(skip)('a generated log is stored flagged SIMULATED and its KPIs say so', async () => {
    const dir = join(small.dir, 'sim');
    await generateCaseLogProject({ dir, city: '440300', year: 2024, cases: 600, seed: 7 });
    const [log] = await readCaseLogs(dir);
    const r = await importStoredCaseLog(store, as('author1'), project.id, { projectDir: dir, log });
    expect(r.batch).toMatchObject({ simulated: true, city: '440300' });
    const k = await storedCaseLogKpis(store, as('shenzhen'), project.id, { log: log.id, granularities: ['year'] });
    expect(k.simulated).toBe(true);
    expect(k.batches.every((b) => b.simulated)).toBe(true);
    expectSame(
      (await fileKpis(dir, log)).filter((v) => v.period === '2024'),
      k.kpis,
    );
    await deleteCaseLogBatch(store, as('author1'), r.batch.id);
  });

  it.skipIf(skip)(
    'real SF311 sample: stored KPIs equal the file path; 2 085 cases in 2015 (PROVENANCE.md); delete audited',
    async () => {
      const sf = (await readCaseLogs(EXAMPLE)).find((l) => l.id === 'sf-sample')!;
      const r = await importStoredCaseLog(store, as('sanfran'), project.id, { projectDir: EXAMPLE, log: sf });
      expect(r.imported).toBe(true);
      const stored = await storedCaseLogKpis(store, as('sanfran'), project.id, { log: 'sf-sample' });
      const year = stored.kpis.find(
        (v) => v.kpi === 'cases_received' && v.level === 'city' && v.unit === 'US-SFO' && v.period === '2015',
      );
      expect(year?.value).toBe(2085);
      expectSame(await fileKpis(EXAMPLE, sf), stored.kpis);
      // Shenzhen's officer cannot see it; the author deletes it, audited with what was deleted
      expect(await codeOf(storedCaseLogKpis(store, as('shenzhen'), project.id, { log: 'sf-sample' }))).toBe(
        'E_NOT_FOUND',
      );
      const before = await counts();
      await deleteCaseLogBatch(store, as('author1'), r.batch.id);
      const after = await counts();
      expect([after.batches, after.cases, after.audit]).toEqual([
        before.batches - 1,
        before.cases - r.batch.accepted,
        before.audit + 1,
      ]);
      const del = (await store.auditLog(CLI, { limit: 10_000 })).filter((a) => a.action === 'caselog.delete');
      expect(del.map((a) => [a.actor, a.entity_id]).at(-1)).toEqual(['author1', String(r.batch.id)]);
      expect(await codeOf(storedCaseLogKpis(store, as('sanfran'), project.id, { log: 'sf-sample' }))).toBe(
        'E_NOT_FOUND',
      );
    },
    120_000,
  );
});
