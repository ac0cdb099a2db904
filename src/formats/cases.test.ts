import { describe, expect, it } from 'vitest';
import { mkdtemp, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { parse as parseCsv } from 'csv-parse/sync';
import { parseCase, loadCases, readCases } from './cases.ts';
import { memoryProjectFiles } from './project-files.ts';
import { frameworkFromTree } from './project.ts';
import { FrameworkFileSchema } from './project-schema.ts';
import { CityIndexError } from '../engine/core/errors.ts';
import { searchCases, checkCaseLinks } from '../engine/cases/search.ts';
import type { Unit } from '../engine/core/framework.ts';

const root = join(import.meta.dirname, '..', '..');
const casesDir = join(root, 'cases');

const good = `---
city: 330100
city_name: { zh: 杭州市, en: Hangzhou }
year: 2020
domains: [交通/traffic, { zh: 城市治理, en: city governance }, 数据中枢]
indicators: [INF_DATA_HUB]
sources: ["《中国城市数字治理报告（2020）》"]
---

# 杭州城市大脑

从交通起步。
`;

function issuesOf(fn: () => unknown) {
  try {
    fn();
  } catch (e) {
    if (e instanceof CityIndexError) return e.issues;
    throw e;
  }
  throw new Error('expected a CityIndexError');
}

describe('parseCase', () => {
  it('parses front matter and body, normalising city, domains, sources and the title', () => {
    const c = parseCase(good, 'cases/hz-test.md');
    expect(c.id).toBe('hz-test');
    expect(c.city).toBe('330100'); // an unquoted number becomes the adcode string
    expect(c.cityName).toEqual({ zh: '杭州市', en: 'Hangzhou' });
    expect(c.domains).toEqual([
      { zh: '交通', en: 'traffic' },
      { zh: '城市治理', en: 'city governance' },
      { zh: '数据中枢' },
    ]);
    expect(c.sources).toEqual([{ citation: '《中国城市数字治理报告（2020）》' }]);
    expect(c.title).toEqual({ zh: '杭州城市大脑' }); // from the first heading
    expect(c.body.startsWith('# 杭州城市大脑')).toBe(true);
    expect(c.indicators).toEqual(['INF_DATA_HUB']);
  });

  it('reports every invalid field with file, field and line', () => {
    const bad = good
      .replace('city: 330100', 'city: "33010"')
      .replace('year: 2020', 'year: twenty')
      .replace('sources: ["《中国城市数字治理报告（2020）》"]', 'sources: []')
      .replace('---\n\n#', 'colour: red\n---\n\n#');
    const issues = issuesOf(() => parseCase(bad, 'cases/bad.md'));
    const byField = Object.fromEntries(issues.map((i) => [i.field, i]));
    expect(Object.keys(byField).sort()).toEqual(['city', 'colour', 'sources', 'year']);
    expect(byField.city).toMatchObject({ file: 'cases/bad.md', row: 2, code: 'E_SCHEMA' });
    expect(byField.city.message).toMatch(/6-digit adcode/);
    expect(byField.year).toMatchObject({ file: 'cases/bad.md', row: 4 });
    expect(byField.sources).toMatchObject({ row: 7 });
    expect(byField.colour).toMatchObject({ row: 8 });
    expect(byField.colour.message).toMatch(/unknown field.*colour/);
  });

  it('locates a nested field (domains[1].fr) and a YAML syntax error', () => {
    const nested = parseCaseIssues(
      good.replace('{ zh: 城市治理, en: city governance }', '{ zh: 城市治理, fr: gouvernance }'),
    );
    expect(nested.some((i) => i.field?.startsWith('domains[1]') && i.row === 5)).toBe(true);
    const yamlErr = parseCaseIssues(good.replace('year: 2020', 'year: [2020'));
    expect(yamlErr[0]).toMatchObject({ code: 'E_YAML', file: 'cases/x.md' });
  });

  it('requires front matter', () => {
    expect(parseCaseIssues('# no front matter\n')[0]).toMatchObject({ code: 'E_FRONT_MATTER', row: 1 });
  });
});

function parseCaseIssues(text: string) {
  return issuesOf(() => parseCase(text, 'cases/x.md'));
}

describe('loadCases (the repository case library)', () => {
  it('loads the three cases of the 2020 report, sorted by file name', async () => {
    const cases = await loadCases(casesDir);
    expect(cases.map((c) => [c.id, c.city, c.year])).toEqual([
      ['hangzhou-city-brain', '330100', 2020],
      ['nanchang-ganfutong', '360100', 2020],
      ['zhengzhou-epidemic-systems', '410100', 2020],
    ]);
  });

  it('finds 杭州城市大脑 by 交通 and by traffic, 郑州 by epidemic, 南昌 by 赣服通 and "run at most once"', async () => {
    const cases = await loadCases(casesDir);
    const top = (q: string) => searchCases(cases, q)[0]?.case.id;
    expect(top('交通')).toBe('hangzhou-city-brain');
    expect(top('traffic')).toBe('hangzhou-city-brain');
    expect(top('城市大脑')).toBe('hangzhou-city-brain');
    expect(top('疫情防控')).toBe('zhengzhou-epidemic-systems');
    expect(top('epidemic')).toBe('zhengzhou-epidemic-systems');
    expect(top('赣服通')).toBe('nanchang-ganfutong');
    expect(top('run at most once')).toBe('nanchang-ganfutong');
    expect(top('最多跑一次')).toBe('nanchang-ganfutong');
    expect(top('Hangzhou')).toBe('hangzhou-city-brain');
    expect(searchCases(cases, '交通').map((h) => h.case.id)).not.toContain('nanchang-ganfutong');
  });

  it('every case links to a unit and to framework indicators of examples/cdgi-2020', async () => {
    const cases = await loadCases(casesDir);
    const fwFile = FrameworkFileSchema.parse(
      parseYaml(await readFile(join(root, 'examples/cdgi-2020/framework.yaml'), 'utf8')),
    );
    const { framework, issues } = frameworkFromTree(fwFile, 'framework.yaml');
    expect(issues).toEqual([]);
    const rows = parseCsv(await readFile(join(root, 'examples/cdgi-2020/units.csv'), 'utf8'), {
      columns: true,
    }) as Array<Record<string, string>>;
    const units: Unit[] = rows.map((r) => ({
      code: r.code,
      name: { zh: r.name_zh, en: r.name_en },
      groups: {},
      attributes: {},
    }));
    expect(checkCaseLinks(cases, framework, units)).toEqual([]);
    // and the case's English city name agrees with units.csv
    for (const c of cases) expect(rows.find((r) => r.code === c.city)?.name_en).toBe(c.cityName.en);
  });

  it('collects the problems of all files in one error and skips README.md', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cases-'));
    await writeFile(join(dir, 'README.md'), '# not a case\n');
    await writeFile(join(dir, 'a.md'), good.replace('year: 2020', 'year: 1800'));
    await writeFile(join(dir, 'b.md'), good.replace('city: 330100', 'city: abc'));
    await writeFile(join(dir, 'c.md'), good);
    const err = await loadCases(dir).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(CityIndexError);
    const issues = (err as CityIndexError).issues;
    expect(issues.map((i) => [i.file, i.field])).toEqual([
      [join(dir, 'a.md'), 'year'],
      [join(dir, 'b.md'), 'city'],
    ]);
    await expect(loadCases(join(dir, 'nope'))).rejects.toMatchObject({ issues: [{ code: 'E_FILE_MISSING' }] });
  });

  it('reads the same cases from a map of file contents as from the folder, issues named by source path', async () => {
    const names = ['hangzhou-city-brain.md', 'nanchang-ganfutong.md', 'zhengzhou-epidemic-systems.md', 'README.md'];
    const entries: Record<string, Uint8Array> = {};
    for (const name of names) entries[`cases/${name}`] = new Uint8Array(await readFile(join(casesDir, name)));
    const fromDisk = await loadCases(casesDir);
    const fromMemory = await readCases(memoryProjectFiles(entries), 'cases', (p) => join(root, p));
    expect(fromMemory).toEqual(fromDisk);
    const broken = memoryProjectFiles({ 'cases/a.md': '---\ncity: 1\n---\n# x\n' });
    const e = await readCases(broken, 'cases').catch((x: unknown) => x);
    expect((e as CityIndexError).issues.every((i) => i.file === 'cases/a.md')).toBe(true);
    await expect(readCases(broken, 'nope')).rejects.toMatchObject({
      issues: [{ code: 'E_FILE_MISSING', file: 'nope' }],
    });
  });
});
