/**
 * Import a case log (Node only): CSV, JSON Lines, Parquet or Open311 GeoReport v2 files → one checked,
 * normalised case table (`cases.parquet`, columns CASE_TABLE_COLUMNS) + `import.json` (counts, file hashes,
 * rejects by code) + `rejects.csv` (every bad record: file, row, id, code, field, value, message).
 *
 * Everything runs in embedded DuckDB with a memory limit: files are read by DuckDB's streaming readers (CSV
 * records over the size bound, invalid UTF-8 and malformed quoting are rejected by row, not loaded), then
 * every check is one SQL pass. Rows: in a CSV the header is row 1 (a record spanning lines is one row); in
 * JSON Lines the line number; in Open311 and Parquet the record's position (1 = first).
 *
 * Nothing half-imported: all outputs are written to a temporary folder that replaces the previous import
 * only when the import succeeds. `onError: stop` (or more bad rows than `maxErrors`) fails the import with
 * the located problems and writes nothing.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { CityIndexError, type Issue } from '../engine/core/errors.ts';
import { CASE_FIELDS, type CaseField, type CaseLogConfig, offsetSeconds } from '../engine/caselog/config.ts';
import { CASE_TABLE_COLUMNS } from '../engine/caselog/kpis.ts';
import { fsProjectFiles } from '../formats/project-fs.ts';
import { openDuck, sqlIdent, sqlString, type Duck } from './duck.ts';
import { detectFileEncoding, transcodeToUtf8 } from './encoding.ts';
import {
  OPEN311_FIELDS,
  OPEN311_KEYS,
  prepassJsonLines,
  prepassOpen311,
  type PrepassReject,
  type PrepassResult,
} from './prepass.ts';

/** What each reject code means (zh/en), as written in rejects.csv and the report. */
export const REJECT_MESSAGES: Readonly<Record<string, string>> = {
  E_CASE_MALFORMED: 'malformed record / 记录格式错误',
  E_CASE_UNTERMINATED_QUOTE: 'a quote never closed: the rest of the file cannot be read / 引号未闭合，其后内容无法读取',
  E_CASE_ENCODING: 'not UTF-8 text / 不是 UTF-8 编码',
  E_CASE_TOO_LONG: 'record longer than the size limit / 记录超过长度上限',
  E_CASE_FIELD_TOO_LONG: 'field longer than the size limit / 字段超过长度上限',
  E_CASE_ID: 'no case id / 缺少工单编号',
  E_CASE_DUPLICATE_ID: 'case id seen before in the log / 工单编号重复',
  E_CASE_RECEIVED: 'no received time / 缺少受理时间',
  E_CASE_TIMESTAMP: 'not a timestamp in the declared format / 时间格式不符',
  E_CASE_ORDER: 'earlier than the received time / 早于受理时间',
  E_CASE_STATUS: 'status unknown or inconsistent with the closed time / 状态未知或与办结时间矛盾',
  E_CASE_CATEGORY: 'category not in the mapping table / 类别不在映射表中',
  E_CASE_DISTRICT: 'district not in the district table / 区县不在区县表中',
  E_CASE_FLAG: 'not a yes/no value / 不是“是/否”值',
  E_CASE_SATISFACTION: 'satisfaction not on the declared scale / 满意度不在规定量表内',
  E_CASE_COORD: 'coordinate not a number in range / 坐标不是有效数值',
};

export interface ImportProgress {
  stage: 'hash' | 'read' | 'check' | 'write';
  file?: string;
  /** Files done so far of `total`, or lines read in a JSON Lines pre-pass. */
  done?: number;
  total?: number;
}

export interface ImportOptions {
  /** The project folder; the log's files are resolved inside it. */
  projectDir: string;
  log: CaseLogConfig;
  /** Output folder (default `<project>/.cityindex/caselog/<id>`). */
  outDir?: string;
  memoryLimit?: string;
  threads?: number;
  /** Largest CSV record / JSON line in bytes (default 1 MiB); longer ones are rejected. */
  maxRecordBytes?: number;
  /** Largest text field kept, in characters (default 10 000). */
  maxFieldChars?: number;
  /** Largest Open311 JSON file in bytes (default 256 MiB). */
  maxJsonBytes?: number;
  onProgress?: (e: ImportProgress) => void;
}

export interface ImportedFile {
  path: string;
  bytes: number;
  sha256: string;
  /** Set when the file was transcoded to UTF-8 (`gb18030`, `gbk`), declared or detected. */
  encoding?: string;
}

export interface ImportReport {
  log: string;
  city: { code: string; name: { zh: string; en: string } };
  simulated: boolean;
  utcOffset: string;
  files: ImportedFile[];
  /** Records read (accepted + rejected). */
  records: number;
  accepted: number;
  rejected: number;
  rejectedByCode: Record<string, number>;
  /** Accepted cases marked by each `exclude:` rule (they stay in the table, out of the KPIs). */
  excludedByRule: Record<string, number>;
  /** The first rejects, located (all of them are in rejects.csv). */
  issues: Issue[];
  /** Things the import did that the project should say (an encoding detected, not declared). */
  warnings: Issue[];
  /** The earliest and latest received time (local). */
  receivedRange: [string, string] | null;
  outDir: string;
}

const TS_FIELDS = ['received', 'dispatched', 'firstResponse', 'resolved', 'closed', 'due'] as const;
const TS_COLUMN: Record<(typeof TS_FIELDS)[number], string> = {
  received: 'received_s',
  dispatched: 'dispatched_s',
  firstResponse: 'first_response_s',
  resolved: 'resolved_s',
  closed: 'closed_s',
  due: 'due_s',
};
const FORMATS = {
  iso: ['%Y-%m-%d %H:%M:%S', '%Y-%m-%dT%H:%M:%S', '%Y-%m-%d %H:%M', '%Y-%m-%dT%H:%M', '%Y-%m-%d %H:%M:%S.%f'],
  us12h: ['%m/%d/%Y %I:%M:%S %p', '%m/%d/%Y %I:%M %p'],
} as const;
const YES = ['1', 'yes', 'y', 'true', 't', '是', '满意', 'satisfied', 'reopened'];
const NO = ['0', 'no', 'n', 'false', 'f', '否', '不满意', 'dissatisfied', 'unsatisfied'];
const ISSUES_KEPT = 200;

/** SHA-256 and size of a file, streamed. */
export async function sha256File(path: string): Promise<{ sha256: string; bytes: number }> {
  const h = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    h.update(chunk);
    bytes += chunk.length;
  }
  return { sha256: h.digest('hex'), bytes };
}

/** A file's size and modification time (ms): what `import.json` records to skip re-hashing unchanged inputs. */
export interface FileStat {
  bytes: number;
  mtimeMs: number;
}

/**
 * The size and modification time of a file.
 * @example // no-run: reads the file system
 * (await fileStat('project.yaml')).bytes > 0 // => true
 */
export async function fileStat(path: string): Promise<FileStat> {
  const s = await stat(path);
  return { bytes: s.size, mtimeMs: s.mtimeMs };
}

/** The header names of a CSV file (first record, at most 1 MiB read). */
async function csvHeader(path: string, file: string): Promise<string[]> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(1 << 20);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    let text = buf.subarray(0, bytesRead).toString('utf8');
    if (text.startsWith('\ufeff')) text = text.slice(1);
    const rows = parseCsv(text, { to_line: 1, relax_column_count: true, skip_empty_lines: true }) as string[][];
    if (!rows.length) throw new CityIndexError({ code: 'E_CASE_HEADER', message: 'no header row / 没有表头', file });
    return rows[0];
  } catch (e) {
    if (e instanceof CityIndexError) throw e;
    throw new CityIndexError({
      code: 'E_CASE_HEADER',
      message: `the header row cannot be read: ${(e as Error).message.slice(0, 200)}`,
      file,
      row: 1,
      expected: 'a first line of column names, comma-separated, UTF-8',
    });
  } finally {
    await fh.close();
  }
}

/** The case fields read and the source column of each (Open311's are fixed by the standard). */
function fieldColumns(log: CaseLogConfig): Map<CaseField, string> {
  if (log.format === 'open311') return new Map(OPEN311_FIELDS.map((f, i) => [f, OPEN311_KEYS[i]]));
  const m = new Map<CaseField, string>();
  for (const f of CASE_FIELDS) {
    const c = log.columns?.[f];
    if (c !== undefined) m.set(f, c);
  }
  return m;
}

function configIssue(log: CaseLogConfig, field: string, message: string, expected?: string): CityIndexError {
  return new CityIndexError({ code: 'E_CASE_CONFIG', message, field: `caselogs.${log.id}.${field}`, expected });
}

/** Read a small `source,category` CSV mapping file of the project. */
async function readCategoryFile(projectDir: string, log: CaseLogConfig, rel: string): Promise<Map<string, string>> {
  const files = fsProjectFiles(projectDir);
  const r = files.resolve(rel);
  if (!r.ok) throw new CityIndexError({ code: r.code, message: r.message, file: rel, expected: r.expected });
  const bytes = await files.read(r.path);
  if (!bytes) throw new CityIndexError({ code: 'E_FILE_NOT_FOUND', message: 'not found / 找不到', file: rel });
  if (bytes.length > 8 << 20) throw configIssue(log, 'categories.file', 'mapping file larger than 8 MB');
  const rows = parseCsv(new TextDecoder().decode(bytes), { bom: true, skip_empty_lines: true }) as string[][];
  const head = rows[0] ?? [];
  const si = head.indexOf('source');
  const ci = head.indexOf('category');
  if (si < 0 || ci < 0)
    throw new CityIndexError({
      code: 'E_MISSING_COLUMN',
      message: 'the category mapping needs the columns source and category',
      file: rel,
      row: 1,
      expected: 'columns source,category',
    });
  const m = new Map<string, string>();
  rows.slice(1).forEach((row, i) => {
    if (m.has(row[si]))
      throw new CityIndexError({
        code: 'E_DUPLICATE',
        message: `source category "${row[si]}" mapped twice`,
        file: rel,
        row: i + 2,
        column: 'source',
      });
    m.set(row[si], row[ci]);
  });
  return m;
}

async function insertPairs(db: Duck, table: string, cols: string, pairs: Array<[string, string | number]>) {
  await db.run(`CREATE TABLE ${table} (${cols})`);
  for (let i = 0; i < pairs.length; i += 500) {
    const values = pairs
      .slice(i, i + 500)
      .map(([a, b]) => `(${sqlString(a)}, ${typeof b === 'number' ? b : sqlString(b)})`)
      .join(',');
    await db.run(`INSERT INTO ${table} VALUES ${values}`);
  }
}

/** Whether the file has a non-blank line after the line starting at byte `at` (reads only as far as needed). */
async function linesAfter(path: string, at: number): Promise<boolean> {
  let pastFirst = false;
  for await (const chunk of createReadStream(path, { start: at, highWaterMark: 1 << 16 }) as AsyncIterable<Buffer>) {
    let i = 0;
    if (!pastFirst) {
      const nl = chunk.indexOf(10);
      if (nl < 0) continue;
      pastFirst = true;
      i = nl + 1;
    }
    for (; i < chunk.length; i++) if (chunk[i] !== 10 && chunk[i] !== 13 && chunk[i] !== 32) return true;
  }
  return false;
}

/**
 * A lookup in a constant map (DuckDB `MAP`): the value of `key`, or NULL when the key is not there (or the map
 * is empty).
 */
function mapLookup(pairs: ReadonlyArray<readonly [string, string | number]>, key: string, type: string): string {
  if (!pairs.length) return `CAST(NULL AS ${type})`;
  const keys = pairs.map(([k]) => sqlString(k)).join(', ');
  const values = pairs.map(([, v]) => (typeof v === 'number' ? String(v) : sqlString(v))).join(', ');
  return `MAP([${keys}], CAST([${values}] AS ${type}[]))[${key}]`;
}

/** Resolve and check the log's files inside the project; their absolute paths. */
function resolveFiles(projectDir: string, log: CaseLogConfig): string[] {
  const files = fsProjectFiles(projectDir);
  return log.files.map((f, k) => {
    const r = files.resolve(f);
    if (!r.ok) throw new CityIndexError({ code: r.code, message: r.message, field: `caselogs.${log.id}.files[${k}]` });
    return join(projectDir, r.path);
  });
}

/**
 * Import a case log into `<project>/.cityindex/caselog/<id>/` (see the module comment). Returns the report;
 * throws a CityIndexError (nothing written) on a configuration problem, a missing column, `onError: stop`
 * with bad rows, or more bad rows than `maxErrors`.
 * @example // no-run: needs a project folder and writes files (tests/caselog/import.test.ts runs it)
 * const report = await importCaseLog({ projectDir: 'examples/service-requests-311', log });
 * report.accepted // => 57946
 */
export async function importCaseLog(opts: ImportOptions): Promise<ImportReport> {
  const { log, projectDir } = opts;
  const outDir = opts.outDir ?? join(projectDir, '.cityindex', 'caselog', log.id);
  const maxRecord = opts.maxRecordBytes ?? 1 << 20;
  const maxField = opts.maxFieldChars ?? 10_000;
  const offset = offsetSeconds(log.utcOffset);
  const paths = resolveFiles(projectDir, log);
  const cols = fieldColumns(log);
  if (!cols.has('id')) throw configIssue(log, 'columns.id', 'no column is mapped to the case id', 'columns.id');
  if (!cols.has('received'))
    throw configIssue(log, 'columns.received', 'no column is mapped to the received time', 'columns.received');
  const excludeRules = log.exclude ?? [];
  // the source columns read: mapped fields, then the columns the exclude rules test
  const sourceCols: Array<{ name: string; as: string }> = [
    ...[...cols].map(([f, c]) => ({ name: c, as: `f_${f}` })),
    ...excludeRules.map((r, i) => ({ name: r.column, as: `x_${i}` })),
  ];

  await mkdir(join(outDir, '..'), { recursive: true });
  const work = `${outDir}.tmp-${process.pid}-${Date.now()}`;
  await rm(work, { recursive: true, force: true });
  await mkdir(work, { recursive: true });
  let opened: Duck | undefined;
  let ok = false;
  try {
    // 1. hashes
    const files: ImportedFile[] = [];
    // size and modification time before hashing: a later `kpi` trusts the hash while both are unchanged
    const fileStats: FileStat[] = [];
    for (const [k, p] of paths.entries()) {
      opts.onProgress?.({ stage: 'hash', file: log.files[k], done: k, total: paths.length });
      fileStats.push(await fileStat(p));
      files.push({ path: log.files[k], ...(await sha256File(p)) });
    }
    // one thread for small logs (threads only add scheduling cost there), two for large ones
    const bytes = files.reduce((a, f) => a + f.bytes, 0);
    const db = await openDuck({
      memoryLimit: opts.memoryLimit,
      threads: opts.threads ?? (bytes < 64 << 20 ? 1 : 2),
      tempDirectory: join(work, 'spill'),
    });
    opened = db;
    // 2. the per-case SQL: parse and normalise the text fields of a source, then the checks over the result.
    // Every file is read ONCE by DuckDB's bulk reader straight into the narrow typed table `n` (one streaming
    // pipeline, parallel and order-preserving: no join, no window, no text table, no per-row JS); a record's
    // position `k` in its file is its row id in `n` less the rows of the files before it, so the few bad
    // records can be read again with their text to be reported by row.
    const fmts = `[${FORMATS[log.timestampFormat].map(sqlString).join(', ')}]`;
    // each text field trimmed once (r_<field>); constant lists tested with list_contains (an IN list of
    // constants would become a join)
    const raw = (f: CaseField) => (cols.has(f) ? `r_${f}` : 'CAST(NULL AS VARCHAR)');
    const trimmed = (src: string) =>
      `SELECT fi, k, line, ${[...cols.keys()].map((f) => `NULLIF(trim(f_${f}), '') AS r_${f}`).join(', ')}` +
      `${excludeRules.map((_, i) => `, x_${i}`).join('')} FROM (${src})`;
    const inList = (e: string, list: readonly string[]) => `list_contains([${list.map(sqlString).join(', ')}], ${e})`;
    // ISO timestamps of the usual shape go through DuckDB's fast cast; anything else through strptime
    const ts = (f: CaseField) =>
      log.timestampFormat === 'iso'
        ? `COALESCE(CASE WHEN length(${raw(f)}) = 19 AND substr(${raw(f)}, 11, 1) IN (' ', 'T') AND ` +
          `substr(${raw(f)}, 14, 1) = ':' AND substr(${raw(f)}, 17, 1) = ':' AND substr(${raw(f)}, 12, 2) < '24' ` +
          `THEN try_cast(${raw(f)} AS TIMESTAMP) END, try_strptime(${raw(f)}, ${fmts}))`
        : `try_strptime(${raw(f)}, ${fmts})`;
    const epoch = (f: CaseField) => `CAST(floor(epoch(${ts(f)})) AS BIGINT) - ${offset}`;
    const catMap =
      log.categories?.file !== undefined
        ? await readCategoryFile(projectDir, log, log.categories.file)
        : new Map(Object.entries(log.categories?.map ?? {}));
    if (log.categories?.map && log.categories.file)
      throw configIssue(log, 'categories', 'give a mapping file or an inline map, not both');
    // the project's lookups (source category → standard, category → SLA hours, raw district → code) as MAP
    // constants: a lookup per row instead of a join, so the read stays one order-preserving parallel stream
    const catOf = (e: string) => mapLookup([...catMap], e, 'VARCHAR');
    const slaOf = (e: string) => mapLookup(Object.entries(log.sla ?? {}), e, 'DOUBLE');
    const districtOf = (e: string) => mapLookup(Object.entries(log.districts ?? {}), e, 'VARCHAR');
    const haveCats = log.categories !== undefined;
    const haveDistricts = log.districts !== undefined;
    const statusOpen = (log.status?.open ?? ['open']).map((s) => s.toLowerCase());
    const statusClosed = (log.status?.closed ?? ['closed']).map((s) => s.toLowerCase());
    const flag = (e: string) =>
      `CASE WHEN ${inList(`lower(${e})`, YES)} THEN 1 WHEN ${inList(`lower(${e})`, NO)} THEN 0 END`;
    const sat = log.satisfaction;
    const satValue =
      sat?.scale === '1-5'
        ? `CASE WHEN list_contains([1.0, 2.0, 3.0, 4.0, 5.0], try_cast(${raw('satisfaction')} AS DOUBLE)) ` +
          `THEN try_cast(${raw('satisfaction')} AS DOUBLE) END`
        : `CAST(${flag(raw('satisfaction'))} AS DOUBLE)`;
    const satisfied =
      sat?.scale === '1-5'
        ? `CASE WHEN s_value IS NULL THEN NULL WHEN s_value >= ${sat.satisfiedAtLeast ?? 4} THEN 1 ELSE 0 END`
        : 'CAST(s_value AS INTEGER)';
    const online = log.onlineChannels
      ? `CASE WHEN channel IS NULL THEN NULL WHEN ${inList('channel', log.onlineChannels)} THEN 1 ELSE 0 END`
      : 'CAST(NULL AS INTEGER)';
    const excluded = excludeRules.length
      ? 'CASE ' +
        excludeRules
          .map(
            (r, i) =>
              `WHEN ${
                r.contains !== undefined
                  ? `contains(x_${i}, ${sqlString(r.contains)})`
                  : `x_${i} = ${sqlString(r.equals ?? '')}`
              } THEN ${sqlString(r.key)}`,
          )
          .join(' ') +
        ' END'
      : 'CAST(NULL AS VARCHAR)';
    /** The parsed cases of a source subquery with columns fi, k, line, f_<field>…, x_<rule>…. */
    const pipeline = (src: string) => {
      const parsed =
        `SELECT fi, k, line, ${raw('id')} AS id, ${raw('district')} AS district_raw, ` +
        `${raw('channel')} AS channel, ${raw('category')} AS source_category, ${raw('status')} AS status_raw, ` +
        TS_FIELDS.map(
          (f) => `${raw(f)} AS ${f}_raw, ${f === 'received' ? '' : `${epoch(f)} AS ${TS_COLUMN[f]}, `}`,
        ).join('') +
        `${ts('received')} AS received_local, ${raw('reopened')} AS reopened_raw, ` +
        `${flag(raw('reopened'))} AS reopened, ` +
        `${raw('satisfaction')} AS satisfaction_raw, ${satValue} AS s_value, ` +
        `${raw('latitude')} AS lat_raw, try_cast(${raw('latitude')} AS DOUBLE) AS latitude, ` +
        `${raw('longitude')} AS lon_raw, try_cast(${raw('longitude')} AS DOUBLE) AS longitude, ` +
        `${excluded} AS excluded FROM (${trimmed(src)})`;
      const stdCategory = !haveCats
        ? 'source_category'
        : log.categories?.unknown === 'keep'
          ? `COALESCE(${catOf('source_category')}, source_category)`
          : catOf('source_category');
      return (
        `SELECT p.*, ${sqlString(log.city.code)} AS city, ` +
        `${haveDistricts ? "NULLIF(p.district_code, '')" : 'p.district_raw'} AS district, ` +
        `COALESCE(p.due_raw_s, p.received_s + CAST(round(${slaOf('p.category')} * 3600) AS BIGINT)) AS due_s, ` +
        `CASE WHEN p.closed_s IS NOT NULL THEN 'closed' ELSE 'open' END AS status, ` +
        `${satisfied} AS satisfied, ` +
        `strftime(p.received_local, '%Y-%m') AS p_month, ` +
        `CAST(year(p.received_local) AS VARCHAR) || '-Q' || CAST(quarter(p.received_local) AS VARCHAR) AS p_quarter, ` +
        `CAST(year(p.received_local) AS VARCHAR) AS p_year ` +
        `FROM (SELECT *, ${stdCategory} AS category, ${districtOf('district_raw')} AS district_code ` +
        `FROM (SELECT * RENAME (due_s AS due_raw_s), CAST(floor(epoch(received_local)) AS BIGINT) - ${offset} ` +
        `AS received_s FROM (${parsed}))) p`
      );
    };
    // the checks: [code, field, value shown, condition] over the pipeline's columns
    const checks: Array<[string, string, string, string]> = [
      ['E_CASE_ID', 'id', 'NULL', 'id IS NULL'],
      ['E_CASE_RECEIVED', 'received', 'NULL', 'received_raw IS NULL'],
      ...TS_FIELDS.map((f): [string, string, string, string] => [
        'E_CASE_TIMESTAMP',
        f,
        `${f}_raw`,
        `${f}_raw IS NOT NULL AND ${f === 'due' ? 'due_raw_s' : TS_COLUMN[f]} IS NULL`,
      ]),
      ...(['dispatched', 'firstResponse', 'resolved', 'closed'] as const).map((f): [string, string, string, string] => [
        'E_CASE_ORDER',
        f,
        `${f}_raw`,
        `${TS_COLUMN[f]} < received_s`,
      ]),
      ...(['id', 'district_raw', 'channel', 'source_category', 'status_raw'] as const).map(
        (c): [string, string, string, string] => [
          'E_CASE_FIELD_TOO_LONG',
          c.replace('_raw', ''),
          c,
          `length(${c}) > ${maxField}`,
        ],
      ),
      ['E_CASE_FLAG', 'reopened', 'reopened_raw', 'reopened_raw IS NOT NULL AND reopened IS NULL'],
      ['E_CASE_SATISFACTION', 'satisfaction', 'satisfaction_raw', 'satisfaction_raw IS NOT NULL AND s_value IS NULL'],
      [
        'E_CASE_COORD',
        'latitude',
        'lat_raw',
        'lat_raw IS NOT NULL AND (latitude IS NULL OR latitude < -90 OR latitude > 90)',
      ],
      [
        'E_CASE_COORD',
        'longitude',
        'lon_raw',
        'lon_raw IS NOT NULL AND (longitude IS NULL OR longitude < -180 OR longitude > 180)',
      ],
    ];
    if (cols.has('status'))
      checks.push([
        'E_CASE_STATUS',
        'status',
        'status_raw',
        `status_raw IS NULL OR NOT (${inList('lower(status_raw)', statusOpen)} AND closed_s IS NULL OR ` +
          `${inList('lower(status_raw)', statusClosed)} AND closed_s IS NOT NULL)`,
      ]);
    if (haveCats && log.categories?.unknown !== 'keep')
      checks.push([
        'E_CASE_CATEGORY',
        'category',
        'source_category',
        'source_category IS NOT NULL AND category IS NULL',
      ]);
    if (haveDistricts)
      checks.push([
        'E_CASE_DISTRICT',
        'district',
        'district_raw',
        'district_raw IS NOT NULL AND district_code IS NULL',
      ]);
    const badExpr = `CASE ${checks.map(([, , , c]) => `WHEN ${c} THEN true`).join(' ')} ELSE false END`;
    // the narrow table of every parsed case: what cases.parquet needs, and whether any check failed
    // (city, status and the periods are derived again when writing: fewer bytes per case in memory)
    const nCols =
      'fi, line, id, district, channel, source_category, category, received_s, dispatched_s, ' +
      'first_response_s, resolved_s, closed_s, due_s, reopened, s_value, satisfied, excluded, latitude, ' +
      'longitude, received_local';
    const toN = (src: string) => `SELECT ${nCols}, ${badExpr} AS bad FROM (${pipeline(src)})`;
    const emptySrc =
      'SELECT CAST(NULL AS INTEGER) AS fi, CAST(NULL AS BIGINT) AS k, CAST(NULL AS BIGINT) AS line, ' +
      sourceCols.map((c) => `CAST(NULL AS VARCHAR) AS ${sqlIdent(c.as)}`).join(', ') +
      ' LIMIT 0';

    // 3. read every file into `n`, parse rejects into `perr`
    await db.run('CREATE TABLE files (fi INTEGER, header INTEGER, path VARCHAR)');
    await db.run('CREATE TABLE perr (fi INTEGER, rec BIGINT, code VARCHAR, field VARCHAR, value VARCHAR)');
    const parseRejects = async (fi: number, rejects: readonly PrepassReject[]) => {
      for (let i = 0; i < rejects.length; i += 500) {
        const values = rejects
          .slice(i, i + 500)
          .map((r) => `(${fi}, ${r.row}, ${sqlString(r.code)}, NULL, ${sqlString(r.message)})`)
          .join(',');
        await db.run(`INSERT INTO perr VALUES ${values}`);
      }
    };
    /** Source subquery of each file (read again for the bad records; `tag` names its rejects tables). */
    /** Per file: its source subquery (`numbered`: k by row_number, for the re-read of bad records). */
    const sources: Array<(tag: string, numbered: boolean) => string> = [];
    /** Per file: the rows of `n` before it (its k = rowid − base + 1). */
    const bases: number[] = [];
    const kOf = (numbered: boolean) => (numbered ? 'row_number() OVER ()' : 'CAST(NULL AS BIGINT)');
    const jsonTemp: string[] = [];
    const warnings: Issue[] = [];
    let nCreated = false;
    if (log.format === 'parquet' && log.encoding !== undefined && log.encoding !== 'utf-8')
      throw configIssue(log, 'encoding', 'Parquet files carry their own (UTF-8) text; remove encoding:');
    for (const [fi, original] of paths.entries()) {
      const file = log.files[fi];
      opts.onProgress?.({ stage: 'read', file, done: fi, total: paths.length });
      // GBK / GB18030 text: transcoded to UTF-8 line by line, streaming (bad lines stay rejectable by row)
      let p = original;
      if (log.format !== 'parquet') {
        let enc = log.encoding === 'gb18030' || log.encoding === 'gbk' ? log.encoding : undefined;
        if (log.encoding === undefined && (await detectFileEncoding(original)) === 'gb18030') {
          enc = 'gb18030';
          warnings.push({
            code: 'W_CASE_ENCODING_DETECTED',
            message:
              'the file is not UTF-8 but reads as GB18030 (GBK); it was transcoded. Declare encoding: gb18030 ' +
              'to say so / 文件不是 UTF-8 编码，按 GB18030（GBK）读取并已转码；请在项目中声明 encoding: gb18030',
            file,
            field: `caselogs.${log.id}.encoding`,
          });
        }
        if (enc) {
          p = join(work, `in-${fi}.utf8`);
          jsonTemp.push(p);
          await transcodeToUtf8(original, p, enc, {
            onLines: (n) => opts.onProgress?.({ stage: 'read', file, done: n }),
            maxLineBytes: Math.max(maxRecord * 4, 1 << 20),
          });
          files[fi].encoding = enc;
        }
      }
      let header = 0;
      let src: ((tag: string, numbered: boolean) => string) | undefined;
      if (log.format === 'csv') {
        const head = await csvHeader(p, file);
        for (const c of sourceCols)
          if (!head.includes(c.name))
            throw new CityIndexError({
              code: 'E_MISSING_COLUMN',
              message: `no column "${c.name}" (mapped to ${c.as.startsWith('f_') ? c.as.slice(2) : 'an exclude rule'})`,
              file,
              row: 1,
              column: c.name,
              expected: `one of the columns: ${head.slice(0, 30).join(', ')}`,
            });
        header = 1;
        const columns = head.map((h, i) => `${sqlString(h || `column${i}`)}: 'VARCHAR'`).join(', ');
        const sel = sourceCols.map((c) => `${sqlIdent(c.name)} AS ${sqlIdent(c.as)}`).join(', ');
        src = (tag, numbered) =>
          `SELECT ${fi} AS fi, ${kOf(numbered)} AS k, CAST(NULL AS BIGINT) AS line, ${sel} FROM ` +
          `read_csv(${sqlString(p)}, header = true, auto_detect = false, columns = {${columns}}, delim = ',', ` +
          `quote = '"', escape = '"', store_rejects = true, rejects_table = 'rej_e_${tag}', ` +
          `rejects_scan = 'rej_s_${tag}', max_line_size = ${maxRecord})`;
      } else if (log.format === 'parquet') {
        const sel = sourceCols.map((c) => `CAST(${sqlIdent(c.name)} AS VARCHAR) AS ${sqlIdent(c.as)}`).join(', ');
        const have = (await db.all(`DESCRIBE SELECT * FROM read_parquet(${sqlString(p)})`)).map((r) =>
          String(r.column_name),
        );
        for (const c of sourceCols)
          if (!have.includes(c.name))
            throw new CityIndexError({
              code: 'E_MISSING_COLUMN',
              message: `no column "${c.name}"`,
              file,
              column: c.name,
              expected: `one of the columns: ${have.slice(0, 30).join(', ')}`,
            });
        src = (_, numbered) =>
          `SELECT ${fi} AS fi, ${kOf(numbered)} AS k, CAST(NULL AS BIGINT) AS line, ${sel} ` +
          `FROM read_parquet(${sqlString(p)})`;
      } else {
        const jl = join(work, `in-${fi}.jsonl`);
        const keys = sourceCols.map((c) => c.name);
        const pre: PrepassResult & { fatal?: PrepassReject } =
          log.format === 'jsonl'
            ? await prepassJsonLines(p, jl, keys, maxRecord, (n) => opts.onProgress?.({ stage: 'read', file, done: n }))
            : await prepassOpen311(p, jl, opts.maxJsonBytes ?? 256 << 20, offset);
        if (pre.fatal) throw new CityIndexError({ code: pre.fatal.code, message: pre.fatal.message, file });
        await parseRejects(fi, pre.rejects);
        jsonTemp.push(jl);
        if (pre.written > 0) {
          const columns = [`'__line': 'BIGINT'`, ...keys.map((_, i) => `'c${i}': 'VARCHAR'`)].join(', ');
          const sel = sourceCols.map((c, i) => `c${i} AS ${sqlIdent(c.as)}`).join(', ');
          src = (_, numbered) =>
            `SELECT ${fi} AS fi, ${kOf(numbered)} AS k, __line AS line, ${sel} FROM read_json(${sqlString(jl)}, ` +
            `format = 'newline_delimited', columns = {${columns}}, maximum_object_size = ${maxRecord * 8})`;
        }
      }
      await db.run(`INSERT INTO files VALUES (${fi}, ${header}, ${sqlString(file)})`);
      sources.push(src ?? (() => ''));
      bases.push(nCreated ? Number((await db.all('SELECT count(*) AS n FROM n'))[0].n) : 0);
      if (!src) continue;
      const read = toN(src(`${fi}`, false));
      await db.run(nCreated ? `INSERT INTO n ${read}` : `CREATE TABLE n AS ${read}`);
      nCreated = true;
      if (log.format === 'csv') {
        // an unterminated quote swallows the lines after it into one field (or, on two threads, up to where
        // the next reader resynchronises): those records would vanish uncounted, so the import stops there
        for (const q of await db.all(
          `SELECT line, line_byte_position AS at FROM rej_e_${fi} WHERE error_type = 'UNQUOTED VALUE' ORDER BY line`,
        ))
          if (await linesAfter(p, Number(q.at)))
            throw new CityIndexError({
              code: 'E_CASE_UNTERMINATED_QUOTE',
              message:
                'a quote opened in this record is never closed, so the lines after it cannot be read as records; ' +
                'nothing was imported / 此记录中的引号未闭合，其后各行无法读取，未导入任何数据',
              file,
              row: Number(q.line),
              expected: 'a closing " for every quoted field (a literal quote inside a field is written "")',
            });
        await db.run(
          `INSERT INTO perr SELECT ${fi}, line, CASE WHEN error_type = 'INVALID ENCODING' OR ` +
            `error_type = 'INVALID UNICODE' THEN 'E_CASE_ENCODING' WHEN error_type = 'LINE SIZE OVER MAXIMUM' ` +
            `THEN 'E_CASE_TOO_LONG' ELSE 'E_CASE_MALFORMED' END, column_name, left(error_message, 200) ` +
            `FROM (SELECT DISTINCT ON (line) * FROM rej_e_${fi} ORDER BY line, column_idx)`,
        );
      }
    }
    if (!nCreated) await db.run(`CREATE TABLE n AS ${toN(emptySrc)}`);
    // `nk`: the cases with their row id and position in their file
    await db.run(
      `CREATE VIEW nk AS SELECT *, rowid AS rid, rowid - ([${bases.join(', ') || 0}])[fi + 1] + 1 AS k FROM n`,
    );

    // 4. row numbers of the accepted records: the line (JSON Lines), else the position shifted past the
    // rejected records before it (the as-of join runs only when a file had any)
    opts.onProgress?.({ stage: 'check' });
    await db.run(
      'CREATE TABLE gaps AS SELECT fi, rec - 1 - header - j AS acc_before, max(j) + 1 AS cnt FROM ' +
        '(SELECT p.fi, p.rec, f.header, row_number() OVER (PARTITION BY p.fi ORDER BY p.rec) - 1 AS j ' +
        'FROM (SELECT DISTINCT fi, rec FROM perr) p JOIN files f USING (fi)) GROUP BY 1, 2',
    );
    const hasGaps = Number((await db.all('SELECT count(*) AS n FROM gaps'))[0].n) > 0;
    const headerRows = await db.all('SELECT header FROM files ORDER BY fi');
    const headers = `[${headerRows.map((r) => Number(r.header)).join(', ')}]`;
    const numbered = (t: string) =>
      `SELECT b.* EXCLUDE (k0), COALESCE(b.line, b.k0 + 1 + (${headers})[b.fi + 1]` +
      (hasGaps ? ' + COALESCE(g.cnt, 0)) AS rec ' : ') AS rec ') +
      `FROM (SELECT *, k - 1 AS k0 FROM ${t}) b` +
      (hasGaps ? ' ASOF LEFT JOIN gaps g ON b.fi = g.fi AND b.k0 >= g.acc_before' : '');

    // 5. the bad records read again with their text, one row per problem
    const badFiles = (await db.all('SELECT DISTINCT fi FROM n WHERE bad ORDER BY fi')).map((r) => Number(r.fi));
    await db.run(`CREATE TABLE nb AS ${pipeline(emptySrc)}`);
    for (const fi of badFiles)
      await db.run(
        `INSERT INTO nb ${pipeline(
          `SELECT * FROM (${sources[fi](`again_${fi}`, true)}) WHERE k IN (SELECT k FROM nk WHERE fi = ${fi} AND bad)`,
        )}`,
      );
    await db.run(
      `CREATE TABLE errs AS SELECT fi, rec, left(id, 200) AS id, code, field, left(value, 80) AS value FROM (` +
        checks
          .map(
            ([code, field, value, cond]) =>
              `SELECT fi, rec, id, '${code}' AS code, '${field}' AS field, ${value} AS value ` +
              `FROM (${numbered('nb')}) WHERE ${cond}`,
          )
          .join(' UNION ALL ') +
        ')',
    );
    // duplicate ids among the otherwise good rows: the first occurrence stays
    await db.run(
      `CREATE TABLE dups AS SELECT rid FROM (SELECT rid, row_number() OVER (PARTITION BY id ORDER BY rid) AS j ` +
        'FROM nk WHERE NOT bad AND id IN (SELECT id FROM n WHERE NOT bad GROUP BY id HAVING count(*) > 1)) WHERE j > 1',
    );
    await db.run(
      `INSERT INTO errs SELECT fi, rec, left(id, 200), 'E_CASE_DUPLICATE_ID', 'id', left(id, 80) FROM ` +
        `(${numbered('(SELECT * FROM nk WHERE rid IN (SELECT rid FROM dups))')})`,
    );
    if (Number((await db.all('SELECT count(*) AS n FROM dups'))[0].n) > 0)
      await db.run('UPDATE n SET bad = true WHERE rowid IN (SELECT rid FROM dups)');
    await db.run('INSERT INTO errs SELECT fi, rec, NULL, code, field, value FROM perr');
    for (const jl of jsonTemp) await rm(jl, { force: true });
    const byCode = await db.all('SELECT code, count(DISTINCT (fi, rec)) AS n FROM errs GROUP BY 1 ORDER BY 1');
    const rejectedByCode: Record<string, number> = Object.create(null) as Record<string, number>;
    for (const r of byCode) rejectedByCode[String(r.code)] = Number(r.n);
    const rejected = Number((await db.all('SELECT count(DISTINCT (fi, rec)) AS n FROM errs'))[0].n);
    const total = Number((await db.all('SELECT count(*) AS n FROM n'))[0].n);
    const perrRecords = Number((await db.all('SELECT count(DISTINCT (fi, rec)) AS n FROM perr'))[0].n);
    const first = await db.all(
      `SELECT e.*, f.path FROM errs e JOIN files f USING (fi) ORDER BY fi, rec, code LIMIT ${ISSUES_KEPT}`,
    );
    const issues: Issue[] = first.map((r) => ({
      code: String(r.code),
      message:
        (REJECT_MESSAGES[String(r.code)] ?? String(r.code)) +
        (r.id !== null ? ` (case ${String(r.id)})` : '') +
        (r.value !== null ? `: "${String(r.value)}"` : ''),
      file: String(r.path),
      row: Number(r.rec),
      ...(r.field !== null ? { field: String(r.field) } : {}),
    }));
    const records = total + perrRecords;
    const tooMany = log.maxErrors !== undefined && rejected > log.maxErrors;
    if ((log.onError === 'stop' && rejected > 0) || tooMany) {
      const head: Issue = {
        code: 'E_CASE_IMPORT_STOPPED',
        message:
          `${rejected} of ${records} records are bad; nothing was imported (onError: ${log.onError}` +
          `${tooMany ? `, maxErrors: ${log.maxErrors}` : ''}) / ${rejected} 条记录有误，未导入任何数据`,
        field: `caselogs.${log.id}`,
      };
      throw new CityIndexError([head, ...issues]);
    }
    // 6. write (in file order: the narrow table keeps the order it was read in)
    opts.onProgress?.({ stage: 'write' });
    const paths0 = `[${log.files.map(sqlString).join(', ')}]`;
    const outCols = CASE_TABLE_COLUMNS.map(([c, type]) =>
      c === 'src_file'
        ? `(${paths0})[fi + 1] AS src_file`
        : c === 'satisfaction'
          ? 'CAST(s_value AS DOUBLE) AS satisfaction'
          : c === 'online'
            ? `CAST(${online} AS INTEGER) AS online`
            : c === 'city'
              ? `${sqlString(log.city.code)} AS city`
              : c === 'status'
                ? "CASE WHEN closed_s IS NOT NULL THEN 'closed' ELSE 'open' END AS status"
                : c === 'p_month'
                  ? "strftime(received_local, '%Y-%m') AS p_month"
                  : c === 'p_quarter'
                    ? "CAST(year(received_local) AS VARCHAR) || '-Q' || " +
                      'CAST(quarter(received_local) AS VARCHAR) AS p_quarter'
                    : c === 'p_year'
                      ? 'CAST(year(received_local) AS VARCHAR) AS p_year'
                      : `CAST(${c} AS ${type}) AS ${c}`,
    ).join(', ');
    await db.run(
      `COPY (SELECT ${outCols} FROM (${numbered('(SELECT * FROM nk WHERE NOT bad)')})` +
        `${hasGaps ? ' ORDER BY fi, rec' : ''}) ` +
        `TO ${sqlString(join(work, 'cases.parquet'))} (FORMAT PARQUET, COMPRESSION ZSTD)`,
    );
    const codes = Object.entries(REJECT_MESSAGES);
    await insertPairs(db, 'codes', 'code VARCHAR, message VARCHAR', codes);
    await db.run(
      `COPY (SELECT f.path AS file, e.rec AS row, e.id, e.code, e.field, e.value, c.message FROM errs e ` +
        `JOIN files f USING (fi) LEFT JOIN codes c USING (code) ORDER BY e.fi, e.rec, e.code) ` +
        `TO ${sqlString(join(work, 'rejects.csv'))} (HEADER, DELIMITER ',')`,
    );
    const excl = await db.all(
      'SELECT excluded, count(*) AS n FROM n WHERE excluded IS NOT NULL AND NOT bad GROUP BY 1 ORDER BY 1',
    );
    const excludedByRule: Record<string, number> = Object.create(null) as Record<string, number>;
    for (const r of excl) excludedByRule[String(r.excluded)] = Number(r.n);
    const range = await db.all(
      "SELECT strftime(min(received_local), '%Y-%m-%d %H:%M:%S') AS a, " +
        "strftime(max(received_local), '%Y-%m-%d %H:%M:%S') AS b FROM n WHERE NOT bad",
    );
    const report: ImportReport = {
      log: log.id,
      city: log.city,
      simulated: log.simulated === true,
      utcOffset: log.utcOffset,
      files,
      records,
      accepted: records - rejected,
      rejected,
      rejectedByCode: { ...rejectedByCode },
      excludedByRule: { ...excludedByRule },
      issues,
      warnings,
      receivedRange: range[0]?.a ? [String(range[0].a), String(range[0].b)] : null,
      outDir,
    };
    db.close();
    opened = undefined;
    await rm(join(work, 'spill'), { recursive: true, force: true });
    await writeFile(
      join(work, 'import.json'),
      JSON.stringify(
        { ...(report.simulated ? { label: 'SIMULATED / 模拟数据' } : {}), ...report, outDir: undefined, fileStats },
        null,
        2,
      ) + '\n',
    );
    await rm(outDir, { recursive: true, force: true });
    await rename(work, outDir);
    ok = true;
    return report;
  } finally {
    if (!ok) {
      try {
        opened?.close();
      } catch {
        // already closed
      }
      await rm(work, { recursive: true, force: true });
    }
  }
}

/** The paths of an import's outputs. */
export function importOutputs(outDir: string): { cases: string; report: string; rejects: string } {
  return {
    cases: join(outDir, 'cases.parquet'),
    report: join(outDir, 'import.json'),
    rejects: join(outDir, 'rejects.csv'),
  };
}
