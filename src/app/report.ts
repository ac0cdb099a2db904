/**
 * The report use case: the report files of a project run, in memory — `report.html` in the project's
 * language, `report.<other>.html` in the other, and `report.pdf` with `report.<other>.pdf` (printed by headless
 * Chromium) when asked.
 */
import { prepareReportContext, reportFiles } from '../report/index.ts';
import { CITYINDEX_VERSION } from '../formats/results.ts';
import type { OutputFiles } from '../formats/output.ts';
import type { ProjectRun } from './project.ts';
import type { Case } from '../engine/cases/search.ts';

/** Options of `reportArtifacts`. */
export interface ReportArtifactsOptions {
  /** Also print both languages' reports to PDF (Node with Chromium only). Default false. */
  pdf?: boolean;
  /** The case library already loaded by the caller's host (default: read from the project's `cases:` folder). */
  cases?: readonly Case[];
}

/**
 * The report of a run (its analyses, uncertainty rank intervals and series) as files.
 * @example
 * import { runProject } from './project.ts';
 * const run = await runProject('examples/asem', { analyses: false });
 * const files = await reportArtifacts(run);
 * [...files.keys()] // => ['report.html', 'report.zh.html']
 */
export async function reportArtifacts(run: ProjectRun, options: ReportArtifactsOptions = {}): Promise<OutputFiles> {
  const { project, build, analyses, series } = run;
  const rankIntervals = analyses?.uncertainty?.rankStats.map((r) => ({
    unit: r.unit,
    nominal: r.nominal,
    median: r.median,
    q5: r.q5,
    q95: r.q95,
  }));
  const version = CITYINDEX_VERSION;
  const cases = options.cases;
  const base = await prepareReportContext(project, build, { analyses, series, rankIntervals, version, cases });
  return new Map(await reportFiles(base, { html: true, pdf: options.pdf === true }));
}
