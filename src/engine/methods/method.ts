/**
 * What every method definition shares, whatever its family: a `method` name, a zod options schema
 * (the TypeScript type is `z.infer` of it) and a description in English and Chinese. A family's
 * `index.ts` lists its definitions; `schemasOf` turns that list into the members of the spec's
 * discriminated union and `registryOf` into the lookup that the step dispatches through.
 */
import type { z } from 'zod';
import { CityIndexError, type Issue } from '../core/errors.ts';
import { colIndex, type Dataset } from '../core/dataset.ts';
import type { Framework } from '../core/framework.ts';

/** Languages of method descriptions. */
export type Lang = 'en' | 'zh';

/** A method's options schema: a strict zod object whose `method` is a literal. */
export type MethodSchema = z.ZodObject<{ method: z.ZodLiteral<string> } & z.core.$ZodLooseShape, z.core.$strict>;

/**
 * One sentence per language describing a method with its settings (defaults spelled out). Method
 * syntax on purpose: a family's texts are read through the family's union type (see describe.ts).
 */
export interface MethodText<O> {
  en(options: O): string;
  zh(options: O): string;
}

/** The part of a definition that every family has. */
export interface MethodDefinition<S extends MethodSchema> {
  /** The name used in specs (`{ method: 'minMax' }`). */
  readonly method: z.infer<S>['method'];
  /** The options schema, including the `method` literal. */
  readonly schema: S;
  /** Description of the method with its settings, in English and Chinese. */
  readonly text: MethodText<z.infer<S>>;
}

/**
 * The options schemas of a list of definitions, as a tuple for `z.discriminatedUnion`.
 * @example
 * import { minMaxNormalisation } from './normalise/min-max.ts';
 * schemasOf([minMaxNormalisation]).length // => 1
 */
export function schemasOf<const D extends readonly [{ schema: MethodSchema }, ...Array<{ schema: MethodSchema }>]>(
  definitions: D,
): { -readonly [K in keyof D]: D[K]['schema'] } {
  return definitions.map((d) => d.schema) as { -readonly [K in keyof D]: D[K]['schema'] };
}

/** A family's definitions keyed by method name. */
export type RegistryOf<D extends ReadonlyArray<{ method: string }>> = { [M in D[number] as M['method']]: M };

/**
 * The lookup from method name to definition (a null-prototype object: names come from user specs).
 * Throws on a duplicated name, so two files cannot claim the same method.
 * @example
 * import { minMaxNormalisation } from './normalise/min-max.ts';
 * registryOf([minMaxNormalisation]).minMax.method // => 'minMax'
 */
export function registryOf<const D extends ReadonlyArray<{ method: string }>>(definitions: D): RegistryOf<D> {
  const registry: Record<string, { method: string }> = Object.create(null) as Record<string, { method: string }>;
  for (const d of definitions) {
    if (Object.hasOwn(registry, d.method)) throw new Error(`method "${d.method}" is defined twice`);
    registry[d.method] = d;
  }
  return registry as RegistryOf<D>;
}

/**
 * Whether `name` is one of the registry's methods (own key: `toString` and `__proto__` are not methods).
 * @example
 * import { minMaxNormalisation } from './normalise/min-max.ts';
 * isMethodOf(registryOf([minMaxNormalisation]), 'minMax') // => true
 */
export function isMethodOf<R extends object>(registry: R, name: string): name is Extract<keyof R, string> {
  return Object.hasOwn(registry, name);
}

/**
 * Assert that `name` is one of the registry's methods; otherwise throw a located `E_METHOD` error
 * listing the known ones (in registry order). The one check every family's step makes.
 * @example
 * import { minMaxNormalisation } from './normalise/min-max.ts';
 * assertMethodOf(registryOf([minMaxNormalisation]), 'maxMin', 'normalisation', 'method') // => throws E_METHOD
 */
export function assertMethodOf<R extends object>(
  registry: R,
  name: string,
  family: string,
  field: string,
): asserts name is Extract<keyof R, string> {
  if (Object.hasOwn(registry, name)) return;
  throw new CityIndexError({
    code: 'E_METHOD',
    message: `unknown ${family} method "${String(name)}"`,
    field,
    expected: Object.keys(registry).join(' | '),
  });
}

/**
 * Whether a step's per-indicator override for `code` applies to this build. A code missing from the
 * dataset is a warning when the framework has it (an indicator left out of this build) and an error
 * otherwise; both name the step.
 * @example
 * import type { Issue } from '../core/errors.ts';
 * const issues: Issue[] = [], warnings: Issue[] = [];
 * overrideInBuild('treat', 'Goods', asem.build.raw, asem.input.framework, issues, warnings) // => true
 */
export function overrideInBuild(
  step: string,
  code: string,
  dataset: Dataset,
  framework: Framework,
  issues: Issue[],
  warnings: Issue[],
): boolean {
  if (colIndex(dataset, code) >= 0) return true;
  const field = `perIndicator.${code}`;
  // an indicator of the framework left out of this build (excluded, not collected) only warrants a warning
  if (framework.nodes.some((nd) => nd.code === code))
    warnings.push({
      code: 'W_UNUSED_OVERRIDE',
      severity: 'warning',
      message: `${step}: perIndicator override for "${code}" is not used: the indicator is not in this build`,
      field,
      indicator: code,
    });
  else
    issues.push({
      code: 'E_UNKNOWN_INDICATOR',
      message: `${step}: perIndicator names "${code}", which is not in the dataset`,
      field,
      indicator: code,
    });
  return false;
}
