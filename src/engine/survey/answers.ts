/**
 * Answers checked against a SurveyJS questionnaire definition (the JSON, not survey-core: pure and
 * browser-safe), so that a fieldwork server stores only what the questionnaire can produce: a known
 * question, a listed choice, a number in range, a matrix row and column that exist. Also flattens an
 * answer object to item columns (matrix rows become their own columns), as the response importers do.
 */
import type { Issue } from '../core/errors.ts';

/** What one question accepts. */
export type QuestionRule =
  | { name: string; kind: 'choice'; values: ReadonlySet<string>; multiple: boolean; required: boolean }
  | { name: string; kind: 'number'; min: number; max: number; required: boolean }
  | { name: string; kind: 'text'; maxLength: number; required: boolean }
  | { name: string; kind: 'boolean'; required: boolean }
  | {
      name: string;
      kind: 'matrix';
      rows: ReadonlySet<string>;
      columns: ReadonlySet<string>;
      required: boolean;
    };

/** The rules of a definition's questions by name, and its page names in order. */
export interface DefinitionRules {
  questions: ReadonlyMap<string, QuestionRule>;
  pages: readonly string[];
}

const TEXT_LIMIT = 500;

function valueOf(choice: unknown): string {
  if (choice !== null && typeof choice === 'object' && 'value' in choice) return String(choice.value);
  return String(choice);
}

function listOf(x: unknown): unknown[] {
  return Array.isArray(x) ? x : [];
}

function ruleOf(q: Record<string, unknown>): QuestionRule | undefined {
  const name = String(q.name);
  // a question shown only under a condition may be absent even when required
  const required = q.isRequired === true && q.visibleIf === undefined;
  switch (q.type) {
    case 'dropdown':
    case 'radiogroup':
    case 'checkbox':
    case 'tagbox': {
      const values = new Set(listOf(q.choices).map(valueOf));
      if (q.showOtherItem === true || q.hasOther === true) values.add('other');
      if (q.showNoneItem === true || q.hasNone === true) values.add('none');
      return { name, kind: 'choice', values, multiple: q.type === 'checkbox' || q.type === 'tagbox', required };
    }
    case 'rating': {
      const listed = listOf(q.rateValues);
      let values: string[];
      if (listed.length) values = listed.map(valueOf);
      else {
        const min = typeof q.rateMin === 'number' ? q.rateMin : 1;
        const max = typeof q.rateMax === 'number' ? q.rateMax : 5;
        const step = typeof q.rateStep === 'number' && q.rateStep > 0 ? q.rateStep : 1;
        values = [];
        for (let v = min; v <= max && values.length < 1000; v += step) values.push(String(v));
      }
      return { name, kind: 'choice', values: new Set(values), multiple: false, required };
    }
    case 'boolean':
      return { name, kind: 'boolean', required };
    case 'matrix':
      return {
        name,
        kind: 'matrix',
        rows: new Set(listOf(q.rows).map(valueOf)),
        columns: new Set(listOf(q.columns).map(valueOf)),
        required,
      };
    case 'text':
      if (q.inputType === 'number' || q.inputType === 'range') {
        const min = typeof q.min === 'number' ? q.min : -Number.MAX_VALUE;
        const max = typeof q.max === 'number' ? q.max : Number.MAX_VALUE;
        return { name, kind: 'number', min, max, required };
      }
      return { name, kind: 'text', maxLength: typeof q.maxLength === 'number' ? q.maxLength : TEXT_LIMIT, required };
    case 'comment':
      return { name, kind: 'text', maxLength: typeof q.maxLength === 'number' ? q.maxLength : 2000, required };
    default:
      return undefined; // html, expression, image: no answer
  }
}

/**
 * The answer rules of a SurveyJS definition (pages → elements, panels nested), keyed by question name.
 * @example
 * const def = { pages: [{ name: 'p1', elements: [{ type: 'rating', name: 'q', rateMax: 5, isRequired: true }] }] };
 * const rules = definitionRules(def);
 * [rules.pages, rules.questions.get('q')?.required] // => [['p1'], true]
 */
export function definitionRules(definition: unknown): DefinitionRules {
  const questions = new Map<string, QuestionRule>();
  const pages: string[] = [];
  const walk = (elements: unknown, depth: number) => {
    if (depth > 20) return;
    for (const e of listOf(elements)) {
      if (!e || typeof e !== 'object') continue;
      const q = e as Record<string, unknown>;
      if (q.type === 'panel' || q.type === 'paneldynamic') walk(q.elements ?? q.templateElements, depth + 1);
      else if (typeof q.name === 'string') {
        const rule = ruleOf(q);
        if (rule) questions.set(rule.name, rule);
      }
    }
  };
  const def = (definition ?? {}) as { pages?: unknown; elements?: unknown };
  listOf(def.pages).forEach((p, k) => {
    const page = (p ?? {}) as { name?: unknown; elements?: unknown };
    pages.push(typeof page.name === 'string' ? page.name : `page${k + 1}`);
    walk(page.elements, 0);
  });
  walk(def.elements, 0);
  return { questions, pages };
}

function isScalar(v: unknown): v is string | number {
  return (typeof v === 'string' && v.length <= TEXT_LIMIT) || (typeof v === 'number' && Number.isFinite(v));
}

/**
 * Check answers against the rules: every answered question exists and holds an allowed value; with
 * `complete`, every required question is answered. Each problem names the question (`field`).
 * @example
 * const q = { type: 'radiogroup', name: 'sex', choices: ['male', 'female'] };
 * const rules = definitionRules({ pages: [{ elements: [q] }] });
 * checkAnswers(rules, { sex: 'female' }, { complete: true }) // => []
 * checkAnswers(rules, { sex: 'x' }, { complete: false })[0].field // => 'sex'
 * checkAnswers(rules, { salary: 1 }, { complete: false })[0].code // => 'E_UNKNOWN_QUESTION'
 */
export function checkAnswers(
  rules: DefinitionRules,
  answers: Readonly<Record<string, unknown>>,
  options: { complete: boolean },
): Issue[] {
  const issues: Issue[] = [];
  const bad = (name: string, message: string, expected: string) =>
    issues.push({ code: 'E_ANSWER', message: `question "${name}": ${message}`, field: name, expected });
  for (const name of Object.keys(answers)) {
    const rule = rules.questions.get(name);
    const v = answers[name];
    if (!rule) {
      issues.push({
        code: 'E_UNKNOWN_QUESTION',
        message: `question "${name.slice(0, 60)}" is not in the questionnaire`,
        field: name.slice(0, 60),
        expected: 'questions of the questionnaire only',
      });
      continue;
    }
    if (v === null || v === undefined) continue;
    switch (rule.kind) {
      case 'choice': {
        const list = rule.multiple ? v : [v];
        if (!Array.isArray(list) || list.length > rule.values.size || !list.every(isScalar))
          bad(name, 'not a choice of the question', rule.multiple ? 'a list of listed choices' : 'a listed choice');
        else if (!list.every((x) => rule.values.has(String(x))))
          bad(name, `${JSON.stringify(list).slice(0, 40)} is not a listed choice`, [...rule.values].join(', '));
        break;
      }
      case 'number': {
        const x = typeof v === 'string' && /^-?[0-9]{1,15}(\.[0-9]{1,10})?$/.test(v) ? Number(v) : v;
        if (typeof x !== 'number' || !Number.isFinite(x) || x < rule.min || x > rule.max)
          bad(name, `${String(v).slice(0, 40)} is not a number in range`, `a number from ${rule.min} to ${rule.max}`);
        break;
      }
      case 'text':
        if (typeof v !== 'string' || v.length > rule.maxLength)
          bad(name, 'not a text of allowed length', `text of at most ${rule.maxLength} characters`);
        break;
      case 'boolean':
        if (typeof v !== 'boolean') bad(name, 'not true or false', 'true or false');
        break;
      case 'matrix': {
        if (typeof v !== 'object' || Array.isArray(v)) {
          bad(name, 'not an answer per row', 'an object: row → column');
          break;
        }
        for (const [row, cell] of Object.entries(v as Record<string, unknown>)) {
          if (!rule.rows.has(row)) bad(name, `row "${row.slice(0, 40)}" does not exist`, [...rule.rows].join(', '));
          else if (!isScalar(cell) || !rule.columns.has(String(cell)))
            bad(name, `row "${row}": ${String(cell).slice(0, 40)} is not a column`, [...rule.columns].join(', '));
        }
        break;
      }
    }
  }
  if (options.complete) {
    for (const rule of rules.questions.values()) {
      const v = answers[rule.name];
      if (rule.required && (v === undefined || v === null || v === ''))
        issues.push({
          code: 'E_REQUIRED',
          message: `question "${rule.name}" is required`,
          field: rule.name,
          expected: 'an answer',
        });
    }
  }
  return issues;
}

/**
 * Answers as flat columns: each matrix row becomes its own column (the item code), other questions keep
 * their name; lists are joined with `;`.
 * @example
 * const q = { type: 'matrix', name: 'gov', rows: ['G1'], columns: [1, 2] };
 * const rules = definitionRules({ pages: [{ elements: [q] }] });
 * flattenAnswers(rules, { gov: { G1: 2 } }) // => { G1: 2 }
 */
export function flattenAnswers(
  rules: DefinitionRules,
  answers: Readonly<Record<string, unknown>>,
): Record<string, string | number | boolean | null> {
  const out: Record<string, string | number | boolean | null> = Object.create(null);
  for (const [name, v] of Object.entries(answers)) {
    const rule = rules.questions.get(name);
    if (!rule || v === undefined) continue;
    if (rule.kind === 'matrix' && v && typeof v === 'object' && !Array.isArray(v)) {
      for (const [row, cell] of Object.entries(v as Record<string, unknown>)) {
        if (isScalar(cell)) out[row] = cell;
      }
    } else if (Array.isArray(v)) out[name] = v.map(String).join(';');
    else if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v === null) out[name] = v;
  }
  return { ...out };
}
