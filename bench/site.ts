/**
 * Dashboard benchmark: one live re-weighting recompute (the engine worker of the page, built by Vite
 * into web/dist/assets/engine.js, run in headless Chromium through Playwright) for examples/cdgi-2020
 * (target ≤ 5 ms) and the synthetic 333 × 200 project of bench/scale-333x200 (target ≤ 16 ms). The
 * time is measured inside the worker (`performance.now()` around `LiveSession.reweight`: regenerate
 * from the weight step + ranks of every aggregate), median of 40 moves after 10 warm-up moves, the
 * weights alternating so every move changes the ranking. The round trip page → worker → page is noted.
 */
import { runProject } from '../src/app/project.ts';
import { siteData } from '../src/app/site.ts';
import { siteAssetFiles } from '../src/cli/commands/site.ts';
import { chromiumPath, launchChromium } from '../src/report/pdf.ts';
import { indexSite } from '../web/src/site.ts';
import type { BenchRow } from './harness.ts';

const CASES = [
  { project: 'examples/cdgi-2020', label: 'cdgi-2020 (100 × 10)', target: 0.005 },
  { project: 'bench/scale-333x200', label: 'scale-333x200 (333 × 200)', target: 0.016 },
];

/** Runs in the page: start the worker, init, 10 warm-up + 40 timed re-weightings; medians in ms. */
const IN_PAGE = `async ({ live, codes, level, weightCodes }) => {
  const blob = new Blob([globalThis.__CITYINDEX_WORKER_SRC__], { type: 'text/javascript' });
  const w = new Worker(URL.createObjectURL(blob));
  let id = 0;
  const ask = (m) => new Promise((resolve) => {
    w.onmessage = (e) => resolve(e.data);
    w.postMessage({ ...m, id: ++id });
  });
  const init = await ask({ kind: 'init', live, codes, level });
  if (!init.ok) throw new Error(init.error);
  const inner = [], trip = [];
  for (let i = 0; i < 50; i++) {
    const weights = Object.fromEntries(weightCodes.map((c, k) => [c, k === i % weightCodes.length ? 2 + (i % 3) : 1]));
    const t0 = performance.now();
    const res = await ask({ kind: 'reweight', weights });
    if (!res.ok) throw new Error(res.error);
    if (i >= 10) { trip.push(performance.now() - t0); inner.push(res.ms); }
  }
  w.terminate();
  const median = (a) => a.sort((x, y) => x - y)[Math.floor(a.length / 2)];
  return { inner: median(inner), trip: median(trip) };
}`;

export async function benchSite(): Promise<BenchRow[]> {
  if (!chromiumPath()) return [{ name: 'site recompute (skipped: no Chromium)', seconds: NaN }];
  const assets = await siteAssetFiles();
  const engine = Buffer.from(assets.get('assets/engine.js') as Uint8Array).toString('utf8');
  const browser = await launchChromium();
  const rows: BenchRow[] = [];
  try {
    for (const c of CASES) {
      const run = await runProject(c.project, { analyses: false });
      const site = indexSite(siteData(run));
      const page = await browser.context.newPage();
      await page.setContent('<!doctype html><title>bench</title>');
      await page.addScriptTag({ content: engine });
      const args = {
        live: site.data.live,
        codes: site.aggregateCodes,
        level: site.weightLevel,
        weightCodes: site.weightCodes,
      };
      // a string, not a function: tsx would add helpers (__name) that do not exist in the page
      const r = (await page.evaluate(`(${IN_PAGE})(${JSON.stringify(args)})`)) as { inner: number; trip: number };
      await page.close();
      rows.push({
        name: `site recompute ${c.label}, Chromium worker`,
        seconds: r.inner / 1000,
        target: `≤ ${c.target * 1000} ms`,
        pass: r.inner / 1000 <= c.target,
        notes: `round trip page→worker→page ${r.trip.toFixed(2)} ms; ${site.weightCodes.length} weights`,
      });
    }
  } finally {
    await browser.close();
  }
  return rows;
}
