/**
 * The CLI end to end, in-process: build writes results.csv / results.xlsx / build.json that agree with
 * the engine; the workbook opens with exceljs and has a sheet per stage; text cells are safe against
 * formula injection; analyse writes analysis.json; exit codes 0/1.
 */
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, existsSync, cpSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { run, fileSystemIssue, formatInputError } from '../../src/cli/main.ts';

let root: string;
const quiet = async (argv: string[]): Promise<number> => {
  const write = process.stderr.write;
  process.stderr.write = (() => true) as typeof process.stderr.write;
  try {
    return await run(argv);
  } finally {
    process.stderr.write = write;
  }
};

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'ci-cli-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('cityindex build', () => {
  it("builds examples/asem: results.csv ranks CHE first with COINr's score", async () => {
    const out = join(root, 'asem');
    expect(await quiet(['build', 'examples/asem', '--out', out, '--format', 'xlsx-stages'])).toBe(0);
    const text = readFileSync(join(out, 'results.csv'), 'utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const rows = parse(text, { columns: true, bom: true }) as Array<Record<string, string>>;
    expect(rows).toHaveLength(51);
    expect(rows[0].code).toBe('CHE');
    expect(Number(rows[0].Index)).toBeCloseTo(68.38372423834171, 10);
    expect(rows[0].Index_rank).toBe('1');
    expect(rows[50].code).toBe('RUS');
    const record = JSON.parse(readFileSync(join(out, 'build.json'), 'utf8'));
    expect(record.spec.steps.map((s: { id: string }) => s.id)).toEqual([
      'denominate',
      'impute',
      'screen',
      'treat',
      'normalise',
      'aggregate',
    ]);
    expect(record.inputs.map((f: { path: string }) => f.path)).toEqual(
      expect.arrayContaining(['project.yaml', 'ASEM_iData.csv', 'ASEM_iMeta.csv']),
    );
    expect(record.inputs.every((f: { sha256: string }) => /^[0-9a-f]{64}$/.test(f.sha256))).toBe(true);
    const treat = record.steps.find((s: { id: string }) => s.id === 'treat');
    expect(JSON.stringify(treat.diagnostics)).toContain('FemLab');
  });

  it('results.xlsx (xlsx-stages) opens in exceljs: Results, Method, a sheet per stage, Weights, Sources', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(root, 'asem', 'results.xlsx'));
    const names = wb.worksheets.map((w) => w.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'Results',
        'Method',
        'raw',
        'denominate',
        'impute',
        'screen',
        'treat',
        'normalise',
        'aggregate',
        'Weights',
        'Sources',
      ]),
    );
    const method = wb.getWorksheet('Method')!;
    expect(String(method.getCell('D6').value)).toContain('min–max to [0, 100]');
    expect(String(method.getCell('E6').value)).toContain('标准化');
    const res = wb.getWorksheet('Results')!;
    expect(res.getCell('A2').value).toBe('CHE');
    expect(res.getCell('D2').value).toBeCloseTo(68.38372423834171, 10);
  });

  it('neutralises formula injection in text cells (CSV and XLSX)', async () => {
    const proj = join(root, 'inj');
    cpSync('examples/asem', proj, { recursive: true });
    const data = readFileSync(join(proj, 'ASEM_iData.csv'), 'utf8').replace('"Austria"', '"=HYPERLINK(""http://x"")"');
    writeFileSync(join(proj, 'ASEM_iData.csv'), data);
    const out = join(root, 'inj-out');
    expect(await quiet(['build', proj, '--out', out])).toBe(0);
    const csv = readFileSync(join(out, 'results.csv'), 'utf8');
    expect(csv).toContain("'=HYPERLINK");
    expect(csv).not.toMatch(/,=HYPERLINK/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(out, 'results.xlsx'));
    const cells: unknown[] = [];
    wb.getWorksheet('Results')!.eachRow((r) => r.eachCell((c) => cells.push(c.value)));
    expect(cells.some((v) => typeof v === 'object' && v !== null && 'formula' in v)).toBe(false);
    expect(cells).toContain('\'=HYPERLINK("http://x")');
  });

  it('exits 1 with located errors on invalid input and 0 on --help', async () => {
    expect(await quiet(['build', join(root, 'nope'), '--out', join(root, 'nope-out')])).toBe(1);
    expect(existsSync(join(root, 'nope-out'))).toBe(false);
    expect(await quiet(['build', 'examples/asem', '--format', 'docx'])).toBe(1);
    expect(await quiet(['--help'])).toBe(0);
    expect(await quiet(['frobnicate'])).toBe(1);
  });
});

describe('cityindex analyse', () => {
  it('writes analysis.json for examples/cdgi-2020 with regional, spatial and tier results', async () => {
    const out = join(root, 'cdgi');
    expect(await quiet(['analyse', 'examples/cdgi-2020', '--out', out])).toBe(0);
    const a = JSON.parse(readFileSync(join(out, 'analysis.json'), 'utf8'));
    expect(a.target).toBe('CDGI');
    expect(a.errors).toEqual([]);
    const east = a.regional.comparisons.find((c: { a: string }) => c.a === '东部');
    expect(east.aAbove).toBe(true);
    expect(a.spatial.moran.I).toBeGreaterThan(0);
    expect(a.spatial.spillover.leader.id).toBe('330100');
    expect(a.tiers.counts.reduce((s: number, c: number) => s + c, 0)).toBe(100);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(out, 'results.xlsx'));
    expect(wb.worksheets.map((w) => w.name)).toEqual(
      expect.arrayContaining(['Regional', 'Inequality', 'Spatial', 'Spillover', 'Tiers']),
    );
  });

  it('--only restricts the analyses and rejects unknown names', async () => {
    const out = join(root, 'cdgi-only');
    expect(await quiet(['analyse', 'examples/cdgi-2020', '--out', out, '--only', 'tiers'])).toBe(0);
    const a = JSON.parse(readFileSync(join(out, 'analysis.json'), 'utf8'));
    expect(a.tiers).toBeDefined();
    expect(a.spatial).toBeUndefined();
    expect(await quiet(['analyse', 'examples/cdgi-2020', '--out', out, '--only', 'astrology'])).toBe(1);
  });
});

describe('cityindex cases', () => {
  it('finds 杭州城市大脑 for 交通 and for traffic', async () => {
    for (const q of ['交通', 'traffic']) {
      const chunks: string[] = [];
      const write = process.stdout.write;
      process.stdout.write = ((s: string) => {
        chunks.push(String(s));
        return true;
      }) as typeof process.stdout.write;
      try {
        expect(await quiet(['cases', 'examples/cdgi-2020', '--search', q, '--json'])).toBe(0);
      } finally {
        process.stdout.write = write;
      }
      const hits = JSON.parse(chunks.join(''));
      expect(hits[0].id).toBe('hangzhou-city-brain');
      expect(hits[0].city).toBe('330100');
    }
  });
});

/** Run the CLI capturing stderr. */
const withStderr = async (argv: string[]): Promise<{ code: number; err: string }> => {
  const chunks: string[] = [];
  const write = process.stderr.write;
  process.stderr.write = ((s: string) => {
    chunks.push(String(s));
    return true;
  }) as typeof process.stderr.write;
  try {
    return { code: await run(argv), err: chunks.join('') };
  } finally {
    process.stderr.write = write;
  }
};

describe("a new user's mistakes at the command line", () => {
  it('--out naming an existing file: exit 1, the file untouched', async () => {
    const file = join(root, 'notes.txt');
    writeFileSync(file, 'mine');
    const { code, err } = await withStderr(['build', 'examples/asem', '--out', file]);
    expect(code).toBe(1);
    expect(err).toContain('E_OUT_NOT_FOLDER');
    expect(readFileSync(file, 'utf8')).toBe('mine');
  });

  it('--out naming the project folder: exit 1, the project untouched; --out inside it works twice', async () => {
    const proj = join(root, 'asem-copy');
    cpSync('examples/asem', proj, { recursive: true });
    const before = readdirSync(proj).sort();
    const { code, err } = await withStderr(['build', proj, '--out', proj]);
    expect(code).toBe(1);
    expect(err).toContain('E_OUT_NOT_OURS');
    expect(readdirSync(proj).sort()).toEqual(before);
    expect(await quiet(['build', proj, '--out', join(proj, 'out')])).toBe(0);
    expect(await quiet(['build', proj, '--out', join(proj, 'out')])).toBe(0);
    expect(readdirSync(join(proj, 'out'))).toContain('results.csv');
    expect(await quiet(['validate', proj])).toBe(0);
  });

  it('a copied example whose relative paths break: validate names them (exit 1), build does not crash', async () => {
    const proj = join(root, 'cdgi-copy');
    cpSync('examples/cdgi-2020', proj, { recursive: true });
    const v = await withStderr(['validate', proj]);
    expect(v.code).toBe(1);
    const seriesFileMissing = /file "\.\.\/\.\.\/data\/sources\/seed-288\/seed_288_table\.csv" not found/;
    expect(v.err).toMatch(new RegExp(/project\.yaml:\d+ field "series\.file": /.source + seriesFileMissing.source));
    expect(v.err).toMatch(/field "cases": folder "\.\.\/\.\.\/cases" not found/);
    const b = await withStderr(['build', proj, '--out', join(root, 'cdgi-copy-out')]);
    expect(b.code).toBe(1);
    expect(b.err).not.toContain('internal error');
  });

  it('a project path that is a data file: exit 1 with what to give instead', async () => {
    const { code, err } = await withStderr(['validate', 'examples/asem/ASEM_iData.csv']);
    expect(code).toBe(1);
    expect(err).toContain('give the folder that holds project.yaml');
  });

  it('every problem of a broken project in one run, with a count line in English and Chinese', async () => {
    const proj = join(root, 'asem-broken');
    cpSync('examples/asem', proj, { recursive: true });
    writeFileSync(
      join(proj, 'project.yaml'),
      readFileSync(join(proj, 'project.yaml'), 'utf8')
        .replace('winmax: 5', 'winmx: 5')
        .replace('dataThreshold: 0.9', 'dataThreshold: 9'),
    );
    const { code, err } = await withStderr(['validate', proj]);
    expect(code).toBe(1);
    expect(err.split('\n')[0]).toBe('error: invalid input: 2 problems / 输入有误：2 处问题');
    expect(err).toMatch(
      /project\.yaml:\d+ field "build\.steps\[3\]\.options": unknown field\(s\) "winmx" — did you mean "winmax"\?/,
    );
    expect(err).toMatch(/project\.yaml:\d+ field "build\.steps\[2\]\.options\.dataThreshold"/);
  });

  it("file-system errors are the user's input (exit 1), located by path", () => {
    const e = Object.assign(new Error('x'), { code: 'ENOENT', path: '/x/a.csv', syscall: 'open' });
    expect(fileSystemIssue(e)).toMatchObject({ code: 'E_ENOENT', file: '/x/a.csv' });
    expect(fileSystemIssue(new Error('plain'))).toBeUndefined();
    expect(
      formatInputError([
        { code: 'E_X', message: 'bad', file: 'a.csv', row: 2 },
        { code: 'W_Y', message: 'note', severity: 'warning' },
      ]),
    ).toBe('error: invalid input: 1 problem / 输入有误：1 处问题\na.csv:2: bad [E_X]\nwarning: note [W_Y]');
  });

  it('validate runs the build: an unknown group column fails validate as it would fail build', async () => {
    const proj = join(root, 'asem-group');
    cpSync('examples/asem', proj, { recursive: true });
    writeFileSync(
      join(proj, 'project.yaml'),
      readFileSync(join(proj, 'project.yaml'), 'utf8').replace('group: EurAsia_group', 'group: EurAsia_grp'),
    );
    const { code, err } = await withStderr(['validate', proj]);
    expect(code).toBe(1);
    expect(err).toMatch(/project\.yaml:\d+ field "build\.steps\[1\]\.options\.group": .*did you mean "EurAsia_group"/);
  });
});
