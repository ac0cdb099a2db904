/**
 * Migration `0008_platform_hardening` (listed in migrations.ts): an admin can revoke an invitation that
 * was not used yet, so the invitations table records when and by whom (`revoked_at`, `revoked_by`; both
 * null for an invitation never revoked). Portable column types only, like 0001.
 */
import type { Kysely, Migration } from 'kysely';

/** The migration (the same on SQLite and PostgreSQL). */
export function platformHardeningMigration(): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema.alterTable('invitations').addColumn('revoked_at', 'text').execute();
      await db.schema.alterTable('invitations').addColumn('revoked_by', 'text').execute();
    },
  };
}
