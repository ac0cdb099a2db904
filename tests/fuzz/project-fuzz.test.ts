/**
 * Fuzz: 2 000+ generated malformed projects. Each must fail with a CityIndexError whose every issue
 * is located (file, row, field, unit or indicator), never with an uncaught exception, and the CLI
 * must exit with code 1 and leave no output folder behind.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync, existsSync, rmSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { createRng, type Rng } from '../../src/engine/core/rng.ts';
import { CityIndexError } from '../../src/engine/core/errors.ts';
import { loadProject } from '../../src/formats/project.ts';
import { assembleProject, buildProject } from '../../src/formats/assemble.ts';
import { memoryProjectFiles } from '../../src/formats/project-files.ts';
import { readXlsxTable } from '../../src/formats/xlsx-table.ts';
import { build } from '../../src/engine/pipeline/build.ts';
import { run } from '../../src/cli/main.ts';
import { baseFiles, IND, type Files } from '../formats/fixture.ts';

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

async function xlsxBytes(rows: string[][], opts: { formula?: boolean; merge?: boolean }): Promise<Uint8Array> {
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
  const kind = r.int(24);
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
    default: {
      f['data.csv'] = s('data.csv').replace(/\d+\.5/, pick(r, ['1e151', '-9e200', '1e9999']));
      return { files: f, label: 'huge number' };
    }
  }
}

function writeProject(dir: string, files: Files): void {
  mkdirSync(dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
}

const located = (i: { file?: string; row?: number; field?: string; unit?: string; indicator?: string }) =>
  Boolean(i.file || i.row || i.field || i.unit || i.indicator);

describe('fuzz: malformed projects', () => {
  it('the unmutated base project builds', async () => {
    const root = mkdtempSync(join(tmpdir(), 'ci-fuzz-'));
    writeProject(join(root, 'p'), baseFiles());
    const p = await loadProject(join(root, 'p'));
    expect(build(p.input, p.spec).results.scores.codes).toContain('IDX');
    rmSync(root, { recursive: true, force: true });
  });

  it('2 000 malformed projects each give located errors and never throw anything else', async () => {
    const root = mkdtempSync(join(tmpdir(), 'ci-fuzz-'));
    const labels = new Map<string, number>();
    let n = 0;
    for (let seed = 1; seed <= 2000; seed++) {
      const { files, label } = await mutate(seed);
      const dir = join(root, `p${seed}`);
      writeProject(dir, files);
      let error: unknown;
      try {
        const p = await loadProject(dir);
        build(p.input, p.spec);
      } catch (e) {
        error = e;
      }
      if (!(error instanceof CityIndexError)) {
        const got = error === undefined ? 'success' : String((error as Error).stack ?? error);
        throw new Error(`seed ${seed} (${label}): expected a CityIndexError, got ${got}`);
      }
      expect(error.issues.length, `seed ${seed} (${label})`).toBeGreaterThan(0);
      for (const i of error.issues)
        expect(located(i), `seed ${seed} (${label}): unlocated issue ${JSON.stringify(i)}`).toBe(true);
      labels.set(label, (labels.get(label) ?? 0) + 1);
      rmSync(dir, { recursive: true, force: true });
      n++;
    }
    expect(n).toBe(2000);
    expect(labels.size).toBeGreaterThanOrEqual(20);
    rmSync(root, { recursive: true, force: true });
  });

  it('assembled from memory, 300 malformed projects give exactly the issues loadProject gives from disk', async () => {
    const root = mkdtempSync(join(tmpdir(), 'ci-fuzz-mem-'));
    const issuesOf = async (load: () => Promise<Awaited<ReturnType<typeof loadProject>>>): Promise<unknown> => {
      try {
        await buildProject(await load());
      } catch (e) {
        if (e instanceof CityIndexError) return e.issues;
        throw e;
      }
      return 'no error';
    };
    try {
      for (let seed = 1; seed <= 300; seed++) {
        const { files, label } = await mutate(seed);
        const dir = join(root, `p${seed}`);
        writeProject(dir, files);
        const disk = await issuesOf(() => loadProject(dir));
        const memory = await issuesOf(() =>
          assembleProject(memoryProjectFiles(files), { dir, readXlsx: readXlsxTable }),
        );
        expect(memory, `seed ${seed} (${label})`).toEqual(disk);
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('the CLI exits 1 and writes no output folder for malformed projects', async () => {
    const root = mkdtempSync(join(tmpdir(), 'ci-fuzz-cli-'));
    const write = process.stderr.write;
    process.stderr.write = (() => true) as typeof process.stderr.write;
    try {
      for (let seed = 1; seed <= 60; seed++) {
        const { files } = await mutate(seed);
        const dir = join(root, `p${seed}`);
        writeProject(dir, files);
        const out = join(root, `out${seed}`);
        const code = await run(['build', dir, '--out', out]);
        expect(code, `seed ${seed}`).toBe(1);
        expect(existsSync(out)).toBe(false);
      }
      expect(readdirSync(root).filter((x) => x.includes('partial'))).toEqual([]);
    } finally {
      process.stderr.write = write;
      rmSync(root, { recursive: true, force: true });
    }
  });
});
