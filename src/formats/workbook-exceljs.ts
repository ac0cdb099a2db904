/**
 * results.xlsx as an ExcelJS workbook in memory (for library users who want to add to it before
 * saving): the same sheets and cells as `workbookBytes` (workbook.ts) writes. ExcelJS loads only
 * where this module is imported; the CLI writes the workbook without it.
 */
import ExcelJS from 'exceljs';
import type { Build } from '../engine/pipeline/build.ts';
import { CITYINDEX_VERSION } from './results.ts';
import { safeText } from './safe-text.ts';
import type { LoadedProject } from './project.ts';
import {
  cellValue,
  WORKBOOK_DATE,
  workbookSheets,
  type ExtraSheet,
  type SheetSpec,
  type WorkbookOptions,
} from './workbook.ts';

const VIEWS: Array<Partial<ExcelJS.WorksheetView>> = [{ state: 'frozen', xSplit: 1, ySplit: 1 }];

function fillSheet(ws: ExcelJS.Worksheet, s: SheetSpec): void {
  for (const [c, w] of Object.entries(s.widths ?? {})) ws.getColumn(Number(c)).width = w;
  const head = ws.addRow(s.header.map(safeText));
  head.font = { bold: true };
  for (const r of s.rows) ws.addRow(r.map(cellValue));
}

/**
 * Build the workbook in memory.
 * @example
 * import { loadProject } from './index.ts';
 * const wb = createWorkbook(asem.build, await loadProject('examples/asem'), [], { stages: true });
 * wb.worksheets.map((w) => w.name) // => ['Results', 'Method', 'raw', …]
 */
export function createWorkbook(
  b: Build,
  p: LoadedProject,
  extra: ExtraSheet[] = [],
  options: WorkbookOptions = {},
): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  wb.creator = `cityindex ${CITYINDEX_VERSION}`;
  wb.created = wb.modified = WORKBOOK_DATE;
  for (const s of workbookSheets(b, p, extra, options)) fillSheet(wb.addWorksheet(s.name, { views: VIEWS }), s);
  return wb;
}
