/**
 * The store's tables as kysely types: one schema for SQLite and PostgreSQL. Times are ISO-8601 text
 * (UTC), booleans are 0/1 integers and file bytes are base64 text, so every column means the same on
 * both databases. The migrations that create these tables are in migrations.ts.
 */
import type { Generated } from 'kysely';
import type { FieldworkDatabase } from './fieldwork-schema.ts';
import type { ExpertPanelDatabase } from './expert-panel-schema.ts';
import type { FieldworkLiveDatabase } from './fieldwork-live-schema.ts';
import type { CaselogDatabase } from './caselog-schema.ts';
import type { FieldworkIndexDatabase } from './fieldwork-index-schema.ts';

/** A project: one evaluation, imported from a project folder. */
export interface ProjectsTable {
  id: Generated<number>;
  /** Short name, unique (the project folder's name by default). */
  slug: string;
  name: string;
  /** The project file (`project.yaml` unless a variant was imported). */
  project_file: string;
  created_at: string;
  created_by: string;
}

/** The files of the imported project folder, byte for byte (the export writes them back). */
export interface ProjectFilesTable {
  project_id: number;
  path: string;
  /** The bytes, base64. */
  content: string;
  sha256: string;
  size: number;
}

/** A framework node (index, dimension, indicator) as the project defined it. */
export interface FrameworkNodesTable {
  project_id: number;
  code: string;
  parent: string | null;
  level: number;
  kind: string;
  name_zh: string | null;
  name_en: string | null;
  weight: number;
  direction: number;
  unit: string | null;
  position: number;
}

/** A unit (city) of the project. */
export interface UnitsTable {
  project_id: number;
  code: string;
  name_zh: string | null;
  name_en: string | null;
  position: number;
}

/**
 * The current value of one unit × indicator with its provenance: `imported` (from the project's data
 * files; `source` is the file) or `approved` (from an approved submission, `submission_id`).
 * `value` null = missing. `version` grows by one on every change (optimistic versioning).
 */
export interface DataValuesTable {
  project_id: number;
  unit_code: string;
  indicator: string;
  value: number | null;
  source: string | null;
  status: string;
  submission_id: number | null;
  version: number;
  updated_by: string;
  updated_at: string;
}

/** An account. `role` is admin, author, reviewer or city. */
export interface UsersTable {
  id: Generated<number>;
  username: string;
  /** `scrypt$N$r$p$salt$hash` (base64 parts). */
  password_hash: string;
  role: string;
  created_at: string;
  failed_logins: number;
  /** ISO time until which logins are refused after too many failures, or null. */
  locked_until: string | null;
}

/** Which units (adcodes) a city user may read and submit for. */
export interface CityMembershipsTable {
  user_id: number;
  project_id: number;
  unit_code: string;
}

/** A login session; only the SHA-256 of the cookie's token is stored. */
export interface SessionsTable {
  token_hash: string;
  user_id: number;
  /** Token the client must echo in the `x-csrf-token` header on state-changing requests. */
  csrf: string;
  created_at: string;
  expires_at: string;
}

/** An edition: a build of the project's approved values; `published` freezes it and makes it public. */
export interface EditionsTable {
  id: Generated<number>;
  project_id: number;
  name: string;
  status: string;
  /** The results table (JSON) and its fingerprint, fixed when the edition is built. */
  results: string;
  fingerprint: string;
  created_by: string;
  created_at: string;
  published_at: string | null;
}

/** A city's submission of values for one unit: pending → approved or rejected. */
export interface SubmissionsTable {
  id: Generated<number>;
  project_id: number;
  unit_code: string;
  status: string;
  created_by: string;
  created_at: string;
  version: number;
}

/** One value of a submission. */
export interface SubmissionValuesTable {
  submission_id: number;
  indicator: string;
  value: number | null;
  source: string | null;
}

/** A reviewer's decision on a submission. */
export interface ReviewsTable {
  id: Generated<number>;
  submission_id: number;
  reviewer: string;
  decision: string;
  comment: string;
  created_at: string;
}

/**
 * The append-only audit log: who did what, when, before → after, from which address. Each row's
 * `hash` is SHA-256 over the previous row's hash and this row's content, so editing a past row breaks
 * the chain (`verifyAudit`).
 */
export interface AuditLogTable {
  seq: number;
  at: string;
  actor: string;
  action: string;
  entity: string;
  entity_id: string;
  before: string | null;
  after: string | null;
  address: string | null;
  prev_hash: string;
  hash: string;
}

/** The head of the audit chain (one row): updating it serialises appends on PostgreSQL. */
export interface AuditHeadTable {
  id: number;
  seq: number;
  hash: string;
}

/**
 * An invitation an admin issued: a one-time link for one role (and a city officer's units). Only the
 * SHA-256 of the link's token is stored; `used_at` is set when it is accepted (then never again).
 */
export interface InvitationsTable {
  id: Generated<number>;
  token_hash: string;
  role: string;
  project_id: number | null;
  /** The units (adcodes) of a city officer, JSON array text ('[]' for other roles). */
  cities: string;
  created_by: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
  /** The account the invitation created. */
  used_by: number | null;
  /** When an admin revoked the unused invitation, and who (migration 0008). */
  revoked_at: string | null;
  revoked_by: string | null;
}

/** Every table of the store. */
export interface StoreDatabase
  extends FieldworkDatabase, ExpertPanelDatabase, FieldworkLiveDatabase, CaselogDatabase, FieldworkIndexDatabase {
  projects: ProjectsTable;
  project_files: ProjectFilesTable;
  framework_nodes: FrameworkNodesTable;
  units: UnitsTable;
  data_values: DataValuesTable;
  users: UsersTable;
  city_memberships: CityMembershipsTable;
  sessions: SessionsTable;
  editions: EditionsTable;
  submissions: SubmissionsTable;
  submission_values: SubmissionValuesTable;
  reviews: ReviewsTable;
  audit_log: AuditLogTable;
  audit_head: AuditHeadTable;
  invitations: InvitationsTable;
}
