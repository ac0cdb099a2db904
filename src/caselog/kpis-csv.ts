/**
 * Reading `kpi/<log>/kpis.csv` back (no Node API: the report on Node and the site writer on any host use it).
 */
import { parse as parseCsv } from 'csv-parse/sync';
import { CityIndexError } from '../engine/core/errors.ts';
import type { KpiLevel, KpiValue } from '../engine/caselog/kpis.ts';

const LEVELS = new Set<string>(['city', 'district', 'category']);

/** A number of kpis.csv (empty → NaN for the value, null for the others). */
const numOr = (s: string | undefined, empty: number | null) => (s === undefined || s === '' ? empty : Number(s));

/**
 * The rows of one kpis.csv the KPI pages show (city by month and year, districts and categories by year),
 * with a located error for a malformed row.
 * @example
 * const csv = 'kpi,level,unit,period,value,numerator,denominator,ci_low,ci_high,excluded,category\n' +
 *   'on_time_rate,category,440300,2024,0.75,3,4,0.3,0.95,open=1,environment\n' +
 *   'on_time_rate,district,440304,2024-01,1,1,1,0.2,1,,\n';
 * parseKpisCsv(csv, 'kpis.csv').map((v) => [v.category, v.excluded.open, v.denominator]) // => [['environment', 1, 4]]
 */
export function parseKpisCsv(text: string, file: string): KpiValue[] {
  const rows = parseCsv(text, { bom: true, columns: true, skip_empty_lines: true }) as Record<string, string>[];
  const out: KpiValue[] = [];
  rows.forEach((r, i) => {
    const level = r.level;
    if (!LEVELS.has(level) || !r.kpi || !r.unit || !/^\d{4}(-\d{2}|-Q\d)?$/.test(r.period ?? ''))
      throw new CityIndexError({
        code: 'E_KPIS_ROW',
        message: 'malformed KPI row / KPI 行格式错误',
        file,
        row: i + 2,
        expected: 'kpi, level (city, district or category), unit and period (2024, 2024-01 or 2024-Q1)',
      });
    const monthly = r.period.length === 7 && r.period[4] === '-' && r.period[5] !== 'Q';
    const yearly = r.period.length === 4;
    if (!(yearly || (monthly && level === 'city'))) return;
    const excluded = Object.create(null) as Record<string, number>;
    for (const part of (r.excluded ?? '').split(';').filter(Boolean)) {
      const [k, n] = part.split('=');
      excluded[k] = Number(n);
    }
    out.push({
      kpi: r.kpi,
      level: level as KpiLevel,
      unit: r.unit,
      ...(level === 'category' ? { category: r.category ?? '' } : {}),
      period: r.period,
      value: numOr(r.value, NaN) as number,
      numerator: numOr(r.numerator, 0) as number,
      denominator: numOr(r.denominator, null),
      ciLow: numOr(r.ci_low, null),
      ciHigh: numOr(r.ci_high, null),
      excluded,
    });
  });
  return out;
}

/**
 * The case log ids a project's `data:` (one source or a list) reads through `kind: kpi`, in order, once each.
 * @example kpiCaseLogIds([{ kind: 'kpi', caselog: 'a' }, { file: 'x.csv' }, { kind: 'kpi', caselog: 'a' }]) // => ['a']
 * @example kpiCaseLogIds({ kind: 'kpi', caselog: 'b' }) // => ['b']
 * @example kpiCaseLogIds([{ kind: 'kpi', caselog: 'a', file: 'mine.csv' }], { defaultFileOnly: true }) // => []
 */
export function kpiCaseLogIds(data: unknown, opts: { defaultFileOnly?: boolean } = {}): string[] {
  const list: unknown[] = Array.isArray(data) ? data : data ? [data] : [];
  const ids: string[] = [];
  for (const d of list) {
    const o = d as { kind?: unknown; caselog?: unknown; file?: unknown } | null;
    if (!o || o.kind !== 'kpi' || typeof o.caselog !== 'string' || ids.includes(o.caselog)) continue;
    // defaultFileOnly: the sources that read kpi/<log>/indicators.csv (no `file:` of their own)
    if (!opts.defaultFileOnly || o.file === undefined) ids.push(o.caselog);
  }
  return ids;
}
