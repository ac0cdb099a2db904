/**
 * Periods of a time series (month, quarter, year) as integer ordinals, so that "the previous month",
 * "the same month a year ago" and "the previous December" are plain integer arithmetic.
 * Ordinals: month = year·12 + (month − 1), quarter = year·4 + (quarter − 1), year = year.
 */
import { CityIndexError } from '../core/errors.ts';

/** How often a series is observed. */
export type Frequency = 'month' | 'quarter' | 'year';

/** A parsed period: its frequency and ordinal (see the module comment). */
export interface Period {
  frequency: Frequency;
  ordinal: number;
}

/**
 * Periods per year for a frequency (12, 4 or 1); the lag of a year-on-year change.
 * @example periodsPerYear('quarter') // => 4
 */
export function periodsPerYear(frequency: Frequency): number {
  switch (frequency) {
    case 'month':
      return 12;
    case 'quarter':
      return 4;
    case 'year':
      return 1;
    default:
      throw new CityIndexError({
        code: 'E_FREQUENCY',
        message: `unknown frequency "${String(frequency)}"`,
        expected: 'month, quarter or year',
      });
  }
}

const MONTH = /^(\d{4})\s*(?:[-./]\s*|年\s*)(\d{1,2})\s*月?$/;
const MONTH_COMPACT = /^(\d{4})(\d{2})$/;
const QUARTER = /^(\d{4})\s*[-\s]?\s*[Qq]([1-4])$/;
const QUARTER_ZH = /^(\d{4})\s*年\s*(?:第\s*)?([1-4一二三四])\s*季度?$/;
const YEAR = /^(\d{4})\s*年?$/;
const ZH_DIGIT: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4 };

/**
 * Parse a period label: months `2023-01`, `2023.01`, `2023/1`, `202301`, `2023年1月`; quarters `2023-Q1`,
 * `2023Q1`, `2023年第一季度`; years `2023`, `2023年`. Throws a located `CityIndexError` on anything else.
 * Note: a spreadsheet may turn `2023.10` into the number 2023.1, which reads as January — keep periods as text.
 * @example parsePeriod('2023.01') // => { frequency: 'month', ordinal: 24276 }
 */
export function parsePeriod(text: string): Period {
  const s = String(text).trim();
  let m = MONTH.exec(s) ?? MONTH_COMPACT.exec(s);
  if (m) {
    const month = Number(m[2]);
    if (month >= 1 && month <= 12) return { frequency: 'month', ordinal: Number(m[1]) * 12 + month - 1 };
  }
  m = QUARTER.exec(s) ?? QUARTER_ZH.exec(s);
  if (m) {
    const q = ZH_DIGIT[m[2]] ?? Number(m[2]);
    return { frequency: 'quarter', ordinal: Number(m[1]) * 4 + q - 1 };
  }
  m = YEAR.exec(s);
  if (m) return { frequency: 'year', ordinal: Number(m[1]) };
  throw new CityIndexError({
    code: 'E_PERIOD',
    message: `"${s}" is not a period`,
    field: 'period',
    expected: 'YYYY-MM, YYYY-Qn or YYYY',
  });
}

/**
 * The canonical label of a period: `YYYY-MM`, `YYYY-Qn` or `YYYY`.
 * @example formatPeriod({ frequency: 'month', ordinal: 24276 }) // => '2023-01'
 */
export function formatPeriod(p: Period): string {
  const ppy = periodsPerYear(p.frequency);
  const year = Math.floor(p.ordinal / ppy);
  const k = p.ordinal - year * ppy + 1;
  switch (p.frequency) {
    case 'month':
      return `${year}-${String(k).padStart(2, '0')}`;
    case 'quarter':
      return `${year}-Q${k}`;
    case 'year':
      return String(year);
    default:
      throw new CityIndexError({ code: 'E_FREQUENCY', message: `unknown frequency "${String(p.frequency)}"` });
  }
}

/**
 * Calendar year of a period ordinal.
 * @example yearOf('month', 24276) // => 2023
 */
export function yearOf(frequency: Frequency, ordinal: number): number {
  return Math.floor(ordinal / periodsPerYear(frequency));
}

/**
 * Ordinal of the last period of the previous year (the previous December, Q4, or the previous year):
 * the base of a year-to-date change (年初以来 / 前N月, 比上年12月).
 * @example
 * formatPeriod({ frequency: 'month', ordinal: previousYearEnd('month', parsePeriod('2013-11').ordinal) })
 * // => '2012-12'
 */
export function previousYearEnd(frequency: Frequency, ordinal: number): number {
  return yearOf(frequency, ordinal) * periodsPerYear(frequency) - 1;
}

/**
 * Labels of the consecutive periods `start … start + length − 1`.
 * @example periodLabels('quarter', 2023 * 4 + 3, 2) // => ['2023-Q4', '2024-Q1']
 */
export function periodLabels(frequency: Frequency, start: number, length: number): string[] {
  const out: string[] = new Array(length);
  for (let i = 0; i < length; i++) out[i] = formatPeriod({ frequency, ordinal: start + i });
  return out;
}
