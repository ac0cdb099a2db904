/**
 * The case-log use cases the CLI calls (Node only): import a project's logs, compute their KPIs on DuckDB or
 * PostgreSQL and write `kpi/<log>/`. No printing, no exit: progress goes through `onProgress`.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { parse as parseCsv } from 'csv-parse/sync';
import { CityIndexError } from '../engine/core/errors.ts';
import { offsetSeconds, type CaseLogConfig } from '../engine/caselog/config.ts';
import type { KpiValue } from '../engine/caselog/kpis.ts';
import { fsProjectFiles } from '../formats/project-fs.ts';
import type { ProjectFiles } from '../formats/project-files.ts';
import {
  fileStat,
  type FileStat,
  importCaseLog,
  sha256File,
  type ImportProgress,
  type ImportReport,
} from './import.ts';
import { computeKpis, duckKpiEngine, loadCasesIntoPostgres, pgKpiEngine } from './kpi.ts';
import { kpiOutputFiles, writeKpiOutputs } from './outputs.ts';
import { readCaseLogs } from './project.ts';

export type CaseLogEvent =
  | ({ kind: 'import'; log: string } & ImportProgress)
  | { kind: 'kpi'; log: string; engine: string; stage: 'load' | 'compute' | 'write'; rows?: number };

/**
 * The logs of a project selected by id (all when `ids` is empty, in the project's order), with a located error
 * for an unknown id or a project without case logs.
 * @example // no-run: reads project.yaml
 * (await selectLogs('examples/service-requests-311', ['sf-sample'])).map((l) => l.id) // => ['sf-sample']
 */
export async function selectLogs(projectDir: string, ids: readonly string[] = []): Promise<CaseLogConfig[]> {
  const logs = await readCaseLogs(projectDir);
  if (!logs.length)
    throw new CityIndexError({
      code: 'E_NO_CASELOGS',
      message: 'the project declares no case logs / 项目未声明工单日志',
      file: 'project.yaml',
      expected: 'a caselogs: section (see README, "Case logs and governance KPIs")',
    });
  for (const id of ids)
    if (!logs.some((l) => l.id === id))
      throw new CityIndexError({
        code: 'E_UNKNOWN_CASELOG',
        message: `no case log "${id}"`,
        file: 'project.yaml',
        field: 'caselogs',
        expected: `one of: ${logs.map((l) => l.id).join(', ')}`,
      });
  return ids.length ? logs.filter((l) => ids.includes(l.id)) : logs;
}

/**
 * Import the project's case logs (or those named) into `.cityindex/caselog/<id>/`.
 * @example // no-run: imports 58 119 real cases (tests/caselog/real311.test.ts)
 * (await importProjectCaseLogs('examples/service-requests-311', ['sf-sample']))[0].accepted // => 9871
 */
export async function importProjectCaseLogs(
  projectDir: string,
  ids: readonly string[] = [],
  onProgress?: (e: CaseLogEvent) => void,
): Promise<ImportReport[]> {
  const out: ImportReport[] = [];
  for (const log of await selectLogs(projectDir, ids))
    out.push(
      await importCaseLog({ projectDir, log, onProgress: (e) => onProgress?.({ kind: 'import', log: log.id, ...e }) }),
    );
  return out;
}

/**
 * The last import of a log when its input files are unchanged, else undefined. A file whose size and
 * modification time are those recorded at import keeps its recorded SHA-256 (as git trusts its index);
 * any other is hashed again and compared.
 */
async function currentImport(projectDir: string, log: CaseLogConfig): Promise<ImportReport | undefined> {
  const dir = join(projectDir, '.cityindex', 'caselog', log.id);
  const text = await readFile(join(dir, 'import.json'), 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  const { fileStats, ...report } = JSON.parse(text) as ImportReport & { fileStats?: FileStat[] };
  if (report.files.length !== log.files.length) return undefined;
  for (const [i, f] of report.files.entries()) {
    if (f.path !== log.files[i]) return undefined;
    const path = join(projectDir, f.path);
    const was = fileStats?.[i];
    const is = await fileStat(path).catch(() => undefined);
    if (!is) return undefined;
    if (was && was.bytes === is.bytes && was.mtimeMs === is.mtimeMs) continue;
    const now = await sha256File(path).catch(() => undefined);
    if (now?.sha256 !== f.sha256) return undefined;
  }
  return { ...report, outDir: dir };
}

/** Population per unit code from the log's `population:` file (CSV code,population), confined to the project. */
/**
 * The population by district a log's per-capita KPIs divide by (`population.file`: columns code, population),
 * read through the project's files (a folder, or a stored project's); undefined when the log names none.
 * @example
 * import { fsProjectFiles } from '../formats/project-fs.ts';
 * import { readCaseLogs } from './project.ts';
 * const [log] = await readCaseLogs('examples/service-requests-311');
 * const population = await readPopulation(fsProjectFiles('examples/service-requests-311'), log);
 * population // => undefined (Boston's log names no population file)
 */
export async function readPopulation(
  files: ProjectFiles,
  log: CaseLogConfig,
): Promise<Map<string, number> | undefined> {
  if (!log.population) return undefined;
  const rel = log.population.file;
  const r = files.resolve(rel);
  if (!r.ok) throw new CityIndexError({ code: r.code, message: r.message, file: rel, expected: r.expected });
  const bytes = await files.read(r.path);
  if (!bytes) throw new CityIndexError({ code: 'E_FILE_NOT_FOUND', message: 'not found / 找不到', file: rel });
  const rows = parseCsv(new TextDecoder().decode(bytes), { bom: true, columns: true }) as Record<string, string>[];
  const m = new Map<string, number>();
  rows.forEach((row, i) => {
    const n = Number(row.population);
    if (!row.code || !(n > 0))
      throw new CityIndexError({
        code: 'E_NOT_NUMBER',
        message: 'population must be a positive number',
        file: rel,
        row: i + 2,
        column: 'population',
        expected: 'columns code,population with a positive population',
      });
    m.set(row.code, n);
  });
  return m;
}

/**
 * The category breakdown (city × standard category) is computed by month and by year, beside the city and
 * district levels, by the file path and by the platform's store alike.
 * @example CATEGORY_BREAKDOWN.levels // => ['category']
 */
export const CATEGORY_BREAKDOWN = { levels: ['category'], granularities: ['month', 'year'] } as const;

export interface KpiRunOptions {
  ids?: readonly string[];
  engine?: 'duckdb' | 'postgres';
  /** PostgreSQL URL for `engine: postgres`; the log goes into schema `caselog_<id>` (its own tables). */
  databaseUrl?: string;
  onProgress?: (e: CaseLogEvent) => void;
}

export interface KpiRunResult {
  log: string;
  simulated: boolean;
  engine: string;
  values: KpiValue[];
  report: ImportReport;
  dir: string;
}

/**
 * Compute the KPIs of the project's case logs (importing a log first when its import is missing or its files
 * changed) and write `kpi/<id>/` (kpis.csv, indicators.csv, lineage.json).
 * @example // no-run: imports and aggregates real logs (tests/caselog/real311.test.ts)
 * (await computeProjectKpis('examples/service-requests-311'))[0].log // => 'boston-2015h1'
 */
export async function computeProjectKpis(projectDir: string, opts: KpiRunOptions = {}): Promise<KpiRunResult[]> {
  const engineName = opts.engine ?? 'duckdb';
  if (engineName === 'postgres' && !opts.databaseUrl)
    throw new CityIndexError({
      code: 'E_NO_DATABASE',
      message: 'the PostgreSQL engine needs a database URL (--database-url or DATABASE_URL)',
      expected: 'postgres://user@host:5432/db',
    });
  const results: KpiRunResult[] = [];
  for (const log of await selectLogs(projectDir, opts.ids)) {
    const emit = (stage: 'load' | 'compute' | 'write', rows?: number) =>
      opts.onProgress?.({ kind: 'kpi', log: log.id, engine: engineName, stage, rows });
    const report =
      (await currentImport(projectDir, log)) ??
      (await importCaseLog({
        projectDir,
        log,
        onProgress: (e) => opts.onProgress?.({ kind: 'import', log: log.id, ...e }),
      }));
    const parquet = join(report.outDir, 'cases.parquet');
    const population = await readPopulation(fsProjectFiles(projectDir), log);
    const offsetS = offsetSeconds(log.utcOffset);
    let values: KpiValue[];
    if (engineName === 'duckdb') {
      emit('compute');
      const duck = await duckKpiEngine(parquet);
      try {
        values = await computeKpis(duck.engine, { offsetS, population });
        values.push(...(await computeKpis(duck.engine, { offsetS, population, ...CATEGORY_BREAKDOWN })));
      } finally {
        duck.close();
      }
    } else {
      const client = new pg.Client({ connectionString: opts.databaseUrl });
      await client.connect();
      try {
        const schema = `caselog_${log.id.replaceAll('-', '_')}`;
        await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
        await client.query(`SET search_path TO ${schema}`);
        emit('load');
        await loadCasesIntoPostgres(client, parquet, { onRows: (n) => emit('load', n) });
        emit('compute');
        values = await computeKpis(pgKpiEngine(client), { offsetS, population });
        values.push(...(await computeKpis(pgKpiEngine(client), { offsetS, population, ...CATEGORY_BREAKDOWN })));
      } finally {
        await client.end();
      }
    }
    emit('write');
    const dir = await writeKpiOutputs(projectDir, log.id, kpiOutputFiles(log, report, values, engineName));
    results.push({ log: log.id, simulated: log.simulated === true, engine: engineName, values, report, dir });
  }
  return results;
}
