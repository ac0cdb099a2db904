/**
 * The hash-chained, append-only audit log: each row's hash is SHA-256 over the previous row's hash and
 * the row's own fields, so changing, removing or reordering a past row is detected by `verifyAuditRows`.
 * Appends go through the one-row `audit_head` table: updating it first takes a row lock on PostgreSQL
 * (SQLite serialises writers), so concurrent transactions cannot fork the chain.
 */
import { createHash } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { GENESIS_HASH } from './migrations.ts';
import type { AuditLogTable, StoreDatabase } from './schema.ts';

/** What an audit entry records (the store adds the time, sequence number and hashes). */
export interface AuditEntry {
  actor: string;
  action: string;
  entity: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
  address?: string;
}

/** The fields hashed, in a fixed order. */
function hashOf(row: Omit<AuditLogTable, 'hash'>): string {
  const fields = [
    row.prev_hash,
    row.seq,
    row.at,
    row.actor,
    row.action,
    row.entity,
    row.entity_id,
    row.before,
    row.after,
    row.address,
  ];
  return createHash('sha256').update(JSON.stringify(fields)).digest('hex');
}

/** JSON text of a before/after value (null when absent). */
function json(value: unknown): string | null {
  return value === undefined ? null : JSON.stringify(value);
}

/** Append one entry inside the caller's transaction. */
export async function appendAudit(
  trx: Transaction<StoreDatabase> | Kysely<StoreDatabase>,
  entry: AuditEntry,
  at: string,
): Promise<void> {
  const head = await trx
    .updateTable('audit_head')
    .set((eb) => ({ seq: eb('seq', '+', 1) }))
    .where('id', '=', 1)
    .returning(['seq', 'hash'])
    .executeTakeFirstOrThrow();
  const row = {
    seq: Number(head.seq),
    at,
    actor: entry.actor,
    action: entry.action,
    entity: entry.entity,
    entity_id: entry.entityId,
    before: json(entry.before),
    after: json(entry.after),
    address: entry.address ?? null,
    prev_hash: head.hash,
  };
  const hash = hashOf(row);
  await trx
    .insertInto('audit_log')
    .values({ ...row, hash })
    .execute();
  await trx.updateTable('audit_head').set({ hash }).where('id', '=', 1).execute();
}

/** The outcome of checking the chain: `brokenAt` is the first sequence number that does not verify. */
export interface AuditVerification {
  ok: boolean;
  rows: number;
  brokenAt?: number;
  reason?: string;
}

/**
 * Check a chain of audit rows (ordered by seq) against the head: contiguous sequence numbers from 1,
 * each `prev_hash` the previous row's hash, each hash recomputed, the last hash equal to the head's.
 * @example verifyAuditRows([], { seq: 0, hash: '0'.repeat(64) }) // => { ok: true, rows: 0 }
 */
export function verifyAuditRows(
  rows: readonly AuditLogTable[],
  head: { seq: number; hash: string },
): AuditVerification {
  let prev = GENESIS_HASH;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    const seq = Number(r.seq);
    if (seq !== i + 1) return { ok: false, rows: rows.length, brokenAt: i + 1, reason: 'a row is missing' };
    if (r.prev_hash !== prev) return { ok: false, rows: rows.length, brokenAt: seq, reason: 'the chain is broken' };
    const { hash, ...rest } = r;
    if (hashOf({ ...rest, seq }) !== hash) {
      return { ok: false, rows: rows.length, brokenAt: seq, reason: 'the row was changed' };
    }
    prev = hash;
  }
  if (Number(head.seq) !== rows.length || head.hash !== prev) {
    return { ok: false, rows: rows.length, brokenAt: rows.length + 1, reason: 'rows after the last were removed' };
  }
  return { ok: true, rows: rows.length };
}
