#!/usr/bin/env node
/**
 * cityindex command line. Exit codes: 0 success, 1 invalid input (located errors on stderr),
 * 2 internal error. Progress goes to stderr; stdout carries only requested output.
 */
import { Command } from 'commander';
import { CityIndexError, formatIssues, type Issue } from '../engine/core/errors.ts';
import { registerCoreCommands } from './commands/core.ts';
import { registerSeriesCommands } from './commands/series.ts';
import { registerSurveyCommands } from './commands/survey.ts';
import { registerCaseCommands } from './commands/cases.ts';
import { registerDbCommands } from './commands/db.ts';
import { registerExportCommands } from './commands/export.ts';
import { registerServeCommands } from './commands/serve.ts';

/**
 * The `cityindex` program with every command registered.
 * @example createProgram().commands.map((c) => c.name()).slice(0, 3) // => ['validate', 'build', 'analyse']
 */
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
  registerServeCommands(program);
  registerDbCommands(program);
  registerExportCommands(program);
  return program;
}

/**
 * The stderr text for invalid input: a count line (English / Chinese), the errors, then any warnings
 * that travelled with them (they often explain the errors, e.g. a column ignored because of a typo).
 * @example
 * formatInputError([{ code: 'E_X', message: 'bad', file: 'a.csv', row: 2 }])
 * // => 'error: invalid input: 1 problem / 输入有误：1 处问题\na.csv:2: bad [E_X]'
 */
export function formatInputError(issues: readonly Issue[]): string {
  const errors = issues.filter((i) => i.severity !== 'warning');
  const warnings = issues.filter((i) => i.severity === 'warning');
  const n = errors.length;
  const lines = [
    `error: invalid input: ${n} problem${n === 1 ? '' : 's'} / 输入有误：${n} 处问题`,
    formatIssues(errors),
  ];
  if (warnings.length) lines.push(...warnings.map((w) => `warning: ${formatIssues([w])}`));
  return lines.join('\n');
}

const FS_CODES = new Map<string, string>([
  ['ENOENT', 'not found / 找不到'],
  ['EACCES', 'permission denied / 无权限'],
  ['EPERM', 'operation not permitted / 不允许的操作'],
  ['EISDIR', 'is a folder, not a file / 是文件夹而不是文件'],
  ['ENOTDIR', 'a part of the path is a file, not a folder / 路径中有一段不是文件夹'],
  ['EEXIST', 'already exists / 已存在'],
  ['ENOSPC', 'no space left on the disk / 磁盘空间不足'],
  ['EROFS', 'read-only file system / 只读文件系统'],
]);

/**
 * A file-system error (missing, unreadable or unwritable path) as a located issue: it is caused by
 * the user's files or disk, not by a bug, so the CLI exits 1 rather than 2.
 * @example fileSystemIssue(Object.assign(new Error('x'), { code: 'ENOENT', path: 'a.csv' }))?.file // => 'a.csv'
 */
export function fileSystemIssue(e: unknown): Issue | undefined {
  const err = e as NodeJS.ErrnoException | undefined;
  if (!err || typeof err !== 'object' || typeof err.code !== 'string') return undefined;
  const what = FS_CODES.get(err.code);
  if (what === undefined) return undefined;
  const message = `${err.path ? '' : 'a file: '}${what}${err.syscall ? ` (${err.syscall})` : ''}`;
  const expected = 'an existing, readable file or a writable folder';
  return { code: `E_${err.code}`, message, file: err.path, expected };
}

/**
 * Run the CLI and return the exit code: 0 success, 1 invalid input (located errors on stderr), 2 internal
 * error. Used by tests without spawning a process.
 * @example
 * import { run as runCli } from './main.ts';
 * const exitCode = await runCli(['validate', 'examples/asem']); // the doc-example harness has its own `run`
 * exitCode // => 0
 */
export async function run(argv: string[]): Promise<number> {
  const program = createProgram();
  program.exitOverride();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CityIndexError) {
      process.stderr.write(formatInputError(e.issues) + '\n');
      return 1;
    }
    const fsError = fileSystemIssue(e);
    if (fsError) {
      process.stderr.write(formatInputError([fsError]) + '\n');
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

const invokedDirectly = process.argv[1] && /main\.[jt]s$/.test(process.argv[1]);
if (invokedDirectly) {
  // a command may set a more specific non-zero exit code itself (e.g. `series audit --strict` → 3)
  run(process.argv.slice(2)).then((code) => {
    if (code !== 0 || !process.exitCode) process.exitCode = code;
  });
}
