/**
 * Pure project assembly: a project given as a map of file contents assembles and builds exactly as the
 * same folder loaded from disk; paths out of the project are refused with a located issue; the
 * assembly module bundles for the browser with no Node built-in and without exceljs.
 */
import { describe, expect, it } from 'vitest';
import { build as esbuild } from 'esbuild';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { CityIndexError, type Issue } from '../../src/engine/core/errors.ts';
import { build, type Build } from '../../src/engine/pipeline/build.ts';
import { assembleProject, buildProject, type LoadedProject } from '../../src/formats/assemble.ts';
import { confinedPath, joinPosix, memoryProjectFiles } from '../../src/formats/project-files.ts';
import { loadProject } from '../../src/formats/project.ts';
import { readXlsxTable } from '../../src/formats/xlsx-table.ts';
import { baseFiles, type Files } from './fixture.ts';

/** Every file under `dir`, keyed by its POSIX path relative to `dir`. */
function filesOf(dir: string, root = dir): Record<string, Uint8Array> {
  const out: Record<string, Uint8Array> = {};
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) Object.assign(out, filesOf(path, root));
    else out[relative(root, path).split(sep).join('/')] = new Uint8Array(readFileSync(path));
  }
  return out;
}

/** The bits of a Float64Array, so NaN payloads and -0 count. */
const bits = (a: Float64Array): string => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('hex');

function expectSameBuild(a: Build, b: Build): void {
  expect(b.steps.map((s) => s.id)).toEqual(a.steps.map((s) => s.id));
  expect(bits(b.raw.values)).toBe(bits(a.raw.values));
  a.steps.forEach((s, k) => expect(bits(b.steps[k].dataset.values), s.id).toBe(bits(s.dataset.values)));
  expect(bits(b.results.scores.values)).toBe(bits(a.results.scores.values));
  expect(bits(b.results.ranks.values)).toBe(bits(a.results.ranks.values));
  expect(b.results.effectiveWeights).toEqual(a.results.effectiveWeights);
}

/**
 * The files of examples/cdgi-2020 with the shared files it names outside its folder (the seed-288
 * series, the case library, census margins) copied into `shared/` and the paths edited to point there:
 * an in-memory project is confined to its folder.
 */
function cdgiFiles(): Record<string, Uint8Array> {
  const files = filesOf('examples/cdgi-2020');
  const text = (k: string) => new TextDecoder().decode(files[k]);
  const encode = (s: string) => new TextEncoder().encode(s);
  for (const k of ['project.yaml', 'project.survey-demo.yaml']) {
    const moved = text(k)
      .replaceAll('../../data/sources/seed-288/', 'shared/')
      .replaceAll('../../cases', 'shared/cases');
    files[k] = encode(moved);
  }
  const survey = text('surveys/survey.yaml').replace('../../../data/sources/census_population_2020/', '../shared/');
  files['surveys/survey.yaml'] = encode(survey);
  files['shared/seed_288_table.csv'] = new Uint8Array(readFileSync('data/sources/seed-288/seed_288_table.csv'));
  const census = 'census_city_population_2010_2020.csv';
  files[`shared/${census}`] = new Uint8Array(readFileSync(`data/sources/census_population_2020/${census}`));
  for (const [k, v] of Object.entries(filesOf('cases'))) files[`shared/cases/${k}`] = v;
  return files;
}

/** Project files whose paths were edited differ; every other file read is the same. */
const dataFiles = (p: LoadedProject) => p.files.filter((f) => !/^project(\.[a-z-]+)?\.yaml$/.test(f.path));

function expectSameProject(disk: LoadedProject, memory: LoadedProject): void {
  expect(memory.file).toBe(disk.file);
  expect(memory.spec).toEqual(disk.spec);
  const settings = (p: LoadedProject) => ({ ...p.project, series: undefined, cases: undefined });
  expect(settings(memory)).toEqual(settings(disk));
  expect(memory.input.units).toEqual(disk.input.units);
  expect(memory.input.framework).toEqual(disk.input.framework);
  expect(dataFiles(memory)).toEqual(dataFiles(disk));
  expect(memory.warnings).toEqual(disk.warnings);
  expect(memory.valueSources).toEqual(disk.valueSources);
  expect(memory.gaps).toEqual(disk.gaps);
}

async function issuesOf(p: Promise<unknown>): Promise<Issue[]> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  if (!(e instanceof CityIndexError)) throw new Error(`expected a CityIndexError, got ${String(e)}`);
  return e.issues;
}

const edit = (files: Files, name: string, from: string, to: string): Files => {
  const text = files[name] as string;
  if (!text.includes(from)) throw new Error(`fixture edit did not apply: ${from}`);
  return { ...files, [name]: text.replace(from, to) };
};

describe('assembleProject from a map of file contents', () => {
  for (const example of ['examples/asem', 'examples/cdgi-2020']) {
    it(`${example}: the same project and a bit-identical build as loadProject from disk`, async () => {
      const disk = await loadProject(example);
      const files = example === 'examples/asem' ? filesOf(example) : cdgiFiles();
      const memory = await assembleProject(memoryProjectFiles(files), { dir: example, readXlsx: readXlsxTable });
      expect(memory.dir).toBe(example);
      expectSameProject(disk, memory);
      expectSameBuild(build(disk.input, disk.spec), build(memory.input, memory.spec));
    });
  }

  it('examples/cdgi-2020 survey variant: the survey is read through the source too', async () => {
    const file = 'project.survey-demo.yaml';
    const disk = await loadProject(join('examples/cdgi-2020', file));
    const memory = await assembleProject(memoryProjectFiles(cdgiFiles()), { file });
    expect(memory.surveys.map((s) => s.indicators)).toEqual([['LIF_SATISFACTION']]);
    expect(bits(memory.surveys[0].lower.values)).toBe(bits(disk.surveys[0].lower.values));
    expectSameProject(disk, memory);
    expectSameBuild(build(disk.input, disk.spec), build(memory.input, memory.spec));
  });

  it('the small fixture: same issues from memory as from disk, and build errors located in the YAML', async () => {
    const files = edit(baseFiles(), 'project.yaml', '{method: mean}', '{method: groupMean, group: regon}');
    const p = await assembleProject(memoryProjectFiles(files));
    const issues = await issuesOf(buildProject(p));
    const where = { file: 'project.yaml', row: 7, field: 'build.steps[0].options.group' };
    expect(issues[0]).toMatchObject({ code: 'E_UNKNOWN_GROUP', ...where });
    expect(issues[0].message).toContain('did you mean "region"');
  });

  it('a path out of the project folder is refused, located in the file that names it', async () => {
    const outside = edit(baseFiles(), 'project.yaml', 'data: data.csv', 'data: ../x.csv');
    expect(await issuesOf(assembleProject(memoryProjectFiles({ ...outside, '../x.csv': 'code,A1\n' })))).toEqual([
      expect.objectContaining({ code: 'E_PATH_OUTSIDE', file: 'project.yaml', row: 4, field: 'data' }),
    ]);
    const absolute = edit(baseFiles(), 'project.yaml', 'units: units.csv', 'units: /etc/units.csv');
    expect(await issuesOf(assembleProject(memoryProjectFiles(absolute)))).toEqual([
      expect.objectContaining({ code: 'E_PATH_ABSOLUTE', file: 'project.yaml', row: 3, field: 'units' }),
    ]);
    const later = { ...baseFiles(), 'project.yaml': baseFiles()['project.yaml'] + 'cases: ../cases\n' };
    expect(await issuesOf(assembleProject(memoryProjectFiles(later)))).toEqual([
      expect.objectContaining({ code: 'E_PATH_OUTSIDE', file: 'project.yaml', row: 11, field: 'cases' }),
    ]);
    const climbing = edit(baseFiles(), 'project.yaml', 'framework.yaml', 'a/../../framework.yaml');
    const [first] = await issuesOf(assembleProject(memoryProjectFiles(climbing)));
    expect(first).toMatchObject({ code: 'E_PATH_OUTSIDE', field: 'framework' });
  });

  it('paths inside the project resolve relative to it; a folder source lists its entries', async () => {
    expect(confinedPath('./data/../units.csv')).toEqual({ ok: true, path: 'units.csv' });
    expect(confinedPath('responses.csv', 'surveys')).toEqual({ ok: true, path: 'surveys/responses.csv' });
    expect(confinedPath('C:\\data\\x.csv').ok).toBe(false);
    expect(joinPosix('a', '../../b')).toBe('../b');
    const files = memoryProjectFiles({ 'project.yaml': 'x', 'data/2020/a.csv': 'a', 'data/b.csv': 'b' });
    expect(await files.list('data')).toEqual(['2020', 'b.csv']);
    expect(await files.list('')).toEqual(['data', 'project.yaml']);
    expect(await files.kind('data/2020')).toBe('folder');
    expect(await files.read('data')).toBeUndefined();
  });

  it('an XLSX data file without an XLSX reader is a located error, not a crash', async () => {
    const project = edit(baseFiles(), 'project.yaml', 'data: data.csv', 'data: data.xlsx');
    const files = { ...project, 'data.xlsx': new Uint8Array([80, 75, 3, 4]) };
    expect(await issuesOf(assembleProject(memoryProjectFiles(files)))).toEqual([
      expect.objectContaining({ code: 'E_XLSX_UNAVAILABLE', file: 'data.xlsx' }),
    ]);
  });
});

describe('assembly purity', () => {
  it('bundles for the browser with every Node built-in and exceljs forbidden', async () => {
    const builtins = 'fs|path|os|crypto|child_process|worker_threads|url|stream|util|buffer';
    const forbidden = new RegExp(`^(node:|(${builtins}|exceljs)$)`);
    const refuse = (a: { path: string; importer: string }) => ({
      errors: [{ text: `"${a.path}" imported from ${a.importer}` }],
    });
    const result = await esbuild({
      entryPoints: ['src/formats/assemble.ts'],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      logLevel: 'silent',
      plugins: [
        {
          name: 'forbid-node',
          setup(b) {
            b.onResolve({ filter: forbidden }, refuse);
          },
        },
      ],
    });
    expect(result.errors).toEqual([]);
    expect(result.outputFiles[0].text).toContain('assembleProject');
  });
});
