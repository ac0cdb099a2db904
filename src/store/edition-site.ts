/**
 * The public site's data of a published edition: the stored project's files assembled as for a build,
 * with the edition's frozen raw data and spec in place of today's (buildEdition keeps them), run with
 * its analyses by the same use case as `export-site` (`siteArtifacts`), its case library and
 * project.zip read from the stored files. The run must reproduce the edition: its scores' fingerprint
 * is checked against the one stored at build time, so the site can only show the edition's numbers.
 */
import { createHash } from 'node:crypto';
import { siteArtifacts, type SiteArtifactsOptions, type SiteData } from '../app/site.ts';
import { nodeHost } from '../app/node-host.ts';
import type { AppHost } from '../app/host.ts';
import { CityIndexError } from '../engine/core/errors.ts';
import { datasetOf } from '../engine/core/dataset.ts';
import type { BuildSpec } from '../engine/spec/spec.ts';
import type { BuildInput } from '../engine/pipeline/build.ts';
import { readCases } from '../formats/cases.ts';
import type { OutputFiles } from '../formats/output.ts';
import { joinPosix, memoryProjectFiles } from '../formats/project-files.ts';
import { fingerprint, type ResultsTable } from '../formats/results.ts';
import type { CaseLogInputs } from './caselog-build.ts';
import type { FrozenInputs } from './edition.ts';
import { requireRole, rolesWith, systemPrincipal, type Principal } from './principal.ts';
import { loadStoredProject } from './project-io.ts';
import type { Edition, ProjectInfo, Store } from './store.ts';

/** What the site keeps of an edition's results (older editions have no frozen inputs or spec). */
interface FrozenResults {
  inputs?: FrozenInputs;
  spec?: BuildSpec;
  /** The case-log batches the KPI indicators came from (older editions: none recorded, the stored files). */
  caselogs?: CaseLogInputs;
}

function notFrozen(edition: Edition, expected: string): CityIndexError {
  return new CityIndexError({
    code: 'E_EDITION_NOT_FROZEN',
    message: `edition "${edition.name}" (${edition.id}) cannot be shown on the site / 该版本无法在网站显示`,
    field: 'results',
    expected,
  });
}

/** The frozen raw data as a Dataset over the stored project's units and codes, or a located error. */
function frozenRaw(edition: Edition, frozen: FrozenInputs, units: readonly string[], codes: readonly string[]) {
  const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
  const size = units.length * codes.length;
  if (!same(frozen.unitCodes, units) || !same(frozen.codes, codes) || frozen.values.length !== size)
    throw notFrozen(edition, 'frozen inputs with the stored project’s units and indicators');
  return datasetOf(
    [...units],
    [...codes],
    Float64Array.from(frozen.values, (v) => (v === null ? NaN : v)),
  );
}

/**
 * Change over time across the published editions up to `upTo` (oldest first): each edition's index score and
 * rank per unit from its stored results table; undefined with fewer than two. Each edition normalises within
 * itself, so the site says to compare ranks across editions, not scores.
 * @example // no-run: needs a store with published editions (tests/server/edition-site.test.ts)
 * const change = await editionChange(store, project, 7);
 */
export async function editionChange(
  store: Store,
  project: ProjectInfo,
  upTo: number,
): Promise<SiteData['change'] | undefined> {
  const system = systemPrincipal('site');
  const listed = (await store.listEditions(system, project.id)).filter((e) => e.status === 'published' && e.id <= upTo);
  if (listed.length < 2) return undefined;
  const tables: Array<ResultsTable & { name: string }> = [];
  for (const e of listed) {
    const r = (await store.edition(system, e.id)).results as Partial<ResultsTable> | undefined;
    if (!r?.header || !r.rows) continue;
    tables.push({ name: e.name, header: r.header, rows: r.rows });
  }
  const latest = tables[tables.length - 1];
  // the index is the first score column of the results table (code, name_zh, name_en, then the index)
  const code = latest?.header[3];
  if (!code || tables.length < 2) return undefined;
  const units = latest.rows.map((r) => String(r[0]));
  const pick = (t: (typeof tables)[number], column: string) => {
    const col = t.header.indexOf(column);
    const byUnit = new Map(t.rows.map((r) => [String(r[0]), r[col]]));
    return units.map((u) => {
      const v = col < 0 ? undefined : byUnit.get(u);
      return typeof v === 'number' && Number.isFinite(v) ? v : null;
    });
  };
  return {
    code,
    periods: tables.map((t) => t.name),
    relativeScores: true,
    units,
    scores: tables.map((t) => pick(t, code)),
    ranks: tables.map((t) => pick(t, `${code}_rank`)),
  };
}

/** What an edition's rebuild reads: the stored project with the frozen raw data, and a host over its files. */
interface EditionSource {
  loaded: Awaited<ReturnType<typeof loadStoredProject>>['project'];
  input: BuildInput;
  spec: BuildSpec;
  host: AppHost;
  /** The stored project's files as the rebuild reads them (KPI files of the edition's batches laid over). */
  files: ReadonlyMap<string, Uint8Array>;
}

/** The stored project of `edition` with its frozen raw data and spec; the caller has authorised reading it. */
async function editionSource(
  store: Store,
  project: ProjectInfo,
  edition: Edition,
  base: AppHost,
): Promise<EditionSource> {
  const results = (edition.results ?? {}) as FrozenResults;
  if (!results.inputs || !results.spec) throw notFrozen(edition, 'an edition built with its frozen inputs and spec');
  // the KPI pages from the very batches the edition read (E_EDITION_MISMATCH when one is gone)
  const { project: loaded, files } = await loadStoredProject(store, systemPrincipal('site'), project, {
    caselogs: results.caselogs ?? [],
  });
  const raw = loaded.input.raw;
  const input = { ...loaded.input, raw: frozenRaw(edition, results.inputs, raw.unitCodes, raw.codes) };
  // files the project names outside its folder are reachable through its allowedRoots:, as on disk
  const roots = (loaded.project as { allowedRoots?: unknown }).allowedRoots;
  const source = memoryProjectFiles(files).withRoots(
    Array.isArray(roots) ? roots.filter((r): r is string => typeof r === 'string') : [],
  );
  const prefix = `${loaded.dir}/`;
  const stored = (path: string): Uint8Array => {
    const key = path.startsWith(prefix) ? joinPosix(path.slice(prefix.length)) : undefined;
    const bytes = key === undefined ? undefined : files.get(key);
    if (!bytes) throw new CityIndexError({ code: 'E_FILE', message: 'not a stored file / 非已存文件', file: path });
    return bytes;
  };
  const host: AppHost = {
    ...base,
    // the case library, the case logs' KPI pages (kpi/<log>/kpis.csv) and project.zip come from the stored
    // files, never the disk
    loadCases: (folder, dir) => readCases(source, dir === loaded.dir || dir === undefined ? joinPosix(folder) : folder),
    readBytes: async (path) => stored(path),
    readText: async (path) => new TextDecoder('utf-8', { fatal: true }).decode(stored(path)),
  };
  return { loaded, input, spec: results.spec, host, files };
}

/** SHA-256 over a file set (paths in order, each with its length and bytes): the rebuild's every input. */
function filesDigest(files: ReadonlyMap<string, Uint8Array>): string {
  const hash = createHash('sha256');
  for (const [path, bytes] of [...files].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)))
    hash.update(`${path.length}:${path}${bytes.length}:`).update(bytes);
  return hash.digest('hex');
}

/**
 * Run `edition` from its source with the project's analyses (`siteArtifacts`), and check the scores
 * against the edition's fingerprint (E_EDITION_MISMATCH: the stored files changed since).
 */
async function runEdition(
  store: Store,
  project: ProjectInfo,
  edition: Edition,
  src: EditionSource,
  options: SiteArtifactsOptions,
): Promise<{ site: SiteData; files: OutputFiles }> {
  const change = await editionChange(store, project, edition.id);
  const { run, site, files } = await siteArtifacts(
    {
      ...src.loaded,
      input: src.input,
      spec: src.spec,
      project: { ...src.loaded.project, series: undefined, edition: edition.name },
    },
    { ...options, host: src.host, ...(change && { change }) },
  );
  const built = fingerprint(run.build.results.scores.values);
  if (built !== edition.fingerprint) {
    throw new CityIndexError({
      code: 'E_EDITION_MISMATCH',
      message: `edition "${edition.name}" does not rebuild to its stored results / 版本重建结果与存档不符`,
      field: 'fingerprint',
      expected: edition.fingerprint,
    });
  }
  return { site, files };
}

/**
 * The site data files (`data/…`, `downloads/…`, as `siteArtifacts` makes them) of a published edition.
 * Refuses a draft, an edition without frozen inputs (made before they were kept), and a run whose
 * scores differ from the edition's fingerprint (E_EDITION_MISMATCH: the stored files changed since).
 * @example // no-run: builds a project with its analyses and report (seconds); see tests/server/edition-site.test.ts
 * const files = await editionSiteFiles(store, project, 1);
 * files.has('data/site-data.js') // => true
 */
export async function editionSiteFiles(
  store: Store,
  project: ProjectInfo,
  editionId: number,
  options: SiteArtifactsOptions = {},
): Promise<OutputFiles> {
  const edition = await store.edition(systemPrincipal('site'), editionId);
  if (edition.status !== 'published' || edition.projectId !== project.id)
    throw notFrozen(edition, 'a published edition of this project');
  const src = await editionSource(store, project, edition, options.host ?? nodeHost);
  return (await runEdition(store, project, edition, src, options)).files;
}

/** Site data of editions per store (newest few; keyed by edition, fingerprint and the project files' digest). */
const siteDataCache = new WeakMap<Store, Map<string, Promise<SiteData>>>();
const SITE_DATA_KEEP = 4;

/**
 * The site data (`SiteData`: results, analyses such as the rank intervals, the weights the live
 * re-weighting varies) of an edition, for signed-in staff and readers (the roles that read drafts; the
 * public has the published edition's on the site), rebuilt from its frozen inputs and spec with the
 * project's analyses, without the downloads, once per edition (cached per store). E_NOT_FOUND for an
 * edition of another project or one the actor may not read;
 * E_EDITION_NOT_FROZEN for one made before inputs were kept; E_EDITION_MISMATCH when it no longer
 * rebuilds to its stored scores.
 * @example // no-run: builds a project with its analyses (seconds); see tests/server/edition-analysis.test.ts
 * const site = await editionSiteData(store, author, project, 2);
 * Object.keys(site.intervals ?? {}).length // => 100
 */
export async function editionSiteData(
  store: Store,
  actor: Principal,
  project: ProjectInfo,
  editionId: number,
  options: SiteArtifactsOptions = {},
): Promise<SiteData> {
  requireRole(actor, rolesWith('readDrafts'), "read an edition's analyses");
  const edition = await store.edition(actor, editionId);
  if (edition.projectId !== project.id)
    throw new CityIndexError({
      code: 'E_NOT_FOUND',
      message: `no edition ${editionId} (or you may not see it) / 找不到版本`,
      field: 'edition',
    });
  const src = await editionSource(store, project, edition, options.host ?? nodeHost);
  const cache = siteDataCache.get(store) ?? new Map<string, Promise<SiteData>>();
  siteDataCache.set(store, cache);
  // an edition never changes; its analyses depend only on the stored project's files besides it
  const key = `${project.id}:${edition.id}:${edition.fingerprint}:${filesDigest(src.files)}`;
  let site = cache.get(key);
  if (!site) {
    // one run per edition however many ask at once; a failed run is not kept
    site = runEdition(store, project, edition, src, { ...options, downloads: false }).then((r) => r.site);
    cache.set(key, site);
    if (cache.size > SITE_DATA_KEEP) cache.delete(cache.keys().next().value as string);
    site.catch(() => {
      if (cache.get(key) === site) cache.delete(key);
    });
  }
  return site;
}
