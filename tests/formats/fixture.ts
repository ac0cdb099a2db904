/** A small valid project (6 cities × 4 indicators) written to a temp folder, for breaking in tests. */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export type Files = Record<string, string | Uint8Array>;

export const UNITS = ['110100', '310100', '330100', '440100', '440300', '420100'];
export const IND = ['A1', 'A2', 'B1', 'B2'];

/** The files of the base project; `project.yaml` reads framework.yaml, units.csv and data.csv. */
export function baseFiles(): Record<string, string> {
  const units =
    'code,name_zh,name_en,region,population,lon,lat\n' +
    UNITS.map(
      (u, i) => `${u},城市${i},City ${i},${i % 2 ? '东部' : '中部'},${(i + 1) * 1000},${110 + i},${30 + i}`,
    ).join('\n') +
    '\n';
  const data =
    'code,' +
    IND.join(',') +
    '\n' +
    UNITS.map((u, i) => `${u},${IND.map((_, j) => (i + 1) * (j + 2) + 0.5).join(',')}`).join('\n') +
    '\n';
  const framework = `levelNames: [{en: Indicator}, {en: Dimension}, {en: Index}]
denominators:
  - {code: population, name: {en: Population}}
tree:
  code: IDX
  name: {zh: 指数, en: Index}
  children:
    - code: A
      name: {en: Dim A}
      children:
        - {code: A1, name: {en: a1}, direction: 1}
        - {code: A2, name: {en: a2}, direction: -1}
    - code: B
      name: {en: Dim B}
      children:
        - {code: B1, name: {en: b1}}
        - {code: B2, name: {en: b2}}
`;
  const project = `name: {en: Test, zh: 测试}
framework: framework.yaml
units: units.csv
data: data.csv
build:
  steps:
    - {id: impute, kind: impute, options: {method: mean}}
    - {id: treat, kind: treat, options: {winmax: 5}}
    - {id: normalise, kind: normalise, options: {method: minMax, range: [0, 100]}}
    - {id: aggregate, kind: aggregate}
`;
  return { 'project.yaml': project, 'framework.yaml': framework, 'units.csv': units, 'data.csv': data };
}

/** Write `files` (base files changed by `change`) to a new temp folder; returns its path. */
export function writeProject(
  change: (f: Files) => void = () => {},
  root = mkdtempSync(join(tmpdir(), 'ci-io-')),
): string {
  const f: Files = baseFiles();
  change(f);
  for (const [name, content] of Object.entries(f)) {
    mkdirSync(dirname(join(root, name)), { recursive: true });
    writeFileSync(join(root, name), content);
  }
  return root;
}
