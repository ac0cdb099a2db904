/**
 * The KPI values of a project's case logs for the report's and the dashboard's KPI pages (Node only): for
 * each log named by a `kind: kpi` data source, its `kpi/<id>/kpis.csv` as written by `cityindex cases-log
 * kpi`, keeping the rows the pages show (city by month and year, districts and categories by year).
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { CityIndexError } from '../engine/core/errors.ts';
import type { KpiLevel, KpiValue } from '../engine/caselog/kpis.ts';
import type { KpiPageLog } from '../engine/caselog/pages.ts';
import { readCaseLogs } from './project.ts';

const MAX_KPIS_BYTES = 64 << 20;
const LEVELS = new Set<string>(['city', 'district', 'category']);

/** A number of kpis.csv (empty → NaN for the value, null for the others). */
const numOr = (s: string | undefined, empty: number | null) => (s === undefined || s === '' ? empty : Number(s));

/** The rows of one kpis.csv the pages show, with a located error for a malformed row. */
export function parseKpisCsv(text: string, file: string): KpiValue[] {
  const rows = parseCsv(text, { bom: true, columns: true, skip_empty_lines: true }) as Record<string, string>[];
  const out: KpiValue[] = [];
  rows.forEach((r, i) => {
    const level = r.level;
    if (!LEVELS.has(level) || !r.kpi || !r.unit || !/^\d{4}(-\d{2}|-Q\d)?$/.test(r.period ?? ''))
      throw new CityIndexError({
        code: 'E_KPIS_ROW',
        message: 'malformed KPI row / KPI 行格式错误',
        file,
        row: i + 2,
        expected: 'kpi, level (city, district or category), unit and period (2024, 2024-01 or 2024-Q1)',
      });
    const monthly = r.period.length === 7 && r.period[4] === '-' && r.period[5] !== 'Q';
    const yearly = r.period.length === 4;
    if (!(yearly || (monthly && level === 'city'))) return;
    const excluded = Object.create(null) as Record<string, number>;
    for (const part of (r.excluded ?? '').split(';').filter(Boolean)) {
      const [k, n] = part.split('=');
      excluded[k] = Number(n);
    }
    out.push({
      kpi: r.kpi,
      level: level as KpiLevel,
      unit: r.unit,
      ...(level === 'category' ? { category: r.category ?? '' } : {}),
      period: r.period,
      value: numOr(r.value, NaN) as number,
      numerator: numOr(r.numerator, 0) as number,
      denominator: numOr(r.denominator, null),
      ciLow: numOr(r.ci_low, null),
      ciHigh: numOr(r.ci_high, null),
      excluded,
    });
  });
  return out;
}

/**
 * The KPI page data of the case logs a project reads through `kind: kpi` data sources (an empty list when
 * it has none). A missing kpis.csv is a located error telling what to run.
 * @example // no-run: reads the example's committed KPI outputs (tests/report/caselog.test.ts)
 * (await loadKpiPageLogs('examples/service-requests-311', [{ kind: 'kpi', caselog: 'boston-2015h1' }]))[0].city.code
 * // => 'US-BOS'
 */
export async function loadKpiPageLogs(
  projectDir: string,
  data: ReadonlyArray<{ kind?: string; caselog?: string }> | undefined,
  projectFile = 'project.yaml',
): Promise<KpiPageLog[]> {
  const ids = [...new Set((data ?? []).filter((d) => d.kind === 'kpi' && d.caselog).map((d) => d.caselog!))];
  if (!ids.length) return [];
  const logs = await readCaseLogs(projectDir, projectFile);
  const out: KpiPageLog[] = [];
  for (const id of ids) {
    const log = logs.find((l) => l.id === id);
    if (!log) continue; // the project's loader already reports an unknown case log
    const rel = `kpi/${id}/kpis.csv`;
    const path = join(projectDir, 'kpi', id, 'kpis.csv');
    const size = (await stat(path).catch(() => undefined))?.size;
    if (size === undefined)
      throw new CityIndexError({
        code: 'E_FILE_NOT_FOUND',
        message: `the KPIs of case log "${id}" have not been computed / 尚未计算工单日志 "${id}" 的指标`,
        file: rel,
        expected: 'run: cityindex cases-log kpi <project>',
      });
    if (size > MAX_KPIS_BYTES)
      throw new CityIndexError({ code: 'E_TOO_LARGE', message: 'KPI file larger than 64 MB', file: rel });
    out.push({
      id,
      ...(log.name !== undefined ? { name: log.name } : {}),
      city: log.city,
      simulated: log.simulated === true,
      ...(log.source ? { source: log.source } : {}),
      values: parseKpisCsv(await readFile(path, 'utf8'), rel),
    });
  }
  return out;
}
