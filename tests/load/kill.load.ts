/**
 * Durability under `kill -9` (`npm run test:load`, not part of `npm test`): a real server process on a
 * SQLite store (WAL) is killed with SIGKILL at seeded random moments — ≥ 20 times while city officers
 * submit and a reviewer approves, ≥ 20 times while an author builds and publishes editions. After each
 * kill the store is opened again and must be consistent:
 * - the audit chain verifies;
 * - every write the server acknowledged (201/200 received) is present, with exactly what was sent;
 * - no partial version: every submission has all its values and exactly one `submission.create` audit row
 *   (and the reverse), every approval has one `value.approve` row per value, every edition has a whole
 *   results table and one `edition.create` row, and every `edition.publish` row matches a published edition.
 * Moments come from a seeded generator (seed printed; CITYINDEX_KILL_SEED to replay).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importProjectFolder } from '../../src/store/project-io.ts';
import { systemPrincipal } from '../../src/store/principal.ts';
import { Store } from '../../src/store/store.ts';

const CLI = systemPrincipal('load');
const PASSWORD = 'a long enough password';
const KILLS = Number(process.env.CITYINDEX_KILLS ?? 20);
const SEED = Number(process.env.CITYINDEX_KILL_SEED ?? 20261202);
const CITIES = 6;

/** mulberry32: a small seeded generator for the kill moments (reproducible with the printed seed). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Running {
  child: ChildProcess;
  base: string;
}

/** The child server bundled once (esbuild; packages stay external) so each restart takes no transpiling. */
const CHILD = join(import.meta.dirname, '..', '..', 'out', 'load', 'child-server.mjs');

function startServer(file: string): Promise<Running> {
  const child = spawn(process.execPath, [CHILD, file], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${err}`)), 60_000);
    child.stderr!.on('data', (d) => (err += String(d)));
    child.stdout!.on('data', (d) => {
      out += String(d);
      const m = /READY (\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, base: `http://127.0.0.1:${m[1]}` });
      }
    });
    child.on('exit', (code) => reject(new Error(`server exited (${code}): ${err}`)));
  });
}

function killed(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

async function login(base: string, username: string): Promise<{ cookie: string; csrf: string }> {
  const r = await fetch(`${base}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${await r.text()}`);
  return { cookie: String(r.headers.get('set-cookie')).split(';')[0], csrf: (await r.json()).csrf };
}

async function call(
  base: string,
  s: { cookie: string; csrf: string },
  method: string,
  url: string,
  body?: unknown,
): Promise<{ status: number; json: any }> {
  const r = await fetch(`${base}${url}`, {
    method,
    headers: {
      cookie: s.cookie,
      'x-csrf-token': s.csrf,
      ...(body !== undefined && { 'content-type': 'application/json' }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  return { status: r.status, json: await r.json() };
}

/** Everything the store must show after a kill (see the file comment). */
async function checkConsistent(
  file: string,
  acked: {
    submissions: Map<number, Array<{ indicator: string; value: number }>>;
    approvals: Set<number>;
    editions: Map<number, string>;
    published: Set<number>;
  },
): Promise<{ submissions: number; editions: number }> {
  const store = await Store.open({ sqliteFile: file });
  try {
    expect((await store.verifyAudit(CLI)).ok, 'audit chain').toBe(true);
    const audit = await store.db.selectFrom('audit_log').selectAll().orderBy('seq').execute();
    const created = new Map<string, number>();
    const approvedValues = new Map<number, number>();
    const editionRows = new Set<string>();
    const publishRows = new Set<string>();
    for (const row of audit) {
      if (row.action === 'submission.create') {
        created.set(row.entity_id, (JSON.parse(row.after!) as { values: unknown[] }).values.length);
      } else if (row.action === 'value.approve') {
        const sid = (JSON.parse(row.after!) as { submission: number }).submission;
        approvedValues.set(sid, (approvedValues.get(sid) ?? 0) + 1);
      } else if (row.action === 'edition.create') editionRows.add(row.entity_id);
      else if (row.action === 'edition.publish') publishRows.add(row.entity_id);
    }
    const subs = await store.db.selectFrom('submissions').selectAll().execute();
    const values = await store.db.selectFrom('submission_values').selectAll().execute();
    const valuesOf = new Map<number, typeof values>();
    for (const v of values)
      valuesOf.set(Number(v.submission_id), [...(valuesOf.get(Number(v.submission_id)) ?? []), v]);
    expect(subs.length, 'one submission.create row per submission').toBe(created.size);
    for (const s of subs) {
      const id = Number(s.id);
      expect(valuesOf.get(id)?.length ?? 0, `values of submission ${id}`).toBe(created.get(String(id)));
      if (s.status === 'approved') expect(approvedValues.get(id), `approval of ${id}`).toBe(created.get(String(id)));
      else expect(approvedValues.has(id), `no approved value of ${s.status} ${id}`).toBe(false);
    }
    for (const [id, sent] of acked.submissions) {
      const got = (valuesOf.get(id) ?? []).map((v) => ({ indicator: v.indicator, value: Number(v.value) }));
      const byIndicator = (a: { indicator: string }, b: { indicator: string }) => (a.indicator < b.indicator ? -1 : 1);
      expect(got.sort(byIndicator), `acknowledged submission ${id}`).toEqual([...sent].sort(byIndicator));
    }
    const status = new Map(subs.map((s) => [Number(s.id), s.status]));
    for (const id of acked.approvals) expect(status.get(id), `acknowledged approval ${id}`).toBe('approved');
    const editions = await store.db.selectFrom('editions').selectAll().execute();
    expect(editions.length, 'one edition.create row per edition').toBe(editionRows.size);
    for (const e of editions) {
      expect(editionRows.has(String(e.id))).toBe(true);
      const results = JSON.parse(e.results) as { rows: unknown[] };
      expect(results.rows.length, `rows of edition ${e.id}`).toBe(51);
      expect(e.status === 'published', `publish row of edition ${e.id}`).toBe(publishRows.has(String(e.id)));
    }
    const byId = new Map(editions.map((e) => [Number(e.id), e]));
    for (const [id, fp] of acked.editions) expect(byId.get(id)?.fingerprint, `acknowledged edition ${id}`).toBe(fp);
    for (const id of acked.published) expect(byId.get(id)?.status, `acknowledged publish ${id}`).toBe('published');
    return { submissions: subs.length, editions: editions.length };
  } finally {
    await store.close();
  }
}

describe('kill -9 of the server process', () => {
  let dir: string;
  let template: string;
  let units: string[];
  let indicators: string[];
  const random = rng(SEED);

  beforeAll(async () => {
    process.stderr.write(`kill.load: seed ${SEED}, ${KILLS} kills per scenario\n`);
    await build({
      entryPoints: [join(import.meta.dirname, 'child-server.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      packages: 'external',
      outfile: CHILD,
      logLevel: 'warning',
    });
    dir = mkdtempSync(join(tmpdir(), 'cityindex-kill-'));
    template = join(dir, 'template.db');
    const store = await Store.open({ sqliteFile: template }, { scryptN: 2 ** 10 });
    const project = await importProjectFolder(store, CLI, 'examples/asem');
    units = (await store.units(project.id)).map((u) => u.code);
    indicators = (await store.framework(project.id)).filter((n) => n.kind === 'indicator').map((n) => n.code);
    for (let i = 0; i < CITIES; i++) {
      const u = { username: `city${i}`, password: PASSWORD, role: 'city', projectId: project.id, cities: [units[i]] };
      await store.createUser(CLI, u);
    }
    await store.createUser(CLI, { username: 'reviewer1', password: PASSWORD, role: 'reviewer' });
    await store.createUser(CLI, { username: 'author1', password: PASSWORD, role: 'author' });
    await store.close(); // checkpoints the WAL into the file
  }, 120_000);
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it(`during submissions and approvals (${KILLS} kills)`, async () => {
    let totalAcked = 0;
    for (let k = 0; k < KILLS; k++) {
      const file = join(dir, `sub-${k}.db`);
      copyFileSync(template, file);
      const server = await startServer(file);
      const sessions = await Promise.all([...Array(CITIES).keys()].map((i) => login(server.base, `city${i}`)));
      const reviewer = await login(server.base, 'reviewer1');
      const acked = {
        submissions: new Map<number, Array<{ indicator: string; value: number }>>(),
        approvals: new Set<number>(),
        editions: new Map<number, string>(),
        published: new Set<number>(),
      };
      let stop = false;
      const pending: Array<{ id: number; version: number }> = [];
      const cityLoop = async (i: number) => {
        for (let n = 0; !stop; n++) {
          const values = indicators.map((indicator, j) => ({ indicator, value: k * 1000 + n + j / 100 }));
          try {
            const r = await call(server.base, sessions[i], 'POST', '/api/submissions', { unit: units[i], values });
            if (r.status === 201) {
              acked.submissions.set(r.json.submission.id, values);
              pending.push({ id: r.json.submission.id, version: r.json.submission.version });
            }
          } catch {
            return; // the connection died with the server
          }
        }
      };
      const reviewLoop = async () => {
        while (!stop) {
          const next = pending.shift();
          if (!next) {
            await new Promise((r) => setTimeout(r, 5));
            continue;
          }
          try {
            const body = { decision: 'approve', comment: 'ok', version: next.version };
            const r = await call(server.base, reviewer, 'POST', `/api/submissions/${next.id}/review`, body);
            if (r.status === 200) acked.approvals.add(next.id);
          } catch {
            return;
          }
        }
      };
      const loops = [...[...Array(CITIES).keys()].map(cityLoop), reviewLoop()];
      await new Promise((r) => setTimeout(r, 50 + random() * 1500));
      await killed(server.child);
      stop = true;
      await Promise.all(loops);
      const seen = await checkConsistent(file, acked);
      expect(seen.submissions).toBeGreaterThanOrEqual(acked.submissions.size);
      totalAcked += acked.submissions.size;
      rmSync(file, { force: true });
      rmSync(`${file}-wal`, { force: true });
      rmSync(`${file}-shm`, { force: true });
    }
    expect(totalAcked, 'the kills happened while writes were acknowledged').toBeGreaterThan(KILLS);
  }, 900_000);

  it(`during edition builds and publishing (${KILLS} kills)`, async () => {
    let totalAcked = 0;
    for (let k = 0; k < KILLS; k++) {
      const file = join(dir, `build-${k}.db`);
      copyFileSync(template, file);
      const server = await startServer(file);
      const author = await login(server.base, 'author1');
      const city = await login(server.base, 'city0');
      const acked = {
        submissions: new Map<number, Array<{ indicator: string; value: number }>>(),
        approvals: new Set<number>(),
        editions: new Map<number, string>(),
        published: new Set<number>(),
      };
      let stop = false;
      const buildLoop = async () => {
        for (let n = 0; !stop; n++) {
          try {
            const r = await call(server.base, author, 'POST', '/api/editions', { name: `e${n}` });
            if (r.status !== 201) continue;
            acked.editions.set(r.json.edition.id, r.json.edition.fingerprint);
            if (n % 2 === 0) {
              const p = await call(server.base, author, 'POST', `/api/editions/${r.json.edition.id}/publish`);
              if (p.status === 200) acked.published.add(r.json.edition.id);
            }
          } catch {
            return;
          }
        }
      };
      const cityLoop = async () => {
        for (let n = 0; !stop; n++) {
          const values = [{ indicator: indicators[n % indicators.length], value: n }];
          try {
            const r = await call(server.base, city, 'POST', '/api/submissions', { unit: units[0], values });
            if (r.status === 201) acked.submissions.set(r.json.submission.id, values);
          } catch {
            return;
          }
        }
      };
      const loops = [buildLoop(), cityLoop()];
      // a build of examples/asem takes a few hundred ms: the moments fall before, inside and between builds
      await new Promise((r) => setTimeout(r, 300 + random() * 4000));
      await killed(server.child);
      stop = true;
      await Promise.all(loops);
      const seen = await checkConsistent(file, acked);
      expect(seen.editions).toBeGreaterThanOrEqual(acked.editions.size);
      totalAcked += acked.editions.size;
      rmSync(file, { force: true });
      rmSync(`${file}-wal`, { force: true });
      rmSync(`${file}-shm`, { force: true });
    }
    expect(totalAcked, 'the kills happened while editions were acknowledged').toBeGreaterThan(0);
  }, 900_000);
});
