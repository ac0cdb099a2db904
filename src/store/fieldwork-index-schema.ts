/**
 * Migration `0010_fieldwork_index` (listed in migrations.ts): from fieldwork to the index, and closing
 * expert panels.
 *
 * - `survey_values`: the lineage of every indicator value written from a wave's survey estimates (one row
 *   per unit × indicator × data version of `data_values`): survey, wave, the estimate with its confidence
 *   interval, standard error, design effect and sample size, the minimum sample, and — for a city below
 *   it — the reason its value is missing; `lineage` (JSON) keeps the responses received and used, the
 *   cleaning rules and their counts, and the weighting and estimation settings.
 * - `ahp_panels.closed_at` / `closed_by`: when and by whom a panel was closed (null while open).
 *
 * Portable column types only, like 0001.
 */
import type { Kysely, Migration } from 'kysely';

/** The lineage of one indicator value written from survey estimates. */
export interface SurveyValuesTable {
  project_id: number;
  unit_code: string;
  indicator: string;
  /** The `data_values.version` this row explains. */
  data_version: number;
  wave_id: number;
  wave_slug: string;
  survey_id: string;
  /** The estimate (null for a city below the minimum sample). */
  estimate: number | null;
  ci_lower: number | null;
  ci_upper: number | null;
  se: number | null;
  /** Design effect n / n_eff (null when not defined). */
  deff: number | null;
  /** Responses of the city used (after cleaning). */
  n: number;
  n_eff: number;
  min_sample: number;
  /** 1 when the city is below the minimum sample (its value is missing). */
  below_minimum: number;
  /** Why the value is missing (`below minimum sample: n of m`), else null. */
  reason: string | null;
  /** JSON: responses received/kept, cleaning rules and counts, weighting and estimation settings. */
  lineage: string;
  created_by: string;
  created_at: string;
}

/** The tables (and columns) added by 0010. */
export interface FieldworkIndexDatabase {
  survey_values: SurveyValuesTable;
}

/**
 * The migration (the same on SQLite and PostgreSQL).
 * @example Object.keys(fieldworkIndexMigration()) // => ['up']
 */
export function fieldworkIndexMigration(): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('survey_values')
        .addColumn('project_id', 'integer', (c) => c.notNull().references('projects.id'))
        .addColumn('unit_code', 'text', (c) => c.notNull())
        .addColumn('indicator', 'text', (c) => c.notNull())
        .addColumn('data_version', 'integer', (c) => c.notNull())
        .addColumn('wave_id', 'integer', (c) => c.notNull().references('fw_waves.id'))
        .addColumn('wave_slug', 'text', (c) => c.notNull())
        .addColumn('survey_id', 'text', (c) => c.notNull())
        .addColumn('estimate', 'double precision')
        .addColumn('ci_lower', 'double precision')
        .addColumn('ci_upper', 'double precision')
        .addColumn('se', 'double precision')
        .addColumn('deff', 'double precision')
        .addColumn('n', 'integer', (c) => c.notNull())
        .addColumn('n_eff', 'double precision', (c) => c.notNull())
        .addColumn('min_sample', 'integer', (c) => c.notNull())
        .addColumn('below_minimum', 'integer', (c) => c.notNull())
        .addColumn('reason', 'text')
        .addColumn('lineage', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('survey_values_pk', ['project_id', 'unit_code', 'indicator', 'data_version'])
        .execute();
      await db.schema.alterTable('ahp_panels').addColumn('closed_at', 'text').execute();
      await db.schema.alterTable('ahp_panels').addColumn('closed_by', 'text').execute();
    },
  };
}
