/**
 * The expert-panel routes (registered by `createServer`): authors open panels, add or invite experts,
 * read the aggregate and make a draft edition with the panel's weights; experts read their panels and
 * save or submit their own judgements. Routes parse with zod and call src/store/expert-panel.ts, which
 * enforces the roles; a panel of another project is not found. The pages are the survey app's
 * /survey/panel/<id> (expert) and /survey/panel/<id>/results (author).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { CityIndexError } from '../engine/core/errors.ts';
import {
  addPanelExpert,
  closePanel,
  getPanel,
  invitePanelExpert,
  JUSTIFICATION_CHARS,
  listJudgements,
  listPanels,
  MAX_PANEL_TITLE,
  openPanel,
  panelCandidates,
  panelResults,
  panelVariant,
  saveJudgements,
  type PanelInfo,
} from '../store/expert-panel.ts';
import { INVITATION_HOURS } from '../store/invitations.ts';
import type { ProjectInfo, Store } from '../store/store.ts';
import type { Operation } from './openapi.ts';
import { parseBody } from './schemas.ts';

/** The expert-panel routes (appended to the server's ROUTES for the attack matrix). */
export const EXPERT_ROUTES = [
  { method: 'GET', url: '/api/panels', writes: false },
  { method: 'GET', url: '/api/panels/candidates', writes: false },
  { method: 'POST', url: '/api/panels', writes: true },
  { method: 'GET', url: '/api/panels/:id', writes: false },
  { method: 'GET', url: '/api/panels/:id/judgements', writes: false },
  { method: 'POST', url: '/api/panels/:id/judgements', writes: true },
  { method: 'POST', url: '/api/panels/:id/experts', writes: true },
  { method: 'POST', url: '/api/panels/:id/invitations', writes: true },
  { method: 'GET', url: '/api/panels/:id/results', writes: false },
  { method: 'POST', url: '/api/panels/:id/variant', writes: true },
  { method: 'POST', url: '/api/panels/:id/close', writes: true },
] as const;

const Code = z.string().min(1).max(100);

export const PanelBody = z.strictObject({
  title: z.string().min(1).max(MAX_PANEL_TITLE),
  parents: z.array(Code).min(1).max(200).optional(),
});
export const JudgementBody = z.strictObject({
  parent: Code,
  // at most 45 pairs per group (10 elements, the end of Saaty's random-index table)
  answers: z.record(z.string().max(200), z.unknown()).refine((a) => Object.keys(a).length <= 45, 'at most 45 answers'),
  submit: z.boolean().optional(),
  justification: z.string().max(JUSTIFICATION_CHARS.max).optional(),
});
export const ExpertBody = z.strictObject({ username: z.string().min(1).max(64) });
export const PanelInvitationBody = z.strictObject({
  expiresInHours: z.number().positive().max(INVITATION_HOURS.max).optional(),
});
export const VariantBody = z.strictObject({ method: z.enum(['aij', 'aip']).default('aij') });

const op = (en: string, zh: string, access: string, extra: Partial<Operation> = {}): Operation => ({
  summary: { en, zh },
  tag: 'expert panel',
  access,
  ok: { status: 200 },
  ...extra,
});

/** The OpenAPI operations of the expert-panel routes (merged into openapi.ts#OPERATIONS). */
export const EXPERT_OPERATIONS: ReadonlyArray<readonly [string, Operation]> = [
  [
    'GET /api/panels',
    op('Expert panels (an expert: their own)', '专家组列表（专家只见自己的）', 'admin, author, expert'),
  ],
  ['GET /api/panels/candidates', op('Parent nodes a panel can compare', '可供专家比较的上级指标', 'admin, author')],
  [
    'POST /api/panels',
    op('Open an AHP panel on parent nodes', '新建层次分析法专家组', 'admin, author', {
      body: PanelBody,
      ok: { status: 201 },
    }),
  ],
  ['GET /api/panels/:id', op('A panel and its comparison groups', '专家组及其比较组', 'admin, author, its experts')],
  [
    'GET /api/panels/:id/judgements',
    op('Judgements (an expert: their own only)', '判断矩阵（专家只见自己的）', 'admin, author, its experts'),
  ],
  [
    'POST /api/panels/:id/judgements',
    op(
      'Save or submit judgements of one group (CR ≤ 0.10 or a justification)',
      '保存或提交一组判断（CR ≤ 0.10 或说明理由）',
      'its experts',
      { body: JudgementBody },
    ),
  ],
  [
    'POST /api/panels/:id/experts',
    op('Add an expert account to a panel', '将专家账户加入专家组', 'admin, author', { body: ExpertBody }),
  ],
  [
    'POST /api/panels/:id/invitations',
    op('Invite an expert (one-time link)', '邀请专家（一次性链接）', 'admin, author', {
      body: PanelInvitationBody,
      ok: { status: 201 },
    }),
  ],
  [
    'GET /api/panels/:id/results',
    op(
      "The panel's AIJ/AIP weights, spread and each expert's CR",
      '专家组聚合权重、离散度与各专家 CR',
      'admin, author',
    ),
  ],
  [
    'POST /api/panels/:id/variant',
    op("A draft edition built with the panel's weights", '用专家组权重构建草稿版本', 'admin, author', {
      body: VariantBody,
      ok: { status: 201 },
    }),
  ],
  [
    'POST /api/panels/:id/close',
    op('Close a panel (experts can no longer save or submit)', '关闭专家组（专家不能再保存或提交）', 'admin, author'),
  ],
];

function panelId(req: FastifyRequest): number {
  const raw = String((req.params as Record<string, string>).id ?? '');
  if (!/^[0-9]{1,9}$/.test(raw) || Number(raw) < 1)
    throw new CityIndexError({
      code: 'E_PARAM',
      message: `"${raw.slice(0, 40)}" is not a panel id / 不是有效编号`,
      field: 'id',
      expected: 'a positive whole number',
    });
  return Number(raw);
}

/**
 * Mount the expert-panel routes on a Fastify app (called by `createServer`).
 * @example // no-run: mounts routes on a Fastify app (createServer calls it; tests/server/expert-routes.test.ts)
 * await registerExpertRoutes(app, { store, project });
 */
export async function registerExpertRoutes(
  app: FastifyInstance,
  options: { store: Store; project: ProjectInfo },
): Promise<void> {
  const { store, project } = options;
  /** The panel if the caller may see it and it belongs to this server's project. */
  const panelOf = async (req: FastifyRequest): Promise<PanelInfo> => {
    const id = panelId(req);
    const panel = await getPanel(store, req.principal, id);
    if (panel.projectId !== project.id)
      throw new CityIndexError({
        code: 'E_NOT_FOUND',
        message: `no expert panel ${id} / 找不到专家组`,
        field: 'panel',
      });
    return panel;
  };

  app.get('/api/panels', async (req) => ({ panels: await listPanels(store, req.principal, project.id) }));
  app.get('/api/panels/candidates', async (req) => ({
    groups: await panelCandidates(store, req.principal, project),
  }));
  app.post('/api/panels', async (req, reply) => {
    const body = parseBody(PanelBody, req.body);
    return reply.status(201).send({ panel: await openPanel(store, req.principal, project, body) });
  });
  app.get('/api/panels/:id', async (req) => ({ panel: await panelOf(req) }));
  app.get('/api/panels/:id/judgements', async (req) => {
    const panel = await panelOf(req);
    return { judgements: await listJudgements(store, req.principal, panel.id) };
  });
  app.post('/api/panels/:id/judgements', { bodyLimit: 64 * 1024 }, async (req) => {
    const body = parseBody(JudgementBody, req.body);
    const panel = await panelOf(req);
    const answers = body.answers as Record<string, unknown>;
    return { judgement: await saveJudgements(store, req.principal, panel.id, { ...body, answers }) };
  });
  app.post('/api/panels/:id/experts', async (req) => {
    const body = parseBody(ExpertBody, req.body);
    const panel = await panelOf(req);
    return addPanelExpert(store, req.principal, panel.id, body.username);
  });
  app.post('/api/panels/:id/invitations', async (req, reply) => {
    const body = parseBody(PanelInvitationBody, req.body);
    const panel = await panelOf(req);
    const { invitation, token } = await invitePanelExpert(store, req.principal, panel.id, body);
    return reply
      .status(201)
      .send({ invitation, token, link: `/invite?token=${token}`, panelPage: `/survey/panel/${panel.id}` });
  });
  app.get('/api/panels/:id/results', async (req) => {
    const panel = await panelOf(req);
    return { results: await panelResults(store, req.principal, panel.id) };
  });
  app.post('/api/panels/:id/close', async (req) => {
    const panel = await panelOf(req);
    return { panel: await closePanel(store, req.principal, panel.id) };
  });
  app.post('/api/panels/:id/variant', async (req, reply) => {
    const body = parseBody(VariantBody, req.body ?? {});
    const panel = await panelOf(req);
    const edition = await panelVariant(store, req.principal, project, panel.id, body.method);
    return reply.status(201).send({ edition: { ...edition, results: undefined } });
  });
}
