/**
 * The routes the workbench's views read beside the submission-round API (store: src/store/workbench.ts):
 * a round's data status by city, and one city's sheet (indicators with unit and definition, last
 * edition's value, this round's value, outlier flags for staff). Read-only; authorisation in the store.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { CityIndexError } from '../engine/core/errors.ts';
import type { ProjectInfo, Store } from '../store/store.ts';
import { roundStatus, unitSheet } from '../store/workbench.ts';
import type { Operation } from './openapi.ts';

/** The routes of this module (listed in app.ts#ROUTES for the attack matrix). */
export const WORKBENCH_ROUTES = [
  { method: 'GET', url: '/api/rounds/:round/status', writes: false },
  { method: 'GET', url: '/api/rounds/:round/units/:unit/sheet', writes: false },
] as const;

const op = (en: string, zh: string, access: string): Operation => ({
  summary: { en, zh },
  tag: 'submission rounds',
  access,
  ok: { status: 200 },
});

/** The OpenAPI operations of these routes (merged into openapi.ts#OPERATIONS). */
export const WORKBENCH_OPERATIONS: ReadonlyArray<readonly [string, Operation]> = [
  [
    'GET /api/rounds/:round/status',
    op(
      'Data status by city: values per status and missing, per city',
      '各城市填报状态（各状态数量与缺失数）',
      'staff (every city); a city officer (own cities)',
    ),
  ],
  [
    'GET /api/rounds/:round/units/:unit/sheet',
    op(
      "A city's sheet: indicators, last edition's value, this round's value; outlier flags for staff",
      '城市填报表：指标、上一版数值、本轮数值；审核人员可见异常值标记',
      'staff; a city officer for own cities',
    ),
  ],
];

function param(req: FastifyRequest, name: string, pattern: RegExp, expected: string): string {
  const raw = (req.params as Record<string, string>)[name] ?? '';
  if (!pattern.test(raw))
    throw new CityIndexError({
      code: 'E_PARAM',
      message: `"${raw.slice(0, 40)}" is not a valid ${name} / 参数无效`,
      field: name,
      expected,
    });
  return raw;
}
const roundParam = (req: FastifyRequest) =>
  Number(param(req, 'round', /^[1-9][0-9]{0,11}$/, 'a positive whole number'));
const unitParam = (req: FastifyRequest) => param(req, 'unit', /^[A-Za-z0-9_.-]{1,20}$/, 'an adcode or unit code');

/**
 * Register the workbench routes on the server of `project` (called by `createServer`).
 * @example // no-run: registers routes on a Fastify app (createServer calls it; tests/server/workbench.test.ts)
 * await registerWorkbenchRoutes(app, { store, project });
 */
export async function registerWorkbenchRoutes(
  app: FastifyInstance,
  { store, project }: { store: Store; project: ProjectInfo },
): Promise<void> {
  app.get('/api/rounds/:round/status', async (req) => roundStatus(store, req.principal, project, roundParam(req)));
  app.get('/api/rounds/:round/units/:unit/sheet', async (req) =>
    unitSheet(store, req.principal, project, roundParam(req), unitParam(req)),
  );
}
