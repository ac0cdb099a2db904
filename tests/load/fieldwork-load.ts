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
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';

const ROOT = resolve(import.meta.dirname, '../..');
const RESPONDENTS = Number(process.env.FIELDWORK_LOAD_RESPONDENTS ?? 500);
const DEADLINE = Date.now() + Number(process.env.FIELDWORK_LOAD_SECONDS ?? 300) * 1000;
const CITIES = ['310100', '110100', '440300', '440100', '500100', '320500', '510100', '420100', '330100', '120100'];
const WAVE = 'load';

const dir = mkdtempSync(join(tmpdir(), 'cityindex-fw-load-'));
const dbFile = join(dir, 'store.db');
let base = '';
let server: ChildProcess | undefined;

function startServer(): Promise<void> {
  const args = [
    '--import',
    'tsx',
    'src/cli/main.ts',
    'survey',
    'serve',
    'examples/cdgi-2020',
    '--port',
    '0',
    '--store',
    dbFile,
    '--wave',
    WAVE,
    '--per-city',
    '100000',
    '--starts-per-hour',
    '100000000',
    '--saves-per-minute',
    '100000000',
    '--requests-per-minute',
    '100000000',
  ];
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  server = child;
  return new Promise((done, fail) => {
    let text = '';
    const timer = setTimeout(() => fail(new Error(`server did not start: ${text}`)), 120_000);
    child.stderr!.on('data', (b: Buffer) => {
      text += b.toString();
      const m = /listening on (http:\/\/[^ ]+)/.exec(text);
      if (m && !base.endsWith(m[1])) {
        clearTimeout(timer);
        base = m[1];
        done();
      }
    });
    child.on('exit', (code) => {
      if (!base) fail(new Error(`server exited (${code}): ${text}`));
    });
  });
}

function answers(k: number, city: string): Record<string, unknown> {
  const v = 1 + (k % 5);
  const w = 1 + ((k * 7) % 5);
  return {
    fw_resident: 'yes',
    city_adcode: city,
    age: 18 + (k % 60),
    sex: k % 2 ? 'male' : 'female',
    infra: { INF1: v, INF2: w, INF3: v },
    gov: { GOV1: w, GOV2: v, GOV3: w, GOV4: v },
    pub: { PUB1: v, PUB2: w, PUB3: v, PUB4: w, ATTN: 4 },
    life: { LIF1: w, LIF2: v, LIF3: w, LIF4: v },
    OVR: w,
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One respondent: a partial save, then the submission until acknowledged. Returns the response id once acked. */
async function respondent(k: number, acked: Set<string>): Promise<void> {
  const id = randomUUID();
  const city = CITIES[k % CITIES.length];
  const deviceKey = randomBytes(24).toString('base64url');
  const body = (complete: boolean) =>
    JSON.stringify({
      wave: WAVE,
      city,
      deviceKey,
      answers: complete ? answers(k, city) : { fw_resident: 'yes' },
      pageTimes: complete ? { screening: 5, about: 30, services: 200 + (k % 100), overall: 10 } : { screening: 5 },
      language: k % 3 ? 'zh' : 'en',
      complete,
    });
  for (const complete of [false, true]) {
    for (let attempt = 0; ; attempt++) {
      if (Date.now() > DEADLINE) throw new Error(`respondent ${k}: deadline passed before acknowledgement`);
      try {
        const r = await fetch(`${base}/api/fieldwork/responses/${id}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: body(complete),
          signal: AbortSignal.timeout(20_000),
        });
        const data = (await r.json()) as { status?: string; error?: { code: string; message: string } };
        if (r.status >= 500 || r.status === 429) throw new Error(`HTTP ${r.status}`);
        if (!r.ok) throw Object.assign(new Error(`${data.error?.code}: ${data.error?.message}`), { fatal: true });
        if (complete) {
          if (data.status !== 'complete') throw Object.assign(new Error(`status ${data.status}`), { fatal: true });
          acked.add(id);
        }
        break;
      } catch (e) {
        if ((e as { fatal?: boolean }).fatal) throw e;
        await sleep(Math.min(2000, 50 * 2 ** attempt)); // connection refused while the server restarts
      }
    }
  }
}

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
  await Promise.all(Array.from({ length: RESPONDENTS }, (_, k) => respondent(k, acked1)));
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
  await Promise.all([killer, ...Array.from({ length: RESPONDENTS }, (_, k) => respondent(RESPONDENTS + k, acked2))]);
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
