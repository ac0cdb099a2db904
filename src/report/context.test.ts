import { describe, expect, it } from 'vitest';
import { describeWeights, fmt, fmtRank, groupingName, noteForLanguage, spaceMixed } from './context.ts';

describe('report formatting helpers', () => {
  it('fmtRank: whole ranks as they are, interpolated quantiles to one decimal, float noise removed', () => {
    expect(fmtRank(41)).toBe('41');
    expect(fmtRank(40.99999999)).toBe('41');
    expect(fmtRank(44.000001)).toBe('44');
    expect(fmtRank(72.5)).toBe('72.5');
    expect(fmtRank(12.95)).toBe('13'); // 12.95 → 13.0 at one decimal → whole
    expect(fmtRank(NaN)).toBe('—');
  });

  it('fmt: no minus sign on a value that rounds to zero', () => {
    expect(fmt(-0.0004, 1)).toBe('0.0');
    expect(fmt(-0.04, 1)).toBe('0.0');
    expect(fmt(-0.05, 1)).toBe('-0.1');
    expect(fmt(-3.26, 1)).toBe('-3.3');
    expect(fmt(undefined)).toBe('—');
  });

  it('noteForLanguage: splits "中文 / English" at the last "/ ", keeps other notes whole', () => {
    const note =
      '中国城市住房价格288指数，据报道页面所载表格转录（data/sources/seed-288）/ 288 index as printed beside the article';
    expect(noteForLanguage(note, 'zh')).toBe(
      '中国城市住房价格288指数，据报道页面所载表格转录（data/sources/seed-288）',
    );
    expect(noteForLanguage(note, 'en')).toBe('288 index as printed beside the article');
    expect(noteForLanguage('模拟数据 / simulated', 'en')).toBe('simulated');
    expect(noteForLanguage('source: a/ b', 'en')).toBe('source: a/ b'); // no Chinese half
    expect(noteForLanguage('ECharts 4.9.0', 'zh')).toBe('ECharts 4.9.0');
  });

  it('spaceMixed: a space where Latin names meet Chinese, digits in names untouched', () => {
    expect(spaceMixed('Switzerland排名第一')).toBe('Switzerland 排名第一');
    expect(spaceMixed('高于Asia（42.3）')).toBe('高于 Asia（42.3）');
    expect(spaceMixed('长三角中心区27城 68.8')).toBe('长三角中心区27城 68.8');
  });

  it('describeWeights: the config in words', () => {
    expect(describeWeights({ method: 'knn', k: 5 }, 'en')).toBe(
      'k nearest neighbours (k = 5, great-circle distance between seats)',
    );
    expect(describeWeights({ method: 'knn', k: 5 }, 'zh')).toBe('k 近邻（k = 5，按城市驻地间大圆距离）');
    expect(describeWeights({ method: 'distanceBand', threshold: 300 }, 'en')).toBe(
      'distance band (great-circle distance between seats ≤ 300 km)',
    );
    expect(describeWeights({ method: 'inverseDistance', cutoff: 500 }, 'en')).toBe(
      'inverse distance w = d^−1 (distance ≤ 500 km)',
    );
    expect(() => describeWeights({ method: 'queen' } as never, 'en')).toThrow(/unknown spatial weights method/);
  });

  it('groupingName: known groupings by name, other columns with spaces', () => {
    expect(groupingName('north_south', 'en')).toBe('North and south');
    expect(groupingName('EurAsia_group', 'en')).toBe('EurAsia group');
  });
});
