/**
 * Issue 10 item 1: XLSX bounded before parsing. Hostile workbooks are generated here (a 1 MB zip that
 * inflates to 1 GiB, with honest and lying sizes; too many entries; a huge dimension; too many cells,
 * rows, columns) and must be refused with a located E_XLSX_LIMIT (file, part, limit, value vs limit)
 * within 2 s and without holding the inflated bytes (memory loosely bounded). The reader also keeps
 * reading ordinary workbooks as exceljs did (types, dates, formulas and merges refused).
 */
import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { zipSync } from 'fflate';
import { CityIndexError } from '../../src/engine/core/errors.ts';
import { readXlsxTable, xlsxReader } from '../../src/formats/xlsx-table.ts';
import { readZipDirectory } from '../../src/formats/zip-entries.ts';
import { deflateBomb, SHEET_HEAD, SHEET_TAIL, workbookAround, workbookOf } from './xlsx-hostile.ts';

const GiB = 1024 ** 3;

/** Run `read`, expecting a CityIndexError; returns its issues with the time and memory it took. */
async function refused(read: () => Promise<unknown>) {
  if (global.gc) global.gc();
  const rss0 = process.memoryUsage().rss;
  let peak = rss0;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  const t0 = performance.now();
  let error: unknown;
  try {
    await read();
  } catch (e) {
    error = e;
  }
  const ms = performance.now() - t0;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  expect(error).toBeInstanceOf(CityIndexError);
  return { issues: (error as CityIndexError).issues, ms, grewMB: (peak - rss0) / 1024 ** 2, error };
}

describe('XLSX limits: the zip directory is checked before anything is inflated', () => {
  // 1.06 MB of deflate that inflates to 1 GiB of `<row/>`-free filler inside a well-formed sheet.
  const bomb = deflateBomb(SHEET_HEAD, '<x/>', GiB, SHEET_TAIL);

  it('a 1 MB workbook declaring its 1 GiB sheet is refused by the compression ratio in < 2 s', async () => {
    const xlsx = workbookAround({ data: bomb.data, method: 8, declaredSize: bomb.size });
    expect(xlsx.length).toBeLessThan(1.2 * 1024 ** 2);
    const r = await refused(() => readXlsxTable(xlsx, 'uploads/bomb.xlsx'));
    expect(r.issues).toHaveLength(1);
    expect(r.issues[0]).toMatchObject({
      code: 'E_XLSX_LIMIT',
      file: 'uploads/bomb.xlsx',
      field: 'xl/worksheets/sheet1.xml',
      expected: 'compression ratio ≤ 400',
    });
    // the value against the limit: 1 072 693 255 / 1 060 (and some) bytes ≈ 1 011
    expect(r.issues[0].message).toMatch(/^compression ratio 10\d\d\.\d exceeds the limit 400/);
    expect(r.ms).toBeLessThan(2000);
    expect(r.grewMB).toBeLessThan(256);
  });

  it('the same sheet declaring 100 kB (lying sizes) stops as soon as it inflates past 100 kB', async () => {
    const xlsx = workbookAround({ data: bomb.data, method: 8, declaredSize: 100_000 });
    const r = await refused(() => readXlsxTable(xlsx, 'bomb.xlsx'));
    expect(r.issues[0]).toMatchObject({ code: 'E_XLSX_LIMIT', field: 'xl/worksheets/sheet1.xml' });
    expect(r.issues[0].expected).toBe('inflated size against the declared size (bytes) ≤ 100,000');
    expect(r.ms).toBeLessThan(2000);
    expect(r.grewMB).toBeLessThan(256);
  });

  it('with the ratio check off, an honest 1 GiB sheet is still stopped by the byte and time limits', async () => {
    const xlsx = workbookAround({ data: bomb.data, method: 8, declaredSize: bomb.size });
    // 2 GiB allows it, so the sheet streams (16 kB of deflate at a time) until the time limit.
    const timed = await refused(() =>
      readXlsxTable(xlsx, 'bomb.xlsx', undefined, { maxRatio: Infinity, maxEntryBytes: 2 * GiB, maxMs: 300 }),
    );
    expect(timed.issues[0]).toMatchObject({ code: 'E_XLSX_LIMIT', expected: 'reading time (ms) ≤ 300' });
    expect(timed.ms).toBeLessThan(2000);
    expect(timed.grewMB).toBeLessThan(256);
    const capped = await refused(() =>
      readXlsxTable(xlsx, 'bomb.xlsx', undefined, { maxRatio: Infinity, maxEntryBytes: 64 * 1024 ** 2 }),
    );
    expect(capped.issues[0]).toMatchObject({ code: 'E_XLSX_LIMIT', field: 'xl/worksheets/sheet1.xml' });
    expect(capped.issues[0].expected).toMatch(/^declared uncompressed size \(bytes\) ≤ 67,108,864$/);
  }, 120_000);

  it('too many entries are refused from the directory alone', async () => {
    const files: Record<string, Uint8Array> = {};
    for (let k = 0; k < 20_000; k++) files[`junk/${k}.xml`] = new Uint8Array(0);
    const zip = zipSync(files, { level: 0 });
    const r = await refused(() => readXlsxTable(zip, 'many.xlsx'));
    expect(r.issues[0]).toMatchObject({ code: 'E_XLSX_LIMIT', file: 'many.xlsx', expected: 'zip entries ≤ 10,000' });
    expect(r.issues[0].message).toMatch(/^zip entries 20,000 exceeds the limit 10,000/);
    expect(r.ms).toBeLessThan(2000);
    expect(() => readZipDirectory(zip, 'many.xlsx', { maxEntries: 20_000 })).not.toThrow();
  });

  it('declared sizes summing past the total are refused, before inflating', async () => {
    const xlsx = workbookAround({ data: bomb.data, method: 8, declaredSize: bomb.size });
    const r = await refused(() => readXlsxTable(xlsx, 'bomb.xlsx', undefined, { maxTotalBytes: 512 * 1024 ** 2 }));
    expect(r.issues[0].expected).toBe('declared uncompressed size of all entries (bytes) ≤ 536,870,912');
    expect(r.ms).toBeLessThan(500);
  });

  it('a non-zip and a truncated zip are E_XLSX, not a stack trace', async () => {
    const notZip = await refused(() => readXlsxTable(new TextEncoder().encode('code,GDP\nA,1\n'), 'x.xlsx'));
    expect(notZip.issues[0]).toMatchObject({ code: 'E_XLSX', file: 'x.xlsx', expected: 'an .xlsx workbook' });
    const xlsx = workbookOf(`${SHEET_HEAD}<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row>${SHEET_TAIL}`);
    const cut = xlsx.slice(0, xlsx.length - 30);
    expect((await refused(() => readXlsxTable(cut, 'cut.xlsx'))).issues[0].code).toBe('E_XLSX');
  });
});

describe('XLSX limits: the sheet streams under cell, row, column and dimension limits', () => {
  const cell = (r: number, c: number) => `<c r="${String.fromCharCode(65 + c)}${r}"><v>${r * 10 + c}</v></c>`;
  const cellsRow = (r: number, n: number) =>
    `<row r="${r}">${Array.from({ length: n }, (_, c) => cell(r, c)).join('')}</row>`;

  it('a dimension of A1:XFD1048576 is refused before its cells are read', async () => {
    const xlsx = workbookOf(
      `${SHEET_HEAD.replace('<sheetData>', '<dimension ref="A1:XFD1048576"/><sheetData>')}${SHEET_TAIL}`,
    );
    const r = await refused(() => readXlsxTable(xlsx, 'dim.xlsx'));
    expect(r.issues[0]).toMatchObject({
      code: 'E_XLSX_LIMIT',
      file: 'dim.xlsx',
      field: 'data!A1:XFD1048576',
      expected: 'cells (sheet dimension) ≤ 20,000,000',
    });
    expect(r.issues[0].message).toMatch(/^cells \(sheet dimension\) 17,179,869,184 exceeds/);
  });

  it('cells are counted as rows close, with the sheet and row named', async () => {
    const rows = Array.from({ length: 100 }, (_, k) => cellsRow(k + 1, 10)).join('');
    const xlsx = workbookOf(SHEET_HEAD + rows + SHEET_TAIL);
    expect((await readXlsxTable(xlsx, 'ok.xlsx')).rows).toHaveLength(99);
    const r = await refused(() => xlsxReader({ maxCells: 500 })(xlsx, 'cells.xlsx'));
    expect(r.issues[0]).toMatchObject({ code: 'E_XLSX_LIMIT', field: 'data!51', expected: 'cells ≤ 500' });
    expect(r.issues[0].message).toMatch(/^cells 510 exceeds the limit 500/);
  });

  it('rows and columns past their limits (a cell at XFE, a row 1 048 577) are refused', async () => {
    const wide = workbookOf(`${SHEET_HEAD}<row r="1"><c r="XFE1"><v>1</v></c></row>${SHEET_TAIL}`);
    expect((await refused(() => readXlsxTable(wide, 'w.xlsx'))).issues[0]).toMatchObject({
      field: 'data!XFE1',
      expected: 'columns ≤ 16,384',
    });
    const tall = workbookOf(`${SHEET_HEAD}<row r="1048577"><c r="A1048577"><v>1</v></c></row>${SHEET_TAIL}`);
    expect((await refused(() => readXlsxTable(tall, 't.xlsx'))).issues[0]).toMatchObject({
      expected: 'rows ≤ 1,048,576',
    });
  });

  it('empty rows inflating from a few kB stop at the row limit, fast', async () => {
    const rows = deflateBomb(SHEET_HEAD, '<row/>', 64 * 1024 ** 2, SHEET_TAIL);
    const xlsx = workbookAround({ data: rows.data, method: 8, declaredSize: rows.size });
    const r = await refused(() =>
      readXlsxTable(xlsx, 'rows.xlsx', undefined, { maxRatio: Infinity, maxRows: 200_000 }),
    );
    expect(r.issues[0]).toMatchObject({ code: 'E_XLSX_LIMIT', field: 'data!200001', expected: 'rows ≤ 200,000' });
    expect(r.ms).toBeLessThan(2000);
  });
});

describe('XLSX reader: the values exceljs gave, without exceljs', () => {
  it('numbers, shared and rich-text strings, booleans and dates (1900 system) read as before', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('data');
    ws.addRow(['code', 'GDP', 'name', 'ok', 'date']);
    ws.addRow(['110100', 0.1 + 0.2, { richText: [{ text: '北' }, { text: '京' }] }, true, new Date('2019-12-31')]);
    ws.addRow([' 120100 ', 1e-7, '天津', false, new Date('2020-02-29')]);
    ws.getCell('E2').numFmt = 'yyyy-mm-dd';
    ws.getCell('E3').numFmt = 'yyyy"年"m"月"d"日"';
    const bytes = new Uint8Array(await wb.xlsx.writeBuffer());
    const t = await readXlsxTable(bytes, 'd.xlsx');
    expect(t.header).toEqual(['code', 'GDP', 'name', 'ok', 'date']);
    expect(t.rows).toEqual([
      ['110100', '0.30000000000000004', '北京', 'true', '2019-12-31'],
      ['120100', '1e-7', '天津', 'false', '2020-02-29'],
    ]);
    expect(t.rowNumbers).toEqual([2, 3]);
    await expect(readXlsxTable(bytes, 'd.xlsx', 'nope')).rejects.toMatchObject({
      issues: [{ code: 'E_XLSX_SHEET', field: 'sheet', expected: 'data' }],
    });
  });

  it('formulas, error cells and merged cells are located errors, all at once', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('data');
    ws.addRow(['code', 'GDP', 'x']);
    ws.addRow(['A', { formula: '1+1', result: 2 }, 1]);
    ws.addRow(['B', { error: '#DIV/0!' }, 2]);
    ws.addRow(['C', 3, 4]);
    ws.mergeCells('B4:C4');
    const bytes = new Uint8Array(await wb.xlsx.writeBuffer());
    const r = await refused(() => readXlsxTable(bytes, 'f.xlsx'));
    expect(r.issues.map((i) => [i.code, i.row ?? i.field])).toEqual([
      ['E_XLSX_FORMULA', 2],
      ['E_XLSX_ERROR_CELL', 3],
      ['E_XLSX_MERGED', 'data!B4:C4'],
    ]);
  });
});
