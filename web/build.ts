/**
 * Build the dashboard's assets with Vite into web/dist/ (run by `npm run build:web`, and by `prepare`):
 * - assets/app.js + app.css: the page (React, i18next, ECharts parts), one classic script (IIFE), so the
 *   exported site also runs opened from files (browsers refuse module scripts from file://);
 * - assets/engine.js: the engine worker (web/src/worker.ts, the real engine) as a string assigned to
 *   `globalThis.__CITYINDEX_WORKER_SRC__`; the page starts the worker from a Blob (works from files too);
 * - assets/workbench.js + workbench.css: the workbench (web/src/workbench/), loaded only when opened;
 * - index.html.
 * Data (data/site-data.js, data/china-map.js) and downloads are written per project by `export-site`.
 */
import { build, type InlineConfig } from 'vite';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, 'dist');

function config(entry: string, fileName: string, outDir: string, cssFileName = 'app'): InlineConfig {
  return {
    root: here,
    configFile: false,
    logLevel: 'warn',
    publicDir: false,
    define: { 'process.env.NODE_ENV': JSON.stringify('production') },
    // production JSX even when built inside a test run (NODE_ENV=test would pick the dev runtime, jsxDEV)
    oxc: { jsx: { runtime: 'automatic', development: false } },
    build: {
      outDir,
      emptyOutDir: false,
      minify: true,
      sourcemap: false,
      reportCompressedSize: false,
      lib: {
        entry: join(here, entry),
        formats: ['iife'],
        name: 'CityIndex',
        fileName: () => fileName,
        cssFileName,
      },
    },
  };
}

/** Build everything into web/dist (replaced whole). */
export async function buildWeb(): Promise<void> {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(join(out, 'assets'), { recursive: true });
  await build(config('src/main.tsx', 'app.js', join(out, 'assets')));
  await build(config('src/charts-entry.ts', 'charts.js', join(out, 'assets')));
  // the authors' and officers' workbench: its own script and styles, loaded only at #/workbench
  await build(config('src/workbench/entry.tsx', 'workbench.js', join(out, 'assets'), 'workbench'));
  const tmp = join(out, '.worker');
  await build(config('src/worker.ts', 'worker.js', tmp));
  const source = readFileSync(join(tmp, 'worker.js'), 'utf8');
  const wrapped = `globalThis.__CITYINDEX_WORKER_SRC__ = ${JSON.stringify(source).replace(/</g, '\\u003c')};\n`;
  writeFileSync(join(out, 'assets', 'engine.js'), wrapped);
  rmSync(tmp, { recursive: true, force: true });
  copyFileSync(join(here, 'index.html'), join(out, 'index.html'));
  writeFileSync(join(out, '.stamp'), '');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildWeb();
  process.stdout.write(`dashboard assets written to ${out}\n`);
}
