/**
 * Hostile workbooks for the XLSX limit tests, generated in the test (nothing checked in): a real zip
 * container written byte by byte around real deflate data from Node's zlib, so sizes can be declared
 * honestly or falsely. The bomb's deflate stream is one sync-flushed block of a repeated unit followed
 * by the same block again and again: each block inflates to `blockBytes` of the unit.
 */
import zlib from 'node:zlib';
import { zipSync, strToU8 } from 'fflate';

/** One part of a zip: raw deflate (method 8) or stored (0) data and the size it declares. */
export interface RawPart {
  name: string;
  data: Uint8Array;
  method: 0 | 8;
  declaredSize: number;
}

/** A zip archive of `parts` (PKWARE APPNOTE local headers, central directory, end record; CRC left 0). */
export function zipRaw(parts: RawPart[]): Uint8Array {
  const chunks: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const p of parts) {
    const name = Buffer.from(p.name, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(p.method, 8);
    local.writeUInt32LE(p.data.length, 18);
    local.writeUInt32LE(Math.min(p.declaredSize, 0xffffffff), 22);
    local.writeUInt16LE(name.length, 26);
    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(0x02014b50, 0);
    dir.writeUInt16LE(20, 4);
    dir.writeUInt16LE(20, 6);
    dir.writeUInt16LE(p.method, 10);
    dir.writeUInt32LE(p.data.length, 20);
    dir.writeUInt32LE(Math.min(p.declaredSize, 0xffffffff), 24);
    dir.writeUInt16LE(name.length, 28);
    dir.writeUInt32LE(offset, 42);
    chunks.push(local, name, p.data);
    central.push(dir, name);
    offset += 30 + name.length + p.data.length;
  }
  const dirSize = central.reduce((s, c) => s + c.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(dirSize, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...chunks, ...central, end]));
}

/**
 * Raw deflate data that inflates to `head`, then `unit` repeated to `total` bytes (rounded to whole
 * blocks), then `tail`: a sync-flushed head, one block repeated, a final tail (see `syncFlush`).
 */
export function deflateBomb(
  head: string,
  unit: string,
  total: number,
  tail: string,
): { data: Uint8Array; size: number } {
  const blockUnits = Math.floor((1024 * 1024) / unit.length);
  const block = Buffer.from(unit.repeat(blockUnits));
  const first = syncFlush(Buffer.concat([Buffer.from(head), block]), block);
  const blocks = Math.max(1, Math.floor((total - head.length - tail.length) / block.length));
  const pieces: Buffer[] = [first.head];
  for (let k = 1; k < blocks; k++) pieces.push(first.repeat);
  pieces.push(first.tail(Buffer.from(tail)));
  return { data: new Uint8Array(Buffer.concat(pieces)), size: head.length + blocks * block.length + tail.length };
}

/**
 * Deflate `start` (ending in `block`) with a sync flush, then `block` once more with the last 32 KiB of
 * `block` as the preset dictionary: that is exactly the inflater's window at every block boundary, so
 * the second piece may be repeated; `tail` ends the stream the same way.
 */
function syncFlush(start: Buffer, block: Buffer) {
  const window = block.subarray(block.length - 32768);
  const flushed = { level: 9, finishFlush: zlib.constants.Z_SYNC_FLUSH };
  return {
    head: zlib.deflateRawSync(start, flushed),
    repeat: zlib.deflateRawSync(block, { ...flushed, dictionary: window }),
    tail: (tail: Buffer) => zlib.deflateRawSync(tail, { level: 9, dictionary: window }),
  };
}

/** An .xlsx whose first sheet is the given part (raw deflate), with the minimal workbook parts around it. */
export function workbookAround(sheet: { data: Uint8Array; method: 0 | 8; declaredSize: number }): Uint8Array {
  const deflate = (s: string): RawPart => {
    const data = new Uint8Array(zlib.deflateRawSync(Buffer.from(s)));
    return { name: '', data, method: 8, declaredSize: Buffer.byteLength(s) };
  };
  return zipRaw([
    { ...deflate(CONTENT_TYPES), name: '[Content_Types].xml' },
    { ...deflate(WORKBOOK), name: 'xl/workbook.xml' },
    { ...deflate(WORKBOOK_RELS), name: 'xl/_rels/workbook.xml.rels' },
    { ...sheet, name: 'xl/worksheets/sheet1.xml' },
  ]);
}

/** A tiny .xlsx of the given sheet XML (compressed by fflate), for the dimension and shape tests. */
export function workbookOf(sheetXml: string): Uint8Array {
  return zipSync({
    '[Content_Types].xml': strToU8(CONTENT_TYPES),
    'xl/workbook.xml': strToU8(WORKBOOK),
    'xl/_rels/workbook.xml.rels': strToU8(WORKBOOK_RELS),
    'xl/worksheets/sheet1.xml': strToU8(sheetXml),
  });
}

export const SHEET_HEAD =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
  '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>';
export const SHEET_TAIL = '</sheetData></worksheet>';

const CONTENT_TYPES =
  '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
  '<Default Extension="xml" ContentType="application/xml"/></Types>';
const WORKBOOK =
  '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ' +
  'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>' +
  '<sheet name="data" sheetId="1" r:id="rId1"/></sheets></workbook>';
const WORKBOOK_RELS =
  '<?xml version="1.0" encoding="UTF-8"?>' +
  '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
  '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" ' +
  'Target="worksheets/sheet1.xml"/></Relationships>';
