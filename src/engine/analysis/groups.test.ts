import { describe, expect, it } from 'vitest';
import { indexGroups, partitionGroups, UNGROUPED } from './groups.ts';

describe('indexGroups', () => {
  it('splits multi-membership labels, keeps first-appearance order, collects ungrouped units', () => {
    const r = indexGroups(['East', ' East | YRD ', null, '', 'YRD|', undefined], 6);
    expect(r.labels).toEqual(['East', 'YRD']);
    expect(r.members.map((m) => [...m])).toEqual([
      [0, 1],
      [1, 4],
    ]);
    expect(r.ungrouped).toEqual([2, 3, 5]);
    expect(r.overlapping).toBe(true);
  });
  it('declared order: unknown labels and empty declared groups are errors', () => {
    expect(indexGroups(['b', 'a'], 2, { order: ['a', 'b'] }).labels).toEqual(['a', 'b']);
    expect(() => indexGroups(['a'], 1, { order: ['a', 'b'] })).toThrow(/declared group "b" has no units/);
    expect(() => indexGroups(['c'], 1, { order: ['a'], codes: ['330100'] })).toThrow(
      /unit 330100 \(index 0\) has group "c"/,
    );
    expect(() => indexGroups(['a'], 1, { order: ['a', 'a'] })).toThrow(/declared twice/);
  });
  it('separator null reads labels literally', () => {
    expect(indexGroups(['a|b'], 1, { separator: null }).labels).toEqual(['a|b']);
  });
});

describe('partitionGroups', () => {
  it('puts units with no group in an explicit last group', () => {
    const p = partitionGroups(['a', null, 'b', 'a'], 4);
    expect(p.labels).toEqual(['a', 'b', UNGROUPED]);
    expect([...p.groupIndex]).toEqual([0, 2, 1, 0]);
  });
  it('rejects multi-membership and length mismatch', () => {
    expect(() => partitionGroups(['a|b'], 1)).toThrow(/exactly one group/);
    expect(() => partitionGroups(['a'], 2)).toThrow(/1 labels but there are 2 units/);
  });
});
