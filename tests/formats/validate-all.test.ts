/**
 * `validate` reports every problem at once (issue 10, item 8): each file is checked on its own, and a
 * check is skipped only when it depends on the part that failed. Four mistakes planted in four files
 * (project.yaml's schema, framework.yaml, data.csv, the manual weights) are all reported by one run.
 */
import { describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { CityIndexError, type Issue } from '../../src/engine/core/errors.ts';
import { validateProject } from '../../src/app/project.ts';
import { writeProject, type Files } from './fixture.ts';

async function errorsOf(dir: string): Promise<Issue[]> {
  try {
    await validateProject(dir);
  } catch (e) {
    if (!(e instanceof CityIndexError)) throw e;
    return e.issues.filter((i) => i.severity !== 'warning');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  throw new Error('expected the project to be rejected');
}

const edit = (f: Files, name: string, from: string, to: string): void => {
  const text = f[name] as string;
  if (!text.includes(from)) throw new Error(`fixture edit did not apply: ${from}`);
  f[name] = text.replace(from, to);
};

const weightStep = (weights: string) =>
  `    - {id: weight, kind: weight, options: {level: 1, weighting: {method: manual, weights: {${weights}}}}}\n`;

/** The four mistakes; `schema` is the project.yaml one. */
function plant(f: Files, schema: 'build' | 'top'): void {
  if (schema === 'build') edit(f, 'project.yaml', 'method: minMax', 'method: minmaxx');
  else edit(f, 'project.yaml', 'name: {en: Test, zh: 测试}\n', 'name: {en: Test, zh: 测试}\nlanguage: fr\n');
  edit(f, 'project.yaml', '    - {id: aggregate', weightStep('A1: 2, A2: 1, B1: 1, B3: 1') + '    - {id: aggregate');
  edit(f, 'framework.yaml', 'direction: -1', 'direction: 2');
  const lines = (f['data.csv'] as string).split('\n');
  lines[3] = lines[3].replace(/,[^,]+$/, ',abc');
  f['data.csv'] = lines.join('\n');
}

describe('validate reports every problem at once', () => {
  for (const schema of ['build', 'top'] as const) {
    const where = schema === 'build' ? 'build step' : 'top-level field';
    it(`four planted mistakes (project.yaml ${where}, framework, data, weights) in one run`, async () => {
      const errors = await errorsOf(writeProject((f) => plant(f, schema)));
      const find = (file: string, field: string | RegExp) =>
        errors.find(
          (i) => i.file === file && (typeof field === 'string' ? i.field === field : field.test(i.field ?? '')),
        );
      const projectError =
        schema === 'build' ? find('project.yaml', 'build.steps[2].options.method') : find('project.yaml', 'language');
      expect(projectError, JSON.stringify(errors)).toMatchObject({ code: 'E_SCHEMA' });
      if (schema === 'build') expect(projectError!.message).toMatch(/did you mean "minMax"/);
      else expect(projectError!.expected).toBe('"zh" or "en"');
      expect(find('framework.yaml', 'tree.children[0].children[1].direction')).toMatchObject({
        code: 'E_SCHEMA',
        expected: '1 or -1',
        row: 12,
      });
      expect(errors.find((i) => i.file === 'data.csv')).toMatchObject({
        code: 'E_NOT_NUMBER',
        row: 4,
        column: 'B2',
        unit: '330100',
      });
      const weight = find('project.yaml', 'build.steps[3].options.weighting.weights.B3');
      expect(weight).toMatchObject({ code: 'E_UNKNOWN_CODE', indicator: 'B3', row: schema === 'build' ? 10 : 11 });
      expect(weight!.expected).toBe('a code at level 1: A1, A2, B1, B2');
      expect(weight!.message).toMatch(/did you mean "B1"/);
      expect(errors).toHaveLength(4);
    });
  }

  it('a missing units file does not hide the data file’s bad cells, nor a framework file’s errors', async () => {
    const errors = await errorsOf(
      writeProject((f) => {
        delete f['units.csv'];
        edit(f, 'framework.yaml', 'direction: -1', 'direction: down');
        const lines = (f['data.csv'] as string).split('\n');
        lines[2] = lines[2].replace(/,[^,]+$/, ',12%');
        f['data.csv'] = lines.join('\n');
      }),
    );
    expect(errors.map((i) => `${i.code} ${i.file}`).sort()).toEqual([
      'E_FILE_MISSING project.yaml',
      'E_NOT_NUMBER data.csv',
      'E_SCHEMA framework.yaml',
    ]);
  });

  it('checks that depend on the failed part are skipped: no "empty column" without the data file', async () => {
    const errors = await errorsOf(
      writeProject((f) => {
        delete f['data.csv'];
        edit(f, 'project.yaml', 'method: mean', 'method: meen');
      }),
    );
    expect(errors.map((i) => i.code).sort()).toEqual(['E_FILE_MISSING', 'E_SCHEMA']);
  });
});
