import { describe, expect, it } from 'vitest';
import { build, type Build } from '../../pipeline/build.ts';
import type { AggregateOptions, BuildSpec } from '../../spec/spec.ts';
import { column, createDataset } from '../../core/dataset.ts';
import { aggregationContext } from '../audit/reaggregate.ts';
import { bestUnderBudget, smallestImprovements } from './improve.ts';
import { tinyInput } from '../audit/test-helpers.ts';

// Tiny framework: I = (P + Q)/2, P = (a + b)/2, Q = c → effective weights a 1/4, b 1/4, c 1/2.
// Raw rows [a, b, c]; b has direction −1. Min–max onto [0, 100]:
//   a: 10, 6, 0, 3, 8     (min 0, max 10)        → 100, 60, 0, 30, 80
//   b: 8, 6, 0, 10, 4     (flipped, min −10, max 0) → 20, 40, 100, 0, 60
//   c: 50, 0, 100, 70, 30 (min 0, max 100)       → 50, 0, 100, 70, 30
// P = 60, 50, 50, 15, 70; I = 55, 25, 75, 42.5, 50 → ranks A 2, B 5, C 1, D 4, E 3.
const units = ['A', 'B', 'C', 'D', 'E'];
const rows = [
  [10, 8, 50],
  [6, 6, 0],
  [0, 0, 100],
  [3, 10, 70],
  [8, 4, 30],
];
const spec = (aggregate?: AggregateOptions, range: [number, number] = [0, 100]): BuildSpec => ({
  version: 1,
  steps: [
    { id: 'normalise', kind: 'normalise', options: { method: 'minMax', range } },
    { id: 'aggregate', kind: 'aggregate', options: aggregate },
  ],
});
const b = build(tinyInput(units, rows, undefined, -1), spec());

/**
 * Rank of `unit` on the index after adding `delta` to one normalised value, by a fresh build of the aggregate step
 * alone.
 */
function rebuiltRank(bb: Build, unit: string, code: string, delta: number): number {
  const ctx = aggregationContext(bb);
  const ds = ctx.input.dataset;
  const v = ds.values.slice();
  const m = ds.unitCodes.length;
  v[ds.codes.indexOf(code) * m + ds.unitCodes.indexOf(unit)] += delta;
  const rebuilt = build(
    { framework: ctx.input.framework, units: [...ctx.input.units], raw: createDataset(ds.unitCodes, ds.codes, v) },
    {
      version: 1,
      steps: [{ id: 'aggregate', kind: 'aggregate', options: ctx.options }],
      tieTolerance: bb.spec.tieTolerance,
    },
  );
  // the build's own ranks: the what-if ranks by the same rule (near-ties by tieTolerance)
  return column(rebuilt.results.ranks, 'I')[ds.unitCodes.indexOf(unit)];
}

describe('smallestImprovements (arithmetic, worked by hand)', () => {
  it('D (rank 4, 42.5) passes E (50): gap 7.5 → c 7.5/(1/2) = 15, a and b 7.5/(1/4) = 30', () => {
    expect(column(b.results.scores, 'I')[3]).toBeCloseTo(42.5, 12);
    const r = smallestImprovements(b, { unit: 'D', k: 1 });
    expect([r.rank, r.targetRank, r.best]).toEqual([4, 3, 'c']);
    const by = Object.fromEntries(r.indicators.map((x) => [x.code, x]));
    expect(by.c.improvement).toBeCloseTo(15, 6);
    expect(by.a.improvement).toBeCloseTo(30, 6);
    expect(by.b.improvement).toBeCloseTo(30, 6);
    // own units: a spans 10 raw units over 100 points → 3; b (direction −1) → −3 (10 → 7); c spans 100 → 15
    expect(by.a.rawImprovement).toBeCloseTo(3, 6);
    expect(by.b.rawImprovement).toBeCloseTo(-3, 6);
    expect(by.c.rawImprovement).toBeCloseTo(15, 6);
    expect(r.indicators.map((x) => x.code)).toEqual(['c', 'a', 'b']);
    expect(by.c.ceiling).toBe(100);
    expect(by.c.ceilingSource).toBe('normalisation');
  });
  it('the improvement lifts exactly k ranks on a rebuild, and a smaller one does not', () => {
    for (const k of [1, 2]) {
      const r = smallestImprovements(b, { unit: 'D', k });
      for (const x of r.indicators) {
        expect(x.status).toBe('ok');
        expect(rebuiltRank(b, 'D', x.code, x.improvement)).toBe(4 - k);
        expect(rebuiltRank(b, 'D', x.code, x.improvement - 2 * r.tolerance)).toBeGreaterThan(4 - k);
      }
    }
  });
  it('k = 2 (reach A at 55, gap 12.5): c 25, a 50, b 50', () => {
    const by = Object.fromEntries(
      smallestImprovements(b, { unit: 'D', k: 2 }).indicators.map((x) => [x.code, x.improvement]),
    );
    expect(by.c).toBeCloseTo(25, 6);
    expect(by.a).toBeCloseTo(50, 6);
    expect(by.b).toBeCloseTo(50, 6);
  });
  it('k = 3 (reach C at 75, gap 32.5) needs c + 65 > room 30, a/b + 130 > room: unreachable within [0, 100]', () => {
    const r = smallestImprovements(b, { unit: 'D', k: 3 });
    expect(r.best).toBeNull();
    expect(r.indicators.every((x) => x.status === 'unreachable')).toBe(true);
    // a at its ceiling: I = ((100 + 0)/2 + 70)/2 = 60 → rank 2
    const a = r.indicators.find((x) => x.code === 'a')!;
    expect([a.newScore, a.newRank]).toEqual([60, 2]);
  });
  it('B (25) passing D (42.5): only c (35 ≤ room 100) can; a needs 70 > 40, b needs 70 > 60', () => {
    const r = smallestImprovements(b, { unit: 'B', k: 1 });
    const by = Object.fromEntries(r.indicators.map((x) => [x.code, x]));
    expect(by.c.improvement).toBeCloseTo(35, 6);
    expect([by.a.status, by.b.status]).toEqual(['unreachable', 'unreachable']);
  });
  it('no room at the ceiling; rank 1 cannot climb; unknown unit and indicator are errors', () => {
    expect(smallestImprovements(b, { unit: 'D', k: 1 }).indicators.length).toBe(3);
    const c = smallestImprovements(b, { unit: 'A', k: 1 }).indicators.find((x) => x.code === 'a')!;
    expect(c.status).toBe('noRoom');
    expect(() => smallestImprovements(b, { unit: 'C', k: 1 })).toThrow(/cannot climb/);
    expect(() => smallestImprovements(b, { unit: 'Z' })).toThrow(/unit "Z"/);
    expect(() => smallestImprovements(b, { unit: 'D', indicators: ['P'] })).toThrow(/"P" is not an indicator/);
    // target P: only a and b lie below it; D (P = 15) passes B (P = 50) with a + 70 (room 70) or b + 70 (room 100)
    const p = smallestImprovements(b, { unit: 'D', target: 'P', k: 1 });
    expect(p.indicators.map((x) => x.code).sort()).toEqual(['a', 'b']);
    expect(p.indicators.find((x) => x.code === 'b')!.improvement).toBeCloseTo(70, 6);
  });
});

describe('smallestImprovements with other aggregations', () => {
  it.each([
    ['geometric', { aggregation: { method: 'geometric' } }],
    ['mpi (whole-group)', { aggregation: { method: 'mpi' } }],
    ['generalised p = 2', { aggregation: { method: 'generalised', p: 2 } }],
  ] as Array<[string, AggregateOptions]>)(
    '%s: found improvements lift k ranks on a rebuild and smaller ones do not',
    (_, agg) => {
      const bb = build(tinyInput(units, rows, undefined, -1), spec(agg, [1, 100]));
      for (const unit of ['B', 'D']) {
        const r = smallestImprovements(bb, { unit, k: 1 });
        for (const x of r.indicators.filter((y) => y.status === 'ok')) {
          expect(rebuiltRank(bb, unit, x.code, x.improvement)).toBeLessThanOrEqual(r.targetRank);
          expect(rebuiltRank(bb, unit, x.code, x.improvement - 2 * r.tolerance)).toBeGreaterThan(r.targetRank);
        }
        for (const x of r.indicators.filter((y) => y.status === 'unreachable'))
          expect(rebuiltRank(bb, unit, x.code, x.room)).toBeGreaterThan(r.targetRank);
      }
    },
  );
});

describe('bestUnderBudget', () => {
  it('D with 40 points: c to its ceiling (30 → +15), then 10 on a (+2.5) → 60, rank 2; best single is c → 57.5', () => {
    const r = bestUnderBudget(b, { unit: 'D', budget: 40 });
    expect(r.chosen).toBe('greedy');
    expect(r.plan.allocation.c).toBeCloseTo(30, 9);
    expect((r.plan.allocation.a ?? 0) + (r.plan.allocation.b ?? 0)).toBeCloseTo(10, 9);
    expect(r.plan.score).toBeCloseTo(60, 9);
    expect(r.plan.rank).toBe(2);
    expect(r.bestSingle.code).toBe('c');
    expect(r.bestSingle.score).toBeCloseTo(57.5, 9);
    expect(r.plan.spent).toBeLessThanOrEqual(40 * (1 + 1e-12));
  });
  it.each([
    ['arithmetic', undefined],
    ['geometric', { aggregation: { method: 'geometric' } }],
    ['mpi', { aggregation: { method: 'mpi' } }],
  ] as Array<[string, AggregateOptions | undefined]>)(
    '%s: never over budget and at least as good as the best single indicator',
    (_, agg) => {
      const bb = build(tinyInput(units, rows, undefined, -1), spec(agg, [1, 100]));
      for (const unit of units) {
        for (const budget of [5, 20, 80]) {
          const r = bestUnderBudget(bb, { unit, budget });
          expect(r.plan.spent).toBeLessThanOrEqual(budget * (1 + 1e-12));
          for (const [code, v] of Object.entries(r.plan.allocation))
            expect(v).toBeLessThanOrEqual(r.rooms.find((x) => x.code === code)!.room + 1e-9);
          expect(r.plan.rank).toBeLessThanOrEqual(r.bestSingle.rank);
          if (r.plan.rank === r.bestSingle.rank) expect(r.plan.score).toBeGreaterThanOrEqual(r.bestSingle.score);
        }
      }
    },
  );
  it('steps cut short by a ceiling leave no budget unspent (3 steps of 13.33: c 13.33, 13.33, 3.33, then a 10)', () => {
    const r = bestUnderBudget(b, { unit: 'D', budget: 40, steps: 3 });
    expect(r.greedy.spent).toBeCloseTo(40, 9);
    expect(r.greedy.score).toBeCloseTo(60, 9);
  });
  it('a negative budget is an error', () => {
    expect(() => bestUnderBudget(b, { unit: 'D', budget: -1 })).toThrow(/budget/);
  });
});

describe('controllable: false leaves an indicator out of the advice', () => {
  // Same tiny build with c marked as outside the unit's control: D's cheapest lift (c, 15 points) is no
  // longer offered; a and b still need 7.5/(1/4) = 30 each.
  const input = tinyInput(units, rows, undefined, -1);
  const fw = {
    ...input.framework,
    nodes: input.framework.nodes.map((n) => (n.code === 'c' ? { ...n, controllable: false } : n)),
  };
  const bc = build({ ...input, framework: fw }, spec());
  it('smallest improvement: c is not considered and is listed as uncontrollable', () => {
    const r = smallestImprovements(bc, { unit: 'D', k: 1 });
    expect(r.uncontrollable).toEqual(['c']);
    expect(r.indicators.map((x) => x.code).sort()).toEqual(['a', 'b']);
    expect(r.indicators[0].improvement).toBeCloseTo(30, 6);
    expect(smallestImprovements(b, { unit: 'D', k: 1 }).uncontrollable).toEqual([]);
  });
  it('budget: the plan spends nothing on c; an explicit indicator list still wins', () => {
    const r = bestUnderBudget(bc, { unit: 'D', budget: 40 });
    expect(r.uncontrollable).toEqual(['c']);
    expect(Object.keys(r.plan.allocation)).not.toContain('c');
    expect(smallestImprovements(bc, { unit: 'D', k: 1, indicators: ['c'] }).best).toBe('c');
  });
});
