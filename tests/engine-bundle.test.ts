/**
 * The engine in a browser: the bundle a web page gets stays within its budget (150 kB gzip for the live
 * path, 160 kB for the whole engine with every analysis; esbuild minified, as a production build would
 * ship it), and the browser path re-builds from a checked spec without running zod — bit-identical to
 * `build`. The whole engine's budget was 150 kB until exact sums, COINr's Nelder–Mead, rates and the
 * data-quality module took it to 152.7 kB (ml-matrix, for PCA, is 70 kB of it before gzip).
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { build as esbuild } from 'esbuild';
import { gzipSync } from 'node:zlib';
import { loadProject, type LoadedProject } from '../src/formats/project.ts';
import { BuildSpecSchema, type BuildSpec } from '../src/engine/spec/spec.ts';
import { build, buildChecked, checkedSpec, regenerate, regenerateChecked } from '../src/engine/pipeline/build.ts';

const BUDGET = 150_000;
const ENGINE_BUDGET = 160_000;

async function gzipSize(entry: string): Promise<{ bytes: number; inputs: string[] }> {
  const r = await esbuild({
    entryPoints: [entry],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    minify: true,
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  return { bytes: gzipSync(r.outputFiles[0].contents).length, inputs: Object.keys(r.metafile.inputs) };
}

describe('browser bundle budget', () => {
  it('cityindex/browser (the live path of the dashboard) ≤ 150 kB gzip', async () => {
    const { bytes, inputs } = await gzipSize('src/engine/browser.ts');
    expect(bytes).toBeLessThanOrEqual(BUDGET);
    // the engine only: no outer layer reached the bundle
    expect(inputs.filter((f) => /src\/(formats|report|app|cli)\//.test(f))).toEqual([]);
  }, 60_000);

  it('the whole engine (cityindex) ≤ 160 kB gzip', async () => {
    expect((await gzipSize('src/engine/index.ts')).bytes).toBeLessThanOrEqual(ENGINE_BUDGET);
  }, 60_000);
});

describe('building from a checked spec', () => {
  let asem: LoadedProject;
  beforeAll(async () => {
    asem = await loadProject('examples/asem');
  });

  it('runs no zod and gives the same bits as build(); regenerating on a changed weight too', () => {
    const spec = checkedSpec(asem.spec, asem.input.framework);
    const parse = vi.spyOn(BuildSpecSchema, 'safeParse');
    try {
      const fast = buildChecked(asem.input, spec);
      const reweighted: BuildSpec = {
        ...asem.spec,
        steps: [
          ...asem.spec.steps.slice(0, -1),
          {
            id: 'w',
            kind: 'weight',
            options: { level: 3, weighting: { method: 'manual', weights: { Conn: 2, Sust: 1 } } },
          },
          asem.spec.steps.at(-1)!,
        ],
      };
      const checked = checkedSpec(reweighted, asem.input.framework);
      const calls = parse.mock.calls.length;
      const again = regenerateChecked(fast, checked);
      expect(parse.mock.calls.length).toBe(calls); // no validation in the re-build
      parse.mockRestore();
      const ref = build(asem.input, asem.spec);
      expect(Buffer.from(fast.results.scores.values.buffer).equals(Buffer.from(ref.results.scores.values.buffer))).toBe(
        true,
      );
      const refAgain = regenerate(ref, reweighted);
      expect(
        Buffer.from(again.results.scores.values.buffer).equals(Buffer.from(refAgain.results.scores.values.buffer)),
      ).toBe(true);
      expect(again.steps[0]).toBe(fast.steps[0]); // steps before the change are reused
    } finally {
      parse.mockRestore();
    }
  });

  it('checkedSpec refuses an invalid spec with every issue', () => {
    const bad = {
      version: 1,
      steps: [
        { id: 'n', kind: 'normalise', options: { method: 'minMax', range: [5, 1] } },
        { id: 'n', kind: 'aggregate' },
      ],
    } as unknown as BuildSpec;
    expect(() => checkedSpec(bad, asem.input.framework)).toThrow(/upper bound must exceed lower bound/);
  });
});
