/**
 * Invitations: an admin invites someone to a role (a city officer with its units) for a limited time;
 * the invitee opens a one-time link, chooses a user name and a password (the password policy applies)
 * and the account is created. Only the SHA-256 of the link's 256-bit token is stored; accepting consumes
 * the invitation in the same transaction that creates the account, so a link works once. A reused,
 * expired, unknown or altered token is refused with a located error and changes nothing. Every issue
 * and acceptance is in the audit log. An admin can revoke an open invitation (`revokeInvitation`): its
 * link then says so (E_INVITATION_REVOKED); a used one cannot be revoked (E_INVITATION_USED, 409).
 * A store extension: it uses `store.db`, `store.recordAudit` and `store.now`, like the Store's own methods.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Transaction } from 'kysely';
import { CityIndexError, type Issue } from '../engine/core/errors.ts';
import { checkPasswordPolicy, hashPassword } from './password.ts';
import { actorName, isRole, requireRole, ROLES, type Principal, type Role } from './principal.ts';
import type { StoreDatabase } from './schema.ts';
import { requireProjectUnits, type Store, type UserInfo } from './store.ts';

/** Valid user names (the same rule as `Store.createUser`). */
export const USERNAME_PATTERN = /^[A-Za-z0-9._@-]{3,64}$/;
/** How long an invitation lasts unless the admin says otherwise, and the longest allowed (hours). */
export const INVITATION_HOURS = { default: 72, max: 720 } as const;

/** An invitation as listed (never its token). */
export interface InvitationInfo {
  id: number;
  role: Role;
  projectId: number | null;
  cities: string[];
  createdBy: string;
  createdAt: string;
  expiresAt: string;
  /** `open` until accepted, revoked or expired. */
  status: 'open' | 'used' | 'revoked' | 'expired';
  usedAt: string | null;
  /** When an admin revoked it, and who (null when not revoked). */
  revokedAt: string | null;
  revokedBy: string | null;
}

/** What an admin asks for. */
export interface InvitationRequest {
  role: string;
  projectId?: number;
  cities?: readonly string[];
  /** Hours until the link expires (1 … INVITATION_HOURS.max; default INVITATION_HOURS.default). */
  expiresInHours?: number;
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

function invitationError(code: string, message: string): CityIndexError {
  return new CityIndexError({ code, message, field: 'token', expected: 'the token of an open invitation link' });
}

function info(
  r: {
    id: number;
    role: string;
    project_id: number | null;
    cities: string;
    created_by: string;
    created_at: string;
    expires_at: string;
    used_at: string | null;
    revoked_at?: string | null;
    revoked_by?: string | null;
  },
  now: string,
): InvitationInfo {
  return {
    id: Number(r.id),
    role: r.role as Role,
    projectId: r.project_id === null ? null : Number(r.project_id),
    cities: JSON.parse(r.cities) as string[],
    createdBy: r.created_by,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    status: r.used_at !== null ? 'used' : r.revoked_at != null ? 'revoked' : r.expires_at <= now ? 'expired' : 'open',
    usedAt: r.used_at,
    revokedAt: r.revoked_at ?? null,
    revokedBy: r.revoked_by ?? null,
  };
}

/**
 * Issue an invitation (admins only): returns it with its token, which is shown once and never stored.
 * A city officer's invitation needs a project and at least one of its units.
 * @example
 * import { Store } from './store.ts';
 * import { systemPrincipal } from './principal.ts';
 * const store = await Store.open({ sqliteFile: ':memory:' }, { now: () => '2026-01-01T00:00:00.000Z' });
 * const { invitation, token } = await createInvitation(store, systemPrincipal('doc'), { role: 'reader' });
 * [invitation.status, invitation.expiresAt, token.length] // => ['open', '2026-01-04T00:00:00.000Z', 43]
 * await store.close();
 */
export async function createInvitation(
  store: Store,
  actor: Principal,
  request: InvitationRequest,
): Promise<{ invitation: InvitationInfo; token: string }> {
  return issueInvitation(store, actor, request, { roles: ['admin'], what: 'invite users' });
}

/** Who may issue an invitation and what else is written with it (for store extensions). */
export interface InvitationIssuer {
  /** The roles that may issue it (`createInvitation`: admins). */
  roles: readonly Role[];
  /** What the actor does, for the refusal message. */
  what: string;
  /** Runs in the invitation's transaction with its id (e.g. ties it to an expert panel). */
  link?: (trx: Transaction<StoreDatabase>, invitationId: number) => Promise<void>;
}

/**
 * `createInvitation` with the issuing roles given by a store extension (an author invites experts to a
 * panel: expert-panel.ts) and a `link` written in the same transaction, so nothing is half-written.
 * @example
 * import { Store } from './store.ts';
 * import { systemPrincipal } from './principal.ts';
 * const store = await Store.open({ sqliteFile: ':memory:' });
 * const issuer = { roles: ['admin', 'author'] as const, what: 'invite experts' };
 * const { invitation } = await issueInvitation(store, systemPrincipal('doc'), { role: 'expert' }, issuer);
 * invitation.role // => 'expert'
 * await store.close();
 */
export async function issueInvitation(
  store: Store,
  actor: Principal,
  request: InvitationRequest,
  issuer: InvitationIssuer,
): Promise<{ invitation: InvitationInfo; token: string }> {
  requireRole(actor, issuer.roles, issuer.what);
  const issues: Issue[] = [];
  if (!isRole(request.role)) {
    issues.push({
      code: 'E_ROLE',
      message: `unknown role "${request.role}" / 未知角色`,
      field: 'role',
      expected: `one of ${ROLES.join(', ')}`,
    });
  }
  const hours = request.expiresInHours ?? INVITATION_HOURS.default;
  if (!Number.isFinite(hours) || hours <= 0 || hours > INVITATION_HOURS.max) {
    issues.push({
      code: 'E_EXPIRY',
      message: `an invitation cannot last ${hours} hours / 邀请有效期无效`,
      field: 'expiresInHours',
      expected: `more than 0 and at most ${INVITATION_HOURS.max} hours`,
    });
  }
  const cities = [...new Set(request.cities ?? [])];
  if (request.role === 'city' && (cities.length === 0 || request.projectId === undefined)) {
    issues.push({
      code: 'E_CITY_REQUIRED',
      message: 'a city officer is invited for a project and at least one unit (adcode) / 城市用户须绑定城市',
      field: 'cities',
      expected: 'one or more adcodes of the project',
    });
  }
  if (request.role !== 'city' && cities.length) {
    issues.push({
      code: 'E_CITIES_UNEXPECTED',
      message: `a ${request.role} is not bound to cities / 只有城市用户绑定城市`,
      field: 'cities',
      expected: 'no cities for this role',
    });
  }
  if (issues.length) throw new CityIndexError(issues);
  await requireProjectUnits(store.db, request.projectId!, cities);
  const token = randomBytes(32).toString('base64url');
  const now = store.now();
  const expiresAt = new Date(Date.parse(now) + hours * 3_600_000).toISOString();
  const projectId = request.projectId ?? null;
  const id = await store.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('invitations')
      .values({
        token_hash: sha256(token),
        role: request.role,
        project_id: projectId,
        cities: JSON.stringify(cities),
        created_by: actorName(actor),
        created_at: now,
        expires_at: expiresAt,
        used_at: null,
        used_by: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const iid = Number(row.id);
    if (issuer.link) await issuer.link(trx, iid);
    await store.recordAudit(trx, actor, {
      action: 'invitation.create',
      entity: 'invitation',
      entityId: String(iid),
      after: { role: request.role, projectId, cities, expiresAt },
    });
    return iid;
  });
  const invitation = info(
    {
      id,
      role: request.role,
      project_id: projectId,
      cities: JSON.stringify(cities),
      created_by: actorName(actor),
      created_at: now,
      expires_at: expiresAt,
      used_at: null,
    },
    now,
  );
  return { invitation, token };
}

/**
 * Every invitation (admins only), newest first, with its status; never a token.
 * @example
 * import { Store } from './store.ts';
 * import { systemPrincipal } from './principal.ts';
 * const store = await Store.open({ sqliteFile: ':memory:' });
 * const list = await listInvitations(store, systemPrincipal('doc'));
 * list.length // => 0
 * await store.close();
 */
export async function listInvitations(store: Store, actor: Principal): Promise<InvitationInfo[]> {
  requireRole(actor, ['admin'], 'list invitations');
  const rows = await store.db
    .selectFrom('invitations')
    .select(['id', 'role', 'project_id', 'cities', 'created_by', 'created_at', 'expires_at', 'used_at'])
    .select(['revoked_at', 'revoked_by'])
    .orderBy('id', 'desc')
    .execute();
  const now = store.now();
  return rows.map((r) => info(r, now));
}

/**
 * Revoke an invitation that was not used yet (admins only): its link stops working at once
 * (E_INVITATION_REVOKED when opened). Revoking a used invitation is E_INVITATION_USED (the account
 * exists: remove the account instead), an unknown id E_NOT_FOUND; revoking twice changes nothing and
 * returns it as it is. Audit-logged (`invitation.revoke`, before → after).
 * @example
 * import { Store } from './store.ts';
 * import { systemPrincipal } from './principal.ts';
 * const store = await Store.open({ sqliteFile: ':memory:' });
 * const admin = systemPrincipal('doc');
 * const { invitation } = await createInvitation(store, admin, { role: 'reader' });
 * const revoked = await revokeInvitation(store, admin, invitation.id);
 * revoked.status // => 'revoked'
 * revokeInvitation(store, { kind: 'anonymous' }, invitation.id) // => throws E_UNAUTHENTICATED
 * await store.close();
 */
export async function revokeInvitation(store: Store, actor: Principal, id: number): Promise<InvitationInfo> {
  requireRole(actor, ['admin'], 'revoke invitations');
  const now = store.now();
  return store.db.transaction().execute(async (trx) => {
    const inv = await trx.selectFrom('invitations').selectAll().where('id', '=', id).executeTakeFirst();
    if (!inv) {
      throw new CityIndexError({
        code: 'E_NOT_FOUND',
        message: `no invitation ${id} / 找不到该邀请`,
        field: 'id',
        expected: 'the id of an invitation',
      });
    }
    if (inv.used_at !== null) {
      throw new CityIndexError({
        code: 'E_INVITATION_USED',
        message: `invitation ${id} was already used on ${inv.used_at} and cannot be revoked / 该邀请已被使用，不能撤销`,
        field: 'id',
        expected: 'an invitation not used yet (remove the account it created instead)',
      });
    }
    if (inv.revoked_at !== null) return info(inv, now);
    const by = actorName(actor);
    // only while still unused: an accept racing this revoke wins or loses as a whole
    const done = await trx
      .updateTable('invitations')
      .set({ revoked_at: now, revoked_by: by })
      .where('id', '=', id)
      .where('used_at', 'is', null)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (Number(done.numUpdatedRows) !== 1) {
      throw new CityIndexError({
        code: 'E_CONFLICT',
        message: `invitation ${id} changed meanwhile / 该邀请刚被修改`,
        field: 'id',
        expected: 'try again',
      });
    }
    await store.recordAudit(trx, actor, {
      action: 'invitation.revoke',
      entity: 'invitation',
      entityId: String(id),
      before: { status: info(inv, now).status },
      after: { status: 'revoked', revokedAt: now },
    });
    return info({ ...inv, revoked_at: now, revoked_by: by }, now);
  });
}

/**
 * Accept an invitation: check the token (unknown or altered, used, revoked, expired → E_INVITATION,
 * E_INVITATION_USED, E_INVITATION_REVOKED, E_INVITATION_EXPIRED), the user name and the password policy, then in ONE
 * transaction consume the invitation and create the account with the invited role and units.
 * @example
 * import { Store } from './store.ts';
 * import { systemPrincipal } from './principal.ts';
 * const store = await Store.open({ sqliteFile: ':memory:' }, { scryptN: 1024 });
 * const { token } = await createInvitation(store, systemPrincipal('doc'), { role: 'author' });
 * const user = await acceptInvitation(store, token, { username: 'li.wei', password: 'a long passphrase' });
 * user.role // => 'author'
 * const again = { username: 'again', password: 'a long passphrase' };
 * acceptInvitation(store, token, again) // => throws E_INVITATION_USED
 * await store.close();
 */
export async function acceptInvitation(
  store: Store,
  token: string,
  account: { username: string; password: string },
  address?: string,
): Promise<UserInfo> {
  if (typeof token !== 'string' || !/^[A-Za-z0-9_-]{43}$/.test(token)) {
    throw invitationError('E_INVITATION', 'this invitation link is not valid / 邀请链接无效');
  }
  const issues: Issue[] = [];
  if (!USERNAME_PATTERN.test(account.username)) {
    issues.push({
      code: 'E_USERNAME',
      message: `"${account.username.slice(0, 80)}" is not a valid user name / 用户名无效`,
      field: 'username',
      expected: '3–64 letters, digits or . _ @ -',
    });
  }
  try {
    checkPasswordPolicy(account.password);
  } catch (e) {
    if (e instanceof CityIndexError) issues.push(...e.issues);
    else throw e;
  }
  if (issues.length) throw new CityIndexError(issues);
  const passwordHash = await hashPassword(account.password, store.scryptN);
  const now = store.now();
  return store.db.transaction().execute(async (trx) => {
    const inv = await trx
      .selectFrom('invitations')
      .selectAll()
      .where('token_hash', '=', sha256(token))
      .executeTakeFirst();
    if (!inv) throw invitationError('E_INVITATION', 'this invitation link is not valid / 邀请链接无效');
    if (inv.used_at !== null) {
      throw invitationError('E_INVITATION_USED', 'this invitation link was already used / 邀请链接已被使用');
    }
    if (inv.revoked_at !== null) {
      throw invitationError(
        'E_INVITATION_REVOKED',
        'this invitation was withdrawn by an administrator; ask them for a new link / ' +
          '该邀请已被管理员撤销，请向管理员索取新链接',
      );
    }
    if (inv.expires_at <= now) {
      throw invitationError('E_INVITATION_EXPIRED', `this invitation expired at ${inv.expires_at} / 邀请已过期`);
    }
    const taken = await trx
      .selectFrom('users')
      .select('id')
      .where('username', '=', account.username)
      .executeTakeFirst();
    if (taken) {
      throw new CityIndexError({
        code: 'E_CONFLICT',
        message: `user "${account.username}" exists / 用户已存在`,
        field: 'username',
        expected: 'a new user name',
      });
    }
    const row = await trx
      .insertInto('users')
      .values({
        username: account.username,
        password_hash: passwordHash,
        role: inv.role,
        created_at: now,
        failed_logins: 0,
        locked_until: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const userId = Number(row.id);
    // consume: only if still unused (two simultaneous accepts: the second updates nothing and rolls back)
    const used = await trx
      .updateTable('invitations')
      .set({ used_at: now, used_by: userId })
      .where('id', '=', inv.id)
      .where('used_at', 'is', null)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (Number(used.numUpdatedRows) !== 1) {
      throw invitationError('E_INVITATION_USED', 'this invitation link was already used / 邀请链接已被使用');
    }
    const cities = JSON.parse(inv.cities) as string[];
    if (inv.project_id !== null && cities.length) {
      await trx
        .insertInto('city_memberships')
        .values(cities.map((c) => ({ user_id: userId, project_id: Number(inv.project_id), unit_code: c })))
        .execute();
    }
    const user: UserInfo = { id: userId, username: account.username, role: inv.role as Role, cities };
    const principal: Principal = { kind: 'user', userId, username: account.username, role: user.role, address };
    await store.recordAudit(trx, principal, {
      action: 'invitation.accept',
      entity: 'invitation',
      entityId: String(inv.id),
      before: { status: 'open' },
      after: { status: 'used', userId },
    });
    await store.recordAudit(trx, principal, {
      action: 'user.create',
      entity: 'user',
      entityId: String(userId),
      after: user,
    });
    return user;
  });
}
