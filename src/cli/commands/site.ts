/**
 * `export-site <project> --out <dir>`: build the project (with its analyses) and write the public
 * dashboard as a static site: the page's assets (built by Vite into web/dist by `npm run build:web`,
 * which `prepare` runs; built here on demand when missing), `data/site-data.js`, `data/china-map.js`
 * and `downloads/`. The folder works from any static host or opened from files, with no server.
 */
import type { Command } from 'commander';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { spawnSync } from 'node:child_process';
import { CityIndexError } from '../../engine/core/errors.ts';
import type { OutputFiles } from '../../formats/output.ts';
import { log, printEvents } from '../progress.ts';

/** The package root: the nearest folder above this file with a package.json (src/cli/commands, dist/cli-bundle). */
function packageRoot(): string {
  let dir = resolve(fileURLToPath(new URL('.', import.meta.url)));
  while (!existsSync(join(dir, 'package.json')) && resolve(dir, '..') !== dir) dir = resolve(dir, '..');
  return dir;
}

const PACKAGE_ROOT = packageRoot();

/** Where the built assets of the dashboard are (web/dist of this package). */
export const SITE_ASSETS = join(PACKAGE_ROOT, 'web', 'dist');

/** Files of the built assets the site needs; export-site refuses to write a site without them. */
export const REQUIRED_ASSETS = [
  'index.html',
  'assets/app.js',
  'assets/app.css',
  'assets/charts.js',
  'assets/engine.js',
  'assets/workbench.js',
  'assets/workbench.css',
];

/**
 * The built dashboard assets as files in memory (relative names with `/`), building them first with
 * Vite when they are missing (a fresh clone whose `prepare` did not run).
 * @example
 * const files = await siteAssetFiles();
 * files.has('assets/app.js') // => true
 */
export async function siteAssetFiles(dir = SITE_ASSETS): Promise<OutputFiles> {
  if (!REQUIRED_ASSETS.every((f) => existsSync(join(dir, f)))) {
    log('building the dashboard assets (npm run build:web)');
    // a child process: web/ is outside src/ (the compiled CLI in dist/ cannot import it)
    const root = PACKAGE_ROOT;
    const tsx = pathToFileURL(join(root, 'node_modules', 'tsx', 'dist', 'esm', 'index.mjs')).href;
    const r = spawnSync(process.execPath, ['--import', tsx, join(root, 'web', 'build.ts')], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    if (r.status !== 0 || !REQUIRED_ASSETS.every((f) => existsSync(join(dir, f)))) {
      const why = (r.stderr || r.error?.message || `exit code ${r.status}`).trim().split('\n').slice(-3).join(' ');
      throw new CityIndexError({
        code: 'E_SITE_ASSETS',
        message: `the dashboard assets are missing in ${dir} and could not be built: ${why}`,
        expected: 'npm install (its prepare step runs npm run build:web), or npm run build:web',
      });
    }
  }
  const files: OutputFiles = new Map();
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (name.startsWith('.')) continue;
      if (statSync(p).isDirectory()) walk(p);
      else files.set(relative(dir, p).split(sep).join('/'), new Uint8Array(readFileSync(p)));
    }
  };
  walk(dir);
  return files;
}

/**
 * Add `export-site` to the program.
 * @example
 * import { Command } from 'commander';
 * const program = new Command();
 * registerSiteCommands(program);
 * program.commands.map((c) => c.name()) // => ['export-site']
 */
export function registerSiteCommands(program: Command): void {
  program
    .command('export-site')
    .argument('<project>', 'project folder')
    .requiredOption('-o, --out <dir>', 'output folder (a new folder, or one written by export-site before)')
    .option('--no-downloads', 'leave out the results, workbook, report and project downloads')
    .option('--pdf', 'also print the report to PDF for the downloads (needs Chromium)')
    .description('write the public dashboard as a static site / 导出公开网站（静态文件）')
    .action(async (dir: string, opts: { out: string; downloads: boolean; pdf?: boolean }) => {
      const t0 = performance.now();
      const assets = await siteAssetFiles();
      const { siteArtifacts } = await import('../../app/site.ts');
      const { checkOutputFolder, writeArtifacts } = await import('../../app/node-host.ts');
      await checkOutputFolder(opts.out, [...assets.keys(), 'data/site-data.js', 'data/china-map.js']);
      const { files } = await siteArtifacts(dir, {
        downloads: opts.downloads,
        pdf: opts.pdf === true,
        onEvent: printEvents(),
      });
      for (const [name, content] of assets) files.set(name, content);
      log(`writing ${files.size} files to ${opts.out}`);
      await writeArtifacts(opts.out, files);
      log(`done in ${((performance.now() - t0) / 1000).toFixed(2)} s — open ${join(opts.out, 'index.html')}`);
      process.stdout.write(`${resolve(opts.out, 'index.html')}\n`);
    });
}
