import { describe, expect, it } from 'vitest';
import { fromRows } from '../../core/dataset.ts';
import { auditCorrelations, correlation, correlationMatrix } from './correlations.ts';
import { tinyFramework } from './test-helpers.ts';

describe('correlation (pairwise complete)', () => {
  it('drops rows where either value is missing (worked by hand)', () => {
    // complete rows: x = 1,2,3,4, y = 2,1,4,3; centred x = −1.5,−.5,.5,1.5, y = −.5,−1.5,1.5,.5
    // Σdxdy = .75+.75+.75+.75 = 3, Σdx² = Σdy² = 5 → r = 3/5 (numpy.corrcoef: 0.6000000000000001)
    expect(correlation([1, 2, 3, 4, 5, NaN], [2, 1, 4, 3, NaN, 6], 'pearson')).toBeCloseTo(0.6, 14);
    // ranks equal the values here, so Spearman = Pearson = 0.6 (scipy.stats.spearmanr)
    expect(correlation([1, 2, 3, 4, 5, NaN], [2, 1, 4, 3, NaN, 6], 'spearman')).toBeCloseTo(0.6, 14);
  });
  it('matrix is symmetric with 1 on the diagonal, NaN for a constant column', () => {
    const ds = fromRows(
      ['A', 'B', 'C'],
      ['x', 'y', 'k'],
      [
        [1, 3, 5],
        [2, 1, 5],
        [3, 2, 5],
      ],
    );
    const r = correlationMatrix(ds, ['x', 'y', 'k'], ['x', 'y', 'k'], 'pearson');
    expect(r[0][0]).toBe(1);
    expect(r[0][1]).toBe(r[1][0]);
    expect(r[2][2]).toBeNaN();
    expect(r[0][2]).toBeNaN();
  });
  it('Spearman matrix (ranks cached for complete columns) equals the pairwise Spearman, with and without gaps', () => {
    const ds = fromRows(
      ['A', 'B', 'C', 'D', 'E'],
      ['x', 'y', 'z'],
      [
        [1, 5, 2],
        [2, 3, NaN],
        [3, 3, 1],
        [4, 1, 7],
        [9, 2, 3],
      ],
    );
    const r = correlationMatrix(ds, ['x', 'y', 'z'], ['x', 'y', 'z'], 'spearman');
    const cols = [
      [1, 2, 3, 4, 9],
      [5, 3, 3, 1, 2],
      [2, NaN, 1, 7, 3],
    ];
    for (let a = 0; a < 3; a++)
      for (let b = 0; b < 3; b++) if (a !== b) expect(r[a][b]).toBe(correlation(cols[a], cols[b], 'spearman'));
    // scipy.stats.spearmanr([1,2,3,4,9], [5,3,3,1,2]) = −0.8720815992723809 (ties averaged)
    expect(r[0][1]).toBeCloseTo(-0.8720815992723809, 14);
  });
});

describe('auditCorrelations', () => {
  // a, b nearly equal (collinear), c falling; P = mean(a, b), Q = c, I = mean(P, Q).
  // numpy.corrcoef: r(a,b) = 0.9972565106055741, r(P,Q) = −0.9993188955228127, r(P,I) = −0.09818331254087226,
  // r(Q,I) = 0.13483997249264842, r(a,P) = 0.9993188955228127.
  const a = [1, 2, 3, 4],
    b = [1.1, 2, 3.2, 4],
    c = [4, 3, 2, 1];
  const P = a.map((v, i) => (v + b[i]) / 2),
    I = P.map((v, i) => (v + c[i]) / 2);
  const ds = fromRows(
    ['A', 'B', 'C', 'D'],
    ['a', 'b', 'c', 'P', 'Q', 'I'],
    a.map((_, i) => [a[i], b[i], c[i], P[i], c[i], I[i]]),
  );
  const res = auditCorrelations(ds, tinyFramework());

  it('flags the collinear pair, the negative pair and the weak parents', () => {
    const flags = res.flags.map((f) => `${f.kind}:${f.a}-${f.b}`).sort();
    expect(flags).toEqual(['collinear:a-b', 'negative:P-Q', 'weakParent:P-I', 'weakParent:Q-I']);
    expect(res.flags.find((f) => f.kind === 'collinear')!.r).toBeCloseTo(0.9972565106055741, 12);
    expect(res.flags.find((f) => f.kind === 'negative')!.r).toBeCloseTo(-0.9993188955228127, 12);
  });
  it('family correlations: each element with its parent and every ancestor', () => {
    const aP = res.family.find((f) => f.code === 'a' && f.ancestor === 'P')!;
    expect(aP.isParent).toBe(true);
    expect(aP.pearson).toBeCloseTo(0.9993188955228127, 12);
    const aI = res.family.find((f) => f.code === 'a' && f.ancestor === 'I')!;
    expect([aI.isParent, aI.isIndex]).toEqual([false, true]);
    expect(aI.pearson).toBeCloseTo(-0.13483997249264842, 12);
    expect(res.family.filter((f) => f.code === 'P').map((f) => f.ancestor)).toEqual(['I']);
    expect(res.levels.map((l) => l.codes)).toEqual([['a', 'b', 'c'], ['P', 'Q'], ['I']]);
    expect(res.crossLevels.map((x) => [x.levelA, x.levelB])).toEqual([[1, 2]]);
    expect(res.crossLevels[0].pearson[0][0]).toBe(aP.pearson);
  });
});
