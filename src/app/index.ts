/**
 * The application layer: the use cases that the CLI, the coming server and the tests share. Each takes
 * typed options (a project path or a loaded project, settings, `onEvent` for progress, an abort signal)
 * and returns a typed result with its files in memory; none prints, exits or writes files. A host
 * (`AppHost`) supplies file reading and the uncertainty runner; `nodeHost` is the default in Node.
 * Write artifacts with `writeArtifacts` (Node) or send them elsewhere.
 */
export type { AppEvent, UseCaseOptions } from './events.ts';
export type { AppHost } from './host.ts';
export {
  validateProject,
  runProject,
  runArtifacts,
  buildIndex,
  analyseIndex,
  parseFormats,
  selectAnalyses,
  FORMATS,
  ANALYSES,
  OUTPUT_NAMES,
  type Format,
  type ProjectSource,
  type ProjectUseCaseOptions,
  type ValidateResult,
  type RunProjectOptions,
  type ProjectRun,
  type BuildIndexOptions,
  type AnalyseIndexOptions,
  type IndexArtifacts,
} from './project.ts';
export { reportArtifacts, type ReportArtifactsOptions } from './report.ts';
export {
  formatAuditText,
  auditSeriesTable,
  auditSeriesFile,
  computeSeries,
  computeSeriesProject,
  type SeriesAuditOptions,
  type SeriesComputeOutput,
  type SeriesFileOptions,
  type SeriesProjectRun,
} from './series.ts';
export {
  blockingIssues,
  validateProjectSurveys,
  cleaningFiles,
  estimateFiles,
  cleanSurveys,
  estimateSurvey,
  estimateSurveys,
  ahpForm,
  expertPanel,
  runExpertPanel,
  type SurveyUseCaseOptions,
  type SurveyCheck,
  type SurveyCleaned,
  type SurveyEstimated,
  type AhpFormResult,
  type ExpertPanelResult,
  type ExpertPanelOptions,
  type ExpertPanelRun,
} from './survey.ts';
export { searchProjectCases, type SearchProjectCasesOptions } from './cases.ts';
export {
  siteData,
  siteArtifacts,
  type SiteArtifactsOptions,
  siteDataScript,
  serialDataset,
  pinyinOf,
  scriptJson,
  SITE_FORMAT,
  type SiteData,
  type SiteUnit,
  type SiteLevel,
  type SerialDataset,
} from './site.ts';
