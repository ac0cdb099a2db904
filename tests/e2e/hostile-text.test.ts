/**
 * Issue 10 item 5, text from hostile inputs, through the CLI in-process:
 * - NUL characters in an input file are refused when it is read, and stripped from text written out;
 * - a 10 MB cell quoted in an error message is cut, so the error line stays short.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../src/cli/main.ts';
import { safeText } from '../../src/formats/safe-text.ts';
import { escapeHtml } from '../../src/report/markdown.ts';

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'ci-hostile-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function cli(argv: string[]): Promise<{ code: number; stderr: string }> {
  const write = process.stderr.write;
  let stderr = '';
  process.stderr.write = ((s: string | Uint8Array) => {
    stderr += String(s);
    return true;
  }) as typeof process.stderr.write;
  try {
    return { code: await run(argv), stderr };
  } finally {
    process.stderr.write = write;
  }
}

/** examples/asem copied, with `edit` applied to one of its files. */
function asemWith(name: string, file: string, edit: (text: string) => string): string {
  const dir = join(root, name);
  cpSync('examples/asem', dir, { recursive: true });
  writeFileSync(join(dir, file), edit(readFileSync(join(dir, file), 'utf8')));
  return dir;
}

describe('NUL characters from inputs', () => {
  it('are refused when a file is read (located: file and line), and nothing is written', async () => {
    const dir = asemWith('nul', 'ASEM_iData.csv', (t) => t.replace('"Austria"', '"Aus\u0000tria"'));
    const out = join(root, 'nul-out');
    const r = await cli(['build', dir, '--out', out, '--format', 'xlsx,html', '--no-analyses']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/ASEM_iData\.csv:\d+: .*\[E_NUL\]/);
    expect(r.stderr.includes('\u0000')).toBe(false);
    expect(existsSync(out)).toBe(false);
  }, 120_000);

  it('are stripped from text written to results and reports (defence in depth)', () => {
    expect(safeText('Aus\u0000tria')).toBe('Austria');
    expect(escapeHtml('Aus\u0000tria')).toBe('Austria');
  });
});

describe('long values quoted in messages', () => {
  it('a 10 MB cell gives a short, located error line', async () => {
    const huge = 'x'.repeat(10_000_000);
    const dir = asemWith('huge', 'ASEM_iMeta.csv', (t) => t.replace('"Physical","Indicator"', `"Physical","${huge}"`));
    const r = await cli(['validate', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr.length).toBeLessThan(4000);
    expect(r.stderr).toContain(`"${'x'.repeat(80)}… (10000000 characters)"`);
    expect(r.stderr).toMatch(/ASEM_iMeta\.csv:2 column "Type": unknown Type "x+… \(10000000 characters\)"/);
  }, 120_000);
});
