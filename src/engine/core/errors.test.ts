// Issue 10 item 5: values quoted in messages are bounded where every CityIndexError is made.
import { describe, expect, it } from 'vitest';
import { boundIssue, CityIndexError, clipQuoted, MAX_QUOTED, type Issue } from './errors.ts';

describe('bounded issue text', () => {
  it('an ordinary issue is kept as the same object', () => {
    const issue: Issue = { code: 'E_X', message: 'value "12.5%" is not a number', file: 'data.csv', row: 3 };
    expect(boundIssue(issue)).toBe(issue);
  });

  it('every quoted value is cut to 80 characters with its length; the rest of the message is kept', () => {
    const a = 'a'.repeat(5000);
    const b = '北'.repeat(300);
    const e = new CityIndexError({
      code: 'E_X',
      message: `unit "${a}" or “${b}” is unknown`,
      column: 'c'.repeat(1000),
    });
    const [i] = e.issues;
    expect(i.message).toBe(
      `unit "${'a'.repeat(MAX_QUOTED)}… (5000 characters)" or “${'北'.repeat(80)}… (300 characters)” is unknown`,
    );
    expect(i.column).toBe(`${'c'.repeat(200)}… (1000 characters)`);
    expect(e.message.length).toBeLessThan(700);
  });

  it('an unquoted 10 MB message is capped at 2 000 characters', () => {
    const e = new CityIndexError({ code: 'E_X', message: 'y'.repeat(10_000_000) });
    expect(e.issues[0].message).toBe(`${'y'.repeat(2000)}… (10000000 characters)`);
  });

  it('control characters (NUL …) are shown as escapes, never printed raw', () => {
    expect(new CityIndexError({ code: 'E_X', message: 'code "a\u0000b"', unit: 'u\u0007' }).message).toBe(
      'unit u\\u0007: code "a\\u0000b" [E_X]',
    );
    expect(clipQuoted('tab\tkept')).toBe('tab\tkept');
  });

  it('a cut never splits a surrogate pair', () => {
    expect(clipQuoted('a' + '😀'.repeat(10), 2)).toBe('a… (21 characters)');
  });
});
