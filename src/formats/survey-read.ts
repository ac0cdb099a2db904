/**
 * Survey formats, pure (no Node APIs): `survey.yaml` (zod-validated), responses as CSV/XLSX the way survey
 * tools export them (问卷星/Wenjuanxing, Tencent Survey, Qualtrics, SurveyJS CSV) and SurveyJS result JSON,
 * census margins, and SurveyJS questionnaire definitions checked with survey-core. Pure parsers
 * (`parse…`) and `readSurvey`, which reads a whole survey through a `ProjectFiles` source; the Node
 * loaders over paths are in survey.ts. Every problem is a located `Issue` (file, row, column), never a crash.
 */
import type { Model } from 'survey-core';
import YAML from 'yaml';
import * as z from 'zod';
import { CityIndexError, type Issue } from '../engine/core/errors.ts';
import type { LocalText } from '../engine/core/framework.ts';
import { zodIssues } from '../engine/core/zod-issues.ts';
import { runSurvey, type SurveyRunResult } from '../engine/survey/pipeline.ts';
import {
  DONT_KNOW,
  SEX_FEMALE,
  SEX_MALE,
  SEX_UNKNOWN,
  type CityMargins,
  type ResponseTable,
  type SurveySpec,
} from '../engine/survey/types.ts';
import { checkAnswerScale } from '../engine/survey/scoring.ts';
import { censusMargins, DEFAULT_AGE_BANDS } from '../engine/survey/weighting.ts';
import { dirnamePosix, type ProjectFiles } from './project-files.ts';
import { decodeText, parseCsvTable, type XlsxReader } from './table.ts';

// ---------------------------------------------------------------- survey.yaml

const localText = z.object({ zh: z.string().optional(), en: z.string().optional() }).strict();
const code = z.string().min(1);

export const SurveyConfigSchema = z
  .object({
    id: code,
    title: localText.optional(),
    /** True when the responses are generated (then every output is labelled 模拟数据 / simulated responses). */
    simulated: z.boolean().optional(),
    notes: z.string().optional(),
    /** SurveyJS questionnaire definitions per language, relative to survey.yaml. */
    definitions: z.record(z.string(), z.string()).optional(),
    responses: z
      .object({
        file: z.string(),
        /** Inferred from the extension: .csv → csv, .xlsx → xlsx, .json → surveyjs. */
        format: z.enum(['csv', 'xlsx', 'surveyjs']).optional(),
        sheet: z.string().optional(),
        /** Column (or SurveyJS question) names of the respondent fields; items are matched by their code. */
        columns: z
          .object({
            id: z.string().optional(),
            city: z.string(),
            duration: z.string().optional(),
            submittedAt: z.string().optional(),
            age: z.string().optional(),
            sex: z.string().optional(),
          })
          .strict(),
        durationUnit: z.enum(['seconds', 'minutes']).optional(),
        sexCodes: z
          .object({ male: z.array(z.string()), female: z.array(z.string()) })
          .strict()
          .optional(),
      })
      .strict(),
    /** Surveyed cities (adcodes), in output order. */
    cities: z.array(z.string().regex(/^\d{6}$/, 'a 6-digit adcode')).min(1),
    census: z.object({ file: z.string(), year: z.number().optional() }).strict().optional(),
    scoring: z
      .object({
        scale: z.object({ min: z.number(), max: z.number(), integer: z.boolean().optional() }).strict().optional(),
        reverse: z.array(code).optional(),
        dontKnow: z.array(z.union([z.string(), z.number()])).optional(),
        dontKnowAs: z.enum(['missing', 'midpoint']).optional(),
      })
      .strict()
      .default({}),
    indicators: z
      .array(
        z
          .object({
            code,
            name: localText.optional(),
            items: z.array(code).min(1),
            statistic: z
              .discriminatedUnion('type', [
                z.object({ type: z.literal('mean') }).strict(),
                z.object({ type: z.literal('proportion'), atLeast: z.number().min(0).max(100) }).strict(),
              ])
              .optional(),
            minItems: z.number().int().min(1).optional(),
          })
          .strict(),
      )
      .min(1),
    cleaning: z
      .object({
        duplicates: z.array(z.enum(['id', 'answers'])).optional(),
        speeders: z
          .object({
            minSeconds: z.number().min(0).optional(),
            minFractionOfMedian: z.number().min(0).max(1).optional(),
          })
          .strict()
          .nullable()
          .optional(),
        straightLining: z
          .object({ items: z.array(code).optional(), minItems: z.number().int().min(2).optional() })
          .strict()
          .nullable()
          .optional(),
        attentionChecks: z
          .array(z.object({ item: code, expected: z.union([z.number(), z.array(z.number())]) }).strict())
          .optional(),
        maxAttentionFailures: z.number().int().min(0).optional(),
        quota: z
          .object({ perCity: z.number().int().min(1), order: z.enum(['submittedAt', 'file']).optional() })
          .strict()
          .nullable()
          .optional(),
      })
      .strict()
      .default({}),
    weighting: z
      .object({
        weighting: z.discriminatedUnion('method', [
          z.object({ method: z.literal('none') }).strict(),
          z
            .object({
              method: z.literal('rake'),
              maxIterations: z.number().int().min(1).optional(),
              tolerance: z.number().positive().optional(),
            })
            .strict(),
          z.object({ method: z.literal('poststratify') }).strict(),
        ]),
        ageBands: z
          .array(
            z
              .object({
                label: z.string(),
                min: z.number(),
                max: z.number().optional(),
                census: z.array(z.enum(['15-59', '60-64', '65+'])).min(1),
              })
              .strict(),
          )
          .min(1)
          .optional(),
        variables: z.array(z.enum(['age', 'sex'])).optional(),
        trim: z
          .object({ lower: z.number().min(0).optional(), upper: z.number().min(1).optional() })
          .strict()
          .nullable()
          .optional(),
      })
      .strict()
      .default({ weighting: { method: 'none' } }),
    estimation: z
      .object({
        confidence: z.number().gt(0).lt(1).optional(),
        minSample: z.number().int().min(1).optional(),
        proportionInterval: z.enum(['wilson', 'wald']).optional(),
        belowMinimum: z.enum(['keep', 'missing']).optional(),
      })
      .strict()
      .default({}),
  })
  .strict();

export type SurveyConfig = z.infer<typeof SurveyConfigSchema>;

/**
 * Parse and check `survey.yaml` text: schema, then cross-field checks (reverse/attention/straight-lining
 * items must be declared items or attention items). Throws one `CityIndexError` with every issue.
 * @example
 * const yaml = 'id: s\ncities: ["110100"]\nresponses: { file: r.csv, columns: { city: city } }\n';
 * parseSurveyConfig(yaml + 'indicators: [{ code: X, items: [q1] }]', 'survey.yaml').id // => 's'
 */
export function parseSurveyConfig(text: string, file: string): SurveyConfig {
  let raw: unknown;
  try {
    raw = YAML.parse(text, { logLevel: 'error' });
  } catch (e) {
    const err = e as { message: string; linePos?: Array<{ line: number }> };
    throw new CityIndexError({
      code: 'E_YAML',
      message: `invalid YAML: ${err.message.split('\n')[0]}`,
      file,
      row: err.linePos?.[0]?.line,
    });
  }
  const r = SurveyConfigSchema.safeParse(raw);
  if (!r.success) throw new CityIndexError(zodIssues(r.error, file));
  const c = r.data;
  const issues: Issue[] = [];
  const items = new Set(c.indicators.flatMap((d) => d.items));
  const codes = new Set<string>();
  c.indicators.forEach((d, k) => {
    if (codes.has(d.code))
      issues.push({
        code: 'E_DUPLICATE_CODE',
        message: `indicator code "${d.code}" appears twice`,
        file,
        field: `indicators[${k}].code`,
        indicator: d.code,
      });
    codes.add(d.code);
    if (d.minItems !== undefined && d.minItems > d.items.length)
      issues.push({
        code: 'E_MIN_ITEMS',
        message: `minItems ${d.minItems} exceeds the ${d.items.length} items of ${d.code}`,
        file,
        field: `indicators[${k}].minItems`,
        indicator: d.code,
      });
  });
  (c.scoring.reverse ?? []).forEach((it, k) => {
    if (!items.has(it))
      issues.push({
        code: 'E_UNKNOWN_ITEM',
        message: `reverse-coded item "${it}" is in no indicator`,
        file,
        field: `scoring.reverse[${k}]`,
      });
  });
  (c.cleaning.straightLining?.items ?? []).forEach((it, k) => {
    if (!items.has(it))
      issues.push({
        code: 'E_UNKNOWN_ITEM',
        message: `straight-lining item "${it}" is in no indicator`,
        file,
        field: `cleaning.straightLining.items[${k}]`,
      });
  });
  const sc = c.scoring.scale;
  if (sc && !(sc.max > sc.min))
    issues.push({
      code: 'E_SCALE',
      message: `scale max ${sc.max} must exceed min ${sc.min}`,
      file,
      field: 'scoring.scale',
    });
  if (new Set(c.cities).size !== c.cities.length)
    issues.push({ code: 'E_DUPLICATE', message: 'a city adcode is listed twice', file, field: 'cities' });
  if (issues.length) throw new CityIndexError(issues);
  return c;
}

/** The engine's `SurveySpec` from a config. */
export function surveySpec(c: SurveyConfig): SurveySpec {
  return {
    scoring: c.scoring,
    indicators: c.indicators,
    cleaning: c.cleaning,
    weighting: c.weighting,
    estimation: c.estimation,
  };
}

/** Every item the responses must contain: indicator items and attention-check items. */
export function surveyItems(c: SurveyConfig): string[] {
  return [
    ...new Set([...c.indicators.flatMap((d) => d.items), ...(c.cleaning.attentionChecks ?? []).map((a) => a.item)]),
  ];
}

// ---------------------------------------------------------------- responses

export interface ResponseParseOptions {
  columns: SurveyConfig['responses']['columns'];
  items: readonly string[];
  dontKnow?: ReadonlyArray<string | number>;
  durationUnit?: 'seconds' | 'minutes';
  sexCodes?: { male: string[]; female: string[] };
  /** Age-band labels read as their lower bound (e.g. "60-64" → 60). */
  ageBands?: ReadonlyArray<{ label: string; min: number }>;
  /** Stop collecting cell issues after this many (a summary issue says how many more; default 200). */
  maxIssues?: number;
}

export interface ParsedResponses {
  table: ResponseTable;
  /** Located problems in cells (the cell is read as missing); the table is still usable. */
  issues: Issue[];
}

const DEFAULT_DK = ['dk', '不知道', "don't know", 'dont know', '说不清', 'n/a'];
const DEFAULT_MALE = ['m', 'male', '男', '1', 'man'];
const DEFAULT_FEMALE = ['f', 'female', '女', '2', 'woman'];

/** A raw cell from any source: strings from CSV/XLSX, JSON values from SurveyJS. */
type Cell = string | number | boolean | null | undefined;

const ROLE_NONE = 0,
  ROLE_CITY = 1,
  ROLE_ID = 2,
  ROLE_DURATION = 3,
  ROLE_SUBMITTED = 4,
  ROLE_AGE = 5,
  ROLE_SEX = 6,
  ROLE_ITEM = 7;

/**
 * Fills a `ResponseTable` cell by cell: resolves the configured columns (a missing city or item column
 * is an error), converts each cell by its role, and collects located cell issues. Shared by every format.
 */
class ResponseBuilder {
  readonly table: ResponseTable;
  readonly issues: Issue[] = [];
  /** Role of each header column (`ROLE_ITEM + j` for item j). */
  readonly role: Int32Array;
  private dropped = 0;
  /** Item columns in `options.items` order. */
  readonly itemCols: Float64Array[];
  private readonly dk: Set<string>;
  /** "Don't know" codes that are numbers (e.g. 9 or 99): such answers are `DONT_KNOW`, not scale codes. */
  private readonly dkNumbers: Set<number>;
  /** Whether a one-digit code 0–9 means "don't know". */
  readonly hasDigitDontKnow: boolean;
  private readonly male: Set<string>;
  private readonly female: Set<string>;
  private readonly bandMin: Map<string, number>;
  private readonly durFactor: number;

  constructor(
    header: readonly string[],
    n: number,
    rowNumbers: ArrayLike<number>,
    private readonly options: ResponseParseOptions,
    private readonly file: string,
  ) {
    const col = new Map<string, number>();
    header.forEach((h, k) => {
      if (!col.has(h)) col.set(h, k);
    });
    this.role = new Int32Array(header.length);
    const need: Issue[] = [];
    const cols = options.columns;
    const assign = (name: string | undefined, role: number, what: string, required: boolean): void => {
      if (name === undefined) return;
      const k = col.get(name);
      if (k === undefined) {
        if (required)
          need.push({
            code: 'E_MISSING_COLUMN',
            message: `no column "${name}" (${what})`,
            file,
            row: 1,
            column: name,
            expected: `a "${name}" column as survey.yaml responses.columns says`,
          });
        else
          this.issues.push({
            code: 'W_MISSING_COLUMN',
            message: `no column "${name}"; that field is treated as unknown`,
            file,
            row: 1,
            column: name,
            severity: 'warning',
          });
        return;
      }
      this.role[k] = role;
    };
    assign(cols.city, ROLE_CITY, 'city adcode', true);
    assign(cols.id, ROLE_ID, 'respondent id', false);
    assign(cols.duration, ROLE_DURATION, 'completion time', false);
    assign(cols.submittedAt, ROLE_SUBMITTED, 'submission time', false);
    assign(cols.age, ROLE_AGE, 'age', false);
    assign(cols.sex, ROLE_SEX, 'sex', false);
    options.items.forEach((it, j) => assign(it, ROLE_ITEM + j, 'questionnaire item', true));
    if (need.length) throw new CityIndexError(need);
    this.dk = new Set((options.dontKnow ?? DEFAULT_DK).map((x) => String(x).trim().toLowerCase()));
    this.dkNumbers = new Set([...this.dk].filter((x) => x !== '' && Number.isFinite(Number(x))).map(Number));
    this.hasDigitDontKnow = [...this.dkNumbers].some((x) => Number.isInteger(x) && x >= 0 && x <= 9);
    this.male = new Set((options.sexCodes?.male ?? DEFAULT_MALE).map((x) => x.toLowerCase()));
    this.female = new Set((options.sexCodes?.female ?? DEFAULT_FEMALE).map((x) => x.toLowerCase()));
    this.bandMin = new Map((options.ageBands ?? []).map((b) => [b.label, b.min] as const));
    this.durFactor = options.durationUnit === 'minutes' ? 60 : 1;
    this.table = {
      file,
      n,
      sourceRow: Int32Array.from({ length: n }, (_, i) => rowNumbers[i]),
      id: new Array<string | null>(n).fill(null),
      city: new Array<string | null>(n).fill(null),
      duration: new Float64Array(n).fill(NaN),
      submittedAt: new Array<string | null>(n).fill(null),
      age: new Float64Array(n).fill(NaN),
      sex: new Int8Array(n),
      items: Object.assign(
        Object.create(null) as Record<string, Float64Array>,
        Object.fromEntries(options.items.map((it) => [it, new Float64Array(n).fill(NaN)])),
      ),
    };
    this.itemCols = options.items.map((it) => this.table.items[it]);
  }

  private push(i: Issue): void {
    if (this.issues.length < (this.options.maxIssues ?? 200)) this.issues.push(i);
    else this.dropped++;
  }

  /** Set item j of respondent i from a number (JSON) or trimmed text. */
  item(i: number, j: number, v: Cell): void {
    const dkNumbers = this.dkNumbers;
    if (typeof v === 'number') {
      this.itemCols[j][i] = !Number.isFinite(v) ? NaN : dkNumbers.size && dkNumbers.has(v) ? DONT_KNOW : v;
      return;
    }
    if (v === null || v === undefined || typeof v === 'boolean') return;
    const s = v.trim();
    if (s === '') return;
    if (s.length === 1) {
      const d = s.charCodeAt(0) - 48;
      if (d >= 0 && d <= 9) {
        this.itemCols[j][i] = dkNumbers.size && dkNumbers.has(d) ? DONT_KNOW : d;
        return;
      }
    }
    const x = Number(s);
    if (Number.isFinite(x)) this.itemCols[j][i] = dkNumbers.size && dkNumbers.has(x) ? DONT_KNOW : x;
    else if (this.dk.has(s.toLowerCase())) this.itemCols[j][i] = DONT_KNOW;
    else
      this.push({
        code: 'E_ANSWER',
        message: `answer "${clip(s)}" is neither a scale code nor "don't know"`,
        file: this.file,
        row: this.table.sourceRow[i],
        column: this.options.items[j],
        expected: `a number or one of ${[...this.dk].join(', ')}`,
      });
  }

  /** Set column k (a non-item role) of respondent i from trimmed text. */
  text(i: number, role: number, s: string): void {
    const t = this.table;
    const row = t.sourceRow[i];
    const cols = this.options.columns;
    switch (role) {
      case ROLE_CITY:
        if (s.length === 6 && /^\d{6}$/.test(s)) t.city[i] = s;
        else if (/^\d{6}\.0+$/.test(s)) t.city[i] = s.slice(0, 6);
        else if (s !== '')
          this.push({
            code: 'E_CITY',
            message: `city "${clip(s)}" is not a 6-digit adcode`,
            file: this.file,
            row,
            column: cols.city,
            expected: 'an adcode such as 110100',
          });
        return;
      case ROLE_ID:
        t.id[i] = s === '' ? null : s;
        return;
      case ROLE_SUBMITTED:
        t.submittedAt[i] = s === '' ? null : s;
        return;
      case ROLE_DURATION: {
        if (s === '') return;
        const plain = Number(s);
        if (Number.isFinite(plain) && plain >= 0) {
          t.duration[i] = plain * this.durFactor;
          return;
        }
        const m = /^(\d+(?:\.\d+)?)\s*(秒|s|sec|seconds)$/i.exec(s);
        const mmss = /^(\d+):([0-5]\d)(?::([0-5]\d))?$/.exec(s);
        if (m) t.duration[i] = Number(m[1]);
        else if (mmss)
          t.duration[i] =
            mmss[3] !== undefined
              ? Number(mmss[1]) * 3600 + Number(mmss[2]) * 60 + Number(mmss[3])
              : Number(mmss[1]) * 60 + Number(mmss[2]);
        else
          this.push({
            code: 'E_DURATION',
            message: `completion time "${clip(s)}" is not a number of ${this.options.durationUnit ?? 'seconds'}`,
            file: this.file,
            row,
            column: cols.duration,
            expected: 'e.g. 312, 312秒 or 5:12',
          });
        return;
      }
      case ROLE_AGE: {
        if (s === '') return;
        const v = Number(s.endsWith('岁') ? s.slice(0, -1) : s);
        if (Number.isFinite(v) && v >= 0 && v < 130) t.age[i] = v;
        else if (this.bandMin.has(s)) t.age[i] = this.bandMin.get(s)!;
        else
          this.push({
            code: 'E_AGE',
            message: `age "${clip(s)}" is neither a number of years nor an age-band label`,
            file: this.file,
            row,
            column: cols.age,
            expected: `years (0–129)${this.bandMin.size ? ' or ' + [...this.bandMin.keys()].join(', ') : ''}`,
          });
        return;
      }
      case ROLE_SEX: {
        const v = s.toLowerCase();
        if (this.male.has(v)) t.sex[i] = SEX_MALE;
        else if (this.female.has(v)) t.sex[i] = SEX_FEMALE;
        else {
          t.sex[i] = SEX_UNKNOWN;
          if (v !== '')
            this.push({
              code: 'E_SEX',
              message: `sex "${clip(s)}" is not a known code`,
              file: this.file,
              row,
              column: cols.sex,
              expected: `${[...this.male].join('/')} or ${[...this.female].join('/')}`,
            });
        }
        return;
      }
      default:
        return;
    }
  }

  /** Set every configured column of respondent i from a row of cells. */
  row(i: number, cells: ReadonlyArray<Cell>): void {
    const role = this.role;
    for (let k = 0; k < role.length; k++) {
      const r = role[k];
      if (r === ROLE_NONE) continue;
      if (r >= ROLE_ITEM) this.item(i, r - ROLE_ITEM, cells[k]);
      else this.text(i, r, cellText(cells[k]));
    }
  }

  finish(): ParsedResponses {
    if (this.dropped)
      this.issues.push({
        code: 'W_MORE_ISSUES',
        message: `${this.dropped} more cell problems not listed`,
        file: this.file,
        severity: 'warning',
      });
    return { table: this.table, issues: this.issues };
  }
}

/**
 * Build a response table from rows of cells. Pure. Unknown or invalid cells become missing with a located issue;
 * a missing required column (city or an item) is an error.
 * @example
 * const options = { columns: { city: 'city' }, items: ['q1'] };
 * responsesFromRows(['city', 'q1'], [['110100', '4']], [2], options, 'r.csv').table.items.q1[0] // => 4
 */
export function responsesFromRows(
  header: readonly string[],
  rows: ReadonlyArray<ReadonlyArray<Cell>>,
  rowNumbers: ArrayLike<number>,
  options: ResponseParseOptions,
  file: string,
): ParsedResponses {
  const b = new ResponseBuilder(header, rows.length, rowNumbers, options, file);
  for (let i = 0; i < rows.length; i++) b.row(i, rows[i]);
  return b.finish();
}

function cellText(v: Cell): string {
  return v === null || v === undefined ? '' : typeof v === 'string' ? v.trim() : String(v);
}

function clip(s: string): string {
  return s.length > 40 ? s.slice(0, 40) + '…' : s;
}

/**
 * Parse exported CSV text. Quote-free files (the usual export) are scanned character by character straight
 * into the typed columns (exact line numbers, no per-cell strings for one-digit answers); files with quoted
 * fields go through the shared table parser, which handles multi-line cells.
 * @example
 * const options = { columns: { city: 'city' }, items: ['q1'] };
 * parseResponsesCsv('city,q1\n110100,dk\n', 'r.csv', options).table.items.q1[0] // => -Infinity (DONT_KNOW)
 */
export function parseResponsesCsv(text: string, file: string, options: ResponseParseOptions): ParsedResponses {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.includes('"')) {
    const t = parseCsvTable(text, file);
    return responsesFromRows(t.header, t.rows, t.rowNumbers, options, file);
  }
  const headerEnd = text.search(/\r?\n|$/);
  const firstLine = text.slice(0, headerEnd);
  const delimiter = [',', ';', '\t'].sort((a, b) => firstLine.split(b).length - firstLine.split(a).length)[0];
  const header = firstLine.split(delimiter).map((h) => h.trim());
  if (header.every((h) => h === ''))
    throw new CityIndexError({
      code: 'E_EMPTY',
      message: 'file is empty',
      file,
      expected: 'a header row and data rows',
    });
  checkHeader(header, file);
  // pass 1: line starts and ends of non-empty data lines, and their cell counts
  const starts: number[] = [];
  const ends: number[] = [];
  const lineNo: number[] = [];
  const bad: Issue[] = [];
  const dc = delimiter.charCodeAt(0);
  const width = header.length;
  let pos = text.indexOf('\n', headerEnd) + 1;
  let line = 2;
  while (pos > 0 && pos < text.length) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    let e = end;
    if (e > pos && text.charCodeAt(e - 1) === 13) e--;
    if (e > pos) {
      let cells = 1;
      for (let c = pos; c < e; c++) if (text.charCodeAt(c) === dc) cells++;
      if (cells !== width) {
        if (bad.length < 50)
          bad.push({
            code: 'E_ROW_LENGTH',
            message: `row has ${cells} cells, the header has ${width}`,
            file,
            row: line,
          });
      } else {
        starts.push(pos);
        ends.push(e);
        lineNo.push(line);
      }
    }
    pos = end + 1;
    line++;
  }
  if (bad.length) throw new CityIndexError(bad);
  // pass 2: cells straight into the columns
  const b = new ResponseBuilder(header, starts.length, lineNo, options, file);
  const role = b.role;
  const itemCols = b.itemCols;
  const digitDk = b.hasDigitDontKnow; // a one-digit "don't know" code (e.g. 9) goes through `item`
  for (let i = 0; i < starts.length; i++) {
    let s = starts[i];
    const e = ends[i];
    for (let k = 0; k < width; k++) {
      let f = s;
      while (f < e && text.charCodeAt(f) !== dc) f++;
      const r = role[k];
      if (r !== ROLE_NONE) {
        if (r >= ROLE_ITEM && f - s === 1) {
          const d = text.charCodeAt(s) - 48;
          if (d >= 0 && d <= 9 && !digitDk) itemCols[r - ROLE_ITEM][i] = d;
          else b.item(i, r - ROLE_ITEM, text.slice(s, f));
        } else if (r >= ROLE_ITEM) {
          if (f > s) b.item(i, r - ROLE_ITEM, text.slice(s, f));
        } else b.text(i, r, text.slice(s, f).trim());
      }
      s = f + 1;
    }
  }
  return b.finish();
}

function checkHeader(header: string[], file: string): void {
  const issues: Issue[] = [];
  header.forEach((h, k) => {
    if (h === '') issues.push({ code: 'E_HEADER', message: `column ${k + 1} has an empty header`, file, row: 1 });
    else if (header.indexOf(h) !== k)
      issues.push({ code: 'E_DUPLICATE_COLUMN', message: `duplicate column "${h}"`, file, row: 1, column: h });
  });
  if (issues.length) throw new CityIndexError(issues);
}

/**
 * Parse SurveyJS result JSON: an array of result objects (`survey.data`), or `{ results: [...] }`.
 * Matrix answers (`{ gov: { GOV1: 4 } }`) are flattened to their row names; other nested objects to
 * `outer.inner`. Row numbers are 1-based positions in the array.
 * @example
 * const options = { columns: { city: 'city' }, items: ['q1'] };
 * parseSurveyJsResults('[{"city":"110100","gov":{"q1":5}}]', 'r.json', options).table.items.q1[0] // => 5
 */
export function parseSurveyJsResults(text: string, file: string, options: ResponseParseOptions): ParsedResponses {
  let data: unknown;
  try {
    data = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    const m = /position (\d+)/.exec((e as Error).message);
    const line = m ? text.slice(0, Number(m[1])).split('\n').length : undefined;
    throw new CityIndexError({ code: 'E_JSON', message: `invalid JSON: ${(e as Error).message}`, file, row: line });
  }
  const list = Array.isArray(data)
    ? data
    : data && typeof data === 'object' && Array.isArray((data as { results?: unknown }).results)
      ? (data as { results: unknown[] }).results
      : null;
  if (!list)
    throw new CityIndexError({
      code: 'E_SURVEYJS',
      message: 'expected an array of SurveyJS results (or { "results": [...] })',
      file,
      expected: '[{ "question": answer, … }, …]',
    });
  const issues: Issue[] = [];
  const flat: Array<Record<string, Cell>> = [];
  const rowNumbers: number[] = [];
  list.forEach((r, k) => {
    if (!r || typeof r !== 'object' || Array.isArray(r)) {
      issues.push({ code: 'E_SURVEYJS', message: `result ${k + 1} is not an object`, file, row: k + 1 });
      return;
    }
    flat.push(flatten(r as Record<string, unknown>));
    rowNumbers.push(k + 1);
  });
  const header = [...new Set([...Object.values(options.columns).filter((x): x is string => !!x), ...options.items])];
  // a SurveyJS result omits unanswered questions, so only the city question must appear somewhere
  if (flat.length > 0 && !flat.some((r) => options.columns.city in r)) {
    throw new CityIndexError({
      code: 'E_MISSING_COLUMN',
      message: `no result has the city question "${options.columns.city}"`,
      file,
      column: options.columns.city,
      expected: 'the city adcode in every result',
    });
  }
  const rows = flat.map((r) => header.map((h) => r[h]));
  const res = responsesFromRows(header, rows, rowNumbers, options, file);
  return { table: res.table, issues: [...issues, ...res.issues] };
}

function flatten(r: Record<string, unknown>): Record<string, Cell> {
  const out: Record<string, Cell> = {};
  for (const [k, v] of Object.entries(r)) {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      for (const [k2, v2] of Object.entries(v as Record<string, unknown>)) {
        const cell = toCell(v2);
        out[`${k}.${k2}`] = cell;
        if (!(k2 in out)) out[k2] = cell;
      }
    } else out[k] = toCell(v);
  }
  return out;
}

function toCell(v: unknown): Cell {
  if (v === null || v === undefined || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')
    return v;
  return JSON.stringify(v);
}

/** Response options from a config. */
export function responseOptions(c: SurveyConfig): ResponseParseOptions {
  return {
    columns: c.responses.columns,
    items: surveyItems(c),
    dontKnow: c.scoring.dontKnow,
    durationUnit: c.responses.durationUnit,
    sexCodes: c.responses.sexCodes,
    ageBands: c.weighting.ageBands ?? DEFAULT_AGE_BANDS,
  };
}

/** Options of `parseResponses`: the format (from the file extension unless given) and the XLSX sheet. */
export type ResponseFileOptions = ResponseParseOptions & { format?: 'csv' | 'xlsx' | 'surveyjs'; sheet?: string };

/**
 * Parse the bytes of a response file by format (from the extension of `file` unless given). XLSX needs
 * a reader (`readXlsxTable` from xlsx-table.ts in Node); without one it is a located error.
 * @example
 * const bytes = new TextEncoder().encode('city,q1\n110100,4\n110100,5\n110100,3\n');
 * const r = await parseResponses(bytes, 'responses.csv', { columns: { city: 'city' }, items: ['q1'] });
 * r.table.city.length // => 3
 */
export async function parseResponses(
  bytes: Uint8Array,
  file: string,
  options: ResponseFileOptions,
  readXlsx?: XlsxReader,
): Promise<ParsedResponses> {
  const format = options.format ?? (/\.xlsx$/i.test(file) ? 'xlsx' : /\.json$/i.test(file) ? 'surveyjs' : 'csv');
  switch (format) {
    case 'csv': {
      const { text, warnings } = decodeText(bytes, file);
      const r = parseResponsesCsv(text, file, options);
      return { table: r.table, issues: [...warnings, ...r.issues] };
    }
    case 'xlsx': {
      if (!readXlsx) throw new CityIndexError(noXlsxReader(file));
      const t = await readXlsx(bytes, file, options.sheet);
      return responsesFromRows(t.header, t.rows, t.rowNumbers, options, file);
    }
    case 'surveyjs':
      return parseSurveyJsResults(decodeText(bytes, file).text, file, options);
    default:
      throw new CityIndexError({
        code: 'E_FORMAT',
        message: `unknown response format "${String(format)}"`,
        file,
        expected: 'csv, xlsx or surveyjs',
      });
  }
}

/** The issue when an XLSX file is met and no XLSX reader was given (e.g. in a browser without exceljs). */
export function noXlsxReader(file: string): Issue {
  const message = 'XLSX files cannot be read here (no XLSX reader was given) / 此环境无法读取 XLSX 文件';
  return { code: 'E_XLSX_UNAVAILABLE', message, file, expected: 'a .csv file, or an XLSX reader' };
}

// ---------------------------------------------------------------- census margins

/**
 * Census margins per city from `census_city_population_2010_2020.csv` text (2020 columns). Cities without
 * figures (e.g. Xinjiang corps cities, HK, Macau) are skipped with a warning if they are asked for.
 * @example
 * import { readFileSync } from 'node:fs';
 * const text = readFileSync('data/sources/census_population_2020/census_city_population_2010_2020.csv', 'utf8');
 * parseCensusMargins(text, 'census.csv', ['110100']).margins.get('110100')!.sex[0] // => 104.7/204.7
 */
export function parseCensusMargins(
  text: string,
  file: string,
  cities: readonly string[],
  bands = DEFAULT_AGE_BANDS,
): { margins: Map<string, CityMargins>; issues: Issue[] } {
  const t = parseCsvTable(text, file);
  const need = [
    'adcode',
    'sex_ratio_2020',
    'pct_age_0_14_2020',
    'pct_age_15_59_2020',
    'pct_age_60_plus_2020',
    'pct_age_65_plus_2020',
  ];
  const idx = need.map((h) => t.header.indexOf(h));
  const missingCols = need.filter((_, k) => idx[k] < 0);
  if (missingCols.length)
    throw new CityIndexError(
      missingCols.map((h) => ({
        code: 'E_MISSING_COLUMN',
        message: `census file has no column "${h}"`,
        file,
        row: 1,
        column: h,
      })),
    );
  const wanted = new Set(cities);
  const margins = new Map<string, CityMargins>();
  const issues: Issue[] = [];
  t.rows.forEach((r, k) => {
    const city = r[idx[0]];
    if (!wanted.has(city)) return;
    const num = (j: number) => (r[idx[j]] === '' ? NaN : Number(r[idx[j]]));
    try {
      margins.set(
        city,
        censusMargins(
          {
            city,
            sexRatio: num(1),
            pctAge0to14: num(2),
            pctAge15to59: num(3),
            pctAge60plus: num(4),
            pctAge65plus: num(5),
          },
          bands,
        ),
      );
    } catch (e) {
      if (!(e instanceof CityIndexError)) throw e;
      issues.push(...e.issues.map((i) => ({ ...i, file, row: t.rowNumbers[k], severity: 'warning' as const })));
    }
  });
  for (const c of cities)
    if (!margins.has(c) && !issues.some((i) => i.unit === c))
      issues.push({
        code: 'W_NO_CENSUS',
        message: `city ${c} is not in the census file`,
        file,
        unit: c,
        severity: 'warning',
      });
  return { margins, issues };
}

// ---------------------------------------------------------------- questionnaire definitions

/**
 * Check a SurveyJS definition with survey-core@3.0.0: JSON errors, and every item and respondent field
 * present as a question (matrix rows count as items). survey-core (some 0.3 s to load) is imported
 * on the first call, so projects without a questionnaire never load it.
 * @example
 * import { readFileSync } from 'node:fs';
 * const def = JSON.parse(readFileSync('examples/cdgi-2020/surveys/questionnaire.zh.json', 'utf8'));
 * const issues = await checkDefinition(def, 'questionnaire.zh.json', ['GOV1']);
 * issues // => [] (valid)
 */
export async function checkDefinition(
  def: unknown,
  file: string,
  items: readonly string[],
  fields: readonly string[] = [],
): Promise<Issue[]> {
  const issues: Issue[] = [];
  const { Model } = await import('survey-core');
  let model: Model;
  try {
    model = new Model(def as object);
  } catch (e) {
    return [
      { code: 'E_SURVEYJS_DEF', message: `survey-core cannot load the definition: ${(e as Error).message}`, file },
    ];
  }
  const errs =
    (model as unknown as { jsonErrors?: Array<{ message: string; propertyName?: string }> | null }).jsonErrors ?? [];
  for (const e of errs) issues.push({ code: 'E_SURVEYJS_DEF', message: e.message, file, field: e.propertyName });
  const names = new Set<string>();
  for (const q of model.getAllQuestions()) {
    names.add(q.name);
    const rows = (q as unknown as { rows?: Array<{ value: unknown }> }).rows;
    if (q.getType() === 'matrix' && Array.isArray(rows)) for (const r of rows) names.add(String(r.value));
  }
  for (const it of items)
    if (!names.has(it))
      issues.push({
        code: 'E_UNKNOWN_ITEM',
        message: `item "${it}" is not a question or matrix row of the questionnaire`,
        file,
        field: it,
      });
  for (const f of fields)
    if (!names.has(f))
      issues.push({
        code: 'W_FIELD',
        message: `respondent field "${f}" is not a question (fine if the survey platform records it)`,
        file,
        field: f,
        severity: 'warning',
      });
  return issues;
}

// ---------------------------------------------------------------- whole survey

export interface LoadedSurvey {
  configPath: string;
  config: SurveyConfig;
  definitions: Record<string, unknown>;
  table: ResponseTable;
  margins: Map<string, CityMargins>;
  issues: Issue[];
}

/** Options of `readSurvey`: an XLSX reader, and the name issues give each file (default: its path in the source). */
export interface ReadSurveyOptions {
  readXlsx?: XlsxReader;
  shown?: (path: string) => string;
}

/**
 * Read a survey through a source: config, definitions, responses and census margins, with every issue
 * collected. Paths in survey.yaml are relative to its folder and resolved by the source.
 * @example
 * import { fsProjectFiles } from './project-fs.ts';
 * // the census margins are in ../../data/sources, listed in the project's allowedRoots:
 * const files = fsProjectFiles('examples/cdgi-2020').withRoots(['../../data/sources']);
 * const s = await readSurvey(files, 'surveys/survey.yaml');
 * s.config.id // => 'resident-digital-life-2020'
 */
export async function readSurvey(
  files: ProjectFiles,
  configPath: string,
  options: ReadSurveyOptions = {},
): Promise<LoadedSurvey> {
  const shown = options.shown ?? ((p: string) => p);
  const base = dirnamePosix(configPath);
  const read = async (rel: string, from: string, field: string): Promise<{ bytes: Uint8Array; file: string }> => {
    const r = files.resolve(rel, from);
    if (!r.ok) {
      throw new CityIndexError({
        code: r.code,
        message: r.message,
        file: shown(configPath),
        field,
        expected: r.expected,
      });
    }
    const bytes = await files.read(r.path);
    const file = shown(r.path);
    if (!bytes) throw new CityIndexError({ code: 'E_FILE', message: 'cannot read file: not found / 找不到文件', file });
    return { bytes, file };
  };
  const own = await read(configPath, '', 'config');
  const config = parseSurveyConfig(new TextDecoder().decode(own.bytes), own.file);
  const issues: Issue[] = [];
  const definitions: Record<string, unknown> = {};
  const fields = Object.values(config.responses.columns).filter(
    (x): x is string =>
      !!x &&
      x !== config.responses.columns.id &&
      x !== config.responses.columns.duration &&
      x !== config.responses.columns.submittedAt,
  );
  for (const [lang, rel] of Object.entries(config.definitions ?? {})) {
    let p = rel;
    try {
      const f = await read(rel, base, `definitions.${lang}`);
      p = f.file;
      definitions[lang] = JSON.parse(new TextDecoder().decode(f.bytes));
      issues.push(...(await checkDefinition(definitions[lang], p, surveyItems(config), fields)));
    } catch (e) {
      if (e instanceof CityIndexError) issues.push(...e.issues);
      else issues.push({ code: 'E_JSON', message: `invalid JSON: ${(e as Error).message}`, file: p });
    }
  }
  const responses = await read(config.responses.file, base, 'responses.file');
  const respOptions = { ...responseOptions(config), format: config.responses.format, sheet: config.responses.sheet };
  const resp = await parseResponses(responses.bytes, responses.file, respOptions, options.readXlsx);
  issues.push(...resp.issues);
  // answers the scoring rule cannot score (7 or 1.5 on a 1–5 scale) are errors, per question and respondent
  issues.push(...checkAnswerScale(resp.table, surveyItems(config), config.scoring).issues);
  let margins = new Map<string, CityMargins>();
  if (config.census) {
    const census = await read(config.census.file, base, 'census.file');
    const bands = config.weighting.ageBands ?? DEFAULT_AGE_BANDS;
    const r = parseCensusMargins(new TextDecoder().decode(census.bytes), census.file, config.cities, bands);
    margins = r.margins;
    issues.push(...r.issues);
  } else if (config.weighting.weighting.method !== 'none') {
    issues.push({
      code: 'E_NO_CENSUS',
      message: `weighting method ${config.weighting.weighting.method} needs census margins`,
      file: own.file,
      field: 'census',
    });
  }
  return { configPath: own.file, config, definitions, table: resp.table, margins, issues };
}

/**
 * Run a loaded survey (clean → weight → estimate). Errors in its issues stop it with a `CityIndexError`.
 * @example
 * import { fsProjectFiles } from './project-fs.ts';
 * const files = fsProjectFiles('examples/cdgi-2020').withRoots(['../../data/sources']);
 * const { result } = runLoadedSurvey(await readSurvey(files, 'surveys/survey.yaml'));
 * result.estimates.dataset.codes.length > 0 // => true
 */
export function runLoadedSurvey(survey: LoadedSurvey): { survey: LoadedSurvey; result: SurveyRunResult } {
  const errors = survey.issues.filter(
    (i) =>
      i.severity !== 'warning' &&
      i.code.startsWith('E_') &&
      !['E_ANSWER', 'E_CITY', 'E_AGE', 'E_SEX', 'E_DURATION'].includes(i.code),
  );
  if (errors.length) throw new CityIndexError(errors);
  const result = runSurvey({
    table: survey.table,
    spec: surveySpec(survey.config),
    margins: survey.margins,
    cities: survey.config.cities,
    reliabilityPerCity: true,
  });
  return { survey, result };
}

/** The label every output of a simulated survey carries. */
export const SIMULATED_LABEL = '模拟数据 / simulated responses';

/** Title of a survey for messages. */
export function surveyTitle(c: SurveyConfig, lang: 'zh' | 'en' = 'zh'): string {
  const t: LocalText | undefined = c.title;
  const s = (lang === 'zh' ? (t?.zh ?? t?.en) : (t?.en ?? t?.zh)) ?? c.id;
  return c.simulated ? `${s} (${SIMULATED_LABEL})` : s;
}

// ---------------------------------------------------------------- expert AHP answers

/**
 * Expert answers to an AHP questionnaire: SurveyJS result JSON (an array, or `{ results: [...] }`), one
 * object per expert with its name in `expert` (or `_expert`, `id`, `name`; default "expert <k>").
 * @example parseExpertAnswers('[{"expert":"A","ahp__X__a__b":3}]', 'experts.json')[0].expert // => 'A'
 */
export function parseExpertAnswers(
  text: string,
  file: string,
): Array<{ expert: string; answers: Record<string, unknown>; row: number }> {
  let data: unknown;
  try {
    data = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    throw new CityIndexError({ code: 'E_JSON', message: `invalid JSON: ${(e as Error).message}`, file });
  }
  const list = Array.isArray(data)
    ? data
    : data && typeof data === 'object' && Array.isArray((data as { results?: unknown }).results)
      ? (data as { results: unknown[] }).results
      : null;
  if (!list)
    throw new CityIndexError({
      code: 'E_SURVEYJS',
      message: 'expected an array of expert results (or { "results": [...] })',
      file,
    });
  const issues: Issue[] = [];
  const out = list.flatMap((r, k) => {
    if (!r || typeof r !== 'object' || Array.isArray(r)) {
      issues.push({ code: 'E_SURVEYJS', message: `result ${k + 1} is not an object`, file, row: k + 1 });
      return [];
    }
    const o = r as Record<string, unknown>;
    const name = [o.expert, o._expert, o.id, o.name].find((x) => typeof x === 'string' || typeof x === 'number');
    return [{ expert: name === undefined ? `expert ${k + 1}` : String(name), answers: o, row: k + 1 }];
  });
  const seen = new Set<string>();
  for (const e of out) {
    if (seen.has(e.expert))
      issues.push({ code: 'E_DUPLICATE', message: `expert "${e.expert}" answered twice`, file, row: e.row });
    seen.add(e.expert);
  }
  if (issues.length) throw new CityIndexError(issues);
  return out;
}
