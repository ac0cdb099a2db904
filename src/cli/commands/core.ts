/** `validate`, `build` and `analyse`: load a project, check it, build the index, run its analyses, write outputs atomically. */
import type { Command } from 'commander';
import { join, resolve } from 'node:path';
import { loadProject, buildProject, type LoadedProject } from '../../formats/project.ts';
import type { Build } from '../../engine/pipeline/build.ts';
import { CityIndexError, formatIssues } from '../../engine/core/errors.ts';
import { runAnalyses, type AnalysesResult } from '../../engine/analysis/run.ts';
import type { AnalysesConfig } from '../../engine/analysis/config.ts';
import { resultsTable, tableToCsv, buildRecord } from '../../formats/results.ts';
import { workbookBytes, type ExtraSheet } from '../../formats/workbook.ts';
import { analysisSheets } from '../../formats/analysis-tables.ts';
import { toJson } from '../../formats/json.ts';
import { writeOutputsAtomically, refuseReplace, type OutputFiles } from '../../formats/output.ts';
import { prepareReportContext, reportFiles } from '../../report/index.ts';
import { CITYINDEX_VERSION } from '../../formats/results.ts';
import { loadSeriesCsv, seriesSheetRows, auditSheetRows } from '../../formats/series.ts';
import { computeSeriesOutputs } from './series.ts';
import type { ReportSeries } from '../../report/context.ts';
import { analyseProject, progressBar, stopUncertaintyWorkers } from '../../app/uncertainty-workers.ts';

const log = (s: string) => process.stderr.write(s + '\n');

export const FORMATS = ['csv', 'json', 'xlsx', 'html', 'pdf'] as const;
export type Format = (typeof FORMATS)[number];
export const ANALYSES = ['audit', 'gaps', 'regional', 'spatial', 'tiers', 'change', 'uncertainty'] as const;

/** Parse `--format html,pdf,xlsx`; csv and json are always written. */
export function parseFormats(s: string | undefined): Set<Format> {
  const out = new Set<Format>(['csv', 'json', 'xlsx']);
  if (!s) return out;
  for (const f of s.split(',').map((x) => x.trim()).filter(Boolean)) {
    if (!(FORMATS as readonly string[]).includes(f)) throw new CityIndexError({ code: 'E_FORMAT', message: `unknown format "${f}"`, field: '--format', expected: FORMATS.join(', ') });
    out.add(f as Format);
  }
  return out;
}

/** Keep only the analyses named in `--only a,b` (all declared ones when absent). */
export function selectAnalyses(settings: AnalysesConfig, only: string | undefined): AnalysesConfig {
  if (!only) return settings;
  const names = only.split(',').map((x) => x.trim()).filter(Boolean);
  for (const n of names) if (!(ANALYSES as readonly string[]).includes(n)) throw new CityIndexError({ code: 'E_OPTION', message: `unknown analysis "${n}"`, field: '--only', expected: ANALYSES.join(', ') });
  const out: AnalysesConfig = { target: settings.target, reference: settings.reference };
  for (const n of names) {
    if (!settings[n as (typeof ANALYSES)[number]]) throw new CityIndexError({ code: 'E_OPTION', message: `analysis "${n}" is not declared in project.yaml (analyses.${n})`, field: '--only' });
    (out as Record<string, unknown>)[n] = settings[n as (typeof ANALYSES)[number]];
  }
  return out;
}

/** Load, build and (when declared) analyse a project; progress on stderr. */
export async function runProject(dir: string, options: { only?: string; analyses?: boolean } = {}): Promise<{ project: LoadedProject; build: Build; analyses?: AnalysesResult; series?: ReportSeries }> {
  log(`loading ${dir}`);
  const project = await loadProject(dir);
  for (const w of project.warnings) log(`warning: ${formatIssues([w])}`);
  for (const s of project.surveys) log(`survey ${s.id} supplies ${s.indicators.join(', ')}${s.simulated ? ' — 模拟数据 / SIMULATED responses: not a real result' : ''}`);
  log(`building: ${project.input.units.length} units × ${project.input.raw.codes.length} indicators, ${project.spec.steps.length} steps`);
  const b = await buildProject(project);
  let analyses: AnalysesResult | undefined;
  if (options.analyses !== false && project.project.analyses) {
    const settings = selectAnalyses(project.project.analyses, options.only);
    log(`analysing: ${Object.keys(settings).filter((k) => (ANALYSES as readonly string[]).includes(k)).join(', ') || '(none)'}`);
    analyses = runAnalyses(b, settings, { period: project.project.period !== undefined ? String(project.project.period) : undefined, skipUncertainty: true });
    if (settings.uncertainty) {
      const u = settings.uncertainty;
      log(`uncertainty: ${u.mode ?? 'uncertainty'} analysis, N = ${u.N}, ${u.inputs.length} uncertain inputs`);
      const bar = progressBar('runs');
      try {
        analyses.uncertainty = await analyseProject(project, b, { ...u, seed: u.seed ?? b.spec.seed ?? 1 }, { onProgress: (done, total) => bar.update(done, total) });
      } catch (e) {
        if (!(e instanceof CityIndexError)) throw e;
        analyses.errors.push({ analysis: 'uncertainty', issues: e.issues });
      } finally {
        bar.stop();
        await stopUncertaintyWorkers();
      }
    }
    for (const e of analyses.errors) log(`warning: analysis "${e.analysis}" could not run:\n${formatIssues(e.issues)}`);
  }
  let series: ReportSeries | undefined;
  if (project.project.series) {
    log('computing the time series (series:)');
    // the merged `series:` block of the project (variants inherit it through `extends`)
    const cfg = project.project.series;
    const sp = { dir: resolve(project.dir), config: cfg, table: await loadSeriesCsv(join(project.dir, cfg.file)), ...(cfg.audit ? { auditTable: await loadSeriesCsv(join(project.dir, cfg.audit)) } : {}) };
    const out = computeSeriesOutputs(sp);
    series = { series: out.series, aggregate: out.aggregate?.series, audit: out.audit, note: sp.config.note, file: sp.config.file };
  }
  return { project, build: b, analyses, series };
}

/** Every name `build` or `analyse` may write: an existing --out folder holding only these may be replaced. */
const OUTPUT_NAMES = ['results.csv', 'results.xlsx', 'build.json', 'analysis.json', 'report.html', 'report.zh.html', 'report.en.html', 'report.pdf'];

/** Refuse an --out that is a file or a folder cityindex did not write, before any work is done. */
async function checkOut(out: string): Promise<void> {
  const refusal = await refuseReplace(resolve(out), OUTPUT_NAMES);
  if (refusal) throw refusal;
}

async function writeAll(out: string, files: OutputFiles, t0: number): Promise<void> {
  log(`writing ${[...files.keys()].join(', ')} to ${out}`);
  await writeOutputsAtomically(out, files);
  log(`done in ${((performance.now() - t0) / 1000).toFixed(2)} s`);
}

function commonFiles(project: LoadedProject, b: Build, analyses: AnalysesResult | undefined, withWorkbook: boolean, series?: ReportSeries): OutputFiles {
  const files: OutputFiles = new Map();
  files.set('results.csv', tableToCsv(resultsTable(b)));
  files.set('build.json', toJson(buildRecord(b, project)) + '\n');
  if (analyses) files.set('analysis.json', toJson(analyses) + '\n');
  const extra: ExtraSheet[] = analyses ? analysisSheets(b, analyses) : [];
  if (series) {
    const note = series.note ? { note: series.note } : {};
    extra.push(seriesSheetRows(series.aggregate ? [...series.series, series.aggregate] : series.series, { name: 'Series', ...note }));
    if (series.audit) extra.push(auditSheetRows(series.audit, { name: 'Series audit', ...note }));
  }
  if (withWorkbook) files.set('results.xlsx', () => workbookBytes(b, project, extra));
  return files;
}

/** Add `validate`, `build` and `analyse` to the program. @example registerCoreCommands(new Command()) */
export function registerCoreCommands(program: Command): void {
  program
    .command('validate')
    .argument('<project>', 'project folder')
    .description('check a project (files, framework, units, data, build spec; the build is run, nothing is written) and list every problem / 校验项目')
    .action(async (dir: string) => {
      const p = await loadProject(dir);
      for (const w of p.warnings) log(`warning: ${formatIssues([w])}`);
      await buildProject(p); // the steps' own checks (group columns, geometric means of zeros, …)
      log(`ok: ${p.input.units.length} units, ${p.input.raw.codes.length} indicators (${p.gaps.length} not collected), ${p.spec.steps.length} build steps`);
    });

  program
    .command('build')
    .argument('<project>', 'project folder')
    .option('-o, --out <dir>', 'output folder', 'out')
    .option('-f, --format <list>', 'extra formats: xlsx,html,pdf (csv and json always)')
    .option('--no-analyses', 'skip the analyses declared in project.yaml')
    .description('build the index and write results.csv, results.xlsx, build.json, analysis.json (and report.html/pdf) / 构建指数并输出结果')
    .action(async (dir: string, opts: { out: string; format?: string; analyses: boolean }) => {
      const formats = parseFormats(opts.format);
      await checkOut(opts.out);
      const t0 = performance.now();
      const { project, build: b, analyses, series } = await runProject(dir, { analyses: opts.analyses });
      const files = commonFiles(project, b, analyses, formats.has('xlsx'), series);
      if (formats.has('html') || formats.has('pdf')) {
        log(`rendering the report${formats.has('pdf') ? ' (PDF with headless Chromium)' : ''}`);
        const rankIntervals = analyses?.uncertainty?.rankStats.map((r) => ({ unit: r.unit, nominal: r.nominal, median: r.median, q5: r.q5, q95: r.q95 }));
        const base = await prepareReportContext(project, b, { analyses, series, rankIntervals, version: CITYINDEX_VERSION });
        for (const [name, content] of await reportFiles(base, { html: true, pdf: formats.has('pdf') })) files.set(name, content);
      }
      await writeAll(opts.out, files, t0);
    });

  program
    .command('analyse')
    .alias('analyze')
    .argument('<project>', 'project folder')
    .option('-o, --out <dir>', 'output folder', 'out')
    .option('--only <list>', `run only these analyses (${ANALYSES.join(', ')})`)
    .description('build and run the analyses declared in project.yaml; writes analysis.json and results.xlsx / 运行分析')
    .action(async (dir: string, opts: { out: string; only?: string }) => {
      await checkOut(opts.out);
      const t0 = performance.now();
      const { project, build: b, analyses } = await runProject(dir, { only: opts.only });
      if (!analyses) throw new CityIndexError({ code: 'E_NO_ANALYSES', message: 'the project declares no analyses (add an analyses: block, or use build) / 项目未声明任何分析', file: project.file, field: 'analyses' });
      const files = commonFiles(project, b, analyses, true);
      await writeAll(opts.out, files, t0);
    });
}
