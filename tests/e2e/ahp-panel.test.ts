/**
 * The expert AHP panel in headless Chromium at a phone's width (390 px), on the ASEM example: an expert
 * signs in, answers the ten comparisons under "Environ" with the keyboard (one judgement reversed), sees
 * the live CR warning computed by the engine in the page and the most inconsistent judgement highlighted
 * with the engine's suggestion, takes the suggestion, and submits; the stored judgement and CR are the
 * engine's. The author's view shows the AIJ weights and makes a draft edition. axe-core finds no serious
 * or critical violation. The pages are built first when web-survey/dist is missing.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ahpConsistency, mostInconsistentJudgements } from '../../src/engine/survey/ahp-group.ts';
import { answerOfEntry, panelMatrix, type PanelGroup } from '../../src/engine/survey/ahp-panel.ts';
import { CHROMIUM_ARGS, chromiumPath } from '../../src/report/pdf.ts';
import { createServer } from '../../src/server/app.ts';
import { addPanelExpert, openPanel, type PanelInfo } from '../../src/store/expert-panel.ts';
import { systemPrincipal } from '../../src/store/principal.ts';
import { importProjectFolder } from '../../src/store/project-io.ts';
import { Store } from '../../src/store/store.ts';
import { axeViolations } from './site-harness.ts';

const executablePath = chromiumPath();
if (!executablePath) process.stderr.write('ahp-panel e2e: /usr/bin/chromium not found — browser tests skipped\n');
const browserIt = executablePath ? it : it.skip;
const PASSWORD = 'a long enough password';
const CODES = ['Renew', 'PrimEner', 'CO2', 'MatCon', 'Forest'];
const pair = (a: string, b: string) => `ahp__Environ__${a}__${b}`;

/** Consistent with priorities 5 : 4 : 3 : 2 : 1 (rounded), except CO2 vs Forest: Forest 5× instead of CO2 3×. */
function inconsistentAnswers(): Record<string, number> {
  const w = [5, 4, 3, 2, 1];
  const out: Record<string, number> = {};
  for (let i = 0; i < 5; i++)
    for (let j = i + 1; j < 5; j++) {
      const r = Math.round(w[i] / w[j]);
      out[pair(CODES[i], CODES[j])] = r <= 1 ? 1 : r;
    }
  out[pair('CO2', 'Forest')] = -5;
  return out;
}

describe('expert AHP panel in the browser', () => {
  let dir: string;
  let store: Store;
  let app: FastifyInstance;
  let url: string;
  let browser: Browser;
  let panel: PanelInfo;
  let group: PanelGroup;

  beforeAll(async () => {
    if (!executablePath) return;
    if (!existsSync('web-survey/dist/index.html'))
      execFileSync('npm', ['run', 'build:survey-web'], { stdio: 'ignore', timeout: 180_000 });
    dir = mkdtempSync(join(tmpdir(), 'cityindex-ahp-e2e-'));
    store = await Store.open({ sqliteFile: join(dir, 'store.db') }, { scryptN: 2 ** 10 });
    const cli = systemPrincipal('test');
    const project = await importProjectFolder(store, cli, 'examples/asem');
    await store.createUser(cli, { username: 'author1', password: PASSWORD, role: 'author' });
    await store.createUser(cli, { username: 'wang.expert', password: PASSWORD, role: 'expert' });
    panel = await openPanel(store, cli, project, { title: 'Sustainability weights', parents: ['Environ'] });
    group = panel.groups[0];
    await addPanelExpert(store, cli, panel.id, 'wang.expert');
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

  async function signIn(page: Page, username: string, zh: boolean): Promise<void> {
    await page.getByLabel(zh ? '用户名' : 'User name').fill(username);
    await page.getByLabel(zh ? '密码' : 'Password').fill(PASSWORD);
    await page.getByRole('button', { name: zh ? '登录' : 'Sign in' }).click();
  }

  /** Set a pair with the keyboard: k > 1 → ArrowLeft k − 1 times; −k → ArrowRight; 1 → Enter. */
  async function answerByKeyboard(page: Page, name: string, answer: number): Promise<void> {
    const slider = page.locator(`[data-pair="${name}"] input[type=range]`);
    await slider.focus();
    if (answer === 1) await page.keyboard.press('Enter');
    for (let k = 1; k < Math.abs(answer); k++) await page.keyboard.press(answer > 0 ? 'ArrowLeft' : 'ArrowRight');
  }

  const stored = () =>
    store.db.selectFrom('ahp_judgements').select(['answers', 'cr', 'status', 'justification']).executeTakeFirst();

  browserIt(
    'an expert answers an inconsistent set, sees the CR warning and the worst judgement, fixes it, submits',
    async () => {
      const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${url}/survey/panel/${panel.id}?lang=zh`);
      await signIn(page, 'wang.expert', true);
      await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toContain('专家权重判断');
      await expect.poll(() => page.locator('.cr').textContent()).toContain('答完本组全部 10 项比较');
      expect(await axe(page)).toEqual([]);

      const answers = inconsistentAnswers();
      for (const [name, answer] of Object.entries(answers)) await answerByKeyboard(page, name, answer);
      // the page's CR is the engine's on the same judgements
      const matrix = panelMatrix(group, answers)!;
      const engine = ahpConsistency(matrix);
      expect(engine.cr).toBeGreaterThan(0.1);
      await expect.poll(() => page.locator('.cr').textContent()).toContain(`CR = ${engine.cr.toFixed(3)}`);
      await expect.poll(() => page.locator('.cr').getAttribute('class')).toBe('cr high');
      // the most inconsistent judgement, highlighted with the engine's suggestion
      const [worst] = mostInconsistentJudgements(matrix, CODES, 1, engine.weights);
      expect([worst.row, worst.column]).toEqual(['CO2', 'Forest']);
      const highlighted = page.locator('.pair.worst');
      await expect.poll(() => highlighted.count()).toBe(1);
      expect(await highlighted.getAttribute('data-pair')).toBe(pair('CO2', 'Forest'));
      expect(await highlighted.locator('.suggest').textContent()).toContain('最不一致');
      const submit = page.getByRole('button', { name: '提交本组' });
      expect(await submit.isDisabled()).toBe(true);
      // saved as they go: the draft on the server carries the same CR
      await expect.poll(async () => (await stored())?.cr).toBe(engine.cr);
      expect((await stored())?.status).toBe('draft');
      expect(await axe(page)).toEqual([]);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await page.screenshot({ path: 'out/test-artifacts/ahp-panel-warning.png', fullPage: true });

      // take the suggestion: CR falls to the engine's value for the fixed set, and submitting is allowed
      await highlighted.getByRole('button', { name: '采用建议值' }).click();
      const fixed = { ...answers, [pair('CO2', 'Forest')]: answerOfEntry(worst.suggested) };
      const after = ahpConsistency(panelMatrix(group, fixed)!).cr;
      expect(after).toBeLessThanOrEqual(0.1);
      await expect.poll(() => page.locator('.cr').textContent()).toContain(`CR = ${after.toFixed(3)}`);
      await expect.poll(() => page.locator('.pair.worst').count()).toBe(0);
      await expect.poll(() => submit.isDisabled()).toBe(false);
      await submit.click();
      await expect.poll(() => page.locator('.done').textContent()).toBe('本组已提交，谢谢！');
      const row = await stored();
      expect(row).toMatchObject({ status: 'submitted', justification: null, cr: after });
      expect(JSON.parse(row!.answers)).toEqual(fixed);
      expect(await axe(page)).toEqual([]);
      // English, and a reload shows the submitted state
      await page.goto(`${url}/survey/panel/${panel.id}?lang=en`);
      await expect.poll(() => page.locator('.done').textContent()).toBe('This group is submitted — thank you!');
      expect(await page.locator('[data-pair] input[type=range]').first().isDisabled()).toBe(true);
      expect(errors).toEqual([]);
      await context.close();
    },
    180_000,
  );

  browserIt(
    "the author's view: AIJ/AIP weights with their spread, and a draft edition in one click",
    async () => {
      const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
      const page = await context.newPage();
      // the list of panels, with the form that opens one on chosen parent nodes
      await page.goto(`${url}/survey/panel?lang=en`);
      await signIn(page, 'author1', false);
      await expect.poll(() => page.getByRole('listitem').first().textContent()).toContain('Sustainability weights');
      expect(await axe(page)).toEqual([]);
      await page.getByLabel('Title').fill('Social weights');
      for (const box of await page.getByRole('checkbox').all()) await box.uncheck();
      await page.getByRole('checkbox', { name: /^Social/ }).check();
      await page.getByRole('button', { name: 'Open the panel' }).click();
      await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toContain('Social weights');
      const opened = await store.db
        .selectFrom('ahp_panels')
        .select(['title', 'groups'])
        .where('id', '>', panel.id)
        .execute();
      expect(opened.map((p) => [p.title, JSON.parse(p.groups).map((g: PanelGroup) => g.parent)])).toEqual([
        ['Social weights', ['Social']],
      ]);
      await page.goto(`${url}/survey/panel/${panel.id}/results?lang=en`);
      await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toContain('Expert panel results');
      const row = await stored();
      const w = ahpConsistency(panelMatrix(group, JSON.parse(row!.answers))!).weights;
      const renew = page.getByRole('row', { name: /^Renew|Renewable/ }).first();
      await expect.poll(() => renew.textContent()).toContain(`${(100 * w[0]).toFixed(1)}%`);
      expect(await axe(page)).toEqual([]);
      await page.getByRole('button', { name: 'With AIJ' }).click();
      await expect.poll(() => page.getByRole('status').last().textContent()).toMatch(/^Draft edition #\d+/);
      const editions = await store.db.selectFrom('editions').select(['name', 'status']).execute();
      expect(editions).toEqual([{ name: 'Sustainability weights — AHP AIJ', status: 'draft' }]);
      // closing the panel: confirmed, then the view says closed, by whom, and offers no more invitations
      await expect.poll(() => page.getByTestId('panel-state').textContent()).toMatch(/^The panel is open/);
      page.once('dialog', (d) => void d.accept());
      await page.getByRole('button', { name: 'Close the panel' }).click();
      await expect
        .poll(() => page.getByTestId('panel-state').textContent())
        .toMatch(/^The panel was closed on \d{4}-\d\d-\d\d \d\d:\d\d by author1/);
      expect(await page.getByRole('button', { name: 'Invite an expert' }).count()).toBe(0);
      expect(
        (await store.db.selectFrom('ahp_panels').select('status').where('id', '=', panel.id).execute())[0],
      ).toEqual({
        status: 'closed',
      });
      expect(await axe(page)).toEqual([]);
      await context.close();
    },
    180_000,
  );
});
