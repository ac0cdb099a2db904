/**
 * cityindex/analysis: what is computed from a build — the statistical audit, gaps and what-if,
 * uncertainty and sensitivity, regional inequality, spatial statistics, tiers, convergence and change
 * over time — and `runAnalyses`, which runs a project's `analyses:` block. Pure: the web runs them too.
 */
export {
  AnalysesConfigSchema,
  AuditConfigSchema,
  GapsConfigSchema,
  RegionalConfigSchema,
  SpatialConfigSchema,
  TiersConfigSchema,
  type AnalysesConfig,
  type GapsConfig,
  type RegionalConfig,
  type SpatialConfig,
  type TiersConfig,
} from './config.ts';
export {
  AnalysisOptionsSchema,
  planAnalysis,
  rankStatistics,
  runAnalysis,
  runParameters,
  type AnalysisOptions,
  type AnalysisPlan,
  type AnalysisResult,
  type Nominal,
  type RunFailure,
  type SensitivityResult,
  type SensitivityTarget,
  type UnitRankStats,
} from './uncertainty/analyse.ts';
export {
  ChangeConfigSchema,
  parseChangeConfig,
  runChange,
  type ChangeBeta,
  type ChangeComparison,
  type ChangeConfig,
  type ChangeConfigInput,
  type ChangePeriod,
  type ChangeResult,
  type RunChangeOptions,
} from './change.ts';
export {
  DEFAULT_NOISE_SETS,
  resolveInputs,
  UncertainInputSchema,
  type ResolvedInput,
  type UncertainInput,
} from './uncertainty/inputs.ts';
export {
  alignWeights,
  buildPointWeights,
  contiguityFromTopology,
  distanceBandWeights,
  distanceMatrix,
  EARTH_RADIUS_KM,
  fromNeighborLists,
  greatCircleDistance,
  inverseDistanceWeights,
  knnWeights,
  latticeWeights,
  parseGal,
  pointsFromUnits,
  spatialLag,
  transformWeights,
  weightsFromRows,
  type DistanceBandOptions,
  type DistanceMetric,
  type InverseDistanceOptions,
  type KnnOptions,
  type Point,
  type PointWeightsSpec,
  type SpatialWeights,
  type WeightsTransform,
} from './spatial/weights.ts';
export {
  LISA_LABEL_NAMES,
  lisaSignificance,
  localMoran,
  type LisaConvention,
  type LisaLabel,
  type LisaQuadrant,
  type LisaSignificance,
  type LocalMoranOptions,
  type LocalMoranPermutation,
  type LocalMoranResult,
} from './spatial/local-moran.ts';
export { assuncaoRate, moranRate, type MoranRateOptions } from './spatial/rates.ts';
export { SOBOL_MAX_DIMENSION, sobolPoints } from './uncertainty/sobol.ts';
export {
  indexGroups,
  partitionGroups,
  UNGROUPED,
  type GroupIndex,
  type GroupIndexOptions,
  type GroupLabel,
  type Partition,
} from './groups.ts';
export {
  adjustPValues,
  conditionalPermutationTest,
  globalPermutationTest,
  type LocalSimulationSummary,
  type PermutationOptions,
  type PValueAdjustment,
  type SimulationSummary,
} from './spatial/inference.ts';
export { auditBuild, type AuditOptions, type AuditResult } from './audit/index.ts';
export {
  auditCorrelations,
  correlation,
  correlationMatrix,
  type CorrelationFlag,
  type CorrelationMethod,
  type CorrelationOptions,
  type CorrelationsResult,
  type CrossLevelCorrelations,
  type FamilyCorrelation,
  type LevelCorrelations,
} from './audit/correlations.ts';
export {
  bestUnderBudget,
  smallestImprovements,
  type BudgetOptions,
  type BudgetPlan,
  type BudgetResult,
  type CeilingSource,
  type ImproveOptions,
  type ImproveResult,
  type IndicatorImprovement,
  type IndicatorRoom,
  type WhatIfOptions,
} from './whatif/improve.ts';
export {
  betaConvergence,
  rankChanges,
  scoreChanges,
  sigmaConvergence,
  type BetaConvergenceOptions,
  type BetaConvergenceResult,
  type Panel,
  type RankChange,
  type RankChangeOptions,
  type RankChangesResult,
  type ScoreChange,
  type ScoreChangesResult,
  type SigmaConvergenceOptions,
  type SigmaConvergenceResult,
  type SigmaPeriod,
} from './convergence.ts';
export {
  classify,
  fisherJenksBreaks,
  type BaseTierMethod,
  type ClassifyCommon,
  type ClassifyOptions,
  type ClassifyResult,
  type PeerBand,
  type TierClass,
  type TierMethod,
} from './tiers.ts';
export {
  coefficientOfVariation,
  dagum,
  gini,
  theil,
  type DagumGroup,
  type DagumPair,
  type DagumResult,
  type CvOptions as InequalityCvOptions,
  type InequalityOptions,
  type TheilGroup,
  type TheilOptions,
  type TheilResult,
} from './inequality.ts';
export {
  columnStats,
  indicatorStats,
  type IndicatorStats,
  type IndicatorStatsOptions,
  type IndicatorStatsResult,
} from './audit/indicator-stats.ts';
export {
  compareGroups,
  regionalSummary,
  type GroupComparison,
  type RegionalGroup,
  type RegionalSummaryOptions,
  type RegionalSummaryResult,
  type ScoreStats,
} from './regional.ts';
export { createRunner, type Runner, type RunnerOptions } from './uncertainty/runner.ts';
export { cronbachAlphaPairwise, groupCronbach, type GroupCronbach } from './audit/cronbach.ts';
export { geary, type GearyOptions, type GearyPermutation, type GearyResult } from './spatial/geary.ts';
export { getisOrd, type GetisOrdOptions, type GetisOrdResult, type HotSpotLabel } from './spatial/getis-ord.ts';
export { groupPca, pcaSummary, type GroupPca, type GroupPcaSkipped, type PcaSummary } from './audit/pca.ts';
export {
  leaveOneOut,
  type ElementRemoval,
  type LeaveOneOutOptions,
  type LeaveOneOutResult,
} from './audit/leave-one-out.ts';
export { moran, type MoranOptions, type MoranPermutation, type MoranResult } from './spatial/moran.ts';
export {
  parseAnalysesConfig,
  runAnalyses,
  type AnalysesResult,
  type RegionalGroupingResult,
  type RegionalResult,
  type SkippedStatistic,
  type SpatialResult,
  type TiersResult,
  type UnitGapsResult,
} from './run.ts';
export { reaggregate } from './audit/reaggregate.ts';
export { saltelliSample, sobolIndices, type SobolIndex, type SobolIndices } from './uncertainty/estimators.ts';
export { selectPeers, unitGaps, type Gap, type GapsOptions, type GapsResult, type PeerSpec } from './whatif/gaps.ts';
export {
  spilloverReport,
  type SpilloverOptions,
  type SpilloverPattern,
  type SpilloverReport,
  type SpilloverUnit,
} from './spatial/spillover.ts';
