/**
 * The `caselogs:` of a project (Node only): read from project.yaml and validated with located errors.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { CityIndexError } from '../engine/core/errors.ts';
import { zodIssues } from '../engine/core/zod-issues.ts';
import { CaseLogsConfigSchema, type CaseLogConfig } from '../engine/caselog/config.ts';

const MAX_PROJECT_BYTES = 4 << 20;

/**
 * The case logs declared in `<dir>/project.yaml` (an empty list when there are none).
 * @example
 * const logs = await readCaseLogs('examples/service-requests-311');
 * logs.map((l) => l.id) // => ['boston-2015h1', 'sf-sample']
 */
export async function readCaseLogs(dir: string, file = 'project.yaml'): Promise<CaseLogConfig[]> {
  const bytes = await readFile(join(dir, file));
  if (bytes.length > MAX_PROJECT_BYTES)
    throw new CityIndexError({ code: 'E_TOO_LARGE', message: 'project file larger than 4 MB', file });
  let doc: unknown;
  try {
    doc = parseYaml(bytes.toString('utf8'), { maxAliasCount: 100 });
  } catch (e) {
    throw new CityIndexError({ code: 'E_YAML', message: (e as Error).message.slice(0, 300), file });
  }
  const raw = typeof doc === 'object' && doc !== null ? (doc as Record<string, unknown>).caselogs : undefined;
  if (raw === undefined) return [];
  const parsed = CaseLogsConfigSchema.safeParse(raw);
  if (!parsed.success) throw new CityIndexError(zodIssues(parsed.error, file, ['caselogs']));
  const seen = new Set<string>();
  for (const [i, l] of parsed.data.entries()) {
    if (seen.has(l.id))
      throw new CityIndexError({
        code: 'E_DUPLICATE',
        message: `case log id "${l.id}" used twice`,
        file,
        field: `caselogs[${i}].id`,
      });
    seen.add(l.id);
  }
  return parsed.data;
}
