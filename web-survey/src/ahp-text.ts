/** The expert-panel pages' words in both languages (element names come from the framework). */
import type { Lang } from './text.ts';

const TEXT = {
  panelTitle: { zh: '专家权重判断', en: 'Expert weighting' },
  resultsTitle: { zh: '专家组结果', en: 'Expert panel results' },
  intro: {
    zh: '请两两比较下列各项的相对重要性：滑块越靠近一侧，表示该侧越重要（1 = 同等重要，9 = 极端重要）。答案会随时自动保存。',
    en:
      'Compare the items two at a time: the further the slider towards one side, the more important that side ' +
      '(1 = equal, 9 = extreme importance). Your answers are saved as you go.',
  },
  within: { zh: '「{p}」下各项的相对重要性', en: 'Relative importance within "{p}"' },
  notAnswered: {
    zh: '尚未作答：请移动滑块（中间为同等重要）',
    en: 'Not answered yet: move the slider (the middle is "equal")',
  },
  equal: { zh: '「{a}」与「{b}」同等重要', en: '"{a}" and "{b}" are equally important' },
  more: { zh: '「{a}」比「{b}」{v}（{k}）', en: '"{a}" is {k}× as important as "{b}" ({v})' },
  v2: { zh: '介于同等与稍重要之间', en: 'between equal and moderate' },
  v3: { zh: '稍重要', en: 'moderately more important' },
  v4: { zh: '介于稍重要与明显重要之间', en: 'between moderate and strong' },
  v5: { zh: '明显重要', en: 'strongly more important' },
  v6: { zh: '介于明显重要与强烈重要之间', en: 'between strong and very strong' },
  v7: { zh: '强烈重要', en: 'very strongly more important' },
  v8: { zh: '介于强烈重要与极端重要之间', en: 'between very strong and extreme' },
  v9: { zh: '极端重要', en: 'extremely more important' },
  crPending: {
    zh: '答完本组全部 {n} 项比较后显示一致性比率。',
    en: 'The consistency ratio appears once all {n} comparisons of this group are answered.',
  },
  crOk: {
    zh: '一致性比率 CR = {cr}，不超过 0.10：判断一致。',
    en: 'Consistency ratio CR = {cr}, at most 0.10: consistent.',
  },
  crHigh: {
    zh: '一致性比率 CR = {cr}，超过 0.10：判断之间有矛盾。请检查标出的比较，或在下方说明理由。',
    en:
      'Consistency ratio CR = {cr}, above 0.10: your judgements contradict each other. ' +
      'Check the highlighted comparison, or explain below.',
  },
  worst: {
    zh: '这一项与您的其他判断最不一致。按其他判断，约为 {implied}；建议：{suggested}。',
    en: 'This comparison fits your other answers least. They imply about {implied}; suggested: {suggested}.',
  },
  useSuggested: { zh: '采用建议值', en: 'Use the suggested value' },
  justification: {
    zh: '说明理由（CR 超过 0.10 时提交须填写，至少 20 个字符）',
    en: 'Justification (needed to submit with CR above 0.10; at least 20 characters)',
  },
  submit: { zh: '提交本组', en: 'Submit this group' },
  submitted: { zh: '本组已提交，谢谢！', en: 'This group is submitted — thank you!' },
  saving: { zh: '正在保存…', en: 'Saving…' },
  saved: { zh: '已自动保存', en: 'Saved' },
  saveFailed: { zh: '保存失败，请检查网络后再试', en: 'Could not save: check the connection and try again' },
  noPanel: { zh: '找不到该专家组，或您不是其成员。', en: 'No such panel, or you are not one of its experts.' },
  allDone: { zh: '全部比较组均已提交，感谢您的判断！', en: 'Every group is submitted. Thank you for your judgements!' },
  element: { zh: '指标', en: 'Item' },
  aij: { zh: '权重（AIJ）', en: 'Weight (AIJ)' },
  aip: { zh: '权重（AIP）', en: 'Weight (AIP)' },
  range: { zh: '专家间最小–最大', en: 'Experts’ min–max' },
  iqr: { zh: '四分位距', en: 'Interquartile range' },
  expert: { zh: '专家', en: 'Expert' },
  cr: { zh: '一致性比率', en: 'Consistency ratio' },
  why: { zh: '理由', en: 'Justification' },
  consistent: { zh: '一致', en: 'consistent' },
  inconsistent: { zh: '超过 0.10', en: 'above 0.10' },
  groupSummary: {
    zh: '{n} 位专家已提交；聚合矩阵 CR = {cr}。',
    en: '{n} experts submitted; CR of the aggregated matrix = {cr}.',
  },
  noneYet: { zh: '尚无专家提交本组。', en: 'No expert has submitted this group yet.' },
  experts: { zh: '专家', en: 'Experts' },
  weightsOf: { zh: '「{p}」的权重', en: 'Weights within "{p}"' },
  expertsOf: { zh: '「{p}」各专家的一致性', en: 'Each expert’s consistency within "{p}"' },
  status: { zh: '进度', en: 'Progress' },
  groupsDone: { zh: '已提交 {n}/{m} 组', en: '{n} of {m} groups submitted' },
  invite: { zh: '邀请专家', en: 'Invite an expert' },
  inviteLink: {
    zh: '一次性邀请链接（只显示一次）：对方用它创建账户后，打开专家组页面作答。',
    en: 'One-time invitation link (shown once): the expert creates an account with it, then opens the panel page.',
  },
  panelPage: { zh: '专家组页面', en: 'Panel page' },
  addExpert: { zh: '按用户名加入专家', en: 'Add an expert by user name' },
  add: { zh: '加入', en: 'Add' },
  added: { zh: '已加入', en: 'Added' },
  variant: { zh: '用专家组权重生成构建版本', en: 'Make a build variant with the panel’s weights' },
  variantAij: { zh: '按 AIJ 生成', en: 'With AIJ' },
  variantAip: { zh: '按 AIP 生成', en: 'With AIP' },
  variantDone: {
    zh: '已生成草稿版本 #{id}「{name}」，可在版本列表中查看与发布。',
    en: 'Draft edition #{id} "{name}" created; review and publish it from the editions.',
  },
  panelOpen: { zh: '专家组进行中：专家可以保存和提交判断。', en: 'The panel is open: experts can save and submit.' },
  panelClosed: {
    zh: '专家组已于 {at} 由 {by} 关闭：专家不能再保存或提交判断。',
    en: 'The panel was closed on {at} by {by}: experts can no longer save or submit.',
  },
  closePanel: { zh: '关闭专家组', en: 'Close the panel' },
  closeConfirm: {
    zh: '关闭后专家不能再保存或提交判断，已提交的判断保留。确定关闭？',
    en: 'After closing, experts can no longer save or submit; submitted judgements stay. Close the panel?',
  },
  closedForExpert: {
    zh: '该专家组已关闭，不能再保存或提交判断。',
    en: 'This panel is closed: judgements can no longer be saved or submitted.',
  },
  listTitle: { zh: '专家组', en: 'Expert panels' },
  noPanels: { zh: '暂无专家组。', en: 'No panels yet.' },
  answer: { zh: '作答', en: 'Answer' },
  results: { zh: '结果', en: 'Results' },
  newPanel: { zh: '新建专家组', en: 'Open a new panel' },
  panelName: { zh: '名称', en: 'Title' },
  compare: { zh: '比较哪些上级指标的子项', en: 'Which parent nodes’ children are compared' },
  children: { zh: '{n} 项', en: '{n} items' },
  create: { zh: '新建', en: 'Open the panel' },
  aijNote: {
    zh: 'AIJ：先对各专家判断取几何平均再求权重；AIP：先求各专家权重再取几何平均。',
    en:
      'AIJ: the geometric mean of the experts’ judgements, then the weights; ' +
      'AIP: each expert’s weights, then their geometric mean.',
  },
} as const;

export type AhpTextKey = keyof typeof TEXT;

/** The text of a key in a language with `{name}` placeholders filled in. */
export function at(key: AhpTextKey, lang: Lang, values: Record<string, string | number> = {}): string {
  return TEXT[key][lang].replace(/\{(\w+)\}/g, (m, k: string) => (k in values ? String(values[k]) : m));
}

/** Saaty's words for a whole-number strength 2…9. */
export function strength(k: number, lang: Lang): string {
  return at(`v${Math.min(9, Math.max(2, k))}` as AhpTextKey, lang);
}
