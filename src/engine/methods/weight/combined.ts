/**
 * Combination weights (组合赋权): a subjective and an objective weight vector merged additively,
 * w = α·w_subj + (1 − α)·w_obj, or multiplicatively, w ∝ w_subj·w_obj (METHODS.md §4.2).
 * Both inputs are first rescaled to sum 1.
 */
import { CityIndexError } from '../../core/errors.ts';
import { normaliseToUnitSum } from './input.ts';

export interface CombinedOptions {
  /** Share of the subjective weights in the additive rule, in [0, 1] (default 0.5; unused by `multiplicative`). */
  alpha?: number;
  /** Default `'additive'`. */
  rule?: 'additive' | 'multiplicative';
}

export interface CombinedResult {
  weights: Float64Array;
  alpha: number;
  rule: 'additive' | 'multiplicative';
}

function unitSum(w: ArrayLike<number>, what: string): Float64Array {
  const out = Float64Array.from(w);
  out.forEach((v, j) => {
    if (!(v >= 0) || !Number.isFinite(v)) {
      throw new CityIndexError({
        code: 'E_WEIGHT',
        message: `combined weights: ${what} weight ${j + 1} is ${v}`,
        field: what,
        expected: 'finite weights ≥ 0',
      });
    }
  });
  return normaliseToUnitSum(out, `combined (${what})`);
}

/**
 * Combine subjective and objective weights of the same items.
 * @example Array.from(combinedWeights([0.5, 0.5], [0.2, 0.8], { alpha: 0.5 }).weights) // => [0.35, 0.65]
 * @example Array.from(combinedWeights([0.5, 0.5], [0.2, 0.8], { rule: 'multiplicative' }).weights) // => [0.2, 0.8]
 */
export function combinedWeights(
  subjective: ArrayLike<number>,
  objective: ArrayLike<number>,
  options: CombinedOptions = {},
): CombinedResult {
  const alpha = options.alpha ?? 0.5;
  const rule = options.rule ?? 'additive';
  if (subjective.length !== objective.length) {
    throw new CityIndexError({
      code: 'E_SHAPE',
      message: `combined weights: ${subjective.length} subjective but ${objective.length} objective weights`,
      expected: 'the same items in both',
    });
  }
  if (!(alpha >= 0 && alpha <= 1)) {
    throw new CityIndexError({
      code: 'E_OPTION',
      message: `combined weights: alpha must be in [0, 1], found ${alpha}`,
      field: 'alpha',
      expected: '0 ≤ alpha ≤ 1',
    });
  }
  const s = unitSum(subjective, 'subjective');
  const o = unitSum(objective, 'objective');
  const w = new Float64Array(s.length);
  switch (rule) {
    case 'additive':
      for (let j = 0; j < w.length; j++) w[j] = alpha * s[j] + (1 - alpha) * o[j];
      break;
    case 'multiplicative':
      for (let j = 0; j < w.length; j++) w[j] = s[j] * o[j];
      normaliseToUnitSum(w, 'combined (multiplicative: no item has both weights > 0)');
      break;
    default:
      throw new CityIndexError({
        code: 'E_OPTION',
        message: `combined weights: unknown rule "${String(rule)}"`,
        field: 'rule',
        expected: "'additive' or 'multiplicative'",
      });
  }
  return { weights: w, alpha, rule };
}
