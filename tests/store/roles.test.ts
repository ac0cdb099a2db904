/**
 * The roles table (principal.ts ROLE_PERMISSIONS, README "Roles") checked cell by cell against the Store,
 * on SQLite and PostgreSQL: for every role and the anonymous visitor, each permission is tried on the
 * data layer and must succeed exactly when the table says so.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CityIndexError } from '../../src/engine/core/errors.ts';
import { importProjectFolder } from '../../src/store/project-io.ts';
import { ANONYMOUS, ROLE_PERMISSIONS, ROLES, systemPrincipal, type Principal } from '../../src/store/principal.ts';
import type { ProjectInfo, Store } from '../../src/store/store.ts';
import { DIALECTS, type TestStore } from './stores.ts';

const CLI = systemPrincipal('test');
const PASSWORD = 'a long enough password';

/** 'ok', or the error code of the refusal. */
async function outcome(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (e) {
    if (e instanceof CityIndexError) return e.issues[0].code;
    throw e;
  }
}

describe.each(DIALECTS)('roles on $name', ({ open, skip }) => {
  let t: TestStore;
  let store: Store;
  let project: ProjectInfo;
  let units: string[];
  let indicator: string;
  let draft: number;
  let published: number;
  const principals = new Map<string, Principal>();

  beforeAll(async () => {
    if (skip) return;
    t = await open();
    store = t.store;
    project = await importProjectFolder(store, CLI, 'examples/asem');
    units = (await store.units(project.id)).map((u) => u.code);
    indicator = (await store.framework(project.id)).find((n) => n.kind === 'indicator')!.code;
    for (const role of ROLES) {
      const cities = role === 'city' ? [units[0]] : undefined;
      await store.createUser(CLI, { username: `u-${role}`, password: PASSWORD, role, projectId: project.id, cities });
      principals.set(role, (await store.login(`u-${role}`, PASSWORD)).principal);
    }
    principals.set('anonymous', ANONYMOUS);
    const results = { header: ['code'], rows: [] };
    draft = (await store.createEdition(CLI, project.id, { name: 'draft', results, fingerprint: 'd' })).id;
    published = (await store.createEdition(CLI, project.id, { name: 'pub', results, fingerprint: 'p' })).id;
    await store.publishEdition(CLI, published);
  }, 60_000);
  afterAll(async () => {
    if (!skip) await t.dispose();
  });

  it.skipIf(skip)('every role and the anonymous visitor can do exactly what ROLE_PERMISSIONS says', async () => {
    const table: Record<string, Record<string, string>> = {};
    for (const who of [...ROLES, 'anonymous'] as const) {
      const p = principals.get(who)!;
      const allowed = who === 'anonymous' ? undefined : ROLE_PERMISSIONS[who];
      const row: Record<string, string> = {};
      row.readPublished = await outcome(store.edition(p, published));
      row.readDrafts = await outcome(store.edition(p, draft));
      row.listDrafts = (await store.listEditions(p, project.id)).some((e) => e.id === draft) ? 'ok' : 'hidden';
      row.readOwnValues = await outcome(store.unitValues(p, project.id, units[0]));
      row.readOtherValues = await outcome(store.unitValues(p, project.id, units[1]));
      const sub = store.submit(p, project.id, units[0], [{ indicator, value: 1 }]);
      row.submit = await outcome(sub);
      // a pending submission of the city officer to review (made fresh for each role)
      const pending = await store.submit(principals.get('city')!, project.id, units[0], [{ indicator, value: 2 }]);
      row.review = await outcome(store.review(p, pending.id, { approve: false, comment: 'x', version: 1 }));
      const results = { header: ['code'], rows: [] };
      row.buildEditions = await outcome(store.createEdition(p, project.id, { name: 'x', results, fingerprint: 'x' }));
      row.administer = await outcome(store.listUsers(p));
      row.audit = await outcome(store.auditLog(p));
      const expectOk = (flag: boolean | undefined) => (flag ? 'ok' : expect.stringMatching(/^E_/));
      expect(row, who).toEqual({
        readPublished: 'ok',
        readDrafts: allowed?.readDrafts ? 'ok' : 'E_NOT_FOUND',
        listDrafts: allowed?.readDrafts ? 'ok' : 'hidden',
        readOwnValues: expectOk(allowed && allowed.readValues !== 'none'),
        readOtherValues: expectOk(allowed?.readValues === 'all'),
        submit: expectOk(allowed?.submit),
        review: expectOk(allowed?.review),
        buildEditions: expectOk(allowed?.buildEditions),
        administer: expectOk(allowed?.administer),
        audit: expectOk(allowed?.administer),
      });
      table[who] = row;
    }
    // the two new roles, spelled out: a reader sees drafts but no city's values; an expert sees neither
    expect(table.reader).toMatchObject({ readDrafts: 'ok', readOwnValues: 'E_FORBIDDEN', submit: 'E_FORBIDDEN' });
    expect(table.expert).toMatchObject({ readDrafts: 'E_NOT_FOUND', readOtherValues: 'E_FORBIDDEN' });
    expect(table.anonymous).toMatchObject({ readDrafts: 'E_NOT_FOUND', readOwnValues: 'E_UNAUTHENTICATED' });
  });
});
