import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { Model } from 'survey-core';
import { afterAll, describe, expect, it } from 'vitest';
import { CityIndexError } from '../engine/core/errors.ts';
import { getValue } from '../engine/core/dataset.ts';
import { DONT_KNOW, SEX_FEMALE, SEX_MALE } from '../engine/survey/types.ts';
import {
  checkDefinition,
  findSurveyConfigs,
  loadResponses,
  parseCensusMargins,
  parseResponsesCsv,
  parseSurveyConfig,
  parseSurveyJsResults,
  runSurveyFile,
  SIMULATED_LABEL,
} from './survey.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const example = join(root, 'examples/cdgi-2020');
const tmp = await mkdtemp(join(tmpdir(), 'cityindex-survey-'));
afterAll(() => rm(tmp, { recursive: true, force: true }));

const opts = { columns: { id: 'id', city: 'city', duration: 'time', age: 'age', sex: 'sex' }, items: ['q1', 'q2'] };

describe('parseResponsesCsv', () => {
  it('reads codes, "don\'t know", sex and duration as survey tools export them', () => {
    const csv = '\ufeffid,city,time,age,sex,q1,q2\nA,110100,312秒,34,男,4,dk\nB,310100,5:12,60-64,female,,不知道\n';
    const { table, issues } = parseResponsesCsv(csv, 'r.csv', { ...opts, ageBands: [{ label: '60-64', min: 60 }] });
    expect(issues).toEqual([]);
    expect(table.n).toBe(2);
    expect([...table.duration]).toEqual([312, 312]);
    expect([...table.age]).toEqual([34, 60]);
    expect([...table.sex]).toEqual([SEX_MALE, SEX_FEMALE]);
    expect(table.items.q1[0]).toBe(4);
    expect(table.items.q2[0]).toBe(DONT_KNOW);
    expect(table.items.q1[1]).toBeNaN();
    expect([...table.sourceRow]).toEqual([2, 3]);
  });

  it('locates bad cells by row and column and keeps going', () => {
    const csv = 'id,city,time,age,sex,q1,q2\nA,Beijing,fast,old,x,4,maybe\n';
    const { table, issues } = parseResponsesCsv(csv, 'r.csv', opts);
    expect(issues.map((i) => [i.code, i.row, i.column])).toEqual([
      ['E_CITY', 2, 'city'],
      ['E_DURATION', 2, 'time'],
      ['E_AGE', 2, 'age'],
      ['E_SEX', 2, 'sex'],
      ['E_ANSWER', 2, 'q2'],
    ]);
    expect(table.city[0]).toBeNull();
  });

  it('handles quoted fields (a multi-line record is located by its last line) and stops on a missing column', () => {
    // A record is located by its last line, as the shared table parser does.
    const csv = 'id,city,time,age,sex,q1,q2\n"A\nB",110100,300,30,m,1,2\nC,110100,300,30,f,3,4\n';
    expect([...parseResponsesCsv(csv, 'r.csv', opts).table.sourceRow]).toEqual([3, 4]);
    expect(() => parseResponsesCsv('id,city\nA,110100\n', 'r.csv', opts)).toThrow(/r\.csv:1 column "q1"/);
  });
});

describe('SurveyJS results and XLSX', () => {
  it('flattens matrix answers', () => {
    const json = JSON.stringify([
      { id: 'A', city: '110100', grid: { q1: 5, q2: 'dk' }, sex: 'male' },
      { id: 'B', city: '440300', grid: { q1: 2 } },
    ]);
    const { table } = parseSurveyJsResults(json, 'r.json', opts);
    expect(table.items.q1[0]).toBe(5);
    expect(table.items.q2[0]).toBe(DONT_KNOW);
    expect(table.items.q2[1]).toBeNaN();
    expect(table.city).toEqual(['110100', '440300']);
  });

  it('reports invalid JSON with its line, and a non-array', () => {
    expect(() => parseSurveyJsResults('[\n{"a": }', 'r.json', opts)).toThrow(CityIndexError);
    expect(() => parseSurveyJsResults('{"a": 1}', 'r.json', opts)).toThrow(/array of SurveyJS results/);
  });

  it('reads an XLSX export', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('答卷');
    ws.addRow(['id', 'city', 'time', 'age', 'sex', 'q1', 'q2']);
    ws.addRow(['A', 110100, 300, 30, '女', 5, 'dk']);
    const file = join(tmp, 'r.xlsx');
    await writeFile(file, new Uint8Array(await wb.xlsx.writeBuffer()));
    const { table, issues } = await loadResponses(file, opts);
    expect(issues).toEqual([]);
    expect(table.city[0]).toBe('110100');
    expect(table.sex[0]).toBe(SEX_FEMALE);
    expect(table.items.q2[0]).toBe(DONT_KNOW);
  });
});

describe('survey.yaml and census', () => {
  const base =
    'id: s\ncities: ["110100"]\nresponses: { file: r.csv, columns: { city: city } }\n' +
    'indicators: [{ code: X, items: [q1, q2] }]\n';
  it('parses a minimal config with defaults', () => {
    const c = parseSurveyConfig(base, 'survey.yaml');
    expect(c.weighting.weighting.method).toBe('none');
    expect(c.indicators[0].items).toEqual(['q1', 'q2']);
  });
  it('locates schema and cross-field errors', () => {
    expect(() => parseSurveyConfig(base + 'scoring: { reverse: [q9] }\n', 'survey.yaml')).toThrow(
      /survey\.yaml field "scoring\.reverse\[0\]"/,
    );
    expect(() => parseSurveyConfig(base.replace('"110100"', '"1101"'), 'survey.yaml')).toThrow(/cities\[0\]/);
    expect(() => parseSurveyConfig(base + 'weighting: { weighting: { method: magic } }\n', 'survey.yaml')).toThrow(
      /weighting/,
    );
  });
  it('derives margins from the bundled census file and warns about a city without figures', async () => {
    const { readFile } = await import('node:fs/promises');
    const text = await readFile(
      join(root, 'data/sources/census_population_2020/census_city_population_2010_2020.csv'),
      'utf8',
    );
    const r = parseCensusMargins(text, 'census.csv', ['110100', '659001']);
    expect(r.margins.get('110100')!.sex[0]).toBeCloseTo(104.7 / 204.7, 12);
    expect(r.issues.some((i) => i.unit === '659001')).toBe(true);
  });
});

describe('the CDGI 2020 example survey (模拟数据 / simulated responses)', () => {
  it('has definitions that survey-core loads and that contain every item', async () => {
    const { readFile } = await import('node:fs/promises');
    for (const lang of ['zh', 'en']) {
      const def = JSON.parse(await readFile(join(example, `surveys/questionnaire.${lang}.json`), 'utf8'));
      const model = new Model(def);
      expect(model.getAllQuestions().length).toBeGreaterThan(5);
      expect(await checkDefinition(def, lang, ['GOV1', 'LIF4', 'ATTN', 'OVR'], ['city_adcode', 'age', 'sex'])).toEqual(
        [],
      );
    }
    expect(
      (await checkDefinition({ pages: [{ elements: [{ type: 'matrixx', name: 'x' }] }] }, 'bad.json', ['x']))[0].code,
    ).toBe('E_SURVEYJS_DEF');
    // every SurveyJS definition in the folder (resident and expert questionnaires) loads without JSON errors
    const { readdir } = await import('node:fs/promises');
    const defs = (await readdir(join(example, 'surveys'))).filter((f) =>
      /^(questionnaire|ahp)\.(zh|en)\.json$/.test(f),
    );
    expect(defs).toHaveLength(4);
    for (const f of defs) {
      const model = new Model(JSON.parse(await readFile(join(example, 'surveys', f), 'utf8')));
      expect((model as unknown as { jsonErrors: unknown[] | null }).jsonErrors ?? []).toEqual([]);
      expect(model.getAllQuestions().length).toBeGreaterThan(3);
    }
  });

  it('runs end to end: 45 cities, cleaning counts, flags and intervals around every estimate', async () => {
    expect(await findSurveyConfigs(example)).toEqual([join(example, 'surveys/survey.yaml')]);
    const { survey, result } = await runSurveyFile(join(example, 'surveys/survey.yaml'));
    expect(survey.config.simulated).toBe(true);
    expect(SIMULATED_LABEL).toBe('模拟数据 / simulated responses');
    const ds = result.estimates.dataset;
    expect(ds.unitCodes).toHaveLength(45);
    for (const c of result.cleaning.perCity) expect(c.kept).toBeLessThanOrEqual(120);
    expect(Object.values(result.cleaning.counts).every((x) => x > 0)).toBe(true);
    expect(result.estimates.flags.map((f) => f.city).sort()).toEqual(['321200', '410300']);
    for (const u of ds.unitCodes)
      for (const code of ds.codes) {
        const v = getValue(ds, u, code);
        expect(v).toBeGreaterThanOrEqual(getValue(result.estimates.lower, u, code));
        expect(v).toBeLessThanOrEqual(getValue(result.estimates.upper, u, code));
      }
    // weights: mean 1 per city, within the trimming bounds
    for (const w of result.weighting.perCity) {
      expect(w.maxWeight).toBeLessThanOrEqual(3 + 1e-9);
      expect(w.minWeight).toBeGreaterThanOrEqual(0.3 - 1e-9);
    }
  });
});
