/**
 * From fieldwork to the index (issue 14 item 6): a wave's cleaned, weighted estimates (the engine's
 * `runSurvey` through `Fieldwork.estimates`: estimate, confidence interval, standard error, design effect,
 * n) become the current values of survey-based indicators of the project — the values every build and
 * edition reads (`data_values`, status `approved`, laid over the raw data by `loadStoredProject`).
 *
 * A city below the survey's minimum sample gets a missing value (null, a gap in the build and the site),
 * never a number, with the reason "below minimum sample: n of m". Each value written carries a readable
 * source note and a lineage row (`survey_values`, migration 0010: survey, wave, responses received and
 * used, cleaning rules and counts, weighting and estimation settings) that `surveyValueLineage` reads.
 * Authors and admins only (authorisation here, in the data layer); one audit row per run.
 */
import { CityIndexError, type Issue } from '../engine/core/errors.ts';
import { SIMULATED_LABEL } from '../formats/survey.ts';
import type { Fieldwork } from './fieldwork.ts';
import { actorName, requireRole, type Principal, type Role } from './principal.ts';
import type { ProjectInfo } from './store.ts';

const MANAGERS: readonly Role[] = ['admin', 'author'];

/** One value written from the survey (or left missing), as returned and as its lineage reads. */
export interface SurveyValue {
  unit: string;
  indicator: string;
  /** The value the build reads: the estimate, or null below the minimum sample. */
  value: number | null;
  /** The data version written (`data_values.version`). */
  version: number;
  lower: number | null;
  upper: number | null;
  se: number | null;
  /** Design effect n / n_eff (null when undefined). */
  deff: number | null;
  n: number;
  nEff: number;
  minSample: number;
  belowMinimum: boolean;
  /** `below minimum sample: n of m` for a missing value, else null. */
  reason: string | null;
  /** The source note stored with the value (shown wherever the value's source is). */
  source: string;
}

/** What a run wrote. */
export interface SurveyValuesRun {
  survey: string;
  wave: string;
  confidence: number;
  minSample: number;
  /** Responses received and used (after cleaning). */
  responses: { received: number; kept: number };
  values: SurveyValue[];
  /** `模拟数据 / simulated responses` when the wave is simulated, else null. */
  label: string | null;
}

/** The lineage of one stored survey value. */
export interface SurveyValueLineage extends SurveyValue {
  survey: string;
  wave: string;
  createdBy: string;
  createdAt: string;
  /** Responses received and kept, cleaning rules and counts, weighting and estimation settings. */
  settings: {
    responses: { received: number; kept: number };
    cleaning: { rules: unknown; counts: Record<string, number> };
    weighting: unknown;
    estimation: unknown;
    scoring: unknown;
    confidence: number;
    simulated: boolean;
  };
}

const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);

/**
 * The reason a city's value is missing (stored with the value and in its lineage), in both languages.
 * @example belowMinimumReason(2, 100) // => 'below minimum sample: 2 of 100 / 样本量不足：2（最少 100）'
 */
export function belowMinimumReason(n: number, minSample: number): string {
  return `below minimum sample: ${n} of ${minSample} / 样本量不足：${n}（最少 ${minSample}）`;
}

/**
 * Turn a wave's estimates into the project's values of survey-based indicators (authors and admins).
 * `indicators` (default: every survey indicator that is an indicator of the project's framework) name
 * which; each must be both a survey indicator and a framework indicator, and every city of the wave must be
 * a unit of the project, else nothing is written (E_SURVEY_INDICATOR / E_SURVEY_CITY, located).
 * @example // no-run: needs a stored project and wave (tests/store/fieldwork-values.test.ts)
 * const run = await surveyValuesIntoStore(fw, author, project, 'w1');
 * run.values.find((v) => v.belowMinimum)?.value // => null
 */
export async function surveyValuesIntoStore(
  fieldwork: Fieldwork,
  actor: Principal,
  project: ProjectInfo,
  slug: string,
  options: { indicators?: readonly string[] } = {},
): Promise<SurveyValuesRun> {
  requireRole(actor, MANAGERS, 'write survey estimates into the index');
  const store = fieldwork.store;
  const wave = (await fieldwork.listWaves(actor, project.id)).find((w) => w.slug === slug);
  if (!wave)
    throw new CityIndexError({
      code: 'E_NOT_FOUND',
      message: `no survey wave "${String(slug).slice(0, 80)}" in this project / 找不到调查批次`,
      field: 'wave',
    });
  const { design, result } = await fieldwork.estimates(actor, slug);
  const e = result.estimates;
  const nodes = await store.db
    .selectFrom('framework_nodes')
    .select(['code', 'kind'])
    .where('project_id', '=', project.id)
    .execute();
  const frameworkIndicators = new Set(nodes.filter((r) => r.kind === 'indicator').map((r) => r.code));
  const units = new Set(
    (await store.db.selectFrom('units').select('code').where('project_id', '=', project.id).execute()).map(
      (r) => r.code,
    ),
  );
  const surveyCodes = e.dataset.codes;
  const issues: Issue[] = [];
  const wanted =
    options.indicators === undefined
      ? surveyCodes.filter((c) => frameworkIndicators.has(c))
      : [...new Set(options.indicators)];
  if (wanted.length === 0)
    issues.push({
      code: 'E_SURVEY_INDICATOR',
      message: `no survey indicator of ${design.surveyId} is an indicator of the project's framework / 问卷指标均不在指标体系中`,
      field: 'indicators',
      expected: `one or more of: ${surveyCodes.join(', ')}, also in the framework`,
    });
  wanted.forEach((code, k) => {
    const what = surveyCodes.includes(code)
      ? "an indicator of the project's framework"
      : `an indicator of survey ${design.surveyId}`;
    if (!surveyCodes.includes(code) || !frameworkIndicators.has(code))
      issues.push({
        code: 'E_SURVEY_INDICATOR',
        message: `"${String(code).slice(0, 80)}" is not ${what} / 不是可由问卷估计的指标`,
        field: `indicators[${k}]`,
        expected: `one of: ${surveyCodes.filter((c) => frameworkIndicators.has(c)).join(', ') || '(none)'}`,
      });
  });
  const cities = e.dataset.unitCodes;
  for (const city of cities)
    if (!units.has(city))
      issues.push({
        code: 'E_SURVEY_CITY',
        message: `city ${city} of wave ${slug} is not a unit of the project / 调查城市不在项目中`,
        field: 'city',
        unit: city,
        expected: 'cities that are units of the project',
      });
  if (issues.length) throw new CityIndexError(issues);

  const minSample = design.config.estimation.minSample ?? 100;
  const flagged = new Map(e.flags.map((f) => [f.city, f]));
  const settings: SurveyValueLineage['settings'] = {
    responses: { received: result.cleaning.received, kept: result.cleaning.kept },
    cleaning: { rules: design.config.cleaning ?? null, counts: { ...result.cleaning.counts } },
    weighting: design.config.weighting ?? null,
    estimation: design.config.estimation ?? null,
    scoring: design.config.scoring ?? null,
    confidence: e.confidence,
    simulated: design.simulated,
  };
  const pct = Math.round(e.confidence * 100);
  const n = cities.length;
  const now = store.now();
  const by = actorName(actor);
  const planned = wanted.flatMap((code) => {
    const j = surveyCodes.indexOf(code);
    return cities.map((city, i) => {
      const k = j * n + i;
      const nn = Number.isFinite(e.n.values[k]) ? e.n.values[k] : 0;
      const nEff = Number.isFinite(e.nEff.values[k]) ? e.nEff.values[k] : 0;
      const flag = flagged.get(city);
      const estimate = finite(e.dataset.values[k]);
      // below the minimum sample (or no estimate at all): missing, never a number
      const below = flag !== undefined || estimate === null;
      const reason = below ? belowMinimumReason(flag?.n ?? nn, flag?.minSample ?? minSample) : null;
      const num = (x: number) => (below ? null : finite(x));
      const deff = nEff > 0 ? nn / nEff : null;
      const simulated = design.simulated ? `${SIMULATED_LABEL}; ` : '';
      const source = below
        ? `${simulated}survey ${design.surveyId}, wave ${slug}: ${reason}`
        : `${simulated}survey ${design.surveyId}, wave ${slug}: weighted estimate, n = ${nn}, ${pct}% CI ` +
          `[${num(e.lower.values[k])?.toFixed(2) ?? '–'}, ${num(e.upper.values[k])?.toFixed(2) ?? '–'}], ` +
          `design effect ${deff === null ? '–' : deff.toFixed(2)} / 问卷调查加权估计`;
      return {
        unit: city,
        indicator: code,
        value: below ? null : estimate,
        version: 0,
        lower: num(e.lower.values[k]),
        upper: num(e.upper.values[k]),
        se: num(e.se.values[k]),
        deff: below ? null : deff,
        n: nn,
        nEff,
        minSample: flag?.minSample ?? minSample,
        belowMinimum: below,
        reason,
        source,
      } satisfies SurveyValue;
    });
  });

  const values = await store.db.transaction().execute(async (trx) => {
    const out: SurveyValue[] = [];
    for (const v of planned) {
      const before = await trx
        .selectFrom('data_values')
        .select(['version', 'value', 'source', 'status'])
        .where('project_id', '=', project.id)
        .where('unit_code', '=', v.unit)
        .where('indicator', '=', v.indicator)
        .executeTakeFirst();
      const version = before ? Number(before.version) + 1 : 1;
      const row = {
        value: v.value,
        source: v.source,
        status: 'approved',
        submission_id: null,
        version,
        updated_by: by,
        updated_at: now,
      };
      if (before)
        await trx
          .updateTable('data_values')
          .set(row)
          .where('project_id', '=', project.id)
          .where('unit_code', '=', v.unit)
          .where('indicator', '=', v.indicator)
          .execute();
      else
        await trx
          .insertInto('data_values')
          .values({ ...row, project_id: project.id, unit_code: v.unit, indicator: v.indicator })
          .execute();
      await trx
        .insertInto('survey_values')
        .values({
          project_id: project.id,
          unit_code: v.unit,
          indicator: v.indicator,
          data_version: version,
          wave_id: wave.id,
          wave_slug: slug,
          survey_id: design.surveyId,
          estimate: v.value,
          ci_lower: v.lower,
          ci_upper: v.upper,
          se: v.se,
          deff: v.deff,
          n: v.n,
          n_eff: v.nEff,
          min_sample: v.minSample,
          below_minimum: v.belowMinimum ? 1 : 0,
          reason: v.reason,
          lineage: JSON.stringify(settings),
          created_by: by,
          created_at: now,
        })
        .execute();
      out.push({ ...v, version });
    }
    await store.recordAudit(trx, actor, {
      action: 'fieldwork.estimates.store',
      entity: 'fw_wave',
      entityId: String(wave.id),
      after: {
        survey: design.surveyId,
        wave: slug,
        indicators: wanted,
        responses: settings.responses,
        values: out.filter((v) => !v.belowMinimum).length,
        belowMinimum: out.filter((v) => v.belowMinimum).map((v) => `${v.unit}/${v.indicator}`),
      },
    });
    return out;
  });
  return {
    survey: design.surveyId,
    wave: slug,
    confidence: e.confidence,
    minSample,
    responses: settings.responses,
    values,
    label: design.simulated ? SIMULATED_LABEL : null,
  };
}

/**
 * The lineage of the current value of a unit × indicator when it came from survey estimates (authors,
 * admins and reviewers), else undefined: the survey and wave, the estimate with its interval, design
 * effect and n, or the reason it is missing, and the settings it was made with.
 * @example // no-run: needs a stored project and wave (tests/store/fieldwork-values.test.ts)
 * (await surveyValueLineage(fw, author, project.id, '310100', 'LIF_SATISFACTION'))?.reason
 * // => 'below minimum sample: 2 of 5 / 样本量不足：2（最少 5）'
 */
export async function surveyValueLineage(
  fieldwork: Fieldwork,
  actor: Principal,
  projectId: number,
  unit: string,
  indicator: string,
): Promise<SurveyValueLineage | undefined> {
  requireRole(actor, ['admin', 'author', 'reviewer'], 'read the lineage of survey values');
  const db = fieldwork.store.db;
  const current = await db
    .selectFrom('data_values')
    .select(['version', 'source'])
    .where('project_id', '=', projectId)
    .where('unit_code', '=', unit)
    .where('indicator', '=', indicator)
    .executeTakeFirst();
  if (!current) return undefined;
  const r = await db
    .selectFrom('survey_values')
    .selectAll()
    .where('project_id', '=', projectId)
    .where('unit_code', '=', unit)
    .where('indicator', '=', indicator)
    .where('data_version', '=', Number(current.version))
    .executeTakeFirst();
  if (!r) return undefined;
  const num = (x: number | null) => (x === null ? null : Number(x));
  return {
    unit,
    indicator,
    value: num(r.estimate),
    version: Number(r.data_version),
    lower: num(r.ci_lower),
    upper: num(r.ci_upper),
    se: num(r.se),
    deff: num(r.deff),
    n: Number(r.n),
    nEff: Number(r.n_eff),
    minSample: Number(r.min_sample),
    belowMinimum: Number(r.below_minimum) === 1,
    reason: r.reason,
    source: String(current.source ?? ''),
    survey: r.survey_id,
    wave: r.wave_slug,
    createdBy: r.created_by,
    createdAt: r.created_at,
    settings: JSON.parse(r.lineage) as SurveyValueLineage['settings'],
  };
}
