/** results.xlsx streamed row by row holds the same sheets and cells as the in-memory workbook. */
import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { loadProject } from '../../src/formats/project.ts';
import { build } from '../../src/engine/pipeline/build.ts';
import { createWorkbook, workbookBytes } from '../../src/formats/workbook.ts';

const cells = (wb: ExcelJS.Workbook): Record<string, unknown[][]> => Object.fromEntries(wb.worksheets.map((ws) => {
  const rows: unknown[][] = [];
  ws.eachRow((r, n) => { rows[n - 1] = (r.values as unknown[]).slice(1); });
  return [ws.name, rows];
}));

describe('workbookBytes', () => {
  it('equals createWorkbook sheet by sheet, cell by cell (examples/asem)', async () => {
    const p = await loadProject('examples/asem');
    const b = build(p.input, p.spec);
    const extra = [{ name: 'Extra =sheet', header: ['code', '=x'], rows: [['=cmd', NaN], ['b', 2]] }];
    const streamed = new ExcelJS.Workbook();
    await streamed.xlsx.load((await workbookBytes(b, p, extra)) as unknown as ArrayBuffer);
    const memory = new ExcelJS.Workbook();
    await memory.xlsx.load(await createWorkbook(b, p, extra).xlsx.writeBuffer());
    expect(streamed.worksheets.map((w) => w.name)).toEqual(memory.worksheets.map((w) => w.name));
    expect(cells(streamed)).toEqual(cells(memory));
    const raw = streamed.getWorksheet('raw')!;
    expect(raw.getRow(1).font?.bold).toBe(true);
    expect(raw.views[0]).toMatchObject({ state: 'frozen', xSplit: 1, ySplit: 1 });
    // text is neutralised, NaN is an empty cell
    expect(cells(streamed)['Extra =sheet']).toEqual([['code', "'=x"], ["'=cmd"], ['b', 2]]);
  });
});
