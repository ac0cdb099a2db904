/**
 * The project file format (project.yaml, framework.yaml) as zod schemas: validation with located
 * messages, TypeScript types, and the JSON Schema written by `npm run schema`.
 */
import * as z from 'zod';
import { BuildSpecSchema } from '../engine/spec/spec.ts';
import { AnalysesConfigSchema } from '../engine/analysis/config.ts';
import { SeriesConfigSchema } from './series-read.ts';
import { CaseLogsConfigSchema } from '../engine/caselog/config.ts';

const text = z.union([z.string(), z.object({ zh: z.string().optional(), en: z.string().optional() }).strict()]);
export const SourceSchema = z
  .object({
    name: z.string().optional(),
    url: z.string().optional(),
    year: z.union([z.string(), z.number()]).optional(),
    licence: z.string().optional(),
    file: z.string().optional(),
    notes: z.string().optional(),
  })
  .strict();

export interface FrameworkTreeNode {
  code: string;
  name?: string | { zh?: string; en?: string };
  weight?: number;
  direction?: 1 | -1;
  unit?: string;
  source?: z.infer<typeof SourceSchema>;
  denominator?: string;
  scaleFactor?: number;
  target?: number;
  goalposts?: { lower: number; upper: number; scale?: number };
  status?: 'collected' | 'not_collected';
  notes?: string;
  /** False when a unit cannot act on the indicator: what-if and gap advice leave it out (default true). */
  controllable?: boolean;
  children?: FrameworkTreeNode[];
}

const finite = z.number().refine(Number.isFinite, 'must be a finite number');
export const FrameworkTreeNodeSchema: z.ZodType<FrameworkTreeNode> = z.lazy(() =>
  z
    .object({
      code: z
        .string()
        .regex(/^[A-Za-z0-9_.\-\u4e00-\u9fff]+$/, 'letters, digits, _ . - or Chinese characters, no spaces'),
      name: text.optional(),
      weight: finite.optional(),
      direction: z.union([z.literal(1), z.literal(-1)]).optional(),
      unit: z.string().optional(),
      source: SourceSchema.optional(),
      denominator: z.string().optional(),
      scaleFactor: finite.optional(),
      target: finite.optional(),
      goalposts: z.object({ lower: finite, upper: finite, scale: finite.optional() }).strict().optional(),
      status: z.enum(['collected', 'not_collected']).optional(),
      notes: z.string().optional(),
      controllable: z.boolean().optional(),
      children: z.array(FrameworkTreeNodeSchema).optional(),
    })
    .strict(),
) as z.ZodType<FrameworkTreeNode>;

export const FrameworkFileSchema = z
  .object({
    levelNames: z.array(text).optional(),
    denominators: z
      .array(
        z
          .object({
            code: z.string().min(1),
            name: text.optional(),
            unit: z.string().optional(),
            source: SourceSchema.optional(),
          })
          .strict(),
      )
      .optional(),
    tree: FrameworkTreeNodeSchema,
  })
  .strict();
export type FrameworkFile = z.infer<typeof FrameworkFileSchema>;

export const DataFileSchema = z.union([
  z.string(),
  z
    .object({
      file: z.string(),
      /**
       * `wide` (default): a `code` column then one column per indicator; `long`: unit, indicator,
       * value[, period][, source].
       */
      format: z.enum(['wide', 'long']).optional(),
      sheet: z.string().optional(),
      /** Period of every value in a wide file (e.g. "2019"); long files may have a `period` column. */
      period: z.string().optional(),
    })
    .strict(),
  /**
   * `kind: kpi`: the KPIs of a case log (`caselogs:`) named under its `indicators:`, as written by
   * `cityindex cases-log kpi` (default file `kpi/<caselog>/indicators.csv`, long format with lineage).
   */
  z
    .object({
      kind: z.literal('kpi'),
      caselog: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,59}$/, 'the id of a case log under caselogs:'),
      file: z.string().optional(),
    })
    .strict(),
]);

/** `report:` settings of project.yaml: the report's title, notes shown before the findings, the map's source. */
export const ReportSettingsSchema = z
  .object({
    /** The report title (default: the project name). */
    title: text.optional(),
    /** Notes shown at the top of the report (text, or `{ zh, en }`). */
    notes: z.array(text).optional(),
    /** Where the map comes from (shown beside it). */
    map: z.object({ source: z.string().optional() }).strict().optional(),
    /** 0–1: a unit whose score rests more than this share on imputed or borrowed values is not ranked. */
    insufficientDataShare: z.number().min(0).max(1).optional(),
  })
  .strict();

export const ProjectFileSchema = z
  .object({
    name: text,
    edition: z.union([z.string(), z.number()]).optional(),
    /** The period being evaluated (a long data file may hold earlier periods for panel imputation). */
    period: z.union([z.string(), z.number()]).optional(),
    description: text.optional(),
    /** `framework.yaml` (tree), `framework.csv` (COINr iMeta-like table), or an inline tree file object. */
    framework: z.union([z.string(), FrameworkFileSchema]).optional(),
    units: z.string().optional(),
    data: z.union([DataFileSchema, z.array(DataFileSchema)]).optional(),
    /** COINr's iData/iMeta tables as shipped, instead of framework/units/data. */
    coinr: z
      .object({ iData: z.string(), iMeta: z.string(), levelNames: z.array(z.string()).optional() })
      .strict()
      .optional(),
    build: BuildSpecSchema.partial({ version: true }),
    analyses: AnalysesConfigSchema.optional(),
    /** Time-series indices tracked beside the evaluation (see docs/series.md). */
    series: SeriesConfigSchema.optional(),
    /**
     * Report settings: title, notes, map; `insufficientDataShare` (0–1): a unit whose score rests more than
     * this share on imputed or borrowed values is shown as "insufficient data" instead of a rank.
     */
    report: ReportSettingsSchema.optional(),
    /**
     * Questionnaires: a path to a survey.yaml, or a list of paths / `{ id, config, use }`. With `use: true`
     * the survey's city estimates become indicator values of the build (see docs/surveys.md).
     */
    surveys: z
      .union([
        z.string(),
        z.array(
          z.union([
            z.string(),
            z.object({ id: z.string().optional(), config: z.string(), use: z.boolean().optional() }).strict(),
          ]),
        ),
      ])
      .optional(),
    /** Another project file in the same folder whose settings this one inherits (top-level keys here override). */
    extends: z.string().optional(),
    cases: z.string().optional(),
    /**
     * Folders outside the project folder that its files may name (e.g. `../../cases` for a shared case
     * library), relative to the project folder. Every other path must stay inside the project folder:
     * `..` out of it, absolute paths and symbolic links leading out are refused.
     */
    allowedRoots: z.array(z.string()).optional(),
    language: z.enum(['zh', 'en']).optional(),
    /** Service-request case logs (12345, 311) whose KPIs the project computes (see docs in README). */
    caselogs: CaseLogsConfigSchema.optional(),
  })
  .strict();
export type ProjectFile = z.infer<typeof ProjectFileSchema>;

/** JSON Schema of project.yaml (draft 2020-12), generated from the zod schema. */
export function projectJsonSchema(): unknown {
  return z.toJSONSchema(ProjectFileSchema, { unrepresentable: 'any', io: 'input' });
}
