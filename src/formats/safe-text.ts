/**
 * Spreadsheet formula-injection guard (OWASP CSV injection): text starting with = + - @ TAB CR gets a
 * leading apostrophe.
 */

/**
 * Neutralise a text cell for CSV/XLSX export. Numbers are never passed here.
 * @example safeText('=1+1') // => "'=1+1"
 * @example safeText('杭州') // => '杭州'
 */
export function safeText(s: string): string {
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}
