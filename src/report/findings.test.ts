import { describe, it, expect } from 'vitest';
import { createDataset } from '../engine/core/dataset.ts';
import type { Framework, Unit } from '../engine/core/framework.ts';
import { build } from '../engine/pipeline/build.ts';
import type { BuildSpec } from '../engine/spec/spec.ts';
import { runAnalyses, parseAnalysesConfig } from '../engine/analysis/run.ts';
import type { LoadedProject } from '../formats/project.ts';
import { computeFindings, type Finding } from './findings.ts';
import type { ReportContext } from './context.ts';
import { caught } from '../engine/test-fixtures/engine.ts';

const TEST_SOURCE = { title: 'test fixture (not a real publication)', date: '2000-01-01', url: 'https://example.org/' };

// Six cities, index = mean(D1, D2), D1 = mean(i1, i2), D2 = i3; raw values already span 0–100, so
// min–max to [0, 100] leaves them unchanged. Worked by hand:
//   D1: A 0, B 60, C 75, D 65, E 20, F 55      D2: A 10, B 60, C 100, D 90, E 0, F 30
//   IDX: A 5, B 60, C 87.5, D 77.5, E 10, F 42.5  → order C, D, B, F, E, A; mean 282.5/6 = 47.0833
//   below the mean: A, E, F (3 of 6); east (A–D) 230/4 = 57.5, west (E, F) 52.5/2 = 26.25, gap 31.25
const codes = ['110100', '310100', '330100', '440300', '510100', '610100']; // A … F
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
const units: Unit[] = codes.map((code, i) => ({
  code,
  name: { zh: names[i][0], en: names[i][1] },
  groups: { region: region[i], admin_rank: rank[i], clusters: cluster[i] },
  attributes: { lon: lonlat[i][0], lat: lonlat[i][1] },
}));
const framework: Framework = {
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
const spec: BuildSpec = {
  version: 1,
  steps: [
    { id: 'normalise', kind: 'normalise', options: { method: 'minMax', range: [0, 100] } },
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
} as unknown as LoadedProject;
const analyses = runAnalyses(
  b,
  parseAnalysesConfig({
    regional: { groupings: ['region', 'clusters'], compare: [{ grouping: 'region', a: '东部', b: '西部' }] },
    tiers: {
      method: 'thresholds',
      cuts: [50],
      labels: [
        { zh: '上', en: 'Upper' },
        { zh: '下', en: 'Lower' },
      ],
    },
    spatial: { weights: { method: 'knn', k: 2 }, permutations: 99, seed: 7, leader: { unit: '330100' } },
    // a made-up test source (the schema requires one on every published figure)
    reference: {
      topTen: { units: ['330100', '110100'], source: TEST_SOURCE },
      shareBelowMean: { value: 0.75, source: TEST_SOURCE },
    },
  }),
);
const ctx: ReportContext = { project, build: b, analyses, lang: 'zh' };
const findings = computeFindings(ctx);
const get = <K extends Finding['kind']>(k: K) => findings.find((f) => f.kind === k) as Extract<Finding, { kind: K }>;

describe('computeFindings', () => {
  it('the analyses ran', () => expect(analyses.errors).toEqual([]));

  it('leader and top ten from the scores (hand-worked order C, D, B, F, E, A)', () => {
    const f = get('leader');
    expect(f.data.leader).toEqual({ unit: '330100', score: 87.5, rank: 1 });
    expect(f.data.topTen.map((t) => t.unit)).toEqual(['330100', '440300', '310100', '610100', '510100', '110100']);
    expect(f.text.zh).toBe(
      '杭州市排名第一（指数 87.5，共 6 个城市）；前十名：杭州市、深圳市、上海市、西安市、成都市、北京市。',
    );
    expect(f.text.en).toContain('Hangzhou ranks first (Index 87.5; 6 cities evaluated)');
  });

  it('dimension leaders', () => {
    expect(get('dimensionLeaders').data.leaders.map((l) => [l.dimension, l.unit, l.score])).toEqual([
      ['D1', '330100', 75],
      ['D2', '330100', 100],
    ]);
  });

  it('share below the mean: 3 of 6 below 47.08', () => {
    const f = get('belowMean');
    expect(f.data.nBelow).toBe(3);
    expect(f.data.share).toBe(0.5);
    expect(f.data.mean).toBeCloseTo(282.5 / 6, 12);
    expect(f.text.en).toMatch(
      /^3 of 6 cities \(50%\) score below the mean of 47\.1; coefficient of variation 0\.666, Gini 0\.373\./,
    );
  });

  it('east vs west: 57.5 vs 26.25, gap 31.25', () => {
    const f = get('groupComparison');
    expect([f.data.meanA, f.data.meanB, f.data.difference]).toEqual([57.5, 26.25, 31.25]);
    expect(f.text.zh).toBe('东部平均 57.5，高于西部（26.3），相差 31.3 分（2.19 倍）。');
    expect(f.text.en).toBe('East averages 57.5, above West (26.3) by 31.3 points (ratio 2.19).');
  });

  it('clusters against the national mean, highest first (长三角: B, C → 73.75)', () => {
    const f = get('clusters');
    const yrd = f.data.groups.find((g) => g.group === '长三角中心区27城')!;
    expect(yrd.mean).toBe(73.75);
    expect(yrd.gap).toBeCloseTo(73.75 - 282.5 / 6, 12);
    // highest mean first: 珠三角 (D alone) 77.5, 长三角 73.75, 成渝 (E) 10, 京津冀 (A) 5
    expect(f.data.groups.map((g) => [g.group, g.mean])).toEqual([
      ['珠三角9城', 77.5],
      ['长三角中心区27城', 73.75],
      ['成渝16城', 10],
      ['京津冀13城', 5],
    ]);
  });

  it('tiers: top tier C, D, B; of these only 深圳 (计划单列市) is neither a municipality nor a capital', () => {
    const f = get('tiers');
    expect(f.data.tiers.map((t) => [t.name.zh, t.units])).toEqual([
      ['上', ['330100', '440300', '310100']],
      ['下', ['610100', '510100', '110100']],
    ]);
    expect(f.data.topTierNonCapital).toEqual(['440300']);
    expect(f.text.zh).toContain('其中非直辖市、非省会城市有 深圳市');
  });

  it('spillover and Moran numbers are those of the spatial analysis', () => {
    const sp = analyses.spatial!;
    const f = get('spillover');
    expect(f.data.leader.unit).toBe('330100');
    expect(f.data.neighbours.map((x) => x.unit)).toEqual(sp.spillover!.neighbours.map((x) => x.id));
    expect(f.data.neighbourMean).toBe(sp.spillover!.neighbourMean);
    const m = get('moran');
    expect(m.data.I).toBe(sp.moran.I);
    expect(m.data.pSource).toBe('p_sim');
    expect(m.data.permutations).toBe(99);
  });

  it('reference: both published units are in the top ten, same leader, 75% vs 50%, the source counted', () => {
    const f = get('reference');
    expect(f.data.overlap).toEqual(['330100', '110100']);
    expect(f.data.sameLeader).toBe(true);
    expect([f.data.shareBelowMeanPublished, f.data.shareBelowMeanOurs]).toEqual([0.75, 0.5]);
    expect(f.text.en).toContain('(1 source, listed under "Compared with the published report")');
    expect(f.text.zh).toContain('（1 个来源，见“与已发布报告对比”）');
  });

  it('reference: a published figure without its source is rejected by the schema', () => {
    const e = caught(() => parseAnalysesConfig({ reference: { topTen: ['330100'] } }));
    expect(e.issues[0].field).toBe('analyses.reference.topTen');
    const e2 = caught(() =>
      parseAnalysesConfig({ reference: { shareBelowMean: { value: 0.6, source: { title: 'x', date: '2020' } } } }),
    );
    expect(e2.issues[0].field).toBe('analyses.reference.shareBelowMean.source.url');
  });

  it('coverage lists the not-collected indicator; rank intervals only when given', () => {
    expect(get('coverage').data).toEqual({ collected: 3, notCollected: 1, notCollectedCodes: ['gap1'] });
    expect(get('rankUncertainty')).toBeUndefined();
    const withIntervals = computeFindings({
      ...ctx,
      rankIntervals: codes.map((unit, i) => ({ unit, nominal: i + 1, median: i + 1, q5: Math.max(1, i), q95: i + 3 })),
    });
    const u = withIntervals.find((x) => x.kind === 'rankUncertainty') as Extract<Finding, { kind: 'rankUncertainty' }>;
    expect(u.data.leader).toEqual({ unit: '330100', nominal: 3, q5: 2, q95: 5 });
    expect(u.data.medianWidth).toBe(3); // q95 − q5 = [2, 3, 3, 3, 3, 3] → median 3
  });

  it('is deterministic and does not depend on the language of the context', () => {
    expect(computeFindings({ ...ctx, lang: 'en' })).toEqual(findings);
  });
});
