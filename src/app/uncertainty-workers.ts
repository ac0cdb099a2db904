/**
 * Node: spread the runs of an uncertainty/sensitivity analysis over `worker_threads`.
 * The sample is drawn once in the main thread; runs are ordered by cache key and handed out in blocks
 * (each thread starting on its own region of keys), each worker compiles its own replication kernel,
 * and the results are put back in run order. Every run depends only on its sampled row, so the result
 * is bit-identical to `runAnalysis` in one thread whatever the number of threads or the schedule.
 * Workers load this same file: compiled (dist/) directly, as TypeScript through an esbuild bundle or tsx.
 */
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { LoadedProject } from '../formats/project.ts';
import { build as runBuild, type Build, type BuildInput } from '../engine/pipeline/build.ts';
import type { BuildSpec } from '../engine/spec/spec.ts';
import { resolveInputs } from '../engine/analysis/uncertainty/inputs.ts';
import { createRunner, type Runner } from '../engine/analysis/uncertainty/runner.ts';
import {
  assembleAnalysis,
  nominalOf,
  planAnalysis,
  runChunk,
  runOrder,
  type AnalysisOptions,
  type AnalysisPlan,
  type AnalysisResult,
  type ChunkResult,
  type Nominal,
} from '../engine/analysis/uncertainty/analyse.ts';

/** Options for the parallel run. */
export interface ParallelOptions {
  /** Worker threads (default: the machine's available parallelism). 1 = run in this thread. */
  threads?: number;
  /**
   * Workers start only when runs × units reaches this (starting one costs ~0.2–0.4 s and each worker
   * fills its own caches). Default 2 000 000 (e.g. 10 000 runs of 333 units; ASEM's 51 units need 40 000 runs).
   */
  minWorkForWorkers?: number;
  /** Called as runs finish: (runs done, total runs). */
  onProgress?: (done: number, total: number) => void;
  /** The nominal build (default: `build(input, spec)`). */
  nominal?: Build;
}

interface WorkerJob {
  input: BuildInput;
  spec: BuildSpec;
  plan: AnalysisPlan;
  nominal: Nominal;
}

/** Worker → main: compiled and ready for a block, a finished block, or an error. */
type WorkerMessage = { type: 'ready' } | { type: 'block'; chunk: ChunkResult } | { type: 'error'; message: string };
/** Main → worker: a new analysis, runs to do, or the end of the analysis. */
type MainMessage = { type: 'job'; job: WorkerJob } | { type: 'runs'; runs: Int32Array } | { type: 'end' };

function tsxApiUrl(): string {
  // require.resolve gives the CommonJS build (index.cjs); workers need the ESM one beside it
  const cjs = createRequire(import.meta.url).resolve('tsx/esm/api');
  return pathToFileURL(cjs.replace(/\.cjs$/, '.mjs')).href;
}

let bundled: Promise<string | null> | undefined;

/**
 * The module a worker loads: this file itself when it runs compiled (dist/), else this module bundled by
 * esbuild (a dependency of tsx) into one ES module, as a `data:` URL: a worker then starts in ~0.2 s
 * instead of ~2 s of transpiling every file through tsx. Built once per process; null if esbuild is not
 * available (workers then load the TypeScript through tsx).
 */
function workerBundle(): Promise<string | null> {
  bundled ??= (async () => {
    // compiled JavaScript (dist/): a worker loads this very file, no bundling at run time (which cost the
    // first parallel analysis of a process ~0.5–1 s of CPU)
    if (import.meta.url.endsWith('.js')) return import.meta.url;
    try {
      const esbuild = await import('esbuild');
      const self = fileURLToPath(import.meta.url);
      const r = await esbuild.build({
        entryPoints: [self],
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node20',
        write: false,
        minify: true,
        logLevel: 'silent',
        // CommonJS dependencies call require(): give the bundle one
        banner: {
          js:
            `import { createRequire as __cityindexRequire } from 'node:module'; ` +
            `const require = __cityindexRequire(${JSON.stringify(self)});`,
        },
      });
      return 'data:text/javascript;base64,' + Buffer.from(r.outputFiles[0].text).toString('base64');
    } catch {
      return null;
    }
  })();
  return bundled;
}

/**
 * Blocks of the run order, one region of consecutive blocks per thread. A thread takes the blocks of
 * its region from the front; when its region is empty it takes the last block of the largest region
 * left. Threads thus fill the caches of their own keys and meet where the work balances.
 */
class BlockScheduler {
  private readonly lo: number[];
  private readonly hi: number[];
  constructor(
    private readonly order: Int32Array,
    private readonly size: number,
    threads: number,
  ) {
    const nBlocks = Math.ceil(order.length / size);
    this.lo = Array.from({ length: threads }, (_, t) => Math.floor((t * nBlocks) / threads));
    this.hi = Array.from({ length: threads }, (_, t) => Math.floor(((t + 1) * nBlocks) / threads));
  }
  next(t: number): Int32Array | null {
    let b: number;
    if (this.lo[t] < this.hi[t]) b = this.lo[t]++;
    else {
      let best = -1;
      for (let k = 0; k < this.lo.length; k++) {
        if (this.hi[k] - this.lo[k] > (best < 0 ? 0 : this.hi[best] - this.lo[best])) best = k;
      }
      if (best < 0) return null;
      b = --this.hi[best];
    }
    return this.order.subarray(b * this.size, Math.min((b + 1) * this.size, this.order.length));
  }
}

/** Idle workers kept between analyses (their compiled code stays warm); unref'd while idle. */
const idle: Worker[] = [];

async function checkoutWorker(): Promise<Worker> {
  const w = idle.pop();
  if (w) {
    w.ref();
    return w;
  }
  const bundle = await workerBundle();
  const marker = { kind: 'cityindex-uncertainty-worker' };
  return bundle
    ? new Worker(new URL(bundle), { workerData: marker })
    : new Worker(
        `import(${JSON.stringify(tsxApiUrl())}).then((m) => { (m.register ?? m.default.register)(); ` +
          `return import(${JSON.stringify(import.meta.url)}); });`,
        { eval: true, workerData: marker },
      );
}

function checkinWorker(w: Worker): void {
  w.removeAllListeners('message');
  w.removeAllListeners('error');
  w.removeAllListeners('exit');
  w.on('error', () => {
    const k = idle.indexOf(w);
    if (k >= 0) idle.splice(k, 1);
  });
  w.on('exit', () => {
    const k = idle.indexOf(w);
    if (k >= 0) idle.splice(k, 1);
  });
  w.unref();
  idle.push(w);
}

/**
 * Stop the idle worker threads kept between analyses (they are unref'd and never keep a process alive;
 * this is for tidy shutdowns and tests).
 * @example
 * const stopped = await stopUncertaintyWorkers();
 * stopped // => undefined
 */
export async function stopUncertaintyWorkers(): Promise<void> {
  const all = idle.splice(0);
  await Promise.all(all.map((w) => w.terminate()));
}

/** Run one analysis on a worker: it takes blocks from the scheduler until none is left. */
async function runOnWorker(
  job: WorkerJob,
  t: number,
  scheduler: BlockScheduler,
  onBlock: (t: number, runs: number) => void,
): Promise<ChunkResult[]> {
  const worker = await checkoutWorker();
  const chunks: ChunkResult[] = [];
  const send = (): boolean => {
    const runs = scheduler.next(t);
    worker.postMessage((runs ? { type: 'runs', runs: runs.slice() } : { type: 'end' }) satisfies MainMessage);
    return runs !== null;
  };
  return new Promise<ChunkResult[]>((resolve, reject) => {
    const fail = (e: Error): void => {
      void worker.terminate();
      reject(e);
    };
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'ready') {
        if (!send()) {
          checkinWorker(worker);
          resolve(chunks);
        }
      } else if (m.type === 'block') {
        chunks.push(m.chunk);
        onBlock(t, m.chunk.runs.length);
        if (!send()) {
          checkinWorker(worker);
          resolve(chunks);
        }
      } else fail(new Error(m.message));
    });
    worker.on('error', fail);
    worker.on('exit', (c) => reject(new Error(`uncertainty worker stopped with exit code ${c}`)));
    worker.postMessage({ type: 'job', job } satisfies MainMessage);
  });
}

/**
 * Run an analysis over worker threads; same result, bit for bit, as `runAnalysis` in one thread.
 * @example
 * const winmax = { name: 'winmax', step: 'treat', path: ['options', 'winmax'], values: [1, 5] };
 * const inputs = [{ ...winmax, kind: 'alternatives' as const }];
 * const r = await runAnalysisParallel(asem.input, asem.spec, { N: 20, seed: 1, inputs }, { threads: 2 });
 * r.rankStats.length // => 51 (one per unit)
 */
export async function runAnalysisParallel(
  input: BuildInput,
  spec: BuildSpec,
  options: AnalysisOptions,
  parallel: ParallelOptions = {},
): Promise<AnalysisResult> {
  const { plan, resolved } = planAnalysis(input, spec, options);
  const nominal = nominalOf(parallel.nominal ?? runBuild(input, spec));
  const total = plan.nRuns;
  const threads = Math.max(1, Math.min(parallel.threads ?? availableParallelism(), total));
  const report = parallel.onProgress;
  const runner = createRunner(input, spec, resolved, { seed: plan.seed });
  const order = runOrder(runner, plan);
  if (threads === 1 || total * nominal.units.length < (parallel.minWorkForWorkers ?? 2_000_000)) {
    const chunk = runChunk(runner, plan, nominal, order, report ? (k) => report(k, total) : undefined);
    return assembleAnalysis(plan, resolved, nominal, [chunk]);
  }
  // blocks of the key order: each thread starts on its own region (its own cache keys) and then
  // helps the others; this thread works too, yielding between blocks to serve the workers
  let done = 0;
  const onBlock = (_t: number, runs: number): void => {
    done += runs;
    if (report) report(done, total);
  };
  const size = Math.max(64, Math.ceil(total / (threads * 16)));
  const scheduler = new BlockScheduler(order, size, threads);
  await workerBundle();
  const job: WorkerJob = { input, spec, plan, nominal };
  const jobs: Array<Promise<ChunkResult[]>> = [];
  for (let t = 1; t < threads; t++) jobs.push(runOnWorker(job, t, scheduler, onBlock));
  // keep a failing worker from becoming an unhandled rejection while this thread is busy
  jobs.forEach((j) => j.catch(() => undefined));
  const chunks: ChunkResult[] = [];
  for (let runs = scheduler.next(0); runs; runs = scheduler.next(0)) {
    chunks.push(runChunk(runner, plan, nominal, runs));
    onBlock(0, runs.length);
    await new Promise<void>((r) => setImmediate(r));
  }
  for (const c of await Promise.all(jobs)) chunks.push(...c);
  return assembleAnalysis(plan, resolved, nominal, chunks);
}

/**
 * Run an analysis of a loaded project and its build (the Node host's uncertainty runner, used by the
 * `runProject` use case for `cityindex analyse` and the report's rank intervals).
 * @example
 * import { loadProject } from '../formats/index.ts';
 * const p = await loadProject('examples/asem');
 * const winmax = { name: 'winmax', step: 'treat', path: ['options', 'winmax'], values: [1, 5] };
 * const inputs = [{ ...winmax, kind: 'alternatives' as const }];
 * const r = await analyseProject(p, asem.build, { N: 20, seed: 1, inputs });
 * r.rankStats[0].unit // => 'AUS'
 */
export function analyseProject(
  project: LoadedProject,
  nominal: Build,
  options: AnalysisOptions,
  parallel: Omit<ParallelOptions, 'nominal'> = {},
): Promise<AnalysisResult> {
  return runAnalysisParallel(project.input, nominal.spec, options, { ...parallel, nominal });
}

// ------------------------------------------------------------------ worker side
if (!isMainThread && (workerData as { kind?: string } | undefined)?.kind === 'cityindex-uncertainty-worker') {
  const port = parentPort!;
  let current: { job: WorkerJob; runner: Runner } | null = null;
  const fail = (e: unknown): void => {
    const message = e instanceof Error ? e.message : String(e);
    port.postMessage({ type: 'error', message } satisfies WorkerMessage);
  };
  port.on('message', (m: MainMessage) => {
    try {
      if (m.type === 'job') {
        const { job } = m;
        const resolved = resolveInputs(job.plan.inputs, job.spec, job.input.framework);
        current = { job, runner: createRunner(job.input, job.spec, resolved, { seed: job.plan.seed }) };
        port.postMessage({ type: 'ready' } satisfies WorkerMessage);
      } else if (m.type === 'runs') {
        if (!current) throw new Error('uncertainty worker: runs before a job');
        const chunk = runChunk(current.runner, current.job.plan, current.job.nominal, m.runs);
        const scores = chunk.scores ? [chunk.scores.buffer] : [];
        const buffers = [chunk.runs.buffer, chunk.y.buffer, chunk.ranks.buffer, ...scores];
        const transfer = buffers as ArrayBuffer[];
        port.postMessage({ type: 'block', chunk } satisfies WorkerMessage, transfer);
      } else {
        current = null;
      }
    } catch (e) {
      fail(e);
    }
  });
}
