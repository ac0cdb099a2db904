// Issue 10 item 5: a step that overflows (normalise onto [-1e308, 1e308]: the range width is Infinity)
// used to write Infinity as every score with exit 0; now the build refuses, naming the step and the unit.
import { describe, expect, it } from 'vitest';
import { caught, fwNode, plainUnits } from '../test-fixtures/engine.ts';
import { fromRows } from '../core/dataset.ts';
import { formatIssues } from '../core/errors.ts';
import { localise } from '../i18n/index.ts';
import type { BuildSpec } from '../spec/spec.ts';
import { build, regenerate, type BuildInput } from './build.ts';

const input: BuildInput = {
  framework: { nodes: [fwNode('IDX', 2, null), fwNode('x', 1, 'IDX'), fwNode('y', 1, 'IDX')] },
  units: plainUnits(['A', 'B', 'C']),
  raw: fromRows(
    ['A', 'B', 'C'],
    ['x', 'y'],
    [
      [1, 10],
      [2, 20],
      [3, 40],
    ],
  ),
};
const spec = (range: [number, number]): BuildSpec => ({
  version: 1,
  steps: [
    { id: 'norm', kind: 'normalise', options: { method: 'minMax', range } },
    { id: 'agg', kind: 'aggregate', options: { aggregation: { method: 'arithmetic' } } },
  ],
});

describe('non-finite step results', () => {
  it('a finite range builds', () => {
    const b = build(input, spec([0, 100]));
    expect(b.results.scores.values.every((v) => Number.isFinite(v))).toBe(true);
  });

  it('range [-1e308, 1e308] is refused at the normalise step, naming step, unit and indicator', () => {
    const e = caught(() => build(input, spec([-1e308, 1e308])));
    // (x − min)/(max − min) · (u − l) + l with u − l = Infinity: B and C become +Infinity in both columns
    // (A's 0 · Infinity is NaN, a missing value, and is not listed)
    expect(e.issues.map((i) => [i.code, i.field, i.unit, i.indicator])).toEqual([
      ['E_NON_FINITE', 'steps[0] (norm)', 'B', 'x'],
      ['E_NON_FINITE', 'steps[0] (norm)', 'C', 'x'],
      ['E_NON_FINITE', 'steps[0] (norm)', 'B', 'y'],
      ['E_NON_FINITE', 'steps[0] (norm)', 'C', 'y'],
    ]);
    expect(formatIssues(e.issues).split('\n')[0]).toBe(
      'field "steps[0] (norm)" unit B indicator x: step 1 "norm" (normalise) produced Infinity ' +
        '(expected a finite number (check the options of this step, e.g. a range or scale beyond ±1.8e308)) ' +
        '[E_NON_FINITE]',
    );
    expect(localise(e.issues[0], 'zh')).toContain('该步骤的结果不是有限数值（∞）');
  });

  it('regenerate refuses the same change', () => {
    const ok = build(input, spec([0, 100]));
    expect(caught(() => regenerate(ok, spec([-1e308, 1e308]))).issues[0].code).toBe('E_NON_FINITE');
  });

  it('lists at most 20 cells, then counts the rest', () => {
    const n = 30;
    const codes = Array.from({ length: n }, (_, k) => `u${k}`);
    const big: BuildInput = {
      framework: { nodes: [fwNode('IDX', 2, null), fwNode('x', 1, 'IDX')] },
      units: plainUnits(codes),
      raw: fromRows(
        codes,
        ['x'],
        codes.map((_, k) => [k]),
      ),
    };
    const e = caught(() => build(big, spec([-1e308, 1e308])));
    expect(e.issues).toHaveLength(21);
    expect(e.issues[20].message).toBe('step 1 "norm" (normalise) produced 9 more non-finite values');
    expect(localise(e.issues[20], 'zh')).toContain('该步骤另有 9 个结果不是有限数值');
  });
});
