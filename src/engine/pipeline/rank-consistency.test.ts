// One ranking rule across the engine: the build's ranks, the uncertainty runner (compiled kernel and step
// functions), leave-one-out and the what-if agree on a near-tie made of floating-point noise, with the
// default tie tolerance and with `tieTolerance: 0` (R's exact rank).
import { describe, expect, it } from 'vitest';
import { fwNode, plainUnits } from '../test-fixtures/engine.ts';
import { fromRows } from '../core/dataset.ts';
import type { Framework } from '../core/framework.ts';
import { build, type BuildInput } from './build.ts';
import type { BuildSpec } from '../spec/spec.ts';
import { createRunner } from '../analysis/uncertainty/runner.ts';
import { resolveInputs } from '../analysis/uncertainty/inputs.ts';
import { leaveOneOut } from '../analysis/audit/leave-one-out.ts';
import { smallestImprovements } from '../analysis/whatif/improve.ts';

// Borda points (rank − 1 of 5 distinct values) are the raw values themselves. Equal weights, arithmetic mean
// Σw·x/Σw with correctly rounded sums (as R): A (1, 2, 3) → 2, B (2, 3, 1) → 2 (the former Σ (w/Σw)·x gave
// 1.9999999999999998, a near-tie of noise; R and now the build tie them exactly), C (0, 0, 0) → 0,
// D (3, 4, 4) → 3.6666666666666665, E (4, 1, 2) → 2.3333333333333335.
// Ranks with either tolerance: D 1, E 2, A 3, B 3, C 5.
const units = ['A', 'B', 'C', 'D', 'E'];
const framework: Framework = {
  nodes: [fwNode('x1', 1, 'Index'), fwNode('x2', 1, 'Index'), fwNode('x3', 1, 'Index'), fwNode('Index', 2, null)],
};
const input: BuildInput = {
  framework,
  units: plainUnits(units),
  raw: fromRows(
    units,
    ['x1', 'x2', 'x3'],
    [
      [1, 2, 3],
      [2, 3, 1],
      [0, 0, 0],
      [3, 4, 4],
      [4, 1, 2],
    ],
  ),
};
const steps: BuildSpec['steps'] = [
  { id: 'normalise', kind: 'normalise', options: { method: 'borda' } },
  { id: 'aggregate', kind: 'aggregate', options: { aggregation: { method: 'arithmetic' } } },
];

describe('near-ties rank the same in every module', () => {
  for (const [label, spec, expected] of [
    ['default tie tolerance', { version: 1, steps } as BuildSpec, [3, 3, 5, 1, 2]],
    ['tieTolerance 0 (exact, as R)', { version: 1, steps, tieTolerance: 0 } as BuildSpec, [3, 3, 5, 1, 2]],
  ] as const) {
    it(label, () => {
      const b = build(input, spec);
      const sc = b.results.scores;
      const j = sc.codes.indexOf('Index');
      const index = Array.from(sc.values.subarray(j * 5, (j + 1) * 5));
      expect(index[0]).toBe(2);
      expect(index[1]).toBe(2);
      const buildRanks = Array.from(b.results.ranks.values.subarray(j * 5, (j + 1) * 5));
      expect(buildRanks).toEqual(expected);

      // uncertainty runner: a one-value alternative leaves the build as it is
      const resolved = resolveInputs(
        [
          {
            kind: 'alternatives',
            name: 'agg',
            step: 'aggregate',
            path: ['options', 'aggregation'],
            values: [{ method: 'arithmetic' }],
          },
        ],
        spec,
        framework,
      );
      for (const kernel of [true, false]) {
        const runner = createRunner(input, spec, resolved, { kernel });
        const scores = new Float64Array(5),
          ranks = new Float64Array(5);
        for (let run = 0; run < 3; run++) {
          // later runs rank by insertion from the previous order
          expect(runner.run([0.5], scores, ranks)).toBeNull();
          expect(Array.from(scores)).toEqual(index);
          expect(Array.from(ranks)).toEqual(expected);
        }
      }

      // leave-one-out: the nominal ranks are the build's
      expect(leaveOneOut(b, { level: 1 }).nominalRanks).toEqual(expected);

      // what-if: each unit's starting rank is the build's
      for (const [i, unit] of units.entries()) {
        if (expected[i] === 1) continue; // the leader cannot climb
        expect(smallestImprovements(b, { unit, k: 1 }).rank).toBe(expected[i]);
      }
    });
  }
});
