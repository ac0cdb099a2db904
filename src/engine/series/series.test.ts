import { describe, expect, it } from 'vitest';
import { CityIndexError } from '../core/errors.ts';
import { createSeries, valueAt } from './series.ts';

describe('createSeries', () => {
  it('sorts points onto a gap-free grid with NaN for gaps', () => {
    const s = createSeries(
      [
        { period: '2023-02', value: 3 },
        { period: '2022-12', value: 1 },
      ],
      { code: 'x' },
    );
    expect(s.periods).toEqual(['2022-12', '2023-01', '2023-02']);
    expect([...s.values]).toEqual([1, NaN, 3]);
    expect(valueAt(s, '2023.02')).toBe(3);
    expect(valueAt(s, '2024-01')).toBeNaN();
  });
  it('rejects duplicates and mixed frequencies with located issues', () => {
    try {
      createSeries(
        [
          { period: '2023-01', value: 1 },
          { period: '2023.01', value: 2 },
        ],
        { code: 'x', file: 'a.csv' },
      );
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(CityIndexError);
      expect((e as CityIndexError).issues[0]).toMatchObject({ code: 'E_DUPLICATE_PERIOD', file: 'a.csv', unit: 'x' });
    }
    expect(() =>
      createSeries(
        [
          { period: '2023-01', value: 1 },
          { period: '2023', value: 2 },
        ],
        { code: 'x' },
      ),
    ).toThrow(/is a year/);
  });
});
