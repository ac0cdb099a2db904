/**
 * DuckDB and PostgreSQL run the same SQL per KPI and must give identical KPIs on the same log: the hand-made
 * small log and the real BOS:311 January 2015 file, every KPI × level (city, district, category) ×
 * granularity. PostgreSQL: a database
 * with a random name on 127.0.0.1:5432, dropped afterwards (skipped with a message when the server is down,
 * a failure when CITYINDEX_REQUIRE_PG=1, as in tests/store/stores.ts).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import pg from 'pg';
import { importCaseLog } from '../../src/caselog/import.ts';
import { computeKpis, duckKpiEngine, loadCasesIntoPostgres, pgKpiEngine } from '../../src/caselog/kpi.ts';
import { readCaseLogs } from '../../src/caselog/project.ts';
import { offsetSeconds, type CaseLogConfig } from '../../src/engine/caselog/config.ts';
import type { KpiValue } from '../../src/engine/caselog/kpis.ts';
import { pgAvailable, tempPgDatabase } from '../store/stores.ts';
import { openDuck, sqlString } from '../../src/caselog/duck.ts';
import { CASE_TABLE_COLUMNS } from '../../src/engine/caselog/kpis.ts';
import { expectSame, FIXTURES, smallLogConfig, tempProject } from './helpers.ts';

const disposers: Array<() => void | Promise<void>> = [];
afterAll(async () => {
  for (const d of disposers) await d();
});

async function bothEngines(projectDir: string, log: CaseLogConfig): Promise<[KpiValue[], KpiValue[], number]> {
  const outRoot = tempProject({});
  disposers.push(outRoot.dispose);
  const r = await importCaseLog({ projectDir, log, outDir: join(outRoot.dir, log.id) });
  const parquet = join(r.outDir, 'cases.parquet');
  const offsetS = offsetSeconds(log.utcOffset);
  const duck = await duckKpiEngine(parquet);
  const levels = ['city', 'district', 'category'] as const;
  const fromDuck = await computeKpis(duck.engine, { offsetS, levels });
  duck.close();
  return withPgDatabase(async (client) => {
    const loaded = await loadCasesIntoPostgres(client, parquet);
    const fromPg = await computeKpis(pgKpiEngine(client), { offsetS, levels });
    return [fromDuck, fromPg, loaded];
  });
}

/** `fn` on a client of a new database (dropped after the suite). */
async function withPgDatabase<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const db = await tempPgDatabase('cityindex_caselog');
  disposers.push(db.drop);
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

describe.skipIf(!pgAvailable)('DuckDB and PostgreSQL give identical KPIs', () => {
  it('on the hand-made small log (UTC+8)', async () => {
    const p = tempProject({ 'log.csv': { copy: join(FIXTURES, 'small-log.csv') } });
    disposers.push(p.dispose);
    const [duck, postgres, loaded] = await bothEngines(p.dir, smallLogConfig());
    expect(loaded).toBe(7);
    expect(duck.length).toBeGreaterThan(100);
    expectSame(duck, postgres);
  });

  it('on the real BOS:311 January 2015 log (7 528 cases)', async () => {
    const [boston] = await readCaseLogs('examples/service-requests-311');
    const log = { ...boston, files: ['data/boston_311_2015_01.csv'] };
    const [duck, postgres, loaded] = await bothEngines('examples/service-requests-311', log);
    expect(loaded).toBe(7528); // no January case was closed before it was opened
    expectSame(duck, postgres);
    const ot = duck.find((v) => v.kpi === 'on_time_rate' && v.level === 'city' && v.period === '2015-01');
    expect(ot?.denominator).toBeGreaterThan(4000);
    // the category breakdown is there and adds up to the city on both engines
    const cats = duck.filter((v) => v.kpi === 'cases_received' && v.level === 'category' && v.period === '2015-01');
    expect(cats.length).toBeGreaterThan(5);
    const city = duck.find((v) => v.kpi === 'cases_received' && v.level === 'city' && v.period === '2015-01');
    expect(cats.reduce((a, v) => a + v.value, 0)).toBe(city?.value);
  }, 60_000);

  it('loads every value into PostgreSQL as it is in the Parquet file (COPY through CSV)', async () => {
    const p = tempProject({});
    disposers.push(p.dispose);
    const parquet = join(p.dir, 'cases.parquet');
    const db = await openDuck();
    const cols = CASE_TABLE_COLUMNS.map(([c, t]) => `CAST(${c} AS ${t}) AS ${c}`).join(', ');
    // text with a comma, quotes, a line break, an empty string beside NULL, CJK; doubles needing 17 digits
    await db.run(
      `COPY (SELECT ${cols} FROM (VALUES ` +
        `(1, 'a.csv', 'A,1', '440300', '', '微信', 1, 'say "hi"', 'x' || chr(10) || 'y', 'closed', ` +
        `1700000000, NULL, 1700000100, NULL, 1700003600, 1700086400, 0, 4.0, 1, NULL, ` +
        `22.543099999999999, 114.05789999999999, '2023-11', '2023-Q4', '2023'), ` +
        `(2, 'a.csv', 'A2', '440300', NULL, NULL, NULL, NULL, NULL, 'open', ` +
        `1700000001, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'duplicate', ` +
        `0.1, -1e-300, '2023-11', '2023-Q4', '2023')) ` +
        `t(${CASE_TABLE_COLUMNS.map(([c]) => c).join(', ')})) TO ${sqlString(parquet)} (FORMAT PARQUET)`,
    );
    const want = await db.all(`SELECT * FROM read_parquet(${sqlString(parquet)}) ORDER BY rec`);
    db.close();
    await withPgDatabase(async (client) => {
      expect(await loadCasesIntoPostgres(client, parquet)).toBe(2);
      const got = (await client.query('SELECT * FROM cases ORDER BY rec')).rows as Record<string, unknown>[];
      const numeric = new Set<string>(CASE_TABLE_COLUMNS.filter(([, t]) => t !== 'VARCHAR').map(([c]) => c));
      const norm = (r: Record<string, unknown>) =>
        Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v === null || !numeric.has(k) ? v : Number(v)]));
      expect(got.map(norm)).toEqual(want.map(norm));
      expect(got[0].district).toBe('');
      expect(got[1].district).toBeNull();
    });
  });
});
