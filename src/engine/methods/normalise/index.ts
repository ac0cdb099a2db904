/**
 * The normalisation methods: one file per method, listed once here. The spec's `NormaliseMethodSchema`
 * and the step's dispatch are built from this list, so adding a method is one file, its test and one
 * line below (see docs/adding-a-method.md).
 */
import * as z from 'zod';
import { registryOf, schemasOf } from '../method.ts';
import { noNormalisation } from './none.ts';
import { minMaxNormalisation } from './min-max.ts';
import { zScoreNormalisation } from './z-score.ts';
import { scaledNormalisation } from './scaled.ts';
import { rankNormalisation } from './rank.ts';
import { percentileRankNormalisation } from './percentile-rank.ts';
import { bordaNormalisation } from './borda.ts';
import { distanceToTargetNormalisation } from './distance-to-target.ts';
import { distanceToMaxNormalisation } from './distance-to-max.ts';
import { distanceToReferenceNormalisation } from './distance-to-reference.ts';
import { goalpostsNormalisation } from './goalposts.ts';
import { fractionOfMaxNormalisation } from './fraction-of-max.ts';

/** Every normalisation method, in the order of the documentation and the JSON Schema. */
export const NORMALISE_METHODS = [
  noNormalisation,
  minMaxNormalisation,
  zScoreNormalisation,
  scaledNormalisation,
  rankNormalisation,
  percentileRankNormalisation,
  bordaNormalisation,
  distanceToTargetNormalisation,
  distanceToMaxNormalisation,
  distanceToReferenceNormalisation,
  goalpostsNormalisation,
  fractionOfMaxNormalisation,
] as const;

/** The normalisation methods by name. */
export const NORMALISE_REGISTRY = registryOf(NORMALISE_METHODS);

/** The member schemas of the normalisation union, in registry order. */
export const NORMALISE_SCHEMAS = schemasOf(NORMALISE_METHODS);

/** One normalisation method (discriminated on `method`; COINr `n_*` functions). */
export const NormaliseMethodSchema = z.discriminatedUnion('method', NORMALISE_SCHEMAS);
export type NormaliseMethod = z.infer<typeof NormaliseMethodSchema>;
/** The name of a normalisation method. */
export type NormaliseMethodName = NormaliseMethod['method'];
