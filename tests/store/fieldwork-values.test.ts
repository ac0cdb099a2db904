/**
 * From fieldwork to the index (issue 14 item 6) on SQLite and PostgreSQL: a wave's cleaned, weighted
 * estimates become the project's values of a survey-based indicator, equal to the engine's `runSurvey` on
 * the same stored responses; a city below the minimum sample becomes a missing value with its reason;
 * each value's lineage (survey, wave, responses, cleaning and weighting settings) is stored and read back;
 * only authors and admins may run it (route and store), and each run is audited.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CityIndexError } from '../../src/engine/core/errors.ts';
import { runSurvey } from '../../src/engine/survey/pipeline.ts';
import type { CityMargins } from '../../src/engine/survey/types.ts';
import { loadSurvey, surveySpec, type LoadedSurvey } from '../../src/formats/survey.ts';
import { createServer } from '../../src/server/app.ts';
import { Fieldwork } from '../../src/store/fieldwork.ts';
import { surveyValueLineage, surveyValuesIntoStore } from '../../src/store/fieldwork-values.ts';
import { systemPrincipal, type Principal } from '../../src/store/principal.ts';
import type { ProjectInfo, Store } from '../../src/store/store.ts';
import { DIALECTS, type TestStore } from './stores.ts';

const CLI = systemPrincipal('test');
const PASSWORD = 'a long enough password';
const BEIJING = '110100';
const SHANGHAI = '310100';
const MIN = 5;
const IND = 'LIF_SATISFACTION';

/** A varied complete answer set (not straight-lined, attention check passed), respondent `r`. */
function answersOf(city: string, r: number): Record<string, unknown> {
  const v = (q: number) => ((r * 7 + q * 3) % 5) + 1;
  return {
    fw_resident: 'yes',
    city_adcode: city,
    age: [25, 40, 61, 70, 33, 52, 66][r % 7],
    sex: r % 2 === 0 ? 'male' : 'female',
    infra: { INF1: v(1), INF2: v(2), INF3: v(3) },
    gov: { GOV1: v(4), GOV2: v(5), GOV3: v(6), GOV4: v(7) },
    pub: { PUB1: v(8), PUB2: v(9), PUB3: v(10), PUB4: v(11), ATTN: 4 },
    life: { LIF1: v(12), LIF2: v(13), LIF3: v(14), LIF4: v(15) },
    OVR: v(16),
  };
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof CityIndexError) return e.issues[0].code;
    throw e;
  }
  return 'resolved';
}

describe.each(DIALECTS)('survey estimates into the index on $name', ({ open, skip }) => {
  let t: TestStore;
  let store: Store;
  let project: ProjectInfo;
  let fw: Fieldwork;
  let app: FastifyInstance;
  let survey: LoadedSurvey;
  const who = new Map<string, Principal>();
  const sessions = new Map<string, { cookie: string; csrf: string }>();
  const as = (name: string | undefined, o: InjectOptions) => {
    const s = name ? sessions.get(name) : undefined;
    return app.inject({
      ...o,
      headers: { ...(o.headers ?? {}), ...(s && { cookie: s.cookie, 'x-csrf-token': s.csrf }) },
    });
  };

  beforeAll(async () => {
    if (skip) return;
    const loaded = await loadSurvey('examples/cdgi-2020/surveys/survey.yaml');
    // the project's minimum sample lowered to 5 and two cities, so that a handful of responses estimate
    const config = {
      ...loaded.config,
      cities: [BEIJING, SHANGHAI],
      estimation: { ...loaded.config.estimation, minSample: MIN },
    };
    survey = { ...loaded, config };
    t = await open();
    store = t.store;
    const units = [
      { code: BEIJING, name: { zh: '北京市', en: 'Beijing' } },
      { code: SHANGHAI, name: { zh: '上海市', en: 'Shanghai' } },
    ];
    const node = (code: string, parent: string | null, level: number, kind: string) => ({
      code,
      parent,
      level,
      kind,
      name: { zh: code, en: code },
      weight: 1,
      direction: 1,
    });
    const nodes = [
      node('IDX', null, 2, 'aggregate'),
      node(IND, 'IDX', 1, 'indicator'),
      node('X', 'IDX', 1, 'indicator'),
    ];
    project = await store.saveProject(CLI, {
      slug: 'svy',
      name: 'survey values',
      projectFile: 'project.yaml',
      files: [],
      nodes,
      units,
      values: [{ unit: BEIJING, indicator: IND, value: 12, source: 'old file' }],
    });
    for (const [username, role, cities] of [
      ['author1', 'author', undefined],
      ['reviewer1', 'reviewer', undefined],
      ['cityA', 'city', [BEIJING]],
      ['expert1', 'expert', undefined],
      ['reader1', 'reader', undefined],
    ] as const) {
      const u = await store.createUser(CLI, {
        username,
        password: PASSWORD,
        role,
        projectId: project.id,
        cities: cities && [...cities],
      });
      who.set(username, { kind: 'user', userId: u.id, username, role: u.role });
    }
    fw = new Fieldwork(store);
    await fw.createWave(CLI, project.id, { slug: 'w1', survey, perCity: 120 });
    const answer = (city: string, r: number) =>
      fw.saveResponse({
        wave: 'w1',
        city,
        responseId: randomUUID(),
        deviceKey: randomBytes(24).toString('base64url'),
        answers: answersOf(city, r),
        pageTimes: { about: 100 + 10 * r, services: 300 + 7 * r },
        language: 'zh',
        complete: true,
      });
    for (let r = 0; r < 7; r++) expect((await answer(BEIJING, r)).status).toBe('complete');
    for (let r = 0; r < 2; r++) expect((await answer(SHANGHAI, r)).status).toBe('complete');
    app = await createServer({
      store,
      project,
      rateLimit: { perMinute: 100_000, loginPerMinute: 1000 },
      fieldwork: { respondentLimits: { startsPerHour: 100_000, savesPerMinute: 100_000 } },
    });
    for (const u of who.keys()) {
      const r = await app.inject({ method: 'POST', url: '/api/session', payload: { username: u, password: PASSWORD } });
      sessions.set(u, { cookie: String(r.headers['set-cookie']).split(';')[0], csrf: r.json().csrf });
    }
  }, 120_000);
  afterAll(async () => {
    if (skip) return;
    await app.close();
    await t.dispose();
  });

  it.skipIf(skip)('only authors and admins write estimates into the index (store and route)', async () => {
    for (const name of ['reviewer1', 'cityA', 'expert1', 'reader1'])
      expect(await codeOf(surveyValuesIntoStore(fw, who.get(name)!, project, 'w1'))).toBe('E_FORBIDDEN');
    for (const name of ['reviewer1', 'cityA', 'expert1', 'reader1']) {
      const r = await as(name, { method: 'POST', url: '/api/fieldwork/waves/w1/values', payload: {} });
      expect(r.statusCode, `${name} ${r.body}`).toBe(403);
    }
    const anon = await app.inject({ method: 'POST', url: '/api/fieldwork/waves/w1/values', payload: {} });
    expect([401, 403]).toContain(anon.statusCode);
    const values = await store.db.selectFrom('survey_values').selectAll().execute();
    expect(values).toEqual([]);
  });

  it.skipIf(skip)('bad indicators and unknown waves are refused, located, nothing written', async () => {
    const author = who.get('author1')!;
    const err: unknown = await surveyValuesIntoStore(fw, author, project, 'w1', {
      indicators: ['SV_GOV', 'X'],
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CityIndexError);
    expect((err as CityIndexError).issues.map((i) => [i.code, i.field])).toEqual([
      ['E_SURVEY_INDICATOR', 'indicators[0]'],
      ['E_SURVEY_INDICATOR', 'indicators[1]'],
    ]);
    expect(await codeOf(surveyValuesIntoStore(fw, author, project, 'nope'))).toBe('E_NOT_FOUND');
    const r = await as('author1', {
      method: 'POST',
      url: '/api/fieldwork/waves/w1/values',
      payload: { indicators: ['SV_GOV'] },
      headers: { 'accept-language': 'en' },
    });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.issues[0]).toMatchObject({ code: 'E_SURVEY_INDICATOR', field: 'indicators[0]' });
    expect(r.json().error.issues[0].message).not.toMatch(/[\u4e00-\u9fff]/);
    const zh = await as('author1', {
      method: 'POST',
      url: '/api/fieldwork/waves/w1/values',
      payload: { indicators: ['SV_GOV'] },
      headers: { 'accept-language': 'zh-CN' },
    });
    expect(zh.json().error.issues[0].message).toBe('不是可由问卷估计的指标');
    expect(await store.db.selectFrom('survey_values').selectAll().execute()).toEqual([]);
  });

  it.skipIf(skip)(
    'values equal the engine estimate; below the minimum sample a missing value with its reason; lineage; audit',
    async () => {
      const author = who.get('author1')!;
      const seqBefore = Number(
        (await store.db.selectFrom('audit_log').select('seq').orderBy('seq', 'desc').executeTakeFirst())?.seq ?? 0,
      );
      const r = await as('author1', { method: 'POST', url: '/api/fieldwork/waves/w1/values', payload: {} });
      expect(r.statusCode, r.body).toBe(200);
      const run = r.json().run;
      expect(run).toMatchObject({ survey: 'resident-digital-life-2020', wave: 'w1', minSample: MIN });
      expect(run.label).toBe('模拟数据 / simulated responses');
      // the engine on the same stored responses
      const { table, design } = await fw.completedTable(author, 'w1');
      const margins = new Map<string, CityMargins>(
        Object.entries(design.margins).map(([city, m]) => [
          city,
          { city, age: Float64Array.from(m.age), sex: Float64Array.from(m.sex) },
        ]),
      );
      const engine = runSurvey({ table, spec: surveySpec(design.config), margins, cities: [BEIJING, SHANGHAI] });
      const e = engine.estimates;
      const j = e.dataset.codes.indexOf(IND);
      const k = j * 2 + e.dataset.unitCodes.indexOf(BEIJING);
      expect(e.n.values[k]).toBeGreaterThanOrEqual(MIN);
      const bj = run.values.find((v: { unit: string }) => v.unit === BEIJING);
      expect(bj.value).toBe(e.dataset.values[k]);
      expect(bj.lower).toBe(e.lower.values[k]);
      expect(bj.upper).toBe(e.upper.values[k]);
      expect(bj.se).toBe(e.se.values[k]);
      expect(bj.n).toBe(e.n.values[k]);
      expect(bj.deff).toBeCloseTo(e.n.values[k] / e.nEff.values[k], 12);
      expect(bj.belowMinimum).toBe(false);
      expect(bj.value).toBeGreaterThan(0);
      expect(bj.value).toBeLessThan(100);
      // Shanghai: 2 responses of 5 → missing, never a number
      const sh = run.values.find((v: { unit: string }) => v.unit === SHANGHAI);
      expect(sh).toMatchObject({ value: null, lower: null, upper: null, belowMinimum: true, n: 2 });
      expect(sh.reason).toBe('below minimum sample: 2 of 5 / 样本量不足：2（最少 5）');
      // the values the build reads
      const stored = await store.allValues(author, project.id);
      const cur = new Map(stored.map((v) => [`${v.unit}/${v.indicator}`, v]));
      expect(cur.get(`${BEIJING}/${IND}`)).toMatchObject({ value: bj.value, status: 'approved', version: 2 });
      expect(cur.get(`${BEIJING}/${IND}`)!.source).toMatch(/survey resident-digital-life-2020, wave w1/);
      expect(cur.get(`${BEIJING}/${IND}`)!.source).toMatch(/simulated/);
      expect(cur.get(`${SHANGHAI}/${IND}`)).toMatchObject({ value: null, status: 'approved', version: 1 });
      expect(cur.get(`${SHANGHAI}/${IND}`)!.source).toMatch(/below minimum sample: 2 of 5/);
      // lineage: store and route
      const lin = await surveyValueLineage(fw, author, project.id, SHANGHAI, IND);
      expect(lin).toMatchObject({ survey: 'resident-digital-life-2020', wave: 'w1', belowMinimum: true, n: 2 });
      expect(lin!.settings.responses).toEqual({ received: 9, kept: engine.cleaning.kept });
      expect(lin!.settings.weighting).toMatchObject({ weighting: { method: 'rake' } });
      expect(lin!.settings.cleaning.rules).toMatchObject({ straightLining: { minItems: 10 } });
      expect(lin!.settings.simulated).toBe(true);
      const viaRoute = await as('reviewer1', { url: `/api/fieldwork/values/${BEIJING}/${IND}` });
      expect(viaRoute.statusCode, viaRoute.body).toBe(200);
      expect(viaRoute.json().lineage).toMatchObject({ value: bj.value, deff: bj.deff, n: bj.n, version: 2 });
      expect((await as('cityA', { url: `/api/fieldwork/values/${BEIJING}/${IND}` })).statusCode).toBe(403);
      expect((await as('reviewer1', { url: `/api/fieldwork/values/${BEIJING}/X` })).statusCode).toBe(404);
      // one audit row
      const audit = await store.db.selectFrom('audit_log').selectAll().where('seq', '>', seqBefore).execute();
      expect(audit.map((a) => [a.action, a.actor])).toEqual([['fieldwork.estimates.store', 'author1']]);
      expect(JSON.parse(audit[0].after!)).toMatchObject({
        indicators: [IND],
        values: 1,
        belowMinimum: [`${SHANGHAI}/${IND}`],
      });
      // a second run makes new versions, each with its lineage
      await surveyValuesIntoStore(fw, author, project, 'w1');
      expect((await surveyValueLineage(fw, author, project.id, BEIJING, IND))!.version).toBe(3);
    },
  );

  it.skipIf(skip)('draft saves are audited as a tally when the wave closes: counts only, no answers', async () => {
    const draft = { wave: 'w1', city: BEIJING, responseId: randomUUID(), language: 'zh' as const, complete: false };
    const deviceKey = randomBytes(24).toString('base64url');
    for (const answers of [{ fw_resident: 'yes' }, { fw_resident: 'yes', age: 44 }, { fw_resident: 'yes', age: 45 }])
      await fw.saveResponse({ ...draft, deviceKey, answers, pageTimes: {} });
    const seqBefore = Number(
      (await store.db.selectFrom('audit_log').select('seq').orderBy('seq', 'desc').executeTakeFirst())!.seq,
    );
    const r = await as('author1', {
      method: 'POST',
      url: '/api/fieldwork/waves/w1/status',
      payload: { status: 'closed' },
    });
    expect(r.statusCode, r.body).toBe(200);
    const audit = await store.db.selectFrom('audit_log').selectAll().where('seq', '>', seqBefore).execute();
    // the draft saves themselves wrote no audit row; the close carries the tally
    expect(audit.map((a) => a.action)).toEqual(['fieldwork.wave.close']);
    const after = JSON.parse(audit[0].after!);
    // 9 completed responses saved once each, one draft saved three times
    expect(after).toEqual({ status: 'closed', responses: { complete: 9, partial: 1 }, saves: 12 });
    expect(audit[0].after).not.toContain('44');
  });
});
