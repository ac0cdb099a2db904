/**
 * Plain-language description of each build step and its settings, in English and Chinese, for the
 * workbook's method sheet and the report's methodology appendix. Defaults are spelled out so a
 * reader sees the exact method, not "default".
 */
import type { AggregationMethod, NormaliseMethod, StepSpec, WeightMethod, ImputeMethod } from '../spec/spec.ts';

export type Lang = 'en' | 'zh';

function normaliseText(m: NormaliseMethod, lang: Lang): string {
  const zh = lang === 'zh';
  switch (m.method) {
    case 'none': return zh ? '不标准化' : 'no normalisation';
    case 'minMax': { const [l, u] = m.range ?? [0, 100]; return zh ? `极差（最小–最大）标准化到 [${l}, ${u}]` : `min–max to [${l}, ${u}]`; }
    case 'zScore': return zh ? `z 分数（均值 ${m.mean ?? 0}，标准差 ${m.sd ?? 1}）` : `z-score (mean ${m.mean ?? 0}, sd ${m.sd ?? 1})`;
    case 'scaled': return zh ? `按 [${m.lower}, ${m.upper}] 缩放 × ${m.scaleFactor ?? 100}` : `scaled by [${m.lower}, ${m.upper}] × ${m.scaleFactor ?? 100}`;
    case 'rank': return zh ? '排名（最小值=1）' : 'rank (lowest = 1)';
    case 'percentileRank': return zh ? '百分位排名' : 'percentile rank';
    case 'borda': return zh ? 'Borda 计分' : 'Borda score';
    case 'distanceToTarget': return zh ? `距目标值距离${m.cap ? '（封顶）' : ''}` : `distance to target${m.cap ? ' (capped)' : ''}`;
    case 'distanceToMax': return zh ? '距最大值距离' : 'distance to maximum';
    case 'distanceToReference': return zh ? `距参照单元 ${m.reference} 的距离` : `distance to reference unit ${m.reference}`;
    case 'goalposts': return zh ? '目标区间（goalposts）' : 'goalposts';
    case 'fractionOfMax': return zh ? '占最大值比例' : 'fraction of maximum';
  }
}

function aggregationText(m: AggregationMethod | undefined, lang: Lang): string {
  const zh = lang === 'zh';
  switch (m?.method ?? 'arithmetic') {
    case 'arithmetic': return zh ? '加权算术平均（缺失值处按可用权重重新加权）' : 'weighted arithmetic mean (re-weighted over available values)';
    case 'geometric': return zh ? '加权几何平均' : 'weighted geometric mean';
    case 'harmonic': return zh ? '加权调和平均' : 'weighted harmonic mean';
    case 'generalised': return zh ? `广义平均 p = ${(m as { p: number }).p}` : `generalised mean, p = ${(m as { p: number }).p}`;
    case 'mpi': return zh ? 'Mazziotta–Pareto 指数' : 'Mazziotta–Pareto index';
    case 'topsis': return 'TOPSIS';
    case 'bod': return zh ? '“善意假设”法（DEA，每个单元一个线性规划）' : 'benefit of the doubt (one LP per unit)';
    case 'copeland': return zh ? 'Copeland 计票' : 'Copeland';
  }
}

function weightText(w: WeightMethod, lang: Lang): string {
  const zh = lang === 'zh';
  switch (w.method) {
    case 'equal': return zh ? '等权' : 'equal weights';
    case 'manual': return zh ? '人工设定权重' : 'manual weights';
    case 'ahp': return zh ? `层次分析法（${w.variant ?? 'eigenvector'}，RI 表 ${w.riTable ?? 'saaty'}）` : `AHP (${w.variant ?? 'eigenvector'}, RI table ${w.riTable ?? 'saaty'})`;
    case 'entropy': return zh ? `熵权法（平移：${w.shift ?? 'none'}）` : `entropy weights (shift: ${w.shift ?? 'none'})`;
    case 'critic': return zh ? 'CRITIC 法' : 'CRITIC';
    case 'cv': return zh ? '变异系数法' : 'coefficient of variation';
    case 'sd': return zh ? '标准差法' : 'standard deviation';
    case 'pca': return zh ? `主成分分析权重（${w.variant ?? 'oecd'}）` : `PCA weights (${w.variant ?? 'oecd'})`;
    case 'optimised': return zh ? '相关性优化权重' : 'correlation-optimised weights';
    case 'combined': return zh ? `组合赋权：${weightText(w.subjective, lang)} 与 ${weightText(w.objective, lang)}` : `combined: ${weightText(w.subjective, lang)} with ${weightText(w.objective, lang)}`;
  }
}

function imputeText(m: ImputeMethod, lang: Lang): string {
  const zh = lang === 'zh';
  switch (m.method) {
    case 'none': return zh ? '不插补' : 'no imputation';
    case 'mean': return zh ? '列均值插补' : 'column mean';
    case 'median': return zh ? '列中位数插补' : 'column median';
    case 'groupMean': return zh ? `按组（${m.group}）均值插补` : `group mean by ${m.group}`;
    case 'groupMedian': return zh ? `按组（${m.group}）中位数插补` : `group median by ${m.group}`;
    case 'rowMean': return zh ? '同一维度内行均值插补（先标准化）' : 'row mean within the parent (normalised first)';
    case 'rowMedian': return zh ? '同一维度内行中位数插补（先标准化）' : 'row median within the parent (normalised first)';
    case 'latest': return zh ? '取最近一期的值' : 'latest earlier period';
  }
}

/**
 * One sentence for a build step, with every setting that matters.
 * @example describeStep({ id: 'n', kind: 'normalise', options: { method: 'minMax', range: [0, 100] } }, 'en') // => 'Normalise: min–max to [0, 100]; direction applied first.'
 */
export function describeStep(step: StepSpec, lang: Lang): string {
  const zh = lang === 'zh';
  switch (step.kind) {
    case 'denominate': return zh ? '分母化：按框架中声明的分母（如人口、GDP）相除。' : 'Denominate: divide by the denominators declared in the framework (e.g. population, GDP).';
    case 'screen': {
      const o = step.options ?? {};
      const t = o.dataThreshold ?? 2 / 3;
      return zh ? `筛选：规则 ${o.by ?? 'byNA'}，数据可得率阈值 ${t.toFixed(3)}，非零阈值 ${o.nonZeroThreshold ?? 0.05}${o.force?.length ? `，强制 ${o.force.length} 项` : ''}。` : `Screen units: rule ${o.by ?? 'byNA'}, data availability ≥ ${t.toFixed(3)}, non-zero ≥ ${o.nonZeroThreshold ?? 0.05}${o.force?.length ? `, ${o.force.length} forced` : ''}.`;
    }
    case 'impute': return (zh ? '缺失值插补：' : 'Impute missing values: ') + imputeText(step.options ?? { method: 'mean' }, lang) + (step.options?.perIndicator ? (zh ? '（部分指标单独设定）' : ' (per-indicator overrides)') : '') + (zh ? '。' : '.');
    case 'treat': {
      const o = step.options ?? {};
      return zh ? `异常值处理（COINr 规则）：|偏度| ≥ ${o.skewThreshold ?? 2} 且峰度 ≥ ${o.kurtThreshold ?? 3.5} 时缩尾，最多 ${o.winmax === null ? '不限' : o.winmax ?? 5} 个点；仍不通过则 ${o.fallback ?? 'logCT'} 变换。` : `Treat outliers (COINr rule): winsorise when |skew| ≥ ${o.skewThreshold ?? 2} and kurtosis ≥ ${o.kurtThreshold ?? 3.5}, at most ${o.winmax === null ? 'unlimited' : o.winmax ?? 5} points; if still failing, ${o.fallback ?? 'logCT'} transform of the original values.`;
    }
    case 'normalise': return (zh ? '标准化：' : 'Normalise: ') + normaliseText(step.options ?? { method: 'minMax', range: [0, 100] }, lang) + (zh ? '；先按指标方向调整。' : '; direction applied first.');
    case 'weight': return (zh ? `赋权（第 ${step.options.level} 层）：` : `Weights (level ${step.options.level}): `) + weightText(step.options.weighting, lang) + (zh ? '。' : '.');
    case 'aggregate': {
      const o = step.options ?? {};
      const per = o.levels ? Object.entries(o.levels).map(([l, s]) => `${zh ? '第' : 'level '}${l}${zh ? '层' : ''}: ${aggregationText(s.aggregation ?? o.aggregation, lang)}`).join('; ') : '';
      return (zh ? '逐层汇总：' : 'Aggregate level by level: ') + aggregationText(o.aggregation, lang) + (per ? ` (${per})` : '') + (o.dataThreshold !== undefined ? (zh ? `；数据可得率低于 ${o.dataThreshold} 时不计算` : `; missing when availability < ${o.dataThreshold}`) : '') + (zh ? '。' : '.');
    }
  }
}
