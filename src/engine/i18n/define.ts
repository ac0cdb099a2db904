/**
 * The building blocks of the message catalogue: a message is one template per language, and the
 * parameters of both templates are one TypeScript type, so `t('zh', code, params)` is checked at
 * compile time against the code's parameters.
 */

/** The languages of the catalogue (every message has both). */
export type Lang = 'zh' | 'en';

/** Both languages of a language-dependent value. */
export interface Bilingual<T = string> {
  zh: T;
  en: T;
}

/** One catalogue entry: a template per language over parameters `P` (`void` for plain text). */
export interface Message<P> {
  readonly zh: (params: P) => string;
  readonly en: (params: P) => string;
}

/**
 * A message with parameters: the type parameter is the parameters' type, shared by both templates.
 * @example msg<{ n: number }>((p) => `${p.n} 个`, (p) => `${p.n} units`).en({ n: 3 }) // => '3 units'
 */
export function msg<P>(zh: (params: P) => string, en: (params: P) => string): Message<P> {
  return { zh, en };
}

/**
 * A message without parameters.
 * @example text('排名', 'Rank').zh() // => '排名'
 */
export function text(zh: string, en: string): Message<void> {
  return { zh: () => zh, en: () => en };
}
