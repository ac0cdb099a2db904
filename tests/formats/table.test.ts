/** Tables as users save them: title rows above the header, CRLF, and cells that are almost numbers. */
import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { headerIndex, parseCsvTable, parseNumberCell } from '../../src/formats/table.ts';
import { readXlsxTable } from '../../src/formats/xlsx-table.ts';
import { CityIndexError } from '../../src/engine/core/errors.ts';

describe('header row', () => {
  it('is the first row with two or more cells when only title rows stand above it', () => {
    expect(headerIndex([['GDP 2019'], [], ['source: yearbook'], ['code', 'GDP'], ['A', '1']])).toBe(3);
    expect(
      headerIndex([
        ['code', 'GDP'],
        ['A', '1'],
      ]),
    ).toBe(0);
    expect(headerIndex([['code'], ['A'], ['B']])).toBe(0); // a one-column table keeps row 1
  });

  it('CSV with a title line: rows keep their file line numbers and a warning names the skipped title', () => {
    const t = parseCsvTable('中国城市指标 2019\r\ncode,x\r\nA,1\r\nB,2\r\n', 'd.csv');
    expect(t.header).toEqual(['code', 'x']);
    expect(t.rows).toEqual([
      ['A', '1'],
      ['B', '2'],
    ]);
    expect(t.rowNumbers).toEqual([3, 4]);
    expect(t.headerRow).toBe(2);
    expect(t.warnings).toEqual([expect.objectContaining({ code: 'W_HEADER_ROW', row: 2, file: 'd.csv' })]);
    expect(t.warnings[0].message).toContain('中国城市指标 2019');
  });

  it('XLSX with the header on row 4: read from there, no spurious row-length errors', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('数据');
    ws.getCell('A1').value = '中国城市数字治理指标';
    ws.getCell('A2').value = '来源：公开数据';
    ws.addRow([]);
    ws.getRow(4).values = ['code', 'x', 'y'];
    ws.getRow(5).values = ['330100', 1.5, 2];
    const t = await readXlsxTable(new Uint8Array(await wb.xlsx.writeBuffer()), 'd.xlsx');
    expect(t.header).toEqual(['code', 'x', 'y']);
    expect(t.rows).toEqual([['330100', '1.5', '2']]);
    expect(t.rowNumbers).toEqual([5]);
    expect(t.warnings[0]).toMatchObject({ code: 'W_HEADER_ROW', row: 4 });
  });

  it('a row with more cells than the header hints at an unquoted comma', () => {
    try {
      parseCsvTable('code,x\nA,1,234\n', 'd.csv');
      expect.unreachable();
    } catch (e) {
      expect((e as CityIndexError).issues[0]).toMatchObject({ code: 'E_ROW_LENGTH', row: 2, expected: '2 cells' });
      expect((e as CityIndexError).issues[0].message).toContain('quote the value');
    }
  });

  it('an empty file and a duplicate header are located errors', () => {
    expect(() => parseCsvTable('', 'd.csv')).toThrow(/file is empty/);
    try {
      parseCsvTable('code,x,x\nA,1,2\n', 'd.csv');
      expect.unreachable();
    } catch (e) {
      expect((e as CityIndexError).issues).toEqual([
        expect.objectContaining({ code: 'E_DUPLICATE_COLUMN', row: 1, column: 'x' }),
      ]);
    }
  });
});

describe('number cells', () => {
  it('plain numbers and missing markers', () => {
    expect(parseNumberCell(' 3.5 ')).toEqual({ value: 3.5 });
    expect(parseNumberCell('-1e3')).toEqual({ value: -1000 });
    expect(Number.isNaN(parseNumberCell('NA').value)).toBe(true);
    expect(parseNumberCell('NA').error).toBeUndefined();
  });

  it.each([
    ['12.5%', 'percent sign'],
    ['12.5 ％', 'percent sign'],
    ['1,234,567', 'thousands separators'],
    ['１２３', 'full-width digits'],
    ['3,5', 'decimal comma'],
    ['12.5万', 'unit or text'],
    ['12 km', 'unit or text'],
    ['abc', 'is not a plain number'],
  ])('%s is an error that says how to fix it (%s)', (cell, hint) => {
    const p = parseNumberCell(cell);
    expect(Number.isNaN(p.value)).toBe(true);
    expect(p.error).toContain(hint);
  });

  it('NaN and Infinity text stay errors (deliberate: a missing value is empty or NA)', () => {
    expect(parseNumberCell('NaN').error).toContain('not allowed');
    expect(parseNumberCell('-Infinity').error).toContain('not allowed');
  });
});
