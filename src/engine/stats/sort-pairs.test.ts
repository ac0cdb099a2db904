// Reference: the native typed-array sort (ascending numeric) on the same keys; properties of a permutation.
import { describe, expect, it } from 'vitest';
import { createRng } from '../core/rng.ts';
import { bucketSortPairs, pairSortWork, sortPairs } from './sort-pairs.ts';

function check(keys: Float64Array, maxDepth?: number, bucket = false): void {
  const k = keys.slice();
  const index = Int32Array.from(keys, (_, i) => i);
  if (bucket) {
    const w = pairSortWork(k.length + 3);
    if (bucketSortPairs(k, index, k.length, w)) {
      k.set(w.keys.subarray(0, k.length));
      index.set(w.index.subarray(0, k.length));
    }
  } else sortPairs(k, index, k.length, maxDepth);
  // as the native sort, but −0 and 0 are equal keys (either order)
  const ref = keys.slice().sort();
  for (let t = 0; t < k.length; t++) expect(k[t] === ref[t]).toBe(true);
  // index is a permutation that carries each key with it
  expect(new Set(index).size).toBe(keys.length);
  for (let t = 0; t < k.length; t++) expect(keys[index[t]]).toBe(k[t]);
}

describe('sortPairs', () => {
  it('the example', () => {
    const k = Float64Array.of(3, 1, 2),
      i = Int32Array.of(0, 1, 2);
    sortPairs(k, i, 3);
    expect([Array.from(k), Array.from(i)]).toEqual([
      [1, 2, 3],
      [1, 2, 0],
    ]);
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
        check(
          Float64Array.from({ length: n }, () => rng.next() * 10),
          maxDepth,
        );
        check(
          Float64Array.from({ length: n }, () => Math.floor(rng.next() * 4)),
          maxDepth,
        );
      }
    }
  });
  it('sorts only the first n pairs', () => {
    const k = Float64Array.of(5, 4, 3, 2, 1),
      i = Int32Array.of(0, 1, 2, 3, 4);
    sortPairs(k, i, 3);
    expect(Array.from(k)).toEqual([3, 4, 5, 2, 1]);
    expect(Array.from(i)).toEqual([2, 1, 0, 3, 4]);
  });
});

describe('bucketSortPairs', () => {
  it('the example', () => {
    const k = Float64Array.of(3, 1, 2),
      i = Int32Array.of(0, 1, 2),
      w = pairSortWork(3);
    const [sk, si] = bucketSortPairs(k, i, 3, w) ? [w.keys, w.index] : [k, i];
    expect([Array.from(sk), Array.from(si)]).toEqual([
      [1, 2, 3],
      [1, 2, 0],
    ]);
  });
  it('sorts as the native sort: spread, skewed, clustered, duplicated, outliers, ±∞, ±0, crowded buckets', () => {
    const rng = createRng(11);
    for (const n of [0, 1, 2, 3, 17, 51, 333, 1000]) {
      check(
        Float64Array.from({ length: n }, () => rng.next() * 100),
        undefined,
        true,
      );
      check(
        Float64Array.from({ length: n }, () => -Math.log(1 - rng.next()) * 10),
        undefined,
        true,
      );
      check(
        Float64Array.from({ length: n }, () => Math.exp(6 * rng.next())),
        undefined,
        true,
      );
      check(
        Float64Array.from({ length: n }, () => Math.floor(rng.next() * 5)),
        undefined,
        true,
      );
      check(
        Float64Array.from({ length: n }, (_, i) => (i % 50 === 0 ? 1e6 : rng.next())),
        undefined,
        true,
      );
      check(
        Float64Array.from({ length: n }, (_, i) => (i % 7 === 0 ? Infinity : i % 7 === 1 ? -Infinity : rng.next())),
        undefined,
        true,
      );
      check(
        Float64Array.from({ length: n }, (_, i) => (i % 3 === 0 ? -0 : i % 3 === 1 ? 0 : rng.next() - 0.5)),
        undefined,
        true,
      );
      check(
        Float64Array.from({ length: n }, (_, i) => n - i),
        undefined,
        true,
      );
      check(new Float64Array(n).fill(2.5), undefined, true);
      // 20 of each of n/20 values, each block tiny and reversed: buckets of 20 (> 16) sorted by introsort
      check(
        Float64Array.from({ length: n }, (_, i) => Math.floor(i / 20) * 1000 + (20 - (i % 20)) * 1e-9),
        undefined,
        true,
      );
      // 16-element blocks in reverse order: the insertion pass does all the work
      check(
        Float64Array.from({ length: n }, (_, i) => Math.floor(i / 16) * 1000 + (16 - (i % 16)) * 1e-9),
        undefined,
        true,
      );
    }
  });
  it('1 + 2⁻⁵² sorts after 1 in the same bucket (exact order, no rounding of keys)', () => {
    // 1 + 2⁻⁵², 1, then 40 spread values 0, 0.05, …, 1.95 (index 2 … 41; 1 itself is index 22)
    const k = Float64Array.from([1 + 2 ** -52, 1, ...Array.from({ length: 40 }, (_, j) => j * 0.05)]);
    const i = Int32Array.from(k, (_, j) => j),
      w = pairSortWork(k.length);
    expect(bucketSortPairs(k, i, k.length, w)).toBe(true); // the bucket path, not the fallback
    const order = Array.from(w.index);
    expect(order.indexOf(0)).toBeGreaterThan(Math.max(order.indexOf(1), order.indexOf(22)));
    expect(order.indexOf(0)).toBeLessThan(order.indexOf(23)); // 1.05
  });
});
