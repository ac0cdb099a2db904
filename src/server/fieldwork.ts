/**
 * The fieldwork routes: public (the form of a wave in a city, saving and resuming a response) and for
 * staff (waves, token batches, the monitor, exports, estimates, QR codes), plus the built survey pages
 * (`web-survey/dist`, served under /survey/). Routes parse with zod and call `Fieldwork`, which enforces
 * the roles. Respondents are rate-limited per address in memory only: no address is stored.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import QRCode from 'qrcode';
import { z } from 'zod';
import { CityIndexError } from '../engine/core/errors.ts';
import { codebookTable, cleanedTable, exportCsv, exportWorkbook, rawTable } from '../app/fieldwork-export.ts';
import { SIMULATED_LABEL } from '../formats/survey.ts';
import { Fieldwork, MAX_ANSWERS_CHARS } from '../store/fieldwork.ts';
import { startStoredWave } from '../store/fieldwork-waves.ts';
import { surveyValueLineage, surveyValuesIntoStore } from '../store/fieldwork-values.ts';
import { registerLiveMonitor } from './fieldwork-live.ts';
import type { ProjectInfo, Store } from '../store/store.ts';
import type { Operation } from './openapi.ts';
import { parseBody } from './schemas.ts';
import { rateLimiter } from './security.ts';

/** The fieldwork routes (appended to the server's ROUTES for the attack matrix). */
export const FIELDWORK_ROUTES = [
  { method: 'GET', url: '/api/fieldwork/waves', writes: false },
  { method: 'GET', url: '/api/fieldwork/waves/:wave/cities/:city/form', writes: false },
  { method: 'POST', url: '/api/fieldwork/responses/:id', writes: true },
  { method: 'GET', url: '/api/fieldwork/responses/:id', writes: false },
  { method: 'POST', url: '/api/fieldwork/waves/:wave/status', writes: true },
  { method: 'POST', url: '/api/fieldwork/waves/:wave/tokens', writes: true },
  { method: 'GET', url: '/api/fieldwork/waves/:wave/monitor', writes: false },
  { method: 'GET', url: '/api/fieldwork/waves/:wave/export', writes: false },
  { method: 'GET', url: '/api/fieldwork/waves/:wave/estimates', writes: false },
  { method: 'GET', url: '/api/fieldwork/waves/:wave/cities/:city/qr', writes: false },
  { method: 'POST', url: '/api/fieldwork/waves', writes: true },
  { method: 'GET', url: '/api/fieldwork/waves/:wave/events', writes: false },
  { method: 'POST', url: '/api/fieldwork/waves/:wave/values', writes: true },
  { method: 'GET', url: '/api/fieldwork/values/:city/:indicator', writes: false },
] as const;

/** Options of the fieldwork routes. */
export interface FieldworkRouteOptions {
  store: Store;
  project: ProjectInfo;
  /** Responses started per address per hour (default 60) and saves per address per minute (default 240). */
  respondentLimits?: { startsPerHour?: number; savesPerMinute?: number };
  /** The public origin printed in QR codes and token links (default: the request's scheme and host). */
  publicUrl?: string;
  /** Folder of the built survey pages (default `web-survey/dist` of the package). */
  pagesDir?: string;
  /** Live monitor: seconds between checks for new figures (default 2) and streams open per user (default 4). */
  live?: { intervalSeconds?: number; perUser?: number };
}

const Slug = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/);
const Adcode = z.string().regex(/^[0-9]{6}$/);
const IndicatorCode = z.string().regex(/^[A-Za-z0-9_.-]{1,100}$/);

export const SaveBody = z.strictObject({
  wave: Slug,
  city: Adcode,
  deviceKey: z.string().min(22).max(128),
  token: z.string().min(4).max(64).optional(),
  answers: z.record(z.string().max(100), z.unknown()).refine((a) => Object.keys(a).length <= 500, 'too many answers'),
  pageTimes: z.record(z.string().max(100), z.number().min(0).max(86_400)).default({}),
  language: z.enum(['zh', 'en']),
  complete: z.boolean(),
});

export const StatusBody = z.strictObject({ status: z.enum(['open', 'closed']) });
export const NewWaveBody = z.strictObject({
  slug: Slug,
  survey: z
    .string()
    .max(200)
    .regex(/^[A-Za-z0-9_][A-Za-z0-9_./-]*\.ya?ml$/)
    .optional(),
  perCity: z.number().int().min(1).max(1_000_000).optional(),
  tokensRequired: z.boolean().optional(),
});
export const ValuesBody = z.strictObject({
  indicators: z.array(z.string().min(1).max(100)).min(1).max(200).optional(),
});
export const TokensBody = z.strictObject({ city: Adcode, count: z.number().int().min(1).max(10_000) });

const fw = (en: string, zh: string, access: string, extra: Partial<Operation> = {}): Operation => ({
  summary: { en, zh },
  tag: 'survey fieldwork',
  access,
  ok: { status: 200 },
  ...extra,
});

/** The OpenAPI operations of the fieldwork routes (merged into openapi.ts#OPERATIONS). */
export const FIELDWORK_OPERATIONS: ReadonlyArray<readonly [string, Operation]> = [
  ['GET /api/fieldwork/waves', fw('Survey waves with their quotas', '调查批次与配额', 'staff')],
  [
    'GET /api/fieldwork/waves/:wave/cities/:city/form',
    fw("A city's questionnaire (closed when its quota is full)", '城市问卷（配额满则关闭）', 'anyone'),
  ],
  [
    'POST /api/fieldwork/responses/:id',
    fw(
      'Save or submit a response (idempotent on its id)',
      '保存或提交答卷（按编号幂等）',
      'the respondent (device key)',
      {
        body: SaveBody,
      },
    ),
  ],
  [
    'GET /api/fieldwork/responses/:id',
    fw('Resume a partial response', '继续填写未完成的答卷', 'the respondent (device key)'),
  ],
  [
    'POST /api/fieldwork/waves/:wave/status',
    fw('Open or close a wave', '开启或关闭调查批次', 'admin, author', { body: StatusBody }),
  ],
  [
    'POST /api/fieldwork/waves/:wave/tokens',
    fw('Issue one-time tokens for a city (CSV)', '生成一次性答题码（CSV）', 'admin, author', {
      body: TokensBody,
      ok: { status: 200, mediaType: 'text/csv' },
    }),
  ],
  ['GET /api/fieldwork/waves/:wave/monitor', fw('Fieldwork monitor: quotas, rates, flags', '实地调查监控', 'staff')],
  [
    'GET /api/fieldwork/waves/:wave/export',
    fw('Raw and cleaned responses with codebook (CSV or XLSX)', '导出原始与清洗后答卷', 'staff', {
      ok: { status: 200, mediaType: 'application/octet-stream' },
    }),
  ],
  [
    'GET /api/fieldwork/waves/:wave/estimates',
    fw('City estimates with intervals and design effects', '城市估计值（含区间与设计效应）', 'staff'),
  ],
  [
    'POST /api/fieldwork/waves',
    fw(
      "Start a wave from the project's survey (quotas per city and age × sex cell)",
      '按项目问卷开启调查批次（城市及年龄×性别配额）',
      'admin, author',
      { body: NewWaveBody, ok: { status: 201 } },
    ),
  ],
  [
    'GET /api/fieldwork/waves/:wave/events',
    fw('Live monitor: server-sent events when the figures change', '实时监控（服务器推送事件）', 'staff', {
      ok: { status: 200, mediaType: 'text/event-stream' },
    }),
  ],
  [
    'POST /api/fieldwork/waves/:wave/values',
    fw(
      "Write the wave's estimates into the project's survey-based indicator values (below the minimum sample: missing)",
      '将调查估计值写入项目的问卷类指标（样本不足的城市记为缺失）',
      'admin, author',
      { body: ValuesBody },
    ),
  ],
  [
    'GET /api/fieldwork/values/:city/:indicator',
    fw(
      "Lineage of a city's survey-based value: survey, wave, responses, cleaning and weighting",
      '问卷类指标数值的来源：问卷、批次、答卷、清洗与加权',
      'staff',
    ),
  ],
  [
    'GET /api/fieldwork/waves/:wave/cities/:city/qr',
    fw("QR code of a city's link (SVG or PNG)", '城市问卷链接二维码', 'staff', {
      ok: { status: 200, mediaType: 'image/svg+xml' },
    }),
  ],
];

function param(req: FastifyRequest, name: string): string {
  return String((req.params as Record<string, string>)[name] ?? '');
}

/** A path or query value checked with a pattern, or a located 400. */
function checked(value: string | undefined, pattern: z.ZodString, field: string, expected: string): string {
  const r = pattern.safeParse(value ?? '');
  if (r.success) return r.data;
  throw new CityIndexError({
    code: 'E_PARAM',
    message: `"${String(value).slice(0, 40)}" is not a ${field}`,
    field,
    expected,
  });
}
const slugOf = (v: string | undefined) => checked(v, Slug, 'wave', 'a wave name (lowercase letters, digits, -)');
const adcodeOf = (v: string | undefined) => checked(v, Adcode, 'city', 'a 6-digit adcode');

function tooMany(): CityIndexError {
  return new CityIndexError({
    code: 'E_RATE_LIMIT',
    message: 'too many answers from this network, please try later / 提交过于频繁，请稍后再试',
    expected: 'fewer requests',
  });
}

const PAGE_TYPES = new Map([
  ['.html', 'text/html; charset=utf-8'],
  ['.js', 'text/javascript; charset=utf-8'],
  ['.css', 'text/css; charset=utf-8'],
  ['.svg', 'image/svg+xml'],
  ['.png', 'image/png'],
  ['.woff2', 'font/woff2'],
  ['.woff', 'font/woff'],
  ['.ttf', 'font/ttf'],
  ['.json', 'application/json'],
]);

/** CSP of the survey pages: own scripts only, inline style attributes (SurveyJS sets some), own API. */
export const PAGE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "connect-src 'self'; font-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/** The built pages, read once at start (bounded: 64 MB, 2 000 files; nothing outside the folder). */
function loadPages(dir: string): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  let bytes = 0;
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else if (st.isFile() && PAGE_TYPES.has(extname(name))) {
        bytes += st.size;
        if (bytes > 64 * 1024 * 1024 || out.size > 2000) throw new Error(`survey pages in ${dir} are too large`);
        out.set(relative(dir, p).split(sep).join('/'), readFileSync(p));
      }
    }
  };
  if (statSync(dir, { throwIfNoEntry: false })?.isDirectory()) walk(dir);
  return out;
}

/** Default folder of the built survey pages. */
export const DEFAULT_PAGES_DIR = fileURLToPath(new URL('../../web-survey/dist', import.meta.url));

/**
 * Mount the fieldwork routes and pages on a Fastify app (called by `createServer`).
 * @example // no-run: mounts routes on a Fastify app (createServer calls it; tests/server/server.test.ts)
 * await registerFieldworkRoutes(app, { store, project });
 */
export async function registerFieldworkRoutes(app: FastifyInstance, options: FieldworkRouteOptions): Promise<void> {
  const fieldwork = new Fieldwork(options.store);
  const project = options.project;
  const starts = rateLimiter({ max: options.respondentLimits?.startsPerHour ?? 60, windowMs: 3_600_000 });
  const saves = rateLimiter({ max: options.respondentLimits?.savesPerMinute ?? 240, windowMs: 60_000 });
  const origin = (req: FastifyRequest) => options.publicUrl ?? `${req.protocol}://${req.host}`;
  const waveOfProject = async (req: FastifyRequest, slug: string) => {
    const list = await fieldwork.listWaves(req.principal, project.id);
    const w = list.find((x) => x.slug === slug);
    if (!w) throw new CityIndexError({ code: 'E_NOT_FOUND', message: `no wave ${slug.slice(0, 60)}`, field: 'wave' });
    return w;
  };

  app.get('/api/fieldwork/waves', async (req) => ({ waves: await fieldwork.listWaves(req.principal, project.id) }));

  app.post('/api/fieldwork/waves', async (req, reply) => {
    const body = parseBody(NewWaveBody, req.body);
    return reply.status(201).send({ wave: await startStoredWave(fieldwork, req.principal, project, body) });
  });

  registerLiveMonitor(app, {
    fieldwork,
    store: options.store,
    waveOf: waveOfProject,
    intervalMs: 1000 * (options.live?.intervalSeconds ?? 2),
    perUser: options.live?.perUser ?? 4,
  });

  app.get('/api/fieldwork/waves/:wave/cities/:city/form', async (req) => {
    const form = await fieldwork.publicForm(slugOf(param(req, 'wave')), adcodeOf(param(req, 'city')));
    return { form, label: form.simulated ? SIMULATED_LABEL : null };
  });

  app.post('/api/fieldwork/responses/:id', { bodyLimit: MAX_ANSWERS_CHARS * 2 }, async (req) => {
    if (!saves(req.ip, Date.now())) throw tooMany();
    const body = parseBody(SaveBody, req.body);
    const responseId = param(req, 'id');
    // a new response counts against the address's hourly starts (checked before anything is stored)
    const beforeStart = () => {
      if (!starts(req.ip, Date.now())) throw tooMany();
    };
    try {
      const save = { ...body, responseId, answers: body.answers as Record<string, unknown> };
      return await fieldwork.saveResponse(save, { beforeStart });
    } catch (e) {
      if (e instanceof CityIndexError) throw e;
      // a concurrent duplicate (unique device or token) ends as a conflict, never a 500
      if (/unique|duplicate key/i.test(String((e as Error).message)))
        throw new CityIndexError({
          code: 'E_DUPLICATE_RESPONSE',
          message: 'this response was already received / 答卷已收到',
          expected: 'one response per device',
        });
      throw e;
    }
  });

  app.get('/api/fieldwork/responses/:id', async (req) => {
    const q = req.query as Record<string, string | undefined>;
    const key = String(req.headers['x-device-key'] ?? '');
    return { response: await fieldwork.resume(slugOf(q.wave), param(req, 'id'), key) };
  });

  app.post('/api/fieldwork/waves/:wave/status', async (req) => {
    const body = parseBody(StatusBody, req.body);
    const w = await waveOfProject(req, param(req, 'wave'));
    return { wave: await fieldwork.setWaveStatus(req.principal, w.slug, body.status) };
  });

  app.post('/api/fieldwork/waves/:wave/tokens', async (req, reply) => {
    const body = parseBody(TokensBody, req.body);
    const w = await waveOfProject(req, param(req, 'wave'));
    const { batch, tokens } = await fieldwork.issueTokens(req.principal, w.slug, body.city, body.count);
    const base = origin(req);
    const csv = exportCsv({
      header: ['city_adcode', 'batch', 'token', 'link'],
      rows: tokens.map((t) => [body.city, batch, t, `${base}/survey/${w.slug}/${body.city}?t=${t}`]),
    });
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="tokens-${w.slug}-${body.city}-${batch}.csv"`)
      .status(201)
      .send(csv);
  });

  app.get('/api/fieldwork/waves/:wave/monitor', async (req) => {
    const w = await waveOfProject(req, param(req, 'wave'));
    return { monitor: await fieldwork.monitor(req.principal, w.slug) };
  });

  app.get('/api/fieldwork/waves/:wave/export', async (req, reply) => {
    const w = await waveOfProject(req, param(req, 'wave'));
    const q = req.query as Record<string, string | undefined>;
    const format = q.format === 'xlsx' ? 'xlsx' : 'csv';
    const kind = q.kind === 'cleaned' || q.kind === 'codebook' ? q.kind : 'raw';
    const label = w.simulated ? SIMULATED_LABEL : null;
    const all = await fieldwork.listResponses(req.principal, w.slug, [
      'complete',
      'partial',
      'screened_out',
      'quota_full',
    ]);
    const { rows, cleaning, design, rules } = await fieldwork.cleaned(req.principal, w.slug);
    const tables = {
      raw: rawTable(rules, all, label),
      cleaned: cleanedTable(rules, rows, cleaning, label),
      codebook: codebookTable({ rules, definitions: design.definitions, label }),
    };
    if (format === 'xlsx') {
      return reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="${w.slug}.xlsx"`)
        .send(Buffer.from(await exportWorkbook(tables)));
    }
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${w.slug}-${kind}.csv"`)
      .send(exportCsv(tables[kind]));
  });

  app.get('/api/fieldwork/waves/:wave/estimates', async (req) => {
    const w = await waveOfProject(req, param(req, 'wave'));
    const { design, result } = await fieldwork.estimates(req.principal, w.slug);
    const e = result.estimates;
    const n = e.dataset.unitCodes.length;
    const flagged = new Map(e.flags.map((f) => [f.city, f]));
    const minSample = design.config.estimation.minSample ?? 100;
    const rows = e.dataset.codes.flatMap((code, j) =>
      e.dataset.unitCodes.map((city, i) => {
        const k = j * n + i;
        const nn = e.n.values[k];
        const below = flagged.has(city);
        const num = (x: number) => (below || !Number.isFinite(x) ? null : x);
        const nEff = e.nEff.values[k];
        return {
          city,
          indicator: code,
          // a city under the minimum sample is shown as such, never as a number
          value: num(e.dataset.values[k]),
          lower: num(e.lower.values[k]),
          upper: num(e.upper.values[k]),
          se: num(e.se.values[k]),
          n: Number.isFinite(nn) ? nn : 0,
          nEff: Number.isFinite(nEff) ? nEff : 0,
          deff: Number.isFinite(nn) && nEff > 0 ? nn / nEff : null,
          belowMinimum: below,
        };
      }),
    );
    return {
      estimates: rows,
      confidence: e.confidence,
      minSample,
      lineage: {
        survey: design.surveyId,
        wave: w.slug,
        responses: result.cleaning.received,
        kept: result.cleaning.kept,
        weighting: design.config.weighting.weighting.method,
        cleaning: result.cleaning.counts,
      },
      label: w.simulated ? SIMULATED_LABEL : null,
    };
  });

  app.post('/api/fieldwork/waves/:wave/values', async (req) => {
    const body = parseBody(ValuesBody, req.body ?? {});
    const slug = slugOf(param(req, 'wave'));
    return { run: await surveyValuesIntoStore(fieldwork, req.principal, project, slug, body) };
  });

  app.get('/api/fieldwork/values/:city/:indicator', async (req) => {
    const city = adcodeOf(param(req, 'city'));
    const indicator = checked(param(req, 'indicator'), IndicatorCode, 'indicator', 'an indicator code');
    const lineage = await surveyValueLineage(fieldwork, req.principal, project.id, city, indicator);
    if (!lineage)
      throw new CityIndexError({
        code: 'E_NOT_FOUND',
        message: `the current value of ${city} × ${indicator} is not from survey estimates / 该数值不是问卷估计值`,
        field: 'indicator',
      });
    return { lineage };
  });

  app.get('/api/fieldwork/waves/:wave/cities/:city/qr', async (req, reply) => {
    const w = await waveOfProject(req, param(req, 'wave'));
    const city = adcodeOf(param(req, 'city'));
    if (!w.cities.some((c) => c.code === city))
      throw new CityIndexError({ code: 'E_NOT_FOUND', message: `no city ${city} in wave ${w.slug}`, field: 'city' });
    const link = `${origin(req)}/survey/${w.slug}/${city}`;
    const q = req.query as Record<string, string | undefined>;
    if (q.format === 'png') {
      const png = await QRCode.toBuffer(link, { type: 'png', errorCorrectionLevel: 'M', margin: 4, width: 600 });
      return reply
        .header('content-type', 'image/png')
        .header('content-disposition', `inline; filename="qr-${w.slug}-${city}.png"`)
        .send(png);
    }
    const svg = await QRCode.toString(link, { type: 'svg', errorCorrectionLevel: 'M', margin: 4 });
    return reply
      .header('content-type', 'image/svg+xml')
      .header('content-disposition', `inline; filename="qr-${w.slug}-${city}.svg"`)
      .send(svg);
  });

  // the built pages: one single-page app under /survey/ (form, monitor, expert panel)
  const pages = loadPages(options.pagesDir ?? DEFAULT_PAGES_DIR);
  const sendPage = async (path: string, reply: import('fastify').FastifyReply) => {
    const bytes = pages.get(path);
    if (!bytes) {
      if (pages.size === 0)
        throw new CityIndexError({
          code: 'E_NO_PAGES',
          message: 'the survey pages are not built: run `npm run build:survey-web` / 问卷页面尚未构建',
          expected: 'web-survey/dist',
        });
      throw new CityIndexError({ code: 'E_NOT_FOUND', message: 'no such page / 无此页面' });
    }
    return reply
      .header('content-type', PAGE_TYPES.get(extname(path)) ?? 'application/octet-stream')
      .header('content-security-policy', PAGE_CSP)
      .header('cache-control', path.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-store')
      .send(Buffer.from(bytes));
  };
  app.get('/survey/assets/*', async (req, reply) => sendPage(`assets/${param(req, '*')}`, reply));
  app.get('/survey/*', async (_req, reply) => sendPage('index.html', reply));
}
