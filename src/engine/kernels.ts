/**
 * cityindex/kernels: the numeric kernels on plain arrays — normalisation, outlier treatment,
 * imputation, aggregation and weighting methods, and descriptive statistics. Steps and builds call
 * them; the web calls them directly for previews. Each is documented where it is defined, with its
 * reference and an example.
 */
export { benefitOfDoubt, BOD_FRONTIER_TOLERANCE, type BodResult } from './methods/aggregate/bod.ts';
export { DegenerateColumnError } from './methods/normalise/definition.ts';
export {
  aggregateAhpMatrices,
  ahpWeights,
  checkAhpMatrix,
  RI_CHINESE,
  RI_SAATY,
  type AhpOptions,
  type AhpResult,
} from './methods/weight/ahp.ts';
export { arithmeticMean } from './methods/aggregate/arithmetic.ts';
export { borda } from './methods/normalise/borda.ts';
export {
  boxcox,
  checkSkewKurt,
  logCT,
  logCTOrig,
  logCTPlus,
  logNatural,
  winsorise,
  type SkewKurtCheck,
  type TransformName,
  type WinsorisedPoint,
  type WinsoriseOptions,
  type WinsoriseResult,
} from './methods/treat/step.ts';
export { combinedWeights, type CombinedOptions, type CombinedResult } from './methods/weight/combined.ts';
export { copeland, outrankingMatrix, type OutrankingResult } from './methods/aggregate/copeland.ts';
export {
  correlationBalance,
  optimiseWeights,
  projectToSimplex,
  type OptimiseOptions,
  type OptimiseResult,
} from './methods/weight/optimised.ts';
export {
  countAvailable,
  finite,
  kurt,
  max,
  mean,
  median,
  min,
  pearson,
  quantile,
  quantileSorted,
  rankAscending,
  rankAverage,
  rankDescending,
  sd,
  skew,
  spearman,
  variance,
} from './stats/descriptive.ts';
export { criticWeights, type CriticOptions, type CriticResult } from './methods/weight/critic.ts';
export { cvWeights, type CvOptions, type CvResult } from './methods/weight/cv.ts';
export { distanceToMax } from './methods/normalise/distance-to-max.ts';
export { distanceToReference } from './methods/normalise/distance-to-reference.ts';
export { distanceToTarget } from './methods/normalise/distance-to-target.ts';
export {
  entropyWeights,
  type EntropyOptions,
  type EntropyResult,
  type EntropyShift,
} from './methods/weight/entropy.ts';
export { equalWeights } from './methods/weight/equal.ts';
export { fractionOfMax } from './methods/normalise/fraction-of-max.ts';
export { generalisedMean, generalisedMeanProblem } from './methods/aggregate/generalised.ts';
export { geometricMean } from './methods/aggregate/geometric.ts';
export { goalposts } from './methods/normalise/goalposts.ts';
export { harmonicMean } from './methods/aggregate/harmonic.ts';
export { imputeColumnByGroup } from './methods/impute/group.ts';
export { imputeColumnMean } from './methods/impute/mean.ts';
export { imputeColumnMedian } from './methods/impute/median.ts';
export { imputeLatestColumn } from './methods/impute/latest.ts';
export { imputeRowBlock } from './methods/impute/row.ts';
export { minMax } from './methods/normalise/min-max.ts';
export { mpi, type MpiOptions, type MpiResult } from './methods/aggregate/mpi.ts';
export { noisyWeights } from './methods/weight/noisy.ts';
export { pcaWeights, varimax, type PcaOptions, type PcaResult, type PcaVariant } from './methods/weight/pca.ts';
export { percentileRank } from './methods/normalise/percentile-rank.ts';
export { rank as rankNormalise } from './methods/normalise/rank.ts';
export { scaled } from './methods/normalise/scaled.ts';
export { sdWeights, type SdOptions, type SdResult } from './methods/weight/sd.ts';
export { topsis, type TopsisOptions, type TopsisResult } from './methods/aggregate/topsis.ts';
export { zScore } from './methods/normalise/z-score.ts';
