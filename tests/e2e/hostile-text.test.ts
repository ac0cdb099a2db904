/**
 * Issue 10 item 5, text from hostile inputs, through the CLI in-process:
 * - NUL characters in an input file never reach results.csv, results.xlsx or report.html (stripped);
 * - a 10 MB cell quoted in an error message is cut, so the error line stays short.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { run } from '../../src/cli/main.ts';

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
  it('are stripped from results.csv, results.xlsx and report.html', async () => {
    const dir = asemWith('nul', 'ASEM_iData.csv', (t) => t.replace('"Austria"', '"Aus\u0000tria"'));
    const out = join(root, 'nul-out');
    const r = await cli(['build', dir, '--out', out, '--format', 'xlsx,html', '--no-analyses']);
    expect(r.code).toBe(0);
    for (const f of ['results.csv', 'report.html']) {
      const text = readFileSync(join(out, f), 'utf8');
      expect(text.includes('\u0000'), f).toBe(false);
      expect(text).toContain('Austria');
    }
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(out, 'results.xlsx'));
    const cells: string[] = [];
    wb.getWorksheet('Results')!.eachRow((row) => row.eachCell((c) => cells.push(String(c.value))));
    expect(cells).toContain('Austria');
    expect(cells.some((c) => c.includes('\u0000'))).toBe(false);
  }, 120_000);
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
