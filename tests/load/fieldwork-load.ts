/**
 * `npm run test:load`: the fieldwork server never loses a response. Not part of `npm test` (it takes a
 * minute and loads the machine). Bounded and self-stopping (a deadline ends every loop).
 *
 * 1. `cityindex survey serve` runs as a child process on a fresh SQLite store; 500 simulated respondents
 *    answer concurrently over loopback (a partial save, then the submission, retried with the same
 *    response id until acknowledged) → every acknowledged response is stored exactly once.
 * 2. 500 more respondents; once 150 of them are acknowledged the server is killed with SIGKILL and
 *    restarted on the same store while the respondents keep retrying → after the restart every
 *    acknowledged response is present, none duplicated, and all 1 000 are complete.
 *
 * The answers are simulated (模拟数据 / simulated responses), made from the respondent's number.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { closedLoop, startFieldworkServer, type RespondOptions } from './respondents.ts';

const RESPONDENTS = Number(process.env.FIELDWORK_LOAD_RESPONDENTS ?? 500);
const DEADLINE = Date.now() + Number(process.env.FIELDWORK_LOAD_SECONDS ?? 300) * 1000;
const WAVE = 'load';

const dir = mkdtempSync(join(tmpdir(), 'cityindex-fw-load-'));
const dbFile = join(dir, 'store.db');
let base = '';
let server: ChildProcess | undefined;

async function startServer(): Promise<void> {
  const s = await startFieldworkServer({ storeFile: dbFile, wave: WAVE, perCity: 100_000 });
  base = s.base;
  server = s.child;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Every respondent concurrently (a partial save, then the submission, retried until acknowledged). */
const respondents = (first: number, acked: Set<string>) => {
  const o: RespondOptions = { base: () => base, wave: WAVE, deadline: DEADLINE, partialFirst: true };
  return closedLoop({ ...o, first, count: RESPONDENTS, inFlight: RESPONDENTS, onAck: (a) => acked.add(a.id) });
};

function check(acked: Set<string>, expectedTotal: number): string[] {
  const db = new BetterSqlite3(dbFile, { readonly: true });
  try {
    const rows = db
      .prepare("select id, status, owner_hash from fw_responses where status = 'complete'")
      .all() as Array<{
      id: string;
      owner_hash: string;
    }>;
    const problems: string[] = [];
    const ids = new Map<string, number>();
    for (const r of rows) ids.set(r.id, (ids.get(r.id) ?? 0) + 1);
    const owners = new Set(rows.map((r) => r.owner_hash));
    for (const id of acked) if (ids.get(id) !== 1) problems.push(`acknowledged ${id} stored ${ids.get(id) ?? 0} times`);
    if (owners.size !== rows.length) problems.push(`${rows.length - owners.size} duplicated respondents`);
    if (rows.length !== expectedTotal) problems.push(`${rows.length} complete rows, expected ${expectedTotal}`);
    const quota = db
      .prepare("select sum(n) as n from fw_quota q join fw_waves w on w.id = q.wave_id where w.slug = ? and cell = '*'")
      .get(WAVE) as { n: number };
    if (quota.n !== expectedTotal) problems.push(`quota counters say ${quota.n}, expected ${expectedTotal}`);
    // the monitor's counters move in the same transaction as the responses: equal after a kill too
    const counted = db.prepare('select status, sum(n) as n from fw_summary group by status').all() as Array<{
      status: string;
      n: number;
    }>;
    const actual = db.prepare('select status, count(*) as n from fw_responses group by status').all() as Array<{
      status: string;
      n: number;
    }>;
    for (const a of actual) {
      const c = counted.find((x) => x.status === a.status)?.n ?? 0;
      if (c !== a.n) problems.push(`monitor counts ${c} ${a.status}, the store holds ${a.n}`);
    }
    return problems;
  } finally {
    db.close();
  }
}

async function main(): Promise<number> {
  const t0 = Date.now();
  await startServer();
  process.stderr.write(`phase 1: ${RESPONDENTS} concurrent respondents against ${base}\n`);
  const acked1 = new Set<string>();
  const run1 = await respondents(0, acked1);
  if (run1.failed.length) throw new Error(`phase 1: ${run1.failed.length} respondents failed: ${run1.failed[0]}`);
  const p1 = check(acked1, RESPONDENTS);
  process.stderr.write(
    `phase 1: ${acked1.size} acknowledged in ${((Date.now() - t0) / 1000).toFixed(1)} s; ` + `problems: ${p1.length}\n`,
  );

  process.stderr.write(`phase 2: ${RESPONDENTS} more; kill -9 of the server after 150 acknowledgements\n`);
  const acked2 = new Set<string>();
  let killed = false;
  const killer = (async () => {
    while (acked2.size < 150 && Date.now() < DEADLINE) await sleep(5);
    server!.kill('SIGKILL');
    killed = true;
    const atKill = acked2.size;
    await new Promise((r) => server!.once('exit', r));
    process.stderr.write(`killed with SIGKILL at ${atKill} acknowledged; restarting\n`);
    await startServer();
  })();
  const [, run2] = await Promise.all([killer, respondents(RESPONDENTS, acked2)]);
  if (run2.failed.length) throw new Error(`phase 2: ${run2.failed.length} respondents failed: ${run2.failed[0]}`);
  const all = new Set([...acked1, ...acked2]);
  const p2 = check(all, 2 * RESPONDENTS);
  process.stderr.write(
    `phase 2: killed=${killed}; ${acked2.size} acknowledged; total ${all.size} in ` +
      `${((Date.now() - t0) / 1000).toFixed(1)} s; problems: ${p2.length}\n`,
  );
  for (const p of [...p1, ...p2].slice(0, 20)) process.stderr.write(`  ${p}\n`);
  return p1.length + p2.length === 0 && killed && all.size === 2 * RESPONDENTS ? 0 : 1;
}

let code = 1;
try {
  code = await main();
} catch (e) {
  process.stderr.write(`load test failed: ${(e as Error).message}\n`);
} finally {
  server?.kill('SIGTERM');
  await sleep(500);
  rmSync(dir, { recursive: true, force: true });
}
process.stderr.write(code === 0 ? 'fieldwork load: PASS\n' : 'fieldwork load: FAIL\n');
process.exit(code);
