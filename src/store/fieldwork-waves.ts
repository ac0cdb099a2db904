/**
 * Start a fieldwork wave from the survey stored with a project (authors, admins): the survey config,
 * its questionnaire definitions and the census margins behind the quotas are read from the project's
 * stored files (an import records the census file even when it lies outside the project folder), checked
 * as `cityindex survey validate` checks them, and put in the field with `Fieldwork.createWave`.
 */
import { CityIndexError } from '../engine/core/errors.ts';
import type { LocalText } from '../engine/core/framework.ts';
import { memoryProjectFiles } from '../formats/project-files.ts';
import { readSurvey, type LoadedSurvey } from '../formats/survey.ts';
import { readXlsxTable } from '../formats/xlsx-table.ts';
import type { Fieldwork, WaveInfo } from './fieldwork.ts';
import type { Principal } from './principal.ts';
import type { ProjectInfo, Store } from './store.ts';

/** What starting a wave from the store takes. */
export interface StoredWaveRequest {
  slug: string;
  /** The survey config's path in the project (default: the only `*.yaml` under `surveys/`). */
  survey?: string;
  perCity?: number;
  tokensRequired?: boolean;
}

/** Issue codes of a survey that do not stop fieldwork (answers of the stored example responses). */
const RESPONSE_ISSUES = new Set(['E_ANSWER', 'E_CITY', 'E_AGE', 'E_SEX', 'E_DURATION']);

/**
 * The survey stored with a project, read from its stored files (authors and admins: `projectFiles`
 * refuses anyone else). A config with errors is refused with its located issues.
 * @example // no-run: needs a store with an imported project (tests/store/fieldwork-live.test.ts)
 * const survey = await storedSurvey(store, author, project, 'surveys/survey.yaml');
 */
export async function storedSurvey(
  store: Store,
  actor: Principal,
  project: ProjectInfo,
  configPath?: string,
): Promise<LoadedSurvey> {
  const files = await store.projectFiles(actor, project.id);
  const path = configPath ?? [...files.keys()].filter((p) => /^surveys\/[^/]+\.ya?ml$/.test(p)).sort()[0];
  if (path === undefined || !files.has(path))
    throw new CityIndexError({
      code: 'E_NOT_FOUND',
      message: `no survey config ${String(configPath ?? 'surveys/*.yaml').slice(0, 80)} in the project / 项目中没有该问卷配置`,
      field: 'survey',
      expected: 'the path of a survey config stored with the project, e.g. surveys/survey.yaml',
    });
  // files stored from outside the folder were allowed when imported: their folders are the roots
  const roots = [
    ...new Set([...files.keys()].filter((p) => p.startsWith('../')).map((p) => p.replace(/\/[^/]*$/, ''))),
  ];
  const survey = await readSurvey(memoryProjectFiles(files).withRoots(roots), path, { readXlsx: readXlsxTable });
  const errors = survey.issues.filter(
    (i) => i.severity !== 'warning' && i.code.startsWith('E_') && !RESPONSE_ISSUES.has(i.code),
  );
  if (errors.length) throw new CityIndexError(errors);
  return survey;
}

/**
 * Start a wave from the project's stored survey, with city names from the project's units and quotas per
 * city and per age × sex cell from the stored census margins.
 * @example // no-run: needs a store with an imported project (tests/store/fieldwork-live.test.ts)
 * const wave = await startStoredWave(fieldwork, author, project, { slug: 'w2', perCity: 120 });
 */
export async function startStoredWave(
  fieldwork: Fieldwork,
  actor: Principal,
  project: ProjectInfo,
  request: StoredWaveRequest,
): Promise<WaveInfo> {
  const survey = await storedSurvey(fieldwork.store, actor, project, request.survey);
  const cityNames = new Map<string, LocalText>(
    (await fieldwork.store.units(project.id)).map((u) => [u.code, { ...u.name }]),
  );
  return fieldwork.createWave(actor, project.id, {
    slug: request.slug,
    survey,
    cityNames,
    perCity: request.perCity,
    tokensRequired: request.tokensRequired,
  });
}
