/**
 * The submission-round routes (store: src/store/submission-flow.ts): rounds, each city's Excel template
 * (download, multipart upload), values as JSON, submit, per-value review, history, attachments.
 * Multipart is accepted on the two upload routes only (an encapsulated scope), with strict limits: one
 * file, few small fields, few parts, a size cap; a limit broken is E_UPLOAD_LIMIT (413) and nothing
 * is stored. Multipart is a form type, so a cross-site HTML form could send it: every state-changing
 * request of a session must carry the `x-csrf-token` header (app.ts), which a form cannot set, and
 * the SameSite=Strict session cookie is not sent cross-site either.
 */
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { CityIndexError } from '../engine/core/errors.ts';
import { MAX_TEMPLATE_BYTES } from '../formats/template.ts';
import { requireRole } from '../store/principal.ts';
import type { ProjectInfo, Store } from '../store/store.ts';
import {
  attachFile,
  attachment,
  listRounds,
  MAX_ATTACHMENT_BYTES,
  openRound,
  requireRoundOfProject,
  reviewValues,
  roundValues,
  saveValues,
  submitUnit,
  templateFor,
  uploadTemplateChanges,
  valueHistory,
} from '../store/submission-flow.ts';
import { readUpload } from './multipart.ts';
import type { Operation } from './openapi.ts';
import { parseBody } from './schemas.ts';
import { requestLang } from './language.ts';
import { t } from '../engine/i18n/index.ts';

/** The routes of this module (listed in app.ts#ROUTES for the attack matrix). */
export const SUBMISSION_ROUTES = [
  { method: 'GET', url: '/api/rounds', writes: false },
  { method: 'POST', url: '/api/rounds', writes: true },
  { method: 'GET', url: '/api/rounds/:round/units/:unit/template', writes: false },
  { method: 'POST', url: '/api/rounds/:round/units/:unit/template', writes: true },
  { method: 'GET', url: '/api/rounds/:round/units/:unit/values', writes: false },
  { method: 'PUT', url: '/api/rounds/:round/units/:unit/values', writes: true },
  { method: 'POST', url: '/api/rounds/:round/units/:unit/submit', writes: true },
  { method: 'POST', url: '/api/rounds/:round/units/:unit/review', writes: true },
  { method: 'GET', url: '/api/rounds/:round/units/:unit/history', writes: false },
  { method: 'POST', url: '/api/rounds/:round/units/:unit/attachments', writes: true },
  { method: 'GET', url: '/api/attachments/:id', writes: false },
] as const;

export const RoundBody = z.strictObject({ name: z.string().min(1).max(100) });
export const ValuesBody = z.strictObject({
  values: z
    .array(
      z.strictObject({
        indicator: z.string().min(1).max(100),
        value: z.number().nullable(),
        source: z.string().max(2000).nullable().optional(),
        version: z.number().int().min(0),
      }),
    )
    .min(1)
    .max(5000),
});
export const ReviewValuesBody = z.strictObject({
  decisions: z
    .array(
      z.strictObject({
        indicator: z.string().min(1).max(100),
        decision: z.enum(['approve', 'return']),
        comment: z.string().max(2000).optional(),
        version: z.number().int().min(1),
      }),
    )
    .min(1)
    .max(5000),
});

const round = (en: string, zh: string, access: string, extra: Partial<Operation> = {}): Operation => ({
  summary: { en, zh },
  tag: 'submission rounds',
  access,
  ok: { status: 200 },
  ...extra,
});
const UPLOAD = 'multipart/form-data with one file';

/** The OpenAPI operations of these routes (merged into openapi.ts#OPERATIONS). */
export const SUBMISSION_OPERATIONS: ReadonlyArray<readonly [string, Operation]> = [
  ['GET /api/rounds', round('Submission rounds', '填报轮次', 'staff, city officers')],
  [
    'POST /api/rounds',
    round('Open a submission round', '开启填报轮次', 'admin, author', { body: RoundBody, ok: { status: 201 } }),
  ],
  [
    'GET /api/rounds/:round/units/:unit/template',
    round("A city's signed Excel template", '下载城市填报模板', 'staff; a city officer for own cities', {
      ok: { status: 200, mediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
    }),
  ],
  [
    'POST /api/rounds/:round/units/:unit/template',
    round(`Upload a filled template (${UPLOAD})`, '上传已填写的模板', 'a city officer for own cities'),
  ],
  [
    'GET /api/rounds/:round/units/:unit/values',
    round("A city's values in the round", '本轮城市数据', 'staff; own city'),
  ],
  [
    'PUT /api/rounds/:round/units/:unit/values',
    round('Save draft values (optimistic versions; 409 when stale)', '保存草稿数据', 'a city officer for own cities', {
      body: ValuesBody,
    }),
  ],
  [
    'POST /api/rounds/:round/units/:unit/submit',
    round("Submit a city's values for review", '提交审核', 'a city officer for own cities'),
  ],
  [
    'POST /api/rounds/:round/units/:unit/review',
    round('Approve or return values, a comment per value', '审核：通过或退回', 'reviewer, admin', {
      body: ReviewValuesBody,
    }),
  ],
  [
    'GET /api/rounds/:round/units/:unit/history',
    round('Every version of every value, with who and when', '数据修改历史', 'staff; own city'),
  ],
  [
    'POST /api/rounds/:round/units/:unit/attachments',
    round(`Attach a source document (${UPLOAD}: PDF or image)`, '上传来源附件', 'a city officer for own cities', {
      ok: { status: 201 },
    }),
  ],
  [
    'GET /api/attachments/:id',
    round('An attachment', '下载附件', "staff; the attachment's city", {
      ok: { status: 200, mediaType: 'application/octet-stream' },
    }),
  ],
];

/** Limits of a multipart request: one file, at most 4 small fields, 6 parts, the attachment cap. */
export const MULTIPART_LIMITS = {
  files: 1,
  fields: 4,
  parts: 6,
  fieldNameSize: 50,
  fieldSize: 200,
  headerPairs: 50,
  fileSize: Math.max(MAX_TEMPLATE_BYTES, MAX_ATTACHMENT_BYTES),
} as const;

function positiveInt(raw: string | undefined, field: string): number {
  const n = Number(raw);
  if (!/^[0-9]{1,12}$/.test(raw ?? '') || !Number.isSafeInteger(n) || n < 1)
    throw new CityIndexError({
      code: 'E_PARAM',
      message: `"${String(raw).slice(0, 40)}" is not an id / 不是有效编号`,
      field,
      expected: 'a positive whole number',
    });
  return n;
}

function unitParam(req: FastifyRequest): string {
  const unit = (req.params as Record<string, string>).unit ?? '';
  if (!/^[A-Za-z0-9_.-]{1,20}$/.test(unit))
    throw new CityIndexError({
      code: 'E_PARAM',
      message: 'bad unit code / 城市代码无效',
      field: 'unit',
      expected: 'an adcode (6 digits) or unit code',
    });
  return unit;
}

/** A multipart request's one file (in memory) and fields, bounded; E_UPLOAD_LIMIT for any limit broken. */
async function readMultipart(
  req: FastifyRequest,
  maxFileBytes: number,
): Promise<{ fileName: string; bytes: Uint8Array; fields: Map<string, string> }> {
  const { file, fields } = await readUpload(req, {
    limits: { ...MULTIPART_LIMITS, fileSize: maxFileBytes },
    expected: 'a multipart/form-data request with one file',
    expectedLimit: `one file of at most ${maxFileBytes} bytes and at most ${MULTIPART_LIMITS.fields} short fields`,
    onFile: async (part) => ({ fileName: part.filename || 'upload', bytes: new Uint8Array(await part.toBuffer()) }),
  });
  return { ...file, fields };
}

const asciiName = (name: string) => name.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 100) || 'download';

function sendFile(reply: FastifyReply, type: string, fileName: string, bytes: Uint8Array) {
  return reply
    .type(type)
    .header('content-disposition', `attachment; filename="${asciiName(fileName)}"`)
    .send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
}

/**
 * Register the submission-round routes on the server of `project` (called by `createServer`).
 * @example // no-run: registers routes on a Fastify app (createServer calls it; tests/server/submissions.test.ts)
 * await registerSubmissionRoutes(app, { store, project });
 */
export async function registerSubmissionRoutes(
  app: FastifyInstance,
  { store, project }: { store: Store; project: ProjectInfo },
): Promise<void> {
  const roundOf = async (req: FastifyRequest) => {
    const round = positiveInt((req.params as Record<string, string>).round, 'round');
    await requireRoundOfProject(store, round, project.id);
    return round;
  };
  await app.register(async (scope) => {
    await scope.register(multipart, { limits: MULTIPART_LIMITS, throwFileSizeLimit: true });

    scope.get('/api/rounds', async (req) => ({ rounds: await listRounds(store, req.principal, project.id) }));
    scope.post('/api/rounds', async (req, reply) => {
      const body = parseBody(RoundBody, req.body);
      return reply.status(201).send({ round: await openRound(store, req.principal, project.id, body.name) });
    });
    scope.get('/api/rounds/:round/units/:unit/template', async (req, reply) => {
      const t = await templateFor(store, req.principal, await roundOf(req), unitParam(req));
      return sendFile(reply, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', t.fileName, t.bytes);
    });
    scope.post('/api/rounds/:round/units/:unit/template', async (req) => {
      const round = await roundOf(req);
      const unit = unitParam(req);
      // authorisation before the body is read: only an officer of this city gets to upload
      requireRole(req.principal, ['city'], 'upload templates');
      await store.requireUnitAccess(req.principal, project.id, unit, 'upload templates');
      const upload = await readMultipart(req, MAX_TEMPLATE_BYTES);
      const done = await uploadTemplateChanges(store, req.principal, round, unit, upload);
      const lang = requestLang(req.headers['accept-language']);
      // an old template uploaded again with nothing new is a success that says so (not a 409)
      const note = done.changed.length
        ? t(lang, 'upload.changed', { count: done.changed.length })
        : t(lang, 'upload.nothingChanged');
      return { values: done.values, changed: done.changed, note };
    });
    scope.get('/api/rounds/:round/units/:unit/values', async (req) => ({
      values: await roundValues(store, req.principal, await roundOf(req), unitParam(req)),
    }));
    scope.put('/api/rounds/:round/units/:unit/values', async (req) => {
      const body = parseBody(ValuesBody, req.body);
      return { values: await saveValues(store, req.principal, await roundOf(req), unitParam(req), body.values) };
    });
    scope.post('/api/rounds/:round/units/:unit/submit', async (req) => ({
      values: await submitUnit(store, req.principal, await roundOf(req), unitParam(req)),
    }));
    scope.post('/api/rounds/:round/units/:unit/review', async (req) => {
      const body = parseBody(ReviewValuesBody, req.body);
      return { values: await reviewValues(store, req.principal, await roundOf(req), unitParam(req), body.decisions) };
    });
    scope.get('/api/rounds/:round/units/:unit/history', async (req) => {
      const q = req.query as Record<string, string | undefined>;
      const indicator = typeof q.indicator === 'string' ? q.indicator.slice(0, 100) : undefined;
      return { history: await valueHistory(store, req.principal, await roundOf(req), unitParam(req), indicator) };
    });
    scope.post('/api/rounds/:round/units/:unit/attachments', async (req, reply) => {
      const round = await roundOf(req);
      const unit = unitParam(req);
      requireRole(req.principal, ['city'], 'attach files');
      await store.requireUnitAccess(req.principal, project.id, unit, 'attach files');
      const upload = await readMultipart(req, MAX_ATTACHMENT_BYTES);
      const indicator = upload.fields.get('indicator') ?? '';
      const version = Number(upload.fields.get('version') ?? NaN);
      if (!indicator || !Number.isSafeInteger(version) || version < 1)
        throw new CityIndexError({
          code: 'E_UPLOAD',
          message: 'the form needs the fields indicator and version / 缺少 indicator 或 version 字段',
          field: indicator ? 'version' : 'indicator',
          expected: 'an indicator code and the version of the value',
        });
      const r = await attachFile(store, req.principal, round, unit, indicator, version, upload);
      return reply.status(201).send(r);
    });
    scope.get('/api/attachments/:id', async (req, reply) => {
      const a = await attachment(store, req.principal, positiveInt((req.params as Record<string, string>).id, 'id'));
      if (a.projectId !== project.id) throw new CityIndexError({ code: 'E_NOT_FOUND', message: 'no such attachment' });
      return sendFile(reply, a.contentType, a.fileName, a.bytes);
    });
  });
}
