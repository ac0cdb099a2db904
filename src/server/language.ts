/**
 * The language of a request and the API's error bodies in it. The reader's language comes from
 * `Accept-Language` (the best-weighted of zh* and en*; Chinese when neither is named); an error body
 * keeps its stable `code` and each issue's location and expectation, and carries its messages in that
 * language through the catalogue (src/engine/i18n/messages/platform.ts), falling back to the issue's
 * own text for codes without an entry.
 */
import { formatIssue, type Issue } from '../engine/core/errors.ts';
import { issueText, localise, type Lang } from '../engine/i18n/index.ts';

/** Longest Accept-Language header read (longer ones are cut before parsing). */
const MAX_ACCEPT_LANGUAGE = 256;

/**
 * The reader's language from an `Accept-Language` header: zh or en by weight (q), zh when absent,
 * unparsable or naming neither.
 * @example requestLang('en-GB,en;q=0.9,zh;q=0.5') // => 'en'
 * @example requestLang('fr, zh-CN;q=0.8, en;q=0.7') // => 'zh'
 * @example requestLang(undefined) // => 'zh'
 */
export function requestLang(header: string | string[] | undefined): Lang {
  const raw = (Array.isArray(header) ? header[0] : header)?.slice(0, MAX_ACCEPT_LANGUAGE);
  if (!raw) return 'zh';
  let best: Lang = 'zh';
  let bestQ = 0;
  for (const part of raw.split(',', 20)) {
    const [tag, ...params] = part.trim().toLowerCase().split(';');
    const lang: Lang | undefined = /^zh(-|$)/.test(tag) ? 'zh' : /^en(-|$)/.test(tag) ? 'en' : undefined;
    if (!lang) continue;
    const qp = params.map((x) => x.trim()).find((x) => x.startsWith('q='));
    const q = qp === undefined ? 1 : Number(qp.slice(2));
    if (Number.isFinite(q) && q > bestQ) {
      best = lang;
      bestQ = q;
    }
  }
  return best;
}

/** A stable API error body. */
export interface ErrorBody {
  error: { code: string; message: string; issues: Issue[] };
}

/**
 * The error body of issues in `lang`: the code of the first issue, each issue's message in `lang`, and
 * the overall message as located lines (where, what, expected, code).
 * @example
 * const body = errorBody([{ code: 'E_LOGIN', message: 'wrong user name or password / 用户名或密码错误' }], 'en');
 * [body.error.code, body.error.issues[0].message] // => ['E_LOGIN', 'wrong user name or password']
 * @example errorBody([{ code: 'E_LOGIN', message: 'wrong / 错误' }], 'zh').error.message // => '用户名或密码错误 [E_LOGIN]'
 */
export function errorBody(issues: readonly Issue[], lang: Lang): ErrorBody {
  const lines = issues.map((i) =>
    lang === 'en' ? formatIssue({ ...i, message: issueText(i, 'en') }) : localise(i, lang),
  );
  return {
    error: {
      code: issues[0]?.code ?? 'E_INPUT',
      message: lines.join('\n'),
      issues: issues.map((i) => ({ ...i, message: issueText(i, lang) })),
    },
  };
}
