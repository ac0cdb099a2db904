/**
 * A PostgreSQL server that ends the store's idle connections (a restart, an administrator's
 * pg_terminate_backend, a dropped database) must not end the process: the pool drops the connection
 * and the next query opens a new one.
 */
import { describe, expect, it } from 'vitest';
import pg from 'pg';
import { sql } from 'kysely';
import { DIALECTS, PG_ADMIN_URL } from './stores.ts';

const postgres = DIALECTS.find((d) => d.name === 'postgres')!;

describe.skipIf(postgres.skip)('PostgreSQL store: idle connections ended by the server', () => {
  it('survives pg_terminate_backend on its idle connections and answers the next query', async () => {
    const t = await postgres.open();
    const uncaught: unknown[] = [];
    const onUncaught = (e: unknown) => uncaught.push(e);
    process.on('uncaughtException', onUncaught);
    try {
      // Several connections in the pool, all idle afterwards.
      await Promise.all(Array.from({ length: 4 }, () => sql`SELECT pg_sleep(0.05)`.execute(t.store.db)));
      const name = String((await sql<{ d: string }>`SELECT current_database() AS d`.execute(t.store.db)).rows[0].d);
      const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
      await admin.connect();
      const ended = await admin.query(
        'SELECT count(*)::int AS n FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity ' +
          'WHERE datname = $1 AND pid <> pg_backend_pid()) x',
        [name],
      );
      await admin.end();
      expect(ended.rows[0].n).toBeGreaterThanOrEqual(1);
      await new Promise((r) => setTimeout(r, 200));
      let answered: unknown;
      for (let i = 0; i < 5 && answered === undefined; i++) {
        try {
          answered = (await sql<{ one: number }>`SELECT 1 AS one`.execute(t.store.db)).rows[0].one;
        } catch {
          // a connection that was ended while being handed out: the next try opens a new one
        }
      }
      expect(answered).toBe(1);
      expect(uncaught).toEqual([]);
    } finally {
      process.off('uncaughtException', onUncaught);
      await t.dispose();
    }
  });
});
