/**
 * A seeded generator of SIMULATED 12345 hotline case logs (pure: the seeded RNG of core/rng.ts, no clock).
 * Every log it makes is simulated and must be labelled so wherever it or a number derived from it appears.
 *
 * Model (stated, not estimated from any real log — no case-level 12345 log is public):
 * - receipt times: days weighted by weekday (weekend × 0.6) and month (summer × 1.15), hours by a daily
 *   profile (night low, peaks 9–11 h and 14–16 h), uniform within the hour;
 * - categories: source categories (as a hotline records them) drawn by fixed shares, each mapped to one of
 *   ten standard categories with an SLA in hours (CATEGORY_TABLE);
 * - channel: phone, WeChat, web, app, government service platform (online: all but phone);
 * - dispatch ~ lognormal (median 20 min), first response ~ dispatch + lognormal (median 15 % of the SLA),
 *   neither later than the first closure;
 * - handling time ~ lognormal with median 45 % of the SLA and σ = 1.1 (heavy-tailed; about 20 % late);
 * - reopened with probability 4 % (12 % when late), adding a second lognormal spell;
 * - satisfaction surveyed for 60 % of closed cases, 1–5 shifted down for late or reopened cases;
 * - cases not closed by the export time (10 days after the year's end) stay open.
 */
import { createRng, type Rng } from '../core/rng.ts';

/** Source category → [standard category, share of cases, SLA hours of the standard category]. */
export const CATEGORY_TABLE: ReadonlyArray<readonly [string, string, number, number]> = [
  ['政策咨询', 'consultation', 0.16, 24],
  ['办事指引', 'consultation', 0.08, 24],
  ['噪音扰民', 'environment', 0.07, 72],
  ['环境污染', 'environment', 0.04, 120],
  ['道路破损', 'urban_construction', 0.05, 120],
  ['路灯故障', 'urban_construction', 0.03, 72],
  ['违章建筑', 'urban_construction', 0.03, 240],
  ['交通出行', 'transport', 0.06, 120],
  ['公交服务', 'transport', 0.03, 72],
  ['消费纠纷', 'market_regulation', 0.08, 168],
  ['食品安全', 'market_regulation', 0.03, 72],
  ['欠薪讨薪', 'labour', 0.06, 168],
  ['社保医保', 'labour', 0.05, 120],
  ['物业管理', 'housing', 0.08, 168],
  ['供水供电供气', 'utilities', 0.05, 48],
  ['教育服务', 'education', 0.03, 120],
  ['医疗卫生', 'health', 0.03, 120],
  ['治安隐患', 'public_safety', 0.02, 24],
  ['意见建议', 'consultation', 0.02, 240],
];

/** The standard categories and their names. */
export const STANDARD_CATEGORIES: Readonly<Record<string, { zh: string; en: string; slaHours: number }>> = {
  consultation: { zh: '咨询', en: 'Consultation', slaHours: 24 },
  environment: { zh: '生态环境', en: 'Environment', slaHours: 72 },
  urban_construction: { zh: '城乡建设', en: 'Urban construction', slaHours: 120 },
  transport: { zh: '交通运输', en: 'Transport', slaHours: 120 },
  market_regulation: { zh: '市场监管', en: 'Market regulation', slaHours: 168 },
  labour: { zh: '劳动和社会保障', en: 'Labour and social security', slaHours: 168 },
  housing: { zh: '住房与物业', en: 'Housing and property', slaHours: 168 },
  utilities: { zh: '水电气热', en: 'Water, power, gas, heating', slaHours: 48 },
  education: { zh: '教育', en: 'Education', slaHours: 120 },
  health: { zh: '卫生健康', en: 'Health', slaHours: 120 },
  public_safety: { zh: '公共安全', en: 'Public safety', slaHours: 24 },
};

export const CHANNELS: ReadonlyArray<readonly [string, number, boolean]> = [
  ['电话', 0.58, false],
  ['微信', 0.17, true],
  ['网站', 0.09, true],
  ['App', 0.1, true],
  ['政务服务平台', 0.06, true],
];

const HOUR_WEIGHTS = [
  0.15, 0.1, 0.07, 0.06, 0.06, 0.1, 0.3, 0.7, 1.3, 1.8, 1.9, 1.7, 1.1, 1.2, 1.7, 1.8, 1.6, 1.4, 1.0, 0.9, 0.8, 0.6, 0.4,
  0.25,
];

export interface GenerateOptions {
  seed: number;
  year: number;
  /** UTC offset in seconds of the local times written (China: 8 × 3600). */
  offsetS: number;
  /** District codes and relative sizes. */
  districts: ReadonlyArray<{ code: string; weight: number }>;
  /** Ids start with this prefix (default `S`). */
  idPrefix?: string;
}

/** One generated case: local wall-clock timestamps `YYYY-MM-DD hh:mm:ss` (empty when absent). */
export interface GeneratedCase {
  id: string;
  received: string;
  dispatched: string;
  firstResponse: string;
  closed: string;
  due: string;
  status: 'open' | 'closed';
  category: string;
  district: string;
  channel: string;
  reopened: '0' | '1' | '';
  satisfaction: string;
}

/** Cumulative weights for a draw by `pick`. */
function cumulative(ws: readonly number[]): Float64Array {
  const c = new Float64Array(ws.length);
  let s = 0;
  ws.forEach((w, i) => (c[i] = s += w));
  for (let i = 0; i < c.length; i++) c[i] /= s;
  return c;
}
function pick(c: Float64Array, u: number): number {
  let lo = 0;
  let hi = c.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (u < c[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
/** Standard normal by Box–Muller. */
function normal(r: Rng): number {
  const u = 1 - r.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r.next());
}

/** Days since 1970-01-01 of a civil date (Hinnant's days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}
/** Civil date of days since 1970-01-01 (Hinnant's civil_from_days). */
function civilFromDays(z0: number): [number, number, number] {
  const z = z0 + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

const TWO = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
const dayCache = new Map<number, string>();

/**
 * Local wall-clock text of an instant (seconds since 1970 UTC) at a UTC offset.
 * @example localTimeText(1704067200, 8 * 3600) // => '2024-01-01 08:00:00'
 */
export function localTimeText(s: number, offsetS: number): string {
  const local = s + offsetS;
  const day = Math.floor(local / 86400);
  let date = dayCache.get(day);
  if (date === undefined) {
    const [y, m, d] = civilFromDays(day);
    date = `${y}-${TWO[m]}-${TWO[d]}`;
    if (dayCache.size > 4000) dayCache.clear();
    dayCache.set(day, date);
  }
  const sec = local - day * 86400;
  return `${date} ${TWO[Math.floor(sec / 3600)]}:${TWO[Math.floor((sec % 3600) / 60)]}:${TWO[sec % 60]}`;
}

/**
 * A generator of simulated cases: each call of `next()` returns the next case (ids in order; receipt times
 * not sorted). Same options ⇒ same cases.
 * @example
 * const opts = { seed: 7, year: 2024, offsetS: 8 * 3600, districts: [{ code: '440304', weight: 1 }] };
 * const c = createCaseGenerator(opts).next();
 * [c.id, c.received.slice(0, 4), c.district] // => ['S1', '2024', '440304']
 * createCaseGenerator(opts).next().received === c.received // => true
 */
export function createCaseGenerator(opts: GenerateOptions): { next: () => GeneratedCase; exportTime: number } {
  const r = createRng(opts.seed);
  const prefix = opts.idPrefix ?? 'S';
  const start = daysFromCivil(opts.year, 1, 1);
  const nDays = daysFromCivil(opts.year + 1, 1, 1) - start;
  const dayW: number[] = [];
  for (let k = 0; k < nDays; k++) {
    const dow = (((start + k + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday (4); 0 = Sunday
    const [, m] = civilFromDays(start + k);
    dayW.push((dow === 0 || dow === 6 ? 0.6 : 1) * (m >= 6 && m <= 8 ? 1.15 : 1));
  }
  const dayC = cumulative(dayW);
  const hourC = cumulative(HOUR_WEIGHTS);
  const catC = cumulative(CATEGORY_TABLE.map((c) => c[2]));
  const chanC = cumulative(CHANNELS.map((c) => c[1]));
  const distC = cumulative(opts.districts.map((d) => d.weight));
  const exportTime = (start + nDays + 10) * 86400 - opts.offsetS;
  const off = opts.offsetS;
  const lognormal = (median: number, sigma: number) => median * Math.exp(sigma * normal(r));
  let n = 0;
  const next = (): GeneratedCase => {
    n++;
    const day = start + pick(dayC, r.next());
    const received = day * 86400 + pick(hourC, r.next()) * 3600 + Math.floor(r.next() * 3600) - off;
    const [source, , , sla] = CATEGORY_TABLE[pick(catC, r.next())];
    const channel = CHANNELS[pick(chanC, r.next())][0];
    const district = opts.districts[pick(distC, r.next())].code;
    const slaS = sla * 3600;
    let closed = received + Math.max(60, Math.round(lognormal(0.45 * slaS, 1.1)));
    const dispatched = Math.min(closed, received + Math.round(lognormal(1200, 0.8)));
    // the first response comes after dispatch and no later than the first closure
    const firstResponse = Math.min(closed, dispatched + Math.round(lognormal(0.15 * slaS, 0.9)));
    const late = closed > received + slaS;
    const reopened = r.next() < (late ? 0.12 : 0.04);
    if (reopened) closed += Math.round(lognormal(0.3 * slaS, 0.9));
    const open = closed > exportTime;
    let satisfaction = '';
    if (!open && r.next() < 0.6) {
      const u = r.next() + (late ? 0.25 : 0) + (reopened ? 0.25 : 0);
      satisfaction = u < 0.55 ? '5' : u < 0.8 ? '4' : u < 0.9 ? '3' : u < 1.0 ? '2' : '1';
    }
    return {
      id: `${prefix}${n}`,
      received: localTimeText(received, off),
      dispatched: dispatched <= exportTime ? localTimeText(dispatched, off) : '',
      firstResponse: firstResponse <= exportTime ? localTimeText(firstResponse, off) : '',
      closed: open ? '' : localTimeText(closed, off),
      due: '',
      status: open ? 'open' : 'closed',
      category: source,
      district,
      channel,
      reopened: open ? '' : reopened ? '1' : '0',
      satisfaction,
    };
  };
  return { next, exportTime };
}
