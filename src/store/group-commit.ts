/**
 * Group commit: many small write jobs share one transaction, and so one disk flush. Each job runs inside
 * its own savepoint, so a job that fails (a refused answer, a full quota, a constraint) is rolled back
 * alone and rejects alone, while the others commit. A job's promise settles only AFTER the transaction
 * has committed: whoever acknowledges on resolution never acknowledges a write that a crash could lose
 * (with SQLite's `synchronous = FULL`, not even a power cut). While one batch commits, the next one
 * gathers; no job waits longer than one commit plus its own batch.
 *
 * Used by fieldwork submissions on SQLite, where one connection serialises every transaction and each
 * commit is an fsync: one transaction per submission caps a slow disk at a few dozen per second.
 */
import { sql, type Kysely, type Transaction } from 'kysely';

/** Options of a `GroupCommit`. */
export interface GroupCommitOptions {
  /** Most jobs in one transaction (default 256). */
  maxBatch?: number;
  /** Milliseconds to wait for more jobs before a batch starts when nothing is committing (default 0). */
  delayMs?: number;
}

interface Job<DB> {
  work: (trx: Transaction<DB>) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/**
 * A queue of write jobs committed in groups.
 * @example
 * import { Kysely, SqliteDialect } from 'kysely';
 * import BetterSqlite3 from 'better-sqlite3';
 * const db = new Kysely<any>({ dialect: new SqliteDialect({ database: new BetterSqlite3(':memory:') }) });
 * await db.schema.createTable('t').addColumn('k', 'integer', (c) => c.primaryKey()).execute();
 * const group = new GroupCommit(db);
 * const put = (k: number) => group.run((trx) => trx.insertInto('t').values({ k }).execute().then(() => k));
 * const results = await Promise.allSettled([put(1), put(2), put(1)]);
 * results.map((r) => r.status) // => ['fulfilled', 'fulfilled', 'rejected']
 * const rows = await db.selectFrom('t').select('k').execute();
 * rows.length // => 2
 * group.batches // => 1
 * await db.destroy();
 */
export class GroupCommit<DB> {
  private readonly queue: Array<Job<DB>> = [];
  private running = false;
  private readonly maxBatch: number;
  private readonly delayMs: number;
  /** Transactions committed so far (for tests and benchmarks). */
  batches = 0;

  constructor(
    private readonly db: Kysely<DB>,
    options: GroupCommitOptions = {},
  ) {
    this.maxBatch = Math.max(1, options.maxBatch ?? 256);
    this.delayMs = Math.max(0, options.delayMs ?? 0);
  }

  /** Run `work` in the next group's transaction; settles after that transaction committed (or failed). */
  run<T>(work: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (v: unknown) => void, reject });
      if (!this.running) {
        this.running = true;
        void this.drain();
      }
    });
  }

  private async drain(): Promise<void> {
    try {
      if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
      while (this.queue.length > 0) {
        // let the event loop read the requests that arrived while the last batch committed
        await new Promise((r) => setImmediate(r));
        const batch = this.queue.splice(0, this.maxBatch);
        const outcomes: Outcome[] = [];
        try {
          await this.db.transaction().execute(async (trx) => {
            for (const job of batch) {
              await sql`SAVEPOINT group_job`.execute(trx);
              try {
                const value = await job.work(trx);
                await sql`RELEASE SAVEPOINT group_job`.execute(trx);
                outcomes.push({ ok: true, value });
              } catch (error) {
                await sql`ROLLBACK TO SAVEPOINT group_job`.execute(trx);
                await sql`RELEASE SAVEPOINT group_job`.execute(trx);
                outcomes.push({ ok: false, error });
              }
            }
          });
        } catch (error) {
          // the commit itself failed: nothing of this batch is stored, every job hears so
          for (const job of batch) job.reject(error);
          continue;
        }
        this.batches++;
        batch.forEach((job, k) => {
          const o = outcomes[k];
          if (o.ok) job.resolve(o.value);
          else job.reject(o.error);
        });
      }
    } finally {
      this.running = false;
      if (this.queue.length > 0) {
        this.running = true;
        void this.drain();
      }
    }
  }
}
