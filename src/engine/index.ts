/**
 * cityindex: the engine's public API — build an index from a spec and keep every stage. Pure
 * TypeScript, browser-safe (no Node APIs, no clock, no global randomness). The layers have their own
 * entry points, also available here as namespaces:
 * `cityindex/kernels` (methods on arrays), `cityindex/spec` (schemas and method registries),
 * `cityindex/analysis`, `cityindex/survey`, `cityindex/series`, and `cityindex/browser` (the live path
 * for web pages). Files, reports and use cases: `cityindex/formats`, `cityindex/report`, `cityindex/app`.
 */
// the data model
export {
  bindColumns,
  cloneDataset,
  colIndex,
  column,
  createDataset,
  datasetOf,
  fromRows,
  getValue,
  nUnits,
  selectColumns,
  selectUnits,
  toRecords,
  type Dataset,
} from './core/dataset.ts';
export {
  checkFramework,
  childrenOf,
  indicatorNodes,
  nodeByCode,
  topLevel,
  type Framework,
  type FrameworkNode,
  type LocalText,
  type NodeKind,
  type SourceRef,
  type Unit,
} from './core/framework.ts';
export { CityIndexError, fail, formatIssue, formatIssues, type Issue } from './core/errors.ts';
export { createRng, type Rng } from './core/rng.ts';
// the spec
export {
  BuildSpecSchema,
  COINR_EXAMPLE_SPEC,
  StepSpecSchema,
  type BuildSpec,
  type StepKind,
  type StepSpec,
} from './spec/spec.ts';
export { checkSpec } from './spec/check-spec.ts';
// building
export {
  build,
  buildChecked,
  checkedSpec,
  firstChangedStep,
  prepareRaw,
  regenerate,
  regenerateChecked,
  stableStringify,
  stepDataset,
  type Build,
  type BuildInput,
  type BuildResults,
  type CheckedSpec,
  type StepRecord,
  type StepRecordOf,
} from './pipeline/build.ts';
export { runStep, stepContext, type StepContext, type StepOutcome } from './pipeline/run-step.ts';
export { explainScore, type IndicatorLineage, type ScoreExplanation, type StageValue } from './pipeline/lineage.ts';
export {
  effectiveWeights,
  ranksDataset,
  SCORE_TIE_TOLERANCE,
  tieToleranceOf,
  type EffectiveWeightsOptions,
} from './pipeline/ranks.ts';
export { describeStep } from './methods/describe.ts';
// the steps, each on a dataset
export { denominateStep, type DenominateDiagnostics } from './methods/denominate/step.ts';
export { screenStep, type ScreenDiagnostics } from './methods/screen/step.ts';
export { imputeStep, type ImputeDiagnostics } from './methods/impute/step.ts';
export { treatStep, type TreatDiagnostics } from './methods/treat/step.ts';
export { normaliseStep, type NormaliseDiagnostics } from './methods/normalise/step.ts';
export { weightStep, type WeightDiagnostics } from './methods/weight/step.ts';
export { aggregateStep, type AggregateDiagnostics } from './methods/aggregate/step.ts';
// the case library
export {
  searchCases,
  scoreCase,
  caseCitation,
  type Case,
  type CaseHit,
  type SearchCasesOptions,
} from './cases/search.ts';
// the layers, as namespaces
export * as kernels from './kernels.ts';
export * as spec from './spec/index.ts';
export * as analysis from './analysis/index.ts';
export * as survey from './survey/index.ts';
export * as series from './series/index.ts';
