/**
 * cityindex/browser: what a web page needs to re-run the real engine live — build and regenerate
 * from a spec validated once (`checkedSpec`; no zod while the reader moves a slider), the lineage of
 * a score, the uncertainty runner for rank bands, and a city's gaps and what-if. Pure; its bundle is
 * measured against a budget of 150 kB gzip (tests/engine-bundle.test.ts).
 */
export {
  buildChecked,
  checkedSpec,
  firstChangedStep,
  regenerateChecked,
  stepDataset,
  type Build,
  type BuildInput,
  type BuildResults,
  type CheckedSpec,
  type StepRecord,
} from './pipeline/build.ts';
export { withWeights, levelWeights, LIVE_WEIGHT_STEP } from './pipeline/reweight.ts';
export { explainScore, type IndicatorLineage, type ScoreExplanation, type StageValue } from './pipeline/lineage.ts';
export { effectiveWeights, ranksDataset, tieToleranceOf } from './pipeline/ranks.ts';
export { describeStep } from './methods/describe.ts';
export { createDataset, datasetOf, getValue, type Dataset } from './core/dataset.ts';
export { topLevel, type Framework, type FrameworkNode, type Unit } from './core/framework.ts';
export { CityIndexError, formatIssue, type Issue } from './core/errors.ts';
export type { BuildSpec, StepSpec } from './spec/spec.ts';
export { resolveInputs, type ResolvedInput, type UncertainInput } from './analysis/uncertainty/inputs.ts';
export { createRunner, type Runner, type RunnerOptions } from './analysis/uncertainty/runner.ts';
export { runAnalysis, type AnalysisOptions, type AnalysisResult } from './analysis/uncertainty/analyse.ts';
export { selectPeers, unitGaps, type GapsOptions, type GapsResult } from './analysis/whatif/gaps.ts';
export {
  bestUnderBudget,
  smallestImprovements,
  type ImproveOptions,
  type ImproveResult,
} from './analysis/whatif/improve.ts';
