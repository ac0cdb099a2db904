/**
 * results.xlsx: a sheet per stage (raw, each step's dataset), the ranking, weights, sources and gaps,
 * and a sheet explaining the method in English and Chinese. Text cells are neutralised against
 * formula injection; missing values are empty cells. `workbookBytes` streams the rows (a 20 000 × 250
 * build writes without holding every cell object in memory); `createWorkbook` builds the same
 * workbook in memory.
 */
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Build } from '../engine/pipeline/build.ts';
import type { Dataset } from '../engine/core/dataset.ts';
import { describeStep } from '../engine/methods/describe.ts';
import { safeText } from './safe-text.ts';
import { resultsTable, CITYINDEX_VERSION } from './results.ts';
import type { LoadedProject } from './project.ts';

type Cell = string | number | null;

/** Extra sheets contributed by analyses or series (name, header, rows). */
export interface ExtraSheet { name: string; header: string[]; rows: Cell[][] }

/** One sheet to write: rows may be produced lazily; `widths` by 1-based column. */
interface SheetSpec { name: string; header: string[]; rows: Iterable<Cell[]>; widths?: Record<number, number> }

/** A cell as written: text neutralised, empty text / NaN / ±Infinity as an empty cell. */
const cellValue = (v: Cell): Cell => (typeof v === 'string' ? (v === '' ? null : safeText(v)) : v === null || !Number.isFinite(v) ? null : v);

function* datasetRows(ds: Dataset): Generator<Cell[]> {
  const n = ds.unitCodes.length;
  for (let i = 0; i < n; i++) {
    const row: Cell[] = [ds.unitCodes[i]];
    for (let j = 0; j < ds.codes.length; j++) row.push(ds.values[j * n + i]);
    yield row;
  }
}

/** The sheets of results.xlsx, in order. */
function workbookSheets(b: Build, p: LoadedProject, extra: ExtraSheet[]): SheetSpec[] {
  const t = resultsTable(b);
  const fw = b.steps.length ? b.steps[b.steps.length - 1].framework : b.input.framework;
  const sheets: SheetSpec[] = [
    { name: 'Results', header: t.header, rows: t.rows },
    {
      name: 'Method', header: ['#', 'step', 'kind', 'description (en)', '说明 (zh)', 'options (JSON)'], widths: { 4: 70, 5: 50 },
      rows: b.spec.steps.map((s, k) => [k + 1, s.id, s.kind, describeStep(s, 'en'), describeStep(s, 'zh'), JSON.stringify(s.options ?? {})]),
    },
    { name: 'raw', header: ['code', ...b.raw.codes], rows: datasetRows(b.raw) },
    ...b.steps.map((s) => ({ name: s.id, header: ['code', ...s.dataset.codes], rows: datasetRows(s.dataset) })),
    {
      name: 'Weights', header: ['code', 'name_zh', 'name_en', 'level', 'parent', 'weight', 'effective_weight'],
      rows: fw.nodes.filter((n) => n.status !== 'not_collected').map((n) => [n.code, n.name.zh ?? '', n.name.en ?? '', n.level, n.parent ?? '', n.weight, b.results.effectiveWeights[n.code] ?? null]),
    },
    {
      name: 'Sources', header: ['code', 'name_zh', 'name_en', 'status', 'unit', 'direction', 'source', 'year', 'licence', 'url', 'notes'],
      rows: fw.nodes.filter((n) => n.kind === 'indicator').map((n) => [n.code, n.name.zh ?? '', n.name.en ?? '', n.status ?? 'collected', n.unit ?? '', n.direction, n.source?.name ?? '', n.source?.year !== undefined ? String(n.source.year) : '', n.source?.licence ?? '', n.source?.url ?? '', n.notes ?? '']),
    },
    ...extra,
  ];
  if (p.warnings.length) sheets.push({ name: 'Warnings', header: ['file', 'row', 'column', 'message'], rows: p.warnings.map((w) => [w.file ?? '', w.row ?? null, w.column ?? '', w.message]) });
  return sheets.map((s) => ({ ...s, name: s.name.slice(0, 31) }));
}

function fillSheet(ws: ExcelJS.Worksheet, s: SheetSpec, commit: boolean): void {
  for (const [c, w] of Object.entries(s.widths ?? {})) ws.getColumn(Number(c)).width = w;
  const head = ws.addRow(s.header.map(safeText));
  head.font = { bold: true };
  if (commit) head.commit();
  for (const r of s.rows) {
    const row = ws.addRow(r.map(cellValue));
    if (commit) row.commit();
  }
}

const VIEWS: Array<Partial<ExcelJS.WorksheetView>> = [{ state: 'frozen', xSplit: 1, ySplit: 1 }];

/**
 * Build the workbook in memory.
 * @example const wb = createWorkbook(build, project); wb.worksheets.map((w) => w.name) // => ['Results', 'Method', 'raw', …]
 */
export function createWorkbook(b: Build, p: LoadedProject, extra: ExtraSheet[] = []): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  wb.creator = `cityindex ${CITYINDEX_VERSION}`;
  for (const s of workbookSheets(b, p, extra)) fillSheet(wb.addWorksheet(s.name, { views: VIEWS }), s, false);
  return wb;
}

/**
 * The same workbook as xlsx bytes, written row by row with ExcelJS's streaming writer (rows are
 * committed as they are added, so memory holds the compressed output, not every cell).
 * @example (await workbookBytes(build, project)).subarray(0, 2) // => Uint8Array [0x50, 0x4b] ("PK", a zip)
 */
export async function workbookBytes(b: Build, p: LoadedProject, extra: ExtraSheet[] = []): Promise<Uint8Array> {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((res, rej) => { stream.on('end', res); stream.on('error', rej); });
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useStyles: true, useSharedStrings: false });
  wb.creator = `cityindex ${CITYINDEX_VERSION}`;
  for (const s of workbookSheets(b, p, extra)) {
    const ws = wb.addWorksheet(s.name, { views: VIEWS });
    fillSheet(ws, s, true);
    ws.commit();
  }
  await wb.commit();
  await done;
  return new Uint8Array(Buffer.concat(chunks));
}
