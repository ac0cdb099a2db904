/**
 * A small streaming XML tokenizer for the parts of an XLSX workbook (SpreadsheetML is plain XML: tags,
 * attributes, text, the five predefined entities and character references; no DTD). Text is fed in
 * chunks as it inflates; events come out as soon as a token is complete, so memory is one chunk plus
 * the unfinished token, whatever the size of the part. A general SAX parser (saxes) reads sheet XML at
 * ~10 MB/s here; this one at several times that, which a 10⁶-row sheet (~0.4 GB of XML) needs.
 * Checked: tags nest and close in order, one root, entities known, no DOCTYPE (so no entity
 * expansion at all), no token longer than `maxToken` characters. Pure.
 */

/** What the tokenizer reports; `attrs` is the raw attribute text, parsed on demand with `parseAttributes`. */
export interface XmlHandlers {
  open(name: string, attrs: string, selfClosing: boolean): void;
  close(name: string): void;
  text(text: string): void;
}

/** Not well-formed XML; the caller turns it into a located error. */
export class XmlError extends Error {}

const ENTITIES = new Map([
  ['lt', '<'],
  ['gt', '>'],
  ['amp', '&'],
  ['quot', '"'],
  ['apos', "'"],
]);

/**
 * Replace the predefined entities and character references of XML text or an attribute value.
 * @example decodeEntities('a &lt; b &amp;&#x4E2D;&#25991;') // => 'a < b &中文'
 */
export function decodeEntities(s: string): string {
  if (s.indexOf('&') < 0) return s;
  return s.replace(/&([^;&\s]{1,10});/g, (m, name: string) => {
    if (name.charCodeAt(0) === 35) {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      if (!Number.isInteger(code) || code < 1 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff))
        throw new XmlError(`invalid character reference ${m}`);
      return String.fromCodePoint(code);
    }
    const v = ENTITIES.get(name);
    if (v === undefined) throw new XmlError(`unknown entity ${m}`);
    return v;
  });
}

/**
 * The attributes of a tag's raw attribute text, as a null-prototype record (names such as
 * `constructor` are plain keys). Values have their entities decoded.
 * @example parseAttributes(' r="A1" t=\'s\' x:id="&amp;"') // => { r: 'A1', t: 's', 'x:id': '&' }
 */
export function parseAttributes(raw: string): Record<string, string> {
  const out = Object.create(null) as Record<string, string>;
  const re = /([^\s=/]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
  for (let m = re.exec(raw); m; m = re.exec(raw)) out[m[1]] = decodeEntities(m[2] ?? m[3]);
  return out;
}

/**
 * One attribute of a tag's raw attribute text, without building a record: the fast path of a sheet's
 * `<c r="A1" t="s">` (10⁷ of them in a large sheet). Unusual spellings (single quotes, spaces around
 * `=`) fall back to `parseAttributes`.
 * @example attribute(' r="B7" t="s"', 't') // => 's'
 * @example attribute(" r='B7'", 'r') // => 'B7'
 * @example attribute(' r="B7"', 's') // => undefined
 */
export function attribute(raw: string, name: string): string | undefined {
  if (raw.indexOf("'") >= 0 || raw.indexOf('= ') >= 0 || raw.indexOf(' =') >= 0) return parseAttributes(raw)[name];
  let needle = NEEDLES.get(name);
  if (needle === undefined) NEEDLES.set(name, (needle = `${name}="`));
  let k = raw.indexOf(needle);
  while (k > 0 && !isSpace(raw.charCodeAt(k - 1))) k = raw.indexOf(needle, k + 1);
  if (k < 0) return undefined;
  const from = k + name.length + 2;
  const v = raw.slice(from, raw.indexOf('"', from));
  return v.indexOf('&') >= 0 ? decodeEntities(v) : v;
}

/**
 * Attributes with one-letter names (a sheet cell's `r`, `t`, `s`) of a tag's raw attribute text, in one
 * pass and without a record: `onAttr(letter code, value)` for each. Longer names are skipped.
 * @example
 * const seen: string[] = [];
 * oneLetterAttributes(' r="B7" xml:space="x" t = \'s\'', (c, v) => void seen.push(`${String.fromCharCode(c)}=${v}`));
 * seen // => ['r=B7', 't=s']
 */
export function oneLetterAttributes(raw: string, onAttr: (letter: number, value: string) => void): void {
  const n = raw.length;
  let k = 0;
  while (k < n) {
    const eq = raw.indexOf('=', k);
    if (eq < 0) return;
    let e = eq;
    while (e > k && isSpace(raw.charCodeAt(e - 1))) e--;
    let b = e;
    while (b > k && !isSpace(raw.charCodeAt(b - 1))) b--;
    let q = eq + 1;
    while (q < n && isSpace(raw.charCodeAt(q))) q++;
    const quote = raw.charCodeAt(q);
    if (quote !== 34 && quote !== 39) throw new XmlError('an attribute value without quotes');
    const close = raw.indexOf(quote === 34 ? '"' : "'", q + 1);
    if (close < 0) throw new XmlError('an unclosed attribute value');
    if (e - b === 1) {
      const v = raw.slice(q + 1, close);
      onAttr(raw.charCodeAt(b), v.indexOf('&') >= 0 ? decodeEntities(v) : v);
    }
    k = close + 1;
  }
}

/** `name="` of the attributes asked for, built once. */
const NEEDLES = new Map<string, string>();

/** The one-letter tags of a sheet (`c`, `v`, `f`, `t`, `r`) as shared strings, not a new slice per cell. */
const ONE_LETTER = new Map([...'cvftr'].map((ch) => [ch.charCodeAt(0), ch]));

const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13;

/**
 * Streaming tokenizer: `write` chunks of text, then `end`. Throws `XmlError` for what is not
 * well-formed (within the checks listed above).
 * @example
 * const seen: string[] = [];
 * const x = new XmlTokenizer({
 *   open: (name) => void seen.push(`<${name}>`),
 *   close: (name) => void seen.push(`</${name}>`),
 *   text: (t) => void seen.push(t),
 * });
 * x.write('<a><b k="1">x &amp;');
 * x.write(' y</b><c/></a>');
 * x.end();
 * seen // => ['<a>', '<b>', 'x & y', '</b>', '<c>', '</c>', '</a>']
 */
export class XmlTokenizer {
  private carry = '';
  private readonly stack: string[] = [];
  private rooted = false;
  constructor(
    private readonly h: XmlHandlers,
    private readonly maxToken = 1 << 20,
  ) {}

  write(chunk: string): void {
    const buf = this.carry ? this.carry + chunk : chunk;
    const n = buf.length;
    let i = 0;
    for (;;) {
      const lt = buf.indexOf('<', i);
      if (lt < 0) {
        // Text up to the end: keep it for the next chunk (an entity may be cut), unless it grows long.
        const rest = buf.slice(i);
        if (rest.length > this.maxToken) {
          const amp = rest.lastIndexOf('&');
          const cut = amp >= 0 && rest.length - amp < 12 ? amp : rest.length;
          this.textOut(rest.slice(0, cut));
          this.carry = rest.slice(cut);
        } else this.carry = rest;
        return;
      }
      if (lt > i) this.textOut(buf.slice(i, lt));
      const c1 = buf.charCodeAt(lt + 1);
      let end: number;
      if (c1 === 33 /* ! */) {
        if (buf.startsWith('<!--', lt)) {
          end = buf.indexOf('-->', lt + 4);
          if (end < 0) return this.keep(buf, lt);
          i = end + 3;
        } else if (buf.startsWith('<![CDATA[', lt)) {
          end = buf.indexOf(']]>', lt + 9);
          if (end < 0) return this.keep(buf, lt);
          if (this.stack.length === 0) throw new XmlError('text outside the root element');
          this.h.text(buf.slice(lt + 9, end));
          i = end + 3;
        } else if (n - lt < 9) return this.keep(buf, lt);
        else throw new XmlError('DOCTYPE or declaration not allowed in a workbook part');
        continue;
      }
      if (c1 === 63 /* ? */) {
        end = buf.indexOf('?>', lt + 2);
        if (end < 0) return this.keep(buf, lt);
        i = end + 2;
        continue;
      }
      // A tag: find its '>' outside quoted attribute values.
      end = -1;
      let quote = 0;
      for (let k = lt + 1; k < n; k++) {
        const c = buf.charCodeAt(k);
        if (quote) {
          if (c === quote) quote = 0;
        } else if (c === 34 || c === 39) quote = c;
        else if (c === 62) {
          end = k;
          break;
        } else if (c === 60) throw new XmlError('"<" inside a tag');
      }
      if (end < 0) return this.keep(buf, lt);
      this.tag(buf, lt, end);
      i = end + 1;
    }
  }

  /** The input is complete: every element must be closed. */
  end(): void {
    if (this.carry.trim() !== '' || this.stack.length > 0)
      throw new XmlError(
        `unexpected end of part (unclosed <${this.stack[this.stack.length - 1] ?? this.carry.slice(0, 20)}>)`,
      );
    if (!this.rooted) throw new XmlError('no root element');
  }

  private keep(buf: string, from: number): void {
    this.carry = buf.slice(from);
    if (this.carry.length > this.maxToken) throw new XmlError(`a markup token longer than ${this.maxToken} characters`);
  }

  private textOut(t: string): void {
    if (this.stack.length === 0) {
      if (t.trim() !== '') throw new XmlError('text outside the root element');
      return;
    }
    this.h.text(decodeEntities(t));
  }

  private tag(buf: string, lt: number, gt: number): void {
    if (buf.charCodeAt(lt + 1) === 47 /* / */) {
      // Compare with the open tag in place (no new string per closing tag).
      const open = this.stack.pop();
      const end = lt + 2 + (open?.length ?? 0);
      if (open === undefined || !buf.startsWith(open, lt + 2) || (end < gt && buf.slice(end, gt).trim() !== ''))
        throw new XmlError(`</${buf.slice(lt + 2, gt).trim()}> closes <${open ?? 'nothing'}>`);
      this.h.close(open);
      return;
    }
    const self = buf.charCodeAt(gt - 1) === 47;
    const stop = self ? gt - 1 : gt;
    let k = lt + 1;
    while (k < stop) {
      const c = buf.charCodeAt(k);
      if (c === 32 || c === 9 || c === 10 || c === 13) break;
      k++;
    }
    const name = k === lt + 2 ? (ONE_LETTER.get(buf.charCodeAt(lt + 1)) ?? buf.slice(lt + 1, k)) : buf.slice(lt + 1, k);
    if (name === '') throw new XmlError('a tag without a name');
    if (this.stack.length === 0) {
      if (this.rooted) throw new XmlError('a second root element');
      this.rooted = true;
    }
    const attrs = k < stop ? buf.slice(k, stop) : '';
    this.stack.push(name);
    this.h.open(name, attrs, self);
    if (self) {
      this.stack.pop();
      this.h.close(name);
    }
  }
}
