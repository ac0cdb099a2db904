/**
 * The committed simulated example files are what their generators produce (same seed, same bytes):
 * a generator changed without re-running it would otherwise leave stale files that no test reads.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const GENERATORS = ['examples/cdgi-2020/surveys/generate-responses.ts', 'examples/series-demo/generate.ts'];

describe('generated example files', () => {
  for (const script of GENERATORS) {
    it(`${script} --check`, () => {
      const r = spawnSync(process.execPath, ['--import', 'tsx', script, '--check'], { encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
    }, 120_000);
  }
});
