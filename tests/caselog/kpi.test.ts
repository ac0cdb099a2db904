/**
 * The KPIs of the hand-made small log (fixtures/small-log.csv, UTC+8), every expected value worked by hand
 * (see the comments). Cases accepted: C1 C2 C3 C4 C5 C9 C11; C9 is excluded by the "重复" rule.
 *   C1 福田 Jan 10 09:00 → closed 21:00 (12 h), first response 0.5 h, SLA 24 h: on time, not reopened, 5
 *   C2 福田 Jan 20 10:00 → Jan 25 10:00 (120 h), FR 2 h, SLA 72 h (due Jan 23): late, reopened, 2
 *   C3 南山 Jan 31 22:00 → Feb 2 22:00 (48 h), no FR, due in log Feb 1 22:00: late, not reopened, no rating
 *   C4 南山 Feb 1 07:00 local (= Jan 31 23:00 UTC): open, FR 1 h
 *   C5 福田 Feb 5 08:00 → 14:00 (6 h), FR 0.1 h, SLA 24 h: on time, not reopened, 4
 *   C9 南山 Feb 15, excluded (duplicate)
 *   C11 福田 Mar 3 10:00 → Mar 4 10:00 (24 h), FR 0.25 h, SLA 72 h: on time, not reopened, 5, no channel
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { importCaseLog } from '../../src/caselog/import.ts';
import { computeKpis, duckKpiEngine } from '../../src/caselog/kpi.ts';
import { wilsonInterval, type KpiValue } from '../../src/engine/caselog/kpis.ts';
import { FIXTURES, smallLogConfig, tempProject } from './helpers.ts';

let values: KpiValue[] = [];
const project = tempProject({ 'log.csv': { copy: join(FIXTURES, 'small-log.csv') } });

beforeAll(async () => {
  const report = await importCaseLog({ projectDir: project.dir, log: smallLogConfig() });
  const { engine, close } = await duckKpiEngine(join(report.outDir, 'cases.parquet'));
  try {
    const population = new Map([['440300', 17560061]]);
    values = await computeKpis(engine, { offsetS: 8 * 3600, population, levels: ['city', 'district', 'category'] });
  } finally {
    close();
  }
});
afterAll(() => project.dispose());

function get(kpi: string, level: string, unit: string, period: string): KpiValue {
  const v = values.find((x) => x.kpi === kpi && x.level === level && x.unit === unit && x.period === period);
  if (!v) throw new Error(`no ${kpi} ${level} ${unit} ${period}`);
  return v;
}
const city = (kpi: string, period: string) => get(kpi, 'city', '440300', period);

describe('KPIs of the hand-made log (DuckDB)', () => {
  it('counts cases by local month: C4 (1 Feb 07:00 +08:00, 31 Jan in UTC) is a February case', () => {
    expect(city('cases_received', '2024-01').value).toBe(3); // C1 C2 C3
    expect(city('cases_received', '2024-02').value).toBe(3); // C4 C5 C9 (excluded cases count as received)
    expect(city('cases_received', '2024-02').excluded).toEqual({});
    expect(city('cases_received', '2024-03').value).toBe(1);
    expect(city('cases_received', '2024-Q1').value).toBe(7);
    expect(city('cases_received', '2024').value).toBe(7);
  });

  it('on-time closure against the log’s due time or the SLA, open and excluded cases left out', () => {
    const jan = city('on_time_rate', '2024-01'); // C1 on time; C2 late (SLA 72 h); C3 late (due in the log)
    expect([jan.numerator, jan.denominator]).toEqual([1, 3]);
    expect(jan.value).toBeCloseTo(1 / 3, 12);
    const [lo, hi] = wilsonInterval(1, 3);
    expect([jan.ciLow, jan.ciHigh]).toEqual([lo, hi]);
    // Wilson 95 % for 1/3 by hand: (1/3 + z²/6 ± z·sqrt(2/27 + z²/36)) / (1 + z²/3), z = 1.96 → 0.0615, 0.7923
    expect(lo).toBeCloseTo(0.0615, 4);
    expect(hi).toBeCloseTo(0.7923, 4);
    const feb = city('on_time_rate', '2024-02'); // C5 on time; C4 open; C9 excluded
    expect([feb.numerator, feb.denominator, feb.excluded.open, feb.excluded.rule]).toEqual([1, 1, 1, 1]);
    const q1 = city('on_time_rate', '2024-Q1'); // C1 C5 C11 on time of C1 C2 C3 C5 C11
    expect([q1.numerator, q1.denominator]).toEqual([3, 5]);
    expect(get('on_time_rate', 'district', '440304', '2024').value).toBeCloseTo(3 / 4, 12); // 福田 C1 C2 C5 C11
    const ns = get('on_time_rate', 'district', '440305', '2024'); // 南山 C3 late; C4 open; C9 excluded
    expect([ns.numerator, ns.denominator, ns.excluded.open, ns.excluded.rule]).toEqual([0, 1, 1, 1]);
  });

  it('median and P90 handling time (linear interpolation), cases spanning months in their receipt month', () => {
    expect(city('handling_median_h', '2024-01').value).toBeCloseTo(48, 12); // [12, 48, 120]
    expect(city('handling_p90_h', '2024-01').value).toBeCloseTo(105.6, 10); // 48 + 0.8 × 72
    expect(city('handling_median_h', '2024-02').value).toBeCloseTo(6, 12); // C5 only
    expect(city('handling_median_h', '2024-Q1').value).toBeCloseTo(24, 12); // [6, 12, 24, 48, 120]
    expect(city('handling_p90_h', '2024-Q1').value).toBeCloseTo(91.2, 10); // 48 + 0.6 × 72
    expect(city('handling_median_h', '2024-02').excluded).toEqual({ rule: 1, open: 1 });
  });

  it('first-response time over cases with one (open cases included), the others counted as excluded', () => {
    const jan = city('first_response_median_h', '2024-01'); // C1 0.5 h, C2 2 h; C3 none
    expect(jan.value).toBeCloseTo(1.25, 12);
    expect(jan.excluded.no_response).toBe(1);
    expect(city('first_response_median_h', '2024-02').value).toBeCloseTo(0.55, 12); // C4 1 h, C5 0.1 h
  });

  it('reopen, satisfaction and survey response rates over closed cases', () => {
    const re = city('reopen_rate', '2024-01');
    expect([re.numerator, re.denominator]).toEqual([1, 3]); // C2 of C1 C2 C3
    const sat = city('satisfaction_rate', '2024-01'); // C1 5 satisfied, C2 2 not; C3 no rating
    expect([sat.numerator, sat.denominator, sat.excluded.no_rating]).toEqual([1, 2, 1]);
    const resp = city('survey_response_rate', '2024-01');
    expect([resp.numerator, resp.denominator]).toEqual([2, 3]);
    const q1 = city('satisfaction_rate', '2024-Q1'); // C1 5, C2 2, C5 4, C11 5 → 3 of 4
    expect([q1.numerator, q1.denominator]).toEqual([3, 4]);
  });

  it('online share over cases with a channel', () => {
    const jan = city('online_share', '2024-01'); // C2 网站, C3 App of C1 C2 C3
    expect([jan.numerator, jan.denominator]).toEqual([2, 3]);
    const mar = city('online_share', '2024-03'); // C11 has no channel
    expect(mar.value).toBeNaN();
    expect(mar.excluded.no_channel).toBe(1);
  });

  it('backlog at period end: open at the local midnight ending the period', () => {
    expect(city('backlog_end', '2024-01').value).toBe(1); // C3 (closed 2 Feb); C4 arrives after the end
    expect(city('backlog_end', '2024-02').value).toBe(1); // C4
    expect(city('backlog_end', '2024-03').value).toBe(1); // C4, received in February
    expect(get('backlog_end', 'district', '440304', '2024-01').value).toBe(0); // 福田: all closed in time
  });

  it('cases per 10 000 residents from the census population', () => {
    expect(city('cases_per_10k', '2024').value).toBeCloseTo((7 / 17560061) * 10000, 15);
    expect(get('cases_per_10k', 'district', '440304', '2024').value).toBeNaN(); // no district population given
  });
});

/** A category-level value: city 440300 × standard category × period. */
function cat(kpi: string, category: string, period: string): KpiValue {
  const v = values.find(
    (x) => x.kpi === kpi && x.level === 'category' && x.category === category && x.period === period,
  );
  if (!v) throw new Error(`no ${kpi} ${category} ${period}`);
  expect(v.unit).toBe('440300');
  return v;
}

describe('category breakdown (city × standard category × period), by hand', () => {
  // environment (噪音扰民): C1 Jan, C3 Jan (late), C5 Feb; municipal (路灯故障): C2 Jan, C4 Feb open,
  // C9 Feb excluded, C11 Mar; 其他 (C6) is not in the mapping table and was rejected at import
  it('counts per category and month add up to the city', () => {
    expect(cat('cases_received', 'environment', '2024-01').value).toBe(2);
    expect(cat('cases_received', 'environment', '2024-02').value).toBe(1);
    expect(cat('cases_received', 'municipal', '2024-01').value).toBe(1);
    expect(cat('cases_received', 'municipal', '2024-02').value).toBe(2); // C4 and the excluded C9
    expect(cat('cases_received', 'municipal', '2024-03').value).toBe(1);
    const byCat = values.filter((v) => v.kpi === 'cases_received' && v.level === 'category' && v.period === '2024');
    expect(byCat.map((v) => v.category)).toEqual(['environment', 'municipal']);
    expect(byCat.reduce((a, v) => a + v.value, 0)).toBe(city('cases_received', '2024').value);
  });

  it('on-time rate, handling time, satisfaction and backlog per category', () => {
    const envJan = cat('on_time_rate', 'environment', '2024-01'); // C1 on time, C3 late
    expect([envJan.numerator, envJan.denominator]).toEqual([1, 2]);
    expect([envJan.ciLow, envJan.ciHigh]).toEqual(wilsonInterval(1, 2));
    const env = cat('on_time_rate', 'environment', '2024'); // C1 C5 on time of C1 C3 C5
    expect([env.numerator, env.denominator]).toEqual([2, 3]);
    const mun = cat('on_time_rate', 'municipal', '2024'); // C11 on time, C2 late; C4 open; C9 excluded
    expect([mun.numerator, mun.denominator, mun.excluded.open, mun.excluded.rule]).toEqual([1, 2, 1, 1]);
    expect(cat('handling_median_h', 'environment', '2024').value).toBeCloseTo(12, 12); // [6, 12, 48]
    expect(cat('handling_median_h', 'municipal', '2024').value).toBeCloseTo(72, 12); // [24, 120]
    const sat = cat('satisfaction_rate', 'environment', '2024'); // C1 5, C5 4; C3 no rating
    expect([sat.numerator, sat.denominator, sat.excluded.no_rating]).toEqual([2, 2, 1]);
    expect(cat('backlog_end', 'environment', '2024-01').value).toBe(1); // C3 closed 2 Feb
    expect(cat('backlog_end', 'municipal', '2024-01').value).toBe(0); // C2 closed 25 Jan
    expect(cat('backlog_end', 'municipal', '2024-03').value).toBe(1); // C4
    // per 10 000 residents of the city
    expect(cat('cases_per_10k', 'municipal', '2024').value).toBeCloseTo((4 / 17560061) * 10000, 15);
  });
});

describe('on-time boundary', () => {
  it('a case closed exactly at its due time is on time; one second later is late', async () => {
    const csv =
      'id,received,closed,due,category\n' +
      'B1,2024-05-01 08:00:00,2024-05-02 08:00:00,2024-05-02 08:00:00,噪音扰民\n' +
      'B2,2024-05-01 08:00:00,2024-05-02 08:00:01,2024-05-02 08:00:00,噪音扰民\n';
    const p = tempProject({ 'log.csv': csv });
    try {
      const cols = { id: 'id', received: 'received', closed: 'closed', due: 'due', category: 'category' };
      const log = smallLogConfig({ columns: cols, status: undefined, districts: undefined, exclude: undefined });
      const r = await importCaseLog({ projectDir: p.dir, log });
      const { engine, close } = await duckKpiEngine(join(r.outDir, 'cases.parquet'));
      const v = await computeKpis(engine, { offsetS: 8 * 3600, kpis: ['on_time_rate'], levels: ['city'] });
      close();
      const may = v.find((x) => x.period === '2024-05');
      expect([may?.numerator, may?.denominator]).toEqual([1, 2]);
    } finally {
      p.dispose();
    }
  });
});
