/**
 * Compare two builds (two editions: draft vs draft, or draft vs published): per unit and at every
 * aggregate level, the score and rank of each, the score change and the rank change; and why a unit
 * moved: for every aggregate whose children are aggregates too, each child's contribution to the change,
 * `w_c / Σw × (to_c − from_c)` with the children's weights in the newer build's framework (for the
 * weighted arithmetic mean these contributions add up exactly to the parent's change; for other
 * aggregations they are the first-order attribution). The driver is the child with the largest
 * contribution in the direction of the parent's change. `compareResults` is the pure computation;
 * `compareEditions` reads both editions as the actor (so a draft is only compared by those who may see
 * it) and compares them.
 */
import { CityIndexError } from '../engine/core/errors.ts';
import type { Principal } from './principal.ts';
import type { Store } from './store.ts';

/** An edition's results table: `code, name_zh, name_en`, then `<agg>` and `<agg>_rank` per aggregate. */
export interface ResultsTableLike {
  header: readonly string[];
  rows: ReadonlyArray<ReadonlyArray<string | number | null>>;
}

/** A framework node's place and weight (the parts a comparison needs). */
export interface WeightedNode {
  code: string;
  parent: string | null;
  weight: number;
}

/** One aggregate of one unit in both builds. */
export interface ScoreChange {
  code: string;
  from: number | null;
  to: number | null;
  /** to − from (null when either is missing). */
  delta: number | null;
  rankFrom: number | null;
  rankTo: number | null;
  /** rankFrom − rankTo: positive = moved up (a smaller rank number). */
  rankChange: number | null;
}

/** A child's share of its parent's change. */
export interface Contribution {
  child: string;
  /** The child's weight within its parent, normalised to sum 1 over the children compared. */
  weight: number;
  delta: number;
  contribution: number;
}

/** Why an aggregate of a unit changed. */
export interface ChangeDriver {
  code: string;
  delta: number;
  /** Every child's contribution, largest |contribution| first. */
  contributions: Contribution[];
  /** The child that contributed most in the direction of the change (null when nothing changed). */
  driver: string | null;
}

/** One unit in the comparison. */
export interface UnitComparison {
  unit: string;
  name: { zh: string; en: string };
  changes: ScoreChange[];
  drivers: ChangeDriver[];
}

/** The whole comparison. */
export interface BuildComparison {
  /** The aggregates compared (present in both builds), top level first. */
  aggregates: string[];
  /** The top aggregate (the index): the first of `aggregates`. */
  index: string | null;
  /** Units in both builds, largest |index rank change| first, then by code. */
  units: UnitComparison[];
  /** Units only in one of the builds. */
  onlyFrom: string[];
  onlyTo: string[];
}

const num = (v: string | number | null | undefined): number | null =>
  typeof v === 'number' && Number.isFinite(v) ? v : null;

/** Columns of a results table by name (null-prototype-free Map lookups). */
function columns(t: ResultsTableLike): Map<string, number> {
  const m = new Map<string, number>();
  t.header.forEach((h, i) => m.set(h, i));
  return m;
}

function checkTable(t: ResultsTableLike, which: string): void {
  const ok =
    t !== null &&
    typeof t === 'object' &&
    Array.isArray(t.header) &&
    Array.isArray(t.rows) &&
    t.header[0] === 'code' &&
    t.rows.every((r) => Array.isArray(r) && r.length === t.header.length);
  if (!ok) {
    throw new CityIndexError({
      code: 'E_RESULTS_TABLE',
      message: `the ${which} build has no results table to compare / 版本没有可比较的结果表`,
      field: which,
      expected: 'a results table: code, name_zh, name_en, then each aggregate and its rank',
    });
  }
}

/**
 * Compare two results tables (pure). Aggregates are the columns with a `_rank` partner present in both.
 * @example
 * const from = { header: ['code', 'name_zh', 'name_en', 'I', 'I_rank', 'A', 'A_rank', 'B', 'B_rank'],
 *   rows: [['1', '甲', 'A', 50, 1, 60, 1, 40, 2], ['2', '乙', 'B', 45, 2, 30, 2, 60, 1]] };
 * const to = { header: from.header,
 *   rows: [['1', '甲', 'A', 44, 2, 48, 2, 40, 2], ['2', '乙', 'B', 51, 1, 60, 1, 42, 1]] };
 * const nodes = [{ code: 'I', parent: null, weight: 1 }, { code: 'A', parent: 'I', weight: 1 },
 *   { code: 'B', parent: 'I', weight: 1 }];
 * const c = compareResults(from, to, nodes);
 * c.units.map((u) => [u.unit, u.changes[0].delta, u.changes[0].rankChange, u.drivers[0].driver])
 * // => [['1', -6, -1, 'A'], ['2', 6, 1, 'A']]
 * c.units[1].drivers[0].contributions.map((x) => [x.child, x.weight, x.delta, x.contribution])
 * // => [['A', 0.5, 30, 15], ['B', 0.5, -18, -9]]
 */
export function compareResults(
  from: ResultsTableLike,
  to: ResultsTableLike,
  nodes: readonly WeightedNode[],
): BuildComparison {
  checkTable(from, 'from');
  checkTable(to, 'to');
  const cf = columns(from);
  const ct = columns(to);
  const aggregates = from.header
    .slice(3)
    .filter((h) => !h.endsWith('_rank') && cf.has(`${h}_rank`) && ct.has(h) && ct.has(`${h}_rank`));
  const inTable = new Set(aggregates);
  const children = new Map<string, WeightedNode[]>();
  for (const n of nodes) {
    if (n.parent === null || !inTable.has(n.code) || !inTable.has(n.parent)) continue;
    const list = children.get(n.parent) ?? [];
    list.push(n);
    children.set(n.parent, list);
  }
  const rowsTo = new Map(to.rows.map((r) => [String(r[0]), r]));
  const rowsFrom = new Map(from.rows.map((r) => [String(r[0]), r]));
  const units: UnitComparison[] = [];
  for (const [code, rf] of rowsFrom) {
    const rt = rowsTo.get(code);
    if (!rt) continue;
    const changes: ScoreChange[] = aggregates.map((a) => {
      const f = num(rf[cf.get(a)!]);
      const t = num(rt[ct.get(a)!]);
      const rkf = num(rf[cf.get(`${a}_rank`)!]);
      const rkt = num(rt[ct.get(`${a}_rank`)!]);
      return {
        code: a,
        from: f,
        to: t,
        delta: f === null || t === null ? null : t - f,
        rankFrom: rkf,
        rankTo: rkt,
        rankChange: rkf === null || rkt === null ? null : rkf - rkt,
      };
    });
    const byCode = new Map(changes.map((c) => [c.code, c]));
    const drivers: ChangeDriver[] = [];
    for (const a of aggregates) {
      const kids = children.get(a);
      const parentDelta = byCode.get(a)!.delta;
      if (!kids || parentDelta === null) continue;
      const usable = kids.filter((k) => byCode.get(k.code)!.delta !== null && Number.isFinite(k.weight));
      const total = usable.reduce((s, k) => s + k.weight, 0);
      if (usable.length === 0 || total <= 0) continue;
      const contributions = usable
        .map((k) => {
          const delta = byCode.get(k.code)!.delta!;
          const weight = k.weight / total;
          return { child: k.code, weight, delta, contribution: weight * delta };
        })
        .sort((x, y) => Math.abs(y.contribution) - Math.abs(x.contribution) || (x.child < y.child ? -1 : 1));
      const sign = Math.sign(parentDelta);
      const driver = sign === 0 ? null : (contributions.find((c) => Math.sign(c.contribution) === sign)?.child ?? null);
      drivers.push({ code: a, delta: parentDelta, contributions, driver });
    }
    units.push({ unit: code, name: { zh: String(rf[1] ?? ''), en: String(rf[2] ?? '') }, changes, drivers });
  }
  const indexMove = (u: UnitComparison) => Math.abs(u.changes[0]?.rankChange ?? 0);
  units.sort((x, y) => indexMove(y) - indexMove(x) || (x.unit < y.unit ? -1 : 1));
  return {
    aggregates,
    index: aggregates[0] ?? null,
    units,
    onlyFrom: [...rowsFrom.keys()].filter((k) => !rowsTo.has(k)),
    onlyTo: [...rowsTo.keys()].filter((k) => !rowsFrom.has(k)),
  };
}

/**
 * Compare two editions of one project as the actor: both are read through `store.edition`, so a draft
 * is compared only by those who may see it (an unknown or hidden edition is E_NOT_FOUND). The weights
 * are those the newer (`to`) build used when it recorded its framework, else the stored framework's.
 * @example
 * import { Store } from './store.ts';
 * import { systemPrincipal } from './principal.ts';
 * const store = await Store.open({ sqliteFile: ':memory:' });
 * const cli = systemPrincipal('doc');
 * const nodes = [{ code: 'I', parent: null, level: 2, kind: 'aggregate', name: {}, weight: 1, direction: 1 }];
 * const p = await store.saveProject(cli, { slug: 'p', name: 'P', projectFile: 'project.yaml', files: [], nodes,
 *   units: [], values: [] });
 * const header = ['code', 'name_zh', 'name_en', 'I', 'I_rank'];
 * const results = (s: number) => ({ header, rows: [['1', '', '', s, 1]] });
 * const a = await store.createEdition(cli, p.id, { name: 'a', results: results(40), fingerprint: 'a' });
 * const b = await store.createEdition(cli, p.id, { name: 'b', results: results(42.5), fingerprint: 'b' });
 * const compared = await compareEditions(store, cli, a.id, b.id);
 * compared.comparison.units[0].changes[0].delta // => 2.5
 * await store.close();
 */
export async function compareEditions(
  store: Store,
  actor: Principal,
  fromId: number,
  toId: number,
): Promise<{
  from: { id: number; name: string; status: string };
  to: { id: number; name: string; status: string };
  comparison: BuildComparison;
}> {
  const from = await store.edition(actor, fromId);
  const to = await store.edition(actor, toId);
  if (from.projectId !== to.projectId) {
    throw new CityIndexError({
      code: 'E_COMPARE_PROJECTS',
      message: `editions ${fromId} and ${toId} belong to different projects / 两个版本不属于同一项目`,
      field: 'to',
      expected: 'two editions of one project',
    });
  }
  const recorded = (to.results as { framework?: unknown } | undefined)?.framework;
  const nodes: WeightedNode[] = Array.isArray(recorded)
    ? (recorded as WeightedNode[])
    : (await store.framework(to.projectId)).map((n) => ({ code: n.code, parent: n.parent, weight: n.weight }));
  return {
    from: { id: from.id, name: from.name, status: from.status },
    to: { id: to.id, name: to.name, status: to.status },
    comparison: compareResults(from.results as ResultsTableLike, to.results as ResultsTableLike, nodes),
  };
}
