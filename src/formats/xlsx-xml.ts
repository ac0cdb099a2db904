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
      const name = buf.slice(lt + 2, gt).trim();
      const open = this.stack.pop();
      if (open !== name) throw new XmlError(`</${name}> closes <${open ?? 'nothing'}>`);
      this.h.close(name);
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
    const name = buf.slice(lt + 1, k);
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
