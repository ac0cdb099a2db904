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
  /**
   * Columns read as numbers while parsing (`parseCsvTable`'s `numeric`), so a large data file makes no
   * string per cell: `numeric.columns[k]` is the slot of header column k (-1 when not numeric) and
   * `numeric.values[r]` the row's numbers (missing = NaN), where `rows[r][k]` is then `''`. A cell that
   * is not a plain number keeps its text in `rows[r][k]` (for the error), and a row read as text only
   * (quoted cells) has `values[r]` undefined. Read cells through `numberAt`.
   */
  numeric?: { columns: Int32Array; values: Array<Float64Array | undefined> };
}

/** A raw record: the cells of one line (numeric cells '' when `numbers` holds them), and its line. */
interface RawRecord {
  cells: string[];
  line: number;
  numbers?: Float64Array;
}

/**
 * The number in row `r`, column `k` of a table read with numeric columns, when the parser read it
 * (NaN = missing); undefined when the cell is text (`parseNumberCell(t.rows[r][k])` then says why).
 * @example
 * const t = parseCsvTable('code,x\nA,1.5\nB,\nC,n/a\n', 'd.csv', new Set(['x']));
 * [numberAt(t, 0, 1), numberAt(t, 1, 1), numberAt(t, 2, 1)] // => [1.5, NaN, undefined]
 */
export function numberAt(t: Table, r: number, k: number): number | undefined {
  const n = t.numeric;
  if (!n || t.rows[r][k] !== '') return undefined;
  const row = n.values[r];
  const j = n.columns[k];
  return row && j >= 0 ? row[j] : undefined;
}

/** Reads one worksheet (the first unless named) of XLSX bytes as a table; `readXlsxTable` in xlsx-table.ts. */
export type XlsxReader = (bytes: Uint8Array, file: string, sheet?: string) => Promise<Table>;

/** Line (1-based) and character within it of byte `offset` of bytes read as lines of text. */
function lineAt(bytes: Uint8Array, offset: number): { line: number; start: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < bytes.length; i++)
    if (bytes[i] === 0x0a) {
      line++;
      start = i + 1;
    }
  return { line, start };
}

/**
 * UTF-8 well-formedness: the byte offset of the first invalid sequence (-1 when none), the number of
 * valid multi-byte sequences and of runs of invalid bytes.
 */
function utf8Scan(bytes: Uint8Array): { firstInvalid: number; multiByte: number; invalid: number } {
  let firstInvalid = -1;
  let multiByte = 0;
  let invalid = 0;
  let runEnd = -1;
  for (let i = 0; i < bytes.length;) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    const n = b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    let ok = n > 0 && i + n <= bytes.length;
    for (let k = 1; ok && k < n; k++) ok = (bytes[i + k] & 0xc0) === 0x80;
    if (ok && n === 3) ok = !(b === 0xe0 && bytes[i + 1] < 0xa0) && !(b === 0xed && bytes[i + 1] > 0x9f);
    if (ok && n === 4) ok = !(b === 0xf0 && bytes[i + 1] < 0x90) && !(b === 0xf4 && bytes[i + 1] > 0x8f);
    if (ok) {
      multiByte++;
      i += n;
    } else {
      // one broken character is one run of bad bytes
      if (firstInvalid < 0) firstInvalid = i;
      if (runEnd !== i) invalid++;
      i++;
      runEnd = i;
    }
  }
  return { firstInvalid, multiByte, invalid };
}

/** UTF-16 without a byte-order mark: most text (ASCII) has a zero byte in every pair, on one side. */
function utf16WithoutBom(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
  const pairs = Math.min(bytes.length >> 1, 2048);
  if (pairs < 2) return undefined;
  let even = 0;
  let odd = 0;
  for (let k = 0; k < pairs; k++) {
    if (bytes[2 * k] === 0) even++;
    if (bytes[2 * k + 1] === 0) odd++;
  }
  if (odd >= pairs * 0.4 && even <= pairs * 0.05) return 'utf-16le';
  if (even >= pairs * 0.4 && odd <= pairs * 0.05) return 'utf-16be';
  return undefined;
}

/**
 * How much bytes look like Chinese text in GBK/GB18030: the share of their two-byte characters that are
 * among the 3 755 common characters of GB 2312 level 1 (lead byte B0–D7), punctuation rows not counted.
 * Chinese files score above 0.95 (all 40 CSV files of the shared data); UTF-8 bytes read as GBK below 0.25.
 */
function gbCommonShare(bytes: Uint8Array): number {
  let common = 0;
  let rare = 0;
  let punctuation = 0;
  for (let i = 0; i < bytes.length;) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    const t = bytes[i + 1] ?? 0;
    if (t >= 0x30 && t <= 0x39) {
      rare++; // a four-byte GB18030 character: rare in real text
      i += 4;
      continue;
    }
    if (b >= 0xb0 && b <= 0xd7 && t >= 0xa1) common++;
    else if (b >= 0xa1 && b <= 0xa9 && t >= 0xa1) punctuation++;
    else rare++;
    i += 2;
  }
  // only GB 2312 punctuation (a dash, full-width brackets): Chinese text too
  if (common + rare === 0) return punctuation > 0 ? 1 : 0;
  return common / (common + rare);
}

/**
 * Whether valid UTF-8 text may be GBK bytes in disguise: it has non-ASCII characters, all of them in the
 * ranges two GBK bytes decode to as UTF-8 (Latin Extended-B, IPA, Armenian, Hebrew, Arabic: U+0180–02FF,
 * U+0500–07FF), which Chinese city data do not use (pinyin tones and Greek letters fall outside).
 */
function gbkLookalike(text: string): boolean {
  let any = false;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) continue;
    if (!((c >= 0x180 && c <= 0x2ff) || (c >= 0x500 && c <= 0x7ff))) return false;
    any = true;
  }
  return any;
}

const SAVE_AS_UTF8 = 'UTF-8 text (in Excel: Save As → "CSV UTF-8"; 请另存为 UTF-8 编码)';

function encodingError(bytes: Uint8Array, offset: number, file: string, what: string): CityIndexError {
  const { line, start } = lineAt(bytes, offset);
  const hex = Array.from(bytes.subarray(offset, offset + 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
  return new CityIndexError({
    code: 'E_ENCODING',
    message:
      `${what} at byte ${offset} (line ${line}, byte ${offset - start + 1} of the line: ${hex}) / ` +
      `文件编码无效（第 ${line} 行，第 ${offset} 字节）`,
    file,
    row: line,
    expected: SAVE_AS_UTF8,
  });
}

/** A NUL character in decoded text: refused with its line (spreadsheets never write one in text). */
function refuseNul(text: string, file: string, encoding: string): void {
  const at = text.indexOf('\0');
  if (at < 0) return;
  const before = text.slice(0, at);
  const line = before.split('\n').length;
  const column = at - before.lastIndexOf('\n');
  throw new CityIndexError({
    code: 'E_NUL',
    message:
      `the file holds a NUL character (line ${line}, character ${column}; read as ${encoding}): ` +
      'a binary file, or text saved in another encoding / 文件中含有 NUL 字符（可能是二进制文件或编码错误）',
    file,
    row: line,
    expected: SAVE_AS_UTF8,
  });
}

function decoded(
  bytes: Uint8Array,
  file: string,
  encoding: 'utf-8' | 'utf-16le' | 'utf-16be',
  warnings: Issue[] = [],
  checked = false,
): { text: string; encoding: string; warnings: Issue[] } {
  let text: string;
  try {
    // `checked`: utf8Scan found the bytes well-formed, so the (twice as fast) replacing decoder reads the same
    text = new TextDecoder(encoding, { fatal: !checked }).decode(bytes);
  } catch {
    throw new CityIndexError({
      code: 'E_ENCODING',
      message: `the file is not valid ${encoding.toUpperCase()} text / 文件编码无效`,
      file,
      expected: SAVE_AS_UTF8,
    });
  }
  refuseNul(text, file, encoding.toUpperCase());
  return { text, encoding, warnings };
}

/**
 * Decode file bytes: UTF-8 (with or without BOM), UTF-16 (with a BOM, or without one when every other
 * byte is zero), or GB18030/GBK as Chinese spreadsheets often save (with a warning), when the bytes are
 * not UTF-8 and read as Chinese text. Anything else — a UTF-8 file with a broken byte, text in another
 * encoding, a NUL character — is a located error naming the line and the byte offset.
 * @example decodeText(new Uint8Array([0xb1, 0xb1, 0xbe, 0xa9]), 'a.csv').text // => '北京'
 * @example decodeText(new Uint8Array([0x61, 0x0a, 0xe5, 0x8c, 0x97, 0xff]), 'a.csv') // => throws E_ENCODING
 */
export function decodeText(bytes: Uint8Array, file: string): { text: string; encoding: string; warnings: Issue[] } {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return decoded(bytes.subarray(2), file, 'utf-16le');
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return decoded(bytes.subarray(2), file, 'utf-16be');
  const hasBom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const body = hasBom ? bytes.subarray(3) : bytes;
  const sixteen = hasBom ? undefined : utf16WithoutBom(bytes);
  if (sixteen) {
    const warning: Issue = {
      code: 'W_ENCODING',
      message: `file read as ${sixteen.toUpperCase()} (no byte-order mark) / 文件按 UTF-16 编码读取`,
      file,
      severity: 'warning',
    };
    return decoded(bytes, file, sixteen, [warning]);
  }
  const scan = utf8Scan(body);
  if (scan.firstInvalid < 0) {
    const utf8 = decoded(body, file, 'utf-8', [], true);
    // a few GBK characters can happen to be valid UTF-8 ("缺失" reads as "Ȱʧ"): read as GB18030 when
    // every non-ASCII character is from the scripts such pairs land in and the GBK reading is common Chinese
    if (hasBom || scan.multiByte === 0 || !gbkLookalike(utf8.text) || gbCommonShare(body) < 0.9) return utf8;
    try {
      return gbText(new TextDecoder('gb18030', { fatal: true }).decode(body), file);
    } catch {
      return utf8;
    }
  }
  const offset = scan.firstInvalid + (hasBom ? 3 : 0);
  const what = scan.multiByte > 0 || hasBom ? 'invalid UTF-8' : 'neither UTF-8 nor Chinese GB18030 text';
  // GB18030 only when the bytes read as common Chinese characters: a broken UTF-8 file reads as rare ones
  if (hasBom || gbCommonShare(bytes) < 0.6) throw encodingError(bytes, offset, file, what);
  let text: string;
  try {
    text = new TextDecoder('gb18030', { fatal: true }).decode(bytes);
  } catch {
    throw encodingError(bytes, offset, file, what);
  }
  return gbText(text, file);
}

/** GB18030 text, with the warning that it is not UTF-8. */
function gbText(text: string, file: string): { text: string; encoding: string; warnings: Issue[] } {
  refuseNul(text, file, 'GB18030');
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

/** Whether every cell is empty or white space (no string made per cell). */
function isBlankRow(cells: readonly string[]): boolean {
  for (const c of cells) if (c.length && c.trim() !== '') return false;
  return true;
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
export function tableFromRows(raw: RawRecord[], file: string, strictLength: boolean, slots?: Int32Array): Table {
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
        expected: 'each column name once',
      });
  });
  const rows: string[][] = [];
  const rowNumbers: number[] = [];
  const values: Array<Float64Array | undefined> = [];
  for (let r = h + 1; r < raw.length; r++) {
    const { cells, line, numbers } = raw[r];
    if (isBlankRow(cells) && (!numbers || numbers.every(Number.isNaN))) continue;
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
    if (cells.length === header.length) {
      // trimmed in place: no second array and no new string for a cell without outer spaces
      for (let k = 0; k < cells.length; k++) if (cells[k].length && isSpaced(cells[k])) cells[k] = cells[k].trim();
      rows.push(cells);
    } else rows.push(header.map((_, k) => (cells[k] ?? '').trim()));
    rowNumbers.push(line);
    values.push(numbers);
  }
  if (issues.length) throw new CityIndexError(issues);
  const t: Table = { file, header, rows, rowNumbers, headerRow: headerLine, warnings };
  if (slots && values.some((v) => v)) t.numeric = { columns: slots, values };
  return t;
}

const emptyFile = (file: string) =>
  new CityIndexError({
    code: 'E_EMPTY',
    message: 'file is empty / 文件为空',
    file,
    expected: 'a header row and data rows',
  });

/** The delimiter used by the first lines: comma, semicolon or tab, whichever splits some line most. */
function sniffDelimiter(text: string): string {
  const lines = text.slice(0, 64 * 1024).split(/\r?\n/, MAX_TITLE_ROWS + 2);
  const most = (d: string) => Math.max(0, ...lines.map((l) => l.split(d).length - 1));
  return [',', ';', '\t'].sort((a, b) => most(b) - most(a))[0];
}

/**
 * The records of well-formed CSV text, as csv-parse reads them with `skip_empty_lines` and
 * `relax_column_count` (cells untrimmed, `line` = the line a record ends on), split line by line with
 * the native `String#split` (a 160 MB, 20-million-cell file in about a second, where csv-parse takes
 * several). `undefined` for anything this fast path does not cover — a quoted line break, a quote
 * inside an unquoted cell or text after a closing quote, a lone or mixed carriage return — which the
 * caller then reads with csv-parse, so its errors stay the ones users see.
 * @example
 * fastCsvRecords('a,b\n\n"x,""y""",2\n', ',')
 * // => [{ cells: ['a', 'b'], line: 1 }, { cells: ['x,"y"', '2'], line: 3 }]
 * @example fastCsvRecords('a,b\n"x\ny",2\n', ',') // => undefined
 */
export function fastCsvRecords(text: string, delimiter: string): Array<{ cells: string[]; line: number }> | undefined {
  return fastCsv(text, delimiter)?.records;
}

/** `fastCsvRecords`, with the columns named in `numeric` read as numbers (`slots`: see `Table.numeric`). */
function fastCsv(
  text: string,
  delimiter: string,
  numeric?: ReadonlySet<string>,
): { records: RawRecord[]; slots?: Int32Array } | undefined {
  const first = text.indexOf('\n');
  const crlf = first > 0 && text.charCodeAt(first - 1) === 13;
  if (!crlf && text.includes('\r')) return undefined;
  const out: RawRecord[] = [];
  let line = 0;
  // numeric columns: known once the header is (the first row of two or more cells among the first rows)
  let slots: Int32Array | undefined;
  let width = 0;
  let headerAt = -1;
  let nextQuote = text.indexOf('"');
  for (let at = 0; at < text.length;) {
    const nl = text.indexOf('\n', at);
    const next = nl < 0 ? text.length : nl + 1;
    let end = nl < 0 ? text.length : nl;
    line++;
    if (crlf) {
      if (nl < 0) {
        if (text.charCodeAt(end - 1) === 13) return undefined; // a last line ending in \r alone
      } else if (text.charCodeAt(end - 1) === 13) end--;
      else return undefined; // a line ending in \n alone among \r\n lines
      if (end > at && text.lastIndexOf('\r', end - 1) >= at) return undefined; // a carriage return inside
    }
    if (end > at) {
      if (nextQuote >= 0 && nextQuote < at) nextQuote = text.indexOf('"', at); // searched once per quote
      const quoted = nextQuote;
      if (slots && (quoted < 0 || quoted >= end)) {
        out.push(numericRecord(text, at, end, delimiter, slots, width, line));
      } else {
        const s = text.slice(at, end);
        const cells = quoted >= 0 && quoted < end ? quotedCells(s, delimiter) : s.split(delimiter);
        if (!cells) return undefined;
        out.push({ cells, line });
        if (numeric && headerAt < 0 && out.length <= MAX_TITLE_ROWS + 1) {
          const h = headerIndex(out.map((r) => r.cells));
          if (out[h].cells.filter((c) => c.trim() !== '').length >= 2) {
            headerAt = h;
            const header = out[h].cells.map((c) => c.trim());
            slots = new Int32Array(header.length).fill(-1);
            header.forEach((name, k) => {
              if (numeric.has(name) && header.indexOf(name) === k) slots![k] = width++;
            });
            if (width === 0) slots = undefined;
          }
        }
      }
    }
    at = next;
  }
  return { records: out, slots };
}

/**
 * One unquoted line whose numeric columns are parsed in place: a plain number or an empty cell goes to
 * `numbers` (its cell is ''), anything else keeps its text. Cells are sliced only for other columns.
 */
function numericRecord(
  text: string,
  at: number,
  end: number,
  delimiter: string,
  slots: Int32Array,
  width: number,
  line: number,
): RawRecord {
  const cells: string[] = [];
  const numbers = new Float64Array(width).fill(NaN);
  for (let k = 0; ; k++) {
    let d = text.indexOf(delimiter, at);
    if (d < 0 || d > end) d = end;
    const j = k < slots.length ? slots[k] : -1;
    if (j < 0) cells.push(text.slice(at, d));
    else if (d === at) cells.push('');
    else {
      const raw = text.slice(at, d);
      const v = plainNumber(isSpaced(raw) ? raw.trim() : raw);
      if (v === undefined) cells.push(raw);
      else {
        numbers[j] = v;
        cells.push('');
      }
    }
    if (d === end) break;
    at = d + delimiter.length;
  }
  return { cells, line, numbers };
}

/** Whether text starts or ends with white space (or a character past ASCII, which trim() may remove). */
function isSpaced(v: string): boolean {
  const a = v.charCodeAt(0);
  const z = v.charCodeAt(v.length - 1);
  return a <= 32 || a > 126 || z <= 32 || z > 126;
}

/** The cells of one line holding quotes (RFC 4180: `""` inside quotes); undefined if not well-formed. */
function quotedCells(s: string, delimiter: string): string[] | undefined {
  const cells: string[] = [];
  let at = 0;
  for (;;) {
    if (s.charCodeAt(at) === 34) {
      let value = '';
      let from = at + 1;
      for (;;) {
        const q = s.indexOf('"', from);
        if (q < 0) return undefined; // the quote closes on a later line (or never)
        if (s.charCodeAt(q + 1) === 34) {
          value += s.slice(from, q + 1);
          from = q + 2;
          continue;
        }
        value += s.slice(from, q);
        at = q + 1;
        break;
      }
      cells.push(value);
      if (at === s.length) return cells;
      if (!s.startsWith(delimiter, at)) return undefined; // text after the closing quote
      at += delimiter.length;
    } else {
      const d = s.indexOf(delimiter, at);
      const cell = d < 0 ? s.slice(at) : s.slice(at, d);
      if (cell.includes('"')) return undefined; // a quote inside an unquoted cell
      cells.push(cell);
      if (d < 0) return cells;
      at = d + delimiter.length;
    }
  }
}

/**
 * Parse CSV text (comma, or semicolon/tab if the lines use them) into a table.
 * Headers are trimmed; blank lines skipped; title rows above the header skipped with a warning;
 * a row with the wrong number of cells is a located error. Columns named in `numeric` are read as
 * numbers where they are plain numbers (`Table.numeric`, `numberAt`): no string per cell.
 * @example parseCsvTable('code,x\nA,1\n', 'd.csv').rows // => [['A', '1']]
 */
export function parseCsvTable(text: string, file: string, numeric?: ReadonlySet<string>): Table {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const delimiter = sniffDelimiter(text);
  const fast = fastCsv(text, delimiter, numeric);
  if (fast) {
    if (fast.records.length === 0) throw emptyFile(file);
    return tableFromRows(fast.records, file, true, fast.slots);
  }
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
      expected: 'comma-separated values, quotes closed, the same number of cells on every row',
    });
  }
  if (records.length === 0) throw emptyFile(file);
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
 * The value of a trimmed cell that is a plain number (`[+-]digits[.digits][e[+-]digits]`, as
 * `parseNumberCell` accepts) within ±1e150, NaN for an empty cell, else undefined (then
 * `parseNumberCell` says why). One pass over the characters, no regular expression, no object: the
 * fast path of reading a large data file.
 * @example [plainNumber('-1.5e3'), plainNumber(''), plainNumber('1,234')] // => [-1500, NaN, undefined]
 */
export function plainNumber(s: string): number | undefined {
  const n = s.length;
  if (n === 0) return NaN;
  let i = 0;
  let c = s.charCodeAt(0);
  if (c === 43 || c === 45) c = s.charCodeAt(++i);
  let digits = 0;
  while (c >= 48 && c <= 57) {
    digits++;
    c = s.charCodeAt(++i);
  }
  if (c === 46) {
    c = s.charCodeAt(++i);
    while (c >= 48 && c <= 57) {
      digits++;
      c = s.charCodeAt(++i);
    }
  }
  if (digits === 0) return undefined;
  if (c === 101 || c === 69) {
    c = s.charCodeAt(++i);
    if (c === 43 || c === 45) c = s.charCodeAt(++i);
    let e = 0;
    while (c >= 48 && c <= 57) {
      e++;
      c = s.charCodeAt(++i);
    }
    if (e === 0) return undefined;
  }
  if (i !== n) return undefined;
  const v = Number(s);
  return Math.abs(v) <= MAX_ABS_VALUE ? v : undefined;
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
