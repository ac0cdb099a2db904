/**
 * Comparing two builds: hand-worked numbers on a two-dimension framework, then two real editions of
 * examples/asem (one city's approved value raised between them): per unit the contributions of the
 * children add up to the parent's change (ASEM aggregates by weighted arithmetic mean), the raised city
 * moves up and its driver is the branch of the framework holding the changed indicator; and a draft is
 * compared only by those who may see it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CityIndexError } from '../../src/engine/core/errors.ts';
import { compareEditions, compareResults } from '../../src/store/compare.ts';
import { buildEdition } from '../../src/store/edition.ts';
import { importProjectFolder } from '../../src/store/project-io.ts';
import { ANONYMOUS, systemPrincipal, type Principal } from '../../src/store/principal.ts';
import type { ProjectInfo, Store } from '../../src/store/store.ts';
import { sqliteStore, type TestStore } from './stores.ts';

const CLI = systemPrincipal('test');
const PASSWORD = 'a long enough password';

describe('compareResults (hand-worked)', () => {
  // index I = (1·D1 + 3·D2) / 4
  const header = ['code', 'name_zh', 'name_en', 'I', 'I_rank', 'D1', 'D1_rank', 'D2', 'D2_rank'];
  const nodes = [
    { code: 'I', parent: null, weight: 1 },
    { code: 'D1', parent: 'I', weight: 1 },
    { code: 'D2', parent: 'I', weight: 3 },
  ];
  // from: u1 D1=80 D2=40 → I=50; u2 D1=20 D2=60 → 50 (tie broken as rank 1, 2); u3 D1=0 D2=0 → 0
  const from = {
    header,
    rows: [
      ['110000', '北京', 'Beijing', 50, 1, 80, 1, 40, 2],
      ['310000', '上海', 'Shanghai', 50, 2, 20, 2, 60, 1],
      ['440100', '广州', 'Guangzhou', 0, 3, 0, 3, 0, 3],
    ],
  };
  // to: u1 D1=40 D2=44 → 10+33 = 43; u2 D1=20 D2=64 → 5+48 = 53; u4 new; u3 gone
  const to = {
    header,
    rows: [
      ['310000', '上海', 'Shanghai', 53, 1, 20, 2, 64, 1],
      ['110000', '北京', 'Beijing', 43, 2, 40, 1, 44, 2],
      ['440300', '深圳', 'Shenzhen', 10, 3, 10, 3, 10, 3],
    ],
  };
  const c = compareResults(from, to, nodes);

  it('gives score and rank changes per unit at every level', () => {
    expect(c.aggregates).toEqual(['I', 'D1', 'D2']);
    expect(c.onlyFrom).toEqual(['440100']);
    expect(c.onlyTo).toEqual(['440300']);
    const bj = c.units.find((u) => u.unit === '110000')!;
    expect(bj.name).toEqual({ zh: '北京', en: 'Beijing' });
    expect(bj.changes).toEqual([
      { code: 'I', from: 50, to: 43, delta: -7, rankFrom: 1, rankTo: 2, rankChange: -1 },
      { code: 'D1', from: 80, to: 40, delta: -40, rankFrom: 1, rankTo: 1, rankChange: 0 },
      { code: 'D2', from: 40, to: 44, delta: 4, rankFrom: 2, rankTo: 2, rankChange: 0 },
    ]);
  });

  it('attributes each change to the children by weight × change, and names the driver', () => {
    const bj = c.units.find((u) => u.unit === '110000')!.drivers[0];
    // D1: ¼ × −40 = −10; D2: ¾ × 4 = 3; sum −7 = ΔI
    expect(bj).toEqual({
      code: 'I',
      delta: -7,
      contributions: [
        { child: 'D1', weight: 0.25, delta: -40, contribution: -10 },
        { child: 'D2', weight: 0.75, delta: 4, contribution: 3 },
      ],
      driver: 'D1',
    });
    const sh = c.units.find((u) => u.unit === '310000')!.drivers[0];
    expect(sh.delta).toBe(3);
    expect(sh.driver).toBe('D2'); // ¾ × 4 = 3, D1 unchanged
    expect(sh.contributions.map((x) => x.contribution)).toEqual([3, 0]);
  });

  it('refuses something that is not a results table', () => {
    expect(() => compareResults({ header: ['x'], rows: [] }, to, nodes)).toThrow(CityIndexError);
  });
});

describe('compareEditions on examples/asem', () => {
  let t: TestStore;
  let store: Store;
  let project: ProjectInfo;
  let city: Principal, reviewer: Principal;
  let units: string[];

  beforeAll(async () => {
    t = await sqliteStore();
    store = t.store;
    project = await importProjectFolder(store, CLI, 'examples/asem');
    units = (await store.units(project.id)).map((u) => u.code);
    for (const [username, role, cities] of [
      ['city1', 'city', [units[5]]],
      ['reviewer1', 'reviewer', undefined],
      ['reader1', 'reader', undefined],
    ] as const) {
      await store.createUser(CLI, { username, password: PASSWORD, role, projectId: project.id, cities });
    }
    city = (await store.login('city1', PASSWORD)).principal;
    reviewer = (await store.login('reviewer1', PASSWORD)).principal;
  }, 60_000);
  afterAll(async () => {
    await t.dispose();
  });

  it('explains who moved and why between two real builds', async () => {
    const a = await buildEdition(store, CLI, project, 'before');
    await store.publishEdition(CLI, a.id);
    // raise one indicator of unit 5 to the best value of all units (direction-aware)
    const framework = await store.framework(project.id);
    const indicator = framework.find((n) => n.kind === 'indicator')!;
    const all = (await store.allValues(CLI, project.id)).filter((v) => v.indicator === indicator.code);
    const values = all.map((v) => v.value).filter((v): v is number => v !== null);
    const best = indicator.direction === 1 ? Math.max(...values) : Math.min(...values);
    const sub = await store.submit(city, project.id, units[5], [{ indicator: indicator.code, value: best }]);
    await store.review(reviewer, sub.id, { approve: true, comment: 'ok', version: sub.version });
    const b = await buildEdition(store, CLI, project, 'after');
    const { comparison: c, from, to } = await compareEditions(store, CLI, a.id, b.id);
    expect([from.status, to.status]).toEqual(['published', 'draft']);
    expect(c.units).toHaveLength(51);
    expect(c.index).toBe('Index');
    // contributions add up to each parent's change (weighted arithmetic mean), for every unit and level
    let checked = 0;
    for (const u of c.units) {
      for (const d of u.drivers) {
        const sum = d.contributions.reduce((s, x) => s + x.contribution, 0);
        expect(sum, `${u.unit} ${d.code}`).toBeCloseTo(d.delta, 9);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(51);
    // the raised unit's index score went up, and its driver is on the path from the indicator to the index
    const moved = c.units.find((u) => u.unit === units[5])!;
    expect(moved.changes[0].delta!).toBeGreaterThan(0);
    const path = new Set<string>();
    const parentOf = new Map(framework.map((n) => [n.code, n.parent]));
    for (let p = parentOf.get(indicator.code) ?? null; p !== null; p = parentOf.get(p) ?? null) path.add(p);
    const top = moved.drivers.find((d) => d.code === 'Index')!;
    expect(path.has(top.driver!)).toBe(true);
    // a unit that did not change input only moves through rank (its scores may shift via normalisation)
    expect(c.units.reduce((s, u) => s + (u.changes[0].rankChange ?? 0), 0)).toBe(0);
    // the public may compare published editions only; a reader may compare drafts
    expect(
      (await compareEditions(store, ANONYMOUS, a.id, a.id)).comparison.units.every((u) => u.changes[0].delta === 0),
    ).toBe(true);
    await expect(compareEditions(store, ANONYMOUS, a.id, b.id)).rejects.toMatchObject({
      issues: [{ code: 'E_NOT_FOUND' }],
    });
    await expect(compareEditions(store, city, a.id, b.id)).rejects.toMatchObject({ issues: [{ code: 'E_NOT_FOUND' }] });
    const reader = (await store.login('reader1', PASSWORD)).principal;
    expect((await compareEditions(store, reader, a.id, b.id)).comparison.units).toHaveLength(51);
  }, 120_000);
});
