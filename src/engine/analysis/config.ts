/**
 * The `analyses:` block of project.yaml as a zod schema: which analyses to run on a build and with
 * what settings. Every setting has a documented default; the resolved settings are recorded with
 * the results so an analysis can be re-run exactly.
 */
import * as z from 'zod';
import { ChangeConfigSchema } from './change.ts';
import { AnalysisOptionsSchema } from './uncertainty/analyse.ts';

const text = z.union([z.string(), z.object({ zh: z.string().optional(), en: z.string().optional() }).strict()]);
const pos = z.number().int().min(1);

export const RegionalConfigSchema = z
  .object({
    /** Unit group columns of units.csv to summarise by (multi-membership with `|`, e.g. clusters). */
    groupings: z.array(z.string()).default(['region']),
    /** Codes to summarise (default: the index and its dimensions). */
    codes: z.array(z.string()).optional(),
    /** Numeric unit attribute used as population weights for weighted CV and Theil (optional). */
    populationWeights: z.string().optional(),
    /** Pairs of groups to compare, e.g. [[东部, 西部], [南方, 北方]]: gap and which is higher. */
    compare: z.array(z.object({ grouping: z.string(), a: z.string(), b: z.string() }).strict()).default([]),
  })
  .strict();

export const SpatialConfigSchema = z
  .object({
    /** Numeric unit attributes holding longitude and latitude (degrees). */
    coordinates: z.tuple([z.string(), z.string()]).default(['lon', 'lat']),
    weights: z
      .discriminatedUnion('method', [
        z.object({ method: z.literal('knn'), k: pos }).strict(),
        z.object({ method: z.literal('distanceBand'), threshold: z.number().positive() }).strict(),
        z
          .object({
            method: z.literal('inverseDistance'),
            alpha: z.number().positive().optional(),
            cutoff: z.number().positive().optional(),
          })
          .strict(),
        /** Polygon contiguity on the map the host supplies (the China prefecture map): shared edge or vertex. */
        z.object({ method: z.literal('contiguity'), rule: z.enum(['rook', 'queen']).default('queen') }).strict(),
      ])
      .default({ method: 'knn', k: 5 }),
    permutations: z.number().int().min(0).max(99999).default(999),
    seed: z.number().int().optional(),
    alpha: z.number().gt(0).lt(1).default(0.05),
    adjust: z.enum(['none', 'fdr', 'bonferroni']).default('none'),
    /**
     * Moran's I for rates (esda `Moran_Rate`): counts over populations, each a raw data column or a numeric
     * unit attribute (e.g. `{ events: hospital_beds, population: pop2020 }`), Assunção–Reis EB standardised
     * unless `adjusted: false`.
     */
    rates: z
      .array(z.object({ events: z.string(), population: z.string(), adjusted: z.boolean().default(true) }).strict())
      .default([]),
    /** A leader unit for the spillover report and (optionally) the units to report as its neighbours. */
    leader: z
      .object({ unit: z.string(), followers: z.array(z.string()).optional() })
      .strict()
      .optional(),
  })
  .strict();

export const TiersConfigSchema = z
  .object({
    method: z.enum(['fisherJenks', 'quantiles', 'thresholds', 'meanSd', 'headTail']).default('fisherJenks'),
    k: pos.optional(),
    cuts: z.array(z.number()).optional(),
    multiples: z.array(z.number()).optional(),
    /** Tier labels from the top tier down (e.g. 一线/二线/三线). */
    labels: z.array(text).optional(),
    /** Score to classify (default: the index). */
    code: z.string().optional(),
    /**
     * Classify within peer groups: `field` is a group column of units.csv (e.g. a population class);
     * the method runs separately inside each group (IMD-style bands). Every unit needs a group.
     */
    peers: z.object({ field: z.string() }).strict().optional(),
  })
  .strict();

export const AuditConfigSchema = z
  .object({
    /** Datasets to describe (step ids or 'raw'); default raw and the step feeding the aggregation. */
    statsOn: z.array(z.string()).optional(),
    /** Levels for leave-one-element-out (default: every level below the index; [] skips it). */
    leaveOneOutLevels: z.array(z.number().int().min(1)).optional(),
  })
  .strict();

const peers = z.discriminatedUnion('by', [
  z.object({ by: z.literal('group'), field: z.string() }).strict(),
  z.object({ by: z.literal('nearest'), k: pos }).strict(),
  z.object({ by: z.literal('all') }).strict(),
]);

export const GapsConfigSchema = z
  .object({
    /** Units (codes) to analyse: their 短板 against peers and what would lift them. */
    units: z.array(z.string()).min(1),
    peers: peers.default({ by: 'all' }),
    /** Ranks to climb for the smallest-improvement search. */
    k: pos.default(1),
    /** Budget of normalised points to allocate across indicators (optional). */
    budget: z.number().positive().optional(),
  })
  .strict();

/** Where a published figure comes from: required on every reference figure. */
export const PublishedSourceSchema = z
  .object({
    /** Title of the article or report (as printed). */
    title: z.string().min(1),
    /**
     * Publication date, e.g. '2020-08-19' (quote it in YAML), or zh/en text when the page gives none
     * (e.g. `{ zh: 未注明日期, en: undated }`), so the report shows it in the reader's language.
     */
    date: z.union([z.string().min(1), z.object({ zh: z.string().min(1), en: z.string().min(1) }).strict()]),
    /** Where it was read. */
    url: z.string().min(1),
    /** Publisher or outlet, e.g. 杭州日报. */
    publisher: z.string().optional(),
  })
  .strict();

/** Published figures a report is compared with, each with its source. */
export const ReferenceConfigSchema = z
  .object({
    /** The published top ten, best first (unit codes). */
    topTen: z
      .object({ units: z.array(z.string()).min(1), source: PublishedSourceSchema })
      .strict()
      .optional(),
    /** Cities the published report places in a named tier (e.g. 数字治理一线城市). */
    tiers: z
      .array(z.object({ label: text, units: z.array(z.string()).min(1), source: PublishedSourceSchema }).strict())
      .optional(),
    /** A published share of units below the mean (0–1). */
    shareBelowMean: z
      .object({ value: z.number().min(0).max(1), source: PublishedSourceSchema })
      .strict()
      .optional(),
    notes: text.optional(),
  })
  .strict();

export type ReferenceConfig = z.infer<typeof ReferenceConfigSchema>;
export type PublishedSource = z.infer<typeof PublishedSourceSchema>;

export const AnalysesConfigSchema = z
  .object({
    /** Which score the analyses describe (default: the index). */
    target: z.string().optional(),
    /** Statistical audit: `true` for defaults, or settings. */
    audit: z.union([z.boolean(), AuditConfigSchema]).optional(),
    gaps: GapsConfigSchema.optional(),
    /** Change over time: the same build for every period of a panel (see docs/change-over-time.md). */
    change: ChangeConfigSchema.optional(),
    regional: RegionalConfigSchema.optional(),
    spatial: SpatialConfigSchema.optional(),
    tiers: TiersConfigSchema.optional(),
    /**
     * Uncertainty (Monte Carlo rank intervals) or Sobol' sensitivity analysis over typed alternatives
     * (docs/uncertainty.md).
     */
    uncertainty: AnalysisOptionsSchema.optional(),
    /**
     * Published reference figures to compare with (a report's top ten, its named tiers, a share below the
     * mean); shown beside the results. Every figure names its source (title, date, URL): a figure without
     * one is rejected.
     */
    reference: ReferenceConfigSchema.optional(),
  })
  .strict();

export type AnalysesConfig = z.infer<typeof AnalysesConfigSchema>;
export type RegionalConfig = z.infer<typeof RegionalConfigSchema>;
export type SpatialConfig = z.infer<typeof SpatialConfigSchema>;
export type TiersConfig = z.infer<typeof TiersConfigSchema>;
export type GapsConfig = z.infer<typeof GapsConfigSchema>;
