/**
 * The imputation methods: one file per method, listed once here. The spec's `ImputeMethodSchema` and
 * the step's dispatch are built from this list.
 */
import * as z from 'zod';
import { registryOf, schemasOf } from '../method.ts';
import { noImputation } from './none.ts';
import { meanImputation } from './mean.ts';
import { medianImputation } from './median.ts';
import { groupMeanImputation } from './group-mean.ts';
import { groupMedianImputation } from './group-median.ts';
import { rowMeanImputation } from './row-mean.ts';
import { rowMedianImputation } from './row-median.ts';
import { latestImputation } from './latest.ts';

/** Every imputation method, in the order of the documentation and the JSON Schema. */
export const IMPUTE_METHODS = [
  noImputation,
  meanImputation,
  medianImputation,
  groupMeanImputation,
  groupMedianImputation,
  rowMeanImputation,
  rowMedianImputation,
  latestImputation,
] as const;

/** The imputation methods by name. */
export const IMPUTE_REGISTRY = registryOf(IMPUTE_METHODS);

/** The member schemas of the imputation union, in registry order. */
export const IMPUTE_SCHEMAS = schemasOf(IMPUTE_METHODS);

/** One imputation method (discriminated on `method`). */
export const ImputeMethodSchema = z.discriminatedUnion('method', IMPUTE_SCHEMAS);
export type ImputeMethod = z.infer<typeof ImputeMethodSchema>;
/** The name of an imputation method. */
export type ImputeMethodName = ImputeMethod['method'];
