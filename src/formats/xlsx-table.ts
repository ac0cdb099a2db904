/**
 * The XLSX reader (exceljs), apart from the pure table parsers so that modules which only need CSV
 * (the project assembly in a browser) do not bundle exceljs. An `XlsxReader` (table.ts).
 */
import ExcelJS from 'exceljs';
import { CityIndexError, type Issue } from '../engine/core/errors.ts';
import { tableFromRows, type Table } from './table.ts';

/**
 * Read one worksheet of an XLSX workbook as a table. Formula cells and merged cells are errors
 * (paste values instead): a formula's cached result may be stale and a merged cell hides which row
 * a value belongs to. Node and bundlers that ship exceljs; pass it to `assembleProject` as `readXlsx`.
 * @example
 * import ExcelJS from 'exceljs';
 * const workbook = new ExcelJS.Workbook();
 * workbook.addWorksheet('data').addRows([['code', 'GDP'], ['110100', 1]]);
 * const bytes = new Uint8Array(await workbook.xlsx.writeBuffer());
 * const table = await readXlsxTable(bytes, 'data.xlsx');
 * table.header // => ['code', 'GDP']
 */
export async function readXlsxTable(bytes: Uint8Array, file: string, sheet?: string): Promise<Table> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch (e) {
    throw new CityIndexError({
      code: 'E_XLSX',
      message: `cannot read workbook: ${(e as Error).message}`,
      file,
      expected: 'an .xlsx workbook',
    });
  }
  const ws = sheet ? wb.getWorksheet(sheet) : wb.worksheets[0];
  if (!ws)
    throw new CityIndexError({
      code: 'E_XLSX_SHEET',
      message: sheet ? `no sheet "${sheet}"` : 'workbook has no sheets',
      file,
      field: 'sheet',
      expected: wb.worksheets.map((w) => w.name).join(', ') || 'a worksheet',
    });
  const issues: Issue[] = [];
  const merges = (ws as unknown as { model: { merges?: string[] } }).model.merges ?? [];
  for (const m of merges)
    issues.push({
      code: 'E_XLSX_MERGED',
      message: `merged cells ${m} in sheet "${ws.name}" (unmerge and fill every cell / 请取消合并并填满每个单元格)`,
      file,
      field: `${ws.name}!${m}`,
      expected: 'one value in every cell, no merged cells',
    });
  const grid: Array<{ row: number; cells: string[] }> = [];
  ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, col) => {
      const v = cell.value as unknown;
      let s = '';
      if (v === null || v === undefined) s = '';
      else if (typeof v === 'object' && v !== null && ('formula' in v || 'sharedFormula' in v)) {
        issues.push({
          code: 'E_XLSX_FORMULA',
          message: `cell ${cell.address} in sheet "${ws.name}" holds a formula (paste values instead / 请“选择性粘贴→数值”)`,
          file,
          row: rowNumber,
          column: cell.address,
          expected: 'a value, not a formula',
        });
      } else if (typeof v === 'object' && v !== null && 'richText' in v)
        s = (v as { richText: Array<{ text: string }> }).richText.map((t) => t.text).join('');
      else if (typeof v === 'object' && v !== null && 'error' in v)
        issues.push({
          code: 'E_XLSX_ERROR_CELL',
          message: `cell ${cell.address} holds the error ${(v as { error: string }).error}`,
          file,
          row: rowNumber,
          column: cell.address,
          expected: 'a value, or an empty cell for missing',
        });
      else if (v instanceof Date) s = v.toISOString().slice(0, 10);
      else if (typeof v === 'object' && v !== null && 'text' in v) s = String((v as { text: unknown }).text);
      else s = String(v);
      cells[col - 1] = s.trim();
    });
    for (let k = 0; k < cells.length; k++) if (cells[k] === undefined) cells[k] = '';
    grid.push({ row: rowNumber, cells });
  });
  if (issues.length) throw new CityIndexError(issues);
  if (grid.length === 0)
    throw new CityIndexError({
      code: 'E_EMPTY',
      message: `sheet "${ws.name}" is empty / 工作表为空`,
      file,
      expected: 'a header row and data rows',
    });
  return tableFromRows(
    grid.map((g) => ({ cells: g.cells, line: g.row })),
    file,
    false,
  );
}
