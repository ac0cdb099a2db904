/**
 * Live re-weighting: a checked spec with other manual weights at one level, made without running zod
 * (the dashboard calls it on every slider move). The weights are checked here — every code a node of
 * the level, every weight finite and ≥ 0, each parent's weights summing above 0 — and the rest of the
 * spec was checked by `checkedSpec`, so the result is a checked spec too. The weight step goes just
 * before the last aggregate step (or replaces the weights of a manual weight step of that level), so
 * `regenerateChecked` re-runs only the weighting and the aggregation.
 */
import { CityIndexError, type Issue } from '../core/errors.ts';
import { topLevel, type Framework } from '../core/framework.ts';
import type { StepSpec } from '../spec/spec.ts';
import type { CheckedSpec } from './build.ts';

/** Id of the weight step `withWeights` adds. */
export const LIVE_WEIGHT_STEP = 'live-weights';

/**
 * The weights of a level as the framework gives them (`code → weight`).
 * @example levelWeights(asem.input.framework, 3) // => { Conn: 1, Sust: 1 }
 */
export function levelWeights(framework: Framework, level: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const n of framework.nodes) if (n.level === level) out[n.code] = n.weight;
  return out;
}

/**
 * `spec` with manual weights `weights` at `level` (codes not named keep their weight). Throws a
 * `CityIndexError` (`E_WEIGHT`, field `weights.<code>`) for an unknown code, a negative or non-finite
 * weight, or a parent whose weights would all be 0.
 * @example
 * import { checkedSpec, buildChecked, regenerateChecked } from './build.ts';
 * import { getValue } from '../core/dataset.ts';
 * const base = checkedSpec(asem.spec, asem.input.framework);
 * const b = buildChecked(asem.input, base);
 * const connOnly = regenerateChecked(b, withWeights(base, asem.input.framework, 3, { Conn: 1, Sust: 0 }));
 * getValue(connOnly.results.scores, 'AUT', 'Index') === getValue(b.results.scores, 'AUT', 'Conn') // => true
 * withWeights(base, asem.input.framework, 3, { Conn: -1 }) // => throws E_WEIGHT
 */
export function withWeights(
  spec: CheckedSpec,
  framework: Framework,
  level: number,
  weights: Readonly<Record<string, number>>,
): CheckedSpec {
  const top = topLevel(framework);
  if (!Number.isInteger(level) || level < 1 || level >= top)
    throw new CityIndexError({
      code: 'E_WEIGHT',
      message: `level ${String(level)} does not carry weights / 该层没有权重`,
      field: 'level',
      expected: `a whole number from 1 to ${top - 1}`,
    });
  const nodes = new Map(framework.nodes.filter((n) => n.level === level).map((n) => [n.code, n] as const));
  const issues: Issue[] = [];
  const clean: Record<string, number> = {};
  for (const code of Object.keys(weights)) {
    const w = weights[code];
    if (!nodes.has(code)) {
      issues.push({
        code: 'E_WEIGHT',
        message: `no node "${code}" at level ${level} / 该层没有此代码`,
        field: `weights.${code}`,
        expected: [...nodes.keys()].slice(0, 20).join(', '),
      });
    } else if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) {
      issues.push({
        code: 'E_WEIGHT',
        message: `weight of "${code}" is ${String(w)} / 权重无效`,
        field: `weights.${code}`,
        expected: 'a finite number ≥ 0',
      });
    } else clean[code] = w;
  }
  const sums = new Map<string, number>();
  for (const [code, n] of nodes) {
    const w = Object.hasOwn(clean, code) ? clean[code] : n.weight;
    const p = n.parent ?? '';
    sums.set(p, (sums.get(p) ?? 0) + w);
  }
  for (const [parent, sum] of sums)
    if (!(sum > 0))
      issues.push({
        code: 'E_WEIGHT',
        message: `every weight under "${parent}" is 0 / 同一上级下的权重不能全为 0`,
        field: `weights`,
        expected: 'at least one weight above 0 under each parent',
      });
  const clash = spec.steps.find(
    (s) => s.id === LIVE_WEIGHT_STEP && !(s.kind === 'weight' && s.options.level === level),
  );
  if (clash)
    issues.push({
      code: 'E_WEIGHT',
      message: `the spec already has a step "${LIVE_WEIGHT_STEP}" that is not a weight step of level ${level}`,
      field: 'steps',
      expected: `no other step named "${LIVE_WEIGHT_STEP}"`,
    });
  if (issues.length) throw new CityIndexError(issues);

  const steps = spec.steps.slice();
  const existing = steps.findIndex(
    (s) =>
      s.kind === 'weight' &&
      s.options.level === level &&
      s.options.weighting.method === 'manual' &&
      s.id === LIVE_WEIGHT_STEP,
  );
  if (existing >= 0) {
    const s = steps[existing] as Extract<StepSpec, { kind: 'weight' }>;
    const prev = s.options.weighting.method === 'manual' ? s.options.weighting.weights : {};
    steps[existing] = {
      ...s,
      options: { level, weighting: { method: 'manual', weights: { ...prev, ...clean } } },
    };
  } else {
    let at = steps.length;
    for (let k = steps.length - 1; k >= 0; k--)
      if (steps[k].kind === 'aggregate') {
        at = k;
        break;
      }
    steps.splice(at, 0, {
      id: LIVE_WEIGHT_STEP,
      kind: 'weight',
      options: { level, weighting: { method: 'manual', weights: clean } },
    });
  }
  return { ...spec, steps } as CheckedSpec;
}
