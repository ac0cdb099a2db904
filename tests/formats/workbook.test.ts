/** results.xlsx streamed row by row holds the same sheets and cells as the in-memory workbook. */
import { describe, expect, it, vi } from 'vitest';
import ExcelJS from 'exceljs';
import { loadProject } from '../../src/formats/project.ts';
import { build } from '../../src/engine/pipeline/build.ts';
import { workbookBytes, WORKBOOK_DATE } from '../../src/formats/workbook.ts';
import { createWorkbook } from '../../src/formats/workbook-exceljs.ts';

const cells = (wb: ExcelJS.Workbook): Record<string, unknown[][]> =>
  Object.fromEntries(
    wb.worksheets.map((ws) => {
      const rows: unknown[][] = [];
      ws.eachRow((r, n) => {
        rows[n - 1] = (r.values as unknown[]).slice(1);
      });
      return [ws.name, rows];
    }),
  );

describe('workbookBytes', () => {
  it('equals createWorkbook sheet by sheet, cell by cell (examples/asem)', async () => {
    const p = await loadProject('examples/asem');
    const b = build(p.input, p.spec);
    const extra = [
      {
        name: 'Extra =sheet',
        header: ['code', '=x'],
        rows: [
          ['=cmd', NaN],
          ['b', 2],
        ],
      },
    ];
    const streamed = new ExcelJS.Workbook();
    await streamed.xlsx.load((await workbookBytes(b, p, extra, { stages: true })) as unknown as ArrayBuffer);
    const memory = new ExcelJS.Workbook();
    await memory.xlsx.load(await createWorkbook(b, p, extra, { stages: true }).xlsx.writeBuffer());
    expect(streamed.worksheets.map((w) => w.name)).toEqual(memory.worksheets.map((w) => w.name));
    expect(cells(streamed)).toEqual(cells(memory));
    const raw = streamed.getWorksheet('raw')!;
    expect(raw.getRow(1).font?.bold).toBe(true);
    expect(raw.views[0]).toMatchObject({ state: 'frozen', xSplit: 1, ySplit: 1 });
    // text is neutralised, NaN is an empty cell
    expect(cells(streamed)['Extra =sheet']).toEqual([['code', "'=x"], ["'=cmd"], ['b', 2]]);
  });

  it('is byte-identical between runs of the same build, whatever the clock says', async () => {
    const p = await loadProject('examples/asem');
    const b = build(p.input, p.spec);
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(new Date('2026-03-04T05:06:07Z'));
      const first = await workbookBytes(b, p);
      vi.setSystemTime(new Date('2031-11-12T13:14:15Z'));
      const second = await workbookBytes(b, p);
      expect(Buffer.from(second).equals(Buffer.from(first))).toBe(true);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(first as unknown as ArrayBuffer);
      expect(wb.created.getTime()).toBe(WORKBOOK_DATE.getTime());
    } finally {
      vi.useRealTimers();
    }
  });

  it('writes no stage sheet by default: results, method, weights, sources, and each stage on Notes', async () => {
    const p = await loadProject('examples/asem');
    const b = build(p.input, p.spec);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await workbookBytes(b, p)) as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Results', 'Method', 'Weights', 'Sources', 'Notes']);
    const notes = cells(wb).Notes;
    expect(notes.slice(1).map((r) => r.slice(0, 3))).toEqual([
      ['raw', 51, 49],
      ...b.steps.map((s) => [s.id, s.dataset.unitCodes.length, s.dataset.codes.length]),
    ]);
    expect(String(notes[1][3])).toContain('xlsx-stages');
    expect(String(notes[1][4])).toContain('未写入');
    // every unit's scores and ranks are there
    expect(wb.getWorksheet('Results')!.rowCount).toBe(52);
    expect(wb.getWorksheet('Results')!.getCell('A2').value).toBe('CHE');
  });

  it('writes stage sheets on request only while they fit the cell limit and lists the others on Notes', async () => {
    const p = await loadProject('examples/asem');
    const b = build(p.input, p.spec);
    const rawCells = b.raw.unitCodes.length * (b.raw.codes.length + 1); // 51 × (49 + 1)
    const wb = new ExcelJS.Workbook();
    const limited = await workbookBytes(b, p, [], { stages: true, stageCellLimit: rawCells });
    await wb.xlsx.load(limited as unknown as ArrayBuffer);
    const names = wb.worksheets.map((w) => w.name);
    expect(names).toContain('raw');
    for (const s of b.steps) expect(names).not.toContain(s.id);
    const notes = cells(wb).Notes;
    expect(notes[0]).toEqual(['stage', 'units', 'codes', 'note', '说明']);
    expect(notes.slice(1).map((r) => r[0])).toEqual(b.steps.map((s) => s.id));
    expect(String(notes[1][3])).toContain('results.csv');
    // the results sheet is whole
    expect(wb.getWorksheet('Results')!.rowCount).toBe(b.results.scores.unitCodes.length + 1);
    // within the default limit every stage is written and there is no Notes sheet
    const full = new ExcelJS.Workbook();
    await full.xlsx.load((await workbookBytes(b, p, [], { stages: true })) as unknown as ArrayBuffer);
    expect(full.worksheets.map((w) => w.name)).toEqual(expect.arrayContaining(['raw', ...b.steps.map((s) => s.id)]));
    expect(full.getWorksheet('Notes')).toBeUndefined();
  });
});
