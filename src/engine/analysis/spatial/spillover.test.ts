import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { spilloverReport } from './spillover.ts';
import { knnWeights, type Point } from './weights.ts';

// The 11 prefecture-level cities of 浙江 with their seat coordinates (data/sources/admin_divisions).
const csv = readFileSync(
  join(import.meta.dirname, '../../../../data/sources/admin_divisions/prefecture_level_divisions.csv'),
  'utf8',
)
  .trim()
  .split(/\r?\n/);
const header = csv[0].split(',');
const col = (name: string): number => header.indexOf(name);
const zj = csv
  .slice(1)
  .map((l) => l.split(','))
  .filter((r) => r[col('province_adcode')] === '330000');
const ids = zj.map((r) => r[col('adcode')]);
const points = zj.map((r) => [Number(r[col('seat_lon')]), Number(r[col('seat_lat')])] as Point);
// Synthetic scores (not data): 杭州 90, 宁波 80, 温州 60, 嘉兴 70, 湖州 65, 绍兴 72, 金华 55, 衢州 40, 舟山 50, 台州 58, 丽水 35
const scores = [90, 80, 60, 70, 65, 72, 55, 40, 50, 58, 35];
const w = knnWeights(ids, points, { k: 4 });

describe('spilloverReport', () => {
  it('Zhejiang has 11 prefecture-level cities in adcode order', () => {
    expect(ids).toEqual([
      '330100',
      '330200',
      '330300',
      '330400',
      '330500',
      '330600',
      '330700',
      '330800',
      '330900',
      '331000',
      '331100',
    ]);
  });
  it("default neighbours are the leader's k = 4 nearest by great-circle distance", () => {
    // numpy/haversine: 绍兴 52.3 km, 湖州 64.7, 嘉兴 77.9, 金华 141.8 (宁波 142.2 just misses)
    const r = spilloverReport(scores, w, '330100', { permutations: 0 });
    expect(r.neighbours.map((u) => u.id)).toEqual(['330400', '330500', '330600', '330700']);
    expect(r.neighbours.every((u) => u.weight === 0.25)).toBe(true);
  });
  it('leader and named neighbours (湖州, 金华, 温州, 嘉兴): ranks, mean, LISA classes (checked with numpy)', () => {
    const r = spilloverReport(scores, w, '330100', {
      neighbours: ['330500', '330700', '330300', '330400'],
      permutations: 0,
    });
    expect(r.n).toBe(11);
    expect(r.mean).toBeCloseTo(675 / 11, 12);
    expect(r.leader).toMatchObject({
      id: '330100',
      rank: 1,
      aboveMean: true,
      quadrant: 1,
      label: 'ns',
      differenceFromLeader: 0,
    });
    expect(r.leader.Is).toBeCloseTo(0.438292, 6);
    expect(r.pattern).toBe('high-cluster');
    const byId = Object.fromEntries(r.neighbours.map((u) => [u.id, u]));
    expect(byId['330500']).toMatchObject({
      score: 65,
      rank: 5,
      aboveMean: true,
      quadrant: 1,
      weight: 0.25,
      differenceFromLeader: -25,
    });
    expect(byId['330700']).toMatchObject({ score: 55, rank: 8, aboveMean: false, quadrant: 3, weight: 0.25 });
    // 温州 is not among 杭州's 4 nearest: weight 0, but still reported
    expect(byId['330300']).toMatchObject({ score: 60, rank: 6, aboveMean: false, quadrant: 3, weight: 0 });
    expect(byId['330400']).toMatchObject({ score: 70, rank: 4, quadrant: 1 });
    expect(r.neighboursAboveMean).toBe(2);
    expect(r.neighbourMean).toBe(62.5);
    expect(r.summary).toBe(
      '330100 ranks 1 of 11 (LISA quadrant HH, not significant); ' +
        '2 of 4 neighbours score above the mean 61.36, their mean is 62.50.',
    );
  });
  it('with permutations the labels and p_sim are filled in and reproducible', () => {
    const a = spilloverReport(scores, w, '330100', { permutations: 999, seed: 1 });
    const b = spilloverReport(scores, w, '330100', { permutations: 999, seed: 1 });
    expect(a.leader.p_sim).toBe(b.leader.p_sim);
    expect(a.leader.p_sim).toBeGreaterThanOrEqual(0.001);
    expect(['HH', 'ns']).toContain(a.leader.label);
  });
  it('unknown leader or neighbour is an error', () => {
    expect(() => spilloverReport(scores, w, '999999')).toThrow(/leader "999999"/);
    expect(() => spilloverReport(scores, w, '330100', { neighbours: ['320100'] })).toThrow(/neighbour "320100"/);
  });
});
