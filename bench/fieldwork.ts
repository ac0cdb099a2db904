/**
 * Fieldwork benchmark (`npm run bench -- --only fieldwork`):
 * 1. submissions per second and p99 latency: `cityindex survey serve` as a child process on a fresh
 *    SQLite store (with `--sync full`, then `--sync normal`), 5 000 simulated final submissions over
 *    loopback, 64 in flight — targets 1 000/s and p99 < 50 ms;
 * 2. the monitor's figures over 1 000 000 stored responses (inserted directly, not timed) — target < 2 s.
 * The responses are simulated (模拟数据 / simulated responses). `FIELDWORK_BENCH=submit` or `=monitor`
 * runs one part.
 */
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import BetterSqlite3 from 'better-sqlite3';
import { loadSurvey } from '../src/formats/survey.ts';
import { Fieldwork } from '../src/store/fieldwork.ts';
import { systemPrincipal } from '../src/store/principal.ts';
import { Store } from '../src/store/store.ts';
import type { BenchRow } from './harness.ts';

const ROOT = resolve(import.meta.dirname, '..');
const CITIES = ['310100', '110100', '440300', '440100', '500100', '320500', '510100', '420100', '330100', '120100'];

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

async function submissions(dir: string, total: number, inFlight: number, sync: string): Promise<BenchRow[]> {
  const args = ['--import', 'tsx', 'src/cli/main.ts', 'survey', 'serve', 'examples/cdgi-2020', '--port', '0'];
  args.push('--store', join(dir, `serve-${sync}.db`), '--wave', 'bench', '--per-city', '1000000', '--sync', sync);
  args.push('--starts-per-hour', '100000000', '--saves-per-minute', '100000000', '--requests-per-minute', '100000000');
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  try {
    const base = await new Promise<string>((done, fail) => {
      let text = '';
      child.stderr!.on('data', (b: Buffer) => {
        text += b.toString();
        const m = /listening on (http:\/\/[^ \n]+)/.exec(text);
        if (m) done(m[1]);
      });
      child.on('exit', () => fail(new Error(`server exited: ${text}`)));
    });
    const latencies: number[] = [];
    let next = 0;
    let failed = 0;
    const worker = async () => {
      while (next < total) {
        const k = next++;
        const city = CITIES[k % CITIES.length];
        const body = JSON.stringify({
          wave: 'bench',
          city,
          deviceKey: randomBytes(24).toString('base64url'),
          answers: answers(k, city),
          pageTimes: { screening: 5, about: 30, services: 240, overall: 10 },
          language: 'zh',
          complete: true,
        });
        const t = performance.now();
        const r = await fetch(`${base}/api/fieldwork/responses/${randomUUID()}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        });
        await r.arrayBuffer();
        latencies.push(performance.now() - t);
        if (r.status !== 200) failed++;
      }
    };
    // warm-up (not timed): compile the wave, open connections
    next = total - 200;
    await Promise.all(Array.from({ length: 8 }, worker));
    latencies.length = 0;
    next = 0;
    const t0 = performance.now();
    await Promise.all(Array.from({ length: inFlight }, worker));
    const seconds = (performance.now() - t0) / 1000;
    latencies.sort((a, b) => a - b);
    const p99 = latencies[Math.floor(0.99 * (latencies.length - 1))];
    const rate = total / seconds;
    return [
      {
        name: `fieldwork: ${total} submissions, ${inFlight} in flight, --sync ${sync}`,
        seconds,
        target: '≥ 1 000 submissions/s',
        pass: rate >= 1000 && failed === 0,
        notes: `${rate.toFixed(0)}/s; failed ${failed}`,
      },
      {
        name: `fieldwork: submission latency p99, --sync ${sync}`,
        seconds: p99 / 1000,
        target: '< 50 ms',
        pass: p99 < 50,
        notes: `median ${latencies[Math.floor(latencies.length / 2)].toFixed(1)} ms, p99 ${p99.toFixed(1)} ms`,
      },
    ];
  } finally {
    child.kill('SIGTERM');
  }
}

async function monitorAtScale(dir: string, n: number): Promise<BenchRow[]> {
  const file = join(dir, 'monitor.db');
  const store = await Store.open({ sqliteFile: file });
  const cli = systemPrincipal('bench');
  const survey = await loadSurvey(join(ROOT, 'examples/cdgi-2020/surveys/survey.yaml'));
  const project = await store.saveProject(cli, {
    slug: 'bench',
    name: 'bench',
    projectFile: 'project.yaml',
    files: [],
    nodes: [],
    units: [],
    values: [],
  });
  const fieldwork = new Fieldwork(store);
  await fieldwork.createWave(cli, project.id, { slug: 'm', survey, perCity: 30_000 });
  await store.close();
  // 1 M rows straight into the table (not timed): statuses, durations, flags and answer hashes as collected
  const db = new BetterSqlite3(file);
  const insert = db.prepare(
    'insert into fw_responses (id, wave_id, city, status, answers, paradata, duration_s, age, sex, cell, language, ' +
      'owner_hash, token_hash, answers_hash, straight_lined, saves, started_at, updated_at, submitted_at) ' +
      "values (?, 1, ?, ?, '{}', '{}', ?, ?, ?, ?, 'zh', ?, null, ?, ?, 3, ?, ?, ?)",
  );
  const cities = survey.config.cities;
  db.transaction(() => {
    for (let k = 0; k < n; k++) {
      const status = k % 50 === 0 ? 'partial' : k % 97 === 0 ? 'screened_out' : 'complete';
      const at = `2020-06-${String(1 + (k % 28)).padStart(2, '0')}T12:00:00Z`;
      insert.run(
        `r${k}`,
        cities[k % cities.length],
        status,
        60 + ((k * 7919) % 900),
        18 + (k % 70),
        k % 2 ? 'male' : 'female',
        '18-59|male',
        `o${k}`,
        status === 'complete' ? `h${k % 990_000}` : null,
        k % 53 === 0 ? 1 : 0,
        at,
        at,
        status === 'complete' ? at : null,
      );
    }
  })();
  db.close();
  const again = await Store.open({ sqliteFile: file });
  try {
    const fw = new Fieldwork(again);
    await fw.monitor(cli, 'm'); // warm
    const t0 = performance.now();
    const m = await fw.monitor(cli, 'm');
    const seconds = (performance.now() - t0) / 1000;
    return [
      {
        name: `fieldwork: monitor figures over ${n.toLocaleString('en')} stored responses`,
        seconds,
        target: '< 2 s',
        pass: seconds < 2,
        notes: `${m.totals.complete} complete, median ${m.medianDuration} s, ${m.totals.flags.duplicates} duplicates`,
      },
    ];
  } finally {
    await again.close();
  }
}

/** Run the fieldwork benchmark. */
export async function benchFieldwork(): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'cityindex-bench-fw-'));
  try {
    const parts = process.env.FIELDWORK_BENCH ?? 'submit,monitor';
    const rows: BenchRow[] = [];
    if (parts.includes('submit'))
      for (const sync of ['full', 'normal']) rows.push(...(await submissions(dir, 5000, 64, sync)));
    if (parts.includes('monitor')) rows.push(...(await monitorAtScale(dir, 1_000_000)));
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
