/**
 * Smaller report HTML (issue 11, item 4): the report draws the same China map up to seven times (index,
 * four dimensions, tiers, LISA), each with the full geometry of 368 regions inline — 3.4 MB of the
 * cdgi-2020 report's 3.5 MB. `shareRepeatedPaths` writes each repeated path outline once, in a hidden
 * `<defs>` block, and draws every copy with `<use href="#…">` carrying the copy's own fill, stroke,
 * `data-region` and tooltip; ECharts' internal `ecmeta_*` attributes are dropped. What a reader sees
 * and prints is unchanged. Pure string work, browser-safe.
 */

/** Outlines shorter than this stay inline (a `<use>` would save little). */
const MIN_SHARED_LENGTH = 120;

/**
 * Share the outlines that occur more than once across the SVGs of `html`: one `<path id="…" d="…">` each
 * in a hidden SVG placed before `</main>` (or at the end), every occurrence a `<use>` with the same
 * attributes (and `<title>`) as the path it replaces. Also drops ECharts' `ecmeta_*` attributes.
 * @example
 * const d = 'M0 0L' + '1 1L'.repeat(40) + '2 2Z';
 * const p = (fill: string) => `<path d="${d}" fill="${fill}" data-region="1"></path>`;
 * const out = shareRepeatedPaths(`<main><svg>${p('red')}</svg><svg>${p('blue')}</svg></main>`);
 * [out.split(d).length - 1, out.includes('<use href="#cg0" fill="blue" data-region="1"></use>')] // => [1, true]
 */
export function shareRepeatedPaths(html: string): string {
  const stripped = html.replace(/ ecmeta_[a-z_]+="[^"]*"/g, '');
  const pathRe = /<path d="([^"]+)"([^>]*)>(<title>[^<]*<\/title>)?<\/path>/g;
  const count = new Map<string, number>();
  for (const m of stripped.matchAll(pathRe))
    if (m[1].length >= MIN_SHARED_LENGTH) count.set(m[1], (count.get(m[1]) ?? 0) + 1);
  const ids = new Map<string, string>();
  for (const [d, n] of count) if (n > 1) ids.set(d, `cg${ids.size}`);
  if (!ids.size) return stripped;
  const body = stripped.replace(pathRe, (m, d: string, attrs: string, title: string | undefined) => {
    const id = ids.get(d);
    return id === undefined ? m : `<use href="#${id}"${attrs}>${title ?? ''}</use>`;
  });
  // a hidden SVG (not display:none, which some renderers also apply to what <use> draws)
  const defs =
    '<svg width="0" height="0" style="position:absolute;width:0;height:0;overflow:hidden" aria-hidden="true">' +
    `<defs>${[...ids].map(([d, id]) => `<path id="${id}" d="${d}"></path>`).join('')}</defs></svg>`;
  const at = body.lastIndexOf('</main>');
  return at < 0 ? body + defs : body.slice(0, at) + defs + body.slice(at);
}
