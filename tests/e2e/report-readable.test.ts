/// <reference lib="dom" />
/**
 * The cdgi-2020 report as a reader gets it (issue 11, "what is hard to read"): the zh and en reports of
 * a full run (analyses, uncertainty, series, cases) are read as text and opened in headless Chromium.
 *
 * Text: a plain-language summary of 5–8 sentences comes first; the reader's text (everything but the
 * reproducibility appendix, which lists the input files and their hashes on purpose) has no JSON, no
 * file path and no settings key; the Chinese report has no English labels in the uncertainty section.
 * Layout: no horizontal overflow at 390 px (phone) nor at the width of the A4 print area, no forced
 * page break that leaves a near-empty page; a screenshot per section goes to
 * out/test-artifacts/report/<lang>/ (desktop) and …/<lang>-phone/ (390 px); both PDFs are printed.
 * The browser tests skip only when /usr/bin/chromium is absent.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runProject } from '../../src/app/project.ts';
import { reportArtifacts } from '../../src/app/report.ts';
import { chromiumPath, launchChromium, renderPdf } from '../../src/report/pdf.ts';

const ARTIFACTS = resolve('out/test-artifacts/report');
const hasChromium = chromiumPath() !== undefined;
const browserIt = hasChromium ? it : it.skip;
/** A4 (210 mm) minus the report's 14 mm side margins, in CSS pixels (96 per inch). */
const A4_CONTENT_PX = Math.floor(((210 - 28) / 25.4) * 96);

/** The reader's text of a report: tags, SVG, CSS and the reproducibility appendix removed. */
function readerText(html: string): string {
  const repro = html.indexOf('<section class="major appendix" id="repro"');
  const body = repro >= 0 ? html.slice(0, repro) : html;
  return body
    .replace(/<style>[\s\S]*?<\/style>/g, ' ')
    .replace(/<svg[\s\S]*?<\/svg>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>');
}

function sectionHtml(html: string, id: string): string {
  const at = html.indexOf(`id="${id}"`);
  if (at < 0) return '';
  const start = html.indexOf('>', at) + 1; // after the section's opening tag
  return html.slice(start, html.indexOf('</section>', start));
}

/** Settings keys of project.yaml and the build spec that must not reach a reader. */
const SETTINGS_KEYS = [
  'perIndicator',
  'normaliseFirst',
  'parentLevel',
  'dataThreshold',
  'winmax',
  'populationWeights',
  'analyses.',
  'project.yaml',
  'project.proposed.yaml',
  'seed_288',
  'byNA',
  'per-indicator',
  'logCT',
  'boxcox',
];

describe('report readability (cdgi-2020, zh and en)', () => {
  const html: Record<'zh' | 'en', string> = { zh: '', en: '' };

  beforeAll(async () => {
    const run = await runProject('examples/cdgi-2020');
    const files = await reportArtifacts(run);
    html.zh = files.get('report.html') as string;
    html.en = files.get('report.en.html') as string;
  }, 240_000);

  it.each(['zh', 'en'] as const)(
    '%s: a plain-language summary of 5–8 sentences and a chart before the findings',
    (l) => {
      const h = html[l];
      const summary = sectionHtml(h, 'summary');
      expect(h.indexOf('id="summary"')).toBeLessThan(h.indexOf('id="findings"'));
      const sentences = summary.match(/<li data-summary="[^"]+">/g) ?? [];
      expect(sentences.length).toBeGreaterThanOrEqual(5);
      expect(sentences.length).toBeLessThanOrEqual(8);
      expect(summary).toContain('<svg');
      // no statistics jargon in the summary
      const text = readerText(summary);
      expect(text).not.toMatch(/Moran|Gini|基尼|变异系数|coefficient|p =|LISA|Fisher|Jenks|Sobol|置信|分位/);
      // the leader (found independently: rank 1 in the ranking table) is named
      const leader = /<tr class="lead">\s*<td class="num"[^>]*>1<\/td><td[^>]*>([^<]+?)\s*</.exec(h)?.[1];
      expect(leader).toBeDefined();
      expect(text).toContain(leader!);
    },
  );

  it.each(['zh', 'en'] as const)('%s: technical findings are in their sections, not in the key findings', (l) => {
    const findings = sectionHtml(html[l], 'findings');
    expect(findings).not.toMatch(/data-finding="(moran|rankUncertainty|spillover)"/);
    expect(sectionHtml(html[l], 'spatial')).toMatch(/data-finding="moran"/);
    expect(sectionHtml(html[l], 'uncertainty')).toMatch(/data-finding="rankUncertainty"/);
  });

  it.each(['zh', 'en'] as const)('%s: no JSON, file path or settings key in the reader text', (l) => {
    const text = readerText(html[l]);
    expect(text).not.toMatch(/\{\s*"[A-Za-z_]+"\s*:/);
    expect(text).not.toMatch(/\b[\w./-]+\.(csv|ya?ml|json|md|ts|xlsx)\b/);
    for (const key of SETTINGS_KEYS) expect(text, key).not.toContain(key);
  });

  it('zh: the uncertainty section has no English labels; both show a rank-interval chart and what to conclude', () => {
    const zh = sectionHtml(html.zh, 'uncertainty');
    const zhText = readerText(zh);
    // English words of 4+ letters other than proper names of methods
    const english = (zhText.match(/[A-Za-z]{4,}/g) ?? []).filter((w) => !/^(Sobol|Saltelli|Jansen|COINr)$/.test(w));
    expect(english).toEqual([]);
    for (const l of ['zh', 'en'] as const) {
      const s = sectionHtml(html[l], 'uncertainty');
      expect(s).toContain('id="rank-intervals"');
      expect(s).toMatch(/data-conclusion="distinguishable"/);
    }
  });

  it.each(['zh', 'en'] as const)(
    '%s: the HTML stays under 1.2 MB (was 3.5 MB) with every map complete: each outline once, drawn by <use>',
    (l) => {
      const h = html[l];
      expect(Buffer.byteLength(h)).toBeLessThan(1_200_000);
      const defs = new Map([...h.matchAll(/<path id="(cg\d+)" d="([^"]+)"/g)].map((m) => [m[1], m[2]]));
      expect(defs.size).toBeGreaterThan(300);
      // no outline is written twice, and every <use> points at one that exists
      expect(new Set(defs.values()).size).toBe(defs.size);
      const uses = [...h.matchAll(/<use href="#([^"]+)"/g)].map((m) => m[1]);
      expect(uses.filter((id) => !defs.has(id))).toEqual([]);
      // seven maps (index, four dimensions, tiers, LISA), each with every region of the map and 100 coloured
      const maps = [...h.matchAll(/<svg[^>]*>[\s\S]*?<\/svg>/g)].filter((m) => m[0].includes('data-region='));
      expect(maps).toHaveLength(7);
      for (const m of maps) {
        // (a few tiny outlines, e.g. Macao, stay inline)
        const regions = [...m[0].matchAll(/<(?:use href="#cg\d+"|path d="[^"]+")([^>]*)data-region="([^"]+)"/g)];
        expect(regions).toHaveLength(368); // 367 prefecture-level outlines and the South China Sea inset
        expect(regions.filter((r) => /^\d{6}$/.test(r[2]) && !r[1].includes('fill="#e4e4e4"')).length).toBe(100);
      }
      expect(h).not.toContain('ecmeta_');
    },
  );

  browserIt(
    'no horizontal overflow at 390 px and in the A4 print area; a screenshot per section',
    { timeout: 900_000 },
    async () => {
      const browser = await launchChromium();
      try {
        for (const l of ['zh', 'en'] as const) {
          const dir = mkdtempSync(join(tmpdir(), 'report-readable-'));
          const file = join(dir, l === 'zh' ? 'report.html' : 'report.en.html');
          writeFileSync(file, html[l]);
          const page = await browser.context.newPage();
          await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
          const ids = await page.$$eval('main > section[id]', (els) => els.map((e) => e.id));
          expect(ids.length).toBeGreaterThan(8);
          // desktop: one screenshot per section
          await page.setViewportSize({ width: 1100, height: 1400 });
          mkdirSync(join(ARTIFACTS, l), { recursive: true });
          for (const id of ids) await page.locator(`#${id}`).screenshot({ path: join(ARTIFACTS, l, `${id}.png`) });
          // names and tiers in the ranking table stay on one line on a desktop (a text range two lines tall wraps)
          const wrapped = await page.$$eval('table.ranking td.name, table.ranking td.tier', (tds) =>
            tds
              .filter((td) => {
                const r = document.createRange();
                r.selectNodeContents(td);
                return r.getBoundingClientRect().height > 2.4 * parseFloat(getComputedStyle(td).fontSize);
              })
              .slice(0, 5)
              .map((td) => td.textContent),
          );
          expect(wrapped, `${l}: wrapped names or tiers`).toEqual([]);
          // phone
          await page.setViewportSize({ width: 390, height: 844 });
          const phone = await page.evaluate(() => ({
            scroll: document.documentElement.scrollWidth,
            wide: [...document.querySelectorAll('main *')]
              .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
              .slice(0, 5)
              .map((e) => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`),
          }));
          expect(phone.wide, `${l} at 390 px`).toEqual([]);
          expect(phone.scroll).toBeLessThanOrEqual(390);
          // the summary chart at 390 px: the phone chart is the one shown, within the screen, and its text
          // (font size × the SVG's scale on screen) is at least 12 px, city names at least 13 px
          const chart = await page.evaluate(() => {
            const shown = [...document.querySelectorAll('#headline-chart svg')].filter(
              (svg) => svg.getBoundingClientRect().width > 0,
            );
            const svg = shown[0] as SVGSVGElement;
            const box = svg.getBoundingClientRect();
            const scale = box.width / svg.viewBox.baseVal.width;
            const texts = [...svg.querySelectorAll('text')]
              .filter((e) => (e.textContent ?? '').trim())
              .map((e) => ({ text: e.textContent!.trim(), px: parseFloat(getComputedStyle(e).fontSize) * scale }));
            return {
              shown: shown.length,
              phone: !!svg.closest('.chart-phone'),
              left: box.left,
              right: box.right,
              texts,
            };
          });
          expect(chart.shown).toBe(1);
          expect(chart.phone).toBe(true);
          expect(chart.left).toBeGreaterThanOrEqual(0);
          expect(chart.right).toBeLessThanOrEqual(390);
          expect(chart.texts.length).toBeGreaterThan(30); // 15 names, 15 values, axis, title, average
          for (const x of chart.texts) expect(x.px, `${l}: "${x.text}" at 390 px`).toBeGreaterThanOrEqual(12);
          const firstName = chart.texts.find((x) => /^(杭州市|Hangzhou)/.test(x.text))!;
          expect(firstName.px).toBeGreaterThanOrEqual(13);
          mkdirSync(join(ARTIFACTS, `${l}-phone`), { recursive: true });
          for (const id of ['summary', 'ranking', 'uncertainty'])
            if (ids.includes(id))
              await page.locator(`#${id}`).screenshot({ path: join(ARTIFACTS, `${l}-phone`, `${id}.png`) });
          // print: the A4 content width, print CSS
          await page.emulateMedia({ media: 'print' });
          await page.setViewportSize({ width: A4_CONTENT_PX, height: 1000 });
          const print = await page.evaluate(() => ({
            scroll: document.documentElement.scrollWidth,
            tables: [...document.querySelectorAll('table')]
              .filter((t) => t.getBoundingClientRect().right > window.innerWidth + 1)
              .map((t) => `${t.closest('section')?.id}: ${Math.round(t.getBoundingClientRect().right)}`),
            forcedBreaks: [...document.querySelectorAll('main > section')].filter(
              (s) => getComputedStyle(s).breakBefore === 'page',
            ).length,
          }));
          expect(print.tables, `${l} tables wider than A4`).toEqual([]);
          expect(print.scroll).toBeLessThanOrEqual(A4_CONTENT_PX);
          // a short section may not start a page of its own (near-empty pages)
          expect(print.forcedBreaks).toBe(0);
          await page.close();
        }
      } finally {
        await browser.close();
      }
    },
  );

  browserIt('prints both languages to A4 PDFs', { timeout: 600_000 }, async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    for (const l of ['zh', 'en'] as const) {
      const pdf = await renderPdf(html[l]);
      expect(new TextDecoder().decode(pdf.subarray(0, 5))).toBe('%PDF-');
      writeFileSync(join(ARTIFACTS, `report.${l}.pdf`), pdf);
    }
  });
});
