import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { registerSeriesCommands } from './series.ts';
import { loadSeriesProject } from '../../formats/series.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const seed = join(root, 'data/sources/seed-288/seed_288_table.csv');
const demo = join(root, 'examples/series-demo');
const tmp = await mkdtemp(join(tmpdir(), 'cityindex-series-'));
afterAll(() => rm(tmp, { recursive: true, force: true }));

async function runCli(args: string[]): Promise<{ stdout: string; stderr: string }> {
  const program = new Command().exitOverride();
  registerSeriesCommands(program);
  let stdout = '';
  let stderr = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
    stdout += String(s);
    return true;
  });
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
    stderr += String(s);
    return true;
  });
  try {
    await program.parseAsync(args, { from: 'user' });
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
  return { stdout, stderr };
}

describe('series audit', () => {
  it('audits the seed table (text and JSON)', async () => {
    const text = await runCli(['series', 'audit', seed]);
    expect(text.stdout).toContain('swapped (环比/同比互换): 2023-01, 2022-12');
    expect(text.stdout).toContain('consistent (一致): 2023-02, 2022-11, 2022-10, 2022-09');
    expect(text.stdout).toContain('not-checkable (无法核对): 2022-08');
    const out = join(tmp, 'audit.json');
    const json = await runCli(['series', 'audit', seed, '--json', '--out', out]);
    const parsed = JSON.parse(json.stdout);
    expect(parsed.summary.swapped).toEqual(['2023-01', '2022-12']);
    expect(JSON.parse(await readFile(out, 'utf8')).rows).toHaveLength(7);
  });
  it('--strict sets exit code 3 when rows are swapped', async () => {
    const before = process.exitCode;
    await runCli(['series', 'audit', seed, '--strict']);
    expect(process.exitCode).toBe(3);
    process.exitCode = before;
  });
});

describe('series compute on the generated demo', () => {
  it('writes series.csv, series.json, chart.json, audit.json and audit.txt labelled as generated data', async () => {
    const dir = join(tmp, 'out');
    const r = await runCli(['series', 'compute', demo, '--out', dir]);
    expect(r.stderr).toContain('note: generated example data / 模拟数据');
    const csv = await readFile(join(dir, 'series.csv'), 'utf8');
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(csv.split('\n')[1]).toMatch(/^demo-a,2020-01,1000,,,,generated example data/);
    const json = JSON.parse(await readFile(join(dir, 'series.json'), 'utf8'));
    expect(json.note).toBe('generated example data / 模拟数据');
    expect(json.series).toHaveLength(7);
    const chart = JSON.parse(await readFile(join(dir, 'chart.json'), 'utf8'));
    expect(chart.title.subtext).toBe('generated example data / 模拟数据');
    expect(await readFile(join(dir, 'audit.txt'), 'utf8')).toContain('inconsistent (不一致): 2022-09');
  });
  it('computes a single CSV file and reports config errors with their field', async () => {
    const dir = join(tmp, 'one');
    await runCli(['series', 'compute', seed, '--out', dir]);
    const json = JSON.parse(await readFile(join(dir, 'series.json'), 'utf8'));
    expect(json.series[0].periods).toEqual([
      '2022-08',
      '2022-09',
      '2022-10',
      '2022-11',
      '2022-12',
      '2023-01',
      '2023-02',
    ]);
    expect(json.series[0].periodOnPeriod[6]).toBeCloseTo((1571.9 / 1569.9 - 1) * 100, 10);
    await expect(loadSeriesProject(join(tmp, 'nothing-here'))).rejects.toThrow(/no such file/);
  });
});
