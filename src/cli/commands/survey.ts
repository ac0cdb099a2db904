/**
 * `survey validate|clean|estimate <project>`: check a project's questionnaires and responses, clean them
 * with a report of what was removed and why, and estimate the survey indicators per city with their
 * confidence intervals (written atomically to an output folder). Simulated surveys are labelled
 * 模拟数据 / simulated responses in every file and message.
 */
import { readFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { Command } from 'commander';
import YAML from 'yaml';
import type { Framework } from '../../engine/core/framework.ts';
import { ahpQuestionnaire, ahpWeightOptions, comparisonGroups, expertMatrices, groupAhp, type ExpertJudgements, type GroupAhpOptions, type GroupAhpResult } from '../../engine/survey/ahp-group.ts';
import type { WeightOptions } from '../../engine/spec/spec.ts';
import { loadProject } from '../../formats/project.ts';
import { CityIndexError, formatIssue, type Issue } from '../../engine/core/errors.ts';
import { CLEANING_REASONS, cleanResponses, type CleaningResult } from '../../engine/survey/clean.ts';
import type { SurveyRunResult } from '../../engine/survey/pipeline.ts';
import { writeOutputsAtomically, type OutputFiles } from '../../formats/output.ts';
import { tableToCsv } from '../../formats/results.ts';
import { findSurveyConfigs, loadSurvey, parseExpertAnswers, runSurveyFile, SIMULATED_LABEL, surveyItems, surveyTitle, type LoadedSurvey } from '../../formats/survey.ts';

const log = (s: string) => process.stderr.write(s + '\n');

const CELL_CODES = new Set(['E_ANSWER', 'E_CITY', 'E_AGE', 'E_SEX', 'E_DURATION']);

/** Issues that stop `clean`/`estimate` (cell problems only make the cell missing). */
export function blockingIssues(issues: readonly Issue[]): Issue[] {
  return issues.filter((i) => i.severity !== 'warning' && !i.code.startsWith('W_') && !CELL_CODES.has(i.code));
}

/**
 * Validate every survey of a project: config, SurveyJS definitions (survey-core), responses, census.
 * Returns the loaded surveys and all issues; throws only when a file cannot be read or parsed at all.
 */
export async function validateProjectSurveys(projectDir: string): Promise<Array<{ survey: LoadedSurvey; issues: Issue[] }>> {
  const out: Array<{ survey: LoadedSurvey; issues: Issue[] }> = [];
  for (const path of await findSurveyConfigs(projectDir)) {
    const survey = await loadSurvey(path);
    out.push({ survey, issues: survey.issues });
  }
  return out;
}

/** The cleaning report as files: `cleaning-report.json`, `removed.csv`, `cleaning-by-city.csv`. */
export function cleaningFiles(survey: LoadedSurvey, cleaning: CleaningResult): OutputFiles {
  const label = survey.config.simulated ? SIMULATED_LABEL : '';
  const files: OutputFiles = new Map();
  files.set('cleaning-report.json', JSON.stringify({
    survey: survey.config.id, dataLabel: label || undefined, received: cleaning.received, kept: cleaning.kept, counts: cleaning.counts,
    speederSeconds: cleaning.speederSeconds, medianDuration: cleaning.medianDuration, perCity: cleaning.perCity, warnings: cleaning.warnings,
  }, null, 2) + '\n');
  files.set('removed.csv', tableToCsv({ header: ['row', 'respondent_id', 'city', 'reason', 'detail', 'data_label'], rows: cleaning.removed.map((r) => [r.row, r.id, r.city, r.reason, r.detail, label]) }));
  files.set('cleaning-by-city.csv', tableToCsv({ header: ['city', 'received', 'kept', ...CLEANING_REASONS, 'data_label'], rows: cleaning.perCity.map((c) => [c.city, c.received, c.kept, ...CLEANING_REASONS.map((k) => c.removed[k]), label]) }));
  return files;
}

/**
 * Everything `survey estimate` writes: `indicators.csv` (wide: code + one column per indicator, the
 * project's data format), `estimates.csv` (long, with interval, se, n, n_eff, flag), `weights-by-city.csv`,
 * `reliability.csv`, `survey-estimates.json`, and the cleaning report.
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
  files.set('indicators.csv', tableToCsv({ header: ['code', ...codes, ...(label ? ['data_label'] : [])], rows: cities.map((c, u) => [c, ...codes.map((_, j) => v(estimates.dataset.values[at(j, u)])), ...(label ? [label] : [])]) }));
  const long: Array<Array<string | number | null>> = [];
  codes.forEach((code, j) => cities.forEach((c, u) => {
    const k = at(j, u);
    long.push([c, code, v(estimates.dataset.values[k]), v(estimates.lower.values[k]), v(estimates.upper.values[k]), v(estimates.se.values[k]), v(estimates.n.values[k], 0), v(estimates.nEff.values[k], 1), flagOf.get(c) ?? '', label]);
  }));
  files.set('estimates.csv', tableToCsv({ header: ['unit', 'indicator', 'value', `lower_${Math.round(estimates.confidence * 100)}`, `upper_${Math.round(estimates.confidence * 100)}`, 'se', 'n', 'n_eff', 'flag', 'data_label'], rows: long }));
  files.set('weights-by-city.csv', tableToCsv({ header: ['city', 'n', 'n_eff', 'deff', 'min_weight', 'max_weight', 'iterations', 'converged', 'max_margin_error', 'trimmed', 'unknown_category'], rows: result.weighting.perCity.map((w) => [w.city, w.n, v(w.nEff, 1), v(w.deff), v(w.minWeight), v(w.maxWeight), w.iterations, String(w.converged), v(w.maxMarginError, 6), w.trimmed, w.unknown]) }));
  files.set('reliability.csv', tableToCsv({ header: ['indicator', 'alpha', 'k', 'n', 'item', 'item_total_r', 'corrected_item_total_r', 'alpha_if_deleted'], rows: result.reliability.flatMap((r) => r.pooled.items.map((it) => [r.indicator, v(r.pooled.alpha), r.pooled.k, r.pooled.n, it.item, v(it.itemTotal), v(it.correctedItemTotal), v(it.alphaIfDeleted)])) }));
  files.set('survey-estimates.json', JSON.stringify({
    survey: survey.config.id, title: survey.config.title, dataLabel: label || undefined, confidence: estimates.confidence,
    indicators: estimates.indicators, flags: estimates.flags,
    values: cities.map((c, u) => ({ unit: c, ...Object.fromEntries(codes.map((code, j) => [code, { value: v(estimates.dataset.values[at(j, u)]), lower: v(estimates.lower.values[at(j, u)]), upper: v(estimates.upper.values[at(j, u)]), n: v(estimates.n.values[at(j, u)], 0), nEff: v(estimates.nEff.values[at(j, u)], 1) }])) })),
    reliability: result.reliability.map((r) => ({ indicator: r.indicator, alpha: v(r.pooled.alpha), perCity: r.perCity })),
    warnings: result.warnings,
  }, null, 2) + '\n');
  return files;
}

function outDirFor(projectDir: string, survey: LoadedSurvey, out?: string): string {
  return out ? resolve(out, survey.config.id) : resolve('out', basename(resolve(projectDir)), 'survey', survey.config.id);
}

function printIssues(issues: readonly Issue[], max = 30): void {
  issues.slice(0, max).forEach((i) => log(`  ${i.severity === 'warning' || i.code.startsWith('W_') ? 'warning' : 'error'}: ${formatIssue(i)}`));
  if (issues.length > max) log(`  … and ${issues.length - max} more`);
}

export interface ExpertPanelResult {
  groups: GroupAhpResult[];
  /** One `weight` step per level (`method: 'manual'`), ready for the build spec. */
  weightSteps: Array<{ id: string; kind: 'weight'; options: WeightOptions }>;
  issues: Issue[];
}

/**
 * Aggregate an expert panel: answers (SurveyJS results) → matrices → per-group CR, inconsistent judgements,
 * AIJ/AIP weights → `weight` steps. Experts with missing answers in a group are left out of that group (issues).
 * @example expertPanel(framework, answers, { method: 'aij' }).weightSteps[0].options.weighting.method // => 'manual'
 */
export function expertPanel(framework: Framework, experts: ReadonlyArray<{ expert: string; answers: Record<string, unknown> }>, options: GroupAhpOptions = {}, file?: string): ExpertPanelResult {
  const issues: Issue[] = [];
  const byGroup = new Map<string, ExpertJudgements[]>();
  for (const e of experts) {
    const m = expertMatrices(framework, e.expert, e.answers, file);
    issues.push(...m.issues);
    for (const j of m.matrices) {
      let l = byGroup.get(j.parent);
      if (!l) byGroup.set(j.parent, (l = []));
      l.push(j);
    }
  }
  const groups: GroupAhpResult[] = [];
  for (const g of comparisonGroups(framework)) {
    const js = byGroup.get(g.parent);
    if (!js?.length) { issues.push({ code: 'E_AHP_GROUP', message: `no complete answers for the comparisons under ${g.parent}`, file, indicator: g.parent }); continue; }
    groups.push(groupAhp(js, options));
  }
  const weightSteps = ahpWeightOptions(groups, framework).map((o) => ({ id: `weight-ahp-level-${o.level}`, kind: 'weight' as const, options: o }));
  return { groups, weightSteps, issues };
}

/** Register `survey validate|clean|estimate|ahp-form|ahp`. */
export function registerSurveyCommands(program: Command): void {
  const survey = program.command('survey').description('Resident questionnaires: validate, clean, weight and estimate / 居民问卷：校验、清洗、加权、估计');

  survey.command('validate <project>')
    .description('check survey.yaml, the SurveyJS definitions (survey-core) and the responses')
    .option('--json', 'print the issues as JSON on stdout')
    .action(async (project: string, opts: { json?: boolean }) => {
      const results = await validateProjectSurveys(project);
      const all = results.flatMap((r) => r.issues);
      if (opts.json) process.stdout.write(JSON.stringify(results.map((r) => ({ survey: r.survey.config.id, responses: r.survey.table.n, issues: r.issues })), null, 2) + '\n');
      for (const r of results) {
        log(`${surveyTitle(r.survey.config)}: ${r.survey.table.n} responses, ${r.survey.config.cities.length} cities, ${Object.keys(r.survey.definitions).length} questionnaire definition(s), ${surveyItems(r.survey.config).length} items, census margins for ${r.survey.margins.size} cities`);
        printIssues(r.issues);
      }
      const blocking = blockingIssues(all);
      if (blocking.length) throw new CityIndexError(blocking);
      log(all.length ? `valid, with ${all.length} warning(s) or cell problem(s)` : 'valid');
    });

  survey.command('clean <project>')
    .description('apply the cleaning rules and write the report of removed responses')
    .option('--out <dir>', 'output folder (default out/<project>/survey/<id>)')
    .action(async (project: string, opts: { out?: string }) => {
      for (const path of await findSurveyConfigs(project)) {
        const s = await loadSurvey(path);
        const blocking = blockingIssues(s.issues);
        if (blocking.length) throw new CityIndexError(blocking);
        const items = [...new Set(s.config.indicators.flatMap((d) => d.items))];
        const cleaning = cleanResponses(s.table, s.config.cleaning, { cities: s.config.cities, items });
        const dir = outDirFor(project, s, opts.out);
        await writeOutputsAtomically(dir, cleaningFiles(s, cleaning));
        log(`${surveyTitle(s.config)}: received ${cleaning.received}, kept ${cleaning.kept}; removed ${CLEANING_REASONS.map((k) => `${k} ${cleaning.counts[k]}`).join(', ')}`);
        log(`wrote ${join(dir, 'cleaning-report.json')}, removed.csv, cleaning-by-city.csv`);
      }
    });

  survey.command('estimate <project>')
    .description('clean, weight (raking to census margins) and estimate each city with 95 % intervals')
    .option('--out <dir>', 'output folder (default out/<project>/survey/<id>)')
    .action(async (project: string, opts: { out?: string }) => {
      for (const path of await findSurveyConfigs(project)) {
        const { survey: s, result } = await runSurveyFile(path);
        const dir = outDirFor(project, s, opts.out);
        const files = estimateFiles(s, result);
        await writeOutputsAtomically(dir, files);
        const deffs = result.weighting.perCity.map((w) => w.deff).filter(Number.isFinite);
        log(`${surveyTitle(s.config)}: ${result.cleaning.kept} of ${result.cleaning.received} responses kept; ${result.estimates.dataset.unitCodes.length} cities × ${result.estimates.dataset.codes.length} indicators`);
        if (deffs.length) log(`design effect from weighting: ${Math.min(...deffs).toFixed(2)}–${Math.max(...deffs).toFixed(2)}`);
        for (const f of result.estimates.flags) log(`  flag: ${f.message}`);
        printIssues(result.warnings, 10);
        log(`wrote ${[...files.keys()].map((k) => join(dir, k)).join(', ')}`);
      }
    });

  survey.command('ahp-form <project>')
    .description('write the expert pairwise-comparison questionnaire (SurveyJS JSON, zh and en) for the framework')
    .option('--out <dir>', 'output folder (default out/<project>/survey/ahp)')
    .action(async (project: string, opts: { out?: string }) => {
      const loaded = await loadProject(project);
      const fw = loaded.input.framework;
      const dir = opts.out ? resolve(opts.out) : resolve('out', basename(resolve(project)), 'survey', 'ahp');
      const files: OutputFiles = new Map();
      for (const lang of ['zh', 'en'] as const) files.set(`ahp.${lang}.json`, JSON.stringify(ahpQuestionnaire(fw, lang), null, 2) + '\n');
      await writeOutputsAtomically(dir, files);
      const groups = comparisonGroups(fw);
      log(`${groups.length} comparison groups, ${groups.reduce((s, g) => s + (g.codes.length * (g.codes.length - 1)) / 2, 0)} pairwise questions; wrote ${[...files.keys()].map((k) => join(dir, k)).join(', ')}`);
    });

  survey.command('ahp <project>')
    .description('aggregate expert AHP answers: CR per expert, most inconsistent judgements, AIJ/AIP group weights as build-spec weight steps')
    .requiredOption('--answers <file>', 'SurveyJS results JSON, one object per expert (field "expert")')
    .option('--method <aij|aip>', 'aggregation: aij (geometric mean of judgements, default) or aip (mean of priorities)', 'aij')
    .option('--ri <saaty|chinese>', 'random-index table', 'saaty')
    .option('--max-cr <x>', 'consistency threshold', '0.1')
    .option('--exclude-inconsistent', 'leave experts above the threshold out of the aggregate')
    .option('--out <dir>', 'output folder (default out/<project>/survey/ahp)')
    .action(async (project: string, opts: { answers: string; method: string; ri: string; maxCr: string; excludeInconsistent?: boolean; out?: string }) => {
      if (opts.method !== 'aij' && opts.method !== 'aip') throw new CityIndexError({ code: 'E_METHOD', message: `unknown --method "${opts.method}"`, field: 'method', expected: 'aij or aip' });
      if (opts.ri !== 'saaty' && opts.ri !== 'chinese') throw new CityIndexError({ code: 'E_METHOD', message: `unknown --ri "${opts.ri}"`, field: 'ri', expected: 'saaty or chinese' });
      const loaded = await loadProject(project);
      const file = resolve(opts.answers);
      let text: string;
      try { text = await readFile(file, 'utf8'); } catch (e) { throw new CityIndexError({ code: 'E_FILE', message: `cannot read file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, file }); }
      const experts = parseExpertAnswers(text, file);
      const panel = expertPanel(loaded.input.framework, experts, { method: opts.method, riTable: opts.ri, maxCR: Number(opts.maxCr), excludeInconsistent: opts.excludeInconsistent }, file);
      const blocking = panel.issues.filter((i) => i.code === 'E_AHP_GROUP');
      if (blocking.length) throw new CityIndexError(panel.issues);
      printIssues(panel.issues, 10);
      for (const g of panel.groups) {
        log(`${g.parent}: ${Object.entries(g.weights).map(([c, w]) => `${c} ${w.toFixed(3)}`).join(', ')}${g.groupConsistency ? ` (group CR ${g.groupConsistency.cr.toFixed(3)})` : ''}`);
        for (const e of g.experts.filter((x) => !x.consistent)) {
          const worst = e.inconsistent[0];
          log(`  ${e.expert}: CR ${e.cr.toFixed(3)} > ${opts.maxCr}${e.excluded ? ' (excluded)' : ''}; most inconsistent: ${worst.row} vs ${worst.column} = ${fmtJudgement(worst.given)} (priorities imply ${fmtJudgement(worst.suggested)})`);
        }
      }
      const dir = opts.out ? resolve(opts.out) : resolve('out', basename(resolve(project)), 'survey', 'ahp');
      const files: OutputFiles = new Map();
      files.set('ahp-weight-steps.yaml', '# Paste into project.yaml build.steps (before aggregate) — generated by `cityindex survey ahp`\n' + YAML.stringify(panel.weightSteps));
      files.set('ahp-report.json', JSON.stringify({ answers: file, method: opts.method, riTable: opts.ri, maxCR: Number(opts.maxCr), groups: panel.groups, weightSteps: panel.weightSteps, issues: panel.issues }, null, 2) + '\n');
      await writeOutputsAtomically(dir, files);
      log(`wrote ${[...files.keys()].map((k) => join(dir, k)).join(', ')}`);
    });
}

function fmtJudgement(x: number): string {
  return x >= 1 ? String(+x.toFixed(2)) : `1/${+(1 / x).toFixed(2)}`;
}
