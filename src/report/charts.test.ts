import { describe, it, expect } from 'vitest';
import { mapDataOrder, mapSourceNote, registerChinaMap, renderSvg, NO_DATA_COLOUR } from './charts.ts';
import { readChinaMap } from './china-map-file.ts';
import { isChineseAdcodes, fmt, pct, pickText, groupLabel } from './context.ts';

describe('China map', () => {
  const regions = registerChinaMap(readChinaMap());
  it('has the 367 features of ECharts 4 keyed by current adcodes, plus the South China Sea inset', () => {
    expect(regions.length).toBe(368);
    expect(regions.at(-1)).toBe('南海诸岛');
    expect(new Set(regions).size).toBe(368);
    // re-keyed through admin_divisions: municipalities at city level, 儋州 and 吐鲁番 at their current codes
    for (const c of ['110100', '310100', '500100', '460400', '650400', '710000']) expect(regions).toContain(c);
    for (const c of ['110000', '469003', '652100']) expect(regions).not.toContain(c);
  });
  it('renders server-side with one path per region; data-region follows ECharts data order', () => {
    const option = {
      series: [
        {
          type: 'map',
          map: 'china',
          nameProperty: 'adcode',
          itemStyle: { areaColor: NO_DATA_COLOUR },
          data: [
            { name: '330100', value: 1, itemStyle: { areaColor: '#ff0000' } },
            { name: '440300', value: 2, itemStyle: { areaColor: '#00ff00' } },
          ],
        },
      ],
    };
    const svg = renderSvg(option, 600, 480, mapDataOrder(regions, option));
    const paths = [...svg.matchAll(/<path [^>]*data-region="([^"]*)"[^>]*>/g)];
    expect(paths.length).toBe(368);
    const fillOf = (code: string) => /fill="([^"]*)"/.exec(paths.find((p) => p[1] === code)![0])![1];
    expect(fillOf('330100')).toBe('#ff0000');
    expect(fillOf('440300')).toBe('#00ff00');
    expect(fillOf('110100')).toBe(NO_DATA_COLOUR);
    expect(svg.length).toBeLessThan(600_000); // simplified: the full map is ~6 MB
  });
  it('mapDataOrder: data items first, then the regions without one', () => {
    expect(mapDataOrder(['a', 'b', 'c'], { series: [{ type: 'map', data: [{ name: 'c' }] }] })).toEqual([
      'c',
      'a',
      'b',
    ]);
  });
  it('every map note says it is schematic and names the source', () => {
    expect(mapSourceNote('zh')).toMatch(/^示意图，非标准地图。.*ECharts 4\.9\.0.*Apache-2\.0/);
    expect(mapSourceNote('en')).toMatch(/^Schematic, not a standard map\..*ECharts 4\.9\.0.*Apache-2\.0/);
  });
});

describe('report helpers', () => {
  it('isChineseAdcodes', () => {
    expect(isChineseAdcodes(['330100', '440300'])).toBe(true);
    expect(isChineseAdcodes(['AUT', '330100'])).toBe(false);
    expect(isChineseAdcodes(['000001'])).toBe(false);
    expect(isChineseAdcodes([])).toBe(false);
  });
  it('formatting and labels', () => {
    expect(fmt(61.23456, 1)).toBe('61.2');
    expect(fmt(NaN)).toBe('—');
    expect(pct(0.6234)).toBe('62%');
    expect(pickText({ zh: '杭州' }, 'en')).toBe('杭州');
    expect(groupLabel('东部', 'en')).toBe('East');
    expect(groupLabel('东部', 'zh')).toBe('东部');
    expect(groupLabel('Europe', 'en')).toBe('Europe');
  });
});
