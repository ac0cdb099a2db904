/**
 * `runSurvey`'s reliability table: Cronbach's α of each multi-item indicator over the kept respondents,
 * pooled and per city, when indicators share items (each item's kept scores are picked once).
 */
import { describe, expect, it } from 'vitest';
import { runSurvey } from './pipeline.ts';
import { cronbachAlpha } from './reliability.ts';
import { tableOf, type RowSpec } from './test-helpers.ts';
import type { SurveySpec } from './types.ts';

// answers (1–5) to q1, q2, q3; the fourth respondent of each city is a speeder (removed by cleaning)
const A: Array<[number, number, number]> = [
  [5, 4, 5],
  [2, 2, 1],
  [4, 5, 3],
  [1, 5, 1],
  [3, 3, 4],
];
const B: Array<[number, number, number]> = [
  [1, 2, 2],
  [4, 4, 5],
  [5, 3, 4],
  [5, 1, 5],
  [2, 1, 1],
];
const rows: RowSpec[] = [
  ...A.map(([q1, q2, q3], k) => ({ city: '110100', duration: k === 3 ? 10 : 300, items: { q1, q2, q3 } })),
  ...B.map(([q1, q2, q3], k) => ({ city: '120100', duration: k === 3 ? 10 : 300, items: { q1, q2, q3 } })),
];
const spec: SurveySpec = {
  scoring: { scale: { min: 1, max: 5 } },
  indicators: [
    { code: 'X', items: ['q1', 'q2'] },
    { code: 'Y', items: ['q1', 'q2', 'q3'] },
    { code: 'ONE', items: ['q3'] },
  ],
  cleaning: { speeders: { minSeconds: 60 } },
  weighting: { weighting: { method: 'none' } },
  estimation: {},
};

/** Scores (x − 1)/4 × 100 of the kept answers (the speeder left out) of item j. */
const scored = (answers: Array<[number, number, number]>, j: number) =>
  Float64Array.from(answers.filter((_, k) => k !== 3).map((a) => ((a[j] - 1) / 4) * 100));

describe('runSurvey reliability', () => {
  const r = runSurvey({
    table: tableOf(rows),
    spec,
    margins: new Map(),
    cities: ['110100', '120100'],
    reliabilityPerCity: true,
  });

  it('gives α of each multi-item indicator over the kept respondents, pooled and per city', () => {
    expect(r.cleaning.kept).toBe(8);
    expect(r.reliability.map((x) => x.indicator)).toEqual(['X', 'Y']);
    const both = [...A.filter((_, k) => k !== 3), ...B.filter((_, k) => k !== 3)];
    const all = (j: number) => Float64Array.from(both.map((a) => ((a[j] - 1) / 4) * 100));
    expect(r.reliability[0].pooled).toEqual(cronbachAlpha({ q1: all(0), q2: all(1) }));
    expect(r.reliability[1].pooled).toEqual(cronbachAlpha({ q1: all(0), q2: all(1), q3: all(2) }));
    expect(r.reliability[1].perCity).toEqual({
      '110100': cronbachAlpha({ q1: scored(A, 0), q2: scored(A, 1), q3: scored(A, 2) }).alpha,
      '120100': cronbachAlpha({ q1: scored(B, 0), q2: scored(B, 1), q3: scored(B, 2) }).alpha,
    });
    expect(r.reliability[0].perCity!['120100']).toBe(cronbachAlpha({ q1: scored(B, 0), q2: scored(B, 1) }).alpha);
  });

  it('matches a hand-worked α (X in 110100: two items, kept scores 100/75, 25/25, 75/100, 50/50: 8/9)', () => {
    // sums of squares about the means: 3 125 for each item, 11 250 for the totals (175, 50, 175, 100);
    // α = 2 × (1 − 6 250 / 11 250) = 8/9
    expect(r.reliability[0].perCity!['110100']).toBeCloseTo(8 / 9, 12);
  });
});
