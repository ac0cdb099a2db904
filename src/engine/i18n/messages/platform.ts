/**
 * The platform's errors (the store, `cityindex serve` and its pages) in the reader's language. The store
 * and server raise issues whose `message` is "English / 中文" (logs, the CLI); an API error body carries
 * one language, chosen from the request (Accept-Language, zh-CN by default), through `issueText`. Each
 * template reads the issue's own fields (`field`, `unit`, `indicator`, `expected`) and the numbers the
 * English text names; the English side is the issue's English half. Fieldwork, survey and expert-panel
 * codes are in fieldwork.ts. Also the invitation page's sentences.
 */
import { msg, text } from '../define.ts';
import type { Issue } from '../../core/errors.ts';

type P = { issue: Issue };

/**
 * The English half of a bilingual "English / 中文" message (the whole message when it has no Chinese half).
 * @example englishHalf('no such edition / 找不到版本') // => 'no such edition'
 * @example englishHalf('a / b') // => 'a / b'
 */
export function englishHalf(message: string): string {
  const i = message.lastIndexOf(' / ');
  return i > 0 && /[\u3400-\u9fff]/.test(message.slice(i)) ? message.slice(0, i) : message;
}

/**
 * The Chinese half of a bilingual message, or `fallback` when it has none.
 * @example chineseHalf('no such edition / 找不到版本', '找不到') // => '找不到版本'
 */
export function chineseHalf(message: string, fallback: string): string {
  const i = message.lastIndexOf(' / ');
  const zh = i > 0 ? message.slice(i + 3) : '';
  return /[\u3400-\u9fff]/.test(zh) ? zh : fallback;
}

const en = (p: P) => englishHalf(p.issue.message);
/** The first whole number the English text names (a count, a version), or '?' when none. */
const num = (p: P, after = '') => {
  const m = new RegExp(`${after}(\\d+)`).exec(englishHalf(p.issue.message));
  return m ? m[1] : '?';
};
/** A message whose Chinese is the issue's own Chinese half (its specific wording), else `fallback`. */
const own = (fallback: string) => msg<P>((p) => chineseHalf(p.issue.message, fallback), en);
/** Names of the things a store error may not find (the store names them in English). */
const THINGS = new Map([
  ['edition', '版本'],
  ['round', '轮次'],
  ['unit', '城市'],
  ['submission', '提交'],
  ['attachment', '附件'],
  ['user', '用户'],
  ['project', '项目'],
  ['invitation', '邀请'],
  ['wave', '调查批次'],
]);
const ind = (p: P) => (p.issue.indicator ? `指标 ${p.issue.indicator} ` : '');

export const PLATFORM_MESSAGES = {
  E_UNAUTHENTICATED: msg<P>(() => '请先登录后再执行此操作', en),
  E_FORBIDDEN: msg<P>(() => '您的角色无权执行此操作', en),
  E_LOGIN: msg<P>(() => '用户名或密码错误', en),
  E_LOCKED: msg<P>((p) => {
    const until = /until (\S+)/.exec(p.issue.message)?.[1];
    return `登录失败次数过多，账户已锁定${until ? `，至 ${until.replace(/ \/$/, '')} 解锁` : ''}`;
  }, en),
  E_CSRF: msg<P>(() => '请求缺少或带有错误的 CSRF 令牌（请刷新页面后重试）', en),
  E_RATE_LIMIT: msg<P>(() => '请求过于频繁，请稍后再试', en),
  E_BODY_TOO_LARGE: msg<P>(() => '请求内容过大', en),
  E_NOT_FOUND: msg<P>(
    (p) =>
      chineseHalf(p.issue.message, '找不到所请求的内容（或您无权查看）').replace(
        /找不到([A-Za-z_]+)/,
        (_, w: string) => `找不到${THINGS.get(w) ?? w}`,
      ),
    en,
  ),
  E_PARAM: msg<P>((p) => `参数“${p.issue.field ?? ''}”不是有效编号`, en),
  E_INTERNAL: msg<P>(() => '服务器内部错误', en),
  E_PASSWORD_POLICY: msg<P>((p) => `密码有 ${num(p)} 个字符，长度不符合要求`, en),
  E_USERNAME: msg<P>(() => '用户名无效', en),
  E_ROLE: msg<P>(() => '未知角色', en),
  E_CITY_REQUIRED: msg<P>(() => '城市用户须绑定项目中的至少一个城市（行政区划代码）', en),
  E_CITIES_UNEXPECTED: msg<P>(() => '只有城市用户绑定城市', en),
  E_EXPIRY: msg<P>(() => '邀请有效期无效', en),
  E_INVITATION: msg<P>(() => '邀请链接无效', en),
  E_INVITATION_USED: msg<P>(() => '该邀请链接已被使用，不能再次使用或撤销', en),
  E_INVITATION_EXPIRED: msg<P>((p) => {
    const at = /expired at (\S+)/.exec(p.issue.message)?.[1];
    return `该邀请已于 ${at ?? '?'} 过期，请向管理员索取新链接`;
  }, en),
  E_INVITATION_REVOKED: msg<P>(() => '该邀请已被管理员撤销，请向管理员索取新链接', en),
  E_CONFLICT: msg<P>((p) => {
    const m = /you edited version (\d+), it is now version (\d+)/.exec(p.issue.message);
    if (!m) return chineseHalf(p.issue.message, '数据已被他人修改，请刷新后重试');
    const values = /you sent ([^,]+), it is now ([^)]+)\)/.exec(p.issue.message);
    const v = (x: string) => (x === 'empty' ? '空' : x);
    const detail = values ? `：您提交的是 ${v(values[1])}，现在的值是 ${v(values[2])}` : '';
    return `${ind(p)}在此期间已被他人修改（您编辑的是第 ${m[1]} 版，现为第 ${m[2]} 版）${detail}；请刷新后重新编辑`;
  }, en),
  E_NOT_EDITABLE: msg<P>((p) => `${ind(p)}已提交或已通过审核，现在不能修改`, en),
  E_EMPTY: msg<P>(() => '没有填写任何数值', en),
  E_UNKNOWN_INDICATOR: msg<P>((p) => `指标体系中没有指标“${p.issue.indicator ?? ''}”`, en),
  E_DUPLICATE: msg<P>((p) => `${ind(p)}重复出现`, en),
  E_NOT_NUMBER: msg<P>((p) => `${ind(p)}的值不是数值`, en),
  E_SOURCE: msg<P>(() => '来源说明无效', en),
  E_VERSION: msg<P>(() => '版本号无效', en),
  E_COMMENT: own('意见无效'),
  E_DECISION: msg<P>(() => '审核结论无效（应为通过或退回）', en),
  E_ROUND_NAME: msg<P>(() => '轮次名称无效', en),
  E_TEMPLATE_SIGNATURE: msg<P>(() => '填报表不是本系统生成的，或其隐藏签名被修改；请重新下载填报表', en),
  E_TEMPLATE_ROUND: msg<P>(() => '该填报表属于其他轮次或项目', en),
  E_TEMPLATE_UNIT: msg<P>((p) => {
    const m = /template of city (\S+), not of (\S+)/.exec(p.issue.message);
    return m ? `这是城市 ${m[1]} 的填报表，不是 ${m[2]} 的` : '这是其他城市的填报表';
  }, en),
  E_UPLOAD: own('上传无效'),
  E_UPLOAD_LIMIT: msg<P>(() => '上传内容超出限制', en),
  E_ATTACHMENT_SIZE: msg<P>(() => '附件大小不符合要求', en),
  E_ATTACHMENT_TYPE: msg<P>(() => '附件须为 PDF 或图片（按文件内容判断）', en),
  E_COMPARE_PROJECTS: msg<P>(() => '两个版本不属于同一项目', en),
  E_RESULTS_TABLE: msg<P>(() => '版本没有可比较的结果表', en),
  E_PROJECT_TOO_LARGE: msg<P>(() => '项目文件夹过大，无法导入', en),
  E_SLUG: own('项目标识无效'),
  E_STORE_URL: own('数据库地址无效'),
  E_STORE_MIGRATION: own('数据库迁移失败'),
  E_OUT_NOT_EMPTY: own('输出文件夹不为空'),
  E_LEVEL: own('层级无效'),
};

/** What an upload of a city's template did (the upload route's `note`). */
export const UPLOAD_MESSAGES = {
  'upload.nothingChanged': text(
    '没有变化：文件中的每个数值和来源说明都与已保存的相同，未保存新版本。',
    'Nothing changed: every value and source note in the file equals the stored one; no new version was saved.',
  ),
  'upload.changed': msg<{ count: number }>(
    (p) => `已保存 ${p.count} 个数值的新版本。`,
    (p) => `Saved a new version of ${p.count} value${p.count === 1 ? '' : 's'}.`,
  ),
};

/** The column labels of the results downloads (`labels` of results.json). */
export const RESULTS_DOWNLOAD_MESSAGES = {
  'results.code': text('代码', 'Code'),
  'results.nameZh': text('名称（中文）', 'Name (Chinese)'),
  'results.nameEn': text('名称（英文）', 'Name (English)'),
  'results.rankOf': msg<{ name: string }>(
    (p) => `${p.name} 名次`,
    (p) => `${p.name} rank`,
  ),
};

/** The invitation page (GET/POST /invite): plain text, one language per page. */
export const INVITE_PAGE_MESSAGES = {
  'invite.title': text('cityindex — 邀请', 'cityindex — invitation'),
  'invite.username': text('用户名', 'User name'),
  'invite.password': text('密码（至少 12 个字符）', 'Password (at least 12 characters)'),
  'invite.submit': text('创建我的账户', 'Create my account'),
  'invite.signIn': text('登录', 'Sign in'),
  'invite.created': msg<{ username: string }>(
    (p) => `账户 ${p.username} 已创建，可以登录了。`,
    (p) => `Account ${p.username} created; you can sign in.`,
  ),
  'invite.signedIn': msg<{ username: string }>(
    (p) =>
      `您当前以 ${p.username} 的身份登录。在此创建的是一个新的、独立的账户，您仍以 ${p.username} 登录；` +
      '如要立即使用新账户，请先退出登录再登录新账户。',
    (p) =>
      `You are signed in as ${p.username}. The account you create here is a new, separate account and you ` +
      `stay signed in as ${p.username}; sign out, then sign in with the new account to use it.`,
  ),
  'invite.expected': msg<{ expected: string }>(
    (p) => `（应为：${p.expected}）`,
    (p) => ` (expected: ${p.expected})`,
  ),
  'invite.otherLanguage': text('English', '中文'),
};
