/** The streaming XLSX writer: what it writes, ExcelJS and our own bounded reader read back exactly. */
import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { writeXlsx } from './xlsx-write.ts';
import { readXlsxTable } from './xlsx-table.ts';

const date = new Date(Date.UTC(2000, 0, 1));
const numbers = [0, -1.5, 1 / 3, 1e-300, 1.7976931348623157e308, 68.38372423834171, 123456789012345680000];
const texts = ['北京市', 'a < b & "c" > d', "'=cmd", 'tab\there', 'line\nbreak', ' spaced '];

describe('writeXlsx', () => {
  it('numbers and text read back exactly (ExcelJS and readXlsxTable); NaN and null are empty cells', async () => {
    const rows = [
      ['n', ...numbers],
      ['t', ...texts],
      ['e', NaN, null, Infinity, 'x'],
    ];
    const bytes = writeXlsx([{ name: 'Data', header: ['code', 'a', 'b', 'c', 'd', 'e', 'f', 'g'], rows }], { date });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('Data')!;
    expect((ws.getRow(2).values as unknown[]).slice(2)).toEqual(numbers);
    expect((ws.getRow(3).values as unknown[]).slice(2)).toEqual(texts);
    expect((ws.getRow(4).values as unknown[]).slice(1)).toEqual(['e', undefined, undefined, undefined, 'x']);
    expect(ws.getRow(1).font?.bold).toBe(true);
    expect(ws.views[0]).toMatchObject({ state: 'frozen', xSplit: 1, ySplit: 1 });
    expect(wb.created.getTime()).toBe(date.getTime());
    const t = await readXlsxTable(bytes, 'r.xlsx');
    expect(t.header).toEqual(['code', 'a', 'b', 'c', 'd', 'e', 'f', 'g']);
    expect(t.rows[0].slice(1).map(Number)).toEqual(numbers);
    expect(t.rows[1].slice(1, 1 + texts.length)).toEqual(texts.map((x) => x.trim()));
  });

  it('control characters become _xHHHH_ escapes, so the XML stays well-formed', async () => {
    const bytes = writeXlsx([{ name: 'S', header: ['a'], rows: [['x\u0001y_x0041_']] }], { date });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ArrayBuffer); // a raw U+0001 would make the part unreadable
    expect(String(wb.getWorksheet('S')!.getCell('A2').value)).toContain('x');
  });

  it('gives the same bytes for the same sheets and date', () => {
    const sheets = [{ name: 'S', header: ['a', 'b'], rows: [['u', 1]], widths: { 2: 30 } }];
    expect(Buffer.from(writeXlsx(sheets, { date })).equals(Buffer.from(writeXlsx(sheets, { date })))).toBe(true);
  });
});
