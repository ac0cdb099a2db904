import { describe, expect, it } from 'vitest';
import { build } from '../../pipeline/build.ts';
import type { BuildSpec } from '../../spec/spec.ts';
import { tinyInput } from '../audit/test-helpers.ts';
import { selectPeers, unitGaps } from './gaps.ts';

// Same tiny build as improve.test.ts: normalised a = 100, 60, 0, 30, 80; b = 20, 40, 100, 0, 60 (direction −1,
// raw 8, 6, 0, 10, 4); c = 50, 0, 100, 70, 30; P = 60, 50, 50, 15, 70; I = 55, 25, 75, 42.5, 50.
const units = ['A', 'B', 'C', 'D', 'E'];
const rows = [
  [10, 8, 50],
  [6, 6, 0],
  [0, 0, 100],
  [3, 10, 70],
  [8, 4, 30],
];
const regions = ['north', 'north', 'south', 'south', 'south|east'];
const spec: BuildSpec = {
  version: 1,
  steps: [
    { id: 'normalise', kind: 'normalise', options: { method: 'minMax', range: [0, 100] } },
    { id: 'aggregate', kind: 'aggregate' },
  ],
};
const b = build(tinyInput(units, rows, regions, -1), spec);

describe('selectPeers', () => {
  it('by group (any shared membership), nearest in index score, all', () => {
    expect(selectPeers(b, 'D', { by: 'group', field: 'region' })).toEqual(['C', 'E']);
    // |I − 42.5|: A 12.5, B 17.5, C 32.5, E 7.5
    expect(selectPeers(b, 'D', { by: 'nearest', k: 2 })).toEqual(['E', 'A']);
    expect(selectPeers(b, 'D', { by: 'all' })).toEqual(['A', 'B', 'C', 'E']);
    expect(() => selectPeers(b, 'D', { by: 'group', field: 'province' })).toThrow(/no unit-group column "province"/);
  });
});

describe('unitGaps (短板) of D against its region (C, E)', () => {
  const g = unitGaps(b, { unit: 'D', peers: { by: 'group', field: 'region' } });
  it('indicator gaps in normalised points, largest first: b 80, a 10, c −5', () => {
    // b: (100 + 60)/2 − 0 = 80; a: (0 + 80)/2 − 30 = 10; c: (100 + 30)/2 − 70 = −5
    expect(g.indicators.map((x) => [x.code, x.gap])).toEqual([
      ['b', 80],
      ['a', 10],
      ['c', -5],
    ]);
    expect(g.indicators[0].rankAmongPeers).toBe(3);
  });
  it("in own units: b (lower is better) peers average 2 against D's 10 → −8; a 4 − 3 = 1", () => {
    expect(g.rawStep).toBe('raw');
    expect(g.indicators[0].raw).toEqual({ value: 10, peerMean: 2, gap: -8, direction: -1 });
    expect(g.indicators[1].raw!.gap).toBe(1);
  });
  it('dimensions: P 60 − 15 = 45, Q 65 − 70 = −5; index 62.5 − 42.5 = 20 = Σ weighted indicator gaps', () => {
    expect(g.dimensions.map((x) => [x.code, x.gap])).toEqual([
      ['P', 45],
      ['Q', -5],
    ]);
    expect(g.index.gap).toBe(20);
    // 10·¼ + 80·¼ − 5·½ = 20: under arithmetic means with complete data the weighted gaps add up to the index gap
    expect(g.indicators.reduce((s, x) => s + x.weightedGap, 0)).toBeCloseTo(g.index.gap, 12);
  });
  it('standardised gap = gap / peer sd (b: peers 100, 60 → sd 28.28…)', () => {
    expect(g.indicators[0].standardisedGap).toBeCloseTo(80 / Math.sqrt(800), 12);
  });
});
