/**
 * The fieldwork tables (migration `0004_fieldwork`): survey waves, quota counters per city and age × sex
 * cell, one-time tokens (stored hashed) and responses. Anonymity by construction: no column holds a
 * name, a phone number or an address; a respondent is known only by a salted hash of a device key or
 * token. Quota counters are incremented with a conditional UPDATE (`n < target`), which is atomic on
 * both databases, so concurrent submissions never overfill a cell.
 */
import { sql, type Generated, type Kysely, type Migration } from 'kysely';
import type { StoreDialect } from './migrations.ts';

/** A survey wave: a questionnaire in the field for one project. */
export interface FwWavesTable {
  id: Generated<number>;
  project_id: number;
  /** Short name in links (`/survey/<slug>/<city>`), unique. */
  slug: string;
  survey_id: string;
  title_zh: string | null;
  title_en: string | null;
  /** JSON: the wave's design (definitions per language, survey config, cities with names, cells). */
  design: string;
  /** Salt of the device-key and token hashes (hex, never sent out). */
  salt: string;
  /** `open` or `closed`. */
  status: string;
  /** 1 when the wave collects simulated (generated) responses, shown everywhere. */
  simulated: number;
  /** 1 when a one-time token is required to answer. */
  tokens_required: number;
  created_at: string;
  created_by: string;
}

/** A quota counter: `cell` is `*` for the city total or `<age band>|<sex>`. */
export interface FwQuotaTable {
  wave_id: number;
  city: string;
  cell: string;
  target: number;
  n: number;
}

/** A one-time token, hashed; `response_id` is set when a response starts with it. */
export interface FwTokensTable {
  wave_id: number;
  token_hash: string;
  city: string;
  batch: number;
  response_id: string | null;
  created_at: string;
}

/** A response as it is being answered (`partial`) and once submitted. */
export interface FwResponsesTable {
  /** The client-generated response id (UUID), the idempotency key of every save. */
  id: string;
  wave_id: number;
  city: string;
  /** `partial`, `complete`, `screened_out` or `quota_full`. */
  status: string;
  /** JSON answers as SurveyJS gives them. */
  answers: string;
  /** JSON paradata: seconds per page. */
  paradata: string;
  /** Total seconds (sum of the page times). */
  duration_s: number;
  age: number | null;
  sex: string | null;
  cell: string | null;
  language: string;
  /** Salted hash of the device key: one response per device and wave. */
  owner_hash: string;
  token_hash: string | null;
  /** Hash of city + item answers (duplicate answers, for the monitor). */
  answers_hash: string | null;
  /** Straight-lining flag from the engine's cleaning rule (0/1). */
  straight_lined: number;
  saves: number;
  started_at: string;
  updated_at: string;
  submitted_at: string | null;
}

/** The fieldwork tables. */
export interface FieldworkDatabase {
  fw_waves: FwWavesTable;
  fw_quota: FwQuotaTable;
  fw_tokens: FwTokensTable;
  fw_responses: FwResponsesTable;
}

/**
 * The `0004_fieldwork` migration (both databases).
 * @example Object.keys(fieldworkMigration('sqlite')) // => ['up']
 */
export function fieldworkMigration(dialect: StoreDialect): Migration {
  const idType = dialect === 'sqlite' ? 'integer' : 'serial';
  const id = dialect === 'sqlite' ? (c: any) => c.primaryKey().autoIncrement() : (c: any) => c.primaryKey();
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('fw_waves')
        .addColumn('id', idType, id)
        .addColumn('project_id', 'integer', (c) => c.notNull().references('projects.id'))
        .addColumn('slug', 'text', (c) => c.notNull().unique())
        .addColumn('survey_id', 'text', (c) => c.notNull())
        .addColumn('title_zh', 'text')
        .addColumn('title_en', 'text')
        .addColumn('design', 'text', (c) => c.notNull())
        .addColumn('salt', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('simulated', 'integer', (c) => c.notNull())
        .addColumn('tokens_required', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('fw_quota')
        .addColumn('wave_id', 'integer', (c) => c.notNull().references('fw_waves.id'))
        .addColumn('city', 'text', (c) => c.notNull())
        .addColumn('cell', 'text', (c) => c.notNull())
        .addColumn('target', 'integer', (c) => c.notNull())
        .addColumn('n', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('fw_quota_pk', ['wave_id', 'city', 'cell'])
        .execute();
      await db.schema
        .createTable('fw_tokens')
        .addColumn('wave_id', 'integer', (c) => c.notNull().references('fw_waves.id'))
        .addColumn('token_hash', 'text', (c) => c.notNull())
        .addColumn('city', 'text', (c) => c.notNull())
        .addColumn('batch', 'integer', (c) => c.notNull())
        .addColumn('response_id', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('fw_tokens_pk', ['wave_id', 'token_hash'])
        .execute();
      await db.schema
        .createTable('fw_responses')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('wave_id', 'integer', (c) => c.notNull().references('fw_waves.id'))
        .addColumn('city', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('answers', 'text', (c) => c.notNull())
        .addColumn('paradata', 'text', (c) => c.notNull())
        .addColumn('duration_s', 'double precision', (c) => c.notNull())
        .addColumn('age', 'integer')
        .addColumn('sex', 'text')
        .addColumn('cell', 'text')
        .addColumn('language', 'text', (c) => c.notNull())
        .addColumn('owner_hash', 'text', (c) => c.notNull())
        .addColumn('token_hash', 'text')
        .addColumn('answers_hash', 'text')
        .addColumn('straight_lined', 'integer', (c) => c.notNull())
        .addColumn('saves', 'integer', (c) => c.notNull())
        .addColumn('started_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('submitted_at', 'text')
        .execute();
      // one response per device and per token in a wave (duplicate protection in the database too)
      await db.schema
        .createIndex('fw_responses_owner')
        .on('fw_responses')
        .columns(['wave_id', 'owner_hash'])
        .unique()
        .execute();
      await sql
        .raw(
          'CREATE UNIQUE INDEX fw_responses_token ON fw_responses (wave_id, token_hash) WHERE token_hash IS NOT NULL',
        )
        .execute(db);
      // the monitor's figures are index scans: status × city × duration, and duplicate answers
      await db.schema
        .createIndex('fw_responses_monitor')
        .on('fw_responses')
        .columns(['wave_id', 'status', 'city', 'duration_s', 'straight_lined'])
        .execute();
      await db.schema
        .createIndex('fw_responses_answers')
        .on('fw_responses')
        .columns(['wave_id', 'status', 'city', 'answers_hash'])
        .execute();
      await db.schema
        .createIndex('fw_responses_updated')
        .on('fw_responses')
        .columns(['wave_id', 'status', 'updated_at', 'city'])
        .execute();
    },
  };
}
