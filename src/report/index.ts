/**
 * The report's entry points for the CLI and library users: prepare a context from a loaded project
 * and its build (analyses from the project's `analyses:` block, cases from its `cases:` folder), and
 * produce the report files — `report.html` in the project's language, `report.<other>.html` in the
 * other, and optionally `report.pdf` (project language) and `report.<other>.pdf` printed by headless Chromium.
 */
import { resolve } from 'node:path';
import type { LoadedProject } from '../formats/project.ts';
import { loadCases } from '../formats/cases.ts';
import type { Case } from '../engine/cases/search.ts';
import { loadKpiPageLogs } from '../caselog/pages.ts';
import type { Build } from '../engine/pipeline/build.ts';
import { runAnalyses, parseAnalysesConfig, type AnalysesResult } from '../engine/analysis/run.ts';
import type { ReportContext, ReportLang, RankInterval, ReportSeries } from './context.ts';
import { renderReportHtml, reportFileName } from './html.ts';
import { otherLang } from '../engine/i18n/index.ts';

export { renderReportHtml, reportFileName, type RenderHtmlOptions } from './html.ts';
export {
  renderPdf,
  renderPdfs,
  launchChromium,
  chromiumPath,
  printerPath,
  CHROMIUM_PATH,
  HEADLESS_SHELL_PATH,
  CHROMIUM_ARGS,
  type PdfOptions,
} from './pdf.ts';
export { computeFindings, FINDINGS, type Finding, type FindingKind } from './findings.ts';
export {
  renderCharts,
  renderChartSpecs,
  reportChartSpecs,
  renderSvg,
  choroplethOption,
  lisaMapOption,
  radarOption,
  regionalBarOption,
  rankingBarOption,
  registerChinaMap,
  mapAdcodes,
  mapSourceNote,
  type ReportCharts,
  type ReportChartSpec,
  type ChartOption,
} from './charts.ts';
export { readChinaMap } from './china-map-file.ts';
export {
  buildReportModel,
  reportAlerts,
  REPORT_SECTIONS,
  type ReportModel,
  type ReportModelOptions,
  type ReportSection,
  type ReportSectionId,
  type ReportFinding,
} from './model.ts';
export type { ReportContext, ReportLang, RankInterval } from './context.ts';

export interface PrepareReportOptions {
  /** Analyses already run (default: run the project's `analyses:` block, if any). */
  analyses?: AnalysesResult;
  rankIntervals?: RankInterval[];
  /** Time series tracked beside the evaluation (computed by the caller from the project's `series:` block). */
  series?: ReportSeries;
  /** Load the project's `cases:` folder (default true). */
  loadCases?: boolean;
  /** The case library already loaded (by the caller's host): used instead of reading the folder. */
  cases?: readonly Case[];
  /** Read the KPI values of the case logs behind `kind: kpi` data sources (default true). */
  loadCaseLogs?: boolean;
  generatedAt?: string;
  version?: string;
}

/**
 * Everything a report needs besides the language: analyses (run from the project's settings when not
 * given) and cases. Problems in the analyses are recorded in `analyses.errors`, not thrown.
 * @example
 * import { loadProject } from '../formats/index.ts';
 * import { build } from '../engine/pipeline/build.ts';
 * const project = await loadProject('examples/cdgi-2020');
 * const ctx = await prepareReportContext(project, build(project.input, project.spec));
 * ctx.analyses?.tiers?.k // => 4
 */
export async function prepareReportContext(
  project: LoadedProject,
  build: Build,
  options: PrepareReportOptions = {},
): Promise<Omit<ReportContext, 'lang'>> {
  const analyses =
    options.analyses ??
    (project.project.analyses ? runAnalyses(build, parseAnalysesConfig(project.project.analyses)) : undefined);
  const cases = options.cases
    ? [...options.cases]
    : options.loadCases === false || !project.project.cases
      ? undefined
      : await loadCases(resolve(project.dir, project.project.cases));
  const caselogs =
    options.loadCaseLogs === false ? undefined : await loadKpiPageLogs(project.dir, project.project.data);
  return {
    project,
    build,
    analyses,
    cases,
    ...(caselogs?.length ? { caselogs } : {}),
    rankIntervals: options.rankIntervals,
    series: options.series,
    generatedAt: options.generatedAt,
    version: options.version,
  };
}

/**
 * The report files of a prepared context: both languages' HTML, and the PDF when asked.
 * @example
 * import { loadProject } from '../formats/index.ts';
 * import { build } from '../engine/pipeline/build.ts';
 * const project = await loadProject('examples/cdgi-2020');
 * const ctx = await prepareReportContext(project, build(project.input, project.spec));
 * const files = await reportFiles(ctx); // { pdf: true } adds report.pdf and report.en.pdf (needs Chromium)
 * [...files.keys()] // => ['report.html', 'report.en.html']
 */
export async function reportFiles(
  base: Omit<ReportContext, 'lang'>,
  options: { pdf?: boolean; html?: boolean } = {},
): Promise<Map<string, string | Uint8Array>> {
  const primary: ReportLang = base.project.project.language ?? 'zh';
  const other: ReportLang = otherLang(primary);
  const files = new Map<string, string | Uint8Array>();
  // playwright-core loads only when a PDF is asked for; Chromium then starts while the HTML is rendered
  const pdf = options.pdf ? await import('./pdf.ts') : undefined;
  const browser = pdf?.launchChromium(pdf.printerPath());
  browser?.catch(() => undefined); // a failed start is thrown by renderPdfs
  let printing = false;
  try {
    const primaryHtml = renderReportHtml({ ...base, lang: primary });
    if (options.html !== false) {
      files.set(reportFileName(primary, primary), primaryHtml);
      files.set(reportFileName(other, primary), renderReportHtml({ ...base, lang: other }));
    }
    if (pdf) {
      // the other language's PDF too (report.en.pdf / report.zh.pdf), printed from its own HTML, by the same Chromium
      const otherHtml = files.get(reportFileName(other, primary)) ?? renderReportHtml({ ...base, lang: other });
      printing = true; // renderPdfs closes the browser from here on
      const [primaryPdf, otherPdf] = await pdf.renderPdfs([primaryHtml, otherHtml as string], { browser });
      files.set('report.pdf', primaryPdf);
      files.set(`report.${other}.pdf`, otherPdf);
    }
  } finally {
    if (!printing) await (await browser?.catch(() => undefined))?.close();
  }
  return files;
}
