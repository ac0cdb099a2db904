/**
 * Simulated respondents of the CDGI example questionnaire over HTTP, shared by the fieldwork load test
 * (`tests/load/fieldwork-load.ts`: never lose a response, kill -9 mid-load) and the fieldwork benchmark
 * (`bench/fieldwork.ts`: submissions per second and latency). The answers are SIMULATED (模拟数据 /
 * simulated responses), made from the respondent's number; every loop is bounded by a deadline.
 *
 * - `startFieldworkServer`: `cityindex survey serve examples/cdgi-2020` as a child process on a given SQLite
 *   file, respondent limits lifted, resolved with its address once it listens.
 * - `respond`: one respondent (optionally a partial save first), each save retried with the same response
 *   id until the server acknowledges it — the way the resident form retries.
 * - `closedLoop` (a fixed number in flight) and `openLoop` (a fixed arrival rate, latency measured from
 *   each respondent's scheduled start, so a stalled server cannot hide its queue) run many of them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:http';
import { randomBytes, randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';

const ROOT = resolve(import.meta.dirname, '../..');
/** The ten largest cities of the example survey; respondent k answers for CITIES[k % 10]. */
export const CITIES = [
  '310100',
  '110100',
  '440300',
  '440100',
  '500100',
  '320500',
  '510100',
  '420100',
  '330100',
  '120100',
];

/** A complete simulated answer set of the CDGI questionnaire for respondent `k`. */
export function simulatedAnswers(k: number, city: string): Record<string, unknown> {
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

/** A running `survey serve` child process. */
export interface FieldworkServer {
  base: string;
  child: ChildProcess;
}

/** Start `cityindex survey serve examples/cdgi-2020` on `storeFile` with wave `wave` (limits lifted). */
export function startFieldworkServer(o: {
  storeFile: string;
  wave: string;
  perCity: number;
  sync?: 'full' | 'normal';
  timeoutMs?: number;
}): Promise<FieldworkServer> {
  const args = ['--import', 'tsx', 'src/cli/main.ts', 'survey', 'serve', 'examples/cdgi-2020', '--port', '0'];
  args.push('--store', o.storeFile, '--wave', o.wave, '--per-city', String(o.perCity), '--sync', o.sync ?? 'full');
  args.push('--starts-per-hour', '100000000', '--saves-per-minute', '100000000', '--requests-per-minute', '100000000');
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  return new Promise((done, fail) => {
    let text = '';
    let base = '';
    const timer = setTimeout(() => fail(new Error(`server did not start: ${text}`)), o.timeoutMs ?? 120_000);
    child.stderr!.on('data', (b: Buffer) => {
      text = (text + b.toString()).slice(-20_000);
      if (process.env.X_ELD) process.stderr.write(b);
      const m = /listening on (http:\/\/[^ \n]+)/.exec(text);
      if (m && !base) {
        clearTimeout(timer);
        base = m[1];
        done({ base, child });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (!base) fail(new Error(`server exited (${code}): ${text}`));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What `respond` needs: where to send, and when to give up. */
export interface RespondOptions {
  /** The server's address; a function when it may change (a restarted server). */
  base: string | (() => string);
  wave: string;
  /** Give up (throw) after this time (ms since the epoch). */
  deadline: number;
  /** Save a partial response (the screening page) before the submission. */
  partialFirst?: boolean;
}

/** One respondent's outcome: the response id the server acknowledged, and the submission's latency. */
export interface Acknowledged {
  id: string;
  /** Milliseconds from `startedAt` (default: the first send) to the acknowledgement of the submission. */
  latencyMs: number;
  /** Sends of the submission (1 when no retry was needed). */
  attempts: number;
}

/**
 * One simulated respondent: a partial save (optional), then the submission, each retried with the same
 * response id until acknowledged (network errors, 5xx and 429 are retried; any other refusal throws).
 */
export async function respond(k: number, o: RespondOptions, startedAt?: number): Promise<Acknowledged> {
  const id = randomUUID();
  const city = CITIES[k % CITIES.length];
  const deviceKey = randomBytes(24).toString('base64url');
  const base = typeof o.base === 'string' ? () => o.base as string : o.base;
  const body = (complete: boolean) =>
    JSON.stringify({
      wave: o.wave,
      city,
      deviceKey,
      answers: complete ? simulatedAnswers(k, city) : { fw_resident: 'yes' },
      pageTimes: complete ? { screening: 5, about: 30, services: 200 + (k % 100), overall: 10 } : { screening: 5 },
      language: k % 3 ? 'zh' : 'en',
      complete,
    });
  let latencyMs = 0;
  let attempts = 0;
  for (const complete of o.partialFirst ? [false, true] : [true]) {
    const t0 = startedAt ?? performance.now();
    for (let attempt = 0; ; attempt++) {
      if (Date.now() > o.deadline) throw new Error(`respondent ${k}: deadline passed before acknowledgement`);
      if (complete) attempts++;
      try {
        const r = await postJson(`${base()}/api/fieldwork/responses/${id}`, body(complete), 20_000);
        const data = (r.data ?? {}) as { status?: string; error?: { code: string; message: string } };
        if (r.status >= 500 || r.status === 429) throw new Error(`HTTP ${r.status}`);
        if (r.status < 200 || r.status > 299)
          throw Object.assign(new Error(`${data.error?.code}: ${data.error?.message}`), { fatal: true });
        if (complete && data.status !== 'complete')
          throw Object.assign(new Error(`status ${data.status}`), { fatal: true });
        if (complete) latencyMs = performance.now() - t0;
        break;
      } catch (e) {
        if ((e as { fatal?: boolean }).fatal) throw e;
        await sleep(Math.min(2000, 50 * 2 ** attempt)); // connection refused while a server restarts
      }
    }
  }
  return { id, latencyMs, attempts };
}

// One keep-alive pool for every simulated respondent: node:http allocates far less per request than fetch,
// so the load generator's own garbage collection does not stall arrivals (which the open loop would count
// as the server's latency).
const agent = new Agent({ keepAlive: true, maxSockets: 256 });

/** POST a JSON body; resolves with the status and the parsed answer (null when it is not JSON). */
function postJson(url: string, body: string, timeoutMs: number): Promise<{ status: number; data: unknown }> {
  return new Promise((done, fail) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', fail);
        res.on('end', () => {
          let data: unknown;
          try {
            data = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          } catch {
            data = null;
          }
          done({ status: res.statusCode ?? 0, data });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer in ${timeoutMs} ms`)));
    req.on('error', fail);
    req.end(body);
  });
}

/** Outcome of a run of many respondents. */
export interface RunResult {
  acked: Acknowledged[];
  failed: string[];
  seconds: number;
}

/**
 * Respondents `first … first + count − 1`, `inFlight` at a time; `onAck` hears each acknowledgement.
 */
export async function closedLoop(
  o: RespondOptions & { first?: number; count: number; inFlight: number; onAck?: (a: Acknowledged) => void },
): Promise<RunResult> {
  const acked: Acknowledged[] = [];
  const failed: string[] = [];
  let next = 0;
  const t0 = performance.now();
  const worker = async () => {
    while (next < o.count) {
      const k = (o.first ?? 0) + next++;
      try {
        const a = await respond(k, o);
        acked.push(a);
        o.onAck?.(a);
      } catch (e) {
        failed.push((e as Error).message);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(o.inFlight, o.count) }, worker));
  return { acked, failed, seconds: (performance.now() - t0) / 1000 };
}

/**
 * Respondents arriving at `perSecond` for `count` arrivals (open loop): each starts at its scheduled time
 * whatever the server's state, and its latency counts from that time. At most `maxInFlight` wait at once;
 * an arrival beyond that is a failure (the server fell behind).
 */
export async function openLoop(
  o: RespondOptions & { first?: number; count: number; perSecond: number; maxInFlight: number },
): Promise<RunResult> {
  const acked: Acknowledged[] = [];
  const failed: string[] = [];
  const pending = new Set<Promise<void>>();
  const t0 = performance.now();
  for (let i = 0; i < o.count; i++) {
    const due = t0 + (i * 1000) / o.perSecond;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    if (pending.size >= o.maxInFlight) {
      failed.push(`arrival ${i}: ${pending.size} respondents already waiting`);
      continue;
    }
    const p = respond((o.first ?? 0) + i, o, due)
      .then((a) => void acked.push(a))
      .catch((e: Error) => void failed.push(e.message))
      .finally(() => pending.delete(p));
    pending.add(p);
  }
  await Promise.all(pending);
  return { acked, failed, seconds: (performance.now() - t0) / 1000 };
}

/**
 * The p-th percentile of latencies (nearest rank on the sorted list).
 * @example percentile([5, 1, 4, 2, 3], 0.5) // => 3
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}
