/**
 * Fieldwork exports: the raw responses (every status, with paradata), the cleaned responses (the
 * engine's cleaning rules: kept or the reason removed) and the codebook, as CSV (BOM, for Excel-CN) or
 * one XLSX workbook. Text cells are neutralised against spreadsheet formula injection; a simulated
 * wave carries the simulated-data label in every table.
 */
import ExcelJS from 'exceljs';
import { stringify } from 'csv-stringify/sync';
import type { DefinitionRules } from '../engine/survey/answers.ts';
import { flattenAnswers } from '../engine/survey/answers.ts';
import type { CleaningResult } from '../engine/survey/clean.ts';
import { safeText } from '../formats/safe-text.ts';

type Cell = string | number | boolean | null;

/** A table to export. */
export interface ExportTable {
  header: string[];
  rows: Cell[][];
}

/** A response as exported (the store's `StoredResponse`). */
export interface ExportResponse {
  id: string;
  city: string;
  status: string;
  answers: Record<string, unknown>;
  pageTimes: Record<string, number>;
  duration: number;
  language: string;
  startedAt: string;
  submittedAt: string | null;
}

/** The questionnaire as the codebook describes it: question → title per language. */
export interface CodebookSource {
  rules: DefinitionRules;
  definitions: Record<string, unknown>;
  /** The simulated-data label, or null for real responses. */
  label: string | null;
}

function titles(definition: unknown): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (elements: unknown) => {
    for (const e of Array.isArray(elements) ? elements : []) {
      if (!e || typeof e !== 'object') continue;
      const q = e as Record<string, unknown>;
      if (Array.isArray(q.elements)) walk(q.elements);
      if (typeof q.name !== 'string') continue;
      out.set(q.name, typeof q.title === 'string' ? q.title : q.name);
      for (const r of Array.isArray(q.rows) ? q.rows : []) {
        const row = r as { value?: unknown; text?: unknown };
        if (row && typeof row === 'object' && row.value !== undefined)
          out.set(String(row.value), typeof row.text === 'string' ? row.text : String(row.value));
      }
    }
  };
  for (const p of ((definition ?? {}) as { pages?: unknown[] }).pages ?? [])
    walk((p as { elements?: unknown }).elements);
  return out;
}

/** The answer columns of the questionnaire, in definition order (matrix rows expanded). */
function answerColumns(rules: DefinitionRules): string[] {
  const cols: string[] = [];
  for (const rule of rules.questions.values()) {
    if (rule.kind === 'matrix') cols.push(...rule.rows);
    else cols.push(rule.name);
  }
  return cols;
}

/**
 * The raw table: one row per response of any status, answers flattened, seconds per page.
 * @example
 * import { definitionRules } from '../engine/survey/answers.ts';
 * const rules = definitionRules({ pages: [{ name: 'p', elements: [{ type: 'text', name: 'note' }] }] });
 * const r = { id: 'r1', city: '110100', status: 'complete', answers: { note: '=cmd' }, pageTimes: { p: 30 },
 *   duration: 30, language: 'zh', startedAt: 't0', submittedAt: 't1' };
 * rawTable(rules, [r], null).rows[0] // => ['r1', 'complete', '110100', 'zh', 't0', 't1', 30, "'=cmd", 30]
 */
export function rawTable(
  rules: DefinitionRules,
  responses: readonly ExportResponse[],
  label: string | null,
): ExportTable {
  const cols = answerColumns(rules);
  const header = [
    'response_id',
    'status',
    'city_adcode',
    'language',
    'started_at',
    'submitted_at',
    'duration_seconds',
    ...cols,
    ...rules.pages.map((p) => `seconds_${p}`),
    ...(label ? ['data_label'] : []),
  ];
  const rows = responses.map((r) => {
    const flat = flattenAnswers(rules, r.answers);
    return [
      r.id,
      r.status,
      r.city,
      r.language,
      r.startedAt,
      r.submittedAt,
      r.duration,
      ...cols.map((c) => flat[c] ?? null),
      ...rules.pages.map((p) => r.pageTimes[p] ?? null),
      ...(label ? [label] : []),
    ].map(safeCell);
  });
  return { header, rows };
}

/**
 * The cleaned table: the completed responses in cleaning order, kept (1/0) and the reason removed.
 * @example
 * import { definitionRules } from '../engine/survey/answers.ts';
 * const rules = definitionRules({ pages: [{ name: 'p', elements: [] }] });
 * const r = { id: 'r1', city: '110100', status: 'complete', answers: {}, pageTimes: {}, duration: 9,
 *   language: 'en', startedAt: 't0', submittedAt: 't1' };
 * const cleaning = { keep: Uint8Array.of(0), removed: [{ row: 1, id: 'r1', city: '110100', reason: 'speeder',
 *   detail: '9 s' }] } as never;
 * cleanedTable(rules, [r], cleaning, null).rows[0].slice(-2) // => [0, 'speeder: 9 s']
 */
export function cleanedTable(
  rules: DefinitionRules,
  completed: readonly ExportResponse[],
  cleaning: Pick<CleaningResult, 'keep' | 'removed'>,
  label: string | null,
): ExportTable {
  const raw = rawTable(rules, completed, null);
  const reasons = new Map<number, string>();
  for (const r of cleaning.removed) reasons.set(r.row, `${r.reason}: ${r.detail}`);
  const rows = raw.rows.map((row, i) => [
    ...row,
    cleaning.keep[i] ?? 0,
    safeCell(reasons.get(i + 1) ?? null),
    ...(label ? [label] : []),
  ]);
  return { header: [...raw.header, 'kept', 'removed_because', ...(label ? ['data_label'] : [])], rows };
}

/**
 * The codebook: each column, its question, kind, allowed values and title per language.
 * @example
 * import { definitionRules } from '../engine/survey/answers.ts';
 * const q = { type: 'radiogroup', name: 'sex', title: 'Sex', choices: ['m', 'f'] };
 * const def = { pages: [{ name: 'p', elements: [q] }] };
 * const book = codebookTable({ rules: definitionRules(def), definitions: { en: def }, label: null });
 * book.rows[0] // => ['sex', 'sex', 'choice', 'm; f', 'Sex']
 */
export function codebookTable(source: CodebookSource): ExportTable {
  const langs = Object.keys(source.definitions);
  const names = langs.map((l) => titles(source.definitions[l]));
  const rows: Cell[][] = [];
  for (const rule of source.rules.questions.values()) {
    const values =
      rule.kind === 'choice'
        ? [...rule.values].join('; ')
        : rule.kind === 'matrix'
          ? [...rule.columns].join('; ')
          : rule.kind === 'number'
            ? `${rule.min} … ${rule.max}`
            : rule.kind === 'boolean'
              ? 'true; false'
              : `text ≤ ${rule.maxLength}`;
    const columns = rule.kind === 'matrix' ? [...rule.rows] : [rule.name];
    for (const c of columns) rows.push([c, rule.name, rule.kind, values, ...names.map((m) => m.get(c) ?? c)]);
  }
  for (const p of source.rules.pages)
    rows.push([`seconds_${p}`, p, 'paradata', 'seconds on the page', ...langs.map(() => '')]);
  const out = {
    header: ['column', 'question', 'kind', 'values', ...langs.map((l) => `title_${l}`)],
    rows: rows.map((r) => r.map(safeCell)),
  };
  if (source.label) {
    out.header.push('data_label');
    out.rows.forEach((r) => r.push(source.label));
  }
  return out;
}

function safeCell(v: Cell | undefined): Cell {
  if (v === undefined) return null;
  return typeof v === 'string' ? safeText(v) : v;
}

/**
 * CSV text with a BOM (Excel-CN); cells are already neutralised by the table builders.
 * @example exportCsv({ header: ['a'], rows: [[1], [null]] }).slice(1) // => 'a\n1\n\n' (after the BOM)
 */
export function exportCsv(t: ExportTable): string {
  return '\ufeff' + stringify([t.header, ...t.rows.map((r) => r.map((v) => (v === null ? '' : v)))]);
}

/**
 * One workbook with the sheets given (e.g. raw, cleaned, codebook).
 * @example
 * const bytes = await exportWorkbook({ codebook: { header: ['column'], rows: [['q1']] } });
 * bytes[0] === 0x50 && bytes[1] === 0x4b // => true (a zip)
 */
export async function exportWorkbook(sheets: Record<string, ExportTable>): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  for (const [name, t] of Object.entries(sheets)) {
    const ws = wb.addWorksheet(name);
    ws.addRow(t.header);
    for (const r of t.rows) ws.addRow(r);
  }
  return new Uint8Array(await wb.xlsx.writeBuffer());
}
