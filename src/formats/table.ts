/**
 * Tables read from CSV or XLSX: a header and rows of strings, with the row number a user sees in the
 * file (1-based, header = row 1), so every later error can say `file:row column "x"`.
 * Pure (no Node APIs, bundleable for the browser): `parseCsvTable`, `decodeText`, `tableFromRows`; the
 * XLSX reader (exceljs) is in xlsx-table.ts and is passed in where needed as an `XlsxReader`.
 */
import { parse } from 'csv-parse/sync';
import { CityIndexError, type Issue } from '../engine/core/errors.ts';

export interface Table {
  file: string;
  header: string[];
  rows: string[][];
  /** `rowNumbers[k]` = the row/line of `rows[k]` in the file (1-based). */
  rowNumbers: number[];
  /** Row/line of the header (1 unless title rows stand above it). */
  headerRow?: number;
  warnings: Issue[];
}

/** Reads one worksheet (the first unless named) of XLSX bytes as a table; `readXlsxTable` in xlsx-table.ts. */
export type XlsxReader = (bytes: Uint8Array, file: string, sheet?: string) => Promise<Table>;

/**
 * Decode file bytes: UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030/GBK as Chinese
 * spreadsheets often save (with a warning). Invalid text in every encoding is a located error.
 */
export function decodeText(bytes: Uint8Array, file: string): { text: string; encoding: string; warnings: Issue[] } {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe)
    return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le', warnings: [] };
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff)
    return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf-16be', warnings: [] };
  const hasBom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  try {
    return {
      text: new TextDecoder('utf-8', { fatal: true }).decode(hasBom ? bytes.subarray(3) : bytes),
      encoding: 'utf-8',
      warnings: [],
    };
  } catch {
    try {
      const text = new TextDecoder('gb18030', { fatal: true }).decode(bytes);
      return {
        text,
        encoding: 'gb18030',
        warnings: [
          {
            code: 'W_ENCODING',
            message:
              'file is not UTF-8; read as GB18030/GBK (save as UTF-8 to avoid this warning / ' +
              '文件不是 UTF-8 编码，已按 GBK 读取，建议另存为 UTF-8)',
            file,
            severity: 'warning',
          },
        ],
      };
    } catch {
      throw new CityIndexError({
        code: 'E_ENCODING',
        message: 'file is neither valid UTF-8 nor GB18030 text',
        file,
        expected: 'a UTF-8 CSV file',
      });
    }
  }
}

/** How many leading rows may be skipped as title rows above the header. */
const MAX_TITLE_ROWS = 10;

/**
 * Index of the header row among `rows`: 0, unless the first rows are title or note rows (at most one
 * non-empty cell each, as spreadsheets exported with a title have) followed by a row of two or more
 * cells, which is then the header.
 * @example headerIndex([['GDP table 2019'], [], ['code', 'GDP'], ['A', '1']]) // => 2
 */
export function headerIndex(rows: readonly string[][]): number {
  const filled = (r: readonly string[]) => r.filter((c) => c.trim() !== '').length;
  for (let k = 0; k < rows.length && k <= MAX_TITLE_ROWS; k++) {
    const n = filled(rows[k]);
    if (n >= 2) return k;
  }
  return 0;
}

/**
 * Turn raw rows (with their line numbers) into a table: header row detected (title rows above it
 * skipped with a warning), headers checked (empty, duplicate), rows of the wrong length reported,
 * blank rows dropped. `strictLength`: a row with a different cell count is an error (CSV); otherwise
 * only non-empty cells beyond the header are (XLSX, whose rows end at their last filled cell).
 * @example
 * tableFromRows([{ cells: ['code', 'x'], line: 1 }, { cells: ['A', '1'], line: 2 }], 'd.csv', true).rows
 * // => [['A', '1']]
 */
export function tableFromRows(
  raw: Array<{ cells: string[]; line: number }>,
  file: string,
  strictLength: boolean,
): Table {
  const h = headerIndex(raw.map((r) => r.cells));
  const warnings: Issue[] = [];
  if (h > 0) {
    const title = raw
      .slice(0, h)
      .map((r) => r.cells.find((c) => c.trim() !== ''))
      .filter(Boolean)
      .join(' | ');
    warnings.push({
      code: 'W_HEADER_ROW',
      message:
        `header read from row ${raw[h].line}; ${h === 1 ? 'the row' : `the ${h} rows`} above it skipped as a title` +
        (title ? ` ("${title.length > 60 ? title.slice(0, 60) + '…' : title}")` : '') +
        ` / 表头取自第 ${raw[h].line} 行，其上的标题行已跳过`,
      file,
      row: raw[h].line,
      severity: 'warning',
    });
  }
  const header = raw[h].cells.map((c) => c.trim());
  if (!strictLength) while (header.length && header[header.length - 1] === '') header.pop();
  const headerLine = raw[h].line;
  const issues: Issue[] = [];
  header.forEach((name, k) => {
    if (name === '')
      issues.push({
        code: 'E_HEADER',
        message: `column ${k + 1} has an empty header`,
        file,
        row: headerLine,
        expected: 'a name for every column',
      });
    else if (header.indexOf(name) !== k)
      issues.push({
        code: 'E_DUPLICATE_COLUMN',
        message: `duplicate column "${name}" (columns ${header.indexOf(name) + 1} and ${k + 1})`,
        file,
        row: headerLine,
        column: name,
      });
  });
  const rows: string[][] = [];
  const rowNumbers: number[] = [];
  for (const { cells, line } of raw.slice(h + 1)) {
    if (cells.every((c) => c.trim() === '')) continue;
    if (strictLength ? cells.length !== header.length : cells.slice(header.length).some((c) => c.trim() !== '')) {
      issues.push(
        strictLength
          ? {
              code: 'E_ROW_LENGTH',
              message:
                `row has ${cells.length} cells but the header has ${header.length}` +
                (cells.length > header.length ? ' (a comma inside a value? quote the value: "1,234")' : ''),
              file,
              row: line,
              expected: `${header.length} cells`,
            }
          : {
              code: 'E_ROW_LENGTH',
              message: 'row has values beyond the last header column',
              file,
              row: line,
              expected: `${header.length} columns`,
            },
      );
      continue;
    }
    rows.push(header.map((_, k) => (cells[k] ?? '').trim()));
    rowNumbers.push(line);
  }
  if (issues.length) throw new CityIndexError(issues);
  return { file, header, rows, rowNumbers, headerRow: headerLine, warnings };
}

/** The delimiter used by the first lines: comma, semicolon or tab, whichever splits some line most. */
function sniffDelimiter(text: string): string {
  const lines = text.slice(0, 64 * 1024).split(/\r?\n/, MAX_TITLE_ROWS + 2);
  const most = (d: string) => Math.max(0, ...lines.map((l) => l.split(d).length - 1));
  return [',', ';', '\t'].sort((a, b) => most(b) - most(a))[0];
}

/**
 * Parse CSV text (comma, or semicolon/tab if the lines use them) into a table.
 * Headers are trimmed; blank lines skipped; title rows above the header skipped with a warning;
 * a row with the wrong number of cells is a located error.
 * @example parseCsvTable('code,x\nA,1\n', 'd.csv').rows // => [['A', '1']]
 */
export function parseCsvTable(text: string, file: string): Table {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const delimiter = sniffDelimiter(text);
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(text, {
      delimiter,
      info: true,
      skip_empty_lines: true,
      relax_column_count: true,
      bom: true,
    }) as unknown as typeof records;
  } catch (e) {
    const err = e as { lines?: number; message: string };
    throw new CityIndexError({
      code: 'E_CSV',
      message: `cannot parse CSV: ${err.message.replace(/^Invalid Record Length: /, '')}`,
      file,
      row: err.lines,
    });
  }
  if (records.length === 0)
    throw new CityIndexError({
      code: 'E_EMPTY',
      message: 'file is empty / 文件为空',
      file,
      expected: 'a header row and data rows',
    });
  return tableFromRows(
    records.map((r) => ({ cells: r.record, line: r.info.lines })),
    file,
    true,
  );
}

const MISSING = new Set(['', 'NA', 'N/A', 'na', 'n/a', '#N/A', '..', '-', '—']);
/** Largest magnitude accepted: beyond this, sums of squares overflow double precision. */
export const MAX_ABS_VALUE = 1e150;

/** Why a cell that is not a plain number was rejected, with the fix (English / Chinese). */
function numberHint(s: string): string {
  if (/^[+-]?(\d+\.?\d*|\.\d+)\s*[%％]$/.test(s))
    return (
      'has a percent sign: write the number without it (12.5 for 12.5 %, and say "%" in the indicator\'s unit) / ' +
      '请去掉百分号'
    );
  if (/^[+-]?\d{1,3}([,，]\d{3})+(\.\d+)?$/.test(s))
    return 'has thousands separators: write 1234567 not 1,234,567 / 请去掉千位分隔符';
  if (/[０-９．]/.test(s)) return 'has full-width digits: use ASCII digits 0-9 / 请使用半角数字';
  if (/^[+-]?\d+,\d+$/.test(s)) return 'has a decimal comma: write 3.5 not 3,5 / 小数点请用“.”';
  if (/^[+-]?(\d+\.?\d*|\.\d+)\s*\S+$/.test(s))
    return (
      'has a unit or text after the number: give the plain number (the unit goes in the framework) / ' +
      '请只填数字，单位写在指标框架中'
    );
  return 'is not a plain number';
}

/**
 * Parse a numeric cell. Empty, `NA`, `N/A`, `..`, `-` mean missing (NaN). `NaN`/`Infinity` text,
 * percent signs, thousands separators, units and magnitudes above 1e150 are errors whose message
 * says how to fix the cell.
 * @example parseNumberCell('3.5') // => { value: 3.5 }
 * @example
 * parseNumberCell('1,234').error
 * // => '"1,234" has thousands separators: write 1234567 not 1,234,567 / 请去掉千位分隔符'
 */
export function parseNumberCell(text: string): { value: number; error?: string } {
  const s = text.trim();
  if (MISSING.has(s)) return { value: NaN };
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) {
    if (/^[+-]?(nan|inf|infinity)$/i.test(s))
      return {
        value: NaN,
        error: `"${s}" is not allowed (leave the cell empty or write NA for a missing value / 缺失值请留空或填 NA)`,
      };
    return { value: NaN, error: `"${s.length > 40 ? s.slice(0, 40) + '…' : s}" ${numberHint(s)}` };
  }
  const v = Number(s);
  if (!Number.isFinite(v) || Math.abs(v) > MAX_ABS_VALUE)
    return { value: NaN, error: `${s} is too large (|value| must be ≤ 1e150)` };
  return { value: v };
}
