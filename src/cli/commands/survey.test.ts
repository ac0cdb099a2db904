import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { CityIndexError } from '../../engine/core/errors.ts';
import { registerSurveyCommands, surveyOutDir } from './survey.ts';
import { registerCoreCommands } from './core.ts';

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

describe('cityindex survey: default output beside the project, not in a build folder', () => {
  it('clean and estimate write to <project>/out-survey/<id>; a build with its default --out leaves them', async () => {
    // a copy of the example with the folders it reads outside itself (allowedRoots, the census)
    const repo = join(tmp, 'repo');
    await cp(example, join(repo, 'examples/cdgi-2020'), { recursive: true });
    await cp(join(root, 'cases'), join(repo, 'cases'), { recursive: true });
    await cp(join(root, 'data/sources'), join(repo, 'data/sources'), { recursive: true });
    const project = join(repo, 'examples/cdgi-2020');
    const id = 'resident-digital-life-2020';
    await runCli(['survey', 'clean', project]);
    expect(existsSync(join(project, 'out-survey', id, 'removed.csv'))).toBe(true);
    await runCli(['survey', 'estimate', project]);
    const estimates = join(project, 'out-survey', id, 'estimates.csv');
    expect(await readFile(estimates, 'utf8')).toContain('模拟数据 / simulated responses');
    expect(surveyOutDir(project, 'ahp')).toBe(join(project, 'out-survey', 'ahp'));
    // a project file names its folder
    expect(surveyOutDir(join(project, 'project.yaml'), id)).toBe(join(project, 'out-survey', id));
    // the build's default output folder is out/ of the working directory: not where the survey wrote
    const program = new Command().exitOverride();
    registerCoreCommands(program);
    const build = program.commands.find((c) => c.name() === 'build')!;
    const buildOut = resolve(String(build.getOptionValue('out') ?? 'out'));
    expect(relative(buildOut, estimates).startsWith('..')).toBe(true);
    // and a build into a folder of its own replaces only that folder
    const out = join(repo, 'out');
    const o = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      await program.parseAsync(['build', project, '--out', out, '--no-analyses', '--format', 'csv'], { from: 'user' });
    } finally {
      o.mockRestore();
    }
    expect(existsSync(join(out, 'results.csv'))).toBe(true);
    expect(existsSync(estimates)).toBe(true);
  }, 120_000);
});

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

  // Issue 10 item 6: out-of-scale answers were silently made missing (7, −3, 0, 1e308) or accepted (1.5),
  // and `survey validate` printed "error:" lines and succeeded.
  it('refuses answers outside the scale, counted per question and per respondent', async () => {
    const { writeFile, mkdir } = await import('node:fs/promises');
    const dir = join(tmp, 'scale');
    await mkdir(join(dir, 'surveys'), { recursive: true });
    await writeFile(
      join(dir, 'surveys/survey.yaml'),
      'id: s\ncities: ["110100"]\nresponses: { file: r.csv, columns: { city: city, id: rid } }\n' +
        'weighting: { weighting: { method: none } }\nscoring: { scale: { min: 1, max: 5 }, dontKnow: [dk, 9] }\n' +
        'indicators: [{ code: X, items: [q1, q2] }]\n',
    );
    const csv = 'rid,city,q1,q2\na,110100,7,3\nb,110100,-3,0\nc,110100,1e308,1.5\nd,110100,4,9\ne,110100,5,dk\n';
    await writeFile(join(dir, 'surveys/r.csv'), csv);
    const err = await runCli(['survey', 'validate', dir]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CityIndexError);
    const issues = (err as CityIndexError).issues.map((i) => [i.column ?? i.row, i.message]);
    expect(issues).toEqual([
      ['q1', '3 answers outside the scale 1–5 (whole numbers): rows 2, 3, 4'],
      ['q2', '2 answers outside the scale 1–5 (whole numbers): rows 3, 4'],
      [2, 'respondent "a": 1 answer outside the scale 1–5 (whole numbers): q1 = 7'],
      [3, 'respondent "b": 2 answers outside the scale 1–5 (whole numbers): q1 = -3, q2 = 0'],
      [4, 'respondent "c": 2 answers outside the scale 1–5 (whole numbers): q1 = 1e+308, q2 = 1.5'],
    ]);
    // estimating refuses too (the numeric "don't know" code 9 is not an answer)
    await expect(runCli(['survey', 'estimate', dir, '--out', join(tmp, 'scale-out')])).rejects.toThrow(
      /E_ANSWER_SCALE/,
    );
  });

  it('survey validate fails on cell errors (an answer that is not a number)', async () => {
    const { writeFile, mkdir } = await import('node:fs/promises');
    const dir = join(tmp, 'cell');
    await mkdir(join(dir, 'surveys'), { recursive: true });
    await writeFile(
      join(dir, 'surveys/survey.yaml'),
      'id: s\ncities: ["110100"]\nresponses: { file: r.csv, columns: { city: city } }\n' +
        'weighting: { weighting: { method: none } }\nindicators: [{ code: X, items: [q1] }]\n',
    );
    await writeFile(join(dir, 'surveys/r.csv'), 'city,q1\n110100,3\n110100,很好\n');
    await expect(runCli(['survey', 'validate', dir])).rejects.toThrow(/r\.csv:3 column "q1": answer "很好"/);
  });

  it('survey ahp fails on an expert with bad answers, naming them; --drop-incomplete leaves them out', async () => {
    const { writeFile } = await import('node:fs/promises');
    const answers = JSON.parse(await readFile(join(example, 'surveys/experts-simulated.json'), 'utf8'));
    answers[2].ahp__CDGI__INFRA__ADMIN = 1.5; // E3
    delete answers[3].ahp__ADMIN__ADM_OSI_CITY__ADM_OSI_PROV; // E4
    const file = join(tmp, 'experts-bad.json');
    await writeFile(file, JSON.stringify(answers));
    const args = ['survey', 'ahp', example, '--answers', file, '--out', join(tmp, 'ahp-bad')];
    const err = (await runCli(args).catch((e: unknown) => e)) as CityIndexError;
    expect(err).toBeInstanceOf(CityIndexError);
    expect(err.issues.map((i) => [i.code, i.message])).toEqual([
      ['E_AHP_VALUE', 'expert E3 answered 1.5 for INFRA vs ADMIN'],
      ['E_AHP_EXPERT', 'expert E3 cannot be used for the comparisons under CDGI (1 answer missing or invalid)'],
      ['E_AHP_MISSING', 'expert E4 did not answer ADM_OSI_CITY vs ADM_OSI_PROV'],
      ['E_AHP_EXPERT', 'expert E4 cannot be used for the comparisons under ADMIN (1 answer missing or invalid)'],
    ]);
    const r = await runCli([...args, '--drop-incomplete']);
    expect(r.stderr).toContain(
      'left out: expert E3 is left out of the weights under CDGI (1 answer missing or invalid)',
    );
    expect(r.stderr).toContain('left out: expert E4 is left out of the weights under ADMIN');
    const report = JSON.parse(await readFile(join(tmp, 'ahp-bad/ahp-report.json'), 'utf8'));
    const dropped = report.issues.filter((i: { code: string }) => i.code === 'W_AHP_EXPERT_DROPPED');
    expect(dropped.map((i: { indicator: string }) => i.indicator)).toEqual(['CDGI', 'ADMIN']);
    const cdgi = report.groups.find((g: { parent: string }) => g.parent === 'CDGI');
    expect(cdgi.experts.map((e: { expert: string }) => e.expert)).not.toContain('E3');
  });
});
