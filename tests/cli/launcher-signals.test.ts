/**
 * The launcher (bin/cityindex.js) without a fresh build runs the sources in a child process; a signal sent
 * to the launcher alone (a supervisor's or a test's SIGTERM) must end that child too, or a `serve` would
 * outlive it. Checked with a stand-in command in a scratch package (no dist/, a fake tsx loader).
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'ci-launcher-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('launcher', () => {
  it('passes SIGTERM on to the command it runs from the sources', async () => {
    mkdirSync(join(dir, 'bin'));
    mkdirSync(join(dir, 'src', 'cli'), { recursive: true });
    mkdirSync(join(dir, 'node_modules', 'tsx', 'dist', 'esm'), { recursive: true });
    copyFileSync('bin/cityindex.js', join(dir, 'bin', 'cityindex.js'));
    writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
    // a stand-in for tsx: a loader hook that runs .ts files as plain JavaScript modules
    const esm = join(dir, 'node_modules', 'tsx', 'dist', 'esm');
    writeFileSync(
      join(esm, 'index.mjs'),
      "import { register } from 'node:module';\nregister('./hooks.mjs', import.meta.url);\n",
    );
    writeFileSync(
      join(esm, 'hooks.mjs'),
      'export const load = (url, context, next) =>\n' +
        "  next(url, url.endsWith('.ts') ? { ...context, format: 'module' } : context);\n",
    );
    // the stand-in command: writes its pid and waits
    const pidFile = join(dir, 'child.pid');
    writeFileSync(
      join(dir, 'src', 'cli', 'main.ts'),
      `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(pidFile)}, String(process.pid));\n` +
        'setInterval(() => {}, 1000);\n',
    );
    const launcher = spawn(process.execPath, [join(dir, 'bin', 'cityindex.js'), 'serve'], { stdio: 'ignore' });
    const deadline = Date.now() + 30_000;
    while (!existsSync(pidFile) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const child = Number(readFileSync(pidFile, 'utf8'));
    expect(alive(child)).toBe(true);
    const exited = new Promise<number | null>((done) => launcher.once('exit', (code) => done(code)));
    launcher.kill('SIGTERM');
    const code = await exited;
    expect(code).toBe(128 + 15);
    const until = Date.now() + 10_000;
    while (alive(child) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    expect(alive(child)).toBe(false);
  }, 60_000);
});
