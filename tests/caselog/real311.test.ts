/**
 * The real BOS:311 (Jan–Jun 2015) and SF311 sample logs of examples/service-requests-311: the KPIs computed
 * by DuckDB against an independent plain-JS recomputation from the raw CSV files (csv-parse, Date.UTC, a
 * sort), with the same rules: negative durations rejected, duplicates and invalid cases excluded, the
 * month of the local receipt time, percentiles by linear interpolation. Anchors from data/PROVENANCE.md.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { importCaseLog, type ImportReport } from '../../src/caselog/import.ts';
import { computeKpis, duckKpiEngine } from '../../src/caselog/kpi.ts';
import { readCaseLogs } from '../../src/caselog/project.ts';
import type { KpiValue } from '../../src/engine/caselog/kpis.ts';
import { kpiOutputFiles } from '../../src/caselog/outputs.ts';

const DIR = 'examples/service-requests-311';
const out = mkdtempSync(join(tmpdir(), 'cityindex-311-'));
const reports = new Map<string, ImportReport>();
const kpis = new Map<string, KpiValue[]>();
const logs = new Map<string, Awaited<ReturnType<typeof readCaseLogs>>[number]>();

beforeAll(async () => {
  for (const log of await readCaseLogs(DIR)) {
    logs.set(log.id, log);
    const r = await importCaseLog({ projectDir: DIR, log, outDir: join(out, log.id) });
    reports.set(log.id, r);
    const { engine, close } = await duckKpiEngine(join(r.outDir, 'cases.parquet'));
    try {
      kpis.set(
        log.id,
        await computeKpis(engine, {
          offsetS: log.id === 'sf-sample' ? -8 * 3600 : -5 * 3600,
          kpis: [
            'cases_received',
            'on_time_rate',
            'handling_median_h',
            'handling_p90_h',
            'online_share',
            'backlog_end',
          ],
          granularities: ['month', 'year'],
        }),
      );
    } finally {
      close();
    }
  }
}, 120_000);
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** `MM/DD/YYYY hh:mm:ss AM/PM` (naive local time) → seconds. */
function usTime(s: string): number {
  const m = /^(\d\d)\/(\d\d)\/(\d{4}) (\d\d):(\d\d):(\d\d) (AM|PM)$/.exec(s);
  if (!m) throw new Error(`bad time ${s}`);
  const h = (Number(m[4]) % 12) + (m[7] === 'PM' ? 12 : 0);
  return Date.UTC(Number(m[3]), Number(m[1]) - 1, Number(m[2]), h, Number(m[5]), Number(m[6])) / 1000;
}
/** Linear-interpolation quantile (R type 7, percentile_cont). */
function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  const pos = q * (s.length - 1);
  const lo = Math.floor(pos);
  return lo + 1 < s.length ? s[lo] + (pos - lo) * (s[lo + 1] - s[lo]) : s[lo];
}

interface Case {
  month: string;
  year: string;
  district: string | null;
  received: number;
  closed: number | null;
  due: number | null;
  excluded: boolean;
  channel: string;
}

function bostonCases(): { cases: Case[]; rejected: number } {
  const cases: Case[] = [];
  let rejected = 0;
  for (let m = 1; m <= 6; m++) {
    const rows = parse(readFileSync(join(DIR, `data/boston_311_2015_0${m}.csv`)), { columns: true }) as Record<
      string,
      string
    >[];
    for (const r of rows) {
      const received = usTime(r.OPEN_DT);
      const closed = r.CLOSED_DT ? usTime(r.CLOSED_DT) : null;
      if (closed !== null && closed < received) {
        rejected++;
        continue;
      }
      const d = r.city_council_district;
      cases.push({
        month: `${r.OPEN_DT.slice(6, 10)}-${r.OPEN_DT.slice(0, 2)}`,
        year: r.OPEN_DT.slice(6, 10),
        district: d && d !== '0.0' ? `BOS-D${d.replace('.0', '')}` : null,
        received,
        closed,
        due: r.TARGET_DT ? usTime(r.TARGET_DT) : null,
        excluded: r.CLOSURE_REASON.includes('Duplicate of Existing Case') || r.CLOSURE_REASON.includes('Case Invalid'),
        channel: r.Source,
      });
    }
  }
  return { cases, rejected };
}

function expected(cases: Case[]) {
  const live = cases.filter((c) => !c.excluded);
  const closed = live.filter((c) => c.closed !== null);
  const withDue = closed.filter((c) => c.due !== null);
  const hours = closed.map((c) => ((c.closed as number) - c.received) / 3600);
  const online = ['Citizens Connect App', 'Self Service', 'Twitter'];
  return {
    cases: cases.length,
    onTime: [withDue.filter((c) => (c.closed as number) <= (c.due as number)).length, withDue.length],
    median: quantile(hours, 0.5),
    p90: quantile(hours, 0.9),
    online: [live.filter((c) => online.includes(c.channel)).length, live.filter((c) => c.channel !== '').length],
  };
}

function value(id: string, kpi: string, level: string, unit: string, period: string): KpiValue {
  const v = kpis.get(id)?.find((x) => x.kpi === kpi && x.level === level && x.unit === unit && x.period === period);
  if (!v) throw new Error(`no ${kpi} ${unit} ${period}`);
  return v;
}

describe('real 311 logs: KPIs against an independent recomputation', () => {
  const boston = bostonCases();

  it('imports all 58 119 Boston cases but the 84 closed before they were opened (PROVENANCE.md)', () => {
    const r = reports.get('boston-2015h1');
    expect([r?.records, r?.rejected, r?.rejectedByCode.E_CASE_ORDER]).toEqual([58119, 84, 84]);
    expect(boston.rejected).toBe(84);
    expect(r?.files[0].sha256).toBe('c849c7bf78b021f02c9044feab550c853ba02fc71c14f3b1dacbe0fe9c7dfb5d');
  });

  it('Boston per month (city): cases, on-time closure, median and P90 handling time, online share', () => {
    for (const month of ['2015-01', '2015-02', '2015-03', '2015-04', '2015-05', '2015-06']) {
      const e = expected(boston.cases.filter((c) => c.month === month));
      expect(value('boston-2015h1', 'cases_received', 'city', 'US-BOS', month).value).toBe(e.cases);
      const ot = value('boston-2015h1', 'on_time_rate', 'city', 'US-BOS', month);
      expect([ot.numerator, ot.denominator]).toEqual(e.onTime);
      expect(value('boston-2015h1', 'handling_median_h', 'city', 'US-BOS', month).value).toBeCloseTo(e.median, 9);
      expect(value('boston-2015h1', 'handling_p90_h', 'city', 'US-BOS', month).value).toBeCloseTo(e.p90, 9);
      const on = value('boston-2015h1', 'online_share', 'city', 'US-BOS', month);
      expect([on.numerator, on.denominator]).toEqual(e.online);
    }
    // PROVENANCE.md (all closed cases, negatives and duplicates included): 73.00 h in June; ours within 5 h
    expect(Math.abs(value('boston-2015h1', 'handling_median_h', 'city', 'US-BOS', '2015-06').value - 73)).toBeLessThan(
      5,
    );
  });

  it('Boston districts (the units of the example index) for 2015', () => {
    for (let d = 1; d <= 9; d++) {
      const e = expected(boston.cases.filter((c) => c.district === `BOS-D${d}`));
      const ot = value('boston-2015h1', 'on_time_rate', 'district', `BOS-D${d}`, '2015');
      expect([ot.numerator, ot.denominator]).toEqual(e.onTime);
      expect(value('boston-2015h1', 'handling_p90_h', 'district', `BOS-D${d}`, '2015').value).toBeCloseTo(e.p90, 9);
    }
  });

  it('Boston backlog at the end of June 2015: received before 1 July, not closed by then', () => {
    const end = Date.UTC(2015, 6, 1) / 1000;
    const open = boston.cases.filter((c) => !c.excluded && c.received < end && (c.closed === null || c.closed >= end));
    expect(value('boston-2015h1', 'backlog_end', 'city', 'US-BOS', '2015-06').value).toBe(open.length);
  });

  it('SF sample: 2015 cases as in PROVENANCE.md, handling times per year as recomputed', () => {
    const rows = parse(readFileSync(join(DIR, 'data/sf_311_sample_2008_2016.csv')), { columns: true }) as Record<
      string,
      string
    >[];
    expect(value('sf-sample', 'cases_received', 'city', 'US-SFO', '2015').value).toBe(2085); // PROVENANCE: 2,085
    for (const year of ['2009', '2012', '2015']) {
      const hours = rows
        .filter((r) => r.Opened.slice(6, 10) === year && r.Closed)
        .map((r) => (usTime(r.Closed) - usTime(r.Opened)) / 3600)
        .filter((h) => h >= 0);
      expect(value('sf-sample', 'handling_median_h', 'city', 'US-SFO', year).value).toBeCloseTo(
        quantile(hours, 0.5),
        9,
      );
      expect(value('sf-sample', 'handling_p90_h', 'city', 'US-SFO', year).value).toBeCloseTo(quantile(hours, 0.9), 9);
    }
    expect(reports.get('sf-sample')?.rejectedByCode.E_CASE_ORDER).toBe(129); // PROVENANCE: 129 negative
  });

  it('the committed kpi/boston-2015h1/indicators.csv of the example is what the log gives now', () => {
    const log = logs.get('boston-2015h1');
    const report = reports.get('boston-2015h1');
    if (!log || !report) throw new Error('not imported');
    const files = kpiOutputFiles(log, report, kpis.get('boston-2015h1') ?? [], 'duckdb');
    expect(files['indicators.csv']).toBe(readFileSync(join(DIR, 'kpi/boston-2015h1/indicators.csv'), 'utf8'));
  });
});
