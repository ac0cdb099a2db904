/**
 * The `caselogs:` section of project.yaml: where a city's service-request (12345 hotline, grid, 311) case
 * log is, how its columns map onto the case model, the category mapping and SLA table, the time zone of its
 * timestamps, what to do with bad rows, and which KPIs become indicators of the index (`kind: kpi`).
 *
 * Time zone: a log's timestamps are local wall-clock times with no zone; `utcOffset` says which fixed
 * offset they are in (China: `+08:00`, no daylight saving). Durations are differences of instants; the
 * month, quarter and year of a case are those of its local receipt time.
 */
import * as z from 'zod';

const text = z.union([z.string(), z.object({ zh: z.string().optional(), en: z.string().optional() }).strict()]);
const bilingual = z.object({ zh: z.string().min(1), en: z.string().min(1) }).strict();

/** The case fields a log's columns map onto (`columns:`); only `id` and `received` are required. */
export const CASE_FIELDS = [
  'id',
  'received',
  'dispatched',
  'firstResponse',
  'resolved',
  'closed',
  'due',
  'status',
  'category',
  'district',
  'channel',
  'reopened',
  'satisfaction',
  'latitude',
  'longitude',
] as const;
export type CaseField = (typeof CASE_FIELDS)[number];

const columnName = z.string().min(1).max(200);

/** `+08:00`, `-05:00`, `+00:00`: a fixed offset from UTC. */
export const UtcOffsetSchema = z
  .string()
  .regex(/^[+-](0\d|1[0-4]):[0-5]\d$/, 'a fixed UTC offset such as +08:00 (China) or -05:00');

/** One rule marking cases as excluded from the KPIs (they are still counted as received), with its reason. */
export const ExcludeRuleSchema = z
  .object({
    /** Short key of the reason (shown in the exclusion counts), e.g. `duplicate`. */
    key: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'lower-case letters, digits and _'),
    /** The source column tested (its name in the file). */
    column: columnName,
    /** The case is excluded when the column contains this text (case-sensitive) … */
    contains: z.string().min(1).optional(),
    /** … or equals it. */
    equals: z.string().optional(),
    reason: bilingual,
  })
  .strict()
  .refine((r) => (r.contains === undefined) !== (r.equals === undefined), 'give exactly one of contains / equals');

/** A KPI of the log that becomes an indicator of the project (the `kind: kpi` data source). */
export const KpiIndicatorSchema = z
  .object({
    /** The indicator code in framework.yaml. */
    indicator: z.string().min(1),
    /** The KPI id (see KPI_DEFINITIONS). */
    kpi: z.string().min(1),
    /** `city` (one value per city) or `district` (districts are the units). */
    level: z.enum(['city', 'district']),
    /** The period whose value is used, e.g. `2015`, `2015-Q2` or `2015-06`. */
    period: z.string().regex(/^\d{4}(-Q[1-4]|-\d{2})?$/, 'a year (2015), quarter (2015-Q2) or month (2015-06)'),
  })
  .strict();

export const CaseLogSchema = z
  .object({
    /** Short id, used in file names and lineage. */
    id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,59}$/, 'lower-case letters, digits, _ and -'),
    name: text.optional(),
    /** The city: its 6-digit adcode (China) or another stable code, with names in both languages. */
    city: z
      .object({
        code: z.string().regex(/^(\d{6}|[A-Z]{2}-[A-Z0-9]{2,12})$/, 'a 6-digit adcode or a code such as US-BOS'),
        name: bilingual,
      })
      .strict(),
    /** True for a generated log: every file and number derived from it is labelled SIMULATED. */
    simulated: z.boolean().optional(),
    /**
     * Where a real log comes from, cited in the report's and the dashboard's KPI pages: the dataset's title,
     * the date of the extract (YYYY-MM-DD, or YYYY-MM) and its public address (http or https).
     */
    source: z
      .object({
        title: text,
        date: z.string().regex(/^\d{4}-\d{2}(-\d{2})?$/, 'a date such as 2016-01-28'),
        url: z.string().regex(/^https?:\/\/[^\s"<>]{1,500}$/, 'an http or https address'),
      })
      .strict()
      .optional(),
    /** The log's files, relative to the project folder (concatenated in this order). */
    files: z.array(z.string().min(1)).min(1).max(1000),
    /** `csv`, `jsonl` (JSON Lines), `parquet`, or `open311` (a GeoReport v2 JSON array of requests). */
    format: z.enum(['csv', 'jsonl', 'parquet', 'open311']),
    /**
     * Text encoding of the files (not for Parquet): `utf-8`, `gb18030`, or `gbk` (read as its superset GB18030).
     * Undeclared, a file that is not UTF-8 but is GB18030 is transcoded with a warning.
     */
    encoding: z.enum(['utf-8', 'gb18030', 'gbk']).optional(),
    utcOffset: UtcOffsetSchema,
    /**
     * How the timestamps are written: `iso` (2024-03-01 08:30:00, T or space, seconds optional) or `us12h`
     * (03/01/2024 08:30:00 AM, as 311 exports).
     */
    timestampFormat: z.enum(['iso', 'us12h']).default('iso'),
    /** Source column of each case field (not for `open311`, whose fields are fixed by the standard). */
    columns: z.partialRecord(z.enum(CASE_FIELDS), columnName).optional(),
    /** Status values meaning open / closed (compared case-insensitively). Default: open, closed. */
    status: z
      .object({ open: z.array(z.string()).min(1), closed: z.array(z.string()).min(1) })
      .strict()
      .optional(),
    /**
     * Source category → standard category. `map` inline or `file` (CSV with `source,category`);
     * `unknown: error` (default) rejects a case whose category is not in the table, `keep` keeps it as is.
     */
    categories: z
      .object({
        map: z.record(z.string(), z.string().min(1)).optional(),
        file: z.string().optional(),
        unknown: z.enum(['error', 'keep']).default('error'),
      })
      .strict()
      .optional(),
    /** Hours allowed per standard category, for cases with no due time in the log. */
    sla: z.record(z.string(), z.number().positive().max(1e6)).optional(),
    /** Channels counted as online (the online share KPI); compared exactly. */
    onlineChannels: z.array(z.string()).optional(),
    /** Satisfaction: `1-5` (satisfied when ≥ `satisfiedAtLeast`, default 4) or `yes-no`. */
    satisfaction: z
      .object({ scale: z.enum(['1-5', 'yes-no']), satisfiedAtLeast: z.number().int().min(1).max(5).optional() })
      .strict()
      .optional(),
    /**
     * Raw district value → district code (e.g. `'8.0': BOS-D8`); a value not in the table is rejected, one
     * mapped to '' keeps its case with no district. Without the table the raw value is the code.
     */
    districts: z.record(z.string(), z.string()).optional(),
    exclude: z.array(ExcludeRuleSchema).optional(),
    /** `skip` (default): bad rows are counted, reported by row and left out; `stop`: the import fails. */
    onError: z.enum(['skip', 'stop']).default('skip'),
    /** The import fails when more rows than this are bad (default: no limit). */
    maxErrors: z.number().int().min(0).optional(),
    /** Population per unit code for cases per 10 000 residents: a CSV with `code,population`. */
    population: z
      .object({ file: z.string(), source: z.string().min(1) })
      .strict()
      .optional(),
    /** KPIs that become indicators of the project (read through a `kind: kpi` data source). */
    indicators: z.array(KpiIndicatorSchema).optional(),
  })
  .strict();
export type CaseLogConfig = z.infer<typeof CaseLogSchema>;
export type CaseLogConfigInput = z.input<typeof CaseLogSchema>;

/** At most 400 logs a project: one per prefecture-level city of China (333) with room to spare. */
export const CaseLogsConfigSchema = z.array(CaseLogSchema).min(1).max(400);

/**
 * The offset in seconds of a `±hh:mm` UTC offset.
 * @example offsetSeconds('+08:00') // => 28800
 * @example offsetSeconds('-05:30') // => -19800
 */
export function offsetSeconds(offset: string): number {
  const m = /^([+-])(\d{2}):(\d{2})$/.exec(offset);
  if (!m) throw new RangeError(`not a UTC offset: ${offset}`);
  const s = Number(m[2]) * 3600 + Number(m[3]) * 60;
  return m[1] === '-' ? -s : s;
}
