/**
 * Series tables: CSV files of index values by period, optionally with printed change columns,
 * several series (cities) in long form, and weights. Pure (no Node APIs): `parseSeriesCsv(text, file)`,
 * `seriesTableFromBytes`; the loaders over paths (`loadSeriesCsv`, `loadSeriesProject`) are in series.ts.
 * Helpers turn a table into engine series or into the rows of a published table for the audit, and a
 * series into workbook rows.
 *
 * Columns (header names are matched case-insensitively; the first match wins):
 *   period   period | date | month | quarter | year | 日期 | 时间 | 期间           (required)
 *   value    value | index | index_value | 指数 | 指数值 | 价格                  (required)
 *   series   series | code | city | unit | adcode | geography_en | 城市 | 系列   (optional; default: the file name)
 *   mom      mom | mom_pct | mom_change_pct | published_change_a_pct | 环比       (percent, as printed)
 *   yoy      yoy | yoy_pct | yoy_change_pct | published_change_b_pct | 同比       (percent, as printed)
 *   ytd      ytd | ytd_pct | ytd_change_pct | 年初以来 | 累计                    (percent)
 *   weight   weight | volume | transactions | population | 权重 | 成交量 | 人口
 *   label    label | row_kind | kind | note | 备注
 * Printed percents may carry a `%` sign and a Unicode minus (−). The number of decimals printed in
 * each value and change cell is kept: the audit's rounding tolerance depends on it.
 */
import * as z from 'zod';
import { CityIndexError, type Issue } from '../engine/core/errors.ts';
import type { AuditResult, PublishedRow } from '../engine/series/audit.ts';
import { seriesChanges } from '../engine/series/changes.ts';
import { createSeries, type Series } from '../engine/series/series.ts';
import { decodeText, parseCsvTable, parseNumberCell } from './table.ts';

export type SeriesColumn = 'series' | 'period' | 'value' | 'mom' | 'yoy' | 'ytd' | 'weight' | 'label';

const ALIASES: Record<SeriesColumn, string[]> = {
  period: ['period', 'date', 'month', 'quarter', 'year', '日期', '时间', '期间'],
  value: ['value', 'index', 'index_value', '指数', '指数值', '价格'],
  series: ['series', 'code', 'city', 'unit', 'adcode', 'geography_en', '城市', '系列'],
  mom: ['mom', 'mom_pct', 'mom_change_pct', 'published_change_a_pct', '环比'],
  yoy: ['yoy', 'yoy_pct', 'yoy_change_pct', 'published_change_b_pct', '同比'],
  ytd: ['ytd', 'ytd_pct', 'ytd_change_pct', '年初以来', '累计'],
  weight: ['weight', 'volume', 'transactions', 'population', '权重', '成交量', '人口'],
  label: ['label', 'row_kind', 'kind', 'note', '备注'],
};

/** A parsed cell: its number (null when empty) and the decimals it was printed with. */
export interface PrintedNumber {
  value: number | null;
  decimals: number;
}

export interface SeriesTableRow {
  /** Row number in the file (header = 1). */
  row: number;
  series: string;
  period: string;
  value: PrintedNumber;
  mom: PrintedNumber;
  yoy: PrintedNumber;
  ytd: PrintedNumber;
  weight: number | null;
  label?: string;
}

export interface SeriesTable {
  file: string;
  /** Which file column was read for each role (absent roles are missing). */
  columns: Partial<Record<SeriesColumn, string>>;
  rows: SeriesTableRow[];
  /** Series codes in order of first appearance. */
  seriesCodes: string[];
}

const EMPTY: PrintedNumber = { value: null, decimals: 0 };

function parsePrinted(text: string, file: string, row: number, column: string, issues: Issue[]): PrintedNumber {
  const s = text.trim().replace(/[−–]/g, '-').replace(/%$/, '').trim();
  const { value, error } = parseNumberCell(s);
  if (error) {
    issues.push({
      code: 'E_NOT_NUMBER',
      message: error,
      file,
      row,
      column,
      expected: 'a number (percent sign allowed)',
    });
    return EMPTY;
  }
  if (Number.isNaN(value)) return EMPTY;
  const dot = s.indexOf('.');
  const mantissa = s.replace(/[eE].*$/, '');
  return { value, decimals: dot < 0 ? 0 : mantissa.length - dot - 1 };
}

/**
 * Parse a series CSV (columns in the module comment). Errors are collected and thrown together, each
 * with file, row and column.
 * @example parseSeriesCsv('日期,指数,环比,同比\n2023.01,1569.9,-0.97,-0.14\n', 'seed.csv').rows[0].value
 * // => { value: 1569.9, decimals: 1 }
 */
export function parseSeriesCsv(text: string, file: string): SeriesTable {
  const table = parseCsvTable(text, file);
  const lower = table.header.map((h) => h.toLowerCase());
  const columns: Partial<Record<SeriesColumn, string>> = {};
  const index: Partial<Record<SeriesColumn, number>> = {};
  for (const role of Object.keys(ALIASES) as SeriesColumn[]) {
    for (const alias of ALIASES[role]) {
      const k = lower.indexOf(alias.toLowerCase());
      if (k >= 0 && !Object.values(index).includes(k)) {
        columns[role] = table.header[k];
        index[role] = k;
        break;
      }
    }
  }
  const issues: Issue[] = [];
  for (const role of ['period', 'value'] as const) {
    if (index[role] === undefined)
      issues.push({
        code: 'E_MISSING_COLUMN',
        message: `no ${role} column`,
        file,
        row: 1,
        expected: ALIASES[role].join(' | '),
      });
  }
  if (issues.length) throw new CityIndexError(issues);
  const fileName = file.slice(file.lastIndexOf('/') + 1);
  const defaultCode = fileName.lastIndexOf('.') > 0 ? fileName.slice(0, fileName.lastIndexOf('.')) : fileName;
  const rows: SeriesTableRow[] = [];
  const codes: string[] = [];
  table.rows.forEach((cells, k) => {
    const row = table.rowNumbers[k];
    const cell = (role: SeriesColumn): string => (index[role] === undefined ? '' : cells[index[role]!]);
    const num = (role: SeriesColumn): PrintedNumber =>
      index[role] === undefined ? EMPTY : parsePrinted(cell(role), file, row, columns[role]!, issues);
    const series = cell('series') || defaultCode;
    if (!codes.includes(series)) codes.push(series);
    const period = cell('period');
    if (period === '')
      issues.push({ code: 'E_MISSING_PERIOD', message: 'empty period', file, row, column: columns.period });
    const weight = num('weight').value;
    if (weight !== null && weight < 0)
      issues.push({
        code: 'E_NEGATIVE_WEIGHT',
        message: 'weight is negative',
        file,
        row,
        column: columns.weight,
        expected: 'a weight ≥ 0',
      });
    const label = cell('label');
    rows.push({
      row,
      series,
      period,
      value: num('value'),
      mom: num('mom'),
      yoy: num('yoy'),
      ytd: num('ytd'),
      weight,
      ...(label ? { label } : {}),
    });
  });
  if (issues.length) throw new CityIndexError(issues);
  return { file, columns, rows, seriesCodes: codes };
}

/**
 * Parse the bytes of a series CSV file (UTF-8, UTF-16 with BOM, or GB18030).
 * @example seriesTableFromBytes(new TextEncoder().encode('period,value\n2023-01,100\n'), 'x.csv').rows.length // => 1
 */
export function seriesTableFromBytes(bytes: Uint8Array, file: string): SeriesTable {
  const { text } = decodeText(bytes, file);
  return parseSeriesCsv(text, file);
}

function rowsOf(table: SeriesTable, code?: string): SeriesTableRow[] {
  const want = code ?? table.seriesCodes[0];
  if (!table.seriesCodes.includes(want)) {
    throw new CityIndexError({
      code: 'E_UNKNOWN_SERIES',
      message: `no series "${want}" in the table`,
      file: table.file,
      expected: table.seriesCodes.join(', '),
    });
  }
  return table.rows.filter((r) => r.series === want);
}

/**
 * Engine series from a table: one per series code, values from the value column.
 * @example tableToSeries(parseSeriesCsv('period,value\n2023-01,100\n2023-02,101\n', 'x.csv'))[0].code // => 'x'
 */
export function tableToSeries(table: SeriesTable): Series[] {
  return table.seriesCodes.map((code) => {
    try {
      return createSeries(
        rowsOf(table, code).map((r) => ({ period: r.period, value: r.value.value })),
        { code, file: table.file },
      );
    } catch (e) {
      if (e instanceof CityIndexError) throw new CityIndexError(e.issues.map((i) => ({ ...i, file: table.file })));
      throw e;
    }
  });
}

/**
 * Weight series from the weight column (one per series code; null when a series has no weights).
 * @example tableWeights(parseSeriesCsv('series,period,value,weight\nA,2023,100,3\n', 'x.csv')).A?.values[0] // => 3
 */
export function tableWeights(table: SeriesTable): Record<string, Series | null> {
  const out: Record<string, Series | null> = Object.create(null);
  for (const code of table.seriesCodes) {
    const rows = rowsOf(table, code).filter((r) => r.weight !== null);
    out[code] = rows.length
      ? createSeries(
          rows.map((r) => ({ period: r.period, value: r.weight })),
          { code, file: table.file },
        )
      : null;
  }
  return out;
}

/**
 * The rows of one series as a published table for `auditPublishedTable` (decimals as printed).
 * @example
 * const table = parseSeriesCsv('日期,指数,环比,同比\n2023.01,1569.9,-0.97,-0.14\n', 's.csv');
 * tableToPublishedRows(table)[0].printedYoY // => -0.14
 */
export function tableToPublishedRows(table: SeriesTable, code?: string): PublishedRow[] {
  return rowsOf(table, code).map((r) => ({
    period: r.period,
    value: r.value.value,
    printedMoM: r.mom.value,
    printedYoY: r.yoy.value,
    ...(r.value.value !== null ? { valueDecimals: r.value.decimals } : {}),
    ...(r.mom.value !== null ? { momDecimals: r.mom.decimals } : {}),
    ...(r.yoy.value !== null ? { yoyDecimals: r.yoy.decimals } : {}),
    ...(r.label !== undefined ? { label: r.label } : {}),
    sourceRow: r.row,
  }));
}

type Cell = string | number | null;

/** A workbook sheet: the shape of `ExtraSheet` in `workbook.ts`. */
export interface SeriesSheet {
  name: string;
  header: string[];
  rows: Cell[][];
}

/**
 * Rows for a workbook sheet: series, period, value, MoM %, YoY %, YTD % (NaN → empty cell).
 * Pass `note` (e.g. "generated example data / 模拟数据") to label the sheet's data.
 * @example
 * import { createSeries } from '../engine/series/series.ts';
 * const points = [{ period: '2023-01', value: 100 }, { period: '2023-02', value: 101 }];
 * seriesSheetRows(createSeries(points, { code: 'x' })).rows[1]
 * // => ['x', '2023-02', 101, 1.0000000000000009, null, null]
 */
export function seriesSheetRows(
  series: Series | readonly Series[],
  options: { name?: string; note?: string } = {},
): SeriesSheet {
  const list: readonly Series[] = Array.isArray(series) ? series : [series as Series];
  const header = ['series', 'period', 'value', 'MoM % (环比)', 'YoY % (同比)', 'YTD % (年初以来)'];
  if (options.note) header.push('note');
  const cell = (v: number): number | null => (Number.isFinite(v) ? v : null);
  const rows: Cell[][] = [];
  for (const s of list) {
    const ch = seriesChanges(s);
    s.periods.forEach((p, t) => {
      const r: Cell[] = [
        s.code,
        p,
        cell(s.values[t]),
        cell(ch.periodOnPeriod[t]),
        cell(ch.yearOnYear[t]),
        cell(ch.yearToDate[t]),
      ];
      if (options.note) r.push(options.note);
      rows.push(r);
    });
  }
  return { name: options.name ?? 'Series', header, rows };
}

/**
 * Rows for a workbook sheet of an audit: one row per printed row with the verdict, reason and the
 * recomputed month-on-month / year-on-year changes.
 * @example
 * import { auditPublishedTable } from '../engine/series/audit.ts';
 * const rows = tableToPublishedRows(parseSeriesCsv('日期,指数,环比,同比\n2023.01,1569.9,-0.97,-0.14\n', 's.csv'));
 * auditSheetRows(auditPublishedTable(rows)).header[0] // => 'period'
 */
export function auditSheetRows(result: AuditResult, options: { name?: string; note?: string } = {}): SeriesSheet {
  const header = [
    'period',
    'label',
    'index (printed)',
    '环比 MoM (printed)',
    '同比 YoY (printed)',
    'MoM recomputed %',
    'YoY recomputed %',
    'verdict',
    'reason',
  ];
  if (options.note) header.push('note');
  const rows: Cell[][] = result.rows.map((r) => {
    const mom = r.checks.find((c) => c.change === 'mom');
    const yoy = r.checks.find((c) => c.change === 'yoy');
    const row: Cell[] = [
      r.period,
      r.label ?? '',
      r.printed.value,
      r.printed.mom,
      r.printed.yoy,
      mom ? mom.recomputed : null,
      yoy ? yoy.recomputed : null,
      r.verdict,
      r.reason,
    ];
    if (options.note) row.push(options.note);
    return row;
  });
  return { name: options.name ?? 'Series audit', header, rows };
}

// ---------- series projects ----------

/** The `series:` block of `series.yaml` (or of `project.yaml`). Paths are relative to the file. */
export const SeriesConfigSchema = z
  .object({
    /** Series CSV (columns in the module comment); several series in long form with a `series` column. */
    file: z.string(),
    /** Rebase every series so the base period (or base-year mean) equals `value` (default 100). */
    rebase: z
      .object({
        period: z.string().optional(),
        year: z.number().int().optional(),
        value: z.number().positive().optional(),
      })
      .strict()
      .refine((r) => (r.period === undefined) !== (r.year === undefined), {
        message: 'give exactly one of period or year',
      })
      .optional(),
    /** Aggregate the series into one index (e.g. national) with the `weight` column or the `weights` map. */
    aggregate: z
      .object({
        code: z.string().optional(),
        method: z.enum(['fixedBase', 'chained']),
        mean: z.enum(['arithmetic', 'geometric']).optional(),
        weightTiming: z.enum(['previous', 'current']).optional(),
        basePeriod: z.string().optional(),
        baseValue: z.number().positive().optional(),
        /** Constant weights by series code; default: the file's weight column. */
        weights: z.record(z.string(), z.number().nonnegative()).optional(),
      })
      .strict()
      .optional(),
    /** A published table (same CSV columns, with 环比/同比) to audit. */
    audit: z.string().optional(),
    /** Label shown with every output, e.g. "generated example data / 模拟数据". */
    note: z.string().optional(),
  })
  .strict();
export type SeriesConfig = z.infer<typeof SeriesConfigSchema>;

export interface LoadedSeriesProject {
  /** Folder the paths are relative to. */
  dir: string;
  config: SeriesConfig;
  table: SeriesTable;
  /** The published table to audit, when configured. */
  auditTable?: SeriesTable;
}
