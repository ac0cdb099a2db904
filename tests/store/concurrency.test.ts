/**
 * 50 cities submitting at once, on SQLite and PostgreSQL (real concurrency there): every submission
 * stored whole with its own values, none lost or mixed, the audit chain unforked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importProjectFolder } from '../../src/store/project-io.ts';
import { systemPrincipal, type Principal } from '../../src/store/principal.ts';
import type { ProjectInfo, Store } from '../../src/store/store.ts';
import { DIALECTS, type TestStore } from './stores.ts';

const CLI = systemPrincipal('test');
const PASSWORD = 'a long enough password';

describe.each(DIALECTS)('50 cities at once on $name', ({ open, skip }) => {
  let t: TestStore;
  let store: Store;
  let project: ProjectInfo;
  let units: string[];
  let indicators: string[];
  const officers: Principal[] = [];

  beforeAll(async () => {
    if (skip) return;
    t = await open();
    store = t.store;
    project = await importProjectFolder(store, CLI, 'examples/asem');
    units = (await store.units(project.id)).map((u) => u.code).slice(0, 50);
    indicators = (await store.framework(project.id)).filter((n) => n.kind === 'indicator').map((n) => n.code);
    for (const [i, unit] of units.entries()) {
      const username = `officer${i}`;
      await store.createUser(CLI, {
        username,
        password: PASSWORD,
        role: 'city',
        projectId: project.id,
        cities: [unit],
      });
      officers.push((await store.login(username, PASSWORD)).principal);
    }
  }, 120_000);
  afterAll(async () => {
    if (!skip) await t.dispose();
  });

  it.skipIf(skip)(
    'every submission is stored whole, with its own values',
    async () => {
      const valueOf = (i: number, j: number) => i * 1000 + j + 0.25;
      const made = await Promise.all(
        officers.map((p, i) =>
          store.submit(
            p,
            project.id,
            units[i],
            indicators.map((indicator, j) => ({ indicator, value: valueOf(i, j) })),
          ),
        ),
      );
      expect(new Set(made.map((s) => s.id)).size).toBe(50);
      const listed = await store.listSubmissions(CLI, project.id);
      expect(listed).toHaveLength(50);
      for (const [i, s] of made.entries()) {
        const back = await store.submission(CLI, s.id);
        expect(back.unit).toBe(units[i]);
        expect(back.values).toHaveLength(indicators.length);
        const byIndicator = new Map(back.values.map((v) => [v.indicator, v.value]));
        expect(indicators.every((code, j) => byIndicator.get(code) === valueOf(i, j))).toBe(true);
      }
      const creates = (await store.auditLog(CLI, { limit: 10_000 })).filter((r) => r.action === 'submission.create');
      expect(creates).toHaveLength(50);
      expect((await store.verifyAudit(CLI)).ok).toBe(true);
    },
    60_000,
  );
});
