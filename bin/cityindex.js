#!/usr/bin/env node
// Launcher: runs the compiled CLI (dist/, built by `npm install` through the `prepare` script) when it
// is up to date with src/ — its esbuild bundle (dist/cli-bundle/, a few files instead of hundreds of
// modules) when there is one, else the module tree dist/cli/ — otherwise the TypeScript sources through
// tsx (development, or no build yet).
import { spawn } from 'node:child_process';
import { constants as osConstants } from 'node:os';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const stamp = join(root, 'dist', '.stamp');

/** Newest modification time of the TypeScript sources under `dir`. */
function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newest(p));
    else if (e.name.endsWith('.ts')) t = Math.max(t, statSync(p).mtimeMs);
  }
  return t;
}

const compiled = existsSync(stamp) && statSync(stamp).mtimeMs >= newest(join(root, 'src'));
if (compiled) {
  const bundle = join(root, 'dist', 'cli-bundle', 'main.js');
  process.argv[1] = existsSync(bundle) ? bundle : join(root, 'dist', 'cli', 'main.js');
  await import(pathToFileURL(process.argv[1]).href);
} else {
  const tsx = pathToFileURL(join(root, 'node_modules', 'tsx', 'dist', 'esm', 'index.mjs')).href;
  const main = join(root, 'src', 'cli', 'main.ts');
  const child = spawn(process.execPath, ['--import', tsx, main, ...process.argv.slice(2)], { stdio: 'inherit' });
  // a signal sent to the launcher alone (`kill`, a supervisor, a test's teardown) reaches the command too,
  // so a `serve` started through the launcher never outlives it
  for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 + (osConstants.signals[signal] ?? 0) : 2)));
}
