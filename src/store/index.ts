/**
 * The platform's store (Node only): SQLite or PostgreSQL behind one `Store` API whose methods take the
 * acting principal and enforce the roles; migrations, project import/export and stored builds.
 */
export { Store, LOCKOUT, SESSION_HOURS } from './store.ts';
export type {
  Edition,
  OpenedSession,
  ProjectImport,
  ProjectInfo,
  StoredNode,
  StoredUnit,
  StoredValue,
  Submission,
  SubmittedValue,
  UserInfo,
} from './store.ts';
export { openDatabase, storeLocation, type StoreConnection, type StoreLocation } from './connect.ts';
export { migrateStore, migrationNames, type StoreDialect } from './migrations.ts';
export { ANONYMOUS, ROLES, systemPrincipal, isRole, type Principal, type Role } from './principal.ts';
export { importProjectFolder, exportProject, loadStoredProject, readProjectFolder } from './project-io.ts';
export { buildEdition, buildStoredProject, type StoredBuild } from './edition.ts';
export { verifyAuditRows, type AuditVerification } from './audit.ts';
