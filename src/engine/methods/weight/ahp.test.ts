import { describe, expect, it } from 'vitest';
import { aggregateAhpMatrices, ahpWeights, checkAhpMatrix, RI_CHINESE, RI_SAATY } from './ahp.ts';
import { CityIndexError } from '../../core/errors.ts';

// pyrepo-mcda ahp.py docstring matrix; targets in METHODS.md §4.2 (reproduced with numpy.linalg.eig)
const A = [
  [1, 1, 5, 3],
  [1, 1, 5, 3],
  [1 / 5, 1 / 5, 1, 1 / 3],
  [1 / 3, 1 / 3, 3, 1],
];

describe('ahpWeights (Saaty 1977; pyrepo-mcda)', () => {
  it('eigenvector weights, λmax, CI, CR to 6 d.p.', () => {
    const r = ahpWeights(A);
    [0.389862, 0.389862, 0.067925, 0.152352].forEach((v, j) => expect(r.weights[j]).toBeCloseTo(v, 6));
    expect(r.lambdaMax).toBeCloseTo(4.043493, 6);
    expect(r.ci).toBeCloseTo(0.014498, 6);
    expect(r.cr).toBeCloseTo(0.016109, 6);
    expect(r.ri).toBe(0.9);
    expect(r.riTable).toBe('saaty');
    expect(r.consistent).toBe(true);
    expect(r.warnings).toEqual([]);
  });

  it('geometric-mean and column-normalised variants', () => {
    const g = ahpWeights(A, { variant: 'geometricMean' });
    [0.390813, 0.390813, 0.067481, 0.150892].forEach((v, j) => expect(g.weights[j]).toBeCloseTo(v, 6));
    const c = ahpWeights(A, { variant: 'columnNormalised' });
    [0.388927, 0.388927, 0.068694, 0.153452].forEach((v, j) => expect(c.weights[j]).toBeCloseTo(v, 6));
    expect(c.lambdaMax).toBeCloseTo(4.043493, 6); // λmax is always the principal eigenvalue
  });

  it('the Chinese RI table gives CR = CI / 0.89 and is recorded', () => {
    const r = ahpWeights(A, { riTable: 'chinese' });
    expect(r.ri).toBe(0.89);
    expect(r.riTable).toBe('chinese');
    expect(r.cr).toBeCloseTo(0.014498 / 0.89, 6);
    expect(RI_SAATY).toHaveLength(10);
    expect(RI_CHINESE).toHaveLength(15);
  });

  it('a consistent matrix has λmax = n and CR = 0; n = 2 is always consistent', () => {
    // a_ij = w_i / w_j with w = (4, 2, 1)
    const w = [4, 2, 1];
    const r = ahpWeights(w.map((wi) => w.map((wj) => wi / wj)));
    [4 / 7, 2 / 7, 1 / 7].forEach((v, j) => expect(r.weights[j]).toBeCloseTo(v, 12));
    expect(r.lambdaMax).toBeCloseTo(3, 12);
    expect(r.cr).toBeCloseTo(0, 12);
    const two = ahpWeights([
      [1, 3],
      [1 / 3, 1],
    ]);
    expect(Array.from(two.weights)).toEqual([0.75, 0.25]);
    expect(two.cr).toBe(0);
  });

  it('warns when CR > 0.10', () => {
    // intransitive: 1 ≻ 2 ≻ 3 ≻ 1, each by 9
    const r = ahpWeights(
      [
        [1, 9, 1 / 9],
        [1 / 9, 1, 9],
        [9, 1 / 9, 1],
      ],
      { label: 'D1' },
    );
    expect(r.consistent).toBe(false);
    expect(r.cr).toBeGreaterThan(0.1);
    expect(r.warnings[0].code).toBe('W_AHP_INCONSISTENT');
    expect(r.warnings[0].message).toMatch(/D1/);
  });

  it('located errors: not square, non-positive, not reciprocal, too large for the table', () => {
    expect(checkAhpMatrix([[1, 2], [0.5]])[0]).toMatchObject({ code: 'E_AHP_SHAPE', row: 2 });
    expect(
      checkAhpMatrix(
        [
          [1, -2],
          [0.5, 1],
        ],
        { codes: ['a', 'b'] },
      )[0],
    ).toMatchObject({ code: 'E_AHP_VALUE', row: 1, column: 'b' });
    const rec = checkAhpMatrix(
      [
        [1, 3, 1],
        [3, 1, 1],
        [1, 1, 1],
      ],
      { codes: ['x', 'y', 'z'], label: 'P' },
    );
    expect(rec).toHaveLength(1);
    expect(rec[0]).toMatchObject({ code: 'E_AHP_RECIPROCAL', row: 2, column: 'x' });
    expect(rec[0].message).toMatch(/"P"/);
    expect(
      checkAhpMatrix([
        [1, 3],
        [0.33, 1],
      ]),
    ).toEqual([]); // typed 1/3 is accepted
    expect(() =>
      ahpWeights([
        [1, 3, 1],
        [3, 1, 1],
        [1, 1, 1],
      ]),
    ).toThrow(CityIndexError);
    const eleven = Array.from({ length: 11 }, () => Array.from({ length: 11 }, () => 1));
    expect(() => ahpWeights(eleven)).toThrow(/stops at n = 10/);
    expect(ahpWeights(eleven, { riTable: 'chinese' }).ri).toBe(1.52);
  });

  it('group AHP: element-wise geometric mean stays reciprocal (Aczél & Saaty 1983)', () => {
    const g = aggregateAhpMatrices([
      [
        [1, 2],
        [1 / 2, 1],
      ],
      [
        [1, 8],
        [1 / 8, 1],
      ],
    ]);
    expect(g[0][1]).toBeCloseTo(4, 14); // √(2·8)
    expect(g[1][0]).toBeCloseTo(0.25, 14);
    const three = aggregateAhpMatrices([A, A, A]);
    three.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(A[i][j], 14)));
    expect(() =>
      aggregateAhpMatrices([
        A,
        [
          [1, 2],
          [1 / 2, 1],
        ],
      ]),
    ).toThrow(/expert 2/);
    expect(() => aggregateAhpMatrices([])).toThrow(/no matrices/);
  });
});
