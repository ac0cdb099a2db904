/**
 * What the workbench's views read beside the submission-round API (a store extension; no new tables):
 * the data status of a round by city (`roundStatus`: how many values are draft, submitted, returned,
 * resubmitted, approved or missing), and one city's sheet (`unitSheet`: every indicator with its unit,
 * definition and source, the value of the last edition, this round's value with its status and comment,
 * and, for reviewers, outlier flags).
 *
 * "The last edition's value" is the value in the project as imported into the store (the project folder
 * whose build was published); a round's approval changes the current values, not this reference.
 *
 * Outlier flags (`outlierFlags`, pure): a value is flagged
 * - `range` when it lies outside the range [min, max] of the indicator over every city's last-edition value;
 * - `change` when its relative change against the last edition, (v − p) / |p|, is far from the other
 *   cities' relative changes in the round: a robust z-score 0.6745 · (x − median) / MAD above 3.5 in
 *   absolute value (Iglewicz–Hoaglin), when at least 5 other cities have a change and MAD > 0; with fewer,
 *   when the value moved by half its last value or more (|change| ≥ 0.5).
 * Flags use other cities' values, so only staff get them; a city officer's sheet has none.
 * Authorisation is here: every function takes the acting principal and checks it before reading.
 */
import type { Kysely } from 'kysely';
import { CityIndexError } from '../engine/core/errors.ts';
import type { FrameworkNode, SourceRef } from '../engine/core/framework.ts';
import { assembleProject } from '../formats/assemble.ts';
import { memoryProjectFiles } from '../formats/project-files.ts';
import { readXlsxTable } from '../formats/xlsx-table.ts';
import { hasRole, requireRole, systemPrincipal, type Principal } from './principal.ts';
import type { ProjectInfo, Store } from './store.ts';
import { requireRoundOfProject, roundValues, VALUE_STATUSES, type RoundValue } from './submission-flow.ts';

/** Counts of a city's values in a round: one per status, and the indicators without a value. */
export type StatusCounts = Record<(typeof VALUE_STATUSES)[number] | 'missing', number>;

/** One city's data status in a round. */
export interface UnitStatus {
  unit: string;
  name: { zh?: string; en?: string };
  counts: StatusCounts;
}

/** An indicator as the form and the review screen show it. */
export interface IndicatorInfo {
  code: string;
  name: { zh?: string; en?: string };
  /** Unit of measurement (as the framework gives it). */
  unit: string | null;
  /** What the indicator measures (the framework's notes). */
  definition: string | null;
  /** Where the value is expected to come from. */
  source: string | null;
  direction: 1 | -1;
  /** The dimension (parent) code. */
  parent: string | null;
}

/** Why a value is flagged for the reviewer. */
export type OutlierFlag =
  { kind: 'range'; min: number; max: number } | { kind: 'change'; change: number; z: number | null };

/** One row of a city's sheet. */
export interface SheetRow {
  indicator: IndicatorInfo;
  /** The last edition's value (null = missing). */
  previous: number | null;
  /** This round's value (null = nothing entered yet). */
  current: RoundValue | null;
  /** Outlier flags (staff only; empty for a city officer). */
  flags: OutlierFlag[];
}

/** The reference data of a project: indicators with metadata and every city's last-edition value. */
interface Baseline {
  indicators: IndicatorInfo[];
  /** indicator → unit → value (NaN = missing). */
  values: Map<string, Map<string, number>>;
}

/** The columns of migration 0002's `round_values` that these views read. */
interface RoundValuesDb {
  round_values: { round_id: number; unit_code: string; indicator: string; status: string; value: number | null };
}
const rounds = (store: Store) => store.db as unknown as Kysely<RoundValuesDb>;

const baselines = new WeakMap<Store, Map<number, Promise<Baseline>>>();

function sourceText(s: SourceRef | undefined): string | null {
  if (!s) return null;
  const parts = [s.name, s.year === undefined ? undefined : String(s.year)].filter(Boolean);
  return parts.length ? parts.join(', ') : null;
}

/** Assemble the stored project folder once per store and project (read as the system: callers check first). */
function baseline(store: Store, project: ProjectInfo): Promise<Baseline> {
  let perStore = baselines.get(store);
  if (!perStore) baselines.set(store, (perStore = new Map()));
  let p = perStore.get(project.id);
  if (!p) {
    p = (async () => {
      const files = await store.projectFiles(systemPrincipal('workbench'), project.id);
      const loaded = await assembleProject(memoryProjectFiles(files), {
        file: project.projectFile,
        dir: `store:${project.slug}`,
        readXlsx: readXlsxTable,
      });
      const meta = new Map<string, FrameworkNode>();
      for (const n of [...loaded.input.framework.nodes, ...loaded.gaps]) meta.set(n.code, n);
      const stored = (await store.framework(project.id)).filter((n) => n.kind === 'indicator');
      const indicators = stored.map((n): IndicatorInfo => {
        const m = meta.get(n.code);
        return {
          code: n.code,
          name: { ...n.name },
          unit: n.unit ?? m?.unit ?? null,
          definition: m?.notes ?? null,
          source: sourceText(m?.source),
          direction: n.direction === -1 ? -1 : 1,
          parent: n.parent,
        };
      });
      const raw = loaded.input.raw;
      const rows = raw.unitCodes.length;
      const values = new Map<string, Map<string, number>>();
      raw.codes.forEach((code, c) => {
        const byUnit = new Map<string, number>();
        raw.unitCodes.forEach((u, r) => byUnit.set(u, raw.values[c * rows + r]));
        values.set(code, byUnit);
      });
      return { indicators, values };
    })();
    p.catch(() => perStore.delete(project.id)); // a failed assembly is retried next time
    perStore.set(project.id, p);
  }
  return p;
}

/** Median of a non-empty list. */
function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * The robust z-score of `x` against a sample: 0.6745 · (x − median) / MAD (Iglewicz–Hoaglin); null when
 * the sample is empty or its MAD is 0.
 * @example robustZ(10, [1, 2, 3, 4, 5]) // => 4.7215
 * @example robustZ(3, [1, 1, 1]) // => null
 */
export function robustZ(x: number, sample: readonly number[]): number | null {
  if (sample.length === 0) return null;
  const med = median(sample);
  const mad = median(sample.map((v) => Math.abs(v - med)));
  return mad > 0 ? (0.6745 * (x - med)) / mad : null;
}

/** Cut-offs of the outlier flags (see the module comment). */
export const OUTLIER_RULES = { z: 3.5, minOthers: 5, fallbackChange: 0.5 } as const;

/**
 * The outlier flags of a value (pure): outside the last edition's range of the indicator over all
 * cities, and a relative change far from the other cities' (robust z > 3.5, or ≥ 50 % with fewer than 5
 * other cities).
 * @example outlierFlags(120, 100, [10, 50, 100], []) // => [{ kind: 'range', min: 10, max: 100 }]
 * @example outlierFlags(160, 100, [10, 200], [])[0] // => { kind: 'change', change: 0.6, z: null }
 * @example outlierFlags(105, 100, [10, 200], [0.01, 0.02, 0.03, 0.04, 0.05]) // => []
 * @example outlierFlags(150, 100, [10, 200], [0.01, 0.02, 0.03, 0.04, 0.05])[0].kind // => 'change'
 */
export function outlierFlags(
  value: number | null,
  previous: number | null,
  allPrevious: readonly number[],
  otherChanges: readonly number[],
): OutlierFlag[] {
  const flags: OutlierFlag[] = [];
  if (value === null || !Number.isFinite(value)) return flags;
  const finite = allPrevious.filter(Number.isFinite);
  if (finite.length) {
    const min = Math.min(...finite);
    const max = Math.max(...finite);
    if (value < min || value > max) flags.push({ kind: 'range', min, max });
  }
  if (previous !== null && Number.isFinite(previous) && previous !== 0) {
    const change = (value - previous) / Math.abs(previous);
    const others = otherChanges.filter(Number.isFinite);
    const z = others.length >= OUTLIER_RULES.minOthers ? robustZ(change, others) : null;
    const far = z !== null ? Math.abs(z) > OUTLIER_RULES.z : Math.abs(change) >= OUTLIER_RULES.fallbackChange;
    if (far) flags.push({ kind: 'change', change, z });
  }
  return flags;
}

function emptyCounts(): StatusCounts {
  return { draft: 0, submitted: 0, returned: 0, resubmitted: 0, approved: 0, missing: 0 };
}

/**
 * The data status of every city in a round (staff), or of the caller's own cities (a city officer):
 * per city the number of values in each status and the indicators still without a value.
 * @example
 * import { Store } from './store.ts';
 * const store = await Store.open({ sqliteFile: ':memory:' });
 * const project = { id: 1, slug: 'p', name: 'P', projectFile: 'project.yaml' };
 * roundStatus(store, { kind: 'anonymous' }, project, 1) // => throws E_UNAUTHENTICATED
 * await store.close();
 */
export async function roundStatus(
  store: Store,
  actor: Principal,
  project: ProjectInfo,
  roundId: number,
): Promise<{ indicators: number; units: UnitStatus[] }> {
  requireRole(actor, ['admin', 'author', 'reviewer', 'city'], 'read the data status');
  await requireRoundOfProject(store, roundId, project.id);
  const own = actor.kind === 'user' && actor.role === 'city' ? new Set(await store.citiesOf(actor, project.id)) : null;
  const indicators = new Set(
    (await store.framework(project.id)).filter((n) => n.kind === 'indicator').map((n) => n.code),
  );
  const units = (await store.units(project.id)).filter((u) => own === null || own.has(u.code));
  let q = rounds(store)
    .selectFrom('round_values')
    .select(['unit_code', 'indicator', 'status', 'value'])
    .where('round_id', '=', roundId);
  if (own !== null) q = q.where('unit_code', 'in', own.size ? [...own] : ['']);
  const rows = await q.execute();
  const byUnit = new Map<string, StatusCounts>();
  const filled = new Map<string, number>();
  for (const r of rows) {
    if (!indicators.has(r.indicator)) continue;
    const c = byUnit.get(r.unit_code) ?? emptyCounts();
    byUnit.set(r.unit_code, c);
    if ((VALUE_STATUSES as readonly string[]).includes(r.status)) c[r.status as keyof StatusCounts]++;
    if (r.value !== null) filled.set(r.unit_code, (filled.get(r.unit_code) ?? 0) + 1);
  }
  return {
    indicators: indicators.size,
    units: units.map((u) => {
      const counts = byUnit.get(u.code) ?? emptyCounts();
      counts.missing = indicators.size - (filled.get(u.code) ?? 0);
      return { unit: u.code, name: { ...u.name }, counts };
    }),
  };
}

/**
 * One city's sheet in a round (staff, or an officer of that city): every indicator of the framework with
 * its unit, definition and source, the last edition's value, this round's value (status, comment,
 * version) and, for staff only, the outlier flags.
 * @example
 * import { Store } from './store.ts';
 * const store = await Store.open({ sqliteFile: ':memory:' });
 * const project = { id: 1, slug: 'p', name: 'P', projectFile: 'project.yaml' };
 * unitSheet(store, { kind: 'anonymous' }, project, 1, '110100') // => throws E_UNAUTHENTICATED
 * await store.close();
 */
export async function unitSheet(
  store: Store,
  actor: Principal,
  project: ProjectInfo,
  roundId: number,
  unit: string,
): Promise<{ unit: string; rows: SheetRow[] }> {
  requireRole(actor, ['admin', 'author', 'reviewer', 'city'], 'read the values');
  await requireRoundOfProject(store, roundId, project.id);
  // roundValues checks that the actor may read this city
  const current = new Map((await roundValues(store, actor, roundId, unit)).map((v) => [v.indicator, v]));
  const base = await baseline(store, project);
  const staff = hasRole(actor, ['admin', 'author', 'reviewer']);
  const changes = new Map<string, number[]>();
  if (staff) {
    const others = await rounds(store)
      .selectFrom('round_values')
      .select(['unit_code', 'indicator', 'value'])
      .where('round_id', '=', roundId)
      .where('unit_code', '<>', unit)
      .where('status', 'in', ['submitted', 'resubmitted', 'approved'])
      .execute();
    for (const o of others) {
      const p = base.values.get(o.indicator)?.get(o.unit_code);
      if (o.value === null || p === undefined || !Number.isFinite(p) || p === 0) continue;
      const list = changes.get(o.indicator) ?? [];
      list.push((Number(o.value) - p) / Math.abs(p));
      changes.set(o.indicator, list);
    }
  }
  const rows = base.indicators.map((indicator): SheetRow => {
    const byUnit = base.values.get(indicator.code);
    const p = byUnit?.get(unit);
    const previous = p === undefined || !Number.isFinite(p) ? null : p;
    const cur = current.get(indicator.code) ?? null;
    const flags = staff
      ? outlierFlags(cur?.value ?? null, previous, [...(byUnit?.values() ?? [])], changes.get(indicator.code) ?? [])
      : [];
    return { indicator, previous, current: cur, flags };
  });
  if (rows.length === 0)
    throw new CityIndexError({
      code: 'E_NOT_FOUND',
      message: 'no indicators / 没有指标',
      unit,
      expected: 'a framework',
    });
  return { unit, rows };
}
