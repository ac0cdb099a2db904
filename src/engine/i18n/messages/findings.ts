/**
 * Sentences of the report's key findings. Each takes the numbers a finding computed (already rounded
 * for print by the finding) and the names in the reader's language; branching inside a template is
 * about the numbers (ties, significance), never about the language.
 */
import { msg } from '../define.ts';

const f1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '—');
const f2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : '—');
const f3 = (x: number | undefined) => (x !== undefined && Number.isFinite(x) ? x.toFixed(3) : '—');
const pc = (x: number) => `${Math.round(x * 100)}%`;

/** Names of the finding parameters that are lists already joined in the reader's language. */
type List = string;

export const FINDING_MESSAGES = {
  'finding.leader': msg<{
    tied: List | null;
    leader: string;
    indexName: string;
    score: number;
    n: number;
    cities: boolean;
    topTen: List;
  }>(
    (p) =>
      `${p.tied !== null ? `${p.tied}并列第一` : `${p.leader}排名第一`}（${p.indexName} ${f1(p.score)}，` +
      `共 ${p.n} 个${p.cities ? '城市' : '评价对象'}）；前十名：${p.topTen}。`,
    (p) =>
      `${p.tied !== null ? `${p.tied} share first place` : `${p.leader} ranks first`} (${p.indexName} ` +
      `${f1(p.score)}; ${p.n} ${p.cities ? 'cities' : 'units'} evaluated); top ten: ${p.topTen}.`,
  ),
  'finding.dimensionLeaders': msg<{ leaders: Array<{ dimension: string; unit: string; score: number }> }>(
    (p) => `各维度第一：${p.leaders.map((l) => `${l.dimension} ${l.unit}（${f1(l.score)}）`).join('；')}。`,
    (p) => `Dimension leaders: ${p.leaders.map((l) => `${l.dimension}, ${l.unit} (${f1(l.score)})`).join('; ')}.`,
  ),
  'finding.tiers': msg<{
    method: string;
    k: number;
    tiers: Array<{ name: string; n: number }>;
    topName: string;
    top: List;
    nonCapital: { list: List; n: number } | null;
  }>(
    (p) =>
      `按 ${p.method === 'fisherJenks' ? 'Fisher–Jenks 自然断点' : p.method} 分为 ${p.k} 档：` +
      `${p.tiers.map((t) => `${t.name} ${t.n} 个`).join('，')}；${p.topName}为 ${p.top}` +
      `${p.nonCapital ? (p.nonCapital.n ? `，其中非直辖市、非省会城市有 ${p.nonCapital.list}` : '，均为直辖市或省会城市') : ''}。`,
    (p) =>
      `${p.k} tiers by ${p.method === 'fisherJenks' ? 'Fisher–Jenks natural breaks' : p.method}: ` +
      `${p.tiers.map((t) => `${t.name}, ${t.n}`).join('; ')}. The top tier is ${p.top}` +
      `${
        p.nonCapital
          ? p.nonCapital.n
            ? `; of these, ${p.nonCapital.list} ${p.nonCapital.n === 1 ? 'is' : 'are'} ` +
              'neither a municipality nor a provincial capital'
            : '; all are municipalities or provincial capitals'
          : ''
      }.`,
  ),
  'finding.belowMean': msg<{ n: number; cities: boolean; nBelow: number; mean: number; cv?: number; gini?: number }>(
    (p) =>
      `${p.n} 个${p.cities ? '城市' : '评价对象'}中有 ${p.nBelow} 个（${pc(p.nBelow / p.n)}）低于平均分 ${f1(p.mean)}` +
      `${p.cv !== undefined ? `；变异系数 ${f3(p.cv)}` : ''}` +
      `${p.gini !== undefined ? `${p.cv !== undefined ? '，' : '；'}基尼系数 ${f3(p.gini)}` : ''}。`,
    (p) =>
      `${p.nBelow} of ${p.n} ${p.cities ? 'cities' : 'units'} (${pc(p.nBelow / p.n)}) score below the mean of ` +
      `${f1(p.mean)}${p.cv !== undefined ? `; coefficient of variation ${f3(p.cv)}` : ''}` +
      `${p.gini !== undefined ? `${p.cv !== undefined ? ',' : ';'} Gini ${f3(p.gini)}` : ''}.`,
  ),
  'finding.groupComparison': msg<{
    a: string;
    b: string;
    meanA: number;
    meanB: number;
    difference: number;
    ratio: number | null;
  }>(
    (p) =>
      `${p.a}平均 ${f1(p.meanA)}，${p.difference > 0 ? '高于' : p.difference < 0 ? '低于' : '等于'}${p.b}` +
      `（${f1(p.meanB)}）${p.difference !== 0 ? `，相差 ${f1(Math.abs(p.difference))} 分` : ''}` +
      `${p.ratio !== null ? `（${f2(p.ratio)} 倍）` : ''}。`,
    (p) =>
      `${p.a} averages ${f1(p.meanA)}, ${p.difference > 0 ? 'above' : p.difference < 0 ? 'below' : 'equal to'} ` +
      `${p.b} (${f1(p.meanB)})${p.difference !== 0 ? ` by ${f1(Math.abs(p.difference))} points` : ''}` +
      `${p.ratio !== null ? ` (ratio ${f2(p.ratio)})` : ''}.`,
  ),
  'finding.clusters': msg<{
    cities: boolean;
    nationalMean: number;
    groups: Array<{ group: string; n: number; mean: number; gap: number; ratio: number | null }>;
  }>(
    (p) => {
      const mean = p.cities ? '全国均值' : '总体均值';
      const g = p.groups.map(
        (x) =>
          `${x.group} ${f1(x.mean)}（${x.gap >= 0 ? '高于' : '低于'}${mean} ` +
          `${f1(Math.abs(x.gap))} 分` +
          `${x.ratio !== null ? `，${f2(x.ratio)} 倍` : ''}，${x.n} 个城市）`,
      );
      return `城市群平均分（${mean} ${f1(p.nationalMean)}）：${g.join('；')}。`;
    },
    (p) => {
      const mean = p.cities ? 'the national mean' : 'the overall mean';
      const g = p.groups.map(
        (x) =>
          `${x.group} ${f1(x.mean)} (${f1(Math.abs(x.gap))} points ` +
          `${x.gap >= 0 ? 'above' : 'below'} ` +
          `${mean}${x.ratio !== null ? `, ratio ${f2(x.ratio)}` : ''}; ` +
          `${x.n} ${x.n === 1 ? 'city' : 'cities'} evaluated)`,
      );
      return `City clusters (${mean.replace('the ', '')} ${f1(p.nationalMean)}): ${g.join('; ')}.`;
    },
  ),
  'finding.spillover': msg<{
    leader: string;
    rank: number;
    label: string;
    pattern: string;
    nNeighbours: number;
    above: number;
    mean: number;
    neighbourMean: number;
    neighbours: Array<{ unit: string; score: number; rank: number; label: string }>;
  }>(
    (p) =>
      `${p.leader}排名第 ${p.rank}，局部 Moran 分类为“${p.label}”，属于${p.pattern}；所列 ${p.nNeighbours} 个周边城市中 ` +
      `${p.above} 个高于均值 ${f1(p.mean)}，平均 ${f1(p.neighbourMean)}：` +
      `${p.neighbours.map((x) => `${x.unit} ${f1(x.score)}（第 ${x.rank} 名，${x.label}）`).join('，')}。这是描述性结果，不是因果估计。`,
    (p) =>
      `${p.leader} ranks ${p.rank} with local Moran class "${p.label}": ${p.pattern}; ${p.above} of the ` +
      `${p.nNeighbours} listed neighbours score above the mean of ${f1(p.mean)}, averaging ${f1(p.neighbourMean)}: ` +
      `${p.neighbours.map((x) => `${x.unit} ${f1(x.score)} (rank ${x.rank}, ${x.label})`).join(', ')}. ` +
      'This is descriptive, not a causal estimate.',
  ),
  'spillover.high-cluster': msg<void>(
    () => '高值被高值包围（与带动效应一致）',
    () => 'a high score among high neighbours (consistent with spillover)',
  ),
  'spillover.high-island': msg<void>(
    () => '高值被低值包围（“高地”，与虹吸或孤岛一致）',
    () => 'a high score among low neighbours (consistent with a siphon or island effect)',
  ),
  'spillover.low-in-high': msg<void>(
    () => '低值被高值包围',
    () => 'a low score among high neighbours',
  ),
  'spillover.low-cluster': msg<void>(
    () => '低值聚集',
    () => 'a low score among low neighbours',
  ),
  'spillover.isolated': msg<void>(
    () => '无邻居',
    () => 'no neighbours',
  ),
  'finding.moran': msg<{
    I: number;
    EI: number;
    p: number;
    weights: string;
    permutations: string | null;
    seed?: number;
    significant: boolean;
    positive: boolean;
    alpha: number;
    cities: boolean;
  }>(
    (p) =>
      `全局 Moran's I = ${f3(p.I)}（期望 ${f3(p.EI)}，${
        p.permutations !== null
          ? `${p.permutations} 次置换检验${p.seed !== undefined ? `（种子 ${p.seed}）` : ''}`
          : '正态近似'
      }，p = ${f3(p.p)}；` +
      `空间权重：${p.weights}）：${
        p.significant
          ? p.positive
            ? `得分存在显著的正空间自相关，得分相近的${p.cities ? '城市' : '对象'}在空间上聚集`
            : '得分存在显著的负空间自相关'
          : `在 α = ${p.alpha} 水平上未发现显著的空间自相关`
      }。`,
    (p) =>
      `Global Moran's I = ${f3(p.I)} (expected ${f3(p.EI)}; ${
        p.permutations !== null
          ? `${p.permutations} permutations${p.seed !== undefined ? `, seed ${p.seed}` : ''}`
          : 'normal approximation'
      }; ` +
      `p = ${f3(p.p)}; weights: ${p.weights}): ${
        p.significant
          ? p.positive
            ? 'significant positive spatial autocorrelation — similar scores cluster in space'
            : 'significant negative spatial autocorrelation'
          : `no significant spatial autocorrelation at α = ${p.alpha}`
      }.`,
  ),
  'finding.reference': msg<{
    publishedCount: number;
    overlapCount: number;
    overlap: List;
    publishedLeader: string | null;
    publishedLeaderRank: number | null;
    shareBelowMeanPublished?: number;
    shareBelowMeanOurs: number;
    /** How many published sources the figures come from (listed in "compared with the published report"). */
    sources: number;
  }>(
    (p) =>
      `与已发布的参照值比较：${
        p.publishedCount
          ? `已发布前十名中有 ${p.overlapCount} 个也在本结果前十（${p.overlap || '无'}）；` +
            `已发布第一名${p.publishedLeader ?? ''}在本结果中` +
            `${p.publishedLeaderRank !== null ? `排名第 ${p.publishedLeaderRank}` : '未参评'}`
          : ''
      }` +
      `${
        p.shareBelowMeanPublished !== undefined
          ? `${p.publishedCount ? '；' : ''}已发布“低于均值”比例约 ` +
            `${pc(p.shareBelowMeanPublished)}，本结果为 ${pc(p.shareBelowMeanOurs)}`
          : ''
      }（${p.sources} 个来源，见“与已发布报告对比”）。`,
    (p) =>
      `Against the published reference figures: ${
        p.publishedCount
          ? `${p.overlapCount} of the published top ten ` +
            `are also in this top ten (${p.overlap || 'none'}); the published leader` +
            `${p.publishedLeader !== null ? `, ${p.publishedLeader},` : ''} ranks ` +
            `${p.publishedLeaderRank !== null ? p.publishedLeaderRank : '— (not evaluated)'} here`
          : ''
      }` +
      `${
        p.shareBelowMeanPublished !== undefined
          ? `${p.publishedCount ? '; ' : ''}the published share below the mean ` +
            `is about ${pc(p.shareBelowMeanPublished)}, here ${pc(p.shareBelowMeanOurs)}`
          : ''
      } (${p.sources} ${p.sources === 1 ? 'source' : 'sources'}, listed under "Compared with the published report").`,
  ),
  'finding.rankUncertainty': msg<{
    leader: string;
    q5: string;
    q95: string;
    cities: boolean;
    medianWidth: number;
    stableCount: number;
    stable: List;
  }>(
    (p) =>
      `方法选择的不确定性：${p.leader}排名的 90% 区间（5%–95% 分位）为 [${p.q5}, ${p.q95}]；` +
      `各${p.cities ? '城市' : '评价对象'}排名区间宽度的中位数为 ${f1(p.medianWidth)} 位；` +
      `前十名中 ${p.stableCount} 个的整个区间都在前十以内（${p.stable || '无'}）。`,
    (p) =>
      `Uncertainty of the method choices: ${p.leader}'s 90% rank interval (5th–95th percentile) is ` +
      `[${p.q5}, ${p.q95}]; the median interval width is ${f1(p.medianWidth)} ranks; ${p.stableCount} of the top ` +
      `ten have their whole interval within the top ten (${p.stable || 'none'}).`,
  ),
  'finding.coverage': msg<{ collected: number; notCollected: number }>(
    (p) =>
      `指标体系共 ${p.collected + p.notCollected} 项指标，其中 ${p.collected} 项有数据，` +
      `${p.notCollected} 项未采集（列为数据缺口，不参与计算）。`,
    (p) =>
      `The framework has ${p.collected + p.notCollected} indicators: ${p.collected} with data and ` +
      `${p.notCollected} not collected (listed as gaps, not computed).`,
  ),
  /** The first unit of each group of a grouping (the dashboard's regional findings). */
  'finding.groupLeaders': msg<{ grouping: string; leaders: Array<{ group: string; unit: string; score: number }> }>(
    (p) =>
      `按${p.grouping}，各组第一名：${p.leaders.map((x) => `${x.group} ${x.unit}（${f1(x.score)}）`).join('，')}。`,
    (p) => `Leaders by ${p.grouping}: ${p.leaders.map((x) => `${x.group}, ${x.unit} (${f1(x.score)})`).join('; ')}.`,
  ),
};
