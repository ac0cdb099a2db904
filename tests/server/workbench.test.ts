/**
 * The workbench's read routes through Fastify's `inject`, on SQLite and PostgreSQL: a round's data status
 * by city (counts per status and missing; a city officer sees its own cities only) and one city's sheet
 * (last edition's value from the imported project, this round's value, outlier flags for staff only: a
 * value ten times its last one is flagged as a change against five other cities' small changes, and as
 * outside the indicator's range; an ordinary value is not).
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProject } from '../../src/formats/project.ts';
import { createServer } from '../../src/server/app.ts';
import { importProjectFolder } from '../../src/store/project-io.ts';
import { systemPrincipal } from '../../src/store/principal.ts';
import type { ProjectInfo, Store } from '../../src/store/store.ts';
import { openRound, saveValues, submitUnit } from '../../src/store/submission-flow.ts';
import type { SheetRow, UnitStatus } from '../../src/store/workbench.ts';
import { DIALECTS, type TestStore } from '../store/stores.ts';

const CLI = systemPrincipal('test');
const PASSWORD = 'a long enough password';

describe.each(DIALECTS)('workbench routes on $name', ({ open, skip }) => {
  let t: TestStore;
  let store: Store;
  let project: ProjectInfo;
  let app: FastifyInstance;
  let units: string[];
  let indicators: string[];
  let round: number;
  /** The imported project's value of (unit, indicator). */
  let raw: (unit: string, indicator: string) => number;
  const cookies = new Map<string, string>();
  const get = (who: string, url: string) => app.inject({ url, headers: { cookie: cookies.get(who)! } });

  beforeAll(async () => {
    if (skip) return;
    t = await open();
    store = t.store;
    project = await importProjectFolder(store, CLI, 'examples/asem');
    units = (await store.units(project.id)).map((u) => u.code);
    indicators = (await store.framework(project.id)).filter((n) => n.kind === 'indicator').map((n) => n.code);
    const loaded = await loadProject('examples/asem');
    const ds = loaded.input.raw;
    raw = (u, i) => ds.values[ds.codes.indexOf(i) * ds.unitCodes.length + ds.unitCodes.indexOf(u)];
    for (const [username, role, cities] of [
      ['author1', 'author', undefined],
      ['reviewer1', 'reviewer', undefined],
      ['cityA', 'city', [units[0]]],
    ] as const)
      await store.createUser(CLI, {
        username,
        password: PASSWORD,
        role,
        projectId: project.id,
        cities: cities && [...cities],
      });
    round = (await openRound(store, CLI, project.id, 'R1')).id;
    // five other cities move the first indicator by +1 … +5 %; city A sends ten times its last value
    const [i0, i1] = indicators;
    for (let k = 1; k <= 5; k++) {
      await saveValues(store, CLI, round, units[k], [
        { indicator: i0, value: raw(units[k], i0) * (1 + k / 100), version: 0 },
      ]);
      await submitUnit(store, CLI, round, units[k]);
    }
    await saveValues(store, CLI, round, units[0], [
      { indicator: i0, value: raw(units[0], i0) * 10, version: 0 },
      { indicator: i1, value: raw(units[0], i1), version: 0 },
    ]);
    await submitUnit(store, CLI, round, units[0]);
    await saveValues(store, CLI, round, units[6], [{ indicator: i1, value: 1, version: 0 }]); // a draft
    app = await createServer({ store, project, rateLimit: { perMinute: 100_000, loginPerMinute: 1000 } });
    for (const u of ['author1', 'reviewer1', 'cityA']) {
      const r = await app.inject({ method: 'POST', url: '/api/session', payload: { username: u, password: PASSWORD } });
      cookies.set(u, String(r.headers['set-cookie']).split(';')[0]);
    }
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await t?.dispose();
  });

  it.skipIf(skip)('data status by city: counts per status and missing; a city officer sees only its own', async () => {
    const r = await get('reviewer1', `/api/rounds/${round}/status`);
    expect(r.statusCode, r.body).toBe(200);
    const body = r.json() as { indicators: number; units: UnitStatus[] };
    expect(body.indicators).toBe(indicators.length);
    expect(body.units.map((u) => u.unit)).toEqual(units);
    const of = (u: string) => body.units.find((x) => x.unit === u)!.counts;
    expect(of(units[0])).toEqual({
      draft: 0,
      submitted: 2,
      returned: 0,
      resubmitted: 0,
      approved: 0,
      missing: indicators.length - 2,
    });
    expect(of(units[6])).toMatchObject({ draft: 1, submitted: 0, missing: indicators.length - 1 });
    expect(of(units[9])).toMatchObject({ draft: 0, submitted: 0, missing: indicators.length });
    const own = (await get('cityA', `/api/rounds/${round}/status`)).json() as { units: UnitStatus[] };
    expect(own.units.map((u) => u.unit)).toEqual([units[0]]);
    expect((await app.inject({ url: `/api/rounds/${round}/status` })).statusCode).toBe(401);
    expect((await get('reviewer1', `/api/rounds/999/status`)).statusCode).toBe(404);
  });

  it.skipIf(skip)("a city's sheet: last edition's value, this round's value, outlier flags for staff", async () => {
    const [i0, i1] = indicators;
    const r = await get('reviewer1', `/api/rounds/${round}/units/${units[0]}/sheet`);
    expect(r.statusCode, r.body).toBe(200);
    const rows = (r.json() as { rows: SheetRow[] }).rows;
    expect(rows.map((x) => x.indicator.code)).toEqual(indicators);
    const row = (i: string) => rows.find((x) => x.indicator.code === i)!;
    expect(row(i0).previous).toBeCloseTo(raw(units[0], i0), 9);
    expect(row(i0).current).toMatchObject({ status: 'submitted', version: 2 });
    expect(row(i0).current!.value).toBeCloseTo(raw(units[0], i0) * 10, 9);
    const kinds = row(i0)
      .flags.map((f) => f.kind)
      .sort();
    expect(kinds).toEqual(['change', 'range']);
    const change = row(i0).flags.find((f) => f.kind === 'change') as { change: number; z: number };
    expect(change.change).toBeCloseTo(9, 9);
    // others' changes 1…5 %: median 3 %, MAD 1 % → z = 0.6745 × (900 − 3) / 1
    expect(change.z).toBeCloseTo(0.6745 * 897, 6);
    expect(row(i1).flags).toEqual([]);
    expect(row(indicators[2]).current).toBeNull();
    // the city officer sees its own sheet without flags (they come from other cities' values)
    const own = (await get('cityA', `/api/rounds/${round}/units/${units[0]}/sheet`)).json() as { rows: SheetRow[] };
    expect(own.rows.every((x) => x.flags.length === 0)).toBe(true);
    expect(own.rows.find((x) => x.indicator.code === i0)!.previous).toBeCloseTo(raw(units[0], i0), 9);
    const foreign = await get('cityA', `/api/rounds/${round}/units/${units[1]}/sheet`);
    expect(foreign.statusCode).toBe(403);
    expect(foreign.body).not.toContain(String(raw(units[1], i0) * 1.01));
    expect((await get('reviewer1', `/api/rounds/${round}/units/__proto__/sheet`)).statusCode).toBe(404);
  });
});
