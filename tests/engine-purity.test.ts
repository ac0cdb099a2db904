/**
 * The engine is pure and browser-safe: bundling it for the browser must succeed with no Node built-in
 * (esbuild fails on `fs`, `node:*` … for platform "browser"), and no source file may use the clock,
 * Math.random or process.
 */
import { describe, expect, it } from 'vitest';
import { build } from 'esbuild';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

function engineFiles(dir = 'src/engine'): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return engineFiles(p);
    return p.endsWith('.ts') && !p.endsWith('.test.ts') ? [p] : [];
  });
}

describe('engine purity', () => {
  it('bundles for the browser with every Node built-in forbidden', async () => {
    const result = await build({
      entryPoints: ['src/engine/index.ts'],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      logLevel: 'silent',
      plugins: [
        {
          name: 'forbid-node',
          setup(b) {
            b.onResolve(
              { filter: /^(node:|fs$|path$|os$|crypto$|child_process$|worker_threads$|url$|stream$|util$)/ },
              (a) => ({ errors: [{ text: `engine imports Node built-in "${a.path}" from ${a.importer}` }] }),
            );
          },
        },
      ],
    });
    expect(result.errors).toEqual([]);
    expect(result.outputFiles[0].text.length).toBeGreaterThan(1000);
  });

  it('uses no clock, Math.random or process in engine sources', () => {
    const offenders = engineFiles().filter((f) =>
      /Math\.random\(|Date\.now\(|new Date\(|performance\.now\(|\bprocess\.|\brequire\(/.test(
        readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, ''),
      ),
    );
    expect(offenders).toEqual([]);
  });
});
