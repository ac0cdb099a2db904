/**
 * The results downloads of an edition (`/api/editions/:id/results.json|csv`): optionally one level of the
 * framework (`?level=`), column labels in the reader's language (`?lang=`, else Accept-Language), and
 * for a PUBLISHED edition (immutable) the serialised bytes cached per edition id + level + language +
 * format with a strong ETag, so a repeated request is a Map lookup and a write: no store query, no
 * schema parse, no JSON.stringify; `If-None-Match` with the ETag answers 304 without a body. Drafts
 * are read (and authorised) by the store on every request and never cached.
 */
import { createHash } from 'node:crypto';
import { CityIndexError } from '../engine/core/errors.ts';
import { t, type Lang } from '../engine/i18n/index.ts';
import { tableToCsv, type ResultsTable } from '../formats/results.ts';

/** One serialised download. */
export interface Download {
  body: Buffer;
  /** A strong ETag (quoted) of `body`. */
  etag: string;
}

/** What the framework says about the table's aggregate columns: level and name per code. */
export type NodeInfo = ReadonlyMap<string, { level: number; name: { zh?: string; en?: string } }>;

/** Largest `level` accepted in a query (the framework's levels are checked after). */
const MAX_LEVEL = 20;

/**
 * A `level` query value: undefined (all levels) or a whole number 1 … 20, else a located E_LEVEL.
 * @example levelParam(undefined) // => undefined
 * @example levelParam('2') // => 2
 * @example levelParam('x') // => throws E_LEVEL
 */
export function levelParam(raw: unknown): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const s = String(raw);
  if (!/^[0-9]{1,2}$/.test(s) || Number(s) < 1 || Number(s) > MAX_LEVEL)
    throw new CityIndexError({
      code: 'E_LEVEL',
      message: `"${s.slice(0, 20)}" is not a level / 层级无效`,
      field: 'level',
      expected: `a level number 1 … ${MAX_LEVEL}`,
    });
  return Number(s);
}

/**
 * The table restricted to one level's aggregates (code and names kept), with the column labels in
 * `lang`; E_LEVEL naming the levels that exist when the table has none of that level.
 * @example
 * const header = ['code', 'name_zh', 'name_en', 'Index', 'Index_rank', 'D1', 'D1_rank'];
 * const table = { header, rows: [['A', 'a', 'a', 1, 1, 2, 1]] };
 * const nodes = new Map([
 *   ['Index', { level: 2, name: { en: 'Index' } }],
 *   ['D1', { level: 1, name: { zh: '维度一', en: 'Dim 1' } }],
 * ]);
 * const one = resultsView(table, nodes, 1, 'zh');
 * [one.header.slice(3), one.rows[0].slice(3), one.labels.slice(3)] // => [['D1', 'D1_rank'], [2, 1], ['维度一', '维度一 名次']]
 * resultsView(table, nodes, 3, 'en') // => throws E_LEVEL
 */
export function resultsView(
  table: ResultsTable,
  nodes: NodeInfo,
  level: number | undefined,
  lang: Lang,
): ResultsTable & { labels: string[] } {
  const base = (h: string) => (h.endsWith('_rank') && nodes.has(h.slice(0, -5)) ? h.slice(0, -5) : h);
  const keep: number[] = [];
  table.header.forEach((h, i) => {
    const node = nodes.get(base(h));
    if (level === undefined || !node || node.level === level) keep.push(i);
  });
  if (level !== undefined && keep.every((i) => !nodes.has(base(table.header[i])))) {
    const present = table.header.map((h) => nodes.get(base(h))?.level).filter((l) => l !== undefined);
    const levels = [...new Set(present)].sort((a, b) => a - b);
    throw new CityIndexError({
      code: 'E_LEVEL',
      message: `the results have no level ${level} / 结果中没有该层级`,
      field: 'level',
      expected: `one of ${levels.join(', ')}`,
    });
  }
  const label = (h: string): string => {
    if (h === 'code') return t(lang, 'results.code');
    if (h === 'name_zh') return t(lang, 'results.nameZh');
    if (h === 'name_en') return t(lang, 'results.nameEn');
    const code = base(h);
    const node = nodes.get(code);
    const name = node?.name[lang] ?? node?.name.zh ?? node?.name.en ?? code;
    return h === code ? name : t(lang, 'results.rankOf', { name });
  };
  return {
    header: keep.map((i) => table.header[i]),
    rows: table.rows.map((r) => keep.map((i) => r[i] ?? null)),
    labels: keep.map((i) => label(table.header[i])),
  };
}

/**
 * The JSON and CSV downloads of a view, each with its ETag. The CSV keeps the stable column codes as
 * its header (formula-safe cells, BOM); the JSON carries the codes and the labels.
 * @example
 * const d = serialiseDownloads({ header: ['code'], rows: [['A']], labels: ['Code'] });
 * [d.json.body.toString(), d.json.etag.length] // => ['{"header":["code"],"rows":[["A"]],"labels":["Code"]}', 45]
 */
export function serialiseDownloads(view: ResultsTable & { labels: string[] }): { json: Download; csv: Download } {
  const tag = (body: Buffer) => `"${createHash('sha256').update(body).digest('base64url')}"`;
  const json = Buffer.from(JSON.stringify({ header: view.header, rows: view.rows, labels: view.labels }));
  const csv = Buffer.from(tableToCsv({ header: view.header, rows: view.rows }));
  return { json: { body: json, etag: tag(json) }, csv: { body: csv, etag: tag(csv) } };
}

/**
 * True when an `If-None-Match` header names the ETag (or is `*`): the client's copy is current.
 * @example notModified('"a", W/"b"', '"b"') // => true
 * @example notModified(undefined, '"b"') // => false
 */
export function notModified(header: string | string[] | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const value = Array.isArray(header) ? header.join(',') : header;
  if (value.length > 4096) return false;
  return value.split(',').some((v) => {
    const x = v.trim();
    return x === '*' || x === etag || x === `W/${etag}`;
  });
}

/** A bounded cache (oldest entry dropped first) of published editions' downloads. */
export class DownloadCache {
  readonly #entries = new Map<string, { json: Download; csv: Download }>();
  constructor(readonly maxEntries = 256) {}

  /**
   * The key of an edition, level and language.
   * @example DownloadCache.key(3, undefined, 'zh') // => '3|all|zh'
   */
  static key(id: number, level: number | undefined, lang: Lang): string {
    return `${id}|${level ?? 'all'}|${lang}`;
  }

  /** The downloads cached under a key. */
  get(key: string): { json: Download; csv: Download } | undefined {
    return this.#entries.get(key);
  }

  /** Keep downloads (a published edition's only). */
  set(key: string, value: { json: Download; csv: Download }): void {
    if (!this.#entries.has(key) && this.#entries.size >= this.maxEntries)
      this.#entries.delete(this.#entries.keys().next().value as string);
    this.#entries.set(key, value);
  }

  /** How many entries are kept. */
  get size(): number {
    return this.#entries.size;
  }
}
