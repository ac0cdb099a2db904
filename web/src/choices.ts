/**
 * The advanced re-weighting panel's choices (no engine code, so the page's own bundle may import it):
 * the normalisation and aggregation alternatives, the reader's settings, and the spec with other method
 * choices (`methodSpec`), which the engine worker checks once per choice and re-runs from the changed step.
 */
import type { BuildSpec, StepSpec } from '../../src/engine/spec/spec.ts';

/**
 * Normalisation choices of the advanced panel (each a complete `normalise` step option set). A combination
 * the engine refuses (a geometric mean over zeros, say) comes back from the worker as a located error.
 */
export const NORMALISE_CHOICES = {
  minMax: { method: 'minMax', range: [0, 100] },
  minMax1: { method: 'minMax', range: [1, 100] },
  zScore: { method: 'zScore', mean: 10, sd: 1 },
  percentileRank: { method: 'percentileRank' },
  rank: { method: 'rank' },
} as const;
/** Aggregation choices of the advanced panel (`aggregate` step's `aggregation`). */
export const AGGREGATE_CHOICES = {
  arithmetic: { method: 'arithmetic' },
  geometric: { method: 'geometric' },
  harmonic: { method: 'harmonic' },
} as const;
export type NormaliseChoice = keyof typeof NORMALISE_CHOICES;
export type AggregateChoice = keyof typeof AGGREGATE_CHOICES;

/** What a reader changed: weights at the slider level and of indicators, and the method choices. */
export interface LiveSettings {
  /** Weights at the slider level (codes not named keep the published weight). */
  weights?: Record<string, number>;
  /** Indicator weights (level 1; codes not named keep the published weight). */
  indicators?: Record<string, number>;
  /** Another normalisation for every `normalise` step (absent = as published). */
  normalise?: NormaliseChoice;
  /** Another aggregation for every `aggregate` step (absent = as published). */
  aggregate?: AggregateChoice;
}

/** Id of the indicator weight step (the slider level's step keeps `LIVE_WEIGHT_STEP`). */
export const LIVE_INDICATOR_STEP = 'live-indicator-weights';

/**
 * The spec with other method choices: every `normalise` step's options and every `aggregate` step's
 * aggregation replaced (the rest as published). Not yet checked (`checkedSpec` does that once per choice).
 * @example
 * const spec = { version: 1, steps: [{ id: 'n', kind: 'normalise', options: { method: 'minMax' } }] };
 * (methodSpec(spec as never, 'zScore', undefined).steps[0] as { options: unknown }).options
 * // => { method: 'zScore', mean: 10, sd: 1 }
 */
export function methodSpec(
  spec: BuildSpec,
  normalise: NormaliseChoice | undefined,
  aggregate: AggregateChoice | undefined,
): BuildSpec {
  const steps = spec.steps.map((s): StepSpec => {
    if (s.kind === 'normalise' && normalise && Object.hasOwn(NORMALISE_CHOICES, normalise))
      return { ...s, options: structuredClone(NORMALISE_CHOICES[normalise]) } as StepSpec;
    if (s.kind === 'aggregate' && aggregate && Object.hasOwn(AGGREGATE_CHOICES, aggregate))
      return { ...s, options: { ...s.options, aggregation: { ...AGGREGATE_CHOICES[aggregate] } } } as StepSpec;
    return s;
  });
  return { ...spec, steps };
}

/**
 * A choice key from the URL, or undefined for an unknown or missing one.
 * @example
 * [choiceOf('zScore', NORMALISE_CHOICES), choiceOf('__proto__', NORMALISE_CHOICES)] // => ['zScore', undefined]
 */
export function choiceOf<T extends object>(value: string | undefined, choices: T): keyof T | undefined {
  return value !== undefined && Object.hasOwn(choices, value) ? (value as keyof T) : undefined;
}
