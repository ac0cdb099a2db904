/**
 * Reader-facing text of the warnings and errors a report can show (project warnings under "Data
 * sources", analyses that could not run under "Methodology"). A template receives the whole issue:
 * the location fields are printed by `localise`, the template says what happened. Codes without an
 * entry print the issue's own (English) message.
 */
import { msg } from '../define.ts';
import type { Issue } from '../../core/errors.ts';

type P = { issue: Issue };
const own = (p: P) => p.issue.message;

export const ISSUE_MESSAGES = {
  W_ENCODING: msg<P>(() => '文件不是 UTF-8 编码，已按 GB18030/GBK 读取（另存为 UTF-8 可消除此警告）', own),
  W_HEADER_ROW: msg<P>((p) => `表头取自第 ${p.issue.row ?? '?'} 行，其上方的标题行已跳过`, own),
  W_IGNORED_COLUMNS: msg<P>((p) => `不在指标体系中的列已忽略（${p.issue.message.replace(/^[^:]*:\s*/, '')}）`, own),
  W_CODE_DECIMAL: msg<P>(() => '单位代码带小数部分，已按整数读取；请将该列保存为文本', own),
  W_GAP_HAS_DATA: msg<P>(
    (p) => `指标 ${p.issue.indicator ?? ''} 标为“未采集”（status: not_collected），但数据中有数值；这些数值未参与计算`,
    own,
  ),
  W_SURVEY_UNUSED: msg<P>(() => '该问卷未提供指标体系中的任何指标', own),
  W_UNUSED_OVERRIDE: msg<P>((p) => `指标 ${p.issue.indicator ?? ''} 的单独设置未使用：数据中没有该指标`, own),
  W_EMPTY_COLUMN: msg<P>((p) => `指标 ${p.issue.indicator ?? ''} 没有任何数值，保持缺失`, own),
  W_RELATIVE_SCORES: msg<P>(
    () => '标准化按各期数据分别进行（如最小–最大）：排名可比，但得分水平、σ 与 β 只描述各期内的相对位置',
    own,
  ),
  W_MOSTLY_IMPUTED: msg<P>(
    (p) =>
      `指标 ${p.issue.indicator ?? ''} 的多数数值是插补的，不是观测值（${p.issue.message.replace(/^impute: /, '')}）`,
    own,
  ),
  E_NO_AGGREGATE: msg<P>(() => '构建步骤中没有汇总步骤，结果中没有指数', own),
  E_TOO_FEW: msg<P>((p) => `数量不足，无法计算（${p.issue.message}）`, own),
  E_UNKNOWN_GROUPING: msg<P>((p) => `未知的分组（${p.issue.message}）`, own),
  E_NO_SCORES: msg<P>((p) => `没有可用的得分（${p.issue.message}）`, own),
  E_GAL: msg<P>((p) => `空间权重文件有误（${p.issue.message}）`, own),
  E_COORDINATE: msg<P>((p) => `坐标有误（${p.issue.message}）`, own),
  E_UNKNOWN_UNIT: msg<P>((p) => `未知的评价对象（${p.issue.message}）`, own),
  E_ANSWER_SCALE: msg<P>((p) => {
    const m = /^(.*?)(\d+) answers? outside the scale ([^:]+):\s*(.*)$/.exec(p.issue.message);
    if (!m) return `超出量表范围的回答（${p.issue.message}）`;
    const scale = m[3].replace(' (whole numbers)', '（整数）');
    const who = m[1]
      .replace(/^respondent "(.*)": $/, '受访者“$1”：')
      .replace(/^respondent on row (\d+): $/, '第 $1 行受访者：');
    const list = m[4].replace(/^rows /, '行 ');
    return `${who}${m[2]} 个回答超出量表 ${scale}：${list}`;
  }, own),
  E_AHP_EXPERT: msg<P>((p) => `专家问卷不完整，无法用于该组判断矩阵（${p.issue.message}）`, own),
  W_AHP_EXPERT_DROPPED: msg<P>((p) => `该专家未计入该组权重（${p.issue.message}）`, own),
  E_NON_FINITE: msg<P>((p) => {
    const more = /produced (\d+) more/.exec(p.issue.message);
    if (more) return `该步骤另有 ${more[1]} 个结果不是有限数值`;
    return `该步骤的结果不是有限数值（${p.issue.message.includes('-Infinity') ? '−∞' : '∞'}），请检查其设置`;
  }, own),
  E_XLSX_LIMIT: msg<P>((p) => `工作簿超过读取上限，已拒绝（${p.issue.expected ?? p.issue.message}）`, own),
};

/** Issue codes that have reader-facing text. */
export type IssueCode = keyof typeof ISSUE_MESSAGES;
