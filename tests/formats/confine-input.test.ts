/**
 * No internal error on hostile or wrong-typed input (issue 10, item 3): a "billion laughs" YAML file,
 * YAML nested thousands deep and wrong-typed `report:` settings give a located error and exit 1 —
 * never exit 2, a stack trace or a hang — in project.yaml and framework.yaml alike.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CityIndexError, type Issue } from '../../src/engine/core/errors.ts';
import { loadProject } from '../../src/formats/project.ts';
import { assembleProject } from '../../src/formats/assemble.ts';
import { memoryProjectFiles } from '../../src/formats/project-files.ts';
import { run } from '../../src/cli/main.ts';
import { baseFiles, writeProject, type Files } from './fixture.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Nine aliases of nine aliases … : 9^7 ≈ 4.8 million strings from a 1 kB file. */
const LAUGHS =
  'lol0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n' +
  Array.from({ length: 7 }, (_, k) => `lol${k + 1}: &a${k + 1} [${Array(9).fill(`*a${k}`).join(', ')}]\n`).join('');

const DEEP_FLOW = (n: number) => `deep: ${'['.repeat(n)}1${']'.repeat(n)}\n`;
const DEEP_BLOCK = (n: number) =>
  'deep:\n' + Array.from({ length: n }, (_, k) => `${'  '.repeat(k + 1)}k${k}:`).join('\n') + ' 1\n';

async function issuesOf(p: Promise<unknown>): Promise<Issue[]> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  if (!(e instanceof CityIndexError)) throw new Error(`expected a CityIndexError, got ${String(e)}`);
  return e.issues;
}

/** Build the project in-process through the CLI; the exit code and stderr. */
async function cli(dir: string, formats = 'csv'): Promise<{ code: number; stderr: string; out: string }> {
  const out = join(dir, 'out');
  const write = process.stderr.write;
  let stderr = '';
  process.stderr.write = ((s: string | Uint8Array) => {
    stderr += String(s);
    return true;
  }) as typeof process.stderr.write;
  try {
    return { code: await run(['build', dir, '--out', out, '--format', formats]), stderr, out };
  } finally {
    process.stderr.write = write;
  }
}

/** The project with `change`, on disk and in memory: the same issues both ways, and the CLI exits 1. */
async function refused(change: (f: Files) => void): Promise<Issue[]> {
  const dir = writeProject(change);
  dirs.push(dir);
  const disk = await issuesOf(loadProject(dir));
  const files: Files = baseFiles();
  change(files);
  expect(await issuesOf(assembleProject(memoryProjectFiles(files)))).toEqual(disk);
  const { code, stderr, out } = await cli(dir);
  expect(code).toBe(1);
  expect(stderr).not.toMatch(/internal error|\n\s+at |Maximum call stack/);
  expect(existsSync(out)).toBe(false);
  return disk;
}

describe('hostile YAML', () => {
  for (const file of ['project.yaml', 'framework.yaml']) {
    it(`a billion-laughs ${file} is refused at its first alias, quickly`, async () => {
      const t0 = Date.now();
      const issues = await refused((f) => {
        f[file] = LAUGHS + (f[file] as string);
      });
      expect(issues).toEqual([expect.objectContaining({ code: 'E_YAML_ALIASES', file, row: 2 })]);
      expect(issues[0].expected).toContain('at most 100 alias');
      expect(Date.now() - t0).toBeLessThan(10_000);
    });

    it(`${file} nested thousands deep (flow or block) is a located depth error`, async () => {
      for (const deep of [DEEP_FLOW(5000), DEEP_BLOCK(1000), DEEP_FLOW(300)]) {
        const issues = await refused((f) => {
          f[file] = (f[file] as string) + deep;
        });
        expect(issues).toEqual([expect.objectContaining({ code: 'E_YAML_DEPTH', file })]);
        expect(issues[0].expected).toContain('at most 200 levels');
      }
    });
  }

  it('nesting within the limit still reads (a value the schema then refuses by name)', async () => {
    const issues = await refused((f) => {
      f['project.yaml'] = (f['project.yaml'] as string) + DEEP_FLOW(150);
    });
    expect(issues).toEqual([expect.objectContaining({ code: 'E_SCHEMA', file: 'project.yaml' })]);
    expect(issues[0].message).toContain('"deep"');
  });
});

describe('wrong-typed report: settings', () => {
  const cases: Array<[string, string]> = [
    ['report: {title: 5}', 'report.title'],
    ['report: {notes: 3}', 'report.notes'],
    ['report: {notes: [{zh: 1}]}', 'report.notes[0]'],
    ['report: {map: yes}', 'report.map'],
    ['report: {titel: x}', 'report'],
    ['report: [a, b]', 'report'],
  ];
  it.each(cases)('%s is a located schema error', async (yaml, field) => {
    const issues = await refused((f) => {
      f['project.yaml'] = (f['project.yaml'] as string) + yaml + '\n';
    });
    expect(issues.length).toBeGreaterThan(0);
    expect(issues[0]).toMatchObject({ file: 'project.yaml', row: 11, field });
  });

  it('well-typed settings still reach the report', async () => {
    const dir = writeProject((f) => {
      f['project.yaml'] += 'report:\n  title: {zh: 标题, en: Title}\n  notes: [a note, {en: another}]\n';
    });
    dirs.push(dir);
    const { code, out } = await cli(dir, 'csv,html');
    expect(code).toBe(0);
    expect(existsSync(join(out, 'report.html'))).toBe(true);
  });
});
