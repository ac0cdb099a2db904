/**
 * `__proto__` as an ordinary key. Codes are user data, and `__proto__` is a valid code (an indicator,
 * a unit); zod drops a `__proto__` key from the objects it returns (so that it cannot replace their
 * prototype), which would silently lose e.g. the manual weight of an indicator coded `__proto__`.
 * `safeParseOwnKeys` validates such a key like any other and keeps it as an own property.
 */
import type * as z from 'zod';

/** What a `__proto__` key is called while zod validates (a word joiner keeps it unlike any code). */
const STANDIN = '__proto__\u2060';

const isRecord = (x: unknown): x is Record<string, unknown> =>
  !!x && typeof x === 'object' && !Array.isArray(x) && !ArrayBuffer.isView(x);

/** True when some object inside `x` has an own `__proto__` key (walked without recursion). */
function hasProtoKey(x: unknown): boolean {
  const stack = [x];
  while (stack.length) {
    const v = stack.pop();
    if (Array.isArray(v)) stack.push(...v);
    else if (isRecord(v)) {
      if (Object.hasOwn(v, '__proto__')) return true;
      stack.push(...Object.values(v));
    }
  }
  return false;
}

/** A copy of `x` with every own key `from` renamed `to` (plain objects and arrays copied, as own data). */
function renameKeys(x: unknown, from: string, to: string): unknown {
  if (Array.isArray(x)) return x.map((v) => renameKeys(v, from, to));
  if (!isRecord(x)) return x;
  const out: Record<string, unknown> = Object.getPrototypeOf(x) === null ? Object.create(null) : {};
  for (const [k, v] of Object.entries(x))
    Object.defineProperty(out, k === from ? to : k, {
      value: renameKeys(v, from, to),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  return out;
}

/**
 * `schema.safeParse(value)`, keeping own `__proto__` keys of `value` (validated like any key, returned
 * as own properties) and naming them `__proto__` in the issues' paths and key lists. Without such a
 * key, exactly `schema.safeParse(value)`.
 * @example
 * import * as z from 'zod';
 * const weights = z.record(z.string(), z.number());
 * const r = safeParseOwnKeys(weights, JSON.parse('{"__proto__": 2, "a": 1}'));
 * Object.keys(r.data ?? {}) // => ['__proto__', 'a']
 * safeParseOwnKeys(weights, JSON.parse('{"__proto__": "x"}')).error?.issues[0].path // => ['__proto__']
 */
export function safeParseOwnKeys<S extends z.ZodType>(schema: S, value: unknown): z.ZodSafeParseResult<z.output<S>> {
  if (!hasProtoKey(value)) return schema.safeParse(value);
  const r = schema.safeParse(renameKeys(value, '__proto__', STANDIN));
  if (r.success) return { success: true, data: renameKeys(r.data, STANDIN, '__proto__') as z.output<S> };
  const back = (k: PropertyKey): PropertyKey => (k === STANDIN ? '__proto__' : k);
  for (const issue of r.error.issues) {
    // the issues are zod's plain objects, typed read-only: name the key as the user wrote it
    const mutable = issue as { path: PropertyKey[]; keys?: string[] };
    mutable.path = issue.path.map(back);
    if (issue.code === 'unrecognized_keys') mutable.keys = issue.keys.map((k) => String(back(k)));
  }
  return r;
}
