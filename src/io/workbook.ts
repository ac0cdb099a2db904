/**
 * results.xlsx: a sheet per stage (raw, each step's dataset), the ranking, weights, sources and gaps,
 * and a sheet explaining the method in English and Chinese. Text cells are neutralised against
 * formula injection; missing values are empty cells.
 */
import ExcelJS from 'exceljs';
import type { Build } from '../engine/build/build.ts';
import type { Dataset } from '../engine/core/dataset.ts';
import { describeStep } from '../engine/build/describe.ts';
import { safeText } from './safe-text.ts';
import { resultsTable, CITYINDEX_VERSION } from './results.ts';
import type { LoadedProject } from './project.ts';

type Cell = string | number | null;

function addRows(ws: ExcelJS.Worksheet, header: string[], rows: Cell[][]): void {
  ws.addRow(header.map(safeText)).font = { bold: true };
  for (const r of rows) ws.addRow(r.map((v) => (typeof v === 'string' ? safeText(v) : v === null || (typeof v === 'number' && !Number.isFinite(v)) ? null : v)));
  ws.views = [{ state: 'frozen', xSplit: 1, ySplit: 1 }];
}

function datasetSheet(wb: ExcelJS.Workbook, name: string, ds: Dataset): void {
  const ws = wb.addWorksheet(name.slice(0, 31));
  const n = ds.unitCodes.length;
  addRows(ws, ['code', ...ds.codes], ds.unitCodes.map((u, i) => [u, ...ds.codes.map((_, j) => ds.values[j * n + i])]));
}

/** Extra sheets contributed by analyses or series (name, header, rows). */
export interface ExtraSheet { name: string; header: string[]; rows: Cell[][] }

/**
 * Build the workbook in memory.
 * @example const wb = createWorkbook(build, project); wb.worksheets.map((w) => w.name) // => ['Results', 'Method', 'raw', …]
 */
export function createWorkbook(b: Build, p: LoadedProject, extra: ExtraSheet[] = []): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  wb.creator = `cityindex ${CITYINDEX_VERSION}`;
  const t = resultsTable(b);
  addRows(wb.addWorksheet('Results'), t.header, t.rows);
  const method = wb.addWorksheet('Method');
  addRows(method, ['#', 'step', 'kind', 'description (en)', '说明 (zh)', 'options (JSON)'], b.spec.steps.map((s, k) => [k + 1, s.id, s.kind, describeStep(s, 'en'), describeStep(s, 'zh'), JSON.stringify(s.options ?? {})]));
  method.getColumn(4).width = 70;
  method.getColumn(5).width = 50;
  datasetSheet(wb, 'raw', b.raw);
  for (const s of b.steps) datasetSheet(wb, s.id, s.dataset);
  const fw = b.steps.length ? b.steps[b.steps.length - 1].framework : b.input.framework;
  addRows(wb.addWorksheet('Weights'), ['code', 'name_zh', 'name_en', 'level', 'parent', 'weight', 'effective_weight'], fw.nodes.filter((n) => n.status !== 'not_collected').map((n) => [n.code, n.name.zh ?? '', n.name.en ?? '', n.level, n.parent ?? '', n.weight, b.results.effectiveWeights[n.code] ?? null]));
  addRows(wb.addWorksheet('Sources'), ['code', 'name_zh', 'name_en', 'status', 'unit', 'direction', 'source', 'year', 'licence', 'url', 'notes'], fw.nodes.filter((n) => n.kind === 'indicator').map((n) => [n.code, n.name.zh ?? '', n.name.en ?? '', n.status ?? 'collected', n.unit ?? '', n.direction, n.source?.name ?? '', n.source?.year !== undefined ? String(n.source.year) : '', n.source?.licence ?? '', n.source?.url ?? '', n.notes ?? '']));
  for (const e of extra) addRows(wb.addWorksheet(e.name.slice(0, 31)), e.header, e.rows);
  if (p.warnings.length) addRows(wb.addWorksheet('Warnings'), ['file', 'row', 'column', 'message'], p.warnings.map((w) => [w.file ?? '', w.row ?? null, w.column ?? '', w.message]));
  return wb;
}
