/**
 * The city data-submission template: an XLSX workbook per city and round, written with exceljs (writer
 * only) and read back through the project's own bounded XLSX reader (`readXlsxTable`, xlsx-table.ts).
 * Sheets: `填报 Data` (one row per indicator: code, zh/en name, unit, definition, the previous value for
 * reference, the value and source note to fill in, the reviewer's comment, status and a hidden version
 * column for optimistic versioning; header cells locked, number validation on the value column),
 * `说明 Instructions` (bilingual), and a very hidden `_signature` sheet (format, project, round, unit
 * and a signature the store checks, so a wrong or another city's template is refused).
 * Reading refuses, before any cell is parsed: files that are not .xlsx (xlsm, xlsb, xls), macros
 * (vbaProject.bin), external links, embedded objects and ActiveX; formula cells (the reader's
 * E_XLSX_FORMULA names each cell); and everything the zip/sheet limits of `TEMPLATE_LIMITS` refuse.
 */
import ExcelJS from 'exceljs';
import { CityIndexError, type Issue } from '../engine/core/errors.ts';
import { safeText } from './safe-text.ts';
import { parseNumberCell } from './table.ts';
import { readXlsxTables, type XlsxLimits } from './xlsx-table.ts';
import { readZipDirectory } from './zip-entries.ts';

/** The format id written into every template's signature sheet. */
export const TEMPLATE_FORMAT = 'cityindex-submission-template/1';
/** Sheet names. */
export const TEMPLATE_SHEETS = {
  data: '填报 Data',
  instructions: '说明 Instructions',
  signature: '_signature',
} as const;
/** Largest template upload in bytes (the route refuses larger bodies before parsing). */
export const MAX_TEMPLATE_BYTES = 5 * 1024 * 1024;
/**
 * Limits of the bounded reader for an uploaded template: far above a real template (a few hundred
 * indicators × 11 columns), far below what a zip bomb or a padded sheet would need.
 */
export const TEMPLATE_LIMITS: Partial<XlsxLimits> = {
  maxEntries: 200,
  maxTotalBytes: 64 * 1024 * 1024,
  maxEntryBytes: 32 * 1024 * 1024,
  maxRatio: 200,
  maxCells: 200_000,
  maxRows: 10_000,
  maxColumns: 64,
  maxMs: 15_000,
  maxCellChars: 4_000,
};

/** The data sheet's header (bilingual); columns in this order. */
export const TEMPLATE_HEADER = [
  '指标代码 Code',
  '指标名称 Indicator (中文)',
  'Indicator (English)',
  '单位 Unit',
  '定义 Definition',
  '上期数值 Previous value',
  '本期数值 Value',
  '来源说明 Source note',
  '审核意见 Reviewer comment',
  '状态 Status',
  '版本 Version',
] as const;
const COL = { code: 0, value: 6, source: 7, version: 10 } as const;
/** Title rows above the header (each one cell, so the reader skips them as titles). */
const TITLE_ROWS = 2;
/** Longest source note (characters). */
export const MAX_SOURCE_CHARS = 2000;

/** One indicator row of a template. */
export interface TemplateIndicator {
  code: string;
  name: { zh?: string; en?: string };
  unit?: string;
  definition?: string;
  /** The value the last build used (for reference), or null. */
  previous: number | null;
  /** The value entered so far in this round, or null. */
  value: number | null;
  source: string | null;
  /** The reviewer's comment when the value was returned. */
  comment: string | null;
  /** draft, submitted, returned, resubmitted, approved, or '' when nothing was entered yet. */
  status: string;
  /** The value's version in this round (0 = none yet): an upload is refused if it changed meanwhile. */
  version: number;
}

/** What a template is written from. */
export interface TemplateSpec {
  project: { slug: string; name: string };
  round: { id: number; name: string };
  unit: { code: string; name: { zh?: string; en?: string } };
  indicators: readonly TemplateIndicator[];
  /** The store's signature over (format, project, round, unit): see `templateSignaturePayload`. */
  signature: string;
}

/** The signature sheet of an uploaded template. */
export interface TemplateMeta {
  format: string;
  project: string;
  round: string;
  unit: string;
  signature: string;
}

/** One filled row of an uploaded template, with where it came from. */
export interface TemplateRow {
  /** Worksheet row number (1-based). */
  row: number;
  indicator: string;
  /** null = left empty (missing). */
  value: number | null;
  source: string | null;
  /** The version the template was made at (0 = none). */
  version: number;
}

/** An uploaded template, read and checked for shape (not yet against the store). */
export interface TemplateUpload {
  meta: TemplateMeta;
  rows: TemplateRow[];
}

/**
 * The text the store signs (HMAC-SHA256, the round's key) for a template: format, project, round id
 * and unit, one per line.
 * @example templateSignaturePayload('cdgi', 1, '110100') // => 'cityindex-submission-template/1\ncdgi\n1\n110100'
 */
export function templateSignaturePayload(project: string, roundId: number | string, unit: string): string {
  return `${TEMPLATE_FORMAT}\n${project}\n${roundId}\n${unit}`;
}

const STATUS_TEXT = new Map([
  ['', '未填 empty'],
  ['draft', '草稿 draft'],
  ['submitted', '已提交 submitted'],
  ['returned', '退回 returned'],
  ['resubmitted', '已重新提交 resubmitted'],
  ['approved', '已通过 approved'],
]);

const cityName = (u: TemplateSpec['unit']) =>
  [u.name.zh, u.name.en].filter((s): s is string => !!s).join(' ') || u.code;

/**
 * Write the submission template of one city and round as XLSX bytes. Every text cell goes through
 * `safeText` (formula-injection guard); value and source cells of editable rows are the only unlocked
 * cells; the value column accepts decimals only (Excel data validation).
 * @example
 * const spec = {
 *   project: { slug: 'demo', name: 'Demo' },
 *   round: { id: 1, name: '2024' },
 *   unit: { code: '110100', name: { zh: '北京市', en: 'Beijing' } },
 *   indicators: [{ code: 'GDP', name: { zh: '地区生产总值', en: 'GDP' }, unit: '亿元', previous: 41610.9,
 *     value: null, source: null, comment: null, status: '', version: 0 }],
 *   signature: 'abc',
 * };
 * const bytes = await writeSubmissionTemplate(spec);
 * const back = await readSubmissionTemplate(bytes, 'beijing.xlsx');
 * back.meta.unit // => '110100'
 * back.rows // => []
 */
export async function writeSubmissionTemplate(spec: TemplateSpec): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'cityindex';
  wb.created = new Date(0);
  wb.modified = new Date(0);
  const city = cityName(spec.unit);
  const ws = wb.addWorksheet(TEMPLATE_SHEETS.data, { views: [{ state: 'frozen', xSplit: 1, ySplit: TITLE_ROWS + 1 }] });
  ws.addRow([
    safeText(
      `城市数据填报表 City data submission — ${city} (${spec.unit.code}) — ${spec.project.name} · ${spec.round.name}`,
    ),
  ]);
  ws.addRow([
    safeText('只填写“本期数值”和“来源说明”两列，不要改动其他单元格 / Fill in the Value and Source note columns only'),
  ]);
  const head = ws.addRow([...TEMPLATE_HEADER]);
  head.font = { bold: true };
  head.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8EEF4' } };
  for (const ind of spec.indicators) {
    const editable = ind.status === '' || ind.status === 'draft' || ind.status === 'returned';
    const row = ws.addRow([
      safeText(ind.code),
      safeText(ind.name.zh ?? ''),
      safeText(ind.name.en ?? ''),
      safeText(ind.unit ?? ''),
      safeText(ind.definition ?? ''),
      ind.previous,
      ind.value,
      ind.source === null ? null : safeText(ind.source),
      ind.comment === null ? null : safeText(ind.comment),
      STATUS_TEXT.get(ind.status) ?? safeText(ind.status),
      ind.version,
    ]);
    if (!editable) continue;
    for (const c of [COL.value + 1, COL.source + 1]) {
      const cell = row.getCell(c);
      cell.protection = { locked: false };
      cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFF9DB' } };
    }
    row.getCell(COL.value + 1).dataValidation = {
      type: 'decimal',
      operator: 'between',
      allowBlank: true,
      formulae: [-1e15, 1e15],
      showErrorMessage: true,
      errorTitle: '数值 Number',
      error: '请输入数值（缺失请留空）/ Enter a number (leave empty when missing)',
    };
    row.getCell(COL.source + 1).dataValidation = {
      type: 'textLength',
      operator: 'lessThanOrEqual',
      allowBlank: true,
      formulae: [MAX_SOURCE_CHARS],
      showErrorMessage: true,
      error: `来源说明最多 ${MAX_SOURCE_CHARS} 字 / At most ${MAX_SOURCE_CHARS} characters`,
    };
  }
  const widths = [14, 28, 28, 10, 30, 16, 16, 36, 36, 18, 8];
  widths.forEach((w, k) => (ws.getColumn(k + 1).width = w));
  ws.getColumn(COL.version + 1).hidden = true;
  await ws.protect('', { selectLockedCells: true, selectUnlockedCells: true, formatColumns: true });

  const help = wb.addWorksheet(TEMPLATE_SHEETS.instructions);
  help.getColumn(1).width = 110;
  for (const line of [
    `城市 City: ${city} (${spec.unit.code})`,
    `项目 Project: ${spec.project.name} — 轮次 Round: ${spec.round.name}`,
    '1. 在“填报 Data”表中，只填写黄色的“本期数值”和“来源说明”单元格。',
    '   Fill in only the yellow Value and Source note cells of the “填报 Data” sheet.',
    '2. 只填数值，不要公式；缺失请留空；不要千位分隔符、百分号或单位。',
    '   Numbers only, no formulas; leave a cell empty when missing; no thousands separators, % or units.',
    '3. 保存为 .xlsx（不要 .xlsm），不要改动表名、列或隐藏内容；上传本城市自己的填报表。',
    '   Save as .xlsx (not .xlsm); do not rename sheets or columns; upload your own city’s template.',
    '4. 被退回的数值附有审核意见：修改后重新上传，再提交。',
    '   A returned value carries the reviewer’s comment: correct it, upload again, then submit.',
  ])
    help.addRow([safeText(line)]);

  const sig = wb.addWorksheet(TEMPLATE_SHEETS.signature, { state: 'veryHidden' });
  sig.addRows([
    ['key', 'value'],
    ['format', TEMPLATE_FORMAT],
    ['project', spec.project.slug],
    ['round', String(spec.round.id)],
    ['unit', spec.unit.code],
    ['signature', spec.signature],
  ]);
  await sig.protect('', {});
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

function refuse(issue: Issue): never {
  throw new CityIndexError(issue);
}

/** Zip parts that an honest template never has: macros, external links, embedded objects, ActiveX. */
const FORBIDDEN_PARTS: ReadonlyArray<{ test: RegExp; code: string; what: string }> = [
  { test: /(^|\/)vbaProject\.bin$|(^|\/)vbaData\.xml$/i, code: 'E_TEMPLATE_MACRO', what: 'macros (VBA) / 宏' },
  { test: /^xl\/externalLinks\//i, code: 'E_TEMPLATE_EXTERNAL_LINK', what: 'external links / 外部链接' },
  { test: /^xl\/(embeddings|activeX)\//i, code: 'E_TEMPLATE_EMBEDDED', what: 'embedded objects / 嵌入对象' },
  { test: /^xl\/connections\.xml$/i, code: 'E_TEMPLATE_EXTERNAL_LINK', what: 'data connections / 数据连接' },
];

/**
 * Check an upload's name and first bytes, and its zip directory, before any sheet is read: an .xlsx
 * (zip) named .xlsx, without macros, external links, connections or embedded objects.
 * @example checkTemplateContainer(new TextEncoder().encode('hello'), 'a.xlsx') // => throws E_TEMPLATE_TYPE
 */
export function checkTemplateContainer(bytes: Uint8Array, file: string): void {
  const expected = 'the .xlsx submission template downloaded from cityindex';
  if (/\.(xlsm|xltm|xlam|xlsb|xls|xla)$/i.test(file))
    refuse({
      code: 'E_TEMPLATE_MACRO',
      message: `"${file}" is a macro-enabled or old-format workbook; save it as .xlsx / 请另存为 .xlsx（不含宏）`,
      file,
      expected,
    });
  if (!/\.xlsx$/i.test(file))
    refuse({ code: 'E_TEMPLATE_TYPE', message: `"${file}" is not an .xlsx file / 不是 .xlsx 文件`, file, expected });
  const zip = bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
  if (!zip) {
    const ole = bytes.length >= 4 && bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0;
    refuse({
      code: 'E_TEMPLATE_TYPE',
      message: ole
        ? `"${file}" is an old binary Excel file (.xls) named .xlsx / 这是旧版 .xls 文件，请另存为 .xlsx`
        : `"${file}" is not an .xlsx workbook (its content is not a zip) / 文件内容不是 .xlsx 工作簿`,
      file,
      expected,
    });
  }
  for (const e of readZipDirectory(bytes, file, TEMPLATE_LIMITS)) {
    for (const f of FORBIDDEN_PARTS)
      if (f.test.test(e.name))
        refuse({
          code: f.code,
          message: `the workbook contains ${f.what} (${e.name}); they are refused / 工作簿含有不允许的内容`,
          file,
          field: e.name,
          expected: 'a plain .xlsx template without macros, links or embedded objects',
        });
    if (e.encrypted)
      refuse({
        code: 'E_TEMPLATE_TYPE',
        message: `part ${e.name} is encrypted / 工作簿已加密`,
        file,
        field: e.name,
        expected,
      });
  }
}

/** Column letter of a 0-based column index (0 → A). */
const letter = (k: number) => String.fromCharCode(65 + k);

/**
 * Read an uploaded submission template: container checks (`checkTemplateContainer`), then the
 * signature sheet and the data sheet through the bounded XLSX reader (`TEMPLATE_LIMITS`; a formula
 * cell is E_XLSX_FORMULA naming the cell), the header checked column by column, each row's value
 * (`parseNumberCell`), source note and version checked. Every problem is a located issue (file, sheet
 * row, cell, indicator, what was expected), all reported together. Rows with neither value nor source
 * are left out. Signature and unit are checked by the store (`uploadTemplate`), which holds the key.
 * @example
 * readSubmissionTemplate(new Uint8Array(10), 'city.xlsm') // => throws E_TEMPLATE_MACRO
 */
export async function readSubmissionTemplate(bytes: Uint8Array, file: string): Promise<TemplateUpload> {
  checkTemplateContainer(bytes, file);
  const wrong = (what: string): never =>
    refuse({
      code: 'E_TEMPLATE_WRONG',
      message:
        `this is not a cityindex submission template (${what}); download your city's template / ` +
        '不是本系统的填报表，请下载本城市的填报表',
      file,
      expected: 'the submission template downloaded from cityindex',
    });
  let sigTable, table;
  try {
    [sigTable, table] = await readXlsxTables(
      bytes,
      file,
      [TEMPLATE_SHEETS.signature, TEMPLATE_SHEETS.data],
      TEMPLATE_LIMITS,
    );
  } catch (e) {
    if (e instanceof CityIndexError && e.issues[0]?.code === 'E_XLSX_SHEET')
      wrong(`a sheet of the template is missing: ${TEMPLATE_SHEETS.signature} or ${TEMPLATE_SHEETS.data}`);
    throw e;
  }
  const meta = new Map<string, string>();
  for (const r of sigTable.rows) if (r[0] && !meta.has(r[0])) meta.set(r[0], r[1] ?? '');
  if (meta.get('format') !== TEMPLATE_FORMAT) wrong(`format "${meta.get('format') ?? ''}"`);
  const m: TemplateMeta = {
    format: TEMPLATE_FORMAT,
    project: meta.get('project') ?? '',
    round: meta.get('round') ?? '',
    unit: meta.get('unit') ?? '',
    signature: meta.get('signature') ?? '',
  };
  const issues: Issue[] = [];
  TEMPLATE_HEADER.forEach((h, k) => {
    if (table.header[k] !== h)
      issues.push({
        code: 'E_TEMPLATE_HEADER',
        message: `column ${letter(k)} of the header is "${table.header[k] ?? ''}" / 表头被改动`,
        file,
        row: table.headerRow,
        column: letter(k),
        expected: `"${h}" (do not change the template's columns)`,
      });
  });
  if (table.header.length > TEMPLATE_HEADER.length)
    issues.push({
      code: 'E_TEMPLATE_HEADER',
      message: `the header has ${table.header.length} columns / 表头列数不对`,
      file,
      row: table.headerRow,
      expected: `${TEMPLATE_HEADER.length} columns`,
    });
  if (issues.length) throw new CityIndexError(issues);
  const rows: TemplateRow[] = [];
  const seen = new Map<string, number>();
  table.rows.forEach((cells, k) => {
    const row = table.rowNumbers[k];
    const indicator = cells[COL.code];
    const at = (col: number) => ({ file, row, column: `${letter(col)}${row}`, indicator });
    if (!indicator) {
      issues.push({
        ...at(COL.code),
        code: 'E_TEMPLATE_ROW',
        message: 'indicator code is empty / 指标代码为空',
        expected: 'the indicator code of the template',
      });
      return;
    }
    if (seen.has(indicator)) {
      issues.push({
        ...at(COL.code),
        code: 'E_DUPLICATE',
        message: `indicator ${indicator} appears twice (rows ${seen.get(indicator)} and ${row}) / 指标重复`,
        expected: 'each indicator once',
      });
      return;
    }
    seen.set(indicator, row);
    const versionText = cells[COL.version] ?? '';
    const version = Number(versionText);
    if (!/^\d{1,9}$/.test(versionText) || !Number.isSafeInteger(version))
      issues.push({
        ...at(COL.version),
        code: 'E_TEMPLATE_ROW',
        message: `hidden version cell is "${versionText}" / 隐藏的版本列被改动`,
        expected: 'the version written by cityindex (download a fresh template)',
      });
    const valueText = cells[COL.value] ?? '';
    const parsed = parseNumberCell(valueText);
    if (parsed.error)
      issues.push({
        ...at(COL.value),
        code: 'E_NOT_NUMBER',
        message: parsed.error,
        expected: 'a number, or an empty cell for a missing value',
      });
    const source = (cells[COL.source] ?? '').trim();
    if (source.length > MAX_SOURCE_CHARS)
      issues.push({
        ...at(COL.source),
        code: 'E_SOURCE',
        message: `source note of ${source.length} characters / 来源说明过长`,
        expected: `at most ${MAX_SOURCE_CHARS} characters`,
      });
    if (valueText.trim() === '' && source === '') return;
    rows.push({
      row,
      indicator,
      value: Number.isNaN(parsed.value) ? null : parsed.value,
      source: source === '' ? null : source,
      version,
    });
  });
  if (issues.length) throw new CityIndexError(issues);
  return { meta: m, rows };
}
