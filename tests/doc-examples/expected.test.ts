/** The expected-value language of doc examples: what it accepts, and that a wrong value is caught. */
import { describe, expect, it } from 'vitest';
import { compare, parseExpected } from './expected.ts';

const check = (actual: unknown, text: string): string[] => compare(actual, parseExpected(text).expected);

describe('doc-example expected values', () => {
  it('numbers: exact to rounding noise, or leading digits with …', () => {
    expect(check(0.1 + 0.2, '0.3')).toEqual([]);
    expect(check(0.31, '0.3')).toHaveLength(1);
    expect(check(0.9933992677987828, '0.99339926…')).toEqual([]);
    expect(check(0.9933992677987828, '0.99339925…')).toHaveLength(1);
    expect(check(2 / 3, '2/3')).toEqual([]);
    expect(check(-1.5e-3, '-1.5e-3')).toEqual([]);
    expect(check(NaN, 'NaN')).toEqual([]);
    expect(check(1, 'NaN')).toHaveLength(1);
  });

  it('arrays, typed arrays, prefixes and objects', () => {
    expect(check(Float64Array.of(1, 2), '[1, 2]')).toEqual([]);
    expect(check([1, 2], 'Float64Array [1, 2]')).toHaveLength(1);
    expect(check(Int32Array.of(1, 2, 3), 'Int32Array [1, 2, …]')).toEqual([]);
    expect(check([1, 2, 3], '[1, 2]')).toHaveLength(1);
    expect(check({ a: 1, b: 'x' }, "{ a: 1, b: 'x' }")).toEqual([]);
    expect(check({ a: 1, b: 'x' }, '{ a: 1 }')).toEqual([
      '.b: not expected (end the object with … to allow more keys)',
    ]);
    expect(check({ a: 1, b: 'x' }, '{ a: 1, … }')).toEqual([]);
    expect(check({ a: [1, { c: null }] }, '{ a: [1, { c: undefined }] }')).toEqual([
      '.a[1].c: expected undefined, got null',
    ]);
  });

  it('a remark after a space; anything else is a syntax error', () => {
    expect(parseExpected(" 'x' (a remark)")).toEqual({
      expected: { kind: 'string', value: 'x' },
      remark: '(a remark)',
    });
    expect(parseExpected(' throws E_SHAPE').expected).toEqual({ kind: 'throws', code: 'E_SHAPE' });
    expect(() => parseExpected(' e.g. [1, 2]')).toThrow(/expected a number/);
    expect(() => parseExpected(' [1, r]')).toThrow(/expected a number/);
    expect(() => parseExpected(' 16/6≈2.7')).toThrow(/remark must follow a space/);
  });
});
