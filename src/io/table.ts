/**
 * Tables read from CSV or XLSX: a header and rows of strings, with the row number a user sees in the
 * file (1-based, header = row 1), so every later error can say `file:row column "x"`.
 * Pure parsers (`parseCsvTable`, `decodeText`) beside the async XLSX reader.
 */
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { CityIndexError, type Issue } from '../engine/core/errors.ts';

export interface Table {
  file: string;
  header: string[];
  rows: string[][];
  /** `rowNumbers[k]` = the row/line of `rows[k]` in the file (1-based). */
  rowNumbers: number[];
  warnings: Issue[];
}

/**
 * Decode file bytes: UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030/GBK as Chinese
 * spreadsheets often save (with a warning). Invalid text in every encoding is a located error.
 */
export function decodeText(bytes: Uint8Array, file: string): { text: string; encoding: string; warnings: Issue[] } {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le', warnings: [] };
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf-16be', warnings: [] };
  const hasBom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(hasBom ? bytes.subarray(3) : bytes), encoding: 'utf-8', warnings: [] };
  } catch {
    try {
      const text = new TextDecoder('gb18030', { fatal: true }).decode(bytes);
      return { text, encoding: 'gb18030', warnings: [{ code: 'W_ENCODING', message: 'file is not UTF-8; read as GB18030/GBK (save as UTF-8 to avoid this warning)', file, severity: 'warning' }] };
    } catch {
      throw new CityIndexError({ code: 'E_ENCODING', message: 'file is neither valid UTF-8 nor GB18030 text', file, expected: 'a UTF-8 CSV file' });
    }
  }
}

/**
 * Parse CSV text (comma, or semicolon/tab if the header uses them) into a table.
 * Headers are trimmed; blank lines skipped; a row with the wrong number of cells is a located error.
 * @example parseCsvTable('code,x\nA,1\n', 'd.csv').rows // => [['A', '1']]
 */
export function parseCsvTable(text: string, file: string): Table {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const delimiter = [',', ';', '\t'].sort((a, b) => firstLine.split(b).length - firstLine.split(a).length)[0];
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(text, { delimiter, info: true, skip_empty_lines: true, relax_column_count: true, bom: true }) as unknown as typeof records;
  } catch (e) {
    const err = e as { lines?: number; message: string };
    throw new CityIndexError({ code: 'E_CSV', message: `cannot parse CSV: ${err.message.replace(/^Invalid Record Length: /, '')}`, file, row: err.lines });
  }
  if (records.length === 0) throw new CityIndexError({ code: 'E_EMPTY', message: 'file is empty', file, expected: 'a header row and data rows' });
  const header = records[0].record.map((h) => h.trim());
  const issues: Issue[] = [];
  header.forEach((h, k) => {
    if (h === '') issues.push({ code: 'E_HEADER', message: `column ${k + 1} has an empty header`, file, row: 1 });
    else if (header.indexOf(h) !== k) issues.push({ code: 'E_DUPLICATE_COLUMN', message: `duplicate column "${h}"`, file, row: 1, column: h });
  });
  const rows: string[][] = [];
  const rowNumbers: number[] = [];
  for (let k = 1; k < records.length; k++) {
    const { record, info } = records[k];
    if (record.every((c) => c.trim() === '')) continue;
    if (record.length !== header.length) {
      issues.push({ code: 'E_ROW_LENGTH', message: `row has ${record.length} cells but the header has ${header.length}`, file, row: info.lines, expected: `${header.length} cells` });
      continue;
    }
    rows.push(record.map((c) => c.trim()));
    rowNumbers.push(info.lines);
  }
  if (issues.length) throw new CityIndexError(issues);
  return { file, header, rows, rowNumbers, warnings: [] };
}

/**
 * Read one worksheet of an XLSX workbook as a table. Formula cells and merged cells are errors
 * (paste values instead): a formula's cached result may be stale and a merged cell hides which row
 * a value belongs to.
 */
export async function readXlsxTable(bytes: Uint8Array, file: string, sheet?: string): Promise<Table> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch (e) {
    throw new CityIndexError({ code: 'E_XLSX', message: `cannot read workbook: ${(e as Error).message}`, file, expected: 'an .xlsx workbook' });
  }
  const ws = sheet ? wb.getWorksheet(sheet) : wb.worksheets[0];
  if (!ws) throw new CityIndexError({ code: 'E_XLSX_SHEET', message: sheet ? `no sheet "${sheet}"` : 'workbook has no sheets', file, field: 'sheet', expected: wb.worksheets.map((w) => w.name).join(', ') || 'a worksheet' });
  const issues: Issue[] = [];
  const merges = (ws as unknown as { model: { merges?: string[] } }).model.merges ?? [];
  for (const m of merges) issues.push({ code: 'E_XLSX_MERGED', message: `merged cells ${m} in sheet "${ws.name}" (unmerge and fill every cell)`, file, field: `${ws.name}!${m}` });
  const grid: Array<{ row: number; cells: string[] }> = [];
  let width = 0;
  ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, col) => {
      const v = cell.value as unknown;
      let s = '';
      if (v === null || v === undefined) s = '';
      else if (typeof v === 'object' && v !== null && ('formula' in v || 'sharedFormula' in v)) {
        issues.push({ code: 'E_XLSX_FORMULA', message: `cell ${cell.address} in sheet "${ws.name}" holds a formula (paste values instead)`, file, row: rowNumber, column: cell.address });
      } else if (typeof v === 'object' && v !== null && 'richText' in v) s = (v as { richText: Array<{ text: string }> }).richText.map((t) => t.text).join('');
      else if (typeof v === 'object' && v !== null && 'error' in v) issues.push({ code: 'E_XLSX_ERROR_CELL', message: `cell ${cell.address} holds the error ${(v as { error: string }).error}`, file, row: rowNumber, column: cell.address });
      else if (v instanceof Date) s = v.toISOString().slice(0, 10);
      else if (typeof v === 'object' && v !== null && 'text' in v) s = String((v as { text: unknown }).text);
      else s = String(v);
      cells[col - 1] = s.trim();
    });
    for (let k = 0; k < cells.length; k++) if (cells[k] === undefined) cells[k] = '';
    width = Math.max(width, cells.length);
    grid.push({ row: rowNumber, cells });
  });
  if (issues.length) throw new CityIndexError(issues);
  if (grid.length === 0) throw new CityIndexError({ code: 'E_EMPTY', message: `sheet "${ws.name}" is empty`, file });
  const header = grid[0].cells.map((h) => h.trim());
  while (header.length && header[header.length - 1] === '') header.pop();
  header.forEach((h, k) => {
    if (h === '') issues.push({ code: 'E_HEADER', message: `column ${k + 1} has an empty header`, file, row: grid[0].row });
    else if (header.indexOf(h) !== k) issues.push({ code: 'E_DUPLICATE_COLUMN', message: `duplicate column "${h}"`, file, row: grid[0].row, column: h });
  });
  const rows: string[][] = [];
  const rowNumbers: number[] = [];
  for (const g of grid.slice(1)) {
    const extra = g.cells.slice(header.length).some((c) => c !== '');
    if (extra) issues.push({ code: 'E_ROW_LENGTH', message: 'row has values beyond the last header column', file, row: g.row });
    const cells = header.map((_, k) => g.cells[k] ?? '');
    if (cells.every((c) => c === '')) continue;
    rows.push(cells);
    rowNumbers.push(g.row);
  }
  if (issues.length) throw new CityIndexError(issues);
  return { file, header, rows, rowNumbers, warnings: [] };
}

const MISSING = new Set(['', 'NA', 'N/A', 'na', 'n/a', '#N/A', '..', '-', '—']);
/** Largest magnitude accepted: beyond this, sums of squares overflow double precision. */
export const MAX_ABS_VALUE = 1e150;

/**
 * Parse a numeric cell. Empty, `NA`, `N/A`, `..`, `-` mean missing (NaN). `NaN`/`Infinity` text,
 * thousands separators, units and magnitudes above 1e150 are errors.
 * @example parseNumberCell('3.5') // => { value: 3.5 }
 * @example parseNumberCell('1,234').error // => 'not a plain number'
 */
export function parseNumberCell(text: string): { value: number; error?: string } {
  const s = text.trim();
  if (MISSING.has(s)) return { value: NaN };
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) {
    if (/^[+-]?(nan|inf|infinity)$/i.test(s)) return { value: NaN, error: `"${s}" is not allowed (leave the cell empty or write NA for a missing value)` };
    return { value: NaN, error: `"${s.length > 40 ? s.slice(0, 40) + '…' : s}" is not a plain number` };
  }
  const v = Number(s);
  if (!Number.isFinite(v) || Math.abs(v) > MAX_ABS_VALUE) return { value: NaN, error: `${s} is too large (|value| must be ≤ 1e150)` };
  return { value: v };
}
