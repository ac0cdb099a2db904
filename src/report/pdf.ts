/**
 * Print the HTML report to PDF with headless Chromium (Debian's `/usr/bin/chromium-headless-shell`,
 * else `/usr/bin/chromium`, driven by playwright-core; no browser is downloaded). A fresh profile in a
 * temporary folder, background networking off, and every request other than the page itself refused,
 * so printing never touches the network. A4 with the report's print CSS; CJK text needs Debian's
 * `fonts-noto-cjk`.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserContext } from 'playwright-core';
import { CityIndexError } from '../engine/core/errors.ts';

/** Where Chromium is expected (Debian/Ubuntu `apt-get install chromium`); `CITYINDEX_CHROMIUM` overrides. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * Debian's `chromium-headless-shell` (the same Blink and PDF printer without the browser around them):
 * it starts in about 0.4 s instead of 1–1.8 s and prints the cdgi-2020 report in 1.2 s instead of 2.6–3 s,
 * with the same pages and text. Used for printing when installed.
 */
export const HEADLESS_SHELL_PATH = '/usr/bin/chromium-headless-shell';

/** Command-line switches: headless, no sandbox (containers, root), nothing in the background. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/**
 * Path of the Chromium executable, or undefined when none is installed.
 * @example // no-run: the result depends on the machine (Debian's chromium package installs /usr/bin/chromium)
 * chromiumPath() // => '/usr/bin/chromium'
 */
export function chromiumPath(): string | undefined {
  const p = process.env.CITYINDEX_CHROMIUM || CHROMIUM_PATH;
  return existsSync(p) ? p : undefined;
}

/**
 * The Chromium that prints PDFs: `CITYINDEX_CHROMIUM` when set, else the headless shell when installed,
 * else `chromiumPath()`.
 * @example // no-run: the result depends on the machine (apt-get install chromium-headless-shell)
 * printerPath() // => '/usr/bin/chromium-headless-shell'
 */
export function printerPath(): string | undefined {
  if (!process.env.CITYINDEX_CHROMIUM && existsSync(HEADLESS_SHELL_PATH)) return HEADLESS_SHELL_PATH;
  return chromiumPath();
}

/** A running headless Chromium with a throw-away profile; `close()` removes the profile. */
export interface HeadlessBrowser {
  context: BrowserContext;
  close(): Promise<void>;
}

/**
 * Launch headless Chromium (`executablePath`, default `chromiumPath()`) with a fresh `--user-data-dir` in
 * a temporary folder. Throws a `CityIndexError` naming the apt packages when Chromium is missing.
 * @example // no-run: needs Chromium (apt install chromium)
 * const b = await launchChromium();
 * const page = await b.context.newPage();
 * await page.setContent('<p>hi</p>');
 * await page.textContent('p') // => 'hi'
 * await b.close();
 */
export async function launchChromium(executablePath = chromiumPath()): Promise<HeadlessBrowser> {
  if (!executablePath) {
    throw new CityIndexError({
      code: 'E_NO_CHROMIUM',
      message: `Chromium was not found at ${process.env.CITYINDEX_CHROMIUM || CHROMIUM_PATH}; the PDF report needs it`,
      expected: 'apt-get install chromium fonts-noto-cjk (or set CITYINDEX_CHROMIUM to a Chromium executable)',
    });
  }
  const profile = await mkdtemp(join(tmpdir(), 'cityindex-chromium-'));
  let context: BrowserContext;
  try {
    // launchPersistentContext takes the profile folder itself (playwright refuses --user-data-dir in args).
    const { chromium } = await import('playwright-core'); // loaded only when a PDF is printed
    context = await chromium.launchPersistentContext(profile, {
      executablePath,
      headless: true,
      args: CHROMIUM_ARGS,
      timeout: 60_000,
      offline: true,
    });
  } catch (e) {
    await rm(profile, { recursive: true, force: true });
    throw new CityIndexError({
      code: 'E_CHROMIUM_LAUNCH',
      message: `Chromium at ${executablePath} could not start: ${(e as Error).message.split('\n')[0]}`,
      expected: 'a working headless Chromium (apt-get install chromium fonts-noto-cjk)',
    });
  }
  return {
    context,
    async close() {
      await context.close().catch(() => undefined);
      await rm(profile, { recursive: true, force: true });
    },
  };
}

export interface PdfOptions {
  /** Page format (default `A4`). */
  format?: 'A4' | 'Letter';
  /** Called with every URL the page tried to load other than the report itself (all are refused). */
  onBlockedRequest?: (url: string) => void;
  /**
   * A browser already starting (`launchChromium(printerPath())`), so that its start overlaps the caller's
   * own work; `renderPdfs` closes it. Default: one is launched here.
   */
  browser?: Promise<HeadlessBrowser>;
}

/**
 * Print a self-contained HTML report to PDF bytes (A4, print CSS, backgrounds on, page numbers in
 * the footer). The HTML is written to a temporary file and opened with `file://`; any other request is
 * aborted.
 * @example // no-run: needs Chromium (apt install chromium)
 * const pdf = await renderPdf('<p>hi</p>');
 * new TextDecoder().decode(pdf.subarray(0, 5)) // => '%PDF-'
 */
export async function renderPdf(html: string, options: PdfOptions = {}): Promise<Uint8Array> {
  return (await renderPdfs([html], options))[0];
}

/**
 * Print several HTML reports (e.g. both languages) with ONE Chromium, each in its own page, all at
 * once: launching Chromium is a third of the time of a PDF, and the pages print in parallel.
 * `page.pdf` prints with the print media type, so no media emulation is needed.
 * @example // no-run: needs Chromium (apt install chromium)
 * const [zh, en] = await renderPdfs(['<p>你好</p>', '<p>hi</p>']);
 * new TextDecoder().decode(en.subarray(0, 5)) // => '%PDF-'
 */
export async function renderPdfs(htmls: readonly string[], options: PdfOptions = {}): Promise<Uint8Array[]> {
  const starting = options.browser ?? launchChromium(printerPath());
  starting.catch(() => undefined); // a failed start is thrown where it is awaited, not as an unhandled rejection
  let dir: string | undefined;
  try {
    dir = await mkdtemp(join(tmpdir(), 'cityindex-report-'));
    const folder = dir;
    const urls = await Promise.all(
      htmls.map(async (html, k) => {
        const file = join(folder, `report-${k}.html`);
        await writeFile(file, html);
        return pathToFileURL(file).href;
      }),
    );
    const browser = await starting;
    return await Promise.all(urls.map((url) => printPage(browser.context, url, options)));
  } finally {
    // closed however it ends, also when writing the files failed while the browser was starting
    await (await starting.catch(() => undefined))?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  }
}

/** One page: open `url` (every other request refused) and print it. */
async function printPage(context: BrowserContext, url: string, options: PdfOptions): Promise<Uint8Array> {
  const page = await context.newPage();
  await page.route('**/*', (route) => {
    const u = route.request().url();
    if (u === url || u.startsWith('data:')) return route.continue();
    options.onBlockedRequest?.(u);
    return route.abort('blockedbyclient');
  });
  await page.goto(url, { waitUntil: 'load', timeout: 60_000 });
  const pdf = await page.pdf({
    format: options.format ?? 'A4',
    printBackground: true,
    preferCSSPageSize: true,
    displayHeaderFooter: true,
    headerTemplate: '<span></span>',
    footerTemplate:
      '<div style="font-size:8px;width:100%;text-align:center;color:#888">' +
      '<span class="pageNumber"></span> / <span class="totalPages"></span></div>',
    margin: { top: '16mm', bottom: '16mm', left: '14mm', right: '14mm' },
  });
  await page.close();
  return new Uint8Array(pdf);
}
