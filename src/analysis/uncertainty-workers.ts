/**
 * Node: spread the runs of an uncertainty/sensitivity analysis over `worker_threads`.
 * The sample is drawn once in the main thread; runs are split into contiguous chunks, each worker
 * compiles its own replication kernel and runs its chunk, and the chunks are put together in run order,
 * so the result is bit-identical to `runAnalysis` in one thread whatever the number of threads.
 * Workers load this same TypeScript file through tsx's loader API.
 */
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { SingleBar, Presets } from 'cli-progress';
import type { LoadedProject } from '../io/project.ts';
import { build as runBuild, type Build, type BuildInput } from '../engine/build/build.ts';
import type { BuildSpec } from '../engine/build/spec.ts';
import { resolveInputs } from '../engine/analysis/uncertainty/inputs.ts';
import { createRunner } from '../engine/analysis/uncertainty/runner.ts';
import {
  assembleAnalysis, nominalOf, planAnalysis, runChunk, runOrder,
  type AnalysisOptions, type AnalysisPlan, type AnalysisResult, type ChunkResult, type Nominal,
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
  kind: 'cityindex-uncertainty';
  input: BuildInput;
  spec: BuildSpec;
  plan: AnalysisPlan;
  nominal: Nominal;
  /** The runs this worker does. */
  runs: Int32Array;
}

type WorkerMessage = { type: 'progress'; done: number } | { type: 'done'; chunk: ChunkResult } | { type: 'error'; message: string };

function tsxApiUrl(): string {
  // require.resolve gives the CommonJS build (index.cjs); workers need the ESM one beside it
  const cjs = createRequire(import.meta.url).resolve('tsx/esm/api');
  return pathToFileURL(cjs.replace(/\.cjs$/, '.mjs')).href;
}

let bundled: Promise<string | null> | undefined;

/**
 * This module bundled by esbuild (a dependency of tsx) into one ES module, as a `data:` URL: a worker
 * then starts in ~0.2 s instead of ~2 s of transpiling every file through tsx. Built once per process;
 * null if esbuild is not available (workers then load the TypeScript through tsx).
 */
function workerBundle(): Promise<string | null> {
  bundled ??= (async () => {
    try {
      const esbuild = await import('esbuild');
      const self = fileURLToPath(import.meta.url);
      const r = await esbuild.build({
        entryPoints: [self], bundle: true, platform: 'node', format: 'esm', target: 'node20', write: false, minify: true, logLevel: 'silent',
        // CommonJS dependencies call require(): give the bundle one
        banner: { js: `import { createRequire as __cityindexRequire } from 'node:module'; const require = __cityindexRequire(${JSON.stringify(self)});` },
      });
      return 'data:text/javascript;base64,' + Buffer.from(r.outputFiles[0].text).toString('base64');
    } catch {
      return null;
    }
  })();
  return bundled;
}

async function startWorker(job: WorkerJob, onProgress: (done: number) => void): Promise<ChunkResult> {
  const bundle = await workerBundle();
  const worker = bundle
    ? new Worker(new URL(bundle), { workerData: job })
    : new Worker(`import(${JSON.stringify(tsxApiUrl())}).then((m) => { (m.register ?? m.default.register)(); return import(${JSON.stringify(import.meta.url)}); });`, { eval: true, workerData: job });
  return new Promise<ChunkResult>((resolve, reject) => {
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'progress') onProgress(m.done);
      else if (m.type === 'done') { resolve(m.chunk); void worker.terminate(); }
      else { reject(new Error(m.message)); void worker.terminate(); }
    });
    worker.on('error', reject);
    worker.on('exit', (c) => { if (c !== 0) reject(new Error(`uncertainty worker stopped with exit code ${c}`)); });
  });
}

/**
 * Run an analysis over worker threads; same result, bit for bit, as `runAnalysis` in one thread.
 * @example const r = await runAnalysisParallel(input, spec, { N: 10000, inputs }, { threads: 2 }); r.rankStats.length // => units
 */
export async function runAnalysisParallel(input: BuildInput, spec: BuildSpec, options: AnalysisOptions, parallel: ParallelOptions = {}): Promise<AnalysisResult> {
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
  // contiguous slices of the key order (each thread fills only the caches of its own keys);
  // this thread runs the first slice while threads − 1 workers run the others
  const done = new Array<number>(threads).fill(0);
  const progress = (t: number) => (k: number): void => {
    done[t] = k;
    if (report) report(done.reduce((a, b) => a + b, 0), total);
  };
  const slice = (t: number): Int32Array => order.slice(Math.floor((t * total) / threads), Math.floor(((t + 1) * total) / threads));
  await workerBundle();
  const jobs: Array<Promise<ChunkResult>> = [];
  for (let t = 1; t < threads; t++) {
    jobs.push(startWorker({ kind: 'cityindex-uncertainty', input, spec, plan, nominal, runs: slice(t) }, progress(t)));
  }
  // keep a failing worker from becoming an unhandled rejection while this thread is busy
  jobs.forEach((j) => j.catch(() => undefined));
  const first = runChunk(runner, plan, nominal, slice(0), progress(0));
  const chunks = [first, ...(await Promise.all(jobs))];
  return assembleAnalysis(plan, resolved, nominal, chunks);
}

/**
 * Run an analysis of a loaded project and its build (the entry point for `cityindex analyse` and
 * the report's rank intervals).
 * @example
 * const p = await loadProject('examples/asem');
 * const r = await analyseProject(p, build(p.input, p.spec), { N: 1000, inputs });
 * r.rankStats[0] // => { unit: 'AUS', nominal: …, mean: …, median: …, q5: …, q95: …, runs: 1000 }
 */
export function analyseProject(project: LoadedProject, nominal: Build, options: AnalysisOptions, parallel: Omit<ParallelOptions, 'nominal'> = {}): Promise<AnalysisResult> {
  return runAnalysisParallel(project.input, nominal.spec, options, { ...parallel, nominal });
}

/**
 * A terminal progress bar (cli-progress) as an `onProgress` callback; call `stop()` at the end.
 * @example const bar = progressBar('uncertainty'); await analyseProject(p, b, o, { onProgress: bar.update }); bar.stop();
 */
export function progressBar(label = 'runs', stream: NodeJS.WritableStream = process.stderr): { update: (done: number, total: number) => void; stop: () => void } {
  const bar = new SingleBar({ format: `${label} [{bar}] {percentage}% | {value}/{total} runs | ETA {eta_formatted}`, stream, hideCursor: true, clearOnComplete: false }, Presets.shades_classic);
  let started = false;
  return {
    update: (done, total) => {
      if (!started) { bar.start(total, 0); started = true; }
      bar.update(done);
    },
    stop: () => { if (started) bar.stop(); },
  };
}

// ------------------------------------------------------------------ worker side
if (!isMainThread && (workerData as WorkerJob | undefined)?.kind === 'cityindex-uncertainty') {
  const job = workerData as WorkerJob;
  const port = parentPort!;
  try {
    const resolved = resolveInputs(job.plan.inputs, job.spec, job.input.framework);
    const runner = createRunner(job.input, job.spec, resolved, { seed: job.plan.seed });
    const chunk = runChunk(runner, job.plan, job.nominal, job.runs, (done) => port.postMessage({ type: 'progress', done } satisfies WorkerMessage));
    const transfer = [chunk.runs.buffer, chunk.y.buffer, chunk.ranks.buffer, ...(chunk.scores ? [chunk.scores.buffer] : [])] as ArrayBuffer[];
    port.postMessage({ type: 'done', chunk } satisfies WorkerMessage, transfer);
  } catch (e) {
    port.postMessage({ type: 'error', message: e instanceof Error ? e.message : String(e) } satisfies WorkerMessage);
  }
}
