/**
 * `survey validate|clean|estimate|ahp-form|ahp <project>`: parse the arguments, call the survey use
 * cases (`src/app/survey.ts`), print what they found and write their files atomically to an output
 * folder. Simulated surveys are labelled 模拟数据 / simulated responses in every file and message.
 */
import { statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { CityIndexError, formatIssue, type Issue } from '../../engine/core/errors.ts';
import { CLEANING_REASONS } from '../../engine/survey/clean.ts';
import { surveyItems, surveyTitle, type LoadedSurvey } from '../../formats/survey.ts';
import { ahpForm, cleanSurveys, estimateSurveys, runExpertPanel, validateProjectSurveys } from '../../app/survey.ts';
import { writeArtifacts } from '../../app/node-host.ts';
import { log } from '../progress.ts';

/** Folder name, inside the project folder, of the survey commands' default output. */
export const SURVEY_OUT = 'out-survey';

/**
 * Default output folder of a survey command: `<project folder>/out-survey/<name>` (the folder of a
 * project file such as `project.survey-demo.yaml`). Not under a build's output folder (`out/` by
 * default), which the next build replaces as a whole.
 * @example surveyOutDir('examples/cdgi-2020', 'ahp').endsWith('examples/cdgi-2020/out-survey/ahp') // => true
 */
export function surveyOutDir(project: string, name: string): string {
  const p = resolve(project);
  let dir = p;
  try {
    if (!statSync(p).isDirectory()) dir = dirname(p);
  } catch {
    if (/\.ya?ml$/i.test(p)) dir = dirname(p);
  }
  return join(dir, SURVEY_OUT, name);
}

function outDirFor(projectDir: string, survey: LoadedSurvey, out?: string): string {
  const id = survey.config.id;
  return out ? resolve(out, id) : surveyOutDir(projectDir, id);
}

function ahpDirFor(projectDir: string, out?: string): string {
  return out ? resolve(out) : surveyOutDir(projectDir, 'ahp');
}

const isError = (i: Issue) => i.severity !== 'warning' && !i.code.startsWith('W_');

function printIssues(issues: readonly Issue[], max = 30): void {
  for (const i of issues.slice(0, max)) {
    log(`  ${isError(i) ? 'error' : 'warning'}: ${formatIssue(i)}`);
  }
  if (issues.length > max) log(`  … and ${issues.length - max} more`);
}

function fmtJudgement(x: number): string {
  return x >= 1 ? String(+x.toFixed(2)) : `1/${+(1 / x).toFixed(2)}`;
}

interface AhpFlags {
  answers: string;
  method: string;
  ri: string;
  maxCr: string;
  excludeInconsistent?: boolean;
  dropIncomplete?: boolean;
  out?: string;
}

/**
 * Register `survey validate|clean|estimate|ahp-form|ahp|serve`.
 * @example
 * import { Command } from 'commander';
 * const program = new Command();
 * registerSurveyCommands(program);
 * program.commands.map((c) => c.name()) // => ['survey']
 */
export function registerSurveyCommands(program: Command): void {
  const survey = program
    .command('survey')
    .description('Resident questionnaires: validate, clean, weight and estimate / 居民问卷：校验、清洗、加权、估计');

  survey
    .command('validate <project>')
    .description('check survey.yaml, the SurveyJS definitions (survey-core) and the responses')
    .option('--json', 'print the issues as JSON on stdout')
    .action(async (project: string, opts: { json?: boolean }) => {
      const results = await validateProjectSurveys(project);
      const all = results.flatMap((r) => r.issues);
      if (opts.json) {
        const rows = results.map((r) => ({
          survey: r.survey.config.id,
          responses: r.survey.table.n,
          issues: r.issues,
        }));
        process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
      }
      for (const { survey: s, issues } of results) {
        const definitions = Object.keys(s.definitions).length;
        log(
          `${surveyTitle(s.config)}: ${s.table.n} responses, ${s.config.cities.length} cities, ` +
            `${definitions} questionnaire definition(s), ${surveyItems(s.config).length} items, ` +
            `census margins for ${s.margins.size} cities`,
        );
        const errors = issues.filter(isError).length;
        if (errors) log(`  ${errors} error(s), ${issues.length - errors} warning(s) (listed below)`);
        else printIssues(issues);
      }
      // every error fails validation (exit 1), cell errors too; clean/estimate stop only on `blockingIssues`
      const errors = all.filter(isError);
      if (errors.length) throw new CityIndexError(all);
      log(all.length ? `valid, with ${all.length} warning(s)` : 'valid');
    });

  survey
    .command('clean <project>')
    .description('apply the cleaning rules and write the report of removed responses')
    .option('--out <dir>', 'output folder (default <project>/out-survey/<id>)')
    .action(async (project: string, opts: { out?: string }) => {
      for (const { survey: s, cleaning, files } of await cleanSurveys(project)) {
        const dir = outDirFor(project, s, opts.out);
        await writeArtifacts(dir, files);
        const removed = CLEANING_REASONS.map((k) => `${k} ${cleaning.counts[k]}`).join(', ');
        log(`${surveyTitle(s.config)}: received ${cleaning.received}, kept ${cleaning.kept}; removed ${removed}`);
        log(`wrote ${join(dir, 'cleaning-report.json')}, removed.csv, cleaning-by-city.csv`);
      }
    });

  survey
    .command('estimate <project>')
    .description('clean, weight (raking to census margins) and estimate each city with 95 % intervals')
    .option('--out <dir>', 'output folder (default <project>/out-survey/<id>)')
    .action(async (project: string, opts: { out?: string }) => {
      for (const { survey: s, result, files } of await estimateSurveys(project)) {
        const dir = outDirFor(project, s, opts.out);
        await writeArtifacts(dir, files);
        const deffs = result.weighting.perCity.map((w) => w.deff).filter(Number.isFinite);
        const { dataset } = result.estimates;
        log(
          `${surveyTitle(s.config)}: ${result.cleaning.kept} of ${result.cleaning.received} responses kept; ` +
            `${dataset.unitCodes.length} cities × ${dataset.codes.length} indicators`,
        );
        if (deffs.length) {
          log(`design effect from weighting: ${Math.min(...deffs).toFixed(2)}–${Math.max(...deffs).toFixed(2)}`);
        }
        for (const f of result.estimates.flags) log(`  flag: ${f.message}`);
        printIssues(result.warnings, 10);
        log(`wrote ${[...files.keys()].map((k) => join(dir, k)).join(', ')}`);
      }
    });

  survey
    .command('ahp-form <project>')
    .description('write the expert pairwise-comparison questionnaire (SurveyJS JSON, zh and en) for the framework')
    .option('--out <dir>', 'output folder (default <project>/out-survey/ahp)')
    .action(async (project: string, opts: { out?: string }) => {
      const form = await ahpForm(project);
      const dir = ahpDirFor(project, opts.out);
      await writeArtifacts(dir, form.files);
      const written = [...form.files.keys()].map((k) => join(dir, k)).join(', ');
      log(`${form.groups} comparison groups, ${form.questions} pairwise questions; wrote ${written}`);
    });

  survey
    .command('ahp <project>')
    .description(
      'aggregate expert AHP answers: CR per expert, most inconsistent judgements, ' +
        'AIJ/AIP group weights as build-spec weight steps',
    )
    .requiredOption('--answers <file>', 'SurveyJS results JSON, one object per expert (field "expert")')
    .option(
      '--method <aij|aip>',
      'aggregation: aij (geometric mean of judgements, default) or aip (mean of priorities)',
      'aij',
    )
    .option('--ri <saaty|chinese>', 'random-index table', 'saaty')
    .option('--max-cr <x>', 'consistency threshold', '0.1')
    .option('--exclude-inconsistent', 'leave experts above the threshold out of the aggregate')
    .option(
      '--drop-incomplete',
      'leave an expert with missing or invalid answers out of that group (named) instead of failing',
    )
    .option('--out <dir>', 'output folder (default <project>/out-survey/ahp)')
    .action(async (project: string, opts: AhpFlags) => {
      const { method, ri } = opts;
      if (method !== 'aij' && method !== 'aip') {
        const message = `unknown --method "${method}"`;
        throw new CityIndexError({ code: 'E_METHOD', message, field: 'method', expected: 'aij or aip' });
      }
      if (ri !== 'saaty' && ri !== 'chinese') {
        const message = `unknown --ri "${ri}"`;
        throw new CityIndexError({ code: 'E_METHOD', message, field: 'ri', expected: 'saaty or chinese' });
      }
      const { panel, files } = await runExpertPanel(project, resolve(opts.answers), {
        method,
        riTable: ri,
        maxCR: Number(opts.maxCr),
        excludeInconsistent: opts.excludeInconsistent,
        dropIncomplete: opts.dropIncomplete,
      });
      const dropped = panel.issues.filter((i) => i.code === 'W_AHP_EXPERT_DROPPED');
      for (const d of dropped) log(`left out: ${d.message}`);
      printIssues(
        panel.issues.filter((i) => i.code !== 'W_AHP_EXPERT_DROPPED'),
        10,
      );
      for (const g of panel.groups) {
        const weights = Object.entries(g.weights)
          .map(([c, w]) => `${c} ${w.toFixed(3)}`)
          .join(', ');
        log(`${g.parent}: ${weights}${g.groupConsistency ? ` (group CR ${g.groupConsistency.cr.toFixed(3)})` : ''}`);
        for (const e of g.experts.filter((x) => !x.consistent)) {
          const worst = e.inconsistent[0];
          const judgement = `${worst.row} vs ${worst.column} = ${fmtJudgement(worst.given)}`;
          const excluded = e.excluded ? ' (excluded)' : '';
          log(
            `  ${e.expert}: CR ${e.cr.toFixed(3)} > ${opts.maxCr}${excluded}; most inconsistent: ` +
              `${judgement} (priorities imply ${fmtJudgement(worst.suggested)})`,
          );
        }
      }
      const dir = ahpDirFor(project, opts.out);
      await writeArtifacts(dir, files);
      log(`wrote ${[...files.keys()].map((k) => join(dir, k)).join(', ')}`);
    });

  survey
    .command('serve <project>')
    .description('fieldwork-only server on the embedded store: forms, QR codes, monitor / 问卷现场调查服务')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port (0: any free port)', '8090')
    .option('--store <file>', 'SQLite file of the store (default <project>/.cityindex/store.db)')
    .option('--wave <name>', "wave name in links (default: the survey's id)")
    .option('--per-city <n>', "completed responses wanted per city (default: the survey's quota)")
    .option('--public-url <url>', 'origin printed in QR codes and invitation links')
    .option('--starts-per-hour <n>', 'new responses per address per hour (default 60)')
    .option('--saves-per-minute <n>', 'saves per address per minute (default 240)')
    .option('--requests-per-minute <n>', 'requests per address per minute (default 600)')
    .option('--sync <mode>', 'SQLite durability: full (default, survives power cuts) or normal (survives crashes)')
    .action(async (project: string, opts: import('./survey-serve.ts').SurveyServeOptions) => {
      const { serveFieldwork } = await import('./survey-serve.ts');
      await serveFieldwork(project, opts);
    });
}
