/**
 * Spreadsheet formula injection (OWASP "CSV injection") is neutralised in every CSV/XLSX the platform
 * and the CLI write: text from inputs that starts with = + - @ TAB or CR reaches a file only with a
 * leading apostrophe. Each export path gets hostile text where its inputs flow into its outputs, then
 * EVERY text cell of every CSV and XLSX file it wrote is checked:
 * - `cityindex build` (results.csv, results.xlsx with all its sheets) on examples/asem with hostile
 *   unit and indicator names;
 * - `cityindex series compute` (series.csv and the rest) with a hostile note;
 * - the store's edition build (its results CSV) of the same hostile project;
 * - the city submission template (template.ts) with hostile names, source notes and comments.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.ts';
import { writeSubmissionTemplate } from '../../src/formats/template.ts';
import { buildStoredProject } from '../../src/store/edition.ts';
import { importProjectFolder } from '../../src/store/project-io.ts';
import { systemPrincipal } from '../../src/store/principal.ts';
import { sqliteStore } from '../store/stores.ts';

const DANGEROUS = /^[=+\-@\t\r]/;
/** Hostile names (no comma or quote, so they sit in the CSV inputs unquoted). */
const HOSTILE = ['=HYPERLINK(1)', '+cmd|calc', '-2+3+cmd', '@SUM(1+1)'];

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'ci-formula-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function cli(argv: string[]): Promise<number> {
  const [out, err] = [process.stdout.write, process.stderr.write];
  process.stdout.write = (() => true) as typeof process.stdout.write;
  process.stderr.write = (() => true) as typeof process.stderr.write;
  try {
    return await run(argv);
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
}

/** Text cells of a CSV or XLSX file. */
async function textCells(file: string, bytes: Uint8Array): Promise<string[]> {
  if (file.endsWith('.csv')) {
    const rows: string[][] = parse(
      Buffer.from(bytes)
        .toString('utf8')
        .replace(/^\ufeff/, ''),
      {
        relax_column_count: true,
      },
    );
    return rows.flat();
  }
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(bytes) as never);
  const out: string[] = [];
  wb.eachSheet((ws) =>
    ws.eachRow({ includeEmpty: false }, (row) =>
      row.eachCell({ includeEmpty: false }, (cell) => {
        const v = cell.value as unknown;
        if (typeof v === 'string') out.push(v);
        else if (v && typeof v === 'object' && 'richText' in v)
          out.push((v as { richText: Array<{ text: string }> }).richText.map((r) => r.text).join(''));
        else if (v && typeof v === 'object' && 'formula' in v) out.push(`=${(v as { formula: string }).formula}`);
      }),
    ),
  );
  return out;
}

/** Cells that a spreadsheet would run as a formula (numbers such as -2.5 are fine). */
function dangerous(cells: readonly string[]): string[] {
  return cells.filter((c) => DANGEROUS.test(c) && !Number.isFinite(Number(c)));
}

/** Every CSV/XLSX file under a folder. */
function spreadsheets(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return spreadsheets(p);
    return /\.(csv|xlsx)$/.test(f) ? [p] : [];
  });
}

/** examples/asem with hostile unit and indicator names. */
function hostileAsem(): string {
  const dir = join(root, 'asem');
  cpSync('examples/asem', dir, { recursive: true });
  const data = join(dir, 'ASEM_iData.csv');
  let text = readFileSync(data, 'utf8');
  ['"Austria"', '"Belgium"', '"Bulgaria"', '"Croatia"'].forEach((n, k) => (text = text.replace(n, HOSTILE[k])));
  writeFileSync(data, text);
  const meta = join(dir, 'ASEM_iMeta.csv');
  writeFileSync(meta, readFileSync(meta, 'utf8').replace('"Logistics Performance Index"', '=1+2'));
  return dir;
}

describe('formula injection is neutralised in every export', () => {
  it('cityindex build: results.csv and every sheet of results.xlsx', async () => {
    const dir = hostileAsem();
    const out = join(root, 'build-out');
    expect(await cli(['build', dir, '--out', out, '--format', 'xlsx', '--no-analyses'])).toBe(0);
    const files = spreadsheets(out);
    expect(files.map((f) => f.slice(out.length + 1)).sort()).toEqual(
      expect.arrayContaining(['results.csv', 'results.xlsx']),
    );
    for (const f of files) {
      const cells = await textCells(f, readFileSync(f));
      expect(dangerous(cells), f).toEqual([]);
      if (f.endsWith('results.csv')) for (const h of HOSTILE) expect(cells, f).toContain(`'${h}`);
      if (f.endsWith('.xlsx')) expect(cells, f).toContain("'=1+2");
    }
  }, 120_000);

  it('cityindex series compute: every CSV written', async () => {
    const dir = join(root, 'series');
    cpSync('examples/series-demo', dir, { recursive: true });
    const yaml = join(dir, 'series.yaml');
    writeFileSync(yaml, readFileSync(yaml, 'utf8').replace(/note: .*/, "note: '=HYPERLINK(1)'"));
    const out = join(root, 'series-out');
    expect(await cli(['series', 'compute', dir, '--out', out])).toBe(0);
    const files = spreadsheets(out);
    expect(files.length).toBeGreaterThan(0);
    let seen = false;
    for (const f of files) {
      const cells = await textCells(f, readFileSync(f));
      expect(dangerous(cells), f).toEqual([]);
      seen ||= cells.includes("'=HYPERLINK(1)");
    }
    expect(seen).toBe(true);
  }, 60_000);

  it("the store's edition build: its results CSV", async () => {
    const t = await sqliteStore();
    try {
      const cli = systemPrincipal('test');
      const project = await importProjectFolder(t.store, cli, hostileAsem());
      const built = await buildStoredProject(t.store, cli, project);
      const cells = await textCells('results.csv', new TextEncoder().encode(built.csv));
      expect(dangerous(cells)).toEqual([]);
      for (const h of HOSTILE) expect(cells).toContain(`'${h}`);
    } finally {
      await t.dispose();
    }
  }, 60_000);

  it('the submission template: names, units, source notes and comments', async () => {
    const bytes = await writeSubmissionTemplate({
      project: { slug: 'p', name: '=cmd' },
      round: { id: 1, name: '@round' },
      unit: { code: '110100', name: { zh: '+北京', en: '-Beijing' } },
      indicators: HOSTILE.map((h, k) => ({
        code: `I${k}`,
        name: { zh: h, en: h },
        unit: h,
        definition: h,
        previous: -2.5,
        value: null,
        source: '\tTAB=1',
        comment: '\rCR=1',
        status: 'draft',
        version: 1,
      })),
      signature: 'x',
    });
    const cells = await textCells('t.xlsx', bytes);
    expect(dangerous(cells)).toEqual([]);
    expect(cells).toEqual(expect.arrayContaining(HOSTILE.map((h) => `'${h}`)));
    expect(cells).toContain("'\tTAB=1");
  });
});
