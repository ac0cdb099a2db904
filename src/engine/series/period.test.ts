import { describe, expect, it } from 'vitest';
import { CityIndexError } from '../core/errors.ts';
import { formatPeriod, parsePeriod, periodLabels, previousYearEnd } from './period.ts';

describe('periods', () => {
  it('parses the usual spellings of a month, quarter and year', () => {
    for (const s of ['2023-01', '2023.01', '2023/1', '202301', '2023年1月', ' 2023.1 ']) {
      expect(parsePeriod(s)).toEqual({ frequency: 'month', ordinal: 2023 * 12 });
    }
    expect(parsePeriod('2023-Q3')).toEqual({ frequency: 'quarter', ordinal: 2023 * 4 + 2 });
    expect(parsePeriod('2023年第三季度')).toEqual({ frequency: 'quarter', ordinal: 2023 * 4 + 2 });
    expect(parsePeriod('2023')).toEqual({ frequency: 'year', ordinal: 2023 });
    expect(() => parsePeriod('2023-13')).toThrow(CityIndexError);
    expect(() => parsePeriod('Jan 2023')).toThrow(/not a period/);
  });
  it('formats canonical labels and round-trips', () => {
    expect(formatPeriod(parsePeriod('2023.01'))).toBe('2023-01');
    expect(formatPeriod(parsePeriod('2022.12'))).toBe('2022-12');
    expect(periodLabels('quarter', 2023 * 4 + 3, 2)).toEqual(['2023-Q4', '2024-Q1']);
    expect(periodLabels('month', parsePeriod('2022-11').ordinal, 3)).toEqual(['2022-11', '2022-12', '2023-01']);
  });
  it('finds the previous December / Q4 / year', () => {
    expect(
      formatPeriod({ frequency: 'month', ordinal: previousYearEnd('month', parsePeriod('2013-11').ordinal) }),
    ).toBe('2012-12');
    expect(
      formatPeriod({ frequency: 'month', ordinal: previousYearEnd('month', parsePeriod('2013-12').ordinal) }),
    ).toBe('2012-12');
    expect(
      formatPeriod({ frequency: 'quarter', ordinal: previousYearEnd('quarter', parsePeriod('2013-Q1').ordinal) }),
    ).toBe('2012-Q4');
    expect(previousYearEnd('year', 2013)).toBe(2012);
  });
});
