/**
 * Build and regenerate: run a `BuildSpec` over project input, keeping every intermediate dataset and
 * its diagnostics (COINr's coin + Log + Regen, with typed specs instead of logged function names).
 */
import { CityIndexError, formatIssues, type Issue } from '../core/errors.ts';
import { selectColumns, type Dataset } from '../core/dataset.ts';
import { indicatorNodes, type Framework, type Unit } from '../core/framework.ts';
import type { BuildSpec, StepKind } from '../spec/spec.ts';
import { runStep, stepContext, type StepDiagnosticsByKind, type StepOptionsOf, type StepOutcome } from './run-step.ts';
import { ranksDataset, effectiveWeights, tieToleranceOf } from './ranks.ts';
import { checkSpec } from '../spec/check-spec.ts';

/** Everything a build needs besides its spec. */
export interface BuildInput {
  framework: Framework;
  /** Units in the project (the raw dataset's rows must be these codes). */
  units: Unit[];
  /** Raw indicator values (level-1 codes; `not_collected` indicators are ignored). */
  raw: Dataset;
  /** Denominator columns (population, GDP …) by unit. */
  denominators?: Dataset;
  /** Earlier periods of the indicators, oldest first (panel imputation). */
  history?: Array<{ period: string; dataset: Dataset }>;
}

/** One executed step of kind `K`: its spec options, output dataset, diagnostics and the state after it. */
export interface StepRecordOf<K extends StepKind> {
  id: string;
  kind: K;
  /** The options as written in the spec (`undefined` = the step's defaults). */
  options: StepOptionsOf<K>;
  dataset: Dataset;
  diagnostics: StepDiagnosticsByKind[K];
  framework: Framework;
  units: Unit[];
}

/** One executed step: a union discriminated by `kind`, so options and diagnostics are read without casts. */
export type StepRecord = { [K in StepKind]: StepRecordOf<K> }[StepKind];

export interface BuildResults {
  /** Scores for every code (indicators as last transformed, then aggregates), units in build order. */
  scores: Dataset;
  /**
   * Ranks of `scores` (higher is better, ties share the best rank; near-ties within `spec.tieTolerance`),
   * computed on first read.
   */
  ranks: Dataset;
  /** Effective weight of every node in the index (weights rescaled within parents, multiplied down). */
  effectiveWeights: Record<string, number>;
  /** Code of the index (framework root). */
  indexCode: string;
}

export interface Build {
  spec: BuildSpec;
  input: BuildInput;
  /** Dataset "raw" followed by one record per step. */
  raw: Dataset;
  steps: StepRecord[];
  results: BuildResults;
}

/**
 * The level-1 raw dataset restricted to collected indicators, in framework order, checked against the
 * units (same codes, same order); every missing indicator column is one issue.
 * @example prepareRaw(asem.input).codes.length // => 49
 */
export function prepareRaw(input: BuildInput): Dataset {
  const codes = indicatorNodes(input.framework).map((n) => n.code);
  const have = new Set(input.raw.codes);
  const missing = codes.filter((c) => !have.has(c));
  const issues: Issue[] = missing.map((c) => ({
    code: 'E_NO_DATA',
    message:
      `indicator "${c}" is in the framework but has no data column ` +
      '(mark it status: not_collected if no data exists)',
    indicator: c,
  }));
  const unitCodes = input.units.map((u) => u.code);
  if (unitCodes.length !== input.raw.unitCodes.length || unitCodes.some((u, i) => u !== input.raw.unitCodes[i])) {
    issues.push({
      code: 'E_UNITS',
      message: 'the raw dataset rows do not match the units list (same codes, same order expected)',
    });
  }
  if (issues.length) throw new CityIndexError(issues);
  return selectColumns(input.raw, codes);
}

function initialState(input: BuildInput): { dataset: Dataset; framework: Framework; units: Unit[] } {
  return { dataset: prepareRaw(input), framework: input.framework, units: input.units };
}

function executeFrom(
  input: BuildInput,
  spec: BuildSpec,
  start: { dataset: Dataset; framework: Framework; units: Unit[] },
  done: StepRecord[],
): StepRecord[] {
  const records = [...done];
  let state = start;
  const context = stepContext(spec);
  for (let k = done.length; k < spec.steps.length; k++) {
    const step = spec.steps[k];
    let out: StepOutcome;
    try {
      out = runStep(
        step,
        {
          dataset: state.dataset,
          framework: state.framework,
          units: state.units,
          denominators: input.denominators,
          history: input.history,
        },
        context,
      );
    } catch (e) {
      if (e instanceof CityIndexError) {
        throw new CityIndexError(
          e.issues.map((i) => ({ ...i, field: i.field ?? `steps[${k}] (${step.id})` })),
          `step "${step.id}" (${step.kind}) failed:\n${e.message}`,
        );
      }
      throw e;
    }
    assertFinite(out.dataset, k, step.id, step.kind);
    state = { dataset: out.dataset, framework: out.framework ?? state.framework, units: out.units ?? state.units };
    records.push(recordOf(step.id, out, state.framework, state.units));
  }
  return records;
}

/** At most this many non-finite cells are listed one by one (the rest are counted). */
const MAX_NON_FINITE_LISTED = 20;

/**
 * Refuse a step's output that holds ±Infinity (NaN is a missing value and allowed): one issue per
 * offending cell naming the step (index and id), the unit and the code, up to 20, then a count. One pass
 * over the values; the common all-finite case allocates nothing.
 * @example
 * import { datasetOf } from '../core/dataset.ts';
 * assertFinite(datasetOf(['A', 'B'], ['x'], new Float64Array([1, NaN])), 0, 'n', 'normalise') // => undefined
 * assertFinite(datasetOf(['A', 'B'], ['x'], new Float64Array([1, Infinity])), 2, 'n', 'normalise')
 * // => throws E_NON_FINITE
 */
export function assertFinite(dataset: Dataset, index: number, id: string, kind: string): void {
  const v = dataset.values;
  let first = -1;
  for (let k = 0; k < v.length; k++) {
    const x = v[k];
    if (x === Infinity || x === -Infinity) {
      first = k;
      break;
    }
  }
  if (first < 0) return;
  const n = dataset.unitCodes.length;
  const issues: Issue[] = [];
  let count = 0;
  for (let k = first; k < v.length; k++) {
    const x = v[k];
    if (x !== Infinity && x !== -Infinity) continue;
    count++;
    if (issues.length >= MAX_NON_FINITE_LISTED) continue;
    const unit = dataset.unitCodes[k % n];
    const indicator = dataset.codes[Math.floor(k / n)];
    issues.push({
      code: 'E_NON_FINITE',
      message: `step ${index + 1} "${id}" (${kind}) produced ${x > 0 ? 'Infinity' : '-Infinity'}`,
      field: `steps[${index}] (${id})`,
      unit,
      indicator,
      expected: 'a finite number (check the options of this step, e.g. a range or scale beyond ±1.8e308)',
    });
  }
  if (count > issues.length) {
    const more = count - issues.length;
    const values = `value${more === 1 ? '' : 's'}`;
    const message = `step ${index + 1} "${id}" (${kind}) produced ${more} more non-finite ${values}`;
    issues.push({ code: 'E_NON_FINITE', message, field: `steps[${index}] (${id})`, expected: 'finite numbers' });
  }
  throw new CityIndexError(
    issues,
    `step "${id}" (${kind}) produced ${count} non-finite value(s):\n${formatIssues(issues)}`,
  );
}

/** The record of one executed step (the outcome's kind, options and diagnostics, the state after it). */
function recordOf(id: string, out: StepOutcome, framework: Framework, units: Unit[]): StepRecord {
  return { ...out, id, framework, units };
}

function finish(spec: BuildSpec, input: BuildInput, raw: Dataset, steps: StepRecord[], previous?: Build): Build {
  const last = steps.length ? steps[steps.length - 1] : undefined;
  const scores = last ? last.dataset : raw;
  const framework = last ? last.framework : input.framework;
  const root = framework.nodes.find((n) => n.parent === null);
  // ranks are computed on first read: a live re-weighting or an uncertainty replication that reads only
  // scores does not pay for ranking every column (a quarter to two fifths of a build)
  let ranks: Dataset | undefined;
  const tolerance = tieToleranceOf(spec);
  return {
    spec,
    input,
    raw,
    steps,
    results: {
      scores,
      get ranks(): Dataset {
        return (ranks ??= ranksDataset(scores, tolerance));
      },
      // a regenerate whose steps left the framework as it was (e.g. a treatment or normalisation changed)
      // keeps the previous build's weights instead of walking the tree again
      effectiveWeights:
        previous !== undefined && framework === finalFramework(previous)
          ? previous.results.effectiveWeights
          : effectiveWeights(framework),
      indexCode: root ? root.code : '',
    },
  };
}

/** The framework a build ends with (its last step's, or the input's when it has no steps). */
function finalFramework(b: Build): Framework {
  return b.steps.length ? b.steps[b.steps.length - 1].framework : b.input.framework;
}

declare const checkedBrand: unique symbol;
/**
 * A spec that `checkSpec` found valid for a framework (made by `checkedSpec`). `buildChecked` and
 * `regenerateChecked` run it without validating again, so a page that re-builds on every slider move
 * runs no zod in that loop. The brand does not record the framework: check against the one you build.
 */
export type CheckedSpec = BuildSpec & { readonly [checkedBrand]: true };

/**
 * Validate a spec against a framework once (shape and meaning, as `build` does); throws a
 * `CityIndexError` listing every problem.
 * @example
 * import type { BuildSpec } from '../spec/spec.ts';
 * // a spec with an unknown normalisation method is refused before any step runs
 * const spec = { version: 1, steps: [{ id: 'n', kind: 'normalise', options: { method: 'nope' } }] };
 * checkedSpec(spec as BuildSpec, asem.input.framework) // => throws E_SCHEMA
 * checkedSpec(asem.spec, asem.input.framework) === asem.spec // => true
 */
export function checkedSpec(spec: BuildSpec, framework: Framework): CheckedSpec {
  const issues = checkSpec(spec, framework);
  if (issues.length) throw new CityIndexError(issues);
  return spec as CheckedSpec;
}

/**
 * Build an index: validate the spec, run every step in order, keep every intermediate dataset.
 * Pure and deterministic: the same input and spec give bit-identical results.
 * @example
 * import { getValue } from '../core/dataset.ts';
 * import { COINR_EXAMPLE_SPEC } from '../spec/spec.ts';
 * const b = build(asem.input, COINR_EXAMPLE_SPEC);
 * getValue(b.results.scores, 'CHE', 'Index') // => 68.3837…
 */
export function build(input: BuildInput, spec: BuildSpec): Build {
  return buildChecked(input, checkedSpec(spec, input.framework));
}

/**
 * `build` for a spec already validated by `checkedSpec` (no validation).
 * @example buildChecked(asem.input, checkedSpec(asem.spec, asem.input.framework)).results.indexCode // => 'Index'
 */
export function buildChecked(input: BuildInput, spec: CheckedSpec): Build {
  const start = initialState(input);
  return finish(spec, input, start.dataset, executeFrom(input, spec, start, []));
}

/**
 * Index of the first step whose spec differs (key order ignored), or the shorter length if all shared
 * steps are equal.
 * @example
 * const steps = asem.spec.steps.slice();
 * steps[3] = { id: 'treat', kind: 'treat', options: { winmax: 3 } };
 * firstChangedStep(asem.spec, { ...asem.spec, steps }) // => 3
 */
export function firstChangedStep(a: BuildSpec, b: BuildSpec): number {
  const n = Math.min(a.steps.length, b.steps.length);
  for (let k = 0; k < n; k++) if (stableStringify(a.steps[k]) !== stableStringify(b.steps[k])) return k;
  return n;
}

/**
 * Re-run a build with a changed spec, reusing every step before the first changed one
 * (COINr `Regen`, but only from the change). An unchanged spec returns the same results.
 * @example regenerate(asem.build, asem.spec).steps[0] === asem.build.steps[0] // => true
 */
export function regenerate(previous: Build, spec: BuildSpec, input: BuildInput = previous.input): Build {
  // the previous build's own spec on its own input was checked when that build was made
  const checked = spec === previous.spec && input === previous.input ? (spec as CheckedSpec) : null;
  return regenerateChecked(previous, checked ?? checkedSpec(spec, input.framework), input);
}

/**
 * `regenerate` for a spec already validated by `checkedSpec` (no validation): the browser's path
 * for live re-weighting.
 * @example
 * const b = asem.build;
 * regenerateChecked(b, checkedSpec(b.spec, b.input.framework)).steps[0] === b.steps[0] // => true
 */
export function regenerateChecked(previous: Build, spec: CheckedSpec, input: BuildInput = previous.input): Build {
  const from = input === previous.input ? firstChangedStep(previous.spec, spec) : 0;
  const kept = previous.steps.slice(0, from);
  const start =
    from === 0
      ? initialState(input)
      : { dataset: kept[from - 1].dataset, framework: kept[from - 1].framework, units: kept[from - 1].units };
  const raw = from === 0 ? start.dataset : previous.raw;
  return finish(
    spec,
    input,
    raw,
    executeFrom(input, spec, start, kept),
    input === previous.input ? previous : undefined,
  );
}

/**
 * The dataset after the step with this id (or `raw`); an unknown id is an error listing the known ones.
 * @example stepDataset(asem.build, 'normalise').codes.length // => 49 (ASEM)
 */
export function stepDataset(b: Build, id: string): Dataset {
  if (id === 'raw') return b.raw;
  const rec = b.steps.find((s) => s.id === id);
  if (!rec)
    throw new CityIndexError({
      code: 'E_UNKNOWN_STEP',
      message: `no step "${id}" in this build`,
      field: 'step',
      expected: ['raw', ...b.steps.map((s) => s.id)].join(' | '),
    });
  return rec.dataset;
}

/**
 * JSON with sorted keys and undefined members dropped, for comparing specs.
 * @example stableStringify({ b: 1, a: [2, { d: undefined, c: 3 }] }) // => '{"a":[2,{"c":3}],"b":1}'
 */
export function stableStringify(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'undefined';
  if (Array.isArray(v)) return '[' + v.map(stableStringify).join(',') + ']';
  const o = v as Record<string, unknown>;
  return (
    '{' +
    Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => JSON.stringify(k) + ':' + stableStringify(o[k]))
      .join(',') +
    '}'
  );
}
