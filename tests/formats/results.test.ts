/**
 * The results fingerprint: FNV-1a 64 over the bytes of the scores, checked against BigInt arithmetic; the
 * results CSV writer against csv-stringify.
 */
import { describe, expect, it } from 'vitest';
import { stringify } from 'csv-stringify/sync';
import { fingerprint, tableToCsv, tableToCsvBytes, type ResultsTable } from '../../src/formats/results.ts';
import { safeText } from '../../src/formats/safe-text.ts';
import { createRng } from '../../src/engine/core/rng.ts';

/**
 * Reference FNV-1a 64 in BigInt, straight from the definition (offset basis 0xcbf29ce484222325,
 * prime 0x100000001b3).
 */
function fnv1a64(values: Float64Array): string {
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  let h = 0xcbf29ce484222325n;
  for (const b of bytes) {
    h ^= BigInt(b);
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return h.toString(16).padStart(16, '0');
}

describe('fingerprint', () => {
  it('is the FNV-1a 64 offset basis for no bytes', () => {
    expect(fingerprint(new Float64Array(0))).toBe('cbf29ce484222325');
  });
  it('equals BigInt FNV-1a 64 on random values, NaN and subarrays', () => {
    const rng = createRng(7);
    for (let n = 1; n < 60; n += 7) {
      const v = Float64Array.from({ length: n }, () => (rng.next() - 0.5) * 1e6);
      v[0] = NaN;
      expect(fingerprint(v)).toBe(fnv1a64(v));
      expect(fingerprint(v.subarray(1))).toBe(fnv1a64(v.subarray(1)));
    }
  });
  it('FNV-1a 64 of the 8 bytes of 1.0 (00 00 00 00 00 00 f0 3f) is aab1693229ba1db8', () => {
    // computed in Python from the definition; the same code gives af63dc4c8601ec8c for "a", the published
    // FNV test vector
    expect(fingerprint(new Float64Array([1]))).toBe('aab1693229ba1db8');
  });
});

describe('tableToCsv', () => {
  // the writer csv-stringify was before (same default options): the reference for the bytes
  const reference = (t: ResultsTable): string => {
    const rows = t.rows.map((r) => r.map((v) => (v === null ? '' : typeof v === 'string' ? safeText(v) : v)));
    return '\ufeff' + stringify([t.header.map(safeText), ...rows]);
  };
  it('writes the bytes csv-stringify wrote, on 2 000 random tables', () => {
    const rng = createRng(16);
    const pieces = ['a', '杭州', ',', '"', '\n', '\r', ' ', '=', '+', '-', '@', '\t', "'", '\u0000', 'é', ';', ''];
    const text = (): string => {
      let s = '';
      for (let k = Math.floor(rng.next() * 6); k > 0; k--) s += pieces[Math.floor(rng.next() * pieces.length)];
      return s;
    };
    const numbers = [0, -0, 1, -1.5, 1e21, 1e-7, 123.456, Number.MAX_VALUE, Number.MIN_VALUE, Infinity, -Infinity];
    const cell = (): string | number | null => {
      const u = rng.next();
      if (u < 0.15) return null;
      if (u < 0.5) return text();
      if (u < 0.6) return numbers[Math.floor(rng.next() * numbers.length)];
      return (rng.next() - 0.5) * 10 ** Math.floor(rng.next() * 12 - 4);
    };
    for (let n = 0; n < 2000; n++) {
      const width = Math.floor(rng.next() * 5);
      const header = Array.from({ length: width }, text);
      const rows = Array.from({ length: Math.floor(rng.next() * 5) }, () => Array.from({ length: width }, cell));
      const t = { header, rows };
      expect(tableToCsv(t), JSON.stringify(t)).toBe(reference(t));
    }
  });

  it('tableToCsvBytes gives the UTF-8 bytes of tableToCsv, across its 4 096-line chunks', () => {
    const rng = createRng(17);
    const cells = ['杭州', '=1+1', 'a,b', '"q"', '\ud83c\udfd9', 'x\ny', '', 'é'];
    for (const n of [0, 1, 4095, 4096, 4097, 10_000]) {
      // a column of repeated text (encoded once), and one of more distinct values than its cache holds
      const rows = Array.from({ length: n }, (_, i) => [
        i,
        cells[Math.floor(rng.next() * cells.length)],
        rng.next() < 0.2 ? null : rng.next(),
        `${cells[i % cells.length]}${i}`,
      ]);
      const t = { header: ['row', '城市', 'x', 'id'], rows };
      expect(Buffer.from(tableToCsvBytes(t)).equals(Buffer.from(tableToCsv(t), 'utf8')), String(n)).toBe(true);
    }
  });
});
