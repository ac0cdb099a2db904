/**
 * Governance KPIs of a case log: one definition per KPI with its formula (zh/en), numerator, denominator,
 * the cases it leaves out and why, and ONE SQL text that runs unchanged on DuckDB and PostgreSQL over the
 * normalised case table `cases` (columns in CASE_TABLE_COLUMNS). Pure: the SQL is data here; the Node edge
 * (src/caselog/) runs it.
 *
 * Conventions: a case belongs to the period (month/quarter/year) of its local receipt time; handling time is
 * closed − received in hours; a case is closed when it has a closed time; cases marked by an `exclude:` rule
 * (duplicates, invalid requests …) count as received but enter no other KPI; proportions carry a 95 %
 * Wilson score interval (Wilson 1927; Brown, Cai & DasGupta 2001).
 */
import type { Granularity } from './periods.ts';
import { GRANULARITIES, PERIOD_COLUMN } from './periods.ts';

export interface Bilingual {
  zh: string;
  en: string;
}

/** Columns of the normalised case table (`cases`), as written by the import and stored in PostgreSQL. */
export const CASE_TABLE_COLUMNS = [
  ['rec', 'BIGINT'],
  ['src_file', 'VARCHAR'],
  ['id', 'VARCHAR'],
  ['city', 'VARCHAR'],
  ['district', 'VARCHAR'],
  ['channel', 'VARCHAR'],
  ['online', 'INTEGER'],
  ['source_category', 'VARCHAR'],
  ['category', 'VARCHAR'],
  ['status', 'VARCHAR'],
  ['received_s', 'BIGINT'],
  ['dispatched_s', 'BIGINT'],
  ['first_response_s', 'BIGINT'],
  ['resolved_s', 'BIGINT'],
  ['closed_s', 'BIGINT'],
  ['due_s', 'BIGINT'],
  ['reopened', 'INTEGER'],
  ['satisfaction', 'DOUBLE'],
  ['satisfied', 'INTEGER'],
  ['excluded', 'VARCHAR'],
  ['latitude', 'DOUBLE'],
  ['longitude', 'DOUBLE'],
  ['p_month', 'VARCHAR'],
  ['p_quarter', 'VARCHAR'],
  ['p_year', 'VARCHAR'],
] as const;

export type KpiKind = 'proportion' | 'quantile' | 'count' | 'perCapita';
/**
 * The unit of a KPI row: the city, a district, or a standard category within a city (the category
 * breakdown: city × category × period, over cases with a standard category).
 */
export type KpiLevel = 'city' | 'district' | 'category';

/** The separator of city and category in the `unit` a category-level SQL returns (ASCII unit separator). */
export const CATEGORY_UNIT_SEPARATOR = '\u001f';

/**
 * The SQL expression of a level's unit over the `cases` columns (both engines: `||` and `chr` are the same
 * on DuckDB and PostgreSQL; NULL when the city or category is missing, so such cases leave the level).
 * @example unitExpression('district') // => 'district'
 * @example unitExpression('category') // => '(city || chr(31) || category)'
 */
export function unitExpression(level: KpiLevel): string {
  return level === 'category' ? '(city || chr(31) || category)' : level;
}

/** Why cases are left out of a KPI: the key of an `x_<key>` column of its SQL, and the reason in words. */
export interface KpiExclusion {
  key: string;
  reason: Bilingual;
}

export interface KpiDefinition {
  id: string;
  name: Bilingual;
  /** Unit of the value. */
  unit: Bilingual;
  kind: KpiKind;
  /** 1: higher is better; -1: lower is better. */
  direction: 1 | -1;
  formula: Bilingual;
  numerator: Bilingual;
  denominator?: Bilingual;
  exclusions: readonly KpiExclusion[];
  /**
   * The SQL: `{unit}` is replaced by `city` or `district`, `{period}` by the period column, `{granularity}`
   * by month/quarter/year. It returns `unit`, `period`, `num`, `den` (proportions), `v` (quantiles) and one
   * `x_<key>` count per exclusion.
   */
  sql: string;
  /**
   * The aggregates of `sql` as [alias, expression] when the KPI is one scan of `cases` grouped by unit and
   * period (every KPI but the backlog): `sql` is exactly `SELECT {unit} AS unit, {period} AS period, <expr> AS
   * <alias>, … FROM cases WHERE {unit} IS NOT NULL GROUP BY 1, 2`, so several KPIs can share one scan
   * (fusedKpiScan) and still give the numbers of their own SQL.
   */
  columns?: ReadonlyArray<readonly [alias: string, expression: string]>;
}

const RULE: KpiExclusion = {
  key: 'rule',
  reason: { zh: '按项目规则排除（如重复、无效工单）', en: "excluded by the project's rules (e.g. duplicate, invalid)" },
};
const OPEN: KpiExclusion = {
  key: 'open',
  reason: { zh: '尚未办结（右删失）', en: 'still open at export (right-censored)' },
};
const IN = (c: string) => `SUM(CASE WHEN ${c} THEN 1 ELSE 0 END)`;
const LIVE = 'excluded IS NULL';
const CLOSED = `${LIVE} AND closed_s IS NOT NULL`;
const HOURS = (a: string, b: string) => `CAST(${a} - ${b} AS DOUBLE PRECISION) / 3600`;
const FROM = 'FROM cases WHERE {unit} IS NOT NULL GROUP BY 1, 2';
const HEAD = 'SELECT {unit} AS unit, {period} AS period';

/** A KPI that is one scan of `cases`: its aggregate columns and the SQL they make. */
const scan = (...columns: Array<readonly [string, string]>) => ({
  columns,
  sql: `${HEAD}, ${columns.map(([alias, e]) => `${e} AS ${alias}`).join(', ')} ${FROM}`,
});
const X_RULE = ['x_rule', IN('excluded IS NOT NULL')] as const;
const X_OPEN = ['x_open', IN(`${LIVE} AND closed_s IS NULL`)] as const;
const countSql = scan(['num', 'COUNT(*)'], X_RULE);
const quantileSql = (q: number, start: string) =>
  scan(
    [
      'v',
      `percentile_cont(${q}) WITHIN GROUP (ORDER BY CASE WHEN ${CLOSED} AND ${start} IS NOT NULL ` +
        `THEN ${HOURS('closed_s', start)} END)`,
    ],
    ['num', IN(`${CLOSED} AND ${start} IS NOT NULL`)],
    X_RULE,
    X_OPEN,
  );

/** The KPIs, in the order reports list them. */
export const KPI_DEFINITIONS: readonly KpiDefinition[] = [
  {
    id: 'cases_received',
    name: { zh: '受理工单数', en: 'Cases received' },
    unit: { zh: '件', en: 'cases' },
    kind: 'count',
    direction: 1,
    formula: { zh: '期内受理（接收时间落在期内）的工单数', en: 'number of cases received in the period' },
    numerator: { zh: '期内受理的全部工单（含被排除的）', en: 'all cases received in the period (excluded ones too)' },
    exclusions: [],
    ...countSql,
  },
  {
    id: 'cases_per_10k',
    name: { zh: '每万常住人口工单数', en: 'Cases per 10 000 residents' },
    unit: { zh: '件/万人', en: 'cases per 10 000 residents' },
    kind: 'perCapita',
    direction: 1,
    formula: {
      zh: '期内受理工单数 ÷ 常住人口 × 10000（人口取普查数）',
      en: 'cases received in the period ÷ resident population × 10 000 (census population)',
    },
    numerator: { zh: '期内受理的全部工单', en: 'all cases received in the period' },
    denominator: { zh: '常住人口（普查）', en: 'resident population (census)' },
    exclusions: [],
    ...countSql,
  },
  {
    id: 'on_time_rate',
    name: { zh: '按时办结率', en: 'On-time closure rate' },
    unit: { zh: '比例', en: 'share' },
    kind: 'proportion',
    direction: 1,
    formula: {
      zh: '办结时间不晚于期限的已办结工单数 ÷ 有期限的已办结工单数；期限取日志中的到期时间，缺失时取受理时间 + 该类别时限（SLA）',
      en:
        'closed cases with closed time ≤ due time ÷ closed cases with a due time; the due time is the log’s, ' +
        'or received time + the SLA hours of the category when the log has none',
    },
    numerator: { zh: '按时办结的工单', en: 'cases closed on or before their due time' },
    denominator: { zh: '有期限的已办结工单', en: 'closed cases with a due time' },
    exclusions: [
      RULE,
      OPEN,
      { key: 'no_due', reason: { zh: '无到期时间且类别无时限', en: 'no due time and no SLA for the category' } },
    ],
    ...scan(
      ['num', IN(`${CLOSED} AND due_s IS NOT NULL AND closed_s <= due_s`)],
      ['den', IN(`${CLOSED} AND due_s IS NOT NULL`)],
      X_RULE,
      X_OPEN,
      ['x_no_due', IN(`${CLOSED} AND due_s IS NULL`)],
    ),
  },
  {
    id: 'handling_median_h',
    name: { zh: '办理时长中位数', en: 'Median handling time' },
    unit: { zh: '小时', en: 'hours' },
    kind: 'quantile',
    direction: -1,
    formula: {
      zh: '已办结工单（办结时间 − 受理时间）的中位数，两个中间值之间线性插值',
      en: 'median of (closed − received) over closed cases, linearly interpolated between the two middle values',
    },
    numerator: { zh: '已办结工单的办理时长', en: 'handling times of closed cases' },
    exclusions: [RULE, OPEN],
    ...quantileSql(0.5, 'received_s'),
  },
  {
    id: 'handling_p90_h',
    name: { zh: '办理时长第90百分位', en: '90th percentile of handling time' },
    unit: { zh: '小时', en: 'hours' },
    kind: 'quantile',
    direction: -1,
    formula: {
      zh: '已办结工单（办结时间 − 受理时间）的第90百分位数，相邻两值之间线性插值',
      en: '90th percentile of (closed − received) over closed cases, linearly interpolated between neighbouring values',
    },
    numerator: { zh: '已办结工单的办理时长', en: 'handling times of closed cases' },
    exclusions: [RULE, OPEN],
    ...quantileSql(0.9, 'received_s'),
  },
  {
    id: 'first_response_median_h',
    name: { zh: '首次响应时长中位数', en: 'Median first-response time' },
    unit: { zh: '小时', en: 'hours' },
    kind: 'quantile',
    direction: -1,
    formula: {
      zh: '有首次响应时间的工单（首次响应时间 − 受理时间）的中位数，两个中间值之间线性插值',
      en:
        'median of (first response − received) over cases with a first response, ' +
        'linearly interpolated between the two middle values',
    },
    numerator: { zh: '有首次响应时间的工单', en: 'cases with a first-response time' },
    exclusions: [RULE, { key: 'no_response', reason: { zh: '无首次响应时间', en: 'no first-response time' } }],
    ...scan(
      [
        'v',
        `percentile_cont(0.5) WITHIN GROUP (ORDER BY CASE WHEN ${LIVE} AND first_response_s IS NOT NULL ` +
          `THEN ${HOURS('first_response_s', 'received_s')} END)`,
      ],
      ['num', IN(`${LIVE} AND first_response_s IS NOT NULL`)],
      X_RULE,
      ['x_no_response', IN(`${LIVE} AND first_response_s IS NULL`)],
    ),
  },
  {
    id: 'reopen_rate',
    name: { zh: '重办率', en: 'Reopen rate' },
    unit: { zh: '比例', en: 'share' },
    kind: 'proportion',
    direction: -1,
    formula: {
      zh: '被重新打开的已办结工单数 ÷ 记录了重办标记的已办结工单数',
      en: 'closed cases that were reopened ÷ closed cases with a reopen flag',
    },
    numerator: { zh: '重办的已办结工单', en: 'closed cases reopened' },
    denominator: { zh: '有重办标记的已办结工单', en: 'closed cases with a reopen flag' },
    exclusions: [RULE, OPEN, { key: 'no_flag', reason: { zh: '未记录重办标记', en: 'no reopen flag recorded' } }],
    ...scan(
      ['num', IN(`${CLOSED} AND reopened = 1`)],
      ['den', IN(`${CLOSED} AND reopened IS NOT NULL`)],
      X_RULE,
      X_OPEN,
      ['x_no_flag', IN(`${CLOSED} AND reopened IS NULL`)],
    ),
  },
  {
    id: 'satisfaction_rate',
    name: { zh: '满意率', en: 'Satisfaction rate' },
    unit: { zh: '比例', en: 'share' },
    kind: 'proportion',
    direction: 1,
    formula: {
      zh: '回访表示满意的已办结工单数 ÷ 有回访评价的已办结工单数（1–5分制中≥4分为满意）',
      en: 'closed cases rated satisfied ÷ closed cases with a rating (on 1–5, satisfied = 4 or more)',
    },
    numerator: { zh: '满意的回访', en: 'satisfied ratings' },
    denominator: { zh: '有回访评价的已办结工单', en: 'closed cases with a rating' },
    exclusions: [RULE, OPEN, { key: 'no_rating', reason: { zh: '未回访或未评价', en: 'not surveyed or no answer' } }],
    ...scan(
      ['num', IN(`${CLOSED} AND satisfied = 1`)],
      ['den', IN(`${CLOSED} AND satisfied IS NOT NULL`)],
      X_RULE,
      X_OPEN,
      ['x_no_rating', IN(`${CLOSED} AND satisfied IS NULL`)],
    ),
  },
  {
    id: 'survey_response_rate',
    name: { zh: '回访评价率', en: 'Satisfaction survey response rate' },
    unit: { zh: '比例', en: 'share' },
    kind: 'proportion',
    direction: 1,
    formula: {
      zh: '有回访评价的已办结工单数 ÷ 已办结工单数',
      en: 'closed cases with a satisfaction rating ÷ closed cases',
    },
    numerator: { zh: '有回访评价的已办结工单', en: 'closed cases with a rating' },
    denominator: { zh: '已办结工单', en: 'closed cases' },
    exclusions: [RULE, OPEN],
    ...scan(['num', IN(`${CLOSED} AND satisfied IS NOT NULL`)], ['den', IN(CLOSED)], X_RULE, X_OPEN),
  },
  {
    id: 'online_share',
    name: { zh: '网上渠道占比', en: 'Share received online' },
    unit: { zh: '比例', en: 'share' },
    kind: 'proportion',
    direction: 1,
    formula: {
      zh: '经项目列出的网上渠道受理的工单数 ÷ 有渠道记录的工单数',
      en: 'cases received through an online channel (listed by the project) ÷ cases with a channel',
    },
    numerator: { zh: '网上渠道工单', en: 'cases from online channels' },
    denominator: { zh: '有渠道记录的工单', en: 'cases with a channel' },
    exclusions: [
      RULE,
      {
        key: 'no_channel',
        reason: { zh: '无渠道记录（或项目未列出网上渠道）', en: 'no channel recorded (or no online channels listed)' },
      },
    ],
    ...scan(['num', IN(`${LIVE} AND online = 1`)], ['den', IN(`${LIVE} AND online IS NOT NULL`)], X_RULE, [
      'x_no_channel',
      IN(`${LIVE} AND online IS NULL`),
    ]),
  },
  {
    id: 'backlog_end',
    name: { zh: '期末积压工单数', en: 'Backlog at period end' },
    unit: { zh: '件', en: 'cases' },
    kind: 'count',
    direction: -1,
    formula: {
      zh: '期末时刻之前受理、期末时刻尚未办结的工单数（含此前各期受理的）',
      en: 'cases received before the end of the period and not closed by then (from any earlier period too)',
    },
    numerator: { zh: '期末未办结的工单', en: 'cases open at the end of the period' },
    exclusions: [RULE],
    sql:
      // `periods` has only granularity, period and end_s, so the `cases` columns in {unit} need no prefix
      'SELECT {unit} AS unit, p.period AS period, COUNT(*) AS num FROM cases c JOIN periods p ' +
      `ON c.received_s < p.end_s AND COALESCE(c.closed_s, 9223372036854775807) >= p.end_s ` +
      `WHERE c.excluded IS NULL AND {unit} IS NOT NULL AND p.granularity = '{granularity}' GROUP BY 1, 2`,
  },
];

const BY_ID = new Map(KPI_DEFINITIONS.map((d) => [d.id, d]));

/**
 * The definition of a KPI by id, or undefined.
 * @example kpiDefinition('on_time_rate')?.name.en // => 'On-time closure rate'
 * @example kpiDefinition('__proto__') // => undefined
 */
export function kpiDefinition(id: string): KpiDefinition | undefined {
  return BY_ID.get(id);
}

/**
 * The SQL of a KPI for a level and granularity (the text both engines run). At the category level the
 * `unit` it returns is city and category joined by CATEGORY_UNIT_SEPARATOR (finishKpi splits them).
 * @example kpiSql(kpiDefinition('cases_received')!, 'district', 'year').startsWith('SELECT district AS unit, p_year')
 * // => true
 * @example kpiSql(kpiDefinition('cases_received')!, 'category', 'month').slice(7, 39)
 * // => '(city || chr(31) || category) AS'
 */
export function kpiSql(def: KpiDefinition, level: KpiLevel, granularity: Granularity): string {
  return def.sql
    .replaceAll('{unit}', unitExpression(level))
    .replaceAll('{period}', PERIOD_COLUMN[granularity])
    .replaceAll('{granularity}', granularity);
}

/** One scan of `cases` that computes several KPIs of a level for several granularities at once. */
export interface FusedKpiScan {
  /**
   * Returns `unit`, `granularity` (month/quarter/year), `period` and columns `c0`, `c1`, … (each distinct
   * aggregate of the KPIs once).
   */
  sql: string;
  /** Per KPI id, its result aliases (`num`, `den`, `v`, `x_<key>`) and the fused column holding each. */
  columns: ReadonlyMap<string, ReadonlyArray<readonly [alias: string, column: string]>>;
}

/** A quantile aggregate of the KPI SQL: its fraction and its `ORDER BY …` clause. */
const QUANTILE = /^percentile_cont\(([0-9.]+)\) WITHIN GROUP \((ORDER BY .*)\)$/s;

/**
 * The KPIs that are one scan (those with `columns`) of a level, for the given granularities, as ONE query:
 * their aggregates side by side (each distinct expression once) over GROUPING SETS of (unit, period column).
 * Same text on DuckDB and PostgreSQL; each group's numbers are those of the KPI's own SQL (`kpiSql`), since
 * the aggregates, the filter and the groups are the same — only the scan is shared.
 * @example
 * const f = fusedKpiScan([kpiDefinition('cases_received')!, kpiDefinition('cases_per_10k')!], 'city', ['year']);
 * f.sql.includes('GROUPING SETS ((unit, p_year))') // => true
 * f.columns.get('cases_per_10k') // => [['num', 'c0'], ['x_rule', 'c1']]
 */
export function fusedKpiScan(
  defs: readonly KpiDefinition[],
  level: KpiLevel,
  granularities: readonly Granularity[],
): FusedKpiScan {
  const exprs = new Map<string, string>();
  const columns = new Map<string, Array<readonly [string, string]>>();
  for (const def of defs) {
    if (!def.columns) throw new RangeError(`KPI ${def.id} is not a single scan`);
    columns.set(
      def.id,
      def.columns.map(([alias, e]) => {
        let c = exprs.get(e);
        if (c === undefined) exprs.set(e, (c = `c${exprs.size}`));
        return [alias, c] as const;
      }),
    );
  }
  // quantiles of the same values (median and 90th percentile of handling time) share one aggregate:
  // percentile_cont(ARRAY[q1, q2]), each KPI taking its element (both engines index lists from 1)
  const parsed = [...exprs].map(([e, c]) => ({ e, c, q: QUANTILE.exec(e) }));
  const quantiles = new Map<string, string[]>();
  for (const { q } of parsed) if (q) quantiles.set(q[2], [...(quantiles.get(q[2]) ?? []), q[1]]);
  const select = parsed.map(({ e, c, q }) => {
    const qs = q ? quantiles.get(q[2])! : [];
    if (!q || qs.length < 2) return `${e} AS ${c}`;
    return `(percentile_cont(ARRAY[${qs.join(', ')}]) WITHIN GROUP (${q[2]}))[${qs.indexOf(q[1]) + 1}] AS ${c}`;
  });
  // A month lies in one quarter and one year (all three keys come from the local reception time), so a
  // granularity grouped also by the coarser ones asked for gives the same groups; the sets then nest, and
  // PostgreSQL computes them all from one sort (a rollup) instead of one sort each (1 M cases: 4.2 → 3.0 s
  // per query). The finest granularity is tested first: its set holds the coarser keys too.
  const order = (g: Granularity) => GRANULARITIES.indexOf(g);
  const fineFirst = [...granularities].sort((a, b) => order(a) - order(b));
  const sets = granularities.map((g) =>
    fineFirst
      .filter((h) => order(h) >= order(g))
      .reverse()
      .map((h) => PERIOD_COLUMN[h]),
  );
  const pick = (f: (g: Granularity, c: string) => string) =>
    `CASE ${fineFirst.map((g) => `WHEN GROUPING(${PERIOD_COLUMN[g]}) = 0 THEN ${f(g, PERIOD_COLUMN[g])}`).join(' ')} ` +
    'END';
  const sql =
    `SELECT unit, ${pick((g) => `'${g}'`)} AS granularity, ${pick((_, c) => c)} AS period, ` +
    select.join(', ') +
    ` FROM (SELECT *, ${unitExpression(level)} AS unit FROM cases) c WHERE unit IS NOT NULL ` +
    `GROUP BY GROUPING SETS (${sets.map((cs) => `(unit, ${cs.join(', ')})`).join(', ')})`;
  return { sql, columns };
}

/**
 * The backlog KPI's SQL for several granularities at once: the same join and filter as its own SQL, with
 * `granularity` returned and grouped on, over the periods of every granularity given.
 * @example backlogSql('city', ['month', 'year']).includes("p.granularity IN ('month', 'year')") // => true
 */
export function backlogSql(level: KpiLevel, granularities: readonly Granularity[]): string {
  const own = BY_ID.get('backlog_end')!.sql;
  const parts: Array<[string, string]> = [
    ['p.period AS period', 'p.granularity AS granularity, p.period AS period'],
    ["p.granularity = '{granularity}'", `p.granularity IN (${granularities.map((g) => `'${g}'`).join(', ')})`],
    ['GROUP BY 1, 2', 'GROUP BY 1, 2, 3'],
  ];
  let sql = own;
  for (const [a, b] of parts) {
    if (!sql.includes(a)) throw new Error(`backlog SQL changed: no "${a}"`);
    sql = sql.replace(a, b);
  }
  return sql.replaceAll('{unit}', unitExpression(level));
}

/** The z of a two-sided 95 % interval. */
export const Z95 = 1.959963984540054;

/**
 * Wilson score interval for k successes in n trials (Wilson 1927); [NaN, NaN] when n = 0.
 * @example wilsonInterval(81, 263).map((x) => +x.toFixed(4)) // => [0.2553, 0.3662]
 * @example wilsonInterval(0, 10)[0] // => 0
 */
export function wilsonInterval(k: number, n: number, z = Z95): [number, number] {
  if (!(n > 0)) return [NaN, NaN];
  const p = k / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/** One row of a KPI's SQL result, numbers already converted from the driver's types. */
export interface KpiSqlRow {
  unit: string;
  period: string;
  num: number | null;
  den?: number | null;
  v?: number | null;
  [exclusion: `x_${string}`]: number | null | undefined;
}

/** A KPI value of one unit and period, with what entered it and what was left out. */
export interface KpiValue {
  kpi: string;
  level: KpiLevel;
  /** City or district code; at the category level, the city's code. */
  unit: string;
  /** The standard category (category level only). */
  category?: string;
  period: string;
  /** NaN when it cannot be computed (no denominator, no population). */
  value: number;
  numerator: number;
  denominator: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  /** Cases left out, by exclusion key. */
  excluded: Record<string, number>;
}

/**
 * KPI values from the rows of its SQL: proportions with their Wilson interval, quantiles as returned,
 * counts, and per-capita values from `population` (unit → persons; missing → NaN; at the category level the
 * city's population). Category-level units are split into city and category. Sorted by unit, category, period.
 * @example
 * const def = kpiDefinition('on_time_rate')!;
 * const row = { unit: '440300', period: '2024', num: 3, den: 4, x_rule: 1, x_open: 2, x_no_due: 0 };
 * const [v] = finishKpi(def, 'city', [row]);
 * [v.value, v.excluded.open] // => [0.75, 2]
 */
export function finishKpi(
  def: KpiDefinition,
  level: KpiLevel,
  rows: readonly KpiSqlRow[],
  population?: ReadonlyMap<string, number>,
): KpiValue[] {
  const out = rows.map((r): KpiValue => {
    const num = r.num ?? 0;
    let unit = r.unit;
    let category: string | undefined;
    if (level === 'category') {
      const at = unit.indexOf(CATEGORY_UNIT_SEPARATOR);
      category = at < 0 ? '' : unit.slice(at + 1);
      unit = at < 0 ? unit : unit.slice(0, at);
    }
    const excluded: Record<string, number> = Object.create(null) as Record<string, number>;
    for (const x of def.exclusions) excluded[x.key] = Number(r[`x_${x.key}`] ?? 0);
    let value: number;
    let denominator: number | null = null;
    let ci: [number, number] | null = null;
    if (def.kind === 'proportion') {
      denominator = r.den ?? 0;
      value = denominator > 0 ? num / denominator : NaN;
      ci = denominator > 0 ? wilsonInterval(num, denominator) : null;
    } else if (def.kind === 'quantile') value = r.v ?? NaN;
    else if (def.kind === 'count') value = num;
    else {
      const pop = population?.get(unit);
      denominator = pop ?? null;
      value = pop && pop > 0 ? (num / pop) * 10000 : NaN;
    }
    return {
      kpi: def.id,
      level,
      unit,
      ...(category !== undefined ? { category } : {}),
      period: r.period,
      value,
      numerator: num,
      denominator,
      ciLow: ci ? ci[0] : null,
      ciHigh: ci ? ci[1] : null,
      excluded,
    };
  });
  const key = (v: KpiValue) => [v.unit, v.category ?? '', v.period];
  return out.sort((a, b) => {
    const [x, y] = [key(a), key(b)];
    for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
    return 0;
  });
}
