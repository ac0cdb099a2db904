/**
 * Every view's state in the URL hash, so a view can be shared and reloaded: `#/<view>[/<unit>]?k=v&…`.
 * Views: overview, city/<adcode>, compare (u=a,b,…), whatif/<adcode>, method, cases, kpi, downloads, workbench
 * (page=…, on the platform). Common
 * parameters: lang (zh|en), w (dimension weights `CODE:1.5,CODE:0`). Parsing is strict and bounded:
 * unknown views fall back to the overview, lookups use Maps, sizes are capped.
 */

/** The views of the site. */
export const VIEWS = [
  'overview',
  'city',
  'compare',
  'whatif',
  'method',
  'cases',
  'kpi',
  'downloads',
  'workbench',
] as const;
export type View = (typeof VIEWS)[number];

/** A parsed route. */
export interface Route {
  view: View;
  /** The unit of `city` and `whatif`. */
  unit: string | null;
  /** Query parameters (own keys only). */
  params: Map<string, string>;
}

const MAX_HASH = 4000;

/**
 * Parse a location hash.
 * @example parseRoute('#/city/330100?lang=en').unit // => '330100'
 * @example parseRoute('#/nope').view // => 'overview'
 */
export function parseRoute(hash: string): Route {
  const h = hash.slice(0, MAX_HASH).replace(/^#\/?/, '');
  const q = h.indexOf('?');
  const path = (q < 0 ? h : h.slice(0, q)).split('/').filter(Boolean);
  const params = new Map<string, string>();
  if (q >= 0) {
    for (const [k, v] of new URLSearchParams(h.slice(q + 1))) if (!params.has(k)) params.set(k, v.slice(0, 500));
  }
  const view = (VIEWS as readonly string[]).includes(path[0] ?? '') ? (path[0] as View) : 'overview';
  const unit =
    (view === 'city' || view === 'whatif') && path[1] && /^[0-9A-Za-z_-]{1,40}$/.test(path[1]) ? path[1] : null;
  return { view, unit, params };
}

/**
 * The hash of a route (parameters in insertion order, empty values dropped).
 * @example
 * const params = new Map([['lang', 'en']]);
 * formatRoute({ view: 'city', unit: '330100', params }) // => '#/city/330100?lang=en'
 */
export function formatRoute(r: Route): string {
  const path = r.unit && (r.view === 'city' || r.view === 'whatif') ? `${r.view}/${r.unit}` : r.view;
  const qs = new URLSearchParams();
  for (const [k, v] of r.params) if (v !== '') qs.set(k, v);
  const s = qs.toString();
  return `#/${path}${s ? `?${s}` : ''}`;
}

/**
 * Dimension weights from the `w` parameter: only known codes, finite values in [0, 10].
 * @example [...parseWeights('A:2,B:0,C:x,__proto__:1', ['A', 'B', 'C'])] // => [['A', 2], ['B', 0]]
 */
export function parseWeights(text: string | undefined, codes: readonly string[]): Map<string, number> {
  const out = new Map<string, number>();
  if (!text) return out;
  const known = new Set(codes);
  for (const part of text.split(',').slice(0, 200)) {
    const k = part.lastIndexOf(':');
    if (k < 0) continue;
    const code = part.slice(0, k);
    const v = Number(part.slice(k + 1));
    if (known.has(code) && part.slice(k + 1) !== '' && Number.isFinite(v) && v >= 0 && v <= 10) out.set(code, v);
  }
  return out;
}

/**
 * The `w` parameter of weights that differ from the published ones ('' when none differ).
 * @example formatWeights(new Map([['A', 2], ['B', 1]]), new Map([['A', 1], ['B', 1]])) // => 'A:2'
 */
export function formatWeights(weights: ReadonlyMap<string, number>, published: ReadonlyMap<string, number>): string {
  return [...weights]
    .filter(([c, v]) => published.get(c) !== v)
    .map(([c, v]) => `${c}:${+v.toFixed(3)}`)
    .join(',');
}
