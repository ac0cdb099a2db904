/**
 * Open the store's database: PostgreSQL when a `postgres://` URL is given (or `DATABASE_URL` is set),
 * else the embedded SQLite file `<project>/.cityindex/store.db` (better-sqlite3, WAL mode, foreign keys
 * on). Both go through kysely, so the rest of the store is one code path.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { CityIndexError } from '../engine/core/errors.ts';
import type { StoreDialect } from './migrations.ts';
import type { StoreDatabase } from './schema.ts';

/** An open database and which kind it is. */
export interface StoreConnection {
  db: Kysely<StoreDatabase>;
  dialect: StoreDialect;
  /** Where it is, for messages (a file path, or the URL without its password). */
  where: string;
}

/** Where to find the database: a PostgreSQL URL, or a SQLite file (':memory:' for a throwaway one). */
export type StoreLocation = { url: string } | { sqliteFile: string };

/**
 * The location a project uses: `DATABASE_URL` when it is a postgres URL, else `<project>/.cityindex/store.db`.
 * @example storeLocation('examples/asem', {}) // => { sqliteFile: 'examples/asem/.cityindex/store.db' }
 * @example storeLocation('x', { DATABASE_URL: 'postgres://u@h/db' }) // => { url: 'postgres://u@h/db' }
 */
export function storeLocation(projectDir: string, env: Readonly<Record<string, string | undefined>>): StoreLocation {
  const url = env.DATABASE_URL;
  if (url && url.trim() !== '') return { url };
  return { sqliteFile: join(projectDir, '.cityindex', 'store.db') };
}

/** A URL with its password replaced by ***. */
function redacted(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}

/**
 * Open a database (no migration: see `migrateStore`). SQLite files get WAL mode and foreign keys.
 * @example
 * const c = openDatabase({ sqliteFile: ':memory:' });
 * c.dialect // => 'sqlite'
 * await c.db.destroy();
 */
export function openDatabase(location: StoreLocation): StoreConnection {
  if ('url' in location) {
    if (!/^postgres(ql)?:\/\//.test(location.url)) {
      throw new CityIndexError({
        code: 'E_STORE_URL',
        message: `DATABASE_URL is not a PostgreSQL URL / DATABASE_URL 不是 PostgreSQL 地址: ${redacted(location.url)}`,
        field: 'DATABASE_URL',
        expected: 'postgres://user:password@host:5432/database',
      });
    }
    const pool = new pg.Pool({ connectionString: location.url, max: 10 });
    // An idle connection that the server ends (a restart, an administrator's terminate, a dropped
    // database) emits 'error' on the pool; without a listener that error would end the whole process.
    // The pool discards the connection and opens a new one for the next query, which reports its own error.
    pool.on('error', (e) => process.emitWarning(`PostgreSQL closed an idle connection: ${e.message}`));
    const db = new Kysely<StoreDatabase>({ dialect: new PostgresDialect({ pool }) });
    return { db, dialect: 'postgres', where: redacted(location.url) };
  }
  const file = location.sqliteFile;
  if (file !== ':memory:') mkdirSync(join(file, '..'), { recursive: true });
  const sqlite = new BetterSqlite3(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<StoreDatabase>({ dialect: new SqliteDialect({ database: cachedStatements(sqlite) }) });
  return { db, dialect: 'sqlite', where: file };
}

/**
 * A SQLite database whose prepared statements are kept and reused by their SQL text (the most recently
 * used `max`): kysely's driver prepares every query it runs, and parsing the same SQL again costs more than
 * running it for the store's small writes. A statement being iterated is never handed out twice.
 * @example
 * import BetterSqlite3 from 'better-sqlite3';
 * const db = cachedStatements(new BetterSqlite3(':memory:'));
 * db.prepare('select 1 as x') === db.prepare('select 1 as x') // => true
 * db.close();
 */
export function cachedStatements(
  sqlite: BetterSqlite3.Database,
  max = 256,
): { prepare(sql: string): BetterSqlite3.Statement; close(): void } {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
    prepare(text: string) {
      let stmt = cache.get(text);
      if (stmt && !stmt.busy) {
        cache.delete(text); // most recently used last
        cache.set(text, stmt);
        return stmt;
      }
      stmt = sqlite.prepare(text);
      if (cache.size >= max) cache.delete(cache.keys().next().value as string);
      cache.set(text, stmt);
      return stmt;
    },
    close: () => sqlite.close(),
  };
}
