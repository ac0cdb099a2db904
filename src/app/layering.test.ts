/**
 * Guards of the application layer's shape: the use cases that the server and the browser will share
 * import no Node API and no Node-only module of their own (those are reached through the host, loaded
 * on demand); the CLI reaches projects, builds and analyses only through the use cases.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const NODE_ONLY = new Set(['node-host.ts', 'uncertainty-workers.ts']);
const imports = (file: string): string[] =>
  [...readFileSync(file, 'utf8').matchAll(/^import\s[^;]*?from\s+'([^']+)'/gms)].map((m) => m[1]);
const sources = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => join(dir, f));

describe('application layer', () => {
  it('shared use cases import no node: module and no Node-only app module', () => {
    const shared = sources('src/app').filter((f) => !NODE_ONLY.has(f.slice('src/app/'.length)));
    expect(shared.length).toBeGreaterThan(5);
    for (const file of shared) {
      for (const spec of imports(file)) {
        expect(spec.startsWith('node:'), `${file} imports ${spec}`).toBe(false);
        expect(
          [...NODE_ONLY].some((n) => spec.endsWith(`/${n}`)),
          `${file} imports ${spec}`,
        ).toBe(false);
      }
    }
  });

  it('CLI commands reach projects, builds and analyses only through src/app', () => {
    const forbidden = ['formats/project.ts', 'engine/pipeline/', 'engine/analysis/', 'report/'];
    for (const file of sources('src/cli')) {
      for (const spec of imports(file)) {
        expect(
          forbidden.some((f) => spec.includes(f)),
          `${file} imports ${spec}`,
        ).toBe(false);
      }
    }
  });
});
