/**
 * Re-aggregation of a finished build with changed normalised values or weights, reusing the build's
 * own aggregate step and options (COINr's `Regen(from = "Aggregate")`), so every aggregation method
 * works. Shared by leave-one-out (weights set to 0) and the what-if (one unit's values raised).
 */
import { CityIndexError } from '../../core/errors.ts';
import type { Dataset } from '../../core/dataset.ts';
import type { Framework } from '../../core/framework.ts';
import type { Build } from '../../pipeline/build.ts';
import type { AggregateOptions, AggregationMethod } from '../../spec/spec.ts';
import type { StepInput } from '../../pipeline/step.ts';
import { aggregateStep } from '../../methods/aggregate/step.ts';

/** The state entering the build's last aggregate step. */
export interface AggregationContext {
  /** Position of the last aggregate step in `build.steps`. */
  stepIndex: number;
  stepId: string;
  /** Its input: the normalised dataset, the framework with the weights in force, the units. */
  input: StepInput;
  options: AggregateOptions | undefined;
  /** Code of the index (framework root). */
  indexCode: string;
  /**
   * True when every level uses a row-wise mean (arithmetic, geometric, harmonic, generalised): a unit's score then
   * depends on its own row only.
   */
  rowWise: boolean;
}

/**
 * The input and options of the build's last aggregate step. A build without an aggregate step is an error.
 * @example aggregationContext(asem.build).input.dataset.codes.length // => 49 (ASEM normalised indicators)
 */
export function aggregationContext(build: Build): AggregationContext {
  let k = -1;
  let options: AggregateOptions | undefined;
  for (let s = build.steps.length - 1; s >= 0; s--) {
    const step = build.steps[s];
    if (step.kind === 'aggregate') {
      k = s;
      options = step.options;
      break;
    }
  }
  if (k < 0)
    throw new CityIndexError({
      code: 'E_NO_AGGREGATE',
      message: 'this analysis needs a build with an aggregate step',
      field: 'steps',
      expected: 'a step of kind "aggregate"',
    });
  const prev = k > 0 ? build.steps[k - 1] : undefined;
  const input: StepInput = {
    dataset: prev ? prev.dataset : build.raw,
    framework: prev ? prev.framework : build.input.framework,
    units: prev ? prev.units : build.input.units,
    denominators: build.input.denominators,
    history: build.input.history,
  };
  const methods: AggregationMethod[] = [
    options?.aggregation ?? { method: 'arithmetic' },
    ...Object.values(options?.levels ?? {})
      .map((l) => l.aggregation)
      .filter((a): a is AggregationMethod => a !== undefined),
  ];
  const rowWise = methods.every(
    (m) =>
      m.method === 'arithmetic' || m.method === 'geometric' || m.method === 'harmonic' || m.method === 'generalised',
  );
  const root = input.framework.nodes.find((nd) => nd.parent === null);
  return {
    stepIndex: k,
    stepId: build.steps[k].id,
    input,
    options,
    indexCode: root ? root.code : build.results.indexCode,
    rowWise,
  };
}

/**
 * Run the aggregate step again with a replaced dataset and/or framework (weights); returns all scores.
 * @example
 * const ctx = aggregationContext(asem.build);
 * reaggregate(ctx, { framework: withWeight(ctx.input.framework, 'Goods', 0) }).codes.at(-1) // => 'Index'
 */
export function reaggregate(
  ctx: AggregationContext,
  change: { dataset?: Dataset; framework?: Framework } = {},
): Dataset {
  return aggregateStep(
    { ...ctx.input, dataset: change.dataset ?? ctx.input.dataset, framework: change.framework ?? ctx.input.framework },
    ctx.options,
  ).dataset;
}

/**
 * The framework with one node's weight replaced (a new object; the input is not changed).
 * @example
 * const fw = { nodes: [{ code: 'a', name: { en: 'a' }, level: 1, parent: null, kind: 'indicator' as const,
 *   weight: 1, direction: 1 as const }] };
 * withWeight(fw, 'a', 0).nodes.find((nd) => nd.code === 'a')!.weight // => 0
 * fw.nodes[0].weight // => 1 (unchanged)
 */
export function withWeight(fw: Framework, code: string, weight: number): Framework {
  return { ...fw, nodes: fw.nodes.map((nd) => (nd.code === code ? { ...nd, weight } : nd)) };
}
