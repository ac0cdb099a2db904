/**
 * Uncertain inputs of an uncertainty/sensitivity analysis: typed paths into the build spec (never
 * strings that are evaluated, unlike COINr's `Address = "$Log$…"`), checked against the spec and the
 * framework before any run (COINr issue #60: alternatives for a step the build does not have are an
 * error here, not silently ignored).
 *
 * - `alternatives`: a discrete choice among `values` for the value at `path` inside step `step`
 *   (e.g. `['options', 'winmax']` of the treat step, or the whole `['options']` of a normalise step);
 * - `range`: a continuous value, uniform on [min, max] (`integer: true` gives equal bins of whole numbers);
 * - `weightNoise`: COINr `get_noisy_weights`: `sets` noisy copies of the weights at `levels`,
 *   w' = w + (2U − 1)·factor·w, one chosen per run (COINr's vignette: 100 sets, factor 0.25, levels 2–3);
 * - `exclude`: a discrete choice among sets of indicators left out of the build.
 *
 * Each input is one dimension u ∈ [0, 1) of the sample. A discrete input with k alternatives takes
 * alternative ⌊u·k⌋, i.e. equal bins of [0, 1] — COINr uses `cut()` over the range of the sampled
 * column instead, which makes the bins depend on the sample.
 */
import * as z from 'zod';
import type { Issue } from '../../core/errors.ts';
import { CityIndexError } from '../../core/errors.ts';
import { indicatorNodes, topLevel, type Framework } from '../../core/framework.ts';
import { zodIssues } from '../../core/zod-issues.ts';
import type { BuildSpec, StepSpec } from '../../spec/spec.ts';
import { checkSpec } from '../../spec/check-spec.ts';

const name = z.string().min(1);
const finite = z.number().refine(Number.isFinite, 'must be a finite number');
const pathSchema = z.array(z.union([z.string().min(1), z.number().int().min(0)])).min(1);

export const UncertainInputSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('alternatives'),
      name,
      step: z.string().min(1),
      path: pathSchema,
      values: z.array(z.unknown()).min(1),
      labels: z.array(z.string()).optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('range'),
      name,
      step: z.string().min(1),
      path: pathSchema,
      min: finite,
      max: finite,
      integer: z.boolean().optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('weightNoise'),
      name,
      levels: z.array(z.number().int().min(1)).min(1),
      factor: finite.refine((f) => f >= 0, 'must be ≥ 0'),
      sets: z.number().int().min(1).optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('exclude'),
      name,
      indicators: z.array(z.array(z.string().min(1))).min(1),
      labels: z.array(z.string()).optional(),
    })
    .strict(),
]);

export type UncertainInput =
  | {
      kind: 'alternatives';
      name: string;
      step: string;
      path: Array<string | number>;
      values: unknown[];
      labels?: string[];
    }
  | {
      kind: 'range';
      name: string;
      step: string;
      path: Array<string | number>;
      min: number;
      max: number;
      integer?: boolean;
    }
  | { kind: 'weightNoise'; name: string; levels: number[]; factor: number; sets?: number }
  | { kind: 'exclude'; name: string; indicators: string[][]; labels?: string[] };

/** COINr's default number of noisy weight sets (`get_noisy_weights(Nrep = 100)` in its vignette). */
export const DEFAULT_NOISE_SETS = 100;

/** An input after checking: where it acts and how many alternatives it has. */
export interface ResolvedInput {
  input: UncertainInput;
  /** Index of the step it changes; −1 for `exclude` (the input framework) and `weightNoise` (aggregation time). */
  stepIndex: number;
  /** Number of discrete alternatives (0 for a continuous `range`). */
  levels: number;
  /** Human-readable label of each alternative (empty for `range`). */
  labels: string[];
}

/** Short JSON label of a value (alternatives without labels). */
function label(v: unknown): string {
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > 60 ? s.slice(0, 57) + '…' : s;
}

/**
 * A copy of step `step` with `value` written at `path` (missing intermediate objects are created; the
 * result is checked by `checkSpec`, whose strict schemas refuse unknown fields).
 * @example
 * setAtPath({ id: 't', kind: 'treat', options: { winmax: 5 } }, ['options', 'winmax'], 2).options // => { winmax: 2 }
 */
export function setAtPath<T>(step: T, path: ReadonlyArray<string | number>, value: unknown): T {
  const root = jsonClone(step) as unknown as Record<string | number, unknown>;
  let cur: Record<string | number, unknown> = root;
  for (let k = 0; k < path.length - 1; k++) {
    const key = path[k];
    let next = cur[key];
    if (next === undefined || next === null || typeof next !== 'object') {
      next = typeof path[k + 1] === 'number' ? [] : {};
      cur[key] = next;
    }
    cur = next as Record<string | number, unknown>;
  }
  cur[path[path.length - 1]] = jsonClone(value);
  return root as unknown as T;
}

/** Deep copy of plain JSON data (specs are plain JSON). */
function jsonClone<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

/** The spec with one step replaced. */
function withStep(spec: BuildSpec, k: number, step: StepSpec): BuildSpec {
  return { ...spec, steps: spec.steps.map((s, i) => (i === k ? step : s)) };
}

/**
 * Check uncertain inputs against a spec and framework; returns the resolved inputs or throws one
 * `CityIndexError` listing every problem, located as `inputs[k].field`.
 * @example
 * const winmax = { kind: 'alternatives' as const, name: 'winmax', step: 'treat', path: ['options', 'winmax'],
 *   values: [1, 2, 3] };
 * resolveInputs([winmax], asem.spec, asem.input.framework)[0].levels // => 3
 */
export function resolveInputs(
  inputs: readonly UncertainInput[],
  spec: BuildSpec,
  framework: Framework,
  file = 'uncertainty',
): ResolvedInput[] {
  const issues: Issue[] = [];
  const parsed = z.array(UncertainInputSchema).safeParse(inputs);
  if (!parsed.success) throw new CityIndexError(zodIssues(parsed.error, file, ['inputs']));
  const specIssues = checkSpec(spec, framework);
  if (specIssues.length) throw new CityIndexError(specIssues);
  if (inputs.length === 0)
    issues.push({
      code: 'E_UA_NO_INPUTS',
      message: 'an uncertainty analysis needs at least one uncertain input',
      file,
      field: 'inputs',
    });
  const names = new Set<string>();
  const noisedLevels = new Map<number, string>();
  const top = topLevel(framework);
  const indicatorCodes = new Set(indicatorNodes(framework, true).map((n) => n.code));
  const stepIds = spec.steps.map((s) => s.id);
  const out: ResolvedInput[] = [];
  inputs.forEach((inp, k) => {
    const at = `inputs[${k}]`;
    if (names.has(inp.name))
      issues.push({ code: 'E_UA_DUPLICATE', message: `duplicate input name "${inp.name}"`, file, field: `${at}.name` });
    names.add(inp.name);
    switch (inp.kind) {
      case 'alternatives':
      case 'range': {
        const stepIndex = stepIds.indexOf(inp.step);
        if (stepIndex < 0) {
          issues.push({
            code: 'E_UA_UNKNOWN_STEP',
            message: `input "${inp.name}" changes step "${inp.step}", which the build does not have`,
            file,
            field: `${at}.step`,
            expected: stepIds.join(' | ') || 'a step id of the build',
          });
          return;
        }
        if (inp.path[0] !== 'options') {
          issues.push({
            code: 'E_UA_PATH',
            message: `input "${inp.name}": paths start at the step's options (a step's id and kind cannot vary)`,
            file,
            field: `${at}.path`,
            expected: "['options', …]",
          });
          return;
        }
        const values =
          inp.kind === 'alternatives'
            ? inp.values
            : inp.integer
              ? [Math.ceil(inp.min), Math.floor(inp.max)]
              : [inp.min, inp.max];
        if (inp.kind === 'range' && !(inp.max > inp.min))
          issues.push({
            code: 'E_UA_RANGE',
            message: `input "${inp.name}": max (${inp.max}) must exceed min (${inp.min})`,
            file,
            field: `${at}.max`,
          });
        if (inp.kind === 'range' && inp.integer && Math.floor(inp.max) < Math.ceil(inp.min))
          issues.push({
            code: 'E_UA_RANGE',
            message: `input "${inp.name}": no whole number between ${inp.min} and ${inp.max}`,
            file,
            field: `${at}.min`,
          });
        if (inp.kind === 'alternatives' && inp.labels && inp.labels.length !== inp.values.length)
          issues.push({
            code: 'E_UA_LABELS',
            message: `input "${inp.name}": ${inp.labels.length} labels for ${inp.values.length} values`,
            file,
            field: `${at}.labels`,
          });
        values.forEach((v, j) => {
          const step = setAtPath(spec.steps[stepIndex], inp.path, v);
          for (const iss of checkSpec(withStep(spec, stepIndex, step), framework)) {
            const field = inp.kind === 'alternatives' ? `${at}.values[${j}]` : `${at}.${j === 0 ? 'min' : 'max'}`;
            issues.push({
              ...iss,
              file,
              field,
              message:
                `input "${inp.name}" sets ${inp.step}.${inp.path.join('.')} = ${label(v)}: ` +
                `${iss.message}${iss.field ? ` (at ${iss.field})` : ''}`,
            });
          }
        });
        const levels = inp.kind === 'alternatives' ? inp.values.length : 0;
        const labels = inp.kind === 'alternatives' ? (inp.labels ?? inp.values.map(label)) : [];
        out.push({ input: inp, stepIndex, levels, labels });
        return;
      }
      case 'weightNoise': {
        const weightedLevels = `levels 1–${top - 1} do; ${top} is the index`;
        for (const l of inp.levels) {
          if (l >= top)
            issues.push({
              code: 'E_LEVEL',
              message: `input "${inp.name}": level ${l} carries no weights (${weightedLevels})`,
              file,
              field: `${at}.levels`,
              expected: `1 … ${top - 1}`,
            });
          const other = noisedLevels.get(l);
          if (other !== undefined)
            issues.push({
              code: 'E_UA_DUPLICATE',
              message: `level ${l} is noised by both "${other}" and "${inp.name}"`,
              file,
              field: `${at}.levels`,
            });
          noisedLevels.set(l, inp.name);
        }
        const sets = inp.sets ?? DEFAULT_NOISE_SETS;
        out.push({
          input: inp,
          stepIndex: -1,
          levels: sets,
          labels: Array.from({ length: sets }, (_, j) => `set ${j + 1}`),
        });
        return;
      }
      case 'exclude': {
        inp.indicators.forEach((set, j) =>
          set.forEach((c) => {
            if (!indicatorCodes.has(c))
              issues.push({
                code: 'E_UNKNOWN_CODE',
                message: `input "${inp.name}" excludes "${c}", which is not an indicator of the framework`,
                file,
                field: `${at}.indicators[${j}]`,
                indicator: c,
              });
          }),
        );
        if (inp.labels && inp.labels.length !== inp.indicators.length)
          issues.push({
            code: 'E_UA_LABELS',
            message: `input "${inp.name}": ${inp.labels.length} labels for ${inp.indicators.length} sets`,
            file,
            field: `${at}.labels`,
          });
        const labels =
          inp.labels ?? inp.indicators.map((s) => (s.length ? `without ${s.join(', ')}` : 'all indicators'));
        out.push({ input: inp, stepIndex: -1, levels: inp.indicators.length, labels });
        return;
      }
      default: {
        const never: never = inp;
        throw new CityIndexError({
          code: 'E_UA_KIND',
          message: `unknown input kind "${(never as { kind: string }).kind}"`,
          file,
          field: `${at}.kind`,
          expected: 'alternatives | range | weightNoise | exclude',
        });
      }
    }
  });
  if (issues.length) throw new CityIndexError(issues);
  return out;
}

/**
 * The alternative chosen by u ∈ [0, 1) among k: ⌊u·k⌋ (equal bins of [0, 1]).
 * @example choiceIndex(0.5, 5) // => 2
 */
export function choiceIndex(u: number, k: number): number {
  const j = Math.floor(u * k);
  return j < 0 ? 0 : j >= k ? k - 1 : j;
}

/**
 * The value of a `range` input for u ∈ [0, 1): min + u·(max − min), or equal bins of the whole numbers.
 * @example
 * rangeValue({ kind: 'range', name: 'p', step: 'a', path: ['options'], min: 1, max: 5, integer: true }, 0.99) // => 5
 */
export function rangeValue(inp: Extract<UncertainInput, { kind: 'range' }>, u: number): number {
  if (!inp.integer) return inp.min + u * (inp.max - inp.min);
  const lo = Math.ceil(inp.min);
  const hi = Math.floor(inp.max);
  return lo + choiceIndex(u, hi - lo + 1);
}

/**
 * What one sampled value means: the alternative index (0-based; discrete inputs) or the value (`range`).
 * @example
 * const winmax = { kind: 'alternatives' as const, name: 'winmax', step: 'treat', path: ['options', 'winmax'],
 *   values: [1, 2, 3, 4, 5] };
 * const [resolved] = resolveInputs([winmax], asem.spec, asem.input.framework);
 * decodeInput(resolved, 0.3) // => 1 (the second of 5 alternatives)
 */
export function decodeInput(r: ResolvedInput, u: number): number {
  return r.input.kind === 'range' ? rangeValue(r.input, u) : choiceIndex(u, r.levels);
}
