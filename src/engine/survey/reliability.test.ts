import { describe, expect, it } from 'vitest';
import { cronbachAlpha } from './reliability.ts';

describe('cronbachAlpha', () => {
  // Four respondents, three items:      a  b  c | total
  //                                      1  2  1 |  4
  //                                      2  3  3 |  8
  //                                      3  3  2 |  8
  //                                      4  5  4 | 13
  // item variances (n−1): a 5/3, b 19/12, c 5/3 → Σ = 59/12 = 4.916667; total variance = 163/12 = 13.583333
  // α = 3/2 · (1 − 59/163) = 3/2 · 104/163 = 156/163 = 0.957055
  const data = { a: [1, 2, 3, 4], b: [2, 3, 3, 5], c: [1, 3, 2, 4] };

  it('reproduces the hand-worked alpha and item statistics (checked with numpy)', () => {
    const r = cronbachAlpha(data);
    expect(r.alpha).toBeCloseTo(156 / 163, 12);
    expect(r.k).toBe(3);
    expect(r.n).toBe(4);
    const a = r.items[0];
    expect(a.itemTotal).toBeCloseTo(0.9457687495404794, 10);
    expect(a.correctedItemTotal).toBeCloseTo(0.8778762251403478, 10);
    expect(a.alphaIfDeleted).toBeCloseTo(0.96, 12);
    expect(r.items[1].alphaIfDeleted).toBeCloseTo(8 / 9, 12);
  });

  it("equals COINr's get_cronbach k²·mean(off-diagonal cov)/sum(cov)", () => {
    const cols = Object.values(data);
    const k = cols.length;
    const n = 4;
    const m = cols.map((c) => c.reduce((s, x) => s + x, 0) / n);
    let off = 0;
    let all = 0;
    for (let i = 0; i < k; i++)
      for (let j = 0; j < k; j++) {
        let c = 0;
        for (let r = 0; r < n; r++) c += (cols[i][r] - m[i]) * (cols[j][r] - m[j]);
        c /= n - 1;
        all += c;
        if (i !== j) off += c;
      }
    expect(cronbachAlpha(data).alpha).toBeCloseTo((k * k * (off / (k * (k - 1)))) / all, 12);
  });

  it('is 1 for identical items, drops incomplete rows, and is NaN for one item', () => {
    expect(cronbachAlpha({ a: [1, 2, 3], b: [1, 2, 3] }).alpha).toBeCloseTo(1, 12);
    const r = cronbachAlpha({ a: [1, 2, 3, 4, NaN], b: [2, 3, 3, 5, 1], c: [1, 3, 2, 4, 1] });
    expect(r.n).toBe(4);
    expect(r.alpha).toBeCloseTo(156 / 163, 12);
    expect(cronbachAlpha({ a: [1, 2] }).alpha).toBeNaN();
  });
});
