/**
 * End to end: build examples/cdgi-2020 (and COINr's ASEM example) in-process, render the report HTML,
 * open it in headless Chromium with every non-file request refused, check the map and charts rendered,
 * save a screenshot to out/test-artifacts/, and print the PDF.
 *
 * The browser tests skip (with a message) only when /usr/bin/chromium is absent; CI installs it.
 * The PDF text check uses `pdftotext` (poppler-utils) when it is on the machine and is skipped otherwise;
 * the page count is read from the PDF's `/Type /Page` objects (Chromium writes them uncompressed).
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { execFileSync } from 'node:child_process';
import { loadProject, type LoadedProject } from '../../src/formats/project.ts';
import { build, type Build } from '../../src/engine/pipeline/build.ts';
import { column } from '../../src/engine/core/dataset.ts';
import { runAnalyses, parseAnalysesConfig, type AnalysesResult } from '../../src/engine/analysis/run.ts';
import { loadCases } from '../../src/formats/cases.ts';
import type { Case } from '../../src/engine/cases/search.ts';
import { renderReportHtml } from '../../src/report/html.ts';
import { escapeHtml } from '../../src/report/markdown.ts';
import { describeStep } from '../../src/engine/methods/describe.ts';
import { computeFindings } from '../../src/report/findings.ts';
import { NO_DATA_COLOUR } from '../../src/report/charts.ts';
import { chromiumPath, launchChromium, renderPdf } from '../../src/report/pdf.ts';
import type { ReportContext } from '../../src/report/context.ts';
import { prepareReportContext, reportFiles } from '../../src/report/index.ts';

const ARTIFACTS = resolve('out/test-artifacts');
const hasChromium = chromiumPath() !== undefined;
if (!hasChromium)
  console.warn(
    'report e2e: /usr/bin/chromium not found — browser and PDF tests skipped (apt-get install chromium fonts-noto-cjk)',
  );
const browserIt = hasChromium ? it : it.skip;

function hasPdftotext(): boolean {
  try {
    execFileSync('pdftotext', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Pages of a Chromium PDF: its `/Type /Page` objects (not `/Pages`). */
function pdfPageCount(pdf: Uint8Array): number {
  return (
    Buffer.from(pdf)
      .toString('latin1')
      .match(/\/Type\s*\/Page(?!s)/g) ?? []
  ).length;
}

/** Open `html` from a temp file in Chromium, refusing every request that is not that file. */
async function openInBrowser(html: string, name: string) {
  const dir = mkdtempSync(join(tmpdir(), 'report-e2e-'));
  const file = join(dir, name);
  writeFileSync(file, html);
  const url = pathToFileURL(file).href;
  const browser = await launchChromium();
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 1100, height: 1400 });
  const refused: string[] = [];
  await page.route('**/*', (route) => {
    const u = route.request().url();
    if (u.startsWith('file:') || u.startsWith('data:')) return route.continue();
    refused.push(u);
    return route.abort();
  });
  await page.goto(url, { waitUntil: 'load' });
  return { page, browser, refused };
}

describe('report: cdgi-2020 (zh)', () => {
  let project: LoadedProject;
  let b: Build;
  let analyses: AnalysesResult;
  let cases: Case[];
  let ctx: ReportContext;
  let html: string;
  let leader: string;
  let leaderName: string;

  beforeAll(async () => {
    project = await loadProject('examples/cdgi-2020');
    b = build(project.input, project.spec);
    let settings;
    try {
      settings = parseAnalysesConfig(project.project.analyses);
    } catch {
      // the project's analyses block is being updated to the schema: use the same settings written here
      settings = parseAnalysesConfig({
        regional: {
          groupings: ['region', 'north_south', 'clusters'],
          compare: [
            { grouping: 'region', a: '东部', b: '西部' },
            { grouping: 'north_south', a: '南方', b: '北方' },
          ],
        },
        spatial: {
          weights: { method: 'knn', k: 5 },
          permutations: 999,
          seed: 20200801,
          leader: { unit: '330100', followers: ['330500', '330700', '330300', '330400'] },
        },
        tiers: { method: 'fisherJenks', k: 4 },
      });
    }
    analyses = runAnalyses(b, settings);
    cases = await loadCases(resolve('examples/cdgi-2020', project.project.cases ?? '../../cases'));
    ctx = { project, build: b, analyses, cases, lang: 'zh' };
    html = renderReportHtml(ctx);
    // the leader, found independently of the report code: the unit with the highest index score
    const idx = column(b.results.scores, b.results.indexCode);
    let best = 0;
    for (let i = 1; i < idx.length; i++) if (idx[i] > idx[best]) best = i;
    leader = b.results.scores.unitCodes[best];
    leaderName = project.input.units.find((u) => u.code === leader)!.name.zh!;
  });

  it('is one self-contained file: no script, no stylesheet link, no external URL in src/href', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).not.toMatch(/\b(src|href)\s*=\s*["'](https?:|\/\/)/i);
    expect(html).not.toMatch(/url\(\s*["']?(https?:|\/\/)/i);
    expect(html).toContain('lang="zh-CN"');
    expect(html).toContain('href="report.en.html"');
  });

  it('the findings name the leader and rest on the results', () => {
    const f = computeFindings(ctx);
    const lead = f.find((x) => x.kind === 'leader');
    expect(lead?.kind === 'leader' && lead.data.leader.unit).toBe(leader);
    expect(lead?.text.zh).toContain(leaderName);
    const findingsHtml = html.slice(html.indexOf('id="findings"'), html.indexOf('id="ranking"'));
    expect(findingsHtml).toContain(leaderName);
    // the share below the mean is recomputed here from the scores
    const idx = Array.from(column(b.results.scores, b.results.indexCode));
    const mean = idx.reduce((s, v) => s + v, 0) / idx.length;
    const below = f.find((x) => x.kind === 'belowMean');
    expect(below?.kind === 'belowMean' && below.data.nBelow).toBe(idx.filter((v) => v < mean).length);
  });

  it('sections: ranking of every unit, methodology with every step, gaps, hashes, cases under their cities', () => {
    expect((html.match(/<tr[^>]*>\s*<td class="num"[^>]*>\d+<\/td>/g) ?? []).length).toBeGreaterThanOrEqual(100);
    for (const s of b.spec.steps) expect(html).toContain(escapeHtml(describeStep(s, 'zh')));
    for (const g of project.gaps) expect(html).toContain(`<code>${g.code}</code>`);
    for (const file of project.files) expect(html).toContain(file.sha256);
    for (const c of cases) expect(html).toContain(`id="case-${c.city}"`);
    expect(html).toContain('示意图，非标准地图');
  });

  browserIt(
    'renders in Chromium offline: map with 100 coloured cities, charts, screenshot, no network request',
    async () => {
      const { page, browser, refused } = await openInBrowser(html, 'report.html');
      try {
        const svgCount = await page.locator('svg').count();
        expect(svgCount).toBeGreaterThanOrEqual(4); // map, LISA map, radar, regional bars
        const regions = await page.$$eval('#choropleth svg [data-region]', (els) =>
          els.map((e) => ({ region: e.getAttribute('data-region'), fill: e.getAttribute('fill') })),
        );
        expect(regions.length).toBeGreaterThan(300);
        const coloured = regions.filter(
          (r) => r.fill !== null && r.fill.toLowerCase() !== NO_DATA_COLOUR && r.region !== '南海诸岛',
        );
        expect(coloured.length).toBe(100);
        expect(new Set(coloured.map((r) => r.region))).toEqual(new Set(b.results.scores.unitCodes));
        const box = await page.locator('#choropleth svg').boundingBox();
        expect(box && box.width > 300 && box.height > 200).toBe(true);
        expect(await page.locator('#findings').innerText()).toContain(leaderName);
        mkdirSync(ARTIFACTS, { recursive: true });
        await page.screenshot({ path: join(ARTIFACTS, 'report.png') });
        await page.locator('#map').scrollIntoViewIfNeeded();
        await page.locator('#map').screenshot({ path: join(ARTIFACTS, 'report-map.png') });
        await page.emulateMedia({ media: 'print' });
        expect(await page.locator('body').innerText()).toContain(leaderName);
        expect(refused).toEqual([]);
      } finally {
        await browser.close();
      }
    },
  );

  browserIt('prints to a multi-page A4 PDF containing the leader', async () => {
    const blocked: string[] = [];
    const pdf = await renderPdf(html, { onBlockedRequest: (u) => blocked.push(u) });
    expect(new TextDecoder().decode(pdf.subarray(0, 5))).toBe('%PDF-');
    expect(pdfPageCount(pdf)).toBeGreaterThan(5);
    expect(blocked).toEqual([]);
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(join(ARTIFACTS, 'report.pdf'), pdf);
    if (hasPdftotext()) {
      const text = execFileSync('pdftotext', ['-layout', join(ARTIFACTS, 'report.pdf'), '-'], { encoding: 'utf8' });
      expect(text).toContain(leaderName);
      // A4 = 595 × 842 pt
      const box = /\/MediaBox\s*\[0 0 ([\d.]+) ([\d.]+)\]/.exec(Buffer.from(pdf).toString('latin1'));
      expect(box && [Math.round(Number(box[1])), Math.round(Number(box[2]))]).toEqual([595, 842]);
    } else {
      console.warn('report e2e: pdftotext not installed — PDF text check skipped (apt-get install poppler-utils)');
    }
  });
});

describe('report: ASEM (en, countries: no map of China)', () => {
  let html: string;
  let leaderName: string;

  beforeAll(async () => {
    const project = await loadProject('examples/asem');
    const b = build(project.input, project.spec);
    const analyses = runAnalyses(
      b,
      parseAnalysesConfig({
        regional: {
          groupings: ['EurAsia_group', 'GDP_group'],
          compare: [{ grouping: 'EurAsia_group', a: 'Europe', b: 'Asia' }],
        },
        tiers: {
          method: 'quantiles',
          k: 4,
          labels: ['Top quarter', 'Second quarter', 'Third quarter', 'Bottom quarter'],
        },
      }),
    );
    html = renderReportHtml({ project, build: b, analyses, lang: 'en' });
    const idx = column(b.results.scores, b.results.indexCode);
    let best = 0;
    for (let i = 1; i < idx.length; i++) if (idx[i] > idx[best]) best = i;
    const code = b.results.scores.unitCodes[best];
    leaderName = project.input.units.find((u) => u.code === code)!.name.en!;
  });

  it('is an English report without a map, with bars instead, and the leader in the findings', () => {
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('Key findings');
    expect(html).not.toContain('data-region=');
    expect(html).not.toContain('示意图');
    expect(html).toContain('The units are not Chinese prefecture-level divisions');
    expect(html.slice(html.indexOf('id="findings"'), html.indexOf('id="ranking"'))).toContain(leaderName);
    expect(html).toContain('Europe averages');
    expect(html).toContain('href="report.zh.html"');
  });

  browserIt('renders offline and prints to PDF', async () => {
    const { page, browser, refused } = await openInBrowser(html, 'report.html');
    try {
      expect(await page.locator('svg').count()).toBeGreaterThanOrEqual(3);
      expect(await page.locator('#findings').innerText()).toContain(leaderName);
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTIFACTS, 'report-asem.png') });
      expect(refused).toEqual([]);
    } finally {
      await browser.close();
    }
    const pdf = await renderPdf(html);
    expect(pdfPageCount(pdf)).toBeGreaterThan(1);
  });
});

describe('report files (what `build --format html,pdf` writes)', () => {
  it('cdgi-2020: analyses from project.yaml, cases from its folder, report.html (zh) + report.en.html', async () => {
    const project = await loadProject('examples/cdgi-2020');
    const b = build(project.input, project.spec);
    const base = await prepareReportContext(project, b);
    expect(base.analyses?.tiers).toBeDefined();
    expect(base.cases?.length).toBeGreaterThanOrEqual(3);
    const files = await reportFiles(base);
    expect([...files.keys()]).toEqual(['report.html', 'report.en.html']);
    expect(files.get('report.html')).toContain('lang="zh-CN"');
    expect(files.get('report.en.html')).toContain('<html lang="en">');
    expect(files.get('report.en.html')).toContain('Key findings');
  });
  it('ASEM (language en): report.html is English, report.zh.html Chinese', async () => {
    const project = await loadProject('examples/asem');
    const files = await reportFiles(await prepareReportContext(project, build(project.input, project.spec)));
    expect([...files.keys()]).toEqual(['report.html', 'report.zh.html']);
    expect(files.get('report.zh.html')).toContain('主要结论');
  });
});
