/**
 * End to end: the public dashboard of examples/cdgi-2020, exported as a static site (`siteArtifacts` +
 * the built assets, as `cityindex export-site` writes it) and opened from files in headless Chromium
 * with every request outside the folder refused. Overview → filter → map click → profile; re-weighting
 * by keyboard and by drag (ranks change, URL updated, reload restores); what-if; zh ↔ en; a 390-px
 * phone without horizontal overflow; axe-core on every view; the numbers shown equal results.csv.
 * Screenshots go to out/test-artifacts/. Skips (with a message) only when /usr/bin/chromium is absent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { chromiumPath, launchChromium, type HeadlessBrowser } from '../../src/report/pdf.ts';
import type { SiteData } from '../../src/app/site.ts';
import { readdirSync, statSync } from 'node:fs';
import { createServer } from '../../src/server/app.ts';
import { Store } from '../../src/store/store.ts';
import { systemPrincipal } from '../../src/store/principal.ts';
import { ARTIFACTS, axeViolations, exportSite, goView, openPage } from './site-harness.ts';

const hasChromium = chromiumPath() !== undefined;
if (!hasChromium)
  console.warn('site e2e: /usr/bin/chromium not found — dashboard browser tests skipped (apt-get install chromium)');
const browserIt = hasChromium ? it : it.skip;

/** Initial JavaScript budget of the overview (gzip): the page and its charts; map data comes separately. */
const INITIAL_JS_BUDGET = 300_000;

let dir: string;
let site: SiteData;
let browser: HeadlessBrowser | undefined;

beforeAll(async () => {
  ({ dir, site } = await exportSite('examples/cdgi-2020'));
  mkdirSync(ARTIFACTS, { recursive: true });
  if (hasChromium) browser = await launchChromium();
}, 300_000);

afterAll(async () => {
  await browser?.close();
});

const shot = (name: string) => join(ARTIFACTS, `site-${name}.png`);

describe('static export', () => {
  it('has the page, the data, the map and the downloads; initial JS of the overview ≤ 300 kB gzip', () => {
    const gz = (f: string) => gzipSync(readFileSync(join(dir, f))).length;
    const initial = gz('assets/app.js') + gz('assets/charts.js');
    expect(initial).toBeLessThanOrEqual(INITIAL_JS_BUDGET);
    // the map data and the engine are separate files, loaded when needed
    expect(gz('data/china-map.js')).toBeGreaterThan(50_000);
    expect(readFileSync(join(dir, 'assets/app.js'), 'utf8')).not.toContain('"arcs"');
    for (const f of ['downloads/results.csv', 'downloads/results.xlsx', 'downloads/report.html']) {
      expect(site.downloads).toContain(f.slice('downloads/'.length));
      expect(readFileSync(join(dir, f)).length).toBeGreaterThan(1000);
    }
  });
});

describe('dashboard in Chromium, opened from files', () => {
  browserIt('shows every rank and score of results.csv (published weights)', async () => {
    const { page, refused, errors } = await openPage(browser!, dir);
    const rows = await page.$$eval('[data-testid=ranking] tbody tr', (trs) =>
      trs.map((tr) => ({
        unit: (tr as HTMLElement).dataset.unit,
        rank: tr.querySelector('.rank')!.textContent,
        score: tr.querySelector('.score')!.textContent,
      })),
    );
    const csv = parse(readFileSync(join(dir, 'downloads/results.csv'), 'utf8').replace(/^\ufeff/, '')) as string[][];
    const [header, ...body] = csv;
    const ix = site.indexCode;
    const si = header.indexOf(ix);
    const ri = header.indexOf(`${ix}_rank`);
    expect(rows.length).toBe(body.length);
    rows.forEach((r, i) => {
      expect(r.unit).toBe(body[i][0]);
      expect(r.rank).toBe(body[i][ri]);
      expect(r.score).toBe(Number(body[i][si]).toFixed(2));
    });
    expect(refused).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  browserIt('overview → filter → search → map click → profile (lineage, interval, imputed marked)', async () => {
    const { page, refused, errors } = await openPage(browser!, dir);
    await page.selectOption('select:near(:text("地区"))', '东部');
    await page.waitForFunction(() => location.hash.includes('f.region='));
    const regions = await page.$$eval('[data-testid=ranking] tbody tr', (trs) =>
      trs.map((tr) => (tr as HTMLElement).dataset.unit),
    );
    const east = site.units.filter((u) => u.groups.region === '东部').map((u) => u.code);
    expect(new Set(regions)).toEqual(new Set(east));
    await page.fill('input[type=search]', 'hz');
    await page.waitForFunction(() => location.hash.includes('q=hz'));
    const found = await page.$$eval('[data-testid=ranking] tbody tr', (trs) =>
      trs.map((tr) => (tr as HTMLElement).dataset.unit),
    );
    expect(found).toContain('330100'); // 杭州 (hangzhou, initials hz)
    await page.fill('input[type=search]', '');
    // the map: find 杭州's pixel through ECharts and click it
    await page.waitForSelector('[data-testid=map] canvas');
    await page.screenshot({ path: shot('overview'), fullPage: true });
    await page.locator('[data-testid=map]').scrollIntoViewIfNeeded();
    const hz = site.live.input.units.find((u) => u.code === '330100')!;
    const point = await page.evaluate(
      ([lon, lat]) => {
        const api = (
          globalThis as unknown as { __CITYINDEX_CHARTS__: { echarts: { getInstanceByDom(el: Element): any } } }
        ).__CITYINDEX_CHARTS__;
        const el = document.querySelector('[data-testid=map]')!;
        const chart = api.echarts.getInstanceByDom(el);
        const [x, y] = chart.convertToPixel({ seriesIndex: 0 }, [lon, lat]);
        const box = el.getBoundingClientRect();
        return [box.left + x, box.top + y];
      },
      [hz.attributes.lon as number, hz.attributes.lat as number],
    );
    await page.mouse.click(point[0], point[1]);
    await page.waitForFunction(() => location.hash.startsWith('#/city/330100'));
    await page.waitForSelector('[data-testid=lineage]');
    expect(await page.textContent('h1')).toContain('杭州市');
    expect(await page.textContent('[data-testid=interval]')).toMatch(/第 \d+–\d+ 名/);
    // a city whose ADM_OSI_CITY was imputed shows the marker in its lineage
    const imputed = site.flagged.find((f) => f.flag === 'imputed')!;
    await page.goto(page.url().replace(/#.*$/, `#/city/${imputed.unit}`));
    await page.waitForSelector('[data-testid=lineage] details');
    await page.$$eval('[data-testid=lineage] details', (ds) =>
      ds.forEach((d) => ((d as HTMLDetailsElement).open = true)),
    );
    expect(await page.textContent('[data-testid=lineage]')).toContain('插补值');
    await page.screenshot({ path: shot('profile'), fullPage: true });
    expect(refused).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  browserIt('re-weighting: keyboard and drag move ranks, the URL carries the weights, reload restores', async () => {
    const { page, errors } = await openPage(browser!, dir);
    const first = site.levels[1].codes[0];
    const ranksNow = () =>
      page.$$eval('[data-testid=ranking] tbody tr', (trs) => trs.map((tr) => (tr as HTMLElement).dataset.unit).join());
    const published = await ranksNow();
    await page.focus(`#w-${first}`);
    for (let i = 0; i < 20; i++) await page.keyboard.press('ArrowRight'); // 1.0 → 3.0
    await page.waitForFunction(() => document.querySelector('[role=status][aria-live]')?.textContent?.includes('毫秒'));
    await page.waitForFunction((p) => {
      const now = [...document.querySelectorAll('[data-testid=ranking] tbody tr')].map(
        (tr) => (tr as HTMLElement).dataset.unit,
      );
      return now.join() !== p;
    }, published);
    expect(decodeURIComponent(page.url())).toContain(`w=${first}:3`);
    const moved = await ranksNow();
    expect(moved).not.toBe(published);
    expect(await page.$$eval('td.change.up', (x) => x.length)).toBeGreaterThan(0);
    // drag another slider to its left end (weight 0)
    const second = site.levels[1].codes[1];
    const box = (await page.locator(`#w-${second}`).boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x - 20, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    await page.waitForFunction((s) => decodeURIComponent(location.hash).includes(`${s}:0`), second);
    await page.waitForFunction((m) => {
      const now = [...document.querySelectorAll('[data-testid=ranking] tbody tr')].map(
        (tr) => (tr as HTMLElement).dataset.unit,
      );
      return now.join() !== m;
    }, moved);
    // the drag's intermediate positions each start a recompute: wait until the last one has landed (the
    // ranking stays the same for half a second) before taking it as the state the URL restores
    let dragged = await ranksNow();
    for (let settled = false; !settled;) {
      await page.waitForTimeout(500);
      const again = await ranksNow();
      settled = again === dragged;
      dragged = again;
    }
    await page.screenshot({ path: shot('reweighted') });
    await page.reload();
    await page.waitForFunction((d) => {
      const now = [...document.querySelectorAll('[data-testid=ranking] tbody tr')].map(
        (tr) => (tr as HTMLElement).dataset.unit,
      );
      return now.join() === d;
    }, dragged);
    expect(await page.inputValue(`#w-${first}`)).toBe('3');
    expect(await page.inputValue(`#w-${second}`)).toBe('0');
    await page.click('text=恢复发布权重');
    await page.waitForFunction((p) => {
      const now = [...document.querySelectorAll('[data-testid=ranking] tbody tr')].map(
        (tr) => (tr as HTMLElement).dataset.unit,
      );
      return now.join() === p;
    }, published);
    expect(page.url()).not.toContain('w=');
    expect(errors).toEqual([]);
    await page.close();
  });

  browserIt('what-if: a better value of one indicator lifts the city; smallest improvements listed', async () => {
    const unit = site.results.units[50];
    const { page, errors } = await openPage(browser!, dir, `#/whatif/${unit}`);
    await page.waitForSelector('[data-testid=improvements] tbody tr');
    await page.waitForFunction(() => /\d/.test(document.querySelector('[data-testid=whatif-rank]')?.textContent ?? ''));
    expect(await page.textContent('[data-testid=whatif-rank]')).toBe('51');
    const sliders = page.locator('.whatif input[type=range]');
    const n = await sliders.count();
    for (let i = 0; i < n; i++) {
      await sliders.nth(i).focus();
      await page.keyboard.press('End'); // the highest observed value of every indicator
    }
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=whatif-rank]')?.textContent) < 51);
    expect(page.url()).toContain('v=');
    await page.screenshot({ path: shot('whatif'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  browserIt('zh ↔ en: the switch changes the language, the URL and html lang', async () => {
    const { page } = await openPage(browser!, dir);
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    expect(await page.textContent('#rank-title')).toBe('排名');
    await page.click('button.lang');
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    expect(await page.textContent('#rank-title')).toBe('Ranking');
    expect(page.url()).toContain('lang=en');
    expect(await page.textContent('[data-testid=ranking] tbody tr:first-child')).toContain(
      site.units.find((u) => u.code === site.results.units[0])!.name.en!,
    );
    await page.click('nav >> text=Methodology');
    await page.waitForSelector('[data-testid=steps]');
    expect(page.url()).toContain('lang=en');
    await page.click('button.lang');
    await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
    await page.close();
  });

  const VIEWS = [
    '',
    '#/city/330100',
    '#/compare?u=330100,310100,110100',
    '#/whatif/330100',
    '#/method',
    '#/cases',
    '#/downloads',
  ];

  browserIt(
    'every view at 390 px: no horizontal overflow',
    async () => {
      const { page } = await openPage(browser!, dir, '', { width: 390, height: 844 });
      await page.screenshot({ path: shot('mobile') });
      for (const hash of VIEWS) {
        await goView(page, hash);
        const [scroll, client] = await page.evaluate(() => [
          document.documentElement.scrollWidth,
          document.documentElement.clientWidth,
        ]);
        expect(scroll, `overflow on ${hash || 'overview'}`).toBeLessThanOrEqual(client);
      }
      await page.close();
    },
    300_000,
  );

  browserIt(
    'cases: each case in the reader language with its sources (English rendering first, then the original)',
    async () => {
      const { page } = await openPage(browser!, dir, '#/cases?lang=en');
      const card = page.locator('[data-testid=cases] li.panel', { hasText: 'Hangzhou City Brain' });
      await card.waitFor();
      const text = await card.innerText();
      expect(text).toContain('presents the Hangzhou City Brain');
      expect(text).not.toContain('将杭州城市大脑作为案例研究');
      expect(text).toContain("General Office of the Hangzhou Municipal People's Government");
      expect(text).toContain('[杭州市人民政府办公厅.');
      expect(await card.locator('a.url').first().getAttribute('href')).toBe(
        'https://www.hangzhou.gov.cn/art/2019/7/2/art_1229505914_2356834.html',
      );
      await goView(page, '#/cases?lang=zh');
      await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
      const zh = await page.locator('[data-testid=cases] li.panel', { hasText: '杭州城市大脑' }).innerText();
      expect(zh).toContain('将杭州城市大脑作为案例研究');
      expect(zh).not.toContain('General Office');
      await page.close();
    },
    120_000,
  );

  browserIt(
    'axe-core: no serious or critical violation on any view (zh and en)',
    async () => {
      const { page } = await openPage(browser!, dir);
      for (const hash of [...VIEWS, '#/overview?lang=en', '#/city/330100?lang=en']) {
        await goView(page, hash);
        if (hash.startsWith('#/city')) await page.waitForSelector('[data-testid=lineage]');
        expect(await axeViolations(page), hash || 'overview').toEqual([]);
      }
      await page.close();
    },
    300_000,
  );

  browserIt('served by `cityindex serve` at / under the strict CSP: renders, recomputes, no violation', async () => {
    const files = new Map<string, Uint8Array>();
    const walk = (d: string, prefix: string) => {
      for (const name of readdirSync(d)) {
        const p = join(d, name);
        if (statSync(p).isDirectory()) walk(p, `${prefix}${name}/`);
        else files.set(`${prefix}${name}`, readFileSync(p));
      }
    };
    walk(dir, '');
    const store = await Store.open({ sqliteFile: ':memory:' });
    const empty = { slug: 'p', name: 'P', projectFile: 'project.yaml', files: [], nodes: [], units: [], values: [] };
    const project = await store.saveProject(systemPrincipal('test'), empty);
    const app = await createServer({ store, project, site: files });
    try {
      const address = await app.listen({ host: '127.0.0.1', port: 0 });
      await browser!.context.setOffline(false); // loopback only: every other request is aborted below
      const page = await browser!.context.newPage();
      page.setDefaultTimeout(90_000);
      const problems: string[] = [];
      page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
      page.on('pageerror', (e) => problems.push(e.message));
      await page.route('**/*', (route) =>
        route.request().url().startsWith(address) || route.request().url().startsWith('blob:')
          ? route.continue()
          : route.abort(),
      );
      await page.goto(`${address}/#/overview?w=${site.levels[1].codes[0]}:3`);
      await page.waitForFunction(() => document.querySelectorAll('td.change.up').length > 0); // the worker ran
      await page.waitForSelector('[data-testid=map] canvas');
      expect((await page.request.get(`${address}/api/health`)).ok()).toBe(true);
      expect(problems).toEqual([]);
      await page.close();
    } finally {
      await browser!.context.setOffline(true);
      await app.close();
      await store.close();
    }
  });
});
