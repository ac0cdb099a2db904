/**
 * Time-series use cases: audit a published index table (日期/指数/环比/同比) against its own index
 * values, and compute a series project — changes (MoM/YoY/YTD), rebasing, a weighted aggregate and the
 * audit of a configured published table — as files in memory.
 */
import { CityIndexError } from '../engine/core/errors.ts';
import { aggregateSeries, type AggregateSeriesResult } from '../engine/series/aggregate.ts';
import { auditPublishedTable, type AuditOptions, type AuditResult } from '../engine/series/audit.ts';
import { seriesChanges } from '../engine/series/changes.ts';
import { rebase } from '../engine/series/chain.ts';
import type { Series } from '../engine/series/series.ts';
import type { OutputFiles } from '../formats/output.ts';
import { tableToCsv } from '../formats/results.ts';
import {
  seriesSheetRows,
  tableToPublishedRows,
  tableToSeries,
  tableWeights,
  type LoadedSeriesProject,
  type SeriesTable,
} from '../formats/series.ts';
import { seriesChartOption } from '../report/series-chart.ts';
import { resolveHost, type AppHost } from './host.ts';

const VERDICT_ZH = new Map<string, string>([
  ['consistent', '一致'],
  ['swapped', '环比/同比互换'],
  ['inconsistent', '不一致'],
  ['not-checkable', '无法核对'],
]);

const num = (v: number | null, d = 2): string => (v === null ? '—' : v.toFixed(d));

/**
 * The audit as plain text (what `audit.txt` holds): one line per row, then the reasons, the summary
 * and the tolerance rule.
 * @example
 * const audit = await auditSeriesFile('data/sources/seed-288/seed_288_table.csv');
 * formatAuditText(audit, 'seed.csv').split('\n')[0] // => 'Audit of seed.csv (7 rows) / 发布表核对'
 */
export function formatAuditText(result: AuditResult, file: string): string {
  const lines: string[] = [`Audit of ${file} (${result.rows.length} rows) / 发布表核对`, ''];
  lines.push(['period', 'index', '环比(printed)', '同比(printed)', 'MoM recomputed', 'verdict'].join('\t'));
  for (const r of result.rows) {
    const mom = r.checks.find((c) => c.change === 'mom');
    const period = r.period + (r.label && r.label !== 'table' ? ` (${r.label})` : '');
    const verdict = `${r.verdict} / ${VERDICT_ZH.get(r.verdict)}`;
    const recomputed = mom ? mom.recomputed.toFixed(4) : '—';
    const printed = [num(r.printed.value, 1), num(r.printed.mom), num(r.printed.yoy)];
    lines.push([period, ...printed, recomputed, verdict].join('\t'));
  }
  lines.push('');
  for (const r of result.rows) {
    lines.push(`${r.period}: ${r.verdict} — ${r.reason}`);
    for (const v of r.implied) {
      const unit = v.kind === 'year-ago period-on-period change' ? ' %' : '';
      const interval = `[${v.interval.lo.toFixed(2)}, ${v.interval.hi.toFixed(2)}]`;
      let printed = '';
      if (v.printed !== undefined) {
        const shown = Number.isInteger(v.printed) ? v.printed.toFixed(1) : String(v.printed);
        printed = ` (printed ${shown}: ${v.agrees ? 'agrees' : 'DISAGREES'})`;
      }
      lines.push(`    implies ${v.kind} ${v.period} = ${v.value.toFixed(2)}${unit} ${interval}${printed}`);
    }
  }
  lines.push('');
  for (const [k, periods] of Object.entries(result.summary)) {
    lines.push(`${k} (${VERDICT_ZH.get(k)}): ${periods.length ? periods.join(', ') : 'none'}`);
  }
  lines.push('', `Tolerance: ${result.tolerance}.`);
  return lines.join('\n') + '\n';
}

/** Options of `auditSeriesTable`: the audit's tolerances and which series of the table. */
export interface SeriesAuditOptions extends AuditOptions {
  /** Series code when the table holds several (default: the first). */
  series?: string;
}

/**
 * Audit a published table already read (what `series audit` runs).
 * @example
 * import { readFileSync } from 'node:fs';
 * import { parseSeriesCsv } from '../formats/series-read.ts';
 * const text = readFileSync('data/sources/seed-288/seed_288_table.csv', 'utf8');
 * auditSeriesTable(parseSeriesCsv(text, 'seed.csv')).summary.swapped // => ['2023-01', '2022-12']
 */
export function auditSeriesTable(table: SeriesTable, options: SeriesAuditOptions = {}): AuditResult {
  return auditPublishedTable(tableToPublishedRows(table, options.series), options);
}

/** What `computeSeries` yields: the files and the computed objects. */
export interface SeriesComputeOutput {
  files: OutputFiles;
  series: Series[];
  aggregate?: AggregateSeriesResult;
  audit?: AuditResult;
}

function aggregateOf(project: LoadedSeriesProject, series: Series[]): AggregateSeriesResult | undefined {
  const { config, table } = project;
  const a = config.aggregate;
  if (!a) return undefined;
  let weights: Record<string, number | Series>;
  if (a.weights) weights = a.weights;
  else {
    const fromFile = tableWeights(table);
    // keyed by the table's series codes (user input): no prototype
    const found: Record<string, Series> = Object.create(null) as Record<string, Series>;
    const missing: string[] = [];
    for (const [code, w] of Object.entries(fromFile)) {
      if (w === null) missing.push(code);
      else found[code] = w;
    }
    if (missing.length) {
      throw new CityIndexError(
        missing.map((code) => ({
          code: 'E_NO_WEIGHT',
          message: `series "${code}" has no weights`,
          file: table.file,
          unit: code,
          expected: 'a weight column, or aggregate.weights in series.yaml',
        })),
      );
    }
    weights = found;
  }
  const mean = a.mean ? { mean: a.mean } : {};
  const aggregation =
    a.method === 'fixedBase'
      ? { method: 'fixedBase' as const, ...(a.basePeriod ? { basePeriod: a.basePeriod } : {}), ...mean }
      : { method: 'chained' as const, ...mean, ...(a.weightTiming ? { weightTiming: a.weightTiming } : {}) };
  const baseValue = a.baseValue !== undefined ? { baseValue: a.baseValue } : {};
  return aggregateSeries(series, { aggregation, weights, code: a.code ?? 'national', ...baseValue });
}

/**
 * Everything `series compute` writes, in memory: `series.csv` (long: series, period, value, MoM, YoY,
 * YTD), `series.json`, `chart.json` (ECharts option of the aggregate, or of the first series) and,
 * when configured, `audit.json` + `audit.txt`.
 * @example
 * import { loadSeriesProject } from '../formats/series.ts';
 * const project = await loadSeriesProject('examples/series-demo');
 * computeSeries(project).aggregate?.series.values[0] // => 1000
 */
export function computeSeries(project: LoadedSeriesProject): SeriesComputeOutput {
  const { config, table } = project;
  let series = tableToSeries(table);
  const r = config.rebase;
  if (r) {
    const base = r.period !== undefined ? { period: r.period } : { year: r.year! };
    series = series.map((s) => rebase(s, { base, ...(r.value !== undefined ? { value: r.value } : {}) }));
  }
  const aggregate = aggregateOf(project, series);
  const all = aggregate ? [...series, aggregate.series] : series;
  const note = config.note;
  const files: OutputFiles = new Map();
  files.set('series.csv', tableToCsv(seriesSheetRows(all, note ? { note } : {})));
  const arr = (x: Float64Array) => Array.from(x, (v) => (Number.isFinite(v) ? v : null));
  const json = {
    ...(note ? { note } : {}),
    source: table.file,
    series: all.map((s) => {
      const ch = seriesChanges(s);
      return {
        code: s.code,
        frequency: s.frequency,
        periods: s.periods,
        base: s.base ?? null,
        values: arr(s.values),
        periodOnPeriod: arr(ch.periodOnPeriod),
        yearOnYear: arr(ch.yearOnYear),
        yearToDate: arr(ch.yearToDate),
      };
    }),
    ...(aggregate
      ? {
          aggregate: {
            ...config.aggregate,
            code: aggregate.series.code,
            weightShares: aggregate.weightShares,
            contributors: Array.from(aggregate.contributors),
          },
        }
      : {}),
  };
  files.set('series.json', JSON.stringify(json, null, 2) + '\n');
  const chartSeries = aggregate ? aggregate.series : all[0];
  files.set('chart.json', JSON.stringify(seriesChartOption(chartSeries, note ? { note } : {}), null, 2) + '\n');
  let audit: AuditResult | undefined;
  if (project.auditTable) {
    audit = auditPublishedTable(tableToPublishedRows(project.auditTable));
    const auditJson = { ...(note ? { note } : {}), file: project.auditTable.file, ...audit };
    files.set('audit.json', JSON.stringify(auditJson, null, 2) + '\n');
    files.set('audit.txt', formatAuditText(audit, project.auditTable.file));
  }
  return { files, series, ...(aggregate ? { aggregate } : {}), ...(audit ? { audit } : {}) };
}

/** Options of the series use cases that read files. */
export interface SeriesFileOptions {
  /** Where files are read from (default: the Node host). */
  host?: AppHost;
}

/**
 * Read a published table and audit it (what `series audit <file>` runs).
 * @example
 * const audit = await auditSeriesFile('data/sources/seed-288/seed_288_table.csv');
 * audit.summary.swapped // => ['2023-01', '2022-12']
 */
export async function auditSeriesFile(
  file: string,
  options: SeriesAuditOptions & SeriesFileOptions = {},
): Promise<AuditResult> {
  const { host, ...audit } = options;
  return auditSeriesTable(await (await resolveHost(host)).loadSeriesTable(file), audit);
}

/** A series project read from a path, with its computed outputs. */
export interface SeriesProjectRun extends SeriesComputeOutput {
  project: LoadedSeriesProject;
}

/**
 * Read a series project (a folder with series.yaml, a project.yaml with `series:`, or one CSV) and
 * compute it (what `series compute <path>` runs).
 * @example
 * const computed = await computeSeriesProject('examples/series-demo');
 * computed.series.length // => 6
 */
export async function computeSeriesProject(path: string, options: SeriesFileOptions = {}): Promise<SeriesProjectRun> {
  const project = await (await resolveHost(options.host)).loadSeriesProject(path);
  return { project, ...computeSeries(project) };
}
