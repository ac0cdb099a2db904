/**
 * What a use case needs from where it runs, injected so that the CLI, the coming server and the
 * browser share the use cases: reading a project and its tables, building it with located errors,
 * and running an uncertainty analysis (worker threads in Node, one thread or a web worker elsewhere).
 * `node-host.ts` is the Node implementation; use cases load it only when no host is given.
 */
import type { LoadedProject } from '../formats/project.ts';
import type { Case } from '../engine/cases/search.ts';
import type { LoadedSurvey } from '../formats/survey.ts';
import type { LoadedSeriesProject, SeriesTable } from '../formats/series.ts';
import type { Build } from '../engine/pipeline/build.ts';
import type { AnalysisOptions, AnalysisResult } from '../engine/analysis/uncertainty/analyse.ts';
import type { Topology } from 'topojson-specification';

/** The environment of the use cases. */
export interface AppHost {
  /** A project from a path (folder, project file or variant file). */
  loadProject(path: string): Promise<LoadedProject>;
  /** Build a loaded project; build errors carry the project file and line. */
  buildProject(project: LoadedProject): Promise<Build>;
  /** A series table (CSV): `file`, relative to the folder `dir` when given. */
  loadSeriesTable(file: string, dir?: string): Promise<SeriesTable>;
  /** A series project: a folder with series.yaml or project.yaml (`series:`), or one series CSV. */
  loadSeriesProject(path: string): Promise<LoadedSeriesProject>;
  /** The survey configurations of a project folder (each `survey.yaml` under `surveys/`), as paths. */
  findSurveys(projectDir: string): Promise<string[]>;
  /** A survey: its configuration, questionnaires, responses and census margins, with its issues. */
  loadSurvey(configPath: string): Promise<LoadedSurvey>;
  /** The case library in a folder (Markdown files with front matter), relative to `dir` when given. */
  loadCases(folder: string, dir?: string): Promise<Case[]>;
  /** A text file (UTF-8); a file that cannot be read is an input error naming it. */
  readText(path: string): Promise<string>;
  /** A file's bytes (optional; the dashboard's project zip needs it). */
  readBytes?(path: string): Promise<Uint8Array>;
  /** The map whose polygons give contiguity weights (China's prefectures; optional for hosts without it). */
  readMap?(): Promise<Topology>;
  /** An uncertainty or sensitivity analysis of a project's nominal build, reporting runs done. */
  runUncertainty(
    project: LoadedProject,
    nominal: Build,
    options: AnalysisOptions,
    onProgress: (done: number, total: number) => void,
  ): Promise<AnalysisResult>;
}

/**
 * The given host, or the Node host (file system, worker threads), loaded on first use.
 * @example
 * const host = await resolveHost(undefined);
 * host.loadSeriesProject.name // => 'loadSeriesProject'
 */
export async function resolveHost(host: AppHost | undefined): Promise<AppHost> {
  return host ?? (await import('./node-host.ts')).nodeHost;
}
