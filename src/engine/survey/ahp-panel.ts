/**
 * An expert panel's answers in the form the browser page and the store share: per comparison group,
 * pair question name (`pairQuestionName`) → a Saaty answer (2…9: the first element is that many times as
 * important; 1: equal; −2…−9: the second is). The page computes the live CR from the same matrix the
 * store checks, so the expert sees exactly the number that decides whether they may submit.
 */
import type { LocalText } from '../core/framework.ts';
import { pairQuestionName } from './ahp-group.ts';

/** One comparison group of a panel: a parent node and its children, compared pairwise. */
export interface PanelGroup {
  parent: string;
  parentName: LocalText;
  /** The level of the compared elements. */
  level: number;
  codes: string[];
  names: LocalText[];
}

/**
 * The pairs of a group in questionnaire order: (i, j) with i < j and the pair's question name.
 * @example
 * const g = { parent: 'X', parentName: {}, level: 1, codes: ['a', 'b', 'c'], names: [{}, {}, {}] };
 * panelPairs(g).map((p) => p.name) // => ['ahp__X__a__b', 'ahp__X__a__c', 'ahp__X__b__c']
 */
export function panelPairs(group: PanelGroup): Array<{ name: string; i: number; j: number }> {
  const out: Array<{ name: string; i: number; j: number }> = [];
  for (let i = 0; i < group.codes.length; i++)
    for (let j = i + 1; j < group.codes.length; j++)
      out.push({ name: pairQuestionName(group.parent, group.codes[i], group.codes[j]), i, j });
  return out;
}

/**
 * An answer on Saaty's scale as stored: 2…9, 1 or −2…−9 (a whole number); anything else is null.
 * @example [saatyAnswer(3), saatyAnswer(-9), saatyAnswer(1), saatyAnswer(-1), saatyAnswer(10), saatyAnswer('3')]
 * // => [3, -9, 1, null, null, null]
 */
export function saatyAnswer(v: unknown): number | null {
  if (typeof v !== 'number' || !Number.isInteger(v) || v === 0 || v === -1 || Math.abs(v) > 9) return null;
  return v;
}

/**
 * The Saaty answer of a matrix entry (a judgement such as the engine's suggested value): 3 → 3, 1/4 → −4.
 * @example [answerOfEntry(3), answerOfEntry(0.25), answerOfEntry(1)] // => [3, -4, 1]
 */
export function answerOfEntry(entry: number): number {
  if (entry >= 1) return Math.min(9, Math.round(entry));
  const k = Math.min(9, Math.round(1 / entry));
  return k <= 1 ? 1 : -k;
}

/**
 * The comparison matrix of a group from its answers, or null while a pair is unanswered.
 * @example
 * const g = { parent: 'X', parentName: {}, level: 1, codes: ['a', 'b'], names: [{}, {}] };
 * panelMatrix(g, { ahp__X__a__b: -4 }) // => [[1, 0.25], [4, 1]]
 * panelMatrix(g, {}) // => null
 */
export function panelMatrix(group: PanelGroup, answers: Readonly<Record<string, number>>): number[][] | null {
  const n = group.codes.length;
  const m = Array.from({ length: n }, () => new Array<number>(n).fill(1));
  for (const p of panelPairs(group)) {
    const v = Object.hasOwn(answers, p.name) ? saatyAnswer(answers[p.name]) : null;
    if (v === null) return null;
    m[p.i][p.j] = v > 0 ? v : 1 / -v;
    m[p.j][p.i] = 1 / m[p.i][p.j];
  }
  return m;
}
