/**
 * The right-hand side of `expr // => expected` in an `@example`: a small literal language, parsed here and
 * compared with the value of `expr`. Grammar and meaning are documented in `tests/doc-examples.test.ts`.
 */

/** A parsed expected value. */
export type Expected =
  | { kind: 'number'; value: number; tolerance: number; text: string }
  | { kind: 'string'; value: string }
  | { kind: 'atom'; value: boolean | null | undefined }
  | { kind: 'array'; items: Expected[]; prefix: boolean; typed?: string }
  | { kind: 'object'; entries: Array<[string, Expected]>; subset: boolean }
  | { kind: 'throws'; code: string };

/** Where parsing stopped and what was expected there. */
export class ExpectedSyntaxError extends Error {}

const TYPED_ARRAYS = new Set([
  'Float64Array',
  'Float32Array',
  'Int32Array',
  'Int16Array',
  'Int8Array',
  'Uint32Array',
  'Uint16Array',
  'Uint8Array',
]);
const ELLIPSIS = /^(…|\.\.\.)/;

class Reader {
  pos = 0;
  constructor(readonly text: string) {}
  skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos])) this.pos++;
  }
  rest(): string {
    return this.text.slice(this.pos);
  }
  eat(token: string): boolean {
    this.skipSpace();
    if (!this.text.startsWith(token, this.pos)) return false;
    this.pos += token.length;
    return true;
  }
  ellipsis(): boolean {
    this.skipSpace();
    const m = ELLIPSIS.exec(this.rest());
    if (!m) return false;
    this.pos += m[0].length;
    return true;
  }
  fail(what: string): never {
    throw new ExpectedSyntaxError(`expected ${what} at "${this.rest().slice(0, 30)}" in "${this.text}"`);
  }
}

/**
 * Parse the expected value at the start of `text`; what follows it (after white space) is a remark and
 * is returned as `remark`.
 */
export function parseExpected(text: string): { expected: Expected; remark: string } {
  const r = new Reader(text);
  r.skipSpace();
  const throws = /^throws\s+([A-Z][A-Z0-9_]*)/.exec(r.rest());
  let expected: Expected;
  if (throws) {
    r.pos += throws[0].length;
    expected = { kind: 'throws', code: throws[1] };
  } else {
    expected = value(r);
  }
  const remark = r.rest();
  if (remark !== '' && !/^\s/.test(remark)) r.fail('the end of the value (a remark must follow a space)');
  return { expected, remark: remark.trim() };
}

function value(r: Reader): Expected {
  r.skipSpace();
  const rest = r.rest();
  const num = /^(-?)(\d+(?:\.(\d*))?|\.(\d+))(?:e([+-]?\d+))?(…|\.\.\.(?!\.))?/.exec(rest);
  if (num && !/^[\w$]/.test(rest.slice(num[0].length))) {
    r.pos += num[0].length;
    const digits = num[0].replace(ELLIPSIS, '').replace(/(…|\.\.\.)$/, '');
    const v = Number(digits);
    const decimals = (num[3] ?? num[4] ?? '').length;
    const exponent = num[5] ? Number(num[5]) : 0;
    const leading = num[6] !== undefined;
    const denominator = leading ? undefined : /^\/(\d+(?:\.\d+)?)(?![\w.])/.exec(r.rest());
    if (denominator) {
      r.pos += denominator[0].length;
      const q = v / Number(denominator[1]);
      return {
        kind: 'number',
        value: q,
        tolerance: 1e-12 * Math.max(1, Math.abs(q)),
        text: `${digits}/${denominator[1]}`,
      };
    }
    const tolerance = leading ? 10 ** (exponent - decimals) : 1e-12 * Math.max(1, Math.abs(v));
    return { kind: 'number', value: v, tolerance, text: digits + (leading ? '…' : '') };
  }
  for (const [word, v] of [
    ['-Infinity', -Infinity],
    ['Infinity', Infinity],
    ['NaN', NaN],
  ] as const) {
    if (startsWord(rest, word)) {
      r.pos += word.length;
      return { kind: 'number', value: v, tolerance: 0, text: word };
    }
  }
  for (const [word, v] of [
    ['true', true],
    ['false', false],
    ['null', null],
    ['undefined', undefined],
  ] as const) {
    if (startsWord(rest, word)) {
      r.pos += word.length;
      return { kind: 'atom', value: v };
    }
  }
  if (rest[0] === "'" || rest[0] === '"') return { kind: 'string', value: quoted(r) };
  const typed = /^([A-Z][A-Za-z0-9]*Array)\s*\[/.exec(rest);
  if (typed && TYPED_ARRAYS.has(typed[1])) {
    r.pos += typed[1].length;
    r.eat('[');
    return { ...arrayItems(r), typed: typed[1] };
  }
  if (r.eat('[')) return arrayItems(r);
  if (r.eat('{')) return objectEntries(r);
  return r.fail('a number, string, true/false/null/undefined, [array], TypedArray [..], {object} or throws CODE');
}

function startsWord(text: string, word: string): boolean {
  return text.startsWith(word) && !/^[\w$]/.test(text.slice(word.length));
}

function quoted(r: Reader): string {
  const quote = r.text[r.pos];
  let out = '';
  let i = r.pos + 1;
  for (; i < r.text.length && r.text[i] !== quote; i++) {
    if (r.text[i] === '\\') {
      const next = r.text[++i];
      out += ({ n: '\n', t: '\t', '0': '\u0000' } as Record<string, string>)[next] ?? next;
    } else {
      out += r.text[i];
    }
  }
  if (i >= r.text.length) r.fail(`a closing ${quote}`);
  r.pos = i + 1;
  return out;
}

function arrayItems(r: Reader): Expected & { kind: 'array' } {
  const items: Expected[] = [];
  let prefix = false;
  while (!r.eat(']')) {
    if (r.ellipsis()) {
      prefix = true;
      if (!r.eat(']')) r.fail('] after …');
      break;
    }
    items.push(value(r));
    if (!r.eat(',') && !/^\s*\]/.test(r.rest())) r.fail(', or ]');
  }
  return { kind: 'array', items, prefix };
}

function objectEntries(r: Reader): Expected {
  const entries: Array<[string, Expected]> = [];
  let subset = false;
  while (!r.eat('}')) {
    if (r.ellipsis()) {
      subset = true;
      if (!r.eat('}')) r.fail('} after …');
      break;
    }
    r.skipSpace();
    let key: string;
    if (r.text[r.pos] === "'" || r.text[r.pos] === '"') key = quoted(r);
    else {
      const m = /^[A-Za-z_$][\w$]*/.exec(r.rest());
      if (!m) r.fail('a key');
      key = m[0];
      r.pos += key.length;
    }
    if (!r.eat(':')) r.fail(': after a key');
    entries.push([key, value(r)]);
    if (!r.eat(',') && !/^\s*\}/.test(r.rest())) r.fail(', or }');
  }
  return { kind: 'object', entries, subset };
}

/** Differences between `actual` and `expected`, each as "path: what" (empty when they match). */
export function compare(actual: unknown, expected: Expected, path = ''): string[] {
  const at = path || 'value';
  switch (expected.kind) {
    case 'number': {
      if (typeof actual !== 'number') return [`${at}: expected the number ${expected.text}, got ${show(actual)}`];
      if (Number.isNaN(expected.value)) return Number.isNaN(actual) ? [] : [`${at}: expected NaN, got ${actual}`];
      if (actual === expected.value) return [];
      const ok = Math.abs(actual - expected.value) <= expected.tolerance;
      return ok ? [] : [`${at}: expected ${expected.text}, got ${actual}`];
    }
    case 'string':
    case 'atom':
      return Object.is(actual, expected.value) ? [] : [`${at}: expected ${show(expected.value)}, got ${show(actual)}`];
    case 'array': {
      const isArrayLike = Array.isArray(actual) || ArrayBuffer.isView(actual);
      if (!isArrayLike) return [`${at}: expected an array, got ${show(actual)}`];
      const list = actual as ArrayLike<unknown> & { constructor: { name: string } };
      if (expected.typed && list.constructor.name !== expected.typed) {
        return [`${at}: expected a ${expected.typed}, got a ${list.constructor.name}`];
      }
      const n = expected.items.length;
      if (expected.prefix ? list.length < n : list.length !== n) {
        return [`${at}: expected ${expected.prefix ? 'at least ' : ''}${n} items, got ${list.length}: ${show(actual)}`];
      }
      return expected.items.flatMap((item, k) => compare(list[k], item, `${path}[${k}]`));
    }
    case 'object': {
      if (typeof actual !== 'object' || actual === null) return [`${at}: expected an object, got ${show(actual)}`];
      const record = actual as Record<string, unknown>;
      const out = expected.entries.flatMap(([key, item]) => {
        if (!(key in record)) return [`${path}.${key}: missing`];
        return compare(record[key], item, `${path}.${key}`);
      });
      if (!expected.subset) {
        const wanted = new Set(expected.entries.map(([key]) => key));
        for (const key of Object.keys(record)) {
          if (!wanted.has(key)) out.push(`${path}.${key}: not expected (end the object with … to allow more keys)`);
        }
      }
      return out;
    }
    case 'throws':
      return [`${at}: expected to throw ${expected.code}, got ${show(actual)}`];
  }
}

function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (ArrayBuffer.isView(v))
    return `${v.constructor.name} [${Array.from(v as unknown as ArrayLike<number>).join(', ')}]`;
  try {
    const s = JSON.stringify(v, (_k, x: unknown) => (ArrayBuffer.isView(x) ? Array.from(x as never) : x));
    return s === undefined ? String(v) : s.length > 200 ? `${s.slice(0, 200)}…` : s;
  } catch {
    return String(v);
  }
}
