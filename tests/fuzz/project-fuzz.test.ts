/**
 * Fuzz: 2 000 generated malformed projects (28 kinds of mutation, encodings among them: GB18030,
 * UTF-16, invalid UTF-8, NUL bytes). Each must fail with a CityIndexError whose every error names its
 * file, its place (row, field, column, unit or indicator) and what was expected, never with an uncaught
 * exception; assembled in memory it gives the problems the CLI prints when reading it from disk, and
 * the CLI (in-process) exits 1 and leaves no output or partial folder behind.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync, existsSync, rmSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { createRng, type Rng } from '../../src/engine/core/rng.ts';
import { CityIndexError, type Issue } from '../../src/engine/core/errors.ts';
import { loadProject } from '../../src/formats/project.ts';
import { assembleProject, buildProject } from '../../src/formats/assemble.ts';
import { memoryProjectFiles } from '../../src/formats/project-files.ts';
import { readXlsxTable } from '../../src/formats/xlsx-table.ts';
import { build } from '../../src/engine/pipeline/build.ts';
import { formatInputError, run } from '../../src/cli/main.ts';
import { baseFiles, IND, type Files } from '../formats/fixture.ts';
import { gb18030, utf16 } from '../formats/encodings.ts';

const pick = <T>(r: Rng, xs: readonly T[]): T => xs[r.int(xs.length)];

function replaceCell(csv: string, r: Rng, value: string, header = false): string {
  const lines = csv.trimEnd().split('\n');
  const li = header ? 0 : 1 + r.int(lines.length - 1);
  const cells = lines[li].split(',');
  const ci = header ? 1 + r.int(cells.length - 1) : 1 + r.int(cells.length - 1);
  cells[ci] = value;
  lines[li] = cells.join(',');
  return lines.join('\n') + '\n';
}

const xlsxCache = new Map<string, Uint8Array>();
/** The same workbook for the same rows and options (writing one costs more than checking it). */
async function xlsxBytes(rows: string[][], opts: { formula?: boolean; merge?: boolean }): Promise<Uint8Array> {
  const key = JSON.stringify([rows, opts]);
  const cached = xlsxCache.get(key);
  if (cached) return cached;
  const bytes = await writeXlsx(rows, opts);
  xlsxCache.set(key, bytes);
  return bytes;
}

async function writeXlsx(rows: string[][], opts: { formula?: boolean; merge?: boolean }): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('data');
  rows.forEach((r) => ws.addRow(r.map((c, k) => (k > 0 && /^[\d.]+$/.test(c) ? Number(c) : c))));
  if (opts.formula) ws.getCell('B3').value = { formula: 'B2*2', result: 7 } as ExcelJS.CellFormulaValue;
  if (opts.merge) ws.mergeCells('B2:C2');
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

/** One malformed project per seed; returns the files and a label of what was broken. */
async function mutate(seed: number): Promise<{ files: Files; label: string }> {
  const r = createRng(seed);
  const f: Files = baseFiles();
  const kind = r.int(28);
  const s = (k: string) => f[k] as string;
  switch (kind) {
    case 0:
      f['project.yaml'] = s('project.yaml').replace('steps:', 'steps: [');
      return { files: f, label: 'yaml: unclosed bracket' };
    case 1:
      f['project.yaml'] = s('project.yaml') + 'name: dup\n';
      return { files: f, label: 'yaml: duplicate key' };
    case 2:
      f['project.yaml'] = s('project.yaml').replace(
        'method: minMax',
        pick(r, ['method: minmaxx', 'method: 3', 'method: [x]']),
      );
      return { files: f, label: 'unknown normalise method' };
    case 3:
      f['project.yaml'] = s('project.yaml').replace(
        'kind: aggregate',
        pick(r, ['kind: aggregat', 'kind: 7', 'kind: null']),
      );
      return { files: f, label: 'unknown step kind' };
    case 4:
      f['framework.yaml'] = s('framework.yaml').replace(
        'direction: -1',
        pick(r, ['direction: 2', 'direction: "-1"', 'direction: down']),
      );
      return { files: f, label: 'bad direction' };
    case 5:
      f['framework.yaml'] = s('framework.yaml').replace(
        '{code: B1, name: {en: b1}}',
        pick(r, ['{code: A1, name: {en: dup}}', '{code: "B 1"}', '{code: B1, weight: heavy}']),
      );
      return { files: f, label: 'duplicate/invalid code or weight' };
    case 6:
      f['data.csv'] = replaceCell(
        s('data.csv'),
        r,
        pick(r, ['NaN', 'Infinity', '-inf', '1e400', '1,234', 'abc', '12%', '0x1F', '--3']),
      );
      return { files: f, label: 'bad number' };
    case 7: {
      const lines = s('data.csv').split('\n');
      lines[1] = lines[1].replace(/^\d+/, pick(r, ['999999', 'XX', '']));
      f['data.csv'] = lines.join('\n');
      return { files: f, label: 'unknown unit in data' };
    }
    case 8: {
      const lines = s('data.csv').trimEnd().split('\n');
      lines.push(lines[1 + r.int(lines.length - 1)]);
      f['data.csv'] = lines.join('\n') + '\n';
      return { files: f, label: 'duplicate data row' };
    }
    case 9: {
      const lines = s('units.csv').trimEnd().split('\n');
      lines.push(lines[1 + r.int(lines.length - 1)]);
      f['units.csv'] = lines.join('\n') + '\n';
      return { files: f, label: 'duplicate unit' };
    }
    case 10: {
      const col = 1 + r.int(IND.length);
      f['data.csv'] =
        s('data.csv')
          .trimEnd()
          .split('\n')
          .map((l, k) =>
            k === 0
              ? l
              : l
                  .split(',')
                  .map((c, j) => (j === col ? '' : c))
                  .join(','),
          )
          .join('\n') + '\n';
      return { files: f, label: 'empty column' };
    }
    case 11: {
      const lines = s('data.csv').trimEnd().split('\n');
      const k = 1 + r.int(lines.length - 1);
      lines[k] = lines[k] + ',' + pick(r, ['1', '', 'x']);
      f['data.csv'] = lines.join('\n') + '\n';
      return { files: f, label: 'row too long' };
    }
    case 12: {
      f['data.csv'] = s('data.csv').replace(pick(r, IND), pick(r, ['', 'ZZ']));
      return { files: f, label: 'bad/duplicate header' };
    }
    case 13: {
      const bytes = new Uint8Array(64 + r.int(200));
      for (let i = 0; i < bytes.length; i++) bytes[i] = r.int(256);
      f[pick(r, ['data.csv', 'units.csv'])] = bytes;
      return { files: f, label: 'binary garbage' };
    }
    case 14: {
      f['data.csv'] = '\ufeff' + s('data.csv').replace(/\d+\.5/, 'NaN');
      return { files: f, label: 'BOM + NaN text' };
    }
    case 15: {
      delete f[pick(r, ['framework.yaml', 'units.csv', 'data.csv'])];
      return { files: f, label: 'missing file' };
    }
    case 16: {
      // cycle via a table framework
      f['framework.csv'] = [
        'Level,iCode,iName,Direction,Weight,Parent,Type',
        '1,A1,a1,1,1,A,Indicator',
        '1,A2,a2,1,1,A,Indicator',
        '1,B1,b1,1,1,B,Indicator',
        '1,B2,b2,1,1,B,Indicator',
        '2,A,A,1,1,B,Aggregate',
        '2,B,B,1,1,A,Aggregate',
        '',
      ].join('\n');
      f['project.yaml'] = s('project.yaml').replace('framework.yaml', 'framework.csv');
      return { files: f, label: 'cycle in the tree' };
    }
    case 17: {
      f['project.yaml'] = s('project.yaml')
        .replace(
          '{id: aggregate, kind: aggregate}',
          '{id: aggregate, kind: aggregate, options: {aggregation: {method: geometric}}}',
        )
        .replace('{method: minMax, range: [0, 100]}', '{method: minMax, range: [0, 1]}');
      return { files: f, label: 'geometric mean over zeros' };
    }
    case 18: {
      const rows = s('data.csv')
        .trimEnd()
        .split('\n')
        .map((l) => l.split(','));
      f['data.xlsx'] = await xlsxBytes(rows, { formula: true });
      delete f['data.csv'];
      f['project.yaml'] = s('project.yaml').replace('data: data.csv', 'data: data.xlsx');
      return { files: f, label: 'xlsx with formula' };
    }
    case 19: {
      const rows = s('data.csv')
        .trimEnd()
        .split('\n')
        .map((l) => l.split(','));
      f['data.xlsx'] = await xlsxBytes(rows, { merge: true });
      delete f['data.csv'];
      f['project.yaml'] = s('project.yaml').replace('data: data.csv', 'data: data.xlsx');
      return { files: f, label: 'xlsx with merged cells' };
    }
    case 20: {
      f['project.yaml'] = pick(r, ['', '[]', '42', 'null', '- a\n- b\n', 'name: x\n']);
      return { files: f, label: 'project.yaml of the wrong shape' };
    }
    case 21: {
      f['project.yaml'] = s('project.yaml').replace(
        '{method: mean}',
        pick(r, [
          '{method: groupMean, group: nosuchcolumn}',
          '{method: mean, perIndicator: {ZZ: {method: median}}}',
          '{method: mean, extra: 1}',
        ]),
      );
      return { files: f, label: 'bad impute options' };
    }
    case 22: {
      f['framework.yaml'] = s('framework.yaml').replace(
        '        - {code: B2, name: {en: b2}}\n',
        '        - code: B2\n          children:\n            - {code: B21}\n',
      );
      return { files: f, label: 'unbalanced tree' };
    }
    case 23: {
      f['data.csv'] = s('data.csv').replace(/\d+\.5/, pick(r, ['1e151', '-9e200', '1e9999']));
      return { files: f, label: 'huge number' };
    }
    case 24: {
      // a Chinese spreadsheet's GB18030 file: decoded, so the bad cell is reported in Chinese
      f['data.csv'] = gb18030(replaceCell(s('data.csv'), r, pick(r, ['缺失', '无数据', '约5'])));
      if (r.int(2)) f['units.csv'] = gb18030(s('units.csv'));
      return { files: f, label: 'GB18030 file with a bad cell' };
    }
    case 25: {
      const name = pick(r, ['data.csv', 'units.csv', 'framework.yaml', 'project.yaml']);
      const text = name === 'data.csv' ? replaceCell(s(name), r, 'abc') : s(name);
      f[name] = utf16(text, pick(r, ['le', 'be'] as const), r.int(2) === 1);
      if (name !== 'data.csv') f['data.csv'] = replaceCell(s('data.csv'), r, 'abc');
      return { files: f, label: 'UTF-16 file' };
    }
    case 26: {
      const name = pick(r, ['units.csv', 'framework.yaml', 'project.yaml']);
      const bytes = new TextEncoder().encode(s(name));
      const chinese = [...bytes.keys()].filter((k) => bytes[k] >= 0xe0);
      bytes[chinese[r.int(chinese.length)] + 1 + r.int(2)] = pick(r, [0xff, 0x41, 0xc0]);
      f[name] = bytes;
      return { files: f, label: 'invalid UTF-8' };
    }
    default: {
      const name = pick(r, ['data.csv', 'units.csv', 'framework.yaml', 'project.yaml']);
      const text = s(name);
      const at = r.int(text.length);
      f[name] = text.slice(0, at) + '\0' + text.slice(at);
      return { files: f, label: 'NUL byte' };
    }
  }
}

function writeProject(dir: string, files: Files): void {
  mkdirSync(dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
}

/** Where in the file: a line, a field, a column, a unit or an indicator. */
const located = (i: Issue) => Boolean(i.row || i.field || i.column || i.unit || i.indicator);

describe('fuzz: malformed projects', () => {
  it('the unmutated base project builds', async () => {
    const root = mkdtempSync(join(tmpdir(), 'ci-fuzz-'));
    writeProject(join(root, 'p'), baseFiles());
    const p = await loadProject(join(root, 'p'));
    expect(build(p.input, p.spec).results.scores.codes).toContain('IDX');
    rmSync(root, { recursive: true, force: true });
  });

  // 2 000 projects in four parts (each within the test timeout on a loaded machine; ~30 s of CPU in all)
  const counts = new Map<string, number>();
  for (const [first, last] of [
    [1, 500],
    [501, 1000],
    [1001, 1500],
    [1501, 2000],
  ]) {
    const title = 'located errors saying what was expected, the same in memory and through the CLI (exit 1, no output)';
    it(`malformed projects ${first}–${last}: ${title}`, async () => {
      await fuzzRange(first, last, counts);
    });
  }
  it('the 2 000 projects cover every mutation kind', () => {
    expect([...counts.values()].reduce((a, b) => a + b, 0)).toBe(2000);
    expect(counts.size).toBeGreaterThanOrEqual(27);
  });
});

async function fuzzRange(first: number, last: number, labels: Map<string, number>): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'ci-fuzz-'));
  const write = process.stderr.write;
  let stderr = '';
  process.stderr.write = ((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  }) as typeof process.stderr.write;
  try {
    for (let seed = first; seed <= last; seed++) {
      const { files, label } = await mutate(seed);
      const dir = join(root, `p${seed}`);
      writeProject(dir, files);
      // in memory, as a server or the browser assembles an upload
      let error: unknown;
      try {
        await buildProject(await assembleProject(memoryProjectFiles(files), { dir, readXlsx: readXlsxTable }));
      } catch (e) {
        error = e;
      }
      if (!(error instanceof CityIndexError)) {
        const got = error === undefined ? 'success' : String((error as Error).stack ?? error);
        throw new Error(`seed ${seed} (${label}): expected a CityIndexError, got ${got}`);
      }
      const errors = error.issues.filter((i) => i.severity !== 'warning');
      expect(errors.length, `seed ${seed} (${label})`).toBeGreaterThan(0);
      for (const i of errors) {
        const where = `seed ${seed} (${label}): ${JSON.stringify(i)}`;
        expect(i.file, `no file: ${where}`).toBeTruthy();
        expect(located(i), `no location: ${where}`).toBe(true);
        expect(i.expected, `no expectation: ${where}`).toBeTruthy();
      }
      checkEncodingIssues(label, error.issues, seed);
      // from disk through the CLI: exit 1, the same problems printed, no output folder, no partial folder
      const out = join(root, `out${seed}`);
      stderr = '';
      const code = await run(['build', dir, '--out', out]);
      expect(code, `seed ${seed} (${label}): ${stderr}`).toBe(1);
      expect(stderr, `seed ${seed} (${label})`).toContain(formatInputError(error.issues));
      expect(existsSync(out), `seed ${seed}`).toBe(false);
      rmSync(dir, { recursive: true, force: true });
      labels.set(label, (labels.get(label) ?? 0) + 1);
    }
    expect(readdirSync(root).filter((x) => x.includes('partial'))).toEqual([]);
  } finally {
    process.stderr.write = write;
    rmSync(root, { recursive: true, force: true });
  }
}

/** The encoding mutations give the issue that names the encoding problem (not only a follow-on one). */
function checkEncodingIssues(label: string, issues: readonly Issue[], seed: number): void {
  const has = (code: string, test: (i: Issue) => boolean = () => true) =>
    expect(
      issues.some((i) => i.code === code && test(i)),
      `seed ${seed} (${label}): no ${code} in ${JSON.stringify(issues)}`,
    ).toBe(true);
  if (label === 'GB18030 file with a bad cell') {
    has('W_ENCODING', (i) => i.file === 'data.csv');
    has('E_NOT_NUMBER', (i) => /[缺无约]/.test(i.message));
  } else if (label === 'UTF-16 file') has('E_NOT_NUMBER', (i) => i.message.includes('abc'));
  else if (label === 'invalid UTF-8') has('E_ENCODING', (i) => i.row !== undefined && /at byte \d+/.test(i.message));
  else if (label === 'NUL byte') has('E_NUL', (i) => i.row !== undefined);
}
