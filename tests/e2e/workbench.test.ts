/**
 * End to end: the workbench in headless Chromium against a real `cityindex serve` (child process) on a
 * temporary copy of examples/cdgi-2020 with its SQLite store. The first admin comes from the CLI
 * (`user add`, as the README says); in the browser the admin creates a city officer, a reviewer and an
 * author; the author builds and publishes the first edition; the officer enters a value with an error
 * (the server's error shows on that value), fixes it, saves and submits, and a stale second tab gets the
 * 409 message and the reloaded values; the reviewer sees the status by city and the flagged value, tries
 * a return without a comment, returns one value with a comment and approves the rest; the officer sees
 * the comment, corrects and resubmits; the reviewer approves; the author builds a draft and compares it
 * with the published edition (Hangzhou's rank and score change and why); audit (correlations, α) and
 * rank intervals; the officer's results and gaps. axe-core on every view (zero serious/critical), the
 * officer form at 390 px without horizontal overflow, screenshots in out/test-artifacts/workbench/.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer as netServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cronbachAlphaPairwise } from '../../src/engine/analysis/audit/cronbach.ts';
import { CHROMIUM_ARGS, chromiumPath } from '../../src/report/pdf.ts';
import { ARTIFACTS, axeViolations, freshAssets } from './site-harness.ts';
import { LiveSession } from '../../web/src/live.ts';
import { indexSite } from '../../web/src/site.ts';
import { fmtNum, fmtRank } from '../../web/src/workbench/context.ts';

const executablePath = chromiumPath();
if (!executablePath) process.stderr.write('workbench e2e: /usr/bin/chromium not found — browser tests skipped\n');
const browserIt = executablePath ? it : it.skip;

const SHOTS = join(ARTIFACTS, 'workbench');
const PASSWORD = 'workbench e2e password';
const CITY = '330100'; // 杭州市
const CLI = resolve('bin/cityindex.js');

/** This process's environment without DATABASE_URL: the store is the project's SQLite file. */
function sqliteEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.DATABASE_URL;
  return env;
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const s = netServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => done(port));
    });
  });
}

describe('the workbench on the platform', () => {
  let root: string;
  let project: string;
  let server: ChildProcess | undefined;
  let url: string;
  let browser: Browser;
  const log: string[] = [];

  beforeAll(async () => {
    if (!executablePath) return;
    await freshAssets();
    mkdirSync(SHOTS, { recursive: true });
    // the project with the files it names outside its folder (../../cases, ../../data/sources)
    root = mkdtempSync(join(tmpdir(), 'cityindex-wb-e2e-'));
    project = join(root, 'examples', 'cdgi-2020');
    cpSync('examples/cdgi-2020', project, { recursive: true, filter: (p) => !p.includes('.cityindex') });
    cpSync('cases', join(root, 'cases'), { recursive: true });
    cpSync('data/sources', join(root, 'data', 'sources'), { recursive: true });
    const add = spawnSync(process.execPath, [CLI, 'user', 'add', project, '--username', 'admin', '--role', 'admin'], {
      env: { ...sqliteEnv(), CITYINDEX_PASSWORD: PASSWORD },
      encoding: 'utf8',
      timeout: 180_000,
    });
    expect(add.status, add.stderr).toBe(0);
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    server = spawn(process.execPath, [CLI, 'serve', project, '--port', String(port)], {
      env: sqliteEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    await new Promise<void>((done, fail) => {
      const timer = setTimeout(() => fail(new Error(`serve did not start:\n${log.join('')}`)), 280_000);
      server!.stderr!.on('data', (b: Buffer) => {
        log.push(b.toString());
        if (log.join('').includes(`http://127.0.0.1:${port}/`)) {
          clearTimeout(timer);
          done();
        }
      });
      server!.once('exit', (code) => fail(new Error(`serve exited (${code}):\n${log.join('')}`)));
    });
    browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    if (server && server.exitCode === null) {
      const exited = new Promise((done) => server!.once('exit', done));
      server.kill('SIGTERM');
      await exited;
    }
    if (root) rmSync(root, { recursive: true, force: true });
  });

  /** A signed-in page of `who` (its own browser context: its own cookie). */
  async function signIn(who: string, hash = '', viewport = { width: 1280, height: 900 }): Promise<Page> {
    const context: BrowserContext = await browser.newContext({ viewport });
    const page = await context.newPage();
    page.setDefaultTimeout(90_000); // generous: the machine may be shared with other test runs
    page.on('pageerror', (e) => log.push(`page error (${who}): ${e.message}\n`));
    page.on('dialog', (d) => void d.accept());
    await page.goto(`${url}/#/workbench${hash}`);
    await page.getByLabel(/用户名|User name/).fill(who);
    await page.getByLabel(/密码|Password/).fill(PASSWORD);
    await page.getByRole('button', { name: /^(登录|Sign in)$/ }).click();
    await page.getByText(new RegExp(`(已登录：|Signed in: )${who}`)).waitFor();
    return page;
  }

  /** No serious or critical axe-core violation (WCAG 2 A/AA) on the page, which keeps its strict CSP. */
  async function noAxe(page: Page, what: string): Promise<void> {
    expect(await axeViolations(page), what).toEqual([]);
  }

  const item = (page: Page, code: string) => page.locator(`.wb-item[data-indicator="${code}"]`);
  const reviewRow = (page: Page, code: string) => page.locator(`[data-testid=review] tr[data-indicator="${code}"]`);

  browserIt(
    'officer, reviewer and author through a whole round',
    async () => {
      // ── before any publish: the public site is a polite notice whose staff link opens the workbench ─
      const visitor = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
      visitor.on('pageerror', (e) => log.push(`page error (visitor): ${e.message}\n`));
      await visitor.goto(`${url}/`);
      await visitor.getByText('本指数尚未发布任何版本').waitFor();
      await visitor.getByText('No edition of this index has been published yet').waitFor();
      await noAxe(visitor, 'no edition published yet');
      await visitor.getByRole('link', { name: /工作人员登录/ }).click();
      await visitor.getByLabel(/用户名|User name/).waitFor();
      await visitor.close();

      // ── admin: accounts, and the first edition published ────────────────────────────────────────
      const admin = await signIn('admin', '?lang=en');
      await noAxe(admin, 'status (admin, no round)');
      await admin.getByRole('link', { name: 'Accounts' }).click();
      for (const [name, role, cities] of [
        ['officer', 'city officer', CITY],
        ['reviewer', 'reviewer', ''],
        ['author', 'author', ''],
      ]) {
        await admin.getByLabel('User name').fill(name);
        await admin.getByLabel('First password (at least 12 characters)').fill(PASSWORD);
        await admin.getByLabel('Role').selectOption({ label: role });
        await admin.getByLabel('Cities (adcodes, comma-separated)').fill(cities);
        await admin.getByRole('button', { name: 'Create' }).click();
        await admin
          .getByRole('status')
          .filter({ hasText: `Account ${name} created.` })
          .waitFor();
      }
      await expect.poll(() => admin.locator('[data-testid=users] tbody tr').count()).toBe(4);
      await noAxe(admin, 'accounts');
      await admin.screenshot({ path: join(SHOTS, 'accounts.png'), fullPage: true });
      await admin.getByRole('link', { name: 'Data status' }).click();
      await admin.getByLabel('Round name').fill('2021');
      await admin.getByRole('button', { name: 'Open a new round' }).click();
      await admin.locator('[data-testid=status]').waitFor();

      const author = await signIn('author');
      await author.getByRole('link', { name: '版本与比较' }).click();
      await author.getByLabel('草稿名称').fill('2020');
      await author.getByRole('button', { name: '生成草稿版本' }).click();
      await author.getByText('已生成草稿版本 2020。').waitFor({ timeout: 180_000 });
      await author.getByRole('button', { name: /^发布/ }).click();
      await author.getByText('版本 2020 已发布。').waitFor();
      await noAxe(author, 'editions');

      // ── officer: a located error, fixed; a stale tab gets the 409 message ─────────────────────────
      const officer = await signIn('officer');
      await item(officer, 'INF_DF_COVERAGE').waitFor();
      await expect.poll(() => item(officer, 'INF_DF_COVERAGE').locator('.wb-previous').textContent()).toBe('310.4158');
      expect(await item(officer, 'INF_DF_COVERAGE').textContent()).toContain('index points');
      // every indicator of the framework, the not yet collected ones too (the platform gathers them)
      const nIndicators = await officer.locator('.wb-item').count();
      expect(nIndicators).toBeGreaterThan(10);
      const stale = await officer.context().newPage();
      await stale.goto(`${url}/#/workbench`);
      await item(stale, 'ADM_OSI_CITY').waitFor();
      await noAxe(officer, 'officer form');
      await officer.locator('#wb-v-INF_DF_COVERAGE').fill('32O');
      await officer.locator('#wb-v-ADM_OSI_CITY').fill('97.1');
      await officer.getByRole('button', { name: '保存草稿' }).click();
      const error = item(officer, 'INF_DF_COVERAGE').locator('.wb-row-error');
      await error.waitFor();
      expect(await error.textContent()).toMatch(/number/);
      expect(await item(officer, 'ADM_OSI_CITY').locator('.wb-row-error').count()).toBe(0);
      await officer.getByRole('alert').filter({ hasText: '有 1 处问题' }).waitFor();
      await officer.screenshot({ path: join(SHOTS, 'officer-error.png'), fullPage: true });
      await officer.locator('#wb-v-INF_DF_COVERAGE').fill('320');
      await officer.locator('#wb-v-LIF_DF_PAYMENT').fill('390');
      await officer.getByRole('button', { name: '保存草稿' }).click();
      await officer.getByText('草稿已保存。').waitFor();
      await expect.poll(() => item(officer, 'ADM_OSI_CITY').locator('.wb-status').textContent()).toBe('草稿');
      // the statistical bulletin behind a value: a text file is refused on its row, a PDF is kept and linked
      const coverage = item(officer, 'INF_DF_COVERAGE');
      await coverage.getByTestId('attach-INF_DF_COVERAGE').setInputFiles({
        name: 'bulletin.pdf',
        mimeType: 'application/pdf',
        buffer: Buffer.from('not a pdf at all'),
      });
      await expect.poll(() => coverage.locator('.wb-row-error').textContent()).toMatch(/PDF/);
      expect(await coverage.locator('.wb-attachment').count()).toBe(0);
      const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
      await coverage.getByTestId('attach-INF_DF_COVERAGE').setInputFiles({
        name: '2020年统计公报.pdf',
        mimeType: 'application/pdf',
        buffer: pdf,
      });
      await officer.getByText('附件已上传。').waitFor();
      const link = coverage.locator('a.wb-attachment');
      await link.waitFor();
      const href = await link.getAttribute('href');
      const got = await officer.evaluate(async (u) => {
        const r = await fetch(u!, { credentials: 'same-origin' });
        return { status: r.status, type: r.headers.get('content-type'), text: await r.text() };
      }, href);
      expect(got.status).toBe(200);
      expect(got.type).toMatch(/application\/pdf/);
      expect(got.text).toBe(pdf.toString());
      // the second tab still holds version 0 of ADM_OSI_CITY
      await stale.locator('#wb-v-ADM_OSI_CITY').fill('50');
      await stale.getByRole('button', { name: '保存草稿' }).click();
      await stale.getByRole('alert').filter({ hasText: '版本冲突' }).waitFor();
      await expect.poll(() => stale.locator('#wb-v-ADM_OSI_CITY').inputValue()).toBe('97.1');
      await stale.close();
      await officer.getByRole('button', { name: '提交审核' }).click();
      await officer.getByText('已提交审核。').waitFor();
      await expect.poll(() => officer.locator('.wb-s-submitted').count()).toBe(3);
      await officer.screenshot({ path: join(SHOTS, 'officer-submitted.png'), fullPage: true });

      // ── the officer form on a phone ───────────────────────────────────────────────────────────────
      const phone = await signIn('officer', '', { width: 390, height: 844 });
      await item(phone, 'INF_DF_COVERAGE').waitFor();
      expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await noAxe(phone, 'officer form at 390 px');
      await phone.screenshot({ path: join(SHOTS, 'officer-390.png'), fullPage: true });
      await phone.context().close();

      // ── reviewer: status by city, the flagged value, return one with a comment, approve the rest ──
      const reviewer = await signIn('reviewer');
      const row = reviewer.locator(`[data-testid=status] tr[data-unit="${CITY}"]`);
      await row.waitFor();
      expect(await row.locator('.wb-submitted').textContent()).toBe('3');
      expect(await row.locator('.wb-missing').textContent()).toBe(String(nIndicators - 3));
      await reviewer.getByLabel('筛选').selectOption('awaiting');
      await expect.poll(() => reviewer.locator('[data-testid=status] tbody tr').count()).toBe(1);
      await noAxe(reviewer, 'data status');
      await reviewer.screenshot({ path: join(SHOTS, 'status.png'), fullPage: true });
      await row.getByRole('link').click();
      await reviewRow(reviewer, 'INF_DF_COVERAGE').waitFor();
      // 320 is above every city's last value (the highest is 310.9118): flagged as outside the range
      expect(await reviewRow(reviewer, 'INF_DF_COVERAGE').locator('.wb-flag').textContent()).toMatch(/取值范围/);
      expect(await reviewRow(reviewer, 'ADM_OSI_CITY').locator('.wb-flag').count()).toBe(0);
      // the reviewer sees the officer's bulletin beside the value
      expect(await reviewRow(reviewer, 'INF_DF_COVERAGE').locator('a.wb-attachment').getAttribute('href')).toBe(href);
      expect(await reviewRow(reviewer, 'ADM_OSI_CITY').locator('a.wb-attachment').count()).toBe(0);
      expect(await reviewRow(reviewer, 'INF_DF_COVERAGE').locator('td').nth(2).textContent()).toBe('+3.1%');
      await noAxe(reviewer, 'review');
      await reviewer.getByRole('button', { name: '全部待审数值设为通过' }).click();
      await reviewRow(reviewer, 'INF_DF_COVERAGE').getByLabel('退回').check();
      await reviewer.getByRole('button', { name: '提交审核结论' }).click();
      await reviewer.getByRole('alert').filter({ hasText: '退回须填写意见' }).waitFor();
      await reviewRow(reviewer, 'INF_DF_COVERAGE').getByRole('textbox').fill('请核对统计公报：320 高于所有城市');
      await reviewer.getByRole('button', { name: '提交审核结论' }).click();
      await reviewer.getByText('已保存 3 项审核结论。').waitFor();
      await expect
        .poll(() => reviewRow(reviewer, 'INF_DF_COVERAGE').locator('.wb-status').textContent())
        .toBe('已退回');
      expect(await reviewRow(reviewer, 'ADM_OSI_CITY').locator('.wb-status').textContent()).toBe('已通过');
      await reviewer.screenshot({ path: join(SHOTS, 'review.png'), fullPage: true });

      // ── officer: sees the comment, corrects, resubmits ────────────────────────────────────────────
      await officer.reload();
      const returned = item(officer, 'INF_DF_COVERAGE');
      await returned.locator('[data-testid=returned-comment]').waitFor();
      expect(await returned.locator('[data-testid=returned-comment]').textContent()).toContain('请核对统计公报');
      expect(await officer.locator('#wb-v-ADM_OSI_CITY').isDisabled()).toBe(true);
      await officer.locator('#wb-v-INF_DF_COVERAGE').fill('310.9');
      await officer.getByRole('button', { name: '提交审核' }).click();
      await officer.getByText('已提交审核。').waitFor();
      await expect.poll(() => returned.locator('.wb-status').textContent()).toBe('重新提交');
      await officer.screenshot({ path: join(SHOTS, 'officer-resubmitted.png'), fullPage: true });

      // ── reviewer approves the resubmitted value ───────────────────────────────────────────────────
      await reviewer.reload();
      await reviewRow(reviewer, 'INF_DF_COVERAGE').getByLabel('通过').check();
      await reviewer.getByRole('button', { name: '提交审核结论' }).click();
      await reviewer.getByText('已保存 1 项审核结论。').waitFor();
      await expect
        .poll(() => reviewRow(reviewer, 'INF_DF_COVERAGE').locator('.wb-status').textContent())
        .toBe('已通过');

      // ── author: a draft from the approved values, compared with the published edition ─────────────
      await author.getByLabel('草稿名称').fill('2021 草稿');
      await author.getByRole('button', { name: '生成草稿版本' }).click();
      await author.getByText('已生成草稿版本 2021 草稿。').waitFor({ timeout: 180_000 });
      await author.getByRole('button', { name: '比较' }).click();
      const line = author.locator(`[data-testid=compare] tr[data-unit="${CITY}"]`);
      await line.waitFor();
      const api = await author.evaluate(async () => {
        const eds = (await (await fetch('/api/editions')).json()).editions as Array<{ id: number }>;
        return (await fetch(`/api/compare?from=${eds[0].id}&to=${eds[1].id}`)).json();
      });
      const hz = api.comparison.units.find((u: { unit: string }) => u.unit === CITY);
      const ix = hz.changes[0];
      expect(ix.delta).toBeGreaterThan(0); // three higher values, all approved
      expect(await line.locator('td').nth(0).textContent()).toBe(`${ix.rankFrom} → ${ix.rankTo}`);
      expect(await line.locator('.wb-delta').textContent()).toBe(`+${ix.delta.toFixed(2)}`);
      const driver = hz.drivers.find((d: { code: string }) => d.code === ix.code).driver;
      expect(['INFRA', 'ADMIN', 'LIFE']).toContain(driver);
      expect(await line.locator('td').nth(4).textContent()).toMatch(/（贡献 \+/);
      await noAxe(author, 'compare');
      await author.screenshot({ path: join(SHOTS, 'compare.png'), fullPage: true });

      // ── audit and sensitivity: correlations, α and rank intervals of the chosen edition ───────────
      await author.getByRole('link', { name: '审计与敏感性' }).click();
      await author.locator('[data-testid=correlations]').waitFor();
      const results = await author.evaluate(async () => {
        const eds = (await (await fetch('/api/editions')).json()).editions as Array<{ id: number }>;
        return (await (await fetch(`/api/editions/${eds[eds.length - 1].id}`)).json()).edition.results;
      });
      const dims = ['INFRA', 'ADMIN', 'PUBLIC', 'LIFE'].map((d) =>
        Float64Array.from(results.rows as unknown[][], (r) => r[results.header.indexOf(d)] as number),
      );
      const alpha = cronbachAlphaPairwise(dims);
      expect(await author.locator('[data-testid=alpha]').textContent()).toContain(String(Number(alpha.toFixed(4))));
      expect(await author.locator('[data-testid=correlations] tbody tr').count()).toBe(4);
      // the chosen edition (the draft) has its own rank intervals, rebuilt on the server from its frozen data
      type Intervals = Record<string, { q5: number; q95: number }>;
      const siteOf = (id: number) =>
        author.evaluate(async (e) => (await (await fetch(`/api/editions/${e}/site-data`)).json()).site, id);
      const eds = await author.evaluate(
        async () => (await (await fetch('/api/editions')).json()).editions as Array<{ id: number; status: string }>,
      );
      const [published, draft] = [eds.find((e) => e.status === 'published')!, eds[eds.length - 1]];
      expect(draft.status).toBe('draft');
      const shownIntervals = async (iv: Intervals) => {
        await author.locator('[data-testid=intervals]').waitFor({ timeout: 120_000 });
        const rows = author.locator('[data-testid=intervals] tbody tr');
        expect(await rows.count()).toBe(100);
        const hz = rows.filter({ hasText: '杭州' });
        expect(await hz.locator('td').first().textContent()).toBe(`${fmtRank(iv[CITY].q5)} – ${fmtRank(iv[CITY].q95)}`);
      };
      const draftSite = await siteOf(draft.id);
      await shownIntervals(draftSite.intervals as Intervals);
      // the published edition's, from the same route, are the public site's (built apart, by the site's own path)
      const publicSite = await author.evaluate(async () => {
        const js = await (await fetch('data/site-data.js')).text();
        return JSON.parse(
          js
            .slice(js.indexOf('=') + 1)
            .trim()
            .replace(/;$/, ''),
        ) as { intervals: Intervals };
      });
      const publishedSite = await siteOf(published.id);
      expect(publishedSite.intervals).toEqual(publicSite.intervals);
      expect(draftSite.intervals).not.toEqual(publishedSite.intervals); // Hangzhou's three higher values
      await author.getByRole('combobox', { name: /^版本/ }).selectOption(String(published.id));
      await shownIntervals(publishedSite.intervals as Intervals);
      await author.getByRole('combobox', { name: /^版本/ }).selectOption(String(draft.id));
      await shownIntervals(draftSite.intervals as Intervals);
      // Sobol' indices of the draft's dimension weights, in the page's engine worker, equal the engine in Node
      await author.getByRole('button', { name: '计算 Sobol 指数' }).click();
      await author.locator('[data-testid=sobol]').waitFor({ timeout: 120_000 });
      expect(await author.locator('[data-testid=sobol-status]').textContent()).toMatch(/已完成：1536 次重新计算/);
      const site = indexSite(draftSite as never);
      const ref = new LiveSession(site.data.live, site.aggregateCodes, site.weightLevel).weightSensitivity(256, 0.5);
      expect(ref.indices.map((x) => x.code)).toEqual(['INFRA', 'ADMIN', 'PUBLIC', 'LIFE']);
      for (const x of ref.indices) {
        const row = author.locator(`[data-testid=sobol] tr[data-code="${x.code}"]`);
        const iv = (v: number, i: [number, number] | null) => `${fmtNum(v)} [${fmtNum(i![0])}, ${fmtNum(i![1])}]`;
        expect(await row.locator('td.wb-si').textContent()).toBe(iv(x.Si, x.SiInterval));
        expect(await row.locator('td.wb-sti').textContent()).toBe(iv(x.STi, x.STiInterval));
      }
      await noAxe(author, 'audit and sensitivity');
      await author.screenshot({ path: join(SHOTS, 'analysis.png'), fullPage: true });
      // the same view on a phone: no horizontal overflow of the page (wide tables scroll inside their panel)
      const desktop = author.viewportSize()!;
      await author.setViewportSize({ width: 390, height: 844 });
      expect(await author.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await author.screenshot({ path: join(SHOTS, 'analysis-390.png'), fullPage: true });
      await author.setViewportSize(desktop);

      // ── the officer's results and gaps (the published edition) ────────────────────────────────────
      await officer.getByRole('link', { name: '本市结果' }).click();
      await officer.locator('[data-testid=city-results]').waitFor();
      expect(await officer.locator('[data-testid=city-results] tbody tr').count()).toBe(5);
      await noAxe(officer, 'city results');
      await officer.screenshot({ path: join(SHOTS, 'city-results.png'), fullPage: true });

      expect(log.filter((l) => l.startsWith('page error'))).toEqual([]);
    },
    600_000,
  );
});
