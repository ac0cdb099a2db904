/**
 * The aggregation methods: one kernel file per method, each exporting its definition, listed once here.
 * The spec's `AggregationMethodSchema` and the step's dispatch are built from this list.
 */
import * as z from 'zod';
import { registryOf, schemasOf } from '../method.ts';
import { arithmeticAggregation } from './arithmetic.ts';
import { geometricAggregation } from './geometric.ts';
import { harmonicAggregation } from './harmonic.ts';
import { generalisedAggregation } from './generalised.ts';
import { mpiAggregation } from './mpi.ts';
import { topsisAggregation } from './topsis.ts';
import { bodAggregation } from './bod.ts';
import { copelandAggregation } from './copeland.ts';

/** Every aggregation method, in the order of the documentation and the JSON Schema. */
export const AGGREGATION_METHODS = [
  arithmeticAggregation,
  geometricAggregation,
  harmonicAggregation,
  generalisedAggregation,
  mpiAggregation,
  topsisAggregation,
  bodAggregation,
  copelandAggregation,
] as const;

/** The aggregation methods by name. */
export const AGGREGATION_REGISTRY = registryOf(AGGREGATION_METHODS);

/** One aggregation method (discriminated on `method`; COINr `a_*` functions and more). */
export const AggregationMethodSchema = z.discriminatedUnion('method', schemasOf(AGGREGATION_METHODS));
export type AggregationMethod = z.infer<typeof AggregationMethodSchema>;
/** The name of an aggregation method. */
export type AggregationMethodName = AggregationMethod['method'];
