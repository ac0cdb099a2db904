/**
 * Survey fieldwork and expert-panel errors (the store's fieldwork, survey values and AHP panels, the
 * survey reader and answer checks) in the reader's language, like the platform's errors (platform.ts):
 * an API error body keeps its stable `code`, and its message follows Accept-Language. A message the store
 * writes as "English / 中文" gives its own two halves; an English-only one gets the Chinese here, built
 * from the issue's own fields (`field`, `indicator`, `unit`) and the numbers its English names.
 */
import { msg } from '../define.ts';
import type { Issue } from '../../core/errors.ts';
import { chineseHalf, englishHalf } from './platform.ts';

type P = { issue: Issue };

const en = (p: P) => englishHalf(p.issue.message);
/** A message whose Chinese is the issue's own Chinese half, else `fallback` (built from the issue). */
const own = (fallback: string | ((p: P) => string)) =>
  msg<P>((p) => chineseHalf(p.issue.message, typeof fallback === 'string' ? fallback : fallback(p)), en);
const field = (p: P) => p.issue.field ?? '';
/** The whole numbers the English text names, in order. */
const nums = (p: P) => (englishHalf(p.issue.message).match(/\d+/g) ?? []).map(String);

/** The catalogue entries of fieldwork, survey and expert-panel error codes. */
export const FIELDWORK_MESSAGES = {
  // respondents' saves
  E_CLOSED: own('调查已结束'),
  E_DUPLICATE_RESPONSE: own('此设备已填写过本问卷'),
  E_TOKEN: own((p) =>
    /keeps the code/.test(p.issue.message) ? '答卷须使用开始时的邀请码' : '本问卷须输入邀请中的一次性答题码',
  ),
  E_TOKEN_USED: own('该邀请码已被使用'),
  E_RESPONSE_ID: own('答卷编号无效'),
  E_DEVICE_KEY: own('设备标识无效'),
  E_TOO_LARGE: own('内容过大'),
  E_PARADATA: own('页面用时记录无效'),
  E_NO_PAGES: own('问卷页面尚未构建'),
  E_ANSWER: own((p) => {
    // the English detail (which row, which choice) is kept: it names codes of the questionnaire
    const detail = englishHalf(p.issue.message).replace(/^question "[^"]*":\s*/, '');
    return `问题“${field(p)}”的答案不符合问卷定义（${detail}）`;
  }),
  E_UNKNOWN_QUESTION: own((p) => `问卷中没有问题“${field(p)}”`),
  E_REQUIRED: own((p) => `问题“${field(p)}”为必答题`),
  // waves and tokens (staff)
  E_NO_DEFINITION: own('问卷缺少中英文问卷定义'),
  E_QUOTA: own((p) => `每城配额 ${nums(p)[0] ?? '?'} 不允许`),
  E_COUNT: own((p) => `答题码数量 ${nums(p)[0] ?? '?'} 不允许（应为 1 至 10 000）`),
  // responses read from files (survey-read.ts)
  E_CITY: own('城市代码无效'),
  E_AGE: own('年龄无效'),
  E_SEX: own('性别无效'),
  E_DURATION: own('答题时长无效'),
  // survey estimates into the index
  E_SURVEY_INDICATOR: own('不是可由问卷估计的指标'),
  E_SURVEY_CITY: own((p) => `调查城市 ${p.issue.unit ?? ''} 不在项目中`),
  // expert panels
  E_PANEL_CLOSED: own((p) => `专家组 ${nums(p)[0] ?? ''} 已关闭，不能再保存或提交判断`),
  E_PANEL_TITLE: own('专家组名称长度无效'),
  E_PANEL_PARENT: own('不是可比较的上级指标'),
  E_PANEL_BUILD: own('构建没有聚合步骤'),
  E_PANEL_INCOMPLETE: own('尚无专家提交这些比较组'),
  E_NOT_EXPERT: own('不是专家用户'),
  E_AHP_PAIR: own('不是该组的比较项'),
  E_AHP_VALUE: own('答案不在 1–9 标度内'),
  E_AHP_ANSWERS: own('答案过多'),
  E_AHP_INCOMPLETE: own('尚有比较未作答'),
  E_AHP_JUSTIFY: own('一致性比率超过 0.10，请修改判断或说明理由'),
  E_AHP_SIZE: own('子项过多，无法两两比较'),
  E_JUSTIFICATION: own('说明过长'),
};
