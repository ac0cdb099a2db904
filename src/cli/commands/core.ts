/** `validate`, `build` and `analyse`: parse the arguments, call the use case, print, write the outputs atomically. */
import type { Command } from 'commander';
import type { OutputFiles } from '../../formats/output.ts';
import { analyseIndex, buildIndex, parseFormats, validateProject, ANALYSES, OUTPUT_NAMES } from '../../app/project.ts';
import { checkOutputFolder, writeArtifacts } from '../../app/node-host.ts';
import { log, printEvents } from '../progress.ts';

async function writeAll(out: string, files: OutputFiles, t0: number): Promise<void> {
  log(`writing ${[...files.keys()].join(', ')} to ${out}`);
  await writeArtifacts(out, files);
  log(`done in ${((performance.now() - t0) / 1000).toFixed(2)} s`);
}

/**
 * Add `validate`, `build` and `analyse` to the program.
 * @example
 * import { Command } from 'commander';
 * const program = new Command();
 * registerCoreCommands(program);
 * program.commands.map((c) => c.name()) // => ['validate', 'build', 'analyse']
 */
export function registerCoreCommands(program: Command): void {
  program
    .command('validate')
    .argument('<project>', 'project folder')
    .description(
      'check a project (files, framework, units, data, build spec; the build is run, ' +
        'nothing is written) and list every problem / 校验项目',
    )
    .action(async (dir: string) => {
      const { summary: s } = await validateProject(dir, { onEvent: printEvents() });
      log(`ok: ${s.units} units, ${s.indicators} indicators (${s.notCollected} not collected), ${s.steps} build steps`);
    });

  program
    .command('build')
    .argument('<project>', 'project folder')
    .option('-o, --out <dir>', 'output folder', 'out')
    .option(
      '-f, --format <list>',
      'extra formats: html,pdf,xlsx-stages (csv, json and xlsx always; xlsx-stages adds a sheet per stage)',
    )
    .option('--no-analyses', 'skip the analyses declared in project.yaml')
    .description(
      'build the index and write results.csv, results.xlsx, build.json, analysis.json ' +
        '(and report.html/pdf) / 构建指数并输出结果',
    )
    .action(async (dir: string, opts: { out: string; format?: string; analyses: boolean }) => {
      const formats = parseFormats(opts.format);
      await checkOutputFolder(opts.out, OUTPUT_NAMES);
      const t0 = performance.now();
      const { files } = await buildIndex(dir, { formats, analyses: opts.analyses, onEvent: printEvents() });
      await writeAll(opts.out, files, t0);
    });

  program
    .command('analyse')
    .alias('analyze')
    .argument('<project>', 'project folder')
    .option('-o, --out <dir>', 'output folder', 'out')
    .option('--only <list>', `run only these analyses (${ANALYSES.join(', ')})`)
    .description(
      'build and run the analyses declared in project.yaml; writes analysis.json and results.xlsx / 运行分析',
    )
    .action(async (dir: string, opts: { out: string; only?: string }) => {
      await checkOutputFolder(opts.out, OUTPUT_NAMES);
      const t0 = performance.now();
      const { files } = await analyseIndex(dir, { only: opts.only, onEvent: printEvents() });
      await writeAll(opts.out, files, t0);
    });
}
