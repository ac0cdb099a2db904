/** The results fingerprint: FNV-1a 64 over the bytes of the scores, checked against BigInt arithmetic. */
import { describe, expect, it } from 'vitest';
import { fingerprint } from '../../src/formats/results.ts';
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
