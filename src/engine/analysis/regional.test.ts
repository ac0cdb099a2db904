import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { CityIndexError } from '../core/errors.ts';
import { compareGroups, regionalSummary } from './regional.ts';

describe('regionalSummary', () => {
  it('hand case with multi-membership, an ungrouped unit and a missing score', () => {
    // scored: 80, 60, 40, 20 → national mean 50, median 50; below the mean: 40, 20 → 2/4
    const scores = [80, 60, 40, 20, NaN];
    const groups = ['East', 'East|YRD', 'West', null, 'West'];
    const codes = ['330100', '320500', '610100', '999999', '620100'];
    const frozen = Object.freeze([...scores]);
    const r = regionalSummary(frozen, groups, { codes });
    expect(r.national).toMatchObject({
      n: 5,
      nScored: 4,
      mean: 50,
      median: 50,
      min: 20,
      max: 80,
      nBelowNationalMean: 2,
      shareBelowNationalMean: 0.5,
    });
    expect(r.national.sd).toBeCloseTo(Math.sqrt(2000 / 3), 12); // Σd² = 900+100+100+900 = 2000, n − 1 = 3
    expect(r.groups.map((g) => [g.group, g.n, g.nScored, g.mean, g.gap, g.ratio])).toEqual([
      ['East', 2, 2, 70, 20, 1.4],
      ['YRD', 1, 1, 60, 10, 1.2],
      ['West', 2, 1, 40, -10, 0.8],
    ]);
    expect(r.groups[0].units).toEqual(['330100', '320500']);
    expect(r.groups[2].shareBelowNationalMean).toBe(1);
    expect(r.ungrouped).toMatchObject({ group: '(ungrouped)', n: 1, mean: 20, gap: -30, units: ['999999'] });
    expect(r.overlapping).toBe(true);
    expect(r.missingUnits).toEqual(['620100']);
    expect(compareGroups(r, 'East', 'West')).toMatchObject({ difference: 30, ratio: 1.75, aAbove: true });
    expect(compareGroups(r, '(ungrouped)', 'YRD').difference).toBe(-40);
  });
  it('declared order is kept; empty declared groups, unknown labels and all-missing groups are errors', () => {
    const r = regionalSummary([1, 2, 3], ['西部', '东部', '东部'], { order: ['东部', '西部'] });
    expect(r.groups.map((g) => g.group)).toEqual(['东部', '西部']);
    expect(r.ungrouped).toBeNull();
    expect(() => regionalSummary([1, 2], ['东部', '东部'], { order: ['东部', '东北'] })).toThrow(
      /declared group "东北" has no units/,
    );
    expect(() => regionalSummary([1, 2], ['东部', '中部'], { order: ['东部'], codes: ['a', 'b'] })).toThrow(
      /unit b \(index 1\) has group "中部"/,
    );
    expect(() => regionalSummary([1, NaN], ['a', 'b'])).toThrow(/group "b" has 1 unit\(s\) but none has a score/);
    expect(() => regionalSummary([1, Infinity], ['a', 'b'])).toThrow(CityIndexError);
    expect(() => regionalSummary([1], ['a', 'b'])).toThrow(/2 labels but there are 1 units/);
    expect(() => compareGroups(r, '东部', '南方')).toThrow(/no group "南方"/);
  });
  it('z-scores (mean 0, negative values): gaps are given, ratios are null', () => {
    const r = regionalSummary([1.5, 0.5, -0.5, -1.5], ['a', 'a', 'b', 'b']);
    expect(r.groups.map((g) => [g.gap, g.ratio])).toEqual([
      [1, null],
      [-1, null],
    ]);
    expect(compareGroups(r, 'a', 'b')).toMatchObject({ difference: 2, ratio: null, aAbove: true });
  });
});

/**
 * Dated data check: data/sources/city_groupings/city_groupings.csv (NBS four regions, 2011-06-13) joined by
 * adcode to the 100 study cities of data/sources/gdp_top100_2019/gdp_top100_2019.csv.
 */
describe('city_groupings.csv × gdp_top100_2019.csv', () => {
  const read = (rel: string) =>
    parse(readFileSync(fileURLToPath(new URL(rel, import.meta.url)), 'utf8'), { columns: true, bom: true }) as Record<
      string,
      string
    >[];
  const groupings = read('../../../data/sources/city_groupings/city_groupings.csv');
  const top100 = read('../../../data/sources/gdp_top100_2019/gdp_top100_2019.csv');
  const byCode = new Map(groupings.map((r) => [r.adcode, r]));
  // METHODS §5.1 (国家统计局 2011-06-13), by province short name
  const REGION: Record<string, string[]> = {
    东部: ['北京', '天津', '河北', '上海', '江苏', '浙江', '福建', '山东', '广东', '海南'],
    中部: ['山西', '安徽', '江西', '河南', '湖北', '湖南'],
    西部: ['内蒙古', '广西', '重庆', '四川', '贵州', '云南', '西藏', '陕西', '甘肃', '青海', '宁夏', '新疆'],
    东北: ['辽宁', '吉林', '黑龙江'],
  };
  const regionOfProvince = (province: string) =>
    Object.keys(REGION).find((r) => REGION[r].some((p) => province.startsWith(p)));

  it('every study city joins, its region follows its province, and the four-region counts sum to 100', () => {
    expect(top100).toHaveLength(100);
    const rows = top100.map((c) => byCode.get(c.adcode));
    expect(rows.every((r) => r !== undefined)).toBe(true);
    const countsByProvince = new Map<string, number>();
    for (const c of top100) {
      const g = byCode.get(c.adcode)!;
      expect(g.province_zh).toBe(c.province_zh);
      expect(g.region_4).toBe(regionOfProvince(g.province_zh));
      countsByProvince.set(g.province_zh, (countsByProvince.get(g.province_zh) ?? 0) + 1);
    }
    const counts: Record<string, number> = {};
    for (const [province, k] of countsByProvince)
      counts[regionOfProvince(province)!] = (counts[regionOfProvince(province)!] ?? 0) + k;
    expect(counts).toEqual({ 东部: 55, 中部: 26, 西部: 15, 东北: 4 });
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(100);

    // the same through regionalSummary on 2019 GDP
    const gdp = top100.map((c) => Number(c.gdp_2019_100m_yuan));
    const codes = top100.map((c) => c.adcode);
    const s = regionalSummary(
      gdp,
      rows.map((r) => r!.region_4),
      { codes, order: ['东部', '中部', '西部', '东北'], field: 'region_4' },
    );
    expect(s.groups.map((g) => g.n)).toEqual([55, 26, 15, 4]);
    expect(s.groups.reduce((a, g) => a + g.n, 0)).toBe(100);
    expect(s.ungrouped).toBeNull();
    const ns = regionalSummary(
      gdp,
      rows.map((r) => r!.north_south),
      { codes, field: 'north_south' },
    );
    expect(ns.groups.reduce((a, g) => a + g.n, 0)).toBe(100);
    // clusters are disjoint but 60 of the 100 cities are in none: reported as ungrouped, not dropped
    const cl = regionalSummary(
      gdp,
      rows.map((r) => r!.clusters),
      { codes, field: 'clusters' },
    );
    expect(cl.overlapping).toBe(false);
    expect(Object.fromEntries(cl.groups.map((g) => [g.group, g.n]))).toEqual({
      长三角中心区27城: 21,
      京津冀13城: 8,
      珠三角9城: 8,
      成渝16城: 3,
    });
    expect(cl.ungrouped?.n).toBe(60);
    expect(cl.groups.find((g) => g.group === '长三角中心区27城')!.gap).toBeGreaterThan(0);
  });
});
