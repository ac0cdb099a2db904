/**
 * Migration `0002_submission_flow` (listed in migrations.ts): submission rounds (with the key that signs
 * their templates), the current value of each round × unit × indicator with its status and version,
 * every version of it (who, when, what), and attachments (bulletin PDFs and images, bytes in the DB).
 * Portable column types only, like 0001.
 */
import type { Kysely, Migration } from 'kysely';

/** The migration; `idType`/`id` are 0001's dialect-specific auto-increment key. */
export function submissionFlowMigration(idType: 'integer' | 'serial', id: (c: any) => any): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('submission_rounds')
        .addColumn('id', idType, id)
        .addColumn('project_id', 'integer', (c) => c.notNull().references('projects.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('secret', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('submission_rounds_name', ['project_id', 'name'])
        .execute();
      await db.schema
        .createTable('attachments')
        .addColumn('id', idType, id)
        .addColumn('round_id', 'integer', (c) => c.notNull().references('submission_rounds.id'))
        .addColumn('unit_code', 'text', (c) => c.notNull())
        .addColumn('indicator', 'text', (c) => c.notNull())
        .addColumn('file_name', 'text', (c) => c.notNull())
        .addColumn('content_type', 'text', (c) => c.notNull())
        .addColumn('size', 'integer', (c) => c.notNull())
        .addColumn('sha256', 'text', (c) => c.notNull())
        .addColumn('content', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      const valueColumns = (t: any) =>
        t
          .addColumn('round_id', 'integer', (c: any) => c.notNull().references('submission_rounds.id'))
          .addColumn('unit_code', 'text', (c: any) => c.notNull())
          .addColumn('indicator', 'text', (c: any) => c.notNull())
          .addColumn('version', 'integer', (c: any) => c.notNull())
          .addColumn('status', 'text', (c: any) => c.notNull())
          .addColumn('value', 'double precision')
          .addColumn('source', 'text')
          .addColumn('attachment_id', 'integer')
          .addColumn('comment', 'text')
          .addColumn('data_version', 'integer')
          .addColumn('actor', 'text', (c: any) => c.notNull())
          .addColumn('at', 'text', (c: any) => c.notNull());
      await valueColumns(db.schema.createTable('round_values'))
        .addPrimaryKeyConstraint('round_values_pk', ['round_id', 'unit_code', 'indicator'])
        .execute();
      await valueColumns(db.schema.createTable('round_value_versions'))
        .addPrimaryKeyConstraint('round_value_versions_pk', ['round_id', 'unit_code', 'indicator', 'version'])
        .execute();
      await db.schema.createIndex('attachments_unit').on('attachments').columns(['round_id', 'unit_code']).execute();
    },
  };
}
