/**
 * The index use cases: validate a project, run it (load → build → analyses → series), and produce
 * the files of `build` and `analyse` in memory. No printing, no exit codes, no file writing: events
 * go to `options.onEvent`, files come back as artifacts for a sink (`node-host.ts#writeArtifacts`).
 */
import type { LoadedProject } from '../formats/project.ts';
import type { Build } from '../engine/pipeline/build.ts';
import { CityIndexError, formatIssues, type Issue } from '../engine/core/errors.ts';
import { runAnalyses, type AnalysesResult } from '../engine/analysis/run.ts';
import type { AnalysesConfig } from '../engine/analysis/config.ts';
import { resultsTable, tableToCsv, buildRecord } from '../formats/results.ts';
import type { ExtraSheet } from '../formats/workbook.ts';
import { analysisSheets } from '../formats/analysis-tables.ts';
import { dataFlagsSheet } from '../formats/data-flags.ts';
import { toJson } from '../formats/json.ts';
import type { OutputFiles } from '../formats/output.ts';
import { seriesSheetRows, auditSheetRows } from '../formats/series.ts';
import type { ReportSeries } from '../report/context.ts';
import { checkAborted, emitterOf, type UseCaseOptions } from './events.ts';
import { resolveHost, type AppHost } from './host.ts';
import { computeSeries } from './series.ts';

/**
 * Output formats of `build`; csv, json and xlsx are always written. `xlsx-stages` adds a sheet per
 * stage (raw and each step's dataset) to results.xlsx, within its cell limit.
 */
export const FORMATS = ['csv', 'json', 'xlsx', 'xlsx-stages', 'html', 'pdf'] as const;
export type Format = (typeof FORMATS)[number];
/** Analyses that `--only` may name (the keys of a project's `analyses:` block). */
export const ANALYSES = ['audit', 'gaps', 'regional', 'spatial', 'tiers', 'change', 'uncertainty'] as const;
type AnalysisName = (typeof ANALYSES)[number];
const isAnalysisName = (s: string): s is AnalysisName => (ANALYSES as readonly string[]).includes(s);
const isFormat = (s: string): s is Format => (FORMATS as readonly string[]).includes(s);

/** Every name `build` or `analyse` may write: an existing output folder holding only these may be replaced. */
export const OUTPUT_NAMES: readonly string[] = [
  'results.csv',
  'results.xlsx',
  'build.json',
  'analysis.json',
  'report.html',
  'report.zh.html',
  'report.en.html',
  'report.pdf',
  'report.zh.pdf',
  'report.en.pdf',
];

/**
 * Parse a format list such as `html,pdf,xlsx`; csv, json and xlsx are always included.
 * @example [...parseFormats('html')] // => ['csv', 'json', 'xlsx', 'html']
 */
export function parseFormats(list: string | undefined): Set<Format> {
  const out = new Set<Format>(['csv', 'json', 'xlsx']);
  if (!list) return out;
  for (const f of list
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean)) {
    if (!isFormat(f)) {
      const expected = FORMATS.join(', ');
      throw new CityIndexError({ code: 'E_FORMAT', message: `unknown format "${f}"`, field: '--format', expected });
    }
    out.add(f);
  }
  return out;
}

/**
 * Keep only the analyses named in a list such as `tiers,spatial` (all declared ones when absent).
 * @example
 * import { loadProject } from '../formats/index.ts';
 * const { project } = await loadProject('examples/asem');
 * Object.keys(selectAnalyses(project.analyses!, 'tiers')) // => ['target', 'reference', 'tiers']
 */
export function selectAnalyses(settings: AnalysesConfig, only: string | undefined): AnalysesConfig {
  if (!only) return settings;
  const names = only
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
  for (const n of names) {
    if (!isAnalysisName(n)) {
      const expected = ANALYSES.join(', ');
      throw new CityIndexError({ code: 'E_OPTION', message: `unknown analysis "${n}"`, field: '--only', expected });
    }
  }
  const out: AnalysesConfig = { target: settings.target, reference: settings.reference };
  for (const n of names.filter(isAnalysisName)) {
    if (!settings[n]) {
      const message = `analysis "${n}" is not declared in project.yaml (analyses.${n})`;
      throw new CityIndexError({ code: 'E_OPTION', message, field: '--only' });
    }
    copyAnalysis(out, settings, n);
  }
  return out;
}

function copyAnalysis<K extends AnalysisName>(to: AnalysesConfig, from: AnalysesConfig, key: K): void {
  to[key] = from[key];
}

/** A project path, or a project already loaded (an upload, a database row, a test fixture). */
export type ProjectSource = string | LoadedProject;

/** Options of the project use cases. */
export interface ProjectUseCaseOptions extends UseCaseOptions {
  /** Where files are read from and uncertainty runs (default: the Node host). */
  host?: AppHost;
}

async function loaded(
  source: ProjectSource,
  host: AppHost,
  emit: ReturnType<typeof emitterOf>,
): Promise<LoadedProject> {
  if (typeof source !== 'string') return source;
  emit({ kind: 'info', message: `loading ${source}` });
  return host.loadProject(source);
}

/** What `validateProject` found. */
export interface ValidateResult {
  project: LoadedProject;
  build: Build;
  warnings: Issue[];
  summary: { units: number; indicators: number; notCollected: number; steps: number };
}

/**
 * Check a project: its files, framework, units, data and build spec, and the build itself (the steps'
 * own checks: group columns, geometric means of zeros, …). Throws a `CityIndexError` listing every problem.
 * The project's warnings are also sent as `warning` events before the build.
 * @example
 * const { summary } = await validateProject('examples/asem');
 * summary.units // => 51
 */
export async function validateProject(
  source: ProjectSource,
  options: ProjectUseCaseOptions = {},
): Promise<ValidateResult> {
  const emit = emitterOf(options);
  const host = await resolveHost(options.host);
  const project = typeof source === 'string' ? await host.loadProject(source) : source;
  // warnings first: they often explain a build error (e.g. a column ignored because of a typo)
  for (const w of project.warnings) emit({ kind: 'warning', message: formatIssues([w]), issues: [w] });
  checkAborted(options.signal);
  const build = await host.buildProject(project);
  for (const w of mostlyImputed(build)) emit({ kind: 'warning', message: formatIssues([w]), issues: [w] });
  const summary = {
    units: project.input.units.length,
    indicators: project.input.raw.codes.length,
    notCollected: project.gaps.length,
    steps: project.spec.steps.length,
  };
  return { project, build, warnings: project.warnings, summary };
}

/**
 * The build's warnings about indicators mostly made of imputed values (the impute step's `W_MOSTLY_IMPUTED`),
 * sent as `warning` events by `validateProject` and `runProject`.
 * @example
 * import { build } from '../engine/pipeline/build.ts';
 * import { loadProject } from '../formats/index.ts';
 * const project = await loadProject('examples/cdgi-2020');
 * mostlyImputed(build(project.input, project.spec)).map((w) => w.indicator) // => ['ADM_OSI_CITY']
 */
export function mostlyImputed(b: Build): Issue[] {
  const out: Issue[] = [];
  for (const s of b.steps)
    if (s.kind === 'impute') out.push(...s.diagnostics.warnings.filter((w) => w.code === 'W_MOSTLY_IMPUTED'));
  return out;
}

/** Options of `runProject`. */
export interface RunProjectOptions extends ProjectUseCaseOptions {
  /** Run only these analyses (a comma-separated list of `ANALYSES`). */
  only?: string;
  /** Run the project's analyses (default true). */
  analyses?: boolean;
}

/** A project run: the loaded project, its build, its analyses and time series when declared. */
export interface ProjectRun {
  project: LoadedProject;
  build: Build;
  analyses?: AnalysesResult;
  series?: ReportSeries;
}

/**
 * Load, build and (when declared) analyse a project and compute its time series (`series:`).
 * Analyses that cannot run are recorded in `analyses.errors`, not thrown. The uncertainty analysis
 * reports its runs through `onEvent` (`progress` events, then `progress-end`).
 * @example
 * const run = await runProject('examples/asem', { analyses: false });
 * run.build.results.indexCode // => 'Index'
 */
export async function runProject(source: ProjectSource, options: RunProjectOptions = {}): Promise<ProjectRun> {
  const emit = emitterOf(options);
  const host = await resolveHost(options.host);
  const project = await loaded(source, host, emit);
  for (const w of project.warnings) emit({ kind: 'warning', message: formatIssues([w]), issues: [w] });
  for (const s of project.surveys) {
    const simulated = s.simulated ? ' — 模拟数据 / SIMULATED responses: not a real result' : '';
    emit({ kind: 'info', message: `survey ${s.id} supplies ${s.indicators.join(', ')}${simulated}` });
  }
  const shape = `${project.input.units.length} units × ${project.input.raw.codes.length} indicators`;
  emit({ kind: 'info', message: `building: ${shape}, ${project.spec.steps.length} steps` });
  checkAborted(options.signal);
  const build = await host.buildProject(project);
  for (const w of mostlyImputed(build)) emit({ kind: 'warning', message: formatIssues([w]), issues: [w] });
  let analyses: AnalysesResult | undefined;
  if (options.analyses !== false && project.project.analyses) {
    checkAborted(options.signal);
    analyses = await analyse(project, build, selectAnalyses(project.project.analyses, options.only), host, options);
  }
  let series: ReportSeries | undefined;
  if (project.project.series) {
    checkAborted(options.signal);
    emit({ kind: 'info', message: 'computing the time series (series:)' });
    // the merged `series:` block of the project (variants inherit it through `extends`)
    const config = project.project.series;
    const table = await host.loadSeriesTable(config.file, project.dir);
    const auditTable = config.audit ? await host.loadSeriesTable(config.audit, project.dir) : undefined;
    const out = computeSeries({ dir: project.dir, config, table, ...(auditTable ? { auditTable } : {}) });
    const aggregate = out.aggregate?.series;
    series = { series: out.series, aggregate, audit: out.audit, note: config.note, file: config.file };
  }
  return { project, build, analyses, series };
}

async function analyse(
  project: LoadedProject,
  build: Build,
  settings: AnalysesConfig,
  host: AppHost,
  options: UseCaseOptions,
): Promise<AnalysesResult> {
  const emit = emitterOf(options);
  const names = Object.keys(settings).filter(isAnalysisName);
  emit({ kind: 'info', message: `analysing: ${names.join(', ') || '(none)'}` });
  const period = project.project.period !== undefined ? String(project.project.period) : undefined;
  const map = settings.spatial?.weights.method === 'contiguity' && host.readMap ? await host.readMap() : undefined;
  const analyses = runAnalyses(build, settings, { period, skipUncertainty: true, ...(map ? { map } : {}) });
  const u = settings.uncertainty;
  if (u) {
    checkAborted(options.signal);
    const what = `${u.mode ?? 'uncertainty'} analysis, N = ${u.N}, ${u.inputs.length} uncertain inputs`;
    emit({ kind: 'info', message: `uncertainty: ${what}` });
    const onProgress = (done: number, total: number): void => {
      emit({ kind: 'progress', task: 'uncertainty', done, total });
    };
    const seed = u.seed ?? build.spec.seed ?? 1;
    try {
      analyses.uncertainty = await host.runUncertainty(project, build, { ...u, seed }, onProgress);
    } catch (e) {
      if (!(e instanceof CityIndexError)) throw e;
      analyses.errors.push({ analysis: 'uncertainty', issues: e.issues });
    } finally {
      emit({ kind: 'progress-end', task: 'uncertainty' });
    }
  }
  for (const e of analyses.errors) {
    const message = `analysis "${e.analysis}" could not run:\n${formatIssues(e.issues)}`;
    emit({ kind: 'warning', message, issues: e.issues });
  }
  return analyses;
}

/**
 * The files every run yields, in memory: `results.csv`, `build.json`, `analysis.json` (when analysed)
 * and, with `workbook`, `results.xlsx` (results, method, weights, sources, the analyses and the series;
 * a sheet per stage with `stages`).
 * @example
 * const run = await runProject('examples/asem', { analyses: false });
 * [...runArtifacts(run, { workbook: false }).keys()] // => ['results.csv', 'build.json']
 */
export function runArtifacts(run: ProjectRun, options: { workbook: boolean; stages?: boolean }): OutputFiles {
  const { project, build, analyses, series } = run;
  const files: OutputFiles = new Map();
  files.set('results.csv', tableToCsv(resultsTable(build)));
  files.set('build.json', toJson(buildRecord(build, project)) + '\n');
  if (analyses) files.set('analysis.json', toJson(analyses) + '\n');
  const extra: ExtraSheet[] = analyses ? analysisSheets(build, analyses) : [];
  const flags = dataFlagsSheet(build, project);
  if (flags) extra.push(flags);
  if (series) {
    const note = series.note ? { note: series.note } : {};
    const all = series.aggregate ? [...series.series, series.aggregate] : series.series;
    extra.push(seriesSheetRows(all, { name: 'Series', ...note }));
    if (series.audit) extra.push(auditSheetRows(series.audit, { name: 'Series audit', ...note }));
  }
  if (options.workbook)
    files.set('results.xlsx', async () => {
      // exceljs loads only when a workbook is written (start-up of every other command stays light)
      const { workbookBytes } = await import('../formats/workbook.ts');
      return workbookBytes(build, project, extra, { stages: options.stages ?? false });
    });
  return files;
}

/** Options of `buildIndex`. */
export interface BuildIndexOptions extends ProjectUseCaseOptions {
  /** Formats to produce (see `parseFormats`; default csv, json, xlsx). */
  formats?: ReadonlySet<Format>;
  /** Run the project's analyses (default true). */
  analyses?: boolean;
}

/** A run and the files it yields. */
export interface IndexArtifacts {
  run: ProjectRun;
  files: OutputFiles;
}

/**
 * The `build` use case: run the project and produce its files (results, workbook, and the report in
 * both languages, and as PDF, when those formats are asked for).
 * @example
 * const { files } = await buildIndex('examples/asem');
 * [...files.keys()] // => ['results.csv', 'build.json', 'analysis.json', 'results.xlsx']
 */
export async function buildIndex(source: ProjectSource, options: BuildIndexOptions = {}): Promise<IndexArtifacts> {
  const formats = options.formats ?? parseFormats(undefined);
  const run = await runProject(source, options);
  const files = runArtifacts(run, { workbook: formats.has('xlsx'), stages: formats.has('xlsx-stages') });
  if (formats.has('html') || formats.has('pdf')) {
    checkAborted(options.signal);
    const pdf = formats.has('pdf');
    emitterOf(options)({ kind: 'info', message: `rendering the report${pdf ? ' (PDF with headless Chromium)' : ''}` });
    const { reportArtifacts } = await import('./report.ts'); // ECharts and the report load only when asked for
    for (const [name, content] of await reportArtifacts(run, { pdf })) files.set(name, content);
  }
  return { run, files };
}

/** Options of `analyseIndex`. */
export interface AnalyseIndexOptions extends ProjectUseCaseOptions {
  /** Run only these analyses (a comma-separated list of `ANALYSES`). */
  only?: string;
}

/**
 * The `analyse` use case: run the project's declared analyses and produce `analysis.json` and the
 * workbook with the analysis sheets. A project without an `analyses:` block is an input error.
 * @example
 * const { run } = await analyseIndex('examples/cdgi-2020', { only: 'tiers' });
 * run.analyses?.tiers?.counts.length // => 4
 */
export async function analyseIndex(source: ProjectSource, options: AnalyseIndexOptions = {}): Promise<IndexArtifacts> {
  const run = await runProject(source, options);
  if (!run.analyses) {
    const message = 'the project declares no analyses (add an analyses: block, or use build) / 项目未声明任何分析';
    throw new CityIndexError({ code: 'E_NO_ANALYSES', message, file: run.project.file, field: 'analyses' });
  }
  return { run, files: runArtifacts(run, { workbook: true }) };
}
