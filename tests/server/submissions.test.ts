/**
 * The submission-round routes through Fastify's `inject`, on SQLite and PostgreSQL: template download
 * and multipart upload by a city officer, submit, per-value return with a comment, correction and
 * resubmission, approval, an edition that records the data version used; CSRF on multipart (a
 * cross-site form post cannot succeed); multipart limits (one file, size cap, parts cap); two officers
 * at once → one 409; a city officer never downloads, uploads or reads another city's template or values.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readXlsxTable } from '../../src/formats/xlsx-table.ts';
import { TEMPLATE_SHEETS } from '../../src/formats/template.ts';
import { createServer } from '../../src/server/app.ts';
import { importProjectFolder } from '../../src/store/project-io.ts';
import { systemPrincipal } from '../../src/store/principal.ts';
import type { ProjectInfo, Store } from '../../src/store/store.ts';
import { roundValues } from '../../src/store/submission-flow.ts';
import { fill } from '../store/submission-helpers.ts';
import { writeSubmissionTemplate } from '../../src/formats/template.ts';
import { templateSpec } from '../../src/store/submission-flow.ts';
import { DIALECTS, type TestStore } from '../store/stores.ts';
import { multipart, TEST_PASSWORD, testClient } from './client.ts';

const CLI = systemPrincipal('test');
const PASSWORD = TEST_PASSWORD;

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

describe.each(DIALECTS)('submission routes on $name', ({ open, skip }) => {
  let t: TestStore;
  let store: Store;
  let project: ProjectInfo;
  let app: FastifyInstance;
  let units: string[];
  let indicators: string[];
  let round: number;
  const { login, as, principalOf } = testClient(() => app);
  const base = (unit: string) => `/api/rounds/${round}/units/${unit}`;
  async function upload(who: string, unit: string, bytes: Uint8Array, fileName = 'filled.xlsx', csrf = true) {
    const body = multipart({}, [{ name: 'file', fileName, type: XLSX, bytes }]);
    return as(
      who,
      { method: 'POST', url: `${base(unit)}/template`, payload: body.payload, headers: body.headers },
      csrf,
    );
  }
  /** The template as downloaded over HTTP, with values typed in. */
  async function downloadAndFill(who: string, unit: string, values: Map<string, number>): Promise<Uint8Array> {
    const r = await as(who, { url: `${base(unit)}/template` });
    expect(r.statusCode, r.body).toBe(200);
    // what a spreadsheet program saves after typing the values: same template, values entered
    const principal = await principalOf(store, who);
    return writeSubmissionTemplate(fill(await templateSpec(store, principal, round, unit), values, 'bulletin'));
  }

  beforeAll(async () => {
    if (skip) return;
    t = await open();
    store = t.store;
    project = await importProjectFolder(store, CLI, 'examples/asem');
    units = (await store.units(project.id)).map((u) => u.code);
    indicators = (await store.framework(project.id)).filter((n) => n.kind === 'indicator').map((n) => n.code);
    const add = (username: string, role: string, cities?: string[]) =>
      store.createUser(CLI, { username, password: PASSWORD, role, projectId: project.id, cities });
    await add('author1', 'author');
    await add('reviewer1', 'reviewer');
    await add('cityA', 'city', [units[0]]);
    await add('cityA2', 'city', [units[0]]);
    await add('cityB', 'city', [units[1]]);
    app = await createServer({ store, project, rateLimit: { perMinute: 100_000, loginPerMinute: 1000 } });
    for (const u of ['author1', 'reviewer1', 'cityA', 'cityA2', 'cityB']) await login(u, PASSWORD, true);
    const r = await as('author1', { method: 'POST', url: '/api/rounds', payload: { name: '2024' } });
    expect(r.statusCode, r.body).toBe(201);
    round = r.json().round.id;
  }, 120_000);
  afterAll(async () => {
    if (skip) return;
    await app.close();
    await t.dispose();
  });

  it.skipIf(skip)(
    'template → upload → submit → return with comment → correct → resubmit → approve → edition lineage',
    async () => {
      const unit = units[0];
      const [i1, i2] = indicators.slice(0, 2).sort();
      const dl = await as('cityA', { url: `${base(unit)}/template` });
      expect(dl.statusCode).toBe(200);
      expect(dl.headers['content-type']).toBe(XLSX);
      expect(dl.headers['content-disposition']).toBe(`attachment; filename="asem-2024-${unit}.xlsx"`);
      const sheet = await readXlsxTable(new Uint8Array(dl.rawPayload), 't.xlsx', TEMPLATE_SHEETS.data);
      expect(sheet.rows).toHaveLength(indicators.length);

      const up = await upload(
        'cityA',
        unit,
        await downloadAndFill(
          'cityA',
          unit,
          new Map([
            [i1, 1.5],
            [i2, 2.5],
          ]),
        ),
      );
      expect(up.statusCode, up.body).toBe(200);
      expect(up.json().values.map((v: any) => [v.indicator, v.value, v.status, v.version])).toEqual([
        [i1, 1.5, 'draft', 1],
        [i2, 2.5, 'draft', 1],
      ]);
      expect((await as('cityA', { method: 'POST', url: `${base(unit)}/submit` })).statusCode).toBe(200);
      const ret = await as('reviewer1', {
        method: 'POST',
        url: `${base(unit)}/review`,
        payload: {
          decisions: [
            { indicator: i1, decision: 'approve', version: 2 },
            { indicator: i2, decision: 'return', comment: '请核对 / please check', version: 2 },
          ],
        },
      });
      expect(ret.statusCode, ret.body).toBe(200);
      const stale = await as('reviewer1', {
        method: 'POST',
        url: `${base(unit)}/review`,
        payload: { decisions: [{ indicator: i2, decision: 'approve', version: 2 }] },
      });
      expect(stale.statusCode).toBe(409);
      const fix = await as('cityA', {
        method: 'PUT',
        url: `${base(unit)}/values`,
        payload: { values: [{ indicator: i2, value: 2.75, source: 'corrected', version: 3 }] },
      });
      expect(fix.statusCode, fix.body).toBe(200);
      expect((await as('cityA', { method: 'POST', url: `${base(unit)}/submit` })).statusCode).toBe(200);
      const ok = await as('reviewer1', {
        method: 'POST',
        url: `${base(unit)}/review`,
        payload: { decisions: [{ indicator: i2, decision: 'approve', version: 5 }] },
      });
      expect(ok.statusCode, ok.body).toBe(200);
      const hist = await as('cityA', { url: `${base(unit)}/history?indicator=${i2}` });
      expect(hist.json().history.map((v: any) => `${v.version}:${v.status}:${v.actor}`)).toEqual([
        '1:draft:cityA',
        '2:submitted:cityA',
        '3:returned:reviewer1',
        '4:returned:cityA',
        '5:resubmitted:cityA',
        '6:approved:reviewer1',
      ]);
      expect(hist.json().history[2].comment).toBe('请核对 / please check');
      // the edition records the data version of each approved value it used
      const ed = await as('author1', { method: 'POST', url: '/api/editions', payload: { name: 'e' } });
      expect(ed.statusCode, ed.body).toBe(201);
      const full = await as('author1', { url: `/api/editions/${ed.json().edition.id}` });
      expect(full.json().edition.results.approvedValues).toEqual([
        { unit, indicator: i1, submissionId: 0, version: 2 },
        { unit, indicator: i2, submissionId: 0, version: 2 },
      ]);
    },
    60_000,
  );

  it.skipIf(skip)(
    'a cross-site form post (multipart without the CSRF header) cannot upload; nothing stored',
    async () => {
      const unit = units[0];
      const before = await roundValues(store, CLI, round, unit);
      const bytes = await downloadAndFill('cityA', unit, new Map([[indicators[7], 7]]));
      const r = await upload('cityA', unit, bytes, 'filled.xlsx', false);
      expect(r.statusCode).toBe(403);
      expect(r.json().error.code).toBe('E_CSRF');
      const anon = await upload('nobody', unit, bytes);
      expect(anon.statusCode).toBe(401);
      expect(await roundValues(store, CLI, round, unit)).toEqual(before);
    },
  );

  it.skipIf(skip)('multipart limits: one file, a size cap, a parts cap, multipart only', async () => {
    const unit = units[0];
    const before = await roundValues(store, CLI, round, unit);
    const bytes = await downloadAndFill('cityA', unit, new Map([[indicators[8], 8]]));
    const two = multipart({}, [
      { name: 'file', fileName: 'a.xlsx', type: XLSX, bytes },
      { name: 'file2', fileName: 'b.xlsx', type: XLSX, bytes },
    ]);
    const r2 = await as('cityA', {
      method: 'POST',
      url: `${base(unit)}/template`,
      payload: two.payload,
      headers: two.headers,
    });
    expect(r2.statusCode).toBe(413);
    expect(r2.json().error.code).toBe('E_UPLOAD_LIMIT');
    const big = multipart({}, [
      { name: 'file', fileName: 'a.xlsx', type: XLSX, bytes: new Uint8Array(6 * 1024 * 1024) },
    ]);
    const rb = await as('cityA', {
      method: 'POST',
      url: `${base(unit)}/template`,
      payload: big.payload,
      headers: big.headers,
    });
    expect(rb.statusCode).toBe(413);
    const fields = multipart(Object.fromEntries(Array.from({ length: 10 }, (_, k) => [`f${k}`, 'x'])), []);
    const rf = await as('cityA', {
      method: 'POST',
      url: `${base(unit)}/template`,
      payload: fields.payload,
      headers: fields.headers,
    });
    expect(rf.statusCode).toBe(413);
    const json = await as('cityA', { method: 'POST', url: `${base(unit)}/template`, payload: { file: 'x' } });
    expect(json.statusCode).toBe(400);
    expect(json.json().error.code).toBe('E_UPLOAD');
    // a hostile file gets its located error through HTTP as well
    const macro = await upload('cityA', unit, bytes, 'filled.xlsm');
    expect(macro.statusCode).toBe(400);
    expect(macro.json().error.issues[0]).toMatchObject({ code: 'E_TEMPLATE_MACRO', file: 'filled.xlsm' });
    // multipart is refused on the JSON routes
    const elsewhere = await as('cityA', {
      method: 'POST',
      url: '/api/submissions',
      payload: two.payload,
      headers: two.headers,
    });
    expect(elsewhere.statusCode).toBe(415);
    expect(await roundValues(store, CLI, round, unit)).toEqual(before);
  });

  it.skipIf(skip)('two officers of one city save the same value at once: one 409, nothing lost', async () => {
    const unit = units[0];
    const ind = indicators[20];
    const put = (who: string, value: number, version: number) =>
      as(who, {
        method: 'PUT',
        url: `${base(unit)}/values`,
        payload: { values: [{ indicator: ind, value, version }] },
      });
    const codes = (await Promise.all([put('cityA', 1, 0), put('cityA2', 2, 0)])).map((r) => r.statusCode).sort();
    expect(codes).toEqual([200, 409]);
    const codes2 = (await Promise.all([put('cityA', 3, 1), put('cityA2', 4, 1)])).map((r) => r.statusCode).sort();
    expect(codes2).toEqual([200, 409]);
    const hist = await as('cityA2', { url: `${base(unit)}/history?indicator=${ind}` });
    expect(hist.json().history.map((v: any) => v.version)).toEqual([1, 2]);
  });

  it.skipIf(skip)("a city officer never downloads, uploads or reads another city's template or values", async () => {
    const b = units[1];
    const bBytes = await downloadAndFill('cityB', b, new Map([[indicators[0], 99]]));
    expect((await as('cityA', { url: `${base(b)}/template` })).statusCode).toBe(403);
    expect((await as('cityA', { url: `${base(b)}/values` })).statusCode).toBe(403);
    expect((await as('cityA', { url: `${base(b)}/history` })).statusCode).toBe(403);
    expect((await upload('cityA', b, bBytes)).statusCode).toBe(403);
    const own = await upload('cityA', units[0], bBytes);
    expect(own.statusCode).toBe(400);
    expect(own.json().error.code).toBe('E_TEMPLATE_UNIT');
    expect(await roundValues(store, CLI, round, b)).toEqual([]);
    // B uploads its own and attaches a bulletin; A cannot fetch it
    expect((await upload('cityB', b, bBytes)).statusCode).toBe(200);
    const pdf = new TextEncoder().encode('%PDF-1.4\n%%EOF\n');
    const form = multipart({ indicator: indicators[0], version: '1' }, [
      { name: 'file', fileName: 'bulletin.pdf', type: 'text/html', bytes: pdf },
    ]);
    const att = await as('cityB', {
      method: 'POST',
      url: `${base(b)}/attachments`,
      payload: form.payload,
      headers: form.headers,
    });
    expect(att.statusCode, att.body).toBe(201);
    expect(att.json().contentType).toBe('application/pdf'); // sniffed, the declared text/html ignored
    const id = att.json().attachmentId;
    expect((await as('cityA', { url: `/api/attachments/${id}` })).statusCode).toBe(404);
    const got = await as('reviewer1', { url: `/api/attachments/${id}` });
    expect(got.statusCode).toBe(200);
    expect(got.headers['content-type']).toBe('application/pdf');
    expect(got.headers['x-content-type-options']).toBe('nosniff');
    expect(got.headers['content-disposition']).toBe('attachment; filename="bulletin.pdf"');
  });
});
