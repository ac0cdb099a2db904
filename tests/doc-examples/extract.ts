/**
 * Extract the `@example` blocks of doc comments from a TypeScript source file and turn each into a module
 * that the doc-examples test imports. The convention is documented in `tests/doc-examples.test.ts`.
 */
import { dirname, resolve } from 'node:path';
import ts from 'typescript';
import { type Expected, parseExpected } from './expected.ts';

/** One `@example` block. `lines[k]` is at source line `firstLine + k` (1-based). */
export interface ExampleBlock {
  file: string;
  firstLine: number;
  lines: string[];
  /** The reason given by `// no-run: reason` on the first line; the block is then not run. */
  noRun?: string;
}

/** One `expr // => expected` assertion of a block. */
export interface Assertion {
  line: number;
  expected: Expected;
}

/** A block ready to run: module source (exports `run(check)`) and its assertions, indexed as `check(k, …)`. */
export interface GeneratedExample {
  source: string;
  assertions: Assertion[];
}

const NO_RUN = /^\s*\/\/\s*no-run:\s*(.*)$/;

/** The `@example` blocks of `text` (the content of `file`). */
export function extractExamples(file: string, text: string): ExampleBlock[] {
  const blocks: ExampleBlock[] = [];
  const comment = /\/\*\*([\s\S]*?)\*\//g;
  for (let m = comment.exec(text); m; m = comment.exec(text)) {
    const startLine = text.slice(0, m.index).split('\n').length;
    const body = m[1].split('\n').map((l, k) => (k === 0 ? l : l.replace(/^\s*\* ?/, '')));
    let current: ExampleBlock | undefined;
    body.forEach((line, k) => {
      const at = line.indexOf('@example');
      if (at >= 0) {
        current = { file, firstLine: startLine + k, lines: [line.slice(at + '@example'.length)] };
        blocks.push(current);
      } else if (/^\s*@\w+/.test(line)) {
        current = undefined;
      } else if (current) {
        current.lines.push(line);
      }
    });
  }
  for (const b of blocks) {
    while (b.lines.length > 1 && b.lines[b.lines.length - 1].trim() === '') b.lines.pop();
    const noRun = NO_RUN.exec(b.lines[0]);
    if (noRun) b.noRun = noRun[1].trim();
  }
  return blocks;
}

/**
 * The module for one block. `exportNames` are the runtime exports of the documented file, `fixtureNames`
 * those of the fixtures module; relative imports in the block are resolved from the documented file.
 */
export function generateExample(
  block: ExampleBlock,
  exportNames: readonly string[],
  fixturesPath: string,
  fixtureNames: readonly string[],
): GeneratedExample {
  const imports: string[] = [];
  const body: string[] = [];
  const assertions: Assertion[] = [];
  let pending: string[] = [];
  const where = (k: number): string => `${block.file}:${block.firstLine + k}`;
  block.lines.forEach((line, k) => {
    if (/^\s*import\s/.test(line)) {
      imports.push(
        line.replace(/(['"])(\.\.?\/[^'"]*)\1/, (_s, _q: string, p: string) => {
          return JSON.stringify(resolve(dirname(resolve(block.file)), p));
        }),
      );
      return;
    }
    const arrow = line.indexOf('// =>');
    if (arrow < 0) {
      pending.push(line);
      return;
    }
    pending.push(line.slice(0, arrow));
    const code = pending.join('\n');
    pending = [];
    const parsed = ts.createSourceFile('example.ts', code, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
    const last = parsed.statements.at(-1);
    if (!last || !ts.isExpressionStatement(last)) {
      throw new Error(`${where(k)}: "// =>" must follow an expression (the value to compare)`);
    }
    let expected: Expected;
    try {
      ({ expected } = parseExpected(line.slice(arrow + '// =>'.length)));
    } catch (e) {
      throw new Error(`${where(k)}: cannot read the expected value: ${(e as Error).message}`, { cause: e });
    }
    body.push(code.slice(0, last.getStart(parsed)));
    body.push(`await __check(${assertions.length}, () => (${last.expression.getText(parsed)}));`);
    assertions.push({ line: block.firstLine + k, expected });
  });
  body.push(pending.join('\n'));
  const moduleImport = exportNames.length
    ? `import { ${exportNames.join(', ')} } from ${JSON.stringify(resolve(block.file))};`
    : '';
  const fixtureImport = `import { ${fixtureNames.join(', ')} } from ${JSON.stringify(fixturesPath)};`;
  const source = [
    `// Generated from ${where(0)} by tests/doc-examples.test.ts; do not edit.`,
    '/* eslint-disable */',
    moduleImport,
    fixtureImport,
    ...imports,
    'export async function __runExample(__check: (k: number, thunk: () => unknown) => Promise<void>): Promise<void> {',
    ...body,
    '}',
    '',
  ].join('\n');
  return { source, assertions };
}
