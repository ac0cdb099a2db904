/**
 * The OpenAPI 3.1 description of the HTTP API, generated from the route table (`ROUTES`) and the SAME
 * zod schemas the routes parse their bodies with (`z.toJSONSchema`, JSON Schema 2020-12 as OpenAPI 3.1
 * uses), served at `/api/openapi.json`; `/api/docs` is a small self-rendered page listing the
 * operations (no CDN, no script). Every route must have an entry in `OPERATIONS` and every entry a route
 * (tests/server/openapi.test.ts), so the document cannot silently miss one.
 */
import { z } from 'zod';
import { escapeHtml } from '../report/markdown.ts';
import { EditionBody, LoginBody, NewUserBody, ReviewBody, SubmissionBody } from './schemas.ts';
import {
  AcceptInvitationBody,
  EditionSchema,
  ErrorBody,
  InvitationBody,
  InvitationSchema,
  ResultsSchema,
  UserSchema,
} from './platform-schemas.ts';
import { FIELDWORK_OPERATIONS } from './fieldwork.ts';
import { EXPERT_OPERATIONS } from './expert-routes.ts';
import { SUBMISSION_OPERATIONS } from './uploads.ts';
import { WORKBENCH_OPERATIONS } from './workbench-routes.ts';
import { CASELOG_OPERATIONS } from './caselog-routes.ts';

/** One operation: bilingual summary, who may call it, its body and its success response. */
export interface Operation {
  summary: { en: string; zh: string };
  tag: string;
  /** Who may call it (for readers of the document; the Store enforces it). */
  access: string;
  body?: z.ZodType;
  /** Query parameters (name → description). */
  query?: Readonly<Record<string, string>>;
  /** The success status and its JSON body schema (or a media type for non-JSON answers). */
  ok: { status: number; schema?: z.ZodType; mediaType?: string };
}

const OkBody = z.object({ ok: z.literal(true) });
const anyObject = (description: string) => z.object({}).passthrough().describe(description);

/** Every operation of the API, keyed `METHOD /url` exactly as in ROUTES. */
export const OPERATIONS: ReadonlyMap<string, Operation> = new Map<string, Operation>([
  [
    'GET /api/health',
    { summary: { en: 'Server is up', zh: '服务状态' }, tag: 'server', access: 'anyone', ok: { status: 200 } },
  ],
  [
    'POST /api/session',
    {
      summary: { en: 'Sign in (sets the session cookie, returns the CSRF token)', zh: '登录' },
      tag: 'session',
      access: 'anyone (rate-limited, lockout)',
      body: LoginBody,
      ok: {
        status: 200,
        schema: z.object({ user: z.object({ username: z.string(), role: z.string() }), csrf: z.string() }),
      },
    },
  ],
  [
    'DELETE /api/session',
    {
      summary: { en: 'Sign out', zh: '退出登录' },
      tag: 'session',
      access: 'anyone',
      ok: { status: 200, schema: OkBody },
    },
  ],
  [
    'GET /api/me',
    {
      summary: { en: 'The signed-in user, CSRF token and units', zh: '当前用户' },
      tag: 'session',
      access: 'signed-in users',
      ok: { status: 200 },
    },
  ],
  [
    'GET /api/project',
    {
      summary: { en: 'The project: framework and units', zh: '项目：指标体系与城市' },
      tag: 'project',
      access: 'anyone',
      ok: { status: 200 },
    },
  ],
  [
    'GET /api/editions',
    {
      summary: { en: 'Editions (published; drafts too for staff and readers)', zh: '版本列表' },
      tag: 'editions',
      access: 'anyone',
      ok: { status: 200, schema: z.object({ editions: z.array(EditionSchema) }) },
    },
  ],
  [
    'POST /api/editions',
    {
      summary: { en: "Build a draft edition from the store's approved values", zh: '生成草稿版本' },
      tag: 'editions',
      access: 'admin, author',
      body: EditionBody,
      ok: { status: 201, schema: z.object({ edition: EditionSchema }) },
    },
  ],
  [
    'GET /api/editions/:id',
    {
      summary: { en: 'One edition with its results', zh: '版本详情与结果' },
      tag: 'editions',
      access: 'anyone (published); staff and readers (drafts)',
      ok: { status: 200 },
    },
  ],
  [
    'GET /api/editions/:id/site-data',
    {
      summary: {
        en: "An edition's site data: results, rank intervals and the weights the live re-weighting varies",
        zh: '版本的分析数据：结果、排名区间与可调整的权重',
      },
      tag: 'editions',
      access: 'staff and readers (drafts and published); rebuilt once per edition (seconds), 409 if it cannot be',
      ok: { status: 200 },
    },
  ],
  [
    'POST /api/editions/:id/publish',
    {
      summary: { en: 'Publish (freeze) a draft edition', zh: '发布版本' },
      tag: 'editions',
      access: 'admin, author',
      ok: { status: 200, schema: z.object({ edition: EditionSchema }) },
    },
  ],
  [
    'GET /api/editions/:id/results.json',
    {
      summary: { en: 'Results of an edition: scores and ranks at every level (JSON)', zh: '结果下载（JSON）' },
      tag: 'results',
      access: 'anyone (published); staff and readers (drafts)',
      ok: { status: 200, schema: ResultsSchema },
    },
  ],
  [
    'GET /api/editions/:id/results.csv',
    {
      summary: { en: 'Results of an edition as CSV (UTF-8 with BOM, formula-safe)', zh: '结果下载（CSV）' },
      tag: 'results',
      access: 'anyone (published); staff and readers (drafts)',
      ok: { status: 200, mediaType: 'text/csv' },
    },
  ],
  [
    'GET /api/compare',
    {
      summary: { en: 'Compare two editions: score and rank changes per unit, and their drivers', zh: '比较两个版本' },
      tag: 'results',
      access: 'whoever may read both editions',
      query: { from: 'the earlier edition id', to: 'the later edition id' },
      ok: { status: 200 },
    },
  ],
  [
    'GET /api/units/:unit/values',
    {
      summary: { en: 'Current values of a unit with provenance', zh: '城市当前数据' },
      tag: 'values',
      access: 'staff; a city officer for its own units',
      ok: { status: 200 },
    },
  ],
  [
    'GET /api/submissions',
    {
      summary: { en: 'Submissions (a city officer: its own units only)', zh: '提交列表' },
      tag: 'submissions',
      access: 'staff, city officers',
      ok: { status: 200 },
    },
  ],
  [
    'POST /api/submissions',
    {
      summary: { en: 'Submit values for one of your units', zh: '提交数据' },
      tag: 'submissions',
      access: 'city officers (own units)',
      body: SubmissionBody,
      ok: { status: 201 },
    },
  ],
  [
    'GET /api/submissions/:id',
    {
      summary: { en: 'One submission with values and reviews', zh: '提交详情' },
      tag: 'submissions',
      access: 'staff; a city officer for its own units',
      ok: { status: 200 },
    },
  ],
  [
    'POST /api/submissions/:id/review',
    {
      summary: { en: 'Approve or reject a pending submission (optimistic version)', zh: '审核提交' },
      tag: 'submissions',
      access: 'admin, reviewer (never their own)',
      body: ReviewBody,
      ok: { status: 200 },
    },
  ],
  [
    'GET /api/users',
    {
      summary: { en: 'Accounts', zh: '用户列表' },
      tag: 'users',
      access: 'admin',
      ok: { status: 200, schema: z.object({ users: z.array(UserSchema) }) },
    },
  ],
  [
    'POST /api/users',
    {
      summary: { en: 'Add an account', zh: '添加用户' },
      tag: 'users',
      access: 'admin',
      body: NewUserBody,
      ok: { status: 201, schema: z.object({ user: UserSchema }) },
    },
  ],
  [
    'GET /api/invitations',
    {
      summary: { en: 'Invitations and their status (never tokens)', zh: '邀请列表' },
      tag: 'users',
      access: 'admin',
      ok: { status: 200, schema: z.object({ invitations: z.array(InvitationSchema) }) },
    },
  ],
  [
    'POST /api/invitations',
    {
      summary: { en: 'Invite someone to a role: a one-time link (shown once)', zh: '邀请用户' },
      tag: 'users',
      access: 'admin',
      body: InvitationBody,
      ok: {
        status: 201,
        schema: z.object({ invitation: InvitationSchema, token: z.string(), link: z.string() }),
      },
    },
  ],
  [
    'POST /api/invitations/:id/revoke',
    {
      summary: { en: 'Revoke an invitation not used yet: its link stops working', zh: '撤销未使用的邀请' },
      tag: 'users',
      access: 'admin',
      ok: { status: 200, schema: z.object({ invitation: InvitationSchema }) },
    },
  ],
  [
    'POST /api/invitations/accept',
    {
      summary: { en: 'Accept an invitation: choose a user name and password', zh: '接受邀请' },
      tag: 'users',
      access: 'the holder of the link',
      body: AcceptInvitationBody,
      ok: { status: 201, schema: z.object({ user: UserSchema }) },
    },
  ],
  [
    'GET /invite',
    {
      summary: { en: 'The invitation page (a form)', zh: '邀请页面' },
      tag: 'users',
      access: 'the holder of the link',
      query: { token: "the invitation link's token" },
      ok: { status: 200, mediaType: 'text/html' },
    },
  ],
  [
    'POST /invite',
    {
      summary: { en: "The invitation page's form (URL-encoded token, username, password)", zh: '提交邀请表单' },
      tag: 'users',
      access: 'the holder of the link',
      ok: { status: 201, mediaType: 'text/html' },
    },
  ],
  [
    'GET /api/audit',
    {
      summary: { en: 'The audit log, oldest first', zh: '审计日志' },
      tag: 'audit',
      access: 'admin',
      query: { after: 'return rows after this sequence number', limit: 'at most this many rows (≤ 10 000)' },
      ok: { status: 200 },
    },
  ],
  [
    'GET /api/audit/verify',
    {
      summary: { en: "Verify the audit log's hash chain", zh: '校验审计日志' },
      tag: 'audit',
      access: 'admin',
      ok: { status: 200 },
    },
  ],
  [
    'GET /api/openapi.json',
    {
      summary: { en: 'This document (OpenAPI 3.1)', zh: '接口描述（OpenAPI 3.1）' },
      tag: 'server',
      access: 'anyone',
      ok: { status: 200, schema: anyObject('an OpenAPI 3.1 document') },
    },
  ],
  [
    'GET /api/docs',
    {
      summary: { en: 'The API reference page', zh: '接口文档页面' },
      tag: 'server',
      access: 'anyone',
      ok: { status: 200, mediaType: 'text/html' },
    },
  ],
  ...SUBMISSION_OPERATIONS,
  ...FIELDWORK_OPERATIONS,
  ...EXPERT_OPERATIONS,
  ...WORKBENCH_OPERATIONS,
  ...CASELOG_OPERATIONS,
  ...(
    [
      ['/', 'The public dashboard', '公开看板'],
      ['/index.html', 'The public dashboard', '公开看板'],
      ['/assets/:file', "The dashboard's scripts and styles", '看板脚本与样式'],
      ['/data/:file', "The dashboard's data (the published edition) and map", '看板数据与地图'],
      ['/downloads/:file', 'Downloads: results CSV/XLSX, report', '下载：结果与报告'],
    ] as const
  ).map(
    ([url, en, zh]) =>
      [
        `GET ${url}`,
        { summary: { en, zh }, tag: 'dashboard', access: 'anyone', ok: { status: 200, mediaType: 'text/html' } },
      ] as const,
  ),
]);

/** The error statuses every operation may answer, with what they mean. */
export const ERROR_STATUSES: ReadonlyMap<number, string> = new Map([
  [400, 'bad input: E_SCHEMA, E_PARAM and the located issues of the check that failed'],
  [401, 'E_UNAUTHENTICATED (sign in) or E_LOGIN (wrong user name or password)'],
  [403, 'E_FORBIDDEN (your role may not) or E_CSRF (missing or wrong x-csrf-token)'],
  [404, 'E_NOT_FOUND: no such resource, or one you may not see'],
  [409, 'E_CONFLICT: changed meanwhile (optimistic version) or already exists; E_IN_USE: a published edition uses it'],
  [413, 'E_BODY_TOO_LARGE'],
  [415, 'E_HTTP_415: only application/json bodies'],
  [423, 'E_LOCKED: too many failed logins'],
  [429, 'E_RATE_LIMIT'],
]);

/** JSON Schema of a zod schema without its `$schema` key (OpenAPI 3.1 schema objects). */
function jsonSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

/** `/api/editions/:id` → `/api/editions/{id}`, with the names of its path parameters. */
function openApiPath(url: string): { path: string; params: string[] } {
  const params: string[] = [];
  const path = url.replace(/:([A-Za-z]+)/g, (_m, name: string) => {
    params.push(name);
    return `{${name}}`;
  });
  return { path, params };
}

/**
 * The OpenAPI 3.1 document of a route table. A route without an operation is listed under
 * `x-undocumented` (the test fails on it) rather than dropped.
 * @example
 * const doc = openApiDocument([{ method: 'GET', url: '/api/editions/:id' }], '0.1.0');
 * doc.openapi // => '3.1.0'
 * Object.keys(doc.paths) // => ['/api/editions/{id}']
 */
export function openApiDocument(
  routes: ReadonlyArray<{ method: string; url: string }>,
  version: string,
): {
  openapi: string;
  info: Record<string, unknown>;
  paths: Record<string, Record<string, unknown>>;
  components: Record<string, unknown>;
  'x-undocumented': string[];
} {
  const paths: Record<string, Record<string, unknown>> = {};
  const undocumented: string[] = [];
  const errorResponses = Object.fromEntries(
    [...ERROR_STATUSES].map(([status, description]) => [
      String(status),
      { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
    ]),
  );
  for (const route of routes) {
    const key = `${route.method} ${route.url}`;
    const op = OPERATIONS.get(key);
    if (!op) {
      undocumented.push(key);
      continue;
    }
    const { path, params } = openApiPath(route.url);
    const parameters = [
      ...params.map((name) => ({ name, in: 'path', required: true, schema: { type: 'string', maxLength: 100 } })),
      ...Object.entries(op.query ?? {}).map(([name, description]) => ({
        name,
        in: 'query',
        required: name === 'from' || name === 'to',
        description,
        schema: { type: 'string' },
      })),
    ];
    const okContent = op.ok.mediaType
      ? { [op.ok.mediaType]: { schema: { type: 'string' } } }
      : { 'application/json': { schema: op.ok.schema ? jsonSchema(op.ok.schema) : { type: 'object' } } };
    paths[path] ??= {};
    const camel = path.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c?: string) => (c ?? '').toUpperCase());
    paths[path][route.method.toLowerCase()] = {
      operationId: `${route.method.toLowerCase()}${camel}`,
      summary: `${op.summary.en} / ${op.summary.zh}`,
      description: `Who may call it: ${op.access}.`,
      tags: [op.tag],
      ...(parameters.length && { parameters }),
      ...(op.body && {
        requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(op.body) } } },
      }),
      responses: { [String(op.ok.status)]: { description: 'success', content: okContent }, ...errorResponses },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'cityindex platform API / 城市指数平台接口',
      version,
      description:
        'Sessions: sign in with POST /api/session; send the session cookie and, on every state-changing ' +
        'request, the x-csrf-token header. Errors are { error: { code, message, issues } } with stable codes.',
    },
    paths,
    components: {
      schemas: { Error: jsonSchema(ErrorBody) },
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'cityindex_session' },
        csrf: { type: 'apiKey', in: 'header', name: 'x-csrf-token' },
      },
    },
    'x-undocumented': undocumented,
  };
}

/**
 * The API reference page: every operation with its method, path, summary, access and body fields;
 * plain HTML (the server's CSP allows no script or external style), linking to the JSON document.
 * @example docsPage(openApiDocument([{ method: 'GET', url: '/api/health' }], '1')).includes('/api/health') // => true
 */
export function docsPage(doc: ReturnType<typeof openApiDocument>): string {
  const rows: string[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, raw] of Object.entries(methods)) {
      const op = raw as { summary: string; description: string; requestBody?: unknown; tags: string[] };
      const body = op.requestBody as
        { content: { 'application/json': { schema: { properties?: Record<string, unknown> } } } } | undefined;
      const fields = Object.keys(body?.content['application/json'].schema.properties ?? {}).join(', ');
      rows.push(
        `<tr><td><code>${escapeHtml(method.toUpperCase())}</code></td><td><code>${escapeHtml(path)}</code></td>` +
          `<td>${escapeHtml(op.summary)}</td><td>${escapeHtml(op.description)}</td>` +
          `<td>${fields ? `<code>${escapeHtml(fields)}</code>` : ''}</td></tr>`,
      );
    }
  }
  const errors = [...ERROR_STATUSES].map(([s, d]) => `<li><code>${s}</code> ${escapeHtml(d)}</li>`).join('');
  return (
    '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">' +
    '<title>cityindex API / 城市指数平台接口</title></head><body>' +
    '<h1>cityindex API / 城市指数平台接口</h1>' +
    '<p>Machine-readable description / 机器可读描述: <a href="/api/openapi.json">OpenAPI 3.1</a></p>' +
    '<p>Errors / 错误: <code>{ "error": { "code", "message", "issues" } }</code></p><ul>' +
    errors +
    '</ul><table><thead><tr><th>Method</th><th>Path / 路径</th><th>What / 说明</th><th>Access / 权限</th>' +
    '<th>Body fields / 请求字段</th></tr></thead><tbody>' +
    rows.join('') +
    '</tbody></table></body></html>'
  );
}
