/**
 * The live-fieldwork tables (migration `0007_fieldwork_live`): the monitor's counters kept at submit time,
 * and the estimates a wave gave to the index.
 *
 * - `fw_summary`: responses per wave × city × status, with the straight-liners and repeated answer sets
 *   among the completed ones; every status change of a response moves one count in the same transaction,
 *   so the monitor reads a few hundred rows instead of scanning every response.
 * - `fw_durations`: completed responses per wave × city × whole second of duration (exact medians and
 *   speeder counts from a histogram).
 * - `fw_answer_sets`: completed responses per wave × city × hash of the item answers (a count above 1 is
 *   a repeated answer set, the cleaning rule `duplicates: [answers]`).
 * - `fw_estimates`: a wave's city estimates written into the index as indicator values, with their
 *   interval, standard error, sample size, effective sample size and design effect, and the wave's
 *   response count and weighting (the lineage of each stored value).
 *
 * The migration fills the counters from the responses already stored, so an older store keeps its figures,
 * and drops the two response indexes that only the old scanning monitor used.
 */
import { sql, type Kysely, type Migration } from 'kysely';

/** Responses per wave, city and status (the monitor's counters). */
export interface FwSummaryTable {
  wave_id: number;
  city: string;
  status: string;
  n: number;
  /** Completed responses flagged as straight-lined. */
  straight_lined: number;
  /** Completed responses whose answer set repeats an earlier one of the city. */
  duplicates: number;
}

/** Completed responses per wave, city and whole second of duration. */
export interface FwDurationsTable {
  wave_id: number;
  city: string;
  seconds: number;
  n: number;
}

/** Completed responses per wave, city and answer-set hash. */
export interface FwAnswerSetsTable {
  wave_id: number;
  city: string;
  answers_hash: string;
  n: number;
}

/** One city estimate of a wave stored as an indicator value, with its lineage. */
export interface FwEstimatesTable {
  wave_id: number;
  project_id: number;
  indicator: string;
  city: string;
  /** null when the city is under the minimum sample (stored as missing, never as a number). */
  value: number | null;
  lower: number | null;
  upper: number | null;
  se: number | null;
  /** Completed, cleaned responses behind the estimate. */
  n: number;
  n_eff: number;
  /** Design effect n / n_eff (null when n_eff is 0). */
  deff: number | null;
  below_minimum: number;
  min_sample: number;
  confidence: number;
  /** Responses received and kept by the cleaning, for the whole wave. */
  responses: number;
  kept: number;
  /** The weighting method (e.g. `rake`), with its variables. */
  weighting: string;
  simulated: number;
  created_at: string;
  created_by: string;
}

/** The live-fieldwork tables. */
export interface FieldworkLiveDatabase {
  fw_summary: FwSummaryTable;
  fw_durations: FwDurationsTable;
  fw_answer_sets: FwAnswerSetsTable;
  fw_estimates: FwEstimatesTable;
}

/**
 * The `0007_fieldwork_live` migration (the same on SQLite and PostgreSQL).
 * @example Object.keys(fieldworkLiveMigration()) // => ['up']
 */
export function fieldworkLiveMigration(): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('fw_summary')
        .addColumn('wave_id', 'integer', (c) => c.notNull().references('fw_waves.id'))
        .addColumn('city', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('n', 'integer', (c) => c.notNull())
        .addColumn('straight_lined', 'integer', (c) => c.notNull())
        .addColumn('duplicates', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('fw_summary_pk', ['wave_id', 'city', 'status'])
        .execute();
      await db.schema
        .createTable('fw_durations')
        .addColumn('wave_id', 'integer', (c) => c.notNull().references('fw_waves.id'))
        .addColumn('city', 'text', (c) => c.notNull())
        .addColumn('seconds', 'integer', (c) => c.notNull())
        .addColumn('n', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('fw_durations_pk', ['wave_id', 'city', 'seconds'])
        .execute();
      await db.schema
        .createTable('fw_answer_sets')
        .addColumn('wave_id', 'integer', (c) => c.notNull().references('fw_waves.id'))
        .addColumn('city', 'text', (c) => c.notNull())
        .addColumn('answers_hash', 'text', (c) => c.notNull())
        .addColumn('n', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('fw_answer_sets_pk', ['wave_id', 'city', 'answers_hash'])
        .execute();
      await db.schema
        .createTable('fw_estimates')
        .addColumn('wave_id', 'integer', (c) => c.notNull().references('fw_waves.id'))
        .addColumn('project_id', 'integer', (c) => c.notNull().references('projects.id'))
        .addColumn('indicator', 'text', (c) => c.notNull())
        .addColumn('city', 'text', (c) => c.notNull())
        .addColumn('value', 'double precision')
        .addColumn('lower', 'double precision')
        .addColumn('upper', 'double precision')
        .addColumn('se', 'double precision')
        .addColumn('n', 'integer', (c) => c.notNull())
        .addColumn('n_eff', 'double precision', (c) => c.notNull())
        .addColumn('deff', 'double precision')
        .addColumn('below_minimum', 'integer', (c) => c.notNull())
        .addColumn('min_sample', 'integer', (c) => c.notNull())
        .addColumn('confidence', 'double precision', (c) => c.notNull())
        .addColumn('responses', 'integer', (c) => c.notNull())
        .addColumn('kept', 'integer', (c) => c.notNull())
        .addColumn('weighting', 'text', (c) => c.notNull())
        .addColumn('simulated', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('fw_estimates_pk', ['wave_id', 'indicator', 'city'])
        .execute();
      await db.schema
        .createIndex('fw_estimates_value')
        .on('fw_estimates')
        .columns(['project_id', 'indicator', 'city'])
        .execute();
      // the monitor no longer scans responses: two indexes fewer to keep up at every submission
      await db.schema.dropIndex('fw_responses_monitor').execute();
      await db.schema.dropIndex('fw_responses_answers').execute();
      await recountFieldwork(db);
    },
  };
}

/**
 * Fill the monitor's counters (`fw_summary`, `fw_durations`, `fw_answer_sets`) from the stored responses,
 * replacing what they held: the migration's backfill, and a repair for responses written around the
 * `Fieldwork` API (a bulk import, a benchmark).
 * @example // no-run: needs a store (the migration and bench/fieldwork.ts run it)
 * await recountFieldwork(store.db);
 */
export async function recountFieldwork(db: Kysely<any>): Promise<void> {
  // the migrator already runs in a transaction; anyone else gets one here
  const inTransaction = (work: (trx: Kysely<any>) => Promise<void>) =>
    db.isTransaction ? work(db) : db.transaction().execute(work);
  await inTransaction(async (trx) => {
    for (const table of ['fw_summary', 'fw_durations', 'fw_answer_sets']) await trx.deleteFrom(table).execute();
    await sql`INSERT INTO fw_summary (wave_id, city, status, n, straight_lined, duplicates)
      SELECT wave_id, city, status, COUNT(*), SUM(straight_lined), 0 FROM fw_responses
      GROUP BY wave_id, city, status`.execute(trx);
    await sql`INSERT INTO fw_durations (wave_id, city, seconds, n)
      SELECT wave_id, city, CAST(ROUND(duration_s) AS integer), COUNT(*) FROM fw_responses
      WHERE status = 'complete' GROUP BY wave_id, city, CAST(ROUND(duration_s) AS integer)`.execute(trx);
    await sql`INSERT INTO fw_answer_sets (wave_id, city, answers_hash, n)
      SELECT wave_id, city, answers_hash, COUNT(*) FROM fw_responses
      WHERE status = 'complete' AND answers_hash IS NOT NULL GROUP BY wave_id, city, answers_hash`.execute(trx);
    await sql`UPDATE fw_summary SET duplicates = (SELECT COALESCE(SUM(a.n - 1), 0) FROM fw_answer_sets a
      WHERE a.wave_id = fw_summary.wave_id AND a.city = fw_summary.city AND a.n > 1)
      WHERE status = 'complete'`.execute(trx);
  });
}
