/**
 * Series files on disk (Node): `loadSeriesCsv(path)` and `loadSeriesProject(path)` over the pure
 * parsers and schema of series-read.ts, which this module re-exports.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { CityIndexError } from '../engine/core/errors.ts';
import { checkRoots } from './project-files.ts';
import { fsProjectFiles } from './project-fs.ts';
import { SeriesConfigSchema, seriesTableFromBytes, type LoadedSeriesProject, type SeriesTable } from './series-read.ts';

export * from './series-read.ts';

/**
 * Read and parse a series CSV file (UTF-8, UTF-16 with BOM, or GB18030).
 * @example const t = await loadSeriesCsv('data/sources/seed-288/seed_288_table.csv'); t.rows.length // => 7
 */
export async function loadSeriesCsv(path: string): Promise<SeriesTable> {
  return seriesTableFromBytes(new Uint8Array(await readFile(path)), path);
}

/**
 * Load a series project: a folder with `series.yaml` (a `series:` block, or the block's fields at the
 * top level) or a `project.yaml` with a `series:` block; or a single series CSV file. The files it names
 * are confined to its folder and its `allowedRoots:` like a project's.
 * @example const p = await loadSeriesProject('examples/series-demo'); p.table.seriesCodes.length // => 6
 */
export async function loadSeriesProject(path: string): Promise<LoadedSeriesProject> {
  const st = await stat(path).catch(() => null);
  if (!st) throw new CityIndexError({ code: 'E_NOT_FOUND', message: 'no such file or folder', file: path });
  if (st.isFile() && /\.(csv|txt)$/i.test(path)) {
    return { dir: dirname(resolve(path)), config: { file: basename(path) }, table: await loadSeriesCsv(path) };
  }
  let configFile: string | undefined;
  let block: unknown;
  let roots: string[] = [];
  const candidates = st.isFile() ? [path] : [join(path, 'series.yaml'), join(path, 'project.yaml')];
  for (const c of candidates) {
    const text = await readFile(c, 'utf8').catch(() => null);
    if (text === null) continue;
    let doc: unknown;
    try {
      doc = parseYaml(text);
    } catch (e) {
      throw new CityIndexError({ code: 'E_YAML', message: `cannot parse YAML: ${(e as Error).message}`, file: c });
    }
    const rec = (doc ?? {}) as Record<string, unknown>;
    const own = ['name', 'description', 'allowedRoots'];
    if (rec.series !== undefined) block = rec.series;
    else if (basename(c) === 'series.yaml' || st.isFile())
      block = Object.fromEntries(Object.entries(rec).filter(([k]) => !own.includes(k)));
    else continue;
    const listed = Array.isArray(rec.allowedRoots) ? rec.allowedRoots : [];
    roots = checkRoots(listed.filter((x): x is string => typeof x === 'string')).roots;
    configFile = c;
    break;
  }
  if (!configFile)
    throw new CityIndexError({
      code: 'E_NO_SERIES',
      message: 'no series.yaml, and no project.yaml with a series: block',
      file: path,
      expected: 'a series CSV file or a folder with series.yaml',
    });
  const parsed = SeriesConfigSchema.safeParse(block);
  if (!parsed.success) {
    throw new CityIndexError(
      parsed.error.issues.map((i) => ({
        code: 'E_SERIES_CONFIG',
        message: i.message,
        file: configFile,
        field: ['series', ...i.path.map(String)].join('.'),
      })),
    );
  }
  const dir = dirname(resolve(configFile));
  const config = parsed.data;
  // the files it names stay in its folder (and the folders listed in allowedRoots:), as a project's do
  const files = fsProjectFiles(dir).withRoots(roots);
  const inside = (rel: string, field: string): string => {
    const r = files.resolve(rel);
    if (r.ok) return join(dir, r.path);
    const { code, message, expected } = r;
    throw new CityIndexError({ code, message, file: configFile, field: `series.${field}`, expected });
  };
  const table = await loadSeriesCsv(inside(config.file, 'file'));
  const auditTable = config.audit ? await loadSeriesCsv(inside(config.audit, 'audit')) : undefined;
  return { dir, config, table, ...(auditTable ? { auditTable } : {}) };
}
