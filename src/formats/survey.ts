/**
 * Survey files on disk (Node): the path-based loaders over `readSurvey` and the pure parsers of
 * survey-read.ts, which this module re-exports. A project's surveys are read through its
 * `ProjectFiles` source instead (assemble.ts).
 */
import { readFile, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import YAML from 'yaml';
import { CityIndexError } from '../engine/core/errors.ts';
import type { SurveyRunResult } from '../engine/survey/pipeline.ts';
import { fsProjectFiles } from './project-fs.ts';
import { checkRoots, type ProjectFiles } from './project-files.ts';
import {
  parseResponses,
  readSurvey,
  runLoadedSurvey,
  type LoadedSurvey,
  type ParsedResponses,
  type ResponseFileOptions,
} from './survey-read.ts';
import { readXlsxTable } from './xlsx-table.ts';

export * from './survey-read.ts';

/**
 * Read a response file by format (from the extension unless given).
 * @example
 * const options = { columns: { city: 'city_adcode' }, items: ['GOV1'] };
 * const r = await loadResponses('examples/cdgi-2020/surveys/responses-simulated.csv', options);
 * r.table.city.length > 0 // => true
 */
export async function loadResponses(path: string, options: ResponseFileOptions): Promise<ParsedResponses> {
  return parseResponses(await readBytes(path), path, options, readXlsxTable);
}

async function readBytes(path: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    throw new CityIndexError({ code: 'E_FILE', message: `cannot read file: ${reason}`, file: path });
  }
}

/** The value of a project file, or null when it cannot be read or parsed (the project load reports why). */
async function projectValue(projectDir: string): Promise<unknown> {
  try {
    return YAML.parse(await readFile(join(projectDir, 'project.yaml'), 'utf8'), { maxAliasCount: 100 });
  } catch {
    return null;
  }
}

/** The project folder's files confined to it and to its `allowedRoots:` (valid entries only). */
function confinedProject(projectDir: string, project: unknown): ProjectFiles {
  const list = project && typeof project === 'object' ? (project as { allowedRoots?: unknown }).allowedRoots : [];
  const entries = Array.isArray(list) ? list.filter((x): x is string => typeof x === 'string') : [];
  return fsProjectFiles(projectDir).withRoots(checkRoots(entries).roots);
}

/**
 * Find the survey configs of a project: `project.yaml` `surveys:` (a path, a list of paths, or a list of
 * `{ id, config }`), else `surveys/survey.yaml`. A path out of the project folder (and its
 * `allowedRoots:`) is a located error.
 * @example
 * const found = await findSurveyConfigs('examples/cdgi-2020');
 * found.map((p) => p.endsWith('examples/cdgi-2020/surveys/survey.yaml')) // => [true]
 */
export async function findSurveyConfigs(projectDir: string): Promise<string[]> {
  const project = await projectValue(projectDir);
  const s = project && typeof project === 'object' ? (project as { surveys?: unknown }).surveys : undefined;
  const list = s === undefined || s === null ? [] : Array.isArray(s) ? s : [s];
  const paths = list
    .map((x) =>
      typeof x === 'string' ? x : x && typeof x === 'object' ? (x as { config?: unknown }).config : undefined,
    )
    .filter((x): x is string => typeof x === 'string');
  const files = confinedProject(projectDir, project);
  for (const p of paths) {
    const r = files.resolve(p);
    if (!r.ok) {
      const { code, message, expected } = r;
      throw new CityIndexError({ code, message, file: join(projectDir, 'project.yaml'), field: 'surveys', expected });
    }
  }
  return paths.length ? paths.map((p) => resolve(projectDir, p)) : [resolve(projectDir, 'surveys', 'survey.yaml')];
}

/** The nearest folder holding `config` (or above it) with a project.yaml, if any. */
async function enclosingProject(config: string): Promise<string | undefined> {
  for (let dir = dirname(resolve(config)); ; dir = dirname(dir)) {
    if ((await stat(join(dir, 'project.yaml')).catch(() => null))?.isFile()) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * Load a survey from disk: config, definitions, responses and census margins, with every issue collected.
 * Issues name the config as given and the files it names by their absolute paths. The files it names
 * are confined like a project's: to the project folder around the config (the nearest folder above it
 * with a project.yaml) and that project's `allowedRoots:`, or to the config's own folder.
 * @example
 * const survey = await loadSurvey('examples/cdgi-2020/surveys/survey.yaml');
 * survey.config.simulated // => true
 */
export async function loadSurvey(configPath: string): Promise<LoadedSurvey> {
  const projectDir = (await enclosingProject(configPath)) ?? dirname(resolve(configPath));
  const files = confinedProject(projectDir, await projectValue(projectDir));
  const name = relative(projectDir, resolve(configPath)).split(sep).join('/');
  const shown = (p: string) => (p === name ? configPath : resolve(projectDir, p));
  return readSurvey(files, name, { readXlsx: readXlsxTable, shown });
}

/**
 * Load and run a survey (clean → weight → estimate). Errors in the issues stop it with a `CityIndexError`.
 * @example
 * const { result } = await runSurveyFile('examples/cdgi-2020/surveys/survey.yaml');
 * result.estimates.dataset.codes.length > 0 // => true
 */
export async function runSurveyFile(configPath: string): Promise<{ survey: LoadedSurvey; result: SurveyRunResult }> {
  return runLoadedSurvey(await loadSurvey(configPath));
}
