/**
 * Sentences of the report's sections, chart labels and display names of the bundled groupings. Each
 * message takes the numbers and names it prints; HTML markup stays in the renderer except where a
 * sentence itself carries `<code>`/`<a>` (parameters are then escaped by the caller).
 */
import { msg, text } from '../define.ts';
import { LISA_LABEL_NAMES, type LisaLabel } from '../../analysis/spatial/local-moran.ts';
import type { AuditRowResult } from '../../series/audit.ts';

const chg = (x: number | null | undefined) => (x === null || x === undefined ? '—' : x.toFixed(2));

/** The audit's reason for one row in Chinese, from its checks (the engine's own sentence is English). */
function auditReasonZh(r: AuditRowResult): string {
  const name = (c: AuditRowResult['checks'][number]) => (c.change === 'mom' ? '环比' : '同比');
  const say = (c: AuditRowResult['checks'][number]) =>
    `${name(c)}按 ${c.against} 重算为 ${c.recomputed.toFixed(4)}%` +
    `（考虑指数舍入，可能区间 [${c.interval.lo.toFixed(4)}, ${c.interval.hi.toFixed(4)}]）`;
  const printed = (k: 'mom' | 'yoy') => (k === 'mom' ? r.printed.mom : r.printed.yoy);
  const other = (k: 'mom' | 'yoy') => printed(k === 'mom' ? 'yoy' : 'mom');
  const comparable = r.checks.filter((c) => c.matchesHeaded !== null || c.matchesOther !== null);
  const hasMom = r.checks.some((c) => c.change === 'mom'),
    hasYoy = r.checks.some((c) => c.change === 'yoy');
  const missing = !hasYoy ? '；同比无法核对（未印出上年同期指数）' : !hasMom ? '；环比无法核对（未印出上期指数）' : '';
  switch (r.verdict) {
    case 'not-checkable': {
      const why: string[] = [];
      if (r.printed.value === null) why.push('本期指数未印出');
      else {
        if (!hasMom) why.push('未印出上期指数');
        if (!hasYoy) why.push('未印出上年同期指数');
        if (r.checks.length && r.printed.mom === null && r.printed.yoy === null) why.push('未印出变化率');
      }
      return `无法重算：${why.join('；')}`;
    }
    case 'consistent':
      return comparable.map((c) => `${say(c)}；所印 ${chg(printed(c.change))} 在其本列下，一致`).join('；') + missing;
    case 'swapped':
      return (
        comparable
          .map(
            (c) =>
              `${say(c)}；该值印在另一列（${chg(other(c.change))}），而“${name(c)}”列为 ` + `${chg(printed(c.change))}`,
          )
          .join('；') + missing
      );
    case 'inconsistent':
      return (
        comparable
          .map(
            (c) =>
              `${say(c)}；所印${name(c)} ${chg(printed(c.change))}${c.matchesHeaded ? '一致' : '不一致'}，` +
              `另一列 ${chg(other(c.change))}${c.matchesOther ? '一致' : '不一致'}`,
          )
          .join('；') + missing
      );
    default:
      return r.reason;
  }
}

/** The audit's tolerance rule in Chinese (decimals read from the engine's English sentence). */
function auditToleranceZh(tolerance: string): string {
  const v = /index values: (\d+) decimal/.exec(tolerance)?.[1] ?? '?';
  const c = /changes: (\d+) decimal/.exec(tolerance)?.[1] ?? '?';
  const slack = /plus ([\d.]+) percentage points/.exec(tolerance)?.[1];
  return (
    `印出 d 位小数的数字代表 ±0.5·10^−d 范围内的任一真实值（指数 ${v} 位小数，变化率 ${c} 位小数，单元格另有显示者除外` +
    `${slack ? `，另加 ${slack} 个百分点的容差` : ''}）；所印变化率的舍入区间与由舍入后指数推算的变化率区间相交时，判为一致。`
  );
}

/** Display names of the group labels of the bundled city groupings (data/sources/city_groupings). */
const GROUP_LABELS_EN: Readonly<Record<string, string>> = Object.assign(Object.create(null) as Record<string, string>, {
  东部: 'East',
  中部: 'Central',
  西部: 'West',
  东北: 'Northeast',
  南方: 'South',
  北方: 'North',
  长三角中心区27城: 'Yangtze River Delta (27 core cities)',
  珠三角9城: 'Pearl River Delta (9 cities)',
  京津冀13城: 'Beijing–Tianjin–Hebei (13 cities)',
  成渝16城: 'Chengdu–Chongqing (16 cities)',
  直辖市: 'municipality',
  省会城市: 'provincial capital',
  副省级城市: 'sub-provincial city',
  计划单列市: 'separately planned city',
});

/** Display names of the bundled groupings (units.csv columns). */
const GROUPING_NAMES: ReadonlyMap<string, { zh: string; en: string }> = new Map([
  ['region', { zh: '四大区域', en: 'Four regions' }],
  ['region_4', { zh: '四大区域', en: 'Four regions' }],
  ['north_south', { zh: '南北', en: 'North and south' }],
  ['clusters', { zh: '城市群', en: 'City clusters' }],
  ['admin_rank', { zh: '行政级别', en: 'Administrative rank' }],
]);

const SKIPPED_STATISTIC = new Map([
  ['theil', { zh: '泰尔指数分解', en: 'the Theil decomposition' }],
  ['theilTotal', { zh: '泰尔指数', en: 'the Theil T' }],
  ['dagum', { zh: 'Dagum 基尼分解', en: 'the Dagum Gini decomposition' }],
  ['gini', { zh: '基尼系数', en: 'the Gini' }],
  ['cv', { zh: '变异系数', en: 'the coefficient of variation' }],
  ['theilPopulationWeighted', { zh: '人口加权泰尔指数', en: 'the population-weighted Theil' }],
  ['cvPopulationWeighted', { zh: '人口加权变异系数', en: 'the population-weighted CV' }],
]);

const P_ADJUST = new Map([
  ['none', { zh: '无', en: 'none' }],
  ['fdr', { zh: 'FDR（Benjamini–Hochberg）', en: 'FDR (Benjamini–Hochberg)' }],
  ['bonferroni', { zh: 'Bonferroni', en: 'Bonferroni' }],
]);

const TIER_METHODS = new Map([
  ['fisherJenks', { zh: 'Fisher–Jenks 自然断点', en: 'Fisher–Jenks natural breaks' }],
  ['quantiles', { zh: '分位数', en: 'quantiles' }],
  ['thresholds', { zh: '给定阈值', en: 'given thresholds' }],
  ['meanSd', { zh: '均值 ± 标准差倍数', en: 'mean ± multiples of the sd' }],
  ['headTail', { zh: '头尾断点', en: 'head/tail breaks' }],
]);

const AUDIT_FLAGS = new Map([
  ['collinear', { zh: '高度共线', en: 'collinear' }],
  ['negative', { zh: '负相关', en: 'negatively correlated' }],
  ['weakParent', { zh: '与上级弱相关', en: 'weak link to parent' }],
]);

const VERDICTS = new Map([
  ['consistent', { zh: '一致', en: 'consistent' }],
  ['swapped', { zh: '环比/同比互换', en: 'MoM/YoY swapped' }],
  ['inconsistent', { zh: '不一致', en: 'inconsistent' }],
  ['not-checkable', { zh: '无法核对', en: 'not checkable' }],
]);

/** A lookup of display names with a fallback to the key as written. */
function named(table: ReadonlyMap<string, { zh: string; en: string }>, fallback = (k: string) => k) {
  return msg<{ key: string }>(
    (p) => table.get(p.key)?.zh ?? fallback(p.key),
    (p) => table.get(p.key)?.en ?? fallback(p.key),
  );
}

export const REPORT_MESSAGES = {
  'name.groupLabel': msg<{ label: string }>(
    (p) => p.label,
    (p) => GROUP_LABELS_EN[p.label] ?? p.label,
  ),
  'name.grouping': named(GROUPING_NAMES, (k) => k.replace(/_/g, ' ')),
  'name.lisa': msg<{ label: LisaLabel }>(
    (p) => LISA_LABEL_NAMES[p.label].zh,
    (p) => LISA_LABEL_NAMES[p.label].en,
  ),
  'name.skippedStatistic': named(SKIPPED_STATISTIC),
  'name.pAdjust': named(P_ADJUST),
  'name.tierMethod': named(TIER_METHODS),
  'name.auditFlag': named(AUDIT_FLAGS),
  'name.auditVerdict': named(VERDICTS),
  'weights.knn': msg<{ k: number }>(
    (p) => `k 近邻（k = ${p.k}，按城市驻地间大圆距离）`,
    (p) => `k nearest neighbours (k = ${p.k}, great-circle distance between seats)`,
  ),
  'weights.distanceBand': msg<{ threshold: number }>(
    (p) => `距离带（驻地间大圆距离 ≤ ${p.threshold} km）`,
    (p) => `distance band (great-circle distance between seats ≤ ${p.threshold} km)`,
  ),
  'weights.inverseDistance': msg<{ alpha: number; cutoff?: number }>(
    (p) => `反距离权重 w = d^−${p.alpha}${p.cutoff !== undefined ? `（距离 ≤ ${p.cutoff} km）` : ''}`,
    (p) => `inverse distance w = d^−${p.alpha}${p.cutoff !== undefined ? ` (distance ≤ ${p.cutoff} km)` : ''}`,
  ),
  'weights.contiguity': msg<{ rule: 'rook' | 'queen' }>(
    (p) => `${p.rule === 'queen' ? '后式（queen）邻接：地级区划边界有公共点' : '车式（rook）邻接：地级区划有公共边'}`,
    (p) =>
      `${p.rule} contiguity: prefectures sharing ${p.rule === 'queen' ? 'a boundary point' : 'an edge'} on the map`,
  ),
  'map.sourceNote': text(
    '示意图，非标准地图。边界：ECharts 4.9.0 自带的中国地级市边界（Apache-2.0，简化）',
    'Schematic, not a standard map. Boundaries: the prefecture-level map shipped with ECharts 4.9.0 ' +
      '(Apache-2.0, simplified)',
  ),
  'map.caption': msg<{ name: string }>(
    (p) => `${p.name}得分地图（灰色：不在评价范围内）`,
    (p) => `${p.name} by city (grey: not evaluated)`,
  ),
  'map.dimensionCaption': msg<{ name: string; best: string; tied: number }>(
    (p) => `${p.name}（得分最高：${p.best}${p.tied ? `，另有 ${p.tied} 个城市同分` : ''}）`,
    (p) => `${p.name} (highest: ${p.best}${p.tied ? `; ${p.tied} more share the last score` : ''})`,
  ),
  'chart.meanLine': msg<{ cities: boolean }>(
    (p) => (p.cities ? '全国均值' : '总体均值'),
    (p) => (p.cities ? 'National mean' : 'Overall mean'),
  ),
  'cases.rank': msg<{ name: string; rank: string }>(
    (p) => `${p.name}：本指数排名第 ${p.rank}`,
    (p) => `${p.name}: rank ${p.rank} in this index`,
  ),
  'alert.simulated': msg<{ indicators: string; title: string }>(
    (p) =>
      `<strong>本结果含模拟数据</strong>：指标 ${p.indicators} 的数值来自生成的问卷答复（${p.title}），不是真实调查结果；排名与结论仅作方法演示。`,
    (p) =>
      `<strong>These results include simulated data</strong>: the values of ${p.indicators} come from generated ` +
      `survey answers (${p.title}), not a real survey; the ranking and findings only demonstrate the method.`,
  ),
  'alert.analysisErrors': msg<{ names: string }>(
    (p) => `以下分析未能运行，相关结论缺失：${p.names}（原因见<a href="#analysis-errors">方法说明</a>）。`,
    (p) =>
      `These analyses could not run, so their findings are missing: ${p.names} (reasons under ` +
      '<a href="#analysis-errors">Methodology</a>).',
  ),
  'lineage.additive': msg<{ sum: string; score: string }>(
    (p) => `贡献之和 ${p.sum} = ${p.score}`,
    (p) => `Sum of contributions ${p.sum} = ${p.score}`,
  ),
  'lineage.notAdditive': text('非算术汇总：贡献不可加', 'Non-arithmetic aggregation: contributions are not additive'),
  'skipped.multiMembership': msg<{ what: string; grouping: string }>(
    (p) => `未计算${p.what}：部分评价对象同时属于多个“${p.grouping}”组。`,
    (p) => `Not computed: ${p.what}, because some units belong to several "${p.grouping}" groups.`,
  ),
  'skipped.ungrouped': msg<{ what: string; grouping: string }>(
    (p) => `未计算${p.what}：部分评价对象不属于任何“${p.grouping}”组。`,
    (p) => `Not computed: ${p.what}, because some units belong to no "${p.grouping}" group.`,
  ),
  'skipped.undefined': msg<{ what: string; plural: boolean; detail: string }>(
    (p) => `未计算${p.what}：需要非负得分且均值为正（${p.detail}）。`,
    (p) =>
      `Not computed: ${p.what}, which need${p.plural ? '' : 's'} non-negative scores with a positive mean ` +
      `(${p.detail}).`,
  ),
  'regional.multiMembership': text(
    '一个城市可属于多个组，各组单独统计。',
    'A unit may belong to several groups; each group is summarised on its own.',
  ),
  'spatial.method': msg<{
    weights: string;
    weightsCode: string;
    permutations: number;
    seed: string;
    alpha: number;
    adjust: string;
    formula: string;
  }>(
    (p) =>
      `空间权重：${p.weights}；计算 Moran's I、Geary's C 与局部 Moran 时按行标准化，` +
      `Gi* 使用二值权重并包含自身。显著性：${p.permutations ? `${p.permutations} 次条件置换检验，随机种子 ${p.seed}` : '正态近似'}；` +
      `α = ${p.alpha}，p 值校正：${p.adjust}。局部 Moran 约定（与 PySAL esda 相同）：${p.formula}；` +
      '“高-高”等分类按 z_i 与其空间滞后的符号，仅在 p ≤ α 时标注，否则为“不显著”。',
    (p) =>
      `Spatial weights: ${p.weights}; row-standardised for Moran's I, Geary's C ` +
      'and local Moran; Gi* uses the binary weights with the unit itself included. Significance: ' +
      `${
        p.permutations ? `${p.permutations} conditional permutations, random seed ${p.seed}` : 'normal approximation'
      }; ` +
      `α = ${p.alpha}, p-value adjustment: ${p.adjust}. Local Moran convention (as PySAL esda): ` +
      `${p.formula}; ` +
      'a class (High-High, …) is the signs of z_i and its spatial lag, given only when p ≤ α, ' +
      'otherwise "Insignificant".',
  ),
  'spatial.significance': msg<{ alpha: number; adjust: string; nsName: string; ns: number }>(
    (p) => `α = ${p.alpha}，p 值校正：${p.adjust}；${p.nsName}: ${p.ns}`,
    (p) => `α = ${p.alpha}, p-value adjustment: ${p.adjust}; ${p.nsName}: ${p.ns}`,
  ),
  'spatial.gistar': msg<{ hot: number; cold: number; alpha: number; permutation: boolean }>(
    (p) =>
      `Getis–Ord Gi* 热点/冷点：热点 ${p.hot} 个，冷点 ${p.cold} 个（α = ${p.alpha}，` +
      `${p.permutation ? '置换检验 p 值' : '正态近似 p 值'}）。`,
    (p) =>
      `Getis–Ord Gi* hot and cold spots: hot spots ${p.hot}, cold spots ${p.cold} (α = ${p.alpha}, ` +
      `${p.permutation ? 'permutation p-values' : 'normal-approximation p-values'}).`,
  ),
  'spatial.spillover': msg<{ mean: string; neighbourMean: string; above: number; n: number }>(
    (p) => `均值 ${p.mean}；所列邻近城市平均 ${p.neighbourMean}，${p.above}/${p.n} 个高于均值。`,
    (p) => `Mean ${p.mean}; the listed neighbours average ${p.neighbourMean}, ${p.above} of ${p.n} above the mean.`,
  ),
  'gaps.peers.nearest': msg<{ n: number }>(
    (p) => `同伴：得分最接近的 ${p.n} 个评价对象`,
    (p) => `peers: the ${p.n} units with the closest index scores`,
  ),
  'gaps.peers.group': msg<{ n: number; grouping: string }>(
    (p) => `同伴：同一“${p.grouping}”组的 ${p.n} 个评价对象`,
    (p) => `peers: the ${p.n} units in the same "${p.grouping}" group`,
  ),
  'gaps.peers.all': msg<{ n: number }>(
    (p) => `同伴：其余全部 ${p.n} 个评价对象`,
    (p) => `peers: all ${p.n} other units`,
  ),
  'gaps.intro': msg<{ k: number }>(
    (p) =>
      '差距 = 同伴均值 − 其得分（标准化得分），只列低于同伴的指标；加权差距 = 差距 × 有效权重（算术汇总下为指数差距的组成部分）。' +
      `最小提升：单一指标需提高多少（标准化分）才能上升 ${p.k} 名，其余不变。`,
    (p) =>
      "Gap = peer mean − the unit's normalised score, listed where the unit is below its peers; weighted gap = " +
      'gap × effective weight (its share of the index gap under arithmetic aggregation). Smallest improvement: how ' +
      `much one indicator alone (normalised points) must rise to climb ${p.k} ranks, all else equal.`,
  ),
  'gaps.improve': msg<{ indicator: string; by: string; from: number; to: number }>(
    (p) => `最小提升：${p.indicator} 提高 ${p.by} 分，排名由第 ${p.from} 名升至第 ${p.to} 名。`,
    (p) => `Smallest improvement: ${p.indicator} up by ${p.by} points lifts the rank from ${p.from} to ${p.to}.`,
  ),
  'gaps.noImprove': msg<{ k: number }>(
    (p) => `没有单一指标能使排名上升 ${p.k} 名。`,
    (p) => `No single indicator can lift the rank by ${p.k}.`,
  ),
  'gaps.rank': msg<{ rank: string }>(
    (p) => `第 ${p.rank} 名`,
    (p) => `rank ${p.rank}`,
  ),
  'step.impute': msg<{ before: number; imputed: number; after: number }>(
    (p) => `缺失 ${p.before} 个值，插补 ${p.imputed} 个，剩余缺失 ${p.after} 个。`,
    (p) => `${p.before} missing values, ${p.imputed} imputed, ${p.after} still missing.`,
  ),
  'step.impute.stillMissing': msg<{ n: number }>(
    (p) => `，仍缺 ${p.n}`,
    (p) => `, ${p.n} still missing`,
  ),
  'step.screen': msg<{ kept: number; removed: number; names: string }>(
    (p) => `保留 ${p.kept} 个，剔除 ${p.removed} 个${p.removed ? `：${p.names}` : ''}。`,
    (p) => `${p.kept} kept, ${p.removed} removed${p.removed ? `: ${p.names}` : ''}.`,
  ),
  'step.treat': msg<{ failed: number; points: number; transformed: number; still: number }>(
    (p) => `初检未通过 ${p.failed} 项；缩尾 ${p.points} 个点；变换 ${p.transformed} 项；仍未通过 ${p.still} 项。`,
    (p) =>
      `${p.failed} indicators failed the check; ${p.points} points winsorised; ${p.transformed} transformed; ` +
      `${p.still} still failing.`,
  ),
  'step.treat.winsorised': msg<{ n: number; units: string }>(
    (p) => `缩尾 ${p.n} 点（${p.units}）`,
    (p) => `${p.n} winsorised (${p.units})`,
  ),
  'step.denominate': msg<{ n: number }>(
    (p) => `分母化 ${p.n} 项。`,
    (p) => `${p.n} indicators denominated.`,
  ),
  'repro.spatialSeed': text('空间分析置换检验的随机种子', 'Seed of the spatial permutation tests'),
  'repro.uncertaintySeed': text('不确定性分析的随机种子', 'Seed of the uncertainty analysis'),
  'survey.simulated': text(
    '模拟数据：以下数值由生成的问卷答复计算，不是真实调查结果。',
    'Simulated responses (模拟数据): these values come from generated answers, not a real survey.',
  ),
  'survey.estimates': msg<{ n: number }>(
    (p) => `${p.n} 个城市有估计值，95% 置信区间考虑了加权的设计效应。`,
    (p) => `${p.n} cities with an estimate; 95% intervals include the design effect of the weights.`,
  ),
  'uncertainty.summary': msg<{ sensitivity: boolean; runs: number; sobol: boolean; seed: number; failed: number }>(
    (p) =>
      `${p.sensitivity ? 'Sobol 方差分解敏感性分析' : '蒙特卡洛不确定性分析'}：${p.runs} 次重建（抽样 ` +
      `${p.sobol ? 'Sobol 序列' : '伪随机'}，种子 ${p.seed}），失败 ${p.failed} 次。排名区间见“排名”表。`,
    (p) =>
      `${p.sensitivity ? "Variance-based (Sobol') sensitivity analysis" : 'Monte Carlo uncertainty analysis'}: ` +
      `${p.runs} rebuilds (${p.sobol ? "Sobol' points" : 'pseudo-random sample'}, seed ${p.seed}), ` +
      `${p.failed} failed. ` +
      'Rank intervals are in the ranking table.',
  ),
  'uncertainty.weightNoise': msg<{ levels: number[]; percent: string; sets: number }>(
    (p) => `第 ${p.levels.join('、')} 层权重 ±${p.percent}% 随机扰动（${p.sets} 组）`,
    (p) => `±${p.percent}% noise on the weights of level(s) ${p.levels.join(', ')} (${p.sets} sets)`,
  ),
  'uncertainty.integers': text('（整数）', ' (integers)'),
  'uncertainty.target': text(
    '目标：各单元排名相对名义排名的平均绝对变化；Si 为一阶效应（Saltelli 2010），STi 为总效应（Jansen）。',
    'Target: mean absolute rank shift from the nominal ranks; Si first-order (Saltelli 2010), ' +
      'STi total effect (Jansen).',
  ),
  'change.relative': text(
    '注意：得分按各期分别标准化，只比较排名；σ/β 收敛需固定目标区间。',
    'Note: scores are normalised within each period; compare ranks. σ/β convergence needs fixed goalposts.',
  ),
  'change.beta': msg<{
    from: string;
    to: string;
    beta: string;
    se: string;
    t: string;
    r2: string;
    speed: { percent: string; halfLife: string } | null;
  }>(
    (p) =>
      `${p.from}→${p.to}：β = ${p.beta}（标准误 ${p.se}，t = ${p.t}，R² = ${p.r2}）` +
      `${p.speed ? `，收敛速度 ${p.speed.percent}%/年，半衰期 ${p.speed.halfLife} 年` : ''}。`,
    (p) =>
      `${p.from}→${p.to}: β = ${p.beta} (se ${p.se}, t = ${p.t}, R² = ${p.r2})` +
      `${p.speed ? `, speed ${p.speed.percent}% a year, half-life ${p.speed.halfLife} years` : ''}.`,
  ),
  'change.gains': msg<{ from: string; to: string }>(
    (p) => `排名上升最多（${p.from}→${p.to}）`,
    (p) => `Largest rank gains (${p.from}→${p.to})`,
  ),
  'series.auditReason': msg<{ row: AuditRowResult }>(
    (p) => auditReasonZh(p.row),
    (p) => p.row.reason,
  ),
  'series.auditTolerance': msg<{ tolerance: string }>(
    (p) => auditToleranceZh(p.tolerance),
    (p) => p.tolerance,
  ),
  'seriesChart.index': text('指数', 'Index'),
  'seriesChart.mom': text('环比 (%)', 'Month-on-month (%)'),
  'seriesChart.yoy': text('同比 (%)', 'Year-on-year (%)'),
  'seriesChart.pop': text('环比 (%)', 'Period-on-period (%)'),
  'seriesChart.change': text('变动 (%)', 'Change (%)'),
};
