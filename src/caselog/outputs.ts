/**
 * The files `cityindex cases-log kpi` writes into the project (Node only), in `kpi/<log id>/`:
 * - `kpis.csv`: every KPI × level × period with numerator, denominator, Wilson interval and exclusions;
 *   rows of level `category` (the breakdown by standard category, by month and year) give the city in
 *   `unit` and the category in `category`;
 * - `indicators.csv`: the KPIs named under `indicators:` in the long format of a `kind: kpi` data source
 *   (unit, indicator, value, period, source), each value's source carrying its lineage (KPI → SQL hash →
 *   input file hashes);
 * - `lineage.json`: the KPI definitions (formula zh/en, numerator, denominator, exclusions, SQL text and
 *   its SHA-256), the input files' SHA-256 and the import counts.
 * A simulated log's files say SIMULATED in their first line / field. Written atomically (temporary folder,
 * then rename); no clock, so the same log gives byte-identical files.
 */
import { createHash } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import type { CaseLogConfig } from '../engine/caselog/config.ts';
import { KPI_DEFINITIONS, kpiDefinition, type KpiValue } from '../engine/caselog/kpis.ts';
import type { ImportReport } from './import.ts';

/** The label every file and value derived from a simulated log carries. */
export const SIMULATED_LABEL = 'SIMULATED / 模拟数据';

/**
 * SHA-256 of a text, hex.
 * @example sha256Text('abc').slice(0, 12) // => 'ba7816bf8f01'
 */
export function sha256Text(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

/** A number as written in the CSV files: full precision, empty when missing. */
const num = (v: number | null) => (v === null || !Number.isFinite(v) ? '' : String(v));

/**
 * The lineage text of one KPI value of a log: KPI, SQL hash, input file(s) and hash.
 * @example
 * lineageText('on_time_rate', { files: [{ path: 'a.csv', sha256: 'c849c7bf78b0', bytes: 1 }] }, false)
 * // => 'KPI on_time_rate ← SQL sha256:ce47dc7017ac ← a.csv sha256:c849c7bf78b0'
 */
export function lineageText(kpi: string, report: Pick<ImportReport, 'files'>, simulated: boolean): string {
  const def = kpiDefinition(kpi);
  const sql = def ? sha256Text(def.sql).slice(0, 12) : 'unknown';
  const [first, ...rest] = report.files;
  const input = first ? `${first.path} sha256:${first.sha256.slice(0, 12)}` : 'no input';
  const more = rest.length ? ` (+${rest.length} file${rest.length > 1 ? 's' : ''}, see lineage.json)` : '';
  return `${simulated ? `${SIMULATED_LABEL}: ` : ''}KPI ${kpi} ← SQL sha256:${sql} ← ${input}${more}`;
}

/** What the lineage of the output files says of the input: the import's files and counts. */
export type KpiInputReport = Pick<
  ImportReport,
  'files' | 'records' | 'accepted' | 'rejected' | 'rejectedByCode' | 'excludedByRule' | 'receivedRange'
> & {
  /** The platform store's batches the cases came from (their files are in `files`). */
  batches?: Array<{ id: number; city: string; sha256: string }>;
};

/**
 * The three output files' contents (see the module comment).
 * @example
 * import { readCaseLogs } from './project.ts';
 * const [log] = await readCaseLogs('examples/service-requests-311');
 * const none = { files: [], records: 0, accepted: 0, rejected: 0, rejectedByCode: {}, excludedByRule: {},
 *   receivedRange: null };
 * Object.keys(kpiOutputFiles(log, none, [], 'duckdb')) // => ['kpis.csv', 'indicators.csv', 'lineage.json']
 */
export function kpiOutputFiles(
  log: CaseLogConfig,
  report: KpiInputReport,
  values: readonly KpiValue[],
  engine: string,
): Record<string, string> {
  const simulated = log.simulated === true;
  const head = ['kpi', 'level', 'unit', 'period', 'value', 'numerator', 'denominator', 'ci_low', 'ci_high'];
  const rows = values.map((v) => [
    v.kpi,
    v.level,
    v.unit,
    v.period,
    num(v.value),
    num(v.numerator),
    num(v.denominator),
    num(v.ciLow),
    num(v.ciHigh),
    Object.entries(v.excluded)
      .map(([k, n]) => `${k}=${n}`)
      .join(';'),
    v.category ?? '',
    ...(simulated ? ['simulated'] : []),
  ]);
  const kpisCsv = stringify([[...head, 'excluded', 'category', ...(simulated ? ['label'] : [])], ...rows]);
  const wanted = log.indicators ?? [];
  const indRows: string[][] = [];
  for (const w of wanted)
    for (const v of values)
      if (v.kpi === w.kpi && v.level === w.level && v.period === w.period)
        indRows.push([v.unit, w.indicator, num(v.value), w.period.slice(0, 4), lineageText(v.kpi, report, simulated)]);
  const indicatorsCsv = stringify([['unit', 'indicator', 'value', 'period', 'source'], ...indRows]);
  const lineage = {
    ...(simulated ? { label: SIMULATED_LABEL } : {}),
    log: log.id,
    name: log.name,
    city: log.city,
    engine,
    utcOffset: log.utcOffset,
    input: {
      files: report.files,
      records: report.records,
      accepted: report.accepted,
      rejected: report.rejected,
      rejectedByCode: report.rejectedByCode,
      excludedByRule: report.excludedByRule,
      receivedRange: report.receivedRange,
      ...(report.batches ? { batches: report.batches } : {}),
    },
    indicators: wanted,
    kpis: KPI_DEFINITIONS.map((d) => ({
      id: d.id,
      name: d.name,
      unit: d.unit,
      kind: d.kind,
      direction: d.direction,
      formula: d.formula,
      numerator: d.numerator,
      denominator: d.denominator ?? null,
      exclusions: d.exclusions,
      sql: d.sql,
      sqlSha256: sha256Text(d.sql),
    })),
  };
  return {
    'kpis.csv': kpisCsv,
    'indicators.csv': indicatorsCsv,
    'lineage.json': JSON.stringify(lineage, null, 2) + '\n',
  };
}

/** Write the output files into `<projectDir>/kpi/<log id>/`, replacing the folder only once all are written. */
export async function writeKpiOutputs(
  projectDir: string,
  logId: string,
  files: Record<string, string>,
): Promise<string> {
  const dir = join(projectDir, 'kpi', logId);
  const tmp = `${dir}.tmp-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  try {
    for (const [name, text] of Object.entries(files)) await writeFile(join(tmp, name), text);
    await rm(dir, { recursive: true, force: true });
    await rename(tmp, dir);
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
  return dir;
}
