/**
 * Embedded DuckDB for case logs (Node only): one instance per job with a memory limit, a spill folder and a
 * thread count, so a city-year of millions of cases is read and aggregated without loading it into the
 * JS heap. Helpers quote identifiers and literals for the SQL the import builds.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

export interface DuckOptions {
  /** Database file (spills to disk); ':memory:' by default. */
  path?: string;
  /** DuckDB memory limit, e.g. '1GB' (default '1GB'). */
  memoryLimit?: string;
  threads?: number;
  /** Folder for DuckDB's temporary (spill) files. */
  tempDirectory?: string;
}

export interface Duck {
  conn: DuckDBConnection;
  run(sql: string): Promise<void>;
  all(sql: string): Promise<Record<string, unknown>[]>;
  close(): void;
}

/**
 * Open DuckDB with bounded memory. Extensions are never downloaded (autoinstall/autoload off).
 * @example
 * const db = await openDuck();
 * const rows = await db.all('SELECT 40 + 2 AS x');
 * rows[0].x // => 42
 * db.close();
 */
export async function openDuck(opts: DuckOptions = {}): Promise<Duck> {
  const config: Record<string, string> = {
    memory_limit: opts.memoryLimit ?? '1GB',
    threads: String(opts.threads ?? 2),
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
  };
  if (opts.tempDirectory) config.temp_directory = opts.tempDirectory;
  const instance = await DuckDBInstance.create(opts.path ?? ':memory:', config);
  const conn = await instance.connect();
  // CITYINDEX_TRACE_SQL=1: each statement's time on stderr (for tuning; off by default)
  const trace = process.env.CITYINDEX_TRACE_SQL === '1' || process.env.CITYINDEX_TRACE_SQL === 'full';
  const width = process.env.CITYINDEX_TRACE_SQL === 'full' ? 1e6 : 90;
  const traced = async <T>(sql: string, f: () => Promise<T>): Promise<T> => {
    if (!trace) return f();
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const r = await f();
    const c = process.cpuUsage(c0);
    const cpu = ((c.user + c.system) / 1000).toFixed(0);
    process.stderr.write(`[duckdb ${(performance.now() - t0).toFixed(0)} ms, cpu ${cpu} ms] ${sql.slice(0, width)}\n`);
    return r;
  };
  return {
    conn,
    run: (sql) => traced(sql, async () => void (await conn.run(sql))),
    all: (sql) =>
      traced(sql, async () => (await conn.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[]),
    close: () => {
      conn.closeSync();
      instance.closeSync();
    },
  };
}

/**
 * A SQL string literal.
 * @example sqlString("O'Brien") // => "'O''Brien'"
 */
export function sqlString(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}

/**
 * A SQL identifier (column name) in double quotes.
 * @example sqlIdent('OPEN "DT"') // => '"OPEN ""DT"""'
 */
export function sqlIdent(s: string): string {
  return `"${s.replaceAll('"', '""')}"`;
}

/**
 * A driver value (bigint, numeric string, null) as a number, or null.
 * @example [toNumber(3n), toNumber('2.5'), toNumber(null)] // => [3, 2.5, null]
 */
export function toNumber(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  return typeof v === 'bigint' ? Number(v) : Number(v);
}
