/**
 * Survey files on disk (Node): the path-based loaders over `readSurvey` and the pure parsers of
 * survey-read.ts, which this module re-exports. A project's surveys are read through its
 * `ProjectFiles` source instead (assemble.ts).
 */
import { readFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import YAML from 'yaml';
import { CityIndexError } from '../engine/core/errors.ts';
import type { SurveyRunResult } from '../engine/survey/pipeline.ts';
import { fsProjectFiles } from './project-fs.ts';
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

/**
 * Find the survey configs of a project: `project.yaml` `surveys:` (a path, a list of paths, or a list of
 * `{ id, config }`), else `surveys/survey.yaml`.
 * @example
 * const found = await findSurveyConfigs('examples/cdgi-2020');
 * found.map((p) => p.endsWith('examples/cdgi-2020/surveys/survey.yaml')) // => [true]
 */
export async function findSurveyConfigs(projectDir: string): Promise<string[]> {
  let project: unknown;
  try {
    project = YAML.parse(await readFile(join(projectDir, 'project.yaml'), 'utf8'));
  } catch {
    project = null;
  }
  const s = project && typeof project === 'object' ? (project as { surveys?: unknown }).surveys : undefined;
  const list = s === undefined || s === null ? [] : Array.isArray(s) ? s : [s];
  const paths = list
    .map((x) =>
      typeof x === 'string' ? x : x && typeof x === 'object' ? (x as { config?: unknown }).config : undefined,
    )
    .filter((x): x is string => typeof x === 'string');
  return paths.length ? paths.map((p) => resolve(projectDir, p)) : [resolve(projectDir, 'surveys', 'survey.yaml')];
}

/**
 * Load a survey from disk: config, definitions, responses and census margins, with every issue collected.
 * Issues name the config as given and the files it names by their absolute paths.
 * @example
 * const survey = await loadSurvey('examples/cdgi-2020/surveys/survey.yaml');
 * survey.config.simulated // => true
 */
export async function loadSurvey(configPath: string): Promise<LoadedSurvey> {
  const folder = dirname(configPath);
  const name = basename(configPath);
  const shown = (p: string) => (p === name ? configPath : resolve(folder, p));
  return readSurvey(fsProjectFiles(folder), name, { readXlsx: readXlsxTable, shown });
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
