/**
 * The store commands in process (SQLite in a copy of examples/asem): db migrate, db import, user add,
 * audit verify, export; and their located errors (export before import, a bad port, a weak password).
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { run } from '../../src/cli/main.ts';

describe('store commands', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'cityindex-cli-store-'));
  const project = join(tmp, 'asem');
  let stderr = '';
  let stdout = '';
  beforeAll(() => {
    cpSync('examples/asem', project, { recursive: true });
    vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((stderr += String(s)), true));
    vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((stdout += String(s)), true));
  });
  afterEach(() => {
    stderr = '';
    stdout = '';
  });
  afterAll(() => {
    vi.restoreAllMocks();
    delete process.env.CITYINDEX_PASSWORD;
    rmSync(tmp, { recursive: true, force: true });
  });

  it('db migrate creates the SQLite store in the project, then finds it up to date', async () => {
    expect(await run(['db', 'migrate', project])).toBe(0);
    expect(stdout).toMatch(/applied 0001_initial/);
    expect(existsSync(join(project, '.cityindex', 'store.db'))).toBe(true);
    stdout = '';
    expect(await run(['db', 'migrate', project])).toBe(0);
    expect(stdout).toMatch(/up to date/);
  });

  it('a missing project folder is a located error and nothing is created', async () => {
    expect(await run(['db', 'import', join(tmp, 'nowhere')])).toBe(1);
    expect(await run(['db', 'migrate', join(tmp, 'nowhere')])).toBe(1);
    expect(stderr.match(/E_PROJECT_NOT_FOUND/g)).toHaveLength(2);
    expect(existsSync(join(tmp, 'nowhere'))).toBe(false);
  });

  it('export before import is a located error', async () => {
    expect(await run(['export', project, '--out', join(tmp, 'none')])).toBe(1);
    expect(stderr).toMatch(/E_NOT_IMPORTED/);
    expect(existsSync(join(tmp, 'none'))).toBe(false);
  });

  it('import, first admin, audit verify and export', async () => {
    expect(await run(['db', 'import', project])).toBe(0);
    process.env.CITYINDEX_PASSWORD = 'short';
    expect(await run(['user', 'add', project, '--username', 'admin', '--role', 'admin'])).toBe(1);
    expect(stderr).toMatch(/E_PASSWORD_POLICY/);
    process.env.CITYINDEX_PASSWORD = 'a long enough password';
    expect(await run(['user', 'add', project, '--username', 'admin', '--role', 'admin'])).toBe(0);
    expect(await run(['user', 'add', project, '--username', 'aut', '--role', 'city', '--city', 'AUT'])).toBe(0);
    expect(stdout).toMatch(/added aut \(city: AUT\)/);
    expect(await run(['audit', 'verify', project])).toBe(0);
    expect(stdout).toMatch(/audit log intact: 3 rows/);
    const out = join(tmp, 'exported');
    expect(await run(['export', project, '--out', out])).toBe(0);
    for (const f of ['project.yaml', 'ASEM_iData.csv', 'ASEM_iMeta.csv']) {
      expect(readFileSync(join(out, f))).toEqual(readFileSync(join('examples/asem', f)));
    }
    expect(existsSync(join(out, '.cityindex'))).toBe(false);
  }, 60_000);

  it('serve refuses a bad port before opening anything', async () => {
    expect(await run(['serve', project, '--port', 'http'])).toBe(1);
    expect(stderr).toMatch(/E_PORT/);
  });
});
