// Reference: textbook LPs solved by hand (Hillier & Lieberman's Wyndor Glass problem; a degenerate LP).
import { describe, expect, it } from 'vitest';
import { simplexMax } from './simplex.ts';

describe('simplexMax', () => {
  it('Wyndor Glass: max 3x + 5y, x ≤ 4, 2y ≤ 12, 3x + 2y ≤ 18 -> 36 at (2, 6)', () => {
    const r = simplexMax([3, 5], [1, 0, 0, 2, 3, 2], [4, 12, 18], 3, 2);
    expect(r.status).toBe('optimal');
    expect(r.value).toBeCloseTo(36, 12);
    expect(Array.from(r.x).map((v) => +v.toFixed(12))).toEqual([2, 6]);
  });
  it('degenerate vertex (b = 0) terminates with Bland’s rule', () => {
    // max x + y s.t. x − y ≤ 0, x ≤ 2 -> x = y unbounded? no: y free above -> unbounded
    expect(simplexMax([1, 1], [1, -1, 1, 0], [0, 2], 2, 2).status).toBe('unbounded');
    // max x + y s.t. x − y ≤ 0, y ≤ 3, x + y ≤ 4 -> 4
    const r = simplexMax([1, 1], [1, -1, 0, 1, 1, 1], [0, 3, 4], 3, 2);
    expect(r.value).toBeCloseTo(4, 12);
  });
  it('refuses a negative right-hand side', () => {
    expect(() => simplexMax([1], [1], [-1], 1, 1)).toThrow(/≥ 0/);
  });
});
