/**
 * Assemble a project (project.yaml + framework + units + data, or COINr iData/iMeta; surveys used as
 * data) into a `BuildInput` and a `BuildSpec` from file contents, collecting every problem with its file,
 * row and column before failing. Pure: no Node APIs, no file system — files come from a `ProjectFiles`
 * source (memory, an upload, database rows; the disk through project.ts), so the server and the browser
 * assemble projects as the CLI does. Nothing is written.
 */
import { parseDocument, visit, LineCounter, type Document } from 'yaml';
import * as z from 'zod';
import { CityIndexError, type Issue } from '../engine/core/errors.ts';
import { createDataset, type Dataset } from '../engine/core/dataset.ts';
import {
  checkFramework,
  topLevel,
  type Framework,
  type FrameworkNode,
  type LocalText,
  type SourceRef,
  type Unit,
} from '../engine/core/framework.ts';
import { allowedFields, zodIssues } from '../engine/core/zod-issues.ts';
import { safeParseOwnKeys } from '../engine/core/own-keys.ts';
import { didYouMean, didYouMeanHint, editDistance } from '../engine/core/did-you-mean.ts';
import { build, regenerate, type Build, type BuildInput } from '../engine/pipeline/build.ts';
import { alignEstimates } from '../engine/survey/estimate.ts';
import { StepSpecSchema, type BuildSpec } from '../engine/spec/spec.ts';
import { checkSpec } from '../engine/spec/check-spec.ts';
import {
  FrameworkFileSchema,
  ProjectFileSchema,
  projectJsonSchema,
  type FrameworkFile,
  type FrameworkTreeNode,
  type ProjectFile,
} from './project-schema.ts';
import {
  basenamePosix,
  checkRoots,
  dirnamePosix,
  joinPosix,
  memoryProjectFiles,
  type ProjectFiles,
} from './project-files.ts';
import { readSurvey, runLoadedSurvey, SIMULATED_LABEL, surveyTitle, noXlsxReader } from './survey-read.ts';
import {
  decodeText,
  numberAt,
  parseCsvTable,
  parseNumberCell,
  plainNumber,
  type Table,
  type XlsxReader,
} from './table.ts';

export interface InputFile {
  path: string;
  sha256: string;
  bytes: number;
}

/** A survey whose city estimates entered the build as indicator values. */
export interface SurveyInput {
  id: string;
  title: string;
  simulated: boolean;
  /** Indicator codes it supplied. */
  indicators: string[];
  /** 95 % interval bounds of each supplied value (same shape as the estimates: units × indicators). */
  lower: Dataset;
  upper: Dataset;
  /** Respondents per city × indicator. */
  n: Dataset;
  /** Cities under the survey's minimum sample (or with no response), with that minimum. */
  underMinimum?: Array<{ city: string; n: number; minSample: number }>;
}

export interface LoadedProject {
  dir: string;
  /** The project file read (project.yaml unless a variant file was given). */
  file: string;
  /** Surveys used as data (`surveys: [{ config, use: true }]`). */
  surveys: SurveyInput[];
  project: ProjectFile;
  input: BuildInput;
  spec: BuildSpec;
  /** Indicators listed in the framework without data (`status: not_collected`): shown as gaps. */
  gaps: FrameworkNode[];
  /** Source of each raw value when the data file gives one per value (long format), keyed `unit\u0000indicator`. */
  valueSources: Record<string, string>;
  files: InputFile[];
  warnings: Issue[];
}

/** Cap on issues reported per file, so a wholly wrong file does not print ten thousand lines. */
const MAX_ISSUES_PER_FILE = 50;

class Collector {
  issues: Issue[] = [];
  warnings: Issue[] = [];
  files: InputFile[] = [];
  private perFile = new Map<string, number>();
  add(issue: Issue): void {
    const key = issue.file ?? '';
    const n = (this.perFile.get(key) ?? 0) + 1;
    this.perFile.set(key, n);
    if (n <= MAX_ISSUES_PER_FILE) this.issues.push(issue);
    else if (n === MAX_ISSUES_PER_FILE + 1)
      this.issues.push({
        code: 'E_TOO_MANY',
        message: `more problems in this file not shown (first ${MAX_ISSUES_PER_FILE} listed)`,
        file: issue.file,
        row: issue.row,
        expected: 'the problems above fixed first',
      });
  }
  /** Add issues; those with severity `warning` go to the warnings. */
  addAll(list: Issue[]): void {
    for (const i of list) {
      if (i.severity === 'warning') this.warnings.push(i);
      else this.add(i);
    }
  }
  /** Throw everything collected so far (warnings travel along: they often explain an error). */
  fail(): never {
    throw new CityIndexError([...this.issues, ...this.warnings]);
  }
  /** Run `fn`, turning a CityIndexError into collected issues; returns undefined on failure. */
  async attempt<T>(fn: () => Promise<T> | T): Promise<T | undefined> {
    try {
      return await fn();
    } catch (e) {
      if (e instanceof CityIndexError) {
        this.addAll(e.issues);
        return undefined;
      }
      throw e;
    }
  }
}

/** `didYouMean` restricted to one edit (for a guess made without knowing the object's own fields). */
function editDistanceOne(word: string, candidates: Iterable<string>): string | undefined {
  const s = didYouMean(word, candidates);
  return s !== undefined && editDistance(word, s, 1) <= 1 ? s : undefined;
}

const hint = didYouMeanHint;

/** Where a project's files come from, with the collector of its problems. */
interface Source {
  files: ProjectFiles;
  c: Collector;
  readXlsx?: XlsxReader;
}

/** SHA-256 of bytes as hex (Web Crypto: the same in Node 20+ and browsers). */
async function sha256(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Read a file named in a project file (`referencedFrom`, at `field` and `row`): resolved by the source
 * relative to the folder `from`; a refused path, a folder or a missing file is a located issue.
 */
async function readBytes(
  src: Source,
  rel: string,
  referencedFrom: string,
  field: string,
  row?: number,
  from = '',
): Promise<Uint8Array | undefined> {
  const { files, c } = src;
  const resolved = files.resolve(rel, from);
  if (!resolved.ok) {
    const { code, message, expected } = resolved;
    c.add({ code, message, file: referencedFrom, row, field, expected });
    return undefined;
  }
  const path = resolved.path;
  const kind = await files.kind(path);
  if (kind === 'folder') {
    const inside = (await files.list(path)).filter((n) => /\.(csv|xlsx|ya?ml|tsv|txt)$/i.test(n)).sort();
    const holds = inside.length ? ` (it holds ${inside.slice(0, 4).join(', ')}${inside.length > 4 ? ', …' : ''})` : '';
    c.add({
      code: 'E_NOT_A_FILE',
      message: `"${rel}" is a folder, not a file / 这是文件夹而不是文件${holds}`,
      file: referencedFrom,
      row,
      field,
      expected: inside.length
        ? `a file path such as "${joinPosix(rel, inside[0])}"`
        : 'a file path relative to the project folder',
    });
    return undefined;
  }
  const bytes = kind === 'file' ? await files.read(path) : undefined;
  if (!bytes) {
    const near = didYouMean(basenamePosix(path), await files.list(dirnamePosix(path)));
    const named = near === undefined ? undefined : joinPosix(dirnamePosix(rel.replace(/\\/g, '/')), near);
    c.add({
      code: 'E_FILE_MISSING',
      message: `file "${rel}" not found / 找不到文件${hint(named)}`,
      file: referencedFrom,
      row,
      field,
      expected: 'a path relative to the project folder',
    });
    return undefined;
  }
  c.files.push({ path: rel, sha256: await sha256(bytes), bytes: bytes.length });
  return bytes;
}

async function readTable(
  src: Source,
  rel: string,
  from: string,
  field: string,
  sheet?: string,
  row?: number,
  numeric?: ReadonlySet<string>,
): Promise<Table | undefined> {
  const { c } = src;
  const ext = /\.[^./\\]*$/.exec(rel)?.[0].toLowerCase() ?? '';
  const resolved = src.files.resolve(rel);
  const isFolder = resolved.ok && (await src.files.kind(resolved.path)) === 'folder';
  if (!isFolder && ext !== '.xlsx' && ext !== '.csv' && ext !== '.txt' && ext !== '.tsv') {
    const old = ext === '.xls' ? ' (old Excel format: save as .xlsx / 请另存为 .xlsx)' : '';
    const message = `unsupported data file type "${ext || rel}"${old}`;
    c.add({ code: 'E_FORMAT', message, file: from, row, field, expected: '.csv or .xlsx' });
    return undefined;
  }
  const bytes = await readBytes(src, rel, from, field, row);
  if (!bytes) return undefined;
  const t = await c.attempt(async () => {
    if (ext === '.xlsx') {
      if (!src.readXlsx) throw new CityIndexError(noXlsxReader(rel));
      return src.readXlsx(bytes, rel, sheet);
    }
    const { text, warnings } = decodeText(bytes, rel);
    c.warnings.push(...warnings);
    return parseCsvTable(text, rel, numeric);
  });
  if (!t) return undefined;
  c.warnings.push(...t.warnings);
  if (t.rows.length === 0)
    c.add({
      code: 'E_NO_ROWS',
      message: 'the file has a header row but no data rows / 文件只有表头，没有数据行',
      file: rel,
      row: 1,
      expected: 'one row per unit (wide) or per value (long) below the header',
    });
  return t;
}

/** A YAML file read for the project: its value, and the document and line counter to locate fields. */
interface YamlFile {
  rel: string;
  value: unknown;
  doc: Document;
  lines: LineCounter;
}

/** Alias expansions allowed when a YAML file is turned into values (a "billion laughs" file needs millions). */
const MAX_YAML_ALIASES = 100;
/** Nesting allowed in a YAML file (a framework of 50 levels nests about 100 deep). */
const MAX_YAML_DEPTH = 200;

/** The line of the first node nested deeper than `max` in a YAML document (walked without recursion). */
function tooDeep(doc: Document, lines: LineCounter, max: number): number | undefined {
  const stack: Array<{ node: unknown; depth: number }> = [{ node: doc.contents, depth: 1 }];
  while (stack.length) {
    const { node, depth } = stack.pop()!;
    if (!node || typeof node !== 'object' || !('items' in node) || !Array.isArray(node.items)) continue;
    const range = (node as { range?: [number, number, number] }).range;
    if (depth > max) return range ? lines.linePos(range[0]).line : 1;
    for (const item of node.items as unknown[]) {
      if (item && typeof item === 'object' && 'value' in item && 'key' in item) {
        stack.push({ node: (item as { key: unknown }).key, depth: depth + 1 });
        stack.push({ node: (item as { value: unknown }).value, depth: depth + 1 });
      } else stack.push({ node: item, depth: depth + 1 });
    }
  }
  return undefined;
}

/** The line of the first alias (`*name`) of a YAML document. */
function firstAlias(doc: Document, lines: LineCounter): number | undefined {
  let row: number | undefined;
  visit(doc, {
    Alias(_, node) {
      if (node.range) row = lines.linePos(node.range[0]).line;
      return visit.BREAK;
    },
  });
  return row;
}

function parseYaml(text: string, file: string, c: Collector): YamlFile | undefined {
  const lines = new LineCounter();
  const depthIssue = (row: number | undefined): Issue => ({
    code: 'E_YAML_DEPTH',
    message: `the YAML is nested more than ${MAX_YAML_DEPTH} levels deep / YAML 嵌套层级过深`,
    file,
    row,
    expected: `at most ${MAX_YAML_DEPTH} levels of nested lists and mappings`,
  });
  let doc: Document;
  try {
    doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true, lineCounter: lines });
  } catch (e) {
    // the parser recurses: a file nested thousands deep overflows the stack before any check
    if (e instanceof RangeError) {
      c.add(depthIssue(undefined));
      return undefined;
    }
    throw e;
  }
  if (doc.errors.length) {
    if (doc.errors.some((e) => /call stack/i.test(e.message))) {
      // where the parser ran out of stack depends on the stack left at the call: no row, so that the
      // same file gives the same message every time (and from disk and memory alike)
      c.add(depthIssue(undefined));
      return undefined;
    }
    const seen = new Set<number>();
    // a tab indent makes the parser report confusing follow-on errors: show the tab lines only
    const tabs = doc.errors.filter((e) => e.code === 'TAB_AS_INDENT');
    for (const e of tabs.length ? tabs : doc.errors) {
      const row = lines.linePos(e.pos[0]).line;
      if (seen.has(row)) continue;
      seen.add(row);
      const tab = e.code === 'TAB_AS_INDENT' || /^\s*\t/.test(text.split('\n')[row - 1] ?? '');
      // prettyErrors: false, so the message carries no position (the row comes from e.pos)
      const tabHint = tab ? ' — indent YAML with spaces, not tabs / YAML 缩进请用空格，不要用制表符' : '';
      const expected =
        e.code === 'DUPLICATE_KEY'
          ? 'each key once in its mapping'
          : tab
            ? 'indentation with spaces'
            : 'valid YAML (closed brackets and quotes, consistent indentation, "key: value" pairs)';
      c.add({ code: 'E_YAML', message: e.message + tabHint, file, row, expected });
      if (seen.size >= 10) break;
    }
    return undefined;
  }
  const deep = tooDeep(doc, lines, MAX_YAML_DEPTH);
  if (deep !== undefined) {
    c.add(depthIssue(deep));
    return undefined;
  }
  try {
    return { rel: file, value: doc.toJS({ maxAliasCount: MAX_YAML_ALIASES }), doc, lines };
  } catch (e) {
    if (!(e instanceof ReferenceError || e instanceof RangeError)) throw e;
    // "Excessive alias count": a billion-laughs file (aliases of aliases expanding exponentially)
    c.add({
      code: 'E_YAML_ALIASES',
      message:
        'the YAML aliases (*name) expand to too many values, as in a "billion laughs" file / ' +
        'YAML 别名（*name）展开后数据量过大',
      file,
      row: firstAlias(doc, lines),
      expected: `at most ${MAX_YAML_ALIASES} alias expansions; write the values out instead of nesting aliases`,
    });
    return undefined;
  }
}

/** Line of the deepest node along `path` in a YAML file (the key's line when the value is missing). */
function yamlLine(f: YamlFile | undefined, path: ReadonlyArray<string | number>): number | undefined {
  if (!f) return undefined;
  for (let k = path.length; k >= 0; k--) {
    const node = (k === 0 ? f.doc.contents : f.doc.getIn(path.slice(0, k), true)) as
      { range?: [number, number, number] } | null | undefined;
    if (node && typeof node === 'object' && node.range) return f.lines.linePos(node.range[0]).line;
  }
  return undefined;
}

/** `build.steps[3].options` → ['build', 'steps', 3, 'options']. */
function fieldPath(field: string): Array<string | number> {
  return field
    .split(/\.|(?=\[)/)
    .filter(Boolean)
    .map((p) => (/^\[\d+\]$/.test(p) ? Number(p.slice(1, -1)) : p));
}

let vocabulary: { keySets: Array<Set<string>>; values: Set<string> } | undefined;
/**
 * The field-name sets of every object in the project and framework schemas, and every fixed value (for
 * "did you mean").
 */
function knownWords(): { keySets: Array<Set<string>>; values: Set<string> } {
  if (vocabulary) return vocabulary;
  const keySets: Array<Set<string>> = [];
  const values = new Set<string>();
  const walk = (x: unknown): void => {
    if (Array.isArray(x)) {
      x.forEach(walk);
      return;
    }
    if (!x || typeof x !== 'object') return;
    const o = x as Record<string, unknown>;
    if (o.properties && typeof o.properties === 'object') keySets.push(new Set(Object.keys(o.properties)));
    if (typeof o.const === 'string') values.add(o.const);
    if (Array.isArray(o.enum)) o.enum.forEach((v) => typeof v === 'string' && values.add(v));
    Object.values(o).forEach(walk);
  };
  walk(projectJsonSchema());
  walk(z.toJSONSchema(FrameworkFileSchema, { unrepresentable: 'any', io: 'input' }));
  vocabulary = { keySets, values };
  return vocabulary;
}

/** Field names allowed beside `known` (the fields of every schema object that has all of them). */
function fieldsBeside(known: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const set of knownWords().keySets) if (known.every((k) => set.has(k))) set.forEach((k) => out.add(k));
  return out;
}

/**
 * Schema errors of a YAML file as located issues: the line of each field (in `base` when the field
 * was inherited through `extends`), and a "did you mean" for a misspelt field name or value.
 */
function schemaIssues(
  error: z.ZodError,
  f: YamlFile | undefined,
  file: string,
  base: YamlFile | undefined,
  schema: z.ZodType,
  input: unknown,
): Issue[] {
  return zodIssues(error, file, [], schema, input).map((issue, k) => {
    const zi = error.issues[k];
    const path = zi.path.filter((p): p is string | number => typeof p !== 'symbol');
    const keys = zi.code === 'unrecognized_keys' ? zi.keys : [];
    const at = keys.length ? [...path, keys[0]] : path;
    const inOwn = Boolean(f && (f.doc.hasIn(at) || f.doc.hasIn(path)));
    const src = inOwn || !base ? f : base;
    const row = yamlLine(src, at);
    let suggestion: string | undefined;
    let message = issue.message;
    if (keys.length) {
      const here = src?.doc.getIn(path);
      const present =
        here && typeof here === 'object' && 'items' in here
          ? (here as { items: Array<{ key: unknown }> }).items.map((p) =>
              String((p.key as { value?: unknown })?.value ?? p.key),
            )
          : [];
      const known = present.filter((k) => !keys.includes(k));
      const allowed = allowedFields(schema, zi.path, keys, input);
      suggestion = allowed.length
        ? didYouMean(keys[0], allowed)
        : known.length
          ? didYouMean(keys[0], fieldsBeside(known))
          : editDistanceOne(keys[0], fieldsBeside([]));
    } else if (zi.code === 'invalid_type' && src?.doc.hasIn(path) === false && path.length) {
      message = `missing required field "${path[path.length - 1]}" (expected ${zi.expected}) / 缺少必填字段`;
    } else {
      const given = src?.doc.getIn(path);
      // the allowed values from the issue's own fields (an enum's values, a discriminated union's options)
      const listed: readonly unknown[] =
        zi.code === 'invalid_value'
          ? zi.values
          : zi.code === 'invalid_union' && 'options' in zi
            ? (zi.options ?? [])
            : [];
      const allowed = listed.filter((v): v is string => typeof v === 'string');
      if (typeof given === 'string' && allowed.length) suggestion = didYouMean(given, allowed);
    }
    return { ...issue, file: src === base && base ? base.rel : file, row, message: message + hint(suggestion) };
  });
}

function localText(v: string | { zh?: string; en?: string } | undefined, fallback: string): LocalText {
  if (v === undefined) return { en: fallback };
  if (typeof v === 'string') return /[\u4e00-\u9fff]/.test(v) ? { zh: v } : { en: v };
  return { zh: v.zh, en: v.en };
}

/** Flatten a framework tree (framework.yaml) into nodes; levels = height (leaves = 1). */
export function frameworkFromTree(f: FrameworkFile, file: string): { framework: Framework; issues: Issue[] } {
  const nodes: FrameworkNode[] = [];
  const issues: Issue[] = [];
  const walk = (t: FrameworkTreeNode, parent: string | null, depth: number): number => {
    if (depth > 50) {
      const message = 'framework tree deeper than 50 levels';
      issues.push({ code: 'E_DEPTH', message, file, indicator: t.code, expected: 'at most 50 levels' });
      return 1;
    }
    const node: FrameworkNode = {
      code: t.code,
      name: localText(t.name, t.code),
      level: 1,
      parent,
      kind: t.children?.length ? 'aggregate' : 'indicator',
      weight: t.weight ?? 1,
      direction: t.direction ?? 1,
      unit: t.unit,
      source: t.source,
      denominator: t.denominator,
      scaleFactor: t.scaleFactor,
      target: t.target,
      goalposts: t.goalposts,
      status: t.status,
      notes: t.notes,
      ...(t.controllable !== undefined ? { controllable: t.controllable } : {}),
    };
    nodes.push(node);
    if (!t.children?.length) return 1;
    const heights = t.children.map((ch) => walk(ch, t.code, depth + 1));
    node.level = Math.max(...heights) + 1;
    const depths = [...new Set(heights)];
    if (depths.length > 1)
      issues.push({
        code: 'E_UNBALANCED',
        message:
          `the children of "${t.code}" sit at different depths (${depths.join(', ')} levels below); ` +
          'every indicator must be the same number of levels below the index',
        file,
        indicator: t.code,
        expected: 'children all with the same depth below them (add a level, or move the indicator)',
      });
    return node.level;
  };
  walk(f.tree, null, 0);
  // Nodes whose children are all not_collected are gaps too; keep them but mark.
  return {
    framework: {
      nodes,
      levelNames: f.levelNames?.map((n) => localText(n, '')),
      denominators: f.denominators?.map((d) => ({
        code: d.code,
        name: localText(d.name, d.code),
        unit: d.unit,
        source: d.source,
      })),
    },
    issues,
  };
}

function col(t: Table, names: string[]): number {
  for (const n of names) {
    const k = t.header.findIndex((h) => h.toLowerCase() === n.toLowerCase());
    if (k >= 0) return k;
  }
  return -1;
}

/** Framework from an iMeta-like table (COINr columns: Level, iCode, iName, Direction, Weight, Parent, Type, …). */
export function frameworkFromTable(t: Table): {
  framework: Framework;
  groups: string[];
  denominators: string[];
  issues: Issue[];
} {
  const issues: Issue[] = [];
  const need = ['iCode', 'Type'];
  for (const n of need)
    if (col(t, [n]) < 0)
      issues.push({
        code: 'E_MISSING_COLUMN',
        message: `missing column "${n}"`,
        file: t.file,
        row: t.headerRow ?? 1,
        column: n,
        expected: 'the columns iCode and Type (COINr iMeta: Level, iCode, iName, Direction, Weight, Parent, Type)',
      });
  if (issues.length) return { framework: { nodes: [] }, groups: [], denominators: [], issues };
  const k = (n: string) => col(t, [n]);
  const nodes: FrameworkNode[] = [];
  const groups: string[] = [];
  const denoms: Array<{ code: string; name: LocalText; unit?: string }> = [];
  const knownCols = new Set([
    'level',
    'icode',
    'iname',
    'direction',
    'weight',
    'unit',
    'target',
    'denominator',
    'parent',
    'type',
    'name_zh',
    'name_en',
    'scalefactor',
  ]);
  t.rows.forEach((r, idx) => {
    const row = t.rowNumbers[idx];
    const get = (n: string) => (k(n) >= 0 ? r[k(n)] : '');
    const num = (n: string, dflt?: number): number | undefined => {
      const s = get(n);
      if (s === '' || s === 'NA') return dflt;
      const p = parseNumberCell(s);
      if (p.error) {
        issues.push({ code: 'E_NOT_NUMBER', message: p.error, file: t.file, row, column: n, expected: 'a number' });
        return dflt;
      }
      return p.value;
    };
    const code = get('iCode');
    const type = get('Type');
    if (!code) {
      const expected = 'a code on every row';
      issues.push({ code: 'E_EMPTY_CELL', message: 'empty iCode', file: t.file, row, column: 'iCode', expected });
      return;
    }
    const name: LocalText = { en: get('iName') || get('name_en') || undefined, zh: get('name_zh') || undefined };
    if (type === 'Group') {
      groups.push(code);
      return;
    }
    if (type === 'Denominator') {
      denoms.push({ code, name, unit: get('Unit') || undefined });
      return;
    }
    if (type === 'Other') return;
    if (type !== 'Indicator' && type !== 'Aggregate') {
      issues.push({
        code: 'E_TYPE',
        message: `unknown Type "${type}"`,
        file: t.file,
        row,
        column: 'Type',
        expected: 'Indicator, Aggregate, Group, Denominator or Other',
      });
      return;
    }
    const level = num('Level');
    if (level === undefined || !Number.isInteger(level) || level < 1) {
      issues.push({
        code: 'E_LEVEL',
        message: `Level must be a positive integer, found "${get('Level')}"`,
        file: t.file,
        row,
        column: 'Level',
        expected: 'a whole number ≥ 1 (1 = indicators)',
      });
      return;
    }
    const dir = num('Direction', 1);
    if (dir !== 1 && dir !== -1)
      issues.push({
        code: 'E_DIRECTION',
        message: `Direction must be 1 or -1, found "${get('Direction')}"`,
        file: t.file,
        row,
        column: 'Direction',
        expected: '1 or -1',
      });
    // null-prototype lookups: a column named `constructor` or `__proto__` is an ordinary name
    const extras: Record<string, string | number | null> = Object.create(null);
    t.header.forEach((h, c) => {
      if (!knownCols.has(h.toLowerCase())) {
        const p = parseNumberCell(r[c]);
        extras[h] = r[c] === '' ? null : p.error ? r[c] : p.value;
      }
    });
    nodes.push({
      code,
      name,
      level,
      parent: get('Parent') || null,
      kind: type === 'Indicator' ? 'indicator' : 'aggregate',
      weight: num('Weight', 1) ?? 1,
      direction: dir === -1 ? -1 : 1,
      unit: get('Unit') || undefined,
      target: num('Target'),
      denominator: get('Denominator') || undefined,
      scaleFactor: num('ScaleFactor'),
      extras: Object.keys(extras).length ? extras : undefined,
    });
  });
  // COINr order: indicators in row order; aggregates sorted by (Level, Parent) is only for display.
  return { framework: { nodes, denominators: denoms }, groups, denominators: denoms.map((d) => d.code), issues };
}

/** Unit codes that a spreadsheet turned into decimals ("330100.0") read as whole numbers. */
function cleanCode(s: string): string {
  return /^\d+\.0+$/.test(s) ? s.slice(0, s.indexOf('.')) : s;
}

/** Clean the unit codes of column `k` in place; one warning per file when any had a decimal part. */
function cleanCodes(t: Table, k: number, warnings: Issue[]): void {
  let first: { raw: string; row: number } | undefined;
  t.rows.forEach((r, i) => {
    const v = cleanCode(r[k]);
    if (v !== r[k]) {
      first ??= { raw: r[k], row: t.rowNumbers[i] };
      r[k] = v;
    }
  });
  if (first)
    warnings.push({
      code: 'W_CODE_DECIMAL',
      message:
        `unit codes written with a decimal part (e.g. "${first.raw}") are read as whole numbers ` +
        `("${cleanCode(first.raw)}"); save the column as text / 单位代码末尾的“.0”已去掉，请将该列保存为文本`,
      file: t.file,
      row: first.row,
      column: t.header[k],
      severity: 'warning',
    });
}

const UNIT_CODE_COLUMNS = ['code', 'uCode', 'adcode', 'unit'];

function missingCodeColumn(t: Table): Issue {
  return {
    code: 'E_MISSING_COLUMN',
    message: `missing unit code column (the header has ${t.header
      .slice(0, 6)
      .map((h) => `"${h}"`)
      .join(', ')}${t.header.length > 6 ? ', …' : ''})`,
    file: t.file,
    row: t.headerRow ?? 1,
    column: 'code',
    expected: 'a column named code (or uCode / adcode)',
  };
}

/**
 * Units from a table with `code` (or uCode/adcode), `name_zh`, `name_en` (or uName); text columns → groups,
 * numeric → attributes.
 */
export function unitsFromTable(t: Table, skipColumns: Set<string> = new Set()): { units: Unit[]; issues: Issue[] } {
  const issues: Issue[] = [];
  const codeCol = col(t, UNIT_CODE_COLUMNS);
  if (codeCol < 0) return { units: [], issues: [missingCodeColumn(t)] };
  cleanCodes(t, codeCol, issues);
  const zh = col(t, ['name_zh']);
  const en = col(t, ['name_en', 'uName', 'name']);
  const other = t.header
    .map((h, k) => ({ h, k }))
    .filter(({ h, k }) => k !== codeCol && k !== zh && k !== en && !skipColumns.has(h));
  const numeric = new Set(
    other
      .filter(({ k }) => t.rows.some((r) => r[k] !== '') && t.rows.every((r) => !parseNumberCell(r[k]).error))
      .map(({ h }) => h),
  );
  const seen = new Map<string, number>();
  const units: Unit[] = [];
  t.rows.forEach((r, idx) => {
    const row = t.rowNumbers[idx];
    const code = r[codeCol];
    if (!code) {
      issues.push({
        code: 'E_EMPTY_CELL',
        message: 'empty unit code',
        file: t.file,
        row,
        column: t.header[codeCol],
        expected: 'a code for every unit (e.g. its adcode)',
      });
      return;
    }
    if (seen.has(code)) {
      issues.push({
        code: 'E_DUPLICATE_UNIT',
        message: `duplicate unit code "${code}" (first on row ${seen.get(code)})`,
        file: t.file,
        row,
        column: t.header[codeCol],
        expected: 'each unit code once',
      });
      return;
    }
    seen.set(code, row);
    const u: Unit = {
      code,
      name: { zh: zh >= 0 ? r[zh] || undefined : undefined, en: en >= 0 ? r[en] || undefined : undefined },
      groups: Object.create(null) as Unit['groups'],
      attributes: Object.create(null) as Unit['attributes'],
    };
    for (const { h, k } of other) {
      if (numeric.has(h)) {
        const v = parseNumberCell(r[k]).value;
        u.attributes[h] = Number.isNaN(v) ? null : v;
      } else u.groups[h] = r[k] === '' ? null : r[k];
    }
    units.push(u);
  });
  return { units, issues };
}

/**
 * Every value read from the data files: one column per code over the units (in `unitCodes` order),
 * with where each value came from, so a value given twice is reported with both places. Typed
 * arrays, not a map per cell: a 50 MB file holds millions of values.
 */
/** One code's values over the store's units: value, the file row it came from (-1 = none), its file. */
interface StoreColumn {
  values: Float64Array;
  row: Int32Array;
  file: Uint16Array;
}

class ValueStore {
  private readonly index: Map<string, number>;
  private readonly cols = new Map<string, StoreColumn>();
  private readonly fileNames: string[] = [];
  /** Source of a value when the file gives one, keyed `unit\u0000code`. */
  readonly sources: Record<string, string> = {};
  /** Values given twice, grouped by (file, column, earlier file). */
  readonly conflicts = new Map<
    string,
    {
      file: string;
      column: string;
      code: string;
      earlier: string;
      rows: number[];
      earlierRows: number[];
      units: string[];
    }
  >();
  /** Rows naming a unit not in the units list, grouped by (file, unit). */
  readonly unknownUnits = new Map<string, { file: string; column: string; unit: string; rows: number[] }>();

  constructor(readonly unitCodes: readonly string[]) {
    this.index = new Map(unitCodes.map((u, i) => [u, i]));
  }

  unitIndex(unit: string): number | undefined {
    return this.index.get(unit);
  }
  has(code: string): boolean {
    return this.cols.has(code);
  }
  /** Number of non-missing values of `code`. */
  available(code: string): number {
    const c = this.cols.get(code);
    let n = 0;
    if (c) for (let i = 0; i < c.values.length; i++) if (c.row[i] !== -1 && !Number.isNaN(c.values[i])) n++;
    return n;
  }

  unknownUnit(file: string, column: string, unit: string, row: number): void {
    const key = `${file}\u0000${unit}`;
    const g = this.unknownUnits.get(key);
    if (g) g.rows.push(row);
    else this.unknownUnits.set(key, { file, column, unit, rows: [row] });
  }

  /** Store a value (NaN = missing but given); a second value for the same unit and code is a conflict. */
  put(code: string, unit: number, value: number, file: string, row: number, column: string, source?: string): void {
    this.putAt(this.column(code), this.fileIndex(file), code, unit, value, file, row, column, source);
  }

  /** The column of `code` (created empty on first use). */
  column(code: string): StoreColumn {
    let c = this.cols.get(code);
    if (!c) {
      const n = this.unitCodes.length;
      c = { values: new Float64Array(n).fill(NaN), row: new Int32Array(n).fill(-1), file: new Uint16Array(n) };
      this.cols.set(code, c);
    }
    return c;
  }

  /** The index of a file name in `fileNames` (added on first use). */
  fileIndex(file: string): number {
    let f = this.fileNames.lastIndexOf(file);
    if (f < 0) {
      this.fileNames.push(file);
      f = this.fileNames.length - 1;
    }
    return f;
  }

  /** `put` with the column and file index looked up once by the caller (a wide table's inner loop). */
  putAt(
    c: StoreColumn,
    f: number,
    code: string,
    unit: number,
    value: number,
    file: string,
    row: number,
    column: string,
    source?: string,
  ): void {
    if (c.row[unit] !== -1) {
      if (Number.isNaN(c.values[unit]) && Number.isNaN(value)) return;
      const earlier = this.fileNames[c.file[unit]];
      const key = `${file}\u0000${column}\u0000${earlier}`;
      let g = this.conflicts.get(key);
      if (!g) {
        g = { file, column, code, earlier, rows: [], earlierRows: [], units: [] };
        this.conflicts.set(key, g);
      }
      g.rows.push(row);
      g.earlierRows.push(c.row[unit]);
      g.units.push(this.unitCodes[unit]);
      return;
    }
    c.values[unit] = value;
    c.row[unit] = row;
    c.file[unit] = f;
    if (source) this.sources[`${this.unitCodes[unit]}\u0000${code}`] = source;
  }

  /** The grouped conflicts and unknown units as issues (one per group, with its rows). */
  issues(): Issue[] {
    const rowsText = (rows: number[]) =>
      rows.length > 1 ? ` (${rows.length} rows: ${rows.slice(0, 5).join(', ')}${rows.length > 5 ? ', …' : ''})` : '';
    const out: Issue[] = [];
    for (const g of this.unknownUnits.values()) {
      out.push({
        code: 'E_UNKNOWN_UNIT',
        message:
          `unit "${g.unit}" is not in the units list` + rowsText(g.rows) + hint(didYouMean(g.unit, this.unitCodes)),
        file: g.file,
        row: g.rows[0],
        column: g.column,
        expected: 'a code listed in the units file',
      });
    }
    for (const g of this.conflicts.values()) {
      const earlierRows = `${g.earlierRows.slice(0, 3).join(', ')}${g.rows.length > 3 ? ', …' : ''}`;
      const message =
        g.rows.length === 1
          ? `value for unit "${g.units[0]}", indicator "${g.code}" is given twice ` +
            `(also ${g.earlier}:${g.earlierRows[0]})`
          : `${g.rows.length} values of indicator "${g.code}" are given twice: ` +
            `also in ${g.earlier} (rows ${earlierRows})`;
      out.push({
        code: 'E_CONFLICT',
        message: `${message}; give each value in one data file only / 同一数值只能出现在一个数据文件中`,
        expected: 'each value in one data file only',
        file: g.file,
        row: g.rows[0],
        column: g.column,
        unit: g.rows.length === 1 ? g.units[0] : undefined,
        indicator: g.code,
      });
    }
    return out;
  }

  /** The `codes` columns as a dataset over `unitCodes` (sorted order), NaN where no value was given. */
  dataset(unitCodes: readonly string[], codes: readonly string[]): Dataset {
    const n = unitCodes.length;
    const values = new Float64Array(n * codes.length).fill(NaN);
    const at = unitCodes.map((u) => this.index.get(u) ?? -1);
    codes.forEach((code, j) => {
      const c = this.cols.get(code);
      if (c) for (let i = 0; i < n; i++) if (at[i] >= 0) values[j * n + i] = c.values[at[i]];
    });
    return createDataset([...unitCodes], [...codes], values);
  }
}

/** Columns read as text by the units, long-format and wide readers: never parsed as numbers. */
const TEXT_COLUMNS = new Set([
  'unit',
  'code',
  'uCode',
  'adcode',
  'indicator',
  'iCode',
  'value',
  'period',
  'year',
  'Time',
  'source',
  'name',
  'name_zh',
  'name_en',
  'uName',
  'province',
]);

/** The value columns a data file's parser may read as numbers (indicator and denominator codes). */
function numericColumns(codes: Iterable<string>): Set<string> {
  const out = new Set<string>();
  for (const code of codes) if (!TEXT_COLUMNS.has(code)) out.add(code);
  return out;
}

/** Rows per block when a wide table's values move into the column-major store (cache-sized). */
const WIDE_BLOCK = 64;

/** Read values from a wide table (a unit code column, then one column per indicator) into the store. */
function readWide(
  t: Table,
  wanted: Set<string>,
  store: ValueStore,
  c: Collector,
  ignoreColumns: Set<string>,
  ignored: Array<{ file: string; column: string }>,
): void {
  const codeCol = col(t, UNIT_CODE_COLUMNS);
  if (codeCol < 0) {
    c.add(missingCodeColumn(t));
    return;
  }
  cleanCodes(t, codeCol, c.warnings);
  const cols = t.header.map((h, k) => ({ h, k })).filter(({ h, k }) => k !== codeCol && wanted.has(h));
  const notUsed = t.header.filter((h, k) => k !== codeCol && !wanted.has(h) && !ignoreColumns.has(h));
  for (const h of notUsed) ignored.push({ file: t.file, column: h });
  if (notUsed.length)
    c.warnings.push({
      code: 'W_IGNORED_COLUMNS',
      message:
        `columns not in the framework are ignored: ${notUsed.slice(0, 12).join(', ')}` +
        (notUsed.length > 12 ? ' …' : ''),
      file: t.file,
      row: t.headerRow ?? 1,
      severity: 'warning',
    });
  const seenRows = new Map<string, number>();
  // row by row (errors in file order) into a row-major buffer, then block by block into the columns
  const m = cols.length;
  const values = new Float64Array(t.rows.length * m);
  const skip = new Uint8Array(t.rows.length * m);
  const unitOf = new Int32Array(t.rows.length).fill(-1);
  t.rows.forEach((r, idx) => {
    const row = t.rowNumbers[idx];
    const unit = r[codeCol];
    const i = store.unitIndex(unit);
    if (i === undefined) {
      store.unknownUnit(t.file, t.header[codeCol], unit, row);
      return;
    }
    if (seenRows.has(unit)) {
      c.add({
        code: 'E_DUPLICATE_UNIT',
        message: `unit "${unit}" appears twice (first on row ${seenRows.get(unit)})`,
        file: t.file,
        row,
        column: t.header[codeCol],
        expected: 'one row per unit',
      });
      return;
    }
    seenRows.set(unit, row);
    unitOf[idx] = i;
    const base = idx * m;
    for (let j = 0; j < m; j++) {
      const k = cols[j].k;
      const fast = numberAt(t, idx, k) ?? plainNumber(r[k]);
      if (fast !== undefined) {
        values[base + j] = fast;
        continue;
      }
      const p = parseNumberCell(r[k]);
      if (p.error) {
        skip[base + j] = 1;
        c.add({
          code: 'E_NOT_NUMBER',
          message: p.error,
          file: t.file,
          row,
          column: cols[j].h,
          unit,
          expected: 'a number, or empty / NA for missing',
        });
        continue;
      }
      values[base + j] = p.value;
    }
  });
  const file = store.fileIndex(t.file);
  for (let r0 = 0; r0 < t.rows.length; r0 += WIDE_BLOCK) {
    const r1 = Math.min(t.rows.length, r0 + WIDE_BLOCK);
    for (let j = 0; j < m; j++) {
      const h = cols[j].h;
      const column = store.column(h);
      for (let r = r0; r < r1; r++) {
        if (unitOf[r] < 0 || skip[r * m + j]) continue;
        store.putAt(column, file, h, unitOf[r], values[r * m + j], t.file, t.rowNumbers[r], h);
      }
    }
  }
}

/** Read a long table (unit, indicator, value[, period][, source]); earlier periods go to `history`. */
function readLong(
  t: Table,
  wanted: Set<string>,
  store: ValueStore,
  period: string | undefined,
  history: Map<string, Map<string, Map<string, number>>>,
  c: Collector,
): void {
  const uc = col(t, ['unit', 'code', 'uCode', 'adcode']);
  const ic = col(t, ['indicator', 'iCode']);
  const vc = col(t, ['value']);
  const pc = col(t, ['period', 'year', 'Time']);
  const sc = col(t, ['source']);
  for (const [k, n] of [
    [uc, 'unit'],
    [ic, 'indicator'],
    [vc, 'value'],
  ] as const)
    if (k < 0)
      c.add({
        code: 'E_MISSING_COLUMN',
        message: `missing column "${n}" (long format: unit, indicator, value[, period][, source])`,
        file: t.file,
        row: t.headerRow ?? 1,
        column: n,
        expected: 'the columns unit, indicator and value',
      });
  if (uc < 0 || ic < 0 || vc < 0) return;
  cleanCodes(t, uc, c.warnings);
  const unknownCodes = new Map<string, number[]>();
  t.rows.forEach((r, idx) => {
    const row = t.rowNumbers[idx];
    const unit = r[uc];
    const ind = r[ic];
    const i = store.unitIndex(unit);
    if (i === undefined) {
      store.unknownUnit(t.file, t.header[uc], unit, row);
      return;
    }
    if (!wanted.has(ind)) {
      const rows = unknownCodes.get(ind);
      if (rows) rows.push(row);
      else unknownCodes.set(ind, [row]);
      return;
    }
    const p = parseNumberCell(r[vc]);
    if (p.error) {
      c.add({
        code: 'E_NOT_NUMBER',
        message: p.error,
        file: t.file,
        row,
        column: t.header[vc],
        unit,
        indicator: ind,
        expected: 'a number, or empty / NA for missing',
      });
      return;
    }
    const per = pc >= 0 ? r[pc] : undefined;
    if (per && period && per !== period) {
      if (per > period) return; // later periods are not used by this edition
      let byPeriod = history.get(per);
      if (!byPeriod) {
        byPeriod = new Map();
        history.set(per, byPeriod);
      }
      let m = byPeriod.get(ind);
      if (!m) {
        m = new Map();
        byPeriod.set(ind, m);
      }
      m.set(unit, p.value);
      return;
    }
    store.put(ind, i, p.value, t.file, row, t.header[vc], sc >= 0 ? r[sc] || undefined : undefined);
  });
  for (const [ind, rows] of unknownCodes) {
    const rowList = `${rows.slice(0, 5).join(', ')}${rows.length > 5 ? ', …' : ''}`;
    const rowsText = rows.length > 1 ? ` (${rows.length} rows: ${rowList})` : '';
    c.add({
      code: 'E_UNKNOWN_CODE',
      message: `indicator "${ind}" is not in the framework${rowsText}${hint(didYouMean(ind, wanted))}`,
      file: t.file,
      row: rows[0],
      column: t.header[ic],
      expected: 'an indicator or denominator code',
    });
  }
}

function historyDataset(unitCodes: string[], codes: string[], cells: Map<string, Map<string, number>>): Dataset {
  const n = unitCodes.length;
  const values = new Float64Array(n * codes.length).fill(NaN);
  codes.forEach((code, j) => {
    const m = cells.get(code);
    if (m)
      unitCodes.forEach((u, i) => {
        const v = m.get(u);
        if (v !== undefined) values[j * n + i] = v;
      });
  });
  return createDataset(unitCodes, codes, values);
}

/** Paths that the build or the CLI reads later (series, cases, surveys): checked now, so `validate` finds them. */
async function checkLaterPaths(
  src: Source,
  project: ProjectFile,
  y: YamlFile | undefined,
  file: string,
): Promise<void> {
  const { files, c } = src;
  const want: Array<{ rel: string; field: Array<string | number>; folder: boolean }> = [];
  if (project.series) {
    want.push({ rel: project.series.file, field: ['series', 'file'], folder: false });
    if (project.series.audit) want.push({ rel: project.series.audit, field: ['series', 'audit'], folder: false });
  }
  if (project.cases) want.push({ rel: project.cases, field: ['cases'], folder: true });
  const surveys =
    project.surveys === undefined ? [] : Array.isArray(project.surveys) ? project.surveys : [project.surveys];
  surveys.forEach((sv, k) =>
    want.push({
      rel: typeof sv === 'string' ? sv : sv.config,
      field: Array.isArray(project.surveys)
        ? ['surveys', k, ...(typeof sv === 'string' ? [] : ['config'])]
        : ['surveys'],
      folder: false,
    }),
  );
  for (const w of want) {
    const field = w.field.map((p, k) => (typeof p === 'number' ? `[${p}]` : (k ? '.' : '') + p)).join('');
    const resolved = files.resolve(w.rel);
    if (!resolved.ok) {
      const { code, message, expected } = resolved;
      c.add({ code, message, file, row: yamlLine(y, w.field), field, expected });
      continue;
    }
    const kind = await files.kind(resolved.path);
    const ok = w.folder ? kind === 'folder' : kind === 'file' || (kind === 'folder' && w.field[0] === 'surveys');
    if (ok) continue;
    const what = w.folder ? 'folder' : 'file';
    c.add({
      code: 'E_FILE_MISSING',
      message: `${what} "${w.rel}" not found${kind ? ` (it is a ${kind})` : ''} / 找不到${w.folder ? '文件夹' : '文件'}`,
      file,
      row: yamlLine(y, w.field),
      field,
      expected: 'a path relative to the project folder',
    });
  }
}

/**
 * The checked `allowedRoots:` of a project file's value (absolute or empty entries are located issues);
 * a value of the wrong type is left to the schema.
 */
function allowedRootsOf(value: unknown, y: YamlFile | undefined, file: string, c: Collector): string[] {
  const list = value && typeof value === 'object' ? (value as { allowedRoots?: unknown }).allowedRoots : undefined;
  if (!Array.isArray(list) || !list.every((x): x is string => typeof x === 'string')) return [];
  const { roots, refused } = checkRoots(list);
  for (const r of refused)
    c.add({
      code: 'E_ROOT',
      message: r.message,
      file,
      row: yamlLine(y, ['allowedRoots', r.index]),
      field: `allowedRoots[${r.index}]`,
      expected: r.expected,
    });
  return roots;
}

const isMapping = (x: unknown): x is Record<string, unknown> =>
  x !== null && typeof x === 'object' && !Array.isArray(x);

/**
 * The top-level fields of a project file that are valid on their own (the others are listed in
 * `failed`), so that one wrong field does not hide the problems of the files the others name.
 */
function validFields(raw: Record<string, unknown>): { project: ProjectFile; failed: string[] } {
  const shape: Record<string, z.ZodType> = ProjectFileSchema.shape;
  const out: Record<string, unknown> = {};
  const failed: string[] = [];
  for (const [key, value] of Object.entries(raw)) {
    if (!Object.hasOwn(shape, key)) continue; // an unknown field: reported, nothing depends on it
    const r = safeParseOwnKeys(shape[key], value);
    if (r.success) out[key] = r.data;
    else failed.push(key);
  }
  return { project: out as ProjectFile, failed };
}

/**
 * The codes and shape of a framework tree that failed its schema (a wrong weight, direction or name
 * elsewhere): nodes with a code, their children, status and denominator. The data and the build spec
 * are checked against it; the failed fields themselves are reported by the schema.
 */
function treeOutline(value: unknown): FrameworkFile | undefined {
  if (!isMapping(value) || !isMapping(value.tree)) return undefined;
  const node = (x: unknown, depth: number): FrameworkTreeNode | undefined => {
    if (!isMapping(x) || depth > 50) return undefined;
    const code = typeof x.code === 'string' || typeof x.code === 'number' ? String(x.code) : '';
    if (!code) return undefined;
    const children = Array.isArray(x.children)
      ? x.children.map((ch) => node(ch, depth + 1)).filter((ch): ch is FrameworkTreeNode => ch !== undefined)
      : [];
    return {
      code,
      ...(children.length ? { children } : {}),
      ...(x.status === 'not_collected' ? { status: 'not_collected' as const } : {}),
      ...(typeof x.denominator === 'string' ? { denominator: x.denominator } : {}),
    };
  };
  const tree = node(value.tree, 0);
  if (!tree) return undefined;
  const denominators = Array.isArray(value.denominators)
    ? value.denominators
        .map((d) => (isMapping(d) && typeof d.code === 'string' ? { code: d.code } : undefined))
        .filter((d): d is { code: string } => d !== undefined)
    : undefined;
  return { tree, denominators };
}

/**
 * When `build:` failed its schema, the steps that are valid on their own are still checked against the
 * framework (unknown codes in overrides and manual weights, levels), each at its own index.
 */
function validSteps(raw: Record<string, unknown>, framework: Framework, file: string): Issue[] {
  const b = raw.build;
  if (!isMapping(b) || !Array.isArray(b.steps)) return [];
  const kept: Array<{ step: BuildSpec['steps'][number]; at: number }> = [];
  b.steps.forEach((step: unknown, at) => {
    const r = StepSpecSchema.safeParse(step);
    if (r.success) kept.push({ step: r.data, at });
  });
  if (!kept.length) return [];
  const issues = checkSpec({ version: 1, steps: kept.map((k) => k.step) }, framework, file);
  return issues.map((i) => ({
    ...i,
    field: i.field?.replace(/^steps\[(\d+)\]/, (_, j: string) => `steps[${kept[Number(j)].at}]`),
  }));
}

/** Options of `assembleProject`. */
export interface AssembleOptions {
  /** The project file, a path in the source (default `project.yaml`; a variant that `extends` another). */
  file?: string;
  /** What `LoadedProject.dir` says (the folder on disk, an upload id…; default ''). */
  dir?: string;
  /** Reads XLSX files (`readXlsxTable` from xlsx-table.ts); without it an .xlsx file is a located error. */
  readXlsx?: XlsxReader;
}

/**
 * Assemble and validate a project from its files, with no file system: the source gives the bytes of
 * each path (`memoryProjectFiles` for a map of contents). Throws one `CityIndexError` listing every
 * problem found (file, row, column, field, expected) if anything is wrong; warnings found on the way
 * travel with it. `loadProject(dir)` is this over the files of a folder.
 * @example
 * import { fsProjectFiles } from './project-fs.ts';
 * // any ProjectFiles: memoryProjectFiles({ 'project.yaml': …, 'units.csv': … }) in a browser
 * const p = await assembleProject(fsProjectFiles('examples/asem'));
 * p.input.units.length // => 51
 */
export async function assembleProject(files: ProjectFiles, options: AssembleOptions = {}): Promise<LoadedProject> {
  const c: Collector = new Collector();
  const src: Source = { files, c, readXlsx: options.readXlsx };
  const dir = options.dir ?? '';
  const projectRel = options.file ?? 'project.yaml';
  const bytes = await readBytes(src, projectRel, dir || projectRel, projectRel);
  if (!bytes) c.fail();
  const own = parseYaml((await c.attempt(() => decodeText(bytes, projectRel)))?.text ?? '', projectRel, c);
  if (c.issues.length) c.fail();
  let raw = own?.value;
  let base: YamlFile | undefined;
  // `allowedRoots:` of the project file itself decide where `extends` may point; the merged list below
  // (a base may list them too) decides every other path.
  src.files = files.withRoots(allowedRootsOf(raw, own, projectRel, c));
  if (c.issues.length) c.fail();
  // `extends: base.yaml`: inherit the base file's settings; keys given here override (one level deep).
  if (
    raw &&
    typeof raw === 'object' &&
    !Array.isArray(raw) &&
    typeof (raw as { extends?: unknown }).extends === 'string'
  ) {
    const baseRel = (raw as { extends: string }).extends;
    const baseBytes = await readBytes(src, baseRel, projectRel, 'extends', yamlLine(own, ['extends']));
    base = baseBytes
      ? parseYaml((await c.attempt(() => decodeText(baseBytes, baseRel)))?.text ?? '', baseRel, c)
      : undefined;
    if (c.issues.length) c.fail();
    const b = base?.value;
    if (b && typeof b === 'object' && !Array.isArray(b)) {
      if ((b as { extends?: unknown }).extends !== undefined)
        throw new CityIndexError({
          code: 'E_EXTENDS',
          message: 'a base project cannot itself extend another',
          file: baseRel,
          row: yamlLine(base, ['extends']),
          field: 'extends',
          expected: 'a base project without extends:',
        });
      const { extends: _omit, ...mine } = raw as Record<string, unknown>;
      const merged: Record<string, unknown> = { ...(b as Record<string, unknown>), ...mine };
      const bb = (b as Record<string, unknown>).build,
        mb = mine.build;
      if (isPlainObject(bb) && isPlainObject(mb)) merged.build = mergeBuild(bb, mb);
      raw = merged;
    }
  }
  if (raw === null || raw === undefined || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new CityIndexError({
      code: 'E_SCHEMA',
      message:
        'the project file must be a mapping of fields (name:, framework:, units:, data:, build: …), found ' +
        (raw === null || raw === undefined
          ? 'an empty file'
          : Array.isArray(raw)
            ? 'a list'
            : `the value ${JSON.stringify(raw)}`),
      file: projectRel,
      row: 1,
      expected: 'name, framework, units, data and build fields (see examples/cdgi-2020/project.yaml)',
    });
  }
  const parsed = safeParseOwnKeys(ProjectFileSchema, raw);
  /** Top-level fields of the project file that failed the schema: what depends on them is not checked. */
  const failed = new Set<string>();
  let project: ProjectFile;
  if (parsed.success) project = parsed.data;
  else {
    c.addAll(schemaIssues(parsed.error, own, projectRel, base, ProjectFileSchema, raw));
    const valid = validFields(raw as Record<string, unknown>);
    project = valid.project;
    valid.failed.forEach((k) => failed.add(k));
  }
  if (base && !own?.doc.hasIn(['allowedRoots']))
    src.files = files.withRoots(allowedRootsOf(base.value, base, base.rel, c));
  const period = project.period !== undefined ? String(project.period) : undefined;
  /** Line in the project file (or its base) of a top-level field. */
  const lineOf = (...path: Array<string | number>): number | undefined =>
    own?.doc.hasIn([path[0]]) || !base ? yamlLine(own, path) : yamlLine(base, path);
  const ownsLater = ['series', 'cases', 'surveys'].some((key) => own?.doc.hasIn([key]));
  const laterYaml = ownsLater || !base ? own : base;
  await checkLaterPaths(src, project, laterYaml, projectRel);

  let framework: Framework | undefined;
  let frameworkFile = projectRel;
  let frameworkYaml: YamlFile | undefined;
  let codeRow: (code: string) => number | undefined = () => undefined;
  let units: Unit[] = [];
  let unitsTable: Table | undefined;
  let store: ValueStore | undefined;
  const history = new Map<string, Map<string, Map<string, number>>>();
  const ignored: Array<{ file: string; column: string }> = [];
  let dataFailed = false;
  let frameworkSchemaFailed = false;
  let unitsFailed = false;
  let denominatorCodes: string[] = [];
  const rowsOfTable = (t: Table, column: string) => {
    const k = col(t, [column]);
    return (code: string) => (k < 0 ? undefined : t.rowNumbers[t.rows.findIndex((r) => r[k] === code)]);
  };

  if (project.coinr) {
    const meta = await readTable(
      src,
      project.coinr.iMeta,
      projectRel,
      'coinr.iMeta',
      undefined,
      lineOf('coinr', 'iMeta'),
    );
    const fw = meta ? frameworkFromTable(meta) : undefined;
    const data = await readTable(
      src,
      project.coinr.iData,
      projectRel,
      'coinr.iData',
      undefined,
      lineOf('coinr', 'iData'),
      fw &&
        numericColumns([
          ...fw.framework.nodes.filter((n) => n.kind === 'indicator').map((n) => n.code),
          ...fw.denominators,
        ]),
    );
    if (meta && fw) {
      c.addAll(fw.issues);
      framework = fw.framework;
      frameworkFile = project.coinr.iMeta;
      codeRow = rowsOfTable(meta, 'iCode');
      if (project.coinr.levelNames) framework.levelNames = project.coinr.levelNames.map((n) => ({ en: n }));
      denominatorCodes = fw.denominators;
      if (data) {
        const indicatorCodes = framework.nodes.filter((n) => n.kind === 'indicator').map((n) => n.code);
        const valueCols = new Set([...indicatorCodes, ...denominatorCodes, 'Time']);
        const u = unitsFromTable(data, valueCols);
        c.addAll(u.issues);
        units = u.units;
        store = new ValueStore(units.map((x) => x.code));
        const wanted = new Set([...indicatorCodes, ...denominatorCodes]);
        readWide(data, wanted, store, c, new Set(['uName', 'Time', ...fw.groups]), ignored);
      }
    }
  } else {
    if (!project.framework && !failed.has('framework'))
      c.add({
        code: 'E_REQUIRED',
        message: 'missing "framework" (a framework.yaml/.csv path or an inline tree)',
        file: projectRel,
        row: 1,
        field: 'framework',
        expected: 'framework: framework.yaml (or a .csv path, or an inline tree)',
      });
    if (!project.units && !failed.has('units'))
      c.add({
        code: 'E_REQUIRED',
        message: 'missing "units" (path of units.csv)',
        file: projectRel,
        row: 1,
        field: 'units',
        expected: 'units: units.csv',
      });
    if (!project.data && !failed.has('data'))
      c.add({
        code: 'E_REQUIRED',
        message: 'missing "data" (path(s) of the data files)',
        file: projectRel,
        row: 1,
        field: 'data',
        expected: 'data: data.csv (or a list of data files)',
      });
    if (typeof project.framework === 'string') {
      const fwRel = project.framework;
      frameworkFile = fwRel;
      if (/\.(csv|xlsx)$/i.test(fwRel)) {
        const t = await readTable(src, fwRel, projectRel, 'framework', undefined, lineOf('framework'));
        if (t) {
          const fw = frameworkFromTable(t);
          c.addAll(fw.issues);
          framework = fw.framework;
          codeRow = rowsOfTable(t, 'iCode');
        }
      } else {
        const fb = await readBytes(src, fwRel, projectRel, 'framework', lineOf('framework'));
        if (fb) {
          frameworkYaml = parseYaml((await c.attempt(() => decodeText(fb, fwRel)))?.text ?? '', fwRel, c);
          if (frameworkYaml) {
            const f = safeParseOwnKeys(FrameworkFileSchema, frameworkYaml.value ?? {});
            if (!f.success) {
              c.addAll(
                schemaIssues(f.error, frameworkYaml, fwRel, undefined, FrameworkFileSchema, frameworkYaml.value ?? {}),
              );
              // the tree's codes and shape, for the checks of the data and the build that need only those
              const tree = treeOutline(frameworkYaml.value);
              if (tree) framework = frameworkFromTree(tree, fwRel).framework;
              frameworkSchemaFailed = true;
            } else {
              const fw = frameworkFromTree(f.data, fwRel);
              c.addAll(fw.issues);
              framework = fw.framework;
            }
          }
        }
      }
    } else if (project.framework) {
      const fw = frameworkFromTree(project.framework, projectRel);
      c.addAll(fw.issues);
      framework = fw.framework;
      frameworkYaml = own?.doc.hasIn(['framework']) || !base ? own : base;
    }
    if (frameworkYaml) {
      const lines = new Map<string, number>();
      const fy = frameworkYaml;
      visit(fy.doc, {
        Pair(_, pair) {
          const k = pair.key as { value?: unknown } | null;
          const v = pair.value as { value?: unknown; range?: [number, number, number] } | null;
          if (k?.value === 'code' && typeof v?.value === 'string' && v.range)
            lines.set(v.value, fy.lines.linePos(v.range[0]).line);
        },
      });
      codeRow = (code) => lines.get(code);
    }
    if (project.units) {
      const t = await readTable(src, project.units, projectRel, 'units', undefined, lineOf('units'));
      if (t) {
        const u = unitsFromTable(t);
        c.addAll(u.issues);
        units = u.units;
        unitsTable = t;
      }
    }
    denominatorCodes = framework?.denominators?.map((d) => d.code) ?? [];
    // Every data file is read (file-level problems are reported even when the framework or units failed).
    const list = project.data === undefined ? [] : Array.isArray(project.data) ? project.data : [project.data];
    const wanted = new Set([
      ...(framework?.nodes.filter((n) => n.kind === 'indicator').map((n) => n.code) ?? []),
      ...denominatorCodes,
    ]);
    const tables: Array<{ spec: Exclude<(typeof list)[number], string> | { file: string }; t: Table }> = [];
    for (const [k, d] of list.entries()) {
      // a `kind: kpi` source is the long-format indicators file `cityindex cases-log kpi` writes
      const spec =
        typeof d === 'string'
          ? { file: d }
          : 'kind' in d
            ? { file: d.file ?? `kpi/${d.caselog}/indicators.csv`, format: 'long' as const }
            : d;
      const t = await readTable(
        src,
        spec.file,
        projectRel,
        Array.isArray(project.data) ? `data[${k}]` : 'data',
        'sheet' in spec ? spec.sheet : undefined,
        Array.isArray(project.data) ? lineOf('data', k) : lineOf('data'),
        numericColumns(wanted),
      );
      if (!t) dataFailed = true;
      else tables.push({ spec, t });
    }
    if (framework && units.length) store = new ValueStore(units.map((u) => u.code));
    else if (framework && !unitsTable && tables.length) {
      // no units list to check the data's units against: the data's own units, so their values are checked
      unitsFailed = true;
      const seen = new Set<string>();
      for (const { t } of tables) {
        const k = col(t, ['unit', ...UNIT_CODE_COLUMNS]);
        if (k >= 0) for (const r of t.rows) if (r[k]) seen.add(cleanCode(r[k]));
      }
      if (seen.size) store = new ValueStore([...seen].sort());
    }
    for (const { spec, t } of tables) {
      if (!store) continue;
      const format =
        ('format' in spec && spec.format) ||
        (col(t, ['indicator', 'iCode']) >= 0 && col(t, ['value']) >= 0 ? 'long' : 'wide');
      if (format === 'long') readLong(t, wanted, store, period, history, c);
      else
        readWide(
          t,
          wanted,
          store,
          c,
          new Set(['name_zh', 'name_en', 'name', 'uName', 'province', ...(t === unitsTable ? t.header : [])]),
          ignored,
        );
    }
  }
  if (store) c.addAll(store.issues());
  if (!framework) {
    if (!c.issues.length)
      c.add({
        code: 'E_FRAMEWORK',
        message: 'no framework could be read / 无法读取指标体系',
        file: projectRel,
        field: 'framework',
        expected: 'a framework.yaml / framework.csv path or an inline tree',
      });
    c.fail();
  }
  /** A data file that could not be read would make its indicators look empty: those checks wait. */
  const dataComplete = !dataFailed && !unitsFailed && store !== undefined;
  const surveys = store && units.length ? await readSurveys(src, project, projectRel, framework, units, store) : [];

  const located = (i: Issue): Issue =>
    i.file === frameworkFile && i.row === undefined && i.indicator ? { ...i, row: codeRow(i.indicator) } : i;
  // the framework's own structure checks need its valid schema (an outline may lack nodes)
  if (!frameworkSchemaFailed) c.addAll(checkFramework(framework, frameworkFile).map(located));
  if (units.length === 0 && !unitsFailed && (unitsTable || project.coinr))
    c.add({
      code: 'E_NO_UNITS',
      message: 'the project has no units / 项目没有评价对象',
      file: project.units ?? project.coinr?.iData ?? projectRel,
      expected: 'one row per unit in the units file',
    });
  units.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  const unitCodes = units.map((u) => u.code);
  const indicators = framework.nodes.filter((n) => n.kind === 'indicator' && n.status !== 'not_collected');
  const gaps = framework.nodes.filter((n) => n.kind === 'indicator' && n.status === 'not_collected');
  const denomSet = new Set(denominatorCodes);
  for (const n of indicators) {
    if (dataComplete && store?.available(n.code) === 0) {
      const near = ignored.filter((x) => didYouMean(x.column, [n.code]) !== undefined);
      const typo = (x: { file: string; column: string }) =>
        `${x.file} has a column "${x.column}" — a typo? / 数据文件中的列名 "${x.column}" 是否拼写有误？`;
      const also = near.length ? `; ${near.map(typo).join('; ')}` : '';
      c.add(
        located({
          code: 'E_EMPTY_COLUMN',
          message:
            `indicator "${n.code}" has no values in any data file ` +
            `(give data, or mark it status: not_collected)${also}`,
          indicator: n.code,
          file: frameworkFile,
          expected: `a column "${n.code}" with values in a data file, or status: not_collected`,
        }),
      );
    }
    if (n.denominator && !denomSet.has(n.denominator))
      c.add(
        located({
          code: 'E_UNKNOWN_DENOMINATOR',
          message:
            `denominator "${n.denominator}" of "${n.code}" is not declared` +
            hint(didYouMean(n.denominator, denominatorCodes)),
          file: frameworkFile,
          indicator: n.code,
          field: 'denominator',
          expected: `one of: ${denominatorCodes.join(', ') || '(none declared)'}`,
        }),
      );
  }
  for (const n of gaps) {
    if (store && store.available(n.code) > 0)
      c.warnings.push(
        located({
          code: 'W_GAP_HAS_DATA',
          message:
            `indicator "${n.code}" is marked status: not_collected, but the data give ${store.available(n.code)} ` +
            'values for it; they are not used (remove the status to use them)',
          file: frameworkFile,
          indicator: n.code,
          severity: 'warning',
        }),
      );
  }
  // the build is checked against the framework's codes and levels when its own fields are valid
  const spec: BuildSpec | undefined = project.build
    ? {
        version: 1,
        steps: project.build.steps as BuildSpec['steps'],
        seed: project.build.seed,
        ...(project.build.tieTolerance !== undefined ? { tieTolerance: project.build.tieTolerance } : {}),
      }
    : undefined;
  const specIssues = spec
    ? checkSpec(spec, framework, projectRel)
    : validSteps(raw as Record<string, unknown>, framework, projectRel);
  for (const i of specIssues) {
    const field = i.field ? `build.${i.field}` : 'build';
    c.add({ ...i, field, row: i.row ?? lineOf(...fieldPath(field)) });
  }
  // Without an aggregate step the build gives indicator scores and no index: refuse it rather than write an
  // index-less results.csv (e.g. a variant whose `build.steps` replaced the base's pipeline).
  if (spec && topLevel(framework) >= 2 && !spec.steps.some((st) => st.kind === 'aggregate'))
    c.add({
      code: 'E_NO_AGGREGATE',
      message:
        `build.steps has no aggregate step (steps: ${spec.steps.map((st) => st.id).join(', ') || 'none'}), ` +
        'so no score reaches the index',
      file: projectRel,
      field: 'build.steps',
      row: lineOf('build', 'steps'),
      expected:
        "an aggregate step, e.g. { id: aggregate, kind: aggregate } (a variant's steps merge with its base's by id)",
    });
  if (c.issues.length || !store || !spec) c.fail();

  // Denominators: data columns first, else numeric unit attributes with the same code.
  for (const d of denominatorCodes) {
    if (store.has(d)) continue;
    for (const u of units) {
      const v = u.attributes[d];
      if (v !== undefined) store.put(d, store.unitIndex(u.code)!, v ?? NaN, project.units ?? '', 0, d);
    }
  }
  const rawDs = store.dataset(
    unitCodes,
    indicators.map((n) => n.code),
  );
  const denominators = denominatorCodes.length ? store.dataset(unitCodes, denominatorCodes) : undefined;
  const periods = [...history.keys()].sort();
  const historyList = periods.map((p) => ({
    period: p,
    dataset: historyDataset(
      unitCodes,
      indicators.map((n) => n.code),
      history.get(p)!,
    ),
  }));

  const loaded: LoadedProject = {
    dir,
    file: projectRel,
    surveys,
    project,
    spec,
    gaps,
    valueSources: store.sources,
    files: c.files,
    warnings: c.warnings,
    input: { framework, units, raw: rawDs, denominators, history: historyList.length ? historyList : undefined },
  };
  buildSources.set(spec, own?.doc.hasIn(['build']) || !base ? own : base);
  return loaded;
}

/**
 * Run the surveys marked `use: true` and put their city estimates into the data as indicator values
 * (each value's source names the survey; a simulated survey says so). An indicator listed as
 * `not_collected` in the framework becomes collected by the survey.
 */
async function readSurveys(
  src: Source,
  project: ProjectFile,
  projectRel: string,
  framework: Framework,
  units: Unit[],
  store: ValueStore,
): Promise<SurveyInput[]> {
  const { files, c } = src;
  const list =
    project.surveys === undefined ? [] : Array.isArray(project.surveys) ? project.surveys : [project.surveys];
  const used = list
    .map((x, k) => ({ entry: typeof x === 'string' ? { config: x } : x, k }))
    .filter(({ entry }) => 'use' in entry && entry.use);
  if (used.length === 0) return [];
  const out: SurveyInput[] = [];
  const unitCodes = units.map((u) => u.code).sort();
  for (const { entry, k } of used) {
    const config = files.resolve(entry.config);
    if (!config.ok) continue; // reported by checkLaterPaths
    const read = () => readSurvey(files, config.path, { readXlsx: src.readXlsx });
    const run = await c.attempt(async () => runLoadedSurvey(await read()));
    if (!run) continue;
    const est = alignEstimates(run.result.estimates, unitCodes);
    const title = surveyTitle(run.survey.config, 'zh');
    const id = ('id' in entry && entry.id) || run.survey.config.id;
    const supplied: string[] = [];
    est.dataset.codes.forEach((code, j) => {
      const node = framework.nodes.find((n) => n.code === code && n.kind === 'indicator');
      if (!node) return;
      if (store.has(code)) {
        c.add({
          code: 'E_CONFLICT',
          message: `indicator "${code}" has values in a data file and from survey "${id}"`,
          file: projectRel,
          field: `surveys[${k}]`,
          indicator: code,
          expected: 'each indicator from one source: a data file or a survey',
        });
        return;
      }
      const source = `survey ${id}${run.survey.config.simulated ? ` (${SIMULATED_LABEL})` : ''}`;
      unitCodes.forEach((u, i) => {
        const v = est.dataset.values[j * unitCodes.length + i];
        if (!Number.isNaN(v)) store.put(code, store.unitIndex(u)!, v, entry.config, 0, code, source);
      });
      node.status = 'collected';
      node.source = {
        ...(node.source ?? {}),
        name: title,
        file: entry.config,
        notes: run.survey.config.simulated ? SIMULATED_LABEL : node.source?.notes,
      };
      supplied.push(code);
    });
    if (supplied.length === 0)
      c.warnings.push({
        code: 'W_SURVEY_UNUSED',
        message: `survey "${id}" supplies none of the framework's indicators`,
        file: projectRel,
        field: `surveys[${k}]`,
        severity: 'warning',
      });
    const pick = (ds: Dataset) =>
      createDataset(
        ds.unitCodes,
        supplied,
        Float64Array.from(
          supplied.flatMap((code) =>
            Array.from(
              ds.values.subarray(
                ds.codes.indexOf(code) * ds.unitCodes.length,
                (ds.codes.indexOf(code) + 1) * ds.unitCodes.length,
              ),
            ),
          ),
        ),
      );
    out.push({
      id,
      title,
      simulated: Boolean(run.survey.config.simulated),
      indicators: supplied,
      lower: pick(est.lower),
      upper: pick(est.upper),
      n: pick(est.n),
      underMinimum: est.flags.map((f) => ({ city: f.city, n: f.n, minSample: f.minSample })),
    });
  }
  return out;
}

/** Sources of each indicator (framework `source`), for lineage and the report. */
export function indicatorSources(fw: Framework): Record<string, SourceRef | undefined> {
  const out: Record<string, SourceRef | undefined> = Object.create(null);
  for (const n of fw.nodes) if (n.kind === 'indicator') out[n.code] = n.source;
  return out;
}

/**
 * The YAML file that holds each assembled project's `build:` (the project file, or its base through
 * `extends`), keyed by the project's spec object: build errors are located in it without reading the
 * file again. A spec made elsewhere (not assembled here) has none: its errors keep the project file.
 */
const buildSources = new WeakMap<BuildSpec, YamlFile | undefined>();

/**
 * Index of the step whose run fails, found by replaying the build one step at a time (each replay
 * runs one more step on top of the last: the build's cost once more); -1 when the failure is in no
 * step (the input before any step, or the spec as a whole).
 */
function failingStep(input: BuildInput, spec: BuildSpec): number {
  let previous: Build;
  try {
    previous = build(input, { ...spec, steps: [] });
  } catch (e) {
    if (e instanceof CityIndexError) return -1;
    throw e;
  }
  for (let k = 0; k < spec.steps.length; k++) {
    try {
      previous = regenerate(previous, { ...spec, steps: spec.steps.slice(0, k + 1) });
    } catch (e) {
      if (e instanceof CityIndexError) return k;
      throw e;
    }
  }
  return -1;
}

/**
 * Build a loaded project, with every build error located in the project file: the step that failed
 * (`build.steps[k].options.<field>`) and its line (in the base file when the steps are inherited
 * through `extends`). The engine knows neither the file nor the line; this adds them from the YAML
 * kept by `assembleProject` (no file is read again, no message parsed).
 * @example
 * import { loadProject } from './index.ts';
 * const b = await buildProject(await loadProject('examples/asem'));
 * b.results.indexCode // => 'Index'
 */
export async function buildProject(p: LoadedProject): Promise<Build> {
  try {
    return build(p.input, p.spec);
  } catch (e) {
    if (!(e instanceof CityIndexError)) throw e;
    if (e.issues.every((i) => i.file)) throw e;
    const k = failingStep(p.input, p.spec);
    const y = buildSources.get(p.spec);
    throw new CityIndexError(
      e.issues.map((i) => {
        if (i.file || k < 0) return i;
        const field =
          i.field === undefined || /^steps\[/.test(i.field)
            ? `build.${i.field ?? `steps[${k}]`}`
            : `build.steps[${k}].options.${i.field}`;
        const path = fieldPath(field);
        const line = yamlLine(y, y?.doc.hasIn(path) ? path : path.slice(0, 3));
        const given = y?.doc.getIn(path);
        // the engine lists allowed values only as text in `expected` ("one of: a, b"): the candidates
        const candidates = i.expected?.replace(/^one of:?\s*/, '').split(/,\s*|\s*\|\s*|\s+or\s+/) ?? [];
        const near = typeof given === 'string' ? didYouMean(given, candidates) : undefined;
        return { ...i, file: y?.rel ?? p.file, row: line, field, message: i.message + hint(near) };
      }),
      e.message,
    );
  }
}

export { memoryProjectFiles, didYouMean, editDistance };

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}

/**
 * A variant's `build:` over its base's: settings one level deep, and `steps` merged by id — a step with the
 * id of a base step replaces it in place, a new id is inserted before the next step the variant shares with
 * the base (or after the last shared one, or at the end). So a variant lists only the steps it changes.
 * @example
 * const base = { seed: 1, steps: [{ id: 'impute' }, { id: 'normalise', n: 1 }, { id: 'aggregate' }] };
 * mergeBuild(base, { steps: [{ id: 'normalise', n: 2 }] }).steps
 * // => [{ id: 'impute' }, { id: 'normalise', n: 2 }, { id: 'aggregate' }]
 * mergeBuild(base, { steps: [{ id: 'treat' }, { id: 'normalise', n: 2 }] }).steps?.map((x) => x.id)
 * // => ['impute', 'treat', 'normalise', 'aggregate']
 */
export function mergeBuild(
  base: Record<string, unknown>,
  own: Record<string, unknown>,
): Record<string, unknown> & { steps?: Array<Record<string, unknown>> } {
  const out: Record<string, unknown> = { ...base, ...own };
  const bs = base.steps,
    os = own.steps;
  if (!Array.isArray(bs) || !Array.isArray(os)) return out;
  const idOf = (x: unknown) => (isPlainObject(x) && typeof x.id === 'string' ? x.id : undefined);
  const steps: unknown[] = [...bs];
  const pos = (id: string | undefined) => (id === undefined ? -1 : steps.findIndex((x) => idOf(x) === id));
  let cursor = -1; // index after which an unmatched step goes when no later shared step follows
  os.forEach((st, k) => {
    const at = pos(idOf(st));
    if (at >= 0) {
      steps[at] = st;
      cursor = at;
      return;
    }
    let next = -1;
    for (const later of os.slice(k + 1)) {
      next = pos(idOf(later));
      if (next >= 0) break;
    }
    const where = next >= 0 ? next : cursor >= 0 ? cursor + 1 : steps.length;
    steps.splice(where, 0, st);
    cursor = where;
  });
  out.steps = steps;
  return out as Record<string, unknown> & { steps?: Array<Record<string, unknown>> };
}
