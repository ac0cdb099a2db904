/**
 * A project folder into the store and back. Import reads every file of the folder, assembles it with
 * the project's own checks (`assembleProject` over `memoryProjectFiles`, so nothing is stored when a
 * file is wrong) and stores the files byte for byte plus the framework, units and each value with its
 * source. `loadStoredProject` assembles the stored files the same way and lays the approved submitted
 * values over the raw data: a build from the store uses approved values only. `exportProject` writes
 * the files back, so the exported folder builds bit-identically to the original.
 */
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, posix, relative, resolve, sep } from 'node:path';
import { CityIndexError } from '../engine/core/errors.ts';
import { datasetOf } from '../engine/core/dataset.ts';
import { assembleProject, type LoadedProject } from '../formats/assemble.ts';
import { dirnamePosix, joinPosix, memoryProjectFiles, type ProjectFiles } from '../formats/project-files.ts';
import { fsProjectFiles } from '../formats/project-fs.ts';
import { readXlsxTable } from '../formats/xlsx-table.ts';
import { findSurveyConfigs, readSurvey } from '../formats/survey.ts';
import { withStoredCaseLogKpis, type CaseLogInputs } from './caselog-build.ts';
import type { Principal } from './principal.ts';
import type { ProjectInfo, Store } from './store.ts';

/** Folders never imported: the store itself, build outputs, dependencies, version control. */
const SKIPPED = new Set(['.cityindex', 'out', 'node_modules', '.git']);
/** Largest project folder imported (all files together). */
export const MAX_PROJECT_BYTES = 512 * 1024 * 1024;

/** Every file of a folder as project-relative POSIX paths → bytes (skipping SKIPPED folders and dotfiles). */
export async function readProjectFolder(dir: string): Promise<Map<string, Uint8Array>> {
  const files = new Map<string, Uint8Array>();
  let total = 0;
  async function walk(rel: string): Promise<void> {
    const names = (await readdir(join(dir, rel))).sort();
    for (const name of names) {
      if (name.startsWith('.') || SKIPPED.has(name)) continue;
      const path = rel ? `${rel}/${name}` : name;
      const st = await stat(join(dir, path));
      if (st.isDirectory()) await walk(path);
      else if (st.isFile()) {
        total += st.size;
        if (total > MAX_PROJECT_BYTES) {
          throw new CityIndexError({
            code: 'E_PROJECT_TOO_LARGE',
            message: 'the project folder is too large to import / 项目文件夹过大',
            file: dir,
            expected: `at most ${MAX_PROJECT_BYTES / 1024 / 1024} MB of files`,
          });
        }
        files.set(path, new Uint8Array(await readFile(join(dir, path))));
      }
    }
  }
  await walk('');
  return files;
}

/** Where the exported copies of files from outside the project folder go. */
export const EXTERNAL_FOLDER = '_external';

/**
 * The files of a project in memory. Keys may climb out of the project (`../../data/x.csv`: a file the
 * project names outside its folder, stored with it); only stored keys can be read, so nothing else of
 * the machine is reachable. Paths resolve as on disk (`fsProjectFiles`), so assembly gives the same.
 */
function storedFiles(files: Map<string, Uint8Array>): ProjectFiles {
  return memoryProjectFiles(files); // confined like the disk source: outside files only under allowedRoots:
}

/** Assemble a project from files in memory, with the XLSX reader. */
function assemble(files: Map<string, Uint8Array>, file: string, dir: string): Promise<LoadedProject> {
  return assembleProject(storedFiles(files), { file, dir, readXlsx: readXlsxTable });
}

/** The file-system source of `dir`, recording the bytes of every file outside the folder that it reads or finds. */
function recordingFiles(dir: string): { files: ProjectFiles; outside: Map<string, Uint8Array> } {
  const outside = new Map<string, Uint8Array>();
  const outsideOf = (path: string) => path === '..' || path.startsWith('../');
  // every source the assembly derives (withRoots, for allowedRoots:) records into the same map
  const recording = (fs: ProjectFiles): ProjectFiles => ({
    ...fs,
    withRoots: (more) => recording(fs.withRoots(more)),
    // a file outside that is only checked now (e.g. a series table read later) is recorded as well
    kind: async (path) => {
      const kind = await fs.kind(path);
      if (kind === 'file' && outsideOf(path) && !outside.has(path)) outside.set(path, (await fs.read(path))!);
      if (kind === 'folder' && outsideOf(path) && joinPosix(path).replace(/^(\.\.\/?)+/, '') !== '') {
        for (const [p, bytes] of await readProjectFolder(join(dir, path))) outside.set(`${path}/${p}`, bytes);
      }
      return kind;
    },
    read: async (path) => {
      const bytes = await fs.read(path);
      if (bytes && outsideOf(path)) outside.set(path, bytes);
      return bytes;
    },
  });
  return { files: recording(fsProjectFiles(dir)), outside };
}

/** The data files a project names (`data:`, or COINr's iData), as written in the project file. */
function dataFilesOf(loaded: LoadedProject): string[] {
  const p = loaded.project;
  if (p.coinr) return [p.coinr.iData];
  const list = p.data === undefined ? [] : Array.isArray(p.data) ? p.data : [p.data];
  return list.map((d) =>
    typeof d === 'string' ? d : 'kind' in d ? (d.file ?? `kpi/${d.caselog}/indicators.csv`) : d.file,
  );
}

/**
 * Import a project folder (a folder with project.yaml, or a project .yaml file in it) into the store:
 * validated first with the project's located errors; `slug` defaults to the folder's name.
 */
export async function importProjectFolder(
  store: Store,
  actor: Principal,
  path: string,
  options: { slug?: string } = {},
): Promise<ProjectInfo> {
  const isFile = (await stat(path).catch(() => null))?.isFile() ?? false;
  const dir = isFile ? dirname(path) : path;
  const projectFile = isFile
    ? basename(path)
    : (await readdir(dir)).includes('project.yml')
      ? 'project.yml'
      : 'project.yaml';
  // validated as `cityindex build` would (files outside the folder that the project names are recorded)
  const recorded = recordingFiles(dir);
  const loaded = await assembleProject(recorded.files, { file: projectFile, dir, readXlsx: readXlsxTable });
  // the surveys' own files outside the folder (census margins) too, so fieldwork can start from the store
  const roots = recorded.files.withRoots((loaded.project as { allowedRoots?: string[] }).allowedRoots ?? []);
  for (const config of await findSurveyConfigs(dir).catch(() => [] as string[])) {
    const rel = relative(resolve(dir), config).split(sep).join('/');
    if (!rel.startsWith('..')) await readSurvey(roots, rel, { readXlsx: readXlsxTable }).catch(() => undefined);
  }
  const files = await readProjectFolder(dir);
  for (const [path, bytes] of recorded.outside) files.set(path, bytes);
  const { framework, units, raw } = loaded.input;
  const values: Array<{ unit: string; indicator: string; value: number | null; source: string | null }> = [];
  const n = raw.unitCodes.length;
  const defaultSource = dataFilesOf(loaded).join(', ') || null;
  const surveyOf = new Map(loaded.surveys.flatMap((sv) => sv.indicators.map((code) => [code, `survey:${sv.id}`])));
  raw.codes.forEach((code, j) => {
    raw.unitCodes.forEach((unit, i) => {
      const v = raw.values[j * n + i];
      const source = loaded.valueSources[`${unit}\u0000${code}`] ?? surveyOf.get(code) ?? defaultSource;
      values.push({ unit, indicator: code, value: Number.isNaN(v) ? null : v, source });
    });
  });
  const slug = options.slug ?? basename(resolve(dir));
  const named = loaded.project.name;
  const name = (typeof named === 'string' ? named : (named?.zh ?? named?.en)) || slug;
  return store.saveProject(actor, {
    slug,
    name,
    projectFile,
    files: [...files].map(([p, bytes]) => ({ path: p, bytes })),
    nodes: framework.nodes.map((node) => ({
      code: node.code,
      parent: node.parent,
      level: node.level,
      kind: node.kind,
      name: { ...node.name },
      weight: node.weight,
      direction: node.direction,
      unit: node.unit,
    })),
    units: units.map((u) => ({ code: u.code, name: { ...u.name } })),
    values,
  });
}

/**
 * The stored project, assembled from its stored files, with every approved submitted value laid over
 * the raw data (authors and admins). `approved` lists the values replaced, with their submission (0 for
 * a value approved in a submission round) and the data version used. The KPIs a `kind: kpi` source reads
 * come from the log's stored batches when it has any (`withStoredCaseLogKpis`; `caselogs` pins an edition's
 * batches); `files` are the files assembled, `caselogs` the batches used.
 */
export async function loadStoredProject(
  store: Store,
  actor: Principal,
  project: ProjectInfo,
  options: { caselogs?: CaseLogInputs } = {},
): Promise<{
  project: LoadedProject;
  approved: Array<{ unit: string; indicator: string; submissionId: number; version: number }>;
  files: Map<string, Uint8Array>;
  caselogs: CaseLogInputs;
}> {
  const { files, caselogs } = await withStoredCaseLogKpis(
    store,
    actor,
    project,
    await store.projectFiles(actor, project.id),
    options.caselogs,
  );
  const loaded = await assemble(files, project.projectFile, `store:${project.slug}`);
  // only the approved values (projectFiles above already refused anyone but authors and admins): reading
  // all current values to filter them costs seconds at 333 × 200
  const approved = (
    await store.db
      .selectFrom('data_values')
      .select(['unit_code', 'indicator', 'value', 'submission_id', 'version'])
      .where('project_id', '=', project.id)
      .where('status', '=', 'approved')
      .orderBy('unit_code')
      .orderBy('indicator')
      .execute()
  ).map((r) => ({
    unit: r.unit_code,
    indicator: r.indicator,
    value: r.value === null ? null : Number(r.value),
    submissionId: r.submission_id === null ? null : Number(r.submission_id),
    version: Number(r.version),
  }));
  if (approved.length === 0) return { project: loaded, approved: [], files, caselogs };
  const raw = loaded.input.raw;
  const values = Float64Array.from(raw.values);
  const n = raw.unitCodes.length;
  const row = new Map(raw.unitCodes.map((u, i) => [u, i]));
  const col = new Map(raw.codes.map((c, j) => [c, j]));
  const used: Array<{ unit: string; indicator: string; submissionId: number; version: number }> = [];
  for (const v of approved) {
    const i = row.get(v.unit);
    const j = col.get(v.indicator);
    if (i === undefined || j === undefined) continue;
    values[j * n + i] = v.value ?? NaN;
    // version: the data version used (a round's approval records it: submission-flow.ts#approvalOf)
    used.push({ unit: v.unit, indicator: v.indicator, submissionId: v.submissionId ?? 0, version: v.version });
  }
  const input = { ...loaded.input, raw: datasetOf(raw.unitCodes, raw.codes, values) };
  return { project: { ...loaded, input }, approved: used, files, caselogs };
}

/**
 * Files stored from outside the project folder (`../../data/x.csv`) moved into `_external/` (each `..`
 * becomes `up`), and every reference to them or their folders in the project's YAML files rewritten,
 * so the exported folder is self-contained and builds the same.
 * @example
 * const moved = relocateExternal(new Map([['project.yaml', new TextEncoder().encode('file: ../d/x.csv')],
 *   ['../d/x.csv', new Uint8Array([1])]]));
 * [...moved.keys()] // => ['project.yaml', '_external/up/d/x.csv']
 * new TextDecoder().decode(moved.get('project.yaml')) // => 'file: _external/up/d/x.csv'
 */
export function relocateExternal(files: Map<string, Uint8Array>): Map<string, Uint8Array> {
  const moved = new Map<string, string>();
  const relocated = (path: string) => `${EXTERNAL_FOLDER}/${path.replace(/\.\.\//g, 'up/')}`;
  for (const path of files.keys()) if (path.startsWith('../')) moved.set(path, relocated(path));
  // the folders they are in, as a project names a folder (`cases: ../../cases`), but never a bare `../..`
  const renamed = new Map(moved);
  for (const path of moved.keys()) {
    for (let f = dirnamePosix(path); /[^./]/.test(f); f = dirnamePosix(f)) renamed.set(f, relocated(f));
  }
  const longestFirst = [...renamed].sort((a, b) => b[0].length - a[0].length);
  if (moved.size === 0) return files;
  const out = new Map<string, Uint8Array>();
  for (const [path, bytes] of files) {
    const target = moved.get(path);
    if (target !== undefined) out.set(target, bytes);
    else if (!/\.ya?ml$/i.test(path)) out.set(path, bytes);
    else {
      const folder = dirnamePosix(path) || '.';
      let text = new TextDecoder().decode(bytes);
      for (const [from, to] of longestFirst) {
        text = text.split(posix.relative(folder, from)).join(posix.relative(folder, to));
      }
      out.set(path, new TextEncoder().encode(text));
    }
  }
  return out;
}

/**
 * Write the stored project folder to `out` (authors and admins). `out` must not exist or be empty; the
 * files go to a temporary folder beside it that is renamed at the end, so nothing is half-written.
 */
export async function exportProject(
  store: Store,
  actor: Principal,
  project: ProjectInfo,
  out: string,
): Promise<string[]> {
  const files = relocateExternal(await store.projectFiles(actor, project.id));
  const existing = await readdir(out).catch(() => undefined);
  if (existing && existing.length > 0) {
    throw new CityIndexError({
      code: 'E_OUT_NOT_EMPTY',
      message: 'the output folder is not empty / 输出文件夹非空',
      file: out,
      expected: 'a new or empty folder',
    });
  }
  const tmp = `${out.replace(/[\\/]+$/, '')}.partial-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  try {
    for (const [path, bytes] of files) {
      const target = join(tmp, ...path.split('/'));
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, bytes);
    }
    if (existing) await rm(out, { recursive: true });
    await mkdir(dirname(resolve(out)), { recursive: true });
    await rename(tmp, out);
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
  return [...files.keys()];
}
