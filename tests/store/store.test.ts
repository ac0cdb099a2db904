/**
 * The Store's authorisation, submission/review workflow, editions and audit chain, on SQLite and on
 * PostgreSQL. Uses examples/asem (51 countries, 49 indicators): city users are bound to one unit each.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CityIndexError } from '../../src/engine/core/errors.ts';
import { buildEdition, buildStoredProject } from '../../src/store/edition.ts';
import { importProjectFolder } from '../../src/store/project-io.ts';
import { ANONYMOUS, systemPrincipal, type Principal } from '../../src/store/principal.ts';
import type { ProjectInfo, Store } from '../../src/store/store.ts';
import { DIALECTS, type TestStore } from './stores.ts';

const CLI = systemPrincipal('test');
const PASSWORD = 'a long enough password';

/** The error code a promise rejects with (a CityIndexError's first issue). */
async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof CityIndexError) return e.issues[0].code;
    throw e;
  }
  return 'resolved';
}

async function user(store: Store, username: string, role: string, project: ProjectInfo, cities?: string[]) {
  await store.createUser(CLI, { username, password: PASSWORD, role, projectId: project.id, cities });
  return (await store.login(username, PASSWORD)).principal as Principal;
}

describe.each(DIALECTS)('store on $name', ({ name, open, skip }) => {
  let t: TestStore;
  let store: Store;
  let project: ProjectInfo;
  let admin: Principal, author: Principal, reviewer: Principal, cityA: Principal, cityB: Principal;
  let units: string[];
  let indicators: string[];

  beforeAll(async () => {
    if (skip) return;
    t = await open();
    store = t.store;
    project = await importProjectFolder(store, CLI, 'examples/asem');
    units = (await store.units(project.id)).map((u) => u.code);
    indicators = (await store.framework(project.id)).filter((n) => n.kind === 'indicator').map((n) => n.code);
    admin = await user(store, 'admin1', 'admin', project);
    author = await user(store, 'author1', 'author', project);
    reviewer = await user(store, 'reviewer1', 'reviewer', project);
    cityA = await user(store, 'cityA', 'city', project, [units[0]]);
    cityB = await user(store, 'cityB', 'city', project, [units[1]]);
  }, 60_000);
  afterAll(async () => {
    if (!skip) await t.dispose();
  });

  it.skipIf(skip)('imports every value of examples/asem with its provenance', async () => {
    expect(units).toHaveLength(51);
    expect(indicators).toHaveLength(49);
    const values = await store.allValues(author, project.id);
    expect(values).toHaveLength(51 * 49);
    expect(values.every((v) => v.status === 'imported' && v.version === 1 && v.source === 'ASEM_iData.csv')).toBe(true);
  });

  it.skipIf(skip)("a city user reads its own values and never another city's", async () => {
    const own = await store.unitValues(cityA, project.id, units[0]);
    expect(own).toHaveLength(49);
    expect(await codeOf(store.unitValues(cityA, project.id, units[1]))).toBe('E_FORBIDDEN');
    expect(await codeOf(store.unitValues(ANONYMOUS, project.id, units[0]))).toBe('E_UNAUTHENTICATED');
    expect(await codeOf(store.allValues(cityA, project.id))).toBe('E_FORBIDDEN');
    expect(await codeOf(store.allValues(reviewer, project.id))).toBe('E_FORBIDDEN');
    expect(await codeOf(store.projectFiles(cityA, project.id))).toBe('E_FORBIDDEN');
    expect((await store.unitValues(reviewer, project.id, units[1])).length).toBe(49);
  });

  it.skipIf(skip)('only admins add users; weak passwords and unknown units are refused', async () => {
    const u = { username: 'newuser1', password: PASSWORD, role: 'author', projectId: project.id };
    expect(await codeOf(store.createUser(author, u))).toBe('E_FORBIDDEN');
    expect(await codeOf(store.createUser(ANONYMOUS, u))).toBe('E_UNAUTHENTICATED');
    expect(await codeOf(store.createUser(admin, { ...u, password: 'short' }))).toBe('E_PASSWORD_POLICY');
    expect(await codeOf(store.createUser(admin, { ...u, role: 'city', cities: ['nowhere'] }))).toBe('E_UNKNOWN_UNIT');
    expect(await codeOf(store.createUser(admin, { ...u, username: 'cityA' }))).toBe('E_CONFLICT');
  });

  it.skipIf(skip)('a submission is checked with located errors and nothing is stored when it is wrong', async () => {
    const bad = [
      { indicator: indicators[0], value: 1 },
      { indicator: 'NOPE', value: 2 },
      { indicator: indicators[0], value: 3 },
      { indicator: indicators[1], value: Infinity },
    ];
    const before = await store.listSubmissions(admin, project.id);
    try {
      await store.submit(cityA, project.id, units[0], bad);
      expect.unreachable();
    } catch (e) {
      const issues = (e as CityIndexError).issues;
      expect(issues.map((i) => [i.code, i.row, i.indicator])).toEqual([
        ['E_UNKNOWN_INDICATOR', 2, 'NOPE'],
        ['E_DUPLICATE', 3, indicators[0]],
        ['E_NOT_NUMBER', 4, indicators[1]],
      ]);
      expect(issues.every((i) => i.unit === units[0])).toBe(true);
    }
    expect(await store.listSubmissions(admin, project.id)).toEqual(before);
    // another city's unit, a non-city role, anonymous
    expect(await codeOf(store.submit(cityA, project.id, units[1], [{ indicator: indicators[0], value: 1 }]))).toBe(
      'E_FORBIDDEN',
    );
    expect(await codeOf(store.submit(author, project.id, units[0], [{ indicator: indicators[0], value: 1 }]))).toBe(
      'E_FORBIDDEN',
    );
    expect(await codeOf(store.submit(ANONYMOUS, project.id, units[0], []))).toBe('E_UNAUTHENTICATED');
  });

  it.skipIf(skip)('submission → review → approved value used by the build, with lineage and audit', async () => {
    const original = await buildStoredProject(store, author, project);
    const current = (await store.unitValues(cityA, project.id, units[0])).find((v) => v.indicator === indicators[0])!;
    const changed = (current.value ?? 0) * 2 + 1;
    const sub = await store.submit(cityA, project.id, units[0], [
      { indicator: indicators[0], value: changed, source: 'bulletin 2020' },
    ]);
    expect(sub.status).toBe('pending');
    // city B sees neither the submission nor its id
    expect((await store.listSubmissions(cityB, project.id)).map((s) => s.id)).not.toContain(sub.id);
    expect(await codeOf(store.submission(cityB, sub.id))).toBe('E_NOT_FOUND');
    // a pending value does not enter the build
    expect((await buildStoredProject(store, author, project)).fingerprint).toBe(original.fingerprint);
    // who may review
    const decision = { approve: true, comment: 'checked against the bulletin', version: sub.version };
    expect(await codeOf(store.review(cityA, sub.id, decision))).toBe('E_FORBIDDEN');
    expect(await codeOf(store.review(author, sub.id, decision))).toBe('E_FORBIDDEN');
    expect(await codeOf(store.review(reviewer, sub.id, { ...decision, version: sub.version + 5 }))).toBe('E_CONFLICT');
    const approved = await store.review(reviewer, sub.id, decision);
    expect(approved.status).toBe('approved');
    expect(approved.reviews[0]).toMatchObject({ reviewer: 'reviewer1', decision: 'approved' });
    // a second review of the same version conflicts (optimistic versioning), nothing changes
    expect(await codeOf(store.review(admin, sub.id, decision))).toBe('E_CONFLICT');
    const value = (await store.unitValues(cityA, project.id, units[0])).find((v) => v.indicator === indicators[0])!;
    expect(value).toMatchObject({ value: changed, status: 'approved', submissionId: sub.id, version: 2 });
    const rebuilt = await buildStoredProject(store, author, project);
    expect(rebuilt.fingerprint).not.toBe(original.fingerprint);
    expect(rebuilt.approved).toEqual([{ unit: units[0], indicator: indicators[0], submissionId: sub.id, version: 2 }]);
    const log = await store.auditLog(admin);
    const entry = log.find((r) => r.action === 'value.approve')!;
    expect(entry.actor).toBe('reviewer1');
    expect(JSON.parse(entry.before!).value).toBe(current.value);
    expect(JSON.parse(entry.after!).value).toBe(changed);
  });

  it.skipIf(skip)('concurrent reviews of one version: exactly one wins, the other gets E_CONFLICT', async () => {
    const sub = await store.submit(cityB, project.id, units[1], [{ indicator: indicators[2], value: 7 }]);
    const decision = { approve: true, comment: 'race', version: sub.version };
    const outcomes = await Promise.allSettled([
      store.review(reviewer, sub.id, decision),
      store.review(admin, sub.id, decision),
    ]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const lost = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
    expect((lost.reason as CityIndexError).issues[0].code).toBe('E_CONFLICT');
    expect((await store.submission(admin, sub.id)).reviews).toHaveLength(1);
  });

  it.skipIf(skip)('concurrent submissions of many writers keep one unbroken audit chain', async () => {
    const many = await Promise.all(
      Array.from({ length: 12 }, (_, k) =>
        store.submit(k % 2 ? cityA : cityB, project.id, units[k % 2 ? 0 : 1], [{ indicator: indicators[3], value: k }]),
      ),
    );
    expect(new Set(many.map((s) => s.id)).size).toBe(12);
    expect((await store.verifyAudit(admin)).ok).toBe(true);
  });

  it.skipIf(skip)('drafts are hidden from the public and from city users; published editions are public', async () => {
    expect(await codeOf(buildEdition(store, cityA, project, 'x'))).toBe('E_FORBIDDEN');
    expect(await codeOf(buildEdition(store, reviewer, project, 'x'))).toBe('E_FORBIDDEN');
    const draft = await buildEdition(store, author, project, '2020 draft');
    expect(draft.status).toBe('draft');
    for (const who of [ANONYMOUS, cityA]) {
      expect((await store.listEditions(who, project.id)).map((e) => e.id)).not.toContain(draft.id);
      expect(await codeOf(store.edition(who, draft.id))).toBe('E_NOT_FOUND');
    }
    expect(await codeOf(store.publishEdition(cityA, draft.id))).toBe('E_FORBIDDEN');
    await store.publishEdition(author, draft.id);
    expect(await codeOf(store.publishEdition(author, draft.id))).toBe('E_CONFLICT');
    const seen = await store.edition(ANONYMOUS, draft.id);
    expect(seen.status).toBe('published');
    expect((seen.results as { rows: unknown[] }).rows).toHaveLength(51);
  });

  it.skipIf(skip)(
    'login: one message for a wrong name or password; lockout after 5 failures',
    async () => {
      await store.createUser(admin, { username: 'locky', password: PASSWORD, role: 'author' });
      expect(await codeOf(store.login('nobody', PASSWORD))).toBe('E_LOGIN');
      for (let i = 0; i < 5; i++) expect(await codeOf(store.login('locky', 'wrong password!!'))).toBe('E_LOGIN');
      expect(await codeOf(store.login('locky', PASSWORD))).toBe('E_LOCKED');
      const s = await store.login('cityA', PASSWORD);
      expect((await store.session(s.token))?.principal).toMatchObject({ username: 'cityA', role: 'city' });
      await store.logout(s.token);
      expect(await store.session(s.token)).toBeUndefined();
    },
    30_000,
  );

  it.skipIf(skip)('the audit log is append-only and any edit of a past row is detected', async () => {
    expect(await codeOf(store.auditLog(reviewer))).toBe('E_FORBIDDEN');
    const v = await store.verifyAudit(admin);
    expect(v.ok).toBe(true);
    expect(v.rows).toBeGreaterThan(10);
    await expect(sql`UPDATE audit_log SET actor = 'mallory' WHERE seq = 2`.execute(store.db)).rejects.toThrow(
      /append-only/,
    );
    await expect(sql`DELETE FROM audit_log WHERE seq = 2`.execute(store.db)).rejects.toThrow(/append-only/);
    // someone with direct database access drops the trigger and rewrites history: verify finds the row
    if (name === 'sqlite') await sql`DROP TRIGGER audit_log_no_update`.execute(store.db);
    else await sql`DROP TRIGGER audit_log_append_only ON audit_log`.execute(store.db);
    await sql`UPDATE audit_log SET actor = 'mallory' WHERE seq = 3`.execute(store.db);
    expect(await store.verifyAudit(admin)).toMatchObject({ ok: false, brokenAt: 3, reason: 'the row was changed' });
  });
});
