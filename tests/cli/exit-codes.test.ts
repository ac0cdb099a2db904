/**
 * Every exit code the README documents for the CLI ("## CLI": 0 success, 1 invalid input including
 * missing or unreadable files, 2 internal error, 3 `series audit --strict` on findings), each through the
 * CLI's `run` in-process, and 1 and 3 also from a real process (issue 10 item 10). The internal error (2) is
 * a bug injected into a use case: any exception that is not a located input problem.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const bug = vi.hoisted(() => ({ on: false }));
vi.mock('../../src/app/project.ts', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/app/project.ts')>();
  return {
    ...original,
    validateProject: (...args: Parameters<typeof original.validateProject>) => {
      // a programming error, as a bug would raise it: not a CityIndexError, not a file-system error
      if (bug.on) throw new TypeError("Cannot read properties of undefined (reading 'nodes')");
      return original.validateProject(...args);
    },
  };
});

const { run } = await import('../../src/cli/main.ts');

const ROOT = resolve(import.meta.dirname, '../..');
const SEED = join(ROOT, 'data/sources/seed-288/seed_288_table.csv');
let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'ci-exit-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Run the CLI in-process, capturing stdout and stderr. */
async function cli(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
    stdout += String(s);
    return true;
  });
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
    stderr += String(s);
    return true;
  });
  try {
    return { code: await run(argv), stdout, stderr };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

/** The exit codes the README's CLI section documents. */
function documentedExitCodes(): number[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('\n## CLI');
  const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
  const codes = new Set<number>();
  for (const m of section.matchAll(/\bexit (\d+)\b/gi)) codes.add(Number(m[1]));
  const list = /Exit codes: ([^.]*)/.exec(section)?.[1] ?? '';
  for (const m of list.matchAll(/\b(\d+) (?:success|invalid input|internal error)/g)) codes.add(Number(m[1]));
  return [...codes].sort();
}

/** A copy of examples/asem whose normalisation overflows (range width 2e308 = Infinity). */
function overflowingProject(): string {
  const dir = join(tmp, 'asem-overflow');
  cpSync(join(ROOT, 'examples/asem'), dir, { recursive: true });
  const file = join(dir, 'project.yaml');
  const yaml = readFileSync(file, 'utf8');
  const step = '{ id: normalise, kind: normalise, options: { method: minMax, range: [0, 100] } }';
  expect(yaml).toContain(step);
  writeFileSync(file, yaml.replace(step, step.replace('[0, 100]', '[-1e308, 1e308]')));
  return dir;
}

/** A survey project with answers outside its 1–5 scale. */
function badSurveyProject(): string {
  const dir = join(tmp, 'survey-scale');
  mkdirSync(join(dir, 'surveys'), { recursive: true });
  writeFileSync(
    join(dir, 'surveys/survey.yaml'),
    'id: s\ncities: ["110100"]\nresponses: { file: r.csv, columns: { city: city } }\n' +
      'weighting: { weighting: { method: none } }\nindicators: [{ code: X, items: [q1] }]\n',
  );
  writeFileSync(join(dir, 'surveys/r.csv'), 'city,q1\n110100,3\n110100,7\n110100,1.5\n');
  return dir;
}

describe('documented exit codes', () => {
  it('the README documents 0, 1, 2 and 3, and each has a test below', () => {
    expect(documentedExitCodes()).toEqual([0, 1, 2, 3]);
  });

  describe('0: success', () => {
    it('validate examples/asem', async () => {
      const r = await cli(['validate', join(ROOT, 'examples/asem')]);
      expect(r.code).toBe(0);
      expect(r.stderr).toMatch(/ok: 51 units, 49 indicators/);
    });
    it('--version and --help', async () => {
      expect((await cli(['--version'])).code).toBe(0);
      const help = await cli(['--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain('Usage: cityindex');
    });
  });

  describe('1: invalid input, every problem located on stderr', () => {
    it('a project folder that does not exist', async () => {
      const r = await cli(['validate', join(tmp, 'no-such-project')]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^error: invalid input: 1 problem/);
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    });
    it('an unknown command or option (of a subcommand too: commander must not exit the process)', async () => {
      expect((await cli(['frobnicate'])).code).toBe(1);
      expect((await cli(['build', join(ROOT, 'examples/asem'), '--no-such-option'])).code).toBe(1);
    });
    it('a build step that gives Infinity: the step and unit named, no output written', async () => {
      const out = join(tmp, 'overflow-out');
      const r = await cli(['build', overflowingProject(), '--out', out, '--no-analyses']);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/project\.yaml:\d+ field "build\.steps\[4\] \(normalise\)" unit AUS indicator LPI: /);
      expect(r.stderr).toContain('step 5 "normalise" (normalise) produced Infinity');
      expect(existsSync(out)).toBe(false);
    });
    it('an output folder that is a file', async () => {
      const file = join(tmp, 'a-file');
      writeFileSync(file, 'x');
      const r = await cli(['build', join(ROOT, 'examples/asem'), '--out', file, '--no-analyses']);
      expect(r.code).toBe(1);
      expect(readFileSync(file, 'utf8')).toBe('x');
    });
    it('survey validate and survey estimate with answers outside the scale', async () => {
      const dir = badSurveyProject();
      const v = await cli(['survey', 'validate', dir]);
      expect(v.code).toBe(1);
      expect(v.stderr).toContain('column "q1": 2 answers outside the scale 1–5 (whole numbers): rows 3, 4');
      const out = join(tmp, 'survey-out');
      expect((await cli(['survey', 'estimate', dir, '--out', out])).code).toBe(1);
      expect(existsSync(out)).toBe(false);
    });
    it('survey ahp with an invalid expert answer names the expert', async () => {
      const example = join(ROOT, 'examples/cdgi-2020');
      const answers = JSON.parse(readFileSync(join(example, 'surveys/experts-simulated.json'), 'utf8'));
      answers[0].ahp__CDGI__INFRA__ADMIN = 12;
      const file = join(tmp, 'experts.json');
      writeFileSync(file, JSON.stringify(answers));
      const r = await cli(['survey', 'ahp', example, '--answers', file, '--out', join(tmp, 'ahp')]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('expert E1 cannot be used for the comparisons under CDGI');
      expect(existsSync(join(tmp, 'ahp'))).toBe(false);
    });
  });

  describe('2: internal error', () => {
    it('a bug in a use case: "internal error" with the stack on stderr', async () => {
      bug.on = true;
      try {
        const r = await cli(['validate', join(ROOT, 'examples/asem')]);
        expect(r.code).toBe(2);
        expect(r.stderr).toMatch(/^internal error: TypeError: Cannot read properties of undefined/);
        expect(r.stderr).toMatch(/\n\s+at /);
      } finally {
        bug.on = false;
      }
    });
  });

  describe('3: series audit --strict on findings', () => {
    it('the seed-288 table has swapped rows: 3 with --strict, 0 without', async () => {
      const before = process.exitCode;
      expect((await cli(['series', 'audit', SEED, '--strict'])).code).toBe(3);
      expect(process.exitCode).toBe(before); // run() reports the code and leaves the process's own alone
      expect((await cli(['series', 'audit', SEED])).code).toBe(0);
    });
  });
});

describe('exit codes of a real process', () => {
  const tsx = pathToFileURL(join(ROOT, 'node_modules/tsx/dist/esm/index.mjs')).href;
  const main = join(ROOT, 'src/cli/main.ts');
  const exec = (args: string[]) =>
    spawnSync(process.execPath, ['--import', tsx, main, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });

  it('1 and 3 reach the shell (run() gives 0 and 2 the same way)', () => {
    const missing = exec(['validate', join(tmp, 'no-such-project')]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/^error: invalid input/);
    expect(exec(['series', 'audit', SEED, '--strict']).status).toBe(3);
  }, 300_000);
});
