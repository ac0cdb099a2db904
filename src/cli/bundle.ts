/**
 * Build step (run by `npm run build:dist` after tsc): the compiled CLI (dist/cli/main.js) bundled by esbuild
 * into dist/cli-bundle/ — one ES module per command group and shared chunks instead of ~450 files, so a
 * command no longer spends most of its start-up resolving, reading and compiling modules one by one
 * (issue 16, target 1). Libraries that are native, large, read files beside themselves or load only for
 * one command stay outside the bundle and load from node_modules as before. bin/cityindex.js runs the
 * bundle when it exists and is up to date, else dist/cli/main.js.
 *
 * The chunks sit two folders below the package root like every dist/<layer>/ file, so the paths that code
 * finds from `import.meta.url` (the China map, package.json, web/dist) resolve the same.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'esbuild';

/** Packages bundled into the CLI: pure JavaScript, loaded by the common commands (build, validate, analyse). */
export const BUNDLED_PACKAGES: ReadonlySet<string> = new Set([
  'commander',
  'zod',
  'yaml',
  'csv-parse',
  'csv-stringify',
  'fflate',
  'cli-progress',
  'ml-matrix',
  'pure-rand',
  'topojson-client',
  'jstat',
]);

/**
 * The package a bare import specifier names (`@scope/name` or `name`), or undefined for a relative,
 * absolute or `node:` specifier.
 * @example
 * packageOf('zod/v4/core') // => 'zod'
 * packageOf('@fastify/multipart') // => '@fastify/multipart'
 * packageOf('./core.js') // => undefined
 */
export function packageOf(specifier: string): string | undefined {
  if (/^(\.|\/|node:)/.test(specifier)) return undefined;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Every package outside BUNDLED_PACKAGES stays an import of node_modules. */
const externals: Plugin = {
  name: 'cityindex-externals',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (a) => {
      const pkg = packageOf(a.path);
      return pkg !== undefined && !BUNDLED_PACKAGES.has(pkg) ? { path: a.path, external: true } : undefined;
    });
  },
};

/**
 * zod's classic entry re-exports every locale (about 50 files, 0.5 MB) as `z.locales`; the CLI never reads
 * them (issues become our own located messages) and zod configures English itself, so only `en` is kept.
 */
const zodEnglishOnly: Plugin = {
  name: 'cityindex-zod-english-only',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (a) =>
      /[\\/]zod[\\/]v4[\\/]classic[\\/]/.test(a.importer)
        ? { path: join(a.resolveDir, '..', 'locales', 'index.js'), namespace: 'zod-locales' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (a) => ({
      contents: "export { default as en } from './en.js';",
      resolveDir: join(a.path, '..'),
      loader: 'js',
    }));
  },
};

/**
 * Bundle `dist/cli/main.js` into `dist/cli-bundle/` (replaced whole).
 * @example // no-run: replaces dist/cli-bundle/ (npm run build:dist runs it; tests/e2e/launcher.test.ts)
 * await bundleCli('.');
 * existsSync('dist/cli-bundle/main.js') // => true
 */
export async function bundleCli(root: string): Promise<void> {
  const { build } = await import('esbuild');
  const outdir = join(root, 'dist', 'cli-bundle');
  rmSync(outdir, { recursive: true, force: true });
  await build({
    entryPoints: [join(root, 'dist', 'cli', 'main.js')],
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    minifySyntax: true,
    minifyWhitespace: true,
    legalComments: 'none',
    logLevel: 'warning',
    plugins: [externals, zodEnglishOnly],
    // bundled CommonJS packages (yaml, csv-*, cli-progress) call require() for Node's own modules:
    // one `require` per chunk, made from the chunk's own URL
    banner: {
      js:
        "import { createRequire as __cityindexRequire } from 'node:module'; " +
        'const require = __cityindexRequire(import.meta.url);',
    },
  });
}

if (process.argv[1] && /[\\/]cli[\\/]bundle\.[jt]s$/.test(process.argv[1])) {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  try {
    await bundleCli(root);
  } catch (e) {
    // no esbuild (an install without devDependencies): the launcher runs dist/cli/main.js instead
    rmSync(join(root, 'dist', 'cli-bundle'), { recursive: true, force: true });
    process.stderr.write(`cli bundle not built (${(e as Error).message.split('\n')[0]}); dist/cli/ is used\n`);
  }
}
