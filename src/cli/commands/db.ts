/**
 * Store commands: `db migrate <project>`, `db import <project>`, `user add <project> --username … --role …`
 * and `audit verify <project>`. The store is `<project>/.cityindex/store.db`, or PostgreSQL when
 * `DATABASE_URL` is set. The password of `user add` comes from `CITYINDEX_PASSWORD` or standard input,
 * never from the command line (it would stay in the shell history and the process list).
 */
import { statSync } from 'node:fs';
import { resolve, basename } from 'node:path';
import type { Command } from 'commander';
import { CityIndexError } from '../../engine/core/errors.ts';
import { systemPrincipal } from '../../store/principal.ts';
import type { ProjectInfo, Store } from '../../store/store.ts';

/** The store modules, loaded on first use (the database drivers are not loaded for other commands). */
const storeModules = async () => ({
  ...(await import('../../store/store.ts')),
  ...(await import('../../store/connect.ts')),
  ...(await import('../../store/migrations.ts')),
  ...(await import('../../store/project-io.ts')),
});

/** The store of a project folder, migrated. */
export async function openProjectStore(dir: string): Promise<Store> {
  requireFolder(dir);
  const { Store, storeLocation } = await storeModules();
  return Store.open(storeLocation(dir, process.env));
}

/** Refuse a path that is not a folder (checked first: opening the SQLite store would create it). */
function requireFolder(dir: string): void {
  if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory()) {
    throw new CityIndexError({
      code: 'E_PROJECT_NOT_FOUND',
      message: 'no such project folder / 找不到项目文件夹',
      file: dir,
      expected: 'a project folder holding project.yaml',
    });
  }
}

/** The project of folder `dir` in the store (its slug is the folder's name), imported first when `importIfMissing`. */
export async function storedProject(store: Store, dir: string, importIfMissing: boolean): Promise<ProjectInfo> {
  const slug = basename(resolve(dir));
  const found = await store.projectBySlug(slug);
  if (found) return found;
  const { importProjectFolder } = await storeModules();
  if (importIfMissing) return importProjectFolder(store, systemPrincipal('cli'), dir, { slug });
  throw new CityIndexError({
    code: 'E_NOT_IMPORTED',
    message: `project "${slug}" is not in the store ${store.where} / 项目尚未导入`,
    file: dir,
    expected: 'a project imported with `cityindex db import` or `cityindex serve`',
  });
}

/** Read all of standard input as text (the password of `user add`). */
async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/**
 * Add `db migrate|import`, `user add` and `audit verify` to the program.
 * @example
 * import { Command } from 'commander';
 * const program = new Command();
 * registerDbCommands(program);
 * program.commands.map((c) => c.name()) // => ['db', 'user', 'audit']
 */
export function registerDbCommands(program: Command): void {
  const db = program.command('db').description('the platform store / 平台数据库');
  db.command('migrate')
    .argument('<project>', 'project folder (store: <project>/.cityindex/store.db, or DATABASE_URL)')
    .description('create or update the store tables / 创建或升级数据库表')
    .action(async (dir: string) => {
      requireFolder(dir);
      const { openDatabase, storeLocation, migrateStore } = await storeModules();
      const conn = openDatabase(storeLocation(dir, process.env));
      try {
        const applied = await migrateStore(conn.db, conn.dialect);
        process.stdout.write(
          applied.length ? `applied ${applied.join(', ')} to ${conn.where}\n` : `${conn.where} is up to date\n`,
        );
      } finally {
        await conn.db.destroy();
      }
    });
  db.command('import')
    .argument('<project>', 'project folder')
    .description('import the project folder into the store / 将项目导入数据库')
    .action(async (dir: string) => {
      const store = await openProjectStore(dir);
      try {
        const p = await storedProject(store, dir, true);
        process.stdout.write(`project ${p.slug} (id ${p.id}) is in ${store.where}\n`);
      } finally {
        await store.close();
      }
    });
  program
    .command('user')
    .description('accounts / 账户')
    .command('add')
    .argument('<project>', 'project folder')
    .requiredOption('--username <name>', 'user name')
    .requiredOption('--role <role>', 'admin, author, reviewer, city, expert or reader')
    .option('--city <adcode...>', 'units a city user may submit for')
    .description('add an account; password from CITYINDEX_PASSWORD or stdin / 添加账户')
    .action(async (dir: string, opts: { username: string; role: string; city?: string[] }) => {
      const password = process.env.CITYINDEX_PASSWORD ?? (await readStdin());
      const store = await openProjectStore(dir);
      try {
        const project = await storedProject(store, dir, true);
        const user = await store.createUser(systemPrincipal('cli'), {
          username: opts.username,
          password,
          role: opts.role,
          projectId: project.id,
          cities: opts.city,
        });
        process.stdout.write(
          `added ${user.username} (${user.role}${user.cities.length ? ': ' + user.cities.join(', ') : ''})\n`,
        );
      } finally {
        await store.close();
      }
    });
  program
    .command('audit')
    .description('the audit log / 审计日志')
    .command('verify')
    .argument('<project>', 'project folder')
    .description('check the hash chain of the audit log / 校验审计日志哈希链')
    .action(async (dir: string) => {
      const store = await openProjectStore(dir);
      try {
        const v = await store.verifyAudit(systemPrincipal('cli'));
        if (!v.ok) {
          throw new CityIndexError({
            code: 'E_AUDIT_BROKEN',
            message: `audit log fails at row ${v.brokenAt}: ${v.reason} / 审计日志被篡改`,
            row: v.brokenAt,
            expected: 'an unmodified hash chain',
          });
        }
        process.stdout.write(`audit log intact: ${v.rows} rows / 审计日志完整\n`);
      } finally {
        await store.close();
      }
    });
}
