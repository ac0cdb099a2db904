/**
 * Aggregate step (COINr 1.1.14 `Aggregate`, R/aggregate.R): bottom-up, one level at a time — level k
 * from the level k−1 scores, grouped by `parent` — with the framework node weights, a method and a
 * data-availability threshold per level (`levels` keyed by the level produced).
 *
 * Output columns (COINr's "Aggregated" order): the input columns, then the level-2 codes in alphabetical
 * order, then level 3 alphabetical, …, then the index. Alphabetical = case-insensitive, ties by code
 * point (R's `tapply` factor order for ordinary codes).
 *
 * Methods: row-wise means (arithmetic — the COINr default, with re-weighting over available values —,
 * geometric, harmonic, generalised) and whole-group methods on the group's units × components matrix
 * (Mazziotta–Pareto, TOPSIS, benefit of the doubt, Copeland). Negative weights are allowed only for the
 * arithmetic mean. Values outside a method's domain (zero or negative values for the geometric mean …)
 * are one `CityIndexError` listing every unit and component — never a NaN.
 */
import { CityIndexError, type Issue } from '../../core/errors.ts';
import { createDataset, datasetOf, type Dataset } from '../../core/dataset.ts';
import { topLevel, type Framework, type FrameworkNode } from '../../core/framework.ts';
import { ExactSum, exactSum } from '../../core/sum.ts';
import type { AggregateLevelSpec, AggregateOptions } from '../../spec/spec.ts';
import type { z } from 'zod';
import { assertMethodOf } from '../method.ts';
import type { DomainProblem, GroupAggregation, GroupInput } from './definition.ts';
import { AGGREGATION_REGISTRY, type AggregationMethod } from './index.ts';
import type { StepInput, StepOutput } from '../../pipeline/step.ts';
import { reachesShare } from '../../stats/share.ts';

/** What happened in one group (one parent). */
export interface AggregateGroupDiagnostics {
  /** The parent's code (the column produced). */
  code: string;
  /** Components aggregated (children present in the data), in framework order. */
  children: string[];
  /** Their framework weights (as given; methods rescale them). */
  weights: number[];
  /** Units set missing because too few components were available (`dataThreshold`). */
  belowThreshold: string[];
  /** Units with a missing component that a complete-case method (TOPSIS, BoD) scored as missing. */
  incomplete: string[];
  /** BoD: number of units at the frontier (score 1) and each unit's optimal weights. */
  bod?: { nAtFrontier: number; weights: Record<string, Record<string, number>> };
}

export interface AggregateLevelDiagnostics {
  /** The level produced (2 … top). */
  level: number;
  aggregation: AggregationMethod;
  dataThreshold: number | null;
  groups: AggregateGroupDiagnostics[];
}

export interface AggregateDiagnostics {
  levels: AggregateLevelDiagnostics[];
  /** Aggregates not produced because none of their children has data (e.g. all `not_collected`). */
  skipped: string[];
  warnings: Issue[];
}

export type { GroupAggregation } from './definition.ts';

const DEFAULT_AGGREGATION: AggregationMethod = { method: 'arithmetic' };

type Definitions = typeof AGGREGATION_REGISTRY;
type OptionsOf<K extends keyof Definitions> = z.infer<Definitions[K]['schema']>;
/** The registry seen through what the step calls, keyed by method (correlated by `K`). */
type Kernels = {
  [K in keyof Definitions]: {
    shape: 'rowWise' | 'group';
    completeCase: boolean;
    group(input: GroupInput, options: OptionsOf<K>): GroupAggregation;
    domain?: (value: number, options: OptionsOf<K>) => DomainProblem | null;
  };
};
const KERNELS: Kernels = AGGREGATION_REGISTRY;

function definitionOf<K extends keyof Definitions>(method: K): Kernels[K] {
  assertMethodOf(AGGREGATION_REGISTRY, method, 'aggregation', 'aggregation.method');
  return KERNELS[method];
}

function groupAs<K extends keyof Definitions>(
  input: GroupInput,
  method: OptionsOf<K> & { method: K },
): GroupAggregation {
  return definitionOf(method.method).group(input, method);
}

/**
 * Aggregate one group: `x` is the units × components matrix (column-major `x[j*m + i]`), `weights`
 * one per component. Row-wise means skip missing values; TOPSIS and BoD score incomplete units as NaN.
 * `rows` (optional, one flag per unit) limits the row-wise means to the flagged units (the others get
 * NaN); whole-group methods score every unit. Domain checks with unit and component names are done by
 * `aggregateStep`; here kernel errors propagate. Dispatches through `AGGREGATION_REGISTRY`.
 * @example
 * // 2 units × 2 components, column-major: unit 1 has (1, 3), unit 2 has (2, 4)
 * const x = Float64Array.from([1, 2, 3, 4]);
 * aggregateGroup({ method: 'arithmetic' }, x, 2, 2, [1, 1]).scores // => Float64Array [2, 3]
 * // only the flagged units are scored
 * aggregateGroup({ method: 'arithmetic' }, x, 2, 2, [1, 1], Uint8Array.of(0, 1)).scores // => Float64Array [NaN, 3]
 */
export function aggregateGroup(
  method: AggregationMethod,
  x: Float64Array,
  m: number,
  n: number,
  weights: ArrayLike<number>,
  rows?: Uint8Array,
): GroupAggregation {
  return groupAs({ x, m, n, weights, rows }, method);
}

/** Why value v cannot enter `method`, or null. */
function domainProblem<K extends keyof Definitions>(
  method: OptionsOf<K> & { method: K },
  v: number,
): DomainProblem | null {
  const domain = definitionOf(method.method).domain;
  return domain ? domain(v, method) : null;
}

/** Whether `domainProblem` can refuse a value of this method (the others skip the per-value check). */
function hasDomain(method: AggregationMethod): boolean {
  return definitionOf(method.method).domain !== undefined;
}

/**
 * `arithmeticMean` of every scored unit's row: correctly rounded Σ w_j·x_j over the available components
 * divided by Σw = `availableWeight` (correctly rounded too), so each score is bit-identical to
 * `arithmeticMean(row, weights)`, without copying rows. NaN for unscored units. Components are the
 * columns at offsets `cols` of `values`; the scores are written at offset `dest`.
 */
function arithmeticRows(
  values: Float64Array,
  cols: readonly number[],
  weights: readonly number[],
  m: number,
  scored: Uint8Array,
  availableWeight: Float64Array,
  dest: number,
): void {
  const acc = new ExactSum();
  const n = cols.length;
  for (let i = 0; i < m; i++) {
    if (!scored[i]) {
      values[dest + i] = NaN;
      continue;
    }
    acc.reset();
    for (let j = 0; j < n; j++) {
      const v = values[cols[j] + i];
      if (!Number.isNaN(v)) acc.add(weights[j] * v);
    }
    values[dest + i] = acc.value() / availableWeight[i];
  }
}

/** Whether `x[offset … offset + length)` holds a NaN. */
function anyNaN(x: Float64Array, offset: number, length: number): boolean {
  for (let i = offset; i < offset + length; i++) if (x[i] !== x[i]) return true;
  return false;
}

/**
 * Case-insensitive, then code-point order (R's factor order for ordinary codes), as COINr orders the
 * aggregates of a level.
 * @example ['b', 'C', 'a', 'B'].sort(compareCodes) // => ['a', 'B', 'b', 'C']
 */
export function compareCodes(a: string, b: string): number {
  const la = a.toLowerCase();
  const lb = b.toLowerCase();
  if (la !== lb) return la < lb ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function levelSpec(
  options: AggregateOptions | undefined,
  level: number,
): { aggregation: AggregationMethod; dataThreshold: number | null } {
  const per: AggregateLevelSpec | undefined = options?.levels?.[String(level)];
  return {
    aggregation: per?.aggregation ?? options?.aggregation ?? DEFAULT_AGGREGATION,
    dataThreshold: per?.dataThreshold ?? options?.dataThreshold ?? null,
  };
}

/**
 * The aggregate step: every level from 2 to the index, with per-level method and threshold.
 * @example
 * // ASEM after its normalise step
 * const { dataset, framework, units } = asem.build.steps[4];
 * aggregateStep({ dataset, framework, units }).dataset.codes.at(-1) // => 'Index'
 */
export function aggregateStep(input: StepInput, options?: AggregateOptions): StepOutput<AggregateDiagnostics> {
  const { dataset, framework } = input;
  const m = dataset.unitCodes.length;
  const aggregateCodes = new Set(framework.nodes.filter((nd) => nd.kind === 'aggregate').map((nd) => nd.code));
  const warnings: Issue[] = [];
  const keptCodes: string[] = [];
  const keptFrom: number[] = [];
  dataset.codes.forEach((c, j) => {
    if (aggregateCodes.has(c)) {
      warnings.push({
        code: 'W_RECOMPUTED',
        message: `input column "${c}" is an aggregate and is recomputed`,
        indicator: c,
        severity: 'warning',
      });
      return;
    }
    keptCodes.push(c);
    keptFrom.push(j);
  });
  const top = topLevel(framework);
  // One output buffer: the kept input columns, then every aggregate in production order (at most all of
  // them). `columns` gives each available code's offset in it.
  let capacity = keptCodes.length;
  for (const nd of framework.nodes) if (nd.kind === 'aggregate' && nd.level >= 2 && nd.level <= top) capacity++;
  const values = new Float64Array(m * capacity);
  if (keptCodes.length === dataset.codes.length) values.set(dataset.values);
  else keptFrom.forEach((j, k) => values.set(dataset.values.subarray(j * m, (j + 1) * m), k * m));
  const columns = new Map<string, number>();
  // which columns have a missing value: a group of complete columns skips the per-unit availability count
  const hasMissing = new Map<string, boolean>();
  keptCodes.forEach((c, k) => {
    columns.set(c, k * m);
    hasMissing.set(c, anyNaN(values, k * m, m));
  });
  // per-group work arrays, reset for each group
  const scored = new Uint8Array(m);
  const availableWeight = new Float64Array(m);
  const availableCount = new Int32Array(m);
  const weightAcc = new ExactSum();
  const levels: AggregateLevelDiagnostics[] = [];
  const skipped: string[] = [];
  const produced: string[] = [];
  const childrenOf = new Map<string, FrameworkNode[]>();
  for (const nd of framework.nodes) {
    if (nd.parent === null) continue;
    const list = childrenOf.get(nd.parent) ?? [];
    list.push(nd);
    childrenOf.set(nd.parent, list);
  }
  for (let level = 2; level <= top; level++) {
    const spec = levelSpec(options, level);
    const method = spec.aggregation;
    const definition = definitionOf(method.method);
    const parents = framework.nodes
      .filter((nd) => nd.level === level && nd.kind === 'aggregate')
      .map((nd) => nd.code)
      .sort(compareCodes);
    const groups: AggregateGroupDiagnostics[] = [];
    const issues: Issue[] = [];
    const results: Array<[string, number]> = [];
    for (const parent of parents) {
      const kids = (childrenOf.get(parent) ?? []).filter((k) => columns.has(k.code));
      if (kids.length === 0) {
        skipped.push(parent);
        warnings.push({
          code: 'W_EMPTY_AGGREGATE',
          message: `aggregate "${parent}" has no component with data and is not produced`,
          indicator: parent,
          severity: 'warning',
        });
        continue;
      }
      const n = kids.length;
      const weights = kids.map((k) => k.weight);
      const belowThreshold: string[] = [];
      const incomplete: string[] = [];
      const cols = kids.map((k) => columns.get(k.code)!); // offsets in `values`
      const before = issues.length;
      if (method.method !== 'arithmetic') {
        kids.forEach((k) => {
          if (k.weight < 0)
            issues.push({
              code: 'E_NEGATIVE_WEIGHT',
              message:
                `weight ${k.weight} of "${k.code}" (in "${parent}") is negative; ` +
                'only the arithmetic mean accepts negative weights',
              indicator: k.code,
              field: 'weight',
              expected: '≥ 0',
            });
        });
      }
      const totalWeight = exactSum(weights);
      if (totalWeight === 0 && method.method !== 'bod') {
        issues.push({
          code: 'E_WEIGHT_SUM',
          message: `the weights of the components of "${parent}" sum to 0`,
          indicator: parent,
          field: 'weight',
          expected: 'a non-zero weight sum',
        });
      }
      // units scored: some data, and enough of it (dataThreshold); the others are missing.
      // availableWeight[i] = correctly rounded Σ weights of unit i's available components (the Σw of
      // arithmeticMean)
      scored.fill(0);
      const complete = kids.every((k) => hasMissing.get(k.code) === false);
      if (complete) {
        availableWeight.fill(totalWeight);
        availableCount.fill(n);
      } else {
        for (let i = 0; i < m; i++) {
          weightAcc.reset();
          let count = 0;
          for (let j = 0; j < n; j++)
            if (!Number.isNaN(values[cols[j] + i])) {
              count++;
              weightAcc.add(weights[j]);
            }
          availableCount[i] = count;
          availableWeight[i] = weightAcc.value();
        }
      }
      for (let i = 0; i < m; i++) {
        const avail = availableCount[i];
        if (avail === 0) continue;
        if (spec.dataThreshold !== null && !reachesShare(avail / n, spec.dataThreshold))
          belowThreshold.push(dataset.unitCodes[i]);
        else {
          scored[i] = 1;
          if (avail < n && definition.completeCase) incomplete.push(dataset.unitCodes[i]);
        }
      }
      const rowWise = definition.shape === 'rowWise';
      if (totalWeight !== 0 && (rowWise || method.method === 'mpi')) {
        // the weights of the components a unit has must not cancel out (COINr would divide by 0)
        for (let i = 0; i < m; i++) {
          if (!scored[i] || availableWeight[i] !== 0) continue;
          const have = kids.filter((_, j) => !Number.isNaN(values[cols[j] + i])).map((k) => `${k.code} (${k.weight})`);
          issues.push({
            code: 'E_WEIGHT_SUM',
            message:
              `"${parent}" (${method.method}): the weights of the components ` +
              `unit ${dataset.unitCodes[i]} has, ${have.join(', ')}, sum to 0`,
            unit: dataset.unitCodes[i],
            indicator: parent,
            field: 'weight',
            expected: 'a non-zero weight sum over the available components (impute, or set a dataThreshold)',
          });
        }
      }
      if (hasDomain(method)) {
        for (let j = 0; j < n; j++) {
          const off = cols[j];
          for (let i = 0; i < m; i++) {
            const v = values[off + i];
            // row-wise means only use the values of scored units; whole-group methods use every value
            if (Number.isNaN(v) || (rowWise && !scored[i])) continue;
            const p = domainProblem(method, v);
            if (p)
              issues.push({
                code: p.code,
                message:
                  `"${parent}" (${method.method}): ${kids[j].code} = ${v} for unit ${dataset.unitCodes[i]}; ` +
                  p.message,
                unit: dataset.unitCodes[i],
                indicator: kids[j].code,
                expected: p.expected,
              });
          }
        }
      }
      if (issues.length > before) continue;
      const dest = (keptCodes.length + produced.length + results.length) * m;
      let agg: GroupAggregation | null = null;
      if (method.method === 'arithmetic') {
        arithmeticRows(values, cols, weights, m, scored, availableWeight, dest);
      } else {
        const x = new Float64Array(m * n);
        for (let j = 0; j < n; j++) x.set(values.subarray(cols[j], cols[j] + m), j * m);
        try {
          agg = aggregateGroup(method, x, m, n, weights, rowWise ? scored : undefined);
        } catch (e) {
          if (e instanceof CityIndexError) {
            issues.push(
              ...e.issues.map((iss) => ({
                ...iss,
                indicator: iss.indicator ?? parent,
                message: `"${parent}" (${method.method}): ${iss.message}`,
              })),
            );
            continue;
          }
          throw e;
        }
      }
      if (agg) values.set(agg.scores, dest);
      for (let i = 0; i < m; i++) if (!scored[i]) values[dest + i] = NaN;
      hasMissing.set(parent, anyNaN(values, dest, m));
      if (incomplete.length) {
        warnings.push({
          code: 'W_INCOMPLETE',
          message:
            `"${parent}" (${method.method}) needs complete data: ` +
            `${incomplete.length} unit(s) with a missing component are missing ` +
            `(${incomplete.join(', ')}); impute first`,
          indicator: parent,
          severity: 'warning',
        });
      }
      const g: AggregateGroupDiagnostics = {
        code: parent,
        children: kids.map((k) => k.code),
        weights,
        belowThreshold,
        incomplete,
      };
      const bod = agg?.bod;
      if (bod) {
        const w: Record<string, Record<string, number>> = Object.create(null);
        for (let i = 0; i < m; i++) {
          if (Number.isNaN(bod.weights[i])) continue;
          const row: Record<string, number> = Object.create(null);
          kids.forEach((k, j) => {
            row[k.code] = bod.weights[j * m + i];
          });
          w[dataset.unitCodes[i]] = row;
        }
        g.bod = { nAtFrontier: bod.nAtFrontier, weights: w };
        if (bod.nAtFrontier > 1) {
          warnings.push({
            code: 'W_BOD_FRONTIER',
            message:
              `"${parent}" (bod): ${bod.nAtFrontier} units reach the frontier (score 1); ` +
              'they cannot be told apart',
            indicator: parent,
            severity: 'warning',
          });
        }
      }
      groups.push(g);
      results.push([parent, dest]);
    }
    if (issues.length) throw new CityIndexError(issues);
    for (const [code, offset] of results) {
      columns.set(code, offset);
      produced.push(code);
    }
    levels.push({ level, aggregation: method, dataThreshold: spec.dataThreshold, groups });
  }
  const codes = [...keptCodes, ...produced];
  const used = codes.length < capacity ? values.slice(0, m * codes.length) : values;
  // unit codes come from the input dataset; the column codes are input codes plus framework aggregate codes
  const out: Dataset =
    new Set(codes).size === codes.length
      ? datasetOf(dataset.unitCodes, codes, used)
      : createDataset(dataset.unitCodes, codes, used);
  return { dataset: out, diagnostics: { levels, skipped, warnings } };
}

/**
 * Codes of the aggregates `aggregateStep` produces, in its output order: level 2 alphabetical, then
 * level 3, …, then the index (COINr's "Aggregated" column order).
 * @example aggregateOrder(asem.input.framework).slice(-3) // => ['Conn', 'Sust', 'Index']
 */
export function aggregateOrder(framework: Framework): string[] {
  const top = topLevel(framework);
  const out: string[] = [];
  for (let level = 2; level <= top; level++) {
    out.push(
      ...framework.nodes
        .filter((nd) => nd.level === level && nd.kind === 'aggregate')
        .map((nd) => nd.code)
        .sort(compareCodes),
    );
  }
  return out;
}
