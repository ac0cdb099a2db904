/**
 * `series audit <file>`: check a published index table (日期/指数/环比/同比) against its own index values.
 * `series compute <project|file>`: changes (MoM/YoY/YTD), rebasing, a weighted aggregate and the audit
 * of a configured published table, written atomically to an output folder.
 */
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { CityIndexError } from '../../engine/core/errors.ts';
import { aggregateSeries, type AggregateSeriesResult } from '../../engine/series/aggregate.ts';
import { auditPublishedTable, type AuditOptions, type AuditResult } from '../../engine/series/audit.ts';
import { seriesChanges } from '../../engine/series/changes.ts';
import { rebase } from '../../engine/series/chain.ts';
import type { Series } from '../../engine/series/series.ts';
import { writeOutputsAtomically, type OutputFiles } from '../../formats/output.ts';
import { tableToCsv } from '../../formats/results.ts';
import { loadSeriesCsv, loadSeriesProject, seriesSheetRows, tableToPublishedRows, tableToSeries, tableWeights, type LoadedSeriesProject } from '../../formats/series.ts';
import { seriesChartOption } from '../../report/series-chart.ts';

const log = (s: string) => process.stderr.write(s + '\n');

const VERDICT_ZH: Record<string, string> = { consistent: '一致', swapped: '环比/同比互换', inconsistent: '不一致', 'not-checkable': '无法核对' };

const num = (v: number | null, d = 2): string => (v === null ? '—' : v.toFixed(d));

/**
 * The audit as plain text: one line per row, then the summary and the tolerance rule.
 * @example formatAuditText(auditPublishedTable(rows), 'seed.csv') // => 'Audit of seed.csv …'
 */
export function formatAuditText(result: AuditResult, file: string): string {
  const lines: string[] = [`Audit of ${file} (${result.rows.length} rows) / 发布表核对`, ''];
  lines.push(['period', 'index', '环比(printed)', '同比(printed)', 'MoM recomputed', 'verdict'].join('\t'));
  for (const r of result.rows) {
    const mom = r.checks.find((c) => c.change === 'mom');
    lines.push([r.period + (r.label && r.label !== 'table' ? ` (${r.label})` : ''), num(r.printed.value, 1), num(r.printed.mom), num(r.printed.yoy), mom ? mom.recomputed.toFixed(4) : '—', `${r.verdict} / ${VERDICT_ZH[r.verdict]}`].join('\t'));
  }
  lines.push('');
  for (const r of result.rows) {
    lines.push(`${r.period}: ${r.verdict} — ${r.reason}`);
    for (const v of r.implied) {
      const unit = v.kind === 'year-ago period-on-period change' ? ' %' : '';
      lines.push(`    implies ${v.kind} ${v.period} = ${v.value.toFixed(2)}${unit} [${v.interval.lo.toFixed(2)}, ${v.interval.hi.toFixed(2)}]${v.printed !== undefined ? ` (printed ${Number.isInteger(v.printed) ? v.printed.toFixed(1) : v.printed}: ${v.agrees ? 'agrees' : 'DISAGREES'})` : ''}`);
    }
  }
  lines.push('');
  for (const [k, periods] of Object.entries(result.summary)) lines.push(`${k} (${VERDICT_ZH[k]}): ${periods.length ? periods.join(', ') : 'none'}`);
  lines.push('', `Tolerance: ${result.tolerance}.`);
  return lines.join('\n') + '\n';
}

export interface SeriesAuditCommandOptions extends AuditOptions {
  /** Series code when the file holds several (default: the first). */
  series?: string;
}

/**
 * Read a table and audit it (what `series audit` runs).
 * @example (await auditFile('data/sources/seed-288/seed_288_table.csv')).summary.swapped // => ['2023-01', '2022-12']
 */
export async function auditFile(file: string, options: SeriesAuditCommandOptions = {}): Promise<AuditResult> {
  const table = await loadSeriesCsv(file);
  return auditPublishedTable(tableToPublishedRows(table, options.series), options);
}

export interface SeriesComputeOutput {
  files: OutputFiles;
  series: Series[];
  aggregate?: AggregateSeriesResult;
  audit?: AuditResult;
}

/**
 * Everything `series compute` writes, in memory: `series.csv` (long: series, period, value, MoM, YoY,
 * YTD), `series.json`, `chart.json` (ECharts option of the aggregate, or of the first series) and,
 * when configured, `audit.json` + `audit.txt`.
 */
export function computeSeriesOutputs(project: LoadedSeriesProject): SeriesComputeOutput {
  const { config, table } = project;
  let series = tableToSeries(table);
  if (config.rebase) {
    const base = config.rebase.period !== undefined ? { period: config.rebase.period } : { year: config.rebase.year! };
    series = series.map((s) => rebase(s, { base, ...(config.rebase!.value !== undefined ? { value: config.rebase!.value } : {}) }));
  }
  let aggregate: AggregateSeriesResult | undefined;
  if (config.aggregate) {
    const a = config.aggregate;
    let weights: Record<string, number | Series>;
    if (a.weights) weights = a.weights;
    else {
      const fromFile = tableWeights(table);
      const missing = Object.entries(fromFile).filter(([, w]) => w === null).map(([code]) => code);
      if (missing.length) throw new CityIndexError(missing.map((code) => ({ code: 'E_NO_WEIGHT', message: `series "${code}" has no weights`, file: table.file, unit: code, expected: 'a weight column, or aggregate.weights in series.yaml' })));
      weights = fromFile as Record<string, Series>;
    }
    const aggregation = a.method === 'fixedBase'
      ? { method: 'fixedBase' as const, ...(a.basePeriod ? { basePeriod: a.basePeriod } : {}), ...(a.mean ? { mean: a.mean } : {}) }
      : { method: 'chained' as const, ...(a.mean ? { mean: a.mean } : {}), ...(a.weightTiming ? { weightTiming: a.weightTiming } : {}) };
    aggregate = aggregateSeries(series, { aggregation, weights, code: a.code ?? 'national', ...(a.baseValue !== undefined ? { baseValue: a.baseValue } : {}) });
  }
  const all = aggregate ? [...series, aggregate.series] : series;
  const note = config.note;
  const files: OutputFiles = new Map();
  files.set('series.csv', tableToCsv(seriesSheetRows(all, note ? { note } : {})));
  const json = {
    ...(note ? { note } : {}),
    source: table.file,
    series: all.map((s) => {
      const ch = seriesChanges(s);
      const arr = (x: Float64Array) => Array.from(x, (v) => (Number.isFinite(v) ? v : null));
      return { code: s.code, frequency: s.frequency, periods: s.periods, base: s.base ?? null, values: arr(s.values), periodOnPeriod: arr(ch.periodOnPeriod), yearOnYear: arr(ch.yearOnYear), yearToDate: arr(ch.yearToDate) };
    }),
    ...(aggregate ? { aggregate: { ...config.aggregate, code: aggregate.series.code, weightShares: aggregate.weightShares, contributors: Array.from(aggregate.contributors) } } : {}),
  };
  files.set('series.json', JSON.stringify(json, null, 2) + '\n');
  const chartSeries = aggregate ? aggregate.series : all[0];
  files.set('chart.json', JSON.stringify(seriesChartOption(chartSeries, note ? { note } : {}), null, 2) + '\n');
  let audit: AuditResult | undefined;
  if (project.auditTable) {
    audit = auditPublishedTable(tableToPublishedRows(project.auditTable));
    files.set('audit.json', JSON.stringify({ ...(note ? { note } : {}), file: project.auditTable.file, ...audit }, null, 2) + '\n');
    files.set('audit.txt', formatAuditText(audit, project.auditTable.file));
  }
  return { files, series, ...(aggregate ? { aggregate } : {}), ...(audit ? { audit } : {}) };
}

const toNumber = (flag: string) => (v: string): number => {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new CityIndexError({ code: 'E_OPTION', message: `${flag} must be a number ≥ 0, got "${v}"`, field: flag });
  return n;
};

/** Add `series audit` and `series compute` to a program. */
export function registerSeriesCommands(program: Command): void {
  const series = program.command('series').description('time-series indices: audit a published table, compute changes and aggregates / 时间序列指数');

  series
    .command('audit')
    .argument('<file>', 'CSV of a published table: period, index value, 环比 and 同比 columns')
    .option('--json', 'print the audit as JSON instead of text')
    .option('-o, --out <file>', 'also write the audit to a file (.json → JSON, otherwise text)')
    .option('--series <code>', 'series to audit when the file holds several')
    .option('--value-decimals <n>', 'decimals of printed index values when a cell does not show them (default 1)', toNumber('--value-decimals'))
    .option('--change-decimals <n>', 'decimals of printed changes when a cell does not show them (default 2)', toNumber('--change-decimals'))
    .option('--slack <pp>', 'extra tolerance in percentage points (default 0)', toNumber('--slack'))
    .option('--strict', 'exit with code 3 when any row is swapped or inconsistent')
    .description('recompute what a published index table allows and flag rows whose printed changes disagree or are swapped / 核对发布的指数表')
    .action(async (file: string, opts: { json?: boolean; out?: string; series?: string; valueDecimals?: number; changeDecimals?: number; slack?: number; strict?: boolean }) => {
      const result = await auditFile(file, {
        ...(opts.series ? { series: opts.series } : {}),
        ...(opts.valueDecimals !== undefined ? { valueDecimals: opts.valueDecimals } : {}),
        ...(opts.changeDecimals !== undefined ? { changeDecimals: opts.changeDecimals } : {}),
        ...(opts.slack !== undefined ? { slack: opts.slack } : {}),
      });
      const asJson = JSON.stringify({ file, ...result }, null, 2) + '\n';
      const asText = formatAuditText(result, file);
      process.stdout.write(opts.json ? asJson : asText);
      if (opts.out) {
        await writeFile(opts.out, /\.json$/i.test(opts.out) ? asJson : asText);
        log(`wrote ${opts.out}`);
      }
      if (opts.strict && (result.summary.swapped.length || result.summary.inconsistent.length)) process.exitCode = 3;
    });

  series
    .command('compute')
    .argument('<project>', 'folder with series.yaml (or project.yaml with a series: block), or a series CSV')
    .option('-o, --out <dir>', 'output folder', 'out/series')
    .description('compute MoM/YoY/YTD, rebase, aggregate with weights, audit a published table; write series.csv/json, chart.json / 计算序列指数')
    .action(async (path: string, opts: { out: string }) => {
      const project = await loadSeriesProject(path);
      if (project.config.note) log(`note: ${project.config.note}`);
      const out = computeSeriesOutputs(project);
      log(`${out.series.length} series${out.aggregate ? ` → aggregate "${out.aggregate.series.code}" (${project.config.aggregate!.method})` : ''}${out.audit ? `; audit: ${Object.entries(out.audit.summary).map(([k, v]) => `${v.length} ${k}`).join(', ')}` : ''}`);
      const written = await writeOutputsAtomically(opts.out, out.files);
      log(`wrote ${written.join(', ')} to ${opts.out}`);
    });
}
