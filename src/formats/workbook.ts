/**
 * results.xlsx: the results (scores and ranks), a sheet explaining the method in English and Chinese,
 * weights, sources and gaps, the analyses; a sheet per stage (raw, each step's dataset) only on request
 * (`stages: true`, `cityindex build --format xlsx-stages`). Text cells are neutralised against
 * formula injection; missing values are empty cells. `workbookBytes` streams the rows (a 20 000 × 250
 * build writes without holding every cell object in memory); `createWorkbook` builds the same
 * workbook in memory.
 *
 * Stage sheets, when asked for, are written only while their cells fit `stageCellLimit` (default
 * 2 000 000 cells in all). Every stage not written is listed on a `Notes` sheet with the reason
 * (not asked for, or past the limit); results.csv and build.json hold every score. The file is
 * byte-identical between runs of the same build: its properties and zip entries carry a fixed timestamp.
 */
import type { Build } from '../engine/pipeline/build.ts';
import type { Dataset } from '../engine/core/dataset.ts';
import { describeStep } from '../engine/methods/describe.ts';
import { safeText } from './safe-text.ts';
import { resultsTable, CITYINDEX_VERSION } from './results.ts';
import { writeXlsx } from './xlsx-write.ts';
import type { LoadedProject } from './project.ts';

export type Cell = string | number | null;

/** Extra sheets contributed by analyses or series (name, header, rows). */
export interface ExtraSheet {
  name: string;
  header: string[];
  rows: Cell[][];
}

/** One sheet to write: rows may be produced lazily; `widths` by 1-based column. */
export interface SheetSpec {
  name: string;
  header: string[];
  rows: Iterable<Cell[]>;
  widths?: Record<number, number>;
}

/** A cell as written: text neutralised, empty text / NaN / ±Infinity as an empty cell. */
export const cellValue = (v: Cell): Cell =>
  typeof v === 'string' ? (v === '' ? null : safeText(v)) : v === null || !Number.isFinite(v) ? null : v;

function* datasetRows(ds: Dataset): Generator<Cell[]> {
  const n = ds.unitCodes.length;
  for (let i = 0; i < n; i++) {
    const row: Cell[] = [ds.unitCodes[i]];
    for (let j = 0; j < ds.codes.length; j++) row.push(ds.values[j * n + i]);
    yield row;
  }
}

/** Options of the workbook writers. */
export interface WorkbookOptions {
  /** Write a sheet per stage (raw and each step's dataset); default false (listed on Notes instead). */
  stages?: boolean;
  /** Most cells written across the stage sheets (raw and each step); later stages are left out. */
  stageCellLimit?: number;
}

/** Default `stageCellLimit`: about 2 million cells (a 3 000 × 1 000 build writes no stage sheet). */
export const STAGE_CELL_LIMIT = 2_000_000;

/** The timestamp written into every results.xlsx (document properties and zip entries). */
export const WORKBOOK_DATE = new Date(Date.UTC(2000, 0, 1));

/** Stage sheets asked for that fit the cell budget, and a note on each stage left out. */
function stageSheets(b: Build, wanted: boolean, limit: number): { sheets: SheetSpec[]; notes: Cell[][] } {
  const stages = [{ name: 'raw', dataset: b.raw }, ...b.steps.map((s) => ({ name: s.id, dataset: s.dataset }))];
  const sheets: SheetSpec[] = [];
  const notes: Cell[][] = [];
  let used = 0;
  for (const { name, dataset } of stages) {
    const cells = dataset.unitCodes.length * (dataset.codes.length + 1);
    if (!wanted) {
      notes.push([
        name,
        dataset.unitCodes.length,
        dataset.codes.length,
        'stage sheet not written (written on request: cityindex build --format xlsx-stages); ' +
          'results.csv and build.json hold every score',
        '未写入该阶段工作表（需要时使用 cityindex build --format xlsx-stages）；全部得分见 results.csv 与 build.json',
      ]);
    } else if (used + cells <= limit) {
      used += cells;
      sheets.push({ name, header: ['code', ...dataset.codes], rows: datasetRows(dataset) });
    } else {
      notes.push([
        name,
        dataset.unitCodes.length,
        dataset.codes.length,
        `not written: ${cells.toLocaleString('en')} cells would pass the workbook's limit of ` +
          `${limit.toLocaleString('en')} stage cells; results.csv and build.json hold every score`,
        `未写入：该阶段有 ${cells} 个单元格，超过工作簿各阶段合计 ${limit} 个单元格的上限；全部得分见 results.csv 与 build.json`,
      ]);
    }
  }
  return { sheets, notes };
}

/**
 * The sheets of results.xlsx, in order (rows produced lazily), for `workbookBytes` and `createWorkbook`.
 * @example
 * import { loadProject } from './index.ts';
 * const project = await loadProject('examples/asem');
 * workbookSheets(asem.build, project, []).map((s) => s.name)
 * // => ['Results', 'Method', 'Weights', 'Sources', 'Notes']
 */
export function workbookSheets(
  b: Build,
  p: LoadedProject,
  extra: ExtraSheet[],
  options: WorkbookOptions = {},
): SheetSpec[] {
  const t = resultsTable(b);
  const stages = stageSheets(b, options.stages ?? false, options.stageCellLimit ?? STAGE_CELL_LIMIT);
  const fw = b.steps.length ? b.steps[b.steps.length - 1].framework : b.input.framework;
  const sheets: SheetSpec[] = [
    { name: 'Results', header: t.header, rows: t.rows },
    {
      name: 'Method',
      header: ['#', 'step', 'kind', 'description (en)', '说明 (zh)', 'options (JSON)'],
      widths: { 4: 70, 5: 50 },
      rows: b.spec.steps.map((s, k) => [
        k + 1,
        s.id,
        s.kind,
        describeStep(s, 'en'),
        describeStep(s, 'zh'),
        JSON.stringify(s.options ?? {}),
      ]),
    },
    ...stages.sheets,
    {
      name: 'Weights',
      header: ['code', 'name_zh', 'name_en', 'level', 'parent', 'weight', 'effective_weight'],
      rows: fw.nodes
        .filter((n) => n.status !== 'not_collected')
        .map((n) => [
          n.code,
          n.name.zh ?? '',
          n.name.en ?? '',
          n.level,
          n.parent ?? '',
          n.weight,
          b.results.effectiveWeights[n.code] ?? null,
        ]),
    },
    {
      name: 'Sources',
      header: [
        'code',
        'name_zh',
        'name_en',
        'status',
        'unit',
        'direction',
        'source',
        'year',
        'licence',
        'url',
        'notes',
      ],
      rows: fw.nodes
        .filter((n) => n.kind === 'indicator')
        .map((n) => [
          n.code,
          n.name.zh ?? '',
          n.name.en ?? '',
          n.status ?? 'collected',
          n.unit ?? '',
          n.direction,
          n.source?.name ?? '',
          n.source?.year !== undefined ? String(n.source.year) : '',
          n.source?.licence ?? '',
          n.source?.url ?? '',
          n.notes ?? '',
        ]),
    },
    ...extra,
  ];
  if (stages.notes.length)
    sheets.push({
      name: 'Notes',
      header: ['stage', 'units', 'codes', 'note', '说明'],
      widths: { 4: 90, 5: 60 },
      rows: stages.notes,
    });
  if (p.warnings.length)
    sheets.push({
      name: 'Warnings',
      header: ['file', 'row', 'column', 'message'],
      rows: p.warnings.map((w) => [w.file ?? '', w.row ?? null, w.column ?? '', w.message]),
    });
  return sheets.map((s) => ({ ...s, name: s.name.slice(0, 31) }));
}

/**
 * The workbook as xlsx bytes, written row by row by the streaming writer of xlsx-write.ts (no per-cell
 * objects; memory holds the compressed output): the same sheets and cells as `createWorkbook`
 * (workbook-exceljs.ts) builds in memory with ExcelJS, without loading ExcelJS.
 * @example
 * import { loadProject } from './index.ts';
 * const bytes = await workbookBytes(asem.build, await loadProject('examples/asem'));
 * bytes.subarray(0, 2) // => Uint8Array [80, 75] ("PK", a zip)
 */
export async function workbookBytes(
  b: Build,
  p: LoadedProject,
  extra: ExtraSheet[] = [],
  options: WorkbookOptions = {},
): Promise<Uint8Array> {
  const sheets = workbookSheets(b, p, extra, options).map((s) => ({
    name: s.name,
    header: s.header.map(safeText),
    rows: mapRows(s.rows),
    widths: s.widths,
  }));
  return writeXlsx(sheets, { creator: `cityindex ${CITYINDEX_VERSION}`, date: WORKBOOK_DATE });
}

function* mapRows(rows: Iterable<Cell[]>): Generator<Cell[]> {
  for (const r of rows) yield r.map(cellValue);
}
