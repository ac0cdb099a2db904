/** Turn zod validation errors into located cityindex issues (field = dotted path inside the file). */
import type { z } from 'zod';
import type { Issue } from './errors.ts';

/**
 * Convert a zod error to issues, prefixing each path with `prefix`.
 * @example
 * import * as z from 'zod';
 * const schema = z.object({ a: z.number() });
 * zodIssues(schema.safeParse({ a: 'x' }).error!, 'project.yaml')[0] // => { file: 'project.yaml', field: 'a', … }
 */
export function zodIssues(error: z.ZodError, file?: string, prefix: Array<string | number> = []): Issue[] {
  return error.issues.map((i) => {
    const path = [...prefix, ...i.path.map((p) => (typeof p === 'symbol' ? String(p) : p))];
    const field = path.map((p, k) => (typeof p === 'number' ? `[${p}]` : (k ? '.' : '') + p)).join('');
    let message = i.message;
    if (i.code === 'unrecognized_keys')
      message = `unknown field(s) ${(i as { keys: string[] }).keys.map((k) => `"${k}"`).join(', ')}`;
    if (i.code === 'invalid_union' && 'note' in i && i.note === 'No matching discriminator')
      message = `unknown value; ${i.message}`;
    return { code: 'E_SCHEMA', message, file, field: field || undefined };
  });
}
