/**
 * Uncertainty and sensitivity analysis (Saisana–Saltelli; COINr `get_sensitivity` with its flaws
 * fixed): typed uncertain inputs, Sobol'/Monte Carlo sampling, the compiled replication kernel,
 * Saltelli/Jansen indices with bootstrap intervals, rank statistics. See docs/uncertainty.md.
 */
export {
  UncertainInputSchema,
  DEFAULT_NOISE_SETS,
  resolveInputs,
  setAtPath,
  choiceIndex,
  rangeValue,
  decodeInput,
} from './inputs.ts';
export type { UncertainInput, ResolvedInput } from './inputs.ts';
export { sobolPoints, SOBOL_MAX_DIMENSION } from './sobol.ts';
export { saltelliSample, saltelliFromBase, sobolIndices } from './estimators.ts';
export type { SobolIndex, SobolIndices } from './estimators.ts';
export { createRunner, runSpec, excludeIndicators, failureReason } from './runner.ts';
export type { Runner, RunnerOptions } from './runner.ts';
export {
  AnalysisOptionsSchema,
  planAnalysis,
  nominalOf,
  runOrder,
  runChunk,
  assembleAnalysis,
  rankStatistics,
  runAnalysis,
  runParameters,
} from './analyse.ts';
export type {
  AnalysisOptions,
  AnalysisPlan,
  AnalysisResult,
  ChunkResult,
  Nominal,
  RunFailure,
  SensitivityResult,
  SensitivityTarget,
  UnitRankStats,
} from './analyse.ts';
