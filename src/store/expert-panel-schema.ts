/**
 * The expert-panel tables (migration `0006_expert_panel`): AHP panels of a project (which parent nodes
 * are compared, with the comparison groups fixed when the panel opens), the experts of a panel (added by
 * name, or through a one-time invitation that becomes theirs when accepted) and each expert's judgements
 * per parent node, saved as they go and submitted once.
 */
import type { Generated, Kysely, Migration } from 'kysely';
import type { StoreDialect } from './migrations.ts';

/** A panel: one project's comparison groups put to experts. */
export interface AhpPanelsTable {
  id: Generated<number>;
  project_id: number;
  title: string;
  /** JSON: the comparison groups (parent, level, element codes and names), fixed when the panel opened. */
  groups: string;
  /** `open` (experts answer) or `closed`. */
  status: string;
  created_by: string;
  created_at: string;
  /** When and by whom the panel was closed (migration 0010; null while open). */
  closed_at: string | null;
  closed_by: string | null;
}

/** An expert of a panel (a user with the expert role). */
export interface AhpPanelExpertsTable {
  panel_id: number;
  user_id: number;
  added_by: string;
  added_at: string;
}

/** An invitation issued for a panel: whoever accepts it is an expert of the panel. */
export interface AhpPanelInvitationsTable {
  panel_id: number;
  invitation_id: number;
}

/** One expert's judgements on one parent node's comparisons. */
export interface AhpJudgementsTable {
  panel_id: number;
  user_id: number;
  parent: string;
  /** JSON: pair question name (`ahp__<parent>__<a>__<b>`) → 2…9 (a more important), 1, or −2…−9 (b). */
  answers: string;
  /** The consistency ratio once every pair is answered, else null. */
  cr: number | null;
  /** `draft` or `submitted`. */
  status: string;
  /** Why an expert submits with CR above 0.10 (null otherwise). */
  justification: string | null;
  saves: number;
  updated_at: string;
  submitted_at: string | null;
}

/** The expert-panel tables. */
export interface ExpertPanelDatabase {
  ahp_panels: AhpPanelsTable;
  ahp_panel_experts: AhpPanelExpertsTable;
  ahp_panel_invitations: AhpPanelInvitationsTable;
  ahp_judgements: AhpJudgementsTable;
}

/**
 * The `0006_expert_panel` migration (both databases).
 * @example Object.keys(expertPanelMigration('postgres')) // => ['up']
 */
export function expertPanelMigration(dialect: StoreDialect): Migration {
  const idType = dialect === 'sqlite' ? 'integer' : 'serial';
  const id = dialect === 'sqlite' ? (c: any) => c.primaryKey().autoIncrement() : (c: any) => c.primaryKey();
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('ahp_panels')
        .addColumn('id', idType, id)
        .addColumn('project_id', 'integer', (c) => c.notNull().references('projects.id'))
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('groups', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('ahp_panel_experts')
        .addColumn('panel_id', 'integer', (c) => c.notNull().references('ahp_panels.id'))
        .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
        .addColumn('added_by', 'text', (c) => c.notNull())
        .addColumn('added_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('ahp_panel_experts_pk', ['panel_id', 'user_id'])
        .execute();
      await db.schema
        .createTable('ahp_panel_invitations')
        .addColumn('panel_id', 'integer', (c) => c.notNull().references('ahp_panels.id'))
        .addColumn('invitation_id', 'integer', (c) => c.notNull().references('invitations.id'))
        .addPrimaryKeyConstraint('ahp_panel_invitations_pk', ['panel_id', 'invitation_id'])
        .execute();
      await db.schema
        .createTable('ahp_judgements')
        .addColumn('panel_id', 'integer', (c) => c.notNull().references('ahp_panels.id'))
        .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
        .addColumn('parent', 'text', (c) => c.notNull())
        .addColumn('answers', 'text', (c) => c.notNull())
        .addColumn('cr', 'double precision')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('justification', 'text')
        .addColumn('saves', 'integer', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('submitted_at', 'text')
        .addPrimaryKeyConstraint('ahp_judgements_pk', ['panel_id', 'user_id', 'parent'])
        .execute();
      await db.schema.createIndex('ahp_panels_project').on('ahp_panels').column('project_id').execute();
    },
  };
}
