/**
 * The `cityindex` launcher: runs the compiled CLI (dist/, built by `npm install`) when it is up to
 * date with src/, else the TypeScript sources through tsx; both answer the same.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

const run = (args: string[]) => spawnSync(process.execPath, args, { encoding: 'utf8' });
const version = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;

describe('launcher', () => {
  it('bin/cityindex.js prints the version', () => {
    const r = run(['bin/cityindex.js', '--version']);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(version);
  }, 60_000);

  it.runIf(existsSync('dist/cli/main.js'))(
    'the compiled CLI validates a project',
    () => {
      const r = run(['dist/cli/main.js', 'validate', 'examples/asem']);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout + r.stderr).toContain('51 units, 49 indicators');
    },
    60_000,
  );
});
