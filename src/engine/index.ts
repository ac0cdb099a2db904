/**
 * cityindex engine: the public library API. Pure TypeScript, browser-safe (no Node APIs, no clock,
 * no global randomness). Layered entry points: kernels on typed arrays, steps on datasets, builds on specs.
 */
export * from './core/errors.ts';
export * from './core/dataset.ts';
export * from './core/framework.ts';
export * from './core/rng.ts';
export * from './stats/descriptive.ts';
export * from './build/spec.ts';
export * from './build/check-spec.ts';
export * from './build/build.ts';
export * from './build/lineage.ts';
export * from './build/describe.ts';
export * from './steps/denominate.ts';
export * from './steps/screen.ts';
export * from './steps/impute.ts';
export * from './steps/treat.ts';
export { minMax, zScore, scaled, borda, percentileRank, distanceToTarget, distanceToMax, distanceToReference, goalposts, fractionOfMax, normaliseColumn, normaliseStep, resolveNormaliseMethod, DEFAULT_NORMALISATION, rank as rankNormalise } from './steps/normalise.ts';
export type * from './steps/normalise.ts';
export * from './steps/weight.ts';
export * from './steps/aggregate.ts';
export * from './steps/ranks.ts';
export * from './aggregate/arithmetic.ts';
export * from './aggregate/geometric.ts';
export * from './aggregate/harmonic.ts';
export * from './aggregate/generalised.ts';
export * from './aggregate/mpi.ts';
export * from './aggregate/topsis.ts';
export * from './aggregate/bod.ts';
export * from './aggregate/copeland.ts';
export * from './weights/equal.ts';
export * from './weights/ahp.ts';
export * from './weights/entropy.ts';
export * from './weights/critic.ts';
export * from './weights/cv.ts';
export * from './weights/sd.ts';
export * from './weights/pca.ts';
export * from './weights/optimised.ts';
export * from './weights/combined.ts';
export * from './weights/noisy.ts';
export * from './cases.ts';
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
