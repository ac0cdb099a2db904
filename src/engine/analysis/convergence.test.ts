import { describe, expect, it } from 'vitest';
import { CityIndexError } from '../core/errors.ts';
import { betaConvergence, rankChanges, scoreChanges, sigmaConvergence } from './convergence.ts';

describe('sigmaConvergence', () => {
  it('hand case: CV 2019 = 1/2 (values 1, 3), 2020 = 0.5/2.5 (values 2, 3); population sd', () => {
    const r = sigmaConvergence({
      codes: ['a', 'b'],
      periods: ['2019', '2020'],
      values: [
        [1, 3],
        [2, 3],
      ],
    });
    expect(r.ddof).toBe(0);
    expect(r.periods.map((p) => p.cv)).toEqual([0.5, 0.2]);
    // sd of logs: |ln3 − ln1|/2 and |ln3 − ln2|/2
    expect(r.periods[0].sdLog).toBeCloseTo(Math.log(3) / 2, 15);
    expect(r.periods[1].sdLog).toBeCloseTo(Math.log(1.5) / 2, 15);
    expect(r.cvChange).toBeCloseTo(-0.3, 15);
    expect(r.converging).toBe(true);
  });
  it('sample sd on request (ddof 1): √2 × the population value for two units', () => {
    const r = sigmaConvergence({ codes: ['a', 'b'], periods: ['2019'], values: [[1, 3]] }, { population: false });
    expect(r.ddof).toBe(1);
    expect(r.periods[0].cv).toBeCloseTo(Math.SQRT2 / 2, 15);
  });
  it('zero scores: CV is computed, sd(ln y) is null with a warning naming the unit', () => {
    const r = sigmaConvergence({ codes: ['a', 'b', 'c'], periods: ['2019'], values: [[0, 50, 100]] });
    expect(r.periods[0].sdLog).toBeNull();
    expect(r.sdLogChange).toBeNull();
    expect(r.warnings[0]).toMatch(/unit a \(index 0\)/);
  });
  it('missing values: error by default, dropUnit lists the dropped units', () => {
    const panel = {
      codes: ['a', 'b', 'c'],
      periods: ['2019', '2020'],
      values: [
        [1, 2, 3],
        [1, NaN, 4],
      ],
    };
    expect(() => sigmaConvergence(panel)).toThrow(/unit b \(index 1\) has no value in period 2020/);
    const r = sigmaConvergence(panel, { missing: 'dropUnit' });
    expect(r.droppedUnits).toEqual(['b']);
    expect(r.periods[0].n).toBe(2);
    expect(r.periods[0].cv).toBeCloseTo(0.5, 15);
  });
  it('rejects ragged panels', () => {
    expect(() => sigmaConvergence({ codes: ['a'], periods: ['x', 'y'], values: [[1]] })).toThrow(CityIndexError);
    expect(() => sigmaConvergence({ codes: ['a', 'b'], periods: ['x'], values: [[1]] })).toThrow(
      /1 values for 2 units/,
    );
  });
});

describe('betaConvergence', () => {
  it('exact fit: y0 = 1, 2, 4 all reach 4 in one period → β = −1, R² = 1; 1 + βT = 0 gives no λ', () => {
    const r = betaConvergence([1, 2, 4], [4, 4, 4], 1);
    expect(r.beta).toBeCloseTo(-1, 14);
    expect(r.alpha).toBeCloseTo(Math.log(4), 14);
    expect(r.r2).toBeCloseTo(1, 14);
    expect(r.lambda).toBeNull();
    expect(r.halfLife).toBeNull();
    expect(r.warnings[0]).toMatch(/λ is undefined/);
  });
  it('matches scipy.stats.linregress (estimates, standard errors, p-value)', () => {
    /* python: y0 = [1,2,4,8,16]; yT = [3,5,6,9,17]; T = 10; x = ln y0; z = ln(yT/y0)/T
       r = scipy.stats.linregress(x, z)
       slope -0.04147002412386684, intercept 0.10946517632088737, stderr 0.005977205983489629,
       intercept_stderr 0.010148440475707527, pvalue 0.006140448555327882, rvalue² 0.9413331873095242
       λ = -ln(1 + slope·T)/T = 0.05356311548474736 */
    const r = betaConvergence([1, 2, 4, 8, 16], [3, 5, 6, 9, 17], 10);
    expect(r.beta).toBeCloseTo(-0.04147002412386684, 14);
    expect(r.alpha).toBeCloseTo(0.10946517632088737, 14);
    expect(r.seBeta).toBeCloseTo(0.005977205983489629, 14);
    expect(r.seAlpha).toBeCloseTo(0.010148440475707527, 14);
    expect(Math.abs(r.pBeta - 0.006140448555327882)).toBeLessThan(1e-12);
    expect(r.r2).toBeCloseTo(0.9413331873095242, 13);
    expect(r.lambda!).toBeCloseTo(0.05356311548474736, 13);
    expect(r.halfLife!).toBeCloseTo(Math.LN2 / 0.05356311548474736, 10);
    expect(r.df).toBe(3);
    expect(r.converging && r.significant).toBe(true);
  });
  it('divergence: β > 0, λ < 0, no half-life', () => {
    const r = betaConvergence([1, 2, 4, 8], [1.1, 2.5, 6, 14], 5);
    expect(r.beta).toBeGreaterThan(0);
    expect(r.converging).toBe(false);
    expect(r.lambda!).toBeLessThan(0);
    expect(r.halfLife).toBeNull();
  });
  it('warns about ceiling effects for bounded scores', () => {
    const r = betaConvergence([40, 60, 80, 97], [70, 80, 90, 99], 3, { upperBound: 100 });
    expect(r.warnings.some((w) => /ceiling/.test(w))).toBe(true);
  });
  it('validates at the door', () => {
    expect(() => betaConvergence([1, 0, 2], [1, 2, 3], 1, { codes: ['a', 'b', 'c'] })).toThrow(
      /initial value of unit b/,
    );
    expect(() => betaConvergence([1, 2, 3], [1, 2], 1)).toThrow(/3 initial values but 2/);
    expect(() => betaConvergence([1, 2, 3], [1, 2, 3], 0)).toThrow(/T must be/);
    expect(() => betaConvergence([2, 2, 2], [1, 2, 3], 1)).toThrow(/all initial values are equal/);
    expect(() => betaConvergence([1, 2], [1, 2], 1)).toThrow(/at least 3/);
  });
});

describe('rankChanges', () => {
  const codes = ['杭州', '深圳', '北京', '武汉', '郑州', '西安', '兰州', '拉萨', '三亚'];
  const a = [3, 1, 2, 12, 15, 20, 40, 60, null];
  const b = [1, 2, 3, 5, 7, 10, 25, null, 80];
  it('gain = rankA − rankB; leapfroggers by largest gain; entered/left listed', () => {
    const r = rankChanges(codes, a, b, { top: 3 });
    expect(r.units.map((u) => u.gain)).toEqual([2, -1, -1, 7, 8, 10, 15]);
    expect(r.leapfroggers.map((u) => u.code)).toEqual(['兰州', '西安', '郑州']);
    expect(r.fallers.map((u) => u.code)).toEqual(['深圳', '北京']);
    expect(r.entered).toEqual(['三亚']);
    expect(r.left).toEqual(['拉萨']);
    expect([r.nUp, r.nDown, r.nSame]).toEqual([5, 2, 0]);
    expect(r.meanAbsoluteChange).toBeCloseTo(44 / 7, 14);
    // Spearman: ranks of A within the 7 = 3,1,2,4,5,6,7 vs 1..7; Σd² = 4 + 1 + 1 = 6; ρ = 1 − 6·6/(7·48)
    expect(r.spearman).toBeCloseTo(1 - 36 / 336, 14);
  });
  it('keeps ties with the last listed leapfrogger', () => {
    const r = rankChanges(['a', 'b', 'c', 'd'], [4, 3, 2, 1], [2, 1, 4, 3], { top: 1 });
    expect(r.leapfroggers.map((u) => u.code)).toEqual(['b', 'a']);
  });
  it('validates', () => {
    expect(() => rankChanges(['a'], [1, 2], [1])).toThrow(/1 codes, 2 ranks/);
    expect(() => rankChanges(['a'], [0], [1])).toThrow(/ranks ≥ 1/);
  });
});

describe('scoreChanges', () => {
  it('changes, relative changes and incomplete units', () => {
    const r = scoreChanges(['a', 'b', 'c', 'd'], [50, 40, 0, NaN], [55, 38, 2, 10], { top: 2 });
    expect(r.units.map((u) => u.change)).toEqual([5, -2, 2]);
    expect(r.units.map((u) => u.relativeChange)).toEqual([0.1, -0.05, null]);
    expect(r.incomplete).toEqual(['d']);
    expect(r.meanChange).toBeCloseTo(5 / 3, 15);
    expect(r.largestGains.map((u) => u.code)).toEqual(['a', 'c']);
  });
});
