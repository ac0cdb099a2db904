// Hand-worked on examples/cdgi-2020: ADM_OSI_CITY is observed for 28 key cities, given the province score
// for the 4 municipalities (the data file names the provinces table) and imputed for the other 68. Its
// effective weight is 1/4 (ADMIN among 4 dimensions) × 1/2 (2 indicators) = 0.125. Six of ten indicators
// come from PKU-DFIIC: INF_DF_COVERAGE 1/4 × 1/2 + PUBLIC 1/4 + LIFE 1/4 = 0.625.
import { describe, expect, it } from 'vitest';
import { loadProject } from '../../formats/index.ts';
import { build } from './build.ts';
import { dataQuality, isCopiedValue, sourceShares } from './data-quality.ts';

const project = await loadProject('examples/cdgi-2020');
const b = build(project.input, project.spec);

describe('dataQuality (cdgi-2020)', () => {
  const q = dataQuality(b, { valueSources: project.valueSources });
  it('68 imputed and 4 copied ADM_OSI_CITY values, nothing else', () => {
    const imputed = q.flagged.filter((f) => f.flag === 'imputed');
    const copied = q.flagged.filter((f) => f.flag === 'copied');
    expect(imputed).toHaveLength(68);
    expect(copied.map((f) => f.unit).sort()).toEqual(['110100', '120100', '310100', '500100']);
    expect(new Set(q.flagged.map((f) => f.indicator))).toEqual(new Set(['ADM_OSI_CITY']));
    expect(q.byIndicator.find((x) => x.indicator === 'ADM_OSI_CITY')).toEqual({
      indicator: 'ADM_OSI_CITY',
      imputed: 68,
      copied: 4,
      n: 100,
    });
  });
  it('a flagged city rests 12.5 % of its index on the flagged value; 杭州 (observed) 0 %', () => {
    const share = new Map(q.shares.map((s) => [s.unit, s.share]));
    expect(share.get('440900')).toBeCloseTo(0.125, 12); // 茂名, imputed
    expect(share.get('110100')).toBeCloseTo(0.125, 12); // 北京, copied from the provinces table
    expect(share.get('330100')).toBe(0); // 杭州, a key city with its own score
    expect(q.shares.filter((s) => s.share > 0)).toHaveLength(72);
  });
});

describe('sourceShares', () => {
  it('cdgi-2020: PKU-DFIIC carries 62.5 % (6 indicators), the shares sum to 1', () => {
    const s = sourceShares(b);
    expect(s[0].source).toMatch(/PKU-DFIIC/);
    expect(s[0].indicators).toHaveLength(6);
    expect(s[0].share).toBeCloseTo(0.625, 12);
    expect(s.map((x) => x.share).reduce((a, x) => a + x, 0)).toBeCloseTo(1, 12);
    expect(s.map((x) => x.indicators.length)).toEqual([6, 2, 2]);
  });
});

describe('isCopiedValue', () => {
  it('only a different file counts; no source file or no value source is not a copy', () => {
    expect(isCopiedValue('x/p.csv (note)', { file: 'data/sources/x/c.csv' })).toBe(true);
    expect(isCopiedValue('x/c.csv (derived)', { file: 'data/sources/x/c.csv' })).toBe(false);
    expect(isCopiedValue(undefined, { file: 'a.csv' })).toBe(false);
    expect(isCopiedValue('a.csv', undefined)).toBe(false);
  });
});
