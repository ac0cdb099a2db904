#!/usr/bin/env node
/**
 * cityindex command line. Exit codes: 0 success, 1 invalid input (located errors on stderr),
 * 2 internal error, 3 `series audit --strict` found swapped or inconsistent rows. Progress goes to stderr;
 * stdout carries only requested output.
 */
import { Command } from 'commander';
import { CityIndexError, formatIssues, type Issue } from '../engine/core/errors.ts';

type Register = (program: Command) => void;

/**
 * The command groups, in the order `--help` lists them, each loaded only when its command runs: a
 * group's module pulls in the engine, file formats and (for reports) ECharts, so `cityindex --version`
 * loads none of them and `cityindex survey …` only the survey group.
 */
const COMMAND_GROUPS: readonly { names: readonly string[]; load: () => Promise<Register> }[] = [
  {
    names: ['validate', 'build', 'analyse', 'analyze'],
    load: async () => (await import('./commands/core.ts')).registerCoreCommands,
  },
  { names: ['series'], load: async () => (await import('./commands/series.ts')).registerSeriesCommands },
  { names: ['survey'], load: async () => (await import('./commands/survey.ts')).registerSurveyCommands },
  { names: ['cases'], load: async () => (await import('./commands/cases.ts')).registerCaseCommands },
  {
    names: ['cases-log'],
    load: async () => (await import('./commands/cases-log.ts')).registerCaseLogCommands,
  },
  { names: ['serve'], load: async () => (await import('./commands/serve.ts')).registerServeCommands },
  { names: ['db', 'user', 'audit'], load: async () => (await import('./commands/db.ts')).registerDbCommands },
  { names: ['export-site'], load: async () => (await import('./commands/site.ts')).registerSiteCommands },
  { names: ['export'], load: async () => (await import('./commands/export.ts')).registerExportCommands },
];

/**
 * The `cityindex` program with the commands that `argv` needs registered: only the named command's
 * group when a command is named, none for `--version`, every command otherwise (help, unknown commands).
 * @example
 * const all = await createProgram();
 * all.commands.map((c) => c.name()).slice(0, 3) // => ['validate', 'build', 'analyse']
 * const version = await createProgram(['--version']);
 * version.commands.length // => 0
 * const cases = await createProgram(['cases', 'examples/cdgi-2020']);
 * cases.commands.map((c) => c.name()) // => ['cases']
 */
export async function createProgram(argv: readonly string[] = []): Promise<Command> {
  const program = new Command();
  program
    .name('cityindex')
    .description('Composite indices for cities: build, analyse, report / 城市综合指数：构建、分析、报告')
    .version('0.1.0')
    .showHelpAfterError();
  const named = argv.find((a) => !a.startsWith('-'));
  const group = COMMAND_GROUPS.find((g) => named !== undefined && g.names.includes(named));
  const versionOnly = named === undefined && argv.length > 0 && argv.every((a) => a === '--version' || a === '-V');
  const groups = group ? [group] : versionOnly ? [] : COMMAND_GROUPS;
  for (const register of await Promise.all(groups.map((g) => g.load()))) register(program);
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
 * error, or the code a command asked for (`series audit --strict` with findings: 3). Used by tests without
 * spawning a process; `process.exitCode` is left as it was.
 * @example
 * import { run as runCli } from './main.ts';
 * const exitCode = await runCli(['validate', 'examples/asem']); // the doc-example harness has its own `run`
 * exitCode // => 0
 */
export async function run(argv: string[]): Promise<number> {
  const program = await createProgram(argv);
  // every command, not only the root: commander would call process.exit for a subcommand's usage error
  const override = (c: Command): void => {
    c.exitOverride();
    c.commands.forEach(override);
  };
  override(program);
  const before = process.exitCode;
  try {
    // a command may ask for a more specific code by setting process.exitCode (`series audit --strict` → 3)
    process.exitCode = undefined;
    await program.parseAsync(argv, { from: 'user' });
    const own = Number(process.exitCode ?? 0);
    return Number.isInteger(own) && own > 0 ? own : 0;
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
  } finally {
    process.exitCode = before;
  }
}

const invokedDirectly = process.argv[1] && /main\.[jt]s$/.test(process.argv[1]);
if (invokedDirectly) {
  run(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
