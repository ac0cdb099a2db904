import { describe, expect, it } from 'vitest';
import { CityIndexError } from '../engine/core/errors.ts';
import { auditPublishedTable } from '../engine/series/audit.ts';
import {
  auditSheetRows,
  parseSeriesCsv,
  seriesSheetRows,
  tableToPublishedRows,
  tableToSeries,
  tableWeights,
} from './series.ts';

describe('parseSeriesCsv', () => {
  it('reads Chinese headers, % signs, Unicode minus and keeps printed decimals', () => {
    const t = parseSeriesCsv('日期,指数,环比,同比\n2023.01,1569.90,−0.97%,-0.1\n2022.12,1572,,\n', 'seed.csv');
    expect(t.columns).toEqual({ period: '日期', value: '指数', mom: '环比', yoy: '同比' });
    expect(t.seriesCodes).toEqual(['seed']);
    expect(t.rows[0]).toMatchObject({
      row: 2,
      period: '2023.01',
      value: { value: 1569.9, decimals: 2 },
      mom: { value: -0.97, decimals: 2 },
      yoy: { value: -0.1, decimals: 1 },
    });
    expect(t.rows[1].value).toEqual({ value: 1572, decimals: 0 });
    expect(t.rows[1].mom.value).toBeNull();
    const rows = tableToPublishedRows(t);
    expect(rows[0]).toMatchObject({ valueDecimals: 2, momDecimals: 2, yoyDecimals: 1, sourceRow: 2 });
    expect(rows[1].momDecimals).toBeUndefined();
  });
  it('splits several series in long form, with weights', () => {
    const t = parseSeriesCsv(
      'city,period,value,volume\nA,2023-01,100,3\nB,2023-01,200,1\nA,2023-02,110,4\nB,2023-02,180,1\n',
      'x.csv',
    );
    expect(t.seriesCodes).toEqual(['A', 'B']);
    const s = tableToSeries(t);
    expect(s.map((x) => [x.code, [...x.values]])).toEqual([
      ['A', [100, 110]],
      ['B', [200, 180]],
    ]);
    expect([...tableWeights(t).A!.values]).toEqual([3, 4]);
    expect(() => tableToPublishedRows(t, 'C')).toThrow(/no series "C"/);
  });
  it('collects located errors', () => {
    try {
      parseSeriesCsv('period,value,mom\n2023-01,abc,1\n2023-02,1,1.2.3\n', 'bad.csv');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(CityIndexError);
      expect((e as CityIndexError).issues.map((i) => [i.row, i.column])).toEqual([
        [2, 'value'],
        [3, 'mom'],
      ]);
    }
    expect(() => parseSeriesCsv('when,value\n2023,1\n', 'x.csv')).toThrow(/no period column/);
    expect(() => tableToSeries(parseSeriesCsv('period,value\n2023-01,1\n2023.01,2\n', 'dup.csv'))).toThrow(
      /dup.csv.*appears twice/,
    );
  });
});

describe('workbook rows', () => {
  it('series rows with changes and an optional note', () => {
    const [s] = tableToSeries(parseSeriesCsv('period,value\n2022-12,100\n2023-01,101\n', 'x.csv'));
    const sheet = seriesSheetRows(s, { note: 'generated example data / 模拟数据' });
    expect(sheet.header).toEqual([
      'series',
      'period',
      'value',
      'MoM % (环比)',
      'YoY % (同比)',
      'YTD % (年初以来)',
      'note',
    ]);
    expect(sheet.rows[0]).toEqual(['x', '2022-12', 100, null, null, null, 'generated example data / 模拟数据']);
    expect(sheet.rows[1][3]).toBeCloseTo(1, 12);
    expect(sheet.rows[1][5]).toBeCloseTo(1, 12); // January: YTD against December
  });
  it('audit rows', () => {
    const t = parseSeriesCsv('日期,指数,环比,同比\n2023.01,1569.9,-0.97,-0.14\n2022.12,1572.1,-0.92,-0.11\n', 's.csv');
    const sheet = auditSheetRows(auditPublishedTable(tableToPublishedRows(t)));
    expect(sheet.rows.map((r) => [r[0], r[7]])).toEqual([
      ['2023-01', 'swapped'],
      ['2022-12', 'not-checkable'],
    ]);
    expect(sheet.rows[0][5]).toBeCloseTo((1569.9 / 1572.1 - 1) * 100, 12);
  });
});
