// Reference: COINr 1.1.14 rank_df / test-compare.R (rank(-x, ties.method = "min")), get_eff_weights (R/weights.R).
import { describe, expect, it } from 'vitest';
import { fwNode } from '../test-fixtures/engine.ts';
import { fromRows } from '../core/dataset.ts';
import type { Framework, FrameworkNode } from '../core/framework.ts';
import { arithmeticMean } from '../methods/aggregate/arithmetic.ts';
import { effectiveWeights, ranksDataset } from './ranks.ts';

const node = (code: string, level: number, parent: string | null, weight = 1): FrameworkNode =>
  fwNode(code, level, parent, { weight });

describe('ranksDataset', () => {
  it('higher is better, ties share the best rank, NaN stays NaN, per column', () => {
    const ds = fromRows(
      ['A', 'B', 'C', 'D'],
      ['x', 'y'],
      [
        [10, 1],
        [30, NaN],
        [30, 3],
        [20, 2],
      ],
    );
    const r = ranksDataset(ds);
    expect(Array.from(r.values)).toEqual([4, 1, 1, 3, 3, NaN, 1, 2]);
    expect(r.codes).toEqual(['x', 'y']);
  });
  it('scores equal but for floating-point noise tie: weights 0.1, 0.2, 0.3 on (3, 0, 0) and (0, 0, 1)', () => {
    // Σw·x/Σw as R: 0.1·3 = 0.30000000000000004 (a rounded product), so 0.5000000000000001 against 0.5
    const b = arithmeticMean([3, 0, 0], [0.1, 0.2, 0.3]);
    const a = arithmeticMean([0, 0, 1], [0.1, 0.2, 0.3]);
    expect(a).toBe(0.5);
    expect(b).toBe(0.5000000000000001);
    const ds = fromRows(['A', 'B', 'C'], ['I'], [[a], [b], [0.25]]);
    expect(Array.from(ranksDataset(ds).values)).toEqual([1, 1, 3]);
    expect(Array.from(ranksDataset(ds, 0).values)).toEqual([2, 1, 3]); // R's exact rank
  });
});

describe('effectiveWeights (COINr get_eff_weights)', () => {
  // Index <- {P (w 1), Q (w 3)}; P <- {a (1), b (1)}; Q <- {c (2), d (6)}
  const fw: Framework = {
    nodes: [
      node('a', 1, 'P'),
      node('b', 1, 'P'),
      node('c', 1, 'Q', 2),
      node('d', 1, 'Q', 6),
      node('P', 2, 'Index', 1),
      node('Q', 2, 'Index', 3),
      node('Index', 3, null),
    ],
  };
  it('rescale within parents and multiply down: a = ½·¼, c = ¼·¾', () => {
    const ew = effectiveWeights(fw);
    expect(ew).toEqual({ Index: 1, P: 0.25, Q: 0.75, a: 0.125, b: 0.125, c: 0.1875, d: 0.5625 });
    expect(ew.a + ew.b + ew.c + ew.d).toBe(1);
  });
  it('not_collected indicators are left out (their siblings share the weight) unless includeGaps', () => {
    const gaps: Framework = {
      nodes: fw.nodes.map((nd) => (nd.code === 'b' ? { ...nd, status: 'not_collected' as const } : nd)),
    };
    expect(effectiveWeights(gaps).a).toBe(0.25);
    expect(effectiveWeights(gaps).b).toBeUndefined();
    expect(effectiveWeights(gaps, { includeGaps: true }).b).toBe(0.125);
  });
  it('a zero weight sum under a parent is an error naming it', () => {
    const zero: Framework = { nodes: fw.nodes.map((nd) => (nd.parent === 'Q' ? { ...nd, weight: 0 } : nd)) };
    expect(() => effectiveWeights(zero)).toThrow(/children of "Q" sum to 0/);
  });
});
