/**
 * In-place ascending sort of keys with a parallel index array (an argsort that keeps the sorted keys):
 * quicksort with median-of-three pivots and Hoare partitioning (many equal keys stay O(n log n)),
 * insertion sort below 34 elements (faster than below 17 on columns of 51–333 values), heapsort past a
 * depth of 2·log2(n) (introsort, Musser 1997), so never worse than O(n log n). No comparator callbacks
 * and no allocation: as fast as the native typed-array sort, and the index array makes a binary search
 * per element unnecessary. Not stable; keys must not be NaN.
 */

function swap(keys: Float64Array, index: Int32Array, a: number, b: number): void {
  const k = keys[a];
  keys[a] = keys[b];
  keys[b] = k;
  const i = index[a];
  index[a] = index[b];
  index[b] = i;
}

function insertionSort(keys: Float64Array, index: Int32Array, lo: number, hi: number): void {
  for (let a = lo + 1; a <= hi; a++) {
    const v = keys[a];
    const p = index[a];
    let b = a - 1;
    while (b >= lo && keys[b] > v) {
      keys[b + 1] = keys[b];
      index[b + 1] = index[b];
      b--;
    }
    keys[b + 1] = v;
    index[b + 1] = p;
  }
}

function siftDown(keys: Float64Array, index: Int32Array, lo: number, root: number, n: number): void {
  for (;;) {
    let c = 2 * root + 1;
    if (c >= n) return;
    if (c + 1 < n && keys[lo + c + 1] > keys[lo + c]) c++;
    if (!(keys[lo + c] > keys[lo + root])) return;
    swap(keys, index, lo + root, lo + c);
    root = c;
  }
}

function heapSort(keys: Float64Array, index: Int32Array, lo: number, hi: number): void {
  const n = hi - lo + 1;
  for (let r = (n >> 1) - 1; r >= 0; r--) siftDown(keys, index, lo, r, n);
  for (let e = n - 1; e > 0; e--) {
    swap(keys, index, lo, lo + e);
    siftDown(keys, index, lo, 0, e);
  }
}

function introSort(keys: Float64Array, index: Int32Array, lo: number, hi: number, depth: number): void {
  while (hi - lo > 32) {
    if (depth-- === 0) {
      heapSort(keys, index, lo, hi);
      return;
    }
    const mid = (lo + hi) >>> 1;
    if (keys[mid] < keys[lo]) swap(keys, index, mid, lo);
    if (keys[hi] < keys[lo]) swap(keys, index, hi, lo);
    if (keys[hi] < keys[mid]) swap(keys, index, hi, mid);
    const pivot = keys[mid];
    let i = lo - 1;
    let j = hi + 1;
    for (;;) {
      do i++;
      while (keys[i] < pivot);
      do j--;
      while (keys[j] > pivot);
      if (i >= j) break;
      swap(keys, index, i, j);
    }
    // recurse into the smaller side, loop on the larger: stack depth stays O(log n)
    if (j - lo < hi - j) {
      introSort(keys, index, lo, j, depth);
      lo = j + 1;
    } else {
      introSort(keys, index, j + 1, hi, depth);
      hi = j;
    }
  }
  insertionSort(keys, index, lo, hi);
}

/**
 * Sort `keys[0 … n)` ascending in place, moving `index[0 … n)` with them (introsort; keys without NaN).
 * `maxDepth`: quicksort levels before heapsort takes over (default 2·log2(n); 0 = heapsort only).
 * @example
 * const k = Float64Array.of(3, 1, 2), i = Int32Array.of(0, 1, 2); sortPairs(k, i, 3); [k, i]
 * // => [Float64Array [1, 2, 3], Int32Array [1, 2, 0]]
 */
export function sortPairs(keys: Float64Array, index: Int32Array, n: number, maxDepth = 2 * (31 - Math.clz32(n))): void {
  if (n > 1) introSort(keys, index, 0, n - 1, maxDepth);
}

/** Work buffers of `bucketSortPairs` for up to `keys.length` pairs (`counts` one longer). */
export interface PairSortWork {
  keys: Float64Array;
  index: Int32Array;
  counts: Int32Array;
}

/**
 * Work buffers for `bucketSortPairs` on up to `n` pairs.
 * @example pairSortWork(51).counts.length // => 52
 */
export function pairSortWork(n: number): PairSortWork {
  return { keys: new Float64Array(n), index: new Int32Array(n), counts: new Int32Array(n + 1) };
}

function allEqual(keys: Float64Array, start: number, end: number): boolean {
  const v = keys[start];
  for (let i = start + 1; i < end; i++) if (keys[i] !== v) return false;
  return true;
}

/**
 * The same sort as `sortPairs` (ascending keys, index moved along; keys without NaN) by distribution
 * (bucket sort, Knuth TAOCP vol. 3 §5.2.5): n buckets over [min, max], bucket = ⌊(key − min)·(n − 1)/(max − min)⌋,
 * which never decreases as the key grows (each operation rounds monotonically), so the buckets are in key
 * order; crowded buckets are sorted with `sortPairs` and one insertion pass orders the rest. About twice as
 * fast as `sortPairs` on 333 spread-out values; clustered values (a bucket with over a quarter of them)
 * and infinite keys fall back to `sortPairs`.
 * The sorted pairs end up in `keys`/`index` (returns false) or, to save a copy, in `work.keys`/`work.index`
 * (returns true).
 * @example
 * const k = Float64Array.of(3, 1, 2), i = Int32Array.of(0, 1, 2), w = pairSortWork(3);
 * bucketSortPairs(k, i, 3, w) ? [w.keys, w.index] : [k, i]
 * // => [Float64Array [1, 2, 3], Int32Array [1, 2, 0]]
 */
export function bucketSortPairs(keys: Float64Array, index: Int32Array, n: number, work: PairSortWork): boolean {
  if (n < 2) return false;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = keys[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (hi === lo) return false; // all equal: any order is sorted
  const scale = (n - 1) / (hi - lo);
  if (!(Number.isFinite(lo) && Number.isFinite(hi) && Number.isFinite(scale))) {
    sortPairs(keys, index, n);
    return false;
  }
  const counts = work.counts;
  counts.fill(0, 0, n + 1);
  for (let i = 0; i < n; i++) {
    let b = Math.floor((keys[i] - lo) * scale);
    if (b > n - 1) b = n - 1;
    counts[b + 1]++;
  }
  let most = 0;
  for (let b = 1; b <= n; b++) {
    if (counts[b] > most) most = counts[b];
    counts[b] += counts[b - 1];
  }
  if (most > n >> 2) {
    sortPairs(keys, index, n); // clustered values: the buckets would not help
    return false;
  }
  const k2 = work.keys;
  const i2 = work.index;
  for (let i = 0; i < n; i++) {
    const v = keys[i];
    let b = Math.floor((v - lo) * scale);
    if (b > n - 1) b = n - 1;
    const p = counts[b]++;
    k2[p] = v;
    i2[p] = index[i];
  }
  // counts[b] is now the end of bucket b
  let start = 0;
  for (let b = 0; b < n; b++) {
    const end = counts[b];
    if (end - start > 16 && !allEqual(k2, start, end))
      sortPairs(k2.subarray(start, end), i2.subarray(start, end), end - start);
    start = end;
  }
  // one insertion pass: elements only move within their bucket, at most 16 of them unsorted (≤ 120 moves)
  for (let a = 1; a < n; a++) {
    const v = k2[a];
    const p = i2[a];
    let b = a - 1;
    while (b >= 0 && k2[b] > v) {
      k2[b + 1] = k2[b];
      i2[b + 1] = i2[b];
      b--;
    }
    k2[b + 1] = v;
    i2[b + 1] = p;
  }
  return true;
}
