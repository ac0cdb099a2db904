/**
 * Audit of a published index table (日期 / 指数 / 环比 / 同比): recompute what the printed index values
 * allow, compare with the printed change columns allowing for rounding, detect the two change columns
 * printed in swapped order, and derive the values that each row's changes imply.
 *
 * Tolerance (rounding intervals). A figure printed with d decimals stands for any true value within
 * ± h(d) = 0.5·10^−d. If the index values are printed as v_t (half-width h_v), the true period-on-period
 * change lies in
 *   [ ((v_t − h_v) / (v_{t−1} + h_v) − 1)·100 ,  ((v_t + h_v) / (v_{t−1} − h_v) − 1)·100 ]
 * (likewise against v_{t−p} for year-on-year), and a printed change c (half-width h_c) is *consistent*
 * when [c − h_c, c + h_c] meets that interval (closed intervals, plus 1e-9 for floating point).
 * This accepts both a publisher that computed from unrounded indices and one that computed from
 * the rounded ones, and nothing else.
 *
 * Verdict per row, over the checks that are possible (MoM needs the previous period's index printed,
 * YoY the index a year earlier):
 *   consistent     every possible check matches the column headed for it;
 *   swapped        not so, but every possible check matches the *other* column (环比 and 同比 exchanged);
 *   inconsistent   neither reading fits;
 *   not-checkable  no check is possible.
 */
import { CityIndexError, type Issue } from '../core/errors.ts';
import { formatPeriod, parsePeriod, periodsPerYear, type Frequency } from './period.ts';

/** One row of a published table, as printed. */
export interface PublishedRow {
  period: string;
  /** Printed index value (null when not printed). */
  value: number | null;
  /** The column headed month-on-month (环比 / period-on-period), percent. */
  printedMoM: number | null;
  /** The column headed year-on-year (同比), percent. */
  printedYoY: number | null;
  /** Decimals printed for the index value (default: `AuditOptions.valueDecimals`). */
  valueDecimals?: number;
  /** Decimals printed in the MoM column (default: `AuditOptions.changeDecimals`). */
  momDecimals?: number;
  /** Decimals printed in the YoY column (default: `AuditOptions.changeDecimals`). */
  yoyDecimals?: number;
  /** Free label, e.g. `headline` or `table`. */
  label?: string;
  /** Row number in the source file (1-based, header = 1), for messages. */
  sourceRow?: number;
}

export interface AuditOptions {
  /** Decimals of index values when a row does not say (default 1). */
  valueDecimals?: number;
  /** Decimals of printed changes when a row does not say (default 2). */
  changeDecimals?: number;
  /** Extra tolerance in percentage points added to every printed change's half-width (default 0). */
  slack?: number;
}

export type AuditVerdict = 'consistent' | 'swapped' | 'inconsistent' | 'not-checkable';

export interface Interval {
  lo: number;
  hi: number;
}

export type ChangeKind = 'mom' | 'yoy';

/** One recomputation: a change of this row's index against an earlier printed index. */
export interface ChangeCheck {
  change: ChangeKind;
  /** The earlier period compared against. */
  against: string;
  /** The change recomputed from the printed index values, percent. */
  recomputed: number;
  /** All true changes compatible with the printed (rounded) index values. */
  interval: Interval;
  /** Whether the column headed for this change matches (null when that column is empty). */
  matchesHeaded: boolean | null;
  /** Whether the other change column matches (null when empty). */
  matchesOther: boolean | null;
}

export type ImpliedKind = 'previous-period index' | 'year-ago index' | 'year-ago period-on-period change';

/** A value that a row's changes point to. */
export interface ImpliedValue {
  kind: ImpliedKind;
  /** Period the implied value belongs to. */
  period: string;
  /** Implied value (index points, or percent for a change). */
  value: number;
  /** Range allowing for the rounding of the printed figures used. */
  interval: Interval;
  /** The printed figure for that period when the table has one. */
  printed?: number;
  /** Whether the printed figure lies in the interval (widened by its own rounding). */
  agrees?: boolean;
}

export interface AuditRowResult {
  period: string;
  label?: string;
  sourceRow?: number;
  printed: { value: number | null; mom: number | null; yoy: number | null };
  /** What could be recomputed. */
  checks: ChangeCheck[];
  verdict: AuditVerdict;
  reason: string;
  /** The changes as they should be read given the verdict (exchanged when swapped). */
  reading: { mom: number | null; yoy: number | null };
  implied: ImpliedValue[];
}

export interface AuditResult {
  frequency: Frequency;
  /** One entry per input row, in input order. */
  rows: AuditRowResult[];
  /** Periods by verdict, in input order. */
  summary: Record<AuditVerdict, string[]>;
  /** The tolerance rule, in words. */
  tolerance: string;
}

const EPS = 1e-9;

const half = (decimals: number): number => 0.5 * Math.pow(10, -decimals);

/** Interval of (a/b − 1)·100 for a ∈ [a ± ha], b ∈ [b ± hb], b > hb. */
function ratioInterval(a: number, ha: number, b: number, hb: number): Interval {
  return { lo: ((a - ha) / (b + hb) - 1) * 100, hi: ((a + ha) / (b - hb) - 1) * 100 };
}

const overlaps = (c: number, hc: number, iv: Interval): boolean => c + hc >= iv.lo - EPS && c - hc <= iv.hi + EPS;

const fmt = (x: number, d = 2): string => {
  const s = x.toFixed(d);
  return /^-0(\.0*)?$/.test(s) ? s.slice(1) : s;
};

const fmtIv = (iv: Interval, d = 3): string => `[${fmt(iv.lo, d)}, ${fmt(iv.hi, d)}]`;

/**
 * Audit a published table (see the module comment for the rule).
 * @example auditPublishedTable([
 *   { period: '2023-01', value: 1569.9, printedMoM: -0.97, printedYoY: -0.14 },
 *   { period: '2022-12', value: 1572.1, printedMoM: -0.92, printedYoY: -0.11 },
 * ]).rows[0].verdict // => 'swapped' (1569.9 / 1572.1 − 1 = −0.1399 %, printed under 同比)
 */
export function auditPublishedTable(rows: readonly PublishedRow[], options: AuditOptions = {}): AuditResult {
  const valueDecimals = options.valueDecimals ?? 1;
  const changeDecimals = options.changeDecimals ?? 2;
  const slack = options.slack ?? 0;
  if (rows.length === 0) throw new CityIndexError({ code: 'E_EMPTY', message: 'the table has no rows' });
  const issues: Issue[] = [];
  const parsed = rows.map((r) => parsePeriod(r.period));
  const frequency = parsed[0].frequency;
  const byOrdinal = new Map<number, number>();
  parsed.forEach((p, i) => {
    const where = { row: rows[i].sourceRow, field: 'period' };
    if (p.frequency !== frequency)
      issues.push({
        code: 'E_MIXED_FREQUENCY',
        message: `period "${rows[i].period}" is a ${p.frequency}, the table is by ${frequency}`,
        ...where,
      });
    if (byOrdinal.has(p.ordinal))
      issues.push({ code: 'E_DUPLICATE_PERIOD', message: `period ${formatPeriod(p)} appears twice`, ...where });
    byOrdinal.set(p.ordinal, i);
    for (const [field, v] of [
      ['value', rows[i].value],
      ['printedMoM', rows[i].printedMoM],
      ['printedYoY', rows[i].printedYoY],
    ] as const) {
      if (v !== null && !Number.isFinite(v))
        issues.push({
          code: 'E_NOT_NUMBER',
          message: `${field} is not a finite number`,
          row: rows[i].sourceRow,
          field,
        });
    }
    if (rows[i].value !== null && rows[i].value! <= 0)
      issues.push({
        code: 'E_NONPOSITIVE',
        message: 'index value must be > 0',
        row: rows[i].sourceRow,
        field: 'value',
      });
  });
  if (issues.length) throw new CityIndexError(issues);
  const ppy = periodsPerYear(frequency);
  const hvOf = (i: number): number => half(rows[i].valueDecimals ?? valueDecimals);
  const printedAt = (ordinal: number): number | null => {
    const j = byOrdinal.get(ordinal);
    return j === undefined ? null : rows[j].value;
  };

  const results: AuditRowResult[] = rows.map((row, i) => {
    const ord = parsed[i].ordinal;
    const hv = hvOf(i);
    const hm = half(row.momDecimals ?? changeDecimals) + slack;
    const hy = half(row.yoyDecimals ?? changeDecimals) + slack;
    const checks: ChangeCheck[] = [];
    const lags: Array<[ChangeKind, number]> = [
      ['mom', 1],
      ['yoy', ppy],
    ];
    for (const [change, lag] of lags) {
      const j = byOrdinal.get(ord - lag);
      if (row.value === null || j === undefined || rows[j].value === null) continue;
      const prev = rows[j].value!;
      const interval = ratioInterval(row.value, hv, prev, hvOf(j));
      const headed = change === 'mom' ? row.printedMoM : row.printedYoY;
      const other = change === 'mom' ? row.printedYoY : row.printedMoM;
      const hHeaded = change === 'mom' ? hm : hy;
      const hOther = change === 'mom' ? hy : hm;
      checks.push({
        change,
        against: formatPeriod({ frequency, ordinal: ord - lag }),
        recomputed: (row.value / prev - 1) * 100,
        interval,
        matchesHeaded: headed === null ? null : overlaps(headed, hHeaded, interval),
        matchesOther: other === null ? null : overlaps(other, hOther, interval),
      });
    }
    const { verdict, reason } = judge(checks, row);
    const reading =
      verdict === 'swapped'
        ? { mom: row.printedYoY, yoy: row.printedMoM }
        : { mom: row.printedMoM, yoy: row.printedYoY };
    const readingHalf = verdict === 'swapped' ? { mom: hy, yoy: hm } : { mom: hm, yoy: hy };
    const implied: ImpliedValue[] = [];
    if (row.value !== null) {
      const impliedLevel = (kind: ImpliedKind, lag: number, c: number, hc: number): void => {
        const o = ord - lag;
        const value = row.value! / (1 + c / 100);
        const interval = { lo: (row.value! - hv) / (1 + (c + hc) / 100), hi: (row.value! + hv) / (1 + (c - hc) / 100) };
        const printed = printedAt(o);
        const entry: ImpliedValue = { kind, period: formatPeriod({ frequency, ordinal: o }), value, interval };
        if (printed !== null) {
          const hp = hvOf(byOrdinal.get(o)!);
          entry.printed = printed;
          entry.agrees = printed + hp >= interval.lo - EPS && printed - hp <= interval.hi + EPS;
        }
        implied.push(entry);
      };
      if (reading.mom !== null) impliedLevel('previous-period index', 1, reading.mom, readingHalf.mom);
      if (reading.yoy !== null) impliedLevel('year-ago index', ppy, reading.yoy, readingHalf.yoy);
    }
    return {
      period: formatPeriod(parsed[i]),
      ...(row.label !== undefined ? { label: row.label } : {}),
      ...(row.sourceRow !== undefined ? { sourceRow: row.sourceRow } : {}),
      printed: { value: row.value, mom: row.printedMoM, yoy: row.printedYoY },
      checks,
      verdict,
      reason,
      reading,
      implied,
    };
  });

  // Year-ago period-on-period change implied by two consecutive rows' YoY readings:
  // I_{t−p} / I_{t−p−1} = (I_t / (1 + y_t)) / (I_{t−1} / (1 + y_{t−1})).
  results.forEach((r, i) => {
    const j = byOrdinal.get(parsed[i].ordinal - 1);
    if (j === undefined) return;
    const prev = results[j];
    const a = r.printed.value;
    const b = prev.printed.value;
    if (a === null || b === null || r.reading.yoy === null || prev.reading.yoy === null) return;
    const ha = hvOf(i);
    const hb = hvOf(j);
    const hya = half(rows[i].yoyDecimals ?? changeDecimals) + slack;
    const hyb = half(rows[j].yoyDecimals ?? changeDecimals) + slack;
    const ya = r.reading.yoy / 100;
    const yb = prev.reading.yoy / 100;
    const value = (a / (1 + ya) / (b / (1 + yb)) - 1) * 100;
    const lo = ((a - ha) / (1 + ya + hya / 100) / ((b + hb) / (1 + yb - hyb / 100)) - 1) * 100;
    const hi = ((a + ha) / (1 + ya - hya / 100) / ((b - hb) / (1 + yb + hyb / 100)) - 1) * 100;
    r.implied.push({
      kind: 'year-ago period-on-period change',
      period: formatPeriod({ frequency, ordinal: parsed[i].ordinal - ppy }),
      value,
      interval: { lo, hi },
    });
  });

  const summary: Record<AuditVerdict, string[]> = {
    consistent: [],
    swapped: [],
    inconsistent: [],
    'not-checkable': [],
  };
  for (const r of results) summary[r.verdict].push(r.period);
  const tolerance =
    'a figure printed with d decimals stands for any true value within ±0.5·10^−d ' +
    `(index values: ${valueDecimals} decimal(s), changes: ${changeDecimals} decimal(s), ` +
    `unless the printed cell shows otherwise${slack ? `, plus ${slack} percentage points of slack` : ''}); ` +
    'a printed change is consistent when its rounding interval meets the interval of changes ' +
    'that the rounded index values allow';
  return { frequency, rows: results, summary, tolerance };
}

function judge(checks: readonly ChangeCheck[], row: PublishedRow): { verdict: AuditVerdict; reason: string } {
  const label = (c: ChangeCheck): string => (c.change === 'mom' ? 'month-on-month (环比)' : 'year-on-year (同比)');
  const say = (c: ChangeCheck): string =>
    `${label(c)} recomputed against ${c.against} is ${fmt(c.recomputed, 4)} % ` +
    `(possible ${fmtIv(c.interval, 4)} given the index rounding)`;
  const heading = (c: ChangeCheck): string => (c.change === 'mom' ? '环比' : '同比');
  // the change printed in the column headed like `c`, and in the other column
  const printedHeaded = (c: ChangeCheck): number | null => (c.change === 'mom' ? row.printedMoM : row.printedYoY);
  const printedOther = (c: ChangeCheck): number | null => (c.change === 'mom' ? row.printedYoY : row.printedMoM);
  const comparable = checks.filter((c) => c.matchesHeaded !== null || c.matchesOther !== null);
  if (comparable.length === 0) {
    const why: string[] = [];
    if (row.value === null) why.push('the index value is not printed');
    else {
      if (!checks.some((c) => c.change === 'mom')) why.push("the previous period's index is not printed");
      if (!checks.some((c) => c.change === 'yoy')) why.push('the index a year earlier is not printed');
      if (checks.length && row.printedMoM === null && row.printedYoY === null) why.push('no change is printed');
    }
    return { verdict: 'not-checkable', reason: `nothing can be recomputed: ${why.join('; ')}` };
  }
  const headedOk = comparable.every((c) => c.matchesHeaded === true);
  const otherOk = comparable.every((c) => c.matchesOther === true);
  const missing = !checks.some((c) => c.change === 'yoy')
    ? '; year-on-year not checkable (the index a year earlier is not printed)'
    : !checks.some((c) => c.change === 'mom')
      ? "; month-on-month not checkable (the previous period's index is not printed)"
      : '';
  if (headedOk) {
    return {
      verdict: 'consistent',
      reason:
        comparable.map((c) => `${say(c)}; printed ${fmt(printedHeaded(c)!)} under its own heading agrees`).join('; ') +
        missing,
    };
  }
  if (otherOk) {
    return {
      verdict: 'swapped',
      reason:
        comparable
          .map(
            (c) =>
              `${say(c)}; it is printed under the other heading (${fmt(printedOther(c)!)}), ` +
              `while the column headed ${heading(c)} shows ${fmtOrDash(printedHeaded(c))}`,
          )
          .join('; ') + missing,
    };
  }
  return {
    verdict: 'inconsistent',
    reason:
      comparable
        .map(
          (c) =>
            `${say(c)}; printed ${heading(c)} ${fmtOrDash(printedHeaded(c))} ` +
            `${c.matchesHeaded ? 'agrees' : 'disagrees'}, ` +
            `the other column ${fmtOrDash(printedOther(c))} ${c.matchesOther ? 'agrees' : 'disagrees'}`,
        )
        .join('; ') + missing,
  };
}

const fmtOrDash = (x: number | null): string => (x === null ? '—' : fmt(x));
