/**
 * The request bodies of the JSON API as zod schemas: one definition gives the check (with located
 * issues through `zodIssues`) and the TypeScript type.
 */
import { z } from 'zod';
import { CityIndexError } from '../engine/core/errors.ts';
import { zodIssues } from '../engine/core/zod-issues.ts';

export const LoginBody = z.strictObject({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(1024),
});

export const NewUserBody = z.strictObject({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(1024),
  role: z.string().min(1).max(20),
  cities: z.array(z.string().min(1).max(20)).max(500).optional(),
});

export const SubmissionBody = z.strictObject({
  unit: z.string().min(1).max(20),
  values: z
    .array(
      z.strictObject({
        indicator: z.string().min(1).max(100),
        value: z.number().nullable(),
        source: z.string().max(2000).nullable().optional(),
      }),
    )
    .max(5000),
});

export const ReviewBody = z.strictObject({
  decision: z.enum(['approve', 'reject']),
  comment: z.string().max(2000),
  version: z.number().int().min(1),
});

export const EditionBody = z.strictObject({ name: z.string().min(1).max(200) });

/**
 * Parse a request body with a schema, or throw a CityIndexError locating each problem (field path).
 * @example parseBody(EditionBody, { name: '2020' }) // => { name: '2020' }
 * @example parseBody(EditionBody, { name: 3 }) // => throws E_SCHEMA
 */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const r = schema.safeParse(body ?? {});
  if (r.success) return r.data;
  throw new CityIndexError(zodIssues(r.error, 'request body'));
}
