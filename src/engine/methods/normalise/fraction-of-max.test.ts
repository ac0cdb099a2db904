// Reference: COINr 1.1.14 R/normalise.R `n_fracmax` (x / max(x, na.rm = TRUE) · scale), worked by hand.
import { describe, expect, it } from 'vitest';
import { NormaliseMethodSchema } from './index.ts';
import { DegenerateColumnError } from './definition.ts';
import { fractionOfMax, fractionOfMaxNormalisation } from './fraction-of-max.ts';

const xr = [0.31, 0.72, 0.05, 0.94, 0.5, 0.18, 0.66, 0.27, 0.83, 0.41]; // fixed stand-in for runif(10)
const arr = (a: ArrayLike<number>) => Array.from(a);

describe('fractionOfMax (COINr n_fracmax)', () => {
  it('divides by the maximum, times scale; missing stays missing; the input is not mutated', () => {
    const x = Object.freeze([1, 2, NaN, 4]);
    expect([...fractionOfMax(x)]).toEqual([0.25, 0.5, NaN, 1]);
    expect([...fractionOfMax(x, 100)]).toEqual([25, 50, NaN, 100]);
    expect(x).toEqual([1, 2, NaN, 4]);
  });

  it('COINr formula: x / max(x)', () => {
    const mx = Math.max(...xr);
    arr(fractionOfMax(xr)).forEach((v, i) => expect(v).toBeCloseTo(xr[i] / mx, 12));
  });

  it('a zero maximum or an empty column is a named error, never NaN', () => {
    expect(() => fractionOfMax([0, 0])).toThrow(DegenerateColumnError);
    expect(() => fractionOfMax([NaN])).toThrow('no available values');
  });

  it('definition: defaults written once, resolve fills them, the column kernel and texts agree', () => {
    expect(fractionOfMaxNormalisation.defaults).toEqual({ scale: 1 });
    expect(fractionOfMaxNormalisation.resolve({ method: 'fractionOfMax' }, undefined)).toEqual({
      method: 'fractionOfMax',
      scale: 1,
    });
    const column = fractionOfMaxNormalisation.column(
      [2, 4],
      { method: 'fractionOfMax', scale: 10 },
      { direction: 1, unitCodes: [] },
    );
    expect([...column]).toEqual([5, 10]);
    expect(fractionOfMaxNormalisation.text.en({ method: 'fractionOfMax' })).toBe('fraction of maximum');
    expect(fractionOfMaxNormalisation.text.zh({ method: 'fractionOfMax' })).toBe('占最大值比例');
  });

  it('the spec accepts it through the registry-built union and rejects unknown settings', () => {
    expect(NormaliseMethodSchema.safeParse({ method: 'fractionOfMax', scale: 100 }).success).toBe(true);
    expect(NormaliseMethodSchema.safeParse({ method: 'fractionOfMax', range: [0, 1] }).success).toBe(false);
  });
});
