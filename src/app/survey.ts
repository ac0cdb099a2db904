/**
 * Survey use cases: check a project's questionnaires and responses, clean them with a report of what
 * was removed and why, estimate the survey indicators per city with their confidence intervals, write
 * the expert AHP questionnaire, and aggregate an expert panel into weight steps. Files come back in
 * memory, per survey; simulated surveys are labelled 模拟数据 / simulated responses in every file.
 */
import YAML from 'yaml';
import type { Framework } from '../engine/core/framework.ts';
import {
  ahpQuestionnaire,
  ahpWeightOptions,
  comparisonGroups,
  expertMatrices,
  groupAhp,
  type ExpertJudgements,
  type GroupAhpOptions,
  type GroupAhpResult,
} from '../engine/survey/ahp-group.ts';
import type { WeightOptions } from '../engine/spec/spec.ts';
import { CityIndexError, type Issue } from '../engine/core/errors.ts';
import { CLEANING_REASONS, cleanResponses, type CleaningResult } from '../engine/survey/clean.ts';
import { runSurvey, type SurveyRunResult } from '../engine/survey/pipeline.ts';
import type { OutputFiles } from '../formats/output.ts';
import { tableToCsv, tableToCsvBytes } from '../formats/results.ts';
import { parseExpertAnswers, SIMULATED_LABEL, surveySpec, type LoadedSurvey } from '../formats/survey.ts';
import { checkAborted, type UseCaseOptions } from './events.ts';
import { resolveHost, type AppHost } from './host.ts';
import type { ProjectSource } from './project.ts';

/** Options of the survey use cases. */
export interface SurveyUseCaseOptions extends UseCaseOptions {
  /** Where files are read from (default: the Node host). */
  host?: AppHost;
}

const CELL_CODES = new Set(['E_ANSWER', 'E_CITY', 'E_AGE', 'E_SEX', 'E_DURATION']);

/**
 * Issues that stop `clean`/`estimate` (cell problems only make the cell missing).
 * @example blockingIssues([{ code: 'E_ANSWER', message: 'x' }, { code: 'E_COLUMN', message: 'y' }]).length // => 1
 */
export function blockingIssues(issues: readonly Issue[]): Issue[] {
  return issues.filter((i) => i.severity !== 'warning' && !i.code.startsWith('W_') && !CELL_CODES.has(i.code));
}

/** One survey of a project and its issues. */
export interface SurveyCheck {
  survey: LoadedSurvey;
  issues: Issue[];
}

/**
 * Validate every survey of a project: config, SurveyJS definitions (survey-core), responses, census.
 * Returns the loaded surveys and all issues; throws only when a file cannot be read or parsed at all.
 * @example
 * const [check] = await validateProjectSurveys('examples/cdgi-2020');
 * check.survey.config.cities.length // => 45
 */
export async function validateProjectSurveys(
  projectDir: string,
  options: SurveyUseCaseOptions = {},
): Promise<SurveyCheck[]> {
  const host = await resolveHost(options.host);
  const out: SurveyCheck[] = [];
  for (const path of await host.findSurveys(projectDir)) {
    checkAborted(options.signal);
    const survey = await host.loadSurvey(path);
    out.push({ survey, issues: survey.issues });
  }
  return out;
}

/**
 * The cleaning report as files: `cleaning-report.json`, `removed.csv`, `cleaning-by-city.csv`.
 * @example
 * const [{ survey, cleaning }] = await cleanSurveys('examples/cdgi-2020');
 * [...cleaningFiles(survey, cleaning).keys()] // => ['cleaning-report.json', 'removed.csv', 'cleaning-by-city.csv']
 */
export function cleaningFiles(survey: LoadedSurvey, cleaning: CleaningResult): OutputFiles {
  const label = survey.config.simulated ? SIMULATED_LABEL : '';
  const files: OutputFiles = new Map();
  files.set(
    'cleaning-report.json',
    JSON.stringify(
      {
        survey: survey.config.id,
        dataLabel: label || undefined,
        received: cleaning.received,
        kept: cleaning.kept,
        counts: cleaning.counts,
        speederSeconds: cleaning.speederSeconds,
        medianDuration: cleaning.medianDuration,
        perCity: cleaning.perCity,
        warnings: cleaning.warnings,
      },
      null,
      2,
    ) + '\n',
  );
  files.set(
    'removed.csv',
    tableToCsvBytes({
      header: ['row', 'respondent_id', 'city', 'reason', 'detail', 'data_label'],
      rows: cleaning.removed.map((r) => [r.row, r.id, r.city, r.reason, r.detail, label]),
    }),
  );
  files.set(
    'cleaning-by-city.csv',
    tableToCsv({
      header: ['city', 'received', 'kept', ...CLEANING_REASONS, 'data_label'],
      rows: cleaning.perCity.map((c) => [
        c.city,
        c.received,
        c.kept,
        ...CLEANING_REASONS.map((k) => c.removed[k]),
        label,
      ]),
    }),
  );
  return files;
}

/**
 * Everything `survey estimate` writes: `indicators.csv` (wide: code + one column per indicator, the
 * project's data format), `estimates.csv` (long, with interval, se, n, n_eff, flag), `weights-by-city.csv`,
 * `reliability.csv`, `survey-estimates.json`, and the cleaning report.
 * @example
 * const [{ survey, result }] = await estimateSurveys('examples/cdgi-2020');
 * estimateFiles(survey, result).has('estimates.csv') // => true
 */
export function estimateFiles(survey: LoadedSurvey, result: SurveyRunResult): OutputFiles {
  const label = survey.config.simulated ? SIMULATED_LABEL : '';
  const { estimates } = result;
  const files = cleaningFiles(survey, result.cleaning);
  const cities = estimates.dataset.unitCodes;
  const codes = estimates.dataset.codes;
  const nu = cities.length;
  const at = (j: number, u: number) => j * nu + u;
  const v = (x: number, d = 4) => (Number.isFinite(x) ? +x.toFixed(d) : null);
  const flagOf = new Map(estimates.flags.map((f) => [f.city, f.code]));
  files.set(
    'indicators.csv',
    tableToCsv({
      header: ['code', ...codes, ...(label ? ['data_label'] : [])],
      rows: cities.map((c, u) => [
        c,
        ...codes.map((_, j) => v(estimates.dataset.values[at(j, u)])),
        ...(label ? [label] : []),
      ]),
    }),
  );
  const long: Array<Array<string | number | null>> = [];
  codes.forEach((code, j) =>
    cities.forEach((c, u) => {
      const k = at(j, u);
      long.push([
        c,
        code,
        v(estimates.dataset.values[k]),
        v(estimates.lower.values[k]),
        v(estimates.upper.values[k]),
        v(estimates.se.values[k]),
        v(estimates.n.values[k], 0),
        v(estimates.nEff.values[k], 1),
        flagOf.get(c) ?? '',
        label,
      ]);
    }),
  );
  const level = Math.round(estimates.confidence * 100);
  files.set(
    'estimates.csv',
    tableToCsv({
      header: [
        'unit',
        'indicator',
        'value',
        `lower_${level}`,
        `upper_${level}`,
        'se',
        'n',
        'n_eff',
        'flag',
        'data_label',
      ],
      rows: long,
    }),
  );
  files.set(
    'weights-by-city.csv',
    tableToCsv({
      header: [
        'city',
        'n',
        'n_eff',
        'deff',
        'min_weight',
        'max_weight',
        'iterations',
        'converged',
        'max_margin_error',
        'trimmed',
        'unknown_category',
      ],
      rows: result.weighting.perCity.map((w) => [
        w.city,
        w.n,
        v(w.nEff, 1),
        v(w.deff),
        v(w.minWeight),
        v(w.maxWeight),
        w.iterations,
        String(w.converged),
        v(w.maxMarginError, 6),
        w.trimmed,
        w.unknown,
      ]),
    }),
  );
  files.set(
    'reliability.csv',
    tableToCsv({
      header: ['indicator', 'alpha', 'k', 'n', 'item', 'item_total_r', 'corrected_item_total_r', 'alpha_if_deleted'],
      rows: result.reliability.flatMap((r) =>
        r.pooled.items.map((it) => [
          r.indicator,
          v(r.pooled.alpha),
          r.pooled.k,
          r.pooled.n,
          it.item,
          v(it.itemTotal),
          v(it.correctedItemTotal),
          v(it.alphaIfDeleted),
        ]),
      ),
    }),
  );
  const cell = (u: number, j: number) => ({
    value: v(estimates.dataset.values[at(j, u)]),
    lower: v(estimates.lower.values[at(j, u)]),
    upper: v(estimates.upper.values[at(j, u)]),
    n: v(estimates.n.values[at(j, u)], 0),
    nEff: v(estimates.nEff.values[at(j, u)], 1),
  });
  files.set(
    'survey-estimates.json',
    JSON.stringify(
      {
        survey: survey.config.id,
        title: survey.config.title,
        dataLabel: label || undefined,
        confidence: estimates.confidence,
        indicators: estimates.indicators,
        flags: estimates.flags,
        values: cities.map((c, u) => ({ unit: c, ...Object.fromEntries(codes.map((code, j) => [code, cell(u, j)])) })),
        reliability: result.reliability.map((r) => ({
          indicator: r.indicator,
          alpha: v(r.pooled.alpha),
          perCity: r.perCity,
        })),
        warnings: result.warnings,
      },
      null,
      2,
    ) + '\n',
  );
  return files;
}

/** One survey cleaned: the cleaning result and its report files. */
export interface SurveyCleaned {
  survey: LoadedSurvey;
  cleaning: CleaningResult;
  files: OutputFiles;
}

/**
 * Clean every survey of a project (the `survey clean` use case); a survey with blocking problems
 * stops with a `CityIndexError` listing them.
 * @example
 * const [{ cleaning }] = await cleanSurveys('examples/cdgi-2020');
 * cleaning.counts.overQuota > 0 // => true
 */
export async function cleanSurveys(projectDir: string, options: SurveyUseCaseOptions = {}): Promise<SurveyCleaned[]> {
  const host = await resolveHost(options.host);
  const out: SurveyCleaned[] = [];
  for (const path of await host.findSurveys(projectDir)) {
    checkAborted(options.signal);
    const survey = await host.loadSurvey(path);
    const blocking = blockingIssues(survey.issues);
    if (blocking.length) throw new CityIndexError(blocking);
    const items = [...new Set(survey.config.indicators.flatMap((d) => d.items))];
    const cleaning = cleanResponses(survey.table, survey.config.cleaning, { cities: survey.config.cities, items });
    out.push({ survey, cleaning, files: cleaningFiles(survey, cleaning) });
  }
  return out;
}

/** One survey estimated: the run (cleaning, weighting, estimates, reliability) and its files. */
export interface SurveyEstimated {
  survey: LoadedSurvey;
  result: SurveyRunResult;
  files: OutputFiles;
}

/**
 * Run a loaded survey: clean, weight (raking to census margins) and estimate each city with its
 * interval. Errors in the survey's files (not single cells) stop it.
 * @example
 * const [check] = await validateProjectSurveys('examples/cdgi-2020');
 * estimateSurvey(check.survey).result.estimates.confidence // => 0.95
 */
export function estimateSurvey(survey: LoadedSurvey): SurveyEstimated {
  const errors = survey.issues.filter(
    (i) => i.severity !== 'warning' && i.code.startsWith('E_') && !CELL_CODES.has(i.code),
  );
  if (errors.length) throw new CityIndexError(errors);
  const result = runSurvey({
    table: survey.table,
    spec: surveySpec(survey.config),
    margins: survey.margins,
    cities: survey.config.cities,
    reliabilityPerCity: true,
  });
  return { survey, result, files: estimateFiles(survey, result) };
}

/**
 * Clean, weight and estimate every survey of a project (the `survey estimate` use case).
 * @example
 * const [{ result }] = await estimateSurveys('examples/cdgi-2020');
 * result.estimates.dataset.unitCodes.length // => 45
 */
export async function estimateSurveys(
  projectDir: string,
  options: SurveyUseCaseOptions = {},
): Promise<SurveyEstimated[]> {
  const host = await resolveHost(options.host);
  const out: SurveyEstimated[] = [];
  for (const path of await host.findSurveys(projectDir)) {
    checkAborted(options.signal);
    out.push(estimateSurvey(await host.loadSurvey(path)));
  }
  return out;
}

/** The expert questionnaire of a framework and its size. */
export interface AhpFormResult {
  /** `ahp.zh.json` and `ahp.en.json` (SurveyJS definitions). */
  files: OutputFiles;
  groups: number;
  questions: number;
}

/**
 * The expert pairwise-comparison questionnaire (SurveyJS JSON, zh and en) for a project's framework.
 * @example
 * const form = await ahpForm('examples/cdgi-2020');
 * form.files.has('ahp.zh.json') // => true
 */
export async function ahpForm(source: ProjectSource, options: SurveyUseCaseOptions = {}): Promise<AhpFormResult> {
  const project = typeof source === 'string' ? await (await resolveHost(options.host)).loadProject(source) : source;
  const framework = project.input.framework;
  const files: OutputFiles = new Map();
  for (const lang of ['zh', 'en'] as const) {
    files.set(`ahp.${lang}.json`, JSON.stringify(ahpQuestionnaire(framework, lang), null, 2) + '\n');
  }
  const groups = comparisonGroups(framework);
  const questions = groups.reduce((s, g) => s + (g.codes.length * (g.codes.length - 1)) / 2, 0);
  return { files, groups: groups.length, questions };
}

/** An aggregated expert panel. */
export interface ExpertPanelResult {
  groups: GroupAhpResult[];
  /** One `weight` step per level (`method: 'manual'`), ready for the build spec. */
  weightSteps: Array<{ id: string; kind: 'weight'; options: WeightOptions }>;
  issues: Issue[];
}

/**
 * Aggregate an expert panel: answers (SurveyJS results) → matrices → per-group CR, inconsistent judgements,
 * AIJ/AIP weights → `weight` steps. An expert with missing or invalid answers in a group is named in an
 * `E_AHP_EXPERT` error for that group, or, with `dropIncomplete`, left out of it with a `W_AHP_EXPERT_DROPPED`
 * warning (the answer issues then become warnings too).
 * @example
 * import { readFile } from 'node:fs/promises';
 * import { loadProject } from '../formats/index.ts';
 * import { parseExpertAnswers } from '../formats/survey.ts';
 * const { input } = await loadProject('examples/cdgi-2020');
 * const file = 'examples/cdgi-2020/surveys/experts-simulated.json';
 * const experts = parseExpertAnswers(await readFile(file, 'utf8'), file);
 * expertPanel(input.framework, experts, { method: 'aij' }).weightSteps[0].kind // => 'weight'
 */
export function expertPanel(
  framework: Framework,
  experts: ReadonlyArray<{ expert: string; answers: Record<string, unknown>; row?: number }>,
  options: GroupAhpOptions & { dropIncomplete?: boolean } = {},
  file?: string,
): ExpertPanelResult {
  const issues: Issue[] = [];
  const byGroup = new Map<string, ExpertJudgements[]>();
  const all = comparisonGroups(framework);
  const drop = options.dropIncomplete === true;
  for (const e of experts) {
    const m = expertMatrices(framework, e.expert, e.answers, file);
    issues.push(...(drop ? m.issues.map((i) => ({ ...i, severity: 'warning' as const })) : m.issues));
    const complete = new Set(m.matrices.map((j) => j.parent));
    for (const g of all) {
      if (complete.has(g.parent)) continue;
      const bad = m.issues.filter((i) => i.indicator === g.parent).length;
      const what = `${bad} answer${bad === 1 ? '' : 's'} missing or invalid`;
      issues.push(
        drop
          ? {
              code: 'W_AHP_EXPERT_DROPPED',
              severity: 'warning',
              message: `expert ${e.expert} is left out of the weights under ${g.parent} (${what})`,
              file,
              row: e.row,
              indicator: g.parent,
            }
          : {
              code: 'E_AHP_EXPERT',
              message: `expert ${e.expert} cannot be used for the comparisons under ${g.parent} (${what})`,
              file,
              row: e.row,
              indicator: g.parent,
              expected: 'every pairwise answer of the group (or --drop-incomplete to leave the expert out)',
            },
      );
    }
    for (const j of m.matrices) {
      let l = byGroup.get(j.parent);
      if (!l) byGroup.set(j.parent, (l = []));
      l.push(j);
    }
  }
  const groups: GroupAhpResult[] = [];
  for (const g of all) {
    const js = byGroup.get(g.parent);
    if (!js?.length) {
      const message = `no complete answers for the comparisons under ${g.parent}`;
      issues.push({ code: 'E_AHP_GROUP', message, file, indicator: g.parent });
      continue;
    }
    groups.push(groupAhp(js, options));
  }
  const weightSteps = ahpWeightOptions(groups, framework).map((o) => ({
    id: `weight-ahp-level-${o.level}`,
    kind: 'weight' as const,
    options: o,
  }));
  return { groups, weightSteps, issues };
}

/** Options of `runExpertPanel`: the aggregation and where files are read from. */
export interface ExpertPanelOptions extends SurveyUseCaseOptions {
  /** aij (geometric mean of judgements, default) or aip (mean of priorities). */
  method?: 'aij' | 'aip';
  /** Random-index table (default saaty). */
  riTable?: 'saaty' | 'chinese';
  /** Consistency threshold (default 0.1). */
  maxCR?: number;
  /** Leave experts above the threshold out of the aggregate. */
  excludeInconsistent?: boolean;
  /** Leave an expert with missing or invalid answers out of that group (named in a warning) instead of failing. */
  dropIncomplete?: boolean;
}

/** An expert panel with its files: `ahp-weight-steps.yaml` (for project.yaml) and `ahp-report.json`. */
export interface ExpertPanelRun {
  panel: ExpertPanelResult;
  files: OutputFiles;
}

/**
 * The `survey ahp` use case: read a project's framework and the experts' answers (SurveyJS results,
 * one object per expert), aggregate them, and produce the weight steps and the report. Any error (a
 * missing or invalid answer, unless `dropIncomplete`; a comparison group without any complete answer)
 * stops it with every issue.
 * @example
 * const run = await runExpertPanel('examples/cdgi-2020', 'examples/cdgi-2020/surveys/experts-simulated.json');
 * run.panel.weightSteps[0].kind // => 'weight'
 */
export async function runExpertPanel(
  source: ProjectSource,
  answersFile: string,
  options: ExpertPanelOptions = {},
): Promise<ExpertPanelRun> {
  const host = await resolveHost(options.host);
  const project = typeof source === 'string' ? await host.loadProject(source) : source;
  const experts = parseExpertAnswers(await host.readText(answersFile), answersFile);
  const method = options.method ?? 'aij';
  const riTable = options.riTable ?? 'saaty';
  const maxCR = options.maxCR ?? 0.1;
  const { excludeInconsistent, dropIncomplete } = options;
  const panelOptions = { method, riTable, maxCR, excludeInconsistent, dropIncomplete };
  const panel = expertPanel(project.input.framework, experts, panelOptions, answersFile);
  if (panel.issues.some((i) => i.severity !== 'warning')) throw new CityIndexError(panel.issues);
  const files: OutputFiles = new Map();
  const header = '# Paste into project.yaml build.steps (before aggregate) — generated by `cityindex survey ahp`\n';
  files.set('ahp-weight-steps.yaml', header + YAML.stringify(panel.weightSteps));
  const report = {
    answers: answersFile,
    method,
    riTable,
    maxCR,
    groups: panel.groups,
    weightSteps: panel.weightSteps,
    issues: panel.issues,
  };
  files.set('ahp-report.json', JSON.stringify(report, null, 2) + '\n');
  return { panel, files };
}
