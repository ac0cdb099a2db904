/**
 * The build spec: an ordered list of steps, each `{ id, kind, options }` with plain-JSON options.
 * Methods are named data (discriminated unions on `method`) so a spec can be saved, diffed and replayed.
 * One zod schema per option type gives validation (with located messages), the TypeScript types
 * (`z.infer`) and the JSON Schema. Defaults follow COINr 1.1.14 where COINr has one (see each step module).
 */
import * as z from 'zod';
import { NORMALISE_SCHEMAS, NormaliseMethodSchema } from '../methods/normalise/index.ts';
import { AggregationMethodSchema } from '../methods/aggregate/index.ts';
import { IMPUTE_SCHEMAS, ImputeMethodSchema } from '../methods/impute/index.ts';
import { WeightMethodSchema } from '../methods/weight/index.ts';
import { TreatFallbackSchema, TreatMethodNameSchema } from '../methods/treat/index.ts';
import { SkewKurtThresholdsSchema } from '../methods/treat/check.ts';
import { WinsoriseTreatmentSchema } from '../methods/treat/winsorise.ts';
import { BoxcoxTreatmentSchema } from '../methods/treat/boxcox.ts';
import { code, finiteNumber as num, share } from './primitives.ts';

/**
 * A method union whose every member also takes a `perIndicator` map of methods (the step's options).
 * The members are the registry's strict schemas, extended; the type is the union with the map.
 */
function withPerIndicator<M extends z.ZodType>(members: readonly z.ZodObject[], method: M) {
  const extended = members.map((m) => m.extend({ perIndicator: z.record(code, method).optional() }).strict());
  const union = z.discriminatedUnion('method', extended as unknown as [z.ZodObject, ...z.ZodObject[]]);
  return union as unknown as z.ZodType<z.infer<M> & { perIndicator?: Record<string, z.infer<M>> }>;
}

// ---------- denominate ----------
/** Options of a `denominate` step (COINr `Denominate`). */
export const DenominateOptionsSchema = z
  .object({
    /** Per-indicator override; default: the framework's `denominator`/`scaleFactor`. */
    perIndicator: z
      .record(code, z.object({ denominator: code.nullable(), scaleFactor: num.optional() }).strict())
      .optional(),
  })
  .strict();
export type DenominateOptions = z.infer<typeof DenominateOptionsSchema>;

// ---------- screen ----------
/** Options of a `screen` step (COINr `Screen`). */
export const ScreenOptionsSchema = z
  .object({
    /** `byNA` (default), `byZeros`, `byNAandZeros`, or `none`. */
    by: z.enum(['byNA', 'byZeros', 'byNAandZeros', 'none']).optional(),
    /** Minimum share of available values per unit (COINr `dat_thresh`, default 2/3). */
    dataThreshold: share.optional(),
    /** Minimum share of non-zero values among available (COINr `nonzero_thresh`, default 0.05). */
    nonZeroThreshold: share.optional(),
    /** Forced inclusions/exclusions, applied after the rule. */
    force: z.array(z.object({ unit: code, include: z.boolean() }).strict()).optional(),
  })
  .strict();
export type ScreenOptions = z.infer<typeof ScreenOptionsSchema>;

// ---------- impute ----------
export { ImputeMethodSchema, type ImputeMethod } from '../methods/impute/index.ts';
/** Options of an `impute` step: a method plus optional per-indicator methods (COINr `Impute`). */
export const ImputeOptionsSchema = withPerIndicator(
  // `maxImputedShare` (0–1): an indicator with more of its values imputed is an error (above half: a warning)
  IMPUTE_SCHEMAS.map((m) => m.extend({ maxImputedShare: share.optional() })),
  ImputeMethodSchema,
) as z.ZodType<
  z.infer<typeof ImputeMethodSchema> & {
    perIndicator?: Record<string, z.infer<typeof ImputeMethodSchema>>;
    maxImputedShare?: number;
  }
>;
export type ImputeOptions = z.infer<typeof ImputeOptionsSchema>;

// ---------- treat ----------
export { TreatFallbackSchema, type TreatFallback } from '../methods/treat/index.ts';
/** The fields of one column's treatment: the method, each method's settings, the check and the fallback. */
const treatFields = {
  /** `winsorise` (COINr default), `log` (natural log of all values, needs > 0), `boxcox`, or `none`. */
  method: TreatMethodNameSchema.optional(),
  winmax: WinsoriseTreatmentSchema.shape.winmax,
  skewThreshold: SkewKurtThresholdsSchema.shape.skewThreshold,
  kurtThreshold: SkewKurtThresholdsSchema.shape.kurtThreshold,
  forceWinsorise: WinsoriseTreatmentSchema.shape.forceWinsorise,
  /** Transform applied to the original column if winsorising fails (COINr `f2`, default `logCT`). */
  fallback: TreatFallbackSchema.optional(),
  lambda: BoxcoxTreatmentSchema.shape.lambda,
};
/** One column's outlier treatment (COINr `Treat` `global_specs` / `indiv_specs` entry). */
export const TreatSpecSchema = z.object(treatFields).strict();
export type TreatSpec = z.infer<typeof TreatSpecSchema>;
/** Options of a `treat` step: the global treatment plus per-indicator overrides. */
export const TreatOptionsSchema = z
  .object({ ...treatFields, perIndicator: z.record(code, TreatSpecSchema).optional() })
  .strict();
export type TreatOptions = z.infer<typeof TreatOptionsSchema>;

// ---------- normalise ----------
export { NormaliseMethodSchema, type NormaliseMethod } from '../methods/normalise/index.ts';
/** Options of a `normalise` step: a method plus optional per-indicator methods (COINr `Normalise`). */
export const NormaliseOptionsSchema = withPerIndicator(NORMALISE_SCHEMAS, NormaliseMethodSchema);
export type NormaliseOptions = z.infer<typeof NormaliseOptionsSchema>;

// ---------- weight ----------
export { AhpVariantSchema, RiTableSchema, type AhpVariant, type RiTable } from '../methods/weight/ahp.ts';
export {
  WeightMethodSchema,
  ObjectiveWeightMethodSchema,
  type WeightMethod,
  type ObjectiveWeightMethod,
} from '../methods/weight/index.ts';

/** Options of a `weight` step: the level whose weights are set and how. */
export const WeightOptionsSchema = z
  .object({
    /** Which level's weights to set (1 = indicators). */
    level: z.number().int().min(1),
    weighting: WeightMethodSchema,
  })
  .strict();
export type WeightOptions = z.infer<typeof WeightOptionsSchema>;

// ---------- aggregate ----------
export { AggregationMethodSchema, type AggregationMethod } from '../methods/aggregate/index.ts';

/** Aggregation settings of one level. */
export const AggregateLevelSpecSchema = z
  .object({
    aggregation: AggregationMethodSchema.optional(),
    /** A unit's aggregate is missing when (available components / group size) < dataThreshold. */
    dataThreshold: share.optional(),
  })
  .strict();
export type AggregateLevelSpec = z.infer<typeof AggregateLevelSpecSchema>;

/** Options of an `aggregate` step: defaults for every level plus per-level overrides (COINr `Aggregate`). */
export const AggregateOptionsSchema = AggregateLevelSpecSchema.extend({
  /** Per-level overrides keyed by the level being produced (2 … top). */
  levels: z.record(z.string().regex(/^\d+$/, 'a level number'), AggregateLevelSpecSchema).optional(),
}).strict();
export type AggregateOptions = z.infer<typeof AggregateOptionsSchema>;

// ---------- the spec ----------
const stepId = z.string().regex(/^[A-Za-z][A-Za-z0-9_-]*$/, 'letters, digits, _ or -, starting with a letter');
/** One step of a build spec: `{ id, kind, options }`. */
export const StepSpecSchema = z.discriminatedUnion('kind', [
  z.object({ id: stepId, kind: z.literal('denominate'), options: DenominateOptionsSchema.optional() }).strict(),
  z.object({ id: stepId, kind: z.literal('screen'), options: ScreenOptionsSchema.optional() }).strict(),
  z.object({ id: stepId, kind: z.literal('impute'), options: ImputeOptionsSchema.optional() }).strict(),
  z.object({ id: stepId, kind: z.literal('treat'), options: TreatOptionsSchema.optional() }).strict(),
  z.object({ id: stepId, kind: z.literal('normalise'), options: NormaliseOptionsSchema.optional() }).strict(),
  z.object({ id: stepId, kind: z.literal('weight'), options: WeightOptionsSchema }).strict(),
  z.object({ id: stepId, kind: z.literal('aggregate'), options: AggregateOptionsSchema.optional() }).strict(),
]);
export type StepSpec =
  | { id: string; kind: 'denominate'; options?: DenominateOptions }
  | { id: string; kind: 'screen'; options?: ScreenOptions }
  | { id: string; kind: 'impute'; options?: ImputeOptions }
  | { id: string; kind: 'treat'; options?: TreatOptions }
  | { id: string; kind: 'normalise'; options?: NormaliseOptions }
  | { id: string; kind: 'weight'; options: WeightOptions }
  | { id: string; kind: 'aggregate'; options?: AggregateOptions };
export type StepKind = StepSpec['kind'];

/** A whole build spec: the ordered steps, a seed and the rank tie tolerance. */
export const BuildSpecSchema = z
  .object({
    /** Spec format version. */
    version: z.literal(1).default(1),
    steps: z.array(StepSpecSchema),
    /** Seed for anything random in the build (recorded even if unused). */
    seed: z.number().int().optional(),
    /**
     * Scores within this share of a column's largest |score| share a rank (default 1e-10, so that
     * floating-point noise is not a rank difference); 0 = R's exact `rank()`, as COINr.
     */
    tieTolerance: num.refine((v) => v >= 0 && v < 1, 'must be ≥ 0 and < 1').optional(),
  })
  .strict();
export interface BuildSpec {
  version: 1;
  steps: StepSpec[];
  seed?: number;
  tieTolerance?: number;
}

/** COINr's default ASEM build (`build_example_coin()`), as a cityindex spec. */
export const COINR_EXAMPLE_SPEC: BuildSpec = {
  version: 1,
  steps: [
    { id: 'denominate', kind: 'denominate' },
    { id: 'impute', kind: 'impute', options: { method: 'groupMean', group: 'EurAsia_group' } },
    { id: 'screen', kind: 'screen', options: { by: 'byNA', dataThreshold: 0.9 } },
    { id: 'treat', kind: 'treat', options: { winmax: 5 } },
    { id: 'normalise', kind: 'normalise', options: { method: 'minMax', range: [0, 100] } },
    { id: 'aggregate', kind: 'aggregate', options: { aggregation: { method: 'arithmetic' } } },
  ],
};
