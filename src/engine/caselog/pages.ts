/**
 * What the KPI pages of the report and the dashboard show for one case log (issue 15, item 4): the city's
 * monthly trend of each headline KPI (with the Wilson interval of proportions), the category breakdown and
 * the district league table of the latest year, and what each KPI left out. Pure: built from the KPI
 * values `cityindex cases-log kpi` wrote (kpis.csv), so the pages show exactly the KPI outputs.
 */
import type { Bilingual, KpiDefinition, KpiValue } from './kpis.ts';
import { kpiDefinition } from './kpis.ts';

/** Where a real log comes from (the case log's `source:`). */
export interface KpiPageSource {
  title: string | { zh?: string; en?: string };
  date: string;
  url: string;
}

/** One case log as the pages need it: who, whether simulated, its source, and its KPI values. */
export interface KpiPageLog {
  id: string;
  name?: string | { zh?: string; en?: string };
  city: { code: string; name: Bilingual };
  simulated: boolean;
  source?: KpiPageSource;
  /** City values by month and year, district and category values by year (other rows are ignored). */
  values: KpiValue[];
}

/** KPIs drawn as monthly trends, in this order. */
export const TREND_KPIS = ['cases_received', 'on_time_rate', 'handling_median_h', 'satisfaction_rate', 'online_share'];
/** KPI columns of the category and district tables. */
export const TABLE_KPIS = ['cases_received', 'on_time_rate', 'handling_median_h', 'satisfaction_rate', 'online_share'];
/** The largest categories listed in the category table. */
export const MAX_CATEGORIES = 15;

export interface KpiTrendPoint {
  period: string;
  /** null where the KPI has no value that month (e.g. no closed case). */
  value: number | null;
  ciLow: number | null;
  ciHigh: number | null;
}

export interface KpiTrend {
  kpi: string;
  points: KpiTrendPoint[];
}

/** A row of the category or district table: its key and the year's value of each TABLE_KPIS column present. */
export interface KpiTableRow {
  key: string;
  /** Rank in the league table (districts only; 1 = best on the ranking KPI). */
  rank?: number;
  cells: Record<string, KpiValue | undefined>;
}

/** What the KPI pages show for one log. */
export interface KpiPage {
  log: KpiPageLog;
  /** The year of the tables (the latest year with city values). */
  year: string;
  /** Columns of the tables: the TABLE_KPIS with a value for the city that year. */
  columns: string[];
  trends: KpiTrend[];
  /** Categories with the most cases first (at most MAX_CATEGORIES), and how many there are in all. */
  categories: KpiTableRow[];
  categoryCount: number;
  /** Districts ranked by `rankedBy` (best first; districts without a value last, by code). */
  districts: KpiTableRow[];
  rankedBy?: string;
  /** The city's value of the year per column KPI: what entered it and what was left out. */
  cityYear: Record<string, KpiValue | undefined>;
}

const finite = (v: KpiValue | undefined): v is KpiValue => v !== undefined && Number.isFinite(v.value);
const cellMap = () => Object.create(null) as Record<string, KpiValue | undefined>;

/**
 * The page of a log: trends by month, category and district tables of the latest year.
 * @example
 * const v = (kpi: string, level: 'city' | 'district' | 'category', unit: string, period: string, value: number,
 *   category?: string) => ({ kpi, level, unit, period, value, numerator: value, denominator: null, ciLow: null,
 *   ciHigh: null, excluded: {}, ...(category ? { category } : {}) });
 * const page = kpiPage({ id: 'x', city: { code: '440300', name: { zh: '深圳', en: 'Shenzhen' } }, simulated: true,
 *   values: [v('cases_received', 'city', '440300', '2024-01', 3), v('cases_received', 'city', '440300', '2024', 3),
 *     v('cases_received', 'category', '440300', '2024', 1, 'a'),
 *     v('cases_received', 'category', '440300', '2024', 2, 'b')] });
 * [page.year, page.trends[0].points.length, page.categories.map((r) => r.key)] // => ['2024', 1, ['b', 'a']]
 */
export function kpiPage(log: KpiPageLog): KpiPage {
  const city = log.city.code;
  const years = [
    ...new Set(log.values.filter((v) => v.level === 'city' && /^\d{4}$/.test(v.period)).map((v) => v.period)),
  ];
  const year = years.sort().at(-1) ?? '';
  const cityYear = cellMap();
  for (const v of log.values)
    if (v.level === 'city' && v.unit === city && v.period === year && TABLE_KPIS.includes(v.kpi)) cityYear[v.kpi] = v;
  const columns = TABLE_KPIS.filter((k) => finite(cityYear[k]));
  const trends: KpiTrend[] = [];
  for (const kpi of TREND_KPIS) {
    const points = log.values
      .filter((v) => v.kpi === kpi && v.level === 'city' && v.unit === city && /^\d{4}-\d{2}$/.test(v.period))
      .sort((a, b) => (a.period < b.period ? -1 : 1))
      .map((v) => ({
        period: v.period,
        value: Number.isFinite(v.value) ? v.value : null,
        ciLow: v.ciLow,
        ciHigh: v.ciHigh,
      }));
    if (points.some((p) => p.value !== null)) trends.push({ kpi, points });
  }
  const rows = (level: 'district' | 'category') => {
    const by = new Map<string, Record<string, KpiValue | undefined>>();
    for (const v of log.values) {
      if (v.level !== level || v.period !== year || !columns.includes(v.kpi)) continue;
      if (level === 'category' && v.unit !== city) continue;
      const key = level === 'category' ? (v.category ?? '') : v.unit;
      let cells = by.get(key);
      if (!cells) by.set(key, (cells = cellMap()));
      cells[v.kpi] = v;
    }
    return [...by].map(([key, cells]): KpiTableRow => ({ key, cells }));
  };
  const count = (r: KpiTableRow) => r.cells.cases_received?.value ?? 0;
  const allCategories = rows('category').sort((a, b) => count(b) - count(a) || (a.key < b.key ? -1 : 1));
  const districts = rows('district');
  const rankedBy = ['on_time_rate', 'handling_median_h', 'satisfaction_rate'].find((k) =>
    districts.some((r) => finite(r.cells[k])),
  );
  if (rankedBy) {
    const dir = kpiDefinition(rankedBy)?.direction ?? 1;
    const val = (r: KpiTableRow) => (finite(r.cells[rankedBy]) ? r.cells[rankedBy].value : NaN);
    districts.sort((a, b) => {
      const [x, y] = [val(a), val(b)];
      if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) ? (Number.isNaN(y) ? cmp(a, b) : 1) : -1;
      return (y - x) * dir || cmp(a, b);
    });
    let rank = 0;
    for (const [i, r] of districts.entries()) {
      if (Number.isNaN(val(r))) break;
      rank = i > 0 && val(districts[i - 1]) === val(r) ? rank : i + 1;
      r.rank = rank;
    }
  } else districts.sort(cmp);
  return {
    log,
    year,
    columns,
    trends,
    categories: allCategories.slice(0, MAX_CATEGORIES),
    categoryCount: allCategories.length,
    districts,
    rankedBy,
    cityYear,
  };
}

function cmp(a: KpiTableRow, b: KpiTableRow): number {
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

/**
 * A KPI value as printed on the pages: shares as percentages (one decimal), hours with one decimal,
 * counts whole; '–' when there is none.
 * @example
 * import { kpiDefinition } from './kpis.ts';
 * formatKpiValue(kpiDefinition('on_time_rate')!, 0.8125) // => '81.3%'
 * @example
 * import { kpiDefinition } from './kpis.ts';
 * formatKpiValue(kpiDefinition('handling_median_h')!, 71.96) // => '72.0'
 * @example
 * import { kpiDefinition } from './kpis.ts';
 * formatKpiValue(kpiDefinition('cases_received')!, NaN) // => '–'
 */
export function formatKpiValue(def: KpiDefinition, value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  if (def.kind === 'proportion') return `${(value * 100).toFixed(1)}%`;
  if (def.kind === 'quantile' || def.kind === 'perCapita') return value.toFixed(1);
  return String(Math.round(value));
}
