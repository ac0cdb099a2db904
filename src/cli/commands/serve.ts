/**
 * `serve <project> [--host 127.0.0.1] [--port 8080]`: open (and migrate) the project's store, import the
 * project folder on first start, and serve the JSON API until interrupted.
 */
import type { Command } from 'commander';
import { CityIndexError } from '../../engine/core/errors.ts';
import { openProjectStore, storedProject } from './db.ts';
import { printEvents } from '../progress.ts';

/**
 * A port number from the command line, or a located error.
 * @example parsePort('8080') // => 8080
 * @example parsePort('http') // => throws E_PORT
 */
export function parsePort(text: string): number {
  const n = Number(text);
  if (!/^[0-9]{1,5}$/.test(text) || n < 1 || n > 65535) {
    throw new CityIndexError({
      code: 'E_PORT',
      message: `"${text}" is not a port / 端口无效`,
      field: '--port',
      expected: 'a whole number from 1 to 65535',
    });
  }
  return n;
}

/**
 * The public dashboard of the project folder in memory (the files `export-site` writes): built once at
 * start, so `serve` shows the same site as the static export.
 * @example // no-run: builds the project and its report (seconds); see tests/e2e/site.test.ts
 * (await siteFiles('examples/cdgi-2020')).has('index.html') // => true
 */
export async function siteFiles(dir: string): Promise<Map<string, string | Uint8Array>> {
  const { siteAssetFiles } = await import('./site.ts');
  const { siteArtifacts } = await import('../../app/site.ts');
  const files = new Map<string, string | Uint8Array>();
  const { files: data } = await siteArtifacts(dir, { onEvent: printEvents() });
  for (const [name, content] of [...(await siteAssetFiles()), ...data])
    files.set(name, typeof content === 'function' ? await content() : content);
  return files;
}

/**
 * Add `serve` to the program.
 * @example
 * import { Command } from 'commander';
 * const program = new Command();
 * registerServeCommands(program);
 * program.commands.map((c) => c.name()) // => ['serve']
 */
export function registerServeCommands(program: Command): void {
  program
    .command('serve')
    .argument('<project>', 'project folder (store: <project>/.cityindex/store.db, or DATABASE_URL)')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port', '8080')
    .option('--secure-cookies', 'mark the session cookie Secure (behind HTTPS)')
    .option('--no-site', 'serve the API only, not the public dashboard at /')
    .description('serve the platform API / 启动平台服务')
    .action(async (dir: string, opts: { host: string; port: string; secureCookies?: boolean; site: boolean }) => {
      const port = parsePort(opts.port);
      const store = await openProjectStore(dir);
      try {
        const project = await storedProject(store, dir, true);
        const { createServer } = await import('../../server/app.ts');
        const site = opts.site ? await siteFiles(dir) : undefined;
        const app = await createServer({ store, project, secureCookies: opts.secureCookies, ...(site && { site }) });
        await app.listen({ host: opts.host, port });
        process.stderr.write(
          `cityindex: ${project.name} on http://${opts.host}:${port}/ (API at /api; store ${store.where})\n`,
        );
        if ((await store.userCount()) === 0) {
          process.stderr.write(
            `no accounts yet: CITYINDEX_PASSWORD=… cityindex user add ${dir} --username admin --role admin\n`,
          );
        }
        await new Promise<void>((done) => {
          const stop = () => done();
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
        });
        await app.close();
      } finally {
        await store.close();
      }
    });
}
