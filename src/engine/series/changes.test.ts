import { describe, expect, it } from 'vitest';
import { indexFormToPercent, percentChange, percentToIndexForm, seriesChanges } from './changes.ts';
import { createSeries } from './series.ts';

describe('changes', () => {
  it('period-on-period change by hand', () => {
    // (102/100 − 1)·100 = 2; (99.96/102 − 1)·100 = −2
    const c = percentChange([100, 102, 99.96], 1);
    expect(c[0]).toBeNaN();
    expect(c[1]).toBeCloseTo(2, 12);
    expect(c[2]).toBeCloseTo(-2, 12);
    expect(percentChange([0, 1], 1)[1]).toBeNaN();
  });
  it('year-to-date against the previous December: 邵阳 2013-11 (METHODS.md §6)', () => {
    // The source: 1156.3 points in 2013-11, 前11月涨幅 15.63 %; base 1000 at 2012-12 ⇒ 1156.3/1000 − 1 = 15.63 %.
    const s = createSeries(
      [
        { period: '2012-12', value: 1000 },
        { period: '2013-11', value: 1156.3 },
      ],
      { code: '邵阳' },
    );
    const ch = seriesChanges(s);
    expect(ch.yearToDate[11]).toBeCloseTo(15.63, 10);
    expect(ch.yearToDate[0]).toBeNaN(); // 2012-12 has no 2011-12
    expect(ch.periodOnPeriod[11]).toBeNaN(); // 2013-10 missing
  });
  it('MoM, YoY and YTD of a monthly series over a year boundary', () => {
    // 2021-12 = 100, 2022-01 = 101, …, 2022-12 = 112, then 2023-01 = 120
    const points = [{ period: '2021-12', value: 100 }];
    for (let m = 1; m <= 12; m++) points.push({ period: `2022-${String(m).padStart(2, '0')}`, value: 100 + m });
    points.push({ period: '2023-01', value: 120 });
    const s = createSeries(points, { code: 'x' });
    const ch = seriesChanges(s);
    // 2023-01 (position 13): MoM = 120/112 − 1; YoY = 120/101 − 1 (2022-01 = 101); YTD = against 2022-12 = MoM
    expect(s.periods[13]).toBe('2023-01');
    expect(ch.periodOnPeriod[13]).toBeCloseTo((120 / 112 - 1) * 100, 12);
    expect(ch.yearOnYear[13]).toBeCloseTo((120 / 101 - 1) * 100, 12);
    expect(ch.yearToDate[13]).toBeCloseTo((120 / 112 - 1) * 100, 12); // January: YTD = MoM
    expect(ch.yearToDate[12]).toBeCloseTo((112 / 100 - 1) * 100, 12); // December: YTD = YoY = 112/100
    expect(ch.yearOnYear[12]).toBeCloseTo((112 / 100 - 1) * 100, 12);
  });
  it('converts between percent and previous-period = 100 form (上月=100)', () => {
    expect([...percentToIndexForm([-0.14, 0.13])]).toEqual([99.86, 100.13]);
    expect(indexFormToPercent([100.5, 99.2])[0]).toBeCloseTo(0.5, 12);
    expect(indexFormToPercent(percentToIndexForm([1.25, -3]))[1]).toBeCloseTo(-3, 12);
  });
});
