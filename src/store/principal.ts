/**
 * Who is acting: every `Store` method takes a principal and refuses what its role may not do. Roles:
 * `admin` (users, invitations, audit, everything), `author` (projects, editions, all values),
 * `reviewer` (reads all values, approves or rejects submissions), `city` — the city officer (reads and
 * submits the values of its own units only), `expert` (published editions; the expert-judgement tasks it
 * is given), `reader` (published AND draft editions' results, read-only: never a city's raw values or a
 * submission). The anonymous principal reads published editions only; `system` is the local operator of
 * the CLI. `ROLE_PERMISSIONS` is the table (README "Roles"); tests/store/roles.test.ts checks the Store
 * against it.
 */
import { CityIndexError } from '../engine/core/errors.ts';

/** The roles an account can have. */
export const ROLES = ['admin', 'author', 'reviewer', 'city', 'expert', 'reader'] as const;
export type Role = (typeof ROLES)[number];

/** What a role may do (the README's roles table; the Store enforces it and roles.test.ts checks each cell). */
export interface RolePermissions {
  /** Read published editions (everybody, anonymous included). */
  readPublished: boolean;
  /** Read draft (unpublished) editions' results. */
  readDrafts: boolean;
  /** Read current values: 'all' units, 'own' units (city officer), or 'none'. */
  readValues: 'all' | 'own' | 'none';
  /** Submit values for its own units. */
  submit: boolean;
  /** Approve or reject submissions. */
  review: boolean;
  /** Build and publish editions. */
  buildEditions: boolean;
  /** Add users, invite, read and verify the audit log. */
  administer: boolean;
}

/** The permissions of every role, written once. */
export const ROLE_PERMISSIONS: Readonly<Record<Role, Readonly<RolePermissions>>> = Object.freeze({
  admin: rolePermissions({ readDrafts: true, readValues: 'all', review: true, buildEditions: true, administer: true }),
  author: rolePermissions({ readDrafts: true, readValues: 'all', buildEditions: true }),
  reviewer: rolePermissions({ readDrafts: true, readValues: 'all', review: true }),
  city: rolePermissions({ readValues: 'own', submit: true }),
  expert: rolePermissions({}),
  reader: rolePermissions({ readDrafts: true }),
});

function rolePermissions(p: Partial<RolePermissions>): Readonly<RolePermissions> {
  const base: RolePermissions = {
    readPublished: true,
    readDrafts: false,
    readValues: 'none',
    submit: false,
    review: false,
    buildEditions: false,
    administer: false,
  };
  return Object.freeze({ ...base, ...p });
}

/**
 * The roles that have a permission (for `requireRole` / `hasRole`).
 * @example rolesWith('readDrafts') // => ['admin', 'author', 'reviewer', 'reader']
 * @example rolesWith('submit') // => ['city']
 */
export function rolesWith(permission: Exclude<keyof RolePermissions, 'readValues'>): Role[] {
  return ROLES.filter((r) => ROLE_PERMISSIONS[r][permission]);
}

/** A signed-in user, an anonymous visitor, or the local CLI operator. */
export type Principal =
  | { kind: 'user'; userId: number; username: string; role: Role; address?: string }
  | { kind: 'anonymous'; address?: string }
  | { kind: 'system'; name: string };

/** The anonymous visitor. */
export const ANONYMOUS: Principal = Object.freeze({ kind: 'anonymous' });

/**
 * The local operator (the CLI on the machine that holds the store).
 * @example systemPrincipal('cli').kind // => 'system'
 */
export function systemPrincipal(name: string): Principal {
  return { kind: 'system', name };
}

/**
 * True when `role` is one of ROLES.
 * @example isRole('city') // => true
 * @example isRole('reader') // => true
 * @example isRole('root') // => false
 */
export function isRole(role: string): role is Role {
  return (ROLES as readonly string[]).includes(role);
}

/**
 * The name recorded in the audit log for a principal.
 * @example actorName({ kind: 'anonymous' }) // => 'anonymous'
 * @example actorName({ kind: 'system', name: 'cli' }) // => 'system:cli'
 */
export function actorName(p: Principal): string {
  if (p.kind === 'user') return p.username;
  if (p.kind === 'system') return `system:${p.name}`;
  return 'anonymous';
}

/**
 * True when the principal is the system or a user with one of the roles.
 * @example hasRole(systemPrincipal('cli'), ['admin']) // => true
 * @example hasRole({ kind: 'anonymous' }, ['admin']) // => false
 */
export function hasRole(p: Principal, roles: readonly Role[]): boolean {
  return p.kind === 'system' || (p.kind === 'user' && roles.includes(p.role));
}

/**
 * Refuse unless the principal has one of the roles: E_UNAUTHENTICATED for the anonymous visitor,
 * E_FORBIDDEN for a user with another role.
 * @example requireRole({ kind: 'anonymous' }, ['admin'], 'add users') // => throws E_UNAUTHENTICATED
 */
export function requireRole(p: Principal, roles: readonly Role[], what: string): void {
  if (hasRole(p, roles)) return;
  if (p.kind === 'anonymous') {
    throw new CityIndexError({
      code: 'E_UNAUTHENTICATED',
      message: `sign in to ${what} / 请先登录`,
      expected: 'a signed-in user',
    });
  }
  throw new CityIndexError({
    code: 'E_FORBIDDEN',
    message: `your role may not ${what} / 您的角色无权执行此操作`,
    expected: `one of the roles ${roles.join(', ')}`,
  });
}
