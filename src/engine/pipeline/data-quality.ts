/**
 * Which values of a build are not the unit's own observation, and how much of each score rests on them.
 * A value is `imputed` when the build's impute step filled it (the step's diagnostics list every cell),
 * and `copied` when the data file says it came from another table than the indicator's own source (the
 * long format's per-value `source` column, e.g. a province's score given to a municipality). A unit's
 * imputed share is the part of its index weight (`explainScore` shares: weights rescaled over the values
 * present) that reaches such values. Sources: the share of effective weight per data source
 * (`source.name` of each indicator; COINr `get_eff_weights` for the weights).
 */
import type { Build } from './build.ts';
import { explainScore } from './lineage.ts';
import type { FrameworkNode } from '../core/framework.ts';

/** How a value differs from an observation of the unit: filled by the build, or taken from another table. */
export type ValueFlag = 'imputed' | 'copied';

/** One flagged value. */
export interface FlaggedValue {
  unit: string;
  indicator: string;
  flag: ValueFlag;
  /** The impute method (imputed) or the value's own source text (copied). */
  detail: string;
}

/** What `dataQuality` reports. */
export interface DataQuality {
  /** Every flagged value, units in build order, indicators in dataset order. */
  flagged: FlaggedValue[];
  /** `unit → indicator → flag` (null-prototype-free: a `Map`). */
  flagOf: Map<string, Map<string, ValueFlag>>;
  /** Per unit (results order): share of its index weight resting on flagged values (0–1). */
  shares: Array<{ unit: string; share: number; imputed: number; copied: number }>;
  /** Per indicator (dataset order): how many values are imputed or copied, of how many units. */
  byIndicator: Array<{ indicator: string; imputed: number; copied: number; n: number }>;
}

/** The file part of a per-value source text (`dir/file.csv (note)` → `dir/file.csv`). */
function sourceFile(text: string): string {
  const k = text.indexOf(' (');
  return (k < 0 ? text : text.slice(0, k)).trim();
}

/**
 * True when a per-value source names another file than the indicator's own source (`source.file`).
 * @example isCopiedValue('a/provinces.csv (municipality)', { file: 'data/sources/a/cities.csv' }) // => true
 * @example isCopiedValue('a/cities.csv', { file: 'data/sources/a/cities.csv' }) // => false
 */
export function isCopiedValue(valueSource: string | undefined, source: FrameworkNode['source']): boolean {
  if (!valueSource || !source?.file) return false;
  const f = sourceFile(valueSource);
  return f.length > 0 && !source.file.endsWith(f) && !f.endsWith(source.file);
}

/**
 * Imputed and copied values of a build and each unit's share of index weight resting on them
 * (`valueSources` = `LoadedProject.valueSources`, keys `unit\u0000indicator`).
 * @example
 * const q = dataQuality(asem.build);
 * q.flagged.length // => 65 (ASEM: 65 values imputed by the example's spec)
 * q.shares.every((s) => s.share >= 0 && s.share <= 1) // => true
 */
export function dataQuality(b: Build, options: { valueSources?: Record<string, string> } = {}): DataQuality {
  const last = b.steps.length ? b.steps[b.steps.length - 1] : undefined;
  const fw = last ? last.framework : b.input.framework;
  const nodeOf = new Map(fw.nodes.map((n) => [n.code, n]));
  const flagOf = new Map<string, Map<string, ValueFlag>>();
  const detailOf = new Map<string, string>();
  const set = (unit: string, indicator: string, flag: ValueFlag, detail: string) => {
    let m = flagOf.get(unit);
    if (!m) flagOf.set(unit, (m = new Map()));
    if (m.has(indicator)) return;
    m.set(indicator, flag);
    detailOf.set(`${unit}\u0000${indicator}`, detail);
  };
  for (const s of b.steps)
    if (s.kind === 'impute') for (const c of s.diagnostics.imputed) set(c.unit, c.indicator, 'imputed', c.method);
  const vs = options.valueSources ?? {};
  for (const [key, text] of Object.entries(vs)) {
    const [unit, indicator] = key.split('\u0000');
    if (isCopiedValue(text, nodeOf.get(indicator)?.source)) set(unit, indicator, 'copied', text);
  }
  const flagged: FlaggedValue[] = [];
  const codes = b.raw.codes;
  for (const u of b.raw.unitCodes) {
    const m = flagOf.get(u);
    if (!m) continue;
    for (const c of codes) {
      const f = m.get(c);
      if (f) flagged.push({ unit: u, indicator: c, flag: f, detail: detailOf.get(`${u}\u0000${c}`) ?? '' });
    }
  }
  const shares = b.results.scores.unitCodes.map((unit) => {
    const m = flagOf.get(unit);
    let share = 0,
      imputed = 0,
      copied = 0;
    if (m?.size) {
      const ex = explainScore(b, unit);
      for (const i of ex.indicators) {
        const f = m.get(i.code);
        if (!f) continue;
        share += i.share;
        if (f === 'imputed') imputed++;
        else copied++;
      }
    }
    return { unit, share, imputed, copied };
  });
  const byIndicator = codes.map((indicator) => {
    let imputed = 0,
      copied = 0;
    for (const m of flagOf.values()) {
      const f = m.get(indicator);
      if (f === 'imputed') imputed++;
      else if (f === 'copied') copied++;
    }
    return { indicator, imputed, copied, n: b.raw.unitCodes.length };
  });
  return { flagged, flagOf, shares, byIndicator };
}

/** One data source's share of the index's effective weight. */
export interface SourceShare {
  /** The source's name (`source.name`), or `''` for indicators without a source. */
  source: string;
  url?: string;
  /** Indicators from this source (framework order). */
  indicators: string[];
  /** Sum of their effective weights (the shares of all sources sum to 1). */
  share: number;
}

/**
 * Share of the index's effective weight per data source, largest first (indicators grouped by
 * `source.name`; the build's `results.effectiveWeights`, COINr `get_eff_weights`).
 * @example
 * const s = sourceShares(asem.build);
 * s.reduce((a, x) => a + x.share, 0) // => 1
 */
export function sourceShares(b: Build): SourceShare[] {
  const last = b.steps.length ? b.steps[b.steps.length - 1] : undefined;
  const fw = last ? last.framework : b.input.framework;
  const w = b.results.effectiveWeights;
  const by = new Map<string, SourceShare>();
  for (const n of fw.nodes) {
    if (n.kind !== 'indicator' || n.status === 'not_collected') continue;
    const ew = w[n.code];
    if (ew === undefined || !b.results.scores.codes.includes(n.code)) continue;
    const key = n.source?.name?.trim() ?? '';
    let e = by.get(key);
    if (!e)
      by.set(key, (e = { source: key, ...(n.source?.url ? { url: n.source.url } : {}), indicators: [], share: 0 }));
    e.indicators.push(n.code);
    e.share += ew;
  }
  const total = [...by.values()].reduce((s, e) => s + e.share, 0);
  const out = [...by.values()].map((e) => ({ ...e, share: total > 0 ? e.share / total : 0 }));
  return out.sort((a, b) => b.share - a.share || (a.source < b.source ? -1 : a.source > b.source ? 1 : 0));
}
