/**
 * Survey fieldwork on SQLite and PostgreSQL, through the HTTP API (`inject`) and the store: a wave from
 * the CDGI example survey, quotas per city and per age × sex cell from the 2020 census margins, saving and
 * resuming, idempotent submission, screening, tokens, the monitor's figures, exports and estimates; and
 * hostile inputs (oversized, forged, outside the definition, replayed tokens) refused with nothing stored.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSurvey, type LoadedSurvey } from '../../src/formats/survey.ts';
import { createServer } from '../../src/server/app.ts';
import { cellTargets, Fieldwork } from '../../src/store/fieldwork.ts';
import { systemPrincipal } from '../../src/store/principal.ts';
import type { ProjectInfo, Store } from '../../src/store/store.ts';
import { answersFor, BEIJING, key, SHANGHAI } from './fieldwork-fixtures.ts';
import { DIALECTS, type TestStore } from './stores.ts';

const CLI = systemPrincipal('test');
const PASSWORD = 'a long enough password';

let survey: LoadedSurvey;
beforeAll(async () => {
  survey = await loadSurvey('examples/cdgi-2020/surveys/survey.yaml');
}, 60_000);

describe.each(DIALECTS)('fieldwork on $name', ({ open, skip }) => {
  let t: TestStore;
  let store: Store;
  let project: ProjectInfo;
  let app: FastifyInstance;
  let fw: Fieldwork;
  const sessions = new Map<string, { cookie: string; csrf: string }>();

  const as = (who: string | undefined, o: InjectOptions) => {
    const s = who ? sessions.get(who) : undefined;
    return app.inject({
      ...o,
      headers: { ...(o.headers ?? {}), ...(s && { cookie: s.cookie, 'x-csrf-token': s.csrf }) },
    });
  };
  const save = (
    id: string,
    body: {
      wave?: string;
      city?: string;
      deviceKey: string;
      answers: Record<string, unknown>;
      complete: boolean;
    } & Record<string, unknown>,
  ) =>
    app.inject({
      method: 'POST',
      url: `/api/fieldwork/responses/${id}`,
      payload: { wave: 'w1', city: BEIJING, language: 'zh', pageTimes: { about: 40, services: 200 }, ...body },
    });
  const count = async (wave = 'w1') =>
    Number(
      (
        await store.db
          .selectFrom('fw_responses')
          .innerJoin('fw_waves', 'fw_waves.id', 'fw_responses.wave_id')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('fw_waves.slug', '=', wave)
          .executeTakeFirstOrThrow()
      ).n,
    );

  beforeAll(async () => {
    if (skip) return;
    t = await open();
    store = t.store;
    const units = [
      { code: BEIJING, name: { zh: '北京市', en: 'Beijing' } },
      { code: SHANGHAI, name: { zh: '上海市', en: 'Shanghai' } },
    ];
    const empty = { slug: 'cdgi', name: 'CDGI', projectFile: 'project.yaml', files: [], nodes: [], units, values: [] };
    project = await store.saveProject(CLI, empty);
    for (const [username, role, cities] of [
      ['author1', 'author', undefined],
      ['reviewer1', 'reviewer', undefined],
      ['cityA', 'city', [BEIJING]],
    ] as const)
      await store.createUser(CLI, {
        username,
        password: PASSWORD,
        role,
        projectId: project.id,
        cities: cities && [...cities],
      });
    fw = new Fieldwork(store);
    await fw.createWave(CLI, project.id, {
      slug: 'w1',
      survey,
      perCity: 120,
      cityNames: new Map([[BEIJING, { zh: '北京市', en: 'Beijing' }]]),
    });
    await fw.createWave(CLI, project.id, { slug: 'small', survey, perCity: 2 });
    await fw.createWave(CLI, project.id, { slug: 'panel', survey, perCity: 10, tokensRequired: true });
    app = await createServer({
      store,
      project,
      rateLimit: { perMinute: 100_000, loginPerMinute: 1000 },
      fieldwork: { respondentLimits: { startsPerHour: 100_000, savesPerMinute: 100_000 }, publicUrl: 'https://x.test' },
    });
    for (const u of ['author1', 'reviewer1', 'cityA']) {
      const r = await app.inject({ method: 'POST', url: '/api/session', payload: { username: u, password: PASSWORD } });
      sessions.set(u, { cookie: String(r.headers['set-cookie']).split(';')[0], csrf: r.json().csrf });
    }
  }, 120_000);
  afterAll(async () => {
    if (skip) return;
    await app.close();
    await t.dispose();
  });

  it.skipIf(skip)('quotas per city and per age × sex cell come from the census margins', async () => {
    const m = survey.margins.get(BEIJING)!;
    const bands = survey.config.weighting.ageBands!;
    const rows = await store.db.selectFrom('fw_quota').selectAll().where('city', '=', BEIJING).execute();
    const w1 = rows.filter((r) => Number(r.wave_id) === 1);
    expect(w1.find((r) => r.cell === '*')!.target).toBe(120);
    // hand-worked: ⌈120 × share(18–59) × share(male)⌉
    const expected = Math.ceil(120 * m.age[0] * m.sex[0] - 1e-9);
    expect(w1.find((r) => r.cell === '18-59|male')!.target).toBe(expected);
    expect(cellTargets(m, bands, 120).get('18-59|male')).toBe(expected);
    const cells = w1.filter((r) => r.cell !== '*');
    expect(cells).toHaveLength(6);
    expect(cells.reduce((s, r) => s + r.target, 0)).toBeGreaterThanOrEqual(120);
    expect(cells.reduce((s, r) => s + r.target, 0)).toBeLessThanOrEqual(126);
  });

  it.skipIf(skip)('only authors and admins start waves; the public form screens residents first', async () => {
    await expect(fw.createWave({ kind: 'anonymous' }, project.id, { slug: 'x', survey })).rejects.toThrow(/sign in/);
    const reviewer = { kind: 'user' as const, userId: 2, username: 'reviewer1', role: 'reviewer' as const };
    await expect(fw.createWave(reviewer, project.id, { slug: 'x', survey })).rejects.toThrow(/role may not/);
    const r = await app.inject({ url: `/api/fieldwork/waves/w1/cities/${BEIJING}/form` });
    expect(r.statusCode, r.body).toBe(200);
    const form = r.json().form;
    expect(form.state).toBe('open');
    expect(form.city).toEqual({ code: BEIJING, name: { zh: '北京市', en: 'Beijing' } });
    expect(r.json().label).toBe('模拟数据 / simulated responses');
    const zh = form.definitions.zh;
    expect(zh.pages[0].elements[0].name).toBe('fw_resident');
    expect(zh.pages[1].elements[0]).toMatchObject({ name: 'city_adcode', defaultValue: BEIJING, readOnly: true });
    expect((await app.inject({ url: `/api/fieldwork/waves/w1/cities/999999/form` })).statusCode).toBe(404);
  });

  it.skipIf(skip)('saves as the respondent goes, resumes, submits once (a retry never duplicates)', async () => {
    const id = randomUUID();
    const deviceKey = key();
    const part = { fw_resident: 'yes', city_adcode: BEIJING, age: 34, sex: 'female' };
    const r1 = await save(id, { deviceKey, answers: part, complete: false });
    expect(r1.statusCode, r1.body).toBe(200);
    expect(r1.json()).toEqual({ status: 'partial', replay: false });
    const resumed = await app.inject({
      url: `/api/fieldwork/responses/${id}?wave=w1`,
      headers: { 'x-device-key': deviceKey },
    });
    expect(resumed.json().response).toMatchObject({ status: 'partial', answers: part });
    // someone else's device key cannot read it
    const stranger = await app.inject({
      url: `/api/fieldwork/responses/${id}?wave=w1`,
      headers: { 'x-device-key': key() },
    });
    expect(stranger.statusCode).toBe(404);
    const full = answersFor(BEIJING, { age: 34, sex: 'female' });
    const [a, b, c] = await Promise.all([1, 2, 3].map(() => save(id, { deviceKey, answers: full, complete: true })));
    const statuses = [a, b, c].map((x) => x.json());
    expect(statuses.filter((s) => s.status === 'complete' && !s.replay)).toHaveLength(1);
    expect(statuses.every((s) => s.status === 'complete')).toBe(true);
    const stored = await store.db.selectFrom('fw_responses').selectAll().where('id', '=', id).execute();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      status: 'complete',
      duration_s: 240,
      age: 34,
      sex: 'female',
      cell: '18-59|female',
    });
    expect(JSON.parse(stored[0].paradata)).toEqual({ pageTimes: { about: 40, services: 200 } });
    // nothing identifying is stored: no address, no device key in clear
    expect(JSON.stringify(stored[0])).not.toContain(deviceKey);
    expect(JSON.stringify(stored[0])).not.toContain('127.0.0.1');
    const q = await store.db
      .selectFrom('fw_quota')
      .selectAll()
      .where('wave_id', '=', 1)
      .where('city', '=', BEIJING)
      .execute();
    expect(q.find((x) => x.cell === '*')!.n).toBe(1);
    expect(q.find((x) => x.cell === '18-59|female')!.n).toBe(1);
  });

  it.skipIf(skip)('hostile inputs are refused with a located error and nothing is stored', async () => {
    const before = await count();
    const deviceKey = key();
    const outside = await save(randomUUID(), {
      deviceKey,
      answers: { ...answersFor(BEIJING), salary: 9000 },
      complete: true,
    });
    expect(outside.statusCode).toBe(400);
    expect(outside.json().error.issues).toContainEqual(
      expect.objectContaining({ code: 'E_UNKNOWN_QUESTION', field: 'salary' }),
    );
    const badChoice = await save(randomUUID(), {
      deviceKey,
      answers: { ...answersFor(BEIJING), gov: { GOV1: 7 } },
      complete: false,
    });
    expect(badChoice.statusCode).toBe(400);
    expect(badChoice.json().error.issues[0]).toMatchObject({ code: 'E_ANSWER', field: 'gov' });
    const badRow = await save(randomUUID(), { deviceKey, answers: { gov: { GOV9: 1 } }, complete: false });
    expect(badRow.json().error.message).toMatch(/GOV9/);
    const age = await save(randomUUID(), { deviceKey, answers: { age: 7 }, complete: false });
    expect(age.json().error.issues[0]).toMatchObject({ field: 'age' });
    const otherCity = await save(randomUUID(), { deviceKey, answers: { city_adcode: SHANGHAI }, complete: false });
    expect(otherCity.statusCode).toBe(400);
    const missing = await save(randomUUID(), { deviceKey, answers: { fw_resident: 'yes' }, complete: true });
    expect(missing.json().error.issues.map((i: { code: string }) => i.code)).toContain('E_REQUIRED');
    const huge = await app.inject({
      method: 'POST',
      url: `/api/fieldwork/responses/${randomUUID()}`,
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({
        wave: 'w1',
        city: BEIJING,
        deviceKey,
        language: 'zh',
        complete: false,
        answers: { x: 'y'.repeat(300_000) },
      }),
    });
    expect(huge.statusCode).toBe(413);
    const forgedField = await save(randomUUID(), { deviceKey, answers: {}, complete: false, status: 'complete' });
    expect(forgedField.statusCode).toBe(400);
    const badId = await save('1', { deviceKey, answers: {}, complete: false });
    expect(badId.json().error.code).toBe('E_RESPONSE_ID');
    const pageTime = await save(randomUUID(), { deviceKey, answers: {}, complete: false, pageTimes: { nowhere: 3 } });
    expect(pageTime.json().error.code).toBe('E_PARADATA');
    expect(await count()).toBe(before);
    // forged: another device presenting a known response id
    const id = randomUUID();
    expect((await save(id, { deviceKey, answers: {}, complete: false })).statusCode).toBe(200);
    const forged = await save(id, { deviceKey: key(), answers: answersFor(BEIJING), complete: true });
    expect(forged.statusCode).toBe(409);
    // a second response from the same device
    const again = await save(randomUUID(), { deviceKey, answers: {}, complete: false });
    expect(again.json().error.code).toBe('E_DUPLICATE_RESPONSE');
    expect(await count()).toBe(before + 1);
  });

  it.skipIf(skip)('new responses are rate-limited per address (in memory; nothing stored when refused)', async () => {
    const limited = await createServer({ store, project, fieldwork: { respondentLimits: { startsPerHour: 2 } } });
    try {
      const before = await count();
      const start = () =>
        limited.inject({
          method: 'POST',
          url: `/api/fieldwork/responses/${randomUUID()}`,
          payload: { wave: 'w1', city: BEIJING, deviceKey: key(), answers: {}, language: 'en', complete: false },
        });
      expect((await start()).statusCode).toBe(200);
      expect((await start()).statusCode).toBe(200);
      const third = await start();
      expect(third.statusCode).toBe(429);
      expect(third.json().error.code).toBe('E_RATE_LIMIT');
      expect(await count()).toBe(before + 2);
    } finally {
      await limited.close();
    }
  });

  it.skipIf(skip)('one-time tokens: issued as CSV, required, and a replayed token is refused', async () => {
    const anon = await app.inject({
      method: 'POST',
      url: '/api/fieldwork/waves/panel/tokens',
      payload: { city: BEIJING, count: 3 },
    });
    expect(anon.statusCode).toBe(401);
    const cityUser = await as('cityA', {
      method: 'POST',
      url: '/api/fieldwork/waves/panel/tokens',
      payload: { city: BEIJING, count: 3 },
    });
    expect(cityUser.statusCode).toBe(403);
    const r = await as('author1', {
      method: 'POST',
      url: '/api/fieldwork/waves/panel/tokens',
      payload: { city: BEIJING, count: 3 },
    });
    expect(r.statusCode, r.body).toBe(201);
    const lines = r.body
      .replace(/^\ufeff/, '')
      .trim()
      .split('\n');
    expect(lines[0]).toBe('city_adcode,batch,token,link');
    expect(lines).toHaveLength(4);
    const token = lines[1].split(',')[2];
    expect(lines[1]).toContain(`https://x.test/survey/panel/${BEIJING}?t=${token}`);
    // only hashes are stored
    const stored = await store.db.selectFrom('fw_tokens').select('token_hash').execute();
    expect(stored.some((x) => x.token_hash.includes(token))).toBe(false);
    const before = await count('panel');
    const none = await save(randomUUID(), { wave: 'panel', deviceKey: key(), answers: {}, complete: false });
    expect(none.json().error.code).toBe('E_TOKEN');
    const unknown = await save(randomUUID(), {
      wave: 'panel',
      deviceKey: key(),
      token: 'forged-token',
      answers: {},
      complete: false,
    });
    expect(unknown.json().error.code).toBe('E_TOKEN');
    const ok = await save(randomUUID(), {
      wave: 'panel',
      deviceKey: key(),
      token,
      answers: answersFor(BEIJING),
      complete: true,
    });
    expect(ok.json()).toEqual({ status: 'complete', replay: false });
    const replayed = await save(randomUUID(), {
      wave: 'panel',
      deviceKey: key(),
      token,
      answers: answersFor(BEIJING),
      complete: true,
    });
    expect(replayed.statusCode).toBe(409);
    expect(replayed.json().error.code).toBe('E_TOKEN_USED');
    expect(await count('panel')).toBe(before + 1);
  });

  it.skipIf(skip)('screening routes out non-residents; full quotas close the city and the cell', async () => {
    const out = await save(randomUUID(), {
      wave: 'small',
      deviceKey: key(),
      answers: { fw_resident: 'no', city_adcode: BEIJING },
      complete: true,
    });
    expect(out.json().status).toBe('screened_out');
    // small: 2 per city; cell 18-59|male holds ⌈2 × share⌉ = 1
    const first = await save(randomUUID(), {
      wave: 'small',
      deviceKey: key(),
      answers: answersFor(BEIJING),
      complete: true,
    });
    expect(first.json().status).toBe('complete');
    const sameCell = await save(randomUUID(), {
      wave: 'small',
      deviceKey: key(),
      answers: { fw_resident: 'yes', city_adcode: BEIJING, age: 40, sex: 'male' },
      complete: false,
    });
    expect(sameCell.json().status).toBe('quota_full');
    const second = await save(randomUUID(), {
      wave: 'small',
      deviceKey: key(),
      answers: answersFor(BEIJING, { sex: 'female' }),
      complete: true,
    });
    expect(second.json().status).toBe('complete');
    const form = await app.inject({ url: `/api/fieldwork/waves/small/cities/${BEIJING}/form` });
    expect(form.json().form.state).toBe('quota_full');
    const third = await save(randomUUID(), {
      wave: 'small',
      deviceKey: key(),
      answers: answersFor(BEIJING, { age: 70, sex: 'female' }),
      complete: true,
    });
    expect(third.json().status).toBe('quota_full');
    const q = await store.db
      .selectFrom('fw_quota')
      .selectAll()
      .where('wave_id', '=', 2)
      .where('city', '=', BEIJING)
      .execute();
    expect(q.find((x) => x.cell === '*')!.n).toBe(2);
    expect(q.find((x) => x.cell === '65+|female')!.n).toBe(0); // the refused one was not counted
  });

  it.skipIf(skip)('concurrent submissions never overfill a quota', async () => {
    // 12 respondents race for the 2 places of Shanghai in wave "small"
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, k) =>
        save(randomUUID(), {
          wave: 'small',
          city: SHANGHAI,
          deviceKey: key(),
          answers: answersFor(SHANGHAI, { sex: k % 2 ? 'male' : 'female', age: 20 + k }),
          complete: true,
        }),
      ),
    );
    const statuses = results.map((r) => r.json().status);
    expect(statuses.filter((s) => s === 'complete')).toHaveLength(2);
    const q = await store.db
      .selectFrom('fw_quota')
      .selectAll()
      .where('wave_id', '=', 2)
      .where('city', '=', SHANGHAI)
      .execute();
    expect(q.find((x) => x.cell === '*')!.n).toBe(2);
  });

  it.skipIf(skip)(
    'the monitor counts per city with completion, break-off, median duration and cleaning flags',
    async () => {
      // Shanghai in w1: a straight-liner, two identical answer sets, a speeder (60 s < 120 s)
      const go = (answers: Record<string, unknown>, pageTimes: Record<string, number>) =>
        save(randomUUID(), { city: SHANGHAI, deviceKey: key(), answers, pageTimes, complete: true });
      expect((await go(answersFor(SHANGHAI, { all: 5 }), { about: 100, services: 300 })).json().status).toBe(
        'complete',
      );
      await go(answersFor(SHANGHAI, { age: 44 }), { about: 100, services: 400 });
      await go(answersFor(SHANGHAI, { age: 45 }), { about: 100, services: 500 });
      await go(answersFor(SHANGHAI, { age: 46, sex: 'female' }), { about: 20, services: 40 });
      await save(randomUUID(), { city: SHANGHAI, deviceKey: key(), answers: { fw_resident: 'yes' }, complete: false });
      const denied = await as('cityA', { url: '/api/fieldwork/waves/w1/monitor' });
      expect(denied.statusCode).toBe(403);
      const r = await as('reviewer1', { url: '/api/fieldwork/waves/w1/monitor' });
      expect(r.statusCode, r.body).toBe(200);
      const m = r.json().monitor;
      expect(m.label).toBe('模拟数据 / simulated responses');
      const sh = m.cities.find((c: { code: string }) => c.code === SHANGHAI);
      expect(sh).toMatchObject({ quota: 120, complete: 4, partial: 1, started: 5, breakOffs: 0 });
      expect(sh.completionRate).toBeCloseTo(4 / 5, 12);
      // durations 400, 500, 600, 60 → median (400 + 500) / 2
      expect(sh.medianDuration).toBe(450);
      // the three responses made with answersFor's default items are one answer set twice repeated
      expect(sh.flags).toEqual({ speeders: 1, straightLiners: 1, duplicates: 2 });
      expect(sh.cells.find((c: { cell: string }) => c.cell === '18-59|male').n).toBe(3);
    },
  );

  it.skipIf(skip)('exports raw and cleaned responses with the codebook, labelled simulated', async () => {
    expect((await as('cityA', { url: '/api/fieldwork/waves/w1/export' })).statusCode).toBe(403);
    const raw = await as('author1', { url: '/api/fieldwork/waves/w1/export?kind=raw' });
    expect(raw.statusCode, raw.body).toBe(200);
    const lines = raw.body
      .replace(/^\ufeff/, '')
      .trim()
      .split('\n');
    expect(lines[0].split(',').slice(0, 8)).toEqual([
      'response_id',
      'status',
      'city_adcode',
      'language',
      'started_at',
      'submitted_at',
      'duration_seconds',
      'fw_resident',
    ]);
    expect(lines[0]).toContain('seconds_services');
    expect(lines[1]).toContain('模拟数据 / simulated responses');
    const cleaned = await as('author1', { url: '/api/fieldwork/waves/w1/export?kind=cleaned' });
    const c = cleaned.body
      .replace(/^\ufeff/, '')
      .trim()
      .split('\n');
    expect(c.length - 1).toBe(5); // the completed responses of w1: one from the resume test, four above
    expect(cleaned.body).toMatch(/straightLiner|speeder|duplicate/);
    const book = await as('author1', { url: '/api/fieldwork/waves/w1/export?kind=codebook' });
    expect(book.body).toContain('GOV1');
    const xlsx = await as('author1', { url: '/api/fieldwork/waves/w1/export?format=xlsx' });
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
  });

  it.skipIf(skip)('estimates: cities below the minimum sample are shown as such, never as a number', async () => {
    const r = await as('author1', { url: '/api/fieldwork/waves/w1/estimates' });
    expect(r.statusCode, r.body).toBe(200);
    const e = r.json();
    const sh = e.estimates.find(
      (x: { city: string; indicator: string }) => x.city === SHANGHAI && x.indicator === 'LIF_SATISFACTION',
    );
    expect(sh.belowMinimum).toBe(true);
    expect(sh.value).toBeNull();
    expect(e.lineage).toMatchObject({ survey: 'resident-digital-life-2020', wave: 'w1', weighting: 'rake' });
    expect(e.label).toBe('模拟数据 / simulated responses');
  });

  it.skipIf(skip)('QR codes per city link, as SVG and PNG (staff)', async () => {
    expect((await app.inject({ url: `/api/fieldwork/waves/w1/cities/${BEIJING}/qr` })).statusCode).toBe(401);
    const svg = await as('author1', { url: `/api/fieldwork/waves/w1/cities/${BEIJING}/qr` });
    expect(svg.headers['content-type']).toBe('image/svg+xml');
    expect(svg.body).toMatch(/^<svg/);
    const png = await as('author1', { url: `/api/fieldwork/waves/w1/cities/${BEIJING}/qr?format=png` });
    expect([...png.rawPayload.subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
  });

  it.skipIf(skip)('a closed wave refuses answers', async () => {
    const r = await as('author1', {
      method: 'POST',
      url: '/api/fieldwork/waves/panel/status',
      payload: { status: 'closed' },
    });
    expect(r.statusCode, r.body).toBe(200);
    const form = await app.inject({ url: `/api/fieldwork/waves/panel/cities/${BEIJING}/form` });
    expect(form.json().form.state).toBe('closed');
    const s = await save(randomUUID(), {
      wave: 'panel',
      deviceKey: key(),
      token: 'whatever',
      answers: {},
      complete: false,
    });
    expect(s.json().error.code).toBe('E_CLOSED');
    const audit = await store.auditLog(CLI, { limit: 1000 });
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['fieldwork.wave.create', 'fieldwork.tokens.issue', 'fieldwork.wave.close']),
    );
  });
});
