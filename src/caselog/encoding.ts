/**
 * Text encodings of case-log files (Node only). Chinese 12345 exports are often GBK or GB18030, not UTF-8:
 * such a file is transcoded to UTF-8 as it streams (TextDecoder('gb18030') with `stream: true`, Node's full
 * ICU), line by line, before DuckDB reads it. A line whose bytes are not valid in the declared encoding is
 * written out marked as invalid UTF-8, so the reader rejects exactly that record as `E_CASE_ENCODING` at its
 * row, as it does for a UTF-8 file; the line count never changes, so every row number stays the file's own.
 *
 * A newline byte (0x0A) is never part of a GB18030 multi-byte sequence (trail bytes are 0x30–0x39 and
 * 0x40–0xFE), so splitting on it is safe before decoding.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { once } from 'node:events';
import { TextDecoder } from 'node:util';

/** The encodings a case log may declare (`encoding:` in project.yaml); `gbk` is read as its superset GB18030. */
export type CaseLogEncoding = 'utf-8' | 'gb18030' | 'gbk';

const SAMPLE_BYTES = 1 << 20;

/**
 * Guess the encoding of a text sample, line by line over the lines with non-ASCII bytes: `utf-8` when all of
 * them are valid UTF-8 (ASCII included); `gb18030` when at least half are not valid UTF-8 and at least 90 %
 * are valid GB18030 (a GBK export with a few corrupt lines); else `null` — a UTF-8 file with a few bad lines
 * stays UTF-8 and those records are rejected by row (UTF-8 Chinese text often happens to be valid GB18030
 * too, so validity alone would not tell). A line cut at the end of the sample is not judged.
 * @example detectEncoding(new TextEncoder().encode('受理,办结\n')) // => 'utf-8'
 * @example detectEncoding(new Uint8Array([0xca, 0xdc, 0xc0, 0xed, 0x0a])) // => 'gb18030'
 * @example detectEncoding(new Uint8Array([0x41, 0xff, 0xff, 0x42, 0x0a])) // => null
 */
export function detectEncoding(sample: Uint8Array): 'utf-8' | 'gb18030' | null {
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  const gb = new TextDecoder('gb18030', { fatal: true });
  const valid = (d: TextDecoder, b: Uint8Array) => {
    try {
      d.decode(b);
      return true;
    } catch {
      return false;
    }
  };
  let lines = 0;
  let notUtf8 = 0;
  let gbOk = 0;
  let start = 0;
  for (;;) {
    const nl = sample.indexOf(10, start);
    // the last line counts only when the sample holds no complete line at all
    if (nl < 0 && start > 0) break;
    const line = sample.subarray(start, nl < 0 ? sample.length : nl);
    if (line.some((b) => b >= 0x80)) {
      lines++;
      if (!valid(utf8, line)) notUtf8++;
      if (valid(gb, line)) gbOk++;
    }
    if (nl < 0) break;
    start = nl + 1;
  }
  if (notUtf8 === 0) return 'utf-8';
  return notUtf8 * 2 >= lines && gbOk * 10 >= lines * 9 ? 'gb18030' : null;
}

/**
 * The encoding of a file from its first megabyte (see detectEncoding).
 * @example // no-run: reads a file
 * await detectFileEncoding('cases-gbk.csv') // => 'gb18030'
 */
export async function detectFileEncoding(path: string): Promise<'utf-8' | 'gb18030' | null> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(SAMPLE_BYTES);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    return detectEncoding(buf.subarray(0, bytesRead));
  } finally {
    await fh.close();
  }
}

export interface TranscodeResult {
  /** Lines read (a last line without a newline counts). */
  lines: number;
  /** 1-based numbers of the lines with bytes invalid in the encoding (the first 1 000). */
  invalidLines: number[];
  invalidCount: number;
}

/** Bytes that make any line invalid UTF-8: a lone 0xFF is never part of UTF-8. */
const INVALID_MARK = Buffer.from([0xff]);

/**
 * Transcode `inPath` (GB18030/GBK) to UTF-8 at `outPath`, streaming with bounded memory (one read chunk plus
 * the current line, up to `maxLineBytes`, 16 MiB by default: a longer line passes through undecoded and is
 * rejected by the reader's record-size bound). Lines invalid in the encoding are written with a leading 0xFF
 * byte so a UTF-8 reader rejects them by row (see the module comment).
 * @example // no-run: reads and writes files (tests/caselog/encoding.test.ts)
 * (await transcodeToUtf8('cases-gbk.csv', 'cases.csv', 'gb18030')).invalidCount // => 0
 */
export async function transcodeToUtf8(
  inPath: string,
  outPath: string,
  encoding: Exclude<CaseLogEncoding, 'utf-8'>,
  opts: { onLines?: (n: number) => void; maxLineBytes?: number } = {},
): Promise<TranscodeResult> {
  const label = encoding === 'gbk' ? 'gb18030' : encoding;
  const chunkDecoder = new TextDecoder(label, { fatal: true });
  const lineDecoder = new TextDecoder(label, { fatal: true });
  const out = createWriteStream(outPath);
  const res: TranscodeResult = { lines: 0, invalidLines: [], invalidCount: 0 };
  const write = async (b: Buffer | string) => {
    if (!out.write(b)) await once(out, 'drain');
  };
  /** Complete lines (each ending in \n, or the file's last line): decoded at once, else one by one. */
  const emit = async (bytes: Buffer) => {
    if (!bytes.length) return;
    try {
      await write(chunkDecoder.decode(bytes));
      let n = 0;
      for (let i = bytes.indexOf(10); i >= 0; i = bytes.indexOf(10, i + 1)) n++;
      if (bytes[bytes.length - 1] !== 10) n++;
      res.lines += n;
      return;
    } catch {
      // some line is invalid: find it (them) line by line
    }
    let start = 0;
    while (start < bytes.length) {
      const nl = bytes.indexOf(10, start);
      const end = nl < 0 ? bytes.length : nl + 1;
      const line = bytes.subarray(start, end);
      res.lines++;
      try {
        await write(lineDecoder.decode(line));
      } catch {
        res.invalidCount++;
        if (res.invalidLines.length < 1000) res.invalidLines.push(res.lines);
        await write(Buffer.concat([INVALID_MARK, line]));
      }
      start = end;
    }
  };
  const maxLine = opts.maxLineBytes ?? 16 << 20;
  let carry: Buffer = Buffer.alloc(0);
  let reported = 0;
  /** Inside a line longer than maxLine: its bytes pass through as they are (the reader rejects it by row). */
  let overlong = false;
  try {
    for await (const chunk of createReadStream(inPath, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
      let buf = carry.length ? Buffer.concat([carry, chunk]) : chunk;
      if (overlong) {
        const nl = buf.indexOf(10);
        await write(nl < 0 ? buf : buf.subarray(0, nl + 1));
        if (nl < 0) continue;
        overlong = false;
        res.lines++;
        buf = buf.subarray(nl + 1);
      }
      const last = buf.lastIndexOf(10);
      if (last < 0) {
        carry = buf;
        if (carry.length > maxLine) {
          await write(carry);
          carry = Buffer.alloc(0);
          overlong = true;
        }
        continue;
      }
      await emit(buf.subarray(0, last + 1));
      carry = Buffer.from(buf.subarray(last + 1));
      if (res.lines - reported >= 100_000) {
        reported = res.lines;
        opts.onLines?.(res.lines);
      }
    }
    if (overlong) res.lines++;
    else await emit(carry);
  } finally {
    out.end();
    await once(out, 'close');
  }
  return res;
}
