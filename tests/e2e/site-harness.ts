/**
 * Harness of the dashboard's browser tests: fresh assets (web/dist rebuilt when web/src is newer), a
 * static export of a project written to a temporary folder, Chromium pages that refuse every request
 * that is not a file of that folder, axe-core injected from node_modules.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { siteArtifacts } from '../../src/app/site.ts';
import { writeArtifacts } from '../../src/app/node-host.ts';
import { siteAssetFiles, SITE_ASSETS } from '../../src/cli/commands/site.ts';
import type { HeadlessBrowser } from '../../src/report/pdf.ts';
import type { SiteData } from '../../src/app/site.ts';

export const ARTIFACTS = resolve('out/test-artifacts');

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/**
 * Build web/dist when it is missing or older than web/src, web/index.html or web/build.ts, as
 * `npm run build:web` does: in a child process, because a build inside vitest (NODE_ENV=test) gives a
 * different, larger bundle than the one shipped (and would break the size budget).
 */
export async function freshAssets(): Promise<void> {
  const stamp = join(SITE_ASSETS, '.stamp');
  const src = Math.max(
    newest(resolve('web/src')),
    statSync('web/index.html').mtimeMs,
    statSync('web/build.ts').mtimeMs,
  );
  if (existsSync(stamp) && statSync(stamp).mtimeMs >= src) return;
  const env = { ...process.env };
  delete env.NODE_ENV;
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'web/build.ts'], {
    env,
    encoding: 'utf8',
    timeout: 300_000,
  });
  if (r.status !== 0) throw new Error(`web/build.ts failed (${r.status}): ${r.stderr}`);
}

/** Export a project's site into a new temporary folder; returns the folder and the site data. */
export async function exportSite(project: string, downloads = true): Promise<{ dir: string; site: SiteData }> {
  await freshAssets();
  const dir = join(mkdtempSync(join(tmpdir(), 'site-e2e-')), 'site');
  const { files, site } = await siteArtifacts(project, { downloads });
  for (const [name, content] of await siteAssetFiles()) files.set(name, content);
  await writeArtifacts(dir, files);
  return { dir, site };
}

/** A page on `dir/index.html#hash` that may only load files under `dir`; `refused` lists the rest. */
export async function openPage(
  browser: HeadlessBrowser,
  dir: string,
  hash = '',
  viewport = { width: 1200, height: 900 },
): Promise<{ page: Page; refused: string[]; errors: string[] }> {
  const page = await browser.context.newPage();
  page.setDefaultTimeout(90_000); // generous: the machine may be shared with other test runs
  await page.setViewportSize(viewport);
  const root = pathToFileURL(dir).href;
  const refused: string[] = [];
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.route('**/*', (route) => {
    const u = route.request().url();
    if (u.startsWith(root + '/') || u.startsWith('blob:') || u.startsWith('data:')) return route.continue();
    refused.push(u);
    return route.abort();
  });
  await page.goto(`${root}/index.html${hash}`, { waitUntil: 'load' });
  await page.waitForSelector('main');
  return { page, refused, errors };
}

let axeSource: string | undefined;

/**
 * axe-core's serious and critical violations on the page: the WCAG 2 A/AA rules, or every rule with
 * `'all'`. axe is injected by evaluation, so neither a strict CSP nor a file:// page that refuses other
 * requests keeps it out.
 */
export async function axeViolations(page: Page, rules: 'wcag' | 'all' = 'wcag'): Promise<string[]> {
  axeSource ??= readFileSync(resolve('node_modules/axe-core/axe.min.js'), 'utf8');
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.evaluate(axeSource);
  const result = await page.evaluate(async (wcagOnly) => {
    const axe = (globalThis as unknown as { axe: { run(o: unknown): Promise<{ violations: unknown[] }> } }).axe;
    const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
    const r = await axe.run(wcagOnly ? { runOnly: { type: 'tag', values: tags } } : {});
    return r.violations as Array<{ id: string; impact: string; nodes: Array<{ target: string[] }> }>;
  }, rules === 'wcag');
  return result
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.nodes
          .slice(0, 3)
          .map((n) => n.target.join(' '))
          .join(', ')}`,
    );
}

/** Go to another view of an open page (hash change, no reload) and let it render. */
export async function goView(page: Page, hash: string): Promise<void> {
  await page.evaluate((h) => {
    location.hash = h || '#/overview';
  }, hash);
  await page.waitForFunction((h) => location.hash === (h || '#/overview'), hash);
  await page.waitForTimeout(200);
}
