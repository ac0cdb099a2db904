/**
 * Turn zod validation errors into located cityindex issues (field = dotted path inside the file), each
 * saying what was expected: the type, the allowed values, the range or size, the allowed fields.
 */
import type { z } from 'zod';
import type { Issue } from './errors.ts';

type ZodIssue = z.core.$ZodIssue;

const TYPE_WORDS = new Map<string, string>([
  ['string', 'text'],
  ['number', 'a number'],
  ['int', 'a whole number'],
  ['boolean', 'true or false'],
  ['object', 'a mapping of fields (key: value)'],
  ['array', 'a list'],
  ['record', 'a mapping of fields (key: value)'],
  ['null', 'null'],
  ['undefined', 'nothing'],
  ['nonoptional', 'a value'],
  ['bigint', 'a whole number'],
  ['date', 'a date'],
  ['tuple', 'a list'],
]);

const literal = (v: unknown): string => (typeof v === 'string' ? `"${v}"` : String(v));

/** "a", "a or b", "one of: a, b, c". */
function oneOf(values: readonly string[]): string {
  const unique = [...new Set(values)];
  if (unique.length <= 2) return unique.join(' or ');
  return `one of: ${unique.join(', ')}`;
}

function bound(i: { minimum?: unknown; maximum?: unknown; inclusive?: boolean; origin?: string }, small: boolean) {
  const n = String(small ? i.minimum : i.maximum);
  const incl = i.inclusive !== false;
  switch (i.origin) {
    case 'array':
    case 'set':
      return `${small ? 'at least' : 'at most'} ${n} item${n === '1' ? '' : 's'}`;
    case 'string':
      return `${small ? 'at least' : 'at most'} ${n} character${n === '1' ? '' : 's'}`;
    default:
      return `a number ${small ? (incl ? '≥' : '>') : incl ? '≤' : '<'} ${n}`;
  }
}

/**
 * What a zod issue expected, in words: `direction: 2` → "1 or -1"; `method: minmaxx` → "one of: none,
 * minMax, …"; `range: [0]` → "at least 2 items". Undefined only when zod says nothing about it (a custom
 * refinement's message is then the rule itself).
 * @example
 * import * as z from 'zod';
 * const r = z.union([z.literal(1), z.literal(-1)]).safeParse(2);
 * zodExpectation(r.error!.issues[0]) // => '1 or -1'
 */
export function zodExpectation(i: ZodIssue): string | undefined {
  switch (i.code) {
    case 'invalid_type':
      return TYPE_WORDS.get(i.expected) ?? String(i.expected);
    case 'invalid_value':
      return oneOf(i.values.map(literal));
    case 'too_small':
      return bound(i, true);
    case 'too_big':
      return bound(i, false);
    case 'not_multiple_of':
      return `a multiple of ${String(i.divisor)}`;
    case 'invalid_format':
      return i.format === 'regex' ? i.message : `a valid ${i.format}`;
    case 'unrecognized_keys':
      return undefined;
    case 'invalid_key':
      return 'a valid field name';
    case 'invalid_element':
      return 'valid entries';
    case 'invalid_union': {
      if ('options' in i && Array.isArray(i.options) && i.options.length) return oneOf(i.options.map(literal));
      // each branch's own expectation: those that failed at the value itself ("text or a mapping"),
      // else those of the branch that got furthest into the value
      const branches = i.errors ?? [];
      const atRoot = branches.flatMap((b) => b.filter((x) => x.path.length === 0).map(zodExpectation));
      const words = atRoot.filter((x): x is string => x !== undefined);
      if (words.length === branches.length && words.length) return oneOf(words);
      const deepest = branches
        .filter((b) => b.length && b.every((x) => x.path.length > 0))
        .sort((a, b) => a.length - b.length)[0];
      if (deepest) {
        const first = deepest[0];
        const at = first.path.map(String).join('.');
        const what = zodExpectation(first);
        return what === undefined ? undefined : `${at}: ${what}`;
      }
      return words.length ? oneOf(words) : undefined;
    }
    case 'custom':
      return i.message && i.message !== 'Invalid input' ? i.message : undefined;
    default:
      return undefined;
  }
}

/** The literal values a union branch takes at field `key` (its discriminator). */
function branchNames(schema: unknown, key: string): unknown[] {
  const def = (schema as { _zod?: { def?: Record<string, unknown> } })._zod?.def;
  if (def?.type !== 'object') return [];
  const field = (def.shape as Record<string, unknown>)[key] as { _zod?: { def?: Record<string, unknown> } };
  const fd = field?._zod?.def;
  if (fd?.type === 'literal') return fd.values as unknown[];
  if (fd?.type === 'enum') return Object.values(fd.entries as Record<string, unknown>);
  return [];
}

/** The object schema's field names at `path` inside `schema` (through optionals, lists, unions, lazies). */
function keysAt(
  schema: unknown,
  path: ReadonlyArray<PropertyKey>,
  present: ReadonlySet<string>,
  input: unknown,
): string[] {
  const sets: string[][] = [];
  const valueAt = (k: number): unknown => {
    let v = input;
    for (let j = 0; j < k && v !== null && typeof v === 'object'; j++)
      v = Object.hasOwn(v, path[j]) ? (v as Record<PropertyKey, unknown>)[path[j]] : undefined;
    return v;
  };
  const walk = (s: unknown, k: number, depth: number): void => {
    if (depth > 60 || !s || typeof s !== 'object') return;
    const def = (s as { _zod?: { def?: Record<string, unknown> } })._zod?.def;
    if (!def) return;
    switch (def.type) {
      case 'optional':
      case 'nullable':
      case 'default':
      case 'prefault':
      case 'nonoptional':
      case 'readonly':
      case 'catch':
        return walk(def.innerType, k, depth + 1);
      case 'pipe':
        return walk(def.in, k, depth + 1);
      case 'lazy':
        return walk((def.getter as () => unknown)(), k, depth + 1);
      case 'union': {
        // a discriminated union: only the branch the value names (when it names one)
        const key = typeof def.discriminator === 'string' ? def.discriminator : undefined;
        const here = key === undefined ? undefined : valueAt(k);
        const named =
          here !== null && typeof here === 'object' && key !== undefined && Object.hasOwn(here, key)
            ? (here as Record<string, unknown>)[key]
            : undefined;
        const options = def.options as unknown[];
        const matching = options.filter((o) => named !== undefined && branchNames(o, key!).includes(named));
        for (const o of matching.length ? matching : options) walk(o, k, depth + 1);
        return;
      }
      case 'intersection':
        walk(def.left, k, depth + 1);
        walk(def.right, k, depth + 1);
        return;
      case 'array':
        if (k < path.length && typeof path[k] === 'number') walk(def.element, k + 1, depth + 1);
        return;
      case 'record':
        if (k < path.length) walk(def.valueType, k + 1, depth + 1);
        return;
      case 'object': {
        const shape = def.shape as Record<string, unknown>;
        if (k === path.length) sets.push(Object.keys(shape));
        else if (Object.hasOwn(shape, String(path[k]))) walk(shape[String(path[k])], k + 1, depth + 1);
        return;
      }
      default:
        return;
    }
  };
  walk(schema, 0, 0);
  if (!sets.length) return [];
  // the object shape that holds most of the fields given (the union branch the user meant)
  const score = (s: string[]) => s.filter((x) => present.has(x)).length;
  const best = Math.max(...sets.map(score));
  return [...new Set(sets.filter((s) => score(s) === best).flat())];
}

/**
 * The fields allowed where an `unrecognized_keys` issue occurred, from the schema and the fields given
 * there (which pick the union branch). Empty when the schema gives none.
 * @example
 * import * as z from 'zod';
 * const schema = z.object({ a: z.strictObject({ lower: z.number(), upper: z.number() }) });
 * allowedFields(schema, ['a'], ['lower', 'uper']) // => ['lower', 'upper']
 */
export function allowedFields(
  schema: unknown,
  path: ReadonlyArray<PropertyKey>,
  given: readonly string[],
  input?: unknown,
): string[] {
  return keysAt(schema, path, new Set(given), input);
}

/**
 * Convert a zod error to issues, prefixing each path with `prefix`; each says what was expected
 * (`zodExpectation`). With the `schema` that failed and its `input`, an unknown field lists the allowed ones.
 * @example
 * import * as z from 'zod';
 * const schema = z.object({ a: z.number() });
 * zodIssues(schema.safeParse({ a: 'x' }).error!, 'project.yaml')[0] // => { file: 'project.yaml', field: 'a', … }
 */
export function zodIssues(
  error: z.ZodError,
  file?: string,
  prefix: Array<string | number> = [],
  schema?: unknown,
  input?: unknown,
): Issue[] {
  return error.issues.map((i) => {
    const path = [...prefix, ...i.path.map((p) => (typeof p === 'symbol' ? String(p) : p))];
    const field = path.map((p, k) => (typeof p === 'number' ? `[${p}]` : (k ? '.' : '') + p)).join('');
    let message = i.message;
    let expected = zodExpectation(i);
    if (i.code === 'unrecognized_keys') {
      message = `unknown field(s) ${i.keys.map((k) => `"${k}"`).join(', ')}`;
      const allowed = schema === undefined ? [] : allowedFields(schema, i.path, i.keys, input);
      expected = allowed.length
        ? `one of the fields: ${allowed.join(', ')}`
        : 'only the fields documented for this setting (see the JSON Schema: npm run schema)';
    } else if (i.code === 'invalid_union' && 'note' in i && i.note === 'No matching discriminator')
      message = `unknown ${'discriminator' in i ? String(i.discriminator) : 'value'} / 未知的取值`;
    else if (message === 'Invalid input') message = 'invalid value / 取值无效';
    else if (i.code === 'invalid_type') message = `${message.replace(/^Invalid input: /, '')} / 类型错误`;
    const issue: Issue = { code: 'E_SCHEMA', message, file, field: field || undefined };
    if (expected !== undefined) issue.expected = expected;
    return issue;
  });
}
