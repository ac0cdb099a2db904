/**
 * The dashboard's governance KPI view (issue 15 item 4), in Chromium from the static export of the real Boston
 * 311 example: `#/kpi` (in the navigation only when the project has KPIs) shows the report's KPI pages — the
 * monthly trends as images, the district league table whose values are kpis.csv's, every formula — in both
 * languages, with no request outside the export, zero serious axe violations and no horizontal overflow at
 * 390 px; a district's profile links to it; a log marked simulated carries the SIMULATED banner.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { chromiumPath, launchChromium, type HeadlessBrowser } from '../../src/report/pdf.ts';
import type { SiteData } from '../../src/app/site.ts';
import { ARTIFACTS, axeViolations, exportSite, goView, openPage } from './site-harness.ts';

const hasChromium = chromiumPath() !== undefined;
if (!hasChromium) console.warn('site-kpi e2e: /usr/bin/chromium not found — browser tests skipped');
const browserIt = hasChromium ? it : it.skip;
const PROJECT = 'examples/service-requests-311';

let dir: string;
let site: SiteData;
let simulatedDir: string;
let browser: HeadlessBrowser | undefined;

beforeAll(async () => {
  ({ dir, site } = await exportSite(PROJECT, false));
  // a copy whose Boston log is marked simulated, to see the banner (the real log is not simulated)
  const copy = join(mkdtempSync(join(tmpdir(), 'site-kpi-sim-')), 'project');
  cpSync(PROJECT, copy, { recursive: true });
  const yaml = readFileSync(join(copy, 'project.yaml'), 'utf8');
  const marked = yaml.replace(
    '    city: { code: US-BOS, name: { zh: 波士顿, en: Boston } }\n',
    '    city: { code: US-BOS, name: { zh: 波士顿, en: Boston } }\n    simulated: true\n',
  );
  expect(marked).not.toBe(yaml);
  writeFileSync(join(copy, 'project.yaml'), marked);
  simulatedDir = (await exportSite(copy, false)).dir;
  if (hasChromium) browser = await launchChromium();
}, 600_000);

afterAll(async () => {
  await browser?.close();
});

describe('KPI view', () => {
  it('the export names the KPI pages and writes them in both languages', () => {
    expect(site.kpi?.html).toBe('data/kpi-pages.js');
    expect(site.kpi?.units).toContain('BOS-D1');
    const text = readFileSync(join(dir, 'data/kpi-pages.js'), 'utf8');
    expect(text.startsWith('globalThis.__CITYINDEX_KPI_HTML__ = ')).toBe(true);
    // charts as images (no inline SVG styles for a strict Content-Security-Policy), no script inside
    expect(text).toContain('data:image/svg+xml');
    expect(text).not.toMatch(/\\u003cscript/i);
  });

  browserIt(
    'shows trends, the district league table of kpis.csv and the formulas, in zh and en, on a phone too',
    async () => {
      const { page, refused, errors } = await openPage(browser!, dir, '#/overview');
      // in the navigation
      await page.getByRole('link', { name: '工单绩效' }).click();
      const pages = page.getByTestId('kpi-pages');
      await pages.locator('figure img').first().waitFor();
      const figures = await pages.locator('figure[data-kpi]').count();
      expect(figures).toBeGreaterThanOrEqual(3);
      for (const alt of await pages.locator('figure img').evaluateAll((imgs) => imgs.map((i) => i.getAttribute('alt'))))
        expect(alt).toMatch(/\S/);
      // every chart image decoded (a broken data address would have no width)
      const widths = await pages.locator('figure img').evaluateAll((imgs) =>
        Promise.all(
          (imgs as HTMLImageElement[]).map((i) =>
            i.decode().then(
              () => i.naturalWidth,
              () => 0,
            ),
          ),
        ),
      );
      expect(widths, JSON.stringify(widths)).toEqual(widths.map(() => 880));
      // the Boston district table: nine districts ranked by on-time rate, values those of kpis.csv
      const rows = parse(readFileSync(join(PROJECT, 'kpi/boston-2015h1/kpis.csv')), { columns: true }) as Array<
        Record<string, string>
      >;
      const onTime = rows
        .filter((r) => r.kpi === 'on_time_rate' && r.level === 'district' && r.period === '2015')
        .sort((a, b) => Number(b.value) - Number(a.value));
      const boston = pages.locator('[data-caselog="boston-2015h1"]');
      const shown = await boston.locator('.kpi-districts tbody tr').evaluateAll((trs) =>
        trs.map((tr) => {
          const cells = [...tr.querySelectorAll('td')];
          const onTimeCell = cells.find((c) => /按时办结率/.test(c.getAttribute('data-label') ?? ''));
          return onTimeCell?.querySelector('[data-value]')?.getAttribute('data-value');
        }),
      );
      expect(shown).toEqual(onTime.map((r) => r.value));
      expect(await boston.locator('dl.kpi-defs dt').count()).toBeGreaterThanOrEqual(3);
      expect(await pages.textContent()).toContain('按时办结率');
      expect(await pages.locator('[data-simulated]').count()).toBe(0);
      expect(await axeViolations(page)).toEqual([]);
      await page.screenshot({ path: join(ARTIFACTS, 'site-kpi-zh.png'), fullPage: true });
      // English
      await goView(page, '#/kpi?lang=en');
      await expect.poll(() => pages.textContent()).toContain('On-time closure rate');
      expect(await pages.locator('h2').first().textContent()).toBe('Governance KPIs from service case logs');
      expect(await axeViolations(page)).toEqual([]);
      expect(refused).toEqual([]);
      expect(errors).toEqual([]);
      await page.close();
      // a phone
      const phone = await openPage(browser!, dir, '#/kpi', { width: 390, height: 844 });
      await phone.page.getByTestId('kpi-pages').locator('figure img').first().waitFor();
      expect(await phone.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await phone.page.screenshot({ path: join(ARTIFACTS, 'site-kpi-390.png'), fullPage: true });
      await phone.page.close();
    },
    300_000,
  );

  browserIt('a district profile links to the KPI view', async () => {
    const { page } = await openPage(browser!, dir, '#/city/BOS-D1');
    await page.getByRole('link', { name: /工单绩效指标/ }).click();
    await page.getByTestId('kpi-pages').locator('figure img').first().waitFor();
    expect(await page.evaluate(() => location.hash)).toMatch(/^#\/kpi/);
    await page.close();
  });

  browserIt('a simulated log carries the banner', async () => {
    const { page } = await openPage(browser!, simulatedDir, '#/kpi');
    const sim = page.getByTestId('kpi-pages').locator('[data-caselog="boston-2015h1"][data-simulated="true"]');
    await sim.waitFor();
    expect(await sim.locator('.alert').textContent()).toContain('模拟数据');
    await goView(page, '#/kpi?lang=en');
    await expect.poll(() => sim.locator('.alert').textContent()).toContain('SIMULATED');
    await page.close();
  });
});
