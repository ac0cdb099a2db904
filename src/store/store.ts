/**
 * The `Store`: every read and write of the platform's data, on SQLite or PostgreSQL. Authorisation lives
 * HERE, not in the routes: each method takes the acting principal and refuses what its role may not do
 * (a city user can read and submit only its own units' values, never another city's; anonymous
 * visitors see published editions only). Every change is written in one transaction together with its
 * audit-log entry (who, what, before → after, from where).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Insertable, Kysely, Transaction } from 'kysely';
import { CityIndexError, type Issue } from '../engine/core/errors.ts';
import { appendAudit, verifyAuditRows, type AuditEntry, type AuditVerification } from './audit.ts';
import { openDatabase, type StoreConnection, type StoreLocation } from './connect.ts';
import { migrateStore, type StoreDialect } from './migrations.ts';
import { checkPasswordPolicy, hashPassword, SCRYPT_N, verifyPassword } from './password.ts';
import { actorName, hasRole, isRole, requireRole, ROLES, rolesWith, type Principal, type Role } from './principal.ts';
import type { AuditLogTable, StoreDatabase } from './schema.ts';

/** Failed logins before an account is locked, and for how long. */
export const LOCKOUT = { failures: 5, minutes: 15 } as const;
/** How long a session lasts. */
export const SESSION_HOURS = 8;

/** A project as listed (public metadata). */
export interface ProjectInfo {
  id: number;
  slug: string;
  name: string;
  projectFile: string;
}

/** A framework node as stored. */
export interface StoredNode {
  code: string;
  parent: string | null;
  level: number;
  kind: string;
  name: { zh?: string; en?: string };
  weight: number;
  direction: number;
  unit?: string;
}

/** A unit as stored. */
export interface StoredUnit {
  code: string;
  name: { zh?: string; en?: string };
}

/** A value with its provenance. */
export interface StoredValue {
  unit: string;
  indicator: string;
  value: number | null;
  source: string | null;
  status: 'imported' | 'approved';
  submissionId: number | null;
  version: number;
  updatedBy: string;
  updatedAt: string;
}

/** What an import stores. */
export interface ProjectImport {
  slug: string;
  name: string;
  projectFile: string;
  files: ReadonlyArray<{ path: string; bytes: Uint8Array }>;
  nodes: readonly StoredNode[];
  units: readonly StoredUnit[];
  values: ReadonlyArray<{ unit: string; indicator: string; value: number | null; source: string | null }>;
}

/** One value a city submits. */
export interface SubmittedValue {
  indicator: string;
  value: number | null;
  source?: string | null;
}

/** A submission with its values. */
export interface Submission {
  id: number;
  projectId: number;
  unit: string;
  status: 'pending' | 'approved' | 'rejected';
  createdBy: string;
  createdAt: string;
  version: number;
  values: SubmittedValue[];
  reviews: Array<{ reviewer: string; decision: string; comment: string; createdAt: string }>;
}

/** An edition as listed; `results` only when one edition is read. */
export interface Edition {
  id: number;
  projectId: number;
  name: string;
  status: 'draft' | 'published';
  fingerprint: string;
  createdBy: string;
  createdAt: string;
  publishedAt: string | null;
  results?: unknown;
}

/** A user as listed (never the password hash). */
export interface UserInfo {
  id: number;
  username: string;
  role: Role;
  cities: string[];
}

/** A session just opened: the cookie token (shown once) and the CSRF token. */
export interface OpenedSession {
  token: string;
  csrf: string;
  principal: Principal & { kind: 'user' };
}

/** Options of a store: its clock, and scrypt's cost (lower it only in tests). */
export interface StoreOptions {
  now?: () => string;
  scryptN?: number;
}

const STAFF: readonly Role[] = ['admin', 'author', 'reviewer'];
/** Who reads draft editions: staff and readers (principal.ts ROLE_PERMISSIONS). */
const DRAFT_READERS: readonly Role[] = rolesWith('readDrafts');

function notFound(what: string, id: string | number): CityIndexError {
  return new CityIndexError({
    code: 'E_NOT_FOUND',
    message: `no ${what} ${id} (or you may not see it) / 找不到${what}`,
    field: what,
    expected: `an existing ${what} you may see`,
  });
}

function conflict(message: string, expected: string): CityIndexError {
  return new CityIndexError({ code: 'E_CONFLICT', message, expected });
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** Split a list into chunks (bounded statement parameters on both databases). */
/**
 * Insert `items` into `table` inside the caller's transaction, `size` rows per statement (SQLite and
 * PostgreSQL bound the parameters of one statement); `toRow` gets each item and its index in `items`.
 * @example
 * const store = await Store.open({ sqliteFile: ':memory:' });
 * const row = (slug: string) => ({ slug, name: slug, project_file: 'p.yaml', created_at: 't', created_by: 'doc' });
 * await store.db.transaction().execute((trx) => insertChunked(trx, 'projects', ['a', 'b', 'c'], 2, row));
 * const projects = await store.listProjects();
 * projects.map((p) => p.slug) // => ['a', 'b', 'c']
 * await store.close();
 */
export async function insertChunked<T extends keyof StoreDatabase & string, I>(
  trx: Transaction<StoreDatabase>,
  table: T,
  items: readonly I[],
  size: number,
  toRow: (item: I, index: number) => Insertable<StoreDatabase[T]>,
): Promise<void> {
  for (let i = 0; i < items.length; i += size) {
    const rows = items.slice(i, i + size).map((item, k) => toRow(item, i + k));
    // kysely cannot relate a generic table name to its row type; toRow's signature carries the check
    await trx
      .insertInto(table)
      .values(rows as never)
      .execute();
  }
}

/**
 * Refuse (E_UNKNOWN_UNIT, one issue per code) any of `cities` that is not a unit of the project: the check
 * behind binding a city user or inviting one.
 */
export async function requireProjectUnits(
  db: Kysely<StoreDatabase> | Transaction<StoreDatabase>,
  projectId: number,
  cities: readonly string[],
): Promise<void> {
  if (cities.length === 0) return;
  const rows = await db
    .selectFrom('units')
    .select('code')
    .where('project_id', '=', projectId)
    .where('code', 'in', [...cities])
    .execute();
  const known = new Set(rows.map((r) => r.code));
  const unknown = cities.filter((c) => !known.has(c));
  if (unknown.length) {
    throw new CityIndexError(
      unknown.map((c) => ({
        code: 'E_UNKNOWN_UNIT',
        message: `unit ${c} is not in the project / 项目中没有该城市`,
        field: 'cities',
        unit: c,
        expected: 'an adcode of the project',
      })),
    );
  }
}

/** The SQLite / PostgreSQL store behind one API. */
export class Store {
  readonly db: Kysely<StoreDatabase>;
  readonly dialect: StoreDialect;
  readonly where: string;
  /** The clock (ISO text); injectable for tests. */
  /** The clock (ISO 8601 text); injectable for tests. */
  readonly now: () => string;
  /** scrypt's N for new password hashes (SCRYPT_N unless a test lowers it); public for store extensions. */
  readonly scryptN: number;

  constructor(connection: StoreConnection, options: StoreOptions = {}) {
    this.db = connection.db;
    this.dialect = connection.dialect;
    this.where = connection.where;
    this.now = options.now ?? (() => new Date().toISOString());
    this.scryptN = options.scryptN ?? SCRYPT_N;
  }

  /**
   * Open and migrate a store.
   * @example
   * const store = await Store.open({ sqliteFile: ':memory:' });
   * const projects = await store.listProjects();
   * projects.length // => 0
   * await store.close();
   */
  static async open(location: StoreLocation, options: StoreOptions = {}): Promise<Store> {
    const store = new Store(openDatabase(location), options);
    try {
      await migrateStore(store.db, store.dialect);
    } catch (e) {
      await store.close();
      throw e;
    }
    return store;
  }

  /** Close the connection. */
  async close(): Promise<void> {
    await this.db.destroy();
  }

  /**
   * Append one row to the hash-chained audit log inside the caller's transaction. For the store's own
   * methods and for store extension modules (src/store/*.ts) that write their own tables.
   */
  async recordAudit(trx: Transaction<StoreDatabase>, actor: Principal, e: Omit<AuditEntry, 'actor'>): Promise<void> {
    const address = e.address ?? (actor.kind === 'system' ? undefined : actor.address);
    await appendAudit(trx, { ...e, actor: actorName(actor), address }, this.now());
  }

  // ── users and sessions ──────────────────────────────────────────────────────────────────────

  /** Number of accounts (the CLI's first-admin check). */
  async userCount(): Promise<number> {
    const r = await this.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  /**
   * Create an account (admins and the CLI only). A city user is bound to units of one project.
   * Refuses a weak password, an unknown role, a taken name and units the project does not have.
   */
  async createUser(
    actor: Principal,
    user: { username: string; password: string; role: string; projectId?: number; cities?: readonly string[] },
  ): Promise<UserInfo> {
    requireRole(actor, ['admin'], 'add users');
    const issues: Issue[] = [];
    if (!/^[A-Za-z0-9._@-]{3,64}$/.test(user.username)) {
      issues.push({
        code: 'E_USERNAME',
        message: `"${user.username}" is not a valid user name / 用户名无效`,
        field: 'username',
        expected: '3–64 letters, digits or . _ @ -',
      });
    }
    if (!isRole(user.role)) {
      issues.push({
        code: 'E_ROLE',
        message: `unknown role "${user.role}" / 未知角色`,
        field: 'role',
        expected: `one of ${ROLES.join(', ')}`,
      });
    }
    const cities = [...new Set(user.cities ?? [])];
    if (user.role === 'city' && (cities.length === 0 || user.projectId === undefined)) {
      issues.push({
        code: 'E_CITY_REQUIRED',
        message: 'a city user needs a project and at least one unit (adcode) / 城市用户须绑定城市',
        field: 'cities',
        expected: 'one or more adcodes of the project',
      });
    }
    try {
      checkPasswordPolicy(user.password);
    } catch (e) {
      if (e instanceof CityIndexError) issues.push(...e.issues);
      else throw e;
    }
    if (issues.length) throw new CityIndexError(issues);
    const passwordHash = await hashPassword(user.password, this.scryptN);
    return this.db.transaction().execute(async (trx) => {
      const taken = await trx.selectFrom('users').select('id').where('username', '=', user.username).executeTakeFirst();
      if (taken) throw conflict(`user "${user.username}" exists / 用户已存在`, 'a new user name');
      if (user.projectId !== undefined) await requireProjectUnits(trx, user.projectId, cities);
      const row = await trx
        .insertInto('users')
        .values({
          username: user.username,
          password_hash: passwordHash,
          role: user.role,
          created_at: this.now(),
          failed_logins: 0,
          locked_until: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const id = Number(row.id);
      if (user.projectId !== undefined && cities.length) {
        await trx
          .insertInto('city_memberships')
          .values(cities.map((c) => ({ user_id: id, project_id: user.projectId!, unit_code: c })))
          .execute();
      }
      const info: UserInfo = { id, username: user.username, role: user.role as Role, cities };
      await this.recordAudit(trx, actor, { action: 'user.create', entity: 'user', entityId: String(id), after: info });
      return info;
    });
  }

  /** Every account (admins only). */
  async listUsers(actor: Principal): Promise<UserInfo[]> {
    requireRole(actor, ['admin'], 'list users');
    const users = await this.db.selectFrom('users').select(['id', 'username', 'role']).orderBy('id').execute();
    const memberships = await this.db.selectFrom('city_memberships').select(['user_id', 'unit_code']).execute();
    const byUser = new Map<number, string[]>();
    for (const m of memberships) byUser.set(Number(m.user_id), [...(byUser.get(Number(m.user_id)) ?? []), m.unit_code]);
    return users.map((u) => ({
      id: Number(u.id),
      username: u.username,
      role: u.role as Role,
      cities: byUser.get(Number(u.id)) ?? [],
    }));
  }

  /**
   * Check a user name and password and open a session. Wrong credentials give one message whether the
   * name exists or not; after LOCKOUT.failures failures the account is locked for LOCKOUT.minutes.
   */
  async login(username: string, password: string, address?: string): Promise<OpenedSession> {
    const bad = new CityIndexError({
      code: 'E_LOGIN',
      message: 'wrong user name or password / 用户名或密码错误',
      expected: 'the user name and password of an account',
    });
    const user = await this.db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
    const now = this.now();
    if (!user) {
      await verifyPassword(password, dummyHash(this.scryptN)); // same work as for an existing name
      throw bad;
    }
    if (user.locked_until && user.locked_until > now) {
      throw new CityIndexError({
        code: 'E_LOCKED',
        message: `too many failed logins; the account is locked until ${user.locked_until} / 登录失败次数过多，账户已锁定`,
        expected: 'a later attempt',
      });
    }
    const principal = {
      kind: 'user' as const,
      userId: Number(user.id),
      username: user.username,
      role: user.role as Role,
      address,
    };
    if (!(await verifyPassword(password, user.password_hash))) {
      const failures = Number(user.failed_logins) + 1;
      const locked = failures >= LOCKOUT.failures;
      const until = locked ? new Date(Date.parse(now) + LOCKOUT.minutes * 60_000).toISOString() : null;
      await this.db.transaction().execute(async (trx) => {
        await trx
          .updateTable('users')
          .set({ failed_logins: locked ? 0 : failures, locked_until: until })
          .where('id', '=', user.id)
          .execute();
        const action = locked ? 'login.locked' : 'login.failed';
        await this.recordAudit(trx, principal, { action, entity: 'user', entityId: String(user.id), address });
      });
      throw bad;
    }
    const token = randomBytes(32).toString('base64url');
    const csrf = randomBytes(32).toString('base64url');
    const expires = new Date(Date.parse(now) + SESSION_HOURS * 3_600_000).toISOString();
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('users').set({ failed_logins: 0, locked_until: null }).where('id', '=', user.id).execute();
      await trx.deleteFrom('sessions').where('user_id', '=', user.id).where('expires_at', '<=', now).execute();
      await trx
        .insertInto('sessions')
        .values({ token_hash: sha256(token), user_id: Number(user.id), csrf, created_at: now, expires_at: expires })
        .execute();
      await this.recordAudit(trx, principal, { action: 'login', entity: 'user', entityId: String(user.id), address });
    });
    return { token, csrf, principal };
  }

  /** The user of a live session token and its CSRF token, or undefined (unknown or expired). */
  async session(token: string, address?: string): Promise<{ principal: Principal; csrf: string } | undefined> {
    if (!token || token.length > 100) return undefined;
    const row = await this.db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .select(['users.id', 'users.username', 'users.role', 'sessions.csrf', 'sessions.expires_at'])
      .where('sessions.token_hash', '=', sha256(token))
      .executeTakeFirst();
    if (!row || row.expires_at <= this.now()) return undefined;
    const principal: Principal = {
      kind: 'user',
      userId: Number(row.id),
      username: row.username,
      role: row.role as Role,
      address,
    };
    return { principal, csrf: row.csrf };
  }

  /** End a session (logout). */
  async logout(token: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('token_hash', '=', sha256(token)).execute();
  }

  /** The units a city user is bound to in a project ([] for other principals). */
  async citiesOf(actor: Principal, projectId: number): Promise<string[]> {
    if (actor.kind !== 'user' || actor.role !== 'city') return [];
    const rows = await this.db
      .selectFrom('city_memberships')
      .select('unit_code')
      .where('user_id', '=', actor.userId)
      .where('project_id', '=', projectId)
      .orderBy('unit_code')
      .execute();
    return rows.map((r) => r.unit_code);
  }

  /**
   * Refuse unless the actor may read and submit the values of `unit`: staff, or a city user bound to it.
   * Public so that store extension modules enforce the same rule in the data layer.
   */
  async requireUnitAccess(actor: Principal, projectId: number, unit: string, what: string): Promise<void> {
    requireRole(actor, [...STAFF, 'city'], what);
    if (actor.kind === 'user' && actor.role === 'city') {
      const cities = await this.citiesOf(actor, projectId);
      if (!cities.includes(unit)) {
        throw new CityIndexError({
          code: 'E_FORBIDDEN',
          message: `you may not ${what} of unit ${unit} / 无权访问其他城市的数据`,
          unit,
          expected: `one of your units: ${cities.join(', ') || '(none)'}`,
        });
      }
    }
  }

  // ── projects ────────────────────────────────────────────────────────────────────────────────

  /** Every project (public metadata). */
  async listProjects(): Promise<ProjectInfo[]> {
    const rows = await this.db.selectFrom('projects').selectAll().orderBy('id').execute();
    return rows.map((r) => ({ id: Number(r.id), slug: r.slug, name: r.name, projectFile: r.project_file }));
  }

  /** A project by its slug, or undefined. */
  async projectBySlug(slug: string): Promise<ProjectInfo | undefined> {
    return (await this.listProjects()).find((p) => p.slug === slug);
  }

  /** Store an imported project (authors, admins, the CLI): files, framework, units and values, in one transaction. */
  async saveProject(actor: Principal, p: ProjectImport): Promise<ProjectInfo> {
    requireRole(actor, ['admin', 'author'], 'import projects');
    const now = this.now();
    const by = actorName(actor);
    return this.db.transaction().execute(async (trx) => {
      const taken = await trx.selectFrom('projects').select('id').where('slug', '=', p.slug).executeTakeFirst();
      if (taken)
        throw conflict(`project "${p.slug}" is already in the store / 项目已导入`, 'a project not imported yet');
      const row = await trx
        .insertInto('projects')
        .values({ slug: p.slug, name: p.name, project_file: p.projectFile, created_at: now, created_by: by })
        .returning('id')
        .executeTakeFirstOrThrow();
      const id = Number(row.id);
      // chunked: SQLite and PostgreSQL bound the parameters of one statement
      await insertChunked(trx, 'project_files', p.files, 50, (f) => ({
        project_id: id,
        path: f.path,
        content: Buffer.from(f.bytes).toString('base64'),
        sha256: createHash('sha256').update(f.bytes).digest('hex'),
        size: f.bytes.length,
      }));
      await insertChunked(trx, 'framework_nodes', p.nodes, 500, (n, i) => ({
        project_id: id,
        code: n.code,
        parent: n.parent,
        level: n.level,
        kind: n.kind,
        name_zh: n.name.zh ?? null,
        name_en: n.name.en ?? null,
        weight: n.weight,
        direction: n.direction,
        unit: n.unit ?? null,
        position: i,
      }));
      await insertChunked(trx, 'units', p.units, 500, (u, i) => ({
        project_id: id,
        code: u.code,
        name_zh: u.name.zh ?? null,
        name_en: u.name.en ?? null,
        position: i,
      }));
      await insertChunked(trx, 'data_values', p.values, 500, (v) => ({
        project_id: id,
        unit_code: v.unit,
        indicator: v.indicator,
        value: v.value,
        source: v.source,
        status: 'imported',
        submission_id: null,
        version: 1,
        updated_by: by,
        updated_at: now,
      }));
      const summary = { slug: p.slug, files: p.files.length, units: p.units.length, values: p.values.length };
      await this.recordAudit(trx, actor, {
        action: 'project.import',
        entity: 'project',
        entityId: String(id),
        after: summary,
      });
      return { id, slug: p.slug, name: p.name, projectFile: p.projectFile };
    });
  }

  /** The project folder's files as imported (authors and admins: they hold every city's raw data). */
  async projectFiles(actor: Principal, projectId: number): Promise<Map<string, Uint8Array>> {
    requireRole(actor, ['admin', 'author'], "read the project's files");
    const rows = await this.db
      .selectFrom('project_files')
      .select(['path', 'content'])
      .where('project_id', '=', projectId)
      .orderBy('path')
      .execute();
    return new Map(rows.map((r) => [r.path, new Uint8Array(Buffer.from(r.content, 'base64'))]));
  }

  /** The framework (public). */
  async framework(projectId: number): Promise<StoredNode[]> {
    const rows = await this.db
      .selectFrom('framework_nodes')
      .selectAll()
      .where('project_id', '=', projectId)
      .orderBy('position')
      .execute();
    return rows.map((r) => ({
      code: r.code,
      parent: r.parent,
      level: Number(r.level),
      kind: r.kind,
      name: { ...(r.name_zh !== null && { zh: r.name_zh }), ...(r.name_en !== null && { en: r.name_en }) },
      weight: Number(r.weight),
      direction: Number(r.direction),
      ...(r.unit !== null && { unit: r.unit }),
    }));
  }

  /** The units (public). */
  async units(projectId: number): Promise<StoredUnit[]> {
    const rows = await this.db
      .selectFrom('units')
      .selectAll()
      .where('project_id', '=', projectId)
      .orderBy('position')
      .execute();
    return rows.map((r) => ({
      code: r.code,
      name: { ...(r.name_zh !== null && { zh: r.name_zh }), ...(r.name_en !== null && { en: r.name_en }) },
    }));
  }

  // ── values ──────────────────────────────────────────────────────────────────────────────────

  private static value(r: StoreDatabase['data_values']): StoredValue {
    return {
      unit: r.unit_code,
      indicator: r.indicator,
      value: r.value === null ? null : Number(r.value),
      source: r.source,
      status: r.status as StoredValue['status'],
      submissionId: r.submission_id === null ? null : Number(r.submission_id),
      version: Number(r.version),
      updatedBy: r.updated_by,
      updatedAt: r.updated_at,
    };
  }

  /** The current values of one unit (staff, or a city user bound to the unit). */
  async unitValues(actor: Principal, projectId: number, unit: string): Promise<StoredValue[]> {
    await this.requireUnitAccess(actor, projectId, unit, 'read the values');
    const rows = await this.db
      .selectFrom('data_values')
      .selectAll()
      .where('project_id', '=', projectId)
      .where('unit_code', '=', unit)
      .orderBy('indicator')
      .execute();
    return rows.map((r) => Store.value(r as StoreDatabase['data_values']));
  }

  /** Every current value of the project (authors and admins: what a build uses). */
  async allValues(actor: Principal, projectId: number): Promise<StoredValue[]> {
    requireRole(actor, ['admin', 'author'], "read every city's values");
    const rows = await this.db
      .selectFrom('data_values')
      .selectAll()
      .where('project_id', '=', projectId)
      .orderBy('unit_code')
      .orderBy('indicator')
      .execute();
    return rows.map((r) => Store.value(r as StoreDatabase['data_values']));
  }

  // ── submissions and reviews ─────────────────────────────────────────────────────────────────

  /**
   * A city's submission of values for one of its units: checked (every indicator a collected indicator
   * of the framework, once; every value a finite number or null) with located errors before anything
   * is stored; stored as `pending` with an audit entry.
   */
  async submit(
    actor: Principal,
    projectId: number,
    unit: string,
    values: readonly SubmittedValue[],
  ): Promise<Submission> {
    requireRole(actor, ['city'], 'submit values');
    await this.requireUnitAccess(actor, projectId, unit, 'submit values');
    const units = new Set((await this.units(projectId)).map((u) => u.code));
    if (!units.has(unit)) throw notFound('unit', unit);
    const indicators = new Set(
      (await this.framework(projectId)).filter((n) => n.kind === 'indicator').map((n) => n.code),
    );
    const issues: Issue[] = [];
    const seen = new Set<string>();
    if (values.length === 0) {
      issues.push({
        code: 'E_EMPTY',
        message: 'no values submitted / 未提交任何数值',
        field: 'values',
        expected: '1+ values',
      });
    }
    values.forEach((v, i) => {
      const at = { row: i + 1, field: `values[${i}]`, unit, indicator: String(v.indicator) };
      if (!indicators.has(v.indicator)) {
        issues.push({
          ...at,
          code: 'E_UNKNOWN_INDICATOR',
          message: `"${v.indicator}" is not an indicator of the framework / 指标体系中没有该指标`,
          expected: 'an indicator code of the framework',
        });
      } else if (seen.has(v.indicator)) {
        issues.push({ ...at, code: 'E_DUPLICATE', message: 'indicator given twice / 指标重复', expected: 'each once' });
      }
      seen.add(v.indicator);
      if (v.value !== null && (typeof v.value !== 'number' || !Number.isFinite(v.value))) {
        issues.push({
          ...at,
          code: 'E_NOT_NUMBER',
          message: `${JSON.stringify(v.value)} is not a number / 不是数值`,
          expected: 'a finite number, or null for a missing value',
        });
      }
      if (v.source !== undefined && v.source !== null && (typeof v.source !== 'string' || v.source.length > 2000)) {
        issues.push({
          ...at,
          code: 'E_SOURCE',
          message: 'bad source note / 来源说明无效',
          expected: 'text ≤ 2000 chars',
        });
      }
    });
    if (issues.length) throw new CityIndexError(issues);
    const now = this.now();
    const id = await this.db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('submissions')
        .values({
          project_id: projectId,
          unit_code: unit,
          status: 'pending',
          created_by: actorName(actor),
          created_at: now,
          version: 1,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const sid = Number(row.id);
      await trx
        .insertInto('submission_values')
        .values(
          values.map((v) => ({ submission_id: sid, indicator: v.indicator, value: v.value, source: v.source ?? null })),
        )
        .execute();
      await this.recordAudit(trx, actor, {
        action: 'submission.create',
        entity: 'submission',
        entityId: String(sid),
        after: { unit, values },
      });
      return sid;
    });
    return this.submission(actor, id);
  }

  /** The submissions the actor may see: all for staff, its own units' for a city user. */
  async listSubmissions(actor: Principal, projectId: number): Promise<Omit<Submission, 'values' | 'reviews'>[]> {
    requireRole(actor, [...STAFF, 'city'], 'list submissions');
    let q = this.db.selectFrom('submissions').selectAll().where('project_id', '=', projectId);
    if (actor.kind === 'user' && actor.role === 'city') {
      const cities = await this.citiesOf(actor, projectId);
      if (cities.length === 0) return [];
      q = q.where('unit_code', 'in', cities);
    }
    const rows = await q.orderBy('id').execute();
    return rows.map((r) => ({
      id: Number(r.id),
      projectId: Number(r.project_id),
      unit: r.unit_code,
      status: r.status as Submission['status'],
      createdBy: r.created_by,
      createdAt: r.created_at,
      version: Number(r.version),
    }));
  }

  /** One submission with its values and reviews (not found for a city user of another unit). */
  async submission(actor: Principal, id: number): Promise<Submission> {
    requireRole(actor, [...STAFF, 'city'], 'read submissions');
    const r = await this.db.selectFrom('submissions').selectAll().where('id', '=', id).executeTakeFirst();
    if (!r) throw notFound('submission', id);
    if (actor.kind === 'user' && actor.role === 'city') {
      const cities = await this.citiesOf(actor, Number(r.project_id));
      if (!cities.includes(r.unit_code)) throw notFound('submission', id);
    }
    const values = await this.db
      .selectFrom('submission_values')
      .select(['indicator', 'value', 'source'])
      .where('submission_id', '=', id)
      .orderBy('indicator')
      .execute();
    const reviews = await this.db
      .selectFrom('reviews')
      .select(['reviewer', 'decision', 'comment', 'created_at'])
      .where('submission_id', '=', id)
      .orderBy('id')
      .execute();
    return {
      id: Number(r.id),
      projectId: Number(r.project_id),
      unit: r.unit_code,
      status: r.status as Submission['status'],
      createdBy: r.created_by,
      createdAt: r.created_at,
      version: Number(r.version),
      values: values.map((v) => ({
        indicator: v.indicator,
        value: v.value === null ? null : Number(v.value),
        source: v.source,
      })),
      reviews: reviews.map((v) => ({
        reviewer: v.reviewer,
        decision: v.decision,
        comment: v.comment,
        createdAt: v.created_at,
      })),
    };
  }

  /**
   * Approve or reject a pending submission (reviewers and admins; never one's own). `version` is the
   * version the reviewer saw: a stale one gives E_CONFLICT and changes nothing. Approval writes each
   * value into the current values (status `approved`, provenance = the submission) with an audit entry
   * per value (before → after), all in one transaction.
   */
  async review(
    actor: Principal,
    id: number,
    decision: { approve: boolean; comment: string; version: number },
  ): Promise<Submission> {
    requireRole(actor, ['admin', 'reviewer'], 'review submissions');
    const sub = await this.submission(actor, id);
    if (sub.createdBy === actorName(actor)) {
      throw new CityIndexError({
        code: 'E_FORBIDDEN',
        message: 'you may not review your own submission / 不能审核自己的提交',
        expected: 'another reviewer',
      });
    }
    if (typeof decision.comment !== 'string' || decision.comment.length > 2000) {
      throw new CityIndexError({
        code: 'E_COMMENT',
        message: 'bad comment / 意见无效',
        field: 'comment',
        expected: 'text',
      });
    }
    const status = decision.approve ? 'approved' : 'rejected';
    const now = this.now();
    await this.db.transaction().execute(async (trx) => {
      const updated = await trx
        .updateTable('submissions')
        .set({ status, version: decision.version + 1 })
        .where('id', '=', id)
        .where('version', '=', decision.version)
        .where('status', '=', 'pending')
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) !== 1) {
        throw conflict(
          `submission ${id} was changed or reviewed meanwhile (now version ${sub.version}, ${sub.status}) / 提交已被他人修改`,
          `a pending submission at version ${decision.version}`,
        );
      }
      await trx
        .insertInto('reviews')
        .values({
          submission_id: id,
          reviewer: actorName(actor),
          decision: status,
          comment: decision.comment,
          created_at: now,
        })
        .execute();
      await this.recordAudit(trx, actor, {
        action: `submission.${decision.approve ? 'approve' : 'reject'}`,
        entity: 'submission',
        entityId: String(id),
        before: { status: sub.status },
        after: { status, comment: decision.comment },
      });
      if (!decision.approve) return;
      for (const v of sub.values) {
        const before = await trx
          .selectFrom('data_values')
          .selectAll()
          .where('project_id', '=', sub.projectId)
          .where('unit_code', '=', sub.unit)
          .where('indicator', '=', v.indicator)
          .executeTakeFirst();
        const after = {
          value: v.value,
          source: v.source ?? null,
          status: 'approved',
          submission_id: id,
          updated_by: actorName(actor),
          updated_at: now,
        };
        if (before) {
          await trx
            .updateTable('data_values')
            .set({ ...after, version: Number(before.version) + 1 })
            .where('project_id', '=', sub.projectId)
            .where('unit_code', '=', sub.unit)
            .where('indicator', '=', v.indicator)
            .execute();
        } else {
          await trx
            .insertInto('data_values')
            .values({ ...after, project_id: sub.projectId, unit_code: sub.unit, indicator: v.indicator, version: 1 })
            .execute();
        }
        await this.recordAudit(trx, actor, {
          action: 'value.approve',
          entity: 'value',
          entityId: `${sub.projectId}/${sub.unit}/${v.indicator}`,
          before: before ? { value: before.value, source: before.source, status: before.status } : null,
          after: { value: v.value, source: v.source ?? null, status: 'approved', submission: id },
        });
      }
    });
    return this.submission(actor, id);
  }

  // ── editions ────────────────────────────────────────────────────────────────────────────────

  private static edition(r: StoreDatabase['editions'] & { id: number }, withResults: boolean): Edition {
    return {
      id: Number(r.id),
      projectId: Number(r.project_id),
      name: r.name,
      status: r.status as Edition['status'],
      fingerprint: r.fingerprint,
      createdBy: r.created_by,
      createdAt: r.created_at,
      publishedAt: r.published_at,
      ...(withResults && { results: JSON.parse(r.results) }),
    };
  }

  /** Store a draft edition: a build's results (authors and admins). */
  async createEdition(
    actor: Principal,
    projectId: number,
    e: { name: string; results: unknown; fingerprint: string },
  ): Promise<Edition> {
    requireRole(actor, ['admin', 'author'], 'build editions');
    const id = await this.db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('editions')
        .values({
          project_id: projectId,
          name: e.name,
          status: 'draft',
          results: JSON.stringify(e.results),
          fingerprint: e.fingerprint,
          created_by: actorName(actor),
          created_at: this.now(),
          published_at: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const eid = Number(row.id);
      await this.recordAudit(trx, actor, {
        action: 'edition.create',
        entity: 'edition',
        entityId: String(eid),
        after: { name: e.name, fingerprint: e.fingerprint },
      });
      return eid;
    });
    return this.edition(actor, id);
  }

  /** Publish a draft edition (authors and admins); a published edition never changes again. */
  async publishEdition(actor: Principal, id: number): Promise<Edition> {
    requireRole(actor, ['admin', 'author'], 'publish editions');
    await this.db.transaction().execute(async (trx) => {
      const updated = await trx
        .updateTable('editions')
        .set({ status: 'published', published_at: this.now() })
        .where('id', '=', id)
        .where('status', '=', 'draft')
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) !== 1) {
        const exists = await trx.selectFrom('editions').select('status').where('id', '=', id).executeTakeFirst();
        if (!exists) throw notFound('edition', id);
        throw conflict(`edition ${id} is already published / 版本已发布`, 'a draft edition');
      }
      await this.recordAudit(trx, actor, {
        action: 'edition.publish',
        entity: 'edition',
        entityId: String(id),
        before: { status: 'draft' },
        after: { status: 'published' },
      });
    });
    return this.edition(actor, id);
  }

  /** The editions the actor may see: all for staff and readers, published ones for everybody else. */
  async listEditions(actor: Principal, projectId: number): Promise<Edition[]> {
    let q = this.db.selectFrom('editions').selectAll().where('project_id', '=', projectId);
    if (!hasRole(actor, DRAFT_READERS)) q = q.where('status', '=', 'published');
    const rows = await q.orderBy('id').execute();
    return rows.map((r) => Store.edition(r as any, false));
  }

  /**
   * The latest published edition of a project without its results (anyone: published editions are
   * public), or null before the first publish: one small read, so the public site can ask per request.
   */
  async latestPublishedEdition(actor: Principal, projectId: number): Promise<Edition | null> {
    void actor; // published editions are public; the parameter keeps the Store's one calling convention
    const r = await this.db
      .selectFrom('editions')
      .select(['id', 'project_id', 'name', 'status', 'fingerprint', 'created_by', 'created_at', 'published_at'])
      .where('project_id', '=', projectId)
      .where('status', '=', 'published')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    return r ? Store.edition({ ...r, results: '' } as any, false) : null;
  }

  /** One edition with its results (a draft is not found for anyone but staff and readers). */
  async edition(actor: Principal, id: number): Promise<Edition> {
    const r = await this.db.selectFrom('editions').selectAll().where('id', '=', id).executeTakeFirst();
    if (!r || (r.status !== 'published' && !hasRole(actor, DRAFT_READERS))) throw notFound('edition', id);
    return Store.edition(r as any, true);
  }

  // ── audit ───────────────────────────────────────────────────────────────────────────────────

  /** Audit rows from `afterSeq` on (admins only), oldest first, at most `limit`. */
  async auditLog(actor: Principal, options: { afterSeq?: number; limit?: number } = {}): Promise<AuditLogTable[]> {
    requireRole(actor, ['admin'], 'read the audit log');
    const rows = await this.db
      .selectFrom('audit_log')
      .selectAll()
      .where('seq', '>', options.afterSeq ?? 0)
      .orderBy('seq')
      .limit(Math.min(Math.max(options.limit ?? 1000, 1), 10_000))
      .execute();
    return rows.map((r) => ({ ...r, seq: Number(r.seq) }));
  }

  /** Check the whole audit chain (admins and the CLI). */
  async verifyAudit(actor: Principal): Promise<AuditVerification> {
    requireRole(actor, ['admin'], 'verify the audit log');
    const rows = await this.db.selectFrom('audit_log').selectAll().orderBy('seq').execute();
    const head = await this.db
      .selectFrom('audit_head')
      .select(['seq', 'hash'])
      .where('id', '=', 1)
      .executeTakeFirstOrThrow();
    return verifyAuditRows(rows, { seq: Number(head.seq), hash: head.hash });
  }
}

/** A hash with the store's cost, so that a login with an unknown name costs the same as a wrong password. */
function dummyHash(n: number): string {
  return `scrypt$${n}$8$1$${'A'.repeat(22)}==$${'A'.repeat(43)}=`;
}
