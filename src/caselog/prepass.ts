/**
 * Bounded pre-passes for JSON case logs (Node only): JSON Lines are streamed line by line (a line longer than
 * the bound is skipped without being buffered, invalid UTF-8 and malformed JSON are reported by line), and an
 * Open311 GeoReport v2 file (one JSON array) is read only when its size is within the bound. Both write the
 * mapped fields of good records as JSON Lines with positional keys (`__line`, `c0`, `c1` …) for DuckDB.
 */
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { once } from 'node:events';

/** A record rejected before it reached DuckDB. */
export interface PrepassReject {
  row: number;
  code: 'E_CASE_ENCODING' | 'E_CASE_TOO_LONG' | 'E_CASE_MALFORMED';
  message: string;
}

export interface PrepassResult {
  written: number;
  rejects: PrepassReject[];
  /** Rejects beyond the ones kept in `rejects` (only counted). */
  rejectsNotListed: number;
}

const KEEP_REJECTS = 100_000;

async function writeLine(out: WriteStream, line: string): Promise<void> {
  if (!out.write(line)) await once(out, 'drain');
}

function scalar(v: unknown): string | null | undefined {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined; // objects and arrays are not case fields
}

/** The output record of one JSON object: its source keys in `keys` order, as strings. */
function project(obj: Record<string, unknown>, keys: readonly string[], line: number): string | PrepassReject {
  const out: Record<string, unknown> = { __line: line };
  for (const [i, k] of keys.entries()) {
    const v = scalar(Object.hasOwn(obj, k) ? obj[k] : null);
    if (v === undefined)
      return { row: line, code: 'E_CASE_MALFORMED', message: `field "${k}" is an object or array, not a value` };
    out[`c${i}`] = v;
  }
  return JSON.stringify(out) + '\n';
}

/**
 * Stream a JSON Lines file into `outPath`, keeping the fields `keys` of each object; lines over `maxBytes`,
 * not UTF-8, not JSON or not an object are rejected by line number.
 */
export async function prepassJsonLines(
  path: string,
  outPath: string,
  keys: readonly string[],
  maxBytes: number,
  onLines?: (n: number) => void,
): Promise<PrepassResult> {
  const out = createWriteStream(outPath);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const res: PrepassResult = { written: 0, rejects: [], rejectsNotListed: 0 };
  const reject = (r: PrepassReject) => {
    if (res.rejects.length < KEEP_REJECTS) res.rejects.push(r);
    else res.rejectsNotListed++;
  };
  let parts: Buffer[] = [];
  let size = 0;
  let tooLong = false;
  let line = 0;
  const finish = async () => {
    line++;
    if (line % 100_000 === 0) onLines?.(line);
    if (tooLong) {
      reject({ row: line, code: 'E_CASE_TOO_LONG', message: `line longer than ${maxBytes} bytes` });
      return;
    }
    const buf = parts.length === 1 ? parts[0] : Buffer.concat(parts);
    let text: string;
    try {
      text = decoder.decode(buf);
    } catch {
      reject({ row: line, code: 'E_CASE_ENCODING', message: 'not UTF-8 text / 不是 UTF-8 编码' });
      return;
    }
    if (line === 1 && text.startsWith('\ufeff')) text = text.slice(1);
    if (!text.trim()) return;
    let obj: unknown;
    try {
      obj = JSON.parse(text);
    } catch (e) {
      reject({ row: line, code: 'E_CASE_MALFORMED', message: `not JSON: ${(e as Error).message.slice(0, 120)}` });
      return;
    }
    if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
      reject({ row: line, code: 'E_CASE_MALFORMED', message: 'a line must be one JSON object' });
      return;
    }
    const rec = project(obj as Record<string, unknown>, keys, line);
    if (typeof rec !== 'string') reject(rec);
    else {
      await writeLine(out, rec);
      res.written++;
    }
  };
  try {
    for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
      let at = 0;
      for (;;) {
        const nl = chunk.indexOf(10, at);
        const end = nl < 0 ? chunk.length : nl;
        if (!tooLong) {
          if (size + (end - at) > maxBytes) {
            tooLong = true;
            parts = [];
          } else if (end > at) {
            parts.push(chunk.subarray(at, end));
            size += end - at;
          }
        }
        if (nl < 0) break;
        if (parts.length && parts[parts.length - 1].at(-1) === 13) {
          const last = parts[parts.length - 1];
          parts[parts.length - 1] = last.subarray(0, last.length - 1);
        }
        await finish();
        parts = [];
        size = 0;
        tooLong = false;
        at = nl + 1;
      }
    }
    if (parts.length || tooLong) await finish();
  } finally {
    out.end();
    await once(out, 'close');
  }
  return res;
}

/** Open311 GeoReport v2 fields used, in the order of OPEN311_FIELDS' case fields. */
export const OPEN311_KEYS = [
  'service_request_id',
  'requested_datetime',
  'closed_datetime',
  'expected_datetime',
  'status',
  'service_name',
  'lat',
  'long',
] as const;
/** The case field each of OPEN311_KEYS fills. */
export const OPEN311_FIELDS = [
  'id',
  'received',
  'closed',
  'due',
  'status',
  'category',
  'latitude',
  'longitude',
] as const;

/**
 * A GeoReport v2 date-time (ISO 8601 with a zone, e.g. 2010-04-14T06:37:38-08:00) as local wall time
 * `YYYY-MM-DD hh:mm:ss` at UTC offset `offsetS`; text that is not such a date-time is returned unchanged
 * (the import then reports it as a bad timestamp).
 * @example open311LocalTime('2010-04-14T06:37:38-08:00', 8 * 3600) // => '2010-04-14 22:37:38'
 * @example open311LocalTime('2010-04-14T06:37:38Z', 0) // => '2010-04-14 06:37:38'
 * @example open311LocalTime('yesterday', 0) // => 'yesterday'
 */
export function open311LocalTime(s: string, offsetS: number): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})$/.exec(s.trim());
  if (!m) return s;
  const [, y, mo, d, h, mi, sec, zone] = m;
  let zs = 0;
  if (zone !== 'Z') {
    const z = zone.replace(':', '');
    zs = (z[0] === '-' ? -1 : 1) * (Number(z.slice(1, 3)) * 3600 + Number(z.slice(3, 5)) * 60);
  }
  const utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(sec ?? 0)) / 1000 - zs;
  const local = new Date((utc + offsetS) * 1000).toISOString();
  return `${local.slice(0, 10)} ${local.slice(11, 19)}`;
}

/**
 * Read an Open311 GeoReport v2 requests file (a JSON array) of at most `maxBytes` bytes into JSON Lines:
 * date-times to local wall time; a closed request's closed time is its `updated_datetime` (the standard has
 * no closed time), unless a `closed_datetime` is given.
 */
export async function prepassOpen311(
  path: string,
  outPath: string,
  maxBytes: number,
  offsetS: number,
): Promise<PrepassResult & { fatal?: PrepassReject }> {
  const fh = await open(path, 'r');
  let text: string;
  try {
    const { size } = await fh.stat();
    if (size > maxBytes)
      return {
        written: 0,
        rejects: [],
        rejectsNotListed: 0,
        fatal: { row: 1, code: 'E_CASE_TOO_LONG', message: `file larger than ${maxBytes} bytes` },
      };
    const buf = await fh.readFile();
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(buf);
    } catch {
      return {
        written: 0,
        rejects: [],
        rejectsNotListed: 0,
        fatal: { row: 1, code: 'E_CASE_ENCODING', message: 'not UTF-8 text / 不是 UTF-8 编码' },
      };
    }
  } finally {
    await fh.close();
  }
  let arr: unknown;
  try {
    arr = JSON.parse(text);
  } catch (e) {
    const message = `not JSON: ${(e as Error).message.slice(0, 120)}`;
    return { written: 0, rejects: [], rejectsNotListed: 0, fatal: { row: 1, code: 'E_CASE_MALFORMED', message } };
  }
  if (!Array.isArray(arr)) {
    const message = 'an Open311 GeoReport v2 file is a JSON array of service requests';
    return { written: 0, rejects: [], rejectsNotListed: 0, fatal: { row: 1, code: 'E_CASE_MALFORMED', message } };
  }
  const out = createWriteStream(outPath);
  const res: PrepassResult = { written: 0, rejects: [], rejectsNotListed: 0 };
  try {
    for (const [i, item] of arr.entries()) {
      const row = i + 1;
      if (typeof item !== 'object' || item === null || Array.isArray(item)) {
        res.rejects.push({ row, code: 'E_CASE_MALFORMED', message: 'a service request must be a JSON object' });
        continue;
      }
      const r = item as Record<string, unknown>;
      const get = (k: string) => (Object.hasOwn(r, k) ? r[k] : undefined);
      const status = typeof get('status') === 'string' ? String(get('status')).toLowerCase() : get('status');
      const closedAt = get('closed_datetime') ?? (status === 'closed' ? get('updated_datetime') : null);
      const obj: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
      for (const k of OPEN311_KEYS) obj[k] = k === 'closed_datetime' ? closedAt : get(k);
      obj.service_name ??= get('service_code');
      for (const k of ['requested_datetime', 'closed_datetime', 'expected_datetime'])
        if (typeof obj[k] === 'string') obj[k] = open311LocalTime(obj[k] as string, offsetS);
      const rec = project(obj, OPEN311_KEYS, row);
      if (typeof rec !== 'string') res.rejects.push(rec);
      else {
        await writeLine(out, rec);
        res.written++;
      }
    }
  } finally {
    out.end();
    await once(out, 'close');
  }
  return res;
}
