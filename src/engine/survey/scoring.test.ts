import { describe, expect, it } from 'vitest';
import { checkAnswerScale, respondentScores, scoreAnswer, scoreItems } from './scoring.ts';
import { tableOf } from './test-helpers.ts';
import { localise } from '../i18n/index.ts';
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

// Issue 10 item 6: answers outside the scale (7, −3, 0, 1e308 on 1–5) and 1.5 on a whole-number scale were
// silently made missing; they are now counted per question and per respondent and reported as errors.
describe('checkAnswerScale', () => {
  const rows = [
    { id: 'a', items: { q1: 7, q2: 3 } },
    { id: 'b', items: { q1: -3, q2: 0 } },
    { id: 'c', items: { q1: 1e308, q2: 1.5 } },
    { id: 'd', items: { q1: 4, q2: DONT_KNOW } },
    { id: null, items: { q1: 5, q2: 6 } },
    { id: 'f', items: { q1: NaN, q2: 1 } },
  ];
  const rule = { scale: { min: 1, max: 5 } };

  it('counts 7, −3, 0, 1e308 and 1.5 per question and per respondent; missing and "don\'t know" are fine', () => {
    const c = checkAnswerScale(tableOf(rows), ['q1', 'q2'], rule);
    expect(c.total).toBe(6);
    expect([...c.perQuestion]).toEqual([
      ['q1', 3],
      ['q2', 3],
    ]);
    expect(c.respondents).toBe(4);
    expect(c.issues.map((i) => [i.code, i.column ?? null, i.row ?? null, i.message])).toEqual([
      ['E_ANSWER_SCALE', 'q1', null, '3 answers outside the scale 1–5 (whole numbers): rows 2, 3, 4'],
      ['E_ANSWER_SCALE', 'q2', null, '3 answers outside the scale 1–5 (whole numbers): rows 3, 4, 6'],
      ['E_ANSWER_SCALE', null, 2, 'respondent "a": 1 answer outside the scale 1–5 (whole numbers): q1 = 7'],
      ['E_ANSWER_SCALE', null, 3, 'respondent "b": 2 answers outside the scale 1–5 (whole numbers): q1 = -3, q2 = 0'],
      [
        'E_ANSWER_SCALE',
        null,
        4,
        'respondent "c": 2 answers outside the scale 1–5 (whole numbers): q1 = 1e+308, q2 = 1.5',
      ],
      ['E_ANSWER_SCALE', null, 6, 'respondent on row 6: 1 answer outside the scale 1–5 (whole numbers): q2 = 6'],
    ]);
    expect(c.issues.every((i) => i.file === 'test.csv' && i.expected?.includes('scoring.dontKnow'))).toBe(true);
    expect(localise(c.issues[4], 'zh')).toContain(
      'test.csv 第 4 行：受访者“c”：2 个回答超出量表 1–5（整数）：q1 = 1e+308, q2 = 1.5',
    );
  });

  it('a scale with integer: false accepts 1.5 but not 7; a 0–10 scale accepts 0', () => {
    const c = checkAnswerScale(tableOf(rows), ['q2'], { scale: { min: 1, max: 5, integer: false } });
    expect(c.perQuestion.get('q2')).toBe(2); // 0 and 6
    expect(checkAnswerScale(tableOf(rows), ['q2'], { scale: { min: 0, max: 10 } }).issues).toHaveLength(2); // 1.5
  });

  it('a clean table has no issues; respondent issues stop at the limit with a count', () => {
    expect(checkAnswerScale(tableOf([{ items: { q: 1 } }, { items: { q: 5 } }]), ['q'], rule).issues).toEqual([]);
    const many = tableOf(Array.from({ length: 150 }, () => ({ items: { q: 9 } })));
    const c = checkAnswerScale(many, ['q'], rule);
    expect(c.total).toBe(150);
    expect(c.issues).toHaveLength(1 + 100 + 1);
    expect(c.issues[0].message).toBe(
      '150 answers outside the scale 1–5 (whole numbers): rows 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, …',
    );
    expect(c.issues[101].message).toBe('50 more respondents with answers outside the scale 1–5 (whole numbers)');
  });
});
