/**
 * Compute the governance KPIs of an imported case log (Node only) on either engine: embedded DuckDB over the
 * import's `cases.parquet`, or PostgreSQL over a `cases` table (loaded from the same Parquet file by
 * `loadCasesIntoPostgres`). Both run the SAME SQL text per KPI (src/engine/caselog/kpis.ts); a `periods`
 * table (period key → end instant) is written beside `cases` for the backlog.
 */
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import type pg from 'pg';
import { type Granularity, GRANULARITIES, PERIOD_COLUMN, periodEnd } from '../engine/caselog/periods.ts';
import {
  CASE_TABLE_COLUMNS,
  finishKpi,
  KPI_DEFINITIONS,
  type KpiLevel,
  type KpiSqlRow,
  backlogSql,
  fusedKpiScan,
  type KpiValue,
  unitExpression,
} from '../engine/caselog/kpis.ts';
import { openDuck, sqlString, toNumber, type Duck, type DuckOptions } from './duck.ts';

/** What the KPI computation needs from a database holding the `cases` table. */
export interface KpiEngine {
  readonly name: 'duckdb' | 'postgres';
  run(sql: string): Promise<void>;
  all(sql: string): Promise<Record<string, unknown>[]>;
}

/**
 * A DuckDB engine whose `cases` is a view over an import's Parquet file (nothing is loaded into the JS heap).
 * @example // no-run: needs an imported log (tests/caselog/kpi.test.ts)
 * const { engine, close } = await duckKpiEngine('.cityindex/caselog/x/cases.parquet');
 * engine.name // => 'duckdb'
 */
export async function duckKpiEngine(
  parquetPath: string,
  opts: DuckOptions = {},
): Promise<{ engine: KpiEngine; duck: Duck; close: () => void }> {
  // a small log (a few hundred thousand cases) is read once into memory by one thread (dozens of short queries
  // follow: threads only add scheduling cost); a larger one stays a view over the file, scanned in parallel —
  // 1 M cases (25 MB of Parquet): 11.6 s as a one-thread table, 6.9 s as a view on two threads
  const small = (await stat(parquetPath)).size < 8 << 20;
  const duck = await openDuck({ threads: small ? 1 : undefined, ...opts });
  const kind = small ? 'TABLE' : 'VIEW';
  await duck.run(`CREATE ${kind} cases AS SELECT * FROM read_parquet(${sqlString(parquetPath)})`);
  return { engine: { name: 'duckdb', run: duck.run, all: duck.all }, duck, close: duck.close };
}

/**
 * A PostgreSQL engine on a connected client whose database has (or will have) the `cases` table.
 * @example // no-run: needs a PostgreSQL server (tests/caselog/engines.test.ts)
 * pgKpiEngine(client).name // => 'postgres'
 */
export function pgKpiEngine(client: pg.Client): KpiEngine {
  return {
    name: 'postgres',
    run: async (sql) => {
      await client.query(sql);
    },
    all: async (sql) => (await client.query(sql)).rows as Record<string, unknown>[],
  };
}

const PG_TYPE: Record<string, string> = {
  BIGINT: 'BIGINT',
  VARCHAR: 'TEXT',
  INTEGER: 'INTEGER',
  DOUBLE: 'DOUBLE PRECISION',
};

/**
 * Create the `cases` table in PostgreSQL and fill it from an import's Parquet file: DuckDB writes the rows as
 * CSV into a temporary file (in parallel, NULL as an unquoted empty field, an empty text as `""`), which is
 * streamed into `COPY cases FROM STDIN` — no row passes through the JavaScript heap. Returns the rows loaded.
 * @example // no-run: needs a PostgreSQL server (tests/caselog/engines.test.ts)
 * await loadCasesIntoPostgres(client, 'cases.parquet') // => 7
 */
export async function loadCasesIntoPostgres(
  client: pg.Client,
  parquetPath: string,
  opts: { onRows?: (n: number) => void; duck?: DuckOptions } = {},
): Promise<number> {
  await client.query('DROP TABLE IF EXISTS cases');
  await client.query(`CREATE TABLE cases (${CASE_TABLE_COLUMNS.map(([c, t]) => `${c} ${PG_TYPE[t]}`).join(', ')})`);
  const dir = await mkdtemp(join(tmpdir(), 'cityindex-pgload-'));
  try {
    const csv = join(dir, 'cases.csv');
    const duck = await openDuck({ ...opts.duck, tempDirectory: dir });
    try {
      const names = CASE_TABLE_COLUMNS.map(([c]) => c).join(', ');
      await duck.run(
        `COPY (SELECT ${names} FROM read_parquet(${sqlString(parquetPath)})) TO ${sqlString(csv)} ` +
          "(FORMAT CSV, HEADER false, DELIMITER ',', QUOTE '\"')",
      );
    } finally {
      duck.close();
    }
    const copy = client.query(copyFrom(`COPY cases FROM STDIN (FORMAT csv)`));
    await pipeline(createReadStream(csv, { highWaterMark: 1 << 20 }), copy);
    const total = Number(copy.rowCount ?? 0);
    opts.onRows?.(total);
    await client.query('ANALYZE cases');
    return total;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export interface ComputeKpiOptions {
  /** UTC offset of the log in seconds (period ends are local midnights). */
  offsetS: number;
  /** KPI ids (default: all). */
  kpis?: readonly string[];
  levels?: readonly KpiLevel[];
  granularities?: readonly Granularity[];
  /** Unit code → population, for cases per 10 000 residents. */
  population?: ReadonlyMap<string, number>;
}

/** The `periods` table (granularity, period, end_s) of the periods present in `cases`. */
async function writePeriods(engine: KpiEngine, offsetS: number): Promise<void> {
  const rows = await engine.all(
    'SELECT DISTINCT p_month AS m, p_quarter AS q, p_year AS y FROM cases WHERE p_month IS NOT NULL',
  );
  const keys = new Map<string, Granularity>();
  for (const r of rows) {
    keys.set(String(r.m), 'month');
    keys.set(String(r.q), 'quarter');
    keys.set(String(r.y), 'year');
  }
  await engine.run('DROP TABLE IF EXISTS periods');
  await engine.run('CREATE TABLE periods (granularity VARCHAR(7), period VARCHAR(7), end_s BIGINT)');
  const values = [...keys].map(([k, g]) => `(${sqlString(g)}, ${sqlString(k)}, ${periodEnd(k, offsetS)})`);
  for (let i = 0; i < values.length; i += 500)
    await engine.run(`INSERT INTO periods VALUES ${values.slice(i, i + 500).join(', ')}`);
}

/**
 * Every KPI × level × granularity on an engine, as KpiValue rows (sorted by KPI order, level, granularity,
 * unit, period). The backlog of a unit with cases in a period but no open case at its end is 0.
 *
 * The KPIs that are one scan of `cases` (all but the backlog) run fused: one query per level over every
 * granularity (fusedKpiScan: each KPI's own aggregates, shared scan), and the backlog one join per level over
 * every granularity — about 6 statements instead of ~90, the same numbers as each KPI's own SQL
 * (tests/caselog/fused.test.ts).
 * @example // no-run: needs an imported log (tests/caselog/kpi.test.ts)
 * (await computeKpis(engine, { offsetS: 8 * 3600 })).length > 0 // => true
 */
export async function computeKpis(engine: KpiEngine, opts: ComputeKpiOptions): Promise<KpiValue[]> {
  await writePeriods(engine, opts.offsetS);
  const defs = KPI_DEFINITIONS.filter((d) => !opts.kpis || opts.kpis.includes(d.id));
  const scans = defs.filter((d) => d.columns);
  const levels = opts.levels ?? (['city', 'district'] as const);
  const grans = opts.granularities ?? GRANULARITIES;
  /** SQL rows per `${kpi} ${level} ${granularity}`; the (unit, period) cells with cases per `${level} ${g}`. */
  const rows = new Map<string, KpiSqlRow[]>();
  const cells = new Map<string, Array<{ unit: string; period: string }>>();
  const push = <T>(m: Map<string, T[]>, key: string, v: T) => {
    const list = m.get(key);
    if (list) list.push(v);
    else m.set(key, [v]);
  };
  for (const level of levels) {
    if (scans.length) {
      const fused = fusedKpiScan(scans, level, grans);
      for (const r of await engine.all(fused.sql)) {
        const unit = String(r.unit);
        const period = String(r.period);
        const g = String(r.granularity);
        push(cells, `${level} ${g}`, { unit, period });
        for (const [id, cols] of fused.columns) {
          const row: KpiSqlRow = { unit, period, num: null };
          for (const [alias, c] of cols) (row as unknown as Record<string, unknown>)[alias] = toNumber(r[c]);
          push(rows, `${id} ${level} ${g}`, row);
        }
      }
    } else {
      for (const g of grans)
        for (const r of await engine.all(
          `SELECT DISTINCT ${unitExpression(level)} AS unit, ${PERIOD_COLUMN[g]} AS period FROM cases ` +
            `WHERE ${unitExpression(level)} IS NOT NULL`,
        ))
          push(cells, `${level} ${g}`, { unit: String(r.unit), period: String(r.period) });
    }
    const backlog = defs.find((d) => d.id === 'backlog_end');
    if (backlog) {
      for (const r of await engine.all(backlogSql(level, grans)))
        push(rows, `${backlog.id} ${level} ${String(r.granularity)}`, {
          unit: String(r.unit),
          period: String(r.period),
          num: toNumber(r.num),
        });
      // a unit with cases in a period and nothing open at its end has a backlog of 0
      for (const g of grans) {
        const key = `${backlog.id} ${level} ${g}`;
        const have = new Set((rows.get(key) ?? []).map((r) => `${r.unit}\u0000${r.period}`));
        for (const c of cells.get(`${level} ${g}`) ?? [])
          if (!have.has(`${c.unit}\u0000${c.period}`)) push(rows, key, { ...c, num: 0 });
      }
    }
  }
  const out: KpiValue[] = [];
  for (const level of levels)
    for (const g of grans)
      for (const def of defs)
        out.push(...finishKpi(def, level, rows.get(`${def.id} ${level} ${g}`) ?? [], opts.population));
  return out;
}
