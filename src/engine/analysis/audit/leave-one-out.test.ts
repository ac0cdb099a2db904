import { describe, expect, it } from 'vitest';
import { build } from '../../pipeline/build.ts';
import type { BuildSpec } from '../../spec/spec.ts';
import { column } from '../../core/dataset.ts';
import { rankDescending } from '../../stats/descriptive.ts';
import { leaveOneOut } from './leave-one-out.ts';
import { tinyInput } from './test-helpers.ts';

const spec: BuildSpec = {
  version: 1,
  steps: [
    { id: 'normalise', kind: 'normalise', options: { method: 'none' } },
    { id: 'aggregate', kind: 'aggregate' },
  ],
};
// rows [a, b, c]; P = (a+b)/2, Q = c, I = (P+Q)/2
const units = ['A', 'B', 'C', 'D'];
const rows = [
  [100, 0, 40],
  [50, 50, 20],
  [0, 100, 60],
  [20, 40, 80],
];
const b = build(tinyInput(units, rows), spec);

describe('leaveOneOut (COINr remove_elements)', () => {
  it('level 1, worked by hand', () => {
    // nominal: P = 50, 50, 50, 30; I = 45, 35, 55, 55 → ranks 3, 4, 1, 1
    // without a: P = b → I = 20, 35, 80, 60 → ranks 4, 3, 1, 2; changes −1, 1, 0, −1 → mean |Δ| = 3/4
    // without b: P = a → I = 70, 35, 30, 50 → ranks 1, 3, 4, 2; changes 2, 1, −3, −1 → 7/4
    // without c: c is Q's only child, so Q goes: I = P = 50, 50, 50, 30 → ranks 1, 1, 1, 4; changes 2, 3, 0, −3 → 2
    const r = leaveOneOut(b, { level: 1 });
    expect(r.nominalRanks).toEqual([3, 4, 1, 1]);
    expect(r.removals.map((x) => x.code)).toEqual(['a', 'b', 'c']);
    expect(r.removals.map((x) => x.ranks)).toEqual([
      [4, 3, 1, 2],
      [1, 3, 4, 2],
      [1, 1, 1, 4],
    ]);
    expect(r.removals.map((x) => x.rankChange)).toEqual([
      [-1, 1, 0, -1],
      [2, 1, -3, -1],
      [2, 3, 0, -3],
    ]);
    expect(r.removals.map((x) => x.meanAbsRankChange)).toEqual([0.75, 1.75, 2]);
    expect(r.removals.map((x) => x.removedAs)).toEqual(['a', 'b', 'Q']);
    expect(r.removals[0].scores).toEqual([20, 35, 80, 60]);
  });
  it('level 2: without P, I = Q = c → ranks 3, 4, 2, 1; mean |Δ| = 1/4', () => {
    const r = leaveOneOut(b, { level: 2 });
    expect(r.removals.map((x) => [x.code, x.meanAbsRankChange])).toEqual([
      ['P', 0.25],
      ['Q', 2],
    ]);
  });
  it('equals a rebuild with that weight set to 0', () => {
    const input = tinyInput(units, rows);
    const r = leaveOneOut(b, { level: 1 });
    for (const code of ['a', 'b']) {
      const zeroed = {
        ...input,
        framework: {
          ...input.framework,
          nodes: input.framework.nodes.map((nd) => (nd.code === code ? { ...nd, weight: 0 } : nd)),
        },
      };
      const rebuilt = build(zeroed, spec);
      expect(r.removals.find((x) => x.code === code)!.ranks).toEqual(
        Array.from(rankDescending(column(rebuilt.results.scores, 'I'))),
      );
    }
  });
  it('rejects the index level', () => {
    expect(() => leaveOneOut(b, { level: 3 })).toThrow(/level 3 has no weights/);
  });
});
