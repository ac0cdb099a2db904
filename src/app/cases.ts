/** The case-library use case: find case studies in a project's `cases:` folder. */
import { searchCases, type CaseHit, type SearchCasesOptions } from '../engine/cases/search.ts';
import { CityIndexError } from '../engine/core/errors.ts';
import { checkAborted, type UseCaseOptions } from './events.ts';
import { resolveHost, type AppHost } from './host.ts';
import type { ProjectSource } from './project.ts';

/** Options of `searchProjectCases`: the filters of `searchCases` and where files are read from. */
export interface SearchProjectCasesOptions extends SearchCasesOptions, UseCaseOptions {
  /** Where files are read from (default: the Node host). */
  host?: AppHost;
}

/**
 * Search a project's case library (words in Chinese or English; filters by city, domain, indicator).
 * A project without a `cases:` folder is an input error.
 * @example
 * const hits = await searchProjectCases('examples/cdgi-2020', '交通');
 * hits[0].case.id // => 'hangzhou-city-brain'
 */
export async function searchProjectCases(
  source: ProjectSource,
  query: string,
  options: SearchProjectCasesOptions = {},
): Promise<CaseHit[]> {
  const host = await resolveHost(options.host);
  const project = typeof source === 'string' ? await host.loadProject(source) : source;
  const folder = project.project.cases;
  if (!folder) {
    throw new CityIndexError({
      code: 'E_NO_CASES',
      message: 'the project declares no case library',
      file: project.file,
      field: 'cases',
      expected: 'cases: <folder of case Markdown files>',
    });
  }
  checkAborted(options.signal);
  const cases = await host.loadCases(folder, project.dir);
  const { city, domain, indicator } = options;
  return searchCases(cases, query, { city, domain, indicator });
}
