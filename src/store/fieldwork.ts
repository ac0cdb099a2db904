/**
 * Survey fieldwork in the store: waves made from a project's survey (questionnaire definitions, sampling
 * design, census margins), quotas per city and per age × sex cell, one-time token batches, and responses
 * saved as the respondent goes and submitted once. Authorisation is enforced here, in the data layer:
 * staff manage waves and read the monitor; anonymous respondents may only save and resume their own
 * response (proved by the device key whose salted hash the response carries). No name, phone number or
 * address is stored. Respondents' saves (draft autosaves and submissions) are not audit-logged one by one:
 * they are anonymous and frequent (up to thousands a second), and a row per save would flood the audit
 * log and tie its hash chain to every respondent's write. Instead each response counts its saves
 * (`fw_responses.saves`, no personal data), and the fieldwork-level events are audited with the tally:
 * opening or closing a wave records the responses per status and the number of saves, drafts included
 * (`fieldworkTally`). Every staff action is audited.
 */
import { createHash, randomBytes } from 'node:crypto';
import { CompiledQuery, sql, type Compilable, type Kysely, type QueryResult, type Transaction } from 'kysely';
import { CityIndexError, type Issue } from '../engine/core/errors.ts';
import type { LocalText } from '../engine/core/framework.ts';
import { checkAnswers, definitionRules, flattenAnswers, type DefinitionRules } from '../engine/survey/answers.ts';
import { cleanResponses, type CleaningResult } from '../engine/survey/clean.ts';
import { runSurvey, type SurveyRunResult } from '../engine/survey/pipeline.ts';
import type { CityMargins, ResponseTable } from '../engine/survey/types.ts';
import { ageBandIndex, DEFAULT_AGE_BANDS } from '../engine/survey/weighting.ts';
import {
  responseOptions,
  responsesFromRows,
  SIMULATED_LABEL,
  surveyItems,
  surveySpec,
  type LoadedSurvey,
  type SurveyConfig,
} from '../formats/survey.ts';
import { actorName, requireRole, type Principal, type Role } from './principal.ts';
import { GroupCommit } from './group-commit.ts';
import type { StoreDatabase } from './schema.ts';
import type { Store } from './store.ts';

/** The screening question added in front of every fieldwork questionnaire. */
export const SCREENING_QUESTION = 'fw_resident';
/** A partial response not saved for this long counts as a break-off. */
export const BREAK_OFF_MINUTES = 30;
/** Largest answers object accepted (JSON characters). */
export const MAX_ANSWERS_CHARS = 64 * 1024;

const STAFF: readonly Role[] = ['admin', 'author', 'reviewer'];
const MANAGERS: readonly Role[] = ['admin', 'author'];

/** A city of a wave with its names. */
export interface WaveCity {
  code: string;
  name: LocalText;
}

/** An age × sex quota cell. */
export interface QuotaCell {
  /** `<age band>|<sex>` */
  cell: string;
  band: string;
  sex: 'male' | 'female';
}

/** Everything a wave needs, stored as JSON with it. */
export interface WaveDesign {
  surveyId: string;
  title: LocalText;
  simulated: boolean;
  definitions: Record<string, unknown>;
  config: SurveyConfig;
  cities: WaveCity[];
  perCity: number;
  cells: QuotaCell[];
  margins: Record<string, { age: number[]; sex: number[] }>;
}

/** A wave as listed. */
export interface WaveInfo {
  id: number;
  projectId: number;
  slug: string;
  surveyId: string;
  title: LocalText;
  status: 'open' | 'closed';
  simulated: boolean;
  tokensRequired: boolean;
  perCity: number;
  cities: WaveCity[];
}

/** What `createWave` takes. */
export interface NewWave {
  slug: string;
  survey: LoadedSurvey;
  /** City names (adcode → names), e.g. from the project's units. */
  cityNames?: ReadonlyMap<string, LocalText>;
  /** Completed responses wanted per city (default: the survey's cleaning quota, else 120). */
  perCity?: number;
  tokensRequired?: boolean;
}

/** One save of a response, as the form sends it. */
export interface ResponseSave {
  wave: string;
  city: string;
  responseId: string;
  deviceKey: string;
  token?: string;
  answers: Record<string, unknown>;
  /** Seconds spent per page (paradata). */
  pageTimes: Record<string, number>;
  language: 'zh' | 'en';
  /** True for the final submission. */
  complete: boolean;
}

/** Status of a response after a save. */
export type ResponseStatus = 'partial' | 'complete' | 'screened_out' | 'quota_full';

/** The answer to a save: the response's status; `replay` when it was already final (nothing changed). */
export interface SaveResult {
  status: ResponseStatus;
  replay: boolean;
}

/** The public face of a wave in one city (what the form page needs). */
export interface PublicForm {
  wave: string;
  title: LocalText;
  city: WaveCity;
  /** `open`, `closed` (wave closed) or `quota_full` (the city's quota is reached). */
  state: 'open' | 'closed' | 'quota_full';
  simulated: boolean;
  tokensRequired: boolean;
  /** Definitions per language with the screening page in front and the city question fixed. */
  definitions: Record<string, unknown>;
}

/** One city's figures in the monitor. */
export interface MonitorCity {
  code: string;
  name: LocalText;
  quota: number;
  complete: number;
  partial: number;
  breakOffs: number;
  screenedOut: number;
  quotaFull: number;
  started: number;
  completionRate: number | null;
  breakOffRate: number | null;
  medianDuration: number | null;
  flags: { speeders: number; straightLiners: number; duplicates: number };
  cells: Array<{ cell: string; target: number; n: number }>;
}

/** The fieldwork monitor of a wave. */
export interface Monitor {
  wave: WaveInfo;
  /** The simulated-data label when the wave is simulated, else null. */
  label: string | null;
  at: string;
  speederSeconds: number;
  medianDuration: number | null;
  cities: MonitorCity[];
  totals: Omit<MonitorCity, 'code' | 'name' | 'cells' | 'medianDuration'> & { medianDuration: number | null };
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

function bad(code: string, message: string, field: string, expected: string): CityIndexError {
  return new CityIndexError({ code, message, field, expected });
}

function notFound(what: string, id: string): CityIndexError {
  return new CityIndexError({
    code: 'E_NOT_FOUND',
    message: `no ${what} ${id.slice(0, 60)} / 找不到${what === 'wave' ? '调查轮次' : '记录'}`,
    field: what,
    expected: `an existing ${what}`,
  });
}

/**
 * The quota cells of a design: each age band × sex, targets ⌈perCity × age share × sex share⌉ from the
 * census margins (independence: the census gives no cross-tabulation).
 * @example
 * const m = { city: '110100', age: new Float64Array([0.75, 0.25]), sex: new Float64Array([0.5, 0.5]) };
 * const bands = [{ label: '18-59', min: 18, max: 59, census: [] }, { label: '60+', min: 60, census: [] }];
 * const targets = cellTargets(m, bands, 120);
 * [...targets.keys()] // => ['18-59|male', '18-59|female', '60+|male', '60+|female']
 * [...targets.values()] // => [45, 45, 15, 15]
 */
export function cellTargets(
  margins: CityMargins,
  bands: ReadonlyArray<{ label: string; min: number; max?: number }>,
  perCity: number,
): Map<string, number> {
  const out = new Map<string, number>();
  bands.forEach((b, k) => {
    (['male', 'female'] as const).forEach((sex, s) => {
      out.set(`${b.label}|${sex}`, Math.ceil(perCity * margins.age[k] * margins.sex[s] - 1e-9));
    });
  });
  return out;
}

/**
 * A questionnaire definition for fieldwork in one city: a screening page first (residents only: at least
 * six months in the city in the past year, the census's 常住 rule), a trigger that ends the questionnaire
 * for non-residents, and the city question fixed to the link's city.
 * @example
 * const def = { pages: [{ name: 'about', elements: [{ type: 'dropdown', name: 'city', choices: ['110100'] }] }] };
 * const out = fieldworkDefinition(def, 'en', 'city', '110100') as { pages: Array<{ name: string }> };
 * out.pages.map((p) => p.name) // => ['screening', 'about']
 */
export function fieldworkDefinition(
  definition: unknown,
  language: string,
  cityQuestion: string,
  city: string,
): unknown {
  const def = structuredClone(definition) as { pages?: Array<{ elements?: Array<Record<string, unknown>> }> };
  const zh = language === 'zh';
  const screening = {
    name: 'screening',
    elements: [
      {
        type: 'radiogroup',
        name: SCREENING_QUESTION,
        isRequired: true,
        title: zh
          ? '过去一年里，您在本市累计居住满六个月了吗？'
          : 'Have you lived in this city for six months or more in the past year?',
        choices: [
          { value: 'yes', text: zh ? '是' : 'Yes' },
          { value: 'no', text: zh ? '否' : 'No' },
        ],
      },
    ],
  };
  for (const page of def.pages ?? []) {
    for (const q of page.elements ?? []) {
      if (q.name === cityQuestion) {
        q.defaultValue = city;
        q.readOnly = true;
      }
    }
  }
  const triggers = [{ type: 'complete', expression: `{${SCREENING_QUESTION}} = 'no'` }];
  return { ...def, pages: [screening, ...(def.pages ?? [])], triggers };
}

function waveInfo(r: {
  id: number;
  project_id: number;
  slug: string;
  survey_id: string;
  title_zh: string | null;
  title_en: string | null;
  status: string;
  simulated: number;
  tokens_required: number;
  design: string;
}): WaveInfo & { design: WaveDesign } {
  const design = JSON.parse(r.design) as WaveDesign;
  return {
    id: Number(r.id),
    projectId: Number(r.project_id),
    slug: r.slug,
    surveyId: r.survey_id,
    title: { zh: r.title_zh ?? undefined, en: r.title_en ?? undefined },
    status: r.status === 'closed' ? 'closed' : 'open',
    simulated: r.simulated === 1,
    tokensRequired: r.tokens_required === 1,
    perCity: design.perCity,
    cities: design.cities,
    design,
  };
}

/** A wave with its rules compiled once (the definitions do not change while it runs). */
interface LoadedWave {
  info: WaveInfo;
  design: WaveDesign;
  salt: string;
  rules: DefinitionRules;
  cities: ReadonlyMap<string, WaveCity>;
  bands: ReadonlyArray<{ label: string; min: number; max?: number }>;
  cellsOf: ReadonlySet<string>;
  items: string[];
  /** The indicators' items: what straight-lining and duplicate answers look at (as `survey clean`). */
  indicatorItems: string[];
  /** How answers become the engine's response table (worked out once per wave, not per submission). */
  parseOptions: ReturnType<typeof responseOptions>;
}

/**
 * Most saves in one group commit. Every save of a group is acknowledged only when the whole group has
 * committed, so the first save of a group waits for all the others: at ≈ 0.6 ms of work per save a group
 * of 256 holds its first save ≈ 150 ms (the old p99 tail), one of 64 ≈ 40 ms, while one fsync per 64
 * saves still costs each save only a few hundredths of a millisecond of disk time.
 */
export const GROUP_COMMIT_BATCH = 64;

/** Options of `Fieldwork`. */
export interface FieldworkOptions {
  /**
   * Commit respondents' saves in groups (one transaction and one disk flush for all the saves waiting;
   * each acknowledged only after its group committed). Default: on for SQLite, off for PostgreSQL (which
   * flushes concurrent commits together itself).
   */
  groupCommit?: boolean;
}

/** Fieldwork over a `Store`: waves, quotas, tokens, responses, the monitor, exports and estimates. */
export class Fieldwork {
  private readonly waves = new Map<string, LoadedWave>();
  /** The group commit of respondents' saves (null: one transaction per save). */
  readonly commits: GroupCommit<StoreDatabase> | null;

  constructor(
    readonly store: Store,
    options: FieldworkOptions = {},
  ) {
    this.commits =
      (options.groupCommit ?? store.dialect === 'sqlite')
        ? new GroupCommit(store.db, { maxBatch: GROUP_COMMIT_BATCH })
        : null;
  }

  /** The monitor's counter upserts, compiled once (building a kysely query costs more than running it). */
  private readonly compiled = new Map<string, CompiledQuery>();

  /**
   * Run a query of the save path compiled once: the first call compiles `build` over stand-ins (one
   * distinct marker per parameter) and keeps the SQL only if its parameters are exactly the markers in
   * order; every call then runs that SQL with its own `params` (else the query is built each time).
   */
  private async prepared<R>(
    trx: Transaction<StoreDatabase>,
    key: string,
    build: (p: readonly never[]) => Compilable<R>,
    params: readonly unknown[],
  ): Promise<QueryResult<R>> {
    let kept = this.compiled.get(key);
    if (kept === undefined) {
      const markers = params.map((_, k) => `\u0000fw-param-${k}`);
      const q = build(markers as never[]).compile();
      const same = q.parameters.length === markers.length && q.parameters.every((v, k) => v === markers[k]);
      if (!same) return trx.executeQuery<R>(build(params as never[]).compile());
      kept = q;
      this.compiled.set(key, q);
    }
    return trx.executeQuery<R>(CompiledQuery.raw(kept.sql, [...params]));
  }

  /** Run a respondent's write: in the next group commit, or in a transaction of its own. */
  private write<T>(work: (trx: Transaction<StoreDatabase>) => Promise<T>): Promise<T> {
    return this.commits ? this.commits.run(work) : this.store.db.transaction().execute(work);
  }

  /** Move the monitor's counters of a city: `n` responses into `status` (negative: out of it). */
  private async count(
    trx: Transaction<StoreDatabase>,
    waveId: number,
    city: string,
    status: ResponseStatus,
    n: number,
    flags: { straight?: number; duplicates?: number } = {},
  ): Promise<void> {
    const straight = flags.straight ?? 0;
    const duplicates = flags.duplicates ?? 0;
    await this.prepared(
      trx,
      'summary',
      (p) =>
        trx
          .insertInto('fw_summary')
          .values({ wave_id: p[0], city: p[1], status: p[2], n: p[3], straight_lined: p[4], duplicates: p[5] })
          .onConflict((oc) =>
            oc.columns(['wave_id', 'city', 'status']).doUpdateSet((eb) => ({
              n: eb('fw_summary.n', '+', eb.ref('excluded.n')),
              straight_lined: eb('fw_summary.straight_lined', '+', eb.ref('excluded.straight_lined')),
              duplicates: eb('fw_summary.duplicates', '+', eb.ref('excluded.duplicates')),
            })),
          ),
      [waveId, city, status, n, straight, duplicates],
    );
  }

  /** Count a completed response in the duration histogram and its answer set; 1 when the set repeats. */
  private async countComplete(
    trx: Transaction<StoreDatabase>,
    waveId: number,
    city: string,
    seconds: number,
    answersHash: string,
  ): Promise<number> {
    await this.prepared(
      trx,
      'durations',
      (p) =>
        trx
          .insertInto('fw_durations')
          .values({ wave_id: p[0], city: p[1], seconds: p[2], n: p[3] })
          .onConflict((oc) =>
            oc.columns(['wave_id', 'city', 'seconds']).doUpdateSet((eb) => ({ n: eb('fw_durations.n', '+', p[4]) })),
          ),
      [waveId, city, seconds, 1, 1],
    );
    const {
      rows: [set],
    } = await this.prepared(
      trx,
      'answerSets',
      (p) =>
        trx
          .insertInto('fw_answer_sets')
          .values({ wave_id: p[0], city: p[1], answers_hash: p[2], n: p[3] })
          .onConflict((oc) =>
            oc
              .columns(['wave_id', 'city', 'answers_hash'])
              .doUpdateSet((eb) => ({ n: eb('fw_answer_sets.n', '+', p[4]) })),
          )
          .returning('n'),
      [waveId, city, answersHash, 1, 1],
    );
    return Number(set.n) > 1 ? 1 : 0;
  }

  // ── waves (staff) ─────────────────────────────────────────────────────────────────────────

  /**
   * Put a project's survey in the field (authors, admins): the wave, its design and its quota counters.
   * @example // no-run: needs a loaded survey and a stored project (tests/store/fieldwork.test.ts)
   * const wave = await fieldwork.createWave(author, project.id, { slug: 'w1', survey });
   */
  async createWave(actor: Principal, projectId: number, w: NewWave): Promise<WaveInfo> {
    requireRole(actor, MANAGERS, 'start survey fieldwork');
    if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(w.slug))
      throw bad('E_SLUG', `"${w.slug.slice(0, 70)}" is not a wave name`, 'slug', 'lowercase letters, digits, -');
    const c = w.survey.config;
    const defs = w.survey.definitions;
    if (Object.keys(defs).length === 0)
      throw bad('E_NO_DEFINITION', `survey ${c.id} has no questionnaire definition`, 'definitions', 'zh and en');
    const perCity = w.perCity ?? c.cleaning.quota?.perCity ?? 120;
    if (!Number.isInteger(perCity) || perCity < 1 || perCity > 1_000_000)
      throw bad('E_QUOTA', `per-city quota ${perCity} is not allowed`, 'perCity', 'a whole number 1 … 1 000 000');
    const bands = c.weighting.ageBands ?? DEFAULT_AGE_BANDS;
    const margins: WaveDesign['margins'] = {};
    const quota: Array<{ city: string; cell: string; target: number }> = [];
    for (const city of c.cities) {
      quota.push({ city, cell: '*', target: perCity });
      const m = w.survey.margins.get(city);
      if (!m) continue;
      margins[city] = { age: [...m.age], sex: [...m.sex] };
      for (const [cell, target] of cellTargets(m, bands, perCity)) quota.push({ city, cell, target });
    }
    const cells: QuotaCell[] = bands.flatMap((b) =>
      (['male', 'female'] as const).map((sex) => ({ cell: `${b.label}|${sex}`, band: b.label, sex })),
    );
    const design: WaveDesign = {
      surveyId: c.id,
      title: { ...(c.title ?? {}) },
      simulated: c.simulated === true,
      definitions: defs,
      config: c,
      cities: c.cities.map((code) => ({ code, name: { ...(w.cityNames?.get(code) ?? {}) } })),
      perCity,
      cells,
      margins,
    };
    const now = this.store.now();
    await this.store.db.transaction().execute(async (trx) => {
      const taken = await trx.selectFrom('fw_waves').select('id').where('slug', '=', w.slug).executeTakeFirst();
      if (taken)
        throw new CityIndexError({
          code: 'E_CONFLICT',
          message: `wave ${w.slug} exists`,
          field: 'slug',
          expected: 'a new name',
        });
      const row = await trx
        .insertInto('fw_waves')
        .values({
          project_id: projectId,
          slug: w.slug,
          survey_id: c.id,
          title_zh: c.title?.zh ?? null,
          title_en: c.title?.en ?? null,
          design: JSON.stringify(design),
          salt: randomBytes(32).toString('hex'),
          status: 'open',
          simulated: design.simulated ? 1 : 0,
          tokens_required: w.tokensRequired ? 1 : 0,
          created_at: now,
          created_by: actorName(actor),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const waveId = Number(row.id);
      for (let i = 0; i < quota.length; i += 200) {
        const part = quota.slice(i, i + 200).map((q) => ({ wave_id: waveId, ...q, n: 0 }));
        await trx.insertInto('fw_quota').values(part).execute();
      }
      await this.store.recordAudit(trx, actor, {
        action: 'fieldwork.wave.create',
        entity: 'fw_wave',
        entityId: String(waveId),
        after: { slug: w.slug, survey: c.id, perCity, cities: c.cities.length, cells: quota.length },
      });
    });
    return (await this.wave(w.slug)).info;
  }

  /** The waves of a project (staff). */
  async listWaves(actor: Principal, projectId: number): Promise<WaveInfo[]> {
    requireRole(actor, STAFF, 'see survey waves');
    const rows = await this.store.db
      .selectFrom('fw_waves')
      .selectAll()
      .where('project_id', '=', projectId)
      .orderBy('id')
      .execute();
    return rows.map((r) => {
      const { design: _design, ...info } = waveInfo(r);
      return info;
    });
  }

  /** Open or close a wave (authors, admins). */
  async setWaveStatus(actor: Principal, slug: string, status: 'open' | 'closed'): Promise<WaveInfo> {
    requireRole(actor, MANAGERS, 'open or close survey waves');
    const w = await this.wave(slug);
    await this.store.db.transaction().execute(async (trx) => {
      await trx.updateTable('fw_waves').set({ status }).where('id', '=', w.info.id).execute();
      await this.store.recordAudit(trx, actor, {
        action: `fieldwork.wave.${status === 'open' ? 'open' : 'close'}`,
        entity: 'fw_wave',
        entityId: String(w.info.id),
        before: { status: w.info.status },
        after: { status, ...(await fieldworkTally(trx, w.info.id)) },
      });
    });
    this.waves.delete(slug);
    return (await this.wave(slug)).info;
  }

  /** A wave by slug, compiled and cached (status re-read by callers that need it fresh). */
  private async wave(slug: string): Promise<LoadedWave> {
    const cached = this.waves.get(slug);
    if (cached) return cached;
    const r = await this.store.db.selectFrom('fw_waves').selectAll().where('slug', '=', slug).executeTakeFirst();
    if (!r) throw notFound('wave', slug);
    const { design, ...info } = waveInfo(r);
    const first = design.definitions.zh ?? Object.values(design.definitions)[0];
    const cityQuestion = design.config.responses.columns.city;
    const rules = definitionRules(fieldworkDefinition(first, 'zh', cityQuestion, ''));
    const loaded: LoadedWave = {
      info,
      design,
      salt: r.salt,
      rules,
      cities: new Map(design.cities.map((c) => [c.code, c])),
      bands: design.config.weighting.ageBands ?? DEFAULT_AGE_BANDS,
      cellsOf: new Set(design.cells.map((c) => c.cell)),
      items: surveyItems(design.config),
      indicatorItems: [...new Set(design.config.indicators.flatMap((d) => d.items))],
      parseOptions: responseOptions(design.config),
    };
    if (this.waves.size > 100) this.waves.clear();
    this.waves.set(slug, loaded);
    return loaded;
  }

  private async status(
    waveId: number,
    db: Kysely<StoreDatabase> | Transaction<StoreDatabase> = this.store.db,
  ): Promise<'open' | 'closed'> {
    const r = await db.selectFrom('fw_waves').select('status').where('id', '=', waveId).executeTakeFirst();
    return r?.status === 'closed' ? 'closed' : 'open';
  }

  private cityOf(w: LoadedWave, city: string): WaveCity {
    const c = w.cities.get(city);
    if (!c) throw notFound('city', city);
    return c;
  }

  // ── respondents (anonymous) ──────────────────────────────────────────────────────────────────

  /** The form of a wave in one city (public): definitions and whether it is open. */
  async publicForm(slug: string, city: string): Promise<PublicForm> {
    const w = await this.wave(slug);
    const c = this.cityOf(w, city);
    const quota = await this.store.db
      .selectFrom('fw_quota')
      .select(['target', 'n'])
      .where('wave_id', '=', w.info.id)
      .where('city', '=', city)
      .where('cell', '=', '*')
      .executeTakeFirst();
    const status = await this.status(w.info.id);
    const state = status === 'closed' ? 'closed' : quota && quota.n >= quota.target ? 'quota_full' : 'open';
    const cityQuestion = w.design.config.responses.columns.city;
    const definitions: Record<string, unknown> = {};
    for (const [lang, def] of Object.entries(w.design.definitions))
      definitions[lang] = fieldworkDefinition(def, lang, cityQuestion, city);
    return {
      wave: slug,
      title: w.info.title,
      city: c,
      state,
      simulated: w.info.simulated,
      tokensRequired: w.info.tokensRequired,
      definitions,
    };
  }

  /**
   * Save a response (anonymous respondents): a partial save or the final submission, idempotent on the
   * response id. Answers outside the definition, a foreign device key, a used or unknown token, a closed
   * wave: refused with a located error, nothing stored. `beforeStart` runs (and may throw) before a new
   * response is stored.
   */
  async saveResponse(save: ResponseSave, options: { beforeStart?: () => void } = {}): Promise<SaveResult> {
    let s = save;
    const w = await this.wave(s.wave);
    this.cityOf(w, s.city);
    if (!/^[A-Za-z0-9-]{16,64}$/.test(s.responseId))
      throw bad('E_RESPONSE_ID', 'not a response id', 'responseId', '16–64 letters, digits or -');
    if (!/^[A-Za-z0-9_-]{22,128}$/.test(s.deviceKey))
      throw bad('E_DEVICE_KEY', 'not a device key', 'deviceKey', '22–128 random letters and digits');
    const cityQuestion = w.design.config.responses.columns.city;
    // the link fixes the city: a form that did not send the (read-only) city question gets it from the link
    if (!Object.hasOwn(s.answers, cityQuestion)) s = { ...s, answers: { ...s.answers, [cityQuestion]: s.city } };
    const answersJson = JSON.stringify(s.answers);
    if (answersJson.length > MAX_ANSWERS_CHARS)
      throw bad('E_TOO_LARGE', 'answers too large', 'answers', `at most ${MAX_ANSWERS_CHARS} characters`);
    // a non-resident's questionnaire ends at the screening question: nothing else is required
    const screenedOut = s.answers[SCREENING_QUESTION] === 'no';
    const issues: Issue[] = checkAnswers(w.rules, s.answers, { complete: s.complete && !screenedOut });
    const answeredCity = s.answers[cityQuestion];
    if (answeredCity !== undefined && answeredCity !== s.city)
      issues.push({
        code: 'E_ANSWER',
        message: `question "${cityQuestion}": the city of this link is ${s.city}`,
        field: cityQuestion,
        expected: s.city,
      });
    if (issues.length) throw new CityIndexError(issues);
    const pages = new Set(['screening', ...w.rules.pages]);
    let duration = 0;
    for (const [page, seconds] of Object.entries(s.pageTimes)) {
      if (!pages.has(page) || !Number.isFinite(seconds) || seconds < 0 || seconds > 86_400)
        throw bad('E_PARADATA', `page time "${page.slice(0, 40)}" not allowed`, 'pageTimes', 'seconds per page');
      duration += seconds;
    }
    const ownerHash = sha256(`${w.salt}:device:${s.deviceKey}`);
    const tokenHash = s.token === undefined ? null : sha256(`${w.salt}:token:${s.token}`);
    if (w.info.tokensRequired && tokenHash === null)
      throw bad('E_TOKEN', 'this survey needs the one-time code of your invitation', 'token', 'an invitation code');
    const { age, sex, cell } = this.respondentCell(w, s.answers);
    const now = this.store.now();
    const seconds = Math.round(duration);
    const resident = s.answers[SCREENING_QUESTION] === 'yes';
    // the cleaning flags of a submission, worked out before its transaction (which they do not depend on)
    const completeFlags = s.complete && resident ? this.flags(w, s, duration, age, sex) : null;
    return this.write(async (trx) => {
      const waveNow = await this.prepared(
        trx,
        'waveStatus',
        (p) => trx.selectFrom('fw_waves').select('status').where('id', '=', p[0]),
        [w.info.id],
      );
      if (waveNow.rows[0]?.status === 'closed')
        throw new CityIndexError({ code: 'E_CLOSED', message: 'this survey is closed / 调查已结束', field: 'wave' });
      const [existing] = (
        await this.prepared(
          trx,
          'existing',
          (p) =>
            trx
              .selectFrom('fw_responses')
              .select(['wave_id', 'owner_hash', 'status', 'token_hash', 'city'])
              .where('id', '=', p[0])
              // PostgreSQL: concurrent saves of one response take turns (SQLite serialises every write anyway)
              .$if(this.store.dialect === 'postgres', (q) => q.forUpdate()),
          [s.responseId],
        )
      ).rows;
      if (existing) {
        if (existing.owner_hash !== ownerHash || Number(existing.wave_id) !== w.info.id || existing.city !== s.city)
          throw new CityIndexError({
            code: 'E_CONFLICT',
            message: 'this response belongs to another device / 该答卷属于其他设备',
            field: 'responseId',
            expected: 'a new response id',
          });
        if (existing.status !== 'partial') return { status: existing.status as ResponseStatus, replay: true };
        if (existing.token_hash !== tokenHash && w.info.tokensRequired)
          throw bad('E_TOKEN', 'a response keeps the code it started with', 'token', 'the same invitation code');
      } else {
        options.beforeStart?.(); // e.g. the route's per-address limit on new responses
        const [other] = (
          await this.prepared(
            trx,
            'sameDevice',
            (p) =>
              trx.selectFrom('fw_responses').select('id').where('wave_id', '=', p[0]).where('owner_hash', '=', p[1]),
            [w.info.id, ownerHash],
          )
        ).rows;
        if (other)
          throw new CityIndexError({
            code: 'E_DUPLICATE_RESPONSE',
            message: 'this device has already answered this survey / 此设备已填写过本问卷',
            field: 'deviceKey',
            expected: 'one response per device',
          });
        if (tokenHash !== null) {
          const t = await trx
            .updateTable('fw_tokens')
            .set({ response_id: s.responseId })
            .where('wave_id', '=', w.info.id)
            .where('token_hash', '=', tokenHash)
            .where('city', '=', s.city)
            .where('response_id', 'is', null)
            .executeTakeFirst();
          if (Number(t.numUpdatedRows) !== 1) {
            const known = await trx
              .selectFrom('fw_tokens')
              .select('response_id')
              .where('wave_id', '=', w.info.id)
              .where('token_hash', '=', tokenHash)
              .executeTakeFirst();
            throw new CityIndexError({
              code: known ? 'E_TOKEN_USED' : 'E_TOKEN',
              message: known
                ? 'this invitation code has already been used / 该邀请码已被使用'
                : 'unknown invitation code for this city / 邀请码无效',
              field: 'token',
              expected: 'an unused invitation code of this city',
            });
          }
        }
      }
      let status: ResponseStatus = 'partial';
      if (cell !== null && !s.complete) {
        // a full cell ends the questionnaire politely as soon as age and sex are known
        const q = await trx
          .selectFrom('fw_quota')
          .select(['target', 'n'])
          .where('wave_id', '=', w.info.id)
          .where('city', '=', s.city)
          .where('cell', 'in', ['*', cell])
          .execute();
        if (q.some((x) => x.n >= x.target)) status = 'quota_full';
      }
      if (s.complete) {
        if (!resident) status = 'screened_out';
        else status = (await this.reserve(trx, w.info.id, s.city, cell)) ? 'complete' : 'quota_full';
      }
      const flags = status === 'complete' && completeFlags ? completeFlags : { answersHash: null, straightLined: 0 };
      const row = {
        status,
        answers: answersJson,
        paradata: JSON.stringify({ pageTimes: s.pageTimes }),
        duration_s: seconds, // whole seconds: the monitor's medians read (city, seconds) counts
        age,
        sex,
        cell,
        language: s.language,
        answers_hash: flags.answersHash,
        straight_lined: flags.straightLined,
        updated_at: now,
        submitted_at: status === 'complete' ? now : null,
      };
      if (!existing) {
        // a new response is written once, already in its state (one row write, not an insert and an update)
        const values = {
          ...row,
          id: s.responseId,
          wave_id: w.info.id,
          city: s.city,
          owner_hash: ownerHash,
          token_hash: tokenHash,
          saves: 1,
          started_at: now,
        };
        const columns = Object.keys(values) as Array<keyof typeof values>;
        await this.prepared(
          trx,
          `insert:${columns.join(',')}`,
          (p) => trx.insertInto('fw_responses').values(Object.fromEntries(columns.map((c, k) => [c, p[k]])) as never),
          columns.map((c) => values[c]),
        );
      } else {
        const updated = await trx
          .updateTable('fw_responses')
          .set({ ...row, saves: sql<number>`saves + 1` })
          .where('id', '=', s.responseId)
          .where('status', '=', 'partial')
          .executeTakeFirst();
        if (Number(updated.numUpdatedRows) !== 1)
          throw new CityIndexError({
            code: 'E_CONFLICT',
            message: 'this response was saved at the same moment; please retry / 答卷同时被保存，请重试',
            field: 'responseId',
            expected: 'one save of a response at a time',
          });
      }
      // the monitor's counters, in the same transaction as the response
      if (status !== 'partial') {
        const dup =
          status === 'complete' ? await this.countComplete(trx, w.info.id, s.city, seconds, flags.answersHash!) : 0;
        if (existing) await this.count(trx, w.info.id, s.city, 'partial', -1);
        await this.count(trx, w.info.id, s.city, status, 1, { straight: flags.straightLined, duplicates: dup });
      } else if (!existing) await this.count(trx, w.info.id, s.city, 'partial', 1);
      return { status, replay: false };
    });
  }

  /** Age, sex and quota cell from the answers (null when not yet answered). */
  private respondentCell(
    w: LoadedWave,
    answers: Record<string, unknown>,
  ): { age: number | null; sex: string | null; cell: string | null } {
    const cols = w.design.config.responses.columns;
    const a = cols.age ? Number(answers[cols.age]) : NaN;
    const sexRaw = cols.sex ? answers[cols.sex] : undefined;
    const age = Number.isFinite(a) ? Math.floor(a) : null;
    const sex = sexRaw === 'male' || sexRaw === 'female' ? sexRaw : null;
    if (age === null || sex === null || w.cellsOf.size === 0) return { age, sex, cell: null };
    const k = ageBandIndex(age, w.bands as never);
    const cell = k >= 0 ? `${w.bands[k].label}|${sex}` : null;
    return { age, sex, cell: cell !== null && w.cellsOf.has(cell) ? cell : null };
  }

  /** Count a completed response against the city's quota and its cell, atomically; false when full. */
  private async reserve(
    trx: Transaction<StoreDatabase>,
    waveId: number,
    city: string,
    cell: string | null,
  ): Promise<boolean> {
    for (const c of cell === null ? ['*'] : ['*', cell]) {
      const r = await this.prepared(
        trx,
        'reserve',
        (p) =>
          trx
            .updateTable('fw_quota')
            .set({ n: sql<number>`n + 1` })
            .where('wave_id', '=', p[0])
            .where('city', '=', p[1])
            .where('cell', '=', p[2])
            .whereRef('n', '<', 'target'),
        [waveId, city, c],
      );
      const exists = Number(r.numAffectedRows ?? 0) === 1;
      if (!exists) {
        const row = await trx
          .selectFrom('fw_quota')
          .select('n')
          .where('wave_id', '=', waveId)
          .where('city', '=', city)
          .where('cell', '=', c)
          .executeTakeFirst();
        if (row) {
          // full: undo the city count taken just before this cell
          if (c !== '*')
            await trx
              .updateTable('fw_quota')
              .set({ n: sql<number>`n - 1` })
              .where('wave_id', '=', waveId)
              .where('city', '=', city)
              .where('cell', '=', '*')
              .execute();
          return false;
        }
      }
    }
    return true;
  }

  /** Straight-lining (the engine's cleaning rule on this one response) and the duplicate-answers hash. */
  private flags(
    w: LoadedWave,
    s: ResponseSave,
    duration: number,
    age: number | null,
    sex: string | null,
  ): { answersHash: string; straightLined: number } {
    const flat = flattenAnswers(w.rules, s.answers);
    const itemText = w.items.map((it) => String(flat[it] ?? '')).join('\u0001');
    const answersHash = sha256(`${s.city}\u0002${itemText}`);
    // the answers flattened once (the hash above and the table below read the same)
    const table = this.table(w, [
      { id: s.responseId, city: s.city, duration, age, sex, at: '', answers: s.answers, flat },
    ]);
    const rule = w.design.config.cleaning.straightLining;
    let straightLined = 0;
    if (rule) {
      const r = cleanResponses(
        table,
        { duplicates: [], speeders: null, straightLining: rule, attentionChecks: [], quota: null },
        { items: w.indicatorItems },
      );
      straightLined = r.counts.straightLiner > 0 ? 1 : 0;
    }
    return { answersHash, straightLined };
  }

  /** Stored responses as the engine's response table (the importers' rules: codes, "don't know", sex). */
  private table(
    w: LoadedWave,
    rows: ReadonlyArray<{
      id: string;
      city: string;
      duration: number;
      age: number | null;
      sex: string | null;
      at: string;
      answers: Record<string, unknown>;
      /** The answers already flattened (`flattenAnswers`), when the caller has them. */
      flat?: ReturnType<typeof flattenAnswers>;
    }>,
  ): ResponseTable {
    const cols = w.design.config.responses.columns;
    const header = [cols.id, cols.city, cols.submittedAt, cols.duration, cols.age, cols.sex].map((x) => x ?? '');
    const fullHeader = [...header, ...w.items];
    const cells = rows.map((r) => {
      const flat = r.flat ?? flattenAnswers(w.rules, r.answers);
      const out: Array<string | number | boolean | null> = [r.id, r.city, r.at, r.duration, r.age, r.sex];
      for (const it of w.items) out.push(flat[it] ?? null);
      return out;
    });
    return responsesFromRows(
      fullHeader,
      cells,
      rows.map((_, i) => i + 1),
      w.parseOptions,
      'fieldwork',
    ).table;
  }

  /** Resume a partial response (anonymous; the device key proves it is the respondent's own). */
  async resume(
    slug: string,
    responseId: string,
    deviceKey: string,
  ): Promise<{ status: ResponseStatus; answers: Record<string, unknown>; pageTimes: Record<string, number> }> {
    const w = await this.wave(slug);
    const r = await this.store.db
      .selectFrom('fw_responses')
      .select(['owner_hash', 'status', 'answers', 'paradata', 'wave_id'])
      .where('id', '=', responseId.slice(0, 64))
      .executeTakeFirst();
    // an unknown id and someone else's id look the same
    if (!r || Number(r.wave_id) !== w.info.id || r.owner_hash !== sha256(`${w.salt}:device:${deviceKey}`))
      throw notFound('response', responseId);
    return {
      status: r.status as ResponseStatus,
      answers: JSON.parse(r.answers),
      pageTimes: (JSON.parse(r.paradata) as { pageTimes?: Record<string, number> }).pageTimes ?? {},
    };
  }

  // ── tokens (staff) ────────────────────────────────────────────────────────────────────────────

  /**
   * A batch of one-time tokens for a city (authors, admins). The tokens are returned once, in clear, for
   * the panel company; the store keeps only their salted hashes.
   */
  async issueTokens(
    actor: Principal,
    slug: string,
    city: string,
    count: number,
  ): Promise<{ batch: number; tokens: string[] }> {
    requireRole(actor, MANAGERS, 'issue invitation codes');
    const w = await this.wave(slug);
    this.cityOf(w, city);
    if (!Number.isInteger(count) || count < 1 || count > 10_000)
      throw bad('E_COUNT', `${count} tokens`, 'count', 'a whole number from 1 to 10 000');
    const tokens = Array.from({ length: count }, () => randomBytes(10).toString('base64url'));
    const now = this.store.now();
    const batch = await this.store.db.transaction().execute(async (trx) => {
      const last = await trx
        .selectFrom('fw_tokens')
        .select((eb) => eb.fn.max('batch').as('b'))
        .where('wave_id', '=', w.info.id)
        .executeTakeFirst();
      const b = Number(last?.b ?? 0) + 1;
      for (let i = 0; i < tokens.length; i += 500) {
        const rows = tokens.slice(i, i + 500).map((t) => ({
          wave_id: w.info.id,
          token_hash: sha256(`${w.salt}:token:${t}`),
          city,
          batch: b,
          response_id: null,
          created_at: now,
        }));
        await trx.insertInto('fw_tokens').values(rows).execute();
      }
      await this.store.recordAudit(trx, actor, {
        action: 'fieldwork.tokens.issue',
        entity: 'fw_wave',
        entityId: String(w.info.id),
        after: { city, batch: b, count },
      });
      return b;
    });
    return { batch, tokens };
  }

  // ── monitor, exports, estimates (staff) ────────────────────────────────────────────────────────

  /** The wave's figures: per city against quota, completion and break-off, median duration, cleaning flags. */
  async monitor(actor: Principal, slug: string): Promise<Monitor> {
    requireRole(actor, STAFF, 'watch survey fieldwork');
    const w = await this.wave(slug);
    const id = w.info.id;
    const db = this.store.db;
    const now = this.store.now();
    const cutoff = new Date(Date.parse(now) - BREAK_OFF_MINUTES * 60_000).toISOString();
    const [byStatus, stale, durations, quota, status] = await Promise.all([
      // counters kept at submit time (fieldwork-live-schema.ts): a few rows per city, whatever the responses
      db
        .selectFrom('fw_summary')
        .select(['city', 'status', 'n', 'straight_lined as straight', 'duplicates'])
        .where('wave_id', '=', id)
        .execute(),
      // break-offs depend on the clock: a range of the (wave, status, updated_at) index over partial ones only
      db
        .selectFrom('fw_responses')
        .select('city')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('wave_id', '=', id)
        .where('status', '=', 'partial')
        .where('updated_at', '<', cutoff)
        .groupBy('city')
        .execute(),
      db.selectFrom('fw_durations').select(['city', 'seconds', 'n']).where('wave_id', '=', id).execute(),
      db.selectFrom('fw_quota').selectAll().where('wave_id', '=', id).execute(),
      this.status(id),
    ]);
    const speed = w.design.config.cleaning.speeders;
    // durations as (value, count) per city, sorted: exact medians without reading every row
    const hist = new Map<string, Array<[number, number]>>();
    const all: Array<[number, number]> = [];
    for (const r of durations) {
      const d = Number(r.seconds);
      const n = Number(r.n);
      let l = hist.get(r.city);
      if (!l) hist.set(r.city, (l = []));
      l.push([d, n]);
      all.push([d, n]);
    }
    const overallMedian = medianOfCounts(all);
    const speederSeconds = Math.max(
      speed?.minSeconds ?? 0,
      speed?.minFractionOfMedian !== undefined && overallMedian !== null
        ? speed.minFractionOfMedian * overallMedian
        : 0,
    );
    const cities: MonitorCity[] = w.design.cities.map((c) => {
      const rows = byStatus.filter((r) => r.city === c.code);
      const count = (s: string) => Number(rows.find((r) => r.status === s)?.n ?? 0);
      const complete = count('complete');
      const partial = count('partial');
      const breakOffs = Number(stale.find((r) => r.city === c.code)?.n ?? 0);
      const screenedOut = count('screened_out');
      const quotaFull = count('quota_full');
      const started = complete + partial + screenedOut + quotaFull;
      const h = hist.get(c.code) ?? [];
      const speeders = speed ? h.filter(([d]) => d < speederSeconds).reduce((s, [, n]) => s + n, 0) : 0;
      const q = quota.filter((x) => x.city === c.code);
      return {
        code: c.code,
        name: c.name,
        quota: Number(q.find((x) => x.cell === '*')?.target ?? w.design.perCity),
        complete,
        partial,
        breakOffs,
        screenedOut,
        quotaFull,
        started,
        completionRate: started - screenedOut > 0 ? complete / (started - screenedOut) : null,
        breakOffRate: started > 0 ? breakOffs / started : null,
        medianDuration: medianOfCounts(h),
        flags: {
          speeders,
          straightLiners: Number(rows.find((r) => r.status === 'complete')?.straight ?? 0),
          duplicates: Number(rows.find((r) => r.status === 'complete')?.duplicates ?? 0),
        },
        cells: q
          .filter((x) => x.cell !== '*')
          .map((x) => ({ cell: x.cell, target: Number(x.target), n: Number(x.n) }))
          .sort((a, b) => (a.cell < b.cell ? -1 : 1)),
      };
    });
    const sum = (f: (c: MonitorCity) => number) => cities.reduce((s, c) => s + f(c), 0);
    const started = sum((c) => c.started);
    const screened = sum((c) => c.screenedOut);
    const totals = {
      quota: sum((c) => c.quota),
      complete: sum((c) => c.complete),
      partial: sum((c) => c.partial),
      breakOffs: sum((c) => c.breakOffs),
      screenedOut: screened,
      quotaFull: sum((c) => c.quotaFull),
      started,
      completionRate: started - screened > 0 ? sum((c) => c.complete) / (started - screened) : null,
      breakOffRate: started > 0 ? sum((c) => c.breakOffs) / started : null,
      medianDuration: overallMedian,
      flags: {
        speeders: sum((c) => c.flags.speeders),
        straightLiners: sum((c) => c.flags.straightLiners),
        duplicates: sum((c) => c.flags.duplicates),
      },
    };
    return {
      wave: { ...w.info, status },
      label: w.info.simulated ? SIMULATED_LABEL : null,
      at: now,
      speederSeconds,
      medianDuration: overallMedian,
      cities,
      totals,
    };
  }

  /** Completed responses as the engine's table, with the stored rows in the same order (staff). */
  async completedTable(
    actor: Principal,
    slug: string,
  ): Promise<{ table: ResponseTable; design: WaveDesign; rows: StoredResponse[]; rules: DefinitionRules }> {
    requireRole(actor, STAFF, 'read survey responses');
    const w = await this.wave(slug);
    const rows = await this.responses(w, ['complete']);
    const table = this.table(
      w,
      rows.map((r) => ({
        id: r.id,
        city: r.city,
        duration: r.duration,
        age: r.age,
        sex: r.sex,
        at: r.submittedAt ?? '',
        answers: r.answers,
      })),
    );
    return { table, design: w.design, rows, rules: w.rules };
  }

  /** Every stored response of the given statuses, in submission order (staff). */
  async listResponses(actor: Principal, slug: string, statuses: readonly ResponseStatus[]): Promise<StoredResponse[]> {
    requireRole(actor, STAFF, 'read survey responses');
    return this.responses(await this.wave(slug), statuses);
  }

  private async responses(w: LoadedWave, statuses: readonly ResponseStatus[]): Promise<StoredResponse[]> {
    const rows = await this.store.db
      .selectFrom('fw_responses')
      .select([
        'id',
        'city',
        'status',
        'answers',
        'paradata',
        'duration_s',
        'age',
        'sex',
        'language',
        'started_at',
        'submitted_at',
      ])
      .where('wave_id', '=', w.info.id)
      .where('status', 'in', [...statuses])
      .orderBy('submitted_at')
      .orderBy('started_at')
      .orderBy('id')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      city: r.city,
      status: r.status as ResponseStatus,
      answers: JSON.parse(r.answers),
      pageTimes: (JSON.parse(r.paradata) as { pageTimes?: Record<string, number> }).pageTimes ?? {},
      duration: Number(r.duration_s),
      age: r.age === null ? null : Number(r.age),
      sex: r.sex,
      language: r.language,
      startedAt: r.started_at,
      submittedAt: r.submitted_at,
    }));
  }

  /** Clean the completed responses with the survey's rules (the engine's `cleanResponses`). */
  async cleaned(
    actor: Principal,
    slug: string,
  ): Promise<{ rows: StoredResponse[]; cleaning: CleaningResult; design: WaveDesign; rules: DefinitionRules }> {
    const { table, design, rows, rules } = await this.completedTable(actor, slug);
    const items = [...new Set(design.config.indicators.flatMap((d) => d.items))];
    const cleaning = cleanResponses(table, design.config.cleaning, { cities: design.config.cities, items });
    return { rows, cleaning, design, rules };
  }

  /**
   * The survey's estimates from the collected responses (clean → weight → estimate, the engine's
   * `runSurvey`) with the wave's stored census margins.
   */
  async estimates(actor: Principal, slug: string): Promise<{ design: WaveDesign; result: SurveyRunResult }> {
    const { table, design } = await this.completedTable(actor, slug);
    const margins = new Map<string, CityMargins>(
      Object.entries(design.margins).map(([city, m]) => [
        city,
        { city, age: Float64Array.from(m.age), sex: Float64Array.from(m.sex) },
      ]),
    );
    const result = runSurvey({ table, spec: surveySpec(design.config), margins, cities: design.config.cities });
    return { design, result };
  }
}

/**
 * The audit tally of a wave's respondents (no personal data): responses per status and the saves they
 * took, draft autosaves included — what the audit log keeps of respondents' saves instead of one row each.
 * @example // no-run: needs a stored wave (tests/store/fieldwork-values.test.ts)
 * await fieldworkTally(trx, wave.id) // => { responses: { complete: 9, partial: 1 }, saves: 11 }
 */
export async function fieldworkTally(
  db: Kysely<StoreDatabase> | Transaction<StoreDatabase>,
  waveId: number,
): Promise<{ responses: Record<string, number>; saves: number }> {
  const rows = await db
    .selectFrom('fw_responses')
    .select((eb) => ['status', eb.fn.countAll().as('n'), eb.fn.sum<number>('saves').as('saves')])
    .where('wave_id', '=', waveId)
    .groupBy('status')
    .orderBy('status')
    .execute();
  const responses: Record<string, number> = {};
  let saves = 0;
  for (const r of rows) {
    responses[r.status] = Number(r.n);
    saves += Number(r.saves ?? 0);
  }
  return { responses, saves };
}

/** A stored response as staff read it. */
export interface StoredResponse {
  id: string;
  city: string;
  status: ResponseStatus;
  answers: Record<string, unknown>;
  pageTimes: Record<string, number>;
  duration: number;
  age: number | null;
  sex: string | null;
  language: string;
  startedAt: string;
  submittedAt: string | null;
}

/**
 * The median of values given as (value, count) pairs; null when empty.
 * @example medianOfCounts([[10, 1], [20, 2], [30, 1]]) // => 20
 * @example medianOfCounts([[10, 1], [30, 1]]) // => 20
 */
export function medianOfCounts(pairs: ReadonlyArray<readonly [number, number]>): number | null {
  const sorted = [...pairs].sort((a, b) => a[0] - b[0]);
  const total = sorted.reduce((s, [, n]) => s + n, 0);
  if (total === 0) return null;
  const at = (k: number): number => {
    let seen = 0;
    for (const [v, n] of sorted) {
      seen += n;
      if (k < seen) return v;
    }
    return sorted[sorted.length - 1][0];
  };
  return total % 2 === 1 ? at((total - 1) / 2) : (at(total / 2 - 1) + at(total / 2)) / 2;
}
