/**
 * The one ranking rule of the engine ("sport" ranking, R `rank(x, ties.method = "min", na.last = "keep")`),
 * with near-ties: walking the values from best to worst, a value starts a new tie group unless it equals
 * the group's first (best) value or lies within `threshold = tolerance × max|x|` of it; every member of a
 * group gets the group's first position as its rank. `tolerance = 0` is R's exact comparison. The build's
 * ranks (`ranksDataset`), the uncertainty runner, leave-one-out and the what-if all rank through
 * `tieThreshold` + `tiesWith` (or `rankMinInto`), so a near-tie is a tie everywhere or nowhere.
 */
import { bucketSortPairs, pairSortWork, type PairSortWork } from './sort-pairs.ts';

type Num = ArrayLike<number>;

/**
 * Absolute tie threshold of a column: `tolerance × max|x|` over the non-missing values (of the first
 * `length`); exactly 0 when `tolerance` is 0 (R's exact ties, even with infinite values).
 * @example tieThreshold([2, -4, NaN], 1e-10) // => 4e-10
 */
export function tieThreshold(x: Num, tolerance: number, length = x.length): number {
  if (!(tolerance > 0)) return 0;
  let scale = 0;
  for (let i = 0; i < length; i++) {
    const a = Math.abs(x[i]);
    if (a > scale) scale = a; // NaN fails the comparison
  }
  return tolerance * scale;
}

/**
 * True when `v` belongs to the tie group whose first (best) value is `leader`: equal, or within `threshold`.
 * @example tiesWith(2, 1.9999999999999998, 2e-10) // => true
 * @example tiesWith(2, 1.9999999999999998, 0) // => false
 */
export function tiesWith(leader: number, v: number, threshold: number): boolean {
  return v === leader || Math.abs(v - leader) <= threshold;
}

/** Preallocated buffers for `rankMinInto` (columns of up to `keys.length` values). */
export interface RankScratch {
  keys: Float64Array;
  index: Int32Array;
  /** The sort's own work buffers. */
  work: PairSortWork;
}

/**
 * Scratch buffers for ranking columns of up to `n` values without allocating.
 * @example rankScratch(51).keys.length // => 51
 */
export function rankScratch(n: number): RankScratch {
  return { keys: new Float64Array(n), index: new Int32Array(n), work: pairSortWork(n) };
}

/**
 * Ranks of `x` into `out` (same length): 1 = best, where best is the largest value when `descending`
 * (scores) and the smallest otherwise (R `rank(x, ties.method = "min")`); NaN stays NaN; near-ties by
 * `tolerance` as described above. `scratch` must hold at least `length` values. With `offset`/`length`,
 * ranks the slice `x[offset … offset + length)` into the same positions of `out` (a column of a
 * column-major matrix, without a subarray view).
 * @example rankMinInto([10, 30, 30, 20], true, 0, new Float64Array(4), rankScratch(4)) // => Float64Array [4, 1, 1, 3]
 * @example
 * rankMinInto([2, 1.9999999999999998, 1], true, 1e-10, new Float64Array(3), rankScratch(3))
 * // => Float64Array [1, 1, 3]
 */
export function rankMinInto(
  x: Num,
  descending: boolean,
  tolerance: number,
  out: Float64Array,
  scratch: RankScratch,
  offset = 0,
  length = x.length - offset,
): Float64Array {
  const keys = scratch.keys;
  const index = scratch.index;
  const sign = descending ? -1 : 1;
  let k = 0;
  for (let i = 0; i < length; i++) {
    const v = x[offset + i];
    if (v !== v) {
      out[offset + i] = NaN;
      continue;
    }
    keys[k] = sign * v;
    index[k] = i;
    k++;
  }
  const inWork = bucketSortPairs(keys, index, k, scratch.work);
  const sorted = inWork ? scratch.work.keys : keys;
  const order = inWork ? scratch.work.index : index;
  const threshold = tieThreshold(sorted, tolerance, k);
  let leader = 0;
  for (let t = 0; t < k; t++) {
    if (t === 0 || !tiesWith(sorted[leader], sorted[t], threshold)) leader = t;
    out[offset + order[t]] = leader + 1;
  }
  return out;
}
