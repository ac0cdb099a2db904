/**
 * Invitations on SQLite and PostgreSQL: only admins invite; a link works once (also when two accepts
 * race); expired, unknown and altered tokens are refused; a failed acceptance leaves the invitation open
 * and creates nothing; every step is in the (verifying) audit chain.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CityIndexError } from '../../src/engine/core/errors.ts';
import { acceptInvitation, createInvitation, listInvitations } from '../../src/store/invitations.ts';
import { importProjectFolder } from '../../src/store/project-io.ts';
import { ANONYMOUS, systemPrincipal, type Principal } from '../../src/store/principal.ts';
import { Store, type ProjectInfo } from '../../src/store/store.ts';
import { DIALECTS, type TestStore } from './stores.ts';

const CLI = systemPrincipal('test');
const PASSWORD = 'a long enough password';

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof CityIndexError) return e.issues[0].code;
    throw e;
  }
  return 'resolved';
}

describe.each(DIALECTS)('invitations on $name', ({ open, skip }) => {
  let t: TestStore;
  let store: Store;
  let project: ProjectInfo;
  let units: string[];
  let admin: Principal;
  let author: Principal;

  beforeAll(async () => {
    if (skip) return;
    t = await open();
    store = t.store;
    project = await importProjectFolder(store, CLI, 'examples/asem');
    units = (await store.units(project.id)).map((u) => u.code);
    await store.createUser(CLI, { username: 'admin1', password: PASSWORD, role: 'admin' });
    await store.createUser(CLI, { username: 'author1', password: PASSWORD, role: 'author' });
    admin = (await store.login('admin1', PASSWORD)).principal;
    author = (await store.login('author1', PASSWORD)).principal;
  }, 60_000);
  afterAll(async () => {
    if (!skip) await t.dispose();
  });

  it.skipIf(skip)('only an admin invites; the request is checked before anything is stored', async () => {
    expect(await codeOf(createInvitation(store, author, { role: 'admin' }))).toBe('E_FORBIDDEN');
    expect(await codeOf(createInvitation(store, ANONYMOUS, { role: 'reader' }))).toBe('E_UNAUTHENTICATED');
    expect(await codeOf(createInvitation(store, admin, { role: 'root' }))).toBe('E_ROLE');
    expect(await codeOf(createInvitation(store, admin, { role: 'city', projectId: project.id }))).toBe(
      'E_CITY_REQUIRED',
    );
    expect(
      await codeOf(createInvitation(store, admin, { role: 'city', projectId: project.id, cities: ['999999'] })),
    ).toBe('E_UNKNOWN_UNIT');
    expect(await codeOf(createInvitation(store, admin, { role: 'reader', expiresInHours: 10_000 }))).toBe('E_EXPIRY');
    expect(await listInvitations(store, admin)).toEqual([]);
    expect(await codeOf(listInvitations(store, author))).toBe('E_FORBIDDEN');
  });

  it.skipIf(skip)('a city officer accepts once; the account has the invited role and units', async () => {
    const { invitation, token } = await createInvitation(store, admin, {
      role: 'city',
      projectId: project.id,
      cities: [units[2]],
      expiresInHours: 24,
    });
    expect(invitation).toMatchObject({ role: 'city', cities: [units[2]], status: 'open', createdBy: 'admin1' });
    expect(Date.parse(invitation.expiresAt) - Date.parse(invitation.createdAt)).toBe(24 * 3_600_000);
    // the token itself is not stored, only its hash
    const stored = await store.db.selectFrom('invitations').selectAll().where('id', '=', invitation.id).execute();
    expect(JSON.stringify(stored)).not.toContain(token);
    // a weak password or a taken name is refused and leaves the invitation open
    expect(await codeOf(acceptInvitation(store, token, { username: 'officer1', password: 'short' }))).toBe(
      'E_PASSWORD_POLICY',
    );
    expect(await codeOf(acceptInvitation(store, token, { username: 'author1', password: PASSWORD }))).toBe(
      'E_CONFLICT',
    );
    expect((await listInvitations(store, admin))[0].status).toBe('open');
    const user = await acceptInvitation(store, token, { username: 'officer1', password: PASSWORD }, '10.0.0.9');
    expect(user).toMatchObject({ username: 'officer1', role: 'city', cities: [units[2]] });
    const officer = (await store.login('officer1', PASSWORD)).principal;
    expect(await store.citiesOf(officer, project.id)).toEqual([units[2]]);
    expect(await codeOf(store.unitValues(officer, project.id, units[3]))).toBe('E_FORBIDDEN');
    // reuse is refused and creates nothing
    expect(await codeOf(acceptInvitation(store, token, { username: 'officer2', password: PASSWORD }))).toBe(
      'E_INVITATION_USED',
    );
    expect((await store.listUsers(admin)).map((u) => u.username)).not.toContain('officer2');
    expect((await listInvitations(store, admin))[0]).toMatchObject({ status: 'used' });
    const audit = await store.auditLog(admin);
    const accept = audit.find((r) => r.action === 'invitation.accept')!;
    expect(accept).toMatchObject({ actor: 'officer1', entity_id: String(invitation.id), address: '10.0.0.9' });
    expect(audit.map((r) => r.action)).toEqual(expect.arrayContaining(['invitation.create', 'user.create']));
    expect((await store.verifyAudit(admin)).ok).toBe(true);
  });

  it.skipIf(skip)('expired, unknown and altered tokens are refused', async () => {
    const { token } = await createInvitation(store, admin, { role: 'reader', expiresInHours: 1 });
    // the same database seen 61 minutes later
    const later = new Store(
      { db: store.db, dialect: store.dialect, where: store.where },
      { now: () => new Date(Date.now() + 61 * 60_000).toISOString(), scryptN: store.scryptN },
    );
    expect(await codeOf(acceptInvitation(later, token, { username: 'late1', password: PASSWORD }))).toBe(
      'E_INVITATION_EXPIRED',
    );
    expect((await listInvitations(later, admin))[0].status).toBe('expired');
    const altered = (token[0] === 'A' ? 'B' : 'A') + token.slice(1);
    expect(await codeOf(acceptInvitation(store, altered, { username: 'x1234', password: PASSWORD }))).toBe(
      'E_INVITATION',
    );
    expect(await codeOf(acceptInvitation(store, token + 'x', { username: 'x1234', password: PASSWORD }))).toBe(
      'E_INVITATION',
    );
    expect(await codeOf(acceptInvitation(store, '', { username: 'x1234', password: PASSWORD }))).toBe('E_INVITATION');
    // still usable in time
    expect((await acceptInvitation(store, token, { username: 'reader1', password: PASSWORD })).role).toBe('reader');
  });

  it.skipIf(skip)('two simultaneous accepts of one link: exactly one account', async () => {
    const { token } = await createInvitation(store, admin, { role: 'expert' });
    const results = await Promise.allSettled([
      acceptInvitation(store, token, { username: 'race1', password: PASSWORD }),
      acceptInvitation(store, token, { username: 'race2', password: PASSWORD }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const names = (await store.listUsers(admin)).map((u) => u.username);
    expect(names.filter((n) => n.startsWith('race'))).toHaveLength(1);
    expect((await store.verifyAudit(admin)).ok).toBe(true);
  });
});
