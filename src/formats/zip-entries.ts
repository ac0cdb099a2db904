/**
 * Bounded reading of zip archives (XLSX workbooks are zips): the central directory is read and checked
 * against limits BEFORE anything is inflated (entry count, declared uncompressed sizes, compression
 * ratio), and an entry is then inflated in small steps (fflate's streaming `Inflate`) that stop as soon
 * as it inflates beyond what it declared or beyond a byte or time limit. Pure (no Node APIs): bytes in,
 * chunks out. The OWASP file-upload guidance asks exactly this of archives from untrusted users.
 */
import { Inflate } from 'fflate';
import { CityIndexError, type Issue } from '../engine/core/errors.ts';

/** One entry of a zip's central directory, as declared (nothing inflated yet). */
export interface ZipEntry {
  name: string;
  /** 0 = stored, 8 = deflate (the only ones an XLSX uses). */
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  /** Offset of the entry's local header in the archive. */
  localOffset: number;
  encrypted: boolean;
}

/** Limits on a zip archive; every one a plain number a caller can lower (uploads) or raise. */
export interface ZipLimits {
  /** Most entries the central directory may list. */
  maxEntries: number;
  /** Most bytes all entries together may declare (uncompressed). */
  maxTotalBytes: number;
  /** Most bytes one entry may declare or inflate to. */
  maxEntryBytes: number;
  /** Highest uncompressed ÷ compressed ratio of an entry larger than `ratioFloorBytes`. */
  maxRatio: number;
  /** Entries up to this many uncompressed bytes are not held to `maxRatio` (tiny parts compress well). */
  ratioFloorBytes: number;
}

/** Defaults: room for a 10⁶-row × 10-column sheet (≈ 0.4 GB of XML), not for a zip bomb. */
export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxEntries: 10_000,
  maxTotalBytes: 1024 * 1024 * 1024,
  maxEntryBytes: 1024 * 1024 * 1024,
  maxRatio: 400,
  ratioFloorBytes: 1024 * 1024,
};

/** The located error of a limit: which limit, the value against the limit, the file and the part. */
export function limitIssue(file: string, part: string | undefined, limit: string, value: number, max: number): Issue {
  return {
    code: 'E_XLSX_LIMIT',
    message:
      `${limit} ${fmt(value)} exceeds the limit ${fmt(max)}; the workbook is refused / ` +
      `${limit} 为 ${fmt(value)}，超过上限 ${fmt(max)}，拒绝读取该工作簿`,
    file,
    ...(part !== undefined ? { field: part } : {}),
    expected: `${limit} ≤ ${fmt(max)}`,
  };
}

const fmt = (x: number) => (Number.isInteger(x) ? x.toLocaleString('en-US') : x.toFixed(1));

const corrupt = (file: string, what: string): CityIndexError =>
  new CityIndexError({
    code: 'E_XLSX',
    message: `cannot read workbook: ${what} / 无法读取工作簿（文件已损坏或不是 .xlsx）`,
    file,
    expected: 'an .xlsx workbook',
  });

/**
 * Read and check a zip's central directory: nothing is inflated. Throws `E_XLSX` for a file that is
 * not a zip and `E_XLSX_LIMIT` (file, part, limit, value vs limit) when the directory breaks a limit.
 * Reference: PKWARE APPNOTE 6.3.10 §4.3.12–4.3.16 (central directory, end record, zip64).
 * @example
 * import { zipSync } from 'fflate';
 * const zip = zipSync({ 'a.txt': new TextEncoder().encode('hello') });
 * readZipDirectory(zip, 'a.zip').map((e) => [e.name, e.uncompressedSize]) // => [['a.txt', 5]]
 * readZipDirectory(zip, 'a.zip', { maxEntries: 0 }) // => throws E_XLSX_LIMIT
 */
export function readZipDirectory(bytes: Uint8Array, file: string, limits: Partial<ZipLimits> = {}): ZipEntry[] {
  const lim = { ...DEFAULT_ZIP_LIMITS, ...limits };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (o: number) => view.getUint16(o, true);
  const u32 = (o: number) => view.getUint32(o, true);
  const u64 = (o: number) => u32(o) + u32(o + 4) * 2 ** 32;
  // End of central directory: the last 22 bytes, or earlier by the length of a comment (≤ 65 535).
  let eocd = -1;
  for (let o = bytes.length - 22; o >= 0 && o >= bytes.length - 22 - 65535; o--)
    if (u32(o) === 0x06054b50) {
      eocd = o;
      break;
    }
  if (eocd < 0) throw corrupt(file, 'no zip end-of-directory record');
  let count = u16(eocd + 10);
  let dirSize = u32(eocd + 12);
  let dirOffset = u32(eocd + 16);
  if ((count === 0xffff || dirOffset === 0xffffffff) && eocd >= 20 && u32(eocd - 20) === 0x07064b50) {
    const z = u64(eocd - 12);
    if (z + 56 > bytes.length || u32(z) !== 0x06064b50) throw corrupt(file, 'bad zip64 end record');
    count = u64(z + 32);
    dirSize = u64(z + 40);
    dirOffset = u64(z + 48);
  }
  if (count > lim.maxEntries)
    throw new CityIndexError(limitIssue(file, undefined, 'zip entries', count, lim.maxEntries));
  if (dirOffset + dirSize > bytes.length) throw corrupt(file, 'central directory beyond the end of the file');
  const entries: ZipEntry[] = [];
  const names = new TextDecoder('utf-8');
  let total = 0;
  let o = dirOffset;
  for (let k = 0; k < count; k++) {
    if (o + 46 > bytes.length || u32(o) !== 0x02014b50) throw corrupt(file, `bad central directory entry ${k + 1}`);
    const flags = u16(o + 8);
    const method = u16(o + 10);
    let compressedSize = u32(o + 20);
    let uncompressedSize = u32(o + 24);
    const nameLen = u16(o + 28);
    const extraLen = u16(o + 30);
    const commentLen = u16(o + 32);
    let localOffset = u32(o + 42);
    if (o + 46 + nameLen + extraLen > bytes.length) throw corrupt(file, `bad central directory entry ${k + 1}`);
    const name = names.decode(bytes.subarray(o + 46, o + 46 + nameLen));
    // zip64 extended information: the 0xffffffff fields, in this order, from the extra field 0x0001.
    for (let e = o + 46 + nameLen; e + 4 <= o + 46 + nameLen + extraLen;) {
      const id = u16(e);
      const size = u16(e + 2);
      if (id === 1) {
        let p = e + 4;
        if (uncompressedSize === 0xffffffff && p + 8 <= e + 4 + size) {
          uncompressedSize = u64(p);
          p += 8;
        }
        if (compressedSize === 0xffffffff && p + 8 <= e + 4 + size) {
          compressedSize = u64(p);
          p += 8;
        }
        if (localOffset === 0xffffffff && p + 8 <= e + 4 + size) localOffset = u64(p);
      }
      e += 4 + size;
    }
    entries.push({ name, method, compressedSize, uncompressedSize, localOffset, encrypted: (flags & 1) === 1 });
    if (uncompressedSize > lim.maxEntryBytes)
      throw new CityIndexError(
        limitIssue(file, name, 'declared uncompressed size (bytes)', uncompressedSize, lim.maxEntryBytes),
      );
    total += uncompressedSize;
    if (total > lim.maxTotalBytes)
      throw new CityIndexError(
        limitIssue(file, name, 'declared uncompressed size of all entries (bytes)', total, lim.maxTotalBytes),
      );
    const ratio = uncompressedSize / Math.max(compressedSize, 1);
    if (uncompressedSize > lim.ratioFloorBytes && ratio > lim.maxRatio)
      throw new CityIndexError(limitIssue(file, name, 'compression ratio', ratio, lim.maxRatio));
    o += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

/** Limits while inflating one entry. */
export interface InflateLimits {
  /** Most bytes the entry may inflate to (besides its own declared size, which it may never pass). */
  maxBytes: number;
  /** Wall-clock deadline as `now()` milliseconds, checked between steps; `now` is injected (pure module). */
  deadline?: { at: number; now: () => number; limitMs: number };
}

/**
 * Inflated bytes aimed at per step: the compressed bytes pushed next are this divided by the ratio seen
 * so far (between `MIN_STEP` and `MAX_STEP`), so a step of a bomb (~1 032:1) yields ~1 MB like a step
 * of an ordinary sheet, and limits and the deadline are checked at least every ~1 MB.
 */
const STEP_OUT = 1 << 20;
const MIN_STEP = 512;
const MAX_STEP = 256 * 1024;

/**
 * Inflate one entry in small steps, passing each decompressed chunk to `onChunk`. Stops with
 * `E_XLSX_LIMIT` as soon as the output passes the entry's declared size ("lying sizes"), `maxBytes`,
 * or the deadline; so memory stays at one step's output whatever the archive claims. `onChunk` may
 * return `false` to stop early (the caller has what it needs).
 * @example
 * import { zipSync } from 'fflate';
 * const zip = zipSync({ 'a.txt': new TextEncoder().encode('hello hello hello') });
 * const [entry] = readZipDirectory(zip, 'a.zip');
 * let text = '';
 * inflateEntry(zip, entry, 'a.zip', { maxBytes: 100 }, (c) => void (text += new TextDecoder().decode(c)));
 * text // => 'hello hello hello'
 * inflateEntry(zip, entry, 'a.zip', { maxBytes: 5 }, () => {}) // => throws E_XLSX_LIMIT
 */
export function inflateEntry(
  bytes: Uint8Array,
  entry: ZipEntry,
  file: string,
  limits: InflateLimits,
  onChunk: (chunk: Uint8Array) => boolean | void,
): void {
  if (entry.encrypted) throw corrupt(file, `${entry.name} is encrypted`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const o = entry.localOffset;
  if (o + 30 > bytes.length || view.getUint32(o, true) !== 0x04034b50)
    throw corrupt(file, `bad local header of ${entry.name}`);
  const start = o + 30 + view.getUint16(o + 26, true) + view.getUint16(o + 28, true);
  const end = start + entry.compressedSize;
  if (end > bytes.length) throw corrupt(file, `${entry.name} runs past the end of the file`);
  const max = Math.min(limits.maxBytes, entry.uncompressedSize);
  let out = 0;
  let stop = false;
  const take = (chunk: Uint8Array) => {
    if (stop || chunk.length === 0) return;
    out += chunk.length;
    if (out > entry.uncompressedSize)
      throw new CityIndexError(
        limitIssue(file, entry.name, 'inflated size against the declared size (bytes)', out, entry.uncompressedSize),
      );
    if (out > max) throw new CityIndexError(limitIssue(file, entry.name, 'inflated size (bytes)', out, max));
    if (onChunk(chunk) === false) stop = true;
  };
  const checkTime = () => {
    const d = limits.deadline;
    if (d && d.now() > d.at)
      throw new CityIndexError(
        limitIssue(file, entry.name, 'reading time (ms)', d.now() - (d.at - d.limitMs), d.limitMs),
      );
  };
  if (entry.method === 0) {
    for (let p = start; p < end && !stop; p += STEP_OUT) {
      take(bytes.subarray(p, Math.min(end, p + STEP_OUT)));
      checkTime();
    }
    return;
  }
  if (entry.method !== 8) throw corrupt(file, `${entry.name} uses compression method ${entry.method}`);
  const inflater = new Inflate(take);
  try {
    let step = 1024;
    for (let p = start; p < end && !stop;) {
      const next = Math.min(end, p + step);
      const before = out;
      inflater.push(bytes.subarray(p, next), next >= end);
      checkTime();
      const ratio = (out - before) / (next - p);
      step = Math.max(MIN_STEP, Math.min(MAX_STEP, Math.floor(STEP_OUT / Math.max(ratio, 1))));
      p = next;
    }
  } catch (e) {
    if (e instanceof CityIndexError) throw e;
    throw corrupt(file, `${entry.name}: ${(e as Error).message}`);
  }
}
