/**
 * The case-log routes (store: src/store/caselogs.ts, which enforces the roles): upload one file of a log the
 * project declares (multipart, streamed to a temporary file with a size cap: E_UPLOAD_LIMIT, 413), list
 * batches, read and delete one, and the KPIs over the stored logs as JSON or as formula-safe CSV (UTF-8
 * with BOM, as the results download). Multipart is accepted on the upload route only (an encapsulated
 * scope); the CSRF header of app.ts covers it like every state-changing request.
 */
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import { CityIndexError } from '../engine/core/errors.ts';
import { kpiDefinition, type KpiValue } from '../engine/caselog/kpis.ts';
import { GRANULARITIES, type Granularity } from '../engine/caselog/periods.ts';
import { SIMULATED_LABEL } from '../caselog/outputs.ts';
import { tableToCsv } from '../formats/results.ts';
import {
  deleteCaseLogBatch,
  getCaseLogBatch,
  importUploadedCaseLog,
  listCaseLogBatches,
  storedCaseLogKpis,
} from '../store/caselogs.ts';
import { requireRole } from '../store/principal.ts';
import type { ProjectInfo, Store } from '../store/store.ts';
import type { Operation } from './openapi.ts';
import { readUpload } from './multipart.ts';

/** The routes of this module (listed in app.ts#ROUTES for the attack matrix). */
export const CASELOG_ROUTES = [
  { method: 'GET', url: '/api/caselogs', writes: false },
  { method: 'POST', url: '/api/caselogs', writes: true },
  { method: 'GET', url: '/api/caselogs/kpis', writes: false },
  { method: 'GET', url: '/api/caselogs/kpis.csv', writes: false },
  { method: 'GET', url: '/api/caselogs/:id', writes: false },
  { method: 'DELETE', url: '/api/caselogs/:id', writes: true },
] as const;

/** Largest case-log upload by default (bytes): a city-month of a large city's hotline log. */
export const CASELOG_UPLOAD_BYTES = 256 * 1024 * 1024;

const LogId = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,59}$/, 'a case-log id of the project');
/** The KPI query: the log, optionally one city, KPIs, level and granularity. */
export const KpiQuery = z.strictObject({
  log: LogId,
  city: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,20}$/)
    .optional(),
  kpi: z.string().max(400).optional().describe('comma-separated KPI ids (default: all)'),
  level: z.enum(['city', 'district', 'category']).optional(),
  granularity: z.enum(['month', 'quarter', 'year']).optional(),
});

const KpiValueSchema = z.object({
  kpi: z.string(),
  level: z.string(),
  unit: z.string(),
  period: z.string(),
  value: z.number().nullable(),
  numerator: z.number(),
  denominator: z.number().nullable(),
  ciLow: z.number().nullable(),
  ciHigh: z.number().nullable(),
  excluded: z.record(z.string(), z.number()),
});

const op = (en: string, zh: string, access: string, extra: Partial<Operation> = {}): Operation => ({
  summary: { en, zh },
  tag: 'case logs',
  access,
  ok: { status: 200 },
  ...extra,
});
const KPI_QUERY = {
  log: 'the case-log id declared in the project',
  city: 'one city (default: every city you may see)',
  kpi: 'comma-separated KPI ids (default: all)',
  level: 'city, district or category (default: city and district, plus the category breakdown by month and year)',
  granularity: 'month, quarter or year (default: all)',
};

/** The OpenAPI operations of these routes (merged into openapi.ts#OPERATIONS). */
export const CASELOG_OPERATIONS: ReadonlyArray<readonly [string, Operation]> = [
  ['GET /api/caselogs', op('Stored case-log batches', '已入库的工单日志批次', 'admin, author, reviewer; own cities')],
  [
    'POST /api/caselogs',
    op(
      'Upload one case-log file (multipart/form-data: field log, then the file; CSV, JSON Lines, Parquet or ' +
        'Open311 JSON as the log declares)',
      '上传工单日志文件',
      'admin, author; a city officer for own cities',
      { ok: { status: 201 } },
    ),
  ],
  [
    'GET /api/caselogs/kpis',
    op('Governance KPIs over the stored logs, with lineage', '工单日志绩效指标（JSON）', 'staff; own cities', {
      query: KPI_QUERY,
      ok: {
        status: 200,
        schema: z.object({ log: z.string(), simulated: z.boolean(), kpis: z.array(KpiValueSchema) }).passthrough(),
      },
    }),
  ],
  [
    'GET /api/caselogs/kpis.csv',
    op('The KPIs as CSV (UTF-8 with BOM, formula-safe)', '工单日志绩效指标（CSV）', 'staff; own cities', {
      query: KPI_QUERY,
      ok: { status: 200, mediaType: 'text/csv' },
    }),
  ],
  ['GET /api/caselogs/:id', op('One batch', '一个批次', 'admin, author, reviewer; own cities')],
  [
    'DELETE /api/caselogs/:id',
    op(
      'Delete a batch and its cases (audited; E_IN_USE, 409, when a published edition was built from it)',
      '删除批次',
      'admin, author',
    ),
  ],
];

function idParam(req: FastifyRequest): number {
  const raw = (req.params as Record<string, string>).id ?? '';
  const n = Number(raw);
  if (!/^[0-9]{1,12}$/.test(raw) || !Number.isSafeInteger(n) || n < 1)
    throw new CityIndexError({
      code: 'E_PARAM',
      message: `"${raw.slice(0, 40)}" is not an id / 不是有效编号`,
      field: 'id',
      expected: 'a positive whole number',
    });
  return n;
}

function kpiQuery(req: FastifyRequest): z.infer<typeof KpiQuery> {
  const parsed = KpiQuery.safeParse(req.query ?? {});
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new CityIndexError({
      code: 'E_PARAM',
      message: `bad query parameter: ${i.message} / 查询参数无效`,
      field: i.path.join('.') || 'log',
      expected: 'log=<case-log id>, optional city, kpi, level, granularity',
    });
  }
  return parsed.data;
}

/**
 * The KPI rows as CSV through the results download's writer (UTF-8 with BOM, text cells neutralised against
 * formula injection); a simulated log's rows carry SIMULATED in a `data` column.
 * @example
 * const v = { kpi: 'on_time_rate', level: 'city', unit: '=1+1', period: '2024', value: 0.5, numerator: 1,
 *   denominator: 2, ciLow: 0.1, ciHigh: 0.9, excluded: { open: 1 } } as const;
 * const row = kpiCsv([v], false).split('\n')[1];
 * row.split(',').slice(2) // => ['city', "'=1+1", '2024', '0.5', '1', '2', '0.1', '0.9', 'open=1']
 */
export function kpiCsv(kpis: readonly KpiValue[], simulated: boolean): string {
  const header = ['kpi', 'name', 'level', 'unit', 'period', 'value', 'numerator', 'denominator', 'ci_low', 'ci_high'];
  const rows = kpis.map((v) => {
    const def = kpiDefinition(v.kpi);
    const excluded = Object.entries(v.excluded)
      .map(([k, n]) => `${k}=${n}`)
      .join('; ');
    const row: Array<string | number | null> = [
      v.kpi,
      def ? `${def.name.zh} / ${def.name.en}` : v.kpi,
      v.level,
      v.unit,
      v.period,
      Number.isNaN(v.value) ? null : v.value,
      v.numerator,
      v.denominator,
      v.ciLow,
      v.ciHigh,
      excluded,
    ];
    return simulated ? [...row, SIMULATED_LABEL] : row;
  });
  return tableToCsv({ header: [...header, 'excluded', ...(simulated ? ['data'] : [])], rows });
}

/** NaN (not computable) as null in JSON. */
const jsonKpis = (kpis: readonly KpiValue[]) =>
  kpis.map((v) => ({ ...v, value: Number.isNaN(v.value) ? null : v.value }));

/**
 * Register the case-log routes on the server of `project` (called by `createServer`).
 * @example // no-run: registers routes on a Fastify app (createServer calls it; tests/server/caselogs.test.ts)
 * await registerCaseLogRoutes(app, { store, project });
 */
export async function registerCaseLogRoutes(
  app: FastifyInstance,
  { store, project, maxUploadBytes }: { store: Store; project: ProjectInfo; maxUploadBytes?: number },
): Promise<void> {
  const cap = maxUploadBytes ?? CASELOG_UPLOAD_BYTES;
  const kpisOf = async (req: FastifyRequest) => {
    const q = kpiQuery(req);
    const kpis = q.kpi
      ?.split(',')
      .map((k) => k.trim())
      .filter(Boolean);
    for (const k of kpis ?? [])
      if (!kpiDefinition(k))
        throw new CityIndexError({
          code: 'E_PARAM',
          message: `unknown KPI ${k.slice(0, 60)} / 未知指标`,
          field: 'kpi',
          expected: 'KPI ids such as on_time_rate, handling_median_h',
        });
    return storedCaseLogKpis(store, req.principal, project.id, {
      log: q.log,
      city: q.city,
      kpis,
      levels: q.level ? [q.level] : undefined,
      granularities: q.granularity ? [q.granularity as Granularity] : GRANULARITIES,
    });
  };
  await app.register(async (scope) => {
    await scope.register(multipart, {
      limits: { files: 1, fields: 2, parts: 3, fieldNameSize: 50, fieldSize: 100, headerPairs: 50, fileSize: cap },
      throwFileSizeLimit: true,
    });
    scope.get('/api/caselogs', async (req) => ({
      batches: await listCaseLogBatches(store, req.principal, project.id),
    }));
    scope.post('/api/caselogs', async (req, reply) => {
      // authorisation before the body is read (the city check follows once the log is known)
      requireRole(req.principal, ['admin', 'author', 'city'], 'import case logs');
      const work = await mkdtemp(join(tmpdir(), 'cityindex-caselog-http-'));
      try {
        const { file, fields } = await readUpload(req, {
          expected: 'a multipart/form-data request: field log, then one file',
          expectedLimit: `one file of at most ${cap} bytes and the field log`,
          onFile: async (part) => {
            const path = join(work, 'upload');
            await pipeline(part.file, createWriteStream(path));
            return { fileName: part.filename || 'upload', path };
          },
        });
        const log = fields.get('log');
        if (!log || !LogId.safeParse(log).success)
          throw new CityIndexError({
            code: 'E_UPLOAD',
            message: 'the form needs the field log (a case-log id of the project) / 缺少 log 字段',
            field: 'log',
            expected: 'a case-log id declared in the project',
          });
        const r = await importUploadedCaseLog(store, req.principal, project.id, { log, ...file });
        return reply.status(r.imported ? 201 : 200).send({
          batch: r.batch,
          imported: r.imported,
          issues: r.report?.issues.slice(0, 50) ?? [],
          warnings: r.report?.warnings ?? [],
        });
      } finally {
        await rm(work, { recursive: true, force: true });
      }
    });
    scope.get('/api/caselogs/kpis', async (req) => {
      const r = await kpisOf(req);
      return { ...r, kpis: jsonKpis(r.kpis), ...(r.simulated && { label: SIMULATED_LABEL }) };
    });
    scope.get('/api/caselogs/kpis.csv', async (req, reply) => {
      const r = await kpisOf(req);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="kpis-${r.log}.csv"`)
        .send(kpiCsv(r.kpis, r.simulated));
    });
    scope.get('/api/caselogs/:id', async (req) => {
      const batch = await getCaseLogBatch(store, req.principal, idParam(req));
      if (batch.projectId !== project.id)
        throw new CityIndexError({ code: 'E_NOT_FOUND', message: 'no such batch / 找不到批次' });
      return { batch };
    });
    scope.delete('/api/caselogs/:id', async (req) => {
      const id = idParam(req);
      const batch = await getCaseLogBatch(store, req.principal, id);
      if (batch.projectId !== project.id)
        throw new CityIndexError({ code: 'E_NOT_FOUND', message: 'no such batch / 找不到批次' });
      return { batch: await deleteCaseLogBatch(store, req.principal, id) };
    });
  });
}
