// Reference: the native typed-array sort (ascending numeric) on the same keys; properties of a permutation.
import { describe, expect, it } from 'vitest';
import { createRng } from '../core/rng.ts';
import { sortPairs } from './sort-pairs.ts';

function check(keys: Float64Array, maxDepth?: number): void {
  const k = keys.slice();
  const index = Int32Array.from(keys, (_, i) => i);
  sortPairs(k, index, k.length, maxDepth);
  expect(Array.from(k)).toEqual(Array.from(keys.slice().sort()));
  // index is a permutation that carries each key with it
  expect(new Set(index).size).toBe(keys.length);
  for (let t = 0; t < k.length; t++) expect(keys[index[t]]).toBe(k[t]);
}

describe('sortPairs', () => {
  it('the example', () => {
    const k = Float64Array.of(3, 1, 2), i = Int32Array.of(0, 1, 2);
    sortPairs(k, i, 3);
    expect([Array.from(k), Array.from(i)]).toEqual([[1, 2, 3], [1, 2, 0]]);
  });
  it('random keys, many duplicates, sorted, reversed, organ pipe, all equal, 0 and 1 elements', () => {
    const rng = createRng(7);
    for (const n of [0, 1, 2, 3, 16, 17, 18, 33, 34, 35, 51, 333, 1000]) {
      check(Float64Array.from({ length: n }, () => rng.next() * 200 - 100));
      check(Float64Array.from({ length: n }, () => Math.floor(rng.next() * 3)));
      check(Float64Array.from({ length: n }, (_, i) => i));
      check(Float64Array.from({ length: n }, (_, i) => n - i));
      check(Float64Array.from({ length: n }, (_, i) => Math.min(i, n - i)));
      check(new Float64Array(n).fill(4.5));
    }
  });
  it('the heapsort fallback (depth limit reached at once or after one level) sorts the same', () => {
    const rng = createRng(9);
    for (const maxDepth of [0, 1]) {
      for (const n of [2, 34, 51, 333]) {
        check(Float64Array.from({ length: n }, () => rng.next() * 10), maxDepth);
        check(Float64Array.from({ length: n }, () => Math.floor(rng.next() * 4)), maxDepth);
      }
    }
  });
  it('sorts only the first n pairs', () => {
    const k = Float64Array.of(5, 4, 3, 2, 1), i = Int32Array.of(0, 1, 2, 3, 4);
    sortPairs(k, i, 3);
    expect(Array.from(k)).toEqual([3, 4, 5, 2, 1]);
    expect(Array.from(i)).toEqual([2, 1, 0, 3, 4]);
  });
});
