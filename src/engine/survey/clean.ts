/**
 * Cleaning of resident responses, with a report of what was removed and why. Rules run in a fixed order
 * and each removed response carries the first rule that removed it:
 * missing city → duplicate → failed attention check → speeder → straight-liner → over quota.
 * References: AAPOR "Best practices for survey research" (data quality checks); Leiner 2019
 * (Survey Research Methods 13(3)) on speeders as a share of median completion time.
 */
import type { Issue } from '../core/errors.ts';
import { quantileSorted } from '../stats/descriptive.ts';
import { DONT_KNOW, type CleaningRules, type ResponseTable } from './types.ts';

export type CleaningReason = 'missingCity' | 'duplicate' | 'attention' | 'speeder' | 'straightLiner' | 'overQuota';

export const CLEANING_REASONS: readonly CleaningReason[] = [
  'missingCity',
  'duplicate',
  'attention',
  'speeder',
  'straightLiner',
  'overQuota',
];

export interface RemovedResponse {
  /** Row in the source file (1-based). */
  row: number;
  id: string | null;
  city: string | null;
  reason: CleaningReason;
  detail: string;
}

export interface CleaningResult {
  /** 1 = kept, 0 = removed; one entry per respondent of the input table. */
  keep: Uint8Array;
  removed: RemovedResponse[];
  counts: Record<CleaningReason, number>;
  received: number;
  kept: number;
  /** Per city (cities of kept or removed responses with an adcode), sorted by adcode. */
  perCity: Array<{ city: string; received: number; kept: number; removed: Record<CleaningReason, number> }>;
  /** The speeder threshold actually used (seconds) and the median completion time it came from. */
  speederSeconds: number;
  medianDuration: number;
  warnings: Issue[];
}

export interface CleanOptions {
  /**
   * Valid city adcodes (e.g. the surveyed cities); a response from any other city counts as "missing city". Default:
   * any non-empty adcode.
   */
  cities?: readonly string[];
  /** Items used for straight-lining and answer duplicates when the rules name none (usually every indicator item). */
  items?: readonly string[];
}

const emptyCounts = (): Record<CleaningReason, number> => ({
  missingCity: 0,
  duplicate: 0,
  attention: 0,
  speeder: 0,
  straightLiner: 0,
  overQuota: 0,
});

/**
 * Apply the cleaning rules. Pure: returns a keep mask and the report; the table is not changed.
 * @example
 * import { tableOf } from './test-helpers.ts';
 * const table = tableOf([{ duration: 30 }, { duration: 300 }, { duration: 45 }]);
 * cleanResponses(table, { speeders: { minSeconds: 60 } }).counts.speeder // => 2 (responses under 60 s)
 */
export function cleanResponses(table: ResponseTable, rules: CleaningRules, options: CleanOptions = {}): CleaningResult {
  const n = table.n;
  const keep = new Uint8Array(n).fill(1);
  const removed: RemovedResponse[] = [];
  const counts = emptyCounts();
  const warnings: Issue[] = [];
  // removal reason per respondent (index into CLEANING_REASONS, −1 kept) and its detail; records are built in row order
  // at the end
  const reasonOf = new Int8Array(n).fill(-1);
  const detailOf: string[] = new Array<string>(n);
  const remove = (i: number, reason: CleaningReason, detail: string): void => {
    keep[i] = 0;
    counts[reason]++;
    reasonOf[i] = CLEANING_REASONS.indexOf(reason);
    detailOf[i] = detail;
  };
  const answerItems = options.items ?? Object.keys(table.items);

  // 1. missing or unknown city
  const valid = options.cities ? new Set(options.cities) : null;
  for (let i = 0; i < n; i++) {
    const c = table.city[i];
    if (c === null || c === '') remove(i, 'missingCity', 'no city adcode');
    else if (valid && !valid.has(c)) remove(i, 'missingCity', `adcode ${c} is not a surveyed city`);
  }

  // 2. duplicates (first occurrence kept)
  const by = rules.duplicates ?? ['id', 'answers'];
  if (by.includes('id')) {
    // open addressing over row numbers (a Map of a million string keys costs more than the rest of the rule)
    const seen = new RowSet(n);
    for (let i = 0; i < n; i++) {
      const id = table.id[i];
      if (!keep[i] || id === null || id === '') continue;
      const first = seen.findOrAdd(hashString(id), i, (j) => table.id[j] === id);
      if (first >= 0) remove(i, 'duplicate', `same respondent id "${id}" as row ${table.sourceRow[first]}`);
    }
  }
  if (by.includes('answers') && answerItems.length > 0) {
    const cols = answerItems.map((it) => table.items[it]).filter((c): c is Float64Array => c !== undefined);
    // hash of (city, answers) into an open-addressing set of rows; a hit is confirmed by comparing them
    const seen = new RowSet(n);
    const cityHash = new Map<string, number>();
    for (let i = 0; i < n; i++) {
      if (!keep[i]) continue;
      const city = table.city[i] ?? '';
      let ch = cityHash.get(city);
      if (ch === undefined) {
        ch = hashString(city);
        cityHash.set(city, ch);
      }
      let h1 = ch | 0;
      let h2 = Math.imul(ch, 0x9e3779b1) | 0;
      let answered = 0;
      for (let j = 0; j < cols.length; j++) {
        const v = cols[j][i];
        const code = v === DONT_KNOW ? 1e6 : Number.isNaN(v) ? 2e6 : Math.round(v * 1000);
        if (!Number.isNaN(v)) answered++;
        h1 = Math.imul(h1 ^ code, 0x01000193);
        h2 = Math.imul(h2 + code, 0x85ebca6b) ^ (h2 >>> 13);
      }
      if (answered === 0) continue;
      const first = seen.findOrAdd(
        h1 ^ Math.imul(h2, 0x27d4eb2d),
        i,
        (j) => table.city[j] === table.city[i] && sameAnswers(cols, j, i),
      );
      if (first >= 0) remove(i, 'duplicate', `same city and answers as row ${table.sourceRow[first]}`);
    }
  }

  // 3. attention checks
  const checks = rules.attentionChecks ?? [];
  if (checks.length > 0) {
    const maxFail = rules.maxAttentionFailures ?? 0;
    const cols = checks.map((c) => {
      const col = table.items[c.item];
      if (!col)
        warnings.push({
          code: 'W_ATTENTION_ITEM',
          message: `attention-check item "${c.item}" is not in the responses; check skipped`,
          file: table.file,
          column: c.item,
          severity: 'warning',
        });
      return { col, expected: Array.isArray(c.expected) ? c.expected : [c.expected], item: c.item };
    });
    for (let i = 0; i < n; i++) {
      if (!keep[i]) continue;
      let failures = 0;
      for (const c of cols) if (c.col && !c.expected.includes(c.col[i])) failures++;
      if (failures > maxFail) {
        const failed = cols
          .filter((c) => c.col && !c.expected.includes(c.col[i]))
          .map((c) => `${c.item}=${fmt(c.col![i])} (expected ${c.expected.join(' or ')})`);
        remove(i, 'attention', `failed attention check ${failed.join('; ')}`);
      }
    }
  }

  // 4. speeders
  let speederSeconds = 0;
  let medianDuration = NaN;
  const sp = rules.speeders;
  if (sp) {
    const known: number[] = [];
    for (let i = 0; i < n; i++) if (Number.isFinite(table.duration[i])) known.push(table.duration[i]);
    medianDuration = known.length ? quantileSorted(Float64Array.from(known).sort(), 0.5) : NaN;
    speederSeconds = Math.max(
      sp.minSeconds ?? 0,
      sp.minFractionOfMedian !== undefined && Number.isFinite(medianDuration)
        ? sp.minFractionOfMedian * medianDuration
        : 0,
    );
    if (known.length < n)
      warnings.push({
        code: 'W_NO_DURATION',
        message: `${n - known.length} responses have no completion time; they are not checked for speeding`,
        file: table.file,
        severity: 'warning',
      });
    for (let i = 0; i < n; i++) {
      const d = table.duration[i];
      if (keep[i] && Number.isFinite(d) && d < speederSeconds)
        remove(i, 'speeder', `completed in ${round(d)} s, under ${round(speederSeconds)} s`);
    }
  }

  // 5. straight-liners
  const sl = rules.straightLining;
  if (sl) {
    const items = sl.items ?? answerItems;
    const minItems = sl.minItems ?? 6;
    const cols = items.map((it) => table.items[it]).filter((c): c is Float64Array => c !== undefined);
    for (let i = 0; i < n; i++) {
      if (!keep[i]) continue;
      let first = NaN;
      let m = 0;
      let same = true;
      for (let j = 0; j < cols.length && same; j++) {
        const v = cols[j][i];
        if (Number.isNaN(v) || v === DONT_KNOW) continue;
        if (m === 0) first = v;
        else if (v !== first) same = false;
        m++;
      }
      if (same && m >= minItems)
        remove(i, 'straightLiner', `same answer ${fmt(first)} to all ${m} answered grid items`);
    }
  }

  // 6. over quota
  const quota = rules.quota;
  if (quota) {
    const byCity = new Map<string, number[]>();
    for (let i = 0; i < n; i++) {
      if (!keep[i]) continue;
      const c = table.city[i]!;
      let list = byCity.get(c);
      if (!list) byCity.set(c, (list = []));
      list.push(i);
    }
    const bySubmitted = (quota.order ?? 'submittedAt') === 'submittedAt';
    const at = table.submittedAt;
    // a before b: earlier submission time (ISO text order; a missing time last), then earlier row
    const before = (a: number, b: number): boolean => {
      const x = at[a];
      const y = at[b];
      if (x === y) return a < b;
      if (x === null) return false;
      if (y === null) return true;
      return x < y;
    };
    const chosen = new Uint8Array(n);
    for (const [city, list] of byCity) {
      if (list.length <= quota.perCity) continue;
      const k = quota.perCity;
      if (!bySubmitted) for (let q = 0; q < k; q++) chosen[list[q]] = 1;
      else {
        // the k first by time: a max-heap of the k best so far (no sort of every response)
        const heap = new Int32Array(k);
        let size = 0;
        const down = (q: number) => {
          for (;;) {
            const l = 2 * q + 1;
            if (l >= size) return;
            const m = l + 1 < size && before(heap[l], heap[l + 1]) ? l + 1 : l;
            if (!before(heap[q], heap[m])) return;
            const t = heap[q];
            heap[q] = heap[m];
            heap[m] = t;
            q = m;
          }
        };
        for (const i of list) {
          if (size < k) {
            let q = size++;
            heap[q] = i;
            while (q > 0) {
              const up = (q - 1) >> 1;
              if (!before(heap[up], heap[q])) break;
              const t = heap[q];
              heap[q] = heap[up];
              heap[up] = t;
              q = up;
            }
          } else if (before(i, heap[0])) {
            heap[0] = i;
            down(0);
          }
        }
        for (let q = 0; q < size; q++) chosen[heap[q]] = 1;
      }
      const detail = `city ${city} already has ${quota.perCity} valid responses`;
      for (const i of list) if (!chosen[i]) remove(i, 'overQuota', detail);
    }
  }

  for (let i = 0; i < n; i++) {
    if (reasonOf[i] >= 0)
      removed.push({
        row: table.sourceRow[i],
        id: table.id[i],
        city: table.city[i],
        reason: CLEANING_REASONS[reasonOf[i]],
        detail: detailOf[i],
      });
  }
  const cityStats = new Map<
    string,
    { city: string; received: number; kept: number; removed: Record<CleaningReason, number> }
  >();
  for (let i = 0; i < n; i++) {
    const c = table.city[i];
    if (c === null || c === '') continue;
    let s = cityStats.get(c);
    if (!s) cityStats.set(c, (s = { city: c, received: 0, kept: 0, removed: emptyCounts() }));
    s.received++;
    if (keep[i]) s.kept++;
  }
  for (let i = 0; i < n; i++) {
    const c = table.city[i];
    if (reasonOf[i] >= 0 && c) cityStats.get(c)!.removed[CLEANING_REASONS[reasonOf[i]]]++;
  }
  let kept = 0;
  for (let i = 0; i < n; i++) kept += keep[i];
  return {
    keep,
    removed,
    counts,
    received: n,
    kept,
    perCity: [...cityStats.values()].sort((a, b) => (a.city < b.city ? -1 : a.city > b.city ? 1 : 0)),
    speederSeconds,
    medianDuration,
    warnings,
  };
}

/**
 * A set of row numbers keyed by a 32-bit hash, with linear probing in one Int32Array sized for `n` rows:
 * `findOrAdd` returns the first earlier row that `same` confirms equal, or adds `row` and returns −1.
 */
class RowSet {
  private readonly slots: Int32Array;
  private readonly hashes: Int32Array;
  private readonly mask: number;
  constructor(n: number) {
    let cap = 16;
    while (cap < n * 2) cap *= 2;
    this.slots = new Int32Array(cap).fill(-1);
    this.hashes = new Int32Array(cap);
    this.mask = cap - 1;
  }
  findOrAdd(hash: number, row: number, same: (earlier: number) => boolean): number {
    const h = Math.imul(hash ^ (hash >>> 16), 0x45d9f3b) | 0;
    for (let k = (h ^ (h >>> 15)) & this.mask; ; k = (k + 1) & this.mask) {
      const j = this.slots[k];
      if (j < 0) {
        this.slots[k] = row;
        this.hashes[k] = hash;
        return -1;
      }
      if (this.hashes[k] === hash && same(j)) return j;
    }
  }
}

function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let k = 0; k < s.length; k++) h = Math.imul(h ^ s.charCodeAt(k), 0x01000193);
  return h | 0;
}

function sameAnswers(cols: readonly Float64Array[], a: number, b: number): boolean {
  for (const c of cols) {
    const x = c[a];
    const y = c[b];
    if (x !== y && !(Number.isNaN(x) && Number.isNaN(y))) return false;
  }
  return true;
}

function fmt(v: number): string {
  return v === DONT_KNOW ? "don't know" : Number.isNaN(v) ? 'no answer' : String(v);
}

function round(v: number): number {
  return Math.round(v * 10) / 10;
}
