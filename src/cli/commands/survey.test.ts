import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { registerSurveyCommands } from './survey.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const example = join(root, 'examples/cdgi-2020');
const tmp = await mkdtemp(join(tmpdir(), 'cityindex-survey-cli-'));
afterAll(() => rm(tmp, { recursive: true, force: true }));

async function runCli(args: string[]): Promise<{ stdout: string; stderr: string }> {
  const program = new Command().exitOverride();
  registerSurveyCommands(program);
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

describe('cityindex survey', () => {
  it('validates the example', async () => {
    const r = await runCli(['survey', 'validate', example]);
    expect(r.stderr).toContain('模拟数据 / simulated responses');
    expect(r.stderr).toMatch(/45 cities, 2 questionnaire definition/);
  });

  it('cleans and estimates, writing labelled files', async () => {
    await runCli(['survey', 'clean', example, '--out', join(tmp, 'c')]);
    const removed = await readFile(join(tmp, 'c/resident-digital-life-2020/removed.csv'), 'utf8');
    expect(removed.split('\n')[0]).toContain('row,respondent_id,city,reason,detail,data_label');
    expect(removed).toContain('overQuota');
    const r = await runCli(['survey', 'estimate', example, '--out', join(tmp, 'e')]);
    expect(r.stderr).toMatch(/flag: city 321200/);
    const est = await readFile(join(tmp, 'e/resident-digital-life-2020/estimates.csv'), 'utf8');
    expect(est.split('\n')[0]).toContain('unit,indicator,value,lower_95,upper_95,se,n,n_eff,flag,data_label');
    expect(est).toContain('模拟数据 / simulated responses');
    const wide = await readFile(join(tmp, 'e/resident-digital-life-2020/indicators.csv'), 'utf8');
    expect(wide.split('\n')).toHaveLength(45 + 2);
  });

  it('aggregates the simulated expert panel into manual weight steps, flagging inconsistent experts', async () => {
    const r = await runCli([
      'survey',
      'ahp',
      example,
      '--answers',
      join(example, 'surveys/experts-simulated.json'),
      '--out',
      join(tmp, 'ahp'),
    ]);
    expect(r.stderr).toMatch(/E7: CR 0\.\d+ > 0\.1; most inconsistent/);
    const report = JSON.parse(await readFile(join(tmp, 'ahp/ahp-report.json'), 'utf8'));
    const top = report.weightSteps[0];
    expect(top).toMatchObject({ kind: 'weight', options: { level: 2, weighting: { method: 'manual' } } });
    const w = Object.values(top.options.weighting.weights as Record<string, number>);
    expect(w.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    await runCli(['survey', 'ahp-form', example, '--out', join(tmp, 'form')]);
    // the committed form is the one the framework gives
    expect(await readFile(join(tmp, 'form/ahp.zh.json'), 'utf8')).toBe(
      await readFile(join(example, 'surveys/ahp.zh.json'), 'utf8'),
    );
  });

  it('fails with located errors on a project whose survey is broken', async () => {
    const { writeFile, mkdir } = await import('node:fs/promises');
    const dir = join(tmp, 'broken');
    await mkdir(join(dir, 'surveys'), { recursive: true });
    await writeFile(
      join(dir, 'surveys/survey.yaml'),
      'id: b\ncities: ["110100"]\nresponses: { file: r.csv, columns: { city: city } }\n' +
        'indicators: [{ code: X, items: [q1] }]\n',
    );
    await writeFile(join(dir, 'surveys/r.csv'), 'city,q2\n110100,3\n');
    await expect(runCli(['survey', 'validate', dir])).rejects.toThrow(/r\.csv:1 column "q1"/);
  });
});
