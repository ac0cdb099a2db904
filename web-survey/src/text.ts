/** The pages' own words in both languages (the questionnaire's text comes from its definitions). */
export type Lang = 'zh' | 'en';

const TEXT = {
  loading: { zh: '正在加载…', en: 'Loading…' },
  closedTitle: { zh: '本次调查已结束', en: 'This survey is closed' },
  closedBody: {
    zh: '感谢您的关注。本城市的问卷已收集完毕或调查已经结束，无需再填写。',
    en: 'Thank you for your interest. This city has all the answers it needs, or the survey has ended.',
  },
  quotaTitle: { zh: '感谢您的参与', en: 'Thank you for your time' },
  quotaBody: {
    zh: '与您情况相同的受访者名额已满，本次无需继续作答。',
    en: 'We already have enough answers from people like you, so there is no need to continue.',
  },
  thanksTitle: { zh: '提交成功，谢谢！', en: 'Submitted — thank you!' },
  thanksBody: { zh: '您的答卷已保存。', en: 'Your answers have been saved.' },
  screenedTitle: { zh: '谢谢您的回答', en: 'Thank you for answering' },
  screenedBody: {
    zh: '本问卷面向本市常住居民，您无需继续作答。',
    en: 'This questionnaire is for residents of the city, so there is no need to continue.',
  },
  duplicateTitle: { zh: '您已填写过本问卷', en: 'You have already answered' },
  duplicateBody: { zh: '每台设备只能填写一次，谢谢！', en: 'Each device can answer once. Thank you!' },
  submitting: { zh: '正在提交，请勿关闭页面…', en: 'Submitting — please keep this page open…' },
  offline: {
    zh: '网络中断，答卷已保存在本机，恢复网络后会自动提交。',
    en: 'No connection: your answers are kept on this device and will be sent when the connection returns.',
  },
  error: { zh: '出错了', en: 'Something went wrong' },
  simulated: {
    zh: '演示：本调查的答卷为模拟数据，不是真实结果。',
    en: 'Demo: the responses of this survey are simulated, not real results.',
  },
  anonymous: {
    zh: '匿名填写：我们不收集姓名、电话或网络地址。',
    en: 'Anonymous: we do not collect your name, phone number or network address.',
  },
  language: { zh: 'English', en: '中文' },
  monitorTitle: { zh: '现场调查监控', en: 'Fieldwork monitor' },
  signIn: { zh: '登录', en: 'Sign in' },
  username: { zh: '用户名', en: 'User name' },
  password: { zh: '密码', en: 'Password' },
  city: { zh: '城市', en: 'City' },
  complete: { zh: '已完成', en: 'Complete' },
  quota: { zh: '配额', en: 'Quota' },
  completion: { zh: '完成率', en: 'Completion' },
  breakOff: { zh: '中途退出率', en: 'Break-off' },
  median: { zh: '用时中位数（秒）', en: 'Median time (s)' },
  speeders: { zh: '过快', en: 'Speeders' },
  straight: { zh: '直线作答', en: 'Straight-liners' },
  duplicates: { zh: '重复', en: 'Duplicates' },
  total: { zh: '合计', en: 'Total' },
  downloads: { zh: '下载', en: 'Downloads' },
  raw: { zh: '原始答卷 CSV', en: 'Raw responses CSV' },
  cleaned: { zh: '清洗后答卷 CSV', en: 'Cleaned responses CSV' },
  codebook: { zh: '编码本 CSV', en: 'Codebook CSV' },
  workbook: { zh: '全部（Excel）', en: 'All (Excel)' },
  qr: { zh: '二维码', en: 'QR code' },
  updated: { zh: '更新于', en: 'Updated' },
} as const;

export type TextKey = keyof typeof TEXT;

/** The text of a key in a language. */
export function t(key: TextKey, lang: Lang): string {
  return TEXT[key][lang];
}

/** The page's language: `?lang=`, else the browser's (Chinese unless it prefers another language). */
export function initialLang(): Lang {
  const q = new URLSearchParams(location.search).get('lang');
  if (q === 'zh' || q === 'en') return q;
  return navigator.language.toLowerCase().startsWith('zh') || !navigator.language ? 'zh' : 'en';
}

/** A name in the page's language, falling back to the other. */
export function local(name: { zh?: string; en?: string } | undefined, lang: Lang, fallback = ''): string {
  return (lang === 'zh' ? (name?.zh ?? name?.en) : (name?.en ?? name?.zh)) ?? fallback;
}
