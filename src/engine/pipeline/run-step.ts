/**
 * The one step dispatcher: `build()`, `regenerate()` and the uncertainty runner all run a step through
 * `runStep`, so a step behaves the same wherever it runs.
 */
import { CityIndexError } from '../core/errors.ts';
import type { AggregateOptions, BuildSpec, StepSpec } from '../spec/spec.ts';
import type { StepInput, StepOutput } from './step.ts';
import { denominateStep } from '../methods/denominate/step.ts';
import { screenStep } from '../methods/screen/step.ts';
import { imputeStep } from '../methods/impute/step.ts';
import { treatStep } from '../methods/treat/step.ts';
import { normaliseStep } from '../methods/normalise/step.ts';
import { weightStep } from '../methods/weight/step.ts';
import { aggregateStep } from '../methods/aggregate/step.ts';

/** What a step may need from the rest of its spec. */
export interface StepContext {
  /** Options of the spec's (first) aggregate step: optimised weights re-aggregate with them. */
  aggregate?: AggregateOptions;
}

/**
 * The context a spec gives its steps: the options of its first aggregate step.
 * @example stepContext(COINR_EXAMPLE_SPEC).aggregate // => { aggregation: { method: 'arithmetic' } }
 */
export function stepContext(spec: Pick<BuildSpec, 'steps'>): StepContext {
  const agg = spec.steps.find((s) => s.kind === 'aggregate');
  return { aggregate: agg?.kind === 'aggregate' ? agg.options : undefined };
}

/**
 * Run one build step on the current state.
 * @example runStep({ id: 'n', kind: 'normalise', options: { method: 'rank' } }, state, {}).dataset
 */
export function runStep(step: StepSpec, input: StepInput, context: StepContext): StepOutput {
  switch (step.kind) {
    case 'denominate': return denominateStep(input, step.options);
    case 'screen': return screenStep(input, step.options);
    case 'impute': return imputeStep(input, step.options);
    case 'treat': return treatStep(input, step.options);
    case 'normalise': return normaliseStep(input, step.options);
    case 'weight': return weightStep(input, step.options, { aggregate: context.aggregate });
    case 'aggregate': return aggregateStep(input, step.options);
    default: {
      const never: never = step;
      throw new CityIndexError({ code: 'E_STEP_KIND', message: `unknown step kind "${(never as { kind: string }).kind}"`, field: 'kind', expected: 'denominate | screen | impute | treat | normalise | weight | aggregate' });
    }
  }
}
