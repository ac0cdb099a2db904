/**
 * The zod schemas of the platform routes added beside the core API (invitations, comparisons,
 * downloads) and of the stable error body: the routes parse with them and the OpenAPI document
 * (openapi.ts) is generated from them, so the description cannot drift from the code.
 */
import { z } from 'zod';
import { ROLES } from '../store/principal.ts';
import { INVITATION_HOURS } from '../store/invitations.ts';

/** An admin's invitation request. */
export const InvitationBody = z.strictObject({
  role: z.enum(ROLES),
  cities: z.array(z.string().min(1).max(20)).max(500).optional(),
  expiresInHours: z.number().positive().max(INVITATION_HOURS.max).optional(),
});

/** The invitee's choice of user name and password, with the link's token. */
export const AcceptInvitationBody = z.strictObject({
  token: z.string().min(1).max(100),
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(1024),
});

/** The two editions compared (query string). */
export const CompareQuery = z.strictObject({
  from: z.string().regex(/^[0-9]{1,12}$/),
  to: z.string().regex(/^[0-9]{1,12}$/),
});

/** One located problem of a request (the engine's `Issue`). */
export const IssueSchema = z.object({
  code: z.string(),
  message: z.string(),
  file: z.string().optional(),
  row: z.number().optional(),
  column: z.string().optional(),
  field: z.string().optional(),
  unit: z.string().optional(),
  indicator: z.string().optional(),
  expected: z.string().optional(),
  severity: z.enum(['error', 'warning']).optional(),
});

/** Every error response: a stable machine code, a bilingual message and the located issues. */
export const ErrorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), issues: z.array(IssueSchema) }),
});

/** An invitation as listed. */
export const InvitationSchema = z.object({
  id: z.number().int(),
  role: z.enum(ROLES),
  projectId: z.number().int().nullable(),
  cities: z.array(z.string()),
  createdBy: z.string(),
  createdAt: z.string(),
  expiresAt: z.string(),
  status: z.enum(['open', 'used', 'revoked', 'expired']),
  usedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  revokedBy: z.string().nullable(),
});

/** An account as listed. */
export const UserSchema = z.object({
  id: z.number().int(),
  username: z.string(),
  role: z.enum(ROLES),
  cities: z.array(z.string()),
});

/** An edition as listed. */
export const EditionSchema = z.object({
  id: z.number().int(),
  projectId: z.number().int(),
  name: z.string(),
  status: z.enum(['draft', 'published']),
  fingerprint: z.string(),
  createdBy: z.string(),
  createdAt: z.string(),
  publishedAt: z.string().nullable(),
});

/** The ranking table of an edition. */
export const ResultsSchema = z.object({
  header: z.array(z.string()),
  rows: z.array(z.array(z.union([z.string(), z.number(), z.null()]))),
});
