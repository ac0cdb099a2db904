/**
 * The normalise step (COINr 1.1.14 `Normalise`, R/normalise.R; OECD/JRC Handbook Part 2 §5). Direction
 * first — every indicator column is multiplied by its framework `direction` (+1/−1) — then the method
 * is applied, so for every method "higher is better" afterwards.
 *
 * Parameters given in an indicator's own units (a target, goalposts, `scaled` bounds) are flipped
 * together with the data (COINr's `use_iMeta` semantics: `Target·Direction`, passed with direction 1);
 * each method's file says how (`scaled.ts` documents the one deliberate difference from COINr).
 *
 * The methods live one per file in this folder and are listed in `index.ts`; this step resolves each
 * indicator's method once and dispatches through `NORMALISE_REGISTRY`. A zero range (or any other
 * degenerate denominator) is an error naming the indicator — never a silent NaN.
 */
import { CityIndexError, type Issue } from '../../core/errors.ts';
import { datasetOf } from '../../core/dataset.ts';
import type { Framework, FrameworkNode } from '../../core/framework.ts';
import type { StepInput, StepOutput } from '../../pipeline/step.ts';
import { countAvailable } from '../../stats/descriptive.ts';
import { assertMethodOf } from '../method.ts';
import { DegenerateColumnError, mapAvailable, type NormaliseColumnContext, type Num } from './definition.ts';
import { NORMALISE_REGISTRY, type NormaliseMethod } from './index.ts';
import { minMaxInto, minMaxNormalisation, minMaxRange } from './min-max.ts';
import type { NormaliseOptions } from '../../spec/spec.ts';
import type { z } from 'zod';

export { DegenerateColumnError } from './definition.ts';
export { minMax } from './min-max.ts';
export { zScore } from './z-score.ts';
export { scaled } from './scaled.ts';
export { rank } from './rank.ts';
export { percentileRank } from './percentile-rank.ts';
export { borda } from './borda.ts';
export { distanceToTarget } from './distance-to-target.ts';
export { distanceToMax } from './distance-to-max.ts';
export { distanceToReference } from './distance-to-reference.ts';
export { goalposts } from './goalposts.ts';
export { fractionOfMax } from './fraction-of-max.ts';

// ---------------------------------------------------------------- step

/** What the step did to one indicator. */
export interface NormalisedIndicator {
  /** The method with every default and framework parameter filled in (in the indicator's own units). */
  method: NormaliseMethod;
  direction: 1 | -1;
  /** `perIndicator` override or the global method. */
  source: 'global' | 'perIndicator';
}

export interface NormaliseDiagnostics {
  indicators: Record<string, NormalisedIndicator>;
  /** Non-fatal notes (e.g. a column with no values, an override for a code not in the dataset). */
  warnings: Issue[];
}

/** COINr's default: min–max onto [0, 100] (the range is `minMaxNormalisation.defaults.range`). */
export const DEFAULT_NORMALISATION: NormaliseMethod = minMaxNormalisation.resolve({ method: 'minMax' }, undefined);

type Definitions = typeof NORMALISE_REGISTRY;
type OptionsOf<K extends keyof Definitions> = z.infer<Definitions[K]['schema']>;
/** The registry seen through the two functions the step calls, keyed by method (correlated by `K`). */
type Kernels = {
  [K in keyof Definitions]: {
    resolve(options: OptionsOf<K>, node: FrameworkNode | undefined): OptionsOf<K>;
    column(x: Num, options: OptionsOf<K>, context: NormaliseColumnContext): Float64Array;
  };
};
const KERNELS: Kernels = NORMALISE_REGISTRY;

function definitionOf<K extends keyof Definitions>(method: K): Kernels[K] {
  assertMethodOf(NORMALISE_REGISTRY, method, 'normalisation', 'method');
  return KERNELS[method];
}

function resolveAs<K extends keyof Definitions>(
  m: OptionsOf<K> & { method: K },
  node: FrameworkNode | undefined,
): OptionsOf<K> {
  return definitionOf(m.method).resolve(m, node);
}

function columnAs<K extends keyof Definitions>(
  x: Num,
  m: OptionsOf<K> & { method: K },
  context: NormaliseColumnContext,
): Float64Array {
  return definitionOf(m.method).column(x, m, context);
}

/**
 * Fill defaults and framework parameters into a method (targets and goalposts from the node when not given).
 * @example resolveNormaliseMethod({ method: 'zScore' }, undefined) // => { method: 'zScore', mean: 0, sd: 1 }
 */
export function resolveNormaliseMethod(m: NormaliseMethod, node: FrameworkNode | undefined): NormaliseMethod {
  return resolveAs(m, node);
}

/**
 * Normalise one column that is already multiplied by `direction`, with a resolved method.
 * Parameters in the indicator's units are flipped with `direction`. `unitCodes` locates a reference unit.
 * @example normaliseColumn([-3, -1, -2], { method: 'minMax', range: [0, 1] }, -1, []) // => Float64Array [0, 1, 0.5]
 */
export function normaliseColumn(
  x: Num,
  m: NormaliseMethod,
  direction: 1 | -1,
  unitCodes: readonly string[],
): Float64Array {
  return columnAs(x, m, { direction, unitCodes });
}

function splitOptions(options: NormaliseOptions | undefined): {
  global: NormaliseMethod;
  per: Map<string, NormaliseMethod>;
} {
  if (!options) return { global: DEFAULT_NORMALISATION, per: new Map() };
  const { perIndicator, ...global } = options;
  return { global, per: new Map(Object.entries(perIndicator ?? {})) };
}

/**
 * The normalise step (COINr `Normalise`): each column × its framework direction, then the method
 * (global, or the `perIndicator` override). Default min–max onto [0, 100]. All degenerate columns are
 * reported together in one `CityIndexError`.
 * @example
 * // ASEM after its treat step; by default min–max onto [0, 100] of every indicator
 * const { dataset, framework, units } = asem.build.steps[3];
 * const normalised = normaliseStep({ dataset, framework, units }).dataset;
 * Math.min(...normalised.values) // => 0
 * Math.max(...normalised.values) // => 100
 */
export function normaliseStep(input: StepInput, options?: NormaliseOptions): StepOutput<NormaliseDiagnostics> {
  const { dataset, framework } = input;
  const { global, per } = splitOptions(options);
  const nodes = nodeMap(framework);
  const n = dataset.unitCodes.length;
  const out = new Float64Array(dataset.values.length);
  const issues: Issue[] = [];
  const warnings: Issue[] = [];
  // null prototype: an indicator coded `__proto__` or `constructor` is an ordinary key
  const indicators: Record<string, NormalisedIndicator> = Object.create(null);
  for (const c of per.keys()) {
    if (dataset.codes.includes(c)) continue;
    const message = `perIndicator override for "${c}" is not used: the indicator is not in the dataset`;
    warnings.push({ code: 'W_UNUSED_OVERRIDE', message, indicator: c, severity: 'warning' });
  }
  dataset.codes.forEach((code, j) => {
    const node = nodes.get(code);
    if (!node)
      warnings.push({
        code: 'W_NO_NODE',
        message: `column "${code}" is not in the framework: direction +1 assumed`,
        indicator: code,
        severity: 'warning',
      });
    const direction: 1 | -1 = node?.direction === -1 ? -1 : 1;
    const own = per.get(code);
    const source = own ? 'perIndicator' : 'global';
    let method: NormaliseMethod;
    try {
      method = resolveNormaliseMethod(own ?? global, node);
    } catch (e) {
      if (e instanceof CityIndexError) {
        issues.push(...e.issues.map((i) => ({ ...i, indicator: i.indicator ?? code })));
        return;
      }
      throw e;
    }
    indicators[code] = { method, direction, source };
    try {
      // min–max counts the values in its own first pass; other methods check first
      let filled: boolean;
      if (method.method === 'minMax')
        filled = minMaxInto(dataset.values, j * n, n, direction, minMaxRange(method), out);
      else {
        const raw = dataset.values.subarray(j * n, (j + 1) * n);
        filled = countAvailable(raw) > 0;
        if (filled)
          out.set(
            normaliseColumn(direction === 1 ? raw : mapAvailable(raw, negate), method, direction, dataset.unitCodes),
            j * n,
          );
      }
      if (!filled) {
        out.fill(NaN, j * n, (j + 1) * n);
        warnings.push({
          code: 'W_EMPTY_COLUMN',
          message: `indicator "${code}" has no values; it stays missing`,
          indicator: code,
          severity: 'warning',
        });
      }
    } catch (e) {
      if (e instanceof DegenerateColumnError) {
        issues.push({
          code: 'E_NORMALISE',
          message: `cannot normalise "${code}" with ${method.method}: ${e.message}`,
          indicator: code,
          field: 'method',
          expected: e.expected,
        });
        return;
      }
      throw e;
    }
  });
  if (issues.length) throw new CityIndexError(issues);
  return { dataset: datasetOf(dataset.unitCodes, dataset.codes, out), diagnostics: { indicators, warnings } };
}

function negate(v: number): number {
  return -v;
}

function nodeMap(fw: Framework): Map<string, FrameworkNode> {
  return new Map(fw.nodes.map((nd) => [nd.code, nd] as const));
}
