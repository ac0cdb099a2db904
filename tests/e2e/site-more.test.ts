/**
 * End to end, the dashboard's later views (issue 13): the regional findings on the overview equal the
 * engine's in Node, for the published results and for re-weighted ones; the advanced re-weighting
 * (indicator weights, z-scores, geometric mean) shows the scores and ranks of a plain engine build of the
 * project with the same settings, and "reset to published" clears them; the downloads list the PDF
 * report (exported with `pdf: true`, printed by Chromium) and the project zip; tier names follow the
 * page's language (第一档 … / Tier 1 …); axe-core on the overview with every panel open.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromiumPath, launchChromium, type HeadlessBrowser } from '../../src/report/pdf.ts';
import { siteArtifacts, type SiteData } from '../../src/app/site.ts';
import { writeArtifacts } from '../../src/app/node-host.ts';
import { siteAssetFiles } from '../../src/cli/commands/site.ts';
import { column } from '../../src/engine/core/dataset.ts';
import type { Build } from '../../src/engine/pipeline/build.ts';
import { regionalFindings } from '../../web/src/regional.ts';
import type { LiveSettings } from '../../web/src/choices.ts';
import { ARTIFACTS, axeViolations, freshAssets, openPage } from './site-harness.ts';
import { referenceBuild } from './site-reference.ts';

const hasChromium = chromiumPath() !== undefined;
if (!hasChromium) console.warn('site-more e2e: /usr/bin/chromium not found — browser tests skipped');
const browserIt = hasChromium ? it : it.skip;

let dir: string;
let site: SiteData;
let published: Build;
let browser: HeadlessBrowser | undefined;

beforeAll(async () => {
  await freshAssets();
  dir = join(mkdtempSync(join(tmpdir(), 'site-more-')), 'site');
  const out = await siteArtifacts('examples/cdgi-2020', { pdf: hasChromium });
  site = out.site;
  published = out.run.build;
  for (const [name, content] of await siteAssetFiles()) out.files.set(name, content);
  await writeArtifacts(dir, out.files);
  if (hasChromium) browser = await launchChromium();
}, 600_000);

afterAll(async () => {
  await browser?.close();
});

const rowsOf = (page: import('playwright-core').Page) =>
  page.$$eval('[data-testid=ranking] tbody tr', (trs) =>
    trs.map((tr) => ({
      unit: (tr as HTMLElement).dataset.unit!,
      rank: tr.querySelector('.rank')!.textContent!,
      score: tr.querySelector('.score')!.textContent!,
    })),
  );

const findingsOf = (page: import('playwright-core').Page) =>
  page.$$eval('[data-testid=regional-findings] li', (lis) =>
    Object.fromEntries(lis.map((li) => [(li as HTMLElement).dataset.id!, li.textContent!])),
  );

describe('regional findings on the overview', () => {
  browserIt('equal the engine’s for the published results, and follow a re-weighting', async () => {
    const { page, errors, refused } = await openPage(browser!, dir);
    await page.waitForSelector('[data-testid=regional-findings] li');
    const expected = regionalFindings(published, site.analyses)!;
    expect(expected.sentences.length).toBeGreaterThanOrEqual(5);
    const shown = await findingsOf(page);
    for (const s of expected.sentences) expect(shown[s.id], s.id).toBe(s.text.zh);
    expect(shown['compare-region-东部-西部']).toMatch(/^东部平均 \d+\.\d，高于西部/);
    await page.screenshot({ path: join(ARTIFACTS, 'site-regional.png'), fullPage: true });

    // weight one dimension heavily: the findings are recomputed from the re-weighted results
    const settings: LiveSettings = { weights: { [site.levels[1].codes[0]]: 5 } };
    await page.goto(page.url().split('#')[0] + `#/overview?lang=en&w=${site.levels[1].codes[0]}:5`);
    await page.waitForFunction(() =>
      document.querySelector('[data-testid=regional-findings]')?.getAttribute('data-key')?.startsWith('{'),
    );
    const ref = regionalFindings(await referenceBuild('examples/cdgi-2020', settings), site.analyses)!;
    const live = await findingsOf(page);
    const below = ref.sentences.find((s) => s.id === 'below-mean')!;
    expect(live['below-mean']).toBe(below.text.en);
    expect(live['below-mean']).not.toBe(expected.sentences.find((s) => s.id === 'below-mean')!.text.en);
    for (const s of ref.sentences) expect(live[s.id], s.id).toBe(s.text.en);
    expect(refused).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('advanced re-weighting', () => {
  browserIt(
    'indicator weights + z-scores + geometric mean: the table equals a plain engine build; reset clears',
    async () => {
      const indicators = site.live.input.framework.nodes.filter((n) => n.level === 1).map((n) => n.code);
      const settings: LiveSettings = {
        weights: { [site.levels[1].codes[1]]: 2 },
        indicators: { [indicators[0]]: 3, [indicators[1]]: 0 },
        normalise: 'zScore',
        aggregate: 'geometric',
      };
      const hash =
        `#/overview?w=${site.levels[1].codes[1]}:2&iw=${indicators[0]}:3,${indicators[1]}:0` +
        '&norm=zScore&agg=geometric';
      const { page, errors } = await openPage(browser!, dir, hash);
      await page.waitForFunction(() =>
        document.querySelector('[role=status][aria-live]')?.textContent?.includes('毫秒'),
      );
      expect(await page.inputValue('[data-testid=advanced] select >> nth=0')).toBe('zScore');
      expect(await page.inputValue(`#iw-${indicators[0]}`)).toBe('3');
      const ref = await referenceBuild('examples/cdgi-2020', settings);
      const ix = site.indexCode;
      const s = column(ref.results.scores, ix);
      const r = column(ref.results.ranks, ix);
      const rows = await rowsOf(page);
      expect(rows.length).toBe(100);
      let moved = 0;
      for (const row of rows) {
        const j = ref.results.scores.unitCodes.indexOf(row.unit);
        expect(row.rank, row.unit).toBe(String(r[j]));
        expect(row.score, row.unit).toBe(s[j].toFixed(2));
        if (String(site.results.ranks[ix][site.results.units.indexOf(row.unit)]) !== row.rank) moved++;
      }
      expect(moved).toBeGreaterThan(10);
      // the keyboard moves an indicator slider and the URL follows
      await page.focus(`#iw-${indicators[2]}`);
      await page.keyboard.press('ArrowRight');
      await page.waitForFunction((c) => decodeURIComponent(location.hash).includes(`${c}:`), indicators[2]);
      await page.screenshot({ path: join(ARTIFACTS, 'site-advanced.png'), fullPage: true });
      await page.click('text=恢复发布权重');
      await page.waitForFunction(() => !/[?&](w|iw|norm|agg)=/.test(location.hash));
      await page.waitForFunction(
        (first) => document.querySelector('[data-testid=ranking] tbody tr')?.getAttribute('data-unit') === first,
        site.results.units[0],
      );
      const back = await rowsOf(page);
      back.forEach((row, i) => expect(row.score).toBe(site.results.scores[ix][i]!.toFixed(2)));
      expect(errors).toEqual([]);
      await page.close();
    },
  );

  browserIt('a combination the engine refuses shows its error, not stale numbers', async () => {
    const { page } = await openPage(browser!, dir, '#/overview?norm=percentileRank&agg=harmonic&lang=en');
    await page.waitForFunction(() =>
      document.querySelector('[role=status][aria-live]')?.textContent?.includes('Something went wrong'),
    );
    expect(await page.textContent('[role=status][aria-live]')).toContain('harmonic');
    await page.close();
  });
});

describe('downloads and tiers', () => {
  browserIt('the downloads list the PDF report and the project zip; both are real files', async () => {
    expect(site.downloads).toEqual(expect.arrayContaining(['report.pdf', 'report.en.pdf', 'project.zip']));
    expect(readFileSync(join(dir, 'downloads/report.pdf')).subarray(0, 5).toString()).toBe('%PDF-');
    expect(readFileSync(join(dir, 'downloads/project.zip')).subarray(0, 2).toString()).toBe('PK');
    const { page } = await openPage(browser!, dir, '#/downloads?lang=en');
    await page.waitForSelector('[data-testid=downloads]');
    const links = await page.$$eval('[data-testid=downloads] a', (as) =>
      as.map((a) => [a.getAttribute('href'), a.textContent]),
    );
    expect(links).toContainEqual(['downloads/report.pdf', 'Report (PDF)']);
    expect(links).toContainEqual(['downloads/project.zip', 'Project folder (ZIP: every input file of the project)']);
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  });

  browserIt('tier labels come from the catalogue in the page’s language', async () => {
    const { page } = await openPage(browser!, dir);
    const tierCol = () =>
      page.$$eval('[data-testid=ranking] tbody tr td:last-child', (tds) => [...new Set(tds.map((x) => x.textContent))]);
    const zh = await tierCol();
    expect(zh.sort()).toEqual(['第一档', '第二档', '第三档', '第四档'].sort());
    // a <label> wrapping a <select> takes the selected option's text into its accessible name, so the select
    // is found inside its label rather than by the label's full name
    const tierSelect = (name: string) => page.locator('.filters label', { hasText: name }).locator('select');
    const options = await tierSelect('分档').locator('option').allTextContents();
    expect(options).toEqual(expect.arrayContaining(['第一档', '第四档']));
    await page.click('button.lang');
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    expect((await tierCol()).sort()).toEqual(['Tier 1', 'Tier 2', 'Tier 3', 'Tier 4']);
    // filtering by a tier (its label key) keeps the cities of that tier
    await tierSelect('Tier').selectOption({ label: 'Tier 1' });
    await page.waitForFunction(() => location.hash.includes('f.tier='));
    expect(await tierCol()).toEqual(['Tier 1']);
    // the profile names the tier in the page's language; one period: no change-over-time section
    await page.goto(page.url().split('#')[0] + '#/city/330100?lang=zh');
    await page.waitForSelector('[data-testid=lineage]');
    expect(await page.textContent('main')).toContain('分档: 第一档');
    expect(await page.locator('[data-testid=change]').count()).toBe(0);
    await page.close();
  });

  browserIt(
    'axe-core: overview with the advanced panel open and the regional findings: no serious violation',
    async () => {
      const { page } = await openPage(browser!, dir, '#/overview?w=INFRA:3');
      await page.waitForSelector('[data-testid=regional-findings] li');
      await page.$eval('[data-testid=advanced]', (d) => ((d as HTMLDetailsElement).open = true));
      expect(await axeViolations(page)).toEqual([]);
      await page.close();
    },
  );
});
