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
  return parseProjectCaseLogs(await readFile(join(dir, file)), file).logs;
}

/**
 * The case logs a project file declares (`caselogs:`, validated with located errors) and its `data:` as written
 * (for `kpiCaseLogIds`), from the file's bytes (a stored project's file, say).
 * @example
 * const yaml = 'data:\n  - { kind: kpi, caselog: a }\n';
 * parseProjectCaseLogs(new TextEncoder().encode(yaml)) // => { logs: [], data: [{ kind: 'kpi', caselog: 'a' }] }
 */
export function parseProjectCaseLogs(
  bytes: Uint8Array,
  file = 'project.yaml',
): { logs: CaseLogConfig[]; data: unknown } {
  if (bytes.length > MAX_PROJECT_BYTES)
    throw new CityIndexError({ code: 'E_TOO_LARGE', message: 'project file larger than 4 MB', file });
  let doc: unknown;
  try {
    doc = parseYaml(new TextDecoder().decode(bytes), { maxAliasCount: 100 });
  } catch (e) {
    throw new CityIndexError({ code: 'E_YAML', message: (e as Error).message.slice(0, 300), file });
  }
  const top = typeof doc === 'object' && doc !== null ? (doc as Record<string, unknown>) : {};
  const raw = top.caselogs;
  if (raw === undefined) return { logs: [], data: top.data };
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
  return { logs: parsed.data, data: top.data };
}
