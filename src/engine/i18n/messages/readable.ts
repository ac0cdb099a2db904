/**
 * Sentences of the report written for readers who are not statisticians (issue 11): the plain-language
 * summary, the uncertainty section's conclusions, the methods in prose (analysis settings, formulas)
 * and the labels of the sections they belong to. No jargon in the summary; numbers are rounded as the
 * tables print them.
 */
import { msg, text } from '../define.ts';

const f1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '—');
const r0 = (x: number) => (Number.isFinite(x) ? String(Math.round(x)) : '—');

/** A list already joined in the reader's language. */
type List = string;

export const READABLE_MESSAGES = {
  'label.summaryChart': text('得分最高的城市与全国平均分', 'The highest-scoring cities and the national average'),
  'label.summaryChartUnits': text('得分最高的评价对象与平均分', 'The highest-scoring units and the average'),
  'label.average': text('平均分', 'Average'),
  'seriesChart.momRecomputed': text(
    '环比（按所印指数重算，%）',
    'Month-on-month recomputed from the printed index (%)',
  ),
  'series.printedNote': text(
    '图中为发布表格所印数值（每个印出的月份）；虚线为按所印指数重算的环比。',
    'The chart shows the figures as printed (every printed month); the dotted line is the month-on-month ' +
      'change recomputed from the printed index.',
  ),
  'survey.smallSample': text('样本不足', 'small sample'),
  'survey.underMinimumMissing': msg<{ n: number; minSample: number }>(
    (p) => `${p.n} 个城市的有效答卷少于最低样本量 ${p.minSample}，不给出估计值，在表中列为缺口。`,
    (p) =>
      `${p.n} ${p.n === 1 ? 'city has' : 'cities have'} fewer valid responses than the minimum of ${p.minSample}; ` +
      'no estimate is given for them: they are listed as gaps.',
  ),
  'survey.notEstimated': msg<{ n: number; minSample: number }>(
    (p) => `未估计：有效答卷 ${p.n} 份，少于最低样本量 ${p.minSample} 份`,
    (p) => `not estimated: ${p.n} valid responses, fewer than the minimum of ${p.minSample}`,
  ),
  'survey.underMinimum': msg<{ n: number; minSample: number }>(
    (p) => `${p.n} 个城市的有效答卷少于最低样本量 ${p.minSample}，其估计值标为“样本不足”，应谨慎解读。`,
    (p) =>
      `${p.n} ${p.n === 1 ? 'city has' : 'cities have'} fewer valid responses than the minimum of ${p.minSample}; ` +
      'their estimates are marked "small sample" and should be read with care.',
  ),
  'summary.and': msg<{ items: string[] }>(
    (p) =>
      p.items.length > 1 ? `${p.items.slice(0, -1).join('、')}和${p.items[p.items.length - 1]}` : p.items.join(''),
    (p) =>
      p.items.length > 1 ? `${p.items.slice(0, -1).join(', ')} and ${p.items[p.items.length - 1]}` : p.items.join(''),
  ),
  'summary.scope': msg<{ n: number; cities: boolean; indexName: string; dimensions: List; k: number }>(
    (p) =>
      `本报告比较了 ${p.n} 个${p.cities ? '城市' : '评价对象'}的${p.indexName}，` +
      `从${p.dimensions} ${p.k} 个方面打分，得分越高表示表现越好。`,
    (p) =>
      `This report compares ${p.n} ${p.cities ? 'cities' : 'units'} on the ${p.indexName}, scored on ` +
      `${p.k} aspects (${p.dimensions}); a higher score means a better result.`,
  ),
  'summary.leader': msg<{ first: string; score: number; next: List }>(
    (p) => `${p.first}得分最高（${f1(p.score)} 分）${p.next ? `，其次是${p.next}` : ''}。`,
    (p) => `${p.first} scores highest (${f1(p.score)})${p.next ? `, followed by ${p.next}` : ''}.`,
  ),
  'summary.dimensionLeaders': msg<{ same: string | null; leaders: Array<{ unit: string; dimensions: List }> }>(
    (p) =>
      p.same !== null
        ? `${p.same}在每个方面都排在第一。`
        : `各方面领先的城市不同：${p.leaders.map((l) => `${l.unit}在${l.dimensions}方面领先`).join('，')}。`,
    (p) =>
      p.same !== null
        ? `${p.same} leads on every aspect.`
        : `Different places lead on different aspects: ${p.leaders
            .map((l) => `${l.unit} on ${l.dimensions}`)
            .join('; ')}.`,
  ),
  'summary.groups': msg<{ pairs: Array<{ a: string; b: string; meanA: number; meanB: number }> }>(
    (p) =>
      p.pairs
        .map((x) => `${x.a}的平均得分（${f1(x.meanA)}）${x.meanA >= x.meanB ? '高于' : '低于'}${x.b}（${f1(x.meanB)}）`)
        .join('，') + '。',
    (p) =>
      p.pairs
        .map(
          (x, i) =>
            `${i === 0 ? '' : 'and '}${x.a} average ${f1(x.meanA)}, ${x.meanA >= x.meanB ? 'above' : 'below'} ` +
            `${x.b} (${f1(x.meanB)})`,
        )
        .join(', ')
        .replace(/^./, (c) => c.toUpperCase()) + '.',
  ),
  'summary.belowMean': msg<{ n: number; nBelow: number; mean: number; cities: boolean }>(
    (p) => `${p.n} 个${p.cities ? '城市' : '评价对象'}中有 ${p.nBelow} 个低于平均分（${f1(p.mean)} 分）。`,
    (p) => `${p.nBelow} of the ${p.n} ${p.cities ? 'cities' : 'units'} score below the average of ${f1(p.mean)}.`,
  ),
  'summary.clustered': msg<{ groups: List | null }>(
    (p) => `得分高的城市在地理上相互邻近、成片分布${p.groups ? `；${p.groups}的平均分高于全国` : ''}。`,
    (p) =>
      `High-scoring cities tend to be neighbours of one another${
        p.groups ? `; ${p.groups} average above the national mean` : ''
      }.`,
  ),
  'summary.certainty': msg<{ stable: List | null; width: number }>(
    (p) =>
      `换用其他合理的计算方法后，${p.stable ? `${p.stable}的位次基本不变，而` : ''}` +
      `多数城市的名次可能上下变动约 ${r0(p.width / 2)} 位，名次相近的城市不宜区分高下。`,
    (p) =>
      `With other reasonable ways of computing the index, ${p.stable ? `${p.stable} keep their places, but ` : ''}` +
      `most ranks can move by about ${r0(p.width / 2)} places either way, so close ranks should not be read as ` +
      'real differences.',
  ),
  'summary.coverage': msg<{ total: number; collected: number; notCollected: number }>(
    (p) =>
      `指标体系的 ${p.total} 项指标中只有 ${p.collected} 项有公开数据，其余 ${p.notCollected} 项尚未采集，` +
      '因此本指数只反映了评价内容的一部分。',
    (p) =>
      `Only ${p.collected} of the framework's ${p.total} indicators have public data; the other ` +
      `${p.notCollected} are not collected, so the index covers only part of what it sets out to measure.`,
  ),
  'label.rankIntervalChart': text(
    '各城市排名的 90% 区间（5%–95% 分位，圆点为本报告排名）',
    'Rank of every city: 90% interval (5th–95th percentile; dot = the rank in this report)',
  ),
  'label.rankIntervalChartUnits': text(
    '各评价对象排名的 90% 区间（5%–95% 分位，圆点为本报告排名）',
    'Rank of every unit: 90% interval (5th–95th percentile; dot = the rank in this report)',
  ),
  'label.nominalRank': text('本报告排名', 'Rank in this report'),
  'label.rankRange': text('排名区间', 'Rank interval'),
  'label.firstOrder': text('一阶效应 Si（单独的影响）', 'First-order Si (effect alone)'),
  'label.totalOrder': text('总效应 STi（含交互）', 'Total effect STi (with interactions)'),
  'label.interval95': text('95% 区间', '95% interval'),
  'label.uncertainChoice': text('不确定的选择', 'Uncertain choice'),
  'label.alternativesTried': text('尝试的做法', 'Alternatives tried'),
  'label.analysis': text('分析', 'Analysis'),
  'label.settingsInWords': text('做法与设置', 'What was done, with which settings'),
  'label.formulas': text('计算公式（面向读者）', 'Formulas, for readers'),
  'uncertainty.choice': msg<{ kind: string; indicator: string | null }>(
    (p) =>
      p.indicator !== null
        ? `${p.indicator}的缺失值插补方法`
        : ((
            {
              normalise: '标准化方法',
              aggregate: '汇总方法',
              impute: '缺失值插补方法',
              treat: '异常值处理',
              screen: '城市筛选规则',
              denominate: '分母',
              weight: '权重方法',
              weights: '权重（随机扰动）',
              exclude: '纳入的指标',
            } as Record<string, string>
          )[p.kind] ?? p.kind),
    (p) =>
      p.indicator !== null
        ? `Imputation of ${p.indicator}`
        : ((
            {
              normalise: 'Normalisation method',
              aggregate: 'Aggregation method',
              impute: 'Imputation method',
              treat: 'Outlier treatment',
              screen: 'Screening rule',
              denominate: 'Denominators',
              weight: 'Weighting method',
              weights: 'Weights (random noise)',
              exclude: 'Indicators included',
            } as Record<string, string>
          )[p.kind] ?? p.kind),
  ),
  'uncertainty.widest': msg<{ name: string; lo: string; hi: string }>(
    (p) => `${p.name}（第 ${p.lo}–${p.hi} 名）`,
    (p) => `${p.name} (ranks ${p.lo}–${p.hi})`,
  ),
  'uncertainty.allIndicators': text('全部指标', 'all indicators'),
  'uncertainty.without': msg<{ names: List }>(
    (p) => `去掉${p.names}`,
    (p) => `without ${p.names}`,
  ),
  'uncertainty.distinguishable': msg<{ n: number; clear: List | null; nClear: number; widest: List | null }>(
    (p) =>
      (p.nClear
        ? `${p.nClear} 个城市的排名区间与其他任何城市都不重叠，名次可以明确区分：${p.clear}。`
        : '没有哪个城市的排名区间与其他城市完全不重叠。') +
      `其余 ${p.n - p.nClear} 个城市的区间至少与一个城市重叠：这些城市之间的名次先后不能确定，` +
      `相差几名不应解读为真实差距${p.widest ? `；区间最宽的是${p.widest}` : ''}。`,
    (p) =>
      (p.nClear
        ? `${p.nClear} ${p.nClear === 1 ? 'city has a rank interval' : 'cities have rank intervals'} that overlap ` +
          `no other city's, so ${p.nClear === 1 ? 'its place is' : 'their places are'} clear: ${p.clear}. `
        : "No city's rank interval is clear of every other's. ") +
      `The other ${p.n - p.nClear} overlap at least one other city: their order among themselves is not ` +
      `established, and a difference of a few places is not a real difference` +
      `${p.widest ? `; the widest intervals are ${p.widest}` : ''}.`,
  ),
  'uncertainty.sensitivityRead': msg<{ top: string; share: number }>(
    (p) =>
      `排名变动主要来自“${p.top}”的选择（总效应约占 ${Math.round(p.share * 100)}%）；` +
      '区间跨过 0 的指数与 0 没有可靠差别。',
    (p) =>
      `Rank shifts come mostly from the choice of "${p.top}" (about ${Math.round(p.share * 100)}% of the total ` +
      'effects); an index whose interval includes 0 is not reliably different from 0.',
  ),
  'formula.localMoran': text(
    'I_i = (n − 1)·z_i·Σ_j w_ij·z_j ÷ Σ_k z_k²，z 为得分与平均分之差',
    'I_i = (n − 1)·z_i·Σ_j w_ij·z_j ÷ Σ_k z_k², z being the score minus the mean',
  ),
  'formula.minMax': msg<{ lo: number; hi: number }>(
    (p) =>
      `指标得分 = (城市值 − 最小值) ÷ (最大值 − 最小值) × ${p.hi - p.lo}${p.lo ? ` + ${p.lo}` : ''}；` +
      '数值越小越好的指标先反向。',
    (p) =>
      `indicator score = (value − minimum) ÷ (maximum − minimum) × ${p.hi - p.lo}${p.lo ? ` + ${p.lo}` : ''}; ` +
      'indicators where lower is better are reversed first.',
  ),
  'formula.zScore': msg<{ mean: number; sd: number }>(
    (p) => `指标得分 = ${p.mean} + ${p.sd} × (城市值 − 平均值) ÷ 标准差。`,
    (p) => `indicator score = ${p.mean} + ${p.sd} × (value − mean) ÷ standard deviation.`,
  ),
  'formula.arithmetic': text(
    '维度得分 = Σ(指标权重 × 指标得分) ÷ Σ 指标权重；指数 = 各维度得分按维度权重的加权平均（缺失的指标不计入权重）。',
    'dimension score = Σ(weight × indicator score) ÷ Σ weights; the index is the weighted mean of the ' +
      'dimension scores (a missing indicator drops out of the weights).',
  ),
  'formula.geometric': text(
    '维度得分 = Π(指标得分 ^ 权重) 的加权几何平均；指数同理由维度得分汇总。',
    'dimension score = weighted geometric mean Π(score ^ weight); the index likewise from the dimensions.',
  ),
  'formula.effectiveWeight': text(
    '有效权重 = 指标在维度内的权重份额 × 维度在指数中的权重份额，即一个指标对指数的实际分量（各指标合计 100%）。',
    "effective weight = the indicator's share of its dimension's weights × the dimension's share of the " +
      "index's weights: the indicator's real part of the index (100% over all indicators).",
  ),
  'analysis.regional': msg<{ groupings: List; population: string | null }>(
    (p) => `按${p.groupings}分组比较平均分与差距${p.population ? `；人口加权的不均衡指标用${p.population}` : ''}。`,
    (p) =>
      `Averages and gaps by ${p.groupings}` +
      `${p.population ? `; population-weighted inequality uses ${p.population}` : ''}.`,
  ),
  'analysis.spatial': msg<{ weights: string; permutations: number; seed: string; alpha: number }>(
    (p) =>
      `邻近关系：${p.weights}；显著性用 ${p.permutations} 次随机置换检验（种子 ${p.seed}），显著性水平 ${p.alpha}。`,
    (p) =>
      `Neighbours: ${p.weights}; significance from ${p.permutations} random permutations (seed ${p.seed}), ` +
      `level ${p.alpha}.`,
  ),
  'analysis.tiers': msg<{ method: string; k: number | null }>(
    (p) => `按${p.method}分档${p.k ? `，共 ${p.k} 档` : ''}。`,
    (p) => `Tiers by ${p.method}${p.k ? `, ${p.k} tiers` : ''}.`,
  ),
  'analysis.gaps': msg<{ units: List; peers: string; k: number; budget: number | null }>(
    (p) =>
      `${p.units}：与${p.peers}比较找出短板，并计算上升 ${p.k} 名所需的最小提升` +
      `${p.budget !== null ? `（提升预算 ${p.budget} 分）` : ''}。`,
    (p) =>
      `${p.units}: weak points against ${p.peers}, and the smallest improvement that climbs ${p.k} ` +
      `place${p.k === 1 ? '' : 's'}${p.budget !== null ? ` (budget ${p.budget} points)` : ''}.`,
  ),
  'analysis.audit': text(
    '指标间相关性（过高或为负时提示）与各维度内部一致性（Cronbach α）。',
    'Correlations between indicators (flagged when too high or negative) and internal consistency ' +
      "of each dimension (Cronbach's α).",
  ),
  'analysis.uncertainty': msg<{ runs: number; seed: string; choices: List }>(
    (p) => `在以下选择上随机改变做法、重算 ${p.runs} 次（种子 ${p.seed}）：${p.choices}。`,
    (p) => `${p.runs} rebuilds with the following choices varied at random (seed ${p.seed}): ${p.choices}.`,
  ),
  'analysis.reference': text(
    '与已发布报告的排名比较（只作对照，不参与计算）。',
    'Comparison with the published report (for comparison only; not used in computing).',
  ),
  'analysis.change': text(
    '多期之间的变化：离散程度、收敛与名次升降。',
    'Change between periods: dispersion, convergence, rank gains and falls.',
  ),
  'analysis.name': msg<{ key: string }>(
    (p) =>
      (
        ({
          regional: '区域比较',
          spatial: '空间分析',
          tiers: '分档',
          gaps: '短板与提升空间',
          audit: '统计审计',
          uncertainty: '不确定性分析',
          reference: '参照比较',
          change: '变化分析',
        }) as Record<string, string>
      )[p.key] ?? p.key,
    (p) =>
      (
        ({
          regional: 'Regional comparison',
          spatial: 'Spatial analysis',
          tiers: 'Tiers',
          gaps: 'Gaps and room to improve',
          audit: 'Statistical audit',
          uncertainty: 'Uncertainty analysis',
          reference: 'Reference comparison',
          change: 'Change over time',
        }) as Record<string, string>
      )[p.key] ?? p.key,
  ),
  'gaps.peers.nearestShort': msg<{ k: number }>(
    (p) => `得分最接近的 ${p.k} 个城市`,
    (p) => `the ${p.k} units with the closest scores`,
  ),
  'gaps.peers.groupShort': msg<{ grouping: string }>(
    (p) => `同一${p.grouping}的城市`,
    (p) => `the units of the same ${p.grouping}`,
  ),
  'gaps.peers.allShort': text('全部城市', 'all units'),
} as const;
