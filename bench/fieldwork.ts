/**
 * Fieldwork benchmark (`npm run bench -- --only fieldwork`):
 * 1. submissions: `cityindex survey serve` as a child process on a fresh SQLite store (`--sync full`:
 *    every acknowledged response is on disk), simulated respondents over loopback (tests/load/respondents.ts,
 *    shared with the load test): the most per second with 32 in flight (closed loop), then 1 000 arrivals
 *    per second for 5 s (open loop, latency counted from each arrival's scheduled time) — targets
 *    ≥ 1 000 submissions/s stored and p99 < 50 ms; every acknowledged response is counted in the store after;
 * 2. the monitor's figures over 1 000 000 stored responses (inserted directly, counters filled by the
 *    migration's own statements, not timed) — target < 2 s.
 * The responses are simulated (模拟数据 / simulated responses). `FIELDWORK_BENCH=submit` or `=monitor`
 * runs one part. The machine's load average is printed beside the figures (a shared machine is noisy).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import BetterSqlite3 from 'better-sqlite3';
import { loadSurvey } from '../src/formats/survey.ts';
import { Fieldwork } from '../src/store/fieldwork.ts';
import { recountFieldwork } from '../src/store/fieldwork-live-schema.ts';
import { systemPrincipal } from '../src/store/principal.ts';
import { Store } from '../src/store/store.ts';
import { closedLoop, openLoop, percentile, startFieldworkServer } from '../tests/load/respondents.ts';
import type { BenchRow } from './harness.ts';

const ROOT = resolve(import.meta.dirname, '..');
const load = () => `load ${loadavg()[0].toFixed(1)}`;

async function submissions(dir: string, perSecond: number, seconds: number): Promise<BenchRow[]> {
  const storeFile = join(dir, 'serve.db');
  const server = await startFieldworkServer({ storeFile, wave: 'bench', perCity: 1_000_000, sync: 'full' });
  try {
    const o = { base: server.base, wave: 'bench', deadline: Date.now() + 600_000 };
    await closedLoop({ ...o, first: 10_000_000, count: 300, inFlight: 8 }); // warm-up: compile the wave, connections
    const loadBefore = load();
    const closed = await closedLoop({ ...o, first: 0, count: 4000, inFlight: 32 });
    const open = await openLoop({ ...o, first: 5_000_000, count: perSecond * seconds, perSecond, maxInFlight: 1000 });
    const loadAfter = load();
    const db = new BetterSqlite3(storeFile, { readonly: true });
    const stored = (
      db.prepare("select count(*) as n from fw_responses where status = 'complete'").get() as { n: number }
    ).n;
    db.close();
    const acked = 300 + closed.acked.length + open.acked.length;
    const maxRate = closed.acked.length / closed.seconds;
    const openRate = open.acked.length / open.seconds;
    const lat = open.acked.map((a) => a.latencyMs);
    const p99 = percentile(lat, 0.99);
    const closedP99 = percentile(
      closed.acked.map((a) => a.latencyMs),
      0.99,
    );
    return [
      {
        name: 'fieldwork: submissions/s, 32 in flight, --sync full',
        seconds: closed.seconds,
        target: '≥ 1 000 submissions/s',
        pass: maxRate >= 1000 && closed.failed.length === 0,
        notes: `${maxRate.toFixed(0)}/s, p99 ${closedP99.toFixed(1)} ms; failed ${closed.failed.length}; ${loadBefore}`,
      },
      {
        name: `fieldwork: ${perSecond}/s arriving for ${seconds} s, stored, --sync full`,
        seconds: open.seconds,
        target: `≥ ${perSecond} submissions/s`,
        pass: openRate >= perSecond * 0.98 && open.failed.length === 0 && stored === acked,
        notes:
          `${openRate.toFixed(0)}/s; failed ${open.failed.length}; acknowledged ${acked}, stored ${stored}; ` +
          loadAfter,
      },
      {
        name: `fieldwork: submission latency p99 at ${perSecond}/s, --sync full`,
        seconds: p99 / 1000,
        target: '< 50 ms',
        pass: p99 < 50,
        notes: `median ${percentile(lat, 0.5).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms; ${loadAfter}`,
      },
    ];
  } finally {
    server.child.kill('SIGTERM');
    await new Promise((r) => server.child.once('exit', r));
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
  await recountFieldwork(again.db); // what the submissions would have counted as they came
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
    if (parts.includes('submit')) rows.push(...(await submissions(dir, Number(process.env.FIELDWORK_RATE ?? 1000), 5)));
    if (parts.includes('monitor')) rows.push(...(await monitorAtScale(dir, 1_000_000)));
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
