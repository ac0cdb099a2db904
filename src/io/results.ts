/**
 * Result tables of a build: the ranking table (unit, names, every aggregate's score and rank) as
 * rows, as CSV (UTF-8 with BOM so Excel in zh-CN opens it correctly) and the build record (build.json).
 */
import { stringify } from 'csv-stringify/sync';
import type { Build } from '../engine/build/build.ts';
import { column } from '../engine/core/dataset.ts';
import type { FrameworkNode } from '../engine/core/framework.ts';
import { safeText } from './safe-text.ts';
import type { LoadedProject } from './project.ts';

export const CITYINDEX_VERSION = '0.1.0';

/** Aggregate nodes, index first, then each level downwards, framework order within a level. */
export function aggregateNodes(b: Build): FrameworkNode[] {
  const fw = b.steps.length ? b.steps[b.steps.length - 1].framework : b.input.framework;
  return fw.nodes.filter((n) => n.kind === 'aggregate' && b.results.scores.codes.includes(n.code)).sort((a, c) => c.level - a.level);
}

export interface ResultsTable { header: string[]; rows: Array<Array<string | number | null>> }

/**
 * The ranking table: one row per unit (sorted by index rank, then code), columns code, name_zh,
 * name_en, then `<code>` score and `<code>_rank` for every aggregate.
 */
export function resultsTable(b: Build): ResultsTable {
  const aggs = aggregateNodes(b);
  const { scores, ranks, indexCode } = b.results;
  const unitsByCode = new Map(b.input.units.map((u) => [u.code, u]));
  const header = ['code', 'name_zh', 'name_en', ...aggs.flatMap((n) => [n.code, `${n.code}_rank`])];
  const order = scores.unitCodes.map((_, i) => i);
  if (scores.codes.includes(indexCode)) {
    const r = column(ranks, indexCode);
    order.sort((a, c) => (Number.isNaN(r[a]) ? Infinity : r[a]) - (Number.isNaN(r[c]) ? Infinity : r[c]) || (scores.unitCodes[a] < scores.unitCodes[c] ? -1 : 1));
  }
  const cols = aggs.map((n) => ({ s: column(scores, n.code), r: column(ranks, n.code) }));
  const rows = order.map((i) => {
    const code = scores.unitCodes[i];
    const u = unitsByCode.get(code);
    const row: Array<string | number | null> = [code, u?.name.zh ?? '', u?.name.en ?? ''];
    for (const { s, r } of cols) row.push(Number.isNaN(s[i]) ? null : s[i], Number.isNaN(r[i]) ? null : r[i]);
    return row;
  });
  return { header, rows };
}

/** CSV text with a BOM; text cells neutralised against formula injection; missing = empty. */
export function tableToCsv(t: ResultsTable): string {
  const rows = t.rows.map((r) => r.map((v) => (v === null ? '' : typeof v === 'string' ? safeText(v) : v)));
  return '\ufeff' + stringify([t.header.map(safeText), ...rows]);
}

/** FNV-1a 64-bit hash of the bytes of a Float64Array, hex: a fingerprint of results for reproducibility. */
export function fingerprint(values: Float64Array): string {
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  let h = 0xcbf29ce484222325n;
  const p = 0x100000001b3n;
  for (let i = 0; i < bytes.length; i++) { h ^= BigInt(bytes[i]); h = (h * p) & 0xffffffffffffffffn; }
  return h.toString(16).padStart(16, '0');
}

/** The build record: spec, per-step diagnostics, input file hashes, result fingerprint, version. */
export function buildRecord(b: Build, p: LoadedProject): Record<string, unknown> {
  return {
    cityindex: CITYINDEX_VERSION,
    project: { name: p.project.name, edition: p.project.edition ?? null, period: p.project.period ?? null },
    spec: b.spec,
    inputs: p.files,
    units: b.input.units.length,
    indicators: b.raw.codes.length,
    gaps: p.gaps.map((g) => ({ code: g.code, name: g.name, notes: g.notes ?? null })),
    surveys: p.surveys.map((s) => ({ id: s.id, title: s.title, simulated: s.simulated, indicators: s.indicators, label: s.simulated ? '模拟数据 / simulated responses' : null })),
    warnings: p.warnings,
    steps: b.steps.map((s) => ({ id: s.id, kind: s.kind, options: s.options, unitsOut: s.units.length, codesOut: s.dataset.codes.length, diagnostics: s.diagnostics })),
    effectiveWeights: b.results.effectiveWeights,
    resultsFingerprint: fingerprint(b.results.scores.values),
  };
}
