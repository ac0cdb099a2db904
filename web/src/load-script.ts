/**
 * Load a classic script once (the map data and the engine's worker source are scripts, not fetched
 * files, so the site also works opened from files).
 */
const loading = new Map<string, Promise<void>>();

/**
 * Add `<script src>` once; resolves when it has run.
 * @example // no-run: needs a browser
 * await loadScript('data/china-map.js');
 */
export function loadScript(src: string): Promise<void> {
  let p = loading.get(src);
  if (!p) {
    p = new Promise<void>((resolve, reject) => {
      const s = document.createElement('script');
      s.src = src;
      s.onload = () => resolve();
      s.onerror = () => reject(new Error(`could not load ${src}`));
      document.head.appendChild(s);
    });
    loading.set(src, p);
  }
  return p;
}
