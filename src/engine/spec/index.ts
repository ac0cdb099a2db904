/**
 * cityindex/spec: the build spec — its zod schemas (validation, TypeScript types and the JSON Schema
 * in docs/project.schema.json), `checkSpec`, the registries that list every method of a family, and
 * COINr's example spec.
 */
export { ArithmeticAggregationSchema } from '../methods/aggregate/arithmetic.ts';
export { BodAggregationSchema } from '../methods/aggregate/bod.ts';
export { CopelandAggregationSchema } from '../methods/aggregate/copeland.ts';
export { GeneralisedAggregationSchema } from '../methods/aggregate/generalised.ts';
export { GeometricAggregationSchema } from '../methods/aggregate/geometric.ts';
export { HarmonicAggregationSchema } from '../methods/aggregate/harmonic.ts';
export { MpiAggregationSchema } from '../methods/aggregate/mpi.ts';
export { TopsisAggregationSchema } from '../methods/aggregate/topsis.ts';
export { NORMALISE_METHODS, NORMALISE_REGISTRY } from '../methods/normalise/index.ts';
export { IMPUTE_METHODS, IMPUTE_REGISTRY } from '../methods/impute/index.ts';
export { AGGREGATION_METHODS, AGGREGATION_REGISTRY } from '../methods/aggregate/index.ts';
export { WEIGHT_METHODS, WEIGHT_REGISTRY } from '../methods/weight/index.ts';
export { TREAT_METHODS, TREAT_REGISTRY, TREAT_TRANSFORMS, TRANSFORM_REGISTRY } from '../methods/treat/index.ts';
