/**
 * Projects stay in their folder (issue 10, item 2): `..`, absolute paths and symbolic links that leave
 * the project folder (or the folders it lists in `allowedRoots:`) are refused with a located error
 * naming the field and the path, on disk as in memory; links inside the project are followed; keys and
 * values of outside files never reach an output or a message.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CityIndexError, type Issue } from '../../src/engine/core/errors.ts';
import { loadProject } from '../../src/formats/project.ts';
import { assembleProject, buildProject } from '../../src/formats/assemble.ts';
import { memoryProjectFiles } from '../../src/formats/project-files.ts';
import { fsProjectFiles } from '../../src/formats/project-fs.ts';
import { loadCases } from '../../src/formats/cases.ts';
import { loadSurvey } from '../../src/formats/survey.ts';
import { loadSeriesProject } from '../../src/formats/series.ts';
import { copyFileSync } from 'node:fs';
import { run } from '../../src/cli/main.ts';
import { baseFiles, writeProject, type Files } from './fixture.ts';

const roots: string[] = [];
afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

/** A temp folder holding `outside/` (a secret file and YAML) and the project in `project/`. */
function layout(change: (f: Files) => void = () => {}): { top: string; dir: string } {
  const top = mkdtempSync(join(tmpdir(), 'ci-confine-'));
  roots.push(top);
  mkdirSync(join(top, 'outside'));
  // values that must never land in results, keys that must never be echoed in a message
  const data = baseFiles()['data.csv'].replace(/\n(\d+),[^,]+/g, '\n$1,999999');
  writeFileSync(join(top, 'outside', 'data.csv'), data);
  writeFileSync(join(top, 'outside', 'secret.yaml'), 'SECRET_KEY_42: hunter2\nbuild: {steps: []}\n');
  const dir = writeProject(change, join(top, 'project'));
  return { top, dir };
}

async function issuesOf(p: Promise<unknown>): Promise<Issue[]> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  if (!(e instanceof CityIndexError)) throw new Error(`expected a CityIndexError, got ${String(e)}`);
  return e.issues;
}

const edit = (from: string, to: string) => (f: Files) => {
  f['project.yaml'] = (f['project.yaml'] as string).replace(from, to);
};

/** Run the CLI in-process; returns the exit code and what it printed on stderr. */
async function cli(argv: string[]): Promise<{ code: number; stderr: string }> {
  const write = process.stderr.write;
  let stderr = '';
  process.stderr.write = ((s: string | Uint8Array) => {
    stderr += String(s);
    return true;
  }) as typeof process.stderr.write;
  try {
    return { code: await run(argv), stderr };
  } finally {
    process.stderr.write = write;
  }
}

describe('projects stay in their folder (disk)', () => {
  it('`..` out of the folder is refused, naming the field and the path; nothing outside is read', async () => {
    const { dir } = layout(edit('data: data.csv', 'data: ../outside/data.csv'));
    const issues = await issuesOf(loadProject(dir));
    expect(issues).toEqual([
      expect.objectContaining({ code: 'E_PATH_OUTSIDE', file: 'project.yaml', row: 4, field: 'data' }),
    ]);
    expect(issues[0].message).toContain('"../outside/data.csv"');
    const out = join(dir, '..', 'out');
    const { code, stderr } = await cli(['build', dir, '--out', out]);
    expect(code).toBe(1);
    expect(stderr).toContain('project.yaml:4 field "data"');
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('an absolute path is refused, also when it points into the project folder', async () => {
    const { dir } = layout();
    const abs = join(dir, 'units.csv');
    writeFileSync(join(dir, 'project.yaml'), baseFiles()['project.yaml'].replace('units: units.csv', `units: ${abs}`));
    expect(await issuesOf(loadProject(dir))).toEqual([
      expect.objectContaining({ code: 'E_PATH_ABSOLUTE', file: 'project.yaml', row: 3, field: 'units' }),
    ]);
  });

  it('a symbolic link leading out (a file, or a folder on the way) is refused; the values never land', async () => {
    const { top, dir } = layout(edit('data: data.csv', 'data: linked.csv'));
    symlinkSync(join(top, 'outside', 'data.csv'), join(dir, 'linked.csv'));
    const issues = await issuesOf(loadProject(dir));
    expect(issues).toEqual([
      expect.objectContaining({ code: 'E_PATH_LINK_OUTSIDE', file: 'project.yaml', row: 4, field: 'data' }),
    ]);
    expect(issues[0].message).toContain('"linked.csv"');

    const viaFolder = layout(edit('data: data.csv', 'data: shared/data.csv'));
    symlinkSync(join(viaFolder.top, 'outside'), join(viaFolder.dir, 'shared'));
    expect(await issuesOf(loadProject(viaFolder.dir))).toEqual([
      expect.objectContaining({ code: 'E_PATH_LINK_OUTSIDE', field: 'data' }),
    ]);
    // the source itself refuses to read or list through the link, whoever asks
    const files = fsProjectFiles(viaFolder.dir);
    expect(await files.read('shared/data.csv')).toBeUndefined();
    expect(await files.list('shared')).toEqual([]);
  });

  it('a symbolic link inside the project is followed: the same build as the plain project', async () => {
    const plain = layout();
    const linked = layout(edit('data: data.csv', 'data: current/data.csv'));
    mkdirSync(join(linked.dir, 'editions', '2020'), { recursive: true });
    writeFileSync(join(linked.dir, 'editions', '2020', 'data.csv'), baseFiles()['data.csv']);
    symlinkSync(join(linked.dir, 'editions', '2020'), join(linked.dir, 'current'));
    const a = await buildProject(await loadProject(plain.dir));
    const b = await buildProject(await loadProject(linked.dir));
    expect(Array.from(b.results.scores.values)).toEqual(Array.from(a.results.scores.values));
  });

  it('keys of an outside YAML file are never echoed (extends through `..` or through a link)', async () => {
    const climbing = layout((f) => {
      f['project.yaml'] = 'extends: ../outside/secret.yaml\n' + (f['project.yaml'] as string);
    });
    const viaLink = layout((f) => {
      f['project.yaml'] = 'extends: base.yaml\n' + (f['project.yaml'] as string);
    });
    symlinkSync(join(viaLink.top, 'outside', 'secret.yaml'), join(viaLink.dir, 'base.yaml'));
    for (const [{ dir }, code] of [
      [climbing, 'E_PATH_OUTSIDE'],
      [viaLink, 'E_PATH_LINK_OUTSIDE'],
    ] as const) {
      const issues = await issuesOf(loadProject(dir));
      expect(issues).toEqual([expect.objectContaining({ code, file: 'project.yaml', row: 1, field: 'extends' })]);
      const { code: exit, stderr } = await cli(['validate', dir]);
      expect(exit).toBe(1);
      expect(stderr).not.toContain('SECRET_KEY_42');
      expect(stderr).not.toContain('hunter2');
    }
  });

  it('series, cases and survey paths are confined too (checked when the project is loaded)', async () => {
    const { top, dir } = layout((f) => {
      f['project.yaml'] += 'cases: ../outside\nseries: {file: ../outside/data.csv}\nsurveys: [../outside/s.yaml]\n';
    });
    writeFileSync(join(top, 'outside', 's.yaml'), 'id: x\n');
    const issues = await issuesOf(loadProject(dir));
    expect(issues.map((i) => [i.code, i.field, i.row])).toEqual([
      ['E_PATH_OUTSIDE', 'series.file', 12],
      ['E_PATH_OUTSIDE', 'cases', 11],
      ['E_PATH_OUTSIDE', 'surveys[0]', 13],
    ]);
  });

  it('a case library entry that is a link out of its folder is refused, not read', async () => {
    const top = mkdtempSync(join(tmpdir(), 'ci-confine-cases-'));
    roots.push(top);
    mkdirSync(join(top, 'cases'));
    writeFileSync(join(top, 'elsewhere.md'), '---\nid: secret\n---\nSECRET_BODY\n');
    symlinkSync(join(top, 'elsewhere.md'), join(top, 'cases', 'leak.md'));
    const issues = await issuesOf(loadCases(join(top, 'cases')));
    expect(issues).toEqual([expect.objectContaining({ code: 'E_PATH_LINK_OUTSIDE' })]);
    expect(JSON.stringify(issues)).not.toContain('SECRET_BODY');
  });

  it('a survey config read on its own is confined to its project (responses out of it are refused)', async () => {
    const { dir } = layout();
    mkdirSync(join(dir, 'surveys'));
    const config =
      'id: s\ncities: ["110100"]\nresponses: { file: ../../outside/data.csv, columns: { city: code } }\n' +
      'indicators: [{ code: X, items: [A1] }]\n';
    writeFileSync(join(dir, 'surveys', 'survey.yaml'), config);
    const issues = await issuesOf(loadSurvey(join(dir, 'surveys', 'survey.yaml')));
    expect(issues).toEqual([expect.objectContaining({ code: 'E_PATH_OUTSIDE', field: 'responses.file' })]);
  });
});

describe('a series project read on its own is confined too', () => {
  it('series.yaml naming a file out of its folder is refused unless the folder is in allowedRoots:', async () => {
    const top = mkdtempSync(join(tmpdir(), 'ci-confine-series-'));
    roots.push(top);
    mkdirSync(join(top, 'outside'));
    mkdirSync(join(top, 'series'));
    copyFileSync('examples/series-demo/cities.csv', join(top, 'outside', 'cities.csv'));
    writeFileSync(join(top, 'series', 'series.yaml'), 'file: ../outside/cities.csv\n');
    const issues = await issuesOf(loadSeriesProject(join(top, 'series')));
    expect(issues).toEqual([expect.objectContaining({ code: 'E_PATH_OUTSIDE', field: 'series.file' })]);
    writeFileSync(join(top, 'series', 'series.yaml'), 'allowedRoots: [../outside]\nfile: ../outside/cities.csv\n');
    const loaded = await loadSeriesProject(join(top, 'series'));
    expect(loaded.table.seriesCodes.length).toBeGreaterThan(0);
    // the flagship's series (../../data/sources) is read through its allowedRoots:
    const cdgi = await loadSeriesProject('examples/cdgi-2020');
    expect(cdgi.table.rows.length).toBeGreaterThan(0);
  });
});

describe('allowedRoots: folders outside the project it may read, listed explicitly', () => {
  const shared = (f: Files) => {
    f['project.yaml'] =
      'allowedRoots: [../outside]\n' +
      (f['project.yaml'] as string).replace('data: data.csv', 'data: ../outside/data.csv');
  };

  it('a listed root is read (the outside values land), on disk and in memory alike', async () => {
    const { dir } = layout(shared);
    const p = await loadProject(dir);
    expect(Array.from(p.input.raw.values).filter((v) => v === 999999).length).toBe(6);
    const files: Files = { ...baseFiles() };
    shared(files);
    files['../outside/data.csv'] = baseFiles()['data.csv'].replace(/\n(\d+),[^,]+/g, '\n$1,999999');
    const memory = await assembleProject(memoryProjectFiles(files));
    expect(Array.from(memory.input.raw.values)).toEqual(Array.from(p.input.raw.values));
  });

  it('a link out of the listed roots is refused; an absolute root is refused where it is written', async () => {
    const { top, dir } = layout(shared);
    mkdirSync(join(top, 'elsewhere'));
    writeFileSync(join(top, 'elsewhere', 'data.csv'), baseFiles()['data.csv']);
    rmSync(join(top, 'outside', 'data.csv'));
    symlinkSync(join(top, 'elsewhere', 'data.csv'), join(top, 'outside', 'data.csv'));
    expect(await issuesOf(loadProject(dir))).toEqual([
      expect.objectContaining({ code: 'E_PATH_LINK_OUTSIDE', row: 5, field: 'data' }),
    ]);
    const absolute = layout((f) => {
      f['project.yaml'] = `allowedRoots: [ok, ${top}]\n` + (f['project.yaml'] as string);
    });
    const issues = await issuesOf(loadProject(absolute.dir));
    expect(issues).toEqual([
      expect.objectContaining({ code: 'E_ROOT', file: 'project.yaml', row: 1, field: 'allowedRoots[1]' }),
    ]);
    expect(issues[0].expected).toContain('relative to the project folder');
  });

  it('memory and disk sources give the same issues for every refused path', async () => {
    const variants: Array<(f: Files) => void> = [
      edit('data: data.csv', 'data: ../outside/data.csv'),
      edit('units: units.csv', 'units: /etc/units.csv'),
      edit('framework: framework.yaml', 'framework: a/../../framework.yaml'),
      (f) => {
        f['project.yaml'] = 'extends: ../outside/secret.yaml\n' + (f['project.yaml'] as string);
      },
      (f) => {
        f['project.yaml'] = 'allowedRoots: [/abs]\n' + (f['project.yaml'] as string);
      },
    ];
    for (const change of variants) {
      const { dir } = layout(change);
      const files: Files = { ...baseFiles() };
      change(files);
      const disk = await issuesOf(loadProject(dir));
      const memory = await issuesOf(assembleProject(memoryProjectFiles(files)));
      expect(memory).toEqual(disk);
    }
  });
});
