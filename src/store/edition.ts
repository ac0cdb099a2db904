/**
 * Build an edition from the store: the stored project with its approved values (`loadStoredProject`),
 * built by the same use case as the CLI (`runProject`, no analyses), stored as a draft edition whose
 * results are the ranking table, the results' fingerprint, the lineage of every approved value
 * the build used (unit, indicator → submission), the frozen raw data the build read (`inputs`:
 * what `serve`'s public site of a published edition is rebuilt from, edition-site.ts) and the stored
 * case-log batches its KPI indicators came from (`caselogs`).
 */
import { runProject } from '../app/project.ts';
import { fingerprint, resultsTable, tableToCsv } from '../formats/results.ts';
import type { Dataset } from '../engine/core/dataset.ts';
import type { BuildSpec } from '../engine/spec/spec.ts';
import type { CaseLogInputs } from './caselog-build.ts';
import type { Principal } from './principal.ts';
import { loadStoredProject } from './project-io.ts';
import type { Edition, ProjectInfo, Store } from './store.ts';

/** What a stored build gives: the results table and CSV, the fingerprint of its scores, the approvals used. */
export interface StoredBuild {
  table: ReturnType<typeof resultsTable>;
  csv: string;
  fingerprint: string;
  approved: Array<{ unit: string; indicator: string; submissionId: number; version: number }>;
  /** The framework the build ended with (code, parent, weight): what a comparison attributes changes by. */
  framework: Array<{ code: string; parent: string | null; weight: number }>;
  /** The raw data the build read (the stored files' values with the approved values laid over them). */
  inputs: FrozenInputs;
  /** The build spec the build ran. */
  spec: BuildSpec;
  /** The stored case-log batches whose KPIs the build read (`kind: kpi`); empty when none. */
  caselogs: CaseLogInputs;
}

/** Raw data as JSON: column-major values, `null` for a missing value (as the site's SerialDataset). */
export interface FrozenInputs {
  unitCodes: string[];
  codes: string[];
  values: Array<number | null>;
}

/**
 * The raw data a build read, frozen as JSON for an edition (NaN → null).
 * @example
 * frozenInputs({ unitCodes: ['a'], codes: ['x', 'y'], values: new Float64Array([1, NaN]) }).values // => [1, null]
 */
export function frozenInputs(raw: Pick<Dataset, 'unitCodes' | 'codes' | 'values'>): FrozenInputs {
  return {
    unitCodes: [...raw.unitCodes],
    codes: [...raw.codes],
    values: Array.from(raw.values, (v) => (Number.isNaN(v) ? null : v)),
  };
}

/** Build the stored project as it is now (authors and admins). */
export async function buildStoredProject(store: Store, actor: Principal, project: ProjectInfo): Promise<StoredBuild> {
  const { project: loaded, approved, caselogs } = await loadStoredProject(store, actor, project);
  // the build only: time series and analyses read further files through the host (not stored builds yet)
  const run = await runProject({ ...loaded, project: { ...loaded.project, series: undefined } }, { analyses: false });
  const table = resultsTable(run.build);
  const b = run.build;
  const finalFramework = b.steps.length ? b.steps[b.steps.length - 1].framework : b.input.framework;
  const framework = finalFramework.nodes.map((n) => ({ code: n.code, parent: n.parent, weight: n.weight }));
  const scores = fingerprint(b.results.scores.values);
  return {
    table,
    csv: tableToCsv(table),
    fingerprint: scores,
    approved,
    framework,
    inputs: frozenInputs(loaded.input.raw),
    spec: loaded.spec,
    caselogs,
  };
}

/** Build the stored project and keep it as a draft edition named `name`. */
export async function buildEdition(
  store: Store,
  actor: Principal,
  project: ProjectInfo,
  name: string,
): Promise<Edition> {
  const built = await buildStoredProject(store, actor, project);
  return store.createEdition(actor, project.id, {
    name,
    results: {
      header: built.table.header,
      rows: built.table.rows,
      approvedValues: built.approved,
      framework: built.framework,
      inputs: built.inputs,
      spec: built.spec,
      caselogs: built.caselogs,
    },
    fingerprint: built.fingerprint,
  });
}
