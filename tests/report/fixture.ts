/**
 * A six-city build for report tests (the same cities and hand-worked numbers as
 * src/report/findings.test.ts): index = mean(D1, D2), D1 = mean(i1, i2), D2 = i3; raw values span 0–100
 * so min–max to [0, 100] leaves them unchanged.
 *   IDX: A 5, B 60, C 87.5, D 77.5, E 10, F 42.5 → order C, D, B, F, E, A; mean 282.5/6 = 47.0833
 * `normalise` can be swapped (e.g. z-scores, which make scores negative).
 */
import { createDataset } from '../../src/engine/core/dataset.ts';
import type { Framework, Unit } from '../../src/engine/core/framework.ts';
import { build, type Build } from '../../src/engine/pipeline/build.ts';
import type { BuildSpec, StepSpec } from '../../src/engine/spec/spec.ts';
import type { LoadedProject } from '../../src/formats/project.ts';

export const codes = ['110100', '310100', '330100', '440300', '510100', '610100']; // A … F
const names = [
  ['北京市', 'Beijing'],
  ['上海市', 'Shanghai'],
  ['杭州市', 'Hangzhou'],
  ['深圳市', 'Shenzhen'],
  ['成都市', 'Chengdu'],
  ['西安市', "Xi'an"],
];
const region = ['东部', '东部', '东部', '东部', '西部', '西部'];
const rank = [
  '直辖市',
  '直辖市',
  '副省级城市|省会城市',
  '副省级城市|计划单列市',
  '副省级城市|省会城市',
  '副省级城市|省会城市',
];
const cluster = ['京津冀13城', '长三角中心区27城', '长三角中心区27城', '珠三角9城', '成渝16城', null];
const lonlat = [
  [116.4, 39.9],
  [121.5, 31.2],
  [120.2, 30.3],
  [114.1, 22.5],
  [104.1, 30.7],
  [108.9, 34.3],
];
export const units: Unit[] = codes.map((code, i) => ({
  code,
  name: { zh: names[i][0], en: names[i][1] },
  groups: { region: region[i], admin_rank: rank[i], clusters: cluster[i] },
  attributes: { lon: lonlat[i][0], lat: lonlat[i][1], pop: 1 + i },
}));
export const framework: Framework = {
  nodes: [
    {
      code: 'IDX',
      name: { zh: '指数', en: 'Index' },
      level: 3,
      parent: null,
      kind: 'aggregate',
      weight: 1,
      direction: 1,
    },
    {
      code: 'D1',
      name: { zh: '维度一', en: 'Dimension 1' },
      level: 2,
      parent: 'IDX',
      kind: 'aggregate',
      weight: 1,
      direction: 1,
    },
    {
      code: 'D2',
      name: { zh: '维度二', en: 'Dimension 2' },
      level: 2,
      parent: 'IDX',
      kind: 'aggregate',
      weight: 1,
      direction: 1,
    },
    { code: 'i1', name: { en: 'i1' }, level: 1, parent: 'D1', kind: 'indicator', weight: 1, direction: 1 },
    { code: 'i2', name: { en: 'i2' }, level: 1, parent: 'D1', kind: 'indicator', weight: 1, direction: 1 },
    { code: 'i3', name: { en: 'i3' }, level: 1, parent: 'D2', kind: 'indicator', weight: 1, direction: 1 },
    {
      code: 'gap1',
      name: { zh: '未采集', en: 'not collected' },
      level: 1,
      parent: 'D2',
      kind: 'indicator',
      weight: 1,
      direction: 1,
      status: 'not_collected',
    },
  ],
};
const raw = createDataset(
  codes,
  ['i1', 'i2', 'i3'],
  new Float64Array([0, 20, 100, 80, 40, 60, 0, 100, 50, 50, 0, 50, 10, 60, 100, 90, 0, 30]),
);

/** Build the six cities; `normalise` replaces the min–max step. */
export function sixCities(normalise: Record<string, unknown> = { method: 'minMax', range: [0, 100] }): {
  build: Build;
  project: LoadedProject;
} {
  const spec: BuildSpec = {
    version: 1,
    seed: 7,
    steps: [
      { id: 'normalise', kind: 'normalise', options: normalise } as StepSpec,
      { id: 'aggregate', kind: 'aggregate' },
    ],
  };
  const b = build({ framework, units, raw }, spec);
  const project = {
    dir: '.',
    project: { name: { zh: '测试', en: 'Test' }, build: { steps: spec.steps } },
    input: { framework, units, raw },
    spec,
    gaps: framework.nodes.filter((n) => n.status === 'not_collected'),
    valueSources: {},
    files: [],
    warnings: [],
    surveys: [],
  } as unknown as LoadedProject;
  return { build: b, project };
}
