/**
 * Correctly rounded summation: the double nearest to the exact sum of a list of doubles (Shewchuk 1997,
 * "Adaptive precision floating-point arithmetic"; the algorithm of Python's `math.fsum`). R's `sum()`
 * accumulates in 80-bit long double, which is exact for the short sums of an index, so its results are
 * the correctly rounded sums; a plain double loop can be one ulp off, and in rank tables with
 * `tieTolerance: 0` one ulp decides a tie. Used by the aggregation means (build and uncertainty kernel).
 *
 * The partials are kept in a fixed buffer (non-overlapping doubles, increasing magnitude; at most about
 * 40 for any finite input), so an accumulator allocates once and can be reset and reused.
 */

const CAPACITY = 64;

/**
 * Streaming correctly rounded sum. `add` values, read `value()`; `reset()` to reuse.
 * Non-finite inputs (±Infinity, NaN) or an overflowing partial make `value()` the plain IEEE sum.
 * @example
 * const acc = new ExactSum();
 * for (const v of [0.1, 0.2, 0.3]) acc.add(v);
 * acc.value() // => 0.6
 */
export class ExactSum {
  private readonly p = new Float64Array(CAPACITY);
  private n = 0;
  /** The plain sum of the non-finite values seen (0 while every value is finite). */
  private special = 0;
  private hasSpecial = false;

  /** Forget every value added. */
  reset(): void {
    this.n = 0;
    this.special = 0;
    this.hasSpecial = false;
  }

  /** Add one value. */
  add(value: number): void {
    let x = value;
    if (!Number.isFinite(x)) {
      this.hasSpecial = true;
      this.special += x;
      return;
    }
    const p = this.p;
    let i = 0;
    for (let k = 0; k < this.n; k++) {
      let y = p[k];
      if (Math.abs(x) < Math.abs(y)) {
        const t = x;
        x = y;
        y = t;
      }
      const hi = x + y;
      const lo = y - (hi - x);
      if (lo !== 0) p[i++] = lo;
      x = hi;
    }
    if (!Number.isFinite(x)) {
      // the partials overflowed: the sum is outside the doubles, as a plain sum would say
      this.hasSpecial = true;
      this.special += x;
      this.n = 0;
      return;
    }
    if (i >= CAPACITY) throw new Error('ExactSum: partials exceed their bound'); // cannot happen for doubles
    p[i++] = x;
    this.n = i;
  }

  /** The correctly rounded sum of the values added (0 for none). */
  value(): number {
    if (this.hasSpecial) return this.special + this.roundedPartials();
    return this.roundedPartials();
  }

  private roundedPartials(): number {
    const p = this.p;
    let n = this.n;
    if (n === 0) return 0;
    n--;
    let hi = p[n];
    let lo = 0;
    while (n > 0) {
      const x = hi;
      n--;
      const y = p[n];
      hi = x + y;
      const yr = hi - x;
      lo = y - yr;
      if (lo !== 0) break;
    }
    // round half-even correction: when the rest has the same sign as the rounding error, round away
    if (n > 0 && ((lo < 0 && p[n - 1] < 0) || (lo > 0 && p[n - 1] > 0))) {
      const y = lo * 2;
      const x = hi + y;
      const yr = x - hi;
      if (y === yr) hi = x;
    }
    return hi;
  }
}

const shared = new ExactSum();

/**
 * Correctly rounded sum of `values` (the double nearest to the exact sum; R's `sum()` on an index's
 * short vectors).
 * @example exactSum([0.1, 0.2, 0.3]) // => 0.6   (a plain loop gives 0.6000000000000001)
 * @example exactSum([1e16, 1, -1e16]) // => 1
 */
export function exactSum(values: ArrayLike<number>): number {
  shared.reset();
  for (let k = 0; k < values.length; k++) shared.add(values[k]);
  return shared.value();
}
