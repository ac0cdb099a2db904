/**
 * The weighting methods: one file per method, listed once here. The spec's `WeightMethodSchema` and the
 * weight step's dispatch are built from this list (see docs/adding-a-method.md).
 */
import * as z from 'zod';
import { registryOf, schemasOf } from '../method.ts';
import { equalWeighting, EqualWeightingSchema } from './equal.ts';
import { manualWeighting, ManualWeightingSchema } from './manual.ts';
import { ahpWeighting, AhpWeightingSchema } from './ahp.ts';
import { entropyWeighting, EntropyWeightingSchema } from './entropy.ts';
import { criticWeighting, CriticWeightingSchema } from './critic.ts';
import { cvWeighting, CvWeightingSchema } from './cv.ts';
import { sdWeighting, SdWeightingSchema } from './sd.ts';
import { pcaWeighting, PcaWeightingSchema } from './pca.ts';
import { optimisedWeighting, OptimisedWeightingSchema } from './optimised.ts';
import { combinedWeighting, CombinedWeightingSchema } from './combined-weighting.ts';

/** Every weighting method, in the order of the documentation and the JSON Schema. */
export const WEIGHT_METHODS = [
  equalWeighting,
  manualWeighting,
  ahpWeighting,
  entropyWeighting,
  criticWeighting,
  cvWeighting,
  sdWeighting,
  pcaWeighting,
  optimisedWeighting,
  combinedWeighting,
] as const;

/** The weighting methods by name. */
export const WEIGHT_REGISTRY = registryOf(WEIGHT_METHODS);

/** The member schemas of the weighting union, in registry order. */
export const WEIGHT_SCHEMAS = schemasOf(WEIGHT_METHODS);

/**
 * One weighting method (discriminated on `method`; `combined` nests two). Built from the schemas
 * themselves rather than from `WEIGHT_METHODS`, so that TypeScript can follow `combined`'s recursion
 * (the registry test checks that the members are the registry's schemas, in its order).
 */
export const WeightMethodSchema = z.discriminatedUnion('method', [
  EqualWeightingSchema,
  ManualWeightingSchema,
  AhpWeightingSchema,
  EntropyWeightingSchema,
  CriticWeightingSchema,
  CvWeightingSchema,
  SdWeightingSchema,
  PcaWeightingSchema,
  OptimisedWeightingSchema,
  CombinedWeightingSchema,
]);
export type WeightMethod = z.infer<typeof WeightMethodSchema>;
/** The name of a weighting method. */
export type WeightMethodName = WeightMethod['method'];

/** The objective (data-driven) methods, which take a `scope`. */
export const ObjectiveWeightMethodSchema = z.discriminatedUnion('method', [
  EntropyWeightingSchema,
  CriticWeightingSchema,
  CvWeightingSchema,
  SdWeightingSchema,
  PcaWeightingSchema,
]);
export type ObjectiveWeightMethod = z.infer<typeof ObjectiveWeightMethodSchema>;
