/**
 * cityindex engine: the public library API. Pure TypeScript, browser-safe (no Node APIs, no clock,
 * no global randomness). Layered entry points: kernels on typed arrays, steps on datasets, builds on specs.
 */
export * from './core/errors.ts';
export * from './core/dataset.ts';
export * from './core/framework.ts';
export * from './core/rng.ts';
export * from './stats/descriptive.ts';
export * from './spec/spec.ts';
export * from './spec/check-spec.ts';
export * from './pipeline/build.ts';
export * from './pipeline/lineage.ts';
export * from './methods/describe.ts';
export * from './methods/denominate/step.ts';
export * from './methods/screen/step.ts';
export * from './methods/impute/step.ts';
export * from './methods/treat/step.ts';
export { minMax, zScore, scaled, borda, percentileRank, distanceToTarget, distanceToMax, distanceToReference, goalposts, fractionOfMax, normaliseColumn, normaliseStep, resolveNormaliseMethod, DEFAULT_NORMALISATION, rank as rankNormalise } from './methods/normalise/step.ts';
export type * from './methods/normalise/step.ts';
export * from './methods/weight/step.ts';
export * from './methods/aggregate/step.ts';
export * from './pipeline/ranks.ts';
export * from './methods/aggregate/arithmetic.ts';
export * from './methods/aggregate/geometric.ts';
export * from './methods/aggregate/harmonic.ts';
export * from './methods/aggregate/generalised.ts';
export * from './methods/aggregate/mpi.ts';
export * from './methods/aggregate/topsis.ts';
export * from './methods/aggregate/bod.ts';
export * from './methods/aggregate/copeland.ts';
export * from './methods/weight/equal.ts';
export * from './methods/weight/ahp.ts';
export * from './methods/weight/entropy.ts';
export * from './methods/weight/critic.ts';
export * from './methods/weight/cv.ts';
export * from './methods/weight/sd.ts';
export * from './methods/weight/pca.ts';
export * from './methods/weight/optimised.ts';
export * from './methods/weight/combined.ts';
export * from './methods/weight/noisy.ts';
export * from './cases/search.ts';
/** Time-series indices (namespaced: its audit of published tables is distinct from the statistical audit). */
export * as series from './series/index.ts';
export * from './analysis/groups.ts';
export { coefficientOfVariation, gini, theil, dagum } from './analysis/inequality.ts';
export type { InequalityOptions, CvOptions as InequalityCvOptions, TheilOptions, TheilGroup, TheilResult, DagumGroup, DagumPair, DagumResult } from './analysis/inequality.ts';
export * from './analysis/regional.ts';
export * from './analysis/tiers.ts';
export * from './analysis/convergence.ts';
export * from './analysis/spatial/index.ts';
export * from './analysis/config.ts';
export * from './analysis/run.ts';
export * from './analysis/audit/index.ts';
export * from './analysis/whatif/index.ts';
export * from './analysis/change.ts';
export * from './analysis/uncertainty/index.ts';
export * as survey from './survey/index.ts';
