/**
 * The live-fieldwork tables (migration `0007_fieldwork_live`): the monitor's counters kept at submit time.
 *
 * - `fw_summary`: responses per wave × city × status, with the straight-liners and repeated answer sets
 *   among the completed ones; every status change of a response moves one count in the same transaction,
 *   so the monitor reads a few hundred rows instead of scanning every response.
 * - `fw_durations`: completed responses per wave × city × whole second of duration (exact medians and
 *   speeder counts from a histogram).
 * - `fw_answer_sets`: completed responses per wave × city × hash of the item answers (a count above 1 is
 *   a repeated answer set, the cleaning rule `duplicates: [answers]`).
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

/** The live-fieldwork tables. */
export interface FieldworkLiveDatabase {
  fw_summary: FwSummaryTable;
  fw_durations: FwDurationsTable;
  fw_answer_sets: FwAnswerSetsTable;
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
