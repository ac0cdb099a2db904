/**
 * The `cityindex` launcher: runs the compiled CLI (dist/, built by `npm install`) when it is up to
 * date with src/, else the TypeScript sources through tsx; both answer the same.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

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

  it.runIf(existsSync('dist/cli-bundle/main.js'))(
    'the bundled CLI (dist/cli-bundle) validates a project, builds it as dist/cli does and finds web/dist',
    () => {
      const v = run(['dist/cli-bundle/main.js', 'validate', 'examples/asem']);
      expect(v.status, v.stderr).toBe(0);
      expect(v.stdout + v.stderr).toContain('51 units, 49 indicators');
      const out = mkdtempSync(join(tmpdir(), 'cityindex-launcher-'));
      try {
        const args = (cli: string, dir: string) => [cli, 'build', 'examples/asem', '--no-analyses', '--out', dir];
        const a = run(args('dist/cli-bundle/main.js', join(out, 'a')));
        const b = run(args('dist/cli/main.js', join(out, 'b')));
        expect(a.status, a.stderr).toBe(0);
        expect(b.status, b.stderr).toBe(0);
        for (const f of ['results.csv', 'results.xlsx']) {
          expect(readFileSync(join(out, 'a', f)).equals(readFileSync(join(out, 'b', f))), f).toBe(true);
        }
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
      // the chunks sit in dist/cli-bundle/: export-site must still find the package's web/dist
      const h = run(['dist/cli-bundle/main.js', 'export-site', 'no-such-project', '--out', join(tmpdir(), 'x')]);
      expect(h.stdout + h.stderr).not.toMatch(/web[\\/]dist/);
      expect(h.status).toBe(1);
    },
    120_000,
  );

  it.runIf(existsSync('dist/app/uncertainty-workers.js'))(
    'compiled uncertainty workers (started on the dist/ file itself) give the one-thread result',
    async () => {
      const url = pathToFileURL(resolve('dist/app/uncertainty-workers.js')).href;
      const w = (await import(url)) as typeof import('../../src/app/uncertainty-workers.ts');
      const { loadProject } = (await import(
        pathToFileURL(resolve('dist/formats/project.js')).href
      )) as typeof import('../../src/formats/project.ts');
      const p = await loadProject('examples/asem');
      const winmax = { name: 'winmax', step: 'treat', path: ['options', 'winmax'], values: [1, 5] };
      const options = { N: 200, seed: 3, inputs: [{ ...winmax, kind: 'alternatives' as const }] };
      try {
        const two = await w.runAnalysisParallel(p.input, p.spec, options, { threads: 2, minWorkForWorkers: 0 });
        const one = await w.runAnalysisParallel(p.input, p.spec, options, { threads: 1 });
        expect(two.rankStats).toEqual(one.rankStats);
      } finally {
        await w.stopUncertaintyWorkers();
      }
    },
    120_000,
  );
});
