/**
 * A new user's mistakes, one by one, on a small valid project: each must give located issues
 * (file, row, column or field) that say what was expected, all problems together, and a hint
 * where the mistake is a likely typo.
 */
import { describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CityIndexError, type Issue } from '../../src/engine/core/errors.ts';
import { loadProject, buildProject, didYouMean, editDistance } from '../../src/formats/project.ts';
import { writeProject, UNITS, IND } from './fixture.ts';

async function issuesOf(dir: string): Promise<{ errors: Issue[]; warnings: Issue[] }> {
  try {
    await loadProject(dir);
  } catch (e) {
    if (!(e instanceof CityIndexError)) throw e;
    return {
      errors: e.issues.filter((i) => i.severity !== 'warning'),
      warnings: e.issues.filter((i) => i.severity === 'warning'),
    };
  }
  throw new Error('expected the project to be rejected');
}

const edit = (text: string, from: string | RegExp, to: string): string => {
  const out = text.replace(from, to);
  if (out === text) throw new Error(`fixture edit did not apply: ${String(from)}`);
  return out;
};

describe('did you mean', () => {
  it('edit distance counts insertions, deletions and substitutions', () => {
    expect(editDistance('winmx', 'winmax')).toBe(1); // one insertion
    expect(editDistance('kitten', 'sitting')).toBe(3); // k→s, e→i, +g
    expect(editDistance('abc', 'abcdefgh', 2)).toBe(3); // gives up above max
  });
  it('suggests the near name, ignores far ones', () => {
    expect(didYouMean('minmax', ['minMax', 'zScore'])).toBe('minMax');
    expect(didYouMean('population_202', ['population_2020', 'gdp_2019'])).toBe('population_2020');
    expect(didYouMean('stages', ['status', 'groupings'])).toBe('status'); // 2 edits at 6 letters: allowed
    expect(didYouMean('abc', ['xyz'])).toBeUndefined();
  });
});

describe('project.yaml mistakes', () => {
  it('a typo in a step option: line, field and the right name', async () => {
    const dir = writeProject((f) => {
      f['project.yaml'] = edit(f['project.yaml'] as string, 'winmax: 5', 'winmx: 5');
    });
    const { errors } = await issuesOf(dir);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({
      code: 'E_SCHEMA',
      file: 'project.yaml',
      row: 8,
      field: 'build.steps[1].options',
    });
    expect(errors[0].message).toContain('did you mean "winmax"');
  });

  it('a method name in the wrong case: the allowed spelling', async () => {
    const dir = writeProject((f) => {
      f['project.yaml'] = edit(f['project.yaml'] as string, 'method: minMax', 'method: minmax');
    });
    const { errors } = await issuesOf(dir);
    expect(errors[0]).toMatchObject({ file: 'project.yaml', row: 9, field: 'build.steps[2].options.method' });
    expect(errors[0].message).toContain('did you mean "minMax"');
  });

  it('a tab indent: the line and a bilingual hint, without follow-on noise', async () => {
    const dir = writeProject((f) => {
      f['framework.yaml'] = edit(f['framework.yaml'] as string, '    - code: B\n', '\t- code: B\n');
    });
    const { errors } = await issuesOf(dir);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'E_YAML', file: 'framework.yaml', row: 13 });
    expect(errors[0].message).toContain('not tabs');
    expect(errors[0].message).toContain('制表符');
  });

  it('a folder where a file is expected: says so and names a file inside', async () => {
    const dir = writeProject((f) => {
      f['project.yaml'] = edit(f['project.yaml'] as string, 'data: data.csv', 'data: tables');
      f['tables/data.csv'] = f['data.csv'];
    });
    const { errors } = await issuesOf(dir);
    expect(errors).toEqual([
      expect.objectContaining({
        code: 'E_NOT_A_FILE',
        file: 'project.yaml',
        row: 4,
        field: 'data',
        expected: 'a file path such as "tables/data.csv"',
      }),
    ]);
  });

  it('a misspelt file name: not found, with the near name', async () => {
    const dir = writeProject((f) => {
      f['project.yaml'] = edit(f['project.yaml'] as string, 'units: units.csv', 'units: unit.csv');
    });
    const { errors } = await issuesOf(dir);
    expect(errors[0]).toMatchObject({ code: 'E_FILE_MISSING', file: 'project.yaml', row: 3, field: 'units' });
    expect(errors[0].message).toContain('did you mean "units.csv"');
  });

  it('paths used later (series, cases, surveys) are checked by validation', async () => {
    const dir = writeProject((f) => {
      f['project.yaml'] += 'cases: no-cases\nseries: {file: nope.csv}\nsurveys: [missing/survey.yaml]\n';
    });
    const { errors } = await issuesOf(dir);
    expect(errors.map((i) => [i.code, i.field, i.row])).toEqual([
      ['E_FILE_MISSING', 'series.file', 12],
      ['E_FILE_MISSING', 'cases', 11],
      ['E_FILE_MISSING', 'surveys[0]', 13],
    ]);
  });

  it('a missing required field is named as missing', async () => {
    const dir = writeProject((f) => {
      f['project.yaml'] += 'analyses:\n  uncertainty: {seed: 1}\n';
    });
    const { errors } = await issuesOf(dir);
    const n = errors.find((i) => i.field === 'analyses.uncertainty.N');
    expect(n?.message).toMatch(/^missing required field "N"/);
    expect(n?.row).toBe(12); // the line of `uncertainty:`, where N belongs
  });

  it('the project path: missing, a data file, or a folder without project.yaml', async () => {
    const dir = writeProject();
    await expect(loadProject(join(dir, 'nope'))).rejects.toMatchObject({ issues: [{ code: 'E_PROJECT_NOT_FOUND' }] });
    await expect(loadProject(join(dir, 'units.csv'))).rejects.toMatchObject({
      issues: [{ code: 'E_PROJECT_NOT_YAML' }],
    });
    mkdirSync(join(dir, 'empty'));
    writeFileSync(join(dir, 'empty', 'variant.yaml'), 'name: x\n');
    const e = await loadProject(join(dir, 'empty')).catch((x: CityIndexError) => x);
    expect((e as CityIndexError).issues[0]).toMatchObject({ code: 'E_NO_PROJECT_FILE' });
    expect((e as CityIndexError).issues[0].message).toContain('variant.yaml');
  });

  it('a project file that is a list: one clear issue', async () => {
    const dir = writeProject((f) => {
      f['project.yaml'] = '- a\n- b\n';
    });
    const { errors } = await issuesOf(dir);
    expect(errors).toEqual([expect.objectContaining({ code: 'E_SCHEMA', file: 'project.yaml', row: 1 })]);
    expect(errors[0].message).toContain('found a list');
  });
});

describe('data mistakes', () => {
  it('an indicator code in long data that is not in the framework: grouped rows and the near code', async () => {
    const long =
      'unit,indicator,value\n' +
      UNITS.flatMap((u, i) => IND.map((c, j) => `${u},${c === 'B2' ? 'B_2' : c},${i + j + 1}`)).join('\n') +
      '\n';
    const dir = writeProject((f) => {
      f['data.csv'] = long;
    });
    const { errors } = await issuesOf(dir);
    const unknown = errors.filter((i) => i.code === 'E_UNKNOWN_CODE');
    expect(unknown).toHaveLength(1);
    expect(unknown[0]).toMatchObject({ file: 'data.csv', row: 5, column: 'indicator' });
    expect(unknown[0].message).toContain('6 rows: 5, 9, 13, 17, 21, …');
    expect(unknown[0].message).toContain('did you mean "B2"');
    // and B2 itself, now without values, is reported in the same run
    expect(errors.some((i) => i.code === 'E_EMPTY_COLUMN' && i.indicator === 'B2')).toBe(true);
  });

  it('a misspelt wide column: the empty indicator names the column that looks like it', async () => {
    const dir = writeProject((f) => {
      f['data.csv'] = edit(f['data.csv'] as string, 'code,A1,A2,B1,B2', 'code,A1,A2,B1,BB2');
    });
    const { errors, warnings } = await issuesOf(dir);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'E_EMPTY_COLUMN', file: 'framework.yaml', row: 17, indicator: 'B2' });
    expect(errors[0].message).toContain('data.csv has a column "BB2"');
    expect(warnings.map((w) => w.code)).toContain('W_IGNORED_COLUMNS');
  });

  it('adcodes written as 330100.0 or with spaces are read as the code, with a warning', async () => {
    const dir = writeProject((f) => {
      f['units.csv'] = edit(f['units.csv'] as string, '330100,', '330100.0,');
      f['data.csv'] = edit(f['data.csv'] as string, '440100,', '  440100.00,');
    });
    const p = await loadProject(dir);
    expect(p.input.units.map((u) => u.code)).toContain('330100');
    expect(p.input.raw.unitCodes).toEqual([...UNITS].sort());
    expect(p.warnings.filter((w) => w.code === 'W_CODE_DECIMAL').map((w) => [w.file, w.row])).toEqual([
      ['units.csv', 4],
      ['data.csv', 5],
    ]);
  });

  it('a unit not in the units list: one issue per unit with its rows', async () => {
    const long =
      'unit,indicator,value\n' +
      UNITS.flatMap((u, i) => IND.map((c, j) => `${u === '420100' ? '420199' : u},${c},${i + j + 1}`)).join('\n') +
      '\n';
    const dir = writeProject((f) => {
      f['data.csv'] = long;
    });
    const { errors } = await issuesOf(dir);
    const unknown = errors.filter((i) => i.code === 'E_UNKNOWN_UNIT');
    expect(unknown).toHaveLength(1);
    expect(unknown[0]).toMatchObject({ file: 'data.csv', row: 22, column: 'unit' });
    expect(unknown[0].message).toContain('4 rows');
    expect(unknown[0].message).toContain('did you mean "420100"');
  });

  it('the same indicator in two data files: one issue naming both files', async () => {
    const dir = writeProject((f) => {
      f['project.yaml'] = edit(f['project.yaml'] as string, 'data: data.csv', 'data: [data.csv, more.csv]');
      f['more.csv'] = 'code,B1\n' + UNITS.map((u) => `${u},1`).join('\n') + '\n';
    });
    const { errors } = await issuesOf(dir);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'E_CONFLICT', file: 'more.csv', row: 2, column: 'B1', indicator: 'B1' });
    expect(errors[0].message).toContain(
      '6 values of indicator "B1" are given twice: also in data.csv (rows 2, 3, 4, …)',
    );
  });

  it('an undeclared denominator: the framework file, the line of the indicator, the near code', async () => {
    const dir = writeProject((f) => {
      f['framework.yaml'] = edit(
        f['framework.yaml'] as string,
        '{code: B1, name: {en: b1}}',
        '{code: B1, name: {en: b1}, denominator: populaton}',
      );
    });
    const { errors } = await issuesOf(dir);
    expect(errors).toEqual([
      expect.objectContaining({
        code: 'E_UNKNOWN_DENOMINATOR',
        file: 'framework.yaml',
        row: 16,
        indicator: 'B1',
        field: 'denominator',
      }),
    ]);
    expect(errors[0].message).toContain('did you mean "population"');
  });

  it('percentages, thousands separators and units in cells: each says how to fix it', async () => {
    const dir = writeProject((f) => {
      const lines = (f['data.csv'] as string).split('\n');
      lines[1] = '110100,12.5%,"1,234",3万,4';
      f['data.csv'] = lines.join('\n');
    });
    const { errors } = await issuesOf(dir);
    expect(errors.map((i) => [i.row, i.column])).toEqual([
      [2, 'A1'],
      [2, 'A2'],
      [2, 'B1'],
    ]);
    expect(errors[0].message).toContain('percent sign');
    expect(errors[1].message).toContain('thousands separators');
    expect(errors[2].message).toContain('unit or text');
  });

  it('a data file with only a header: says so, and the indicators without values are listed too', async () => {
    const dir = writeProject((f) => {
      f['data.csv'] = 'code,A1,A2,B1,B2\n';
    });
    const { errors } = await issuesOf(dir);
    expect(errors[0]).toMatchObject({ code: 'E_NO_ROWS', file: 'data.csv', row: 1 });
    expect(errors.filter((i) => i.code === 'E_EMPTY_COLUMN')).toHaveLength(4);
  });

  it('data files are checked even when the framework is broken (all problems at once)', async () => {
    const dir = writeProject((f) => {
      f['framework.yaml'] = edit(f['framework.yaml'] as string, 'direction: -1', 'direction: down');
      f['data.csv'] = edit(f['data.csv'] as string, 'code,A1,A2', 'code,A1,A1');
    });
    const { errors } = await issuesOf(dir);
    expect(errors.map((i) => [i.code, i.file])).toEqual([
      ['E_SCHEMA', 'framework.yaml'],
      ['E_DUPLICATE_COLUMN', 'data.csv'],
    ]);
    expect(errors[0].row).toBe(12);
  });

  it('values for an indicator marked not_collected: a warning, not silently dropped', async () => {
    const dir = writeProject((f) => {
      f['framework.yaml'] = edit(
        f['framework.yaml'] as string,
        '{code: B2, name: {en: b2}}',
        '{code: B2, name: {en: b2}, status: not_collected}',
      );
    });
    const p = await loadProject(dir);
    expect(p.warnings).toEqual(
      expect.arrayContaining([expect.objectContaining({ code: 'W_GAP_HAS_DATA', indicator: 'B2', row: 17 })]),
    );
  });

  it('Windows line endings and a GBK units file load as the UTF-8 project does', async () => {
    const plain = await loadProject(writeProject());
    // "code,name_zh\r\n110100,北京\r\n" in GBK
    const gbk = new Uint8Array(Buffer.from('636f64652c6e616d655f7a680d0a3131303130302cb1b1bea90d0a', 'hex'));
    const dir = writeProject((f) => {
      for (const k of ['data.csv', 'project.yaml', 'framework.yaml']) f[k] = (f[k] as string).replace(/\n/g, '\r\n');
      f['names.csv'] = gbk;
    });
    const p = await loadProject(dir);
    expect(Array.from(p.input.raw.values)).toEqual(Array.from(plain.input.raw.values));
    const { decodeText, parseCsvTable } = await import('../../src/formats/table.ts');
    const t = parseCsvTable(decodeText(gbk, 'names.csv').text, 'names.csv');
    expect(t.rows).toEqual([['110100', '北京']]);
  });
});

describe('build errors located in the project file', () => {
  it('an unknown group column in a step: the step, its line and the near column', async () => {
    const dir = writeProject((f) => {
      f['project.yaml'] = edit(f['project.yaml'] as string, '{method: mean}', '{method: groupMean, group: regon}');
    });
    const p = await loadProject(dir);
    const e = await buildProject(p).catch((x: CityIndexError) => x);
    expect(e).toBeInstanceOf(CityIndexError);
    expect((e as CityIndexError).issues[0]).toMatchObject({
      code: 'E_UNKNOWN_GROUP',
      file: 'project.yaml',
      row: 7,
      field: 'build.steps[0].options.group',
    });
    expect((e as CityIndexError).issues[0].message).toContain('did you mean "region"');
  });

  it('a step inherited through extends is located in the base file', async () => {
    const dir = writeProject((f) => {
      f['project.yaml'] = edit(f['project.yaml'] as string, '{method: mean}', '{method: groupMean, group: regon}');
      f['variant.yaml'] = 'extends: project.yaml\nname: {en: Variant}\n';
    });
    const p = await loadProject(join(dir, 'variant.yaml'));
    const e = await buildProject(p).catch((x: CityIndexError) => x);
    expect((e as CityIndexError).issues[0]).toMatchObject({
      file: 'project.yaml',
      row: 7,
      field: 'build.steps[0].options.group',
    });
  });

  it('a valid project builds', async () => {
    const b = await buildProject(await loadProject(writeProject()));
    expect(b.results.scores.unitCodes).toHaveLength(UNITS.length);
  });
});
