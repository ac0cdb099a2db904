/**
 * Load a project folder (project.yaml + framework + units + data, or COINr iData/iMeta) into a
 * `BuildInput` and a `BuildSpec`, collecting every problem with its file, row and column before
 * failing. Nothing is written.
 */
import { readFile, stat } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join, relative, extname, dirname, basename } from 'node:path';
import { parseDocument } from 'yaml';
import { CityIndexError, type Issue } from '../engine/core/errors.ts';
import { createDataset, type Dataset } from '../engine/core/dataset.ts';
import { checkFramework, type Framework, type FrameworkNode, type LocalText, type SourceRef, type Unit } from '../engine/core/framework.ts';
import { zodIssues } from '../engine/core/zod-issues.ts';
import type { BuildInput } from '../engine/build/build.ts';
import type { BuildSpec } from '../engine/build/spec.ts';
import { checkSpec } from '../engine/build/check-spec.ts';
import { FrameworkFileSchema, ProjectFileSchema, type FrameworkFile, type FrameworkTreeNode, type ProjectFile } from './project-schema.ts';
import { decodeText, parseCsvTable, parseNumberCell, readXlsxTable, type Table } from './table.ts';

export interface InputFile { path: string; sha256: string; bytes: number }

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
    else if (n === MAX_ISSUES_PER_FILE + 1) this.issues.push({ code: 'E_TOO_MANY', message: `more problems in this file not shown (first ${MAX_ISSUES_PER_FILE} listed)`, file: issue.file });
  }
  addAll(list: Issue[]): void { list.forEach((i) => this.add(i)); }
  /** Run `fn`, turning a CityIndexError into collected issues; returns undefined on failure. */
  async attempt<T>(fn: () => Promise<T> | T): Promise<T | undefined> {
    try { return await fn(); } catch (e) {
      if (e instanceof CityIndexError) { this.addAll(e.issues); return undefined; }
      throw e;
    }
  }
}

async function readBytes(dir: string, rel: string, c: Collector, referencedFrom: string, field: string): Promise<Uint8Array | undefined> {
  const path = join(dir, rel);
  try {
    const s = await stat(path);
    if (!s.isFile()) throw new Error('not a file');
    const bytes = new Uint8Array(await readFile(path));
    c.files.push({ path: rel, sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length });
    return bytes;
  } catch {
    c.add({ code: 'E_FILE_MISSING', message: `file "${rel}" not found`, file: referencedFrom, field, expected: 'a path relative to the project folder' });
    return undefined;
  }
}

async function readTable(dir: string, rel: string, c: Collector, from: string, field: string, sheet?: string): Promise<Table | undefined> {
  const bytes = await readBytes(dir, rel, c, from, field);
  if (!bytes) return undefined;
  const ext = extname(rel).toLowerCase();
  return c.attempt(async () => {
    if (ext === '.xlsx') return readXlsxTable(bytes, rel, sheet);
    if (ext !== '.csv' && ext !== '.txt' && ext !== '.tsv') throw new CityIndexError({ code: 'E_FORMAT', message: `unsupported data file type "${ext}"`, file: from, field, expected: '.csv or .xlsx' });
    const { text, warnings } = decodeText(bytes, rel);
    c.warnings.push(...warnings);
    return parseCsvTable(text, rel);
  });
}

function parseYaml(text: string, file: string, c: Collector): unknown {
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length) {
    for (const e of doc.errors) c.add({ code: 'E_YAML', message: e.message.split('\n')[0], file, row: e.linePos?.[0]?.line });
    return undefined;
  }
  return doc.toJS({ maxAliasCount: 100 });
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
    if (depth > 50) { issues.push({ code: 'E_DEPTH', message: 'framework tree deeper than 50 levels', file, indicator: t.code }); return 1; }
    const node: FrameworkNode = {
      code: t.code, name: localText(t.name, t.code), level: 1, parent, kind: t.children?.length ? 'aggregate' : 'indicator',
      weight: t.weight ?? 1, direction: t.direction ?? 1, unit: t.unit, source: t.source, denominator: t.denominator,
      scaleFactor: t.scaleFactor, target: t.target, goalposts: t.goalposts, status: t.status, notes: t.notes,
    };
    nodes.push(node);
    if (!t.children?.length) return 1;
    const heights = t.children.map((ch) => walk(ch, t.code, depth + 1));
    node.level = Math.max(...heights) + 1;
    if (new Set(heights).size > 1) issues.push({ code: 'E_UNBALANCED', message: `the children of "${t.code}" sit at different depths (${[...new Set(heights)].join(', ')} levels below); every indicator must be the same number of levels below the index`, file, indicator: t.code });
    return node.level;
  };
  walk(f.tree, null, 0);
  // Nodes whose children are all not_collected are gaps too; keep them but mark.
  return {
    framework: {
      nodes,
      levelNames: f.levelNames?.map((n) => localText(n, '')),
      denominators: f.denominators?.map((d) => ({ code: d.code, name: localText(d.name, d.code), unit: d.unit, source: d.source })),
    },
    issues,
  };
}

function col(t: Table, names: string[]): number {
  for (const n of names) { const k = t.header.findIndex((h) => h.toLowerCase() === n.toLowerCase()); if (k >= 0) return k; }
  return -1;
}

/** Framework from an iMeta-like table (COINr columns: Level, iCode, iName, Direction, Weight, Parent, Type, …). */
export function frameworkFromTable(t: Table): { framework: Framework; groups: string[]; denominators: string[]; issues: Issue[] } {
  const issues: Issue[] = [];
  const need = ['iCode', 'Type'];
  for (const n of need) if (col(t, [n]) < 0) issues.push({ code: 'E_MISSING_COLUMN', message: `missing column "${n}"`, file: t.file, row: 1, column: n });
  if (issues.length) return { framework: { nodes: [] }, groups: [], denominators: [], issues };
  const k = (n: string) => col(t, [n]);
  const nodes: FrameworkNode[] = [];
  const groups: string[] = [];
  const denoms: Array<{ code: string; name: LocalText; unit?: string }> = [];
  const knownCols = new Set(['level', 'icode', 'iname', 'direction', 'weight', 'unit', 'target', 'denominator', 'parent', 'type', 'name_zh', 'name_en', 'scalefactor']);
  t.rows.forEach((r, idx) => {
    const row = t.rowNumbers[idx];
    const get = (n: string) => (k(n) >= 0 ? r[k(n)] : '');
    const num = (n: string, dflt?: number): number | undefined => {
      const s = get(n);
      if (s === '' || s === 'NA') return dflt;
      const p = parseNumberCell(s);
      if (p.error) { issues.push({ code: 'E_NOT_NUMBER', message: p.error, file: t.file, row, column: n }); return dflt; }
      return p.value;
    };
    const code = get('iCode');
    const type = get('Type');
    if (!code) { issues.push({ code: 'E_EMPTY_CELL', message: 'empty iCode', file: t.file, row, column: 'iCode' }); return; }
    const name: LocalText = { en: get('iName') || get('name_en') || undefined, zh: get('name_zh') || undefined };
    if (type === 'Group') { groups.push(code); return; }
    if (type === 'Denominator') { denoms.push({ code, name, unit: get('Unit') || undefined }); return; }
    if (type === 'Other') return;
    if (type !== 'Indicator' && type !== 'Aggregate') { issues.push({ code: 'E_TYPE', message: `unknown Type "${type}"`, file: t.file, row, column: 'Type', expected: 'Indicator, Aggregate, Group, Denominator or Other' }); return; }
    const level = num('Level');
    if (level === undefined || !Number.isInteger(level) || level < 1) { issues.push({ code: 'E_LEVEL', message: `Level must be a positive integer, found "${get('Level')}"`, file: t.file, row, column: 'Level' }); return; }
    const dir = num('Direction', 1);
    if (dir !== 1 && dir !== -1) issues.push({ code: 'E_DIRECTION', message: `Direction must be 1 or -1, found "${get('Direction')}"`, file: t.file, row, column: 'Direction', expected: '1 or -1' });
    const extras: Record<string, string | number | null> = {};
    t.header.forEach((h, c) => { if (!knownCols.has(h.toLowerCase())) { const p = parseNumberCell(r[c]); extras[h] = r[c] === '' ? null : p.error ? r[c] : p.value; } });
    nodes.push({
      code, name, level, parent: get('Parent') || null, kind: type === 'Indicator' ? 'indicator' : 'aggregate',
      weight: num('Weight', 1) ?? 1, direction: dir === -1 ? -1 : 1, unit: get('Unit') || undefined,
      target: num('Target'), denominator: get('Denominator') || undefined, scaleFactor: num('ScaleFactor'),
      extras: Object.keys(extras).length ? extras : undefined,
    });
  });
  // COINr order: indicators in row order; aggregates sorted by (Level, Parent) is only for display.
  return { framework: { nodes, denominators: denoms }, groups, denominators: denoms.map((d) => d.code), issues };
}

/** Units from a table with `code` (or uCode/adcode), `name_zh`, `name_en` (or uName); text columns → groups, numeric → attributes. */
export function unitsFromTable(t: Table, skipColumns: Set<string> = new Set()): { units: Unit[]; issues: Issue[] } {
  const issues: Issue[] = [];
  const codeCol = col(t, ['code', 'uCode', 'adcode', 'unit']);
  if (codeCol < 0) return { units: [], issues: [{ code: 'E_MISSING_COLUMN', message: 'missing unit code column', file: t.file, row: 1, column: 'code', expected: 'a column named code (or uCode / adcode)' }] };
  const zh = col(t, ['name_zh']);
  const en = col(t, ['name_en', 'uName', 'name']);
  const other = t.header.map((h, k) => ({ h, k })).filter(({ h, k }) => k !== codeCol && k !== zh && k !== en && !skipColumns.has(h));
  const numeric = new Set(other.filter(({ k }) => t.rows.some((r) => r[k] !== '') && t.rows.every((r) => !parseNumberCell(r[k]).error)).map(({ h }) => h));
  const seen = new Map<string, number>();
  const units: Unit[] = [];
  t.rows.forEach((r, idx) => {
    const row = t.rowNumbers[idx];
    const code = r[codeCol];
    if (!code) { issues.push({ code: 'E_EMPTY_CELL', message: 'empty unit code', file: t.file, row, column: t.header[codeCol] }); return; }
    if (seen.has(code)) { issues.push({ code: 'E_DUPLICATE_UNIT', message: `duplicate unit code "${code}" (first on row ${seen.get(code)})`, file: t.file, row, column: t.header[codeCol] }); return; }
    seen.set(code, row);
    const u: Unit = { code, name: { zh: zh >= 0 ? r[zh] || undefined : undefined, en: en >= 0 ? r[en] || undefined : undefined }, groups: {}, attributes: {} };
    for (const { h, k } of other) {
      if (numeric.has(h)) { const v = parseNumberCell(r[k]).value; u.attributes[h] = Number.isNaN(v) ? null : v; } else u.groups[h] = r[k] === '' ? null : r[k];
    }
    units.push(u);
  });
  return { units, issues };
}

interface ValueCell { value: number; file: string; row: number; source?: string }

/** Read values from a wide table into `cells[code][unit]`; unknown units/duplicates/bad numbers are issues. */
function readWide(t: Table, wanted: Set<string>, unitSet: Set<string>, cells: Map<string, Map<string, ValueCell>>, c: Collector, ignoreColumns: Set<string>): void {
  const codeCol = col(t, ['code', 'uCode', 'adcode', 'unit']);
  if (codeCol < 0) { c.add({ code: 'E_MISSING_COLUMN', message: 'missing unit code column', file: t.file, row: 1, column: 'code', expected: 'a column named code (or uCode / adcode)' }); return; }
  const cols = t.header.map((h, k) => ({ h, k })).filter(({ h, k }) => k !== codeCol && wanted.has(h));
  const ignored = t.header.filter((h, k) => k !== codeCol && !wanted.has(h) && !ignoreColumns.has(h));
  if (ignored.length) c.warnings.push({ code: 'W_IGNORED_COLUMNS', message: `columns not in the framework are ignored: ${ignored.slice(0, 12).join(', ')}${ignored.length > 12 ? ' …' : ''}`, file: t.file, severity: 'warning' });
  const seenRows = new Map<string, number>();
  t.rows.forEach((r, idx) => {
    const row = t.rowNumbers[idx];
    const unit = r[codeCol];
    if (!unitSet.has(unit)) { c.add({ code: 'E_UNKNOWN_UNIT', message: `unit "${unit}" is not in the units list`, file: t.file, row, column: t.header[codeCol] }); return; }
    if (seenRows.has(unit)) { c.add({ code: 'E_DUPLICATE_UNIT', message: `unit "${unit}" appears twice (first on row ${seenRows.get(unit)})`, file: t.file, row, column: t.header[codeCol] }); return; }
    seenRows.set(unit, row);
    for (const { h, k } of cols) {
      const p = parseNumberCell(r[k]);
      if (p.error) { c.add({ code: 'E_NOT_NUMBER', message: p.error, file: t.file, row, column: h, unit, expected: 'a number, or empty / NA for missing' }); continue; }
      putCell(cells, h, unit, { value: p.value, file: t.file, row }, c, h);
    }
  });
}

function putCell(cells: Map<string, Map<string, ValueCell>>, code: string, unit: string, cell: ValueCell, c: Collector, column: string): void {
  let m = cells.get(code);
  if (!m) { m = new Map(); cells.set(code, m); }
  const prev = m.get(unit);
  if (prev && !(Number.isNaN(prev.value) && Number.isNaN(cell.value))) {
    c.add({ code: 'E_CONFLICT', message: `value for unit "${unit}", indicator "${code}" is given twice (also ${prev.file}:${prev.row})`, file: cell.file, row: cell.row, column, unit, indicator: code });
    return;
  }
  m.set(unit, cell);
}

function readLong(t: Table, wanted: Set<string>, unitSet: Set<string>, period: string | undefined, cells: Map<string, Map<string, ValueCell>>, history: Map<string, Map<string, Map<string, number>>>, c: Collector): void {
  const uc = col(t, ['unit', 'code', 'uCode', 'adcode']);
  const ic = col(t, ['indicator', 'iCode']);
  const vc = col(t, ['value']);
  const pc = col(t, ['period', 'year', 'Time']);
  const sc = col(t, ['source']);
  for (const [k, n] of [[uc, 'unit'], [ic, 'indicator'], [vc, 'value']] as const) if (k < 0) c.add({ code: 'E_MISSING_COLUMN', message: `missing column "${n}" (long format)`, file: t.file, row: 1, column: n });
  if (uc < 0 || ic < 0 || vc < 0) return;
  t.rows.forEach((r, idx) => {
    const row = t.rowNumbers[idx];
    const unit = r[uc];
    const ind = r[ic];
    if (!unitSet.has(unit)) { c.add({ code: 'E_UNKNOWN_UNIT', message: `unit "${unit}" is not in the units list`, file: t.file, row, column: t.header[uc] }); return; }
    if (!wanted.has(ind)) { c.add({ code: 'E_UNKNOWN_CODE', message: `indicator "${ind}" is not in the framework`, file: t.file, row, column: t.header[ic], expected: 'an indicator or denominator code' }); return; }
    const p = parseNumberCell(r[vc]);
    if (p.error) { c.add({ code: 'E_NOT_NUMBER', message: p.error, file: t.file, row, column: t.header[vc], unit, indicator: ind }); return; }
    const per = pc >= 0 ? r[pc] : undefined;
    if (per && period && per !== period) {
      if (per > period) return; // later periods are not used by this edition
      let byPeriod = history.get(per);
      if (!byPeriod) { byPeriod = new Map(); history.set(per, byPeriod); }
      let m = byPeriod.get(ind);
      if (!m) { m = new Map(); byPeriod.set(ind, m); }
      m.set(unit, p.value);
      return;
    }
    putCell(cells, ind, unit, { value: p.value, file: t.file, row, source: sc >= 0 ? r[sc] || undefined : undefined }, c, t.header[vc]);
  });
}

function toDataset(unitCodes: string[], codes: string[], cells: Map<string, Map<string, ValueCell>> | Map<string, Map<string, number>>): Dataset {
  const n = unitCodes.length;
  const values = new Float64Array(n * codes.length).fill(NaN);
  codes.forEach((code, j) => {
    const m = cells.get(code) as Map<string, ValueCell | number> | undefined;
    if (!m) return;
    unitCodes.forEach((u, i) => { const v = m.get(u); if (v !== undefined) values[j * n + i] = typeof v === 'number' ? v : v.value; });
  });
  return createDataset(unitCodes, codes, values);
}

/**
 * Load and validate a project folder. Throws one `CityIndexError` listing every problem found
 * (file, row, column, field, expected) if anything is wrong.
 * `path` is a project folder (reads project.yaml) or a project file in it (e.g. a variant that `extends`).
 * @example const p = await loadProject('examples/asem'); p.input.units.length // => 51
 */
export async function loadProject(path: string): Promise<LoadedProject> {
  const c = new Collector();
  let dir = path;
  let projectRel = 'project.yaml';
  if (/\.ya?ml$/i.test(path)) {
    // a project file other than project.yaml (e.g. a variant that `extends` it)
    dir = dirname(path);
    projectRel = basename(path);
  } else {
    for (const name of ['project.yaml', 'project.yml']) {
      try { await stat(join(dir, name)); projectRel = name; break; } catch { /* try next */ }
    }
  }
  const bytes = await readBytes(dir, projectRel, c, relative(process.cwd(), dir) || '.', projectRel);
  if (!bytes) throw new CityIndexError(c.issues);
  let raw = parseYaml((await c.attempt(() => decodeText(bytes!, projectRel)))?.text ?? '', projectRel, c);
  if (c.issues.length) throw new CityIndexError(c.issues);
  // `extends: base.yaml`: inherit the base file's settings; keys given here override (one level deep).
  if (raw && typeof raw === 'object' && !Array.isArray(raw) && typeof (raw as { extends?: unknown }).extends === 'string') {
    const baseRel = (raw as { extends: string }).extends;
    const baseBytes = await readBytes(dir, baseRel, c, projectRel, 'extends');
    const base = baseBytes ? parseYaml((await c.attempt(() => decodeText(baseBytes, baseRel)))?.text ?? '', baseRel, c) : undefined;
    if (c.issues.length) throw new CityIndexError(c.issues);
    if (base && typeof base === 'object' && !Array.isArray(base)) {
      if ((base as { extends?: unknown }).extends !== undefined) throw new CityIndexError({ code: 'E_EXTENDS', message: 'a base project cannot itself extend another', file: baseRel, field: 'extends' });
      const { extends: _omit, ...own } = raw as Record<string, unknown>;
      raw = { ...(base as Record<string, unknown>), ...own };
    }
  }
  const parsed = ProjectFileSchema.safeParse(raw ?? {});
  if (!parsed.success) throw new CityIndexError(zodIssues(parsed.error, projectRel));
  const project = parsed.data;
  const period = project.period !== undefined ? String(project.period) : undefined;

  let framework: Framework | undefined;
  let units: Unit[] = [];
  const cells = new Map<string, Map<string, ValueCell>>();
  const history = new Map<string, Map<string, Map<string, number>>>();
  let denominatorCodes: string[] = [];

  if (project.coinr) {
    const meta = await readTable(dir, project.coinr.iMeta, c, projectRel, 'coinr.iMeta');
    const data = await readTable(dir, project.coinr.iData, c, projectRel, 'coinr.iData');
    if (meta && data) {
      const fw = frameworkFromTable(meta);
      c.addAll(fw.issues);
      framework = fw.framework;
      if (project.coinr.levelNames) framework.levelNames = project.coinr.levelNames.map((n) => ({ en: n }));
      denominatorCodes = fw.denominators;
      const indicatorCodes = framework.nodes.filter((n) => n.kind === 'indicator').map((n) => n.code);
      const valueCols = new Set([...indicatorCodes, ...denominatorCodes, 'Time']);
      const u = unitsFromTable(data, valueCols);
      c.addAll(u.issues);
      units = u.units;
      const wanted = new Set([...indicatorCodes, ...denominatorCodes]);
      readWide(data, wanted, new Set(units.map((x) => x.code)), cells, c, new Set(['uName', 'Time', ...fw.groups]));
    }
  } else {
    if (!project.framework) c.add({ code: 'E_REQUIRED', message: 'missing "framework" (a framework.yaml/.csv path or an inline tree)', file: projectRel, field: 'framework' });
    if (!project.units) c.add({ code: 'E_REQUIRED', message: 'missing "units" (path of units.csv)', file: projectRel, field: 'units' });
    if (!project.data) c.add({ code: 'E_REQUIRED', message: 'missing "data" (path(s) of the data files)', file: projectRel, field: 'data' });
    if (typeof project.framework === 'string') {
      const fwRel = project.framework;
      if (/\.(csv|xlsx)$/i.test(fwRel)) {
        const t = await readTable(dir, fwRel, c, projectRel, 'framework');
        if (t) { const fw = frameworkFromTable(t); c.addAll(fw.issues); framework = fw.framework; }
      } else {
        const fb = await readBytes(dir, fwRel, c, projectRel, 'framework');
        if (fb) {
          const y = parseYaml((await c.attempt(() => decodeText(fb, fwRel)))?.text ?? '', fwRel, c);
          if (y !== undefined) {
            const f = FrameworkFileSchema.safeParse(y);
            if (!f.success) c.addAll(zodIssues(f.error, fwRel));
            else { const fw = frameworkFromTree(f.data, fwRel); c.addAll(fw.issues); framework = fw.framework; }
          }
        }
      }
    } else if (project.framework) {
      const fw = frameworkFromTree(project.framework, projectRel);
      c.addAll(fw.issues);
      framework = fw.framework;
    }
    if (project.units) {
      const t = await readTable(dir, project.units, c, projectRel, 'units');
      if (t) { const u = unitsFromTable(t); c.addAll(u.issues); units = u.units; }
    }
    denominatorCodes = framework?.denominators?.map((d) => d.code) ?? [];
    if (framework && units.length && project.data) {
      const unitSet = new Set(units.map((u) => u.code));
      const wanted = new Set([...framework.nodes.filter((n) => n.kind === 'indicator').map((n) => n.code), ...denominatorCodes]);
      const list = Array.isArray(project.data) ? project.data : [project.data];
      for (const [k, d] of list.entries()) {
        const spec = typeof d === 'string' ? { file: d } : d;
        const t = await readTable(dir, spec.file, c, projectRel, `data[${k}]`, 'sheet' in spec ? spec.sheet : undefined);
        if (!t) continue;
        const format = ('format' in spec && spec.format) || (col(t, ['indicator', 'iCode']) >= 0 && col(t, ['value']) >= 0 ? 'long' : 'wide');
        if (format === 'long') readLong(t, wanted, unitSet, period, cells, history, c);
        else readWide(t, wanted, unitSet, cells, c, new Set(['name_zh', 'name_en', 'name', 'uName', 'province']));
      }
    }
  }
  if (!framework || c.issues.length) throw new CityIndexError(c.issues.length ? c.issues : [{ code: 'E_FRAMEWORK', message: 'no framework could be read', file: projectRel, field: 'framework' }]);
  const surveys = await readSurveys(dir, project, projectRel, framework, units, cells, c);

  c.addAll(checkFramework(framework, typeof project.framework === 'string' ? project.framework : project.coinr?.iMeta ?? projectRel));
  if (units.length === 0) c.add({ code: 'E_NO_UNITS', message: 'the project has no units', file: project.units ?? project.coinr?.iData ?? projectRel });
  units.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  const unitCodes = units.map((u) => u.code);
  const indicators = framework.nodes.filter((n) => n.kind === 'indicator' && n.status !== 'not_collected');
  const gaps = framework.nodes.filter((n) => n.kind === 'indicator' && n.status === 'not_collected');
  const denomSet = new Set(denominatorCodes);
  for (const n of indicators) {
    const m = cells.get(n.code);
    const available = m ? [...m.values()].filter((v) => !Number.isNaN(v.value)).length : 0;
    if (available === 0) c.add({ code: 'E_EMPTY_COLUMN', message: `indicator "${n.code}" has no values in any data file (give data, or mark it status: not_collected)`, indicator: n.code, file: typeof project.framework === 'string' ? project.framework : projectRel });
    if (n.denominator && !denomSet.has(n.denominator)) c.add({ code: 'E_UNKNOWN_DENOMINATOR', message: `denominator "${n.denominator}" of "${n.code}" is not declared`, indicator: n.code, field: 'denominator', expected: `one of: ${denominatorCodes.join(', ') || '(none declared)'}` });
  }
  if (c.issues.length) throw new CityIndexError(c.issues);

  // Denominators: data columns first, else numeric unit attributes with the same code.
  for (const d of denominatorCodes) {
    if (cells.has(d)) continue;
    const m = new Map<string, ValueCell>();
    for (const u of units) { const v = u.attributes[d]; if (v !== undefined) m.set(u.code, { value: v ?? NaN, file: project.units ?? '', row: 0 }); }
    if (m.size) cells.set(d, m);
  }
  const rawDs = toDataset(unitCodes, indicators.map((n) => n.code), cells);
  const denominators = denominatorCodes.length ? toDataset(unitCodes, denominatorCodes, cells) : undefined;
  const periods = [...history.keys()].sort();
  const historyList = periods.map((p) => ({ period: p, dataset: toDataset(unitCodes, indicators.map((n) => n.code), history.get(p)!) }));
  const valueSources: Record<string, string> = {};
  for (const [code, m] of cells) for (const [u, v] of m) if (v.source) valueSources[`${u}\u0000${code}`] = v.source;

  const spec: BuildSpec = { version: 1, steps: project.build.steps as BuildSpec['steps'], seed: project.build.seed };
  const specIssues = checkSpec(spec, framework, `${projectRel} (build)`);
  for (const i of specIssues) c.add({ ...i, field: i.field ? `build.${i.field}` : 'build' });
  if (c.issues.length) throw new CityIndexError(c.issues);

  return {
    dir, file: projectRel, surveys, project, spec, gaps, valueSources, files: c.files, warnings: c.warnings,
    input: { framework, units, raw: rawDs, denominators, history: historyList.length ? historyList : undefined },
  };
}

/**
 * Run the surveys marked `use: true` and put their city estimates into the data as indicator values
 * (each value's source names the survey; a simulated survey says so). An indicator listed as
 * `not_collected` in the framework becomes collected by the survey.
 */
async function readSurveys(dir: string, project: ProjectFile, projectRel: string, framework: Framework, units: Unit[], cells: Map<string, Map<string, ValueCell>>, c: Collector): Promise<SurveyInput[]> {
  const list = project.surveys === undefined ? [] : Array.isArray(project.surveys) ? project.surveys : [project.surveys];
  const used = list.map((x, k) => ({ entry: typeof x === 'string' ? { config: x } : x, k })).filter(({ entry }) => 'use' in entry && entry.use);
  if (used.length === 0) return [];
  const { runSurveyFile, surveyTitle, SIMULATED_LABEL } = await import('./survey.ts');
  const { alignEstimates } = await import('../engine/survey/estimate.ts');
  const out: SurveyInput[] = [];
  const unitCodes = units.map((u) => u.code).sort();
  for (const { entry, k } of used) {
    const run = await c.attempt(() => runSurveyFile(join(dir, entry.config)));
    if (!run) continue;
    const est = alignEstimates(run.result.estimates, unitCodes);
    const title = surveyTitle(run.survey.config, 'zh');
    const id = ('id' in entry && entry.id) || run.survey.config.id;
    const supplied: string[] = [];
    est.dataset.codes.forEach((code, j) => {
      const node = framework.nodes.find((n) => n.code === code && n.kind === 'indicator');
      if (!node) return;
      if (cells.has(code)) { c.add({ code: 'E_CONFLICT', message: `indicator "${code}" has values in a data file and from survey "${id}"`, file: projectRel, field: `surveys[${k}]`, indicator: code }); return; }
      const m = new Map<string, ValueCell>();
      const source = `survey ${id}${run.survey.config.simulated ? ` (${SIMULATED_LABEL})` : ''}`;
      unitCodes.forEach((u, i) => { const v = est.dataset.values[j * unitCodes.length + i]; if (!Number.isNaN(v)) m.set(u, { value: v, file: entry.config, row: 0, source }); });
      cells.set(code, m);
      node.status = 'collected';
      node.source = { ...(node.source ?? {}), name: title, file: entry.config, notes: run.survey.config.simulated ? SIMULATED_LABEL : node.source?.notes };
      supplied.push(code);
    });
    if (supplied.length === 0) c.warnings.push({ code: 'W_SURVEY_UNUSED', message: `survey "${id}" supplies none of the framework's indicators`, file: projectRel, field: `surveys[${k}]`, severity: 'warning' });
    const pick = (ds: Dataset) => createDataset(ds.unitCodes, supplied, Float64Array.from(supplied.flatMap((code) => Array.from(ds.values.subarray(ds.codes.indexOf(code) * ds.unitCodes.length, (ds.codes.indexOf(code) + 1) * ds.unitCodes.length)))));
    out.push({ id, title, simulated: Boolean(run.survey.config.simulated), indicators: supplied, lower: pick(est.lower), upper: pick(est.upper), n: pick(est.n) });
  }
  return out;
}

/** Sources of each indicator (framework `source`), for lineage and the report. */
export function indicatorSources(fw: Framework): Record<string, SourceRef | undefined> {
  return Object.fromEntries(fw.nodes.filter((n) => n.kind === 'indicator').map((n) => [n.code, n.source]));
}
