/**
 * Expert AHP panels in the store: an author opens a panel on some parent nodes of the project's framework
 * (the comparison groups are fixed then), adds experts by name or invites them with a one-time link (role
 * `expert`, through invitations.ts); each expert saves pairwise judgements per parent node as they go and
 * submits each group once, when its consistency ratio is at most 0.10 or with a written justification.
 * The author reads every expert's judgements, the panel's aggregate (AIJ and AIP, the engine's `groupAhp`)
 * with its spread across experts, and makes a draft edition built with the panel's weights.
 * Authorisation is here, in the data layer: an expert reads and writes only their own judgements, and only
 * in panels they belong to; authors and admins manage panels; every other role is refused. The numbers
 * (matrices, CR, the most inconsistent judgement, aggregates) are the engine's, never recomputed here.
 */
import type { Transaction } from 'kysely';
import { runProject } from '../app/project.ts';
import { CityIndexError, type Issue } from '../engine/core/errors.ts';
import type { Framework } from '../engine/core/framework.ts';
import { RI_SAATY } from '../engine/methods/weight/ahp.ts';
import type { BuildSpec, StepSpec } from '../engine/spec/spec.ts';
import { quantileSorted } from '../engine/stats/descriptive.ts';
import {
  ahpConsistency,
  ahpWeightOptions,
  comparisonGroups,
  groupAhp,
  mostInconsistentJudgements,
  type GroupAhpResult,
  type InconsistentJudgement,
} from '../engine/survey/ahp-group.ts';
import { panelMatrix, panelPairs, saatyAnswer, type PanelGroup } from '../engine/survey/ahp-panel.ts';
import { fingerprint, resultsTable } from '../formats/results.ts';
import { frozenInputs } from './edition.ts';
import { issueInvitation, type InvitationInfo } from './invitations.ts';
import { actorName, hasRole, requireRole, type Principal, type Role } from './principal.ts';
import { loadStoredProject } from './project-io.ts';
import type { StoreDatabase } from './schema.ts';
import type { Edition, ProjectInfo, Store } from './store.ts';

export type { PanelGroup };

/** Consistency ratio at or below which a group may be submitted without a justification. */
export const PANEL_MAX_CR = 0.1;
/** Bounds of the written justification (characters, after trimming). */
export const JUSTIFICATION_CHARS = { min: 20, max: 2000 } as const;
/** Longest panel title (characters). */
export const MAX_PANEL_TITLE = 200;

const MANAGERS: readonly Role[] = ['admin', 'author'];
const PANEL_ROLES: readonly Role[] = ['admin', 'author', 'expert'];

/** A panel as listed. */
export interface PanelInfo {
  id: number;
  projectId: number;
  title: string;
  status: 'open' | 'closed';
  groups: PanelGroup[];
  createdBy: string;
  createdAt: string;
  /** When and by whom the panel was closed (null while open). */
  closedAt: string | null;
  closedBy: string | null;
}

/** One expert's judgements on one group. */
export interface JudgementInfo {
  expert: string;
  parent: string;
  /** Pair question name (`pairQuestionName`) → 2…9 (the first element more important), 1, or −2…−9. */
  answers: Record<string, number>;
  /** Every pair answered. */
  complete: boolean;
  /** The engine's consistency ratio once complete, else null. */
  cr: number | null;
  status: 'draft' | 'submitted';
  justification: string | null;
  updatedAt: string;
  submittedAt: string | null;
}

/** What an expert sends: the whole answer set of one group, and whether it is the final submission. */
export interface JudgementSave {
  parent: string;
  answers: Record<string, unknown>;
  submit?: boolean;
  justification?: string;
}

/** The spread of one element's weight across the experts who submitted. */
export interface WeightSpread {
  code: string;
  min: number;
  q1: number;
  median: number;
  q3: number;
  max: number;
}

/** The panel's aggregate for one group. */
export interface PanelGroupResult {
  group: PanelGroup;
  /** Experts who submitted this group. */
  submitted: number;
  /** AIJ (eigenvector of the element-wise geometric mean of the judgements) and its CR; null when none submitted. */
  aij: { weights: Record<string, number>; cr: number } | null;
  /** AIP (normalised geometric mean of the experts' priority vectors); null when none submitted. */
  aip: { weights: Record<string, number> } | null;
  spread: WeightSpread[];
  experts: Array<{
    expert: string;
    weights: Record<string, number>;
    cr: number;
    consistent: boolean;
    justification: string | null;
    worst: InconsistentJudgement | null;
  }>;
}

/** Everything the author's view shows. */
export interface PanelResults {
  panel: PanelInfo;
  experts: Array<{ username: string; via: 'added' | 'invitation'; submitted: string[]; drafts: string[] }>;
  invitations: { open: number; used: number; expired: number };
  groups: PanelGroupResult[];
}

function fail(code: string, message: string, field: string, expected?: string): CityIndexError {
  return new CityIndexError({ code, message, field, ...(expected !== undefined && { expected }) });
}

function panelClosed(id: number): CityIndexError {
  return fail(
    'E_PANEL_CLOSED',
    `expert panel ${id} is closed: judgements can no longer be saved or submitted / 专家组 ${id} 已关闭，不能再保存或提交判断`,
    'panel',
    'an open panel',
  );
}

function panelNotFound(id: number): CityIndexError {
  return new CityIndexError({
    code: 'E_NOT_FOUND',
    message: `no expert panel ${id} / 找不到专家组`,
    field: 'panel',
    expected: 'a panel you take part in',
  });
}

function panelInfo(r: {
  id: number;
  project_id: number;
  title: string;
  groups: string;
  status: string;
  created_by: string;
  created_at: string;
  closed_at?: string | null;
  closed_by?: string | null;
}): PanelInfo {
  return {
    id: Number(r.id),
    projectId: Number(r.project_id),
    title: String(r.title),
    status: r.status === 'closed' ? 'closed' : 'open',
    groups: JSON.parse(String(r.groups)) as PanelGroup[],
    createdBy: String(r.created_by),
    createdAt: String(r.created_at),
    closedAt: r.closed_at ?? null,
    closedBy: r.closed_by ?? null,
  };
}

async function panelRow(store: Store, id: number): Promise<PanelInfo> {
  if (!Number.isSafeInteger(id) || id < 1) throw panelNotFound(id);
  const r = await store.db.selectFrom('ahp_panels').selectAll().where('id', '=', id).executeTakeFirst();
  if (!r) throw panelNotFound(id);
  return panelInfo(r);
}

/** True when the user is an expert of the panel: added by name, or through an invitation they accepted. */
async function isMember(store: Store, panelId: number, userId: number): Promise<boolean> {
  const direct = await store.db
    .selectFrom('ahp_panel_experts')
    .select('user_id')
    .where('panel_id', '=', panelId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  if (direct) return true;
  const invited = await store.db
    .selectFrom('ahp_panel_invitations')
    .innerJoin('invitations', 'invitations.id', 'ahp_panel_invitations.invitation_id')
    .select('invitations.id')
    .where('ahp_panel_invitations.panel_id', '=', panelId)
    .where('invitations.used_by', '=', userId)
    .executeTakeFirst();
  return invited !== undefined;
}

/**
 * The panel if the actor may see it: authors and admins (of its project), or one of its experts. Anyone
 * else: E_UNAUTHENTICATED / E_FORBIDDEN by role, and an expert outside the panel gets E_NOT_FOUND.
 */
async function access(
  store: Store,
  actor: Principal,
  panelId: number,
): Promise<{ panel: PanelInfo; manager: boolean; userId: number | null }> {
  requireRole(actor, PANEL_ROLES, 'take part in expert panels');
  const panel = await panelRow(store, panelId);
  if (hasRole(actor, MANAGERS)) return { panel, manager: true, userId: actor.kind === 'user' ? actor.userId : null };
  if (actor.kind !== 'user' || !(await isMember(store, panelId, actor.userId))) throw panelNotFound(panelId);
  return { panel, manager: false, userId: actor.userId };
}

/**
 * The parent nodes a panel can compare (authors and admins): every aggregate with two to ten collected
 * children, as comparison groups with names, from the stored project.
 * @example
 * import { Store } from './store.ts';
 * import { systemPrincipal } from './principal.ts';
 * import { importProjectFolder } from './project-io.ts';
 * const store = await Store.open({ sqliteFile: ':memory:' });
 * const project = await importProjectFolder(store, systemPrincipal('doc'), 'examples/asem');
 * const groups = await panelCandidates(store, systemPrincipal('doc'), project);
 * groups.map((g) => g.parent).slice(0, 3) // => ['Index', 'Conn', 'Sust']
 * await store.close();
 */
export async function panelCandidates(store: Store, actor: Principal, project: ProjectInfo): Promise<PanelGroup[]> {
  requireRole(actor, MANAGERS, 'open expert panels');
  const { project: loaded } = await loadStoredProject(store, actor, project);
  const framework = loaded.input.framework;
  const nameOf = new Map(framework.nodes.map((n) => [n.code, n.name]));
  return comparisonGroups(framework)
    .filter((g) => g.codes.length <= RI_SAATY.length)
    .map((g) => ({
      parent: g.parent,
      parentName: { ...nameOf.get(g.parent) },
      level: g.level,
      codes: g.codes,
      names: g.names,
    }));
}

/**
 * Open a panel on parent nodes of the project's framework (authors and admins): `parents` (default every
 * comparison group, i.e. every aggregate with two or more collected children) fix the groups compared.
 * @example
 * import { Store } from './store.ts';
 * import { systemPrincipal } from './principal.ts';
 * import { importProjectFolder } from './project-io.ts';
 * const store = await Store.open({ sqliteFile: ':memory:' });
 * const project = await importProjectFolder(store, systemPrincipal('doc'), 'examples/asem');
 * const panel = await openPanel(store, systemPrincipal('doc'), project, { title: 'Pillars', parents: ['Index'] });
 * panel.groups[0].codes // => ['Conn', 'Sust']
 * await store.close();
 */
export async function openPanel(
  store: Store,
  actor: Principal,
  project: ProjectInfo,
  request: { title: string; parents?: readonly string[] },
): Promise<PanelInfo> {
  requireRole(actor, MANAGERS, 'open expert panels');
  const title = String(request.title ?? '').trim();
  const issues: Issue[] = [];
  if (title.length === 0 || title.length > MAX_PANEL_TITLE)
    issues.push({
      code: 'E_PANEL_TITLE',
      message: `a panel title has 1–${MAX_PANEL_TITLE} characters / 专家组名称长度无效`,
      field: 'title',
      expected: `1–${MAX_PANEL_TITLE} characters`,
    });
  const { project: loaded } = await loadStoredProject(store, actor, project);
  const framework: Framework = loaded.input.framework;
  const all = comparisonGroups(framework);
  const byParent = new Map(all.map((g) => [g.parent, g]));
  const wanted = request.parents === undefined ? all.map((g) => g.parent) : [...new Set(request.parents)];
  const list = all.map((g) => g.parent).join(', ');
  if (wanted.length === 0)
    issues.push({
      code: 'E_PANEL_PARENT',
      message: 'a panel compares at least one parent node / 至少选择一个比较组',
      field: 'parents',
      expected: `one or more of: ${list}`,
    });
  wanted.forEach((p, k) => {
    const g = byParent.get(p);
    if (!g)
      issues.push({
        code: 'E_PANEL_PARENT',
        message: `"${String(p).slice(0, 80)}" is not a parent node with two or more children / 不是可比较的上级指标`,
        field: `parents[${k}]`,
        expected: `one of: ${list}`,
      });
    else if (g.codes.length > RI_SAATY.length)
      issues.push({
        code: 'E_AHP_SIZE',
        message: `"${p}" has ${g.codes.length} children; pairwise comparison stops at ${RI_SAATY.length} / 子项过多`,
        field: `parents[${k}]`,
        expected: `at most ${RI_SAATY.length} children per compared node`,
      });
  });
  if (issues.length) throw new CityIndexError(issues);
  const nameOf = new Map(framework.nodes.map((n) => [n.code, n.name]));
  const groups: PanelGroup[] = wanted.map((p) => {
    const g = byParent.get(p)!;
    return { parent: p, parentName: { ...nameOf.get(p) }, level: g.level, codes: g.codes, names: g.names };
  });
  const now = store.now();
  const id = await store.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('ahp_panels')
      .values({
        project_id: project.id,
        title,
        groups: JSON.stringify(groups),
        status: 'open',
        created_by: actorName(actor),
        created_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const pid = Number(row.id);
    await store.recordAudit(trx, actor, {
      action: 'panel.open',
      entity: 'panel',
      entityId: String(pid),
      after: { title, parents: wanted },
    });
    return pid;
  });
  return panelRow(store, id);
}

/**
 * Close a panel (authors and admins): from then on experts' saves and submissions are refused
 * (E_PANEL_CLOSED, HTTP 409) and invitations to it cannot be issued; the judgements already submitted stay
 * and the aggregate is read as before. Audited (`panel.close`, with how many groups each expert
 * submitted); closing a closed panel is refused with the same code.
 * @example // no-run: needs a stored project (tests/store/expert-panel.test.ts)
 * (await closePanel(store, author, panel.id)).status // => 'closed'
 */
export async function closePanel(store: Store, actor: Principal, panelId: number): Promise<PanelInfo> {
  requireRole(actor, MANAGERS, 'close expert panels');
  const panel = await panelRow(store, panelId);
  if (panel.status !== 'open') throw panelClosed(panelId);
  const now = store.now();
  await store.db.transaction().execute(async (trx) => {
    const done = await trx
      .updateTable('ahp_panels')
      .set({ status: 'closed', closed_at: now, closed_by: actorName(actor) })
      .where('id', '=', panelId)
      .where('status', '=', 'open')
      .executeTakeFirst();
    if (Number(done.numUpdatedRows) !== 1) throw panelClosed(panelId);
    const states = await trx.selectFrom('ahp_judgements').select(['status']).where('panel_id', '=', panelId).execute();
    await store.recordAudit(trx, actor, {
      action: 'panel.close',
      entity: 'panel',
      entityId: String(panelId),
      before: { status: 'open' },
      after: {
        status: 'closed',
        submitted: states.filter((s) => s.status === 'submitted').length,
        drafts: states.filter((s) => s.status !== 'submitted').length,
      },
    });
  });
  return panelRow(store, panelId);
}

/**
 * The panels of a project the actor may see: all of them for authors and admins, an expert's own panels
 * for an expert; refused for every other role.
 * @example // no-run: needs a stored project (tests/store/expert-panel.test.ts)
 * (await listPanels(store, expert, project.id)).map((p) => p.title) // => ['Dimension weights']
 */
export async function listPanels(store: Store, actor: Principal, projectId: number): Promise<PanelInfo[]> {
  requireRole(actor, PANEL_ROLES, 'take part in expert panels');
  const rows = await store.db
    .selectFrom('ahp_panels')
    .selectAll()
    .where('project_id', '=', projectId)
    .orderBy('id')
    .execute();
  if (hasRole(actor, MANAGERS)) return rows.map(panelInfo);
  const out: PanelInfo[] = [];
  for (const r of rows)
    if (actor.kind === 'user' && (await isMember(store, Number(r.id), actor.userId))) out.push(panelInfo(r));
  return out;
}

/**
 * One panel (its groups with names) for its authors, admins and experts.
 * @example // no-run: needs a stored project (tests/store/expert-panel.test.ts)
 * (await getPanel(store, expert, panel.id)).status // => 'open'
 */
export async function getPanel(store: Store, actor: Principal, panelId: number): Promise<PanelInfo> {
  return (await access(store, actor, panelId)).panel;
}

/**
 * Add a user with the expert role to a panel by user name (authors and admins); adding one twice is a no-op.
 * @example // no-run: needs a stored project (tests/store/expert-panel.test.ts)
 * await addPanelExpert(store, author, panel.id, 'wang.expert') // => { username: 'wang.expert', added: true }
 */
export async function addPanelExpert(
  store: Store,
  actor: Principal,
  panelId: number,
  username: string,
): Promise<{ username: string; added: boolean }> {
  requireRole(actor, MANAGERS, 'manage expert panels');
  await panelRow(store, panelId);
  const user = await store.db
    .selectFrom('users')
    .select(['id', 'role'])
    .where('username', '=', String(username).slice(0, 64))
    .executeTakeFirst();
  if (!user || user.role !== 'expert')
    throw fail(
      'E_NOT_EXPERT',
      `"${String(username).slice(0, 64)}" is not a user with the expert role / 不是专家用户`,
      'username',
      'the user name of an expert account (or invite one)',
    );
  return store.db.transaction().execute(async (trx) => {
    const exists = await trx
      .selectFrom('ahp_panel_experts')
      .select('user_id')
      .where('panel_id', '=', panelId)
      .where('user_id', '=', Number(user.id))
      .executeTakeFirst();
    if (exists) return { username, added: false };
    await trx
      .insertInto('ahp_panel_experts')
      .values({ panel_id: panelId, user_id: Number(user.id), added_by: actorName(actor), added_at: store.now() })
      .execute();
    await store.recordAudit(trx, actor, {
      action: 'panel.expert.add',
      entity: 'panel',
      entityId: String(panelId),
      after: { username },
    });
    return { username, added: true };
  });
}

/**
 * Invite an expert to a panel (authors and admins): a one-time invitation with the expert role; whoever
 * accepts it becomes an expert of this panel. The token is returned once and never stored.
 * @example // no-run: needs a stored project (tests/store/expert-panel.test.ts)
 * const { invitation, token } = await invitePanelExpert(store, author, panel.id);
 * [invitation.role, token.length] // => ['expert', 43]
 */
export async function invitePanelExpert(
  store: Store,
  actor: Principal,
  panelId: number,
  options: { expiresInHours?: number } = {},
): Promise<{ invitation: InvitationInfo; token: string }> {
  requireRole(actor, MANAGERS, 'invite experts');
  const panel = await panelRow(store, panelId);
  if (panel.status !== 'open') throw panelClosed(panelId);
  return issueInvitation(
    store,
    actor,
    { role: 'expert', projectId: panel.projectId, expiresInHours: options.expiresInHours },
    {
      roles: MANAGERS,
      what: 'invite experts',
      link: async (trx: Transaction<StoreDatabase>, invitationId: number) => {
        await trx
          .insertInto('ahp_panel_invitations')
          .values({ panel_id: panelId, invitation_id: invitationId })
          .execute();
      },
    },
  );
}

/** Check an answer set against a group: only its pairs, only Saaty answers, with located issues. */
function checkedAnswers(group: PanelGroup, answers: Record<string, unknown>): Record<string, number> {
  if (typeof answers !== 'object' || answers === null || Array.isArray(answers))
    throw fail('E_SCHEMA', 'answers must be an object / 答案格式错误', 'answers', 'pair name → 2…9, 1 or −2…−9');
  const pairs = new Set(panelPairs(group).map((p) => p.name));
  const issues: Issue[] = [];
  const out: Record<string, number> = Object.create(null) as Record<string, number>;
  const keys = Object.keys(answers);
  if (keys.length > pairs.size)
    throw fail(
      'E_AHP_ANSWERS',
      `${keys.length} answers for ${pairs.size} pairs / 答案过多`,
      'answers',
      `${pairs.size}`,
    );
  for (const k of keys) {
    if (!pairs.has(k)) {
      issues.push({
        code: 'E_AHP_PAIR',
        message: `"${k.slice(0, 80)}" is not a comparison under ${group.parent} / 不是该组的比较项`,
        field: `answers.${k.slice(0, 80)}`,
        indicator: group.parent,
        expected: `one of ${[...pairs].slice(0, 6).join(', ')}${pairs.size > 6 ? ', …' : ''}`,
      });
      continue;
    }
    const v = saatyAnswer(answers[k]);
    if (v === null)
      issues.push({
        code: 'E_AHP_VALUE',
        message: `answer ${String(JSON.stringify(answers[k])).slice(0, 40)} to ${k} is off Saaty's scale / 不在 1–9 标度内`,
        field: `answers.${k}`,
        indicator: group.parent,
        expected: 'an integer 2…9, 1, or −2…−9',
      });
    else out[k] = v;
  }
  if (issues.length) throw new CityIndexError(issues);
  return { ...out };
}

function judgementInfo(
  r: {
    parent: string;
    answers: string;
    cr: number | null;
    status: string;
    justification: string | null;
    updated_at: string;
    submitted_at: string | null;
  },
  expert: string,
  group: PanelGroup | undefined,
): JudgementInfo {
  const answers = JSON.parse(r.answers) as Record<string, number>;
  return {
    expert,
    parent: r.parent,
    answers,
    complete: group !== undefined && panelMatrix(group, answers) !== null,
    cr: r.cr === null ? null : Number(r.cr),
    status: r.status === 'submitted' ? 'submitted' : 'draft',
    justification: r.justification,
    updatedAt: r.updated_at,
    submittedAt: r.submitted_at,
  };
}

/**
 * Save an expert's answers to one group (the expert themself, in a panel they belong to, while it is open):
 * the whole answer set of the group replaces the last one; the CR is the engine's once every pair is
 * answered. `submit` makes it final, allowed when complete and CR ≤ 0.10, or with a justification of at
 * least 20 characters (stored); a submitted group cannot change (E_CONFLICT).
 * @example // no-run: needs a stored project (tests/store/expert-panel.test.ts)
 * const saved = await saveJudgements(store, expert, panel.id, { parent: 'ADMIN', answers: { ahp__ADMIN__A__B: 3 } });
 * [saved.complete, saved.cr, saved.status] // => [true, 0, 'draft']
 */
export async function saveJudgements(
  store: Store,
  actor: Principal,
  panelId: number,
  save: JudgementSave,
): Promise<JudgementInfo> {
  requireRole(actor, ['expert'], 'answer expert panels');
  const { panel, userId } = await access(store, actor, panelId);
  if (userId === null || actor.kind !== 'user') throw panelNotFound(panelId);
  if (panel.status !== 'open') throw panelClosed(panelId);
  const group = panel.groups.find((g) => g.parent === save.parent);
  if (!group)
    throw fail(
      'E_PANEL_PARENT',
      `"${String(save.parent).slice(0, 80)}" is not compared in this panel / 不是本专家组的比较组`,
      'parent',
      `one of: ${panel.groups.map((g) => g.parent).join(', ')}`,
    );
  const answers = checkedAnswers(group, save.answers);
  const matrix = panelMatrix(group, answers);
  const cr = matrix === null ? null : ahpConsistency(matrix).cr;
  const justification = save.justification === undefined ? null : String(save.justification).trim();
  if (justification !== null && justification.length > JUSTIFICATION_CHARS.max)
    throw fail(
      'E_JUSTIFICATION',
      'the justification is too long / 说明过长',
      'justification',
      `≤ ${JUSTIFICATION_CHARS.max} characters`,
    );
  if (save.submit === true) {
    if (matrix === null) {
      const missing = panelPairs(group).filter((p) => !(p.name in answers)).length;
      throw fail(
        'E_AHP_INCOMPLETE',
        `${missing} comparison${missing === 1 ? '' : 's'} under ${group.parent} not answered / 尚有比较未作答`,
        'answers',
        'every pair answered before submitting',
      );
    }
    if (cr! > PANEL_MAX_CR + 1e-12 && (justification === null || justification.length < JUSTIFICATION_CHARS.min))
      throw fail(
        'E_AHP_JUSTIFY',
        `CR = ${cr!.toFixed(3)} is above ${PANEL_MAX_CR}: revise the judgements or say why / 一致性比率超过 0.10，请修改判断或说明理由`,
        'justification',
        `CR ≤ ${PANEL_MAX_CR}, or a justification of at least ${JUSTIFICATION_CHARS.min} characters`,
      );
  }
  const now = store.now();
  const status = save.submit === true ? 'submitted' : 'draft';
  const kept = save.submit === true && cr! > PANEL_MAX_CR + 1e-12 ? justification : null;
  const values = {
    answers: JSON.stringify(answers),
    cr,
    status,
    justification: kept,
    updated_at: now,
    submitted_at: save.submit === true ? now : null,
  };
  const conflict = () =>
    fail('E_CONFLICT', `your judgements under ${group.parent} are already submitted / 已提交，不能修改`, 'parent');
  try {
    await store.db.transaction().execute(async (trx) => {
      // closed meanwhile (closePanel): the same refusal as above, nothing written
      const current = await trx.selectFrom('ahp_panels').select('status').where('id', '=', panelId).executeTakeFirst();
      if (current?.status !== 'open') throw panelClosed(panelId);
      const before = await trx
        .selectFrom('ahp_judgements')
        .select(['status', 'saves'])
        .where('panel_id', '=', panelId)
        .where('user_id', '=', userId)
        .where('parent', '=', group.parent)
        .executeTakeFirst();
      if (before?.status === 'submitted') throw conflict();
      if (!before) {
        await trx
          .insertInto('ahp_judgements')
          .values({ panel_id: panelId, user_id: userId, parent: group.parent, saves: 1, ...values })
          .execute();
      } else {
        const done = await trx
          .updateTable('ahp_judgements')
          .set({ ...values, saves: Number(before.saves) + 1 })
          .where('panel_id', '=', panelId)
          .where('user_id', '=', userId)
          .where('parent', '=', group.parent)
          .where('status', '=', 'draft')
          .executeTakeFirst();
        if (Number(done.numUpdatedRows) !== 1) throw conflict();
      }
      if (save.submit === true)
        await store.recordAudit(trx, actor, {
          action: 'panel.submit',
          entity: 'panel',
          entityId: String(panelId),
          after: { parent: group.parent, answers, cr, justification: kept },
        });
    });
  } catch (e) {
    if (e instanceof CityIndexError) throw e;
    // two first saves at once: the second hits the primary key; the expert's next save goes through
    if (/unique|duplicate key|constraint/i.test(String((e as Error).message))) throw conflict();
    throw e;
  }
  return judgementInfo({ parent: group.parent, ...values }, actor.username, group);
}

/**
 * Judgements of a panel: an expert gets only their own; authors and admins get every expert's.
 * @example // no-run: needs a stored project (tests/store/expert-panel.test.ts)
 * (await listJudgements(store, expert, panel.id)).every((j) => j.expert === 'wang.expert') // => true
 */
export async function listJudgements(store: Store, actor: Principal, panelId: number): Promise<JudgementInfo[]> {
  const { panel, manager, userId } = await access(store, actor, panelId);
  let q = store.db
    .selectFrom('ahp_judgements')
    .innerJoin('users', 'users.id', 'ahp_judgements.user_id')
    .select([
      'users.username',
      'ahp_judgements.parent',
      'ahp_judgements.answers',
      'ahp_judgements.cr',
      'ahp_judgements.status',
      'ahp_judgements.justification',
      'ahp_judgements.updated_at',
      'ahp_judgements.submitted_at',
    ])
    .where('ahp_judgements.panel_id', '=', panelId);
  if (!manager) q = q.where('ahp_judgements.user_id', '=', userId!);
  const rows = await q.orderBy('users.username').orderBy('ahp_judgements.parent').execute();
  const groups = new Map(panel.groups.map((g) => [g.parent, g]));
  return rows.map((r) => judgementInfo(r, r.username, groups.get(r.parent)));
}

/**
 * The spread of each element's weight across experts: min, quartiles (R type 7) and max.
 * @example
 * weightSpread(['a', 'b'], [{ a: 0.5, b: 0.5 }, { a: 0.7, b: 0.3 }, { a: 0.6, b: 0.4 }])[0]
 * // => { code: 'a', min: 0.5, q1: 0.55, median: 0.6, q3: 0.65, max: 0.7 }
 */
export function weightSpread(
  codes: readonly string[],
  experts: ReadonlyArray<Readonly<Record<string, number>>>,
): WeightSpread[] {
  return codes.map((code) => {
    const xs = Float64Array.from(experts, (e) => e[code]).sort();
    return {
      code,
      min: xs[0] ?? NaN,
      q1: quantileSorted(xs, 0.25),
      median: quantileSorted(xs, 0.5),
      q3: quantileSorted(xs, 0.75),
      max: xs[xs.length - 1] ?? NaN,
    };
  });
}

/** The engine's group results (AIJ and AIP) of every group with at least one submission. */
async function aggregate(
  store: Store,
  panel: PanelInfo,
): Promise<{ results: PanelGroupResult[]; aij: GroupAhpResult[]; aip: GroupAhpResult[] }> {
  const rows = await store.db
    .selectFrom('ahp_judgements')
    .innerJoin('users', 'users.id', 'ahp_judgements.user_id')
    .select(['users.username', 'ahp_judgements.parent', 'ahp_judgements.answers', 'ahp_judgements.justification'])
    .where('ahp_judgements.panel_id', '=', panel.id)
    .where('ahp_judgements.status', '=', 'submitted')
    .orderBy('users.username')
    .execute();
  const results: PanelGroupResult[] = [];
  const aijs: GroupAhpResult[] = [];
  const aips: GroupAhpResult[] = [];
  for (const group of panel.groups) {
    const mine = rows.filter((r) => r.parent === group.parent);
    const judgements = mine.flatMap((r) => {
      const matrix = panelMatrix(group, JSON.parse(r.answers) as Record<string, number>);
      return matrix ? [{ expert: r.username, parent: group.parent, codes: group.codes, matrix }] : [];
    });
    if (judgements.length === 0) {
      results.push({ group, submitted: 0, aij: null, aip: null, spread: [], experts: [] });
      continue;
    }
    const aij = groupAhp(judgements, { method: 'aij', maxCR: PANEL_MAX_CR });
    const aip = groupAhp(judgements, { method: 'aip', maxCR: PANEL_MAX_CR });
    aijs.push(aij);
    aips.push(aip);
    const why = new Map(mine.map((r) => [r.username, r.justification]));
    results.push({
      group,
      submitted: judgements.length,
      aij: { weights: aij.weights, cr: aij.groupConsistency!.cr },
      aip: { weights: aip.weights },
      spread: weightSpread(
        group.codes,
        aij.experts.map((e) => e.weights),
      ),
      experts: aij.experts.map((e, k) => ({
        expert: e.expert,
        weights: e.weights,
        cr: e.cr,
        consistent: e.consistent,
        justification: why.get(e.expert) ?? null,
        worst: mostInconsistentJudgements(judgements[k].matrix, group.codes, 1)[0] ?? null,
      })),
    });
  }
  return { results, aij: aijs, aip: aips };
}

/**
 * The author's view of a panel (authors and admins): its experts and invitations, and per group the AIJ
 * and AIP weights over the submitted judgements, each expert's CR and weights, and the spread.
 * @example // no-run: needs a stored project (tests/store/expert-panel.test.ts)
 * (await panelResults(store, author, panel.id)).groups[0].submitted // => 7
 */
export async function panelResults(store: Store, actor: Principal, panelId: number): Promise<PanelResults> {
  requireRole(actor, MANAGERS, "read an expert panel's results");
  const panel = await panelRow(store, panelId);
  const { results } = await aggregate(store, panel);
  const direct = await store.db
    .selectFrom('ahp_panel_experts')
    .innerJoin('users', 'users.id', 'ahp_panel_experts.user_id')
    .select(['users.id', 'users.username'])
    .where('ahp_panel_experts.panel_id', '=', panelId)
    .execute();
  const invs = await store.db
    .selectFrom('ahp_panel_invitations')
    .innerJoin('invitations', 'invitations.id', 'ahp_panel_invitations.invitation_id')
    .leftJoin('users', 'users.id', 'invitations.used_by')
    .select(['users.id', 'users.username', 'invitations.used_at', 'invitations.expires_at'])
    .where('ahp_panel_invitations.panel_id', '=', panelId)
    .execute();
  const states = await store.db
    .selectFrom('ahp_judgements')
    .select(['user_id', 'parent', 'status'])
    .where('panel_id', '=', panelId)
    .execute();
  const now = store.now();
  const experts = new Map<number, PanelResults['experts'][number]>();
  for (const d of direct) experts.set(Number(d.id), { username: d.username, via: 'added', submitted: [], drafts: [] });
  for (const i of invs)
    if (i.id !== null && i.username !== null && !experts.has(Number(i.id)))
      experts.set(Number(i.id), { username: i.username, via: 'invitation', submitted: [], drafts: [] });
  for (const s of states) {
    const e = experts.get(Number(s.user_id));
    if (e) (s.status === 'submitted' ? e.submitted : e.drafts).push(s.parent);
  }
  const invitations = {
    open: invs.filter((i) => i.used_at === null && i.expires_at > now).length,
    used: invs.filter((i) => i.used_at !== null).length,
    expired: invs.filter((i) => i.used_at === null && i.expires_at <= now).length,
  };
  return {
    panel,
    experts: [...experts.values()].sort((a, b) => a.username.localeCompare(b.username)),
    invitations,
    groups: results,
  };
}

/**
 * The project's build spec with the panel's weights: one manual `weight` step per level, put before the
 * first `aggregate` step (elements not compared keep their framework weights).
 * @example
 * const spec = { steps: [{ id: 'n', kind: 'normalise', options: {} }, { id: 'a', kind: 'aggregate', options: {} }] };
 * const steps = [{ level: 1, weighting: { method: 'manual' as const, weights: { A: 0.75, B: 0.25 } } }];
 * withPanelWeights(spec as never, steps).steps.map((s) => s.id) // => ['n', 'weight-panel-level-1', 'a']
 */
export function withPanelWeights(
  spec: BuildSpec,
  weights: ReadonlyArray<Extract<StepSpec, { kind: 'weight' }>['options']>,
): BuildSpec {
  const at = spec.steps.findIndex((s) => s.kind === 'aggregate');
  if (at < 0)
    throw fail(
      'E_PANEL_BUILD',
      'the build has no aggregate step to weight / 构建没有聚合步骤',
      'build.steps',
      'an aggregate step',
    );
  const added: StepSpec[] = weights.map((options) => ({
    id: `weight-panel-level-${options.level}`,
    kind: 'weight',
    options,
  }));
  return { ...spec, steps: [...spec.steps.slice(0, at), ...added, ...spec.steps.slice(at)] };
}

/**
 * Build the stored project with the panel's weights (`aij`, default, or `aip`) and store it as a DRAFT
 * EDITION (authors and admins), named after the panel; its results carry the panel, the method and the
 * weights used. Every group needs at least one submission (E_PANEL_INCOMPLETE names those without).
 * @example // no-run: needs a stored project (tests/store/expert-panel.test.ts)
 * (await panelVariant(store, author, project, panel.id, 'aij')).status // => 'draft'
 */
export async function panelVariant(
  store: Store,
  actor: Principal,
  project: ProjectInfo,
  panelId: number,
  method: 'aij' | 'aip' = 'aij',
): Promise<Edition> {
  requireRole(actor, MANAGERS, 'build editions');
  if (method !== 'aij' && method !== 'aip')
    throw fail('E_METHOD', `unknown method ${String(method)}`, 'method', 'aij or aip');
  const panel = await panelRow(store, panelId);
  if (panel.projectId !== project.id) throw panelNotFound(panelId);
  const { results, aij, aip } = await aggregate(store, panel);
  const missing = results.filter((r) => r.submitted === 0).map((r) => r.group.parent);
  if (missing.length)
    throw fail(
      'E_PANEL_INCOMPLETE',
      `no expert has submitted the comparisons under ${missing.join(', ')} / 尚无专家提交这些比较组`,
      'panel',
      'at least one submission per compared node',
    );
  const { project: loaded, approved } = await loadStoredProject(store, actor, project);
  const groups = method === 'aij' ? aij : aip;
  const weightOptions = ahpWeightOptions(groups, loaded.input.framework);
  const spec = withPanelWeights(loaded.spec, weightOptions);
  const run = await runProject(
    { ...loaded, spec, project: { ...loaded.project, series: undefined } },
    { analyses: false },
  );
  const table = resultsTable(run.build);
  const b = run.build;
  const finalFramework = b.steps.length ? b.steps[b.steps.length - 1].framework : b.input.framework;
  return store.createEdition(actor, project.id, {
    name: `${panel.title} — AHP ${method.toUpperCase()}`.slice(0, 300),
    results: {
      header: table.header,
      rows: table.rows,
      approvedValues: approved,
      framework: finalFramework.nodes.map((n) => ({ code: n.code, parent: n.parent, weight: n.weight })),
      panel: { id: panel.id, title: panel.title, method, weights: weightOptions },
      inputs: frozenInputs(loaded.input.raw),
      spec,
    },
    fingerprint: fingerprint(b.results.scores.values),
  });
}
