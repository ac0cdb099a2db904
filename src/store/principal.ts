/**
 * Who is acting: every `Store` method takes a principal and refuses what its role may not do. Roles:
 * `admin` (users, everything), `author` (projects, editions, all values), `reviewer` (reads all values,
 * approves or rejects submissions), `city` (reads and submits the values of its own units only). The
 * anonymous principal reads published editions only; `system` is the local operator of the CLI.
 */
import { CityIndexError } from '../engine/core/errors.ts';

/** The roles an account can have. */
export const ROLES = ['admin', 'author', 'reviewer', 'city'] as const;
export type Role = (typeof ROLES)[number];

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
