/**
 * `serve <project> [--host 127.0.0.1] [--port 8080]`: open (and migrate) the project's store, import the
 * project folder on first start, and serve the JSON API and the public site of the latest published
 * edition (server/edition-site.ts) until interrupted.
 */
import type { Command } from 'commander';
import { CityIndexError } from '../../engine/core/errors.ts';
import { openProjectStore, storedProject } from './db.ts';

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

/** The dashboard page's own files (index.html, assets/…) in memory, without any data. */
async function siteAssets(): Promise<Map<string, string | Uint8Array>> {
  const { siteAssetFiles } = await import('./site.ts');
  const files = new Map<string, string | Uint8Array>();
  for (const [name, content] of await siteAssetFiles())
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
        // the public site: the page's assets now, each published edition's data once, on its publish
        const editionSite = opts.site ? { assets: await siteAssets() } : undefined;
        const app = await createServer({
          store,
          project,
          secureCookies: opts.secureCookies,
          ...(editionSite && { editionSite }),
        });
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
