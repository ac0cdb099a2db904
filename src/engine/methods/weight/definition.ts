/**
 * The shape of a weighting method (one file per method in this folder, listed in `index.ts`): its
 * options schema, defaults, `level` (the method applied to the nodes of one framework level, with an
 * options object) and its description. The diagnostics the step reports live here too, so that a
 * method's file and the step share them without importing each other.
 */
import type { z } from 'zod';
import type { Issue } from '../../core/errors.ts';
import type { FrameworkNode } from '../../core/framework.ts';
import type { StepInput } from '../../pipeline/step.ts';
import type { AggregateOptions } from '../../spec/spec.ts';
import type { MethodDefinition, MethodSchema } from '../method.ts';
import type { AhpVariant, RiTable } from './ahp.ts';
import type { EntropyShift } from './entropy.ts';
import type { WeightMethod } from './index.ts';
import type { PcaVariant } from './pca.ts';

/** Method-specific statistics of one group. */
export type WeightDetails =
  | { method: 'entropy'; shift: EntropyShift; entropy: number[]; divergence: number[] }
  | { method: 'critic'; sd: number[]; information: number[] }
  | { method: 'cv'; cv: number[]; mean: number[] }
  | { method: 'sd'; sd: number[] }
  | {
      method: 'pca';
      variant: PcaVariant;
      eigenvalues: number[];
      varianceExplained: number[];
      retained: number;
      rotatedLoadings: number[][];
      factorOfIndicator: number[];
    }
  | {
      method: 'ahp';
      variant: AhpVariant;
      riTable: RiTable;
      lambdaMax: number;
      ci: number;
      cr: number;
      ri: number;
      consistent: boolean;
    }
  | {
      method: 'optimised';
      /** `coinr` for COINr's unconstrained search (absent for the default simplex search). */
      variant?: 'coinr';
      converged: boolean;
      iterations: number;
      evaluations: number;
      value: number;
      target: number[];
      correlations: number[];
      /** `variant: coinr`: COINr's reported shares c/Σc, those of the last weights evaluated. */
      coinrObtained?: number[];
    }
  | {
      method: 'combined';
      rule: 'additive' | 'multiplicative';
      alpha: number;
      subjective: number[];
      objective: number[];
    };

/** One group whose weights were set together. */
export interface WeightGroupDiagnostics {
  /** Parent code, or null for a whole-level computation (`scope: 'level'`, `optimised`). */
  parent: string | null;
  codes: string[];
  method: WeightMethod['method'];
  /** The weights set on the nodes, in `codes` order. */
  weights: number[];
  /** Units with complete data used by an objective method. */
  unitsUsed?: number;
  details?: WeightDetails;
}

export interface WeightDiagnostics {
  level: number;
  method: WeightMethod['method'];
  /** Weight of every node at the level after the step (gaps keep theirs and are not listed). */
  weights: Record<string, number>;
  groups: WeightGroupDiagnostics[];
  /** For `combined`: how the subjective and objective parts were computed. */
  components?: { subjective: WeightComponentDiagnostics; objective: WeightComponentDiagnostics };
  warnings: Issue[];
}

/** One part of a combined weighting. */
export interface WeightComponentDiagnostics {
  method: WeightMethod['method'];
  groups: WeightGroupDiagnostics[];
  components?: { subjective: WeightComponentDiagnostics; objective: WeightComponentDiagnostics };
}

/** What a method's `level` knows about the level whose weights it sets. */
export interface WeightLevelContext {
  input: StepInput;
  level: number;
  top: number;
  /** Nodes at the level that are in the build, in framework order. */
  nodes: FrameworkNode[];
  /** The same, grouped by parent (framework order of first appearance). */
  byParent: Map<string, FrameworkNode[]>;
  aggregate?: AggregateOptions;
  /** The step's dispatch, for methods that nest methods (`combined`). */
  resolve(method: WeightMethod): WeightLevelResult;
}

/** The weights a method sets at a level, with its diagnostics. */
export interface WeightLevelResult {
  weights: Map<string, number>;
  groups: WeightGroupDiagnostics[];
  warnings: Issue[];
  components?: { subjective: WeightComponentDiagnostics; objective: WeightComponentDiagnostics };
}

/** One weighting method. */
export interface WeightDefinition<S extends MethodSchema> extends MethodDefinition<S> {
  /** Default values of the optional settings, written once. */
  readonly defaults: Readonly<Partial<NoInfer<z.infer<S>>>>;
  /** Set the weights of the level's nodes (throws a located `CityIndexError` on bad options or data). */
  level(options: z.infer<S>, context: WeightLevelContext): WeightLevelResult;
}

/**
 * A definition, checked against its schema's type (identity at run time).
 * @example
 * import { equalWeighting } from './equal.ts';
 * defineWeighting(equalWeighting).method // => 'equal'
 */
export function defineWeighting<S extends MethodSchema>(definition: WeightDefinition<S>): WeightDefinition<S> {
  return definition;
}

/**
 * A plain array of a typed array (diagnostics are JSON).
 * @example toArr(Float64Array.of(0.5, 0.5)) // => [0.5, 0.5]
 */
export const toArr = (x: ArrayLike<number>): number[] => Array.from(x);
