import { describe, expect, it } from 'vitest';
import { entropyWeights } from './entropy.ts';
import { CityIndexError } from '../../core/errors.ts';
import { colMajor } from '../../test-fixtures/engine.ts';
import { XU_2004 } from './test-helpers.ts';

const close = (a: ArrayLike<number>, b: number[], digits: number): void => {
  expect(a.length).toBe(b.length);
  b.forEach((v, j) => expect(a[j]).toBeCloseTo(v, digits));
};

describe('entropyWeights (METHODS.md §4.2, pyrepo-mcda tests)', () => {
  it('Xu (2004): weights and entropies', () => {
    const { X, m, n } = colMajor(XU_2004);
    const r = entropyWeights(X, m, n);
    close(r.weights, [0.463, 0.3992, 0.1378, 0.0], 4);
    close(r.entropy, [0.887204, 0.902736, 0.966416, 0.999999], 6);
    close(
      r.divergence,
      Array.from(r.entropy, (e) => 1 - e),
      12,
    );
    expect(r.weights.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
  });

  it('Zavadskas & Podvezko (2016)', () => {
    const { X, m, n } = colMajor([
      [3.0, 100, 10, 7],
      [2.5, 80, 8, 5],
      [1.8, 50, 20, 11],
      [2.2, 70, 12, 9],
    ]);
    close(entropyWeights(X, m, n).weights, [0.1146, 0.1981, 0.4185, 0.2689], 4);
  });

  it('Ersoy (2021) 6 × 6', () => {
    const { X, m, n } = colMajor([
      [256, 8, 41, 1.6, 1.77, 7347.16],
      [256, 8, 32, 1.0, 1.8, 6919.99],
      [256, 8, 53, 1.6, 1.9, 8400],
      [256, 8, 41, 1.0, 1.75, 6808.9],
      [512, 8, 35, 1.6, 1.7, 8479.99],
      [256, 4, 35, 1.6, 1.7, 7499.99],
    ]);
    close(entropyWeights(X, m, n).weights, [0.405, 0.221, 0.134, 0.199, 0.007, 0.034], 3);
  });

  it('zeros with shift none use 0·ln0 = 0; shifts change the weights', () => {
    // column 1 = [0, 1]: p = [0, 1], e = 0, d = 1; column 2 = [1, 1]: e = 1, d = 0
    const X = new Float64Array([0, 1, 1, 1]);
    const r = entropyWeights(X, 2, 2);
    close(r.entropy, [0, 1], 12);
    close(r.weights, [1, 0], 12);
    // add1e-4: p = [1e-4, 1.0001]/1.0002
    const s = entropyWeights(X, 2, 2, { shift: 'add1e-4' });
    const p1 = 1e-4 / 1.0002;
    const p2 = 1.0001 / 1.0002;
    expect(s.entropy[0]).toBeCloseTo(-(p1 * Math.log(p1) + p2 * Math.log(p2)) / Math.log(2), 12);
    // affine: 0.01 + 0.99r → [0.01, 1]
    const a = entropyWeights(X, 2, 2, { shift: 'affine0.01' });
    const q1 = 0.01 / 1.01;
    const q2 = 1 / 1.01;
    expect(a.entropy[0]).toBeCloseTo(-(q1 * Math.log(q1) + q2 * Math.log(q2)) / Math.log(2), 12);
  });

  it('a uniform column has e = 1 and weight exactly 0', () => {
    const r = entropyWeights(new Float64Array([0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 1, 2, 3, 4, 5, 6, 7]), 7, 2);
    expect(r.entropy[0]).toBe(1);
    expect(r.constantColumns).toEqual([0]);
    expect(Array.from(r.weights)).toEqual([0, 1]);
  });

  it('two constant columns do not share the weight by rounding noise: no weights, named error', () => {
    // Σ p ln p over 7 equal values is −ln 7 only up to rounding: e = 0.9999999999999998 and
    // 1.0000000000000004 gave weights [1, 0] before constant columns were detected
    const X = new Float64Array([33.3, 33.3, 33.3, 33.3, 33.3, 33.3, 33.3, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1]);
    try {
      entropyWeights(X, 7, 2, { indicatorCodes: ['parks', 'wifi'] });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(CityIndexError);
      expect((e as CityIndexError).issues.map((i) => [i.code, i.indicator])).toEqual([
        ['E_WEIGHTS_UNDEFINED', 'parks'],
        ['E_WEIGHTS_UNDEFINED', 'wifi'],
      ]);
    }
  });

  it('an all-zero column carries no information', () => {
    const r = entropyWeights(new Float64Array([0, 0, 0, 1, 2, 3]), 3, 2);
    expect(r.zeroColumns).toEqual([0]);
    close(r.weights, [0, 1], 12);
  });

  it('negative values are a located error naming unit and indicator', () => {
    const X = new Float64Array([1, 2, 3, -4]);
    try {
      entropyWeights(X, 2, 2, { unitCodes: ['110000', '310000'], indicatorCodes: ['gdp', 'pop'] });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(CityIndexError);
      const issue = (e as CityIndexError).issues[0];
      expect(issue.code).toBe('E_ENTROPY_NEGATIVE');
      expect(issue.unit).toBe('310000');
      expect(issue.indicator).toBe('pop');
    }
  });

  it('missing values and too few units are errors; input is not mutated', () => {
    expect(() => entropyWeights(new Float64Array([1, NaN]), 2, 1)).toThrow(/missing/);
    expect(() => entropyWeights(new Float64Array([1]), 1, 1)).toThrow(/at least 2 units/);
    const { X, m, n } = colMajor(XU_2004);
    const copy = X.slice();
    entropyWeights(X, m, n, { shift: 'affine0.01' });
    expect(X).toEqual(copy);
  });
});
