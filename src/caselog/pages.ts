/**
 * The KPI values of a project's case logs for the report's and the dashboard's KPI pages (Node only): for
 * each log named by a `kind: kpi` data source, its `kpi/<id>/kpis.csv` as written by `cityindex cases-log
 * kpi`, keeping the rows the pages show (city by month and year, districts and categories by year).
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { CityIndexError } from '../engine/core/errors.ts';
import type { KpiPageLog } from '../engine/caselog/pages.ts';
import { readCaseLogs } from './project.ts';
import { kpiCaseLogIds, parseKpisCsv } from './kpis-csv.ts';

export { parseKpisCsv } from './kpis-csv.ts';

const MAX_KPIS_BYTES = 64 << 20;
/**
 * The KPI page data of the case logs a project reads through `kind: kpi` data sources (an empty list when
 * it has none). A missing kpis.csv is a located error telling what to run.
 * @example // no-run: reads the example's committed KPI outputs (tests/report/caselog.test.ts)
 * (await loadKpiPageLogs('examples/service-requests-311', [{ kind: 'kpi', caselog: 'boston-2015h1' }]))[0].city.code
 * // => 'US-BOS'
 */
export async function loadKpiPageLogs(
  projectDir: string,
  data: unknown,
  projectFile = 'project.yaml',
): Promise<KpiPageLog[]> {
  const ids = kpiCaseLogIds(data);
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
