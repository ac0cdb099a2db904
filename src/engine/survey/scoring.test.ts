import { describe, expect, it } from 'vitest';
import { respondentScores, scoreAnswer, scoreItems } from './scoring.ts';
import { tableOf } from './test-helpers.ts';
import { DONT_KNOW } from './types.ts';

describe('scoring', () => {
  it('maps a 1–5 Likert answer linearly to 0–100, reverse-coded items the other way', () => {
    // (x − 1)/(5 − 1)·100: 1 → 0, 2 → 25, 4 → 75, 5 → 100; reversed 2 → 75
    expect([1, 2, 4, 5].map((x) => scoreAnswer(x, {}, false))).toEqual([0, 25, 75, 100]);
    expect(scoreAnswer(2, {}, true)).toBe(75);
    // 0–10 scale: 7 → 70
    expect(scoreAnswer(7, { scale: { min: 0, max: 10 } }, false)).toBe(70);
  });

  it("treats don't know as missing or as the midpoint, and out-of-scale codes as missing", () => {
    expect(scoreAnswer(DONT_KNOW, {}, false)).toBeNaN();
    expect(scoreAnswer(DONT_KNOW, { dontKnowAs: 'midpoint' }, true)).toBe(50);
    expect(scoreAnswer(6, {}, false)).toBeNaN();
    expect(scoreAnswer(NaN, {}, false)).toBeNaN();
  });

  it('scores items of a table and rejects an unknown item with its column named', () => {
    const t = tableOf([{ items: { q1: 1, q2: 5 } }, { items: { q1: 5, q2: DONT_KNOW } }]);
    const s = scoreItems(t, ['q1', 'q2'], { reverse: ['q2'] });
    expect([...s.q1]).toEqual([0, 100]);
    expect([...s.q2]).toEqual([0, NaN]);
    expect(() => scoreItems(t, ['q9'], {})).toThrow(/column "q9"/);
  });

  it('averages answered items into a scale score, honouring minItems, and dichotomises proportions', () => {
    const scores = {
      a: Float64Array.of(100, 50, NaN),
      b: Float64Array.of(50, NaN, NaN),
      c: Float64Array.of(75, NaN, 25),
    };
    // row 1: (100+50+75)/3 = 75; row 2: one of three answered < ceil(3/2) = 2 → NaN; row 3 likewise
    expect([...respondentScores(scores, { code: 'X', items: ['a', 'b', 'c'] }, 3)]).toEqual([75, NaN, NaN]);
    expect([...respondentScores(scores, { code: 'X', items: ['a', 'b', 'c'], minItems: 1 }, 3)]).toEqual([75, 50, 25]);
    expect([
      ...respondentScores(
        scores,
        { code: 'X', items: ['a', 'b', 'c'], minItems: 1, statistic: { type: 'proportion', atLeast: 50 } },
        3,
      ),
    ]).toEqual([1, 1, 0]);
  });
});
