/**
 * The one step dispatcher: `build()`, `regenerate()` and the uncertainty runner all run a step through
 * `runStep`, so a step behaves the same wherever it runs.
 */
import { CityIndexError } from '../core/errors.ts';
import type { AggregateOptions, BuildSpec, StepKind, StepSpec } from '../spec/spec.ts';
import type { StepInput, StepOutput } from './step.ts';
import { denominateStep, type DenominateDiagnostics } from '../methods/denominate/step.ts';
import { screenStep, type ScreenDiagnostics } from '../methods/screen/step.ts';
import { imputeStep, type ImputeDiagnostics } from '../methods/impute/step.ts';
import { treatStep, type TreatDiagnostics } from '../methods/treat/step.ts';
import { normaliseStep, type NormaliseDiagnostics } from '../methods/normalise/step.ts';
import { weightStep, type WeightDiagnostics } from '../methods/weight/step.ts';
import { aggregateStep, type AggregateDiagnostics } from '../methods/aggregate/step.ts';

/** The options of a step of kind `K` as written in the spec (`undefined` = the step's defaults). */
export type StepOptionsOf<K extends StepKind> = Extract<StepSpec, { kind: K }>['options'];

/** The diagnostics each step kind records. */
export interface StepDiagnosticsByKind {
  denominate: DenominateDiagnostics;
  screen: ScreenDiagnostics;
  impute: ImputeDiagnostics;
  treat: TreatDiagnostics;
  normalise: NormaliseDiagnostics;
  weight: WeightDiagnostics;
  aggregate: AggregateDiagnostics;
}

/** What one step of kind `K` produced, with its kind and options (typed per kind). */
export type StepOutcomeOf<K extends StepKind> = StepOutput<StepDiagnosticsByKind[K]> & {
  kind: K;
  options: StepOptionsOf<K>;
};

/** What one step produced: a union discriminated by `kind`, so `diagnostics` needs no cast. */
export type StepOutcome = { [K in StepKind]: StepOutcomeOf<K> }[StepKind];

/** What a step may need from the rest of its spec. */
export interface StepContext {
  /** Options of the spec's (first) aggregate step: optimised weights re-aggregate with them. */
  aggregate?: AggregateOptions;
}

/**
 * The context a spec gives its steps: the options of its first aggregate step.
 * @example
 * import { COINR_EXAMPLE_SPEC } from '../spec/spec.ts';
 * stepContext(COINR_EXAMPLE_SPEC).aggregate // => { aggregation: { method: 'arithmetic' } }
 */
export function stepContext(spec: Pick<BuildSpec, 'steps'>): StepContext {
  const agg = spec.steps.find((s) => s.kind === 'aggregate');
  return { aggregate: agg?.kind === 'aggregate' ? agg.options : undefined };
}

/**
 * Run one build step on the current state; the outcome carries the step's kind and options, so its
 * diagnostics are typed by kind.
 * @example
 * // ASEM after its treat step, normalised by rank
 * const { dataset, framework, units } = asem.build.steps[3];
 * const step = { id: 'n', kind: 'normalise', options: { method: 'rank' } } as const;
 * const outcome = runStep(step, { dataset, framework, units }, {});
 * outcome.kind // => 'normalise'
 * outcome.dataset.codes.length // => 49
 */
export function runStep(step: StepSpec, input: StepInput, context: StepContext): StepOutcome {
  switch (step.kind) {
    case 'denominate':
      return { kind: step.kind, options: step.options, ...denominateStep(input, step.options) };
    case 'screen':
      return { kind: step.kind, options: step.options, ...screenStep(input, step.options) };
    case 'impute':
      return { kind: step.kind, options: step.options, ...imputeStep(input, step.options) };
    case 'treat':
      return { kind: step.kind, options: step.options, ...treatStep(input, step.options) };
    case 'normalise':
      return { kind: step.kind, options: step.options, ...normaliseStep(input, step.options) };
    case 'weight': {
      const out = weightStep(input, step.options, { aggregate: context.aggregate });
      return { kind: step.kind, options: step.options, ...out };
    }
    case 'aggregate':
      return { kind: step.kind, options: step.options, ...aggregateStep(input, step.options) };
    default: {
      const never: never = step;
      throw new CityIndexError({
        code: 'E_STEP_KIND',
        message: `unknown step kind "${(never as { kind: string }).kind}"`,
        field: 'kind',
        expected: 'denominate | screen | impute | treat | normalise | weight | aggregate',
      });
    }
  }
}
