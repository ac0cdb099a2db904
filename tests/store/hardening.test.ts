/**
 * Platform hardening in the store (issue 12), on SQLite and PostgreSQL:
 * - an admin revokes an open invitation: its link is refused (E_INVITATION_REVOKED, zh and en text), a
 *   non-admin cannot revoke, a used invitation cannot be revoked (E_INVITATION_USED), every revoke is in
 *   the verifying audit chain;
 * - an old template uploaded again with its values unchanged is a no-op (no version, no audit entry),
 *   while a stale template whose value differs from a newer version is E_CONFLICT naming both versions
 *   and both values, with nothing stored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueText } from '../../src/engine/i18n/index.ts';
import { acceptInvitation, createInvitation, listInvitations, revokeInvitation } from '../../src/store/invitations.ts';
import { importProjectFolder } from '../../src/store/project-io.ts';
import { ANONYMOUS, systemPrincipal, type Principal } from '../../src/store/principal.ts';
import type { ProjectInfo, Store } from '../../src/store/store.ts';
import {
  openRound,
  saveValues,
  submitUnit,
  templateFor,
  uploadTemplateChanges,
  valueHistory,
  type RoundInfo,
} from '../../src/store/submission-flow.ts';
import { codeOf, filledTemplate, issuesOf } from './submission-helpers.ts';
import { DIALECTS, type TestStore } from './stores.ts';

const CLI = systemPrincipal('test');
const PASSWORD = 'a long enough password';

describe.each(DIALECTS)('platform hardening in the store on $name', ({ open, skip }) => {
  let t: TestStore;
  let store: Store;
  let project: ProjectInfo;
  let units: string[];
  let indicators: string[];
  let admin: Principal;
  let author: Principal;
  let city: Principal;
  let round: RoundInfo;

  async function rows(table: string): Promise<number> {
    const r = await (store.db as any)
      .selectFrom(table)
      .select((eb: any) => eb.fn.countAll().as('n'))
      .executeTakeFirst();
    return Number(r.n);
  }

  beforeAll(async () => {
    if (skip) return;
    t = await open();
    store = t.store;
    project = await importProjectFolder(store, CLI, 'examples/asem');
    units = (await store.units(project.id)).map((u) => u.code);
    indicators = (await store.framework(project.id)).filter((n) => n.kind === 'indicator').map((n) => n.code);
    await store.createUser(CLI, { username: 'admin1', password: PASSWORD, role: 'admin' });
    await store.createUser(CLI, { username: 'author1', password: PASSWORD, role: 'author' });
    await store.createUser(CLI, {
      username: 'cityA',
      password: PASSWORD,
      role: 'city',
      projectId: project.id,
      cities: [units[0]],
    });
    admin = (await store.login('admin1', PASSWORD)).principal;
    author = (await store.login('author1', PASSWORD)).principal;
    city = (await store.login('cityA', PASSWORD)).principal;
    round = await openRound(store, author, project.id, '2024');
  }, 120_000);
  afterAll(async () => {
    if (!skip) await t.dispose();
  });

  it.skipIf(skip)('an admin revokes an open invitation; its link then says so; used ones stay', async () => {
    const { invitation, token } = await createInvitation(store, admin, { role: 'reader' });
    expect(await codeOf(revokeInvitation(store, author, invitation.id))).toBe('E_FORBIDDEN');
    expect(await codeOf(revokeInvitation(store, ANONYMOUS, invitation.id))).toBe('E_UNAUTHENTICATED');
    expect(await codeOf(revokeInvitation(store, admin, 999_999))).toBe('E_NOT_FOUND');
    const auditBefore = await rows('audit_log');
    const revoked = await revokeInvitation(store, admin, invitation.id);
    expect(revoked).toMatchObject({ id: invitation.id, status: 'revoked', revokedBy: 'admin1' });
    expect(revoked.revokedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(await rows('audit_log')).toBe(auditBefore + 1);
    // revoking again changes nothing (no second audit entry)
    expect((await revokeInvitation(store, admin, invitation.id)).status).toBe('revoked');
    expect(await rows('audit_log')).toBe(auditBefore + 1);
    const users = await rows('users');
    const refused = await issuesOf(acceptInvitation(store, token, { username: 'late1', password: PASSWORD }));
    expect(refused[0].code).toBe('E_INVITATION_REVOKED');
    expect(issueText(refused[0], 'zh')).toBe('该邀请已被管理员撤销，请向管理员索取新链接');
    expect(issueText(refused[0], 'en')).toBe(
      'this invitation was withdrawn by an administrator; ask them for a new link',
    );
    expect(await rows('users')).toBe(users);
    expect((await listInvitations(store, admin)).find((i) => i.id === invitation.id)?.status).toBe('revoked');

    // a used invitation cannot be revoked: the account exists
    const used = await createInvitation(store, admin, { role: 'reader' });
    await acceptInvitation(store, used.token, { username: 'reader1', password: PASSWORD });
    const late = await issuesOf(revokeInvitation(store, admin, used.invitation.id));
    expect(late[0]).toMatchObject({ code: 'E_INVITATION_USED', field: 'id' });
    expect((await listInvitations(store, admin)).find((i) => i.id === used.invitation.id)?.status).toBe('used');
    const log = await store.auditLog(admin);
    const entry = log.find((r) => r.action === 'invitation.revoke');
    expect(entry).toMatchObject({ actor: 'admin1', entity_id: String(invitation.id) });
    expect((await store.verifyAudit(admin)).ok).toBe(true);
  });

  it.skipIf(skip)('an unchanged old template uploaded again is a no-op; a stale changed one is a 409', async () => {
    const unit = units[0];
    const [i1, i2] = indicators;
    const file = (bytes: Uint8Array) => ({ fileName: 'city.xlsx', bytes });
    // the officer downloads the template (version 0), fills two values and uploads it
    const first = await filledTemplate(
      store,
      city,
      round.id,
      unit,
      new Map([
        [i1, 10],
        [i2, 20],
      ]),
    );
    const up = await uploadTemplateChanges(store, city, round.id, unit, file(first));
    expect(up.changed.sort()).toEqual([i1, i2].sort());
    // the same file again (its rows still say version 0): nothing changed, nothing written
    const before = { versions: await rows('round_value_versions'), audit: await rows('audit_log') };
    const again = await uploadTemplateChanges(store, city, round.id, unit, file(first));
    expect(again.changed).toEqual([]);
    expect(again.values.filter((v) => v.indicator === i1 || v.indicator === i2).map((v) => v.version)).toEqual([1, 1]);
    expect({ versions: await rows('round_value_versions'), audit: await rows('audit_log') }).toEqual(before);

    // meanwhile i1 is corrected in the web form (version 2 = 11); the old file again: i1 conflicts, named
    await saveValues(store, city, round.id, unit, [{ indicator: i1, value: 11, version: 1 }]);
    const stale = await issuesOf(uploadTemplateChanges(store, city, round.id, unit, file(first)));
    expect(stale).toHaveLength(1);
    expect(stale[0]).toMatchObject({ code: 'E_CONFLICT', indicator: i1, field: 'version', expected: 'version 2' });
    expect(stale[0].message).toContain('you edited version 0, it is now version 2');
    expect(stale[0].message).toContain('you sent 10, it is now 11');
    expect(issueText(stale[0], 'zh')).toContain('您提交的是 10，现在的值是 11');
    expect((await valueHistory(store, city, round.id, unit, i1)).map((v) => v.value)).toEqual([10, 11]);

    // a fresh template with the new value uploaded after submitting: unchanged values are not "edits"
    // of a submitted value, so it is a no-op too, not E_NOT_EDITABLE
    await submitUnit(store, city, round.id, unit);
    const fresh = (await templateFor(store, city, round.id, unit)).bytes;
    expect((await uploadTemplateChanges(store, city, round.id, unit, file(fresh))).changed).toEqual([]);
    const changedAfterSubmit = await filledTemplate(store, city, round.id, unit, new Map([[i2, 21]]));
    expect(await codeOf(uploadTemplateChanges(store, city, round.id, unit, file(changedAfterSubmit)))).toBe(
      'E_NOT_EDITABLE',
    );
  });
});
