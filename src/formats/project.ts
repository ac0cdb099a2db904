/**
 * Load a project folder from disk (Node): find the project file, then `assembleProject` over the files
 * of the folder. The assembly itself (every check, every located issue) is pure and lives in
 * assemble.ts, so the server and the browser assemble projects from uploads or database rows.
 */
import { readdir, stat } from 'node:fs/promises';
import { relative, dirname, basename, isAbsolute } from 'node:path';
import { CityIndexError } from '../engine/core/errors.ts';
import { assembleProject, type LoadedProject } from './assemble.ts';
import { fsProjectFiles } from './project-fs.ts';
import { readXlsxTable } from './xlsx-table.ts';

export {
  assembleProject,
  buildProject,
  didYouMean,
  editDistance,
  frameworkFromTable,
  frameworkFromTree,
  indicatorSources,
  unitsFromTable,
  type AssembleOptions,
  type InputFile,
  type LoadedProject,
  type SurveyInput,
} from './assemble.ts';
export { memoryProjectFiles, type ProjectFiles } from './project-files.ts';
export { fsProjectFiles } from './project-fs.ts';

/** A path as the user should see it: relative to the working folder when inside it, else as given. */
function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

/** Where the project is: a folder holding project.yaml (or .yml), or a project .yaml file. */
async function findProjectFile(path: string): Promise<{ dir: string; file: string }> {
  const st = await stat(path).catch(() => null);
  const where = shown(path);
  const expected = 'a project folder holding project.yaml, or a project .yaml file';
  if (!st)
    throw new CityIndexError({
      code: 'E_PROJECT_NOT_FOUND',
      message: `no such folder or file / 找不到项目`,
      file: where,
      expected,
    });
  if (st.isFile()) {
    if (/\.ya?ml$/i.test(path)) return { dir: dirname(path), file: basename(path) };
    throw new CityIndexError({
      code: 'E_PROJECT_NOT_YAML',
      message:
        'this is a file, not a project: give the folder that holds project.yaml / 请给出包含 project.yaml 的项目文件夹',
      file: where,
      expected,
    });
  }
  const names = await readdir(path).catch(() => [] as string[]);
  for (const name of ['project.yaml', 'project.yml']) if (names.includes(name)) return { dir: path, file: name };
  const yamls = names.filter((n) => /\.ya?ml$/i.test(n)).sort();
  throw new CityIndexError({
    code: 'E_NO_PROJECT_FILE',
    message:
      'no project.yaml in this folder / 该文件夹中没有 project.yaml' +
      (yamls.length ? ` (it has ${yamls.slice(0, 4).join(', ')}: give one of them as the path)` : ''),
    file: where,
    expected,
  });
}

/**
 * Load and validate a project folder. Throws one `CityIndexError` listing every problem found
 * (file, row, column, field, expected) if anything is wrong; warnings found on the way travel with it.
 * `path` is a project folder (reads project.yaml) or a project file in it (e.g. a variant that `extends`).
 * @example const p = await loadProject('examples/asem'); p.input.units.length // => 51
 */
export async function loadProject(path: string): Promise<LoadedProject> {
  const { dir, file } = await findProjectFile(path);
  return assembleProject(fsProjectFiles(dir), { dir, file, readXlsx: readXlsxTable });
}
