/**
 * The XLSX reader, apart from the pure table parsers so that modules which only need CSV (the project
 * assembly in a browser) do not bundle it. An `XlsxReader` (table.ts). Bounded before parsing: the zip
 * directory is checked first (zip-entries.ts), then the sheet is inflated in small steps and parsed as
 * a stream of XML events (saxes) under limits on cells, bytes and time, so a hostile workbook is
 * refused with a located error in a bounded time and memory. No Node APIs (fflate + saxes).
 */
import { CityIndexError, type Issue } from '../engine/core/errors.ts';
import { tableFromRows, type Table, type XlsxReader } from './table.ts';
import { attribute, oneLetterAttributes, parseAttributes, XmlError, XmlTokenizer } from './xlsx-xml.ts';
import {
  DEFAULT_ZIP_LIMITS,
  inflateEntry,
  limitIssue,
  readZipDirectory,
  type ZipEntry,
  type ZipLimits,
} from './zip-entries.ts';

/** Limits on reading one workbook; the zip limits plus the sheet's cells, rows, columns and time. */
export interface XlsxLimits extends ZipLimits {
  /** Most cells of the sheet (rows × their width, empty cells inside a row included; shared strings too). */
  maxCells: number;
  /** Most rows (Excel's own maximum is 1 048 576). */
  maxRows: number;
  /** Most columns (Excel's own maximum is 16 384, column XFD). */
  maxColumns: number;
  /** Most milliseconds reading may take. */
  maxMs: number;
  /** Most characters of one cell or shared string (Excel's own maximum is 32 767). */
  maxCellChars: number;
}

/**
 * Defaults: a legitimate 10⁶-row × 10-column sheet passes (2·10⁷ cells), a zip bomb does not. The
 * platform passes smaller ones for uploads (`xlsxReader(limits)`).
 */
export const DEFAULT_XLSX_LIMITS: XlsxLimits = {
  ...DEFAULT_ZIP_LIMITS,
  maxCells: 20_000_000,
  maxRows: 1_048_576,
  maxColumns: 16_384,
  maxMs: 300_000,
  maxCellChars: 32_767,
};

/** Issues of one kind kept at most (a sheet of 10⁶ formulas gives one line per cell otherwise). */
const MAX_ISSUES = 100;

/** Built-in number formats that show dates (ECMA-376 §18.8.30, with the CJK ids 27–36 and 50–58). */
const DATE_FORMAT_IDS = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47, 27, 28, 29, 30, 31, 32, 33, 34]);
for (const id of [35, 36, 50, 51, 52, 53, 54, 55, 56, 57, 58]) DATE_FORMAT_IDS.add(id);

/** Whether a custom number format shows a date (exceljs' rule: y m d h s b outside quotes and brackets). */
const isDateFormat = (code: string) => /[ymdhMsb]/.test(code.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, ''));

/** Local name of an XML tag (`x:row` → `row`: some writers prefix the spreadsheet namespace). */
const local = (name: string) => {
  const k = name.indexOf(':');
  return k < 0 ? name : name.slice(k + 1);
};

/** Column number (1-based) of a cell reference such as `AB12`; 0 when it has no letters. */
function columnOf(ref: string): number {
  let col = 0;
  for (let k = 0; k < ref.length; k++) {
    const c = ref.charCodeAt(k);
    if (c >= 65 && c <= 90) col = col * 26 + (c - 64);
    else if (c >= 97 && c <= 122) col = col * 26 + (c - 96);
    else break;
  }
  return col;
}

/** Row number of a cell reference such as `AB12`; NaN when it has none. */
const rowOf = (ref: string) => Number(ref.replace(/^[A-Za-z]+/, '') || NaN);

/** A clock in milliseconds: `performance.now` exists in Node and in browsers. */
const now = () => performance.now();

interface Reading {
  bytes: Uint8Array;
  file: string;
  lim: XlsxLimits;
  started: number;
}

/** Parse one zip entry as XML events, inflating it step by step under the limits. */
function parseEntry(
  r: Reading,
  entry: ZipEntry,
  handlers: {
    /** `raw` is the tag's attribute text: `parseAttributes(raw)` where needed. */
    open: (name: string, raw: string) => void;
    close?: (name: string) => void;
    text?: (text: string) => void;
  },
): void {
  const noop = () => {};
  const tokens = new XmlTokenizer({
    open: (name, raw) => handlers.open(local(name), raw),
    close: handlers.close ? (name) => handlers.close!(local(name)) : noop,
    text: handlers.text ?? noop,
  });
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    inflateEntry(
      r.bytes,
      entry,
      r.file,
      { maxBytes: r.lim.maxEntryBytes, deadline: { at: r.started + r.lim.maxMs, now, limitMs: r.lim.maxMs } },
      (chunk) => tokens.write(decoder.decode(chunk, { stream: true })),
    );
    tokens.write(decoder.decode());
    tokens.end();
  } catch (e) {
    if (e instanceof CityIndexError) throw e;
    if (!(e instanceof XmlError) && !(e instanceof TypeError)) throw e;
    throw new CityIndexError({
      code: 'E_XLSX',
      message: `cannot read workbook: ${entry.name} is not well-formed XML (${e.message}) / 工作簿内容已损坏`,
      file: r.file,
      field: entry.name,
      expected: 'an .xlsx workbook',
    });
  }
}

/** Sheets of workbook.xml with the parts they live in, and the 1904 date system flag. */
function readWorkbook(r: Reading, parts: Map<string, ZipEntry>) {
  const wb = parts.get('xl/workbook.xml');
  if (!wb)
    throw new CityIndexError({
      code: 'E_XLSX',
      message: 'cannot read workbook: no xl/workbook.xml (not an .xlsx workbook) / 不是 .xlsx 工作簿',
      file: r.file,
      expected: 'an .xlsx workbook',
    });
  const sheets: Array<{ name: string; rid: string }> = [];
  let date1904 = false;
  parseEntry(r, wb, {
    open: (name, raw) => {
      const a = parseAttributes(raw);
      if (name === 'sheet') sheets.push({ name: a.name ?? '', rid: a['r:id'] ?? idAttr(a) });
      else if (name === 'workbookPr') date1904 = a.date1904 === '1' || a.date1904 === 'true';
    },
  });
  const targets = new Map<string, string>();
  const rels = parts.get('xl/_rels/workbook.xml.rels');
  if (rels)
    parseEntry(r, rels, {
      open: (name, raw) => {
        if (name !== 'Relationship') return;
        const a = parseAttributes(raw);
        if (!a.Id || !a.Target) return;
        const t = a.Target.replace(/\\/g, '/');
        targets.set(a.Id, t.startsWith('/') ? t.slice(1) : `xl/${t.replace(/^\.\//, '')}`);
      },
    });
  return { sheets: sheets.map((s) => ({ name: s.name, part: targets.get(s.rid) })), date1904 };
}

/** The relationship id attribute under whatever prefix the writer gave the namespace. */
const idAttr = (a: Record<string, string>) => {
  for (const k of Object.keys(a)) if (k.endsWith(':id')) return a[k];
  return '';
};

/** Which cell styles (xf index) show dates. */
function readDateStyles(r: Reading, parts: Map<string, ZipEntry>): boolean[] {
  const styles = parts.get('xl/styles.xml');
  if (!styles) return [];
  const custom = new Map<number, string>();
  const xfs: number[] = [];
  let inCellXfs = false;
  parseEntry(r, styles, {
    open: (name, raw) => {
      if (name !== 'numFmt' && name !== 'cellXfs' && name !== 'xf') return;
      const a = parseAttributes(raw);
      if (name === 'numFmt') custom.set(Number(a.numFmtId), a.formatCode ?? '');
      else if (name === 'cellXfs') inCellXfs = true;
      else if (name === 'xf' && inCellXfs) xfs.push(Number(a.numFmtId ?? 0));
    },
    close: (name) => {
      if (name === 'cellXfs') inCellXfs = false;
    },
  });
  return xfs.map((id) => (custom.has(id) ? isDateFormat(custom.get(id)!) : DATE_FORMAT_IDS.has(id)));
}

/** The shared strings (rich-text runs joined, phonetic runs left out), counted against `maxCells`. */
function readSharedStrings(r: Reading, parts: Map<string, ZipEntry>): string[] {
  const entry = parts.get('xl/sharedStrings.xml');
  if (!entry) return [];
  const out: string[] = [];
  let cur = '';
  let inT = false;
  let inPhonetic = false;
  parseEntry(r, entry, {
    open: (name) => {
      if (name === 't') inT = !inPhonetic;
      else if (name === 'si') cur = '';
      else if (name === 'rPh') inPhonetic = true;
    },
    close: (name) => {
      if (name === 't') inT = false;
      else if (name === 'rPh') inPhonetic = false;
      else if (name === 'si') {
        out.push(cur);
        if (out.length > r.lim.maxCells)
          throw new CityIndexError(limitIssue(r.file, entry.name, 'shared strings', out.length, r.lim.maxCells));
      }
    },
    text: (t) => {
      if (!inT) return;
      cur += t;
      if (cur.length > r.lim.maxCellChars)
        throw new CityIndexError(
          limitIssue(
            r.file,
            `${entry.name}#${out.length + 1}`,
            'characters of a string',
            cur.length,
            r.lim.maxCellChars,
          ),
        );
    },
  });
  return out;
}

/**
 * Plain decimals (no exponent, no leading or trailing zeros, not -0) are kept as written: every reader
 * after this one parses them to the same double as `parseFloat` would, and converting 10⁷ of them back
 * to text (`String(x)`) was most of the time of reading a large sheet. Other numbers are written as
 * `String(parseFloat(x))`, as exceljs did (`1E-7` → `1e-7`, `1.50` → `1.5`).
 */
const PLAIN_DECIMAL = /^-?(?:[1-9]\d*|0)(?:\.\d*[1-9])?$/;

/** Excel's serial day number as an ISO date (`excelToDate` of exceljs: 1900 or 1904 system). */
const serialToIso = (v: number, date1904: boolean) =>
  new Date(Math.round((v - 25569 + (date1904 ? 1462 : 0)) * 86_400_000)).toISOString().slice(0, 10);

/**
 * Read one worksheet (the first unless named) of an XLSX workbook as a table, within `limits`
 * (defaults `DEFAULT_XLSX_LIMITS`). The zip directory is checked before anything is inflated; the
 * sheet's `<dimension>` is checked before its cells; then cells, bytes and time are counted as the
 * sheet streams. A broken limit is an `E_XLSX_LIMIT` naming the file, the part, the limit and the
 * value against it. Formula cells and merged cells are errors (paste values instead): a formula's
 * cached result may be stale and a merged cell hides which row a value belongs to. Dates (number cells
 * with a date format) read as `YYYY-MM-DD`. Pass it to `assembleProject` as `readXlsx`.
 * Reference: ECMA-376 Part 1 §18.3 (worksheets), §18.4 (shared strings), §18.8.30 (number formats).
 * @example
 * import ExcelJS from 'exceljs';
 * const workbook = new ExcelJS.Workbook();
 * workbook.addWorksheet('data').addRows([['code', 'GDP'], ['110100', 1]]);
 * const bytes = new Uint8Array(await workbook.xlsx.writeBuffer());
 * const table = await readXlsxTable(bytes, 'data.xlsx');
 * table.header // => ['code', 'GDP']
 * table.rows // => [['110100', '1']]
 * readXlsxTable(bytes, 'data.xlsx', undefined, { maxCells: 3 }) // => throws E_XLSX_LIMIT
 */
export async function readXlsxTable(
  bytes: Uint8Array,
  file: string,
  sheet?: string,
  limits: Partial<XlsxLimits> = {},
): Promise<Table> {
  return (await readXlsxTables(bytes, file, [sheet], limits))[0];
}

/**
 * Several worksheets of one workbook as tables, the zip directory, workbook, styles and shared strings
 * read once (`readXlsxTable` for each sheet otherwise reads them again), under the same limits (the
 * time limit covers all the sheets). `undefined` in `sheets` means the first sheet.
 * @example
 * import ExcelJS from 'exceljs';
 * const workbook = new ExcelJS.Workbook();
 * workbook.addWorksheet('a').addRows([['k', 'v'], ['x', 1]]);
 * workbook.addWorksheet('b').addRows([['k', 'v'], ['y', 2]]);
 * const bytes = new Uint8Array(await workbook.xlsx.writeBuffer());
 * const tables = await readXlsxTables(bytes, 'w.xlsx', ['b', 'a']);
 * tables.map((t) => t.rows[0][0]) // => ['y', 'x']
 * readXlsxTables(bytes, 'w.xlsx', ['c']) // => throws E_XLSX_SHEET
 */
export async function readXlsxTables(
  bytes: Uint8Array,
  file: string,
  sheetNames: ReadonlyArray<string | undefined>,
  limits: Partial<XlsxLimits> = {},
): Promise<Table[]> {
  const r: Reading = { bytes, file, lim: { ...DEFAULT_XLSX_LIMITS, ...limits }, started: now() };
  const parts = new Map<string, ZipEntry>();
  for (const e of readZipDirectory(bytes, file, r.lim)) parts.set(e.name.replace(/^\//, ''), e);
  const { sheets, date1904 } = readWorkbook(r, parts);
  const chosen = sheetNames.map((sheet) => {
    const c = sheet !== undefined ? sheets.find((s) => s.name === sheet) : sheets[0];
    const entry = c?.part !== undefined ? parts.get(c.part) : undefined;
    if (!c || !entry)
      throw new CityIndexError({
        code: 'E_XLSX_SHEET',
        message:
          sheet !== undefined
            ? `no sheet "${sheet}" / 没有名为“${sheet}”的工作表`
            : 'workbook has no sheets / 工作簿没有工作表',
        file,
        field: 'sheet',
        expected: sheets.map((s) => s.name).join(', ') || 'a worksheet',
      });
    return { name: c.name, entry };
  });
  const dateStyles = readDateStyles(r, parts);
  const shared = readSharedStrings(r, parts);
  return chosen.map((c) => readSheet(r, c.entry, c.name, shared, dateStyles, date1904));
}

/** Stream the cells of one sheet into rows, under the cell, row and column limits. */
function readSheet(
  r: Reading,
  entry: ZipEntry,
  sheetName: string,
  shared: string[],
  dateStyles: boolean[],
  date1904: boolean,
): Table {
  const { file, lim } = r;
  const issues: Issue[] = [];
  let dropped = 0;
  const report = (issue: Issue) => (issues.length < MAX_ISSUES ? issues.push(issue) : dropped++);
  const grid: Array<{ cells: string[]; line: number }> = [];
  let cellCount = 0;
  let rowNumber = 0;
  let row: string[] = [];
  let rowHasValue = false;
  let col = 0;
  let ref = '';
  let type = '';
  let style = 0;
  let text = '';
  let inValue = false;
  let inInline = false;
  let inPhonetic = false;
  let hasValue = false;
  let formula = false;
  const fail = (issue: Issue) => {
    throw new CityIndexError(issue);
  };
  const cellAttribute = (letter: number, value: string) => {
    if (letter === 114 /* r */) ref = value;
    else if (letter === 116 /* t */) type = value;
    else if (letter === 115 /* s */) style = Number(value);
  };
  parseEntry(r, entry, {
    open: (name, raw) => {
      switch (name) {
        case 'c': {
          ref = '';
          type = 'n';
          style = 0;
          oneLetterAttributes(raw, cellAttribute);
          const c = ref ? columnOf(ref) : col + 1;
          col = c > 0 ? c : col + 1;
          if (col > lim.maxColumns) fail(limitIssue(file, `${sheetName}!${ref}`, 'columns', col, lim.maxColumns));
          text = '';
          hasValue = false;
          formula = false;
          if (!ref) ref = `${columnName(col)}${rowNumber}`;
          break;
        }
        case 'v':
          inValue = true;
          hasValue = true;
          break;
        case 'is':
          inInline = true;
          hasValue = true;
          break;
        case 't':
          break;
        case 'rPh':
          inPhonetic = true;
          break;
        case 'f':
          formula = true;
          break;
        case 'row': {
          const at = attribute(raw, 'r');
          const n = at ? Number(at) : rowNumber + 1;
          rowNumber = Number.isFinite(n) && n > rowNumber ? n : rowNumber + 1;
          if (rowNumber > lim.maxRows)
            fail(limitIssue(file, `${sheetName}!${rowNumber}`, 'rows', rowNumber, lim.maxRows));
          row = [];
          rowHasValue = false;
          col = 0;
          break;
        }
        case 'dimension': {
          const a = parseAttributes(raw);
          const [from, to = from] = (a.ref ?? '').split(':');
          const cols = columnOf(to) - columnOf(from) + 1;
          const rows = rowOf(to) - rowOf(from) + 1;
          const part = `${sheetName}!${a.ref}`;
          if (cols > lim.maxColumns) fail(limitIssue(file, part, 'columns (sheet dimension)', cols, lim.maxColumns));
          if (rows > lim.maxRows) fail(limitIssue(file, part, 'rows (sheet dimension)', rows, lim.maxRows));
          if (rows * cols > lim.maxCells)
            fail(limitIssue(file, part, 'cells (sheet dimension)', rows * cols, lim.maxCells));
          break;
        }
        case 'mergeCell': {
          const a = parseAttributes(raw);
          report({
            code: 'E_XLSX_MERGED',
            message: `merged cells ${a.ref} in sheet "${sheetName}" (unmerge and fill every cell / 请取消合并并填满每个单元格)`,
            file,
            field: `${sheetName}!${a.ref}`,
            expected: 'one value in every cell, no merged cells',
          });
          break;
        }
      }
    },
    text: (t) => {
      if (!(inValue || (inInline && !inPhonetic))) return;
      text += t;
      if (text.length > lim.maxCellChars)
        fail(limitIssue(file, `${sheetName}!${ref}`, 'characters of a cell', text.length, lim.maxCellChars));
    },
    close: (name) => {
      switch (name) {
        case 'v':
          inValue = false;
          break;
        case 'is':
          inInline = false;
          break;
        case 'rPh':
          inPhonetic = false;
          break;
        case 'c': {
          while (row.length < col - 1) row.push('');
          row[col - 1] = '';
          if (formula) {
            report({
              code: 'E_XLSX_FORMULA',
              message: `cell ${ref} in sheet "${sheetName}" holds a formula (paste values instead / 请“选择性粘贴→数值”)`,
              file,
              row: rowNumber,
              column: ref,
              expected: 'a value, not a formula',
            });
            break;
          }
          if (!hasValue) break;
          rowHasValue = true;
          let s: string;
          if (type === 's') {
            const k = Number(text);
            if (!(Number.isInteger(k) && k >= 0 && k < shared.length))
              fail({
                code: 'E_XLSX',
                message: `cannot read workbook: cell ${ref} refers to shared string ${text}, which does not exist`,
                file,
                row: rowNumber,
                column: ref,
                expected: `a shared string index below ${shared.length}`,
              });
            s = shared[k];
          } else if (type === 'e') {
            report({
              code: 'E_XLSX_ERROR_CELL',
              message: `cell ${ref} holds the error ${text}`,
              file,
              row: rowNumber,
              column: ref,
              expected: 'a value, or an empty cell for missing',
            });
            s = '';
          } else if (type === 'b') s = text.trim() === '1' || text.trim() === 'true' ? 'true' : 'false';
          else if (type === 'str' || type === 'inlineStr') s = text;
          else if (type === 'd') {
            const d = new Date(text.trim());
            s = Number.isNaN(d.getTime()) ? text : d.toISOString().slice(0, 10);
          } else {
            if (!dateStyles[style] && PLAIN_DECIMAL.test(text) && text !== '-0') s = text;
            else {
              const v = Number.parseFloat(text);
              if (Number.isNaN(v)) s = text;
              else s = dateStyles[style] ? serialToIso(v, date1904) : String(v);
            }
          }
          row[col - 1] = s.trim();
          break;
        }
        case 'row':
          cellCount += row.length;
          if (cellCount > lim.maxCells)
            fail(limitIssue(file, `${sheetName}!${rowNumber}`, 'cells', cellCount, lim.maxCells));
          if (rowHasValue) grid.push({ cells: row, line: rowNumber });
          break;
      }
    },
  });
  if (dropped > 0)
    issues.push({
      code: issues[issues.length - 1].code,
      message: `… and ${dropped} more problems of this sheet / 另有 ${dropped} 处问题`,
      file,
    });
  if (issues.length) throw new CityIndexError(issues);
  if (grid.length === 0)
    throw new CityIndexError({
      code: 'E_EMPTY',
      message: `sheet "${sheetName}" is empty / 工作表为空`,
      file,
      expected: 'a header row and data rows',
    });
  return tableFromRows(grid, file, false);
}

/** Column letters of a 1-based column number (1 → A, 27 → AA). */
function columnName(col: number): string {
  let s = '';
  for (let c = col; c > 0; c = Math.floor((c - 1) / 26)) s = String.fromCharCode(65 + ((c - 1) % 26)) + s;
  return s;
}

/**
 * An `XlsxReader` with other limits than the defaults, e.g. smaller ones for uploads.
 * @example
 * const read = xlsxReader({ maxCells: 10_000, maxTotalBytes: 10 * 1024 * 1024 });
 * typeof read // => 'function'
 */
export function xlsxReader(limits: Partial<XlsxLimits>): XlsxReader {
  return (bytes, file, sheet) => readXlsxTable(bytes, file, sheet, limits);
}
