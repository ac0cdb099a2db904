/**
 * Platform (issue 12): (1) the public results endpoint of a published edition (cached), hit by autocannon
 * with 100 connections for 10 s from this process while the server runs in its own process on the same
 * machine — target ≥ 5 000 requests/s with p99 < 20 ms; (2) a build from the store of
 * bench/scale-333x200 (load the stored project with its values + build) against the build from its
 * files (load the folder + build), same use case — target within 2×.
 * `npm run bench -- --only platform`.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { runProject } from '../src/app/project.ts';
import { buildEdition, buildStoredProject } from '../src/store/edition.ts';
import { importProjectFolder } from '../src/store/project-io.ts';
import { systemPrincipal } from '../src/store/principal.ts';
import { Store } from '../src/store/store.ts';
import { timeMedian, type BenchRow } from './harness.ts';

const CLI = systemPrincipal('bench');

/** Start bench/platform-server.ts on a store file; resolves with its base URL and a stop function. */
function startServer(file: string): Promise<{ base: string; stop: () => void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'platform-server.ts'), file], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += String(d);
      const m = /READY (\d+)/.exec(out);
      if (m) resolve({ base: `http://127.0.0.1:${m[1]}`, stop: () => child.kill('SIGTERM') });
    });
    child.on('exit', (code) => reject(new Error(`bench server exited (${code})`)));
  });
}

async function resultsEndpoint(dir: string): Promise<BenchRow> {
  const file = join(dir, 'results.db');
  const store = await Store.open({ sqliteFile: file });
  const project = await importProjectFolder(store, CLI, 'examples/cdgi-2020');
  const edition = await buildEdition(store, CLI, project, 'bench');
  await store.publishEdition(CLI, edition.id);
  await store.close();
  const server = await startServer(file);
  try {
    const url = `${server.base}/api/editions/${edition.id}/results.json`;
    await autocannon({ url, connections: 10, duration: 2 }); // warm-up (fills the cache, JIT)
    const r = await autocannon({ url, connections: 100, duration: 10 });
    const rps = r.requests.average;
    const p99 = r.latency.p99;
    const ok = r.non2xx === 0 && r.errors === 0;
    return {
      name: 'platform: published results endpoint (cached), 100 connections',
      seconds: 1 / rps,
      target: '≥ 5 000 req/s, p99 < 20 ms',
      pass: ok && rps >= 5000 && p99 < 20,
      notes:
        `${Math.round(rps)} req/s, p99 ${p99} ms, p50 ${r.latency.p50} ms, ` +
        `${r.non2xx} non-2xx, ${r.errors} errors`,
    };
  } finally {
    server.stop();
  }
}

async function storeBuild(dir: string): Promise<BenchRow[]> {
  const store = await Store.open({ sqliteFile: join(dir, 'scale.db') });
  try {
    const project = await importProjectFolder(store, CLI, 'bench/scale-333x200');
    const fromFiles = await timeMedian(() => runProject('bench/scale-333x200', { analyses: false }), 5, 1);
    const fromStore = await timeMedian(() => buildStoredProject(store, CLI, project), 5, 1);
    return [
      { name: 'platform: build scale-333x200 from files (load + build)', seconds: fromFiles },
      {
        name: 'platform: build scale-333x200 from the store (load + build)',
        seconds: fromStore,
        reference: fromFiles,
        referenceLabel: 'from files',
        target: '≤ 2× the build from files',
        pass: fromStore <= 2 * fromFiles,
        notes: `${(fromStore / fromFiles).toFixed(2)}× the build from files`,
      },
    ];
  } finally {
    await store.close();
  }
}

/** Both platform benches. */
export async function benchPlatform(): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'cityindex-bench-platform-'));
  try {
    return [await resultsEndpoint(dir), ...(await storeBuild(dir))];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
