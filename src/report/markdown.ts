/**
 * A very small Markdown-to-HTML converter for case bodies in the report: headings, paragraphs,
 * bullet and numbered lists, **bold**, *italic*, `code` and [text](url). Everything is escaped first;
 * links are printed as text with their address (the report opens offline and loads nothing).
 */
import { pickText, type Lang } from '../engine/i18n/index.ts';
import { stripNul } from '../formats/safe-text.ts';

/**
 * Escape text for HTML (element content and attribute values); NUL characters from input files are dropped.
 * @example escapeHtml('<a & "b">') // => '&lt;a &amp; &quot;b&quot;&gt;'
 * @example escapeHtml('Aus\u0000tria') // => 'Austria'
 */
export function escapeHtml(s: string): string {
  return stripNul(s)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

function inline(s: string): string {
  return escapeHtml(s)
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
    .replace(/(^|[^*])\*([^*\s][^*]*)\*/g, '$1<em>$2</em>')
    .replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, '$1 <span class="url">($2)</span>');
}

/**
 * Convert a Markdown fragment to HTML; `headingOffset` shifts heading levels (`#` → h(1 + offset)).
 * @example markdownToHtml('# T\n\n- **a**\n- b', 3) // => '<h4>T</h4>\n<ul><li><strong>a</strong></li><li>b</li></ul>'
 */
export function markdownToHtml(md: string, headingOffset = 0): string {
  const out: string[] = [];
  let list: 'ul' | 'ol' | null = null;
  let items: string[] = [];
  let para: string[] = [];
  const flushPara = () => {
    if (para.length) {
      out.push(`<p>${inline(para.join(' '))}</p>`);
      para = [];
    }
  };
  const flushList = () => {
    if (list) {
      out.push(`<${list}>${items.map((i) => `<li>${inline(i)}</li>`).join('')}</${list}>`);
      list = null;
      items = [];
    }
  };
  for (const raw of md.replace(/\r\n?/g, '\n').split('\n')) {
    const line = raw.trimEnd();
    const h = /^(#{1,6})\s+(.*)$/.exec(line);
    const ul = /^\s*[-*+]\s+(.*)$/.exec(line);
    const ol = /^\s*\d+[.)]\s+(.*)$/.exec(line);
    if (h) {
      flushPara();
      flushList();
      const lvl = Math.min(6, h[1].length + headingOffset);
      out.push(`<h${lvl}>${inline(h[2])}</h${lvl}>`);
    } else if (ul || ol) {
      flushPara();
      const kind = ul ? 'ul' : 'ol';
      if (list !== kind) {
        flushList();
        list = kind;
      }
      items.push((ul ?? ol)![1]);
    } else if (line.trim() === '') {
      flushPara();
      flushList();
    } else if (list && /^\s{2,}\S/.test(raw)) items[items.length - 1] += ' ' + line.trim();
    else {
      flushList();
      para.push(line.trim());
    }
  }
  flushPara();
  flushList();
  return out.join('\n');
}

/**
 * The part of a bilingual case body for one language: a body with an `## English summary` heading is
 * split there (Chinese before, English from it); a body without one is used whole.
 * @example bodyForLanguage('中文\n\n## English summary\n\nText', 'en') // => '## English summary\n\nText'
 */
export function bodyForLanguage(body: string, lang: Lang): string {
  const m = /^#{1,6}\s+English( summary)?\s*$/im.exec(body);
  if (!m) return body;
  return pickText({ zh: body.slice(0, m.index).trim(), en: body.slice(m.index).trim() }, lang);
}
