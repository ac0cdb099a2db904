/**
 * The page's side of the engine worker: starts it from the worker source (`assets/engine.js` sets
 * `globalThis.__CITYINDEX_WORKER_SRC__`) through a Blob URL, and sends requests by id. Re-weighting is
 * latest-wins: while one recompute runs, only the newest waiting weights are sent next.
 */
import { loadScript } from './load-script.ts';
import type { WorkerRequest, WorkerResponse } from './protocol.ts';
import type { Site } from './site.ts';
import type { LiveSettings } from './live.ts';

type Pending = { resolve(v: { value: unknown; ms?: number }): void; reject(e: Error): void };
type Body<R> = R extends { id: number } ? Omit<R, 'id'> : never;

/** A started engine worker. */
export class EngineClient {
  private worker: Worker;
  private next = 1;
  private pending = new Map<number, Pending>();
  private busy = false;
  private queued: { weights: LiveSettings; done: Pending } | null = null;

  constructor(source: string) {
    const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
    this.worker = new Worker(url);
    this.worker.onmessage = (e: MessageEvent<WorkerResponse>) => {
      const p = this.pending.get(e.data.id);
      if (!p) return;
      this.pending.delete(e.data.id);
      if (e.data.ok) p.resolve({ value: e.data.value, ms: e.data.ms });
      else p.reject(new Error(e.data.error));
    };
  }

  /** Send one request. */
  request(body: Body<WorkerRequest>): Promise<{ value: unknown; ms?: number }> {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...body, id } as WorkerRequest);
    });
  }

  /** Re-weight (and other method choices), latest wins (a superseded request resolves with null). */
  reweight(weights: LiveSettings): Promise<{ value: unknown; ms?: number } | null> {
    return new Promise((resolve, reject) => {
      const done: Pending = { resolve, reject };
      if (this.busy) {
        this.queued?.done.resolve(null as never);
        this.queued = { weights, done };
        return;
      }
      this.run(weights, done);
    });
  }

  private run(settings: LiveSettings, done: Pending): void {
    this.busy = true;
    this.request({ kind: 'reweight', weights: {}, ...settings }).then(
      (v) => this.settle(() => done.resolve(v)),
      (e: Error) => this.settle(() => done.reject(e)),
    );
  }

  private settle(finish: () => void): void {
    this.busy = false;
    finish();
    const q = this.queued;
    this.queued = null;
    if (q) this.run(q.weights, q.done);
  }
}

let client: Promise<EngineClient> | undefined;
let regional: Promise<EngineClient> | undefined;

async function engineSource(): Promise<string> {
  await loadScript('assets/engine.js');
  const src = (globalThis as { __CITYINDEX_WORKER_SRC__?: string }).__CITYINDEX_WORKER_SRC__;
  if (typeof src !== 'string') throw new Error('the engine script did not load');
  return src;
}

/**
 * A second engine worker for the regional findings (its spatial statistics take a few hundred ms, so
 * they never hold up a re-weighting in the first worker).
 * @example // no-run: needs a browser
 * const engine = await startRegionalEngine(site);
 */
export function startRegionalEngine(site: Site): Promise<EngineClient> {
  regional ??= (async () => {
    const c = new EngineClient(await engineSource());
    const live = site.data.live;
    await c.request({
      kind: 'init',
      live,
      codes: site.aggregateCodes,
      level: site.weightLevel,
      analyses: site.data.analyses,
    });
    return c;
  })();
  return regional;
}

/**
 * The engine worker of the page, started once with the site's data.
 * @example // no-run: needs a browser
 * const engine = await startEngine(site);
 */
export function startEngine(site: Site): Promise<EngineClient> {
  client ??= (async () => {
    const c = new EngineClient(await engineSource());
    await c.request({ kind: 'init', live: site.data.live, codes: site.aggregateCodes, level: site.weightLevel });
    return c;
  })();
  return client;
}
