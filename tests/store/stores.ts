/**
 * The two databases every store and server test runs on: a SQLite file in a temporary folder, and a
 * PostgreSQL database with a random name created on 127.0.0.1:5432 (trust auth, user postgres) and
 * dropped afterwards. When PostgreSQL is unreachable its suites are skipped with a message saying so.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { Store } from '../../src/store/store.ts';
import { systemPrincipal, type Principal } from '../../src/store/principal.ts';

export const PG_ADMIN_URL = process.env.CITYINDEX_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** True when the PostgreSQL server answers (checked once, at import). */
export const pgAvailable: boolean = await (async () => {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch (e) {
    // CI sets CITYINDEX_REQUIRE_PG=1 (.ci/run starts the server): there a missing server fails the suite
    if (process.env.CITYINDEX_REQUIRE_PG === '1')
      throw new Error(`PostgreSQL at ${PG_ADMIN_URL} is unreachable and CITYINDEX_REQUIRE_PG=1`, { cause: e });
    process.stderr.write(
      `PostgreSQL at ${PG_ADMIN_URL} is unreachable (${(e as Error).message}): PostgreSQL store tests are SKIPPED\n`,
    );
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
})();

/** scrypt's cost lowered for tests (production uses 2^15): the hashing itself is tested in password.test.ts. */
const FAST = { scryptN: 2 ** 10 };

/** A fresh, migrated store and how to throw it away. */
export interface TestStore {
  store: Store;
  /** A second store on the same database (as another server process would open it); the caller closes it. */
  reopen(): Promise<Store>;
  dispose(): Promise<void>;
}

/** A store on a new SQLite file. */
export async function sqliteStore(): Promise<TestStore> {
  const dir = mkdtempSync(join(tmpdir(), 'cityindex-store-'));
  const store = await Store.open({ sqliteFile: join(dir, 'store.db') }, FAST);
  return {
    store,
    reopen: () => Store.open({ sqliteFile: join(dir, 'store.db') }, FAST),
    dispose: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A new PostgreSQL database with a random name: its URL, and `drop` (forced: open sessions are ended). */
export async function tempPgDatabase(prefix = 'cityindex_test'): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return {
    url: PG_ADMIN_URL.replace(/\/[^/]*$/, `/${name}`),
    drop: async () => {
      const a = new pg.Client({ connectionString: PG_ADMIN_URL });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}

/** A store on a new PostgreSQL database with a random name (dropped by `dispose`). */
export async function postgresStore(): Promise<TestStore> {
  const db = await tempPgDatabase();
  const store = await Store.open({ url: db.url }, FAST);
  return {
    store,
    reopen: () => Store.open({ url: db.url }, FAST),
    dispose: async () => {
      await store.close();
      await db.drop();
    },
  };
}

/** The databases to run a suite on: `describe.each(DIALECTS)` with `skip` set for an unreachable server. */
export const DIALECTS = [
  { name: 'sqlite', open: sqliteStore, skip: false },
  { name: 'postgres', open: postgresStore, skip: !pgAvailable },
] as const;

/**
 * One city's value of the project's first indicator raised to the best of all cities (its direction
 * decides), submitted by `city` and approved by `reviewer`: the next edition's numbers move for that unit.
 */
export async function approveBestValue(
  store: Store,
  who: { city: Principal; reviewer: Principal },
  projectId: number,
  unit: string,
): Promise<{ indicator: string; value: number }> {
  const system = systemPrincipal('test');
  const indicator = (await store.framework(projectId)).find((n) => n.kind === 'indicator')!;
  const all = (await store.allValues(system, projectId)).filter((v) => v.indicator === indicator.code);
  const values = all.map((v) => v.value).filter((v): v is number => v !== null);
  const value = indicator.direction === 1 ? Math.max(...values) : Math.min(...values);
  const sub = await store.submit(who.city, projectId, unit, [{ indicator: indicator.code, value }]);
  await store.review(who.reviewer, sub.id, { approve: true, comment: 'ok', version: sub.version });
  return { indicator: indicator.code, value };
}
