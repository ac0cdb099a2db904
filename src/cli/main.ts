#!/usr/bin/env node
/**
 * cityindex command line. Exit codes: 0 success, 1 invalid input (located errors on stderr),
 * 2 internal error. Progress goes to stderr; stdout carries only requested output.
 */
import { Command } from 'commander';
import { CityIndexError, formatIssues } from '../engine/core/errors.ts';
import { registerCoreCommands } from './commands/core.ts';
import { registerSeriesCommands } from './commands/series.ts';
import { registerSurveyCommands } from './commands/survey.ts';
import { registerCaseCommands } from './commands/cases.ts';

/** The `cityindex` program with every command registered. @example createProgram().commands.map((c) => c.name()) // => ['validate', 'build', …] */
export function createProgram(): Command {
  const program = new Command();
  program
    .name('cityindex')
    .description('Composite indices for cities: build, analyse, report / 城市综合指数：构建、分析、报告')
    .version('0.1.0')
    .showHelpAfterError();
  registerCoreCommands(program);
  registerSeriesCommands(program);
  registerSurveyCommands(program);
  registerCaseCommands(program);
  return program;
}

/** Run the CLI and return the exit code (used by tests without spawning a process). */
export async function run(argv: string[]): Promise<number> {
  const program = createProgram();
  program.exitOverride();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CityIndexError) {
      process.stderr.write(`error: invalid input\n${formatIssues(e.issues)}\n`);
      return 1;
    }
    const ce = e as { code?: string; exitCode?: number };
    if (typeof ce.code === 'string' && ce.code.startsWith('commander.')) {
      return ce.code === 'commander.helpDisplayed' || ce.code === 'commander.version' ? 0 : 1;
    }
    process.stderr.write(`internal error: ${(e as Error).stack ?? String(e)}\n`);
    return 2;
  }
}

const invokedDirectly = process.argv[1] && /main\.ts$/.test(process.argv[1]);
if (invokedDirectly) {
  // a command may set a more specific non-zero exit code itself (e.g. `series audit --strict` → 3)
  run(process.argv.slice(2)).then((code) => { if (code !== 0 || !process.exitCode) process.exitCode = code; });
}
