/**
 * City data submission by rounds (a store extension; tables from migration 0002_submission_flow).
 * Per round × city × indicator a value moves draft → submitted → returned (with the reviewer's comment
 * on that value) → resubmitted → approved. Every change writes a new version row (who, when, value,
 * source note, attachment, comment), so nothing is ever overwritten; every write carries the version
 * the writer saw, and a stale one is E_CONFLICT (409) with nothing changed. Approval writes the value
 * into the project's current values (`data_values`, status `approved`) and records which data version
 * it became, so a build's lineage leads back to the approval (`approvalOf`).
 * City officers fill their city's Excel template (`templateFor`, `uploadTemplate`: signed per project,
 * round and unit, so a wrong, tampered or another city's template is refused) or send values as JSON
 * (`saveValues`), attach the bulletin (`attachFile`: PDF or image, content sniffed, bounded), and
 * submit (`submitUnit`); reviewers approve or return each value (`reviewValues`). Authorisation is
 * here, in the data layer: every function takes the acting principal (`Store.requireUnitAccess`).
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { CityIndexError, type Issue } from '../engine/core/errors.ts';
import {
  MAX_SOURCE_CHARS,
  MAX_TEMPLATE_BYTES,
  readSubmissionTemplate,
  templateSignaturePayload,
  writeSubmissionTemplate,
  type TemplateSpec,
} from '../formats/template.ts';
import { actorName, requireRole, type Principal } from './principal.ts';
import type { StoreDatabase } from './schema.ts';
import type { Store } from './store.ts';

/** A submission round (its signing key never leaves the store). */
export interface RoundInfo {
  id: number;
  projectId: number;
  name: string;
  status: string;
  createdBy: string;
  createdAt: string;
}

/** The statuses a value of a round moves through. */
export const VALUE_STATUSES = ['draft', 'submitted', 'returned', 'resubmitted', 'approved'] as const;
export type ValueStatus = (typeof VALUE_STATUSES)[number];

/** A value of a round (current state), or one of its versions. */
export interface RoundValue {
  unit: string;
  indicator: string;
  version: number;
  status: ValueStatus;
  value: number | null;
  source: string | null;
  attachmentId: number | null;
  comment: string | null;
  /** The version of the project's current value that an approval wrote (builds record it). */
  dataVersion: number | null;
  /** Who made this version, and when. */
  actor: string;
  at: string;
}

/** One edit of a value: the version it was made from (0 = the value does not exist yet). */
export interface ValueEdit {
  indicator: string;
  value: number | null;
  source?: string | null;
  version: number;
  /** Where the edit came from (template row), for located errors. */
  row?: number;
}

/** A reviewer's decision on one value. */
export interface ValueDecision {
  indicator: string;
  decision: 'approve' | 'return';
  comment?: string;
  version: number;
}

/** Largest attachment in bytes. */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

interface RoundsTable {
  id: number;
  project_id: number;
  name: string;
  secret: string;
  status: string;
  created_by: string;
  created_at: string;
}
interface ValueRow {
  round_id: number;
  unit_code: string;
  indicator: string;
  version: number;
  status: string;
  value: number | null;
  source: string | null;
  attachment_id: number | null;
  comment: string | null;
  data_version: number | null;
  actor: string;
  at: string;
}
interface AttachmentsTable {
  id: number;
  round_id: number;
  unit_code: string;
  indicator: string;
  file_name: string;
  content_type: string;
  size: number;
  sha256: string;
  content: string;
  created_by: string;
  created_at: string;
}
/** The tables of migration 0002 beside the store's own. */
interface FlowDatabase extends StoreDatabase {
  submission_rounds: RoundsTable;
  round_values: ValueRow;
  round_value_versions: ValueRow;
  attachments: AttachmentsTable;
}
type FlowDb = Kysely<FlowDatabase>;
type FlowTrx = Transaction<FlowDatabase>;

const flow = (store: Store) => store.db as unknown as FlowDb;
const audit = (store: Store, trx: FlowTrx, actor: Principal, e: Parameters<Store['recordAudit']>[2]) =>
  store.recordAudit(trx as unknown as Transaction<StoreDatabase>, actor, e);

function notFound(what: string, id: string | number): CityIndexError {
  return new CityIndexError({
    code: 'E_NOT_FOUND',
    message: `no ${what} ${id} (or you may not see it) / 找不到${what}`,
    field: what,
    expected: `an existing ${what} you may see`,
  });
}

const shown = (v: number | null | undefined) => (v === null || v === undefined ? 'empty' : String(v));

function conflictIssue(
  indicator: string,
  seen: number,
  now: number,
  row?: number,
  values?: { sent: number | null; current: number | null },
): Issue {
  const differ = values ? ` (you sent ${shown(values.sent)}, it is now ${shown(values.current)})` : '';
  return {
    code: 'E_CONFLICT',
    message:
      `${indicator} was changed by someone else meanwhile (you edited version ${seen}, it is now version ${now})` +
      `${differ}; reload and edit again / 该数值已被他人修改，请刷新后重试`,
    indicator,
    ...(row !== undefined && { row }),
    field: 'version',
    expected: `version ${now}`,
  };
}

/** True for a unique-key violation (two writers inserting the same value at once). */
function isUniqueViolation(e: unknown): boolean {
  const err = e as { code?: string };
  return err?.code === '23505' || (typeof err?.code === 'string' && err.code.startsWith('SQLITE_CONSTRAINT'));
}

function toValue(r: ValueRow): RoundValue {
  return {
    unit: r.unit_code,
    indicator: r.indicator,
    version: Number(r.version),
    status: r.status as ValueStatus,
    value: r.value === null ? null : Number(r.value),
    source: r.source,
    attachmentId: r.attachment_id === null ? null : Number(r.attachment_id),
    comment: r.comment,
    dataVersion: r.data_version === null ? null : Number(r.data_version),
    actor: r.actor,
    at: r.at,
  };
}

function toRound(r: RoundsTable): RoundInfo {
  return {
    id: Number(r.id),
    projectId: Number(r.project_id),
    name: r.name,
    status: r.status,
    createdBy: r.created_by,
    createdAt: r.created_at,
  };
}

/**
 * Open a submission round of a project (authors and admins); its templates are signed with a new
 * random key. Names are unique per project.
 * @example
 * import { Store } from './store.ts';
 * import { systemPrincipal } from './principal.ts';
 * const store = await Store.open({ sqliteFile: ':memory:' });
 * const empty = { slug: 'p', name: 'P', projectFile: 'project.yaml', files: [], nodes: [], units: [], values: [] };
 * const project = await store.saveProject(systemPrincipal('doc'), empty);
 * const round = await openRound(store, systemPrincipal('doc'), project.id, '2024');
 * [round.name, round.status] // => ['2024', 'open']
 * openRound(store, { kind: 'anonymous' }, project.id, '2025') // => throws E_UNAUTHENTICATED
 * await store.close();
 */
export async function openRound(store: Store, actor: Principal, projectId: number, name: string): Promise<RoundInfo> {
  requireRole(actor, ['admin', 'author'], 'open submission rounds');
  if (typeof name !== 'string' || !/^[\p{L}\p{N} ._-]{1,100}$/u.test(name))
    throw new CityIndexError({
      code: 'E_ROUND_NAME',
      message: 'bad round name / 轮次名称无效',
      field: 'name',
      expected: '1–100 letters, digits, spaces or . _ -',
    });
  const db = flow(store);
  return db.transaction().execute(async (trx) => {
    const taken = await trx
      .selectFrom('submission_rounds')
      .select('id')
      .where('project_id', '=', projectId)
      .where('name', '=', name)
      .executeTakeFirst();
    if (taken)
      throw new CityIndexError({
        code: 'E_CONFLICT',
        message: `round "${name}" exists / 轮次已存在`,
        expected: 'a new round name',
      });
    const row = await trx
      .insertInto('submission_rounds')
      .values({
        project_id: projectId,
        name,
        secret: randomBytes(32).toString('hex'),
        status: 'open',
        created_by: actorName(actor),
        created_at: store.now(),
      } as never)
      .returning('id')
      .executeTakeFirstOrThrow();
    const id = Number(row.id);
    await audit(store, trx, actor, { action: 'round.open', entity: 'round', entityId: String(id), after: { name } });
    const r = await trx.selectFrom('submission_rounds').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    return toRound(r);
  });
}

/** The rounds of a project (staff and city officers). */
export async function listRounds(store: Store, actor: Principal, projectId: number): Promise<RoundInfo[]> {
  requireRole(actor, ['admin', 'author', 'reviewer', 'city'], 'list submission rounds');
  const rows = await flow(store)
    .selectFrom('submission_rounds')
    .selectAll()
    .where('project_id', '=', projectId)
    .orderBy('id')
    .execute();
  return rows.map(toRound);
}

/**
 * Refuse (E_NOT_FOUND) a round that is not a round of `projectId`: a server serves one project, and a
 * round id of another project in the same store is not found there. Reveals nothing else.
 * @example
 * import { Store } from './store.ts';
 * const store = await Store.open({ sqliteFile: ':memory:' });
 * requireRoundOfProject(store, 1, 1) // => throws E_NOT_FOUND
 * await store.close();
 */
export async function requireRoundOfProject(store: Store, roundId: number, projectId: number): Promise<void> {
  const r = await flow(store)
    .selectFrom('submission_rounds')
    .select('project_id')
    .where('id', '=', roundId)
    .executeTakeFirst();
  if (!r || Number(r.project_id) !== projectId) throw notFound('round', roundId);
}

/** A round with its key, after checking the actor may use `unit` of its project. */
async function roundFor(
  store: Store,
  actor: Principal,
  roundId: number,
  unit: string,
  what: string,
): Promise<RoundsTable> {
  const round = await flow(store)
    .selectFrom('submission_rounds')
    .selectAll()
    .where('id', '=', roundId)
    .executeTakeFirst();
  if (!round) throw notFound('round', roundId);
  await store.requireUnitAccess(actor, Number(round.project_id), unit, what);
  const known = await store.db
    .selectFrom('units')
    .select('code')
    .where('project_id', '=', Number(round.project_id))
    .where('code', '=', unit)
    .executeTakeFirst();
  if (!known) throw notFound('unit', unit);
  return round;
}

/** The indicators of the project's framework, in framework order. */
async function indicatorsOf(store: Store, projectId: number) {
  return (await store.framework(projectId)).filter((n) => n.kind === 'indicator');
}

/** The current values of one city in a round (staff, or an officer of that city). */
export async function roundValues(
  store: Store,
  actor: Principal,
  roundId: number,
  unit: string,
): Promise<RoundValue[]> {
  await roundFor(store, actor, roundId, unit, 'read the submitted values');
  const rows = await flow(store)
    .selectFrom('round_values')
    .selectAll()
    .where('round_id', '=', roundId)
    .where('unit_code', '=', unit)
    .orderBy('indicator')
    .execute();
  return rows.map(toValue);
}

/** Every version of one city's values in a round, oldest first (staff, or an officer of that city). */
export async function valueHistory(
  store: Store,
  actor: Principal,
  roundId: number,
  unit: string,
  indicator?: string,
): Promise<RoundValue[]> {
  await roundFor(store, actor, roundId, unit, 'read the history of the values');
  let q = flow(store)
    .selectFrom('round_value_versions')
    .selectAll()
    .where('round_id', '=', roundId)
    .where('unit_code', '=', unit);
  if (indicator !== undefined) q = q.where('indicator', '=', indicator);
  const rows = await q.orderBy('indicator').orderBy('version').execute();
  return rows.map(toValue);
}

const sign = (secret: string, project: string, roundId: number | string, unit: string) =>
  createHmac('sha256', Buffer.from(secret, 'hex'))
    .update(templateSignaturePayload(project, roundId, unit))
    .digest('base64url');

/**
 * What the template of one city and round is written from: indicators in framework order, the value
 * the last build used (`previous`), what was entered so far with its status, comment and version, and
 * the signature (staff, or an officer of that city).
 */
export async function templateSpec(
  store: Store,
  actor: Principal,
  roundId: number,
  unit: string,
): Promise<TemplateSpec> {
  const round = await roundFor(store, actor, roundId, unit, 'download the template');
  const projectId = Number(round.project_id);
  const project = await store.db
    .selectFrom('projects')
    .select(['slug', 'name'])
    .where('id', '=', projectId)
    .executeTakeFirstOrThrow();
  const unitRow = await store.db
    .selectFrom('units')
    .selectAll()
    .where('project_id', '=', projectId)
    .where('code', '=', unit)
    .executeTakeFirstOrThrow();
  const previous = new Map(
    (
      await store.db
        .selectFrom('data_values')
        .select(['indicator', 'value'])
        .where('project_id', '=', projectId)
        .where('unit_code', '=', unit)
        .execute()
    ).map((r) => [r.indicator, r.value === null ? null : Number(r.value)]),
  );
  const current = new Map((await roundValues(store, actor, roundId, unit)).map((v) => [v.indicator, v]));
  const indicators = (await indicatorsOf(store, projectId)).map((n) => {
    const c = current.get(n.code);
    return {
      code: n.code,
      name: n.name,
      ...(n.unit !== undefined && { unit: n.unit }),
      previous: previous.get(n.code) ?? null,
      value: c?.value ?? null,
      source: c?.source ?? null,
      comment: c?.comment ?? null,
      status: c?.status ?? '',
      version: c?.version ?? 0,
    };
  });
  return {
    project: { slug: project.slug, name: project.name },
    round: { id: Number(round.id), name: round.name },
    unit: {
      code: unit,
      name: {
        ...(unitRow.name_zh !== null && { zh: unitRow.name_zh }),
        ...(unitRow.name_en !== null && { en: unitRow.name_en }),
      },
    },
    indicators,
    signature: sign(round.secret, project.slug, Number(round.id), unit),
  };
}

/**
 * The template of one city and round as an .xlsx file (staff, or an officer of that city; another
 * city's officer gets E_FORBIDDEN).
 */
export async function templateFor(
  store: Store,
  actor: Principal,
  roundId: number,
  unit: string,
): Promise<{ fileName: string; bytes: Uint8Array }> {
  const spec = await templateSpec(store, actor, roundId, unit);
  const bytes = await writeSubmissionTemplate(spec);
  const safeName = `${spec.project.slug}-${spec.round.name}-${unit}`.replace(/[^A-Za-z0-9._-]/g, '_');
  return { fileName: `${safeName}.xlsx`, bytes };
}

/** Check the edits against the framework, with located issues. */
async function checkEdits(store: Store, projectId: number, unit: string, edits: readonly ValueEdit[], file?: string) {
  const indicators = new Set((await indicatorsOf(store, projectId)).map((n) => n.code));
  const issues: Issue[] = [];
  const seen = new Set<string>();
  if (edits.length === 0)
    issues.push({ code: 'E_EMPTY', message: 'no values given / 未填写任何数值', file, expected: '1+ filled values' });
  edits.forEach((e, i) => {
    const at = {
      ...(file && { file }),
      row: e.row ?? i + 1,
      unit,
      indicator: String(e.indicator),
      field: `values[${i}]`,
    };
    if (!indicators.has(e.indicator))
      issues.push({
        ...at,
        code: 'E_UNKNOWN_INDICATOR',
        message: `"${e.indicator}" is not an indicator of the framework / 指标体系中没有该指标`,
        expected: 'an indicator code of the framework',
      });
    else if (seen.has(e.indicator))
      issues.push({ ...at, code: 'E_DUPLICATE', message: 'indicator given twice / 指标重复', expected: 'each once' });
    seen.add(e.indicator);
    if (e.value !== null && (typeof e.value !== 'number' || !Number.isFinite(e.value)))
      issues.push({
        ...at,
        code: 'E_NOT_NUMBER',
        message: 'not a number / 不是数值',
        expected: 'a finite number or null',
      });
    if (e.source != null && (typeof e.source !== 'string' || e.source.length > MAX_SOURCE_CHARS))
      issues.push({
        ...at,
        code: 'E_SOURCE',
        message: 'bad source note / 来源说明无效',
        expected: `text ≤ ${MAX_SOURCE_CHARS} chars`,
      });
    if (!Number.isSafeInteger(e.version) || e.version < 0)
      issues.push({
        ...at,
        code: 'E_VERSION',
        message: 'bad version / 版本无效',
        expected: 'the version you edited (0 = new)',
      });
  });
  if (issues.length) throw new CityIndexError(issues);
}

/** Write new versions of values inside a transaction; returns what changed. Throws E_CONFLICT on a stale one. */
async function writeEdits(
  store: Store,
  trx: FlowTrx,
  actor: Principal,
  roundId: number,
  unit: string,
  edits: readonly ValueEdit[],
): Promise<Array<{ indicator: string; before: number | null; after: number | null; version: number }>> {
  const by = actorName(actor);
  const at = store.now();
  const current = new Map(
    (
      await trx
        .selectFrom('round_values')
        .selectAll()
        .where('round_id', '=', roundId)
        .where('unit_code', '=', unit)
        .execute()
    ).map((r) => [r.indicator, r]),
  );
  const issues: Issue[] = [];
  const inserts: ValueRow[] = [];
  const updates: ValueRow[] = [];
  const changed: Array<{ indicator: string; before: number | null; after: number | null; version: number }> = [];
  // one order for every writer, so two concurrent batches lock rows in the same order (no deadlock)
  for (const e of [...edits].sort((a, b) => (a.indicator < b.indicator ? -1 : a.indicator > b.indicator ? 1 : 0))) {
    const cur = current.get(e.indicator);
    const curVersion = cur ? Number(cur.version) : 0;
    const curValue = cur ? (cur.value === null ? null : Number(cur.value)) : null;
    const source = e.source ?? null;
    // unchanged (value and source as stored): nothing to write, whichever version the writer saw — an old
    // template uploaded again is a no-op, not a conflict
    if (cur && curValue === e.value && cur.source === source) continue;
    if (e.version !== curVersion) {
      issues.push(conflictIssue(e.indicator, e.version, curVersion, e.row, { sent: e.value, current: curValue }));
      continue;
    }
    if (cur && cur.status !== 'draft' && cur.status !== 'returned') {
      issues.push({
        code: 'E_NOT_EDITABLE',
        message:
          `${e.indicator} is ${cur.status} and cannot be changed now / ` +
          `该数值已${cur.status === 'approved' ? '通过' : '提交'}，不能修改`,
        indicator: e.indicator,
        unit,
        ...(e.row !== undefined && { row: e.row }),
        expected: 'a value in draft or returned',
      });
      continue;
    }
    const row: ValueRow = {
      round_id: roundId,
      unit_code: unit,
      indicator: e.indicator,
      version: curVersion + 1,
      status: cur?.status === 'returned' ? 'returned' : 'draft',
      value: e.value,
      source,
      attachment_id: cur?.attachment_id ?? null,
      comment: cur?.comment ?? null,
      data_version: null,
      actor: by,
      at,
    };
    (cur ? updates : inserts).push(row);
    changed.push({ indicator: e.indicator, before: cur ? cur.value : null, after: e.value, version: row.version });
  }
  if (issues.length) throw new CityIndexError(issues);
  for (const u of updates) {
    const r = await trx
      .updateTable('round_values')
      .set(u)
      .where('round_id', '=', roundId)
      .where('unit_code', '=', unit)
      .where('indicator', '=', u.indicator)
      .where('version', '=', u.version - 1)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1)
      throw new CityIndexError(conflictIssue(u.indicator, u.version - 1, u.version, undefined));
  }
  for (let i = 0; i < inserts.length; i += 400) {
    const part = inserts.slice(i, i + 400);
    try {
      await trx.insertInto('round_values').values(part).execute();
    } catch (e) {
      if (isUniqueViolation(e)) throw new CityIndexError(conflictIssue(part[0].indicator, 0, 1));
      throw e;
    }
  }
  await insertVersions(trx, [...updates, ...inserts]);
  return changed;
}

async function insertVersions(trx: FlowTrx, rows: readonly ValueRow[]): Promise<void> {
  if (rows.length === 0) return;
  const { round_id: roundId, unit_code: unit } = rows[0];
  // the rows just written are copied inside the database (one short statement instead of a row of
  // parameters per value); callers pass rows of one round and unit, as written in this transaction
  for (let i = 0; i < rows.length; i += 500) {
    const part = rows.slice(i, i + 500);
    try {
      await trx
        .insertInto('round_value_versions')
        .columns(VALUE_COLUMNS)
        .expression(
          trx
            .selectFrom('round_values')
            .select(VALUE_COLUMNS)
            .where('round_id', '=', roundId)
            .where('unit_code', '=', unit)
            .where(
              'indicator',
              'in',
              part.map((r) => r.indicator),
            ),
        )
        .execute();
    } catch (e) {
      if (isUniqueViolation(e))
        throw new CityIndexError(conflictIssue(part[0].indicator, part[0].version - 1, part[0].version));
      throw e;
    }
  }
}

/** The columns of a value row (round_values and round_value_versions have the same). */
const VALUE_COLUMNS = [
  'round_id',
  'unit_code',
  'indicator',
  'version',
  'status',
  'value',
  'source',
  'attachment_id',
  'comment',
  'data_version',
  'actor',
  'at',
] as const;

/**
 * Enter or correct values of one city in a round (its city officers), each with the version it was
 * edited from: checked first (located issues), then written in one transaction as new versions; a
 * stale version anywhere is E_CONFLICT and nothing is written. A returned value stays `returned` until
 * the city submits again; submitted and approved values cannot be changed.
 */
export async function saveValues(
  store: Store,
  actor: Principal,
  roundId: number,
  unit: string,
  edits: readonly ValueEdit[],
  origin: { file?: string; action?: string } = {},
): Promise<RoundValue[]> {
  requireRole(actor, ['city'], 'enter values');
  const round = await roundFor(store, actor, roundId, unit, 'enter values');
  return (await saveChecked(store, actor, round, unit, edits, origin)).values;
}

/** `saveValues` after the role and unit checks (the upload made them already). */
async function saveChecked(
  store: Store,
  actor: Principal,
  round: RoundsTable,
  unit: string,
  edits: readonly ValueEdit[],
  origin: { file?: string; action?: string },
): Promise<SaveResult> {
  const roundId = Number(round.id);
  await checkEdits(store, Number(round.project_id), unit, edits, origin.file);
  const written = await flow(store)
    .transaction()
    .execute(async (trx) => {
      const changed = await writeEdits(store, trx, actor, roundId, unit, edits);
      if (changed.length === 0) return changed;
      await audit(store, trx, actor, {
        action: origin.action ?? 'round_value.edit',
        entity: 'round_unit',
        entityId: `${roundId}/${unit}`,
        before: changed.map((c) => ({ indicator: c.indicator, value: c.before })),
        after: {
          ...(origin.file && { file: origin.file }),
          values: changed.map((c) => ({ indicator: c.indicator, value: c.after, version: c.version })),
        },
      });
      return changed;
    });
  return { values: await valuesOf(store, roundId, unit), changed: written.map((c) => c.indicator) };
}

/** What a save or upload did: the city's values now, and the indicators it changed ([] = nothing changed). */
export interface SaveResult {
  values: RoundValue[];
  changed: string[];
}

/** The current values of one city in a round, no checks: for functions that made them. */
async function valuesOf(store: Store, roundId: number, unit: string): Promise<RoundValue[]> {
  const rows = await flow(store)
    .selectFrom('round_values')
    .selectAll()
    .where('round_id', '=', roundId)
    .where('unit_code', '=', unit)
    .orderBy('indicator')
    .execute();
  return rows.map(toValue);
}

const INVALID_TEMPLATE = (code: string, message: string, file: string, expected: string) =>
  new CityIndexError({ code, message, file, expected });

/**
 * `uploadTemplateChanges` returning only the values.
 * Store a filled template of one city (its city officers): size bounded, read by the bounded reader
 * (macros, external links, formulas, zip bombs and huge sheets refused with located errors), its
 * signature checked (E_TEMPLATE_SIGNATURE when edited, E_TEMPLATE_ROUND for another round or
 * project, E_TEMPLATE_UNIT for another city's template), then written like `saveValues` with each
 * row's template version. Nothing is stored unless all of it is valid.
 */
export async function uploadTemplate(
  store: Store,
  actor: Principal,
  roundId: number,
  unit: string,
  upload: { fileName: string; bytes: Uint8Array },
): Promise<RoundValue[]> {
  return (await uploadTemplateChanges(store, actor, roundId, unit, upload)).values;
}

/**
 * Store a filled template (as `uploadTemplate`) and say what changed. A template whose values and
 * source notes equal the stored ones — e.g. an old template uploaded again — changes nothing
 * (`changed: []`, no new version, no audit entry), whatever version it was made from; a stale template
 * with a value that differs from a newer version is E_CONFLICT naming the indicator, both versions and
 * both values, and nothing of it is stored.
 */
export async function uploadTemplateChanges(
  store: Store,
  actor: Principal,
  roundId: number,
  unit: string,
  upload: { fileName: string; bytes: Uint8Array },
): Promise<SaveResult> {
  requireRole(actor, ['city'], 'upload templates');
  const round = await roundFor(store, actor, roundId, unit, 'upload templates');
  const file = upload.fileName.replace(/[\\/]/g, '_').slice(0, 200) || 'upload.xlsx';
  if (upload.bytes.length > MAX_TEMPLATE_BYTES)
    throw new CityIndexError({
      code: 'E_XLSX_LIMIT',
      message: `the file has ${upload.bytes.length} bytes / 文件过大`,
      file,
      expected: `at most ${MAX_TEMPLATE_BYTES} bytes`,
    });
  const parsed = await readSubmissionTemplate(upload.bytes, file);
  const project = await store.db
    .selectFrom('projects')
    .select('slug')
    .where('id', '=', Number(round.project_id))
    .executeTakeFirstOrThrow();
  const m = parsed.meta;
  const claimedRound = await flow(store)
    .selectFrom('submission_rounds')
    .select('secret')
    .where('id', '=', Number(m.round) || 0)
    .executeTakeFirst();
  const expectedSig = claimedRound ? sign(claimedRound.secret, m.project, m.round, m.unit) : '';
  const given = Buffer.from(m.signature);
  if (
    !claimedRound ||
    given.length !== Buffer.byteLength(expectedSig) ||
    !timingSafeEqual(given, Buffer.from(expectedSig))
  )
    throw INVALID_TEMPLATE(
      'E_TEMPLATE_SIGNATURE',
      'the template was not issued by this system or its hidden signature was edited; download a fresh template / ' +
        '填报表签名无效，请重新下载',
      file,
      'an unmodified template downloaded from cityindex',
    );
  if (m.project !== project.slug || m.round !== String(roundId))
    throw INVALID_TEMPLATE(
      'E_TEMPLATE_ROUND',
      `this template belongs to another round or project (${m.project}, round ${m.round}) / 该填报表属于其他轮次或项目`,
      file,
      `the template of round ${roundId} of ${project.slug}`,
    );
  if (m.unit !== unit)
    throw INVALID_TEMPLATE(
      'E_TEMPLATE_UNIT',
      `this is the template of city ${m.unit}, not of ${unit} / 这是其他城市（${m.unit}）的填报表`,
      file,
      `the template of city ${unit}`,
    );
  const edits: ValueEdit[] = parsed.rows.map((r) => ({
    indicator: r.indicator,
    value: r.value,
    source: r.source,
    version: r.version,
    row: r.row,
  }));
  return saveChecked(store, actor, round, unit, edits, { file, action: 'round_value.upload' });
}

/**
 * Submit a city's values for review (its city officers): draft → submitted, returned → resubmitted,
 * each a new version, in one transaction. E_EMPTY when there is nothing to submit.
 */
export async function submitUnit(store: Store, actor: Principal, roundId: number, unit: string): Promise<RoundValue[]> {
  requireRole(actor, ['city'], 'submit values');
  await roundFor(store, actor, roundId, unit, 'submit values');
  const by = actorName(actor);
  await flow(store)
    .transaction()
    .execute(async (trx) => {
      // set-based: each status moves in one statement, and RETURNING gives exactly the rows moved (what
      // the version rows record), however other writers interleave
      const at = store.now();
      const next: ValueRow[] = [];
      for (const [from, to] of [
        ['draft', 'submitted'],
        ['returned', 'resubmitted'],
      ] as const) {
        const moved = await trx
          .updateTable('round_values')
          .set((eb) => ({ version: eb('version', '+', 1), status: to, actor: by, at }))
          .where('round_id', '=', roundId)
          .where('unit_code', '=', unit)
          .where('status', '=', from)
          .returningAll()
          .execute();
        next.push(...moved.map((r) => ({ ...r, version: Number(r.version) })));
      }
      if (next.length === 0)
        throw new CityIndexError({
          code: 'E_EMPTY',
          message: 'nothing to submit: no draft or returned values / 没有待提交的数值',
          unit,
          expected: 'values in draft or returned',
        });
      next.sort((a, b) => (a.indicator < b.indicator ? -1 : 1));
      await insertVersions(trx, next);
      await audit(store, trx, actor, {
        action: 'round_unit.submit',
        entity: 'round_unit',
        entityId: `${roundId}/${unit}`,
        after: { values: next.map((n) => ({ indicator: n.indicator, status: n.status, version: n.version })) },
      });
    });
  return roundValues(store, actor, roundId, unit);
}

/**
 * Approve or return submitted values of one city (reviewers and admins), each with the version the
 * reviewer saw; returning needs a comment (shown to the city on that value and in its next template).
 * Approval writes the value into the project's current values (status `approved`, data version + 1)
 * and records that data version. One transaction; any stale version is E_CONFLICT, nothing changed.
 */
export async function reviewValues(
  store: Store,
  actor: Principal,
  roundId: number,
  unit: string,
  decisions: readonly ValueDecision[],
): Promise<RoundValue[]> {
  requireRole(actor, ['admin', 'reviewer'], 'review values');
  const round = await roundFor(store, actor, roundId, unit, 'review values');
  const projectId = Number(round.project_id);
  const by = actorName(actor);
  const issues: Issue[] = [];
  if (decisions.length === 0)
    issues.push({
      code: 'E_EMPTY',
      message: 'no decisions / 未给出审核结论',
      field: 'decisions',
      expected: '1+ decisions',
    });
  const seen = new Set<string>();
  decisions.forEach((d, i) => {
    const at = { row: i + 1, field: `decisions[${i}]`, unit, indicator: String(d.indicator) };
    if (seen.has(d.indicator))
      issues.push({ ...at, code: 'E_DUPLICATE', message: 'indicator given twice / 指标重复', expected: 'each once' });
    seen.add(d.indicator);
    if (d.decision !== 'approve' && d.decision !== 'return')
      issues.push({ ...at, code: 'E_DECISION', message: 'bad decision / 审核结论无效', expected: 'approve or return' });
    const comment = d.comment ?? '';
    if (typeof comment !== 'string' || comment.length > MAX_SOURCE_CHARS)
      issues.push({
        ...at,
        code: 'E_COMMENT',
        message: 'bad comment / 意见无效',
        expected: `text ≤ ${MAX_SOURCE_CHARS} chars`,
      });
    else if (d.decision === 'return' && comment.trim() === '')
      issues.push({
        ...at,
        code: 'E_COMMENT',
        message: 'a returned value needs a comment saying what to fix / 退回须填写意见',
        expected: 'a comment',
      });
  });
  if (issues.length) throw new CityIndexError(issues);
  await flow(store)
    .transaction()
    .execute(async (trx) => {
      const current = new Map(
        (
          await trx
            .selectFrom('round_values')
            .selectAll()
            .where('round_id', '=', roundId)
            .where('unit_code', '=', unit)
            .execute()
        ).map((r) => [r.indicator, r]),
      );
      const at = store.now();
      const next: ValueRow[] = [];
      for (const d of [...decisions].sort((a, b) => (a.indicator < b.indicator ? -1 : 1))) {
        const cur = current.get(d.indicator);
        if (!cur) {
          issues.push({
            code: 'E_NOT_FOUND',
            message: `no value of ${d.indicator} / 没有该数值`,
            unit,
            indicator: d.indicator,
            expected: 'a submitted value',
          });
          continue;
        }
        if (Number(cur.version) !== d.version) {
          issues.push(conflictIssue(d.indicator, d.version, Number(cur.version)));
          continue;
        }
        if (cur.status !== 'submitted' && cur.status !== 'resubmitted') {
          issues.push({
            code: 'E_NOT_EDITABLE',
            message: `${d.indicator} is ${cur.status}, not awaiting review / 该数值不在待审核状态`,
            unit,
            indicator: d.indicator,
            expected: 'a submitted or resubmitted value',
          });
          continue;
        }
        next.push({
          ...cur,
          version: Number(cur.version) + 1,
          status: d.decision === 'approve' ? 'approved' : 'returned',
          comment: (d.comment ?? '').trim() || null,
          actor: by,
          at,
        });
      }
      if (issues.length) throw new CityIndexError(issues);
      for (const n of next) {
        if (n.status === 'approved') n.data_version = await writeApproved(trx, projectId, n, by, at);
        const u = await trx
          .updateTable('round_values')
          .set({
            version: n.version,
            status: n.status,
            comment: n.comment,
            data_version: n.data_version,
            actor: by,
            at,
          })
          .where('round_id', '=', roundId)
          .where('unit_code', '=', unit)
          .where('indicator', '=', n.indicator)
          .where('version', '=', n.version - 1)
          .executeTakeFirst();
        if (Number(u.numUpdatedRows) !== 1)
          throw new CityIndexError(conflictIssue(n.indicator, n.version - 1, n.version));
      }
      await insertVersions(trx, next);
      await audit(store, trx, actor, {
        action: 'round_unit.review',
        entity: 'round_unit',
        entityId: `${roundId}/${unit}`,
        before: next.map((n) => ({ indicator: n.indicator, status: current.get(n.indicator)!.status })),
        after: next.map((n) => ({
          indicator: n.indicator,
          status: n.status,
          comment: n.comment,
          value: n.value,
          dataVersion: n.data_version,
        })),
      });
    });
  return roundValues(store, actor, roundId, unit);
}

/** Write an approved value into the project's current values; returns its new data version. */
async function writeApproved(trx: FlowTrx, projectId: number, n: ValueRow, by: string, at: string): Promise<number> {
  const before = await trx
    .selectFrom('data_values')
    .select('version')
    .where('project_id', '=', projectId)
    .where('unit_code', '=', n.unit_code)
    .where('indicator', '=', n.indicator)
    .executeTakeFirst();
  const after = {
    value: n.value,
    source: n.source,
    status: 'approved',
    submission_id: null,
    updated_by: by,
    updated_at: at,
  };
  if (before) {
    const version = Number(before.version) + 1;
    await trx
      .updateTable('data_values')
      .set({ ...after, version })
      .where('project_id', '=', projectId)
      .where('unit_code', '=', n.unit_code)
      .where('indicator', '=', n.indicator)
      .where('version', '=', Number(before.version))
      .execute();
    return version;
  }
  await trx
    .insertInto('data_values')
    .values({ ...after, project_id: projectId, unit_code: n.unit_code, indicator: n.indicator, version: 1 })
    .execute();
  return 1;
}

/**
 * Which round version an approved current value came from: the lineage of a build's value (a build
 * records unit, indicator and data version of every approved value it used). Staff, or the city's officer.
 */
export async function approvalOf(
  store: Store,
  actor: Principal,
  projectId: number,
  unit: string,
  indicator: string,
  dataVersion: number,
): Promise<(RoundValue & { round: number }) | undefined> {
  await store.requireUnitAccess(actor, projectId, unit, 'read the lineage of values');
  const r = await flow(store)
    .selectFrom('round_value_versions')
    .innerJoin('submission_rounds', 'submission_rounds.id', 'round_value_versions.round_id')
    .selectAll('round_value_versions')
    .where('submission_rounds.project_id', '=', projectId)
    .where('round_value_versions.unit_code', '=', unit)
    .where('round_value_versions.indicator', '=', indicator)
    .where('round_value_versions.data_version', '=', dataVersion)
    .where('round_value_versions.status', '=', 'approved')
    .executeTakeFirst();
  return r ? { ...toValue(r), round: Number(r.round_id) } : undefined;
}

/**
 * The content type of attachment bytes by their signature (magic numbers): PDF, PNG, JPEG, GIF or WebP;
 * undefined for anything else, whatever its name or declared type.
 * @example sniffAttachment(new TextEncoder().encode('%PDF-1.7')) // => 'application/pdf'
 * @example sniffAttachment(new TextEncoder().encode('<html>')) // => undefined
 */
export function sniffAttachment(b: Uint8Array): string | undefined {
  const starts = (sig: number[], at = 0) => b.length >= at + sig.length && sig.every((x, k) => b[at + k] === x);
  if (starts([0x25, 0x50, 0x44, 0x46, 0x2d])) return 'application/pdf';
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (starts([0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (starts([0x47, 0x49, 0x46, 0x38])) return 'image/gif';
  if (starts([0x52, 0x49, 0x46, 0x46]) && starts([0x57, 0x45, 0x42, 0x50], 8)) return 'image/webp';
  return undefined;
}

/**
 * Attach a statistical bulletin (PDF or image) to one value (its city officers; the value must be in
 * draft or returned, at the version given): size bounded, content type taken from the bytes (the
 * declared one is ignored), stored in the database; the value gets a new version pointing to it.
 */
export async function attachFile(
  store: Store,
  actor: Principal,
  roundId: number,
  unit: string,
  indicator: string,
  version: number,
  file: { fileName: string; bytes: Uint8Array },
): Promise<{ attachmentId: number; contentType: string; value: RoundValue }> {
  requireRole(actor, ['city'], 'attach files');
  await roundFor(store, actor, roundId, unit, 'attach files');
  // eslint-disable-next-line no-control-regex
  const name = file.fileName.replace(/[\\/\u0000-\u001f]/g, '_').slice(0, 200) || 'attachment';
  if (file.bytes.length > MAX_ATTACHMENT_BYTES || file.bytes.length === 0)
    throw new CityIndexError({
      code: 'E_ATTACHMENT_SIZE',
      message: `attachment of ${file.bytes.length} bytes / 附件大小不符`,
      file: name,
      expected: `1 to ${MAX_ATTACHMENT_BYTES} bytes`,
    });
  const contentType = sniffAttachment(file.bytes);
  if (!contentType)
    throw new CityIndexError({
      code: 'E_ATTACHMENT_TYPE',
      message: `"${name}" is not a PDF or an image (by its content) / 附件须为 PDF 或图片`,
      file: name,
      expected: 'a PDF, PNG, JPEG, GIF or WebP file',
    });
  const by = actorName(actor);
  const at = store.now();
  const id = await flow(store)
    .transaction()
    .execute(async (trx) => {
      const cur = await trx
        .selectFrom('round_values')
        .selectAll()
        .where('round_id', '=', roundId)
        .where('unit_code', '=', unit)
        .where('indicator', '=', indicator)
        .executeTakeFirst();
      if (!cur) throw notFound('value', `${unit}/${indicator}`);
      if (Number(cur.version) !== version)
        throw new CityIndexError(conflictIssue(indicator, version, Number(cur.version)));
      if (cur.status !== 'draft' && cur.status !== 'returned')
        throw new CityIndexError({
          code: 'E_NOT_EDITABLE',
          message: `${indicator} is ${cur.status} / 该数值当前不能修改`,
          unit,
          indicator,
          expected: 'a value in draft or returned',
        });
      const row = await trx
        .insertInto('attachments')
        .values({
          round_id: roundId,
          unit_code: unit,
          indicator,
          file_name: name,
          content_type: contentType,
          size: file.bytes.length,
          sha256: createHash('sha256').update(file.bytes).digest('hex'),
          content: Buffer.from(file.bytes).toString('base64'),
          created_by: by,
          created_at: at,
        } as never)
        .returning('id')
        .executeTakeFirstOrThrow();
      const aid = Number(row.id);
      const next: ValueRow = { ...cur, version: version + 1, attachment_id: aid, actor: by, at };
      const u = await trx
        .updateTable('round_values')
        .set({ version: next.version, attachment_id: aid, actor: by, at })
        .where('round_id', '=', roundId)
        .where('unit_code', '=', unit)
        .where('indicator', '=', indicator)
        .where('version', '=', version)
        .executeTakeFirst();
      if (Number(u.numUpdatedRows) !== 1) throw new CityIndexError(conflictIssue(indicator, version, version + 1));
      await insertVersions(trx, [next]);
      await audit(store, trx, actor, {
        action: 'round_value.attach',
        entity: 'round_value',
        entityId: `${roundId}/${unit}/${indicator}`,
        after: { attachment: aid, file: name, contentType, size: file.bytes.length },
      });
      return aid;
    });
  const value = (await roundValues(store, actor, roundId, unit)).find((v) => v.indicator === indicator)!;
  return { attachmentId: id, contentType, value };
}

/** An attachment's bytes (staff, or an officer of its city; not found for anyone else). */
export async function attachment(
  store: Store,
  actor: Principal,
  id: number,
): Promise<{
  fileName: string;
  contentType: string;
  bytes: Uint8Array;
  unit: string;
  indicator: string;
  projectId: number;
}> {
  const r = await flow(store)
    .selectFrom('attachments')
    .innerJoin('submission_rounds', 'submission_rounds.id', 'attachments.round_id')
    .selectAll('attachments')
    .select('submission_rounds.project_id')
    .where('attachments.id', '=', id)
    .executeTakeFirst();
  if (!r) throw notFound('attachment', id);
  try {
    await store.requireUnitAccess(actor, Number(r.project_id), r.unit_code, 'read attachments');
  } catch (e) {
    if (e instanceof CityIndexError && e.issues[0]?.code === 'E_FORBIDDEN') throw notFound('attachment', id);
    throw e;
  }
  return {
    fileName: r.file_name,
    contentType: r.content_type,
    bytes: new Uint8Array(Buffer.from(r.content, 'base64')),
    unit: r.unit_code,
    indicator: r.indicator,
    projectId: Number(r.project_id),
  };
}
