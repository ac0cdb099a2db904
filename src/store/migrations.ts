/**
 * The store's migrations: ONE list for SQLite and PostgreSQL, written with kysely's schema builder
 * (portable column types: text, integer, double precision). The only dialect-specific parts are the
 * auto-increment key and the triggers that make the audit log append-only. Run by `migrateStore`
 * (at `cityindex serve` start and by `cityindex db migrate`).
 */
import { Migrator, sql, type Kysely, type Migration, type MigrationProvider, type MigrationResult } from 'kysely';
import { CityIndexError } from '../engine/core/errors.ts';
import { submissionFlowMigration } from './submission-migration.ts';
import { fieldworkMigration } from './fieldwork-schema.ts';
import { expertPanelMigration } from './expert-panel-schema.ts';
import { platformHardeningMigration } from './hardening-migration.ts';
import { fieldworkLiveMigration } from './fieldwork-live-schema.ts';
import { caselogKpiCacheMigration, caselogMigration } from './caselog-schema.ts';
import { fieldworkIndexMigration } from './fieldwork-index-schema.ts';

/** The two databases the store runs on. */
export type StoreDialect = 'sqlite' | 'postgres';

type AnyDb = Kysely<any>;

/** The migrations in order; their names are their ids in kysely's migration table (never rename). */
function migrations(dialect: StoreDialect): Record<string, Migration> {
  const idType = dialect === 'sqlite' ? 'integer' : 'serial';
  const id = dialect === 'sqlite' ? (c: any) => c.primaryKey().autoIncrement() : (c: any) => c.primaryKey();
  return {
    '0001_initial': {
      async up(db: AnyDb) {
        await db.schema
          .createTable('projects')
          .addColumn('id', idType, id)
          .addColumn('slug', 'text', (c) => c.notNull().unique())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('project_file', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('created_by', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('project_files')
          .addColumn('project_id', 'integer', (c) => c.notNull().references('projects.id'))
          .addColumn('path', 'text', (c) => c.notNull())
          .addColumn('content', 'text', (c) => c.notNull())
          .addColumn('sha256', 'text', (c) => c.notNull())
          .addColumn('size', 'integer', (c) => c.notNull())
          .addPrimaryKeyConstraint('project_files_pk', ['project_id', 'path'])
          .execute();
        await db.schema
          .createTable('framework_nodes')
          .addColumn('project_id', 'integer', (c) => c.notNull().references('projects.id'))
          .addColumn('code', 'text', (c) => c.notNull())
          .addColumn('parent', 'text')
          .addColumn('level', 'integer', (c) => c.notNull())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('name_zh', 'text')
          .addColumn('name_en', 'text')
          .addColumn('weight', 'double precision', (c) => c.notNull())
          .addColumn('direction', 'integer', (c) => c.notNull())
          .addColumn('unit', 'text')
          .addColumn('position', 'integer', (c) => c.notNull())
          .addPrimaryKeyConstraint('framework_nodes_pk', ['project_id', 'code'])
          .execute();
        await db.schema
          .createTable('units')
          .addColumn('project_id', 'integer', (c) => c.notNull().references('projects.id'))
          .addColumn('code', 'text', (c) => c.notNull())
          .addColumn('name_zh', 'text')
          .addColumn('name_en', 'text')
          .addColumn('position', 'integer', (c) => c.notNull())
          .addPrimaryKeyConstraint('units_pk', ['project_id', 'code'])
          .execute();
        await db.schema
          .createTable('data_values')
          .addColumn('project_id', 'integer', (c) => c.notNull().references('projects.id'))
          .addColumn('unit_code', 'text', (c) => c.notNull())
          .addColumn('indicator', 'text', (c) => c.notNull())
          .addColumn('value', 'double precision')
          .addColumn('source', 'text')
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('submission_id', 'integer')
          .addColumn('version', 'integer', (c) => c.notNull())
          .addColumn('updated_by', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('data_values_pk', ['project_id', 'unit_code', 'indicator'])
          .execute();
        await db.schema
          .createTable('users')
          .addColumn('id', idType, id)
          .addColumn('username', 'text', (c) => c.notNull().unique())
          .addColumn('password_hash', 'text', (c) => c.notNull())
          .addColumn('role', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('failed_logins', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('locked_until', 'text')
          .execute();
        await db.schema
          .createTable('city_memberships')
          .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
          .addColumn('project_id', 'integer', (c) => c.notNull().references('projects.id'))
          .addColumn('unit_code', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('city_memberships_pk', ['user_id', 'project_id', 'unit_code'])
          .execute();
        await db.schema
          .createTable('sessions')
          .addColumn('token_hash', 'text', (c) => c.primaryKey())
          .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
          .addColumn('csrf', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('expires_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('editions')
          .addColumn('id', idType, id)
          .addColumn('project_id', 'integer', (c) => c.notNull().references('projects.id'))
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('results', 'text', (c) => c.notNull())
          .addColumn('fingerprint', 'text', (c) => c.notNull())
          .addColumn('created_by', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('published_at', 'text')
          .execute();
        await db.schema
          .createTable('submissions')
          .addColumn('id', idType, id)
          .addColumn('project_id', 'integer', (c) => c.notNull().references('projects.id'))
          .addColumn('unit_code', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('created_by', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('version', 'integer', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('submission_values')
          .addColumn('submission_id', 'integer', (c) => c.notNull().references('submissions.id'))
          .addColumn('indicator', 'text', (c) => c.notNull())
          .addColumn('value', 'double precision')
          .addColumn('source', 'text')
          .addPrimaryKeyConstraint('submission_values_pk', ['submission_id', 'indicator'])
          .execute();
        await db.schema
          .createTable('reviews')
          .addColumn('id', idType, id)
          .addColumn('submission_id', 'integer', (c) => c.notNull().references('submissions.id'))
          .addColumn('reviewer', 'text', (c) => c.notNull())
          .addColumn('decision', 'text', (c) => c.notNull())
          .addColumn('comment', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('audit_log')
          .addColumn('seq', 'integer', (c) => c.primaryKey())
          .addColumn('at', 'text', (c) => c.notNull())
          .addColumn('actor', 'text', (c) => c.notNull())
          .addColumn('action', 'text', (c) => c.notNull())
          .addColumn('entity', 'text', (c) => c.notNull())
          .addColumn('entity_id', 'text', (c) => c.notNull())
          .addColumn('before', 'text')
          .addColumn('after', 'text')
          .addColumn('address', 'text')
          .addColumn('prev_hash', 'text', (c) => c.notNull())
          .addColumn('hash', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('audit_head')
          .addColumn('id', 'integer', (c) => c.primaryKey())
          .addColumn('seq', 'integer', (c) => c.notNull())
          .addColumn('hash', 'text', (c) => c.notNull())
          .execute();
        await db.insertInto('audit_head').values({ id: 1, seq: 0, hash: GENESIS_HASH }).execute();
        await db.schema
          .createIndex('submissions_unit')
          .on('submissions')
          .columns(['project_id', 'unit_code'])
          .execute();
        await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();
        // the audit log is append-only in the database too, not only in the Store API
        if (dialect === 'sqlite') {
          for (const op of ['UPDATE', 'DELETE']) {
            await sql
              .raw(
                `CREATE TRIGGER audit_log_no_${op.toLowerCase()} BEFORE ${op} ON audit_log ` +
                  `BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`,
              )
              .execute(db);
          }
        } else {
          await sql
            .raw(
              `CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS ` +
                `$$ BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$`,
            )
            .execute(db);
          await sql
            .raw(
              `CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log ` +
                `FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()`,
            )
            .execute(db);
        }
      },
    },
    '0002_submission_flow': submissionFlowMigration(idType, id),
    '0003_invitations': {
      async up(db: AnyDb) {
        await db.schema
          .createTable('invitations')
          .addColumn('id', idType, id)
          .addColumn('token_hash', 'text', (c) => c.notNull().unique())
          .addColumn('role', 'text', (c) => c.notNull())
          .addColumn('project_id', 'integer', (c) => c.references('projects.id'))
          .addColumn('cities', 'text', (c) => c.notNull())
          .addColumn('created_by', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('expires_at', 'text', (c) => c.notNull())
          .addColumn('used_at', 'text')
          .addColumn('used_by', 'integer')
          .execute();
      },
    },
    '0004_fieldwork': fieldworkMigration(dialect),
    '0006_expert_panel': expertPanelMigration(dialect),
    '0007_fieldwork_live': fieldworkLiveMigration(),
    '0008_platform_hardening': platformHardeningMigration(),
    '0009_caselogs': caselogMigration(dialect),
    '0010_fieldwork_index': fieldworkIndexMigration(),
    '0011_caselog_kpi_cache': caselogKpiCacheMigration(),
  };
}

/** The `prev_hash` of the first audit row. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * The names of the migrations, in order (the same on both databases).
 * @example
 * migrationNames().slice(0, 4) // => ['0001_initial', '0002_submission_flow', '0003_invitations', '0004_fieldwork']
 */
export function migrationNames(): string[] {
  return Object.keys(migrations('sqlite'));
}

/**
 * Bring the database up to the newest migration; returns the names applied now ([] when up to date).
 * Throws a CityIndexError (E_STORE_MIGRATION) naming the migration that failed.
 * @example
 * import { openDatabase } from './connect.ts';
 * const c = openDatabase({ sqliteFile: ':memory:' });
 * const first = await migrateStore(c.db, 'sqlite');
 * const again = await migrateStore(c.db, 'sqlite');
 * first.slice(0, 4) // => ['0001_initial', '0002_submission_flow', '0003_invitations', '0004_fieldwork']
 * again // => []
 * await c.db.destroy();
 */
export async function migrateStore(db: AnyDb, dialect: StoreDialect): Promise<string[]> {
  const list = migrations(dialect);
  const provider: MigrationProvider = { getMigrations: async () => list };
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  const applied = (results ?? []).filter((r: MigrationResult) => r.status === 'Success').map((r) => r.migrationName);
  if (error) {
    const failed = (results ?? []).find((r) => r.status === 'Error')?.migrationName ?? '?';
    throw new CityIndexError({
      code: 'E_STORE_MIGRATION',
      message: `migration ${failed} failed / 数据库迁移失败: ${(error as Error).message ?? String(error)}`,
      field: failed,
      expected: 'a database the cityindex migrations can run on',
    });
  }
  return applied;
}
