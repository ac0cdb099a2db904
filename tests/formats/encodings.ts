/**
 * Test helpers that write text in the encodings Chinese users' files arrive in. Node decodes GB18030
 * but has no encoder: the table is built once by decoding every two-byte GBK sequence.
 */
let gbkTable: Map<string, [number, number]> | undefined;

/** `text` encoded as GB18030 (ASCII and the two-byte GBK characters, which cover everyday Chinese). */
export function gb18030(text: string): Uint8Array {
  if (!gbkTable) {
    gbkTable = new Map();
    const decoder = new TextDecoder('gb18030');
    for (let lead = 0x81; lead <= 0xfe; lead++)
      for (let trail = 0x40; trail <= 0xfe; trail++) {
        if (trail === 0x7f) continue;
        const ch = decoder.decode(new Uint8Array([lead, trail]));
        if (ch.length === 1 && ch !== '\ufffd' && !gbkTable.has(ch)) gbkTable.set(ch, [lead, trail]);
      }
  }
  const out: number[] = [];
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) out.push(c);
    else {
      const pair = gbkTable.get(ch);
      if (!pair) throw new Error(`no GBK code for "${ch}"`);
      out.push(...pair);
    }
  }
  return new Uint8Array(out);
}

/** `text` as UTF-16 little- or big-endian, with or without the byte-order mark. */
export function utf16(text: string, endian: 'le' | 'be', bom: boolean): Uint8Array {
  const units = Array.from({ length: text.length }, (_, k) => text.charCodeAt(k));
  if (bom) units.unshift(0xfeff);
  const out = new Uint8Array(units.length * 2);
  units.forEach((u, k) => {
    out[2 * k + (endian === 'le' ? 0 : 1)] = u & 0xff;
    out[2 * k + (endian === 'le' ? 1 : 0)] = u >> 8;
  });
  return out;
}

/** UTF-8 bytes of `text` with one byte at `at` replaced by `byte` (a broken character). */
export function brokenUtf8(text: string, at: number, byte = 0xff): Uint8Array {
  const out = new TextEncoder().encode(text);
  out[at] = byte;
  return out;
}
