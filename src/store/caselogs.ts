/**
 * Case logs on the platform store (store extension; tables of caselog-schema.ts = migration 0009): import a
 * log already described by the project's `caselogs:` section (its files checked by src/caselog/import.ts,
 * then streamed into `caselog_cases` in chunks inside ONE transaction per batch, so nothing is half-imported;
 * the same files again as the same log of the same city are a no-op), list and delete batches, and compute
 * the governance KPIs over the stored cases with the SAME SQL text per KPI as the file path
 * (src/engine/caselog/kpis.ts): on PostgreSQL in the database itself (a temporary `cases` view over the
 * batches), on SQLite (no percentile functions) in an in-process DuckDB the batches are copied into.
 *
 * Roles, enforced here with the acting principal as parameter: admin and author import, list, delete and
 * compute over every city; a reviewer lists and computes over every city (read-only); a city officer imports,
 * lists and computes over the logs of their own units only (another city's log is refused with E_FORBIDDEN
 * on import and is invisible — E_NOT_FOUND — on reads); experts, readers and the anonymous visitor see no
 * case log and no KPI of one (case logs are raw operational data; KPIs reach them only as indicators of a
 * published edition). Every import and delete is written to the audit log in its transaction.
 */
import { createHash } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { sql, type Transaction } from 'kysely';
import { CityIndexError } from '../engine/core/errors.ts';
import { offsetSeconds, type CaseLogConfig } from '../engine/caselog/config.ts';
import { CASE_TABLE_COLUMNS, type KpiLevel, type KpiValue } from '../engine/caselog/kpis.ts';
import type { Granularity } from '../engine/caselog/periods.ts';
import { openDuck, sqlString, type Duck } from '../caselog/duck.ts';
import { importCaseLog, importOutputs, sha256File, type ImportProgress, type ImportReport } from '../caselog/import.ts';
import { computeKpis, type KpiEngine } from '../caselog/kpi.ts';
import { CATEGORY_BREAKDOWN } from '../caselog/run.ts';
import { readCaseLogs } from '../caselog/project.ts';
import { fsProjectFiles } from '../formats/project-fs.ts';
import type { CaseLogInputs } from './caselog-build.ts';
import { actorName, hasRole, requireRole, type Principal } from './principal.ts';
import type { StoreDatabase } from './schema.ts';
import type { Store } from './store.ts';

/** A stored case-log batch as the API returns it. */
export interface CaseLogBatch {
  id: number;
  projectId: number;
  log: string;
  city: string;
  files: Array<{ path: string; bytes: number; sha256: string; encoding?: string }>;
  sha256: string;
  records: number;
  accepted: number;
  rejected: number;
  rejectedByCode: Record<string, number>;
  excludedByRule: Record<string, number>;
  simulated: boolean;
  utcOffset: string;
  receivedRange: [string, string] | null;
  createdBy: string;
  createdAt: string;
}

/** What an import did: the batch, and whether it was written now (false: the same files were stored already). */
export interface CaseLogImportResult {
  batch: CaseLogBatch;
  imported: boolean;
  /** The file importer's report (rejects by row) when the import ran. */
  report?: ImportReport;
}

/** Options of an import into the store. */
export interface StoreCaseLogImport {
  /** Folder holding the log's files (and the mapping files the log names), as for importCaseLog. */
  projectDir: string;
  /** The log's configuration (from the project's `caselogs:` section). */
  log: CaseLogConfig;
  /** Names recorded for the files (default: the paths of `log.files`), e.g. an upload's original file name. */
  fileNames?: readonly string[];
  /** Cases per INSERT statement (default 1000; SQLite and PostgreSQL bound a statement's parameters). */
  chunk?: number;
  onProgress?: (e: ImportProgress | { stage: 'store'; rows: number }) => void;
}

/** KPIs over stored batches, with their lineage. */
export interface StoredKpis {
  log: string;
  engine: 'duckdb' | 'postgres';
  simulated: boolean;
  /** The batches that entered (lineage: the input files' SHA-256). */
  batches: Array<Pick<CaseLogBatch, 'id' | 'city' | 'sha256' | 'files' | 'simulated'>>;
  kpis: KpiValue[];
}

/** Options of a KPI computation over stored logs. */
export interface StoredKpiOptions {
  /** The log id of the project's `caselogs:` section. */
  log: string;
  /** Only this city's batches (default: every batch the actor may see). */
  city?: string;
  /** Only these batches (an edition's: E_NOT_FOUND when one of them is gone or hidden). */
  batches?: readonly number[];
  kpis?: readonly string[];
  levels?: readonly KpiLevel[];
  granularities?: readonly Granularity[];
  population?: ReadonlyMap<string, number>;
}

const WRITERS = ['admin', 'author', 'city'] as const;
const READERS = ['admin', 'author', 'reviewer', 'city'] as const;

function notFound(what: string, id: string | number): CityIndexError {
  return new CityIndexError({
    code: 'E_NOT_FOUND',
    message: `no ${what} ${id} (or you may not see it) / 找不到该工单日志`,
    field: what,
    expected: `an existing ${what} you may see`,
  });
}

const isUnique = (e: unknown): boolean => {
  const code = (e as { code?: unknown } | null)?.code;
  return code === '23505' || (typeof code === 'string' && code.startsWith('SQLITE_CONSTRAINT'));
};

/** null when the actor sees every city's logs, else the units they see (throws for roles that see none). */
async function visibleCities(
  store: Store,
  actor: Principal,
  projectId: number,
  what: string,
): Promise<string[] | null> {
  requireRole(actor, [...READERS], what);
  if (actor.kind === 'user' && actor.role === 'city') return store.citiesOf(actor, projectId);
  return null;
}

async function requireProject(store: Store, projectId: number): Promise<void> {
  const p = await store.db.selectFrom('projects').select('id').where('id', '=', projectId).executeTakeFirst();
  if (!p) throw notFound('project', projectId);
}

type BatchRow = StoreDatabase['caselog_batches'] & { id: number };

function toBatch(r: BatchRow): CaseLogBatch {
  return {
    id: Number(r.id),
    projectId: Number(r.project_id),
    log: r.log_id,
    city: r.city,
    files: JSON.parse(r.source_files) as CaseLogBatch['files'],
    sha256: r.sha256,
    records: Number(r.records),
    accepted: Number(r.accepted),
    rejected: Number(r.rejected),
    rejectedByCode: JSON.parse(r.rejected_by_code) as Record<string, number>,
    excludedByRule: JSON.parse(r.excluded_by_rule) as Record<string, number>,
    simulated: Number(r.simulated) === 1,
    utcOffset: r.utc_offset,
    receivedRange: r.received_from && r.received_to ? [r.received_from, r.received_to] : null,
    createdBy: r.created_by,
    createdAt: r.created_at,
  };
}

/**
 * The SHA-256 identifying a batch: of its files' SHA-256 in order, one per line.
 * @example batchSha256(['a', 'b']) === batchSha256(['a', 'b']) // => true
 */
export function batchSha256(fileHashes: readonly string[]): string {
  return createHash('sha256').update(fileHashes.join('\n')).digest('hex');
}

/**
 * Import a case log into the store (admin, author, or the city officer of the log's city). The files are
 * checked by importCaseLog (rejects counted by reason; a configuration error, `onError: stop` with bad rows
 * or too many bad rows throws and nothing is stored), then the accepted cases are streamed from the checked
 * Parquet file into `caselog_cases` in chunks, with the batch row and the audit row, in one transaction.
 * The same files as the same log of the same city again: nothing is written, `imported: false` (to
 * re-check them under a changed mapping, delete the batch first).
 * @example // no-run: needs a store and a log (tests/store/caselogs.test.ts)
 * const { batch } = await importStoredCaseLog(store, admin, project.id, { projectDir, log });
 * batch.accepted // => 7
 */
export async function importStoredCaseLog(
  store: Store,
  actor: Principal,
  projectId: number,
  opts: StoreCaseLogImport,
): Promise<CaseLogImportResult> {
  const { log } = opts;
  requireRole(actor, [...WRITERS], 'import case logs');
  await requireProject(store, projectId);
  if (!hasRole(actor, ['admin', 'author']))
    await store.requireUnitAccess(actor, projectId, log.city.code, 'import case logs');
  // the files resolved and confined to the project folder (as importCaseLog does), hashed for the no-op check
  const files = fsProjectFiles(opts.projectDir);
  const hashes: string[] = [];
  for (const [k, f] of log.files.entries()) {
    opts.onProgress?.({ stage: 'hash', file: f, done: k, total: log.files.length });
    const field = `caselogs.${log.id}.files[${k}]`;
    const r = files.resolve(f);
    if (!r.ok) throw new CityIndexError({ code: r.code, message: r.message, file: f, field });
    const hashed = await sha256File(join(opts.projectDir, r.path)).catch(() => undefined);
    if (!hashed)
      throw new CityIndexError({
        code: 'E_CASELOG_FILE',
        message: `cannot read the case-log file / 无法读取工单日志文件`,
        file: f,
        field,
        expected: 'a readable file in the project folder',
      });
    hashes.push(hashed.sha256);
  }
  const sha = batchSha256(hashes);
  const existing = async () =>
    (await store.db
      .selectFrom('caselog_batches')
      .selectAll()
      .where('project_id', '=', projectId)
      .where('log_id', '=', log.id)
      .where('city', '=', log.city.code)
      .where('sha256', '=', sha)
      .executeTakeFirst()) as BatchRow | undefined;
  const before = await existing();
  if (before) return { batch: toBatch(before), imported: false };

  const work = await mkdtemp(join(tmpdir(), 'cityindex-caselog-store-'));
  try {
    const report = await importCaseLog({
      projectDir: opts.projectDir,
      log,
      outDir: join(work, 'out'),
      onProgress: opts.onProgress,
    });
    const parquet = importOutputs(report.outDir).cases;
    const now = store.now();
    const duck = await openDuck({ threads: 1, tempDirectory: join(work, 'spill') });
    try {
      const batch = await store.db.transaction().execute(async (trx) => {
        const row = await trx
          .insertInto('caselog_batches')
          .values({
            project_id: projectId,
            log_id: log.id,
            city: log.city.code,
            source_files: JSON.stringify(report.files.map((f, k) => ({ ...f, path: opts.fileNames?.[k] ?? f.path }))),
            sha256: sha,
            records: report.records,
            accepted: report.accepted,
            rejected: report.rejected,
            rejected_by_code: JSON.stringify(report.rejectedByCode),
            excluded_by_rule: JSON.stringify(report.excludedByRule),
            simulated: report.simulated ? 1 : 0,
            utc_offset: report.utcOffset,
            received_from: report.receivedRange?.[0] ?? null,
            received_to: report.receivedRange?.[1] ?? null,
            created_by: actorName(actor),
            created_at: now,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        const batchId = Number(row.id);
        const stored = await streamCases(trx, duck, parquet, batchId, opts.chunk ?? 1000, (rows) =>
          opts.onProgress?.({ stage: 'store', rows }),
        );
        if (stored !== report.accepted)
          throw new CityIndexError({
            code: 'E_CASELOG_STORE',
            message: `stored ${stored} cases of ${report.accepted} accepted / 写入的工单数与导入数不一致`,
            file: log.files[0],
            expected: 'every accepted case stored',
          });
        await store.recordAudit(trx, actor, {
          action: 'caselog.import',
          entity: 'caselog_batch',
          entityId: String(batchId),
          after: {
            project: projectId,
            log: log.id,
            city: log.city.code,
            sha256: sha,
            files: report.files.map((f, k) => ({ path: opts.fileNames?.[k] ?? f.path, sha256: f.sha256 })),
            accepted: report.accepted,
            rejected: report.rejected,
            simulated: report.simulated,
          },
        });
        return (await trx
          .selectFrom('caselog_batches')
          .selectAll()
          .where('id', '=', batchId)
          .executeTakeFirstOrThrow()) as BatchRow;
      });
      return { batch: toBatch(batch), imported: true, report };
    } catch (e) {
      // two imports of the same files at once: the second finds the first's batch
      if (isUnique(e)) {
        const won = await existing();
        if (won) return { batch: toBatch(won), imported: false };
      }
      throw e;
    } finally {
      duck.close();
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Stream the checked Parquet file's cases into `caselog_cases` (inside `trx`), `chunk` rows per INSERT. */
async function streamCases(
  trx: Transaction<StoreDatabase>,
  duck: Duck,
  parquet: string,
  batchId: number,
  chunk: number,
  onRows: (n: number) => void,
): Promise<number> {
  const names = CASE_TABLE_COLUMNS.map(([c]) => c);
  const result = await duck.conn.stream(`SELECT ${names.join(', ')} FROM read_parquet(${sqlString(parquet)})`);
  let rows: Array<Record<string, unknown>> = [];
  let total = 0;
  const flush = async () => {
    if (!rows.length) return;
    await trx
      .insertInto('caselog_cases')
      .values(rows as never)
      .execute();
    total += rows.length;
    onRows(total);
    rows = [];
  };
  for (;;) {
    const c = await result.fetchChunk();
    if (!c || c.rowCount === 0) break;
    const cols = c.getColumns();
    for (let i = 0; i < c.rowCount; i++) {
      const r: Record<string, unknown> = { batch_id: batchId };
      for (const [k, name] of names.entries()) {
        const v = cols[k][i];
        r[name] = typeof v === 'bigint' ? Number(v) : (v ?? null);
      }
      rows.push(r);
      if (rows.length >= chunk) await flush();
    }
  }
  await flush();
  return total;
}

/**
 * The batches of a project the actor may see (staff: all; a city officer: their units'), newest first.
 * @example // no-run: needs a store (tests/store/caselogs.test.ts)
 * (await listCaseLogBatches(store, officerA, project.id)).every((b) => b.city === 'A') // => true
 */
export async function listCaseLogBatches(store: Store, actor: Principal, projectId: number): Promise<CaseLogBatch[]> {
  const cities = await visibleCities(store, actor, projectId, 'read case logs');
  if (cities && !cities.length) return [];
  let q = store.db.selectFrom('caselog_batches').selectAll().where('project_id', '=', projectId);
  if (cities) q = q.where('city', 'in', cities);
  const rows = (await q.orderBy('id', 'desc').execute()) as BatchRow[];
  return rows.map(toBatch);
}

/**
 * One batch the actor may see, or E_NOT_FOUND (also for another city's batch).
 * @example // no-run: needs a store (tests/store/caselogs.test.ts)
 * (await getCaseLogBatch(store, admin, 1)).id // => 1
 */
export async function getCaseLogBatch(store: Store, actor: Principal, batchId: number): Promise<CaseLogBatch> {
  requireRole(actor, [...READERS], 'read case logs');
  const row = (await store.db
    .selectFrom('caselog_batches')
    .selectAll()
    .where('id', '=', batchId)
    .executeTakeFirst()) as BatchRow | undefined;
  if (!row) throw notFound('case-log batch', batchId);
  const cities = await visibleCities(store, actor, Number(row.project_id), 'read case logs');
  if (cities && !cities.includes(row.city)) throw notFound('case-log batch', batchId);
  return toBatch(row);
}

/**
 * Delete a batch and its cases (admin and author), audited with what was deleted. A batch a published
 * edition's KPI indicators were computed from is refused (E_IN_USE, naming the editions): the edition's
 * public site is rebuilt from it.
 * @example // no-run: needs a store (tests/store/caselogs.test.ts)
 * await deleteCaseLogBatch(store, admin, batch.id)
 */
export async function deleteCaseLogBatch(store: Store, actor: Principal, batchId: number): Promise<CaseLogBatch> {
  requireRole(actor, ['admin', 'author'], 'delete case logs');
  return store.db.transaction().execute(async (trx) => {
    const row = (await trx.selectFrom('caselog_batches').selectAll().where('id', '=', batchId).executeTakeFirst()) as
      BatchRow | undefined;
    if (!row) throw notFound('case-log batch', batchId);
    const batch = toBatch(row);
    const published = await trx
      .selectFrom('editions')
      .select(['name', 'results'])
      .where('project_id', '=', batch.projectId)
      .where('status', '=', 'published')
      .orderBy('id')
      .execute();
    const using = published
      .filter((e) => {
        const logs = (JSON.parse(e.results) as { caselogs?: CaseLogInputs }).caselogs;
        return logs?.some((l) => l.batches.some((b) => b.id === batchId)) ?? false;
      })
      .map((e) => e.name);
    if (using.length)
      throw new CityIndexError({
        code: 'E_IN_USE',
        message:
          `case-log batch ${batchId} is used by the published edition(s) ${using.join(', ')} / ` +
          '已发布版本使用了该工单日志批次，不能删除',
        field: 'id',
        expected: 'a batch no published edition was built from',
      });
    await trx.deleteFrom('caselog_cases').where('batch_id', '=', batchId).execute();
    await trx.deleteFrom('caselog_batches').where('id', '=', batchId).execute();
    // KPI files kept for this log: sets with this batch can no longer be asked for (ids are not reused), the
    // others are computed again when next asked for
    await trx
      .deleteFrom('caselog_kpi_files')
      .where('project_id', '=', batch.projectId)
      .where('log_id', '=', batch.log)
      .execute();
    await store.recordAudit(trx, actor, {
      action: 'caselog.delete',
      entity: 'caselog_batch',
      entityId: String(batchId),
      before: {
        project: batch.projectId,
        log: batch.log,
        city: batch.city,
        sha256: batch.sha256,
        accepted: batch.accepted,
      },
    });
    return batch;
  });
}

const PG_TYPE = { BIGINT: 'BIGINT', VARCHAR: 'TEXT', INTEGER: 'INTEGER', DOUBLE: 'DOUBLE PRECISION' } as const;

/**
 * The governance KPIs over the stored batches of one log that the actor may see (one city's with `city`),
 * every KPI × level × granularity unless narrowed, computed by the same SQL per KPI as the file path: in
 * PostgreSQL itself, or, on SQLite, in an in-process DuckDB the cases are copied into. E_NOT_FOUND when
 * the actor sees no batch of the log.
 * @example // no-run: needs a store (tests/store/caselogs.test.ts)
 * (await storedCaseLogKpis(store, admin, project.id, { log: 'small' })).kpis.length > 0 // => true
 */
export async function storedCaseLogKpis(
  store: Store,
  actor: Principal,
  projectId: number,
  opts: StoredKpiOptions,
): Promise<StoredKpis> {
  const cities = await visibleCities(store, actor, projectId, "read case logs' KPIs");
  let q = store.db
    .selectFrom('caselog_batches')
    .selectAll()
    .where('project_id', '=', projectId)
    .where('log_id', '=', opts.log);
  if (opts.city !== undefined) q = q.where('city', '=', opts.city);
  if (opts.batches) q = q.where('id', 'in', opts.batches.length ? [...opts.batches] : [-1]);
  const rows = ((await q.orderBy('id').execute()) as BatchRow[]).filter((r) => !cities || cities.includes(r.city));
  if (!rows.length) throw notFound('case log', opts.log);
  const missing = opts.batches?.find((id) => !rows.some((r) => Number(r.id) === id));
  if (missing !== undefined) throw notFound('case-log batch', missing);
  const batches = rows.map(toBatch);
  const offsets = new Set(batches.map((b) => b.utcOffset));
  if (offsets.size > 1)
    throw new CityIndexError({
      code: 'E_CASELOG_OFFSETS',
      message: `the batches of log ${opts.log} have different UTC offsets (${[...offsets].join(', ')}) / 各批次时区不一致`,
      field: 'utcOffset',
      expected: 'one UTC offset for every batch of a log (choose one city)',
    });
  const offsetS = offsetSeconds(batches[0].utcOffset);
  const ids = batches.map((b) => b.id);
  const options = {
    offsetS,
    kpis: opts.kpis,
    levels: opts.levels,
    granularities: opts.granularities,
    population: opts.population,
  };
  // As the file path: the levels asked for (city and district by default), and by default also the
  // category breakdown by month and year (within the granularities asked for).
  const runs: KpiOptions[] = [options];
  if (!opts.levels) {
    const granularities = CATEGORY_BREAKDOWN.granularities.filter(
      (g) => !opts.granularities || opts.granularities.includes(g),
    );
    if (granularities.length) runs.push({ ...options, levels: CATEGORY_BREAKDOWN.levels, granularities });
  }
  const kpis =
    store.dialect === 'postgres' ? await postgresKpis(store, ids, runs) : await duckKpisFromSqlite(store, ids, runs);
  return {
    log: opts.log,
    engine: store.dialect === 'postgres' ? 'postgres' : 'duckdb',
    simulated: batches.some((b) => b.simulated),
    batches: batches.map((b) => ({ id: b.id, city: b.city, sha256: b.sha256, files: b.files, simulated: b.simulated })),
    kpis,
  };
}

type KpiOptions = Parameters<typeof computeKpis>[1];

/**
 * PostgreSQL: one connection, one transaction rolled back at the end; `cases` is a temporary view over the
 * batches' rows and `periods` a temporary table (pg_temp first on the search path), so concurrent
 * computations never see each other's objects and nothing stays behind.
 */
async function postgresKpis(store: Store, ids: readonly number[], runs: readonly KpiOptions[]): Promise<KpiValue[]> {
  return store.db.connection().execute(async (conn) => {
    const run = async (text: string) => (await sql.raw(text).execute(conn)).rows as Record<string, unknown>[];
    const schema = String((await run('SELECT current_schema() AS s'))[0].s);
    await run('BEGIN');
    try {
      await run(`SET LOCAL search_path = pg_temp, "${schema.replaceAll('"', '""')}"`);
      const cols = CASE_TABLE_COLUMNS.map(([c, t]) => `CAST(${c} AS ${PG_TYPE[t]}) AS ${c}`).join(', ');
      await run(
        `CREATE TEMP VIEW cases AS SELECT ${cols} FROM caselog_cases WHERE batch_id IN (${ids.map(Number).join(', ')})`,
      );
      const engine: KpiEngine = {
        name: 'postgres',
        run: async (text) => void (await run(text)),
        all: run,
      };
      const values: KpiValue[] = [];
      for (const options of runs) values.push(...(await computeKpis(engine, options)));
      return values;
    } finally {
      await run('ROLLBACK');
    }
  });
}

/** SQLite: the batches' cases copied (paged by rowid, appended) into an in-process DuckDB table `cases`. */
async function duckKpisFromSqlite(
  store: Store,
  ids: readonly number[],
  runs: readonly KpiOptions[],
): Promise<KpiValue[]> {
  const work = await mkdtemp(join(tmpdir(), 'cityindex-caselog-kpi-'));
  const duck = await openDuck({ threads: 1, tempDirectory: join(work, 'spill') });
  try {
    await duck.run(`CREATE TABLE cases (${CASE_TABLE_COLUMNS.map(([c, t]) => `${c} ${t}`).join(', ')})`);
    const appender = await duck.conn.createAppender('cases');
    const names = CASE_TABLE_COLUMNS.map(([c]) => c).join(', ');
    let last = 0;
    for (;;) {
      const page = await sql<Record<string, unknown>>`SELECT rowid AS rid, ${sql.raw(names)} FROM caselog_cases
        WHERE batch_id IN (${sql.join(ids.map(Number))}) AND rowid > ${last} ORDER BY rowid LIMIT 5000`.execute(
        store.db,
      );
      if (!page.rows.length) break;
      for (const r of page.rows) {
        for (const [c, t] of CASE_TABLE_COLUMNS) {
          const v = r[c];
          if (v === null || v === undefined) appender.appendNull();
          else if (t === 'BIGINT') appender.appendBigInt(BigInt(v as number));
          else if (t === 'INTEGER') appender.appendInteger(Number(v));
          else if (t === 'DOUBLE') appender.appendDouble(Number(v));
          else appender.appendVarchar(String(v));
        }
        appender.endRow();
      }
      last = Number(page.rows[page.rows.length - 1].rid);
    }
    appender.flushSync();
    appender.closeSync();
    const values: KpiValue[] = [];
    for (const options of runs)
      values.push(...(await computeKpis({ name: 'duckdb', run: duck.run, all: duck.all }, options)));
    return values;
  } finally {
    duck.close();
    await rm(work, { recursive: true, force: true });
  }
}

/** The file name endings accepted for an upload, by the log's declared format. */
export const UPLOAD_EXTENSIONS: Readonly<Record<CaseLogConfig['format'], readonly string[]>> = {
  csv: ['.csv', '.txt'],
  jsonl: ['.jsonl', '.ndjson'],
  parquet: ['.parquet'],
  open311: ['.json'],
};

/** An uploaded case-log file already on disk (the server streams it there, bounded). */
export interface CaseLogUpload {
  /** The log id of the project's `caselogs:` section whose mapping the file follows. */
  log: string;
  /** The file name the client sent (checked against the log's format; recorded in the batch). */
  fileName: string;
  /** Where the file is. */
  path: string;
}

const safeName = (name: string) => name.replace(/[^\p{L}\p{N}._ -]/gu, '_').slice(0, 200) || 'upload';

/**
 * Import an uploaded file as one batch of a log declared in the stored project's `caselogs:` section (its
 * column mapping, categories, districts and rules): the role is checked first, the file name's ending and
 * its first bytes must fit the log's format (E_UPLOAD_TYPE), then importStoredCaseLog runs in a temporary
 * folder holding the stored project file, the category file the log names, and the upload.
 * @example // no-run: needs a store with a project declaring case logs (tests/server/caselogs.test.ts)
 * await importUploadedCaseLog(store, officer, project.id, { log: 'small', fileName: 'jan.csv', path: '/tmp/u' })
 */
export async function importUploadedCaseLog(
  store: Store,
  actor: Principal,
  projectId: number,
  upload: CaseLogUpload,
): Promise<CaseLogImportResult> {
  requireRole(actor, [...WRITERS], 'import case logs');
  const project = await store.db
    .selectFrom('projects')
    .select(['id', 'project_file'])
    .where('id', '=', projectId)
    .executeTakeFirst();
  if (!project) throw notFound('project', projectId);
  const work = await mkdtemp(join(tmpdir(), 'cityindex-caselog-upload-'));
  try {
    const projectFile = async (path: string) => {
      const row = await store.db
        .selectFrom('project_files')
        .select('content')
        .where('project_id', '=', projectId)
        .where('path', '=', path)
        .executeTakeFirst();
      if (!row)
        throw new CityIndexError({
          code: 'E_CASELOG_CONFIG',
          message: `the stored project has no file ${path} / 项目中没有该文件`,
          file: path,
          expected: 'the project imported with its project file and mapping files',
        });
      const target = fsProjectFiles(work).resolve(path);
      if (!target.ok) throw new CityIndexError({ code: target.code, message: target.message, file: path });
      await mkdir(dirname(join(work, target.path)), { recursive: true });
      await writeFile(join(work, target.path), Buffer.from(row.content, 'base64'));
    };
    await projectFile(project.project_file);
    const logs = await readCaseLogs(work, project.project_file);
    const declared = logs.find((l) => l.id === upload.log);
    if (!declared)
      throw new CityIndexError({
        code: 'E_UNKNOWN_CASELOG',
        message: `no case log "${upload.log.slice(0, 60)}" in the project / 项目未声明该工单日志`,
        file: project.project_file,
        field: 'log',
        expected: `one of: ${logs.map((l) => l.id).join(', ') || '(the project declares none)'}`,
      });
    // the role check of the log's city before the file is read
    if (!hasRole(actor, ['admin', 'author']))
      await store.requireUnitAccess(actor, projectId, declared.city.code, 'import case logs');
    const endings = UPLOAD_EXTENSIONS[declared.format];
    const name = safeName(upload.fileName);
    const lower = name.toLowerCase();
    const head = Buffer.alloc(4096);
    const fh = await open(upload.path, 'r');
    const { bytesRead } = await fh.read(head, 0, head.length, 0).finally(() => fh.close());
    const first = head.subarray(0, bytesRead);
    const isParquet = first.subarray(0, 4).toString('latin1') === 'PAR1';
    const binary = first.includes(0);
    const fits = declared.format === 'parquet' ? isParquet : !isParquet && !binary;
    if (!endings.some((e) => lower.endsWith(e)) || !fits)
      throw new CityIndexError({
        code: 'E_UPLOAD_TYPE',
        message: `${name} is not a ${declared.format} file / 文件类型与工单日志格式不符`,
        file: name,
        field: 'file',
        expected: `a ${declared.format} file (${endings.join(', ')}) as the log ${declared.id} declares`,
      });
    if (declared.categories?.file) await projectFile(declared.categories.file);
    const stored = `upload${endings[0]}`;
    await copyFile(upload.path, join(work, stored));
    const log: CaseLogConfig = { ...declared, files: [stored] };
    try {
      const r = await importStoredCaseLog(store, actor, projectId, { projectDir: work, log, fileNames: [name] });
      const rename = <T extends { file?: string }>(i: T): T => (i.file === stored ? { ...i, file: name } : i);
      if (!r.report) return r;
      return {
        ...r,
        report: { ...r.report, issues: r.report.issues.map(rename), warnings: r.report.warnings.map(rename) },
      };
    } catch (e) {
      // rejects located in the uploaded file under the name the client sent
      if (e instanceof CityIndexError && e.issues.some((i) => i.file === stored))
        throw new CityIndexError(e.issues.map((i) => (i.file === stored ? { ...i, file: name } : i)));
      throw e;
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
