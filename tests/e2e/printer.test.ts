/**
 * The PDF printer's Chromium: which executable prints (`CITYINDEX_CHROMIUM`, else Debian's headless shell,
 * else the browser), and that a browser started ahead of the printing (to overlap the HTML rendering) is
 * closed however the printing ends — its profile folder is the trace a running Chromium leaves. Each test
 * points TMPDIR at a folder of its own, so other suites' browsers do not show up in it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CHROMIUM_PATH,
  HEADLESS_SHELL_PATH,
  chromiumPath,
  launchChromium,
  printerPath,
  renderPdfs,
  type HeadlessBrowser,
} from '../../src/report/pdf.ts';
import { reportFiles } from '../../src/report/index.ts';
import { CityIndexError } from '../../src/engine/core/errors.ts';
import type { ReportContext } from '../../src/report/context.ts';

const browserIt = printerPath() ? it : it.skip;
if (!printerPath()) console.warn('printer e2e: no Chromium installed — browser tests skipped');

let tmp: string;
const saved = { TMPDIR: process.env.TMPDIR, CITYINDEX_CHROMIUM: process.env.CITYINDEX_CHROMIUM };
beforeEach(() => {
  tmp = mkdtempSync(join(tmpdir(), 'printer-test-'));
  process.env.TMPDIR = tmp;
});
afterEach(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  rmSync(tmp, { recursive: true, force: true });
});

/** Folders left in this test's TMPDIR (Chromium profiles, report files). */
const leftovers = () => readdirSync(tmp);

describe('printerPath', () => {
  it('CITYINDEX_CHROMIUM wins; else the headless shell when installed; else the browser', () => {
    process.env.CITYINDEX_CHROMIUM = process.execPath; // any existing file
    expect(printerPath()).toBe(process.execPath);
    expect(chromiumPath()).toBe(process.execPath);
    process.env.CITYINDEX_CHROMIUM = join(tmp, 'no-such-chromium');
    expect(printerPath()).toBeUndefined();
    delete process.env.CITYINDEX_CHROMIUM;
    const expected = existsSync(HEADLESS_SHELL_PATH)
      ? HEADLESS_SHELL_PATH
      : existsSync(CHROMIUM_PATH)
        ? CHROMIUM_PATH
        : undefined;
    expect(printerPath()).toBe(expected);
  });
});

describe('renderPdfs with a browser started ahead', () => {
  it('a browser that failed to start: its error, nothing left behind, no unhandled rejection', async () => {
    const failed = Promise.reject(new CityIndexError({ code: 'E_CHROMIUM_LAUNCH', message: 'could not start' }));
    await expect(renderPdfs(['<p>x</p>'], { browser: failed })).rejects.toThrow('could not start');
    expect(leftovers()).toEqual([]);
  });

  browserIt('prints with the given browser and closes it', async () => {
    let closed = 0;
    const browser: Promise<HeadlessBrowser> = launchChromium(printerPath()).then((b) => ({
      context: b.context,
      close: async () => {
        closed++;
        await b.close();
      },
    }));
    const [pdf] = await renderPdfs(['<p>你好 hello</p>'], { browser });
    expect(new TextDecoder().decode(pdf.subarray(0, 5))).toBe('%PDF-');
    expect(closed).toBe(1);
    expect(leftovers()).toEqual([]);
  });

  browserIt('reportFiles closes the browser it started when the report cannot be rendered', async () => {
    const broken = { project: { project: {} } } as unknown as Omit<ReportContext, 'lang'>; // no build: rendering throws
    await expect(reportFiles(broken, { pdf: true })).rejects.toThrow();
    expect(leftovers()).toEqual([]); // the profile folder goes with the browser
  });
});
