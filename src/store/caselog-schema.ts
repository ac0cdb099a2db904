/**
 * The case-log tables of the platform store (migration `0009_caselogs`, the same on SQLite and PostgreSQL):
 *
 * - `caselog_batches`: one uploaded case log (a file checked by src/caselog/import.ts): the project, the log
 *   id of the project's `caselogs:` section, the city (adcode or code), the source files (names, sizes,
 *   SHA-256 as JSON), the batch's SHA-256 (of the files' hashes in order), the rows read, accepted and
 *   rejected by reason (JSON), the cases marked by each `exclude:` rule, the simulated flag, the log's UTC
 *   offset, the range of received times, and who imported it when. (project, log, city, sha256) is unique:
 *   the same files imported again as the same log of the same city are a no-op.
 * - `caselog_cases`: the accepted cases of a batch, with exactly the columns of the normalised case table
 *   (CASE_TABLE_COLUMNS in src/engine/caselog/kpis.ts) plus `batch_id`, so the KPI SQL runs on them unchanged.
 * - `caselog_kpi_files` (migration `0011_caselog_kpi_cache`): KPI files computed from a set of batches, kept
 *   so that a restart or another server process does not compute them again (store/caselog-build.ts).
 */
import type { Generated, Kysely, Migration } from 'kysely';
import { CASE_TABLE_COLUMNS } from '../engine/caselog/kpis.ts';
import type { StoreDialect } from './migrations.ts';

/** One stored case log. */
export interface CaselogBatchesTable {
  id: Generated<number>;
  project_id: number;
  log_id: string;
  city: string;
  /** JSON: [{ path, bytes, sha256, encoding? }]. */
  source_files: string;
  sha256: string;
  records: number;
  accepted: number;
  rejected: number;
  /** JSON: reject code → rows. */
  rejected_by_code: string;
  /** JSON: exclude rule key → cases. */
  excluded_by_rule: string;
  /** 1 for a generated (SIMULATED) log. */
  simulated: number;
  utc_offset: string;
  received_from: string | null;
  received_to: string | null;
  created_by: string;
  created_at: string;
}

/** One stored case: the normalised case columns and its batch. */
export interface CaselogCasesTable {
  batch_id: number;
  rec: number | null;
  src_file: string | null;
  id: string;
  city: string | null;
  district: string | null;
  channel: string | null;
  online: number | null;
  source_category: string | null;
  category: string | null;
  status: string | null;
  received_s: number | string;
  dispatched_s: number | string | null;
  first_response_s: number | string | null;
  resolved_s: number | string | null;
  closed_s: number | string | null;
  due_s: number | string | null;
  reopened: number | null;
  satisfaction: number | null;
  satisfied: number | null;
  excluded: string | null;
  latitude: number | null;
  longitude: number | null;
  p_month: string | null;
  p_quarter: string | null;
  p_year: string | null;
}

/**
 * KPI files already computed from a set of batches (migration `0011_caselog_kpi_cache`): `key` is the SHA-256
 * of the log's configuration, population and batch ids and hashes; `files` the JSON of the three KPI files.
 * Batches are never changed, only added and deleted, so a row stays valid; it survives restarts and is shared
 * by every server process on the database.
 */
export interface CaselogKpiFilesTable {
  project_id: number;
  key: string;
  log_id: string;
  files: string;
  created_at: string;
}

/** The case-log tables. */
export interface CaselogDatabase {
  caselog_batches: CaselogBatchesTable;
  caselog_cases: CaselogCasesTable;
  caselog_kpi_files: CaselogKpiFilesTable;
}

/** The portable SQL type of a case-table column type. */
const COLUMN_TYPE = { BIGINT: 'bigint', VARCHAR: 'text', INTEGER: 'integer', DOUBLE: 'double precision' } as const;

/**
 * The `0009_caselogs` migration.
 * @example Object.keys(caselogMigration('sqlite')) // => ['up']
 */
export function caselogMigration(dialect: StoreDialect): Migration {
  const idType = dialect === 'sqlite' ? 'integer' : 'serial';
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('caselog_batches')
        .addColumn('id', idType, (c) => (dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey()))
        .addColumn('project_id', 'integer', (c) => c.notNull().references('projects.id'))
        .addColumn('log_id', 'text', (c) => c.notNull())
        .addColumn('city', 'text', (c) => c.notNull())
        .addColumn('source_files', 'text', (c) => c.notNull())
        .addColumn('sha256', 'text', (c) => c.notNull())
        .addColumn('records', 'integer', (c) => c.notNull())
        .addColumn('accepted', 'integer', (c) => c.notNull())
        .addColumn('rejected', 'integer', (c) => c.notNull())
        .addColumn('rejected_by_code', 'text', (c) => c.notNull())
        .addColumn('excluded_by_rule', 'text', (c) => c.notNull())
        .addColumn('simulated', 'integer', (c) => c.notNull())
        .addColumn('utc_offset', 'text', (c) => c.notNull())
        .addColumn('received_from', 'text')
        .addColumn('received_to', 'text')
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('caselog_batches_once', ['project_id', 'log_id', 'city', 'sha256'])
        .execute();
      let cases = db.schema
        .createTable('caselog_cases')
        .addColumn('batch_id', 'integer', (c) => c.notNull().references('caselog_batches.id'));
      for (const [name, type] of CASE_TABLE_COLUMNS) cases = cases.addColumn(name, COLUMN_TYPE[type]);
      await cases.execute();
      await db.schema.createIndex('caselog_cases_batch').on('caselog_cases').column('batch_id').execute();
    },
  };
}

/**
 * The `0011_caselog_kpi_cache` migration: the `caselog_kpi_files` table (the same on both databases).
 * @example Object.keys(caselogKpiCacheMigration()) // => ['up']
 */
export function caselogKpiCacheMigration(): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('caselog_kpi_files')
        .addColumn('project_id', 'integer', (c) => c.notNull().references('projects.id'))
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('log_id', 'text', (c) => c.notNull())
        .addColumn('files', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('caselog_kpi_files_pk', ['project_id', 'key'])
        .execute();
    },
  };
}
