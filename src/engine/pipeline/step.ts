/**
 * The contract every build step implements: it receives the current state (dataset, framework with
 * current weights, units still in the build) and its options, and returns a new dataset plus diagnostics.
 * Steps never mutate their input.
 */
import type { Dataset } from '../core/dataset.ts';
import type { Framework, Unit } from '../core/framework.ts';

export interface StepInput {
  /** The dataset produced by the previous step (level-1 indicators only until `aggregate`). */
  dataset: Dataset;
  /** Framework whose node weights are the current weights (a `weight` step replaces them). */
  framework: Framework;
  /** Units still in the build, in dataset row order. */
  units: readonly Unit[];
  /** Denominator columns (population, GDP …) for all units in the project. */
  denominators?: Dataset;
  /** Earlier periods of the same indicators (oldest first), for panel imputation. */
  history?: ReadonlyArray<{ period: string; dataset: Dataset }>;
}

export interface StepOutput<D = unknown> {
  dataset: Dataset;
  diagnostics: D;
  /** Set by `weight` steps: the framework with new weights. */
  framework?: Framework;
  /** Set by `screen`: the units kept. */
  units?: Unit[];
}
