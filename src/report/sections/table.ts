/** The report's HTML table (shared by html.ts and the section modules). */

/** ` data-label="…"` of a column heading (its text, tags removed), or nothing for an empty heading. */
function cellLabel(head: string): string {
  const text = head
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return text ? ` data-label="${text.replace(/"/g, '&quot;')}"` : '';
}

/**
 * An HTML table: headings (HTML), rows of cells (HTML), the numeric columns (right-aligned), an
 * optional class per row and per cell. Each cell carries its column's heading as `data-label`, which
 * the phone layout prints before the value when a row becomes a card.
 * @example
 * table(['City', 'Score'], [['杭州', '96.2']], [1]).includes('<td class="num" data-label="Score">96.2</td>') // => true
 */
export function table(
  head: string[],
  rows: string[][],
  numCols: number[] = [],
  rowClass?: (i: number) => string,
  options: { className?: string; cellClass?: (k: number) => string } = {},
): string {
  const th = head.map((h, k) => `<th${numCols.includes(k) ? ' class="num"' : ''}>${h}</th>`).join('');
  const cls = (k: number) => [numCols.includes(k) ? 'num' : '', options.cellClass?.(k) ?? ''].filter(Boolean).join(' ');
  // on a phone a row becomes a card and each cell is prefixed with its column's heading
  const label = head.map((h) => cellLabel(h));
  const body = rows
    .map(
      (r, i) =>
        `<tr${rowClass?.(i) ? ` class="${rowClass(i)}"` : ''}>` +
        r.map((c, k) => `<td${cls(k) ? ` class="${cls(k)}"` : ''}${label[k]}>${c}</td>`).join('') +
        '</tr>',
    )
    .join('\n');
  const tableClass = options.className ? ` class="${options.className}"` : '';
  return `<table${tableClass}><thead><tr>${th}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}
