/**
 * Result tables of a build: the ranking table (unit, names, every aggregate's score and rank) as
 * rows, as CSV (UTF-8 with BOM so Excel in zh-CN opens it correctly) and the build record (build.json).
 */
import type { Build } from '../engine/pipeline/build.ts';
import { column } from '../engine/core/dataset.ts';
import type { FrameworkNode } from '../engine/core/framework.ts';
import { safeText } from './safe-text.ts';
import type { LoadedProject } from './project.ts';

export const CITYINDEX_VERSION = '0.1.0';

/** Aggregate nodes, index first, then each level downwards, framework order within a level. */
export function aggregateNodes(b: Build): FrameworkNode[] {
  const fw = b.steps.length ? b.steps[b.steps.length - 1].framework : b.input.framework;
  return fw.nodes
    .filter((n) => n.kind === 'aggregate' && b.results.scores.codes.includes(n.code))
    .sort((a, c) => c.level - a.level);
}

export interface ResultsTable {
  header: string[];
  rows: Array<Array<string | number | null>>;
}

/**
 * The ranking table: one row per unit (sorted by index rank, then code), columns code, name_zh,
 * name_en, then `<code>` score and `<code>_rank` for every aggregate.
 */
export function resultsTable(b: Build): ResultsTable {
  const aggs = aggregateNodes(b);
  const { scores, ranks, indexCode } = b.results;
  const unitsByCode = new Map(b.input.units.map((u) => [u.code, u]));
  const header = ['code', 'name_zh', 'name_en', ...aggs.flatMap((n) => [n.code, `${n.code}_rank`])];
  const order = scores.unitCodes.map((_, i) => i);
  if (scores.codes.includes(indexCode)) {
    const r = column(ranks, indexCode);
    order.sort(
      (a, c) =>
        (Number.isNaN(r[a]) ? Infinity : r[a]) - (Number.isNaN(r[c]) ? Infinity : r[c]) ||
        (scores.unitCodes[a] < scores.unitCodes[c] ? -1 : 1),
    );
  }
  const cols = aggs.map((n) => ({ s: column(scores, n.code), r: column(ranks, n.code) }));
  const rows = order.map((i) => {
    const code = scores.unitCodes[i];
    const u = unitsByCode.get(code);
    const row: Array<string | number | null> = [code, u?.name.zh ?? '', u?.name.en ?? ''];
    for (const { s, r } of cols) row.push(Number.isNaN(s[i]) ? null : s[i], Number.isNaN(r[i]) ? null : r[i]);
    return row;
  });
  return { header, rows };
}

const NEEDS_QUOTES = /[",\r\n]/;

/**
 * One CSV field as csv-stringify (default options) writes it: a number as `'' + v`, missing as empty, text
 * quoted (inner quotes doubled) only when it holds a comma, a quote or a line break.
 * @example csvField(0.5) // => '0.5'
 * @example csvField('Hong Kong, China') // => '"Hong Kong, China"'
 * @example csvField('a "b"') // => '"a ""b"""'
 * @example csvField(null) // => ''
 */
export function csvField(v: string | number | null): string {
  if (v === null) return '';
  if (typeof v === 'number') return '' + v;
  return NEEDS_QUOTES.test(v) ? '"' + v.replace(/"/g, '""') + '"' : v;
}

/**
 * CSV text with a BOM; text cells neutralised against formula injection; missing = empty. Written field by
 * field: the bytes of csv-stringify (tested on random tables) at a fraction of its cost on large tables.
 * @example
 * const csv = tableToCsv({ header: ['code', 'x'], rows: [['=A1', 1.5], ['B', null]] });
 * csv.charCodeAt(0) // => 65279 (the BOM)
 * csv.slice(1) // => "code,x\n'=A1,1.5\nB,\n"
 */
export function tableToCsv(t: ResultsTable): string {
  const lines: string[] = [t.header.map((h) => csvField(safeText(h))).join(',')];
  for (const r of t.rows) lines.push(csvLine(r));
  return '\ufeff' + lines.join('\n') + '\n';
}

function csvLine(r: ReadonlyArray<string | number | null>): string {
  let line = '';
  for (let k = 0; k < r.length; k++) {
    const v = r[k];
    if (k > 0) line += ',';
    line += csvField(typeof v === 'string' ? safeText(v) : v);
  }
  return line;
}

/**
 * The UTF-8 bytes of `tableToCsv(t)`, written straight into a byte buffer: ASCII cells copied as they are, each
 * column's repeated text encoded once (up to 4 096 distinct values a column), no string of the whole file. For
 * tables of a million rows (a survey's removed responses), where one string of the file — two bytes a character
 * once any cell is Chinese — and its conversion cost more than the rest of the command.
 * @example
 * const t = { header: ['city', 'x'], rows: [['上海', 1]] };
 * new TextDecoder().decode(tableToCsvBytes(t)) === tableToCsv(t).slice(1) // => true (the decoder drops the BOM)
 */
export function tableToCsvBytes(t: ResultsTable): Uint8Array {
  const encoder = new TextEncoder();
  let buf = new Uint8Array(1 << 20);
  let at = 0;
  const grow = (n: number) => {
    let size = buf.length * 2;
    while (size < at + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(buf.subarray(0, at));
    buf = next;
  };
  const put = (b: Uint8Array) => {
    const n = b.length;
    if (at + n > buf.length) grow(n);
    if (n < 48) for (let k = 0; k < n; k++) buf[at + k] = b[k];
    else buf.set(b, at);
    at += n;
  };
  // ASCII text straight in; anything else through the encoder (over the ASCII bytes copied so far)
  const text = (v: string) => {
    if (at + v.length > buf.length) grow(v.length);
    for (let k = 0; k < v.length; k++) {
      const c = v.charCodeAt(k);
      if (c >= 0x80) return put(encoder.encode(v));
      buf[at + k] = c;
    }
    at += v.length;
  };
  put(encoder.encode('\ufeff' + t.header.map((h) => csvField(safeText(h))).join(',') + '\n'));
  const caches: Array<Map<string, Uint8Array>> = [];
  for (const r of t.rows) {
    for (let k = 0; k < r.length; k++) {
      const v = r[k];
      if (k > 0) {
        if (at + 1 > buf.length) grow(1);
        buf[at++] = 0x2c; // ,
      }
      if (v === null) continue;
      if (typeof v === 'number') {
        text('' + v);
        continue;
      }
      const cache = (caches[k] ??= new Map());
      const hit = cache.get(v);
      if (hit) put(hit);
      else {
        const field = csvField(safeText(v));
        if (cache.size < 4096) {
          const b = encoder.encode(field);
          cache.set(v, b);
          put(b);
        } else text(field);
      }
    }
    if (at + 1 > buf.length) grow(1);
    buf[at++] = 0x0a; // \n
  }
  return buf.slice(0, at);
}

/**
 * FNV-1a 64-bit hash of the bytes of a Float64Array, hex: a fingerprint of results for reproducibility.
 * 64-bit arithmetic in four 16-bit words (the prime is 2^40 + 435), the same value as BigInt FNV-1a
 * at a fraction of the cost on large results.
 * @example fingerprint(new Float64Array(0)) // => 'cbf29ce484222325' (the FNV-1a 64 offset basis)
 */
export function fingerprint(values: Float64Array): string {
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  let v0 = 0x2325,
    v1 = 0x8422,
    v2 = 0x9ce4,
    v3 = 0xcbf2;
  for (let i = 0; i < bytes.length; i++) {
    v0 ^= bytes[i];
    const t0 = v0 * 435;
    let t1 = v1 * 435;
    let t2 = v2 * 435 + (v0 << 8);
    const t3 = v3 * 435 + (v1 << 8);
    t1 += t0 >>> 16;
    v0 = t0 & 0xffff;
    t2 += t1 >>> 16;
    v1 = t1 & 0xffff;
    v3 = (t3 + (t2 >>> 16)) & 0xffff;
    v2 = t2 & 0xffff;
  }
  const hex = (v: number) => v.toString(16).padStart(4, '0');
  return hex(v3) + hex(v2) + hex(v1) + hex(v0);
}

/** The build record: spec, per-step diagnostics, input file hashes, result fingerprint, version. */
export function buildRecord(b: Build, p: LoadedProject): Record<string, unknown> {
  return {
    cityindex: CITYINDEX_VERSION,
    project: { name: p.project.name, edition: p.project.edition ?? null, period: p.project.period ?? null },
    spec: b.spec,
    inputs: p.files,
    units: b.input.units.length,
    indicators: b.raw.codes.length,
    gaps: p.gaps.map((g) => ({ code: g.code, name: g.name, notes: g.notes ?? null })),
    surveys: p.surveys.map((s) => ({
      id: s.id,
      title: s.title,
      simulated: s.simulated,
      indicators: s.indicators,
      label: s.simulated ? '模拟数据 / simulated responses' : null,
    })),
    warnings: p.warnings,
    steps: b.steps.map((s) => ({
      id: s.id,
      kind: s.kind,
      options: s.options ?? {},
      unitsOut: s.units.length,
      codesOut: s.dataset.codes.length,
      diagnostics: s.diagnostics,
    })),
    effectiveWeights: b.results.effectiveWeights,
    resultsFingerprint: fingerprint(b.results.scores.values),
  };
}
