/**
 * The Web Worker running the real engine for the page: one `LiveSession` made from the site data on
 * `init`; then `reweight`, `explain`, `whatif`, `improve` and `sensitivity` requests, answered by id.
 * Built as a classic script (web/build.ts) and started from a Blob, so it also runs when the site is
 * opened from files.
 */
import { LiveSession, type LiveSettings } from './live.ts';
import { regionalFindings } from './regional.ts';
import type { WorkerRequest, WorkerResponse } from './protocol.ts';

let session: LiveSession | undefined;
let analyses: import('./site.ts').SiteData['analyses'];

function settingsOf(req: LiveSettings): LiveSettings {
  const s: LiveSettings = {};
  if (req.weights) s.weights = req.weights;
  if (req.indicators) s.indicators = req.indicators;
  if (req.normalise) s.normalise = req.normalise;
  if (req.aggregate) s.aggregate = req.aggregate;
  return s;
}

function answer(req: WorkerRequest): WorkerResponse {
  if (req.kind === 'init') {
    session = new LiveSession(req.live, req.codes, req.level);
    analyses = req.analyses;
    return { id: req.id, ok: true, value: session.publishedWeights() };
  }
  if (!session) throw new Error('the engine is not initialised');
  const t0 = performance.now();
  switch (req.kind) {
    case 'reweight': {
      const value = session.recompute(settingsOf(req));
      return { id: req.id, ok: true, value, ms: performance.now() - t0 };
    }
    case 'regional': {
      const s = settingsOf(req);
      const b = Object.keys(s).length ? session.buildOf(s) : session.published;
      return { id: req.id, ok: true, value: regionalFindings(b, analyses), ms: performance.now() - t0 };
    }
    case 'explain':
      return { id: req.id, ok: true, value: session.explain(req.unit, req.code) };
    case 'whatif':
      return { id: req.id, ok: true, value: session.whatIf(req.unit, req.values) };
    case 'improve':
      return { id: req.id, ok: true, value: session.improvements(req.unit, req.k) };
    case 'sensitivity':
      return { id: req.id, ok: true, value: session.weightSensitivity(req.N, req.factor), ms: performance.now() - t0 };
  }
}

self.onmessage = (e: MessageEvent<WorkerRequest>) => {
  let res: WorkerResponse;
  try {
    res = answer(e.data);
  } catch (err) {
    res = { id: e.data.id, ok: false, error: err instanceof Error ? err.message : String(err) };
  }
  (self as unknown as { postMessage(m: unknown): void }).postMessage(res);
};
