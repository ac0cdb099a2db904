/**
 * Periods of a case log (month, quarter, year of the local receipt time) and their end instants, for the
 * backlog at period end. Pure: instants are seconds since 1970-01-01 UTC.
 */

export type Granularity = 'month' | 'quarter' | 'year';
export const GRANULARITIES: readonly Granularity[] = ['month', 'quarter', 'year'];

/** The column of the normalised case table holding each granularity's period key. */
export const PERIOD_COLUMN: Readonly<Record<Granularity, string>> = {
  month: 'p_month',
  quarter: 'p_quarter',
  year: 'p_year',
};

/**
 * The granularity of a period key: `2015` year, `2015-Q2` quarter, `2015-06` month.
 * @example granularityOf('2015-Q2') // => 'quarter'
 * @example granularityOf('2015-06') // => 'month'
 * @example granularityOf('June') // => undefined
 */
export function granularityOf(key: string): Granularity | undefined {
  if (/^\d{4}$/.test(key)) return 'year';
  if (/^\d{4}-Q[1-4]$/.test(key)) return 'quarter';
  if (/^\d{4}-(0[1-9]|1[0-2])$/.test(key)) return 'month';
  return undefined;
}

/**
 * The first instant after a period (seconds since 1970 UTC) for a log in UTC offset `offsetS` seconds:
 * the local midnight starting the next period.
 * @example periodEnd('2015-01', 0) // => 1422748800 (2015-02-01T00:00:00Z)
 * @example periodEnd('2024-Q4', 8 * 3600) // => 1735660800 (2025-01-01T00:00:00+08:00 = 2024-12-31T16:00Z)
 */
export function periodEnd(key: string, offsetS: number): number {
  const g = granularityOf(key);
  if (!g) throw new RangeError(`not a period: ${key}`);
  const y = Number(key.slice(0, 4));
  // the 0-based month after the period (Date.UTC rolls month 12 into January of the next year)
  const nextMonth0 = g === 'year' ? 12 : g === 'quarter' ? Number(key.slice(6)) * 3 : Number(key.slice(5, 7));
  return Date.UTC(y, nextMonth0, 1) / 1000 - offsetS;
}

/**
 * The month, quarter and year keys of a local date.
 * @example periodKeys(2015, 6) // => { month: '2015-06', quarter: '2015-Q2', year: '2015' }
 */
export function periodKeys(year: number, month: number): Record<Granularity, string> {
  return {
    month: `${year}-${String(month).padStart(2, '0')}`,
    quarter: `${year}-Q${Math.floor((month - 1) / 3) + 1}`,
    year: String(year),
  };
}
