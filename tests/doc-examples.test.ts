/**
 * Every `@example` in the doc comments of the folders in `EXAMPLE_FOLDERS` is run, and its `// =>` results
 * are checked. A wrong example is a doc bug; an example that exposes a bug in the code is reported, not
 * bent to the code's output.
 *
 * The convention (ARCHITECTURE.md, "Doc examples"):
 * - An example is the text after `@example` up to the next `@tag` or the end of the comment (leading
 *   ` * ` stripped). Each block is TypeScript run as the body of an async function in its own module.
 * - In scope: every runtime export of the documented file, and the fixtures of
 *   `tests/doc-examples/fixtures.ts` — `asem` (`examples/asem`: `asem.input`, `asem.spec`, `asem.build`),
 *   `cases` (the case library of `cases/`) and `pysal` (libpysal's example data of esda's tests:
 *   `pysal.stl`, `pysal.book`, `pysal.desmith`, each `{ y, w }`). Anything else is imported on a line of
 *   its own at the start of the block, with a path relative to the documented file (or a package name):
 *   `import { createRng } from '../core/rng.ts';`. Small data is written inline.
 * - `expr // => expected` asserts that `expr` (the last statement before `// =>`, which may start on an
 *   earlier line) equals `expected`, a JavaScript literal:
 *   - a number equals to rounding noise (|actual − expected| ≤ 1e-12 · max(1, |expected|)); a number
 *     ending in `…` (or `...`) gives leading digits: |actual − expected| < one unit of its last digit;
 *     a fraction of two numbers (`2/3`) is a number; `NaN`, `Infinity`, `-Infinity` as written;
 *   - `'text'` / `"text"`, `true`, `false`, `null`, `undefined` exactly;
 *   - `[a, b]` matches an array or typed array item by item; `Float64Array [a, b]` (any typed array
 *     name) also checks the type; `[a, b, …]` checks the first items only;
 *   - `{ k: v }` matches an object with exactly these keys; `{ k: v, … }` with at least these keys;
 *   - `throws E_CODE` asserts that `expr` throws a `CityIndexError` with an issue of that code.
 *   Text after the literal, separated by a space, is a remark: `// => 0.3 (48 / 160)`.
 * - Every block shows at least one result with `// =>` (a block that only runs documents nothing).
 * - A block that cannot run (it needs files, a browser, a network) starts with `// no-run: reason`.
 *   Such blocks are counted and listed by this test; keep them rare.
 * Each block is written to `out/doc-examples/` (git-ignored) and imported; a failure names the source
 * file and line of the example. After this test, `npx tsc -p tests/doc-examples` type-checks those modules.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CityIndexError } from '../src/engine/core/errors.ts';
import { compare } from './doc-examples/expected.ts';
import { type ExampleBlock, extractExamples, generateExample } from './doc-examples/extract.ts';

/** The folders (or files) whose doc examples are run: all of `src/`. */
export const EXAMPLE_FOLDERS = [
  'src',
  // the dashboard's pure modules (its views need a browser: tests/e2e/site.test.ts)
  'web/src/route.ts',
  'web/src/table.ts',
  'web/src/cases.ts',
  'web/src/classes.ts',
  'web/src/site.ts',
  // the workbench's pure modules (its views: tests/e2e/workbench.test.ts)
  'web/src/workbench/text.ts',
  'web/src/workbench/api.ts',
  'web/src/workbench/context.ts',
  'web/src/workbench/figures.ts',
  'web/src/choices.ts',
  'web/src/regional.ts',
];

const ROOT = resolve(import.meta.dirname, '..');
const OUT = join(ROOT, 'out/doc-examples');
const FIXTURES = join(ROOT, 'tests/doc-examples/fixtures.ts');

/** The source files under a folder (or the file itself), test files left out. */
function sources(dir: string): string[] {
  if (dir.endsWith('.ts')) return [dir];
  return readdirSync(dir)
    .sort()
    .flatMap((f) => {
      const p = join(dir, f);
      if (statSync(p).isDirectory()) return sources(p);
      return p.endsWith('.ts') && !p.endsWith('.test.ts') ? [p] : [];
    });
}

const blocks: ExampleBlock[] = EXAMPLE_FOLDERS.flatMap((folder) => sources(join(ROOT, folder))).flatMap((p) =>
  extractExamples(relative(ROOT, p), readFileSync(p, 'utf8')),
);
const runnable = blocks.filter((b) => b.noRun === undefined);
const notRun = blocks.filter((b) => b.noRun !== undefined);

rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });

describe('doc examples', () => {
  it(`every block is runnable or opts out with a reason (${runnable.length} run, ${notRun.length} not run)`, () => {
    for (const b of notRun) console.info(`not run: ${b.file}:${b.firstLine} — ${b.noRun}`);
    expect(notRun.filter((b) => !b.noRun).map((b) => `${b.file}:${b.firstLine}`)).toEqual([]);
    expect(runnable.length).toBeGreaterThan(0);
  });

  it('every runnable block shows at least one result (`// =>`)', () => {
    const silent = runnable.filter((b) => !b.lines.some((l) => l.includes('// =>')));
    expect(silent.map((b) => `${b.file}:${b.firstLine}`)).toEqual([]);
  });

  const exportsOf = new Map<string, Promise<string[]>>();
  const fixtureNames = import(pathToFileURL(FIXTURES).href).then((m: object) => Object.keys(m));

  it.each(runnable.map((b) => [`${b.file}:${b.firstLine}`, b] as const))('%s', async (where, block) => {
    let names = exportsOf.get(block.file);
    if (!names) {
      names = import(pathToFileURL(join(ROOT, block.file)).href).then((m: object) => Object.keys(m));
      exportsOf.set(block.file, names);
    }
    const exported = await names;
    const fixtures = (await fixtureNames).filter((f) => !exported.includes(f));
    const generated = generateExample(block, exported, FIXTURES, fixtures);
    const modulePath = join(OUT, `${where.replace(/[/:.]/g, '_')}.ts`);
    writeFileSync(modulePath, generated.source);
    const mod = (await import(pathToFileURL(modulePath).href)) as {
      __runExample: (check: (k: number, thunk: () => unknown) => Promise<void>) => Promise<void>;
    };
    const failures: string[] = [];
    await mod.__runExample(async (k, thunk) => {
      const { line, expected } = generated.assertions[k];
      const at = `${block.file}:${line}`;
      if (expected.kind === 'throws') {
        try {
          await thunk();
          failures.push(`${at}: expected to throw ${expected.code}, but it returned`);
        } catch (e) {
          const codes = e instanceof CityIndexError ? e.issues.map((issue) => issue.code) : [];
          if (!codes.includes(expected.code))
            failures.push(`${at}: expected to throw ${expected.code}, threw ${String(e)}`);
        }
        return;
      }
      let actual: unknown;
      try {
        actual = await thunk();
      } catch (e) {
        failures.push(`${at}: threw ${String(e)}`);
        return;
      }
      failures.push(...compare(actual, expected).map((d) => `${at}: ${d}`));
    });
    if (failures.length) throw new Error(failures.join('\n'));
  });
});
