/** `validate` and `build`: load a project, check it, build the index, write results atomically. */
import type { Command } from 'commander';
import { loadProject } from '../../io/project.ts';
import { build } from '../../engine/build/build.ts';
import { CityIndexError, formatIssues } from '../../engine/core/errors.ts';
import { resultsTable, tableToCsv, buildRecord } from '../../io/results.ts';
import { createWorkbook } from '../../io/workbook.ts';
import { writeOutputsAtomically, type OutputFiles } from '../../io/output.ts';

const log = (s: string) => process.stderr.write(s + '\n');

export const FORMATS = ['csv', 'json', 'xlsx', 'html', 'pdf'] as const;
export type Format = (typeof FORMATS)[number];

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

export function registerCoreCommands(program: Command): void {
  program
    .command('validate')
    .argument('<project>', 'project folder')
    .description('check a project (files, framework, units, data, build spec) and list every problem / 校验项目')
    .action(async (dir: string) => {
      const p = await loadProject(dir);
      for (const w of p.warnings) log(`warning: ${formatIssues([w])}`);
      log(`ok: ${p.input.units.length} units, ${p.input.raw.codes.length} indicators (${p.gaps.length} not collected), ${p.spec.steps.length} build steps`);
    });

  program
    .command('build')
    .argument('<project>', 'project folder')
    .option('-o, --out <dir>', 'output folder', 'out')
    .option('-f, --format <list>', 'extra formats: xlsx,html,pdf (csv and json always)')
    .description('build the index and write results.csv, results.xlsx, build.json (and report.html/pdf) / 构建指数并输出结果')
    .action(async (dir: string, opts: { out: string; format?: string }) => {
      const formats = parseFormats(opts.format);
      const t0 = performance.now();
      log(`[1/3] loading ${dir}`);
      const p = await loadProject(dir);
      for (const w of p.warnings) log(`warning: ${formatIssues([w])}`);
      log(`[2/3] building: ${p.input.units.length} units × ${p.input.raw.codes.length} indicators, ${p.spec.steps.length} steps`);
      const b = build(p.input, p.spec);
      const files: OutputFiles = new Map();
      files.set('results.csv', tableToCsv(resultsTable(b)));
      files.set('build.json', JSON.stringify(buildRecord(b, p), null, 2) + '\n');
      if (formats.has('xlsx')) files.set('results.xlsx', async () => new Uint8Array(await createWorkbook(b, p).xlsx.writeBuffer()));
      log(`[3/3] writing ${[...files.keys()].join(', ')} to ${opts.out}`);
      await writeOutputsAtomically(opts.out, files);
      log(`done in ${((performance.now() - t0) / 1000).toFixed(2)} s`);
    });
}
