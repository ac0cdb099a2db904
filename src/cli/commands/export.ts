/**
 * `export <project> --out <dir>`: write the project as stored (`.cityindex/store.db` or `DATABASE_URL`)
 * back as a project folder; its build is bit-identical to the original folder's.
 */
import type { Command } from 'commander';
import { systemPrincipal } from '../../store/principal.ts';
import { openProjectStore, storedProject } from './db.ts';

/**
 * Add `export` to the program.
 * @example
 * import { Command } from 'commander';
 * const program = new Command();
 * registerExportCommands(program);
 * program.commands.map((c) => c.name()) // => ['export']
 */
export function registerExportCommands(program: Command): void {
  program
    .command('export')
    .argument('<project>', 'project folder whose store is read')
    .requiredOption('-o, --out <dir>', 'a new or empty folder')
    .description('write the stored project back as a folder / 将数据库中的项目导出为文件夹')
    .action(async (dir: string, opts: { out: string }) => {
      const store = await openProjectStore(dir);
      try {
        const project = await storedProject(store, dir, false);
        const { exportProject } = await import('../../store/project-io.ts');
        const files = await exportProject(store, systemPrincipal('cli'), project, opts.out);
        process.stdout.write(`wrote ${files.length} files to ${opts.out}\n`);
      } finally {
        await store.close();
      }
    });
}
