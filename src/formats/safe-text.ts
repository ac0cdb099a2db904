/**
 * Text that leaves cityindex for a spreadsheet or a report:
 * - spreadsheet formula-injection guard (OWASP CSV injection): text starting with = + - @ TAB CR gets a
 *   leading apostrophe;
 * - NUL characters (U+0000) from input files are removed: they have no meaning in a name or label, and
 *   they truncate or corrupt text in many readers of CSV and HTML.
 * Values quoted in error messages are bounded where issues are made (`clipQuoted` in engine/core/errors.ts).
 */

// eslint-disable-next-line no-control-regex
const NUL = /\u0000/g;

/**
 * Remove NUL characters (U+0000) from text.
 * @example stripNul('Aus\u0000tria') // => 'Austria'
 * @example stripNul('杭州') // => '杭州'
 */
export function stripNul(s: string): string {
  return s.indexOf('\u0000') < 0 ? s : s.replace(NUL, '');
}

/**
 * Neutralise a text cell for CSV/XLSX export: NUL characters removed, formula-like text prefixed with an
 * apostrophe. Numbers are never passed here.
 * @example safeText('=1+1') // => "'=1+1"
 * @example safeText('杭州') // => '杭州'
 * @example safeText('Aus\u0000tria') // => 'Austria'
 */
export function safeText(s: string): string {
  const t = stripNul(s);
  return /^[=+\-@\t\r]/.test(t) ? `'${t}` : t;
}
