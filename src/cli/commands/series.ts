/**
 * `series audit <file>`: check a published index table (日期/指数/环比/同比) against its own index values.
 * `series compute <project|file>`: changes (MoM/YoY/YTD), rebasing, a weighted aggregate and the audit
 * of a configured published table, written atomically to an output folder. The work is done by the
 * use cases in `src/app/series.ts`; this file parses arguments and prints.
 */
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { CityIndexError } from '../../engine/core/errors.ts';
import { auditSeriesFile, computeSeriesProject, formatAuditText } from '../../app/series.ts';
import { writeArtifacts } from '../../app/node-host.ts';
import { log } from '../progress.ts';

const toNumber =
  (flag: string) =>
  (v: string): number => {
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) {
      throw new CityIndexError({ code: 'E_OPTION', message: `${flag} must be a number ≥ 0, got "${v}"`, field: flag });
    }
    return n;
  };

interface AuditFlags {
  json?: boolean;
  out?: string;
  series?: string;
  valueDecimals?: number;
  changeDecimals?: number;
  slack?: number;
  strict?: boolean;
}

/**
 * Add `series audit` and `series compute` to a program.
 * @example
 * import { Command } from 'commander';
 * const program = new Command();
 * registerSeriesCommands(program);
 * program.commands.map((c) => c.name()) // => ['series']
 */
export function registerSeriesCommands(program: Command): void {
  const series = program
    .command('series')
    .description('time-series indices: audit a published table, compute changes and aggregates / 时间序列指数');

  series
    .command('audit')
    .argument('<file>', 'CSV of a published table: period, index value, 环比 and 同比 columns')
    .option('--json', 'print the audit as JSON instead of text')
    .option('-o, --out <file>', 'also write the audit to a file (.json → JSON, otherwise text)')
    .option('--series <code>', 'series to audit when the file holds several')
    .option(
      '--value-decimals <n>',
      'decimals of printed index values when a cell does not show them (default 1)',
      toNumber('--value-decimals'),
    )
    .option(
      '--change-decimals <n>',
      'decimals of printed changes when a cell does not show them (default 2)',
      toNumber('--change-decimals'),
    )
    .option('--slack <pp>', 'extra tolerance in percentage points (default 0)', toNumber('--slack'))
    .option('--strict', 'exit with code 3 when any row is swapped or inconsistent')
    .description(
      'recompute what a published index table allows and flag rows whose printed changes disagree ' +
        'or are swapped / 核对发布的指数表',
    )
    .action(async (file: string, opts: AuditFlags) => {
      const result = await auditSeriesFile(file, {
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
    .description(
      'compute MoM/YoY/YTD, rebase, aggregate with weights, audit a published table; ' +
        'write series.csv/json, chart.json / 计算序列指数',
    )
    .action(async (path: string, opts: { out: string }) => {
      const out = await computeSeriesProject(path);
      const { config } = out.project;
      if (config.note) log(`note: ${config.note}`);
      const aggregate = out.aggregate
        ? ` → aggregate "${out.aggregate.series.code}" (${config.aggregate?.method})`
        : '';
      const audit = out.audit
        ? `; audit: ${Object.entries(out.audit.summary)
            .map(([k, v]) => `${v.length} ${k}`)
            .join(', ')}`
        : '';
      log(`${out.series.length} series${aggregate}${audit}`);
      const written = await writeArtifacts(opts.out, out.files);
      log(`wrote ${written.join(', ')} to ${opts.out}`);
    });
}
