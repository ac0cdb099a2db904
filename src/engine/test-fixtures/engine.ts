/**
 * Shared test fixtures for the engine's steps and kernels: catching a `CityIndexError`, framework
 * nodes and units with the usual defaults, and row-major tables as column-major matrices.
 * Test code only (not exported from the engine).
 */
import { CityIndexError, type Issue } from '../core/errors.ts';
import type { FrameworkNode, Unit } from '../core/framework.ts';

/** Run `fn` and return the `CityIndexError` it throws; any other outcome fails the test. */
export function caught(fn: () => unknown): CityIndexError {
  try {
    fn();
  } catch (e) {
    if (e instanceof CityIndexError) return e;
    throw e;
  }
  throw new Error('expected a CityIndexError');
}

/** The issues of the `CityIndexError` that `fn` throws. */
export function issuesOf(fn: () => unknown): Issue[] {
  return caught(fn).issues;
}

/** A framework node: an indicator at level 1, an aggregate above; weight 1, direction +1, name = code. */
export function fwNode(
  code: string,
  level: number,
  parent: string | null,
  extra: Partial<FrameworkNode> = {},
): FrameworkNode {
  return {
    code,
    name: { en: code },
    level,
    parent,
    kind: level === 1 ? 'indicator' : 'aggregate',
    weight: 1,
    direction: 1,
    ...extra,
  };
}

/** Units with no attributes, optionally with group columns (`groups[k]` for unit k). */
export function plainUnits(
  codes: readonly string[],
  groups: ReadonlyArray<Record<string, string | null>> = [],
): Unit[] {
  return codes.map((code, k) => ({ code, name: { en: code }, groups: groups[k] ?? {}, attributes: {} }));
}

/** A row-major table (units × indicators) as a column-major Float64Array. */
export function colMajor(rows: readonly (readonly number[])[]): { X: Float64Array; m: number; n: number } {
  const m = rows.length;
  const n = m ? rows[0].length : 0;
  const X = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) X[j * m + i] = rows[i][j];
  return { X, m, n };
}
