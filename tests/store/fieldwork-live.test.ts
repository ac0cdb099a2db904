/**
 * Live fieldwork on SQLite and PostgreSQL: the monitor's counters kept at submit time equal a count of the
 * stored responses (and a recount from scratch); group commit stores many saves in few transactions and
 * refuses a bad one alone; a wave started over HTTP from the project's stored survey (quotas from the
 * stored census margins); the live monitor over server-sent events (figures on change, bounded per user,
 * ended by sign-out).
 */
import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from '../../src/server/app.ts';
import { Fieldwork } from '../../src/store/fieldwork.ts';
import { recountFieldwork } from '../../src/store/fieldwork-live-schema.ts';
import { systemPrincipal } from '../../src/store/principal.ts';
import { importProjectFolder } from '../../src/store/project-io.ts';
import type { ProjectInfo, Store } from '../../src/store/store.ts';
import { TEST_PASSWORD, testClient } from '../server/client.ts';
import { answersFor, BEIJING, key, SHANGHAI } from './fieldwork-fixtures.ts';
import { DIALECTS, type TestStore } from './stores.ts';

const CLI = systemPrincipal('test');
const PASSWORD = TEST_PASSWORD;

/** An SSE stream read as events until `stop` says enough (or the stream ends). */
function events(
  url: string,
  cookie: string,
  stop: (seen: Array<{ event: string; data: any }>) => boolean,
): Promise<{ status: number; seen: Array<{ event: string; data: any }> }> {
  return new Promise((done, fail) => {
    const req = request(url, { headers: { accept: 'text/event-stream', cookie } }, (res) => {
      const seen: Array<{ event: string; data: any }> = [];
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        for (let k = buffer.indexOf('\n\n'); k >= 0; k = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, k);
          buffer = buffer.slice(k + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event && data) seen.push({ event, data: JSON.parse(data) });
          if (stop(seen)) {
            req.destroy();
            done({ status: res.statusCode ?? 0, seen });
          }
        }
      });
      res.on('end', () => done({ status: res.statusCode ?? 0, seen }));
    });
    req.on('error', (e) => ((e as { code?: string }).code === 'ECONNRESET' ? undefined : fail(e)));
    req.setTimeout(30_000, () => fail(new Error('no event within 30 s')));
    req.end();
  });
}

describe.each(DIALECTS)('live fieldwork on $name', ({ open, skip }) => {
  let t: TestStore;
  let store: Store;
  let project: ProjectInfo;
  let app: FastifyInstance;
  let base: string;
  let fw: Fieldwork;
  const { sessions, login } = testClient(() => app);
  const save = (wave: string, city: string, answers: Record<string, unknown>, complete: boolean, deviceKey = key()) =>
    fw.saveResponse({
      wave,
      city,
      responseId: randomUUID(),
      deviceKey,
      answers,
      pageTimes: { about: 40, services: 200 },
      language: 'zh',
      complete,
    });

  beforeAll(async () => {
    if (skip) return;
    t = await open();
    store = t.store;
    project = await importProjectFolder(store, CLI, 'examples/cdgi-2020');
    for (const [username, role] of [
      ['author1', 'author'],
      ['reviewer1', 'reviewer'],
    ] as const)
      await store.createUser(CLI, { username, password: PASSWORD, role, projectId: project.id });
    // group commit on both databases here (PostgreSQL's default is one transaction per save)
    fw = new Fieldwork(store, { groupCommit: true });
    app = await createServer({
      store,
      project,
      rateLimit: { perMinute: 100_000, loginPerMinute: 1000 },
      fieldwork: { live: { intervalSeconds: 0.2, perUser: 2 } },
    });
    base = await app.listen({ host: '127.0.0.1', port: 0 });
    await login('author1', PASSWORD, true);
    await login('reviewer1', PASSWORD, true);
  }, 180_000);
  afterAll(async () => {
    if (skip) return;
    await app.close();
    await t.dispose();
  });

  it.skipIf(skip)("starts a wave over HTTP from the project's stored survey, with census quotas", async () => {
    const author = sessions.get('author1')!;
    const post = (who: { cookie: string; csrf: string } | undefined, payload: object) =>
      app.inject({
        method: 'POST',
        url: '/api/fieldwork/waves',
        payload,
        headers: who ? { cookie: who.cookie, 'x-csrf-token': who.csrf } : {},
      });
    expect((await post(undefined, { slug: 'live' })).statusCode).toBe(401);
    expect((await post(sessions.get('reviewer1'), { slug: 'live' })).statusCode).toBe(403);
    const r = await post(author, { slug: 'live', perCity: 120 });
    expect(r.statusCode, r.body).toBe(201);
    const wave = r.json().wave;
    expect(wave).toMatchObject({ slug: 'live', surveyId: 'resident-digital-life-2020', perCity: 120, status: 'open' });
    expect(wave.cities).toHaveLength(45);
    // city names from the project's units
    expect(wave.cities.find((c: { code: string }) => c.code === BEIJING).name.zh).toBe('北京市');
    const quota = await store.db
      .selectFrom('fw_quota')
      .selectAll()
      .where('wave_id', '=', wave.id)
      .where('city', '=', BEIJING)
      .execute();
    // the city total and six age × sex cells from the stored census margins (not a file on disk)
    expect(quota.find((q) => q.cell === '*')!.target).toBe(120);
    expect(quota.filter((q) => q.cell !== '*')).toHaveLength(6);
    expect(quota.filter((q) => q.cell !== '*').reduce((s, q) => s + Number(q.target), 0)).toBeGreaterThanOrEqual(120);
    expect((await post(author, { slug: 'live' })).statusCode).toBe(409);
    const missing = await post(author, { slug: 'other', survey: 'surveys/none.yaml' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.issues[0].field).toBe('survey');
    expect((await post(author, { slug: 'other', survey: '../../etc/passwd.yaml' })).statusCode).toBe(400);
    expect((await post(author, { slug: 'Bad Slug' })).statusCode).toBe(400);
  });

  it.skipIf(skip)('group commit: many saves, few transactions; a refused save is rolled back alone', async () => {
    const before = fw.commits!.batches;
    const dupKey = key();
    const results = await Promise.allSettled([
      ...Array.from({ length: 20 }, (_, k) =>
        save('live', SHANGHAI, answersFor(SHANGHAI, { age: 20 + k, sex: k % 2 ? 'male' : 'female' }), true),
      ),
      save('live', BEIJING, answersFor(BEIJING), true, dupKey),
      save('live', BEIJING, answersFor(BEIJING, { age: 50 }), true, dupKey), // the same device again
    ]);
    const ok = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
    expect(ok).toHaveLength(21);
    expect(refused).toHaveLength(1);
    expect(String(refused[0].reason)).toMatch(/E_DUPLICATE_RESPONSE/);
    expect(fw.commits!.batches - before).toBeLessThan(5);
    const stored = await store.db
      .selectFrom('fw_responses')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('status', '=', 'complete')
      .executeTakeFirstOrThrow();
    expect(Number(stored.n)).toBe(21);
  });

  it.skipIf(skip)('the monitor counters equal a count of the stored responses and a recount', async () => {
    // a partial that completes later, a screened-out, a straight-liner, a repeated answer set
    const deviceKey = key();
    const id = randomUUID();
    const base = { wave: 'live', city: BEIJING, responseId: id, deviceKey, pageTimes: {}, language: 'zh' as const };
    await fw.saveResponse({ ...base, answers: { fw_resident: 'yes' }, complete: false });
    await fw.saveResponse({ ...base, answers: answersFor(BEIJING, { age: 61 }), complete: true });
    await save('live', BEIJING, { fw_resident: 'no', city_adcode: BEIJING }, true);
    await save('live', BEIJING, answersFor(BEIJING, { all: 5 }), true);
    await save('live', BEIJING, answersFor(BEIJING, { age: 62 }), true);
    await save('live', BEIJING, { fw_resident: 'yes' }, false);
    const counted = async () =>
      (await store.db.selectFrom('fw_summary').selectAll().orderBy('city').orderBy('status').execute()).map((r) => ({
        city: r.city,
        status: r.status,
        n: Number(r.n),
        straight: Number(r.straight_lined),
        dups: Number(r.duplicates),
      }));
    const kept = await counted();
    const actual = await store.db
      .selectFrom('fw_responses')
      .select(['city', 'status'])
      .select((eb) => [eb.fn.countAll().as('n'), eb.fn.sum('straight_lined').as('s')])
      .groupBy(['city', 'status'])
      .orderBy('city')
      .orderBy('status')
      .execute();
    expect(kept.map(({ city, status, n, straight }) => ({ city, status, n, straight }))).toEqual(
      actual.map((a) => ({ city: a.city, status: a.status, n: Number(a.n), straight: Number(a.s) })),
    );
    const bj = (status: string) => kept.find((r) => r.city === BEIJING && r.status === status)!;
    // Beijing: 1 (group commit) + 1 resumed + 1 straight-liner + 1 repeat; 1 screened out; 1 partial
    expect(bj('complete')).toMatchObject({ n: 4, straight: 1 });
    expect(bj('screened_out').n).toBe(1);
    expect(bj('partial').n).toBe(1);
    // answersFor's default answers repeat (ages differ, items the same): the resumed one and the last
    expect(bj('complete').dups).toBe(2);
    await recountFieldwork(store.db);
    expect(await counted()).toEqual(kept);
    const m = await fw.monitor(CLI, 'live');
    const city = m.cities.find((c) => c.code === BEIJING)!;
    expect(city).toMatchObject({ complete: 4, partial: 1, screenedOut: 1, started: 6 });
    expect(city.flags).toMatchObject({ straightLiners: 1, duplicates: 2 });
    expect(m.totals.complete).toBe(24);
  });

  it.skipIf(skip)(
    'live monitor: figures on change, bounded per user, ended by sign-out',
    async () => {
      const reviewer = sessions.get('reviewer1')!;
      const url = `${base}/api/fieldwork/waves/live/events`;
      const anon = await events(url, '', () => true);
      expect(anon.status).toBe(401);
      const complete = (seen: Array<{ data: any }>) => seen.map((e) => e.data.totals?.complete);
      const live = events(url, reviewer.cookie, (seen) => seen.length >= 2);
      await new Promise((r) => setTimeout(r, 300));
      await save('live', SHANGHAI, answersFor(SHANGHAI, { age: 33 }), true);
      const got = await live;
      expect(got.status).toBe(200);
      expect(got.seen.map((e) => e.event)).toEqual(['monitor', 'monitor']);
      expect(complete(got.seen)).toEqual([24, 25]);
      // two streams per user here: a third is refused while two are open
      const a = events(url, reviewer.cookie, (seen) => seen.some((e) => e.event === 'end'));
      const b = events(url, reviewer.cookie, (seen) => seen.some((e) => e.event === 'end'));
      await new Promise((r) => setTimeout(r, 500));
      const third = await events(url, reviewer.cookie, () => true);
      expect(third.status).toBe(429);
      // signing out ends both streams at once
      const out = await app.inject({
        method: 'DELETE',
        url: '/api/session',
        headers: { cookie: reviewer.cookie, 'x-csrf-token': reviewer.csrf },
      });
      expect(out.statusCode).toBe(200);
      for (const s of await Promise.all([a, b])) {
        expect(s.seen.at(-1)).toEqual({ event: 'end', data: { reason: 'signed out' } });
      }
    },
    60_000,
  );
});
