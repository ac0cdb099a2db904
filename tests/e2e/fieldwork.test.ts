/**
 * The resident form in headless Chromium at a phone's width (390 px): a full questionnaire answered by
 * clicking, resumed after a reload, submitted once; a city whose quota is full shows the closed page;
 * axe-core finds no serious or critical accessibility violation; the staff monitor updates live over
 * server-sent events. The pages are built first when
 * web-survey/dist is missing. Skipped (with a message) only when /usr/bin/chromium is absent.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSurvey } from '../../src/formats/survey.ts';
import { CHROMIUM_ARGS, chromiumPath } from '../../src/report/pdf.ts';
import { createServer } from '../../src/server/app.ts';
import { Fieldwork } from '../../src/store/fieldwork.ts';
import { systemPrincipal } from '../../src/store/principal.ts';
import { Store } from '../../src/store/store.ts';
import { axeViolations } from './site-harness.ts';

const executablePath = chromiumPath();
if (!executablePath) process.stderr.write('fieldwork e2e: /usr/bin/chromium not found — browser tests skipped\n');
const browserIt = executablePath ? it : it.skip;

describe('resident form in the browser', () => {
  let dir: string;
  let store: Store;
  let app: FastifyInstance;
  let url: string;
  let browser: Browser;

  beforeAll(async () => {
    if (!executablePath) return;
    if (!existsSync('web-survey/dist/index.html'))
      execFileSync('npm', ['run', 'build:survey-web'], { stdio: 'ignore', timeout: 180_000 });
    dir = mkdtempSync(join(tmpdir(), 'cityindex-fw-e2e-'));
    store = await Store.open({ sqliteFile: join(dir, 'store.db') }, { scryptN: 2 ** 10 });
    const cli = systemPrincipal('test');
    const units = [{ code: '110100', name: { zh: '北京市', en: 'Beijing' } }];
    const project = await store.saveProject(cli, {
      slug: 'cdgi',
      name: 'CDGI',
      projectFile: 'project.yaml',
      files: [],
      nodes: [],
      units,
      values: [],
    });
    const survey = await loadSurvey('examples/cdgi-2020/surveys/survey.yaml');
    const fieldwork = new Fieldwork(store);
    const cityNames = new Map(units.map((u) => [u.code, u.name]));
    await fieldwork.createWave(cli, project.id, { slug: 'w', survey, cityNames });
    await fieldwork.createWave(cli, project.id, { slug: 'tiny', survey, cityNames, perCity: 1 });
    app = await createServer({ store, project });
    url = await app.listen({ host: '127.0.0.1', port: 0 });
    browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
  }, 240_000);
  afterAll(async () => {
    if (!executablePath) return;
    await browser?.close();
    await app?.close();
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Serious and critical axe-core violations under every rule (not only the WCAG tags). */
  const axe = (page: Page) => axeViolations(page, 'all');

  /** Answer a matrix row: column 0 = strongly disagree … 4 = strongly agree. */
  const row = (page: Page, item: string, column: number) =>
    page.locator(`input[type=radio][name$="_${item}"]`).nth(column).check({ force: true });

  browserIt(
    'a full questionnaire at 390 px: resumes after a reload, submitted once, accessible',
    async () => {
      const context = await browser.newContext({ viewport: { width: 390, height: 844 }, bypassCSP: true });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${url}/survey/w/110100?lang=zh`);
      await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toContain('北京市');
      await expect.poll(() => page.locator('.simulated').textContent()).toContain('模拟数据');
      expect(await axe(page)).toEqual([]);
      await page.getByRole('radio', { name: '是' }).check({ force: true });
      await page.getByRole('button', { name: '下一页' }).click();
      await page.getByRole('spinbutton').fill('30');
      await page.getByRole('radio', { name: '女' }).check({ force: true });
      await page.getByRole('button', { name: '下一页' }).click();
      const items = ['INF1', 'INF2', 'INF3', 'GOV1', 'GOV2', 'GOV3', 'GOV4', 'PUB1', 'PUB2', 'PUB3', 'PUB4'];
      for (const [k, item] of items.entries()) await row(page, item, k % 2 ? 3 : 4);
      await row(page, 'ATTN', 3);
      for (const item of ['LIF1', 'LIF2', 'LIF3', 'LIF4']) await row(page, item, 2);
      // the page change saved a partial response on the server
      await expect
        .poll(async () => (await store.db.selectFrom('fw_responses').select(['status', 'age']).execute()).at(-1))
        .toEqual({ status: 'partial', age: 30 });
      // nothing overflows a phone's width
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await page.reload();
      await expect.poll(() => page.locator('input[type=radio][name$="_GOV1"]').nth(3).isChecked()).toBe(true);
      expect(await page.locator('input[type=radio][name$="_LIF4"]').nth(2).isChecked()).toBe(true);
      await page.getByRole('button', { name: '下一页' }).click();
      // at a phone's width SurveyJS shows the 1–5 rating as a drop-down list
      await page.getByRole('combobox').click();
      await page.getByRole('option', { name: '4', exact: true }).click();
      await page.getByRole('button', { name: '提交' }).click();
      await expect.poll(() => page.getByRole('heading', { level: 2 }).textContent()).toBe('提交成功，谢谢！');
      expect(await axe(page)).toEqual([]);
      const rows = await store.db.selectFrom('fw_responses').selectAll().where('status', '=', 'complete').execute();
      expect(rows).toHaveLength(1);
      const answers = JSON.parse(rows[0].answers);
      expect(answers).toMatchObject({ fw_resident: 'yes', city_adcode: '110100', age: 30, sex: 'female', OVR: 4 });
      expect(answers.gov).toEqual({ GOV1: 4, GOV2: 5, GOV3: 4, GOV4: 5 });
      const times = JSON.parse(rows[0].paradata).pageTimes;
      expect(Object.keys(times).sort()).toEqual(['about', 'overall', 'screening', 'services']);
      expect(rows[0].duration_s).toBeGreaterThan(0);
      // a reload after submitting shows the thanks, and nothing is sent twice
      await page.reload();
      await expect.poll(() => page.getByRole('heading', { level: 2 }).textContent()).toBe('提交成功，谢谢！');
      expect((await store.db.selectFrom('fw_responses').selectAll().execute()).length).toBe(1);
      expect(errors).toEqual([]);
      await context.close();
    },
    180_000,
  );

  browserIt(
    'a city whose quota is full shows a polite closed page (zh and en)',
    async () => {
      const fieldwork = new Fieldwork(store);
      const answers = {
        fw_resident: 'yes',
        city_adcode: '110100',
        age: 30,
        sex: 'male',
        infra: { INF1: 4, INF2: 2, INF3: 4 },
        gov: { GOV1: 4, GOV2: 4, GOV3: 4, GOV4: 4 },
        pub: { PUB1: 4, PUB2: 4, PUB3: 4, PUB4: 4, ATTN: 4 },
        life: { LIF1: 4, LIF2: 4, LIF3: 4, LIF4: 4 },
        OVR: 4,
      };
      const saved = await fieldwork.saveResponse({
        wave: 'tiny',
        city: '110100',
        responseId: randomUUID(),
        deviceKey: 'a-device-key-of-the-first-respondent',
        answers,
        pageTimes: {},
        language: 'zh',
        complete: true,
      });
      expect(saved.status).toBe('complete');
      const context = await browser.newContext({ viewport: { width: 390, height: 844 }, bypassCSP: true });
      const page = await context.newPage();
      await page.goto(`${url}/survey/tiny/110100?lang=zh`);
      await expect.poll(() => page.getByRole('heading', { level: 2 }).textContent()).toBe('本次调查已结束');
      expect(await page.getByRole('button', { name: '下一页' }).count()).toBe(0);
      await page.getByRole('button', { name: 'English' }).click();
      await expect.poll(() => page.getByRole('heading', { level: 2 }).textContent()).toBe('This survey is closed');
      expect(await axe(page)).toEqual([]);
      await context.close();
    },
    120_000,
  );

  browserIt(
    'the monitor updates live over server-sent events after sign-in',
    async () => {
      await store.createUser(systemPrincipal('test'), {
        username: 'watcher',
        password: 'a long enough password',
        role: 'reviewer',
      });
      const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, bypassCSP: true });
      const page = await context.newPage();
      const streams: string[] = [];
      page.on('request', (r) => {
        if (r.url().endsWith('/api/fieldwork/waves/w/events')) streams.push(r.headers()['accept'] ?? '');
      });
      await page.goto(`${url}/survey/monitor/w?lang=en`);
      await page.getByLabel('User name').fill('watcher');
      await page.getByLabel('Password').fill('a long enough password');
      await page.getByRole('button', { name: 'Sign in' }).click();
      const beijing = page.getByRole('row', { name: /Beijing/ });
      const completeOf = async () => Number((await beijing.locator('td').first().textContent())?.trim());
      await expect.poll(completeOf, { timeout: 20_000 }).toBeGreaterThanOrEqual(0);
      const before = await completeOf();
      // a response arrives: the page shows it without a reload, within the stream's 2-second checks
      const fieldwork = new Fieldwork(store);
      const answers = {
        fw_resident: 'yes',
        city_adcode: '110100',
        age: 41,
        sex: 'male',
        infra: { INF1: 4, INF2: 2, INF3: 4 },
        gov: { GOV1: 4, GOV2: 4, GOV3: 4, GOV4: 4 },
        pub: { PUB1: 4, PUB2: 4, PUB3: 4, PUB4: 4, ATTN: 4 },
        life: { LIF1: 4, LIF2: 4, LIF3: 4, LIF4: 4 },
        OVR: 4,
      };
      const saved = await fieldwork.saveResponse({
        wave: 'w',
        city: '110100',
        responseId: randomUUID(),
        deviceKey: 'a-device-key-of-the-live-monitor-test',
        answers,
        pageTimes: {},
        language: 'en',
        complete: true,
      });
      expect(saved.status).toBe('complete');
      await expect.poll(completeOf, { timeout: 9_000 }).toBe(before + 1);
      expect(streams.some((a) => a.includes('text/event-stream'))).toBe(true);
      expect(await axe(page)).toEqual([]);
      await context.close();
    },
    120_000,
  );
});
