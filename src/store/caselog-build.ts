/**
 * Case logs into a stored build. A project reads a case log's KPIs through a `kind: kpi` data source; when
 * that source has no `file:` of its own and the log has batches in the store (uploaded by its city, or
 * `cases-log import --store`), the KPI files (`kpi/<log>/kpis.csv`, `indicators.csv`, `lineage.json`, as
 * `cases-log kpi` writes them) are computed over the stored batches (`storedCaseLogKpis`: the same SQL per
 * KPI) and laid over the stored project's files; a log without batches keeps the files stored with the
 * project. The lineage names the batches. An edition records the batches it read (`CaseLogInputs`) and its
 * public site computes from exactly those, so a later upload does not change a published edition's pages.
 */
import { CityIndexError } from '../engine/core/errors.ts';
import { kpiCaseLogIds } from '../caselog/kpis-csv.ts';
import { kpiOutputFiles, sha256Text, type KpiInputReport } from '../caselog/outputs.ts';
import { parseProjectCaseLogs } from '../caselog/project.ts';
import { readPopulation } from '../caselog/run.ts';
import { memoryProjectFiles } from '../formats/project-files.ts';
import { listCaseLogBatches, storedCaseLogKpis, type CaseLogBatch } from './caselogs.ts';
import type { Principal } from './principal.ts';
import type { ProjectInfo, Store } from './store.ts';

/** The stored batches each case log's KPIs were computed from (oldest first), as an edition keeps them. */
export type CaseLogInputs = Array<{ log: string; batches: Array<{ id: number; sha256: string }> }>;

/**
 * KPI files already computed, per store: batches are only ever added and deleted, never changed, so the
 * files of a log's configuration, population and batch set stay valid; the newest few are kept in memory,
 * and every computed set in the database (`caselog_kpi_files`) for restarts and other server processes.
 */
const computed = new WeakMap<Store, Map<string, Record<string, string>>>();
const KEEP = 8;

/** KPI files kept in the database per project (the newest; older rows are dropped when one is added). */
const STORED_KEEP = 32;

/** The KPI files stored under `key`, if any (a restart or another server process computed them). */
async function storedKpiFiles(
  store: Store,
  projectId: number,
  key: string,
): Promise<Record<string, string> | undefined> {
  const row = await store.db
    .selectFrom('caselog_kpi_files')
    .select('files')
    .where('project_id', '=', projectId)
    .where('key', '=', key)
    .executeTakeFirst();
  return row ? (JSON.parse(row.files) as Record<string, string>) : undefined;
}

/**
 * Store computed KPI files under `key` (a concurrent writer of the same key wins; both wrote the same files),
 * then drop the project's rows beyond the newest 32.
 * @example // no-run: needs a store with a project (tests/store/caselog-build.test.ts)
 * await keepKpiFiles(store, project.id, 'boston-2015h1', key, { 'kpis.csv': '…' });
 */
export async function keepKpiFiles(
  store: Store,
  projectId: number,
  log: string,
  key: string,
  files: Record<string, string>,
): Promise<void> {
  await store.db
    .insertInto('caselog_kpi_files')
    .values({
      project_id: projectId,
      key,
      log_id: log,
      files: JSON.stringify(files),
      created_at: new Date().toISOString(),
    })
    .onConflict((oc) => oc.columns(['project_id', 'key']).doNothing())
    .execute();
  const old = await store.db
    .selectFrom('caselog_kpi_files')
    .select('key')
    .where('project_id', '=', projectId)
    .orderBy('created_at', 'desc')
    .orderBy('key')
    .offset(STORED_KEEP)
    .limit(1000)
    .execute();
  if (old.length)
    await store.db
      .deleteFrom('caselog_kpi_files')
      .where('project_id', '=', projectId)
      .where(
        'key',
        'in',
        old.map((r) => r.key),
      )
      .execute();
}

/** What the lineage says of the batches' input: their files and summed counts. */
function inputOf(batches: readonly CaseLogBatch[]): KpiInputReport {
  const add = (into: Record<string, number>, from: Record<string, number>) => {
    for (const [k, n] of Object.entries(from)) into[k] = (into[k] ?? 0) + n;
  };
  const rejectedByCode: Record<string, number> = Object.create(null);
  const excludedByRule: Record<string, number> = Object.create(null);
  let from: string | undefined;
  let to: string | undefined;
  for (const b of batches) {
    add(rejectedByCode, b.rejectedByCode);
    add(excludedByRule, b.excludedByRule);
    const r = b.receivedRange;
    if (r && (from === undefined || r[0] < from)) from = r[0];
    if (r && (to === undefined || r[1] > to)) to = r[1];
  }
  return {
    files: batches.flatMap((b) => b.files),
    records: batches.reduce((s, b) => s + b.records, 0),
    accepted: batches.reduce((s, b) => s + b.accepted, 0),
    rejected: batches.reduce((s, b) => s + b.rejected, 0),
    rejectedByCode: { ...rejectedByCode },
    excludedByRule: { ...excludedByRule },
    receivedRange: from !== undefined && to !== undefined ? [from, to] : null,
    batches: batches.map((b) => ({ id: b.id, city: b.city, sha256: b.sha256 })),
  };
}

function editionMismatch(log: string, id: number): CityIndexError {
  return new CityIndexError({
    code: 'E_EDITION_MISMATCH',
    message:
      `case-log batch ${id} of ${log}, which this edition was built from, is no longer stored (or changed) / ` +
      '该版本所用的工单日志批次已不在库中',
    field: 'caselogs',
    expected: 'the batches the edition recorded',
  });
}

/**
 * The stored project's files with the KPI files of every `kind: kpi` log that has stored batches computed
 * from them, and which batches each log used. `pinned` (an edition's record) uses exactly those batches —
 * E_EDITION_MISMATCH when one is gone — and leaves a log it does not list on its stored files. `reused`: the
 * logs whose files were computed before for the same batches, by this process or one sharing the database
 * (nothing queried again).
 * @example // no-run: needs a store with a project and case-log batches (tests/store/caselog-build.test.ts)
 * const { caselogs } = await withStoredCaseLogKpis(store, admin, project, await store.projectFiles(admin, project.id));
 * caselogs[0].log // => 'boston-2015h1'
 */
export async function withStoredCaseLogKpis(
  store: Store,
  actor: Principal,
  project: Pick<ProjectInfo, 'id' | 'projectFile'>,
  files: ReadonlyMap<string, Uint8Array>,
  pinned?: CaseLogInputs,
): Promise<{ files: Map<string, Uint8Array>; caselogs: CaseLogInputs; reused: string[] }> {
  const out = new Map(files);
  const bytes = files.get(project.projectFile);
  if (!bytes) return { files: out, caselogs: [], reused: [] };
  const { logs, data } = parseProjectCaseLogs(bytes, project.projectFile);
  const ids = kpiCaseLogIds(data, { defaultFileOnly: true }).filter((id) => logs.some((l) => l.id === id));
  if (!ids.length || (pinned && !pinned.length)) return { files: out, caselogs: [], reused: [] };
  const stored = (await listCaseLogBatches(store, actor, project.id)).sort((a, b) => a.id - b.id);
  const caselogs: CaseLogInputs = [];
  const reused: string[] = [];
  const enc = new TextEncoder();
  const cache = computed.get(store) ?? new Map<string, Record<string, string>>();
  computed.set(store, cache);
  // a stored project's paths are relative to its root, where its project file is (as edition-site.ts reads them)
  const source = memoryProjectFiles(out);
  for (const id of ids) {
    const log = logs.find((l) => l.id === id)!;
    let batches = stored.filter((b) => b.log === id);
    const pin = pinned?.find((c) => c.log === id);
    if (pinned) {
      if (!pin) continue;
      for (const p of pin.batches)
        if (!batches.some((b) => b.id === p.id && b.sha256 === p.sha256)) throw editionMismatch(id, p.id);
      batches = batches.filter((b) => pin.batches.some((p) => p.id === b.id));
    }
    if (!batches.length) continue;
    const population = await readPopulation(source, log);
    const key = sha256Text(
      JSON.stringify([project.id, log, [...(population ?? [])], batches.map((b) => [b.id, b.sha256])]),
    );
    let written = cache.get(key) ?? (await storedKpiFiles(store, project.id, key));
    if (written) reused.push(id);
    else {
      const r = await storedCaseLogKpis(store, actor, project.id, {
        log: id,
        batches: batches.map((b) => b.id),
        ...(population ? { population } : {}),
      });
      written = kpiOutputFiles(log, inputOf(batches), r.kpis, `store (${r.engine})`);
      await keepKpiFiles(store, project.id, id, key, written);
    }
    cache.set(key, written);
    if (cache.size > KEEP) cache.delete(cache.keys().next().value as string);
    for (const [name, text] of Object.entries(written)) out.set(`kpi/${id}/${name}`, enc.encode(text));
    caselogs.push({ log: id, batches: batches.map((b) => ({ id: b.id, sha256: b.sha256 })) });
  }
  return { files: out, caselogs, reused };
}
