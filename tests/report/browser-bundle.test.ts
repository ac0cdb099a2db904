/**
 * The report model and its charts run in a browser: bundling `model.ts` (findings, chart options,
 * catalogue) and `charts.ts` (ECharts options, SVG rendering, the China map registered from data passed
 * in) for platform "browser" must succeed with every Node built-in forbidden.
 */
import { describe, expect, it } from 'vitest';
import { build } from 'esbuild';

const NODE_BUILTINS =
  /^(node:|fs$|fs\/promises$|path$|os$|crypto$|child_process$|worker_threads$|url$|stream$|util$|module$)/;

describe('report model in the browser', () => {
  it('bundles model.ts and charts.ts for the browser with no Node built-in', async () => {
    const result = await build({
      entryPoints: ['src/report/model.ts', 'src/report/charts.ts', 'src/engine/i18n/index.ts'],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      logLevel: 'silent',
      outdir: 'out/browser-bundle-test',
      splitting: true,
      plugins: [
        {
          name: 'forbid-node',
          setup(b) {
            b.onResolve({ filter: NODE_BUILTINS }, (a) => ({
              errors: [{ text: `browser report code imports Node built-in "${a.path}" from ${a.importer}` }],
            }));
          },
        },
      ],
    });
    expect(result.errors).toEqual([]);
    const text = result.outputFiles.map((f) => f.text).join('\n');
    expect(text).not.toMatch(/readFileSync|import\.meta\.url/);
    expect(text.length).toBeGreaterThan(1000);
  }, 60_000);
});
