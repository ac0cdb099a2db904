/**
 * The audit's results written for readers (issue 11, item 8): what leaving one element out does to the
 * ranks, and what the principal components say about whether the parts of a group measure one thing.
 */
import { msg, text } from '../define.ts';

const pc = (x: number) => `${(Math.round(x * 1000) / 10).toString()}%`;
const places = (x: number) => (Math.round(x * 10) / 10).toString();

export const AUDIT_MESSAGES = {
  'audit.looTitle': text('去掉一项后名次如何变化', 'What happens to the ranks when one part is left out'),
  'audit.looIntro': text(
    '依次把一个组成部分的权重设为零、其余不变，重新计算综合指数，再与本报告的名次比较。' +
      '平均名次变动越大，排名越依赖这一部分；变动很小的部分对排名影响不大。',
    'Each part is left out in turn (its weight set to zero, everything else unchanged), the index is ' +
      "recomputed and its ranks are compared with this report's. The larger the average move, the more the " +
      'ranking depends on that part; a part whose removal barely moves anyone matters little to the ranking.',
  ),
  'audit.looLevel': msg<{ level: string }>(
    (p) => `逐个去掉${p.level}`,
    (p) => `Leaving out one ${p.level} at a time`,
  ),
  'audit.looLevelName': msg<{ level: number; kind: 'indicator' | 'dimension' | 'level' }>(
    (p) => (p.kind === 'indicator' ? '指标' : p.kind === 'dimension' ? '维度' : `第 ${p.level} 层的组成部分`),
    (p) => (p.kind === 'indicator' ? 'indicator' : p.kind === 'dimension' ? 'dimension' : `part of level ${p.level}`),
  ),
  'audit.looMost': msg<{ name: string; mean: number; max: number; least: string; leastMean: number }>(
    (p) =>
      `排名最依赖“${p.name}”：去掉它，城市名次平均变动 ${places(p.mean)} 位，最多 ${p.max} 位；` +
      `去掉“${p.least}”影响最小（平均 ${places(p.leastMean)} 位）。`,
    (p) =>
      `The ranking depends most on "${p.name}": without it, ranks move by ${places(p.mean)} places on average ` +
      `and by up to ${p.max}; leaving out "${p.least}" matters least (${places(p.leastMean)} places on average).`,
  ),
  'audit.looPart': text('去掉的部分', 'Part left out'),
  'audit.looMean': text('平均名次变动（位）', 'Average move (places)'),
  'audit.looMax': text('最大变动（位）', 'Largest move (places)'),
  'audit.looMover': text('变动最大的城市', 'Moved most'),
  'audit.looMoverUnit': text('变动最大的对象', 'Moved most'),
  'audit.looMove': msg<{ name: string; from: number; to: number }>(
    (p) => `${p.name}（第 ${p.from} → ${p.to} 名）`,
    (p) => `${p.name} (${p.from} → ${p.to})`,
  ),
  'audit.looFailed': text('无法计算', 'could not be computed'),
  'audit.pcaTitle': text(
    '各组成部分是否衡量同一件事（主成分分析）',
    'Do the parts measure one thing? (principal components)',
  ),
  'audit.pcaIntro': text(
    '主成分分析看一组得分能否由一个共同的方向概括。第一主成分解释的比例越高、各部分与它同向，' +
      '这一组就越像在衡量同一件事；若还有第二个特征值大于 1 的成分，这一组包含不止一个方面。',
    'Principal components show whether one common direction sums up a group of scores. The larger the share ' +
      'the first component explains, with every part pointing the same way, the more the group measures one ' +
      'thing; a second component with an eigenvalue above 1 means the group holds more than one aspect.',
  ),
  'audit.pcaGroup': text('组', 'Group'),
  'audit.pcaParts': text('组成部分数', 'Parts'),
  'audit.pcaFirst': text('第一主成分解释', 'First component explains'),
  'audit.pcaSecond': text('第二主成分解释', 'Second component explains'),
  'audit.pcaReading': text('解读', 'Reading'),
  'audit.pcaOne': text('各部分同向变动，可视为衡量同一件事', 'the parts move together: they measure one thing'),
  'audit.pcaSeveral': msg<{ k: number }>(
    (p) => `有 ${p.k} 个特征值大于 1 的成分：这一组包含不止一个方面`,
    (p) => `${p.k} components have an eigenvalue above 1: the group holds more than one aspect`,
  ),
  'audit.pcaOpposite': msg<{ names: string }>(
    (p) => `与其他部分反向变动：${p.names}`,
    (p) => `against the others: ${p.names}`,
  ),
  'audit.pcaSummary': msg<{ name: string; share: number; weakest: string; loading: string }>(
    (p) =>
      `在“${p.name}”中，第一主成分解释了 ${pc(p.share)} 的差异；与它关系最弱的是“${p.weakest}”` +
      `（载荷 ${p.loading}）。`,
    (p) =>
      `In "${p.name}" the first component explains ${pc(p.share)} of the variation; "${p.weakest}" is the ` +
      `part least tied to it (loading ${p.loading}).`,
  ),
} as const;
