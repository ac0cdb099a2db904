import { Model } from 'survey-core';
import { describe, expect, it } from 'vitest';
import type { Framework } from '../core/framework.ts';
import {
  aggregateJudgements,
  aggregatePriorities,
  ahpConsistency,
  ahpQuestionnaire,
  ahpWeightOptions,
  expertMatrices,
  groupAhp,
  mostInconsistentJudgements,
  pairQuestionName,
} from './ahp-group.ts';

const A = [
  [1, 1, 5, 3],
  [1, 1, 5, 3],
  [1 / 5, 1 / 5, 1, 1 / 3],
  [1 / 3, 1 / 3, 3, 1],
];

describe('ahpConsistency', () => {
  it('reproduces the METHODS.md §4.2 target (pyrepo-mcda docstring matrix)', () => {
    const c = ahpConsistency(A);
    [0.389862, 0.389862, 0.067925, 0.152352].forEach((w, i) => expect(c.weights[i]).toBeCloseTo(w, 6));
    expect(c.lambdaMax).toBeCloseTo(4.043493, 6);
    expect(c.ci).toBeCloseTo(0.014498, 6);
    expect(c.cr).toBeCloseTo(0.016109, 6);
    expect(ahpConsistency(A, 'chinese').ri).toBe(0.89);
  });
  it('rejects a non-square or non-positive matrix with the row named', () => {
    expect(() => ahpConsistency([[1, 2], [0.5]])).toThrow(/row 2/);
    expect(() =>
      ahpConsistency([
        [1, -2],
        [0.5, 1],
      ]),
    ).toThrow(/positive/);
  });
});

describe('mostInconsistentJudgements', () => {
  it('finds the reversed judgement in an otherwise consistent matrix', () => {
    // w = 8:4:2:1 gives a14 = 8; the expert wrote 1/2. Eigen w = [0.33066, 0.31283, 0.15642, 0.20009],
    // ε14 = 0.5·0.20009/0.33066 = 0.30256 (|ln ε| = 1.195, the largest; numpy), implied 1.6526 → suggest 2.
    const w = [8, 4, 2, 1];
    const M = w.map((a) => w.map((b) => a / b));
    M[0][3] = 1 / 2;
    M[3][0] = 2;
    const top = mostInconsistentJudgements(M, ['a', 'b', 'c', 'd'], 2);
    expect(top[0]).toMatchObject({ row: 'a', column: 'd', given: 0.5, suggested: 2 });
    expect(top[0].epsilon).toBeCloseTo(0.3025576482252174, 8);
    expect(top[0].implied).toBeCloseTo(1.6525776258936635, 8);
    expect(ahpConsistency(M).cr).toBeCloseTo(0.40255330988244303, 8);
  });
});

describe('group aggregation', () => {
  it('AIJ: element-wise geometric mean keeps reciprocity', () => {
    const g = aggregateJudgements([
      [
        [1, 4],
        [1 / 4, 1],
      ],
      [
        [1, 1],
        [1, 1],
      ],
    ]);
    expect(g[0][1]).toBeCloseTo(2, 12);
    expect(g[1][0]).toBeCloseTo(0.5, 12);
    // weighted: 4^0.75 · 1^0.25 = 2.828427
    expect(
      aggregateJudgements(
        [
          [
            [1, 4],
            [1 / 4, 1],
          ],
          [
            [1, 1],
            [1, 1],
          ],
        ],
        [3, 1],
      )[0][1],
    ).toBeCloseTo(Math.SQRT2 * 2, 12);
  });

  it('AIJ of consistent experts = normalised geometric mean of their priorities (Aczél & Saaty 1983)', () => {
    const cons = (w: number[]) => w.map((a) => w.map((b) => a / b));
    const r = groupAhp([
      { expert: 'e1', parent: 'X', codes: ['a', 'b', 'c'], matrix: cons([0.5, 0.3, 0.2]) },
      { expert: 'e2', parent: 'X', codes: ['a', 'b', 'c'], matrix: cons([0.2, 0.3, 0.5]) },
    ]);
    // √(0.5·0.2) = 0.316228, √(0.3·0.3) = 0.3, √(0.2·0.5) = 0.316228 → /0.932456 = [0.339134, 0.321731, 0.339134]
    expect(r.weights.a).toBeCloseTo(0.33913442, 7);
    expect(r.weights.b).toBeCloseTo(0.32173116, 7);
    expect(r.groupConsistency!.cr).toBeCloseTo(0, 10);
    expect(r.experts.map((e) => e.consistent)).toEqual([true, true]);
  });

  it('AIP: geometric and arithmetic means of priorities', () => {
    // geometric: √0.4 = 0.632456, √0.1 = 0.316228 → 2/3, 1/3
    expect([
      ...aggregatePriorities([
        [0.8, 0.2],
        [0.5, 0.5],
      ]),
    ]).toEqual([expect.closeTo(2 / 3, 12), expect.closeTo(1 / 3, 12)]);
    expect([
      ...aggregatePriorities(
        [
          [0.8, 0.2],
          [0.5, 0.5],
        ],
        undefined,
        'arithmetic',
      ),
    ]).toEqual([expect.closeTo(0.65, 12), expect.closeTo(0.35, 12)]);
  });

  it('flags, lists and optionally excludes inconsistent experts', () => {
    const bad = [
      [1, 9, 1 / 9],
      [1 / 9, 1, 9],
      [9, 1 / 9, 1],
    ];
    const good = [
      [1, 2, 4],
      [1 / 2, 1, 2],
      [1 / 4, 1 / 2, 1],
    ];
    const j = [
      { expert: 'good', parent: 'X', codes: ['a', 'b', 'c'], matrix: good },
      { expert: 'bad', parent: 'X', codes: ['a', 'b', 'c'], matrix: bad },
    ];
    const kept = groupAhp(j, { method: 'aip' });
    expect(kept.experts[1]).toMatchObject({ expert: 'bad', consistent: false, excluded: false });
    expect(kept.experts[1].inconsistent).toHaveLength(3);
    const ex = groupAhp(j, { excludeInconsistent: true });
    // only the consistent expert left: 4/7, 2/7, 1/7
    expect(ex.weights.a).toBeCloseTo(4 / 7, 10);
    expect(() => groupAhp([j[1]], { excludeInconsistent: true })).toThrow(/every expert/);
  });
});

const fw: Framework = {
  nodes: [
    {
      code: 'IDX',
      name: { zh: '指数', en: 'Index' },
      level: 3,
      parent: null,
      kind: 'aggregate',
      weight: 1,
      direction: 1,
    },
    {
      code: 'D1',
      name: { zh: '维度一', en: 'Dim 1' },
      level: 2,
      parent: 'IDX',
      kind: 'aggregate',
      weight: 1,
      direction: 1,
    },
    {
      code: 'D2',
      name: { zh: '维度二', en: 'Dim 2' },
      level: 2,
      parent: 'IDX',
      kind: 'aggregate',
      weight: 1,
      direction: 1,
    },
    {
      code: 'i1',
      name: { zh: '指标1', en: 'Ind 1' },
      level: 1,
      parent: 'D1',
      kind: 'indicator',
      weight: 1,
      direction: 1,
    },
    {
      code: 'i2',
      name: { zh: '指标2', en: 'Ind 2' },
      level: 1,
      parent: 'D1',
      kind: 'indicator',
      weight: 1,
      direction: 1,
    },
    {
      code: 'i3',
      name: { zh: '指标3', en: 'Ind 3' },
      level: 1,
      parent: 'D1',
      kind: 'indicator',
      weight: 1,
      direction: 1,
    },
    {
      code: 'i4',
      name: { zh: '指标4', en: 'Ind 4' },
      level: 1,
      parent: 'D2',
      kind: 'indicator',
      weight: 1,
      direction: 1,
    },
  ],
};

describe('AHP questionnaires from the framework', () => {
  it('generates a SurveyJS form that survey-core loads, one page per group with ≥ 2 elements', () => {
    for (const locale of ['zh', 'en'] as const) {
      const def = ahpQuestionnaire(fw, locale);
      const model = new Model(def);
      expect((model as unknown as { jsonErrors: unknown[] | null }).jsonErrors ?? []).toEqual([]);
      // IDX: D1 vs D2 (1 pair); D1: 3 pairs; D2 has one child → no page
      expect(model.pages.length).toBe(2);
      expect(model.getAllQuestions().map((q) => q.name)).toEqual([
        pairQuestionName('IDX', 'D1', 'D2'),
        pairQuestionName('D1', 'i1', 'i2'),
        pairQuestionName('D1', 'i1', 'i3'),
        pairQuestionName('D1', 'i2', 'i3'),
      ]);
    }
  });

  it('turns answers into matrices, reports missing answers, and writes manual weight steps per level', () => {
    const answers = { ahp__IDX__D1__D2: 3, ahp__D1__i1__i2: 2, ahp__D1__i1__i3: 4, ahp__D1__i2__i3: '2' };
    const { matrices, issues } = expertMatrices(fw, 'e1', answers);
    expect(issues).toEqual([]);
    expect(matrices[0].matrix).toEqual([
      [1, 3],
      [1 / 3, 1],
    ]);
    const neg = expertMatrices(fw, 'e2', { ...answers, ahp__IDX__D1__D2: -3 });
    expect(neg.matrices[0].matrix[0][1]).toBeCloseTo(1 / 3, 12);
    const miss = expertMatrices(fw, 'e3', { ahp__IDX__D1__D2: 0 }, 'experts.json');
    expect(miss.issues.map((i) => [i.code, i.field])).toEqual([
      ['E_AHP_VALUE', 'ahp__IDX__D1__D2'],
      ['E_AHP_MISSING', 'ahp__D1__i1__i2'],
      ['E_AHP_MISSING', 'ahp__D1__i1__i3'],
      ['E_AHP_MISSING', 'ahp__D1__i2__i3'],
    ]);
    const results = ['IDX', 'D1'].map((p) => groupAhp(matrices.filter((m) => m.parent === p)));
    const steps = ahpWeightOptions(results, fw);
    expect(steps.map((s) => s.level)).toEqual([2, 1]);
    expect(steps[0].weighting).toEqual({
      method: 'manual',
      weights: { D1: expect.closeTo(0.75, 10), D2: expect.closeTo(0.25, 10) },
    });
    // D1 group is consistent 4:2:1
    expect(steps[1].weighting).toMatchObject({ method: 'manual', weights: { i1: expect.closeTo(4 / 7, 10) } });
  });
});
