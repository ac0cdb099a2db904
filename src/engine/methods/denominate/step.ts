/**
 * Denominate step: turn extensive indicators into intensive ones, `x / (denominator / scaleFactor)`
 * (e.g. flights per 1000 inhabitants). Reproduces COINr 1.1.14 `Denominate()` (R/denominate.R):
 * which indicator is divided by what comes from the framework (`denominator`, `scaleFactor`, the
 * iMeta `Denominator`/`ScaleFactor` columns), units are matched by code, and a missing value in either
 * the indicator or the denominator gives a missing value.
 *
 * One deliberate difference: COINr divides by a zero denominator and gets ±Inf (or NaN for 0/0),
 * which then breaks every later step silently. Here a zero denominator gives a missing value and a
 * located warning in the diagnostics.
 */
import { CityIndexError, type Issue } from '../../core/errors.ts';
import { colIndex, type Dataset } from '../../core/dataset.ts';
import type { StepInput, StepOutput } from '../../pipeline/step.ts';
import type { DenominateOptions } from '../../spec/spec.ts';

/** What was divided by what. */
export interface DenominateDiagnostics {
  /** One entry per denominated indicator, in dataset column order. */
  denominated: Array<{
    indicator: string;
    denominator: string;
    scaleFactor: number;
    zeroDenominators: number;
    missingDenominators: number;
  }>;
  /** Indicators left as they were (no denominator in the framework, or `denominator: null`). */
  unchanged: string[];
  /** Located warnings, e.g. a zero denominator (the result is then missing). */
  warnings: Issue[];
}

/**
 * Divide a column by a denominator column scaled by `scaleFactor`: `x[i] / (d[i] / scaleFactor)`
 * (COINr `Denominate`, default `f_denom = "/"`). NaN in `x` or `d`, or `d[i] = 0`, gives NaN.
 * @example denominateColumn(new Float64Array([10, 20]), new Float64Array([2000, 4000]), 1000) // => Float64Array [5, 5]
 */
export function denominateColumn(
  x: ArrayLike<number>,
  d: ArrayLike<number>,
  scaleFactor = 1,
  out = new Float64Array(x.length),
): Float64Array {
  for (let i = 0; i < x.length; i++) {
    const den = d[i] / scaleFactor;
    out[i] = den === 0 ? NaN : x[i] / den;
  }
  return out;
}

interface Plan {
  indicator: string;
  denominator: string;
  scaleFactor: number;
}

/** Resolve and validate which columns get divided by what. Throws one error listing every problem. */
function planDenominate(input: StepInput, options: DenominateOptions): Plan[] {
  const { dataset, framework, denominators } = input;
  const issues: Issue[] = [];
  const nodes = new Map(framework.nodes.map((n) => [n.code, n] as const));
  const per = options.perIndicator ?? {};
  if (typeof per !== 'object' || per === null || Array.isArray(per)) {
    throw new CityIndexError({
      code: 'E_OPTION',
      message: 'denominate: perIndicator must be an object keyed by indicator code',
      field: 'perIndicator',
    });
  }
  for (const code of Object.keys(per)) {
    if (colIndex(dataset, code) < 0) {
      issues.push({
        code: 'E_UNKNOWN_INDICATOR',
        message: `denominate: perIndicator names "${code}", which is not an indicator in the dataset`,
        field: `perIndicator.${code}`,
        indicator: code,
        expected: `one of ${dataset.codes.join(', ')}`,
      });
    }
  }
  const plans: Plan[] = [];
  for (const code of dataset.codes) {
    const node = nodes.get(code);
    const override = Object.prototype.hasOwnProperty.call(per, code) ? per[code] : undefined;
    let denominator: string | null | undefined;
    let scaleFactor: number | undefined;
    let field: string;
    if (override !== undefined) {
      if (typeof override !== 'object' || override === null || !('denominator' in override)) {
        issues.push({
          code: 'E_OPTION',
          message: `denominate: perIndicator.${code} must be { denominator: string | null, scaleFactor?: number }`,
          field: `perIndicator.${code}`,
          indicator: code,
        });
        continue;
      }
      denominator = override.denominator;
      // as a COINr `denomby` row: a missing ScaleFactor is 1 (not the framework's, which belongs to another
      // denominator)
      scaleFactor = override.scaleFactor;
      field = `perIndicator.${code}`;
    } else {
      denominator = node?.denominator;
      scaleFactor = node?.scaleFactor;
      field = 'denominator';
    }
    if (denominator === null || denominator === undefined || denominator === '') continue;
    const sf = scaleFactor ?? 1;
    if (typeof denominator !== 'string') {
      issues.push({
        code: 'E_OPTION',
        message: `denominate: denominator of "${code}" must be a column name or null`,
        field,
        indicator: code,
      });
      continue;
    }
    if (typeof sf !== 'number' || !Number.isFinite(sf) || sf === 0) {
      issues.push({
        code: 'E_OPTION',
        message: `denominate: scaleFactor of "${code}" must be a finite non-zero number, got ${String(sf)}`,
        field: `${field}.scaleFactor`,
        indicator: code,
        expected: 'a finite non-zero number',
      });
      continue;
    }
    if (!denominators) {
      issues.push({
        code: 'E_NO_DENOMINATORS',
        message: `denominate: "${code}" is divided by "${denominator}" but no denominator data were given`,
        field,
        indicator: code,
      });
      continue;
    }
    if (colIndex(denominators, denominator) < 0) {
      issues.push({
        code: 'E_UNKNOWN_DENOMINATOR',
        message: `denominate: denominator "${denominator}" of "${code}" is not a denominator column`,
        field,
        indicator: code,
        expected: `one of ${denominators.codes.join(', ')}`,
      });
      continue;
    }
    plans.push({ indicator: code, denominator, scaleFactor: sf });
  }
  if (plans.length > 0 && denominators) {
    const known = new Set(denominators.unitCodes);
    for (const u of dataset.unitCodes) {
      if (!known.has(u))
        issues.push({
          code: 'E_UNKNOWN_UNIT',
          message: `denominate: unit "${u}" has no row in the denominator data`,
          unit: u,
        });
    }
  }
  if (issues.length) throw new CityIndexError(issues);
  return plans;
}

/**
 * The denominate build step (COINr `Denominate(coin, dset)`): divides each indicator that has a
 * denominator (framework `denominator`/`scaleFactor`, or `options.perIndicator`) by the matching
 * column of `input.denominators`, matched by unit code. Other columns pass through unchanged.
 * @example
 * // ASEM: Goods (trade in goods) is divided by GDP
 * const { framework, units, denominators } = asem.input;
 * const out = denominateStep({ dataset: asem.build.raw, framework, units, denominators });
 * out.diagnostics.denominated.find((d) => d.indicator === 'Goods')?.denominator // => 'GDP'
 */
export function denominateStep(input: StepInput, options: DenominateOptions = {}): StepOutput<DenominateDiagnostics> {
  const plans = planDenominate(input, options);
  const { dataset, denominators } = input;
  const n = dataset.unitCodes.length;
  const values = dataset.values.slice();
  const warnings: Issue[] = [];
  const denominated: DenominateDiagnostics['denominated'] = [];
  let rowOf: Int32Array | null = null;
  if (plans.length && denominators) {
    const idx = new Map(denominators.unitCodes.map((u, i) => [u, i] as const));
    rowOf = new Int32Array(n);
    for (let i = 0; i < n; i++) rowOf[i] = idx.get(dataset.unitCodes[i])!;
  }
  const nd = denominators ? denominators.unitCodes.length : 0;
  const matched = new Float64Array(n);
  for (const p of plans) {
    const j = colIndex(dataset, p.indicator);
    const dj = colIndex(denominators!, p.denominator);
    let zeros = 0;
    let missing = 0;
    for (let i = 0; i < n; i++) {
      const d = denominators!.values[dj * nd + rowOf![i]];
      matched[i] = d;
      if (d === 0) {
        zeros++;
        warnings.push({
          code: 'W_DENOMINATOR_ZERO',
          severity: 'warning',
          message: `denominator "${p.denominator}" is 0, so ${p.indicator} is set missing (COINr would give Inf)`,
          unit: dataset.unitCodes[i],
          indicator: p.indicator,
        });
      } else if (Number.isNaN(d)) {
        missing++;
      }
    }
    denominateColumn(
      dataset.values.subarray(j * n, (j + 1) * n),
      matched,
      p.scaleFactor,
      values.subarray(j * n, (j + 1) * n),
    );
    denominated.push({
      indicator: p.indicator,
      denominator: p.denominator,
      scaleFactor: p.scaleFactor,
      zeroDenominators: zeros,
      missingDenominators: missing,
    });
  }
  const done = new Set(plans.map((p) => p.indicator));
  const out: Dataset = { unitCodes: [...dataset.unitCodes], codes: [...dataset.codes], values };
  return {
    dataset: out,
    diagnostics: { denominated, unchanged: dataset.codes.filter((c) => !done.has(c)), warnings },
  };
}
