/**
 * Report benchmarks on examples/cdgi-2020: the HTML report (findings, server-side SVG charts and maps)
 * together with the XLSX workbook (target < 3 s), and the PDF printed by headless Chromium (target
 * ≤ 4 s, including the browser start). Build and analyses are done once beforehand, as the CLI does.
 */
import { loadProject } from '../src/formats/project.ts';
import { build } from '../src/engine/pipeline/build.ts';
import { runAnalyses, parseAnalysesConfig } from '../src/engine/analysis/run.ts';
import { loadCases } from '../src/formats/cases.ts';
import { createWorkbook } from '../src/formats/workbook-exceljs.ts';
import { renderReportHtml } from '../src/report/html.ts';
import { printerPath, renderPdf } from '../src/report/pdf.ts';
import type { ReportContext } from '../src/report/context.ts';
import { timeMedian, type BenchRow } from './harness.ts';

export async function benchReport(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const project = await loadProject('examples/cdgi-2020');
  const b = build(project.input, project.spec);
  const analyses = runAnalyses(b, parseAnalysesConfig(project.project.analyses));
  const cases = await loadCases('cases');
  const ctx: ReportContext = { project, build: b, analyses, cases, lang: 'zh' };
  let bytes = 0;
  const tHtml = await timeMedian(
    () => {
      bytes = renderReportHtml(ctx).length;
    },
    5,
    1,
  );
  rows.push({
    name: 'report HTML cdgi-2020 (zh, 100 cities, 2 maps)',
    seconds: tHtml,
    notes: `${(bytes / 1024).toFixed(0)} KiB`,
  });
  const tBoth = await timeMedian(
    async () => {
      renderReportHtml(ctx);
      await createWorkbook(b, project).xlsx.writeBuffer();
    },
    5,
    1,
  );
  rows.push({ name: 'report HTML + results.xlsx cdgi-2020', seconds: tBoth, target: '< 3 s', pass: tBoth < 3 });
  const printer = printerPath();
  if (printer) {
    const html = renderReportHtml(ctx);
    let pages = 0;
    const tPdf = await timeMedian(
      async () => {
        const pdf = await renderPdf(html);
        pages = (
          Buffer.from(pdf)
            .toString('latin1')
            .match(/\/Type\s*\/Page(?!s)/g) ?? []
        ).length;
      },
      3,
      1,
    );
    rows.push({
      name: 'report PDF cdgi-2020 (Chromium start + print)',
      seconds: tPdf,
      target: '≤ 4 s',
      pass: tPdf <= 4,
      notes: `${pages} A4 pages, printed by ${printer.split('/').pop()}`,
    });
  } else {
    rows.push({
      name: 'report PDF cdgi-2020',
      seconds: NaN,
      notes: 'skipped: no Chromium installed (apt-get install chromium-headless-shell)',
    });
  }
  return rows;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const { printTable } = await import('./harness.ts');
  printTable(await benchReport());
}
