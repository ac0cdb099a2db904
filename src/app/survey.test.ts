/** The survey use cases called directly (no CLI): results equal the files `cityindex survey` writes. */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { run } from '../cli/main.ts';
import { loadProject } from '../formats/project.ts';
import { parseExpertAnswers } from '../formats/survey.ts';
import {
  ahpForm,
  blockingIssues,
  cleanSurveys,
  estimateSurveys,
  expertPanel,
  runExpertPanel,
  validateProjectSurveys,
} from './survey.ts';
import { searchProjectCases } from './cases.ts';

const example = 'examples/cdgi-2020';
const answers = join(example, 'surveys/experts-simulated.json');
const tmp = await mkdtemp(join(tmpdir(), 'cityindex-app-survey-'));
afterAll(() => rm(tmp, { recursive: true, force: true }));

async function cli(argv: string[]): Promise<number> {
  const e = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    return await run(argv);
  } finally {
    e.mockRestore();
  }
}

const text = (v: unknown): string => (typeof v === 'string' ? v : Buffer.from(v as Uint8Array).toString('utf8'));

describe('survey use cases', () => {
  it('validateProjectSurveys: the simulated example has no blocking issue', async () => {
    const [check] = await validateProjectSurveys(example);
    expect(check.survey.config.simulated).toBe(true);
    expect(check.survey.config.cities).toHaveLength(45);
    expect(blockingIssues(check.issues)).toEqual([]);
  });

  it('cleanSurveys and estimateSurveys return the files the CLI writes', async () => {
    expect(await cli(['survey', 'clean', example, '--out', join(tmp, 'c')])).toBe(0);
    expect(await cli(['survey', 'estimate', example, '--out', join(tmp, 'e')])).toBe(0);
    const [cleaned] = await cleanSurveys(example);
    expect(cleaned.cleaning.counts.overQuota).toBeGreaterThan(0);
    for (const [name, content] of cleaned.files) {
      expect(text(content), name).toBe(await readFile(join(tmp, 'c', cleaned.survey.config.id, name), 'utf8'));
    }
    const [estimated] = await estimateSurveys(example);
    expect(estimated.result.estimates.dataset.unitCodes).toHaveLength(45);
    expect(estimated.result.estimates.flags.some((f) => f.city === '321200')).toBe(true);
    for (const [name, content] of estimated.files) {
      expect(text(content), name).toBe(await readFile(join(tmp, 'e', estimated.survey.config.id, name), 'utf8'));
    }
  }, 60_000);

  it('runExpertPanel returns the weight steps and report the CLI writes; expertPanel is pure', async () => {
    const out = join(tmp, 'ahp');
    expect(await cli(['survey', 'ahp', example, '--answers', answers, '--out', out])).toBe(0);
    const { panel, files } = await runExpertPanel(example, join(process.cwd(), answers));
    for (const [name, content] of files) expect(text(content), name).toBe(await readFile(join(out, name), 'utf8'));
    const manual = { kind: 'weight', options: { level: 2, weighting: { method: 'manual' } } };
    expect(panel.weightSteps[0]).toMatchObject(manual);
    expect(panel.groups.some((g) => g.experts.some((e) => e.expert === 'E7' && !e.consistent))).toBe(true);
    const project = await loadProject(example);
    const experts = parseExpertAnswers(await readFile(answers, 'utf8'), answers);
    const options = { method: 'aij', riTable: 'saaty', maxCR: 0.1 } as const;
    const again = expertPanel(project.input.framework, experts, options, answers);
    expect(again.weightSteps).toEqual(panel.weightSteps);
    await expect(runExpertPanel(example, join(tmp, 'missing.json'))).rejects.toMatchObject({
      issues: [{ code: 'E_FILE', file: join(tmp, 'missing.json') }],
    });
  }, 60_000);

  it('ahpForm gives the committed questionnaires', async () => {
    const form = await ahpForm(example);
    expect(form.files.get('ahp.zh.json')).toBe(await readFile(join(example, 'surveys/ahp.zh.json'), 'utf8'));
    expect(form.groups).toBeGreaterThan(0);
    expect(form.questions).toBeGreaterThan(form.groups);
  });
});

describe('searchProjectCases', () => {
  it('finds 杭州城市大脑 for 交通 and for traffic; a project without cases is an input error', async () => {
    for (const q of ['交通', 'traffic']) {
      expect((await searchProjectCases(example, q))[0].case.id).toBe('hangzhou-city-brain');
    }
    await expect(searchProjectCases('examples/asem', 'x')).rejects.toMatchObject({ issues: [{ code: 'E_NO_CASES' }] });
  });
});
